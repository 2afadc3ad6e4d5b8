// preempt.cpp: stop-the-world (Go 1.5's stopTheWorld/startTheWorld in proc1.go).
//
// Stopping the world sets sched.gcwaiting and waits until every P is in Pgcstop: idle Ps
// are taken at once, and each running M stops its own P at its next scheduling point
// (schedule, findrunnable, handoffp: gcstopm). Until sysmon and the compiler's preemption
// checks exist (DESIGN §4), "next scheduling point" means the next time the G on that P
// blocks, yields or exits: a G spinning in a loop delays a stop-the-world indefinitely.
// preemptall is therefore a no-op for now, but its call sites are the seed's.
//
// Only runtime.GOMAXPROCS stops the world so far; the collector will be the main user.
#include "runtime.h"

namespace gol::rt {

int32_t newprocs = 0;  // GOMAXPROCS to apply at the next startTheWorld; under worldsema

namespace {

// Go's worldsema is a semaphore that parks the G; Gol has no semaphores yet, so a G that
// finds the world being stopped by someone else yields until it is free.
std::atomic<uint32_t> worldsema{0};

bool preemptall() { return false; }  // no preemption yet: see the top of the file

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
  // (The seed retakes Ps in Psyscall here: no system calls are tracked yet.)
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
  m* mp = getg()->m;
  mp->locks++;  // no rescheduling while we hold a P in a local
  lock(&sched.lock);
  int32_t procs = gomaxprocs.load();
  if (newprocs != 0) {
    procs = newprocs;
    newprocs = 0;
  }
  p* p1 = procresize(procs);
  sched.gcwaiting.store(0);
  unlock(&sched.lock);
  while (p1 != nullptr) {
    p* pp = p1;
    p1 = p1->link;
    if (m* m2 = pp->m) {
      pp->m = nullptr;
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
}

}  // namespace

// Go runs these on the system stack; with fixed-size stacks they run on the caller's.
void stopTheWorld(const char* reason) {
  (void)reason;  // Go records it for the execution tracer
  uint32_t free = 0;
  while (!worldsema.compare_exchange_weak(free, 1, std::memory_order_acquire)) {
    free = 0;
    gosched();
  }
  stopTheWorldWithSema();
}

void startTheWorld() {
  startTheWorldWithSema();
  worldsema.store(0, std::memory_order_release);
}

}  // namespace gol::rt
