#!/usr/bin/env bash
# tests/trace_viewer/work_stealing_shot.sh GOLC OUTDIR: the viewer on a real trace of
# samples/work-stealing.gol (issue 10's screenshot). Traces the sample at GOMAXPROCS=2 until the
# trace has a steal (up to 5 runs: a steal depends on the timing), then runs test_viewer.sh on it,
# which checks what the page renders (no stop-the-world expected) and leaves the screenshots in OUTDIR:
# gol-trace-viewer.png (the whole run) and gol-trace-viewer-zoom.png.
# tools/trace-viewer/work-stealing.png is a copy of the first (see the viewer's README).
set -uo pipefail
golc=${1:?usage: work_stealing_shot.sh GOLC OUTDIR}
out=${2:?usage: work_stealing_shot.sh GOLC OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
mkdir -p "$out"
"$golc" -O2 -o "$out/work-stealing" "$root/samples/work-stealing.gol" || fail "golc failed"
trace=$out/work-stealing.json
for try in 1 2 3 4 5; do
  rm -f "$trace"
  (cd "$out" && GOMAXPROCS=2 GOLTRACE=$trace ./work-stealing >/dev/null) || fail "work-stealing exited $?"
  if python3 "$root/tools/trace-viewer/check_trace.py" "$trace" --require steal >"$out/check.txt"; then
    GOL_TRACE_VIEWER_OUT=$out GOL_TRACE_VIEWER_MIN_STW=0 GOL_TRACE_VIEWER_MIN_ZOOM_ARROWS=0 exec bash "$here/test_viewer.sh" "$trace"
  fi
done
fail "no steal in 5 traced runs of work-stealing.gol"
