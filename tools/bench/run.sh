#!/usr/bin/env bash
# tools/bench/run.sh: build the benchmarks in tests/bench/ with golc, Go (gc) and gccgo, check
# that every build prints the same result, time them interleaved and print a Markdown table.
#
#   tools/bench/run.sh                      every tests/bench/<name>.gol, RUNS timed rounds
#   tools/bench/run.sh fib spectral         a subset
#   tools/bench/run.sh fib=35 nbody=100000  another size (rewrites the program's `var size`)
#   tools/bench/run.sh --check [name...]    build, run once per GOMAXPROCS at the small
#                                           `// check-size:` and compare outputs; no timing
#   tools/bench/run.sh --report [name...]   print the table again from OUT/samples.tsv (an
#                                           earlier run's raw figures); builds and runs nothing
#   FULL=1 tools/bench/run.sh [name[=N]...] the reference programs themselves: Gol builds
#                                           tests/bench/full/<name>.gol, Go and gccgo build
#                                           ../shared/bench/go/<name>.go, and N (if given) is
#                                           passed as the program's argument, as in PEERS.md
#
# Env:   BUILD_DIR  where golc is (<BUILD_DIR>/bin/golc; default build, relative to the repo)
#        GOLC       golc itself (overrides BUILD_DIR);  GOLFLAGS (default -O3, golc's own default)
#        GO         gc toolchain (default /usr/lib/go-1.19/bin/go, else `go` on PATH)
#        GCCGO      gccgo driver (default gccgo);       GCCGOFLAGS (default -O2)
#        RUNS       timed rounds (default 5);  WARMUP  untimed rounds first (default 1)
#        PROCS      GOMAXPROCS values (default "1 2")
#        METRIC     what the cells show: wall (default) or cpu (user+sys seconds: steadier on a
#                   loaded machine, but blind to idle waiting and counts every core's work)
#        TIMEOUT    seconds before one run is killed (default 600)
#        PRIO       a command prefix for every timed run, e.g. PRIO="chrt -f 50" (as root): real-
#                   time FIFO priority shuts out a busy machine's other work (builds), a stand-in
#                   for a quiet machine; Gol, Go and gccgo all run under it
#        FULL       1: time the faithful programs of full/ against the reference .go files
#        OUT        scratch directory: binaries, logs, samples.tsv (default <BUILD_DIR>/bench,
#                   or $TMPDIR/gol-bench when GOLC is given)
#
# Benchmarks are not tests: nothing here is registered with ctest.
#
# Each tests/bench/<name>.gol has `var size = N // check-size: M`; tests/bench/<name>.go is the
# same program for Go (if it is missing, the .gol file is used, as every Gol program is a Go
# program). Outputs are compared with stdout and stderr together (print/println write to
# stderr), leaving out lines that start with `timing:`.
#
# Timing: wall, user and sys seconds from bash's `time` around each run (so a run includes
# starting `timeout` and `/usr/bin/time`, about a millisecond); peak RSS from /usr/bin/time
# when it is installed. Rounds are interleaved: each round runs every program, under every
# GOMAXPROCS, with every toolchain, before the next round starts. Cells are medians.
#
# Exit status: 0 all good; 1 some output differed from the others or a run failed (crash,
# non-zero exit, timeout); 2 no output differed but some program did not build with golc.
set -uo pipefail

# All in one function, so that bash parses the whole script before it starts (editing the file
# during a run cannot break the run).
main() {

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src=$root/tests/bench
variants=$src
full=${FULL:-0}
((full)) && src=$root/tests/bench/full

usage() { sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

check=0
report=0
args=()
for a in "$@"; do
  case $a in
    --check) check=1 ;;
    --report) report=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $a" >&2; usage >&2; exit 2 ;;
    *) args+=("$a") ;;
  esac
done

