#!/usr/bin/env bash
# tools/test.sh: build and run every test, for both context-switch backends.
#
#   1. tools/build.sh, then every ctest test in $BUILD_DIR (default build/): unit tests of the
#      compiler and the runtime, e2e programs, crash programs and compile-error programs.
#   2. The runtime's unit tests again with GOMAXPROCS=1, 4 and 8 (tests that do not set their
#      own number of Ps take it from the environment, as programs do), and the concurrency e2e
#      programs with GOMAXPROCS=1 and 4.
#   3. A second build in ${BUILD_DIR}-ucontext with -DGOL_CONTEXT=ucontext, where only the tests
#      the backend can change run: the runtime's unit tests and the e2e, crash and sample programs.
#   4. The runtime and its unit tests under ThreadSanitizer, in ${BUILD_DIR}-tsan
#      (-DGOL_SANITIZE=thread; only those targets are built). The runtime tells TSan about
#      goroutine switches with its fiber API (runtime/race.h); tests/unit/runtime/tsan.supp
#      lists the reads that are racy by design. Any report fails the test (exit code 66).
#
# Extra arguments are CMake options for both builds (e.g. -DGOL_SANITIZE=address).
# GOL_TEST_UCONTEXT=0 skips step 3, GOL_TEST_TSAN=0 step 4. GOL_E2E_DIFF_GO=1 also compares every e2e program with `go`.
# Exits non-zero when any step fails; every step runs anyway, so one run reports everything.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-build}
[[ $build_dir == /* ]] || build_dir=$root/$build_dir
ucontext_dir=${build_dir}-ucontext
jobs=${JOBS:-2}
failed=()

step() {  # step NAME COMMAND...: run, remember failures
  local name=$1
  shift
  echo "==== $name"
  if ! "$@"; then
    failed+=("$name")
  fi
}

# ctest in one directory of a build tree runs the tests defined there and below it.
ctest_in() {  # ctest_in DIR [ctest args...]
  local dir=$1
  shift
  if [[ ! -d $dir ]]; then
    echo "(no tests in ${dir#"$root"/}: not configured yet)"
    return 0
  fi
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --no-tests=ignore "$@")
}

with_env() {  # with_env NAME=VALUE COMMAND...: run a command (or function) with one more variable
  local kv=$1
  shift
  (export "$kv" && "$@")
}

# A failed build is a failure, but the tests whose programs did build still run: one run
# reports everything (ctest marks the tests of missing executables "Not Run").
export KEEP_GOING=1
step "build ($build_dir)" env BUILD_DIR="$build_dir" "$root/tools/build.sh" "$@"
step "all tests ($build_dir)" ctest_in "$build_dir"

for procs in 1 4 8; do
  step "runtime unit tests (GOMAXPROCS=$procs)" with_env GOMAXPROCS=$procs ctest_in "$build_dir/tests/unit/runtime"
done
# The concurrency e2e programs (channels, select, sync, timers, deadlocks) must not depend on
# the number of Ps either: the default run above has GOMAXPROCS = the machine's cores.
concurrency_e2e='chan|select|sync|time-|dead|atomic|mutex|gomaxprocs|goroutine|sleep|wait|cond'
for procs in 1 4; do
  step "concurrency e2e programs (GOMAXPROCS=$procs)" with_env GOMAXPROCS=$procs \
    ctest_in "$build_dir/tests/e2e" -R "^(e2e|crash)/.*($concurrency_e2e)"
done

if [[ ${GOL_TEST_UCONTEXT:-1} != 0 ]]; then
  step "build ($ucontext_dir)" env BUILD_DIR="$ucontext_dir" "$root/tools/build.sh" -DGOL_CONTEXT=ucontext "$@"
  step "runtime unit tests (ucontext)" ctest_in "$ucontext_dir/tests/unit/runtime"
  step "e2e, crash and sample programs (ucontext)" ctest_in "$ucontext_dir/tests/e2e" -R '^(e2e|crash|samples)/'
fi

if [[ ${GOL_TEST_TSAN:-1} != 0 ]]; then
  tsan_dir=${build_dir}-tsan
  tsan_build() {
    [[ -f $tsan_dir/build.ninja ]] ||
      cmake -S "$root" -B "$tsan_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGOL_SANITIZE=thread "$@" >/dev/null &&
      ninja -C "$tsan_dir" runtime_tests runtime_smoke
  }
  step "build ($tsan_dir: runtime tests under ThreadSanitizer)" tsan_build "$@"
  step "runtime unit tests (ThreadSanitizer)" with_env TSAN_OPTIONS="suppressions=$root/tests/unit/runtime/tsan.supp" \
    ctest_in "$tsan_dir/tests/unit/runtime" --timeout 300
fi

echo
if ((${#failed[@]})); then
  printf 'test.sh: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "test.sh: all tests passed"
