// morestack.cpp: the slow path of the prologue check and of loop polls (Go's morestack →
// newstack), segment growth, shrinking, and the segment switch __morestack. stack.h has the
// picture; ../shared/notes/segmented-stacks.md the prototype and its measurements.
//
// Compiled code (compiler/safepoint.cpp) starts every function with
//
//     cmpq %fs:gol_stackguard@TPOFF, %rsp ; jb more      (big frames: lea -need(%rsp) first)
//   more:
//     tail call gol.more.<sig>(fn, need, args...)         packs the arguments, then calls
//     gol_growstack(gol.thunk.<sig>, &args, &res, need)   which calls fn again through the
//                                                         thunk, on a stack with room
//
// and polls at the latches of call-free loops with the same compare, calling
// gol_morestack_poll. gol_growstack:
//   1. a preemption request (stackguard0 == StackPreempt, set by sysmon's preemptone): the G
//      yields (gopreempt, the scheduler's); if the segment has room it then calls the thunk
//      right here;
//   2. otherwise it takes the cached segment above this one (g.stackcache / seg.next) or
//      allocates one twice as big (8 KiB .. 64 MiB, or what the frame needs), refusing past
//      MaxStackSize in all ("goroutine stack exceeds 1000000000-byte limit");
//   3. switches to it with __morestack, which calls the thunk there; on return the G is back
//      on the old segment, and the new one stays cached for the next crossing (hot splits).
//
// Everything here runs in the StackGuard headroom below the failing frame (1 KiB) until the
// switch: finding or allocating the segment (a lock, maybe mmap/madvise) runs on the M's g0
// stack (systemstack), as does the overflow report. Programs link with -z now, so no lazy
// PLT resolution runs here. The same growth serves the runtime's own ensurestack (stack.h).
#include "runtime.h"
#include "trace.h"

// ---- the segment switch ----
//
// void __morestack(uintptr_t sp /* rdi */, void (*fn)(void*, void*) /* rsi */,
//                  void* args /* rdx */, void* res /* rcx */)
// Calls fn(args, res) with rsp = sp (16-byte aligned: fn sees the ABI's sp % 16 == 8) and
// returns on the caller's stack. The CFA is defined through rbp from the moment sp moves, so
// unwinders and debuggers walk from the new segment into the old one; the name is gdb's
// special case for split stacks ("previous frame inner to this frame" is allowed), so
// backtraces cross segments whatever their address order. Frame-pointer walks (tracebacks)
// follow the pushed rbp like any other frame. Used by both context backends.
#if defined(__x86_64__)
asm(R"(
        .text
        .globl  __morestack
        .type   __morestack, @function
        .p2align 4
__morestack:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        movq    %rdi, %rsp
        movq    %rsi, %rax
        movq    %rdx, %rdi
        movq    %rcx, %rsi
        callq   *%rax
        movq    %rbp, %rsp
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        retq
        .cfi_endproc
        .size   __morestack, .-__morestack
)");
#else
#error "morestack.cpp: the segment switch exists only for x86-64 (TODO: aarch64)"
#endif