build_dir=${BUILD_DIR:-build}
[[ $build_dir == /* ]] || build_dir=$root/$build_dir
default_out=$build_dir/bench
[[ -n ${GOLC:-} ]] && default_out=${TMPDIR:-/tmp}/gol-bench
((full)) && default_out=$default_out-full
GOLC=${GOLC:-$build_dir/bin/golc}
GOLFLAGS=${GOLFLAGS:--O3}
GO=${GO:-/usr/lib/go-1.19/bin/go}
[[ -x $GO ]] || GO=$(command -v go || true)
GCCGO=${GCCGO:-gccgo}
command -v "$GCCGO" >/dev/null 2>&1 || GCCGO=
GCCGOFLAGS=${GCCGOFLAGS:--O2}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
PROCS=${PROCS:-1 2}
TIMEOUT=${TIMEOUT:-600}
METRIC=${METRIC:-wall}
case $METRIC in
  wall | cpu) ;;
  *) echo "run.sh: METRIC must be wall or cpu" >&2; exit 2 ;;
esac
[[ $GOLC == /* ]] || GOLC=$PWD/$GOLC
out=${OUT:-$default_out}
if ((check)); then
  RUNS=1
  WARMUP=0
  out=$out/check
fi

if [[ ! -x $GOLC ]]; then
  echo "run.sh: no golc at $GOLC (build it: BUILD_DIR=... tools/build.sh, or set GOLC)" >&2
  exit 2
fi

# ---- toolchains ----
impls=(gol)
echo "gol:   $GOLC $GOLFLAGS" >&2
if [[ -n $GO ]]; then
  impls+=(go)
  echo "go:    $("$GO" version)" >&2
else
  echo "go:    not installed, skipped (apt-get install golang-1.19-go, or set GO)" >&2
fi
if [[ -n $GCCGO ]]; then
  impls+=(gccgo)
  echo "gccgo: $("$GCCGO" --version | head -n 1) $GCCGOFLAGS" >&2
else
  echo "gccgo: not installed, skipped (apt-get install gccgo, or set GCCGO)" >&2
fi
usrtime=
[[ -x /usr/bin/time ]] && usrtime=/usr/bin/time
[[ -n $usrtime ]] || echo "note: /usr/bin/time is not installed: no peak RSS column" >&2
tmo=()
read -r -a tmo <<<"${PRIO:-}"
command -v timeout >/dev/null 2>&1 && tmo+=(timeout --kill-after=5 "$TIMEOUT")

# ---- programs and sizes ----
progs=()
declare -A size
if ((${#args[@]})); then
  for a in "${args[@]}"; do
    p=${a%%=*}
    [[ -f $src/$p.gol ]] || { echo "run.sh: no $src/$p.gol" >&2; exit 2; }
    progs+=("$p")
    [[ $a == *=* ]] && size[$p]=${a#*=}
  done
else
  for f in "$src"/*.gol; do progs+=("$(basename "$f" .gol)"); done
fi

if ((report)); then
  [[ -f $out/samples.tsv ]] || { echo "run.sh: no $out/samples.tsv to report" >&2; exit 2; }
else
  mkdir -p "$out"/src "$out"/logs "${impls[@]/#/$out/}"
  rm -f "$out"/logs/*
fi
# go build needs a cache directory; give it one when the environment does not (e.g. no HOME).
[[ -n ${GOCACHE:-} || -n ${XDG_CACHE_HOME:-} || -n ${HOME:-} ]] || export GOCACHE=$out/gocache

# The source each toolchain compiles: tests/bench/<p>.gol / .go with the size substituted.
for p in "${progs[@]}"; do
  gosrc=$src/$p.go
  ((full)) && gosrc=$root/../shared/bench/go/$p.go
  [[ -f $gosrc ]] || { echo "note: no $gosrc, Go builds use $p.gol" >&2; gosrc=$src/$p.gol; }
  ((full)) || cmp -s "$src/$p.gol" "$gosrc" || echo "note: $p.go is not a copy of $p.gol" >&2
  def=$(sed -n 's/^var size = \([0-9][0-9]*\).*/\1/p' "$src/$p.gol" | head -n 1)
  # A full/ program takes its size as its argument; --check borrows the variant's small size.
  small=$(sed -n 's/^var size = .*check-size: *\([0-9][0-9]*\).*/\1/p' "$variants/$p.gol" 2>/dev/null | head -n 1)
  if [[ -z ${size[$p]:-} ]]; then
    if ((check)) && [[ -n $small ]]; then size[$p]=$small; else size[$p]=${def:--}; fi
  fi
  ((report)) && continue
  for f in "$src/$p.gol:gol" "$gosrc:go"; do
    sed "s/^var size = [0-9][0-9]*/var size = ${size[$p]}/" "${f%:*}" >"$out/src/$p.${f##*:}"
  done
done

# ---- build ----
declare -A built buildmsg
samples=$out/samples.tsv
declare -A ref reffrom
bad=0
if ((report)); then
  # The table of an earlier run: a program counts as built if it has samples.
  for p in "${progs[@]}"; do
    for c in "${impls[@]}"; do
      if awk -F'\t' -v p="$p" -v c="$c" 'NR > 1 && $1 == p && $2 == c {f = 1} END {exit !f}' "$samples"; then
        built[$p.$c]=1
      else
        built[$p.$c]=0
        buildmsg[$p.$c]="no samples"
      fi
    done
  done
  RUNS=$(awk -F'\t' 'NR > 1 && $4 > m {m = $4} END {print m + 0}' "$samples")
fi
((report)) || for p in "${progs[@]}"; do
  for c in "${impls[@]}"; do
    log=$out/logs/$p.$c.build.txt
    case $c in
      gol) "$GOLC" $GOLFLAGS -o "$out/gol/$p" "$out/src/$p.gol" >"$log" 2>&1 ;;
      go) (cd "$out/src" && "$GO" build -o "$out/go/$p" "$p.go") >"$log" 2>&1 ;;
      gccgo) "$GCCGO" $GCCGOFLAGS -o "$out/gccgo/$p" "$out/src/$p.go" >"$log" 2>&1 ;;
    esac
    rc=$?
    if ((rc == 0)); then
      built[$p.$c]=1
    else
      built[$p.$c]=0
      buildmsg[$p.$c]=$(grep -v '^#' "$log" | head -n 1 | sed "s|$out/src/||")
      [[ -n ${buildmsg[$p.$c]} ]] || buildmsg[$p.$c]="exit status $rc, no message"
      echo "build failed: $c $p: ${buildmsg[$p.$c]}" >&2
    fi
  done
