// mcache.cpp: per-P allocation caches (Go's mcache.go).
//
// Each P owns an mcache: for every span class one span to carve objects from, plus the tiny
// allocator's current block. Only the M holding the P touches it, so the allocation fast
// path takes no lock and no atomic read-modify-write. When a span runs out, refill swaps it
// for one with free slots from the class's mcentral.
//
// Where the mcache comes from: Go's procresize calls allocmcache for each new P and
// freemcache for each P it retires. Gol's procresize is being reworked for many Ms, so for
// now getmcache attaches an mcache to a P lazily, on the P's first allocation (allocmcache
// is the same hook procresize will call). An mcache stays with its P when the P goes Pdead,
// and serves it again if a later procresize revives it.
//
// Code that holds no P (m0 before schedinit or between unit tests, threads that are not
// Ms) allocates from mcache0 under mcache0lock: slower, always correct.
#include "mgc.h"
#include "mheap.h"
#include "runtime.h"

namespace gol::rt {

constinit mspan emptymspan;
constinit mcache mcache0;
constinit mutex mcache0lock;

void mcache::refill(spanClass spc) {
  mspan* s = alloc[spc];
  if (s != &emptymspan) {
    GOL_DCHECK(s->allocCount == s->nelems, "mcache.refill: span has free objects");
    mheap_.central[spc].uncacheSpan(s);
  }
  alloc[spc] = &emptymspan;  // in case cacheSpan fails and someone looks
  s = mheap_.central[spc].cacheSpan();
  if (s == nullptr) {
    print("runtime: out of memory: cannot allocate a span of class ", sizeclassOf(spc), "\n");
    gothrow("out of memory");
  }
  alloc[spc] = s;
  gcHeapLiveAdd(uint64_t(s->nelems - s->allocCount) * s->elemsize);  // the heap grows by its free slots
}

void mcache::releaseAll() {
  for (int i = 0; i < NumSpanClasses; i++) {
    mspan* s = alloc[i];
    if (s == &emptymspan) continue;
    mheap_.central[i].uncacheSpan(s);
    alloc[i] = &emptymspan;
  }
  tiny = 0;
  tinyoffset = 0;
}

mcache* allocmcache() {
  rt::lock(&mheap_.lock);
  mcache* c = mheap_.allmcaches;
  while (c != nullptr && !c->dead) c = c->alllink;
  if (c != nullptr) {
    c->dead = false;
  } else {
    c = persistentnew<mcache>();
    c->alllink = mheap_.allmcaches;
    mheap_.allmcaches = c;
    mheap_.metaSys.fetch_add(sizeof(mcache), std::memory_order_relaxed);
  }
  rt::unlock(&mheap_.lock);
  return c;
}

void freemcache(mcache* c) {
  c->releaseAll();
  rt::lock(&mheap_.lock);
  // Keep its counts: they move to the heap's, so the sums readmemstats makes stay the same.
  heapStatsDelta& h = mheap_.stats;
  h.nmalloc.fetch_add(c->stats.nmalloc.exchange(0), std::memory_order_relaxed);
  h.ntiny.fetch_add(c->stats.ntiny.exchange(0), std::memory_order_relaxed);
  h.allocbytes.fetch_add(c->stats.allocbytes.exchange(0), std::memory_order_relaxed);
  h.nfree.fetch_add(c->stats.nfree.exchange(0), std::memory_order_relaxed);
  h.freebytes.fetch_add(c->stats.freebytes.exchange(0), std::memory_order_relaxed);
  c->dead = true;
  rt::unlock(&mheap_.lock);
}

mcache* getmcache() {
  g* gp = getg();
  if (gp == nullptr) return nullptr;
  p* pp = gp->m->p;
  if (pp == nullptr) return nullptr;
  mcache* c = pp->mcache;
  if (c == nullptr) [[unlikely]] {
    c = allocmcache();
    pp->mcache = c;  // only the P's owner reads or writes it
  }
  return c;
}

void forEachMcache(void (*fn)(mcache* c, void* arg), void* arg) {
  rt::lock(&mheap_.lock);
  mcache* list = mheap_.allmcaches;
  rt::unlock(&mheap_.lock);
  fn(&mcache0, arg);
  for (mcache* c = list; c != nullptr; c = c->alllink) {  // the list only grows at its head
    if (!c->dead) fn(c, arg);
  }
}

void flushallmcaches() {
  forEachMcache([](mcache* c, void*) { c->releaseAll(); }, nullptr);
}

}  // namespace gol::rt
