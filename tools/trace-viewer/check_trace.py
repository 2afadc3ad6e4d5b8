#!/usr/bin/env python3
"""check_trace.py TRACE.json [--expect traced] [--require SPEC]...: check a Gol execution trace
against FORMAT.md.

Always: the file is JSON; the rules of FORMAT.md section 9 hold (the same ones viewer.html's
golViewer.validate() checks); every instant and span name is one FORMAT.md lists.

--expect traced: also what tests/trace_viewer/traced.gol must produce, whatever the
scheduling (GOMAXPROCS 1 or more): the partner and the grower created by G1 (their start
functions are the compiler's wrappers main.main.gowrap1 and 2, as in Go 1.21+); runs of G1 and
of the partner that end blocked on chan send / chan receive; unblocks by a goroutine (by != 0)
with their arrows; runs that end with exit; stack growth of the grower; STW spans for GC and
GOMAXPROCS with gomaxprocs instants; a GC mark span; a sleep block woken by the runtime (by 0).

--require SPEC (repeatable): at least one instant or span matches SPEC, which is a name
(`handoff`, `GC sweep`; `run` stands for any goroutine run) optionally followed by `?` and
`key=value` conditions on its args, separated by `&` (`steal?runnext=true`,
`handoff?why=lockedm wait`, `run?reason=preempted`). Values compare as JSON text (true,
12) or as strings.

Prints a summary line (event counts by name) and exits 1 listing what failed.
"""
import collections
import json
import sys

REASONS = {"preempted", "gosched", "syscall", "exit", "trace end"}
INSTANTS = {"create", "unblock", "steal", "preempt request", "handoff", "stack growth", "gomaxprocs"}
SPANS_OTHER = {"syscall", "idle", "spinning", "in syscall", "GC sweep termination", "GC mark", "GC mark termination", "GC sweep"}


def load(path):
    with open(path) as f:
        return json.load(f)


def validate(tr, errs):
    if not isinstance(tr, dict) or not isinstance(tr.get("traceEvents"), list):
        errs.append("top level must be an object with a traceEvents array")
        return []
    if tr.get("otherData", {}).get("gol_trace_version") != 1:
        errs.append("otherData.gol_trace_version must be 1")
    evs = tr["traceEvents"]
    named = set()
    used = set()
    flows = collections.defaultdict(lambda: {"s": [], "f": []})
    runs = collections.defaultdict(list)
    pspans = collections.defaultdict(list)  # every span on a P lane
    for e in evs:
        ph = e.get("ph")
        if ph == "M":
            if e.get("name") == "thread_name":
                named.add((e["pid"], e["tid"]))
            continue
        lane = (e.get("pid"), e.get("tid"))
        used.add(lane)
        ts = e.get("ts")
        if not isinstance(ts, (int, float)):
            errs.append("event without numeric ts: %r" % e)
            continue
        name = e.get("name", "")
        if ph == "X":
            if not isinstance(e.get("dur"), (int, float)) or e["dur"] < 0:
                errs.append("X without dur >= 0: %r" % e)
            if e.get("cat") == "g" and e.get("pid") == 1:
                a = e.get("args", {})
                r = a.get("reason", "")
                if "goid" not in a or not (r in REASONS or r.startswith("blocked: ")):
                    errs.append("goroutine span without goid or with a bad reason: %r" % e)
                runs[lane].append((ts, ts + e["dur"], e))
            elif e.get("cat") not in ("g", "stw") and name not in SPANS_OTHER:
                errs.append("unknown span name %r" % name)
            if e.get("pid") == 1 and isinstance(e.get("dur"), (int, float)):
                pspans[lane].append((ts, ts + e["dur"], e))
        elif ph == "i":
            if e.get("s") != "t":
                errs.append("instant without \"s\":\"t\": %r" % e)
            if name not in INSTANTS:
                errs.append("unknown instant %r" % name)
        elif ph in ("s", "f"):
            flows[(e.get("id"), name)][ph].append(ts)
        else:
            errs.append("unknown ph %r" % ph)
    # viewer.html's rule: on a P lane no span (idle, spinning, in syscall) overlaps a run.
    for lane, ss in pspans.items():
        ss.sort(key=lambda r: (r[0], -r[1]))
        for a, b in zip(ss, ss[1:]):
            if b[0] < a[1] - 0.001 and "g" in (a[2].get("cat"), b[2].get("cat")):
                errs.append("P lane %r: %r overlaps %r" % (lane, b[2], a[2]))
                break
    for lane, rs in runs.items():
        rs.sort(key=lambda r: r[0])
        for a, b in zip(rs, rs[1:]):
            if b[0] < a[1] - 0.0015:  # the writer rounds to whole ns
                errs.append("overlapping goroutine runs on %r: %r and %r" % (lane, a[2], b[2]))
                break
    for (fid, name), se in flows.items():
        if len(se["s"]) != 1 or len(se["f"]) != 1:
            errs.append("flow %r %r has %d s and %d f" % (name, fid, len(se["s"]), len(se["f"])))
        elif se["f"][0] < se["s"][0]:
            errs.append("flow %r %r ends before it starts" % (name, fid))
    for lane in sorted(used - named, key=str):
        errs.append("lane %r has no thread_name" % (lane,))
    return evs


