// mheap.cpp: the page heap (Go's mheap.go, as of Go 1.5 in shape, with Go 1.11's arenas).
//
// The heap is made of arenas: 64 MiB of address space each, reserved with one mmap (read/
// write, MAP_NORESERVE: the OS commits a page when it is first touched), at 0xc000000000
// and up when the kernel agrees. An arena is cut into 8 KiB pages, and pages are handed out
// in runs called spans (struct mspan, mheap.h). A span either holds objects (MSpanInUse:
// many small objects of one size class, or one large object) or is free (MSpanFree).
//
// Free spans sit in free[n] (exactly n pages, n < 128) or freelarge (bigger), under
// mheap.lock. alloc takes the first span in free[n], free[n+1], ..., else the best fit in
// freelarge (smallest, then lowest address: Go 1.5's rule, which keeps the heap compact),
// splits off what it does not need, and grows the heap by whole arenas when nothing fits.
// freeSpan merges the span with free neighbours at once (coalescing), so free runs are
// always maximal.
//
// The page map answers "which span holds address p" in O(1) for any p, which is what a
// conservative stack scan needs for every word it reads: arenas[p >> 26] is the arena's
// metadata (heapArena), and its spans[page] is the span. Every page of an in-use span maps
// to it; a free span keeps only its first and last page mapped (all coalescing needs);
// other entries may be stale, so spanOf checks the span's state and bounds.
//
// Pages return to the OS through scavenge (madvise MADV_DONTNEED) on whole free spans.
// A span remembers whether its pages may hold old data (needzero: fresh or scavenged pages
// read as zero, so mallocgc need not clear them) and whether they are all returned to the
// OS (scavenged), which the HeapReleased statistic counts. Merging a scavenged span with
// a used one gives a span counted as used and dirty: pessimistic, never wrong about
// zeroes; and each arena's zeroedBase (Go's) keeps pages never handed out from being
// cleared for nothing when they are carved from such a merged span.
//
// Rejected: one mmap per span (vm.max_map_count allows about 65k mappings, and a syscall per
// span is slow); a radix tree of free pages (Go 1.14's page allocator): faster for huge
// heaps, ten times the code.
#include "mheap.h"

#include "mgc.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>

#include "runtime.h"