done

median() { sort -g | awk '{v[NR] = $1} END {if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# ---- run ----
((report)) || printf 'program\timpl\tgomaxprocs\tround\twall_s\tuser_s\tsys_s\tmaxrss_kb\tstatus\n' >"$samples"
TIMEFORMAT='%3R %3U %3S'
((report)) || for ((r = 1 - WARMUP; r <= RUNS; r++)); do
  if ((check)); then echo "running once per GOMAXPROCS ..." >&2; else echo "round $r of $RUNS$( ((r < 1)) && echo ' (warm-up)')" >&2; fi
  for p in "${progs[@]}"; do
    for P in $PROCS; do
      for c in "${impls[@]}"; do
        ((built[$p.$c])) || continue
        res=$out/logs/$p.$c.P$P.r$r.out
        tf=$out/time.txt
        rf=$out/rss.txt
        : >"$rf"
        argv=()
        ((full)) && [[ ${size[$p]} != - ]] && argv=("${size[$p]}")
        if [[ -n $usrtime ]]; then
          { time GOMAXPROCS=$P "${tmo[@]}" "$usrtime" -f '%M' -o "$rf" "$out/$c/$p" "${argv[@]}" >"$res" 2>&1; } 2>"$tf"
        else
          { time GOMAXPROCS=$P "${tmo[@]}" "$out/$c/$p" "${argv[@]}" >"$res" 2>&1; } 2>"$tf"
        fi
        status=$?
        read -r wall user sys <"$tf"
        rss=$(tail -n 1 "$rf" | awk '/^[0-9]+$/ {print; exit} END {if (!NR) print "-"}')
        [[ -n $rss ]] || rss=-
        if ((status != 0)); then
          echo "FAILED: $c $p GOMAXPROCS=$P exited with status $status$( ((status == 124)) && echo ' (timeout)'); output in $res" >&2
          bad=1
        fi
        grep -v '^timing:' "$res" >"$res.result"
        if [[ -z ${ref[$p]:-} ]]; then
          ref[$p]=$res.result
          reffrom[$p]="$c GOMAXPROCS=$P"
        elif ! cmp -s "${ref[$p]}" "$res.result"; then
          echo "MISMATCH: $p: $c GOMAXPROCS=$P round $r differs from ${reffrom[$p]}:" >&2
          diff "${ref[$p]}" "$res.result" | head -n 10 >&2
          bad=1
        fi
        ((r >= 1)) && printf '%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\n' "$p" "$c" "$P" "$r" "$wall" "$user" "$sys" "$rss" "$status" >>"$samples"
      done
    done
  done
done

# ---- report ----
sel() { awk -F'\t' -v p="$1" -v c="$2" -v P="$3" 'NR > 1 && $1 == p && $2 == c && $3 == P && $9 == 0'; }
status=0
((bad)) && status=1
for p in "${progs[@]}"; do ((built[$p.gol])) || { ((status)) || status=2; }; done

if ((check)); then
  echo
  for p in "${progs[@]}"; do
    line="$p (size ${size[$p]}):"
    for c in "${impls[@]}"; do
      if ((!built[$p.$c])); then line+=" $c build failed: ${buildmsg[$p.$c]};"; continue; fi
      n=$(awk -F'\t' -v p="$p" -v c="$c" 'NR > 1 && $1 == p && $2 == c' "$samples" | wc -l)
      nok=$(awk -F'\t' -v p="$p" -v c="$c" 'NR > 1 && $1 == p && $2 == c && $9 == 0' "$samples" | wc -l)
      line+=" $c $nok/$n ran;"
    done
    [[ -n ${ref[$p]:-} ]] && line+=" result: $(head -n 1 "${ref[$p]}")"
    echo "$line"
  done
  echo
  case $status in
    0) echo "check: all outputs agree" ;;
    1) echo "check: FAILED (outputs differ or a run failed; see above)" ;;
    2) echo "check: outputs agree, but some programs did not build with golc" ;;
  esac
  exit $status
