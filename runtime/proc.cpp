// proc.cpp: the goroutine scheduler, Go 1.5's proc1.go ported function by function (plus
// runtime.main from proc.go). Hold the seed beside this file: names, order of checks and
// control flow match, and each place that differs says why.
//
// The scheduler's job is to run ready goroutines (G) on OS threads (M); an M needs a P to
// run Go code (runtime2.h). The loop is:
//
//   schedule  (on g0)  picks a G: 1 time in 61 the global queue first (fairness), then the
//                      P's local queue, else findrunnable, which blocks until there is work
//   execute            marks it Grunning and gogo's to its saved context
//   ...the G runs until it calls into the scheduler through mcall, which saves its context
//   and continues on g0 in one of:
//   park_m             gopark: G becomes Gwaiting until someone goready's it
//   gosched_m          Gosched: G goes to the global queue
//   goexit0            G ended: Gdead, onto the P's gfree list
//   ...each of which ends by calling schedule again. g0's stack is reset on every mcall.
//
// Bootstrap (rt0_go): osinit, schedinit (Ps via procresize), newproc(runtime.main), mstart
// on the main thread's stack, which becomes m0's g0.
//
// Ms are threads started on demand: when a G becomes runnable and there is an idle P but no
// spinning M (wakep), startm hands the P to an idle M or a new one. An M without work
// spins for a while stealing from other Ps (findrunnable), then returns its P and sleeps
// (stopm). At most GOMAXPROCS Ms run Go code at once.
//
// Elsewhere: sysmon, retake and preemption requests (sysmon.cpp), system calls
// (syscall.cpp), stop-the-world and forEachP (preempt.cpp). Here also: LockOSThread
// (lockedm/lockedg), and the timer call sites (checkTimers in schedule and findrunnable, an
// idle M sleeping until the next timer, checkdead). Not yet: netpoll, GC hooks.
#include <cstdlib>
#include <cstring>
#include <tuple>

#include "abi.h"
#include "runtime.h"
#include "race.h"
#include "timer.h"
#include "trace.h"

extern "C" {
__thread gol::rt::g* gol_g __attribute__((tls_model("initial-exec"))) = nullptr;
}

