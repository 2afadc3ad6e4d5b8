// debug.cpp: package runtime's introspection functions (Go's debug.go).
#include "abi.h"
#include "runtime.h"

using namespace gol::rt;

// runtime.GOMAXPROCS(n): sets the number of Ps if n > 0 and returns the previous value.
// Go stops the world and lets startTheWorld resize. With one M, the caller is the only
// code running, so the world is stopped already; what remains of stopTheWorld is taking
// the idle Ps off sched.pidle, which procresize rebuilds.
int64_t gol_runtime_GOMAXPROCS(int64_t n) {
  if (n > MaxGomaxprocs) n = MaxGomaxprocs;
  lock(&sched.lock);
  int32_t ret = gomaxprocs.load();
  if (n <= 0 || n == ret) {
    unlock(&sched.lock);
    return ret;
  }
  while (p* pp = pidleget()) pp->status = Pgcstop;
  p* runnable = procresize(int32_t(n));
  unlock(&sched.lock);
  GOL_ASSERT(runnable == nullptr, "GOMAXPROCS: runnable P without an M");
  return ret;
}

int64_t gol_runtime_NumGoroutine() { return gcount(); }

int64_t gol_runtime_NumCPU() { return ncpu; }
