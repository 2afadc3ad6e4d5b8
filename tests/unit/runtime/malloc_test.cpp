// malloc_test.cpp: mallocgc (runtime/malloc.cpp) through its three paths (tiny, small,
// large), the pointer bitmap it writes from type descriptors, the statistics, per-P mcaches
// under concurrent allocation, and a micro-benchmark against calloc (printed, not checked).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <vector>

#include "runtime/abi.h"
#include "runtime/export_test.h"
#include "runtime/mgc.h"
#include "runtime/mheap.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// These tests keep objects in std::vector and calloc'd arrays, where the collector does not
// look: no collection may start while they run (Go's tests use debug.SetGCPercent(-1)).
struct noGC {
  int32_t old = setGCPercent(-1);
  ~noGC() { setGCPercent(old); }
};

bool allZero(const void* p, uintptr_t n) {
  auto* b = static_cast<const uint8_t*>(p);
  for (uintptr_t i = 0; i < n; i++) {
    if (b[i] != 0) return false;
  }
  return true;
}

bool allByte(const void* p, uintptr_t n, uint8_t v) {
  auto* b = static_cast<const uint8_t*>(p);
  for (uintptr_t i = 0; i < n; i++) {
    if (b[i] != v) return false;
  }
  return true;
}

// struct { a int64; b *int; c int64; d *int }: pointers in words 1 and 3.
const uint8_t gcdata1010[] = {0b1010};
const gol_type typeT = {32, 32, 0x1234, 0, 8, 8, KindStruct, nullptr, gcdata1010, "main.T"};
// struct { a int64; b *int; c, d int64 }: ptrdata stops after word 1.
const uint8_t gcdata10[] = {0b10};
const gol_type typeU = {32, 16, 0x5678, 0, 8, 8, KindStruct, nullptr, gcdata10, "main.U"};

}  // namespace

TEST_CASE("malloc: every size class gives aligned, zeroed, distinct, non-overlapping objects") {
  for (int c = 1; c < NumSizeClasses; c++) {
    for (bool noscan : {true, false}) {
      CAPTURE(c);
      CAPTURE(noscan);
      uintptr_t csize = sizeclasses.size[c];
      uintptr_t n = std::min<uintptr_t>(sizeclasses.nelems[c] + 3, 1100);  // crosses into a second span
      std::vector<std::pair<uint8_t*, uintptr_t>> objs;
      bool ok = true;
      for (uintptr_t i = 0; i < n; i++) {
        // Alternate the class's own size and the smallest size that still rounds up to it.
        uintptr_t size = (i % 2 == 0 || c == 1) ? csize : sizeclasses.size[c - 1] + 1;
        auto* p = static_cast<uint8_t*>(mallocgc(size, noscan ? &gol_type_noscan : nullptr, true));
        ok &= p != nullptr && addr(p) % 8 == 0;
        if (csize % 16 == 0) ok &= addr(p) % 16 == 0;
        ok &= allZero(p, size);
        mspan* s = spanOf(addr(p));
        ok &= s != nullptr && s->noscan() == noscan;
        if (!(noscan && size < TinySize)) ok &= s != nullptr && s->sizeclass() == c && !s->isFree(s->objIndex(addr(p)));
        std::memset(p, int((i * 31 + c) & 0xff), size);
        objs.push_back({p, size});
      }
      CHECK(ok);
      for (uintptr_t i = 0; i < n; i++) ok &= allByte(objs[i].first, objs[i].second, uint8_t((i * 31 + c) & 0xff));
      CHECK(ok);  // nobody wrote over anybody
      std::sort(objs.begin(), objs.end());
      for (uintptr_t i = 1; i < n; i++) ok &= objs[i - 1].first + objs[i - 1].second <= objs[i].first;
      CHECK(ok);
    }
  }
}

