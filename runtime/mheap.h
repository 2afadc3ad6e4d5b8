// mheap.h: the memory allocator's data structures (Go's mheap.go, mcentral.go, mcache.go,
// mbitmap.go, malloc.go), and the API the garbage collector will build on.
//
// Three levels, each a cache for the one below (Go's design, after tcmalloc):
//
//   mcache    per P, no lock: one span per span class to carve objects from (mcache.cpp)
//   mcentral  per span class, a lock: spans with free objects, and full ones (mcentral.cpp)
//   mheap     one, a lock: runs of 8 KiB pages in 64 MiB arenas, the page map (mheap.cpp)
//
// malloc.cpp ties them together in mallocgc and explains the path of one allocation;
// HACKING.md ("Memory") draws the heap's layout.
//
// Span states and who owns a span (the collector must respect these):
//
//   MSpanInUse  holds objects. Exactly one of: cached by one mcache (mcache.alloc[spc]; on no
//               list; only that mcache's owner allocates from it), on its mcentral's partial
//               list (has free slots), on its mcentral's full list (no free slot), or a
//               large object's span (on no list). Every page maps to it in the page map.
//   MSpanFree   a run of free pages in an mheap free list; only its first and last page map
//               to it (for coalescing). Guarded by mheap.lock.
//   MSpanDead   an mspan struct on the mheap's free list of structs, describing nothing.
//
// Lock order, outer first: mcache0lock (the P-less fallback mcache) → mcentral.lock →
// mheap.lock. No allocator lock is held while calling into the scheduler.
#pragma once
#include <atomic>
#include <cstdint>

#include "runtime2.h"
#include "sizeclasses.h"
#include "typedesc.h"

namespace gol::rt {

// ---- address space ----
constexpr uintptr_t HeapAddrBits = 48;  // user addresses on x86-64 and aarch64 Linux
constexpr uintptr_t LogHeapArenaBytes = 26;
constexpr uintptr_t HeapArenaBytes = uintptr_t(1) << LogHeapArenaBytes;  // 64 MiB
constexpr uintptr_t PagesPerArena = HeapArenaBytes / PageSize;             // 8192
constexpr uintptr_t HeapArenaWords = HeapArenaBytes / 8;
constexpr uintptr_t ArenaIndexLen = uintptr_t(1) << (HeapAddrBits - LogHeapArenaBytes);  // 4M
// Where the heap asks the kernel to put arenas first (Go's amd64 hint): heap pointers then
// read like Go's, 0xc000012345, and are easy to tell from stacks and globals in a dump.
constexpr uintptr_t ArenaBaseHint = uintptr_t(0x00c0) << 32;
constexpr uintptr_t MaxMHeapList = 128;  // free lists by exact page count below this

// ---- span classes ----
// A span class is a size class and a noscan bit: objects without pointers live in spans
// of their own, which the collector never scans. spanClass 0 and 1: large objects.
using spanClass = uint8_t;
constexpr int NumSpanClasses = NumSizeClasses << 1;
constexpr spanClass makeSpanClass(uint8_t sizeclass, bool noscan) {
  return spanClass((sizeclass << 1) | (noscan ? 1 : 0));
}
constexpr uint8_t sizeclassOf(spanClass spc) { return spc >> 1; }
constexpr bool noscanOf(spanClass spc) { return spc & 1; }

enum mspanstate : uint8_t { MSpanDead = 0, MSpanInUse = 1, MSpanFree = 2 };

struct mSpanList;

// mspan: a run of pages. For a small-object span, nelems objects of elemsize bytes from
// startAddr; for a large object, one object of npages pages.
//
// Allocation bits (Go 1.7's design, which the collector's sweep relies on):
//   - allocBits: bit i set = object i was live at the last sweep (or allocated before it).
//     Objects with index < freeindex count as allocated whatever their bit says.
//   - allocCache: the complement of allocBits, shifted so that bit 0 is object freeindex:
//     finding a free slot is one count-trailing-zeros (nextFreeFast).
//   - gcmarkBits: bit i set = object i marked reachable in the current cycle. Sweeping a
//     span is `allocBits := gcmarkBits` (a pointer swap) and a clear of the new gcmarkBits.
// The bitmaps live in the span (bits0/bits1, MaxObjsPerSpan bits each), so a swap never
// allocates; Go instead carves them from per-cycle gcBits arenas.
//
// Layout: the fields the collector reads for every pointer it follows (startAddr to
// gcmarkBits) come first, in the struct's first cache line.
struct alignas(64) mspan {
  // Set when the span is allocated from the heap (under mheap.lock), then read-only until
  // it is freed. startAddr and npages are read without locks by spanOf.
  uintptr_t startAddr = 0;
  uintptr_t npages = 0;
  uintptr_t limit = 0;     // end of the last object (startAddr + nelems*elemsize)
  uintptr_t elemsize = 0;  // bytes per object (a large span: npages*PageSize)
  uint32_t divMul = 0;     // see SizeClasses::divMul; 0 for large spans (one object)
  uint16_t nelems = 0;
  spanClass spanclass = 0;
  std::atomic<uint8_t> state{MSpanDead};  // an mspanstate; read by spanOf without locks

