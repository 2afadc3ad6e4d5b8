// mheap_test.cpp: the size-class table, the page heap (runtime/mheap.cpp) and the page map:
// spans, coalescing, scavenging, spanOf/findObject, and the sweep hook the collector will
// use. Page-heap cases run on a private mheap, so their layout does not depend on what
// other tests allocated.
#include <doctest/doctest.h>

#include <cstring>
#include <set>
#include <vector>

#include "runtime/mheap.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// Free spans on h's lists, and their total pages.
std::pair<int, uintptr_t> freeSpans(mheap* h) {
  int n = 0;
  uintptr_t pages = 0;
  lock(&h->lock);
  auto count = [&](mSpanList& l) {
    for (mspan* s = l.first; s != nullptr; s = s->next) {
      n++;
      pages += s->npages;
    }
  };
  count(h->freelarge);
  for (auto& l : h->free) count(l);
  unlock(&h->lock);
  return {n, pages};
}

}  // namespace

TEST_CASE("sizeclasses: sizes grow, stay word-aligned, and waste at most 1/8 of each span") {
  const SizeClasses& t = sizeclasses;
  CHECK(t.size[1] == 8);
  CHECK(t.size[NumSizeClasses - 1] == MaxSmallSize);
  for (int c = 1; c < NumSizeClasses; c++) {
    CAPTURE(c);
    CAPTURE(t.size[c]);
    if (c > 1) CHECK(t.size[c] > t.size[c - 1]);
    CHECK(t.size[c] % 8 == 0);
    if (t.size[c] >= 32) CHECK(t.size[c] % 16 == 0);
    uintptr_t span = uintptr_t(t.npages[c]) * PageSize;
    CHECK(span % t.size[c] <= span / 8);
    CHECK(t.nelems[c] == span / t.size[c]);
    CHECK(t.nelems[c] <= MaxObjsPerSpan);
  }
}

// Go 1.19's runtime/sizeclasses.go. Programs see the table (cap after append), so it must
// be exactly Go's.
TEST_CASE("sizeclasses: the table is Go 1.19's, sizes and pages per span") {
  const uint32_t goSize[NumSizeClasses] = {
      0,     8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,   160,   176,
      192,   208,   224,   240,   256,   288,   320,   352,   384,   416,   448,   480,   512,   576,
      640,   704,   768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304,  2688,  3072,
      3200,  3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912,  8192,  9472,  9728,  10240, 10880,
      12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
  const uint8_t goPages[NumSizeClasses] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                           1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1, 3, 2, 3, 1, 3,
                                           2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8, 3, 10, 7, 4};
  for (int c = 1; c < NumSizeClasses; c++) {
    CAPTURE(c);
    CHECK(sizeclasses.size[c] == goSize[c]);
    CHECK(sizeclasses.npages[c] == goPages[c]);
  }
}

TEST_CASE("sizeclasses: every small size maps to the smallest class that holds it") {
  const SizeClasses& t = sizeclasses;
  for (uintptr_t size = 1; size <= MaxSmallSize; size++) {
    uint8_t c = sizeToClass(size);
    if (c < 1 || c >= NumSizeClasses || t.size[c] < size || t.size[c - 1] >= size) {
      CAPTURE(size);
      CAPTURE(int(c));
      FAIL("bad class");
    }
  }
}

TEST_CASE("sizeclasses: divMul gives the exact object index for every offset of every span") {
  const SizeClasses& t = sizeclasses;
  for (int c = 1; c < NumSizeClasses; c++) {
    uintptr_t span = uintptr_t(t.npages[c]) * PageSize;
    for (uintptr_t off = 0; off < span; off++) {
      uintptr_t q = uintptr_t((uint64_t(off) * t.divMul[c]) >> 32);
      if (q != off / t.size[c]) {
        CAPTURE(c);
        CAPTURE(off);
        FAIL("divMul is not exact");
      }
    }
  }
}

