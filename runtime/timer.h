// timer.h: timers (time.cpp, Go's time.go): time.Sleep, time.After/NewTimer/NewTicker,
// time.AfterFunc, and the hooks the scheduler calls to run them.
// (Not "time.h": runtime/ is on the include path, and <time.h> must stay the C library's.)
#pragma once
#include <atomic>
#include <cstdint>

#include "runtime2.h"

namespace gol::rt {

struct timerheap;

// A timer: at `when` (nanotime), run f(arg, seq) on whatever M runs the heap's timers, then,
// if period > 0, again every period. f runs on the scheduler's side (a G's stack in the
// scheduler or a g0), so it must be short and must not block: goready a G, send without
// blocking, start a goroutine.
struct timer {
  mutex mu;  // serialises modtimer/deltimer on this timer (outside any heap lock)

  // Guarded by the lock of the heap the timer is on (heap != null). Off every heap they
  // belong to whoever holds mu.
  std::atomic<timerheap*> heap{nullptr};  // the P's heap it waits on, or null
  int32_t idx = -1;                       // its index in that heap
  int64_t when = 0;
  int64_t period = 0;

  // Set before the timer is first armed, then read-only.
  void (*f)(void* arg, uintptr_t seq) = nullptr;
  void* arg = nullptr;
  uintptr_t seq = 0;
};

// Arms t (not pending) on the current P's heap.
void addtimer(timer* t);
// Disarms t. True if it was pending, false if it had already fired or was never armed.
bool deltimer(timer* t);
// Re-arms t for when (and period), whether or not it was pending. True if it was pending.
bool modtimer(timer* t, int64_t when, int64_t period);

// ---- what the scheduler calls (see HACKING.md, "Timers and the scheduler") ----
// Runs every timer of pp's heap that is due at now (0: read the clock), on the calling M,
// which must hold a P (any P: the scheduler may run another P's timers while stealing).
// Returns the next deadline on pp's heap, or 0 if it is empty. Cheap when nothing is due:
// one atomic load.
int64_t checkTimers(p* pp, int64_t now);
// The earliest deadline on pp's heap, or 0 if it is empty. Lock-free.
int64_t timerWhen(p* pp);
// The earliest deadline over all heaps, or 0 if no timer is pending anywhere. Lock-free.
int64_t nextTimerWhen();
// Moves every timer of from's heap to to's (procresize, when from is destroyed).
void moveTimers(p* to, p* from);

// For the collector (mgcmark.cpp), world stopped: calls fn(lo, hi, arg) on the array of
// timer pointers of every P's heap, which lives in malloc'd memory it cannot see.
void forEachTimerArray(void (*fn)(uintptr_t lo, uintptr_t hi, void* arg), void* arg);

// time.Sleep: parks the current G ("sleep") for at least ns nanoseconds.
void timeSleep(int64_t ns);

}  // namespace gol::rt