namespace gol::rt {

schedt sched;
m m0;
g g0;
std::atomic<int32_t> gomaxprocs{0};
int32_t ncpu = 1;
std::atomic<p*> allp[MaxGomaxprocs + 1];
std::atomic<m*> allm{nullptr};

namespace {

// Every G ever created (Gs are never freed): allgs[0, allglen). Guarded by allglock;
// allglen is also read without it, by gcount. A plain realloc'd array rather than a
// std::vector keeps libgolrt.a free of libstdc++ (programs link with a C driver).
mutex allglock;
g** allgs = nullptr;
int32_t allgcap = 0;
std::atomic<int32_t> allglen{0};

// What runtime.main runs: the program's main.init and main.main (rt0_go's arguments).
void (*maininitfn)();
void (*mainmainfn)();

// Programs install signal handlers on m0 in mstart1; unit tests leave doctest's in place.
bool installsigs = false;

// Go's runtime.main: the main goroutine.
// The main goroutine starts on a 2 KiB stack like any other: the runtime's deep steps (newm,
// the C library's exit) run on the system stack.
void runtime_main(void*) {
  systemstack([] { startsysmon(); });
  maininitfn();
  mainmainfn();
  // Another goroutine is panicking: let it print and exit with 2 rather than exit with 0.
  if (panicking.load(std::memory_order_acquire) != 0) gopark(nullptr, nullptr, waitReasonPanicWait);
  systemstack([] { exit(0); });
  __builtin_unreachable();
}

[[noreturn]] void mstart1() {
  g* gp = getg();
  GOL_ASSERT(gp == gp->m->g0, "bad runtime·mstart");

  // Record where g0's stack is free from. schedule never returns, so every mcall restarts
  // g0 here and reuses the stack below; the 128 bytes skip a possible red zone.
  gp->sched.sp = (getsp() - 128) & ~uintptr_t(15);
  gp->sched.pc = ~uintptr_t(0);  // never resumed with gogo
  gp->sched.g = gp;
  minit();

  if (gp->m == &m0 && installsigs) initsig();
  if (void (*fn)() = gp->m->mstartfn) fn();
  if (gp->m != &m0) {
    acquirep(gp->m->nextp);
    gp->m->nextp = nullptr;
  }
  schedule();
}

void gfpurge(p* pp);

// Continuations of mcall: they run on g0 with the G that called mcall.

void park_m(g* gp) {
  m* mp = getg()->m;
  stackcheck(gp);
  if (traceEnabled) [[unlikely]] traceGoStop(gp, traceStopBlocked);
  casgstatus(gp, Grunning, Gwaiting);
  dropg();
  if (bool (*fn)(g*, void*) = mp->waitunlockf) {
    bool ok = fn(gp, mp->waitlock);
    mp->waitunlockf = nullptr;
    mp->waitlock = nullptr;
    if (!ok) {
      casgstatus(gp, Gwaiting, Grunnable);
      execute(gp, true);  // schedule it back, never returns
    }
  }
  schedule();
}

void goschedImpl(g* gp) {
  uint32_t status = readgstatus(gp);
  if ((status & ~Gscan) != Grunning) {
    dumpgstatus(gp);
    gothrow("bad g status");
  }
  casgstatus(gp, Grunning, Grunnable);
  dropg();
  lock(&sched.lock);
  globrunqput(gp);
  unlock(&sched.lock);
  schedule();
}

void gosched_m(g* gp) {
  stackcheck(gp);
  if (traceEnabled) [[unlikely]] traceGoStop(gp, traceStopGosched);
  goschedImpl(gp);
}

void goexit0(g* gp) {
  m* mp = getg()->m;
  stackcheck(gp);
  if (traceEnabled) [[unlikely]] traceGoStop(gp, traceStopExit);
  casgstatus(gp, Grunning, Gdead);
  storeRelaxed(gp->m, nullptr);
  gp->lockedm = nullptr;
  mp->lockedg = nullptr;
  __atomic_store_n(&gp->preempt, false, __ATOMIC_RELAXED);
  storeRelaxed(gp->waitreason, nullptr);
  gp->param = nullptr;
  dropg();
  mp->locked = 0;
  gfput(mp->p, gp);
  schedule();
}

bool parkunlock_c(g*, void* lk) {
  unlock(static_cast<mutex*>(lk));
  return true;
}

}  // namespace

// ---- bootstrap ----

void checkmcount() {
  // sched.lock is held
  if (sched.mcount > sched.maxmcount) {
    print("runtime: program exceeds ", sched.maxmcount, "-thread limit\n");
    gothrow("thread exhaustion");
  }
}

int32_t setMaxThreads(int32_t in) {
  lock(&sched.lock);
  int32_t out = int32_t(sched.maxmcount);
  sched.maxmcount = in;
  checkmcount();
  unlock(&sched.lock);
  return out;
}

// Go's rt0_go (asm_amd64.s) up to schedinit: the main thread becomes m0, its stack g0's.
void rt0_boot(int argc, char** argv) {
  (void)argc;
  (void)argv;  // os.Args comes with the os package
  g0.m = &m0;
  m0.g0 = &g0;
  gol_g = &g0;
  osthreadstack(&g0.stack.lo, &g0.stack.hi);
  osinit();
  schedinit();
}

void rt0_go(int argc, char** argv, void (*maininit)(), void (*mainmain)()) {
  rt0_boot(argc, argv);
  maininitfn = maininit;
  mainmainfn = mainmain;
  installsigs = true;
  newproc(runtime_main, nullptr, 0);
  mstart();
}

void schedinit() {
  sched.maxmcount = 10000;
  stackinit();
  mcommoninit(getg()->m);
  parsedebugvars();
  traceinit();  // before the first P and G: the trace sees them all

  int32_t procs = ncpu;
  if (int64_t n = atoi(gogetenv("GOMAXPROCS")); n > 0) procs = n > MaxGomaxprocs ? MaxGomaxprocs : int32_t(n);
  lock(&sched.lock);
  p* runnable = procresize(procs);
  unlock(&sched.lock);
  if (runnable != nullptr) gothrow("unknown runnable goroutine during bootstrap");
}

void dumpgstatus(g* gp) {
  g* self = getg();
  print("runtime: gp: gp=", gp, ", goid=", gp->goid, ", gp->atomicstatus=", readgstatus(gp), "\n");
  print("runtime:  g:  g=", self, ", goid=", self->goid, ",  g->atomicstatus=", readgstatus(self), "\n");
}

void mcommoninit(m* mp) {
  lock(&sched.lock);
  mp->id = sched.mcount++;
  checkmcount();
  mp->fastrand = 0x49f6428a + uint32_t(mp->id) + uint32_t(nanotime());
  if (mp->fastrand == 0) mp->fastrand = 0x49f6428a;
  mp->alllink = allm.load(std::memory_order_relaxed);
  allm.store(mp, std::memory_order_release);  // readers walk allm without the lock
  unlock(&sched.lock);
}

// Marks gp (Gwaiting) runnable and puts it in the current P's runnext, so it runs next.
void ready(g* gp) {
  uint32_t status = readgstatus(gp);
  m* mp = getg()->m;
  mp->locks++;  // no rescheduling while we hold the P in a local
  if ((status & ~Gscan) != Gwaiting) {
    dumpgstatus(gp);
    gothrow("bad g->status in ready");
  }
  casgstatus(gp, Gwaiting, Grunnable);
  if (traceEnabled) [[unlikely]] traceGoUnblock(gp);
  runqput(mp->p, gp, true);
  wakeIfIdle();
  mp->locks--;
}

// On the system stack, as in Go: runqputslow's batch and waking an M (newm) are deeper than the
// headroom of a goroutine blocked in a channel operation (stack.h, systemstack).
void goready(g* gp) {
  systemstack([gp] { ready(gp); });
}

uint32_t readgstatus(g* gp) { return gp->atomicstatus.load(std::memory_order_acquire); }

// Moves gp from oldval to newval. Any other current status is a runtime bug and throws,
// except that a Gscan bit (a stack scan in progress; none yet) is waited out.
void casgstatus(g* gp, uint32_t oldval, uint32_t newval) {
  if ((oldval & Gscan) || (newval & Gscan) || oldval == newval) {
    print("runtime: casgstatus: oldval=", toString(gstatus(oldval)), " newval=", toString(gstatus(newval)), "\n");
    gothrow("casgstatus: bad incoming values");
  }
  uint32_t cur = oldval;
  while (!gp->atomicstatus.compare_exchange_weak(cur, newval, std::memory_order_acq_rel)) {
    if (cur != oldval && (cur & ~Gscan) == oldval) {
      osyield();  // being scanned: wait
    } else if (cur != oldval) {
      print("runtime: casgstatus: goid=", gp->goid, " wanted ", toString(gstatus(oldval)), "->",
            toString(gstatus(newval)), " but status is ", toString(gstatus(cur)), "\n");
      gothrow("casgstatus: bad old status");
    }
    cur = oldval;
  }
}

[[noreturn]] void mstart() {
  g* gp = getg();
  GOL_ASSERT(gp->stack.lo != 0, "mstart: g0 has no stack bounds");
  gp->stackguard0 = gp->stack.lo + StackGuard;
  gp->stackguard1 = gp->stackguard0;
  gp->m->stackguardp = &gol_stackguard;  // where preemptone writes StackPreempt (stack.h)
  mstart1();
}

// ---- the timer sleeper (HACKING.md "Timers and the scheduler", site 3) ----
//
// At most one idle M at a time sleeps until the earliest timer instead of in stopm, as Go's
// blocking netpoll(delay) does. addtimer wakes it through wakeTimerSleeper when a timer
// earlier than its deadline is armed. The sleeper is not on sched.midle, so checkdead counts
// it as running: a program whose Gs all sleep is not deadlocked.
//
// timerArmed is the hand-shake that keeps notewakeup single: a waker must win the CAS 1 → 0
// before calling notewakeup; the sleeper takes the flag back with an exchange when it wakes,
// and if a waker won, waits for that waker's notewakeup before clearing the note again.
namespace {
std::atomic<uint32_t> timerSleeping{0};  // 1 while some M is the timer sleeper
std::atomic<uint32_t> timerArmed{0};     // 1: a waker may wake timerNote
std::atomic<int64_t> timerSleepUntil{0};
note timerNote;

// Called by an M without a P in findrunnable. True if it slept (or found a timer already
// due), so the caller should look for work again; false if there is no timer or another M
// is the sleeper.
bool timersleep() {
  m* mp = getg()->m;
  if (nextTimerWhen() == 0) return false;
  uint32_t zero = 0;
  if (!timerSleeping.compare_exchange_strong(zero, 1)) return false;
  noteclear(&timerNote);
  timerSleepUntil.store(nextTimerWhen());
  timerArmed.store(1);
  // A timer armed before timerArmed was set woke nobody: read the deadline again.
  int64_t next = nextTimerWhen();
  int64_t now = nanotime();
  if (next != 0 && next > now) {
    mp->blocked = true;
    notetsleep(&timerNote, next - now);
    mp->blocked = false;
  }
  if (timerArmed.exchange(0) == 0) notesleep(&timerNote);  // a waker won: take its wake-up
  timerSleepUntil.store(0);
  timerSleeping.store(0);
  return true;
}
}  // namespace

void wakeTimerSleeper(int64_t when) {
  if (timerArmed.load() == 0) return;
  int64_t until = timerSleepUntil.load();
  if (until != 0 && when >= until) return;
  uint32_t one = 1;
  if (timerArmed.compare_exchange_strong(one, 0)) notewakeup(&timerNote);
}

bool timerSleeperActive() { return timerSleeping.load() != 0; }

// Runs the due timers of every P (an M that slept for timers does not know whose are due).
void checkAllTimers() {
  int64_t now = nanotime();
  for (int32_t i = 0; i < gomaxprocs.load(); i++) checkTimers(allp[i].load(), now);
}

// ---- the scheduler ----

// Runs gp on the current M. Never returns. inheritTime: gp continues the current time
// slice (it came from runnext), so schedtick does not advance.
void execute(g* gp, bool inheritTime) {
  m* mp = getg()->m;
  casgstatus(gp, Grunnable, Grunning);
  gp->waitsince = 0;
  __atomic_store_n(&gp->preempt, false, __ATOMIC_RELAXED);
  __atomic_store_n(&gp->stackguard0, gp->stack.lo + StackGuard, __ATOMIC_RELAXED);  // sysmon may write it
  if (!inheritTime) __atomic_store_n(&mp->p->schedtick, mp->p->schedtick + 1, __ATOMIC_RELAXED);  // sysmon reads it
  storeRelaxed(mp->curg, gp);
  storeRelaxed(gp->m, mp);
  if (traceEnabled) [[unlikely]] traceGoStart(gp, inheritTime);
  gogo(&gp->sched);
}

// Finds a runnable G to execute: local queue, global queue, then other Ps' queues (running
// their due timers on the way). With nothing anywhere, gives up the P and sleeps: until the
// next timer if no other M does (the timer sleeper), else in stopm until there is work.
// Returns {G, inheritTime}.
std::pair<g*, bool> findrunnable() {
  m* mp = getg()->m;
  if (traceEnabled) [[unlikely]] traceSchedWait();
top:
  if (sched.gcwaiting.load() != 0) {
    gcstopm();
    goto top;
  }
  if (mp->p->runSafePointFn.load() != 0) runSafePointFn();

  // Timers of this P first: firing one readies its G onto this P (HACKING.md, timer site 2).
  // checkTimers reads the clock only when the heap has a timer.
  checkTimers(mp->p, 0);

  // local runq
  if (auto [gp, inheritTime] = runqget(mp->p); gp != nullptr) return {gp, inheritTime};

  // global runq
  if (sched.runqsize.load(std::memory_order_relaxed) != 0) {
    lock(&sched.lock);
    g* gp = globrunqget(mp->p, 0);
    unlock(&sched.lock);
    if (gp != nullptr) return {gp, false};
  }

  // (The seed polls the network here: no netpoller yet.)

  // If number of spinning M's >= number of busy P's, block (the seed's `goto stop`). This
  // is necessary to prevent excessive CPU consumption when GOMAXPROCS>>1 but the program
  // parallelism is low.
  if (uint32_t procs = uint32_t(gomaxprocs.load());
      mp->spinning || 2 * sched.nmspinning.load() < procs - sched.npidle.load()) {
    if (!mp->spinning) {
      mp->spinning = true;
      if (traceEnabled) [[unlikely]] traceSpinning(true);
      sched.nmspinning.fetch_add(1);
    }
    // random steal from other P's
    for (uint32_t i = 0; i < 4 * procs; i++) {
      if (sched.gcwaiting.load() != 0) goto top;
      p* p2 = allp[fastrand1() % procs].load(std::memory_order_acquire);
      g* gp;
      if (p2 == mp->p) {
        gp = runqget(p2).first;
      } else {
        // An idle or busy victim's due timers fire here, onto our P (one atomic load when
        // nothing is due); then our own queue may hold what they readied.
        if (checkTimers(p2, 0); !runqempty(mp->p)) {
          if (auto [lg, inheritTime] = runqget(mp->p); lg != nullptr) return {lg, inheritTime};
        }
        bool stealRunNextG = i > 2 * procs;  // first look for ready queues with more than 1 g
        gp = runqsteal(mp->p, p2, stealRunNextG);
      }
      if (gp != nullptr) return {gp, false};
    }
  }

  // stop: return P and block
  lock(&sched.lock);
  if (sched.gcwaiting.load() != 0 || mp->p->runSafePointFn.load() != 0) {
    unlock(&sched.lock);
    goto top;
  }
  if (sched.runqsize.load(std::memory_order_relaxed) != 0) {
    g* gp = globrunqget(mp->p, 0);
    unlock(&sched.lock);
    return {gp, false};
  }
  if (traceEnabled) [[unlikely]] traceSpinning(false);
  pidleput(releasep());
  unlock(&sched.lock);
  if (mp->spinning) {
    mp->spinning = false;
    sched.nmspinning.fetch_sub(1);
  }
  // Whoever queued work while we spun saw nmspinning > 0 and woke nobody: look again now
  // that we no longer count as spinning. The fence orders our decrement before the loads
  // below; it pairs with the one in wakeIfIdle.
  std::atomic_thread_fence(std::memory_order_seq_cst);

  // check all runqueues once again
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    p* p2 = allp[i].load(std::memory_order_acquire);
    if (p2 != nullptr && !runqempty(p2)) {
      lock(&sched.lock);
      p2 = pidleget();
      unlock(&sched.lock);
      if (p2 != nullptr) {
        acquirep(p2);
        goto top;
      }
      break;
    }
  }

