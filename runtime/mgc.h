// mgc.h: the garbage collector's interface (Go's mgc.go, mgcmark.go, mgcsweep.go): what the
// allocator, the scheduler and package runtime call, and the state the three files share.
//
//   mgc.cpp       pacing (GOGC), gcStart and its phases, runtime.GC, gctrace, gcstress, the
//                 helper threads that mark in parallel (Go 1.5's helpgc/gchelper); the
//                 tri-colour invariant and the phase list are at its top
//   mgcmark.cpp   roots (data segments, goroutine stacks and saved registers, runtime-held
//                 references), the grey work lists, the precise heap scan
//   mgcsweep.cpp  sweeping (stop-the-world for runtime.GC, lazy and in the background otherwise,
//                 Go's sweepgen protocol), the scavenger
#pragma once
#include <atomic>
#include <cstdint>

#include "mheap.h"
#include "runtime2.h"

namespace gol::rt {

// ---- mgc.cpp: what the rest of the runtime calls ----

// Why a cycle starts (Go's gcTrigger kinds, plus Gol's stress mode).
enum gcTriggerKind : uint8_t {
  gcTriggerHeap,    // the live heap reached the goal GOGC sets
  gcTriggerCycle,   // runtime.GC()
  gcTriggerTime,    // forced: no cycle for forcegcperiod (sysmon)
  gcTriggerStress,  // GODEBUG=gcstress=N: every N-th allocation
};

// mallocgc's check, cheap: gcwant is non-zero when the heap reached its trigger or gcstress
// is on; then mallocgc calls gcAllocCheck (after the allocation, with no lock held).
extern std::atomic<uint32_t> gcwant;
void gcAllocCheck();
// Bytes handed to an mcache (a refilled span's free slots) or to a large object: the heap
// grows by this much (Go's gcController.heapLive). Sets gcwant at the trigger.
void gcHeapLiveAdd(uint64_t bytes);

// Runs a whole cycle if the trigger still holds (heap: the goal was reached since the last
// cycle; cycle/stress/time: always). Must be called on a user goroutine holding a P and no
// runtime lock; returns at once otherwise (the caller tries again at its next chance).
void gcStart(gcTriggerKind kind);
// runtime.GC: a full cycle, blocking, then finishes the sweep, as Go's does.
void GC();
// debug.SetGCPercent: the new GOGC (negative: off); returns the old one.
int32_t setGCPercent(int32_t percent);
// Completed cycles (MemStats.NumGC) and the sum of their stop-the-world pauses.
uint32_t gcNumGC();
uint64_t gcPauseTotalNs();
uint64_t gcLastPauseNs();

// For sysmon (sysmon.cpp), every iteration, from its own M without a P (runtime.h declares
// them too, as sysmon's hooks):
//   gcForceHook(now)   no cycle for 2 minutes (Go's forcegcperiod): the next allocation on a
//                      P starts one (gcTriggerTime). Go injects a parked forcegc goroutine
//                      instead; a program that allocates nothing has nothing to collect.
//   scavengeHook(now)  returns free pages above 1.1 x the goal to the OS, once sweeping is done.
void gcForceHook(int64_t now);
void scavengeHook(int64_t now);
bool gcForceDue(int64_t now);

// ---- the collector's shared state (mgc.cpp owns it) ----

// GODEBUG and GOGC, read once (gcinit) on the first slow-path allocation.
struct gcDebug {
  int32_t gctrace = 0;   // 1: one line per cycle on stderr
  int32_t gcstress = 0;  // N > 0: collect at every N-th allocation (Gol only)
  int32_t gcprocs = 0;   // N > 0: at most N marking threads (Gol only; tests)
};
extern gcDebug gcdebug;

// Phase (Go's gcphase): off, or a cycle in progress (the world is stopped).
enum gcPhase : uint32_t { GCoff = 0, GCmark = 1, GCmarktermination = 2 };
extern std::atomic<uint32_t> gcphase;

// ---- mgcmark.cpp ----

// A grey object and its span: whoever greys an object has just found its span, so the
// scan that follows needs no page-map lookup.
struct greyobj {
  uintptr_t obj;
  mspan* span;
};

// A work buffer of grey objects (Go's workbuf). Workers keep two and trade full and empty
// ones with the global lists (mgcmark.cpp).
constexpr int WorkbufEntries = (4096 - 16) / sizeof(greyobj);
struct workbuf {
  workbuf* next;
  uintptr_t nobj;
  greyobj obj[WorkbufEntries];
};

// A marking worker's state (Go's gcWork): its grey buffers and what it did.
struct gcWork {
  workbuf* wbuf1 = nullptr;
  workbuf* wbuf2 = nullptr;
  uint64_t bytesMarked = 0;  // bytes of objects this worker blackened or greyed
  uint64_t scanned = 0;      // bytes it scanned (roots and heap)
  int64_t cpuNs = 0;         // thread CPU time it spent marking

