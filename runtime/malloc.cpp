// malloc.cpp: memory allocation (Go's malloc.go): mallocgc, the one entry point for every
// heap object, and the statistics ReadMemStats will report.
//
// The path of an allocation of n bytes with type descriptor typ:
//
//   1. n == 0: the address of zerobase, like Go (all zero-sized objects may share it).
//   2. Find the mcache: the current P's (lock-free), or mcache0 under mcache0lock when the
//      caller holds no P (mcache.cpp).
//   3. typ has no pointers (typ->ptrdata == 0) and n < 16: the tiny allocator packs it into
//      the mcache's current 16-byte block (aligned to 8, 4 or 2 as n allows), or starts a
//      block. Blocks come from the 16-byte noscan class. A block lives as long as any
//      object in it (the collector sees one 16-byte object).
//   4. n <= 32 KiB: round up to a size class (sizeclasses.h); the span class is that class
//      plus the noscan bit. Take the next free slot of mcache.alloc[spanclass]:
//      nextFreeFast is a count-trailing-zeros on the span's allocCache and a few adds. When
//      the 64-slot window is used up, nextFree scans allocBits (mspan::nextFreeIndex); when
//      the span is full, mcache.refill trades it for one from mcentral, which may take fresh
//      pages from mheap.
//   5. n > 32 KiB: a span of its own, straight from mheap (under the heap lock).
//   6. Zeroing: pages fresh from the OS are zero. A slot is cleared only if its span's
//      needzero says the pages or slots held data before.
//   7. typ has pointers (or is null: no information, so every word may be one): write the
//      object's words into the heap pointer bitmap (heapBitsSetType).
//
// The garbage collector (mgc.cpp, mgcmark.cpp, mgcsweep.cpp) builds on these:
//
//   - Roots: goroutine stacks and saved registers are scanned conservatively: every word w
//     for which findObject(w) finds a slot that is not free (!span->isFree(idx)) marks that
//     object. Globals likewise until the compiler emits their pointer bitmaps.
//   - Marking: setMarked(idx) on the object's span (atomic: markers run in parallel); an
//     object whose bit was newly set turns grey and goes on a work list. Scanning a grey
//     object reads only the words heapBitIsPointer marks (precise heap scan), and nothing
//     in a noscan span. Tri-colour invariant while marking: a black object (marked and
//     scanned) never points to a white one (unmarked); with the world stopped for the whole
//     mark phase no write barrier is needed to keep it.
//   - Before marking, flushallmcaches (world stopped): every span goes back to its
//     mcentral, so no span is being allocated from while it is swept.
//   - Sweeping (sweepspan, mcentral.cpp): allocBits := gcmarkBits, a fresh empty
//     gcmarkBits, freeindex = 0, counts updated; a span with nothing left, or an unmarked
//     large object, goes back to the heap (mheap.freeSpan), whose free pages scavenge may
//     return to the OS. Go's sweepgen protocol lets sweeping run lazily, concurrently with
//     allocation (mgcsweep.cpp).
//   - Pacing: mcache.refill and largeAlloc report the bytes they hand out (gcHeapLiveAdd);
//     when the heap reaches its goal, gcwant is set and mallocgc calls gcAllocCheck after
//     the allocation, with no lock held (mgc.cpp).
#include <cstdlib>
#include <cstring>

#include "abi.h"
#include "mgc.h"
#include "mheap.h"
#include "runtime.h"

extern "C" const gol_type gol_type_noscan = {1, 0, 0, 0, 1, 1, gol::rt::KindUint8, nullptr, nullptr, "uint8"};

