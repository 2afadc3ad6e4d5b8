#!/usr/bin/env bash
# e2e_runner_test.sh GOL_E2E: the e2e runner judges every program, so it is tested too, with
# a fake golc. The fake "compiles" a test into a shell script made of its `//sh ` lines; for
# error tests it prints the `//diag ` lines to stderr and exits with `//golc-exit N` (default 1).
set -uo pipefail
runner=${1:?usage: e2e_runner_test.sh path/to/gol_e2e}
root=$(mktemp -d "${TMPDIR:-/tmp}/e2e-runner-test-XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/e2e" "$root/errors"
cat > "$root/golc" <<'FAKE'
#!/usr/bin/env bash
out=a.out src=
while (($#)); do case $1 in -o) out=$2; shift 2 ;; -*) shift ;; *) src=$1; shift ;; esac; done
if grep -q '^//diag ' "$src" || grep -q '^//golc-exit ' "$src"; then
  sed -n 's,^//diag ,,p' "$src" >&2
  code=$(sed -n 's,^//golc-exit ,,p' "$src")
  [[ $code == SEGV ]] && kill -SEGV $$
  exit "${code:-1}"
fi
{ echo '#!/usr/bin/env bash'; sed -n 's,^//sh ,,p' "$src"; } > "$out"
chmod +x "$out"
FAKE
chmod +x "$root/golc"

failures=0 n=0
expect() {  # expect PASS|FAIL NAME [grep pattern the report must contain]
  local want=$1 file=$2 pattern=${3:-}
  local report
  report=$("$runner" --golc "$root/golc" "$root/$file" 2>&1)
  n=$((n + 1))
  if [[ $report == "[$want] $file"* ]] && { [[ -z $pattern ]] || grep -qF -- "$pattern" <<<"$report"; }; then
    echo "ok $n - $file: $want"
  else
    echo "not ok $n - $file: wanted $want${pattern:+ with \"$pattern\"}, got:"
    sed 's/^/    /' <<<"$report"
    failures=$((failures + 1))
  fi
}
t() { cat > "$root/$1"; }

t e2e/pass.gol <<'X'
//sh echo out; echo err >&2; echo "args:$*"; read -r line; echo "in:$line $K"; exit 3
// Exit: 3
// Args: a b
// Env: K=v
// Stdin:
// hello

// Output:
// out
// args:a b
// in:hello v

// Stderr:
// err
X
expect PASS e2e/pass.gol
t e2e/stdout-diff.gol <<'X'
//sh echo one; echo two; echo three
// Output:
// one
// 2
// three
X
expect FAIL e2e/stdout-diff.gol "+two"
t e2e/stdout-absent.gol <<'X'
//sh echo surprise
X
expect FAIL e2e/stdout-absent.gol "+surprise"
t e2e/exit.gol <<'X'
//sh exit 2
X
expect FAIL e2e/exit.gol "expected exit status 0, got exit status 2"
t e2e/signal.gol <<'X'
//sh kill -SEGV $$
X
expect FAIL e2e/signal.gol "killed by signal 11"
t e2e/stderr-first.gol <<'X'
//sh echo "panic: boom" >&2; echo "goroutine 1 [running]:" >&2; exit 2
// Exit: 2
// StderrFirst: panic: boom
X
expect PASS e2e/stderr-first.gol
t e2e/stderr-first-wrong.gol <<'X'
//sh echo "panic: bang" >&2; exit 2
// Exit: 2
// StderrFirst: panic: boom
X
expect FAIL e2e/stderr-first-wrong.gol 'expected "panic: boom", got "panic: bang"'
t e2e/timeout.gol <<'X'
//sh sleep 30
// Timeout: 0.5
X
expect FAIL e2e/timeout.gol "timed out"
t e2e/compile-error.gol <<'X'
//golc-exit 1
//diag compile-error.gol:1:1: nope
X
expect FAIL e2e/compile-error.gol "golc failed"

t errors/ok.gol <<'X'
//diag ok.gol:8:2: undefined: x
//diag ok.gol:8:6: cannot use "s" (untyped string constant) as int value
//diag     x = 1
//diag     ^
package main

func main() {
	x = 1 // ERROR "undefined: x" "cannot use .s."
}
X
expect PASS errors/ok.gol
t errors/unmatched.gol <<'X'
//diag unmatched.gol:6:2: undefined: x
//diag unmatched.gol:7:1: something else
package main

func main() {
	x = 1 // ERROR "undefined: x"
}
X
expect FAIL errors/unmatched.gol "unexpected diagnostic: unmatched.gol:7:1: something else"
t errors/missing.gol <<'X'
//diag missing.gol:5:1: undefined: y
package main

func main() {
	x = 1 // ERROR "undefined: x"
}
X
expect FAIL errors/missing.gol 'line 5: no diagnostic matches "undefined: x"'
t errors/exit0.gol <<'X'
//golc-exit 0
package main // ERROR "x"
X
expect FAIL errors/exit0.gol "expected exit status 1"
t errors/crash.gol <<'X'
//golc-exit SEGV
package main // ERROR "x"
X
expect FAIL errors/crash.gol "golc crashed"
t errors/ice.gol <<'X'
//diag ice.gol:1:1: internal compiler error: oops (please report)
package main // ERROR "internal"
X
expect FAIL errors/ice.gol "internal compiler error"

echo "$((n - failures))/$n checks passed"
((failures == 0))
