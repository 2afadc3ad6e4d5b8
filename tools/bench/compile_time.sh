#!/usr/bin/env bash
# Compile time of golc on the programs in tests/bench/compile/ (big array and struct values,
# issue 4): the median wall time of RUNS compiles of each, at each level in OPTS, and whether
# the binary prints what `go run` prints (when go is installed).
#   BUILD_DIR=build tools/bench/compile_time.sh [program.gol ...]
#   RUNS=7 OPTS="-O0 -O3" GOLC=build/bin/golc tools/bench/compile_time.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
golc=${GOLC:-$root/${BUILD_DIR:-build}/bin/golc}
runs=${RUNS:-7}
opts=${OPTS:-"-O0 -O3"}  # -O3: golc's default
gobin=$(command -v go || echo /usr/lib/go-1.19/bin/go)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
progs=("$@")
[ ${#progs[@]} -eq 0 ] && progs=("$root"/tests/bench/compile/*.gol)
echo "| program | $(echo $opts | sed 's/ / s | /g') s | output |"
echo "|---|$(for o in $opts; do printf -- '---:|'; done)---|"
for p in "${progs[@]}"; do
  name=$(basename "$p" .gol)
  row="| $name |"
  for o in $opts; do
    times=()
    for ((i = 0; i < runs; i++)); do
      s=$(date +%s%N)
      timeout 120 "$golc" $o "$p" -o "$tmp/$name" >/dev/null 2>&1 || { times+=(fail); break; }
      e=$(date +%s%N)
      times+=($(( (e - s) / 1000000 )))
    done
    if [[ " ${times[*]} " == *fail* ]]; then row+=" failed |"; continue; fi
    med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (${#times[@]} + 1) / 2 ))p")
    row+=" $(printf '%d.%03d' $((med / 1000)) $((med % 1000))) |"
  done
  verdict="-"
  if [ -x "$gobin" ] && [ -x "$tmp/$name" ]; then
    cp "$p" "$tmp/$name.go"
    want=$("$gobin" run "$tmp/$name.go" 2>&1 || true)
    got=$("$tmp/$name" 2>&1 || true)
    [ "$want" = "$got" ] && verdict="same as go run" || verdict="DIFFERS from go run"
  fi
  echo "$row $verdict |"
done
