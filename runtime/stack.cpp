// stack.cpp: goroutine stack allocation (Go's stack1.go: stackalloc, stackfree, the per-P
// stackcache and the global pools). Growth is in morestack.cpp; stack.h has the picture.
//
// Every stack is a power of two from StackMin (2 KiB), carved from large reservations
// (sysReserve: one mapping per StackChunk, never one per stack: vm.max_map_count allows
// about 65k mappings, and one big mmap is ~100x cheaper than many small ones, TOOLCHAIN.md).
// The reservations have transparent huge pages off (MADV_NOHUGEPAGE, in sysReserve): with
// them, touching the top page of many stacks commits 2 MiB each. The OS commits pages on
// first touch, so a parked goroutine costs the pages it used: half a page for a 2 KiB
// first stack (two share a page).
//
//   orders 0..NumStackOrders-1 (2 .. 32 KiB): per-P caches (stackcache[p.id], owned by
//       the P's M, no lock), refilled and drained by half in batches from stackpool (a lock).
//   larger (growth segments): stacklarge, one free list per power of two, under its lock.
//
// Free lists hold addresses in arrays outside the stacks: a freed stack is never written to,
// so pages given back with MADV_DONTNEED stay given back. Small stacks are kept committed
// while the global pool holds fewer than StackPoolKeep of an order (reuse is then free);
// beyond that, and for every freed large segment, the pages are given back at once.
//
// No guard pages: one per stack would split the mapping into two VMAs per stack and fail
// near 32k goroutines. The prologue check of compiled code is the guard (stack.h); with
// GOL_DEBUG_CHECKS a canary at the first stack's lo also catches runtime (C++) overflows
// at the next switch.
#include <sys/mman.h>

#include <cstdlib>

#include "runtime.h"

extern "C" {
__thread uintptr_t gol_stackguard __attribute__((tls_model("local-exec"))) = 0;
}

