#!/usr/bin/env bash
# tests/trace_viewer/test_viewer.sh: open tools/trace-viewer/viewer.html on a trace in a real
# headless browser (Debian's chromium) and check what the page renders.
#
#   test_viewer.sh [TRACE.json]      default: tools/trace-viewer/example-trace.json
#
# 0. With no TRACE, checks that example-trace.json is what make_example.py writes.
# 1. Finds chromium; when missing and running as root, installs it with apt-get. If it cannot be
#    had, prints why and exits 77 (ctest: SKIP_RETURN_CODE 77).
# 2. file:// pages cannot fetch a local JSON, so it writes a copy of viewer.html with the trace
#    inlined in a <script> calling golLoadTrace(), at the GOL-TRACE-INJECT marker.
# 3. --dump-dom: (for the trace, and for the small example in FORMAT.md §10) reads the #stats JSON the viewer writes after rendering and checks it: ≥ 4 lanes
#    (≥ 1 P, ≥ 1 M), spans, arrows, ≥ 1 stop-the-world band, goroutine table rows, and no
#    FORMAT.md warnings (the list is printed when there are some).
# 4. Screenshots (1400x800) as artefacts: the whole trace, and its first 2% (zoomed in):
#    $GOL_TRACE_VIEWER_OUT/gol-trace-viewer.png and gol-trace-viewer-zoom.png
#    (default directory: /tmp; the ctest registration passes the build directory).
#
# No network is used: chromium runs with networking features off and the page is a local file.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
viewer=$root/tools/trace-viewer/viewer.html
trace=${1:-$root/tools/trace-viewer/example-trace.json}
out=${GOL_TRACE_VIEWER_OUT:-/tmp}
mkdir -p "$out"
start=$(date +%s.%N)

fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -f $viewer ]] || fail "missing $viewer"
[[ -f $trace ]] || fail "missing trace $trace"

# ---- 0. the example is what make_example.py writes (when python3 is here to run it)
if [[ -z ${1:-} ]] && command -v python3 >/dev/null 2>&1; then
  regen=$(mktemp /tmp/gol-example-trace.XXXXXX.json)
  python3 "$root/tools/trace-viewer/make_example.py" "$regen" >/dev/null || fail "make_example.py failed"
  cmp -s "$regen" "$trace" || { rm -f "$regen"; fail "example-trace.json is stale: run tools/trace-viewer/make_example.py"; }
  rm -f "$regen"
  echo "ok: example-trace.json is up to date"
fi