  // Sleep until the next timer, like the seed's blocking netpoll (timer site 3). The
  // sleeper is not on sched.midle, so checkdead counts it as running.
  if (timersleep()) {
    lock(&sched.lock);
    p* pp = pidleget();
    unlock(&sched.lock);
    if (pp != nullptr) {
      acquirep(pp);
      checkAllTimers();
      goto top;
    }
  }
  stopm();
  goto top;
}

void resetspinning() {
  m* mp = getg()->m;
  uint32_t nmspinning;
  if (mp->spinning) {
    if (traceEnabled) [[unlikely]] traceSpinning(false);
    mp->spinning = false;
    nmspinning = sched.nmspinning.fetch_sub(1) - 1;
    GOL_ASSERT(int32_t(nmspinning) >= 0, "findrunnable: negative nmspinning");
  } else {
    nmspinning = sched.nmspinning.load();
  }
  // The M wake-up policy is deliberately conservative (see nmspinning), so check whether
  // another P should be woken now.
  if (nmspinning == 0 && sched.npidle.load() > 0) wakep();
}

// One round of the scheduler: find a runnable goroutine and execute it. Never returns.
void schedule() {
  m* mp = getg()->m;
  GOL_ASSERT(mp->locks == 0, "schedule: holding locks");

  if (mp->lockedg != nullptr) {
    stoplockedm();
    execute(mp->lockedg, false);  // Never returns.
  }

top:
  if (sched.gcwaiting.load() != 0) {
    gcstopm();
    goto top;
  }
  if (mp->p->runSafePointFn.load() != 0) runSafePointFn();

  // Sanity check: if we are spinning, the run queue should be empty. Check this before
  // checkTimers, which may goready a G onto the local run queue (Go 1.14's order).
  GOL_ASSERT(!mp->spinning || runqempty(mp->p), "schedule: spinning with local work");

  // This P's due timers (timer site 1): one atomic load when none is due.
  checkTimers(mp->p, 0);

  g* gp = nullptr;
  bool inheritTime = false;
  // Check the global runnable queue once in a while to ensure fairness. Otherwise two
  // goroutines can completely occupy the local runqueue by constantly respawning each
  // other (runnext).
  if (mp->p->schedtick % 61 == 0 && sched.runqsize.load(std::memory_order_relaxed) > 0) {
    lock(&sched.lock);
    gp = globrunqget(mp->p, 1);
    unlock(&sched.lock);
    if (gp != nullptr) resetspinning();
  }
  if (gp == nullptr) {
    std::tie(gp, inheritTime) = runqget(mp->p);
    // A spinning M can find a G here: one checkTimers just readied. It is not spinning
    // any more (Go 1.14).
    if (gp != nullptr && mp->spinning) resetspinning();
  }
  if (gp == nullptr) {
    std::tie(gp, inheritTime) = findrunnable();  // blocks until work is available
    resetspinning();
  }

  if (gp->lockedm != nullptr) {
    // Hands off own p to the locked m, then blocks waiting for a new p.
    startlockedm(gp);
    goto top;
  }
  execute(gp, inheritTime);
}