namespace gol::rt {
namespace {

constexpr uintptr_t StackChunk = uintptr_t(1) << 30;  // one reservation
constexpr uint64_t StackCanary = 0x676f6c5354414b21;  // "golSTAK!"
constexpr int StackPoolKeep = 1024;                   // committed free stacks kept per small order
constexpr int NumLargeOrders = 40;                    // log2 sizes of large segments
constexpr uintptr_t PageBytes = 4096;

// A growable array of stack addresses (realloc'd: libgolrt stays free of libstdc++).
struct stklist {
  uintptr_t* v = nullptr;
  int32_t n = 0;
  int32_t cap = 0;
  void push(uintptr_t x) {
    if (n == cap) {
      cap = cap == 0 ? 64 : 2 * cap;
      v = static_cast<uintptr_t*>(std::realloc(v, sizeof(uintptr_t) * size_t(cap)));
      if (v == nullptr) gothrow("stack pool: out of memory");
    }
    v[n++] = x;
  }
  uintptr_t pop() { return v[--n]; }
};

struct {
  mutex lock;
  // Guarded by lock.
  stklist free[NumStackOrders];
  uintptr_t chunkNext = 0;  // next uncarved address of the current reservation
  uintptr_t chunkEnd = 0;
} stackpool;

struct {
  mutex lock;
  stklist free[NumLargeOrders];  // by log2 of the size; guarded by lock
} stacklarge;

// Per P, indexed by p.id (the sudog cache does the same): owned by the M holding the P.
// A cache line each (like sudogcache): unaligned, one P's counts shared a line with the next
// P's first slots.
struct alignas(64) stackcache_t {
  uintptr_t stk[NumStackOrders][StackCacheCap];
  int32_t n[NumStackOrders];
};
stackcache_t stackcaches[MaxGomaxprocs];

std::atomic<uint64_t> statReserved{0}, statInuse{0}, statMadvised{0}, statPooled{0};

int log2of(uintptr_t n) { return 63 - __builtin_clzll(n); }

// Carves n bytes (a power of two) from the current reservation. stackpool.lock is held.
uintptr_t carve(uintptr_t n) {
  // Stacks of a page or more start on a page (madvise gives whole pages back); smaller ones
  // share pages.
  uintptr_t align = n < PageBytes ? n : PageBytes;
  stackpool.chunkNext = (stackpool.chunkNext + align - 1) & ~(align - 1);
  if (stackpool.chunkNext > stackpool.chunkEnd) stackpool.chunkNext = stackpool.chunkEnd;
  if (stackpool.chunkEnd - stackpool.chunkNext < n) {
    uintptr_t sz = n > StackChunk ? n : StackChunk;
    stackpool.chunkNext = reinterpret_cast<uintptr_t>(sysReserve(sz));
    stackpool.chunkEnd = stackpool.chunkNext + sz;
    statReserved.fetch_add(sz, std::memory_order_relaxed);
  }
  uintptr_t lo = stackpool.chunkNext;
  stackpool.chunkNext += n;
  return lo;
}

void giveback(uintptr_t lo, uintptr_t n) {
  // Stacks smaller than a page share their page with a neighbour that may be in use (madvise
  // would round the length up and zero it): they stay committed.
  if (n < PageBytes) return;
  madvise(reinterpret_cast<void*>(lo), n, MADV_DONTNEED);
  statMadvised.fetch_add(n, std::memory_order_relaxed);
}

// Moves half a cache's worth of order-`order` stacks from the global pool (carving new ones
// if it runs dry) into c. Go's stackcacherefill.
void stackcacherefill(stackcache_t* c, int order) {
  uintptr_t size = uintptr_t(StackMin) << order;
  lock(&stackpool.lock);
  stklist& l = stackpool.free[order];
  while (c->n[order] < StackCacheCap / 2) {
    uintptr_t x;
    if (l.n > 0) {
      x = l.pop();
      statPooled.fetch_sub(size, std::memory_order_relaxed);
    } else {
      x = carve(size);
    }
    c->stk[order][c->n[order]++] = x;
  }
  unlock(&stackpool.lock);
}

// Moves half of c's order-`order` stacks to the global pool. Go's stackcacherelease.
void stackcacherelease(stackcache_t* c, int order) {
  uintptr_t size = uintptr_t(StackMin) << order;
  lock(&stackpool.lock);
  stklist& l = stackpool.free[order];
  while (c->n[order] > StackCacheCap / 2) {
    uintptr_t x = c->stk[order][--c->n[order]];
    if (l.n >= StackPoolKeep) giveback(x, size);  // one system call per stack: only beyond the keep
    l.push(x);
    statPooled.fetch_add(size, std::memory_order_relaxed);
  }
  unlock(&stackpool.lock);
}

stackcache_t* mycache() {
  g* gp = getg();
  if (gp == nullptr || gp->m == nullptr || gp->m->p == nullptr) return nullptr;
  return &stackcaches[gp->m->p->id];
}

}  // namespace

void stackinit() {}

stack stackalloc(uint32_t n) {
  GOL_ASSERT(n >= StackMin && (n & (n - 1)) == 0, "stackalloc: bad size", " (n=", n, ")");
  int order = log2of(n) - log2of(StackMin);
  uintptr_t lo;
  if (order < NumStackOrders) {
    if (stackcache_t* c = mycache()) {
      if (c->n[order] == 0) stackcacherefill(c, order);
      lo = c->stk[order][--c->n[order]];
    } else {  // no P (bootstrap, a thread outside the scheduler): the global pool
      lock(&stackpool.lock);
      stklist& l = stackpool.free[order];
      if (l.n > 0) {
        lo = l.pop();
        statPooled.fetch_sub(n, std::memory_order_relaxed);
      } else {
        lo = carve(n);
      }
      unlock(&stackpool.lock);
    }
  } else {
    int lg = log2of(n);
    lock(&stacklarge.lock);
    stklist& l = stacklarge.free[lg];
    bool found = l.n > 0;
    if (found) lo = l.pop();
    unlock(&stacklarge.lock);
    if (found) {
      statPooled.fetch_sub(n, std::memory_order_relaxed);
    } else {
      lock(&stackpool.lock);
      lo = carve(n);
      unlock(&stackpool.lock);
    }
  }
  statInuse.fetch_add(n, std::memory_order_relaxed);
#if GOL_DEBUG_CHECKS
  *reinterpret_cast<uint64_t*>(lo) = StackCanary;
#endif
  return stack{lo, lo + n};
}

void stackfree(stack stk, uint32_t n) {
  GOL_ASSERT(stk.hi - stk.lo == n && n >= StackMin && (n & (n - 1)) == 0, "stackfree: bad stack size", " (n=", n,
             ")");
  statInuse.fetch_sub(n, std::memory_order_relaxed);
  int order = log2of(n) - log2of(StackMin);
  if (order < NumStackOrders) {
    if (stackcache_t* c = mycache()) {
      if (c->n[order] == StackCacheCap) stackcacherelease(c, order);
      c->stk[order][c->n[order]++] = stk.lo;
    } else {
      lock(&stackpool.lock);
      stackpool.free[order].push(stk.lo);
      statPooled.fetch_add(n, std::memory_order_relaxed);
      unlock(&stackpool.lock);
    }
    return;
  }
  // A large segment: only growth uses them, and growth keeps its segments cached on the G,
  // so one freed here was shrunk away: give its memory back now.
  giveback(stk.lo, n);
  lock(&stacklarge.lock);
  stacklarge.free[log2of(n)].push(stk.lo);
  unlock(&stacklarge.lock);
  statPooled.fetch_add(n, std::memory_order_relaxed);
}

void stackcache_clear(p* pp) {
  stackcache_t* c = &stackcaches[pp->id];
  for (int order = 0; order < NumStackOrders; order++) {
    uintptr_t size = uintptr_t(StackMin) << order;
    lock(&stackpool.lock);
    while (c->n[order] > 0) {
      stackpool.free[order].push(c->stk[order][--c->n[order]]);
      statPooled.fetch_add(size, std::memory_order_relaxed);
    }
    unlock(&stackpool.lock);
  }
}

stackstats readstackstats() {
  return stackstats{statReserved.load(), statPooled.load(), statInuse.load(), statMadvised.load()};
}

void stackcheck([[maybe_unused]] g* gp) {
#if GOL_DEBUG_CHECKS
  if (gp->stackseg == nullptr && gp->stack.lo != 0 && *reinterpret_cast<uint64_t*>(gp->stack.lo) != StackCanary) {
    print("runtime: goroutine ", gp->goid, " overflowed its ", gp->stack.hi - gp->stack.lo, "-byte stack\n");
    gothrow("stack overflow");
  }
#endif
}

}  // namespace gol::rt