# ---- 1. a browser
find_browser() {
  local b
  for b in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  done
  return 1
}
browser=${CHROMIUM:-$(find_browser)}
if [[ -z $browser ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium not found: installing Debian's chromium (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    if ! timeout 600 apt-get install -y --no-install-recommends chromium >/tmp/gol-chromium-install.log 2>&1; then
      timeout 300 apt-get update >>/tmp/gol-chromium-install.log 2>&1
      timeout 600 apt-get install -y --no-install-recommends chromium >>/tmp/gol-chromium-install.log 2>&1
    fi
    browser=$(find_browser)
  fi
  if [[ -z $browser ]]; then
    echo "SKIP: no chromium, and it could not be installed (need root and apt-get; see /tmp/gol-chromium-install.log)"
    exit 77
  fi
fi
echo "browser: $browser ($("$browser" --version 2>/dev/null | head -1))"

tmp=$(mktemp -d /tmp/gol-trace-viewer.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# ---- 2. the page: viewer.html with the trace inlined
grep -q 'GOL-TRACE-INJECT' "$viewer" || fail "viewer.html has no GOL-TRACE-INJECT marker"
make_page() {  # make_page OUT TRACE EXTRA_JS
  {
    sed '/GOL-TRACE-INJECT/,$d' "$viewer"
    printf '<script>\nwindow.golLoadTrace(\n'
    sed 's#</#<\\/#g' "$2"        # "</script>" inside a JSON string would end the script
    printf '\n, %s);\n%s\n</script>\n' "\"$(basename "$2")\"" "$3"
    sed -n '/GOL-TRACE-INJECT/,$p' "$viewer"
  } >"$1"
}
make_page "$tmp/page.html" "$trace" ""
# zoomed in on G2's 30th run (for the example, inside the ping-pong), the mouse over it
make_page "$tmp/zoom.html" "$trace" '(function () {
  var g = golViewer.goroutines().filter(function (g) { return g.runs > 1; }).sort(function (a, b) { return b.runs - a.runs; })[0];
  var runs = golViewer.runs(g.goid), r = runs[Math.min(30, runs.length - 1)];
  var mid = (r.startUs + r.endUs) / 2;
  golViewer.zoom(mid - 16, mid + 16);
  golViewer.hoverAt("P" + r.p, mid);
})();'

run_browser() {  # run_browser ARGS... : headless, no network features, a throwaway profile
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --no-default-browser-check --mute-audio \
    --hide-scrollbars --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
    --virtual-time-budget=5000 "$@" 2>>"$tmp/browser.log"
}

# ---- 3. what the page renders
check_page() {  # check_page PAGE.html: load it, check #stats and the goroutine table
  local page=$1 dom=${1%.html}-dom.html
  run_browser --window-size=1400,800 --dump-dom "file://$page" >"$dom" ||
    { tail -20 "$tmp/browser.log" >&2; fail "chromium --dump-dom failed"; }
  stats=$(sed -n 's#.*<pre id="stats"[^>]*>\([^<]*\)</pre>.*#\1#p' "$dom" | sed 's/&quot;/"/g')
  [[ -n $stats ]] || { tail -20 "$tmp/browser.log" >&2; fail "no #stats in the rendered page"; }
  echo "stats: $stats"
  [[ $(field loaded) == true ]] || fail "the viewer did not load the trace: $(sed -n 's#.*<span id="error">\([^<]*\)<.*#\1#p' "$dom")"
  check lanes '>=' 4
  check pLanes '>=' 1
  check mLanes '>=' 1
  check spans '>' 0
  check drawnSpans '>' 0
  check arrows '>' 0
  check stw '>=' "${GOL_TRACE_VIEWER_MIN_STW:-1}"  # 0 for a program that never stops the world
  check goroutines '>' 0
  check tableRows '>' 0
  local rows nwarn
  rows=$(grep -o '<tr data-g="[0-9]*"' "$dom" | wc -l)
  (( rows == $(field goroutines) )) || fail "goroutine table has $rows rows, want $(field goroutines)"
  echo "ok: goroutine table rows in the DOM = $rows"
  nwarn=$(field warnings)
  if (( nwarn != 0 )); then
    echo "FORMAT.md warnings:" >&2
    sed -n '/<div id="warnings"/,/<\/div>/p' "$dom" | sed 's/<[^>]*>//g' | head -40 >&2
    fail "$nwarn format warnings"
  fi
  echo "ok: no format warnings"
}
field() { grep -o "\"$1\":[a-z0-9.]*" <<<"$stats" | head -1 | cut -d: -f2; }
check() {  # check NAME OP VALUE
  local v
  v=$(field "$1")
  [[ -n $v ]] || fail "#stats has no $1"
  [[ $v =~ ^[0-9]+$ ]] || fail "$1 = $v, not a number"
  (( v $2 $3 )) || fail "$1 = $v, want $2 $3"
  echo "ok: $1 = $v ($2 $3)"
}
echo "== $trace"
check_page "$tmp/page.html"

# the complete small example of FORMAT.md §10 follows the rules too
if [[ -z ${1:-} ]]; then
  echo "== FORMAT.md §10 example"
  awk '/^## 10\./ { on = 1 } on && /^```$/ && inblk { exit } on && inblk { print } on && /^```json/ { inblk = 1 }' \
    "$root/tools/trace-viewer/FORMAT.md" >"$tmp/format-example.json"
  [[ -s $tmp/format-example.json ]] || fail "no JSON example in FORMAT.md §10"
  make_page "$tmp/format.html" "$tmp/format-example.json" ""
  check_page "$tmp/format.html"
fi

# zoomed in with the mouse over a goroutine's run: a tooltip that says why the run stopped
# and the checker catches a trace that breaks them: overlapping runs on P0, an unknown reason,
# an unblock arrow with no end, an instant with no scope, an unnamed lane, no version
if [[ -z ${1:-} ]]; then
  echo "== a trace that breaks FORMAT.md"
  cat >"$tmp/bad.json" <<'JSON'
{"traceEvents":[
 {"ph":"M","name":"thread_name","pid":1,"tid":0,"args":{"name":"P0"}},
 {"ph":"X","cat":"g","name":"G1 main.main","pid":1,"tid":0,"ts":1.000,"dur":5.000,"args":{"goid":1,"m":0,"reason":"exit"}},
 {"ph":"X","cat":"g","name":"G2 main.f","pid":1,"tid":0,"ts":3.000,"dur":5.000,"args":{"goid":2,"m":0,"reason":"sleeping"}},
 {"ph":"s","cat":"flow","name":"unblock","id":1,"pid":1,"tid":0,"ts":2.000},
 {"ph":"i","cat":"g","name":"create","pid":1,"tid":0,"ts":1.500,"args":{"goid":2,"parent":1}}
]}
JSON
  make_page "$tmp/bad.html" "$tmp/bad.json" ""
  run_browser --window-size=1400,800 --dump-dom "file://$tmp/bad.html" >"$tmp/bad-dom.html" || fail "chromium --dump-dom failed"
  stats=$(sed -n 's#.*<pre id="stats"[^>]*>\([^<]*\)</pre>.*#\1#p' "$tmp/bad-dom.html")
  [[ $(field loaded) == true ]] || fail "the viewer refused a trace it should open with warnings"
  want="gol_trace_version|overlaps|unknown reason|no \"f\"|without \"s\"|no thread_name"
  got=$(sed -n '/<div id="warnings"/,/<\/div>/p' "$tmp/bad-dom.html" | sed 's/&quot;/"/g')
  IFS='|' read -ra wants <<<"$want"
  for w in "${wants[@]}"; do
    grep -qF -- "$w" <<<"$got" || fail "the checker did not report: $w"
  done
  echo "ok: $(field warnings) warnings, each rule reported"
fi

echo "== zoomed in, mouse over a run"
run_browser --window-size=1400,800 --dump-dom "file://$tmp/zoom.html" >"$tmp/zoom-dom.html" ||
  fail "chromium --dump-dom (zoomed) failed"
tip=$(sed -n 's#.*<div id="tooltip"[^>]*>\(.*\)#\1#p' "$tmp/zoom-dom.html" | sed 's/<[^>]*>/ /g' | head -c 400)
grep -q 'stopped: ' <<<"$tip" || fail "hovering a run shows no tooltip with its stop reason: '$tip'"
echo "ok: tooltip: $(tr -s ' ' <<<"$tip" | head -c 160)"
zstats=$(sed -n 's#.*<pre id="stats"[^>]*>\([^<]*\)</pre>.*#\1#p' "$tmp/zoom-dom.html")
stats=$zstats check drawnArrows '>=' "${GOL_TRACE_VIEWER_MIN_ZOOM_ARROWS:-1}"  # 0 when the zoomed run has none

# ---- 4. screenshots
for shot in page:gol-trace-viewer.png zoom:gol-trace-viewer-zoom.png; do
  page=${shot%%:*} png=$out/${shot#*:}
  rm -f "$png"
  (cd "$tmp" && run_browser --window-size=1400,800 --screenshot="$png" "file://$tmp/$page.html" >/dev/null)
  [[ -s $png ]] || { tail -20 "$tmp/browser.log" >&2; fail "no screenshot $png"; }
  echo "screenshot: $png"
done

printf 'PASS (%.1f s)\n' "$(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo 0)"