  // Allocation state, owned by whoever owns the span (see the states above).
  uint16_t freeindex = 0;   // objects below it are allocated; search for free ones from here
  uint16_t allocCount = 0;  // allocated objects
  uint8_t* allocBits = bits0;
  uint8_t* gcmarkBits = bits1;
  uint64_t allocCache = 0;  // ~allocBits from freeindex, bit 0 = object freeindex
  bool needzero = false;  // free slots or pages may hold old data: clear before handing out
  bool scavenged = false; // MSpanFree only: every page returned to the OS (or never used)

  // The sweep generation (mgcsweep.cpp, Go's sweepgen protocol): h->sweepgen-2 needs
  // sweeping, -1 being swept, == swept. Accessed atomically (std::atomic_ref).
  uint32_t sweepgen = 0;

  // Guarded by the list the span is on (mheap.lock or its mcentral's lock).
  mspan* next = nullptr;
  mspan* prev = nullptr;
  mSpanList* list = nullptr;  // the list it is on, or null (cached, large, dead)

  alignas(8) uint8_t bits0[MaxObjsPerSpan / 8]{};
  alignas(8) uint8_t bits1[MaxObjsPerSpan / 8]{};

  uintptr_t base() const { return startAddr; }
  uint8_t sizeclass() const { return sizeclassOf(spanclass); }
  bool noscan() const { return noscanOf(spanclass); }

  // The index of the object containing p, for startAddr <= p < startAddr+npages*PageSize.
  // May be >= nelems for p in the span's tail waste.
  uintptr_t objIndex(uintptr_t p) const { return uintptr_t((uint64_t(p - startAddr) * divMul) >> 32); }

  // Object i was allocated (and not since freed by a sweep). Conservative stack scanning
  // must ignore pointers to free slots: they hold no object.
  bool isFree(uintptr_t i) const { return i >= freeindex && !((allocBits[i / 8] >> (i % 8)) & 1); }

  // Mark bits: atomic, so that parallel markers may set them concurrently.
  // Accessed as 64-bit words (the bitmaps are 8-aligned): one `lock bts` per mark.
  bool isMarked(uintptr_t i) const {
    return (std::atomic_ref<uint64_t>(reinterpret_cast<uint64_t*>(gcmarkBits)[i / 64]).load(std::memory_order_relaxed) >>
            (i % 64)) & 1;
  }
  // Sets object i's mark bit; returns true if this call set it (it was white).
  bool setMarked(uintptr_t i) {
    uint64_t mask = uint64_t(1) << (i % 64);
    return !(std::atomic_ref<uint64_t>(reinterpret_cast<uint64_t*>(gcmarkBits)[i / 64]).fetch_or(mask, std::memory_order_relaxed) &
             mask);
  }

  uintptr_t nextFreeIndex();
  void refillAllocCache(uintptr_t whichByte);
  uintptr_t countAlloc() const;  // set bits in gcmarkBits
};

// A doubly linked list of spans (Go's mSpanList).
struct mSpanList {
  mspan* first = nullptr;
  mspan* last = nullptr;
  bool isEmpty() const { return first == nullptr; }
  void insert(mspan* s);      // at the front
  void insertBack(mspan* s);
  void remove(mspan* s);
};

// Allocation and free counts, kept per mcache by its owner without locks (relaxed atomics,
// so that readmemstats may read them from another thread), folded into the heap's when an
// mcache is freed.
struct heapStatsDelta {
  std::atomic<uint64_t> nmalloc{0};     // objects allocated (a tiny block counts as one)
  std::atomic<uint64_t> ntiny{0};       // allocations packed into tiny blocks
  std::atomic<uint64_t> allocbytes{0};  // bytes allocated (rounded to the size class)
  std::atomic<uint64_t> nfree{0};       // objects freed (by the collector's sweep)
  std::atomic<uint64_t> freebytes{0};

  // Owner-only increment: a load and a store, no locked instruction.
  static void add(std::atomic<uint64_t>& c, uint64_t v) {
    c.store(c.load(std::memory_order_relaxed) + v, std::memory_order_relaxed);
  }
};

// ---- mcache.cpp ----
// mcache: a P's private allocation caches. Owned by the M holding the P; the fallback
// mcache0 by mcache0lock. Allocating from an mcache takes no lock at all.
struct mcache {
  // The tiny allocator (malloc.cpp): the current 16-byte block and how much of it is used.
  uintptr_t tiny = 0;
  uintptr_t tinyoffset = 0;
  mspan* alloc[NumSpanClasses];  // &emptymspan when empty, so the fast path never tests null
  heapStatsDelta stats;
  mcache* alllink = nullptr;  // allmcaches, under mheap_.lock
  bool dead = false;          // freed by freemcache; allocmcache reuses it

