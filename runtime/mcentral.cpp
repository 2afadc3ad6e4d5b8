// mcentral.cpp: the central free lists, one per span class (Go's mcentral.go), and the
// sweep of one span, which the collector's mgcsweep.cpp will call.
//
// An mcentral holds the spans of its class that no mcache holds: `partial` (at least one
// free slot) and `full` (none). An mcache that ran out of slots hands its span back
// (uncacheSpan: it lands on full, since the mcache used it up) and takes a partial one
// (cacheSpan), or a fresh span from the heap when there is none. A span held by an mcache is
// on no list: its owner allocates from it without any lock.
//
// Without a collector, spans only ever move partial → mcache → full. Sweeping is what
// moves them back: sweepspan frees the unmarked objects of a full span, which makes it
// partial again, or returns it to the heap when nothing in it survived.
#include <algorithm>
#include <cstring>

#include "mheap.h"
#include "runtime.h"

namespace gol::rt {

mspan* mcentral::cacheSpan() {
  rt::lock(&lock);
  mspan* s = partial.first;
  if (s != nullptr) partial.remove(s);
  rt::unlock(&lock);
  if (s == nullptr) s = grow();  // without our lock: the heap lock is taken below it
  if (s == nullptr) return nullptr;
  GOL_DCHECK(s->allocCount < s->nelems, "mcentral.cacheSpan: span has no free object");
  return s;
}

void mcentral::uncacheSpan(mspan* s) {
  GOL_ASSERT(s->spanclass == spanclass && s->list == nullptr, "mcentral.uncacheSpan: wrong span");
  rt::lock(&lock);
  if (s->allocCount < s->nelems) {
    partial.insert(s);
  } else {
    full.insert(s);
  }
  rt::unlock(&lock);
}

mspan* mcentral::grow() {
  uint8_t sc = sizeclassOf(spanclass);
  return mheap_.alloc(sizeclasses.npages[sc], spanclass);
}

bool mcentral::freeSpan(mspan* s, bool wasfull) {
  rt::lock(&lock);
  GOL_ASSERT(s->list == &partial || s->list == &full, "mcentral.freeSpan: span is cached or not ours");
  if (s->allocCount == 0) {
    s->list->remove(s);
    rt::unlock(&lock);
    mheap_.freeSpan(s);
    return true;
  }
  if (wasfull && s->allocCount < s->nelems) {
    full.remove(s);
    partial.insert(s);
  }
  rt::unlock(&lock);
  return false;
}

// The collector's sweep of one span (Go's mspan.sweep without finalizers and specials).
// Precondition: the world is stopped and flushallmcaches ran, so no mcache holds s.
bool sweepspan(mspan* s) {
  GOL_ASSERT(s->state.load(std::memory_order_relaxed) == MSpanInUse, "sweepspan: span not in use");
  if (s->sizeclass() == 0) {
    if (s->isMarked(0)) {
      s->gcmarkBits[0] = 0;
      s->sweepgen = mheap_.sweepgen;
      return false;
    }
    mheap_.stats.nfree.fetch_add(1, std::memory_order_relaxed);
    mheap_.stats.freebytes.fetch_add(s->elemsize, std::memory_order_relaxed);
    mheap_.freeSpan(s);
    return true;
  }
  GOL_ASSERT(s->list != nullptr, "sweepspan: span is cached by an mcache (flush them first)");
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
    mheap_.stats.nfree.fetch_add(nfreed, std::memory_order_relaxed);
    mheap_.stats.freebytes.fetch_add(nfreed * s->elemsize, std::memory_order_relaxed);
  }
  s->sweepgen = mheap_.sweepgen;
  return mheap_.central[s->spanclass].freeSpan(s, wasfull);
}

}  // namespace gol::rt
