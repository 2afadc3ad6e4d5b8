#!/usr/bin/env python3
"""make_example.py: write example-trace.json, a synthetic Gol execution trace (FORMAT.md).

Until runtime/trace.cpp writes real traces, this deterministic model of a short program is the
reference sample for the viewer, its docs and its test. GOMAXPROCS=2 (P0, P1), three Ms.

The program (what a real run of it would show):

    func main() {                       // G1
        ch, reply := make(chan int), make(chan int)
        go ponger(ch, reply)            // G2: ping-pong with main, 100 round trips
        for i := 0; i < 100; i++ { ch <- i; <-reply }
        var wg sync.WaitGroup
        for i := 0; i < 4; i++ { wg.Add(1); go worker(i, &wg) }   // G3..G6
        wg.Wait()
    }

What it exercises, in time order:
  - P1 spins after the first `go`, finds nothing (G2 is in P0's runnext), goes idle;
  - ping-pong G1 <-> G2 on P0 through runnext: alternating short runs, an unblock arrow each;
  - the workers: P1 spins and steals 2 of them from P0 (a steal arrow);
  - G3 enters a write syscall on M1; sysmon retakes P1 and hands it off to a new M2;
    the syscall returns with no P free, so G3 goes to the global run queue and M1 parks;
  - G4 grows its stack twice; G6 runs a call-free loop past its 10 ms slice and is preempted;
  - P1 steals the last worker; G5's allocation starts a GC: "STW: GC", "GC mark", "GC sweep";
  - the last wg.Done (G5 on P1) unblocks main, which runs from P1's runnext and exits.

Usage: make_example.py [OUT]   (default: example-trace.json next to this script)
"""

import json
import os
import sys

US = 1000  # ns per µs
MS = 1000 * US