  constexpr mcache();

  // Replaces alloc[spc] (which has no free slot) with a span from mcentral that has one.
  void refill(spanClass spc);
  // Hands every cached span back to mcentral and forgets the tiny block (the collector calls
  // this for every mcache while the world is stopped, before marking).
  void releaseAll();
};

extern mspan emptymspan;  // no free slots: alloc[] entries point here when empty
constexpr mcache::mcache() {
  for (mspan*& s : alloc) s = &emptymspan;
}

// Go's allocmcache/freemcache: the hooks procresize uses to give each P an mcache and to
// take it back when the P dies (freemcache releases its spans and keeps its counts).
// Until procresize calls them, mallocgc attaches an mcache to a P on the P's first
// allocation (see malloc.cpp).
mcache* allocmcache();
void freemcache(mcache* c);
// The mcache of the current P, or null when the caller holds no P (then mallocgc uses
// mcache0 under mcache0lock).
mcache* getmcache();
extern mcache mcache0;
extern mutex mcache0lock;
// Every mcache ever allocated, plus mcache0 (linked by alllink): for the collector's
// flush and for readmemstats. Grows only.
void forEachMcache(void (*fn)(mcache* c, void* arg), void* arg);
void flushallmcaches();  // releaseAll on every mcache; the world must be stopped

// ---- mcentral.cpp ----
// mcentral: the spans of one span class that no mcache holds.
struct alignas(64) mcentral {
  mutex lock;
  spanClass spanclass = 0;
  // Guarded by lock.
  mSpanList partial;  // at least one free object
  mSpanList full;     // no free object (until a sweep frees some)

  mspan* cacheSpan();             // a span with a free object, for an mcache; null if OOM
  void uncacheSpan(mspan* s);     // back from an mcache
  // Called by the sweeper after it swept s (which no mcache holds): moves it to the right
  // list, or frees it to the heap when it has no object left. Returns true if freed.
  bool freeSpan(mspan* s, bool wasfull);
  mspan* grow();                  // a fresh span from the heap
};

// ---- mheap.cpp ----
// heapArena: the metadata of one 64 MiB arena: the page → span map, and one bit per word
// saying "this word may hold a pointer" (written by mallocgc from the type descriptor, read
// by the collector's precise heap scan). About 1.1 MiB, reserved and committed by the OS
// as touched.
struct heapArena {
  std::atomic<mspan*> spans[PagesPerArena];
  uint64_t ptrbits[HeapArenaWords / 64];
  struct mheap* owner;  // the heap that owns the arena (the global one, or a test's)
  // Bytes from the arena's start that have ever been handed out (Go's zeroedBase): pages
  // above it are still as the OS gave them, zero. Guarded by owner->lock; only grows.
  uintptr_t zeroedBase;
};

struct mheap {
  mutex lock;
  // Guarded by lock.
  mSpanList free[MaxMHeapList];  // free spans of exactly i pages
  mSpanList freelarge;           // free spans of MaxMHeapList pages or more
  mspan* spanfree = nullptr;     // dead mspan structs for reuse (Go's spanalloc)
  mspan** allspans = nullptr;    // every mspan struct ever made (the sweeper walks it)
  uintptr_t nallspans = 0;
  uintptr_t allspanscap = 0;
  mcache* allmcaches = nullptr;
  uint32_t sweepgen = 0;         // for the collector (see mspan.sweepgen)
  // The address range of this heap's arenas ([0, 0) before the first): every span lies in
  // it. Grows under lock; the collector reads it with the world stopped.
  uintptr_t arenaLo = 0, arenaHi = 0;

  // Statistics, changed under lock, read without it.
  std::atomic<uint64_t> pagesInUse{0};    // pages in MSpanInUse spans
  std::atomic<uint64_t> heapSys{0};       // bytes of arena reserved
  std::atomic<uint64_t> heapReleased{0};  // bytes of free pages returned to (or never taken from) the OS
  std::atomic<uint64_t> metaSys{0};       // bytes of heap metadata (arena maps, span structs)
  heapStatsDelta stats;                   // counts of dead mcaches and of large frees

  mcentral central[NumSpanClasses];

  constexpr mheap() {
    for (int i = 0; i < NumSpanClasses; i++) central[i].spanclass = spanClass(i);
  }

