// preempt.cpp: stopping the world and safe points (Go 1.5's stopTheWorld, startTheWorld,
// forEachP, runSafePointFn and freezetheworld, from proc1.go).
//
// Stopping the world sets sched.gcwaiting and waits until every P is in Pgcstop: idle Ps
// and Ps in system calls are taken at once, and each running M stops its own P at its next
// safe point (schedule, findrunnable, handoffp: gcstopm). preemptall makes that point come
// soon: it asks the G on every running P to yield (preemptone, sysmon.cpp), which compiled
// code notices at its next stack check or loop poll (DESIGN §4). While the wait lasts, the
// request is renewed every 100 µs, in case a P started a new G after the first one.
//
// worldsema serialises stoppers (the collector, runtime.GOMAXPROCS): it is a semaphore
// (sema.cpp), so a G that finds the world being stopped parks instead of spinning.
#include "runtime.h"
#include "trace.h"
#include "sema.h"

namespace gol::rt {

int32_t newprocs = 0;  // GOMAXPROCS to apply at the next startTheWorld; under worldsema

// Holding worldsema grants an M the right to try to stop the world and prevents gomaxprocs
// from changing concurrently. 1: free.
uint32_t worldsema = 1;

// Go runs these on the system stack; with fixed-size stacks they run on the caller's.
void stopTheWorld(const char* reason) {
  semacquire(&worldsema);
  if (traceEnabled) [[unlikely]] traceSTWStart(reason);
  getg()->m->preemptoff = reason;
  stopTheWorldWithSema();
}

void startTheWorld() {
  startTheWorldWithSema();
  // worldsema must be held over startTheWorldWithSema to ensure gomaxprocs cannot change
  // while worldsema is held.
  if (traceEnabled) [[unlikely]] traceSTWEnd();
  semrelease(&worldsema);
  getg()->m->preemptoff = nullptr;
}

void stopTheWorldWithSema() {
  m* mp = getg()->m;
  // If we hold a lock, then we won't be able to stop another M that is blocked trying to
  // acquire the lock.
  GOL_ASSERT(mp->locks == 0, "stopTheWorld: holding locks");
  lock(&sched.lock);
  sched.stopwait = gomaxprocs.load();
  sched.gcwaiting.store(1);
  preemptall();
  // stop current P
  mp->p->status = Pgcstop;  // Pgcstop is only diagnostic
  sched.stopwait--;
  // try to retake all P's in Psyscall status
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    p* pp = allp[i].load();
    uint32_t s = Psyscall;
    if (pp->status.load() == Psyscall && pp->status.compare_exchange_strong(s, Pgcstop)) {
      pp->syscalltick++;
      sched.stopwait--;
    }
  }
  // stop idle P's
  while (p* pp = pidleget()) {
    pp->status = Pgcstop;
    sched.stopwait--;
  }
  bool wait = sched.stopwait > 0;
  unlock(&sched.lock);

  // wait for remaining P's to stop voluntarily
  if (wait) {
    for (;;) {
      // wait for 100us, then try to re-preempt in case of any races
      if (notetsleep(&sched.stopnote, 100 * 1000)) {
        noteclear(&sched.stopnote);
        break;
      }
      preemptall();
    }
  }
  GOL_ASSERT(sched.stopwait == 0, "stopTheWorld: not stopped");
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    GOL_ASSERT(allp[i].load()->status == Pgcstop, "stopTheWorld: not stopped");
  }
}

void startTheWorldWithSema() {
  g* gp = getg();
  m* mp = gp->m;
  mp->locks++;  // no rescheduling while we hold a P in a local
  // (The seed injects the network poller's ready Gs here: no netpoller yet.)
  lock(&sched.lock);
  int32_t procs = gomaxprocs.load();
  if (newprocs != 0) {
    procs = newprocs;
    newprocs = 0;
  }
  p* p1 = procresize(procs);
  sched.gcwaiting.store(0);
  if (sched.sysmonwait.load() != 0) {
    sched.sysmonwait.store(0);
    notewakeup(&sched.sysmonnote);
  }
  unlock(&sched.lock);
  while (p1 != nullptr) {
    p* pp = p1;
    p1 = p1->link;
    if (m* m2 = pp->m) {
      storeRelaxed(pp->m, nullptr);
      GOL_ASSERT(m2->nextp == nullptr, "startTheWorld: inconsistent mp->nextp");
      m2->nextp = pp;
      notewakeup(&m2->park);
    } else {
      // Start M to run P.
      newm(nullptr, pp);
    }
  }
  // Wake up an additional proc in case we have excessive runnable goroutines in local
  // queues or in the global queue. If we don't, the proc will park itself. If we have lots
  // of excessive work, resetspinning will unpark additional procs as necessary.
  wakeIfIdle();
  mp->locks--;
  // Restore the preemption request in case it was cleared meanwhile.
  if (mp->locks == 0 && __atomic_load_n(&gp->preempt, __ATOMIC_RELAXED)) setstackguard(gp, StackPreempt);
}