namespace gol::rt {
namespace {

// The address of every zero-sized allocation, as in Go (new(struct{}) == new(struct{}) may
// hold; both are non-nil).
alignas(16) uint64_t zerobase;

// Larger requests cannot be satisfied on any machine (Go's maxAlloc on 48-bit addresses).
constexpr uintptr_t MaxAlloc = uintptr_t(1) << 47;

constexpr uint8_t TinySizeClass = 2;  // the 16-byte class
static_assert(TinySize == 16);

[[noreturn]] void outofmemory(uintptr_t size) {
  print("runtime: out of memory: cannot allocate ", size, "-byte block\n");
  gothrow("out of memory");
}

// The fast path: the next free slot of s from its allocCache, or 0 when the cache window
// is exhausted (nextFree then does the rest). Go's nextFreeFast.
inline uintptr_t nextFreeFast(mspan* s) {
  uint64_t cache = s->allocCache;
  if (cache == 0) return 0;
  uintptr_t theBit = uintptr_t(__builtin_ctzll(cache));
  uintptr_t result = s->freeindex + theBit;
  if (result >= s->nelems) return 0;
  uintptr_t freeidx = result + 1;
  if (freeidx % 64 == 0 && freeidx != s->nelems) return 0;  // nextFree refills the cache
  s->allocCache = (cache >> theBit) >> 1;
  s->freeindex = uint16_t(freeidx);
  s->allocCount++;
  return s->startAddr + result * s->elemsize;
}

// The slow path: the next free slot of c.alloc[spc], refilling the span if it is full.
[[gnu::noinline]] uintptr_t nextFree(mcache* c, spanClass spc, mspan** sp) {
  mspan* s = c->alloc[spc];
  uintptr_t idx = s->nextFreeIndex();
  if (idx == s->nelems) {
    // On the system stack (sweeping, mheap growth): deeper than a goroutine's call into
    // mallocgc is given (stack.h). Nothing here parks: the M holds locks.
    systemstack([c, spc] { c->refill(spc); });
    s = c->alloc[spc];
    idx = s->nextFreeIndex();
  }
  GOL_ASSERT(idx < s->nelems, "nextFree: span has no free object after refill", " nelems=", s->nelems,
             " freeindex=", s->freeindex, " allocCount=", s->allocCount);
  s->allocCount++;
  GOL_ASSERT(s->allocCount <= s->nelems, "nextFree: span allocCount overflows nelems");
  *sp = s;
  return s->startAddr + idx * s->elemsize;
}

// Returns the object; *sizep becomes the size of its class.
[[gnu::always_inline]] inline uintptr_t smallAlloc(mcache* c, uintptr_t* sizep, bool noscan, bool needzero) {
  uint8_t sc = sizeToClass(*sizep);
  spanClass spc = makeSpanClass(sc, noscan);
  mspan* s = c->alloc[spc];
  uintptr_t x = nextFreeFast(s);
  if (x == 0) [[unlikely]] x = nextFree(c, spc, &s);
  uintptr_t elemsize = sizeclasses.size[sc];
  *sizep = elemsize;
  if (needzero && s->needzero) std::memset(reinterpret_cast<void*>(x), 0, elemsize);
  heapStatsDelta::add(c->stats.nmalloc, 1);
  heapStatsDelta::add(c->stats.allocbytes, elemsize);
  return x;
}

// Objects without pointers smaller than 16 bytes share 16-byte blocks (Go's tiny
// allocator: strings and small scalars are most allocations in typical programs).
[[gnu::always_inline]] inline uintptr_t tinyAlloc(mcache* c, uintptr_t size) {
  uintptr_t off = c->tinyoffset;
  if ((size & 7) == 0) {
    off = (off + 7) & ~uintptr_t(7);
  } else if ((size & 3) == 0) {
    off = (off + 3) & ~uintptr_t(3);
  } else if ((size & 1) == 0) {
    off = (off + 1) & ~uintptr_t(1);
  }
  if (off + size <= TinySize && c->tiny != 0) {
    c->tinyoffset = off + size;
    heapStatsDelta::add(c->stats.ntiny, 1);
    return c->tiny + off;
  }
  spanClass spc = makeSpanClass(TinySizeClass, true);
  mspan* s = c->alloc[spc];
  uintptr_t x = nextFreeFast(s);
  if (x == 0) [[unlikely]] x = nextFree(c, spc, &s);
  if (s->needzero) std::memset(reinterpret_cast<void*>(x), 0, TinySize);  // always: the block is shared
  // Keep whichever block has more room left.
  if (size < c->tinyoffset || c->tiny == 0) {
    c->tiny = x;
    c->tinyoffset = size;
  }
  heapStatsDelta::add(c->stats.nmalloc, 1);
  heapStatsDelta::add(c->stats.allocbytes, TinySize);
  return x;
}

[[gnu::noinline]] uintptr_t largeAlloc(mcache* c, uintptr_t size, bool noscan, bool needzero) {
  if (size >= MaxAlloc) outofmemory(size);
  uintptr_t npages = (size + PageSize - 1) >> PageShift;
  mspan* s = nullptr;
  systemstack([&s, npages, noscan] { s = mheap_.alloc(npages, makeSpanClass(0, noscan)); });  // as in nextFree
  if (s == nullptr) outofmemory(size);
  gcHeapLiveAdd(s->elemsize);
  if (needzero && s->needzero) std::memset(reinterpret_cast<void*>(s->startAddr), 0, size);
  heapStatsDelta::add(c->stats.nmalloc, 1);
  heapStatsDelta::add(c->stats.allocbytes, s->elemsize);
  return s->startAddr;
}

[[gnu::always_inline]] inline uintptr_t mallocgc1(mcache* c, uintptr_t size, const gol_type* typ, bool needzero) {
  bool noscan = typ != nullptr && typ->ptrdata == 0;
  uintptr_t x;
  if (size <= MaxSmallSize) [[likely]] {
    if (noscan && size < TinySize) return tinyAlloc(c, size);
    uintptr_t elemsize = size;
    x = smallAlloc(c, &elemsize, noscan, needzero);
    if (!noscan) heapBitsSetType(x, elemsize, size, typ);
  } else {
    x = largeAlloc(c, size, noscan, needzero);
    if (!noscan) heapBitsSetType(x, (size + 7) & ~uintptr_t(7), size, typ);
  }
  return x;
}

// mallocgc without an mcache at hand: the P's first allocation, or no P at all.
[[gnu::noinline]] void* mallocgcSlow(uintptr_t size, const gol_type* typ, bool needzero) {
  if (getmcache() != nullptr) return mallocgc(size, typ, needzero);  // attached one to our P
  m* mp = getg() != nullptr ? getg()->m : nullptr;
  if (mp != nullptr) mp->locks++;
  lock(&mcache0lock);
  uintptr_t x = mallocgc1(&mcache0, size, typ, needzero);
  unlock(&mcache0lock);
  if (mp != nullptr) mp->locks--;
  return reinterpret_cast<void*>(x);
}

}  // namespace

void* mallocgc(uintptr_t size, const void* type, bool needzero) {
  if (size == 0) return &zerobase;
  auto* typ = static_cast<const gol_type*>(type);
  GOL_DCHECK(typ == nullptr || typ->size == 0 || size % uintptr_t(typ->size) == 0,
             "mallocgc: size is not a multiple of the type's size");
  g* gp = getg();
  p* pp = gp != nullptr ? gp->m->p : nullptr;
  mcache* c = pp != nullptr ? pp->mcache : nullptr;
  if (c == nullptr) [[unlikely]] return mallocgcSlow(size, typ, needzero);
  // Go's acquirem: the M must not lose its P (and so its mcache) in the middle.
  m* mp = gp->m;
  mp->locks++;
  uintptr_t x = mallocgc1(c, size, typ, needzero);
  mp->locks--;
  // The heap reached its trigger (or gcstress): collect now. x is in this frame, so the
  // collection's scan of our stack keeps it.
  // A collection needs more stack than a goroutine's call into mallocgc is given (stack.h,
  // ensurestack): on a segment with room; the segments below stay scanned.
  if (gcwant.load(std::memory_order_relaxed) != 0) [[unlikely]] ensurestack(PanicStack, [] { gcAllocCheck(); });
  return reinterpret_cast<void*>(x);
}

void freelarge(void* p) {
  mspan* s = spanOf(reinterpret_cast<uintptr_t>(p));
  GOL_ASSERT(s != nullptr && s->sizeclass() == 0 && s->startAddr == reinterpret_cast<uintptr_t>(p),
             "freelarge: not the start of a large object");
  mheap_.stats.nfree.fetch_add(1, std::memory_order_relaxed);
  mheap_.stats.freebytes.fetch_add(s->elemsize, std::memory_order_relaxed);
  mheap_.freeSpan(s);
}

void readmemstats(MemStats* ms) {
  struct sums {
    uint64_t nmalloc = 0, ntiny = 0, allocbytes = 0, nfree = 0, freebytes = 0;
    void add(const heapStatsDelta& d) {
      nmalloc += d.nmalloc.load(std::memory_order_relaxed);
      ntiny += d.ntiny.load(std::memory_order_relaxed);
      allocbytes += d.allocbytes.load(std::memory_order_relaxed);
      nfree += d.nfree.load(std::memory_order_relaxed);
      freebytes += d.freebytes.load(std::memory_order_relaxed);
    }
  } t;
  lock(&mheap_.lock);  // freemcache moves counts to mheap_.stats under it
  t.add(mheap_.stats);
  t.add(mcache0.stats);
  for (mcache* c = mheap_.allmcaches; c != nullptr; c = c->alllink) t.add(c->stats);
  unlock(&mheap_.lock);
  *ms = MemStats{};
  // Go's accounting: tiny allocations count as objects allocated and freed at once; their
  // blocks are what occupies the heap.
  ms->Mallocs = t.nmalloc + t.ntiny;
  ms->Frees = t.nfree + t.ntiny;
  ms->TotalAlloc = t.allocbytes;
  ms->HeapAlloc = ms->Alloc = t.allocbytes - t.freebytes;
  ms->HeapObjects = ms->Mallocs - ms->Frees;
  ms->HeapSys = mheap_.heapSys.load(std::memory_order_relaxed);
  ms->HeapInuse = mheap_.pagesInUse.load(std::memory_order_relaxed) * PageSize;
  ms->HeapIdle = ms->HeapSys - ms->HeapInuse;
  ms->HeapReleased = mheap_.heapReleased.load(std::memory_order_relaxed);
  ms->Sys = ms->HeapSys + mheap_.metaSys.load(std::memory_order_relaxed);
}

void* persistentalloc(uintptr_t size, uintptr_t align) {
  if (align < alignof(std::max_align_t)) align = alignof(std::max_align_t);
  size = (size + align - 1) & ~(align - 1);  // aligned_alloc wants a multiple of align
  void* v = std::aligned_alloc(align, size);
  if (v == nullptr) outofmemory(size);
  std::memset(v, 0, size);
  return v;
}

}  // namespace gol::rt

extern "C" void* gol_mallocgc(int64_t size, const void* type, bool needzero) {
  if (size < 0) gol::rt::gothrow("mallocgc: negative size");
  return gol::rt::mallocgc(uintptr_t(size), type, needzero);
}
