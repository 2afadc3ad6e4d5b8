#!/bin/sh
# Builds the front-end fuzzer (clang-19, libFuzzer, ASan+UBSan) and runs it.
#   tests/fuzz/run.sh [seconds] [extra libFuzzer flags...]
# Build dir: $BUILD_DIR (default build-fuzz). Seeds: tests/fuzz/corpus (the Go programs of
# ../shared/bench/go and tests/e2e are copied in on first use); new inputs go to
# $BUILD_DIR/fuzz-corpus, crashes to $BUILD_DIR/fuzz-artifacts.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
secs=${1:-60}
[ $# -gt 0 ] && shift
jobs=${JOBS:-2}

CC=${CC:-clang-19} CXX=${CXX:-clang++-19} cmake -S "$root" -B "$build" -DGOL_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz_frontend -j "$jobs"

seeds=$root/tests/fuzz/corpus
work=$build/fuzz-corpus
mkdir -p "$work" "$build/fuzz-artifacts"
for f in "$root"/../shared/bench/go/*.go "$root"/tests/e2e/*.gol; do
  [ -f "$f" ] && cp -n "$f" "$work/" 2>/dev/null || true
done

exec "$build/bin/fuzz_frontend" "$work" "$seeds" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$build/fuzz-artifacts/" -print_final_stats=1 "$@"