TEST_CASE("mheap: spans are page-aligned runs whose every page maps to the span") {
  auto* h = new mheap();
  mspan* a = h->alloc(3, makeSpanClass(0, true));
  mspan* b = h->alloc(1, makeSpanClass(5, false));
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a->startAddr % PageSize == 0);
  CHECK(a->startAddr % HeapArenaBytes == 0);  // the first span of a fresh arena
  CHECK(a->npages == 3);
  CHECK(a->nelems == 1);
  CHECK(a->elemsize == 3 * PageSize);
  CHECK(!a->isFree(0));  // a large span is born allocated
  CHECK(b->startAddr == a->startAddr + 3 * PageSize);
  CHECK(b->nelems == sizeclasses.nelems[5]);
  CHECK(b->elemsize == sizeclasses.size[5]);
  CHECK(!b->noscan());
  CHECK(a->noscan());
  for (uintptr_t p = a->startAddr; p < a->startAddr + 3 * PageSize; p += 512) CHECK(spanOf(p) == a);
  CHECK(spanOf(b->startAddr + 100) == b);
  CHECK(h->pagesInUse.load() == 4);
  CHECK(h->heapSys.load() == HeapArenaBytes);
  // The rest of the arena is one free span, counted as released (never touched).
  auto [n, pages] = freeSpans(h);
  CHECK(n == 1);
  CHECK(pages == PagesPerArena - 4);
  CHECK(h->heapReleased.load() == (PagesPerArena - 4) * PageSize);
}

TEST_CASE("mheap: freed spans coalesce with free neighbours on both sides") {
  auto* h = new mheap();
  mspan* a = h->alloc(10, makeSpanClass(0, true));
  mspan* b = h->alloc(10, makeSpanClass(0, true));
  mspan* c = h->alloc(10, makeSpanClass(0, true));
  uintptr_t abase = a->startAddr, bbase = b->startAddr, cbase = c->startAddr;
  REQUIRE(bbase == abase + 10 * PageSize);
  REQUIRE(cbase == bbase + 10 * PageSize);
  CHECK(freeSpans(h).first == 1);

  h->freeSpan(a);  // no free neighbour before; b after is in use
  CHECK(spanOf(abase) == nullptr);
  mspan* fa = spanOfUnchecked(abase);
  REQUIRE(fa != nullptr);
  CHECK(fa->state.load() == MSpanFree);
  CHECK(fa->npages == 10);
  CHECK(freeSpans(h).first == 2);

  h->freeSpan(c);  // merges with the free tail of the arena
  mspan* fc = spanOfUnchecked(cbase);
  CHECK(fc->state.load() == MSpanFree);
  CHECK(fc->npages == PagesPerArena - 20);
  CHECK(freeSpans(h).first == 2);

  h->freeSpan(b);  // bridges both: one free span, the whole arena
  mspan* all = spanOfUnchecked(abase);
  CHECK(all->state.load() == MSpanFree);
  CHECK(all->startAddr == abase);
  CHECK(all->npages == PagesPerArena);
  CHECK(spanOfUnchecked(abase + HeapArenaBytes - 1) == all);
  auto [n, pages] = freeSpans(h);
  CHECK(n == 1);
  CHECK(pages == PagesPerArena);
  CHECK(h->pagesInUse.load() == 0);

  // The heap hands the same pages out again, first fit from the start.
  mspan* again = h->alloc(30, makeSpanClass(0, true));
  CHECK(again->startAddr == abase);
  CHECK(again->needzero);  // a, b and c wrote there
}

TEST_CASE("mheap: pages never handed out need no zeroing, even in a span merged with dirty ones") {
  auto* h = new mheap();
  mspan* a = h->alloc(10, makeSpanClass(0, true));
  uintptr_t base = a->startAddr;
  CHECK(!a->needzero);  // fresh from the OS
  h->freeSpan(a);       // merges with the untouched rest: one free span, marked dirty
  CHECK(spanOfUnchecked(base)->needzero);
  mspan* b = h->alloc(10, makeSpanClass(0, true));
  REQUIRE(b->startAddr == base);
  CHECK(b->needzero);  // a's pages
  mspan* c = h->alloc(20, makeSpanClass(0, true));
  REQUIRE(c->startAddr == base + 10 * PageSize);
  CHECK(!c->needzero);  // never handed out
  h->freeSpan(b);
  mspan* d = h->alloc(15, makeSpanClass(0, true));  // straddles a's pages and fresh ones
  CHECK(d->startAddr == base + 30 * PageSize);       // b's 10-page hole is too small
  CHECK(!d->needzero);
  mspan* e = h->alloc(10, makeSpanClass(0, true));
  CHECK(e->startAddr == base);
  CHECK(e->needzero);
}

TEST_CASE("mheap: a span bigger than an arena gets contiguous arenas, and the page map covers them") {
  auto* h = new mheap();
  uintptr_t npages = PagesPerArena + PagesPerArena / 2;
  mspan* s = h->alloc(npages, makeSpanClass(0, false));
  REQUIRE(s != nullptr);
  CHECK(h->heapSys.load() == 2 * HeapArenaBytes);
  CHECK(spanOf(s->startAddr + HeapArenaBytes + 12345) == s);
  CHECK(spanOf(s->startAddr + npages * PageSize - 1) == s);
  CHECK(spanOf(s->startAddr + npages * PageSize) == nullptr);  // the free rest
  h->freeSpan(s);
  CHECK(freeSpans(h) == std::pair<int, uintptr_t>(1, 2 * PagesPerArena));
}

