// export_test.cpp: the test hooks of export_test.h.
#include "export_test.h"

#include "runtime.h"

namespace gol::rt::testing {
namespace {

bool booted = false;

// The tests run C++ (doctest, exceptions, deep test recursion) on goroutine stacks, and C++
// has no stack checks: give every goroutine a big first stack (stack.h, FixedStack).
[[maybe_unused]] const bool bigstacks = (FixedStack = 256 << 10, true);
note testdone;  // the main goroutine's function returned
void (*testmainfn)();

// Like goexit0, but also wakes runMain's thread. That thread counts as an idle locked M
// while it sleeps (so checkdead can still report a deadlock); it counts as running again
// from here on, before anyone else can go idle and run checkdead.
void testmaindone(g* gp) {
  m* mp = getg()->m;
  casgstatus(gp, Grunning, Gdead);
  storeRelaxed(gp->m, nullptr);
  dropg();
  gfput(mp->p, gp);
  incidlelocked(-1);
  notewakeup(&testdone);
  schedule();
}

void testmain(void*) {
  testmainfn();
  mcall(testmaindone);
}

// Waits until no P runs anything: every P idle and no M spinning. False on timeout.
bool quiesce() {
  for (int i = 0; i < 20000; i++) {
    if (sched.npidle.load() == uint32_t(gomaxprocs.load()) && sched.nmspinning.load() == 0) return true;
    usleep(200);
  }
  return false;
}

}  // namespace

int32_t runMain(void (*fn)(), int32_t procs) {
  if (!booted) {
    rt0_boot(0, nullptr);
    booted = true;
    startsysmon();  // as runtime.main does
    lock(&sched.lock);
    pidleput(releasep());  // m0 only borrows a P while it starts the main goroutine
    unlock(&sched.lock);
  }
  GOL_ASSERT(getg() == &g0, "runMain: not on the thread that booted the runtime");
  if (procs > 0 && procs != gomaxprocs.load()) {
    // The world is stopped when nothing runs: resize as startTheWorld would.
    GOL_ASSERT(quiesce(), "runMain: goroutines of an earlier test still running");
    lock(&sched.lock);
    while (p* pp = pidleget()) pp->status = Pgcstop;
    p* runnable = procresize(procs);  // m0 gets allp[0]
    pidleput(releasep());
    unlock(&sched.lock);
    GOL_ASSERT(runnable == nullptr, "runMain: runnable P after resize");
  }

  testmainfn = fn;
  lock(&sched.lock);
  p* pp = pidleget();
  unlock(&sched.lock);
  GOL_ASSERT(pp != nullptr, "runMain: no idle P");
  acquirep(pp);
  newproc(testmain, nullptr, 0);
  handoffp(releasep());  // starts an M for the main goroutine

  // Counted as an idle locked M only now that the M it started counts as running; if
  // every other M went idle before this, incidlelocked's checkdead reports the deadlock.
  incidlelocked(+1);
  notesleep(&testdone);
  noteclear(&testdone);

  quiesce();
  return gcountraw();
}

}  // namespace gol::rt::testing