// Unlinks the M and its current G. The caller has moved the G out of Grunning and
// arranged for it to be resumed (or freed). A locked M keeps its G: only that M will run it.
void dropg() {
  m* mp = getg()->m;
  if (mp->lockedg == nullptr) {
    storeRelaxed(mp->curg->m, nullptr);
    storeRelaxed(mp->curg, nullptr);
  }
}

void mcall(void (*fn)(g*)) {
  g* gp = getg();
  m* mp = gp->m;
  GOL_ASSERT(gp != mp->g0, "mcall called on m->g0 stack");
  racefiberswitch(mp->g0);
  gol_mcall(&gp->sched, &mp->g0->sched, fn);
}

void gogo(gobuf* buf) {
  racefiberswitch(buf->g);
  gol_gogo(buf);
}

void gopark(bool (*unlockf)(g*, void*), void* lock, const char* reason) {
  m* mp = getg()->m;
  g* gp = mp->curg;
  uint32_t status = readgstatus(gp);
  GOL_ASSERT(status == Grunning || status == (Gscan | Grunning), "gopark: bad g status", " ",
             toString(gstatus(status)));
  mp->waitlock = lock;
  mp->waitunlockf = unlockf;
  storeRelaxed(gp->waitreason, reason);  // read racily by dumps and checkdead
  stackpark(gp);  // a G that ran deep gives its unused stack segments back (stack.h)
  mcall(park_m);
}

// Parks the current G and unlocks lock once it is safely off the CPU: whoever readies it
// takes lock first, so the wake-up cannot be lost.
void goparkunlock(mutex* lock, const char* reason) { gopark(parkunlock_c, lock, reason); }

void gosched() { mcall(gosched_m); }

// ---- preemption ----

void gopreempt_m(g* gp) {
  if (traceEnabled) [[unlikely]] traceGoStop(gp, traceStopPreempted);
  goschedImpl(gp);
}

void setstackguard(g* gp, uintptr_t v) {
  __atomic_store_n(&gp->stackguard0, v, __ATOMIC_RELAXED);
  // The running G's thread-local copy, if the stacks engineer's M has one. gp may have left
  // mp meanwhile: then the next switch resets the copy from the new G, and a stale
  // StackPreempt costs that G one spurious trip through gopreempt, which finds no request.
  if (m* mp = __atomic_load_n(&gp->m, __ATOMIC_RELAXED)) {
    if (uintptr_t* tls = __atomic_load_n(&mp->stackguardp, __ATOMIC_RELAXED)) __atomic_store_n(tls, v, __ATOMIC_RELAXED);
  }
}

// The preemption half of Go 1.5's newstack, on the G's stack: called when a stack check
// failed because stackguard0 is StackPreempt. The restored guard is stack.lo + StackGuard, as
// in execute: with segmented stacks, g.stack must describe the segment in use.
void gopreempt() {
  g* gp = getg();
  m* mp = gp->m;
  GOL_ASSERT(gp != mp->g0, "gopreempt: on g0");
  // Be conservative about where we preempt: not while holding runtime locks, not while the
  // M must not be preempted, not without a running P (a syscall in progress).
  if (mp->locks != 0 || mp->mallocing != 0 || mp->preemptoff != nullptr || mp->p == nullptr ||
      mp->p->status.load() != Prunning) {
    // Let the goroutine keep running for now; gp->preempt is still set, so the request is
    // honoured at a later check (the guard is reset, or every check would land here).
    setstackguard(gp, gp->stack.lo + StackGuard);
    return;
  }
  __atomic_store_n(&gp->preempt, false, __ATOMIC_RELAXED);
  setstackguard(gp, gp->stack.lo + StackGuard);
  // Act like the goroutine called runtime.Gosched; schedule stops the P if the world is
  // being stopped.
  mcall(gopreempt_m);
}

// ---- LockOSThread ----
// The seed's: m.locked counts the reasons (LockExternal, and LockInternal per nesting
// level); lockedg/lockedm are set while any remains.

namespace {
void dolockOSThread() {
  g* gp = getg();
  gp->m->lockedg = gp;
  gp->lockedm = gp->m;
}
void dounlockOSThread() {
  g* gp = getg();
  if (gp->m->locked != 0) return;
  gp->m->lockedg = nullptr;
  gp->lockedm = nullptr;
}
}  // namespace

void LockOSThread() {
  getg()->m->locked |= LockExternal;
  dolockOSThread();
}

void lockOSThread() {
  getg()->m->locked += LockInternal;
  dolockOSThread();
}

void UnlockOSThread() {
  getg()->m->locked &= ~LockExternal;
  dounlockOSThread();
}