TEST_CASE("mheap: scavenge returns free pages to the OS, they come back zeroed") {
  auto* h = new mheap();
  mspan* s = h->alloc(20, makeSpanClass(0, true));
  std::memset(reinterpret_cast<void*>(s->startAddr), 0x5a, 20 * PageSize);
  uintptr_t base = s->startAddr;
  h->freeSpan(s);
  // The dirty pages merged with the untouched rest: all counted as used now.
  CHECK(h->heapReleased.load() == 0);
  mspan* f = spanOfUnchecked(base);
  CHECK(f->needzero);
  CHECK(!f->scavenged);

  uintptr_t got = h->scavenge(1);
  CHECK(got == HeapArenaBytes);  // whole free spans at a time
  CHECK(h->heapReleased.load() == HeapArenaBytes);
  CHECK(f->scavenged);
  CHECK(!f->needzero);
  CHECK(h->scavenge(1) == 0);  // nothing left to release

  mspan* t = h->alloc(20, makeSpanClass(0, true));
  REQUIRE(t->startAddr == base);
  CHECK(!t->needzero);
  auto* bytes = reinterpret_cast<const uint8_t*>(base);
  bool zero = true;
  for (uintptr_t i = 0; i < 20 * PageSize; i++) zero &= bytes[i] == 0;
  CHECK(zero);
  CHECK(h->heapReleased.load() == HeapArenaBytes - 20 * PageSize);
}

TEST_CASE("spanOf/findObject: interior pointers of small and large objects, null elsewhere") {
  // Small objects of several classes.
  for (uintptr_t size : {8, 24, 48, 100, 1000, 5000, 32768}) {
    CAPTURE(size);
    auto* p = static_cast<uint8_t*>(mallocgc(size, nullptr, true));
    mspan* s = spanOf(addr(p));
    REQUIRE(s != nullptr);
    CHECK(s->elemsize >= size);
    for (uintptr_t off : {uintptr_t(0), size / 2, size - 1}) {
      mspan* fs = nullptr;
      uintptr_t idx = 0;
      CHECK(findObject(addr(p) + off, &fs, &idx) == addr(p));
      CHECK(fs == s);
      CHECK(s->startAddr + idx * s->elemsize == addr(p));
      CHECK(!s->isFree(idx));
    }
  }
  // A large object: every page, and the last byte.
  uintptr_t size = 5 * PageSize + 17;
  auto* big = static_cast<uint8_t*>(mallocgc(size, nullptr, true));
  for (uintptr_t off = 0; off < size; off += PageSize / 2) CHECK(findObject(addr(big) + off, nullptr, nullptr) == addr(big));
  CHECK(findObject(addr(big) + size - 1, nullptr, nullptr) == addr(big));
  mspan* bs = spanOf(addr(big));
  REQUIRE(bs != nullptr);
  CHECK(bs->sizeclass() == 0);
  CHECK(bs->npages == 6);

  // Not heap: a global, a stack variable, the C heap, null, a kernel address, a free page.
  static int global;
  int local = 0;
  void* cmem = std::malloc(64);
  for (uintptr_t a : {addr(&global), addr(&local), addr(cmem), uintptr_t(0), uintptr_t(1), ~uintptr_t(0),
                      uintptr_t(0xffff800000000000), reinterpret_cast<uintptr_t>(&spanOf)}) {
    CAPTURE(a);
    CHECK(spanOf(a) == nullptr);
    CHECK(findObject(a, nullptr, nullptr) == 0);
  }
  std::free(cmem);
  auto* h = new mheap();
  mspan* s = h->alloc(2, makeSpanClass(0, true));
  uintptr_t freepage = s->startAddr + 100 * PageSize + 100;  // inside the arena's free rest
  CHECK(spanOfUnchecked(freepage) == nullptr);  // interior of a free span: not mapped
  CHECK(spanOf(freepage) == nullptr);
  h->freeSpan(s);
  CHECK(spanOf(s->startAddr) == nullptr);
}

