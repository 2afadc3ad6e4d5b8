#!/usr/bin/env bash
# tests/trace_viewer/test_trace.sh GOLC OUTDIR: the execution tracer end to end (issue 10).
#
# Compiles traced.gol, runs it with GOLTRACE at GOMAXPROCS=1 and 2, and checks each trace with
# tools/trace-viewer/check_trace.py: valid JSON, FORMAT.md's rules, and the events traced.gol
# must produce whatever the scheduling (see its header). Also checks that without GOLTRACE
# no file is written. Leaves OUTDIR/traced-trace.json (GOMAXPROCS=2) for the trace_viewer_real
# test, which opens it in the viewer.
set -uo pipefail
golc=${1:?usage: test_trace.sh GOLC OUTDIR}
out=${2:?usage: test_trace.sh GOLC OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
mkdir -p "$out"
"$golc" -O2 -o "$out/traced" "$here/traced.gol" || fail "golc failed"

want="value 200 deep 0"
rm -f "$out/untraced.json"
got=$(cd "$out" && env -u GOLTRACE ./traced 2>&1) || fail "traced exited $? without tracing"
[[ $got == "$want" ]] || fail "output without tracing: '$got'"
[[ ! -e $out/untraced.json ]] || fail "a trace was written without GOLTRACE"

for procs in 1 2; do
  trace=$out/traced-trace-$procs.json
  rm -f "$trace"
  got=$(GOMAXPROCS=$procs GOLTRACE=$trace "$out/traced" 2>&1) || fail "traced exited $? with GOLTRACE (GOMAXPROCS=$procs)"
  [[ $got == "$want" ]] || fail "output with tracing: '$got'"
  [[ -s $trace ]] || fail "no trace written at $trace"
  python3 "$root/tools/trace-viewer/check_trace.py" "$trace" --expect traced || fail "check_trace.py (GOMAXPROCS=$procs)"
done
cp "$out/traced-trace-2.json" "$out/traced-trace.json"

# A program that dies (a panic: exit status 2) still writes its trace.
cat >"$out/dies.gol" <<'GOL'
package main

func main() {
	done := make(chan int)
	go func() { done <- 1 }()
	<-done
	panic("boom")
}
GOL
"$golc" -O2 -o "$out/dies" "$out/dies.gol" || fail "golc failed (dies.gol)"
rm -f "$out/dies.json"
GOLTRACE=$out/dies.json "$out/dies" >/dev/null 2>&1
status=$?
(( status == 2 )) || fail "dies exited $status, want 2"
python3 "$root/tools/trace-viewer/check_trace.py" "$out/dies.json" || fail "the trace of a panicking program"
grep -q '"reason":"trace end"' "$out/dies.json" || fail "the panicking G's run is not closed with reason trace end"
echo PASS