TEST_CASE("malloc: tiny objects without pointers share 16-byte blocks, aligned as their size allows") {
  std::set<uintptr_t> blocks;
  std::vector<std::pair<uint8_t*, uintptr_t>> objs;
  for (int i = 0; i < 1000; i++) {
    uintptr_t size = uintptr_t(1 + i % 15);
    auto* p = static_cast<uint8_t*>(mallocgc(size, &gol_type_noscan, true));
    CAPTURE(size);
    if (size % 8 == 0) CHECK(addr(p) % 8 == 0);
    if (size % 4 == 0) CHECK(addr(p) % 4 == 0);
    if (size % 2 == 0) CHECK(addr(p) % 2 == 0);
    CHECK(addr(p) / 16 == (addr(p) + size - 1) / 16);  // within one block
    CHECK(allZero(p, size));
    std::memset(p, 0xff, size);
    blocks.insert(addr(p) / 16);
    objs.push_back({p, size});
  }
  // 8000 bytes in 16-byte blocks, some room lost to alignment: far fewer blocks than objects.
  CHECK(blocks.size() < 700);
  std::sort(objs.begin(), objs.end());
  for (size_t i = 1; i < objs.size(); i++) CHECK(objs[i - 1].first + objs[i - 1].second <= objs[i].first);
  // Objects with pointers (or no type) never go tiny.
  void* a = mallocgc(8, nullptr, true);
  void* b = mallocgc(8, nullptr, true);
  CHECK(!spanOf(addr(a))->noscan());
  CHECK(addr(b) != addr(a));
}

TEST_CASE("malloc: large objects get page-aligned spans of their own, zeroed even when pages are reused") {
  for (uintptr_t size : {MaxSmallSize + 1, uintptr_t(100000), uintptr_t(1) << 20, uintptr_t(70) << 20}) {
    CAPTURE(size);
    auto* p = static_cast<uint8_t*>(mallocgc(size, &gol_type_noscan, true));
    CHECK(addr(p) % PageSize == 0);
    mspan* s = spanOf(addr(p));
    REQUIRE(s != nullptr);
    CHECK(s->sizeclass() == 0);
    CHECK(s->npages == (size + PageSize - 1) / PageSize);
    CHECK(allZero(p, size));
    std::memset(p, 0x77, size);
    freelarge(p);
    CHECK(spanOf(addr(p)) == nullptr);
    // The same pages again (first fit): dirty now, so mallocgc clears them.
    auto* q = static_cast<uint8_t*>(mallocgc(size, &gol_type_noscan, true));
    CHECK(allZero(q, size));
    freelarge(q);
  }
}

TEST_CASE("malloc: zero-sized allocations share one non-nil address") {
  void* a = mallocgc(0, nullptr, true);
  CHECK(a != nullptr);
  CHECK(a == mallocgc(0, &typeT, false));
  CHECK(spanOf(addr(a)) == nullptr);
}

TEST_CASE("malloc: noscan types go to noscan spans, the pointer bitmap follows gcdata") {
  void* n = mallocgc(64, &gol_type_noscan, true);
  CHECK(spanOf(addr(n))->noscan());

  // An array of three T in the 96-byte class: pointer words 1, 3, 5, 7, 9, 11.
  auto x = addr(mallocgc(96, &typeT, true));
  mspan* s = spanOf(x);
  REQUIRE(s != nullptr);
  CHECK(!s->noscan());
  CHECK(s->elemsize == 96);
  for (int w = 0; w < 12; w++) {
    CAPTURE(w);
    CHECK(heapBitIsPointer(x + 8 * w) == (w % 2 == 1));
  }
  // Three U, with 32 bytes of the 128-byte class unused: words 1, 5, 9 only.
  auto y = addr(mallocgc(96 + 8, nullptr, true));  // 112: all words conservatively
  for (int w = 0; w < 14; w++) CHECK(heapBitIsPointer(y + 8 * w));
  heapBitsSetType(y, 112, 96, &typeU);  // as if the slot were reused for [3]U
  for (int w = 0; w < 14; w++) {
    CAPTURE(w);
    CHECK(heapBitIsPointer(y + 8 * w) == (w == 1 || w == 5 || w == 9));
  }
  // A large scan object: the bitmap crosses many bitmap words.
  constexpr int N = 2000;  // [2000]T = 64000 bytes
  auto z = addr(mallocgc(N * 32, &typeT, true));
  bool ok = true;
  for (int w = 0; w < N * 4; w++) ok &= heapBitIsPointer(z + 8 * w) == (w % 2 == 1);
  CHECK(ok);
  CHECK(!heapBitIsPointer(addr(&ok)));  // not heap
}