TEST_CASE("spanOf: the tail waste after a span's last object belongs to no object") {
  // Class of 48-byte objects: 8192 = 170 * 48 + 32 bytes of tail.
  uint8_t c = sizeToClass(48);
  REQUIRE(sizeclasses.size[c] == 48);
  auto* p = static_cast<uint8_t*>(mallocgc(48, nullptr, true));
  mspan* s = spanOf(addr(p));
  REQUIRE(s != nullptr);
  CHECK(s->limit == s->startAddr + 170 * 48);
  CHECK(spanOf(s->limit - 1) == s);
  CHECK(spanOf(s->limit) == nullptr);
  CHECK(findObject(s->startAddr + PageSize - 1, nullptr, nullptr) == 0);
}

namespace {

// Allocates objects of `size` until some span holds nothing but ours (it came fresh from
// the heap), and returns it with our objects.
mspan* freshSpanOf(uintptr_t size, const gol_type* typ, std::vector<uint8_t*>* objs) {
  std::set<mspan*> seen;
  for (int i = 0; i < 20000; i++) {
    auto* p = static_cast<uint8_t*>(mallocgc(size, typ, true));
    objs->push_back(p);
    mspan* s = spanOf(addr(p));
    uintptr_t idx = s->objIndex(addr(p));
    if (idx == 0) seen.insert(s);
    if (idx == uintptr_t(s->nelems) - 1 && seen.count(s)) return s;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("sweep: allocBits := gcmarkBits frees the unmarked objects, their slots come back zeroed") {
  constexpr uintptr_t size = 256;
  std::vector<uint8_t*> objs;
  mspan* s = freshSpanOf(size, &gol_type_noscan, &objs);
  REQUIRE(s != nullptr);
  REQUIRE(s->nelems == 32);
  for (uint8_t* p : objs) std::memset(p, 0xee, size);
  flushallmcaches();  // the world is quiet between tests: no P is allocating
  REQUIRE(s->list != nullptr);

  MemStats before;
  readmemstats(&before);
  // Mark every object but 3, 7 and 31.
  std::set<uintptr_t> victims{3, 7, 31};
  for (uintptr_t i = 0; i < s->nelems; i++) {
    if (!victims.count(i)) CHECK(s->setMarked(i));
  }
  CHECK(!s->setMarked(0));  // already marked
  CHECK(!sweepspan(s));     // survivors: the span stays in use
  for (uintptr_t i = 0; i < s->nelems; i++) {
    CAPTURE(i);
    CHECK(s->isFree(i) == (victims.count(i) == 1));
    CHECK(!s->isMarked(i));  // fresh mark bits for the next cycle
  }
  CHECK(s->allocCount == 29);
  CHECK(s->needzero);
  CHECK(s->list == &mheap_.central[s->spanclass].partial);
  MemStats after;
  readmemstats(&after);
  CHECK(after.Frees - before.Frees == 3);
  CHECK(before.HeapAlloc - after.HeapAlloc == 3 * size);

  // Allocate until all three slots came back: each must be zero again.
  std::set<uintptr_t> want;
  for (uintptr_t i : victims) want.insert(s->startAddr + i * size);
  for (int i = 0; i < 10000 && !want.empty(); i++) {
    auto* p = static_cast<uint8_t*>(mallocgc(size, &gol_type_noscan, true));
    if (want.erase(addr(p))) {
      bool zero = true;
      for (uintptr_t k = 0; k < size; k++) zero &= p[k] == 0;
      CHECK(zero);
    }
  }
  CHECK(want.empty());
  for (uintptr_t i = 0; i < s->nelems; i++) {
    auto* p = reinterpret_cast<const uint8_t*>(s->startAddr + i * size);
    if (!victims.count(i)) CHECK((p[0] == 0xee && p[size - 1] == 0xee));
  }
}

TEST_CASE("sweep: a span with no marked object, and an unmarked large object, go back to the heap") {
  std::vector<uint8_t*> objs;
  mspan* s = freshSpanOf(20000, nullptr, &objs);
  REQUIRE(s != nullptr);
  uintptr_t base = s->startAddr;
  flushallmcaches();
  uint64_t inuse = mheap_.pagesInUse.load();
  CHECK(sweepspan(s));
  CHECK(spanOf(base) == nullptr);
  CHECK(mheap_.pagesInUse.load() == inuse - sizeclasses.npages[sizeToClass(20000)]);

  void* big = mallocgc(100000, nullptr, true);
  mspan* bs = spanOf(addr(big));
  REQUIRE(bs != nullptr);
  CHECK(bs->setMarked(0));
  CHECK(!sweepspan(bs));  // marked: survives, mark cleared
  CHECK(!bs->isMarked(0));
  CHECK(spanOf(addr(big)) == bs);
  CHECK(sweepspan(bs));  // unmarked now
  CHECK(spanOf(addr(big)) == nullptr);
}