void unlockOSThread() {
  g* gp = getg();
  if (gp->m->locked < LockInternal) gothrow("runtime: internal error: misuse of lockOSThread/unlockOSThread");
  gp->m->locked -= LockInternal;
  dounlockOSThread();
}

int32_t procPin() {
  m* mp = getg()->m;
  mp->locks++;
  return mp->p->id;
}

void procUnpin() { getg()->m->locks--; }

void goexit1() {
  mcall(goexit0);
  gothrow("goexit1: a dead goroutine was resumed");
}

// ---- M and P hand-off ----

// Stops the current M until there is work: it sleeps on m.park, and whoever wakes it has
// set m.nextp. Returns holding that P.
void stopm() {
  m* mp = getg()->m;
  GOL_ASSERT(mp->locks == 0, "stopm holding locks");
  GOL_ASSERT(mp->p == nullptr, "stopm holding p");
  if (mp->spinning) {
    mp->spinning = false;
    sched.nmspinning.fetch_sub(1);
  }
  lock(&sched.lock);
  mput(mp);
  unlock(&sched.lock);
  notesleep(&mp->park);
  noteclear(&mp->park);
  acquirep(mp->nextp);
  mp->nextp = nullptr;
  if (traceEnabled) [[unlikely]] traceSpinning(mp->spinning);  // woken spinning by startm
}

// Allocates an M that will run fn (if non-null) and then schedule. Its g0 has no stack
// yet: the new thread records its own (newosproc).
m* allocm(void (*fn)()) {
  m* mp = persistentnew<m>();
  mp->mstartfn = fn;
  mcommoninit(mp);
  mp->g0 = malg(-1);
  mp->g0->m = mp;
  return mp;
}

// Creates a new M (an OS thread) that will start by running pp.
void newm(void (*fn)(), p* pp) {
  m* mp = allocm(fn);
  mp->nextp = pp;
  newosproc(mp);
}

// mstartfn of an M started spinning: it counts in nmspinning already (wakep's CAS).
void mspinning() {
  m* mp = getg()->m;
  if (!runqempty(mp->nextp)) {
    // Something was readied while the M was starting up: it is no longer spinning.
    GOL_ASSERT(int32_t(sched.nmspinning.fetch_sub(1)) - 1 >= 0, "mspinning: nmspinning underflowed");
  } else {
    mp->spinning = true;
    if (traceEnabled) [[unlikely]] traceSpinning(true);
  }
}

// Schedules some M to run pp (creating an M if necessary). If pp is null, takes an idle P,
// or does nothing if there is none. spinning: the caller incremented nmspinning for the M.
void startm(p* pp, bool spinning) {
  lock(&sched.lock);
  if (pp == nullptr) {
    pp = pidleget();
    if (pp == nullptr) {
      unlock(&sched.lock);
      if (spinning) sched.nmspinning.fetch_sub(1);
      return;
    }
  }
  m* mp = mget();
  // sysmon sleeps deeply while every P is idle; a P is about to run (Gol wakes it here, where
  // the seed relies on exitsyscall: runMain's thread and timers start Ms without one).
  if (sched.sysmonwait.load() != 0) {
    sched.sysmonwait.store(0);
    notewakeup(&sched.sysmonnote);
  }
  unlock(&sched.lock);
  if (mp == nullptr) {
    newm(spinning ? mspinning : nullptr, pp);
    return;
  }
  GOL_ASSERT(!mp->spinning, "startm: m is spinning");
  GOL_ASSERT(mp->nextp == nullptr, "startm: m has p");
  GOL_ASSERT(!spinning || runqempty(pp), "startm: p has runnable gs");
  mp->spinning = spinning;
  mp->nextp = pp;
  notewakeup(&mp->park);
}

// Hands off pp, whose M is going away from Go code (a system call, a locked M, a test's
// thread): start an M for it if there is work, else make it idle.
void handoffp(p* pp) {
  // if it has local work, start it straight away
  if (!runqempty(pp) || sched.runqsize.load() != 0) {
    startm(pp, false);
    return;
  }
  // no local work, check that there are no spinning/idle M's, otherwise our help is not
  // required
  uint32_t zero = 0;
  if (sched.nmspinning.load() + sched.npidle.load() == 0 && sched.nmspinning.compare_exchange_strong(zero, 1)) {
    startm(pp, true);
    return;
  }
  lock(&sched.lock);
  if (sched.gcwaiting.load() != 0) {
    pp->status = Pgcstop;
    if (--sched.stopwait == 0) notewakeup(&sched.stopnote);
    unlock(&sched.lock);
    return;
  }
  uint32_t one = 1;
  if (pp->runSafePointFn.load() != 0 && pp->runSafePointFn.compare_exchange_strong(one, 0)) {
    sched.safePointFn(pp);
    if (--sched.safePointWait == 0) notewakeup(&sched.safePointNote);
  }
  if (sched.runqsize.load() != 0) {
    unlock(&sched.lock);
    startm(pp, false);
    return;
  }
  // If this is the last running P and timers are pending with nobody sleeping for them,
  // start an M to become the timer sleeper (the seed does this for the network poller).
  if (sched.npidle.load() == uint32_t(gomaxprocs.load() - 1) && nextTimerWhen() != 0 && !timerSleeperActive()) {
    unlock(&sched.lock);
    startm(pp, false);
    return;
  }
  pidleput(pp);
  unlock(&sched.lock);
}

// Tries to add one more P to execute Gs. Called when a G is made runnable (newproc, ready).
// It starts an M only if none is spinning; a spinning M that finds work wakes the next
// (resetspinning), so wake-ups ramp up with the work instead of one per new G.
void wakep() {
  // be conservative about spinning threads
  uint32_t zero = 0;
  if (!sched.nmspinning.compare_exchange_strong(zero, 1)) return;
  startm(nullptr, true);
}

// After queueing a G: wake an idle P if nobody is looking for work. The fence orders the
// queueing store before the loads (a StoreLoad barrier, Go's atomics are all sequentially
// consistent); it pairs with the fence after a spinning M stops counting itself in
// findrunnable: one of the two sides always sees the other.
void wakeIfIdle() {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (sched.npidle.load() != 0 && sched.nmspinning.load() == 0) wakep();
}

