// mcentral.cpp: the central free lists, one per span class (Go's mcentral.go).
//
// An mcentral holds the spans of its class that no mcache holds: `partial` (at least one
// free slot) and `full` (none). An mcache that ran out of slots hands its span back
// (uncacheSpan: it lands on full, since the mcache used it up) and takes a partial one
// (cacheSpan), or a fresh span from the heap when there is none. A span held by an mcache is
// on no list: its owner allocates from it without any lock.
//
// Spans move partial → mcache → full as they fill. Sweeping (mgcsweep.cpp) moves them back:
// it frees the unmarked objects of a full span, which makes it partial again, or returns it to
// the heap when nothing in it survived. After a collection, spans on both lists may be
// unswept: cacheSpan sweeps the ones it takes (Go 1.5's sweepgen protocol).
#include <algorithm>
#include <cstring>

#include "mgc.h"
#include "mheap.h"
#include "runtime.h"

namespace gol::rt {

// Go 1.5's cacheSpan: a span with a free slot, swept. Spans on the lists may still be unswept
// after a collection (mgcsweep.cpp): claim one by CAS on its sweepgen and sweep it here.
mspan* mcentral::cacheSpan() {
  uint32_t sg = std::atomic_ref<uint32_t>(mheap_.sweepgen).load(std::memory_order_acquire);
  rt::lock(&lock);
  mspan* s = partial.first;
  while (s != nullptr) {
    std::atomic_ref<uint32_t> ssg(s->sweepgen);
    uint32_t old = sg - 2;
    if (ssg.load(std::memory_order_acquire) == sg - 2 && ssg.compare_exchange_strong(old, sg - 1)) {
      partial.remove(s);
      rt::unlock(&lock);
      sweepSpan(s, true);  // keeps it: it had a free slot before, it has at least that now
      return s;
    }
    if (ssg.load(std::memory_order_acquire) == sg - 1) {  // the background sweeper has it
      s = s->next;
      continue;
    }
    partial.remove(s);  // swept
    rt::unlock(&lock);
    GOL_DCHECK(s->allocCount < s->nelems, "mcentral.cacheSpan: span has no free object");
    return s;
  }
  // Unswept full spans are at the front of `full`, swept ones at the back (uncacheSpan and
  // the sweepers put them there), so the first swept one ends the search (Go 1.5's rule;
  // without it every call would walk every live full span: quadratic).
  for (s = full.first; s != nullptr;) {
    std::atomic_ref<uint32_t> ssg(s->sweepgen);
    uint32_t old = sg - 2;
    if (ssg.load(std::memory_order_acquire) == sg - 1) {  // being swept
      s = s->next;
      continue;
    }
    if (ssg.load(std::memory_order_acquire) != sg - 2) break;  // swept: so is the rest
    if (!ssg.compare_exchange_strong(old, sg - 1)) continue;    // lost a race: look again
    full.remove(s);
    rt::unlock(&lock);
    sweepSpan(s, true);
    if (s->allocCount < s->nelems) return s;
    rt::lock(&lock);
    full.insertBack(s);  // swept and still full
    s = full.first;
  }
  rt::unlock(&lock);
  s = grow();  // without our lock: the heap lock is taken below it
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
    full.insertBack(s);  // swept: at the back (see cacheSpan)
  }
  rt::unlock(&lock);
}

mspan* mcentral::grow() {
  uint8_t sc = sizeclassOf(spanclass);
  return mheap_.alloc(sizeclasses.npages[sc], spanclass);
}

bool mcentral::freeSpan(mspan* s, bool wasfull) {
  uint32_t sg = std::atomic_ref<uint32_t>(mheap_.sweepgen).load(std::memory_order_acquire);
  rt::lock(&lock);
  GOL_ASSERT(s->list == &partial || s->list == &full, "mcentral.freeSpan: span is cached or not ours");
  // Swept from here on: cacheSpan may take it as soon as we unlock (mgcsweep.cpp).
  std::atomic_ref<uint32_t>(s->sweepgen).store(sg, std::memory_order_release);
  if (s->allocCount == 0) {
    s->list->remove(s);
    rt::unlock(&lock);
    mheap_.freeSpan(s);
    return true;
  }
  if (wasfull && s->allocCount < s->nelems) {
    full.remove(s);
    partial.insert(s);
  } else if (wasfull) {
    full.remove(s);
    full.insertBack(s);  // swept and still full: at the back (see cacheSpan)
  }
  rt::unlock(&lock);
  return false;
}

}  // namespace gol::rt