// forEachP calls fn(p) for every P p when p reaches a safe point: idle Ps and Ps in system
// calls at once (by the caller, or by handoffp), running Ps at their next scheduling point
// or preemption check (runSafePointFn). It returns when fn has run for every P. It does not
// stop the world: Ps run on between their call of fn and the return, so it acts as a
// ragged barrier for the collector. The caller must hold worldsema and a P.
void forEachP(void (*fn)(p*)) {
  m* mp = getg()->m;
  mp->locks++;  // acquirem
  p* self = mp->p;

  lock(&sched.lock);
  GOL_ASSERT(sched.safePointWait == 0, "forEachP: sched.safePointWait != 0");
  sched.safePointWait = gomaxprocs.load() - 1;
  sched.safePointFn = fn;

  // Ask all Ps to run the safe point function.
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    p* pp = allp[i].load();
    if (pp != self) pp->runSafePointFn.store(1);
  }
  preemptall();

  // Any P entering Pidle or Psyscall from now on will observe p.runSafePointFn == 1 and will
  // call runSafePointFn when changing its status to Pidle/Psyscall.

  // Run safe point function for all idle Ps. sched.pidle will not change because we hold
  // sched.lock.
  for (p* pp = sched.pidle; pp != nullptr; pp = pp->link) {
    uint32_t one = 1;
    if (pp->runSafePointFn.compare_exchange_strong(one, 0)) {
      fn(pp);
      sched.safePointWait--;
    }
  }
  bool wait = sched.safePointWait > 0;
  unlock(&sched.lock);

  // Run fn for the current P.
  fn(self);

  // Force Ps currently in Psyscall into Pidle and hand them off to induce safe point
  // function execution.
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    p* pp = allp[i].load();
    uint32_t s = Psyscall;
    if (pp->status.load() == Psyscall && pp->runSafePointFn.load() == 1 && pp->status.compare_exchange_strong(s, Pidle)) {
      pp->syscalltick++;
      if (traceEnabled) [[unlikely]] traceHandoff(pp, nullptr, "safe point");
      handoffp(pp);
    }
  }

  // Wait for remaining Ps to run fn.
  if (wait) {
    for (;;) {
      // Wait for 100us, then try to re-preempt in case of any races.
      if (notetsleep(&sched.safePointNote, 100 * 1000)) {
        noteclear(&sched.safePointNote);
        break;
      }
      preemptall();
    }
  }
  GOL_ASSERT(sched.safePointWait == 0, "forEachP: not done");
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    GOL_ASSERT(allp[i].load()->runSafePointFn.load() == 0, "forEachP: P did not run fn");
  }

  lock(&sched.lock);
  sched.safePointFn = nullptr;
  unlock(&sched.lock);
  mp->locks--;  // releasem
}

// runSafePointFn runs the safe point function, if any, for this P. It is called as
//   if (getg()->m->p->runSafePointFn.load() != 0) runSafePointFn();
// at every transition to Pidle or Psyscall (and in schedule), so that forEachP never waits
// for a P that went idle just after forEachP saw it running.
void runSafePointFn() {
  p* pp = getg()->m->p;
  // Resolve the race between forEachP running the safe-point function on this P's behalf
  // and this P running the safe-point function directly.
  uint32_t one = 1;
  if (!pp->runSafePointFn.compare_exchange_strong(one, 0)) return;
  sched.safePointFn(pp);
  lock(&sched.lock);
  if (--sched.safePointWait == 0) notewakeup(&sched.safePointNote);
  unlock(&sched.lock);
}

// Similar to stopTheWorld but best-effort and can be called several times. There is no
// reverse operation, used during crashing. This function must not lock any mutexes.
void freezetheworld() {
  // stopwait and preemption requests can be lost due to races with concurrently executing
  // threads, so try several times
  for (int i = 0; i < 5; i++) {
    // this should tell the scheduler to not start any new goroutines
    sched.stopwait.store(FreezeStopWait);
    sched.gcwaiting.store(1);
    // this should stop running goroutines
    if (!preemptall()) break;  // no running goroutines
    usleep(1000);
  }
  // to be sure
  usleep(1000);
  preemptall();
  usleep(1000);
}

}  // namespace gol::rt