// Stops the current M, locked to a G, until that G is runnable again (someone calls
// startlockedm). Returns holding the P it was handed.
void stoplockedm() {
  m* mp = getg()->m;
  if (mp->lockedg == nullptr || mp->lockedg->lockedm != mp) gothrow("stoplockedm: inconsistent locking");
  if (mp->p != nullptr) {
    // Schedule another M to run this p.
    if (traceEnabled) [[unlikely]] traceHandoff(mp->p, nullptr, "lockedm wait");
    handoffp(releasep());
  }
  incidlelocked(1);
  // Wait until another thread schedules lockedg again.
  mp->blocked = true;
  notesleep(&mp->park);
  mp->blocked = false;
  noteclear(&mp->park);
  uint32_t status = readgstatus(mp->lockedg);
  if ((status & ~Gscan) != Grunnable) {
    print("runtime:stoplockedm: g is not Grunnable or Gscanrunnable\n");
    dumpgstatus(mp->lockedg);
    gothrow("stoplockedm: not runnable");
  }
  acquirep(mp->nextp);
  mp->nextp = nullptr;
}

// Schedules the locked M of gp to run gp: hands it our P, then waits for work in stopm.
void startlockedm(g* gp) {
  m* self = getg()->m;
  m* mp = gp->lockedm;
  if (mp == self) gothrow("startlockedm: locked to me");
  if (mp->nextp != nullptr) gothrow("startlockedm: m has p");
  // directly handoff current P to the locked m
  incidlelocked(-1);
  if (traceEnabled) [[unlikely]] traceHandoff(self->p, mp, "lockedm");
  p* pp = releasep();
  mp->nextp = pp;
  notewakeup(&mp->park);
  stopm();
}

// Stops the current M for stop-the-world: the P goes to Pgcstop, the M to sleep.
void gcstopm() {
  m* mp = getg()->m;
  if (traceEnabled) [[unlikely]] traceSchedWait();
  GOL_ASSERT(sched.gcwaiting.load() != 0, "gcstopm: not waiting for gc");
  if (mp->spinning) {
    if (traceEnabled) [[unlikely]] traceSpinning(false);
    mp->spinning = false;
    sched.nmspinning.fetch_sub(1);
  }
  p* pp = releasep();
  lock(&sched.lock);
  pp->status = Pgcstop;
  if (--sched.stopwait == 0) notewakeup(&sched.stopnote);
  unlock(&sched.lock);
  stopm();
}

// Puts a list of Gwaiting Gs (linked by schedlink) on the global queue, and starts Ms for
// idle Ps to run them. Go's netpoller and timers use it.
void injectglist(g* glist) {
  if (glist == nullptr) return;
  lock(&sched.lock);
  int n = 0;
  for (; glist != nullptr; n++) {
    g* gp = glist;
    glist = gp->schedlink;
    casgstatus(gp, Gwaiting, Grunnable);
    globrunqput(gp);
  }
  unlock(&sched.lock);
  for (; n != 0 && sched.npidle.load() != 0; n--) startm(nullptr, false);
}

void acquirep(p* pp) {
  m* mp = getg()->m;
  GOL_ASSERT(mp->p == nullptr, "acquirep: already in go");
  if (pp->m != nullptr || pp->status != Pidle) {
    print("acquirep: p->m=", pp->m, "(", pp->m ? pp->m->id : 0, ") p->status=", toString(pstatus(pp->status.load())), "\n");
    gothrow("acquirep: invalid p state");
  }
  storeRelaxed(mp->p, pp);
  storeRelaxed(pp->m, mp);
  pp->status = Prunning;
}

p* releasep() {
  m* mp = getg()->m;
  GOL_ASSERT(mp->p != nullptr, "releasep: invalid arg");
  p* pp = mp->p;
  if (pp->m != mp || pp->status != Prunning) {
    print("releasep: m=", mp, " m->p=", mp->p, " p->m=", pp->m, " p->status=", toString(pstatus(pp->status.load())), "\n");
    gothrow("releasep: invalid p state");
  }
  storeRelaxed(mp->p, nullptr);
  storeRelaxed(pp->m, nullptr);
  pp->status = Pidle;
  return pp;
}

// Changes the number of Ps to nprocs. sched.lock is held and the world is stopped (only
// the caller runs Go code). Gs queued on Ps that go away move to the global queue. Returns
// the Ps (other than the caller's) that have local work, linked by p.link, for the caller
// to start Ms on.
p* procresize(int32_t nprocs) {
  int32_t old = gomaxprocs.load();
  GOL_ASSERT(old >= 0 && old <= MaxGomaxprocs && nprocs > 0 && nprocs <= MaxGomaxprocs, "procresize: invalid arg");

  // initialize new P's
  for (int32_t i = 0; i < nprocs; i++) {
    if (allp[i].load() == nullptr) {
      p* pp = persistentnew<p>();
      pp->id = i;
      pp->status = Pgcstop;
      allp[i].store(pp, std::memory_order_release);
    }
  }

  // free unused P's
  for (int32_t i = nprocs; i < old; i++) {
    p* pp = allp[i].load();
    // move all runnable goroutines to the global queue, keeping their order
    while (pp->runqhead.load() != pp->runqtail.load()) {
      uint32_t t = pp->runqtail.load() - 1;
      pp->runqtail.store(t);
      globrunqputhead(pp->runq[t % RunqSize].load());
    }
    if (g* next = pp->runnext.exchange(nullptr)) globrunqputhead(next);
    gfpurge(pp);
    moveTimers(allp[0].load(), pp);  // timer site 6: its timers go on living on P0's heap
    pp->status = Pdead;
    // can't free P itself because it can be referenced by an M in syscall
  }

  m* mp = getg()->m;
  if (mp->p != nullptr && mp->p->id < nprocs) {
    // continue to use the current P
    mp->p->status = Prunning;
  } else {
    // release the current P and acquire allp[0]
    if (mp->p != nullptr) storeRelaxed(mp->p->m, nullptr);
    storeRelaxed(mp->p, nullptr);
    p* pp = allp[0].load();
    storeRelaxed(pp->m, nullptr);
    pp->status = Pidle;
    acquirep(pp);
  }
  p* runnablePs = nullptr;
  for (int32_t i = nprocs - 1; i >= 0; i--) {
    p* pp = allp[i].load();
    if (mp->p == pp) continue;
    pp->status = Pidle;
    if (runqempty(pp)) {
      pidleput(pp);
    } else {
      storeRelaxed(pp->m, mget());
      pp->link = runnablePs;
      runnablePs = pp;
    }
  }
  gomaxprocs.store(nprocs);
  if (traceEnabled) [[unlikely]] traceGomaxprocs(old, nprocs);
  return runnablePs;
}

// Counts v more (or fewer) idle locked Ms: Ms waiting without a P for one particular G
// (LockOSThread later; a unit test's thread in runMain now). When one more goes idle,
// this may have been the last running M, so check for a deadlock as mput does.
void incidlelocked(int32_t v) {
  lock(&sched.lock);
  sched.nmidlelocked += v;
  if (v > 0) checkdead();
  unlock(&sched.lock);
}

