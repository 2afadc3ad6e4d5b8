// lock_futex.cpp: runtime locks and notes on Linux futexes (Go's lock_futex.go).
//
// mutex.key:  0 unlocked, 1 locked, 2 locked and someone may be asleep in the kernel.
// The sleeping state is sticky: a thread that ever slept re-acquires the lock in state 2,
// so the eventual unlock knows it must make a futex wake call. An uncontended lock/unlock
// pair is one exchange each and no system call.
//
// note.key: 0 clear, 1 woken. Exactly one notewakeup per noteclear; several sleepers may
// wait, all are released.
//
// These are the lowest layer: they never allocate and never call into the scheduler.
// Locks count in m.locks: schedule() refuses to run while an M holds one.
#include <atomic>

#include "runtime.h"

namespace gol::rt {
namespace {

constexpr uint32_t mutex_unlocked = 0;
constexpr uint32_t mutex_locked = 1;
constexpr uint32_t mutex_sleeping = 2;

// Spinning policy (Go's): a few rounds of busy-waiting on a multiprocessor, one round of
// yielding the CPU, then sleeping in the kernel.
constexpr int active_spin = 4;
constexpr int active_spin_cnt = 30;
constexpr int passive_spin = 1;

inline void procyield(int cycles) {
  for (int i = 0; i < cycles; i++) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
  }
}

// Threads that are not Ms (a unit test's helper threads) have no g: they may take locks but
// are not counted.
inline void countlock(int32_t delta) {
  if (g* gp = getg()) {
    gp->m->locks += delta;
    GOL_ASSERT(gp->m->locks >= 0, "runtime·lock: lock count");
  }
}

// One attempt to move an unlocked key to `wait`, spinning while it reads unlocked.
inline bool trylock(mutex* l, uint32_t wait) {
  while (l->key.load(std::memory_order_relaxed) == mutex_unlocked) {
    uint32_t expected = mutex_unlocked;
    if (l->key.compare_exchange_weak(expected, wait, std::memory_order_acquire)) return true;
  }
  return false;
}

}  // namespace

void lock(mutex* l) {
  countlock(+1);
  uint32_t v = l->key.exchange(mutex_locked, std::memory_order_acquire);
  if (v == mutex_unlocked) return;

  // wait is the state to re-acquire in: if we saw sleepers (2), we must keep the lock in
  // state 2 or their wake-up would be lost.
  uint32_t wait = v;
  int spin = ncpu > 1 ? active_spin : 0;
  for (;;) {
    for (int i = 0; i < spin; i++) {
      if (trylock(l, wait)) return;
      procyield(active_spin_cnt);
    }
    for (int i = 0; i < passive_spin; i++) {
      if (trylock(l, wait)) return;
      osyield();
    }
    v = l->key.exchange(mutex_sleeping, std::memory_order_acquire);
    if (v == mutex_unlocked) return;
    wait = mutex_sleeping;
    futexsleep(&l->key, mutex_sleeping, -1);
  }
}

void unlock(mutex* l) {
  uint32_t v = l->key.exchange(mutex_unlocked, std::memory_order_release);
  GOL_ASSERT(v != mutex_unlocked, "unlock of unlocked lock");
  if (v == mutex_sleeping) futexwakeup(&l->key, 1);
  countlock(-1);
}

void noteclear(note* n) { n->key.store(0, std::memory_order_relaxed); }

void notewakeup(note* n) {
  uint32_t old = n->key.exchange(1, std::memory_order_release);
  GOL_ASSERT(old == 0, "notewakeup - double wakeup", " (", old, ")");
  futexwakeup(&n->key, 1);
}

void notesleep(note* n) {
  g* gp = getg();
  GOL_ASSERT(gp == nullptr || gp == gp->m->g0, "notesleep not on g0");
  while (n->key.load(std::memory_order_acquire) == 0) futexsleep(&n->key, 0, -1);
}

// Unlike notesleep, also called on a user G's stack: stopTheWorld waits with it (Go runs
// stopTheWorld on the system stack; Gol has no systemstack yet). Either way the M blocks.
bool notetsleep(note* n, int64_t ns) {
  if (ns < 0) {
    notesleep(n);
    return true;
  }
  int64_t deadline = nanotime() + ns;
  while (n->key.load(std::memory_order_acquire) == 0) {
    futexsleep(&n->key, 0, ns);
    ns = deadline - nanotime();
    if (ns <= 0) break;
  }
  return n->key.load(std::memory_order_acquire) != 0;
}

}  // namespace gol::rt
