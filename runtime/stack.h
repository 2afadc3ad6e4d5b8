// stack.h: goroutine stacks (stack.cpp) and their growth (morestack.cpp). HACKING.md's
// "Stacks" section has the design; ../shared/notes/segmented-stacks.md the measurements.
//
// A goroutine starts on a small stack (FixedStack, 2 KiB) and grows by
// *segments*: when the prologue check of a compiled function finds too little room below the
// stack pointer, the function continues on a new, larger segment (gol_growstack), and returns
// to the old one when it returns. Nothing is ever copied (conservative stack scanning forbids
// moving stacks). Each growth segment stays cached on the G after use, so a call that crosses
// the same boundary in a loop pays ~100 instructions, not an allocation ("hot split").
//
//   first stack (2 KiB)        growth segment 1 (8 KiB)         growth segment 2 (16 KiB) ...
//   [lo ......... hi)           [lo ............ hdr|stkseg]      [lo ............ hdr|stkseg]
//        ^ frames grow down          ^ frames           ^ header at the top: prev/next links,
//                                                         the caller's sp in the segment below
//
// g.stack is always the segment the G runs on now; g.stackseg its header (null on the first
// stack); the headers link down to the first stack (prev, prevstack, prevsp) and up to the
// cached segment (next). g.stackcache is the cached segment above the first stack.
//
// The prologue check compares sp with the per-thread copy gol_stackguard of
// g.stackguard0 = stack.lo + StackGuard. Below the guard, StackGuard bytes stay for the
// runtime (C++ called from compiled code runs with no checks) and for frames smaller than
// the big-frame threshold; bigger frames check `sp - need`.
#pragma once
#include <cstdint>
#include <type_traits>

#include "runtime2.h"

namespace gol::rt {
struct g;
}

extern "C" {
// The running goroutine's stackguard0, per thread (DESIGN §4): the prologue check of compiled
// code is `cmpq %fs:gol_stackguard@TPOFF, %rsp; jb more`. Written by the context switch
// (gogo: the G's guard; mcall: 0 on g0), by the segment switch, and by preemptone through
// m.stackguardp (StackPreempt). Local-exec TLS: programs and tests are executables.
extern __thread uintptr_t gol_stackguard __attribute__((tls_model("local-exec")));

// The slow path of the prologue check (compiled code's gol.more.<sig> calls it): handles a
// preemption request, then calls thunk(args, res) on a segment with at least `need` bytes
// free below its guard, switching to a new (or cached) segment if this one is too small.
void gol_growstack(void (*thunk)(void* args, void* res), void* args, void* res, uintptr_t need);

// The slow path of a loop poll (a back-edge of a call-free loop found sp below the guard):
// only a preemption request can do that.
void gol_morestack_poll();

// After a recovery resumed a frame whose sp is on a lower segment (a longjmp-like jump):
// makes that segment current again (the ones above stay cached) and resets the guard.
void gol_seg_reset_to_sp(gol::rt::g* gp, uintptr_t sp);

// The segment switch (morestack.cpp, asm): calls fn(args, res) with rsp = sp, returns on the
// caller's stack. Named __morestack so that gdb's backtraces cross segments.
void __morestack(uintptr_t sp, void (*fn)(void* args, void* res), void* args, void* res);
}