// Reports a deadlock when no M is running Go code and no G can become runnable. Called
// with sched.lock held whenever an M goes idle.
void checkdead() {
  // If we are dying because of a signal caught on an already idle thread, freezetheworld
  // will cause all running threads to block: not a deadlock.
  if (panicking.load() > 0) return;

  // -1 for sysmon, which never goes idle (its deep sleep is not on sched.midle)
  int64_t run = sched.mcount - sched.nmidle - sched.nmidlelocked - (sysmonStarted.load() ? 1 : 0);
  if (run > 0) return;
  if (run < 0) {
    print("runtime: checkdead: nmidle=", sched.nmidle, " nmidlelocked=", sched.nmidlelocked,
          " mcount=", sched.mcount, "\n");
    gothrow("checkdead: inconsistent counts");
  }
  struct counts {
    int waiting = 0;
    g* runnable = nullptr;
  } c;
  forEachG(
      [](g* gp, void* arg) {
        auto* c = static_cast<counts*>(arg);
        switch (readgstatus(gp) & ~Gscan) {
          case Gwaiting: c->waiting++; break;
          case Grunnable:
          case Grunning:
          case Gsyscall: c->runnable = gp; break;
          default: break;
        }
      },
      &c);
  if (c.runnable != nullptr) {
    print("runtime: checkdead: find g ", c.runnable->goid, " in status ", readgstatus(c.runnable), "\n");
    gothrow("checkdead: runnable g");
  }
  if (c.waiting == 0) gothrow("no goroutines (main called runtime.Goexit) - deadlock!");

  // A pending timer will make some G runnable (timer site 4; Go 1.14 looks at every P's
  // heap the same way): the timer sleeper or sysmon will fire it.
  if (nextTimerWhen() != 0) return;

  gothrow("all goroutines are asleep - deadlock!");
}

// Puts mp on the idle list. sched.lock is held.
void mput(m* mp) {
  mp->schedlink = sched.midle;
  sched.midle = mp;
  sched.nmidle++;
  checkdead();
}

// Takes an M from the idle list, or null. sched.lock is held.
m* mget() {
  m* mp = sched.midle;
  if (mp != nullptr) {
    sched.midle = mp->schedlink;
    sched.nmidle--;
  }
  return mp;
}

// Puts pp on the idle list. sched.lock is held.
void pidleput(p* pp) {
  GOL_ASSERT(runqempty(pp), "pidleput: P has non-empty run queue");
  pp->link = sched.pidle;
  sched.pidle = pp;
  sched.npidle.fetch_add(1);
  if (traceEnabled) [[unlikely]] tracePIdle(pp, true);
}

// Takes a P from the idle list, or null. sched.lock is held.
p* pidleget() {
  p* pp = sched.pidle;
  if (pp != nullptr) {
    sched.pidle = pp->link;
    sched.npidle.fetch_sub(1);
    if (traceEnabled) [[unlikely]] tracePIdle(pp, false);
  }
  return pp;
}

// ---- goroutine creation and reuse ----

g* malg(int32_t stacksize) {
  g* newg = persistentnew<g>();
  if (stacksize >= 0) {
    newg->stack = stackalloc(uint32_t(stacksize));
    newg->stackguard0 = newg->stack.lo + StackGuard;
    newg->stackguard1 = ~uintptr_t(0);
  }
  return newg;
}

void newproc(void (*fn)(void*), const void* argp, int32_t narg) {
  newproc1(fn, argp, narg, reinterpret_cast<uintptr_t>(__builtin_return_address(0)));
}

// Creates a G that runs fn on a copy of the narg bytes at argp, and queues it in the
// current P's runnext. callerpc is the `go` statement's address, for tracebacks.
g* newproc1(void (*fn)(void*), const void* argp, int32_t narg, uintptr_t callerpc) {
  m* mp = getg()->m;
  if (fn == nullptr) {
    mp->throwing = -1;  // do not dump full stacks
    gothrow("go of nil func value");
  }
  mp->locks++;  // no rescheduling while we hold the P in a local
  // The SysV ABI keeps the stack 16-byte aligned; Go rounds to 8.
  uintptr_t siz = (uintptr_t(narg) + 15) & ~uintptr_t(15);
  // A big argument block (it sits at the stack top) gets a bigger first stack than FixedStack,
  // and so does the main goroutine (stack.h, MainStack); gfput frees such a stack when the G
  // dies.
  uint32_t stksize = fn == runtime_main && FixedStack < MainStack ? MainStack : FixedStack;
  while (siz >= stksize / 4 && stksize < (1u << 20)) stksize *= 2;
  if (narg < 0 || siz >= stksize / 4) gothrow("newproc: function arguments too large for new goroutine");

  p* pp = mp->p;
  g* newg = gfget(pp);
  if (newg == nullptr) {
    newg = malg(int32_t(stksize));
    casgstatus(newg, Gidle, Gdead);
    allgadd(newg);  // published as Gdead: dumps and the collector skip it
  } else if (stksize != FixedStack) {
    stackfree(newg->stack, FixedStack);
    newg->stack = stackalloc(stksize);
    newg->stackguard0 = newg->stack.lo + StackGuard;
  }
  GOL_ASSERT(newg->stack.hi != 0, "newproc1: newg missing stack");
  GOL_ASSERT(readgstatus(newg) == Gdead, "newproc1: new g is not Gdead");

  // The argument block sits at the top of the stack; the start function's frame below it.
  uintptr_t sp = newg->stack.hi - siz;
  void* arg = nullptr;
  if (narg > 0) {
    std::memmove(reinterpret_cast<void*>(sp), argp, size_t(narg));
    arg = reinterpret_cast<void*>(sp);
  }
  std::memset(static_cast<void*>(&newg->sched), 0, sizeof newg->sched);
  newg->sched.sp = sp;
  newg->sched.g = newg;
  gostartcall(&newg->sched, fn, arg);
  newg->gopc = callerpc;
  newg->startpc = reinterpret_cast<uintptr_t>(fn);
  storeRelaxed(newg->waitreason, nullptr);

  if (pp->goidcache == pp->goidcacheend) {
    // sched.goidgen is the last id handed out; this batch is [goidgen+1, goidgen+batch].
    // At startup goidgen is 0, so the main goroutine gets id 1.
    pp->goidcache = sched.goidgen.fetch_add(GoidCacheBatch) + 1;
    pp->goidcacheend = pp->goidcache + GoidCacheBatch;
  }
  newg->goid = int64_t(pp->goidcache++);
  casgstatus(newg, Gdead, Grunnable);  // after goid: a dump may read a runnable G's id
  if (traceEnabled) [[unlikely]] traceGoCreate(newg);
  runqput(pp, newg, true);

  if (fn != runtime_main) wakeIfIdle();  // main starts alone: nothing else can run yet
  mp->locks--;
  return newg;
}