  // The mark's hot path: one store into wbuf1 unless it is missing or full.
  [[gnu::always_inline]] void put(uintptr_t obj, mspan* s) {
    workbuf* b = wbuf1;
    if (b != nullptr && b->nobj < uintptr_t(WorkbufEntries)) [[likely]] {
      b->obj[b->nobj++] = greyobj{obj, s};
      return;
    }
    putSlow(obj, s);
  }
  [[gnu::noinline]] void putSlow(uintptr_t obj, mspan* s);
  greyobj tryGet();  // {0, null} when both buffers are empty
  void dispose();  // gives every buffer back to the global lists
};

// Set up by gcMarkPrepare (world stopped), used by every worker.
void gcMarkPrepare(g* self, uintptr_t selfsp, const uintptr_t* regs, uintptr_t nregs);
// One worker's share: root jobs, then draining grey objects until the global lists are empty
// and every worker is idle. Runs on the GC's goroutine and on each helper thread.
void gcMarkWorker(gcWork* w);
// Sets nproc, the number of workers gcMarkWorker's termination waits for.
void gcMarkSetWorkers(uint32_t nproc);
// Conservative scan of [lo, hi): any word that points into an allocated heap object greys
// it. Exported for root tables outside mgcmark.cpp.
void scanblock(uintptr_t lo, uintptr_t hi, gcWork* w);
// The heap arenas' address range, read at gcMarkPrepare: a cheap filter for conservative words.
extern uintptr_t gcHeapLo, gcHeapHi;

// ---- mgcsweep.cpp ----

// Sweeps span s, which the caller owns (the world is stopped, or the caller moved its
// sweepgen from sweepgen-2 to sweepgen-1). preserve: s is on no list and the caller keeps
// it (mcentral.cacheSpan); else s goes back to its mcentral's lists or to the heap.
// Returns true if its pages went back to the heap.
bool sweepSpan(mspan* s, bool preserve);
// After mark termination (world stopped): every in-use span needs sweeping; snapshots them.
void gcSweepPrepare();
// Sweeps one unswept span; returns the pages it freed, or -1 when none is left.
intptr_t sweepone();
// Sweeps until npages pages went back to the heap or nothing is left (Go's reclaim): the
// heap calls it before it grows.
void sweepReclaim(uintptr_t npages);
// Sweeps everything left and waits for other sweepers (gcStart, runtime.GC).
void finishsweep();
bool sweepDone();
// The background sweeper's loop, run by a helper thread after each cycle.
void bgsweep();
// Returns free pages to the OS until the heap's committed pages are at most goal bytes.
void scavengeTo(uint64_t goal);

// ---- test hooks (export_test style) ----
namespace testing {
// Marks the current heap with nproc workers, world stopped, and returns the number of
// objects and bytes marked; clears the marks again (no sweep). For comparing parallel and
// single-threaded marking.
struct markCounts {
  uint64_t objects;
  uint64_t bytes;
};
markCounts gcMarkOnly(uint32_t nproc);
}  // namespace testing

}  // namespace gol::rt