def expect_traced(evs, errs):
    inst = collections.defaultdict(list)
    runs = []
    spans = collections.defaultdict(list)
    for e in evs:
        if e.get("ph") == "i":
            inst[e["name"]].append(e.get("args", {}))
        elif e.get("ph") == "X" and e.get("cat") == "g":
            runs.append(e["args"])
        elif e.get("ph") == "X":
            spans[e["name"]].append(e.get("args", {}))
    fn_of = {a["goid"]: a.get("fn") for a in inst["create"]}

    def need(ok, what):
        if not ok:
            errs.append("missing: " + what)

    bymain = [a["goid"] for a in inst["create"] if a.get("parent") == 1]
    need(len(bymain) == 2, "two creates by G1")
    partner = bymain[:1]
    need(partner and fn_of.get(partner[0]) == "main.main.gowrap1", "the partner's fn main.main.gowrap1")
    need(any(a["goid"] == 1 for a in inst["create"]), "the create of G1")
    pg = partner[0] if partner else -1
    reasons = collections.Counter((a["goid"], a["reason"]) for a in runs)
    need(reasons[(1, "blocked: chan receive")] + reasons[(1, "blocked: chan send")] >= 50,
         "G1 runs ending blocked on its channels (>= 50)")
    need(reasons[(pg, "blocked: chan receive")] + reasons[(pg, "blocked: chan send")] >= 50,
         "partner runs ending blocked on its channels (>= 50)")
    need(reasons[(pg, "exit")] == 1, "the partner's run ending with exit")
    need(all(a.get("fn") == fn_of.get(a["goid"]) for a in runs if a["goid"] in fn_of),
         "runs carrying their G's start function")
    need(any(r.get("fn") == "main.main" for r in runs), "G1's runs named main.main")
    ub = inst["unblock"]
    need(sum(1 for a in ub if a["goid"] == 1 and a["by"] == pg) >= 50, "unblocks of G1 by the partner (>= 50)")
    need(sum(1 for a in ub if a["goid"] == pg and a["by"] == 1) >= 50, "unblocks of the partner by G1 (>= 50)")
    need(any(a["goid"] == 1 and a["by"] == 0 and a.get("reason") == "sleep" for a in ub),
         "G1 woken from sleep by the runtime (by 0)")
    need(any(r["goid"] == 1 and r["reason"] == "blocked: sleep" for r in runs), "G1's run ending blocked: sleep")
    grower = bymain[1:]
    need(any(a["goid"] in grower and a["new_size"] > 0 for a in inst["stack growth"]), "stack growth of main.grower")
    stw = collections.Counter(a.get("reason") for a in spans.get("STW: GC", []) + spans.get("STW: GOMAXPROCS", []))
    need(stw["GC"] >= 1, "an STW: GC span")
    need(stw["GOMAXPROCS"] >= 2, "two STW: GOMAXPROCS spans")
    need(len(inst["gomaxprocs"]) >= 2, "two gomaxprocs instants")
    need(len(spans["GC mark"]) >= 1, "a GC mark span")


def require(evs, spec, errs):
    name, _, conds = spec.partition("?")
    want = [c.split("=", 1) for c in conds.split("&") if c]

    def same(v, text):
        return json.dumps(v) == text or (isinstance(v, str) and v == text)

    for e in evs:
        if e.get("ph") not in ("X", "i"):
            continue
        en = "run" if e.get("ph") == "X" and e.get("cat") == "g" else e.get("name")
        args = e.get("args", {})
        if en == name and all(k in args and same(args[k], v) for k, v in want):
            return
    errs.append("missing: an event matching --require %r" % spec)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    errs = []
    try:
        tr = load(args[0])
    except (OSError, ValueError) as ex:
        print("FAIL: %s: %s" % (args[0], ex))
        return 1
    evs = validate(tr, errs)
    if "--expect" in args and args[args.index("--expect") + 1] == "traced":
        expect_traced(evs, errs)
    for i, a in enumerate(args):
        if a == "--require" and i + 1 < len(args):
            require(evs, args[i + 1], errs)
    counts = collections.Counter(e.get("name") for e in evs if e.get("ph") in ("X", "i"))
    print("%s: %d events; %s" % (args[0], len(evs), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    for e in errs[:40]:
        print("FAIL:", e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