// Puts a dead G on pp's free list; a long list moves half of itself to the global one.
void gfput(p* pp, g* gp) {
  GOL_ASSERT(readgstatus(gp) == Gdead, "gfput: bad status (not Gdead)");
  stackgfput(gp);  // back to its first stack; growth segments go back to the pools
  if (gp->stack.hi - gp->stack.lo != FixedStack) {
    // non-standard stack size (a big argument block, newproc1) - free it
    stackfree(gp->stack, uint32_t(gp->stack.hi - gp->stack.lo));
    gp->stack = stack{};
    gp->stackguard0 = 0;
  }
  gp->schedlink = pp->gfree;
  pp->gfree = gp;
  if (pp->gfreecnt.fetch_add(1, std::memory_order_relaxed) + 1 >= 64) {
    lock(&sched.gflock);
    while (pp->gfreecnt.load(std::memory_order_relaxed) >= 32) {
      pp->gfreecnt.fetch_sub(1, std::memory_order_relaxed);
      gp = pp->gfree;
      pp->gfree = gp->schedlink;
      gp->schedlink = sched.gfree;
      sched.gfree = gp;
      sched.ngfree.fetch_add(1, std::memory_order_relaxed);
    }
    unlock(&sched.gflock);
  }
}

// Takes a dead G from pp's free list, refilling it from the global list; null if none.
g* gfget(p* pp) {
  for (;;) {
    g* gp = pp->gfree;
    if (gp == nullptr && sched.ngfree.load(std::memory_order_relaxed) != 0) {
      lock(&sched.gflock);
      while (pp->gfreecnt.load(std::memory_order_relaxed) < 32 && sched.gfree != nullptr) {
        pp->gfreecnt.fetch_add(1, std::memory_order_relaxed);
        gp = sched.gfree;
        sched.gfree = gp->schedlink;
        sched.ngfree.fetch_sub(1, std::memory_order_relaxed);
        gp->schedlink = pp->gfree;
        pp->gfree = gp;
      }
      unlock(&sched.gflock);
      continue;
    }
    if (gp != nullptr) {
      pp->gfree = gp->schedlink;
      pp->gfreecnt.fetch_sub(1, std::memory_order_relaxed);
      if (gp->stack.lo == 0) {
        // Stack was deallocated in gfput. Allocate a new one.
        gp->stack = stackalloc(FixedStack);
        gp->stackguard0 = gp->stack.lo + StackGuard;
      }
    }
    return gp;
  }
}

namespace {
// Moves all of pp's free Gs to the global list (pp is going away).
void gfpurge(p* pp) {
  lock(&sched.gflock);
  while (pp->gfreecnt.load(std::memory_order_relaxed) != 0) {
    pp->gfreecnt.fetch_sub(1, std::memory_order_relaxed);
    g* gp = pp->gfree;
    pp->gfree = gp->schedlink;
    gp->schedlink = sched.gfree;
    sched.gfree = gp;
    sched.ngfree.fetch_add(1, std::memory_order_relaxed);
  }
  unlock(&sched.gflock);
}
}  // namespace

void allgadd(g* gp) {
  GOL_ASSERT(readgstatus(gp) != Gidle, "allgadd: bad status Gidle");
  lock(&allglock);
  int32_t n = allglen.load(std::memory_order_relaxed);
  if (n == allgcap) {
    allgcap = allgcap == 0 ? 64 : 2 * allgcap;
    allgs = static_cast<g**>(std::realloc(allgs, sizeof(g*) * size_t(allgcap)));
    if (allgs == nullptr) gothrow("allgadd: out of memory");
  }
  allgs[n] = gp;
  allglen.store(n + 1, std::memory_order_release);
  unlock(&allglock);
}

void forEachG(void (*fn)(g* gp, void* arg), void* arg) {
  lock(&allglock);
  for (int32_t i = 0, n = allglen.load(std::memory_order_relaxed); i < n; i++) fn(allgs[i], arg);
  unlock(&allglock);
}

// The number of live goroutines: every G ever made minus the dead ones on free lists.
// Racy (the parts change concurrently), so gcount never reports below 1: the caller runs.
int32_t gcount() {
  int32_t n = gcountraw();
  return n < 1 ? 1 : n;
}

int32_t gcountraw() {
  int32_t n = allglen.load(std::memory_order_acquire) - sched.ngfree.load(std::memory_order_relaxed);
  for (int32_t i = 0; i < MaxGomaxprocs; i++) {
    p* pp = allp[i].load(std::memory_order_acquire);
    if (pp == nullptr) break;
    n -= pp->gfreecnt.load(std::memory_order_relaxed);
  }
  return n;
}

int64_t mcount() { return sched.mcount; }

// A cheap per-M pseudo-random number (Go 1.5's xorshift-like step).
uint32_t fastrand1() {
  m* mp = getg()->m;
  uint32_t fr = mp->fastrand;
  uint32_t mx = uint32_t(int32_t(fr) >> 31) & 0xa8888eef;
  fr = (fr << 1) ^ mx;
  mp->fastrand = fr;
  return fr;
}

const char* toString(gstatus s) {
  switch (s) {
    case Gidle: return "idle";
    case Grunnable: return "runnable";
    case Grunning: return "running";
    case Gsyscall: return "syscall";
    case Gwaiting: return "waiting";
    case Gmoribund_unused: return "moribund";
    case Gdead: return "dead";
    case Genqueue: return "enqueue";
    case Gcopystack: return "copystack";
    case Gscan: break;
  }
  return (s & Gscan) ? "scan" : "???";
}

const char* toString(pstatus s) {
  switch (s) {
    case Pidle: return "idle";
    case Prunning: return "running";
    case Psyscall: return "syscall";
    case Pgcstop: return "gcstop";
    case Pdead: return "dead";
  }
  return "???";
}

}  // namespace gol::rt

// ---- the ABI: goroutines and package runtime (abi.h) ----
using namespace gol::rt;

extern "C" void gol_newproc(void (*fn)(void* args), const void* args, int64_t argsize) {
  // On the system stack, as in Go (runqputslow's batch, newm): the `go` statement's caller
  // keeps only the small headroom of a blocking call (compiler/safepoint.cpp).
  uintptr_t pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  systemstack([=] { newproc1(fn, args, int32_t(argsize), pc); });
}

extern "C" void gol_goexit() { goexit1(); }

void gol_runtime_Gosched() { gosched(); }
void gol_runtime_LockOSThread() { LockOSThread(); }
void gol_runtime_UnlockOSThread() { UnlockOSThread(); }
