// stack.cpp: goroutine stacks (Go's stack1.go, reduced to what fixed-size stacks need).
//
// Every stack is FixedStack bytes carved from large reservations (sysReserve: one mapping
// per StackChunk, not one per stack: vm.max_map_count allows about 65k mappings, and one
// big mmap is ~100x cheaper than many small ones, TOOLCHAIN.md). The OS commits pages on
// first touch, so an idle goroutine costs the pages it used, typically one.
//
// Freed stacks go on a free list and are reused as they are (still committed). Go keeps a
// dead G's stack with the G on the gfree list (gfput), so stackfree is rare.
//
// No guard pages: one per stack would split the mapping into two VMAs per stack and fail
// near 32k goroutines. An overflowing goroutine silently writes into the stack below it
// until the compiler's prologue check exists (DESIGN §4); with GOL_DEBUG_CHECKS a canary
// at stack.lo catches it after the fact, at the next switch.
//
// Later: per-P stack caches, small first segments that grow (notes/segmented-stacks.md),
// MADV_DONTNEED for long free lists.
#include "runtime.h"

namespace gol::rt {
namespace {

constexpr uintptr_t StackChunk = uintptr_t(1) << 30;  // 4096 stacks per mapping
constexpr uint64_t StackCanary = 0x676f6c5354414b21;  // "golSTAK!"

struct freestack {
  freestack* next;  // stored at the free stack's lo
};

struct {
  mutex lock;
  // Guarded by lock.
  freestack* free = nullptr;
  uintptr_t chunkNext = 0;  // next uncarved address of the current reservation
  uintptr_t chunkEnd = 0;
} stackpool;

}  // namespace

void stackinit() {}

stack stackalloc(uint32_t n) {
  GOL_ASSERT(n == FixedStack, "stackalloc: only FixedStack-sized stacks exist yet", " (n=", n, ")");
  lock(&stackpool.lock);
  uintptr_t lo;
  if (freestack* s = stackpool.free) {
    stackpool.free = s->next;
    lo = reinterpret_cast<uintptr_t>(s);
  } else {
    if (stackpool.chunkNext == stackpool.chunkEnd) {
      stackpool.chunkNext = reinterpret_cast<uintptr_t>(sysReserve(StackChunk));
      stackpool.chunkEnd = stackpool.chunkNext + StackChunk;
    }
    lo = stackpool.chunkNext;
    stackpool.chunkNext += n;
  }
  unlock(&stackpool.lock);
#if GOL_DEBUG_CHECKS
  *reinterpret_cast<uint64_t*>(lo) = StackCanary;
#endif
  return stack{lo, lo + n};
}

void stackfree(stack stk, uint32_t n) {
  GOL_ASSERT(stk.hi - stk.lo == n && n == FixedStack, "stackfree: bad stack size");
  auto* s = reinterpret_cast<freestack*>(stk.lo);
  lock(&stackpool.lock);
  s->next = stackpool.free;
  stackpool.free = s;
  unlock(&stackpool.lock);
}

void stackcheck([[maybe_unused]] g* gp) {
#if GOL_DEBUG_CHECKS
  if (gp->stack.lo != 0 && *reinterpret_cast<uint64_t*>(gp->stack.lo) != StackCanary) {
    print("runtime: goroutine ", gp->goid, " overflowed its ", FixedStack, "-byte stack\n");
    gothrow("stack overflow");
  }
#endif
}

}  // namespace gol::rt