namespace gol::rt {

mheap mheap_;

namespace {

// The arena index (ArenaIndexLen entries), reserved on first growth. Published with a
// release store; read without locks.
std::atomic<std::atomic<heapArena*>*> arenas{nullptr};

// Guards the arena index's creation and the hint (shared by every mheap: tests make their
// own). Taken inside mheap.lock.
mutex arenaslock;
// ThreadSanitizer builds let the kernel place the arenas: TSan refuses mappings outside the
// address ranges its shadow memory covers, which 0xc000000000 is not.
#if defined(__SANITIZE_THREAD__)
uintptr_t arenaHint = 0;
#else
uintptr_t arenaHint = ArenaBaseHint;
#endif

inline uintptr_t pageIndex(uintptr_t addr) { return (addr >> PageShift) & (PagesPerArena - 1); }

inline void setSpan(uintptr_t addr, mspan* s) {
  arenaOf(addr)->spans[pageIndex(addr)].store(s, std::memory_order_release);
}

// Maps every page of s to s.
void setSpans(mspan* s) {
  for (uintptr_t i = 0; i < s->npages; i++) setSpan(s->startAddr + i * PageSize, s);
}

// Maps the first and last page of a free span to it.
void setSpanEnds(mspan* s) {
  setSpan(s->startAddr, s);
  setSpan(s->startAddr + (s->npages - 1) * PageSize, s);
}

// Reserves arenas for ask bytes (a multiple of HeapArenaBytes) and publishes their
// metadata with owner h. Returns the base address, or 0 when out of address space.
uintptr_t reserveArenas(mheap* h, uintptr_t ask) {
  lock(&arenaslock);
  if (arenas.load(std::memory_order_relaxed) == nullptr) {
    auto* index = static_cast<std::atomic<heapArena*>*>(sysReserve(ArenaIndexLen * sizeof(void*)));
    arenas.store(index, std::memory_order_release);
  }
  void* v = sysReserveAligned(arenaHint, ask, HeapArenaBytes);
  if (v == nullptr) {
    unlock(&arenaslock);
    return 0;
  }
  uintptr_t base = reinterpret_cast<uintptr_t>(v);
  GOL_ASSERT((base >> HeapAddrBits) == 0, "mheap: arena beyond the address space the page map covers");
  arenaHint = base + ask;  // the next arena goes right after: neighbours coalesce
  std::atomic<heapArena*>* index = arenas.load(std::memory_order_relaxed);
  for (uintptr_t a = base; a < base + ask; a += HeapArenaBytes) {
    auto* ha = static_cast<heapArena*>(sysReserve(sizeof(heapArena)));
    ha->owner = h;
    index[a >> LogHeapArenaBytes].store(ha, std::memory_order_release);
  }
  unlock(&arenaslock);
  h->arenaLo = h->arenaHi == 0 ? base : std::min(h->arenaLo, base);
  h->arenaHi = std::max(h->arenaHi, base + ask);
  h->metaSys.fetch_add(ask / HeapArenaBytes * sizeof(heapArena), std::memory_order_relaxed);
  return base;
}

// Sets n bits of b from bit w on (set) or off.
void setBitRange(uint64_t* b, uintptr_t w, uintptr_t n, bool set) {
  while (n > 0) {
    uintptr_t bit = w % 64;
    uintptr_t k = n < 64 - bit ? n : 64 - bit;
    uint64_t mask = (k == 64 ? ~uint64_t(0) : ((uint64_t(1) << k) - 1)) << bit;
    if (set) {
      b[w / 64] |= mask;
    } else {
      b[w / 64] &= ~mask;
    }
    w += k;
    n -= k;
  }
}

// Sets the pointer bits of nwords words from addr, which may cross arenas.
void heapBitsRange(uintptr_t addr, uintptr_t nwords, bool set) {
  while (nwords > 0) {
    heapArena* ha = arenaOf(addr);
    uintptr_t w = (addr & (HeapArenaBytes - 1)) / 8;
    uintptr_t n = nwords < HeapArenaWords - w ? nwords : HeapArenaWords - w;
    setBitRange(ha->ptrbits, w, n, set);
    addr += n * 8;
    nwords -= n;
  }
}

// Prepares a span fresh from allocSpanLocked to hold objects of class spc.
void initSpan(mheap* h, mspan* s, spanClass spc) {
  uint8_t sc = sizeclassOf(spc);
  s->spanclass = spc;
  s->list = nullptr;
  std::memset(s->bits0, 0, sizeof s->bits0);
  std::memset(s->bits1, 0, sizeof s->bits1);
  s->allocBits = s->bits0;
  s->gcmarkBits = s->bits1;
  if (sc == 0) {
    // A large object: born allocated (one object, index 0).
    s->elemsize = s->npages * PageSize;
    s->nelems = 1;
    s->divMul = 0;
    s->freeindex = 1;
    s->allocCount = 1;
    s->allocCache = 0;
  } else {
    s->elemsize = sizeclasses.size[sc];
    s->nelems = sizeclasses.nelems[sc];
    s->divMul = sizeclasses.divMul[sc];
    s->freeindex = 0;
    s->allocCount = 0;
    s->allocCache = ~uint64_t(0);
  }
  s->limit = s->startAddr + uintptr_t(s->nelems) * s->elemsize;
  std::atomic_ref<uint32_t>(s->sweepgen).store(h->sweepgen, std::memory_order_relaxed);  // swept
  s->state.store(MSpanInUse, std::memory_order_release);
  setSpans(s);  // after the fields: a lock-free spanOf that finds s sees them
}

}  // namespace

// ---- mSpanList ----

void mSpanList::insert(mspan* s) {
  GOL_ASSERT(s->next == nullptr && s->prev == nullptr && s->list == nullptr, "mSpanList.insert: span already on a list");
  s->next = first;
  if (first != nullptr) {
    first->prev = s;
  } else {
    last = s;
  }
  first = s;
  s->list = this;
}

void mSpanList::insertBack(mspan* s) {
  GOL_ASSERT(s->next == nullptr && s->prev == nullptr && s->list == nullptr, "mSpanList.insertBack: span already on a list");
  s->prev = last;
  if (last != nullptr) {
    last->next = s;
  } else {
    first = s;
  }
  last = s;
  s->list = this;
}

void mSpanList::remove(mspan* s) {
  GOL_ASSERT(s->list == this, "mSpanList.remove: span not on this list");
  if (s->prev != nullptr) {
    s->prev->next = s->next;
  } else {
    first = s->next;
  }
  if (s->next != nullptr) {
    s->next->prev = s->prev;
  } else {
    last = s->prev;
  }
  s->next = s->prev = nullptr;
  s->list = nullptr;
}

// ---- mspan allocation bits ----

// Loads the 64 allocation bits from byte whichByte on, complemented (1 = free), into
// allocCache.
void mspan::refillAllocCache(uintptr_t whichByte) {
  uint64_t bits;
  std::memcpy(&bits, allocBits + whichByte, 8);
  if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap64(bits);
  allocCache = ~bits;
}

// Returns the index of the first free object at or after freeindex, or nelems if there is
// none, and moves freeindex just past it (Go's nextFreeIndex).
uintptr_t mspan::nextFreeIndex() {
  uintptr_t sfreeindex = freeindex;
  uintptr_t snelems = nelems;
  if (sfreeindex == snelems) return sfreeindex;
  uintptr_t bitIndex = uintptr_t(std::countr_zero(allocCache));
  while (bitIndex == 64) {
    // No free bit in this window: move to the next 64 objects.
    sfreeindex = (sfreeindex + 64) & ~uintptr_t(63);
    if (sfreeindex >= snelems) {
      freeindex = uint16_t(snelems);
      return snelems;
    }
    refillAllocCache(sfreeindex / 8);
    bitIndex = uintptr_t(std::countr_zero(allocCache));
  }
  uintptr_t result = sfreeindex + bitIndex;
  if (result >= snelems) {
    freeindex = uint16_t(snelems);
    return snelems;
  }
  allocCache = (allocCache >> bitIndex) >> 1;  // two shifts: bitIndex + 1 may be 64
  sfreeindex = result + 1;
  if (sfreeindex % 64 == 0 && sfreeindex != snelems) refillAllocCache(sfreeindex / 8);
  freeindex = uint16_t(sfreeindex);
  return result;
}

uintptr_t mspan::countAlloc() const {
  uintptr_t n = 0;
  for (uintptr_t i = 0; i < (uintptr_t(nelems) + 63) / 64; i++) {
    uint64_t w;
    std::memcpy(&w, gcmarkBits + i * 8, 8);
    if (i == uintptr_t(nelems) / 64) w &= (uint64_t(1) << (nelems % 64)) - 1;  // bits past nelems
    n += uintptr_t(std::popcount(w));
  }
  return n;
}

// ---- the page map ----

heapArena* arenaOf(uintptr_t addr) {
  if ((addr >> HeapAddrBits) != 0) return nullptr;
  std::atomic<heapArena*>* index = arenas.load(std::memory_order_acquire);
  if (index == nullptr) return nullptr;
  return index[addr >> LogHeapArenaBytes].load(std::memory_order_acquire);
}

std::atomic<heapArena*>* arenaIndex() { return arenas.load(std::memory_order_acquire); }

mspan* spanOfUnchecked(uintptr_t addr) {
  heapArena* ha = arenaOf(addr);
  if (ha == nullptr) return nullptr;
  return ha->spans[pageIndex(addr)].load(std::memory_order_acquire);
}

mspan* spanOf(uintptr_t addr) {
  mspan* s = spanOfUnchecked(addr);
  if (s == nullptr || s->state.load(std::memory_order_acquire) != MSpanInUse) return nullptr;
  if (addr < s->startAddr || addr >= s->limit) return nullptr;  // stale entry, or tail waste
  return s;
}

uintptr_t findObject(uintptr_t addr, mspan** sp, uintptr_t* idxp) {
  mspan* s = spanOf(addr);
  if (s == nullptr) return 0;
  uintptr_t idx = s->objIndex(addr);
  if (sp != nullptr) *sp = s;
  if (idxp != nullptr) *idxp = idx;
  return s->startAddr + idx * s->elemsize;
}

// ---- the heap pointer bitmap ----

bool heapBitIsPointer(uintptr_t addr) {
  heapArena* ha = arenaOf(addr);
  if (ha == nullptr) return false;
  uintptr_t w = (addr & (HeapArenaBytes - 1)) / 8;
  return (ha->ptrbits[w / 64] >> (w % 64)) & 1;
}

// Only the owner of x's span writes these bits (spans are page-aligned and a bitmap word
// covers 512 bytes, so no word is shared between spans): no atomics needed.
void heapBitsSetType(uintptr_t x, uintptr_t size, uintptr_t dataSize, const gol_type* typ) {
  uintptr_t nwords = size / 8;
  uintptr_t ptrwords = typ != nullptr ? uintptr_t(typ->ptrdata) / 8 : 0;
  uintptr_t elem = typ != nullptr ? uintptr_t(typ->size) : 0;
  if ((x >> LogHeapArenaBytes) != ((x + size - 1) >> LogHeapArenaBytes)) {
    // Crosses arenas (a large object, or a span across two coalesced arenas): bit by bit.
    heapBitsRange(x, nwords, typ == nullptr);
    for (uintptr_t off = 0; ptrwords != 0 && off + elem <= dataSize; off += elem) {
      for (uintptr_t i = 0; i < ptrwords; i++) {
        if ((typ->gcdata[i / 8] >> (i % 8)) & 1) heapBitsRange(x + off + i * 8, 1, true);
      }
    }
    return;
  }
  uint64_t* b = arenaOf(x)->ptrbits;
  uintptr_t w0 = (x & (HeapArenaBytes - 1)) / 8;
  setBitRange(b, w0, nwords, typ == nullptr);  // no type: every word may be a pointer
  for (uintptr_t off = 0; ptrwords != 0 && off + elem <= dataSize; off += elem) {
    uintptr_t w = w0 + off / 8;
    for (uintptr_t i = 0; i < ptrwords; i++, w++) {
      if ((typ->gcdata[i / 8] >> (i % 8)) & 1) b[w / 64] |= uint64_t(1) << (w % 64);
    }
  }
}

// ---- mspan structs (Go's fixalloc for spans) ----

mspan* mheap::allocMSpanLocked() {
  mspan* s = spanfree;
  if (s != nullptr) {
    spanfree = s->next;
  } else {
    s = new (persistentalloc(sizeof(mspan), alignof(mspan))) mspan();
    metaSys.fetch_add(sizeof(mspan), std::memory_order_relaxed);
    if (nallspans == allspanscap) {
      allspanscap = allspanscap == 0 ? 256 : 2 * allspanscap;
      allspans = static_cast<mspan**>(std::realloc(allspans, allspanscap * sizeof(mspan*)));
      GOL_ASSERT(allspans != nullptr, "mheap: out of memory for allspans");
    }
    allspans[nallspans++] = s;
  }
  s->next = s->prev = nullptr;
  s->list = nullptr;
  s->startAddr = s->npages = s->limit = s->elemsize = 0;
  s->nelems = 0;
  s->spanclass = 0;
  s->needzero = s->scavenged = false;
  s->state.store(MSpanDead, std::memory_order_relaxed);
  return s;
}

void mheap::freeMSpanLocked(mspan* s) {
  s->state.store(MSpanDead, std::memory_order_release);
  s->prev = nullptr;
  s->list = nullptr;
  s->next = spanfree;
  spanfree = s;
}

// ---- free lists ----

void mheap::insertFreeLocked(mspan* s) {
  if (s->npages < MaxMHeapList) {
    free[s->npages].insert(s);
  } else {
    freelarge.insert(s);
  }
}

void mheap::removeFreeLocked(mspan* s) {
  if (s->npages < MaxMHeapList) {
    free[s->npages].remove(s);
  } else {
    freelarge.remove(s);
  }
}

namespace {

// Best fit in a list: the smallest span with at least npages pages, lowest address first.
mspan* bestFit(mSpanList& list, uintptr_t npages) {
  mspan* best = nullptr;
  for (mspan* s = list.first; s != nullptr; s = s->next) {
    if (s->npages < npages) continue;
    if (best == nullptr || s->npages < best->npages || (s->npages == best->npages && s->startAddr < best->startAddr)) {
      best = s;
    }
  }
  return best;
}

}  // namespace

// Takes npages pages off the free lists (growing the heap if needed) and returns them as a
// span that is still MSpanFree; the caller initialises it. Null when out of memory.
mspan* mheap::allocSpanLocked(uintptr_t npages) {
  mspan* s = nullptr;
  for (;;) {
    for (uintptr_t i = npages; i < MaxMHeapList && s == nullptr; i++) s = free[i].first;
    if (s == nullptr) s = bestFit(freelarge, npages);
    if (s != nullptr) break;
    if (!grow(npages)) return nullptr;
  }
  GOL_ASSERT(s->state.load(std::memory_order_relaxed) == MSpanFree && s->npages >= npages, "mheap: bad free span");
  removeFreeLocked(s);
  if (s->scavenged) heapReleased.fetch_sub(npages * PageSize, std::memory_order_relaxed);
  if (s->npages > npages) {
    // Split: the tail stays free, with the same zero and release state.
    mspan* t = allocMSpanLocked();
    t->startAddr = s->startAddr + npages * PageSize;
    t->npages = s->npages - npages;
    t->needzero = s->needzero;
    t->scavenged = s->scavenged;
    t->state.store(MSpanFree, std::memory_order_release);
    setSpanEnds(t);
    insertFreeLocked(t);
    s->npages = npages;
  }
  s->scavenged = false;
  bool handedOutBefore = allocNeedsZero(s->startAddr, npages);
  s->needzero = s->needzero && handedOutBefore;
  return s;
}

// Reports whether any page of [base, base+npages pages) was handed out before, and records
// that all of them now are. Pages never handed out are zero whatever the free span they sat
// in says (merging marks a whole free span dirty when part of it was).
bool mheap::allocNeedsZero(uintptr_t base, uintptr_t npages) {
  bool before = false;
  uintptr_t end = base + npages * PageSize;
  for (uintptr_t p = base; p < end;) {
    heapArena* ha = arenaOf(p);
    uintptr_t arenaBase = p & ~(HeapArenaBytes - 1);
    uintptr_t limit = end - arenaBase < HeapArenaBytes ? end - arenaBase : HeapArenaBytes;
    if (p - arenaBase < ha->zeroedBase) before = true;
    if (limit > ha->zeroedBase) ha->zeroedBase = limit;
    p = arenaBase + limit;
  }
  return before;
}

// Adds at least npages pages to the heap, as whole arenas, as one free span.
bool mheap::grow(uintptr_t npages) {
  uintptr_t ask = (npages * PageSize + HeapArenaBytes - 1) & ~(HeapArenaBytes - 1);
  uintptr_t base = reserveArenas(this, ask);
  if (base == 0) return false;
  heapSys.fetch_add(ask, std::memory_order_relaxed);
  heapReleased.fetch_add(ask, std::memory_order_relaxed);  // never touched: not committed
  mspan* s = allocMSpanLocked();
  s->startAddr = base;
  s->npages = ask / PageSize;
  s->scavenged = true;
  s->needzero = false;
  freeSpanLocked(s);
  return true;
}

mspan* mheap::alloc(uintptr_t npages, spanClass spc) {
  // After a collection, sweep as many pages back as we take (Go's reclaim), so the heap does
  // not grow while garbage waits to be swept.
  if (this == &mheap_ && !sweepDone()) sweepReclaim(npages);
  rt::lock(&lock);
  mspan* s = allocSpanLocked(npages);
  if (s != nullptr) {
    initSpan(this, s, spc);
    pagesInUse.fetch_add(npages, std::memory_order_relaxed);
  }
  rt::unlock(&lock);
  return s;
}

void mheap::freeSpan(mspan* s) {
  rt::lock(&lock);
  GOL_ASSERT(s->state.load(std::memory_order_relaxed) == MSpanInUse && s->list == nullptr,
             "mheap.freeSpan: span not in use or still on a list", " span=", s, " base=", reinterpret_cast<void*>(s->startAddr));
  pagesInUse.fetch_sub(s->npages, std::memory_order_relaxed);
  s->needzero = true;  // its objects wrote to the pages
  s->scavenged = false;
  freeSpanLocked(s);
  rt::unlock(&lock);
}

namespace {

// s absorbs its free neighbour t: the merged span needs zeroing if either did, and counts
// as released only if both were (released pages of a merge with used ones count as used).
void mergeState(mheap* h, mspan* s, mspan* t) {
  if (s->scavenged != t->scavenged) {
    mspan* rel = s->scavenged ? s : t;
    h->heapReleased.fetch_sub(rel->npages * PageSize, std::memory_order_relaxed);
  }
  s->scavenged = s->scavenged && t->scavenged;
  s->needzero = s->needzero || t->needzero;
}

}  // namespace

// Makes s (in use, or fresh from grow) a free span, merged with free neighbours of the same
// heap, on its free list.
void mheap::freeSpanLocked(mspan* s) {
  s->state.store(MSpanFree, std::memory_order_release);
  heapArena* ha = arenaOf(s->startAddr - 1);
  if (mspan* before = ha != nullptr && ha->owner == this ? spanOfUnchecked(s->startAddr - 1) : nullptr;
      before != nullptr && before->state.load(std::memory_order_relaxed) == MSpanFree) {
    GOL_ASSERT(before->startAddr + before->npages * PageSize == s->startAddr, "mheap: free span map is inconsistent");
    removeFreeLocked(before);
    mergeState(this, s, before);
    s->startAddr = before->startAddr;
    s->npages += before->npages;
    freeMSpanLocked(before);
  }
  uintptr_t end = s->startAddr + s->npages * PageSize;
  ha = arenaOf(end);
  if (mspan* after = ha != nullptr && ha->owner == this ? spanOfUnchecked(end) : nullptr;
      after != nullptr && after->state.load(std::memory_order_relaxed) == MSpanFree) {
    GOL_ASSERT(after->startAddr == end, "mheap: free span map is inconsistent");
    removeFreeLocked(after);
    mergeState(this, s, after);
    s->npages += after->npages;
    freeMSpanLocked(after);
  }
  setSpanEnds(s);
  insertFreeLocked(s);
}

// ---- returning memory to the OS ----

uintptr_t mheap::scavenge(uintptr_t bytes) {
  uintptr_t released = 0;
  auto scav = [&](mSpanList& list) {
    for (mspan* s = list.first; s != nullptr && released < bytes; s = s->next) {
      if (s->scavenged) continue;
      uintptr_t n = s->npages * PageSize;
      sysUnused(reinterpret_cast<void*>(s->startAddr), n);
      s->scavenged = true;
      s->needzero = false;  // MADV_DONTNEED pages read as zero
      released += n;
      heapReleased.fetch_add(n, std::memory_order_relaxed);
    }
  };
  rt::lock(&lock);
  scav(freelarge);
  for (uintptr_t i = MaxMHeapList - 1; i > 0 && released < bytes; i--) scav(free[i]);
  rt::unlock(&lock);
  return released;
}

}  // namespace gol::rt