fi

declare -A med maxrss
for p in "${progs[@]}"; do
  for c in "${impls[@]}"; do
    for P in $PROCS; do
      med[$p.$c.$P]=$(sel "$p" "$c" "$P" <"$samples" | awk -F'\t' -v m="$METRIC" '{if (m == "cpu") printf "%.3f\n", $6 + $7; else print $5}' | median)
    done
    maxrss[$p.$c]=$(awk -F'\t' -v p="$p" -v c="$c" 'NR > 1 && $1 == p && $2 == c && $8 != "-" {if ($8 > m) m = $8} END {if (m) printf "%.1f", m / 1024; else print "-"}' "$samples")
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }
has_go=0
[[ " ${impls[*]} " == *" go "* ]] && has_go=1

what="wall seconds"
[[ $METRIC == cpu ]] && what="user+sys CPU seconds"
warm=" (after $WARMUP warm-up)"
((report)) && warm=
printf '\nMedian %s of %d runs%s, GOMAXPROCS=%s; %s.\n\n' "$what" "$RUNS" "$warm" "${PROCS// /,}" "$(date -u -r "$samples" '+%Y-%m-%d %H:%M UTC')"
printf '| program | size |'
for P in $PROCS; do for c in "${impls[@]}"; do printf ' %s-%s |' "$c" "$P"; done; done
((has_go)) && for P in $PROCS; do printf ' gol÷go-%s |' "$P"; done
[[ -n $usrtime ]] && printf ' peak RSS MiB %s |' "$(IFS=/; echo "${impls[*]}" | sed 's|/| / |g')"
printf '\n|---|---|'
for P in $PROCS; do for c in "${impls[@]}"; do printf -- '---:|'; done; done
((has_go)) && for P in $PROCS; do printf -- '---:|'; done
[[ -n $usrtime ]] && printf -- '---|'
printf '\n'
declare -A logsum nratio
for p in "${progs[@]}"; do
  printf '| %s | %s |' "$p" "${size[$p]}"
  for P in $PROCS; do
    for c in "${impls[@]}"; do
      if ((!built[$p.$c])); then printf ' build failed |'; else printf ' %s |' "${med[$p.$c.$P]}"; fi
    done
  done
  if ((has_go)); then
    for P in $PROCS; do
      q=$(ratio "${med[$p.gol.$P]:--}" "${med[$p.go.$P]:--}")
      printf ' %s |' "$q"
      if [[ $q != - ]]; then
        logsum[$P]=$(awk -v s="${logsum[$P]:-0}" -v q="$q" 'BEGIN {printf "%.12f", s + log(q)}')
        nratio[$P]=$((${nratio[$P]:-0} + 1))
      fi
    done
  fi
  if [[ -n $usrtime ]]; then
    printf ' '
    for c in "${impls[@]}"; do
      [[ $c == gol ]] || printf ' / '
      printf '%s' "${maxrss[$p.$c]}"
    done
    printf ' |'
  fi
  printf '\n'
done
if ((has_go)); then
  printf '| **geomean** | |'
  for P in $PROCS; do for c in "${impls[@]}"; do printf ' |'; done; done
  for P in $PROCS; do
    if ((${nratio[$P]:-0})); then awk -v s="${logsum[$P]}" -v n="${nratio[$P]}" 'BEGIN {printf " **%.2f** |", exp(s / n)}'; else printf ' - |'; fi
  done
  [[ -n $usrtime ]] && printf ' |'
  printf '\n'
fi
for p in "${progs[@]}"; do
  for c in "${impls[@]}"; do
    ((built[$p.$c])) || printf '\n- %s does not build with %s: %s' "$p" "$c" "${buildmsg[$p.$c]}"
  done
done
printf '\n\nRaw samples: %s\n' "$samples"
exit $status
}

main "$@"