  // Allocates a span of npages pages for span class spc, initialised for allocation
  // (small: nelems objects, all free; large: one object). Null when out of memory.
  mspan* alloc(uintptr_t npages, spanClass spc);
  // Returns an in-use span's pages to the heap, coalescing with free neighbours.
  void freeSpan(mspan* s);
  // Returns at least `bytes` bytes of free pages to the OS (madvise MADV_DONTNEED), whole
  // free spans at a time, largest lists first. Returns the bytes released. The entry point
  // for sysmon's background scavenger and for debug.FreeOSMemory.
  uintptr_t scavenge(uintptr_t bytes);

  // Internals, with lock held.
  mspan* allocSpanLocked(uintptr_t npages);
  void freeSpanLocked(mspan* s);
  bool grow(uintptr_t npages);
  bool allocNeedsZero(uintptr_t base, uintptr_t npages);
  mspan* allocMSpanLocked();
  void freeMSpanLocked(mspan* s);
  void insertFreeLocked(mspan* s);
  void removeFreeLocked(mspan* s);
};
extern mheap mheap_;

// The page map. arenas[addr >> LogHeapArenaBytes] is the arena holding addr, or null
// (Go's mheap_.arenas, one level on 48-bit addresses: 32 MiB of address space, of which
// the OS commits the few pages that index real arenas).
heapArena* arenaOf(uintptr_t addr);
// The arena index itself (ArenaIndexLen entries), or null before the heap's first arena: for
// the collector's inlined lookups while the world is stopped (no arena is added then).
std::atomic<heapArena*>* arenaIndex();

// spanOf: the in-use span containing addr, or null if addr is not in a heap object's span
// (a stack, a global, a free page, beyond the span's last object, not an address at all).
// O(1) for any interior pointer: what conservative stack scanning needs. Lock-free; exact
// while the heap does not change (the collector calls it with the world stopped).
mspan* spanOf(uintptr_t addr);
// The page map entry for addr whatever the span's state (tests: free spans, coalescing).
mspan* spanOfUnchecked(uintptr_t addr);

// findObject: the base address of the object containing addr, and its span and index; 0
// if addr points into no object. Like Go's findObject it does not look at allocation
// bits: a pointer into a free slot finds that slot, and the caller (conservative scan) must
// check s->isFree(idx).
uintptr_t findObject(uintptr_t addr, mspan** sp, uintptr_t* idxp);

// The heap pointer bitmap (one bit per word of every arena). Set by mallocgc for objects
// in scan spans; meaningless in noscan spans and free slots.
bool heapBitIsPointer(uintptr_t addr);
// Sets the bits of [x, x+size) from typ (null: every word) for dataSize bytes of typ
// elements; the words beyond dataSize get 0.
void heapBitsSetType(uintptr_t x, uintptr_t size, uintptr_t dataSize, const gol_type* typ);

// ---- mgcsweep.cpp: sweeping (mgc.h has the collector's own entry points) ----
// Sweeps span s now, with the world stopped (or quiet) and every mcache flushed: objects not marked in
// gcmarkBits are freed (allocBits := gcmarkBits), the counts are updated, and s goes back
// to its mcentral's lists or, when empty (or an unmarked large object), to the heap.
// Returns true if the span was freed to the heap.
bool sweepspan(mspan* s);

// ---- malloc.cpp ----
// ReadMemStats' numbers (Go's runtime.MemStats subset), summed over every mcache.
struct MemStats {
  uint64_t Alloc;         // bytes of live heap objects (= HeapAlloc)
  uint64_t TotalAlloc;    // bytes allocated, ever
  uint64_t Sys;           // bytes of address space the heap reserved, metadata included
  uint64_t Mallocs;       // objects allocated, ever
  uint64_t Frees;         // objects freed, ever
  uint64_t HeapAlloc;
  uint64_t HeapSys;       // bytes of arenas
  uint64_t HeapIdle;      // bytes in free spans
  uint64_t HeapInuse;     // bytes in in-use spans
  uint64_t HeapReleased;  // bytes of free spans returned to the OS
  uint64_t HeapObjects;   // Mallocs - Frees
};
// Racy sums (Go stops the world for ReadMemStats; the collector will do the same).
void readmemstats(MemStats* ms);
// Frees a large object's span at once (tests; the sweeper frees large spans itself).
void freelarge(void* p);

// ---- os_linux.cpp: memory mappings for the heap ----
// Reserves n bytes at an align-aligned address, at hint if that range is free; readable
// and writable, committed by the OS page by page on first touch. Null if out of address
// space.
void* sysReserveAligned(uintptr_t hint, uintptr_t n, uintptr_t align);
// The OS may take back the pages of [v, v+n); they read as zero when next touched.
void sysUnused(void* v, uintptr_t n);

}  // namespace gol::rt
