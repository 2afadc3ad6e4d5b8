// rttest.h: small helpers the runtime's unit tests share (channels, waiting for goroutines).
#pragma once
#include <cstdint>

#include "runtime/abi.h"
#include "runtime/chan.h"
#include "runtime/runtime.h"

namespace rttest {

// Yields (runtime.Gosched) until cond() holds, at most Tries times; returns cond()'s last value.
// Tests assert on the result, so a bound reached is a failure, never a hang.
template <int Tries = 2000000, class F>
bool yieldUntil(F cond) {
  for (int i = 0; i < Tries; i++) {
    if (cond()) return true;
    gol_runtime_Gosched();
  }
  return cond();
}

// The number of sudogs on q, read under the channel's lock.
inline int queued(gol::rt::hchan* c, gol::rt::waitq gol::rt::hchan::*q) {
  gol::rt::lock(&c->lock);
  int n = 0;
  for (gol::rt::sudog* s = (c->*q).first; s != nullptr; s = s->next) n++;
  gol::rt::unlock(&c->lock);
  return n;
}

inline gol::rt::hchan* newchan(int64_t elemsize, int64_t size) {
  return static_cast<gol::rt::hchan*>(gol_makechan(nullptr, elemsize, size));
}

}  // namespace rttest
