#!/usr/bin/env bash
# golrun_cli_test.sh GOLRUN: golrun's command line and cache, end to end, with a fake golc.
#
# golrun finds golc next to itself, so the test copies golrun into a temporary <root>/bin beside
# a shell-script golc that logs its arguments and "compiles" a program into a script which
# prints its arguments and exits with the status named in the source (`// exit N`).
set -uo pipefail
golrun_bin=${1:?usage: golrun_cli_test.sh path/to/golrun}
root=$(mktemp -d "${TMPDIR:-/tmp}/golrun-cli-test-XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/lib" "$root/src"
cp "$golrun_bin" "$root/bin/golrun"
touch "$root/lib/libgolrt.a" "$root/lib/libgolrt_main.a"
cat > "$root/bin/golc" <<'FAKE'
#!/usr/bin/env bash
echo "golc $*" >> "$(dirname "$0")/../golc.log"
out=a.out files=()
while (($#)); do
  case $1 in -o) out=$2; shift 2 ;; -*) shift ;; *) files+=("$1"); shift ;; esac
done
for f in "${files[@]}"; do
  grep -q BROKEN "$f" && { echo "$f:1:1: syntax error: BROKEN" >&2; exit 1; }
  grep -q CRASH "$f" && kill -SEGV $$
done
code=$(sed -n 's,^// exit ,,p' "${files[0]}")
printf '#!/usr/bin/env bash\necho "args:$*"\n%s\nexit %s\n' "$(sed -n 's,^// do ,,p' "${files[0]}")" "${code:-0}" > "$out"
chmod +x "$out"
FAKE
chmod +x "$root/bin/golc"
export GOLCACHE=$root/cache
golrun=$root/bin/golrun
cd "$root/src"
printf 'package main\n// exit 3\n' > prog.gol
printf 'package main\n' > util.gol

failures=0 n=0
check() {  # check DESCRIPTION COMMAND...: the command must succeed
  n=$((n + 1))
  if "${@:2}"; then echo "ok $n - $1"; else echo "not ok $n - $1"; failures=$((failures + 1)); fi
}
compiles() { wc -l < "$root/golc.log" 2>/dev/null || echo 0; }

out=$("$golrun" prog.gol util.gol -v --help x.gol 2>&1); status=$?
check "golrun FILE.gol runs the program with the remaining arguments" test "$out" = "args:-v --help x.gol"
check "the program's exit status is golrun's" test "$status" = 3
check "the first run compiles both files at -O3 (golc's default)" grep -qx "golc -O3 -o $GOLCACHE/tmp/build-[^ ]*/prog prog.gol util.gol" "$root/golc.log"
check "the executable is cached under <cache>/<hh>/<key>-prog" test -n "$(compgen -G "$GOLCACHE/??/*-prog")"
"$golrun" run prog.gol util.gol > /dev/null
check "an unchanged program does not run golc again" test "$(compiles)" = 1
"$golrun" prog.gol > /dev/null
check "a different file list compiles again" test "$(compiles)" = 2
"$golrun" run -O0 prog.gol util.gol > /dev/null
check "-O0 is part of the key and reaches golc" test "$(compiles)" = 3 -a -n "$(grep -e '-O0' "$root/golc.log")"
printf '\n' >> util.gol; "$golrun" prog.gol util.gol > /dev/null
check "editing a file compiles again" test "$(compiles)" = 4
touch -d '2001-01-01' "$root/lib/libgolrt.a"; "$golrun" prog.gol util.gol > /dev/null
check "a rebuilt runtime library compiles again" test "$(compiles)" = 5
check "no temporary build directories are left" test -z "$(ls -A "$GOLCACHE/tmp")"
printf 'package main\n// do echo "trace:${GOLTRACE-unset}"\n' > traced.gol
out=$("$golrun" run -trace out.json traced.gol -trace x 2>&1)
check "run -trace FILE sets GOLTRACE for the program only" test "$out" = $'args:-trace x\ntrace:out.json'
out=$("$golrun" -O1 --trace=t2.json traced.gol 2>&1)
check "--trace=FILE works too" test "$out" = $'args:\ntrace:t2.json'
out=$("$golrun" traced.gol 2>&1)
check "without -trace GOLTRACE is not set" test "$out" = $'args:\ntrace:unset'

printf 'package main\nBROKEN\n' > broken.gol
err=$("$golrun" broken.gol 2>&1); status=$?
check "compile errors exit 1" test "$status" = 1
check "golc's diagnostics pass through" test "$err" = "broken.gol:1:1: syntax error: BROKEN"
check "a failed build is not cached" test -z "$(compgen -G "$GOLCACHE/??/*-broken")"
printf 'package main\nCRASH\n' > crash.gol
err=$("$golrun" crash.gol 2>&1); status=$?
check "a crashing golc is reported and exits 1" test "$status" = 1 -a -n "$(echo "$err" | grep 'killed by signal 11')"

printf 'package main\n// do kill -TERM $$\n' > killed.gol
status=$("$golrun" killed.gol > /dev/null 2>&1; echo $?)  # in a subshell: no "Terminated" notice
check "death by signal is the program's: status 128+SIGTERM" test "$status" = 143

"$golrun" build prog.gol
check "golrun build writes ./prog by default" test -x prog
"$golrun" build -O1 -o out.bin prog.gol util.gol
check "golrun build -o OUT -O1" test "$(tail -1 "$root/golc.log")" = "golc -O1 -o out.bin prog.gol util.gol"
"$golrun" emit-llvm prog.gol
check "golrun emit-llvm passes --emit-llvm" test "$(tail -1 "$root/golc.log")" = "golc --emit-llvm prog.gol"
"$golrun" check prog.gol util.gol
check "golrun check passes --check" test "$(tail -1 "$root/golc.log")" = "golc --check prog.gol util.gol"

check "golrun version names LLVM and the context backend" bash -c "'$golrun' version | grep -q 'LLVM 19.*context backend'"
check "golrun env GOLCACHE prints the cache directory" test "$("$golrun" env GOLCACHE)" = "$GOLCACHE"
check "golrun env GOLROOT is the directory above bin/" test "$("$golrun" env GOLROOT)" = "$root"
check "XDG_CACHE_HOME/gol is the cache without GOLCACHE" test "$(env -u GOLCACHE XDG_CACHE_HOME=/x "$golrun" env GOLCACHE)" = /x/gol
check "golrun --help teaches the commands" bash -c "'$golrun' --help | grep -q 'golrun build -o hello hello.gol'"
"$golrun" run -O7 prog.gol > /dev/null 2>&1; status=$?
check "a bad flag is a usage error (exit 2)" test "$status" = 2
"$golrun" run > /dev/null 2>&1; status=$?
check "run without files fails" test "$status" = 1
"$golrun" missing.gol > /dev/null 2>&1; status=$?
check "a missing file fails" test "$status" = 1
rm "$root/bin/golc"
err=$("$golrun" prog.gol 2>&1); status=$?
check "without golc golrun says where it looked" test "$status" = 1 -a -n "$(echo "$err" | grep "cannot find the compiler: $root/bin/golc")"

echo "$((n - failures))/$n checks passed"
((failures == 0))