TEST_CASE("malloc: ReadMemStats counts objects and bytes") {
  MemStats a, b, c;
  readmemstats(&a);
  std::vector<void*> keep;
  for (int i = 0; i < 100; i++) keep.push_back(mallocgc(64, nullptr, true));
  void* big = mallocgc(100000, nullptr, true);  // 13 pages
  readmemstats(&b);
  CHECK(b.Mallocs - a.Mallocs == 101);
  CHECK(b.TotalAlloc - a.TotalAlloc == 100 * 64 + 13 * PageSize);
  CHECK(b.HeapAlloc - a.HeapAlloc == 100 * 64 + 13 * PageSize);
  CHECK(b.HeapObjects - a.HeapObjects == 101);
  CHECK(b.Alloc == b.HeapAlloc);
  CHECK(b.HeapInuse >= b.HeapAlloc);
  CHECK(b.HeapSys >= b.HeapInuse);
  CHECK(b.HeapIdle == b.HeapSys - b.HeapInuse);
  CHECK(b.HeapReleased <= b.HeapIdle);
  CHECK(b.Sys > b.HeapSys);
  freelarge(big);
  readmemstats(&c);
  CHECK(c.Frees - b.Frees == 1);
  CHECK(b.HeapAlloc - c.HeapAlloc == 13 * PageSize);
  CHECK(c.HeapObjects == b.HeapObjects - 1);
}

TEST_CASE("mcache: a P gets its own mcache on first allocation, freed mcaches are reused") {
  static std::atomic<bool> ownOK{false};
  int n = testing::runMain(
      [] {
        void* p = mallocgc(24, nullptr, true);
        mcache* c = getmcache();
        ownOK = p != nullptr && c != nullptr && c != &mcache0 && c == getg()->m->p->mcache;
      });
  CHECK(n == 0);
  CHECK(ownOK);
  CHECK(getmcache() == nullptr);  // the test thread holds no P: mcache0 serves it

  mcache* c1 = allocmcache();
  for (int i = 0; i < NumSpanClasses; i++) REQUIRE(c1->alloc[i] == &emptymspan);
  c1->stats.nmalloc.store(5);
  MemStats a, b;
  readmemstats(&a);
  freemcache(c1);
  readmemstats(&b);
  CHECK(a.Mallocs == b.Mallocs);  // the counts moved to the heap's
  mcache* c2 = allocmcache();
  CHECK(c2 == c1);
  CHECK(c2->stats.nmalloc.load() == 0);
  freemcache(c2);
}

namespace {

constexpr int Workers = 8;
constexpr int PerWorker = 4000;
constexpr uintptr_t Sizes[] = {1, 3, 8, 12, 16, 24, 40, 64, 100, 256, 512, 1500, 4096, 9000, 33000};
struct object {
  uint8_t* p;
  uintptr_t size;
  uint8_t tag;
};
std::vector<object> results[Workers];
std::atomic<int> workersDone{0};
std::atomic<int> dirty{0};
std::atomic<int> spansWrong{0};

void allocWorker(void* arg) {
  int id = *static_cast<int*>(arg);
  for (int i = 0; i < PerWorker; i++) {
    uintptr_t size = Sizes[(i * 7 + id) % std::size(Sizes)];
    const gol_type* t = i % 3 == 0 ? &gol_type_noscan : i % 3 == 1 ? nullptr : &typeT;
    if (t == &typeT) size = (size + 31) / 32 * 32;
    auto* p = static_cast<uint8_t*>(mallocgc(size, t, true));
    if (!allZero(p, size)) dirty++;
    if (spanOf(addr(p)) == nullptr) spansWrong++;
    uint8_t tag = uint8_t(id * 16 + i % 16 + 1);
    std::memset(p, tag, size);
    results[id].push_back({p, size, tag});
    if (i % 64 == 0) gol_runtime_Gosched();
  }
  workersDone++;
}

}  // namespace

