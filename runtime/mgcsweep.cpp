// mgcsweep.cpp: sweeping and scavenging (Go's mgcsweep.go, Go 1.5's sweepgen protocol, and
// mheap.go's scavenger).
//
// Sweeping a span frees its unmarked objects: allocBits := gcmarkBits, a fresh gcmarkBits,
// the counts updated; a span left with no object, or an unmarked large object, goes back to
// the heap. Mark termination does not sweep: it only bumps mheap_.sweepgen by 2, which makes
// every in-use span "unswept", and snapshots them (gcSweepPrepare). Then, with the world
// running again, spans are swept by whoever needs them first:
//
//   - mcentral.cacheSpan sweeps the spans of its class it hands to an mcache (an mcache never
//     holds an unswept span), and mheap.alloc sweeps spans until it has reclaimed as many
//     pages as it is asked for before it would take new ones (sweepReclaim), so the heap
//     does not grow while garbage is waiting;
//   - a helper thread sweeps the rest in the background (bgsweep), then returns free pages
//     beyond the next cycle's needs to the OS (scavengeTo);
//   - the next gcStart finishes whatever is left before it stops the world (sweepone until
//     none; finishsweep once stopped, for spans other goroutines were still sweeping), and
//     runtime.GC does before it returns, as Go's does.
//
// The sweepgen protocol (Go 1.5), with sg = mheap_.sweepgen, which grows by 2 per cycle:
//   s.sweepgen == sg - 2   the span needs sweeping
//   s.sweepgen == sg - 1   the span is being swept (whoever CASed it from sg - 2 owns it)
//   s.sweepgen == sg       the span is swept and ready to use
// Spans made during the sweep phase start at sg. The sweeper of a span on an mcentral list
// publishes sg under that mcentral's lock (mcentral.freeSpan), when the span is on the list it
// belongs on, so cacheSpan never takes a span half-moved.
#include <sched.h>

#include <algorithm>
#include <cstring>

#include "mgc.h"
#include "runtime.h"
#include "trace.h"

