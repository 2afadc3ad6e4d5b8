// syscall.cpp: system calls (Go 1.5's reentersyscall, entersyscall, entersyscallblock,
// exitsyscall and its fast and slow paths, from proc1.go), and the blocking-call wrappers the
// standard library uses (gol_sys_*, abi.h).
//
// A G that enters the kernel keeps its M, but its P must not sit idle for the length of
// the call. entersyscall only marks the P Psyscall (a cheap store: most calls are short);
// sysmon retakes a P that stays Psyscall for a whole tick while other work waits, and hands
// it to another M (retake → handoffp). entersyscallblock, for calls known to block, hands the
// P off at once. exitsyscall then needs a P again: the old one if nobody took it (the fast
// path, one CAS), else any idle P (exitsyscallfast_pidle), else the G becomes runnable on the
// global queue and the M sleeps (exitsyscall0 on g0).
//
// While a G is Gsyscall its stack is its own, but a collector must scan it: the entry saves
// the caller's sp (everything above it is live), pc, frame pointer and callee-saved registers
// (pointers the caller may hold only in registers) in g.syscall*. These functions must be
// called directly by the function that makes the system call, and that function must call
// exitsyscall before it returns.
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "abi.h"
#include "runtime.h"
#include "trace.h"

namespace gol::rt {
namespace {

// The registers of the function that called the entry point, captured first thing in the
// entry point's body (before its own code can touch them; its prologue only pushes them).
// Written as a macro: __builtin_frame_address(0) must be the entry point's own frame.
#if defined(__x86_64__)
#define GOL_CAPTURE_CALLER(regs, pc, sp, bp)                                                        \
  asm volatile("movq %%rbx, %0\n\tmovq %%r12, %1\n\tmovq %%r13, %2\n\tmovq %%r14, %3\n\tmovq %%r15, %4" \
               : "=m"(regs[0]), "=m"(regs[1]), "=m"(regs[2]), "=m"(regs[3]), "=m"(regs[4]));       \
  do {                                                                                              \
    auto* fp_ = static_cast<uintptr_t*>(__builtin_frame_address(0));                                \
    bp = fp_[0];        /* the caller's rbp, saved by our prologue */                              \
    regs[5] = bp;                                                                                   \
    pc = fp_[1];        /* our return address: in the caller */                                    \
    sp = uintptr_t(fp_ + 2); /* the caller's sp before it called us */                              \
  } while (0)
#else
#define GOL_CAPTURE_CALLER(regs, pc, sp, bp)                                     \
  do {                                                                           \
    __builtin_unwind_init();                                                     \
    for (auto& r_ : regs) r_ = 0;                                                \
    pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));               \
    sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));                \
    bp = *static_cast<uintptr_t*>(__builtin_frame_address(0));                   \
  } while (0)
#endif

void savesyscall(g* gp, uintptr_t pc, uintptr_t sp, uintptr_t bp, const uintptr_t* regs) {
  gp->syscallpc = pc;
  gp->syscallbp = bp;
  if (regs != nullptr) std::memcpy(gp->syscallregs, regs, sizeof gp->syscallregs);
  gp->syscallsp = sp;
}

void entersyscall_sysmon() {
  lock(&sched.lock);
  if (sched.sysmonwait.load() != 0) {
    sched.sysmonwait.store(0);
    notewakeup(&sched.sysmonnote);
  }
  unlock(&sched.lock);
}

// The world is being stopped: give our P up now rather than make stopTheWorld wait.
void entersyscall_gcwait() {
  p* pp = getg()->m->p;
  lock(&sched.lock);
  uint32_t s = Psyscall;
  if (sched.stopwait > 0 && pp->status.compare_exchange_strong(s, Pgcstop)) {
    pp->syscalltick++;
    if (--sched.stopwait == 0) notewakeup(&sched.stopnote);
  }
  unlock(&sched.lock);
}