TEST_CASE("malloc: goroutines on several Ps allocate concurrently from their own mcaches") {
  noGC nogc;
  int32_t oldprocs = gomaxprocs.load();
  for (int32_t procs : {2, 4}) {
    CAPTURE(procs);
    for (auto& r : results) r.clear();
    workersDone = 0;
    dirty = 0;
    spansWrong = 0;
    MemStats before, after;
    readmemstats(&before);
    int n = testing::runMain(
        [] {
          for (int id = 0; id < Workers; id++) gol_newproc(allocWorker, &id, sizeof id);
          while (workersDone.load() < Workers) gol_runtime_Gosched();
        },
        procs);
    readmemstats(&after);
    CHECK(n == 0);
    CHECK(dirty == 0);
    CHECK(spansWrong == 0);
    std::vector<object> all;
    bool intact = true;
    for (auto& r : results) {
      for (const object& o : r) {
        intact &= allByte(o.p, o.size, o.tag);
        all.push_back(o);
      }
    }
    CHECK(intact);
    std::sort(all.begin(), all.end(), [](const object& a, const object& b) { return a.p < b.p; });
    bool disjoint = true;
    for (size_t i = 1; i < all.size(); i++) disjoint &= all[i - 1].p + all[i - 1].size <= all[i].p;
    CHECK(disjoint);
    CHECK(after.Mallocs - before.Mallocs == uint64_t(Workers) * PerWorker);
    // Every P that allocated has an mcache of its own.
    std::set<mcache*> caches;
    int withCache = 0;
    for (int i = 0; i < procs; i++) {
      if (mcache* c = allp[i].load()->mcache) {
        caches.insert(c);
        withCache++;
      }
    }
    CHECK(int(caches.size()) == withCache);
    CHECK(withCache >= 1);
  }
  testing::runMain([] {}, oldprocs);  // leave GOMAXPROCS as we found it
}

namespace {

constexpr int BenchN = 1000000;
void** benchSlots;
double nsNoscan, nsScan, nsTiny, nsTyped, nsReused;

// Frees the benchmark's last batch as a collection would (everything else in their spans
// stays marked), so the next batch reuses pages that are already mapped.
void sweepBenchSlots() {
  flushallmcaches();
  std::set<uintptr_t> mine;
  std::set<mspan*> spans;
  for (int i = 0; i < BenchN; i++) {
    mine.insert(addr(benchSlots[i]));
    spans.insert(spanOf(addr(benchSlots[i])));
  }
  for (mspan* s : spans) {
    for (uintptr_t i = 0; i < s->nelems; i++) {
      if (!s->isFree(i) && !mine.count(s->startAddr + i * s->elemsize)) s->setMarked(i);
    }
    sweepspan(s);
  }
}

// Like a program, writes to what it allocates (else fresh pages would never be touched).
double timeMallocs(uintptr_t size, const gol_type* t) {
  int64_t t0 = nanotime();
  for (int i = 0; i < BenchN; i++) {
    benchSlots[i] = mallocgc(size, t, true);
    *static_cast<char*>(benchSlots[i]) = 1;
  }
  return double(nanotime() - t0) / BenchN;
}

}  // namespace

TEST_CASE("malloc: micro-benchmark, ns per small allocation against calloc (printed, not checked)") {
  noGC nogc;
  benchSlots = static_cast<void**>(std::calloc(BenchN, sizeof(void*)));
  testing::runMain(
      [] {
        timeMallocs(32, &gol_type_noscan);  // warm up
        nsScan = timeMallocs(32, nullptr);
        nsTyped = timeMallocs(32, &typeT);
        nsTiny = timeMallocs(8, &gol_type_noscan);
        nsNoscan = timeMallocs(32, &gol_type_noscan);
      });
  sweepBenchSlots();  // the world is quiet between runMain calls
  testing::runMain([] { nsReused = timeMallocs(32, &gol_type_noscan); });
  for (int i = 0; i < BenchN; i++) benchSlots[i] = std::calloc(1, 32);  // warm up
  for (int i = 0; i < BenchN; i++) std::free(benchSlots[i]);
  int64_t t0 = nanotime();
  for (int i = 0; i < BenchN; i++) {
    benchSlots[i] = std::calloc(1, 32);
    *static_cast<char*>(benchSlots[i]) = 1;
  }
  double nsCalloc = double(nanotime() - t0) / BenchN;
  for (int i = 0; i < BenchN; i++) std::free(benchSlots[i]);
  std::free(benchSlots);
  std::printf("malloc bench (ns/alloc, %d allocations): mallocgc 32B noscan %.1f (fresh pages), "
              "%.1f (swept slots, cleared on reuse), 32B no type %.1f, 32B typed %.1f, 8B tiny %.1f; "
              "calloc 32B %.1f\n",
              BenchN, nsNoscan, nsReused, nsScan, nsTyped, nsTiny, nsCalloc);
  CHECK(nsNoscan > 0);
}
