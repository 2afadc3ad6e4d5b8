// trace.h: the execution tracer (issue 10). GOLTRACE=out.json (or `golrun run -trace
// out.json`) records scheduler events with nanotime timestamps and writes them at exit as
// Chrome trace-event JSON, in the format tools/trace-viewer/FORMAT.md specifies (the
// contract with the viewer; read it before changing what is written).
//
// Every hook in the scheduler is one line, `if (traceEnabled) [[unlikely]] traceXxx(...);`: a
// load of a global (a plain mov on x86-64) and a branch that is never taken when tracing is off. The hooks run on g0, on a
// goroutine's stack (ready, newproc1, gol_growstack: near the guard, so they use little
// stack) and on sysmon; none takes a lock.
//
// Buffers (trace.cpp): the M that owns a P appends to that P's buffer; an M without a P (in a
// system call, sysmon, a spinning or waking M) appends to its own thread-local buffer. A
// record says its lane itself, so any buffer may hold an event of any lane. At exit,
// traceFlush (from exit(), so also on panics and fatal errors) closes the open spans and
// writes every buffer; the readers sort.
#pragma once
#include <atomic>
#include <cstdint>

namespace gol::rt {

struct g;
struct m;
struct p;

// True while tracing: set once by traceinit (schedinit, before any other M exists), cleared
// by traceFlush. Atomic only so that a hook racing with the flush is not a data race; such a
// hook may lose its event.
extern std::atomic<bool> traceEnabled;

// Why a goroutine's run ended (FORMAT.md §4 `reason`).
enum traceStop : uint8_t {
  traceStopBlocked,    // gopark: "blocked: <g->waitreason>"
  traceStopPreempted,  // gopreempt_m
  traceStopGosched,    // gosched_m
  traceStopSyscall,    // entersyscall
  traceStopExit,       // goexit0
};

void traceinit();  // schedinit: reads GOLTRACE; no-op when unset
void traceFlush();  // exit(): writes the file once; later calls do nothing

// Goroutines (proc.cpp).
void traceGoCreate(g* newg);                 // newproc1, after the goid is set
// execute / exitsyscall fast path: gp runs on this M's P. inheritTime: gp came from runnext,
// so when this M's last run ended in this schedule pass (no traceSchedWait since), gp's run
// starts at that run's end without reading the clock again; the scheduler pass between them
// (some tens of ns) is counted in gp's run.
void traceGoStart(g* gp, bool inheritTime);
void traceGoStop(g* gp, traceStop why);      // the run of gp (on this M's P) ended
void traceGoUnblock(g* gp);                  // ready(): gp (Gwaiting) is made runnable by the caller
void traceSchedWait();                       // findrunnable, gcstopm: this M may wait before its next run

// Ps and Ms (proc.cpp, runq.cpp, sysmon.cpp).
void tracePIdle(p* pp, bool idle);           // pidleput (true) / pidleget (false)
void traceSpinning(bool on);                 // this M starts or stops spinning
void traceSteal(p* thief, p* victim, uint32_t n);  // runqsteal took n Gs
void traceStealRunnext();                    // runqgrab took the victim's runnext (before traceSteal)
// pp leaves its M, just before handoffp or startlockedm. why: "syscall" (retake, from the M
// in the call), "syscall block" (entersyscallblock), "lockedm" (startlockedm: from this M to
// `to`, the G's locked M), "lockedm wait" (stoplockedm: a locked M waits for its G), "safe
// point" (forEachP takes a Psyscall P). to: null when not known yet (handoffp picks or starts
// an M later, or puts the P on the idle list).
void traceHandoff(p* pp, m* to, const char* why);
void tracePreemptRequest(p* pp, g* gp);      // preemptone
void traceGomaxprocs(int32_t old, int32_t nprocs);

// System calls (syscall.cpp): enter on the G's M before its P goes Psyscall (block: the P is
// handed off at once); exit at the top of exitsyscall.
void traceSyscallEnter(g* gp, p* pp, bool block);
void traceSyscallExit(g* gp);

// Stop-the-world and the collector (preempt.cpp, mgc.cpp).
void traceSTWStart(const char* reason);      // stopTheWorld, after worldsema
void traceSTWEnd();                          // startTheWorld, after the world runs again
// gcRun, world stopped, after mark termination: the cycle's phases from their start times
// (nanotime). Opens the sweep span, which traceSweepDone closes.
void traceGC(uint32_t n, int64_t sweepTerm, int64_t mark, int64_t markTerm, uint64_t heapBefore, uint64_t marked);
void traceSweepDone();  // sweepone: the last span of the cycle was taken (once per cycle)

// Stacks (morestack.cpp): gp moves to a new segment of newsize bytes.
void traceStackGrow(g* gp, uintptr_t oldsize, uintptr_t newsize);

}  // namespace gol::rt