def fmt_time(ns):
    """µs with exactly three decimals (FORMAT.md §2)."""
    assert ns >= 0 and ns == int(ns), ns
    return "%d.%03d" % (ns // 1000, ns % 1000)


class Rand:
    """A tiny LCG, so the output does not depend on Python's random module."""

    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return self.s >> 33

    def jitter(self, base, spread):
        return base + self.next() % (spread + 1)


class Trace:
    def __init__(self):
        self.events = []
        self.flow_id = 0
        self.pending_flow = {}  # goid -> flow id of the unblock that made it runnable
        self.gstate = {}        # goid -> (state, since)
        self.gname = {}         # goid -> "main.worker"
        self.lanes = set()
        self.all_m = []

    def ev(self, **kw):
        self.events.append(kw)
        if kw["ph"] != "M":
            self.lanes.add((kw["pid"], kw["tid"]))

    # ---- goroutine lanes (pid 3): derived from the scheduler events below ----
    def set_gstate(self, goid, state, ts):
        old = self.gstate.get(goid)
        if old is not None and ts > old[1]:
            self.ev(ph="X", cat="gstate", name=old[0], pid=3, tid=goid, ts=old[1],
                    dur=ts - old[1], args={"goid": goid})
        if state is None:
            self.gstate.pop(goid, None)
        else:
            self.gstate[goid] = (state, ts)

    # ---- FORMAT.md §4-§7 ----
    def create(self, p, ts, goid, parent, fn):
        self.gname[goid] = fn
        self.ev(ph="i", s="t", cat="g", name="create", pid=1, tid=p, ts=ts,
                args={"goid": goid, "parent": parent, "fn": fn})
        self.set_gstate(goid, "runnable", ts)

    def run(self, p, m, goid, t0, t1, reason):
        fn = self.gname[goid]
        if goid in self.pending_flow:
            fid = self.pending_flow.pop(goid)
            self.ev(ph="f", cat="flow", name="unblock", id=fid, pid=1, tid=p, ts=t0, bp="e")
        self.ev(ph="X", cat="g", name="G%d %s" % (goid, fn), pid=1, tid=p, ts=t0, dur=t1 - t0,
                args={"goid": goid, "fn": fn, "m": m, "reason": reason})
        self.set_gstate(goid, "running", t0)
        if reason == "exit":
            self.set_gstate(goid, None, t1)
        elif reason in ("preempted", "gosched"):
            self.set_gstate(goid, "runnable", t1)
        else:
            self.set_gstate(goid, reason, t1)  # "blocked: ...", "syscall", "trace end"

    def unblock(self, p, ts, goid, by, reason):
        self.ev(ph="i", s="t", cat="g", name="unblock", pid=1, tid=p, ts=ts,
                args={"goid": goid, "by": by, "reason": reason})
        self.flow_id += 1
        self.ev(ph="s", cat="flow", name="unblock", id=self.flow_id, pid=1, tid=p, ts=ts)
        self.pending_flow[goid] = self.flow_id
        self.set_gstate(goid, "runnable", ts)

    def steal(self, ts, frm, to, count):
        self.ev(ph="i", s="t", cat="sched", name="steal", pid=1, tid=to, ts=ts,
                args={"from": frm, "to": to, "count": count})
        self.flow_id += 1
        self.ev(ph="s", cat="flow", name="steal", id=self.flow_id, pid=1, tid=frm, ts=ts)
        self.ev(ph="f", cat="flow", name="steal", id=self.flow_id, pid=1, tid=to, ts=ts, bp="e")

    def pspan(self, p, name, t0, t1, **args):
        e = dict(ph="X", cat="pstate", name=name, pid=1, tid=p, ts=t0, dur=t1 - t0)
        if args:
            e["args"] = args
        self.ev(**e)

    def instant(self, pid, tid, ts, cat, name, **args):
        self.ev(ph="i", s="t", cat=cat, name=name, pid=pid, tid=tid, ts=ts, args=args)

    def span(self, pid, tid, cat, name, t0, t1, **args):
        self.ev(ph="X", cat=cat, name=name, pid=pid, tid=tid, ts=t0, dur=t1 - t0, args=args)

    # ---- output ----
    def metadata(self):
        # Every M of allm is named, even one with no events of its own: the viewer draws on it
        # the runs of the goroutines it ran (args.m of the P-lane spans).
        self.lanes.update((2, m) for m in self.all_m)
        procs = {0: "Runtime", 1: "Ps", 2: "Ms", 3: "Goroutines"}
        out = []
        for pid in sorted({p for p, _ in self.lanes}):
            out.append(dict(ph="M", name="process_name", pid=pid, args={"name": procs[pid]}))
            out.append(dict(ph="M", name="process_sort_index", pid=pid, args={"sort_index": pid}))
        for pid, tid in sorted(self.lanes):
            if pid == 0:
                name = ["STW", "GC"][tid]
            elif pid == 1:
                name = "P%d" % tid
            elif pid == 2:
                name = "M%d" % tid
            else:
                name = "G%d %s" % (tid, self.gname[tid])
            out.append(dict(ph="M", name="thread_name", pid=pid, tid=tid, args={"name": name}))
            out.append(dict(ph="M", name="thread_sort_index", pid=pid, tid=tid,
                            args={"sort_index": tid}))
        return out

    def dump(self, f, other):
        def enc(e):
            parts = []
            for k, v in e.items():
                if k in ("ts", "dur"):
                    parts.append('"%s":%s' % (k, fmt_time(v)))
                else:
                    parts.append('%s:%s' % (json.dumps(k), json.dumps(v, separators=(",", ":"))))
            return "{" + ",".join(parts) + "}"

        meta = self.metadata()
        # Real traces arrive in per-P buffer order; keep the example sorted for readability.
        body = sorted(self.events, key=lambda e: (e["ts"], e["pid"], e["tid"]))
        f.write('{"traceEvents":[\n')
        f.write(",\n".join(enc(e) for e in meta + body))
        f.write('\n],\n"displayTimeUnit":"ns",\n"otherData":%s}\n'
                % json.dumps(other, separators=(",", ":")))


def build():
    t = Trace()
    r = Rand(20240601)
    P0, P1 = 0, 1
    M0, M1, M2 = 0, 1, 2
    t.all_m = [M0, M1, M2]

    # main starts on P0/M0; P1 is idle.
    t.gname[1] = "main.main"
    t.set_gstate(1, "runnable", 0)
    g1_start = 2 * US
    # go ponger(): G2 into P0's runnext; wakep() starts M1 spinning on P1.
    t.create(P0, 5 * US, 2, 1, "main.ponger")
    t.pspan(P1, "idle", 0, 7 * US)
    t.pspan(P1, "spinning", 7 * US, 19 * US + 250, m=M1)  # finds nothing: runnext is not stolen

    # ch <- 0: ponger is not waiting yet, main parks on the send.
    now = 8 * US
    t.run(P0, M0, 1, g1_start, now, "blocked: chan send")

    # Ping-pong through runnext: each run hands a value over, readies the peer (goready puts it
    # in P0's runnext) and parks on its next send. 100 round trips, then main closes ch and
    # waits on done; ponger's range ends, it sends on done and exits.
    g, other = 2, 1
    for i in range(201):
        now += r.jitter(350, 200)                 # schedule() -> execute()
        start = now
        work = r.jitter(900, 900)
        wake = start + work * 2 // 5
        if g == 2 and i == 10:                    # ponger's first deep call: stack growth
            t.instant(1, P0, start + 300, "stack", "stack growth",
                      goid=2, old_size=8192, new_size=16384)
        waiting = t.gstate[other][0].split(": ", 1)[1]   # "blocked: chan send" -> "chan send"
        t.unblock(P0, wake, other, g, waiting)
        now = start + work
        if i == 200:
            reason = "exit"
        elif i == 199:
            reason = "blocked: chan receive"      # main: close(ch); <-done
        else:
            reason = "blocked: chan send"
        t.run(P0, M0, g, start, now, reason)
        g, other = other, g

    # main runs again and starts the workers: each `go` puts the new G in P0's runnext.
    now += 300
    main2 = now
    for k, goid in enumerate((3, 4, 5, 6)):
        t.create(P0, main2 + (2 + 3 * k) * US, goid, 1, "main.worker")
    # wakep() on the first create: M1 wakes (futex latency), spins on P1 and steals half of
    # P0's run queue: runq [G3 G4 G5], runnext G6 -> takes G3, G4.
    spin0 = main2 + 4 * US
    t.pspan(P1, "idle", 19 * US + 250, spin0)
    steal = main2 + 12 * US
    t.pspan(P1, "spinning", spin0, steal + 500, m=M1)
    t.steal(steal, P0, P1, 2)
    main_block = main2 + 14 * US
    t.run(P0, M0, 1, main2, main_block, "blocked: semacquire")  # wg.Wait()

    # P0: runnext G6, a call-free loop, runs past its slice.
    g6 = main_block + 600
    preempt_req = g6 + 10 * MS
    t.instant(1, P0, preempt_req, "sched", "preempt request", goid=6, by="sysmon")
    g6_stop = preempt_req + 7 * US + 400
    t.run(P0, M0, 6, g6, g6_stop, "preempted")
    # gopreempt_m puts G6 on the global queue. G5, which waited in P0's local queue, was stolen
    # by P1 at 9 ms (below), so P0 finds only G6 again.

    # P1/M1: G3 computes, then write()s: entersyscall.
    g3 = steal + 800
    sys0 = 2 * MS
    t.run(P1, M1, 3, g3, sys0, "syscall")
    t.pspan(P1, "in syscall", sys0, sys0 + 30 * US, m=M1, goid=3)
    # sysmon retakes P1 (in syscall > 20 µs with work queued): handoffp -> startm -> new M2.
    handoff = sys0 + 30 * US
    t.instant(1, P1, handoff, "sched", "handoff", from_m=M1, to_m=M2, why="syscall")
    sys1 = 5 * MS
    t.span(2, M1, "syscall", "syscall", sys0, sys1, goid=3, p=P1, handoff=True)
    # exitsyscall: P1 is taken, no idle P -> G3 to the global queue; M1 parks (stopm).
    t.set_gstate(3, "runnable", sys1)
    t.span(2, M1, "mstate", "idle", sys1 + 2 * US, 15 * MS + 260 * US)

    # P1/M2: G4 from P1's local run queue; it grows its stack twice.
    g4 = handoff + 2 * US
    t.instant(1, P1, g4 + 480 * US, "stack", "stack growth", goid=4, old_size=8192, new_size=16384)
    t.instant(1, P1, g4 + 1900 * US, "stack", "stack growth", goid=4, old_size=16384,
              new_size=32768)
    g4_end = 7 * MS + 500 * US
    t.run(P1, M2, 4, g4, g4_end, "exit")
    # then G3 from the global queue (its write returned long ago)
    g3b = g4_end + 3 * US
    g3b_end = 9 * MS
    t.run(P1, M2, 3, g3b, g3b_end, "exit")
    # local and global queues empty: M2 spins and steals G5 from P0's run queue.
    t.pspan(P1, "spinning", g3b_end + 1 * US, g3b_end + 11 * US, m=M2)
    t.steal(g3b_end + 10 * US, P0, P1, 1)
    g5 = g3b_end + 12 * US

    # P0 after the preemption: G6 again (it is the only runnable G).
    g6b = g6_stop + 2 * US
    # G5 allocates and triggers a GC: stop the world.
    stw0 = 13 * MS
    t.instant(1, P0, stw0 + 1 * US, "sched", "preempt request", goid=6, by="stw")
    g6b_stop = stw0 + 6 * US
    t.run(P0, M0, 6, g6b, g6b_stop, "preempted")
    stw1 = stw0 + 350 * US
    t.span(0, 0, "stw", "STW: GC", stw0, stw1, reason="GC", by=5)
    t.span(0, 1, "gc", "GC mark", stw0 + 10 * US, stw1 - 12 * US, gc=1, heap_before=4194304)
    t.span(0, 1, "gc", "GC sweep", stw1, stw1 + 550 * US, gc=1, heap_after=1310720)
    g6c = stw1 + 2 * US
    g6c_end = 14 * MS + 800 * US
    t.run(P0, M0, 6, g6c, g6c_end, "exit")              # wg.Done (not the last)

    # P1: G5 (kept running through the STW it started), last wg.Done wakes main.
    g5_end = 15 * MS + 200 * US
    t.unblock(P1, g5_end - 1 * US, 1, 5, "semacquire")  # goready -> P1's runnext
    t.run(P1, M2, 5, g5, g5_end, "exit")
    # wakep(): M0 spins on P0, finds nothing (main is in P1's runnext), P0 goes idle.
    t.pspan(P0, "idle", g6c_end + 1 * US, g5_end)
    t.pspan(P0, "spinning", g5_end, g5_end + 30 * US, m=M0)
    end = 15 * MS + 260 * US
    t.pspan(P0, "idle", g5_end + 30 * US, end)
    t.run(P1, M2, 1, g5_end + 2 * US, g5_end + 50 * US, "exit")   # main returns: exit(0)
    return t


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "example-trace.json")
    t = build()
    with open(out, "w") as f:
        t.dump(f, {
            "gol_trace_version": 1,
            "program": "example (synthetic, tools/trace-viewer/make_example.py)",
            "gomaxprocs": 2,
            "clock": "CLOCK_MONOTONIC, ts 0 = runtime start",
        })
    print("%s: %d events" % (out, len(t.events)))


if __name__ == "__main__":
    main()