void reentersyscall1(uintptr_t pc, uintptr_t sp, uintptr_t bp, const uintptr_t* regs) {
  g* gp = getg();
  m* mp = gp->m;
  // Disable preemption because during this function g is in Gsyscall status, but can have
  // inconsistent g->sched; do not let GC observe it.
  mp->locks++;

  // Leave SP around for GC and traceback.
  savesyscall(gp, pc, sp, bp, regs);
  casgstatus(gp, Grunning, Gsyscall);
  GOL_DCHECK(gp->syscallsp >= gp->stack.lo && gp->syscallsp <= gp->stack.hi, "entersyscall inconsistent", " sp=",
             gp->syscallsp);

  if (sched.sysmonwait.load() != 0) entersyscall_sysmon();
  if (mp->p->runSafePointFn.load() != 0) runSafePointFn();

  p* pp = mp->p;
  mp->syscalltick = pp->syscalltick.load();
  if (traceEnabled) [[unlikely]] traceSyscallEnter(gp, pp, false);
  __atomic_store_n(&pp->m, nullptr, __ATOMIC_RELAXED);
  pp->status.store(Psyscall);
  if (sched.gcwaiting.load() != 0) entersyscall_gcwait();
  mp->locks--;
}

void entersyscallblock1(uintptr_t pc, uintptr_t sp, uintptr_t bp, const uintptr_t* regs) {
  g* gp = getg();
  m* mp = gp->m;
  mp->locks++;  // see comment in entersyscall
  mp->syscalltick = mp->p->syscalltick.load();
  mp->p->syscalltick++;

  // Leave SP around for GC and traceback.
  savesyscall(gp, pc, sp, bp, regs);
  casgstatus(gp, Grunning, Gsyscall);
  if (traceEnabled) [[unlikely]] traceSyscallEnter(gp, mp->p, true);
  if (traceEnabled) [[unlikely]] traceHandoff(mp->p, nullptr, "syscall block");
  // entersyscallblock_handoff (Go runs it on the system stack)
  handoffp(releasep());
  mp->locks--;
}

bool exitsyscallfast_pidle() {
  lock(&sched.lock);
  p* pp = pidleget();
  if (pp != nullptr && sched.sysmonwait.load() != 0) {
    sched.sysmonwait.store(0);
    notewakeup(&sched.sysmonnote);
  }
  unlock(&sched.lock);
  if (pp != nullptr) {
    acquirep(pp);
    return true;
  }
  return false;
}

bool exitsyscallfast() {
  m* mp = getg()->m;
  // Freezetheworld sets stopwait but does not retake P's.
  if (sched.stopwait.load() == FreezeStopWait) {
    storeRelaxed(mp->p, nullptr);
    return false;
  }
  // Try to re-acquire the last P.
  p* pp = mp->p;
  uint32_t s = Psyscall;
  if (pp != nullptr && pp->status.load() == Psyscall && pp->status.compare_exchange_strong(s, Prunning)) {
    // There's a cpu for us, so we can run.
    __atomic_store_n(&pp->m, mp, __ATOMIC_RELAXED);
    if (mp->syscalltick != pp->syscalltick.load()) pp->syscalltick++;
    return true;
  }
  // Try to get any other idle P.
  storeRelaxed(mp->p, nullptr);
  if (sched.npidle.load() != 0 && exitsyscallfast_pidle()) return true;
  return false;
}

// exitsyscall slow path on g0. Failed to acquire P, enqueue gp as runnable.
void exitsyscall0(g* gp) {
  m* mp = getg()->m;
  casgstatus(gp, Gsyscall, Grunnable);
  dropg();
  lock(&sched.lock);
  p* pp = pidleget();
  if (pp == nullptr) {
    globrunqput(gp);
  } else if (sched.sysmonwait.load() != 0) {
    sched.sysmonwait.store(0);
    notewakeup(&sched.sysmonnote);
  }
  unlock(&sched.lock);
  if (pp != nullptr) {
    acquirep(pp);
    execute(gp, false);  // Never returns.
  }
  if (mp->lockedg != nullptr) {
    // Wait until another thread schedules gp and so m again.
    stoplockedm();
    execute(gp, false);  // Never returns.
  }
  stopm();
  schedule();  // Never returns.
}

}  // namespace

__attribute__((noinline)) void entersyscall() {
  uintptr_t regs[6], pc, sp, bp;
  GOL_CAPTURE_CALLER(regs, pc, sp, bp);
  reentersyscall1(pc, sp, bp, regs);
}

// For callers that know the frame the call returns to (Go: cgo callbacks).
void reentersyscall(uintptr_t pc, uintptr_t sp, uintptr_t bp) { reentersyscall1(pc, sp, bp, nullptr); }

