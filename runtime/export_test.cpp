// export_test.cpp: the test hooks of export_test.h.
//
// runMain enters the scheduler the way a program's rt0_go does (mstart on the thread's
// stack), but from a gol_mcall whose saved context is runMain's own frame: g0 runs below
// it, and when the main goroutine's function returns, testmaindone resumes that context
// instead of exiting the process.
#include "export_test.h"

#include "runtime.h"

namespace gol::rt::testing {
namespace {

bool booted = false;
gobuf testret;  // runMain's caller, suspended while the scheduler runs
void (*testmainfn)();

// Like goexit0, but returns to runMain's caller instead of scheduling again.
void testmaindone(g* gp) {
  m* mp = getg()->m;
  casgstatus(gp, Grunning, Gdead);
  gp->m = nullptr;
  dropg();
  gfput(mp->p, gp);
  gogo(&testret);
}

void testmain(void*) {
  testmainfn();
  mcall(testmaindone);
}

void enterscheduler(g*) { mstart(); }

}  // namespace

int32_t runMain(void (*fn)()) {
  if (!booted) {
    rt0_boot(0, nullptr);
    booted = true;
  }
  GOL_ASSERT(getg() == &g0, "runMain: not on the thread that booted the runtime");
  testmainfn = fn;
  newproc(testmain, nullptr, 0);

  testret.g = &g0;
  gobuf start{};
  start.g = &g0;
  start.sp = (getsp() - 1024) & ~uintptr_t(15);  // below this frame and gol_mcall's
  gol_mcall(&testret, &start, enterscheduler);
  return gcountraw();
}

}  // namespace gol::rt::testing