namespace gol::rt {

// The scheduler's preemption (proc.cpp): yield if this M may, else keep the request and
// restore the guard. Weak until it lands: without it, gol_growstack yields by itself.
[[gnu::weak]] void gopreempt();

namespace {

constexpr uintptr_t SegSlack = 1024;  // above need + StackGuard: the thunk, __morestack, alignment


void freechain(stkseg* s) {
  while (s != nullptr) {
    stkseg* next = s->next;
    stackfree(stack{s->lo, s->lo + s->size}, uint32_t(s->size));
    s = next;
  }
}

stkseg* newseg(uintptr_t size) {
  stack s = stackalloc(uint32_t(size));
  auto* h = reinterpret_cast<stkseg*>(s.hi - sizeof(stkseg));
  *h = stkseg{};
  h->lo = s.lo;
  h->size = size;
  return h;
}

struct overflowinfo {
  g* gp;
  uintptr_t sp;
};

// Runs on g0's stack: the report may need more than the headroom left on the G's.
void overflowthrow(void* arg, void*) {
  auto* o = static_cast<overflowinfo*>(arg);
  print("runtime: goroutine stack exceeds ", uint64_t(MaxStackSize), "-byte limit\n");
  print("runtime: sp=", reinterpret_cast<void*>(o->sp), " stack=[", reinterpret_cast<void*>(o->gp->stack.lo), ", ",
        reinterpret_cast<void*>(o->gp->stack.hi), "]\n");
  gothrow("stack overflow");
}

[[noreturn]] void stackoverflow(g* gp, uintptr_t sp) {
  overflowinfo o{gp, sp};
  uintptr_t g0sp = gp->m->g0->sched.sp & ~uintptr_t(15);
  if (g0sp == 0) overflowthrow(&o, nullptr);
  __morestack(g0sp, overflowthrow, &o, nullptr);
  __builtin_unreachable();
}

// A preemption request reached a check: yield (the scheduler decides whether this M may), or
// at least put the guard back.
void preempt(g* gp) {
  if (gopreempt != nullptr) {
    gopreempt();
    stackguardrestore(getg());
    return;
  }
  // Fallback until the scheduler's gopreempt exists: Go 1.5's newstack.
  m* mp = gp->m;
  storeRelaxed(gp->preempt, false);
  storeRelaxed(gp->stackguard0, gp->stack.lo + StackGuard);
  storeRelaxed(gol_stackguard, gp->stack.lo + StackGuard);
  if (mp->locks == 0 && mp->p != nullptr) gosched();  // schedule() stops the P for a pending stop-the-world
}

}  // namespace

void stackguardrestore(g* gp) {
  uintptr_t guard = gp->stack.lo + StackGuard;
  bool mine = gp == getg();
  // Keep a request that arrived meanwhile (preemptone wrote StackPreempt into either copy).
  if (loadRelaxed(gp->stackguard0) == StackPreempt || (mine && loadRelaxed(gol_stackguard) == StackPreempt)) guard = StackPreempt;
  storeRelaxed(gp->stackguard0, guard);
  if (mine) storeRelaxed(gol_stackguard, guard);
}

void forEachStackSegment(g* gp, uintptr_t sp, void (*fn)(uintptr_t lo, uintptr_t hi, void* arg), void* arg) {
  fn(sp, gp->stack.hi, arg);
  for (stkseg* s = gp->stackseg; s != nullptr; s = s->prev) fn(s->prevsp, s->prevstack.hi, arg);
}

void shrinkstack(g* gp) {
  stkseg*& slot = gp->stackseg != nullptr ? gp->stackseg->next : gp->stackcache;
  stkseg* s = slot;
  slot = nullptr;
  freechain(s);
}

void shrinkstacks() {
  forEachG(
      [](g* gp, void*) {
        uint32_t st = readgstatus(gp) & ~uint32_t(Gscan);
        if (st == Gwaiting || st == Grunnable || st == Gdead) shrinkstack(gp);
      },
      nullptr);
}

void stackparkslow(g* gp) {
  // On the first stack, one cached segment is kept (a G that crosses its first boundary
  // between parks does not pay an allocation each time); a G that went deeper than that
  // gives everything back.
  stkseg* start = gp->stackseg != nullptr ? gp->stackseg->next : gp->stackcache;
  if (start == nullptr) return;
  if (gp->stackseg == nullptr && start->next == nullptr) return;
  shrinkstack(gp);
}

void stackgfput(g* gp) {
  if (stkseg* s = gp->stackseg) {  // died on a growth segment (Goexit): back to the first stack
    while (s->prev != nullptr) s = s->prev;
    gp->stack = s->prevstack;
    gp->stackseg = nullptr;
    gp->stackguard0 = gp->stack.lo + StackGuard;
  }
  stkseg* s = gp->stackcache;
  gp->stackcache = nullptr;
  freechain(s);
}

}  // namespace gol::rt

using namespace gol::rt;