__attribute__((noinline)) void entersyscallblock() {
  uintptr_t regs[6], pc, sp, bp;
  GOL_CAPTURE_CALLER(regs, pc, sp, bp);
  entersyscallblock1(pc, sp, bp, regs);
}

// The goroutine exited its system call: arrange for it to run on a cpu again.
__attribute__((noinline)) void exitsyscall() {
  g* gp = getg();
  gp->m->locks++;  // see comment in entersyscall
  if (getsp() > gp->syscallsp) gothrow("exitsyscall: syscall frame is no longer valid");
  gp->waitsince = 0;
  if (traceEnabled) [[unlikely]] traceSyscallExit(gp);
  if (exitsyscallfast()) {
    m* mp = gp->m;
    // There's a cpu for us, so we can run.
    mp->p->syscalltick++;
    // We need to cas the status and scan before resuming...
    casgstatus(gp, Gsyscall, Grunning);
    if (traceEnabled) [[unlikely]] traceGoStart(gp, false);
    // Garbage collector isn't running (since we are), so okay to clear syscallsp.
    gp->syscallsp = 0;
    mp->locks--;
    // A preemption request that arrived during the call (sysmon saw the P Prunning just
    // before) stays pending; Go restores it the same way.
    if (__atomic_load_n(&gp->preempt, __ATOMIC_RELAXED)) setstackguard(gp, StackPreempt);
    return;
  }
  gp->m->locks--;

  // Call the scheduler.
  mcall(exitsyscall0);

  // Scheduler returned, so we're allowed to run now (perhaps on another M). Delete the
  // syscallsp information that we left for the garbage collector during the system call.
  gp->syscallsp = 0;
  gp->m->p->syscalltick++;
}

}  // namespace gol::rt

// ---- the ABI (abi.h) ----
using namespace gol::rt;

extern "C" {

__attribute__((noinline)) void gol_entersyscall() {
  uintptr_t regs[6], pc, sp, bp;
  GOL_CAPTURE_CALLER(regs, pc, sp, bp);
  reentersyscall1(pc, sp, bp, regs);
}

__attribute__((noinline)) void gol_entersyscallblock() {
  uintptr_t regs[6], pc, sp, bp;
  GOL_CAPTURE_CALLER(regs, pc, sp, bp);
  entersyscallblock1(pc, sp, bp, regs);
}

void gol_exitsyscall() { exitsyscall(); }

int64_t gol_sys_read(int64_t fd, void* p, int64_t n) {
  entersyscall();
  ssize_t r = ::read(int(fd), p, size_t(n));
  int e = errno;
  exitsyscall();
  return r < 0 ? -int64_t(e) : int64_t(r);
}

int64_t gol_sys_write(int64_t fd, const void* p, int64_t n) {
  entersyscall();
  ssize_t r = ::write(int(fd), p, size_t(n));
  int e = errno;
  exitsyscall();
  return r < 0 ? -int64_t(e) : int64_t(r);
}

int64_t gol_sys_open(const uint8_t* path, int64_t pathlen, int64_t flags, int64_t mode) {
  char buf[4096];  // the kernel's PATH_MAX, NUL included
  if (pathlen < 0 || pathlen >= int64_t(sizeof buf)) return -ENAMETOOLONG;
  std::memcpy(buf, path, size_t(pathlen));
  buf[pathlen] = 0;
  if (std::memchr(buf, 0, size_t(pathlen)) != nullptr) return -EINVAL;  // Go's ByteSliceFromString
  entersyscall();
  int r = ::open(buf, int(flags) | O_CLOEXEC, mode_t(mode));
  int e = errno;
  exitsyscall();
  return r < 0 ? -int64_t(e) : int64_t(r);
}

int64_t gol_sys_close(int64_t fd) {
  entersyscall();
  int r = ::close(int(fd));
  int e = errno;
  exitsyscall();
  return r < 0 ? -int64_t(e) : 0;
}

int64_t gol_sys_pipe2(int32_t* fds, int64_t flags) {
  int f[2];
  int r = ::pipe2(f, int(flags) | O_CLOEXEC);  // never blocks: no entersyscall
  if (r < 0) return -int64_t(errno);
  fds[0] = f[0];
  fds[1] = f[1];
  return 0;
}

}  // extern "C"