namespace gol::rt {

// ---- sizes ----
constexpr uint32_t StackMin = 2 << 10;  // a new goroutine's first stack (as Go)
// The first stack's size. Programs use StackMin; the runtime's unit tests raise it
// (export_test.cpp), because they run C++ (doctest, exceptions) on goroutine stacks, and
// C++ has no stack checks. Set before any goroutine exists.
inline uint32_t FixedStack = StackMin;
// The main goroutine's first stack. Go's main goroutine starts at 2 KiB too, but its stack is
// copied once to a bigger one and stays there; a segment never moves, so a main loop that
// calls across the first boundary would switch segments on every call ("hot split": fmt's
// Sprintf in a loop spent a fifth of its time there). One 64 KiB stack costs nothing.
constexpr uint32_t MainStack = 64 << 10;
// Bytes below stackguard0 that compiled code leaves free: runtime calls (C++, unchecked),
// the spill area of small frames, the red zone of unchecked leaves, the slow path itself.
// Under ThreadSanitizer the runtime's C++ is instrumented and its frames are several times
// bigger, and TSan's own runtime runs on the same stack: 16 KiB there (that build only runs
// the runtime's unit tests, which have no compiled code relying on 1 KiB).
#if defined(__SANITIZE_THREAD__)
constexpr uintptr_t StackGuard = 16 << 10;
#else
constexpr uintptr_t StackGuard = 1 << 10;
#endif
// Runtime calls that need more than StackGuard get their own check at the call site
// (compiler/safepoint.cpp, which keeps the same table of needs); panics move to a stack with
// at least PanicStack bytes (ensurestack).
constexpr uintptr_t PanicStack = 16 << 10;
// Frames whose allocas total more than this check `sp - need` (compiler/safepoint.cpp).
constexpr uintptr_t StackBigFrame = 256;
constexpr uintptr_t StackSegMin = StackGuard * 8;  // the first growth segment (8 KiB: from the per-P caches)
constexpr uintptr_t StackSegMax = 64 << 20;  // segments double up to this (unless a frame needs more)
constexpr uintptr_t MaxStackSize = 1000000000;  // Go's maxstacksize on 64-bit: all segments together
// stackguard0's value while a preemption is requested: above every stack pointer, so every
// stack check fails (Go's stackPreempt, 0xfffffade on 32 bits).
constexpr uintptr_t StackPreempt = uintptr_t(-1314);

// ---- allocation (stack.cpp) ----
// Stacks are powers of two from StackMin, carved from 1 GiB reservations (never one mmap per
// stack), huge pages off. Orders 0..NumStackOrders-1 (2-32 KiB) are cached per P (Go's
// stackcache: no lock); the rest come from global free lists under a lock. Freed stacks
// beyond what the pools keep get MADV_DONTNEED.
constexpr int NumStackOrders = 5;
constexpr int StackCacheCap = 32;  // stacks per order per P; refill/drain move half
void stackinit();
stack stackalloc(uint32_t n);  // n: a power of two >= StackMin
void stackfree(stack stk, uint32_t n);
void stackcache_clear(p* pp);  // returns pp's cached stacks to the global pool (P going away, GC)
void stackcheck(g* gp);        // GOL_DEBUG_CHECKS: throws if gp's first stack overflowed
struct stackstats {
  uint64_t reserved;    // address space reserved for stacks
  uint64_t pooled;      // bytes of free stacks in the global pools
  uint64_t inuse;       // bytes of stacks handed out and not freed
  uint64_t madvised;    // bytes given back with MADV_DONTNEED so far
};
stackstats readstackstats();

// ---- segments (morestack.cpp) ----
struct stkseg {
  uintptr_t lo;         // the segment's lowest address; the stack is [lo, this)
  uintptr_t size;       // of the whole allocation [lo, lo+size), header included
  stkseg* next;         // the cached segment above this one (not in use), or null
  stkseg* prev;         // the segment below in use (the caller's), or null: the first stack
  struct stack prevstack;  // the segment below: g.stack to restore on return
  uintptr_t prevsp;     // sp in the segment below when this one was entered
  uintptr_t total;      // bytes of all segments in use, this one included (the 1 GB limit)
};
static_assert(sizeof(stkseg) % 16 == 0, "stack segment header keeps the top 16-byte aligned");

// Calls fn(lo, hi) for each in-use stack range of gp, innermost first: [sp, g.stack.hi) of
// the current segment, then [prevsp, hi) of each segment below. sp is where the G's frames
// end: gobuf.sp for a suspended G (or its syscallsp), the current sp for the caller itself.
// For the collector's conservative scan; gp must not run (or be the caller).
void forEachStackSegment(g* gp, uintptr_t sp, void (*fn)(uintptr_t lo, uintptr_t hi, void* arg), void* arg);
// Releases gp's cached segments that are not in use (the G does not run): at GC (shrinkstacks)
// and when a G that went deep parks (stackpark).
void shrinkstack(g* gp);
// For the collector, with the world stopped: shrinkstack for every G that does not run.
void shrinkstacks();
// gopark's hook, on the G's own stack: a G that went past its first growth segment gives its
// cached segments back before it sleeps. Cheap when there is nothing cached.
void stackparkslow(g* gp);
inline void stackpark(g* gp) {
  if (gp->stackcache != nullptr && gp->stackcache->next != nullptr) stackparkslow(gp);
}
// gfput's hook: a dead G keeps only its first stack (it may have died on a growth segment
// through Goexit); everything else goes back to the pools.
void stackgfput(g* gp);
// ---- runtime code that needs more room than a goroutine's headroom (morestack.cpp) ----
// Runtime C++ has no stack checks: called from compiled code, it runs in what the call site's
// check guaranteed (compiler/safepoint.cpp: StackGuard plus the callee's `need`, which is small
// for the blocking entry points so that a parked goroutine fits in its first stack). Paths
// deeper than that leave the goroutine's stack:
//  - systemstack(fn): runs fn on the M's g0 stack (below g0.sched.sp, free while a goroutine
//    runs) and returns. getg() stays the goroutine: fn must not park, mcall, or run compiled
//    code (Go's rule for systemstack). Used by goready and gothrow.
//  - ensurestack(need, fn): runs fn on the goroutine's own stack, on a growth segment if fewer
//    than `need` bytes are left; fn may park (panics, allocation that may start a collection).
// Both call fn directly when already off the goroutine's current segment or on g0.
void systemstack(void (*fn)(void*), void* arg);
void ensurestack(uintptr_t need, void (*fn)(void*), void* arg);
template <class F>
inline void systemstack(F&& f) {
  systemstack([](void* a) { (*static_cast<std::remove_reference_t<F>*>(a))(); }, &f);
}
template <class F>
inline void ensurestack(uintptr_t need, F&& f) {
  ensurestack(need, [](void* a) { (*static_cast<std::remove_reference_t<F>*>(a))(); }, &f);
}

// Sets gp's guard to the value its current segment needs (or StackPreempt if a preemption is
// pending), in g.stackguard0 and, when gp runs on this thread, in gol_stackguard.
void stackguardrestore(g* gp);

}  // namespace gol::rt