namespace gol::rt {
namespace {

struct fnarg {
  void (*fn)(void*);
  void* arg;
};
void callfnarg(void* a, void*) {
  auto* f = static_cast<fnarg*>(a);
  f->fn(f->arg);
}

// Whether the caller runs on gp's current stack segment (not on g0, not on a signal stack, not
// inside systemstack).
inline bool ongstack(g* gp, uintptr_t sp) {
  return gp != nullptr && gp->m != nullptr && gp != gp->m->g0 && sp >= gp->stack.lo && sp < gp->stack.hi;
}

struct segwork {
  g* gp;
  stkseg** slot;
  uintptr_t min, want;
  stkseg* next;
};

// Frees the cached segment above the current one: it is too small for the frame that needs
// it. On g0 (systemstack): freeing may lock and madvise, more than the headroom below a
// failing check holds.
void dropcached(void* a) {
  auto* w = static_cast<segwork*>(a);
  freechain(*w->slot);
  *w->slot = nullptr;
}

void allocseg(void* a) {
  auto* w = static_cast<segwork*>(a);
  w->next = newseg(w->want);
  *w->slot = w->next;
}

// Calls thunk(args, res) on a segment with need bytes free below its guard: the next segment
// (cached or new). The caller found the current one too small. preemptok: a preemption
// request may be served first (compiled code's check); the runtime's ensurestack passes false
// (it may hold what a yield must not).
void growstack(g* gp, uintptr_t sp, void (*thunk)(void*, void*), void* args, void* res, uintptr_t need,
               bool preemptok) {
  uintptr_t guard = gp->stack.lo + StackGuard;
  if (preemptok && (loadRelaxed(gol_stackguard) != guard || loadRelaxed(gp->stackguard0) != guard)) {
    if (loadRelaxed(gol_stackguard) == StackPreempt || loadRelaxed(gp->stackguard0) == StackPreempt) {
      preempt(gp);  // may resume on another M
    } else {
      stackguardrestore(gp);  // a stale copy: nothing to do but fix it
    }
    if (sp > need && sp - need >= gp->stack.lo + StackGuard) {
      thunk(args, res);
      return;
    }
  }

  stkseg* cur = gp->stackseg;
  uintptr_t cursize = cur != nullptr ? cur->size : gp->stack.hi - gp->stack.lo;
  segwork w{gp, cur != nullptr ? &cur->next : &gp->stackcache, need + StackGuard + sizeof(stkseg) + SegSlack, 0,
            nullptr};
  w.want = cursize * 2;
  if (w.want < StackSegMin) w.want = StackSegMin;
  if (w.want > StackSegMax) w.want = StackSegMax;
  while (w.want < w.min) w.want *= 2;
  // A cached segment with room is the hot-split case: it is taken here, without the trip to
  // g0 that freeing a too-small one needs.
  stkseg* next = *w.slot;
  if (next != nullptr && next->size < w.min) {
    systemstack(dropcached, &w);
    next = nullptr;
  }
  uintptr_t total = (cur != nullptr ? cur->total : cursize) + (next != nullptr ? next->size : w.want);
  if (need >= MaxStackSize || total > MaxStackSize) stackoverflow(gp, sp);
  if (next == nullptr) {
    systemstack(allocseg, &w);
    next = w.next;
  }
  next->prev = cur;
  next->prevstack = gp->stack;
  // The frames below the caller's sp down to here (this function's saved registers may hold
  // the caller's pointers) stay in the range the collector scans.
  next->prevsp = getsp();
  next->total = total;

  gp->stack = stack{next->lo, reinterpret_cast<uintptr_t>(next)};
  gp->stackseg = next;
  stackguardrestore(gp);
  if (traceEnabled) [[unlikely]] traceStackGrow(gp, cursize, next->size);
  __morestack(reinterpret_cast<uintptr_t>(next), thunk, args, res);
  // Back on the old segment, maybe on another M (the G may have been preempted up there).
  gp = getg();
  gp->stack = next->prevstack;
  gp->stackseg = next->prev;
  stackguardrestore(gp);
}

}  // namespace

void systemstack(void (*fn)(void*), void* arg) {
  g* gp = getg();
  uintptr_t sp = getsp();
  uintptr_t g0sp = ongstack(gp, sp) ? gp->m->g0->sched.sp & ~uintptr_t(15) : 0;
  if (g0sp == 0) {
    fn(arg);
    return;
  }
  fnarg f{fn, arg};
  __morestack(g0sp, callfnarg, &f, nullptr);
}

void ensurestack(uintptr_t need, void (*fn)(void*), void* arg) {
  g* gp = getg();
  uintptr_t sp = getsp();
  if (!ongstack(gp, sp) || (sp > need && sp - need >= gp->stack.lo + StackGuard)) {
    fn(arg);
    return;
  }
  fnarg f{fn, arg};
  growstack(gp, sp, callfnarg, &f, nullptr, need, false);
}

}  // namespace gol::rt

using namespace gol::rt;

extern "C" void gol_growstack(void (*thunk)(void*, void*), void* args, void* res, uintptr_t need) {
  g* gp = getg();
  m* mp = gp->m;
  if (mp == nullptr || gp == mp->g0) {
    // Compiled code off a goroutine (the guard is 0 there): only a stray StackPreempt that
    // preemptone wrote just as the M switched to g0 gets here.
    storeRelaxed(gol_stackguard, 0);
    thunk(args, res);
    return;
  }
  growstack(gp, getsp(), thunk, args, res, need, true);
}

// After a recovery jumped back to a frame on a lower segment (panic.cpp's resume), the G
// continues there: the segments above become the cached ones again.
extern "C" void gol_seg_reset_to_sp(g* gp, uintptr_t sp) {
  while (gp->stackseg != nullptr && !(sp >= gp->stack.lo && sp < gp->stack.hi)) {
    stkseg* s = gp->stackseg;
    gp->stack = s->prevstack;
    gp->stackseg = s->prev;
  }
  stackguardrestore(gp);
}

extern "C" void gol_morestack_poll() {
  g* gp = getg();
  if (gp->m == nullptr || gp == gp->m->g0) {
    storeRelaxed(gol_stackguard, 0);
    return;
  }
  if (loadRelaxed(gol_stackguard) == StackPreempt || loadRelaxed(gp->stackguard0) == StackPreempt) {
    preempt(gp);
  } else {
    stackguardrestore(gp);
  }
}