namespace gol::rt {

namespace {

// The spans to sweep in this cycle: a snapshot of the in-use spans at mark termination
// (mheap_.allspans may be reallocated while the world runs, so it is not read then).
struct {
  mspan** spans = nullptr;
  uint32_t n = 0;
  uint32_t cap = 0;
  std::atomic<uint32_t> next{0};    // the next index to look at
  std::atomic<int32_t> active{0};   // sweepers inside sweepone
  std::atomic<bool> done{true};     // every span of the snapshot is swept
} sweep;

inline uint32_t heapSweepgen() { return std::atomic_ref<uint32_t>(mheap_.sweepgen).load(std::memory_order_acquire); }
inline std::atomic_ref<uint32_t> spanSweepgen(mspan* s) { return std::atomic_ref<uint32_t>(s->sweepgen); }

void countFreed(uint64_t n, uint64_t bytes) {
  mheap_.stats.nfree.fetch_add(n, std::memory_order_relaxed);
  mheap_.stats.freebytes.fetch_add(bytes, std::memory_order_relaxed);
}

}  // namespace

bool sweepSpan(mspan* s, bool preserve) {
  GOL_ASSERT(s->state.load(std::memory_order_relaxed) == MSpanInUse, "sweep: span not in use");
  uint32_t sg = heapSweepgen();
  if (s->sizeclass() == 0) {
    spanSweepgen(s).store(sg, std::memory_order_release);
    if (s->isMarked(0)) {
      s->gcmarkBits[0] = 0;
      return false;
    }
    countFreed(1, s->elemsize);
    mheap_.freeSpan(s);
    return true;
  }
  bool wasfull = s->allocCount == s->nelems;
  uintptr_t nalloc = s->countAlloc();
  uintptr_t nfreed = s->allocCount > nalloc ? s->allocCount - nalloc : 0;
  // allocBits := gcmarkBits; the old allocBits become the next cycle's (cleared) mark bits.
  std::swap(s->allocBits, s->gcmarkBits);
  std::memset(s->gcmarkBits, 0, MaxObjsPerSpan / 8);
  s->allocCount = uint16_t(nalloc);
  s->freeindex = 0;
  s->refillAllocCache(0);
  if (nfreed > 0) {
    s->needzero = true;  // freed slots hold old data
    countFreed(nfreed, nfreed * s->elemsize);
  }
  if (preserve) {
    spanSweepgen(s).store(sg, std::memory_order_release);
    return false;
  }
  return mheap_.central[s->spanclass].freeSpan(s, wasfull);
}

// The allocator's old entry point (tests): sweep s now, world quiet, mcaches flushed.
bool sweepspan(mspan* s) { return sweepSpan(s, false); }

void gcSweepPrepare() {
  lock(&mheap_.lock);
  if (sweep.cap < mheap_.nallspans) {
    sweep.cap = uint32_t(mheap_.allspanscap);
    sweep.spans = static_cast<mspan**>(persistentalloc(sizeof(mspan*) * sweep.cap, 64));  // old one leaked
  }
  // Every span struct, free and dead ones included: reading each one's state here would cost
  // a cache miss per span inside the pause (a millisecond at 200 MB); sweepone skips those
  // not in use, and one allocated later starts swept (sweepgen == sg, set before its state
  // is published), so the sweeper's CAS from sg-2 fails on it.
  uint32_t n = uint32_t(mheap_.nallspans);
  std::memcpy(sweep.spans, mheap_.allspans, sizeof(mspan*) * n);
  unlock(&mheap_.lock);
  sweep.n = n;
  sweep.next.store(0);
  sweep.done.store(n == 0);
}

intptr_t sweepone() {
  if (sweep.done.load(std::memory_order_acquire)) return -1;
  sweep.active.fetch_add(1);
  uint32_t sg = heapSweepgen();
  intptr_t result = -1;
  for (;;) {
    uint32_t i = sweep.next.fetch_add(1);
    if (i >= sweep.n) {
      sweep.done.store(true, std::memory_order_release);
      if (traceEnabled) [[unlikely]] traceSweepDone();
      break;
    }
    mspan* s = sweep.spans[i];
    if (s->state.load(std::memory_order_acquire) != MSpanInUse) continue;
    uint32_t old = sg - 2;
    if (!spanSweepgen(s).compare_exchange_strong(old, sg - 1)) continue;
    uintptr_t npages = s->npages;
    result = sweepSpan(s, false) ? intptr_t(npages) : 0;
    break;
  }
  sweep.active.fetch_sub(1);
  return result;
}

bool sweepDone() { return sweep.done.load(std::memory_order_acquire); }

void sweepReclaim(uintptr_t npages) {
  uintptr_t freed = 0;
  while (freed < npages) {
    intptr_t n = sweepone();
    if (n < 0) return;
    freed += uintptr_t(n);
  }
}

void finishsweep() {
  while (sweepone() >= 0) {
  }
  // Someone else may still be inside sweepone with a span: wait for it.
  while (sweep.active.load() != 0) sched_yield();
}

void bgsweep() {
  for (int n = 1; sweepone() >= 0; n++) {
    if (n % 64 == 0) sched_yield();  // the mutators come first (Go's bgsweep Goscheds)
  }
}

void scavengeTo(uint64_t goal) {
  uint64_t sys = mheap_.heapSys.load(std::memory_order_relaxed);
  uint64_t released = mheap_.heapReleased.load(std::memory_order_relaxed);
  uint64_t inuse = mheap_.pagesInUse.load(std::memory_order_relaxed) * PageSize;
  if (sys - released <= goal || sys - released <= inuse) return;
  uint64_t want = std::min(sys - released - goal, sys - released - inuse);
  mheap_.scavenge(uintptr_t(want));
}

}  // namespace gol::rt
