#!/usr/bin/env bash
# tools/build.sh: install what is missing, configure once, build incrementally.
#
#   tools/build.sh                         build into build/ (Ninja, Release)
#   BUILD_DIR=build-asan tools/build.sh -DGOL_SANITIZE=address
#                                          another build dir; extra arguments are CMake options
#                                          and re-run the configure step
#   JOBS=1 tools/build.sh                  fewer parallel jobs (default: the number of CPUs)
#   KEEP_GOING=1 tools/build.sh            build what can be built past a failing target
#   GOL_INSTALL_GO=1 tools/build.sh        also install Go 1.19 and gofmt (the e2e oracle)
#
# Works from any directory; BUILD_DIR is relative to the repository root. On a fresh Debian 12
# (or 13) machine run it as root once: it installs the packages with one apt-get line.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-build}
[[ $build_dir == /* ]] || build_dir=$root/$build_dir
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# ---- packages ----
# g++ builds everything; the linker golc runs comes from binutils (g++) or lld-19; make is for
# anyone who configures without Ninja.
packages=(cmake ninja-build g++ make llvm-19-dev clang-19 lld-19 doctest-dev libcli11-dev)
[[ ${GOL_INSTALL_GO:-0} == 1 ]] && packages+=(golang-1.19-go)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) != 0 ]]; then
    echo "build.sh: missing packages: ${missing[*]}" >&2
    echo "build.sh: install them as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "build.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"
fi

# ---- configure (first time, or when CMake options are given) ----
if [[ ! -f $build_dir/build.ninja || $# -gt 0 ]]; then
  if [[ -f $build_dir/CMakeCache.txt ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
    echo "build.sh: $build_dir was configured with another generator; remove it or pick another BUILD_DIR" >&2
    exit 1
  fi
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
fi

# ---- build ----
# KEEP_GOING=1 (tools/test.sh sets it) builds every target that can be built despite errors.
keep_going=()
[[ ${KEEP_GOING:-0} == 1 ]] && keep_going=(-- -k 0)
cmake --build "$build_dir" -j "$jobs" "${keep_going[@]}"
