#!/usr/bin/env python3
"""trace_overhead.py [-n RUNS] [--procs 1,2] PROGRAM [ARGS...]: the execution tracer's cost.

Runs PROGRAM (built by golc) RUNS times (default 9) in each of two ways, interleaved, at each
GOMAXPROCS: untraced, and traced with GOLTRACE set to a path that cannot be created, so that
the run records every event as usual but the exit writes no JSON (it prints "cannot create").
That isolates what tracing costs while the program runs; the JSON written at exit is
measured separately (the trace's otherData.write_ns). Prints the medians of wall time and of
CPU time (user+sys of the process) and their traced/untraced ratios. On a shared, loaded
machine, compare the CPU ratios: wall time there mostly measures the other load.
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def run(cmd, procs, traced):
    env = dict(os.environ, GOMAXPROCS=str(procs))
    env.pop("GOLTRACE", None)
    if traced:
        env["GOLTRACE"] = "/nonexistent-dir/trace.json"
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    t1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (t1 - t0) * 1e3, (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1e3


def main():
    args = sys.argv[1:]
    n, procs = 9, [1, 2]
    while args and args[0].startswith("-"):
        if args[0] == "-n":
            n = int(args[1])
            args = args[2:]
        elif args[0] == "--procs":
            procs = [int(p) for p in args[1].split(",")]
            args = args[2:]
        else:
            print(__doc__)
            return 2
    if not args:
        print(__doc__)
        return 2
    for p in procs:
        res = {False: ([], []), True: ([], [])}
        for _ in range(n):
            for traced in (False, True):
                w, c = run(args, p, traced)
                res[traced][0].append(w)
                res[traced][1].append(c)
        (w0, c0), (w1, c1) = [(statistics.median(res[t][0]), statistics.median(res[t][1])) for t in (False, True)]
        print("%s GOMAXPROCS=%d n=%d: untraced wall %.0f ms cpu %.0f ms; traced wall %.0f ms cpu %.0f ms; "
              "ratio wall %.2fx cpu %.2fx" % (" ".join(args), p, n, w0, c0, w1, c1, w1 / w0, c1 / c0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
