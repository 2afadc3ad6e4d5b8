// debug.cpp: package runtime's introspection functions (Go's debug.go).
#include "abi.h"
#include "runtime.h"

using namespace gol::rt;

// runtime.GOMAXPROCS(n): sets the number of Ps if n > 0 (by stopping the world and
// resizing in startTheWorld) and returns the previous value.
int64_t gol_runtime_GOMAXPROCS(int64_t n) {
  if (n > MaxGomaxprocs) n = MaxGomaxprocs;
  lock(&sched.lock);
  int32_t ret = gomaxprocs.load();
  unlock(&sched.lock);
  if (n <= 0 || n == ret) return ret;

  stopTheWorld("GOMAXPROCS");
  newprocs = int32_t(n);
  startTheWorld();
  return ret;
}

int64_t gol_runtime_NumGoroutine() { return gcount(); }

int64_t gol_runtime_NumCPU() { return ncpu; }
