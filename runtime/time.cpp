// time.cpp: timers (Go's time.go, in the per-P design Go adopted in 1.14): time.Sleep,
// time.NewTimer/After/NewTicker (a timer sends the time on a channel), time.AfterFunc (a
// timer starts a goroutine), and checkTimers/nextTimerWhen for the scheduler.
//
// Each P has a heap of pending timers, ordered by `when`: a 4-ary min-heap (flatter than a
// binary heap, so fewer cache misses per sift, as in Go). A timer is armed on the heap of the
// P that arms it, so arming is usually uncontended. Whoever runs a heap's timers pops those
// that are due and calls their functions with the heap's lock released (a function may arm
// timers itself). Any M holding a P may run any heap's timers: the heap has its own lock, and
// the scheduler runs other Ps' timers when their owners are idle.
//
// Locks, outer first: timer.mu (modtimer/deltimer only) → timerheap.lock → whatever a timer
// function takes (a channel's lock, sched.lock through goready). checkTimers takes no
// timer.mu, so a timer's heap pointer may change under a modifier holding mu: modifiers
// lock the heap they read from timer.heap and check that it is still the timer's.
//
// When a timer fires, relative to a concurrent Stop (deltimer): the firing side takes the
// timer off its heap before calling f, under the heap lock; deltimer sees it off every heap
// and returns false, "already fired", as Go's Stop does.
//
// What is not here: the scheduler must call checkTimers and nextTimerWhen (HACKING.md,
// "Timers and the scheduler"): that is where the time between timers is slept, by an idle M
// with notetsleep, and why checkdead must not call a program that has timers pending dead.
//
// Differences from Go: Go's timer status machine lets modifiers mark timers for the owner to
// fix up lock-free; here every change takes the heap lock, which is simpler and costs a lock
// per Stop/Reset. The channel of a Go timer carries a time.Time; a Gol timer sends an int64,
// the wall-clock time in nanoseconds, for the time package to wrap.
#include <cstdlib>
#include <ctime>

#include "abi.h"
#include "chan.h"
#include "runtime.h"
#include "timer.h"

namespace gol::rt {

// A P's timers. Guarded by lock, except when0, which is written under lock and read without
// it by the scheduler's quick checks. A cache line each: findrunnable reads every P's when0,
// and a P working on its own heap must not slow the others down.
struct alignas(64) timerheap {
  mutex lock;
  timer** t = nullptr;  // t[0, n) is a 4-ary min-heap on when
  int32_t n = 0;
  int32_t cap = 0;
  std::atomic<int64_t> when0{0};  // t[0]->when, or 0 if empty
  // True while some M is in checkTimers on this heap. Only one M at a time runs a heap's
  // timers, so their functions run in deadline order: checkTimers drops the lock around each
  // f, and a second M (a thief in findrunnable, the timer sleeper) could otherwise run a later
  // timer, or a ticker's next tick, before the first M's f. Another M finding it set leaves
  // the due timers to the one running them.
  std::atomic<bool> running{false};
};

namespace {

constexpr bool debugTimers = false;
constexpr int64_t maxWhen = INT64_MAX;

// One heap per P, indexed by P id (so struct p stays as the scheduler has it); a retired P
// keeps its slot. heapsUsed: one more than the highest index ever armed, for nextTimerWhen.
timerheap timerheaps[MaxGomaxprocs];
std::atomic<int32_t> heapsUsed{0};

timerheap* heapOf(p* pp) {
  int32_t id = pp->id;
  int32_t used = heapsUsed.load(std::memory_order_relaxed);
  while (id >= used && !heapsUsed.compare_exchange_weak(used, id + 1)) {
  }
  return &timerheaps[id];
}

void siftup(timerheap* h, int32_t i) {
  timer* t = h->t[i];
  while (i > 0) {
    int32_t parent = (i - 1) / 4;  // parent
    if (t->when >= h->t[parent]->when) break;
    h->t[i] = h->t[parent];
    h->t[i]->idx = i;
    i = parent;
  }
  h->t[i] = t;
  t->idx = i;
}

void siftdown(timerheap* h, int32_t i) {
  timer* t = h->t[i];
  for (;;) {
    int32_t c = 4 * i + 1;  // left child
    if (c >= h->n) break;
    int32_t best = c;  // the smallest of up to four children
    for (int32_t k = c + 1; k < c + 4 && k < h->n; k++) {
      if (h->t[k]->when < h->t[best]->when) best = k;
    }
    if (h->t[best]->when >= t->when) break;
    h->t[i] = h->t[best];
    h->t[i]->idx = i;
    i = best;
  }
  h->t[i] = t;
  t->idx = i;
}

void updateWhen0(timerheap* h) { h->when0.store(h->n == 0 ? 0 : h->t[0]->when, std::memory_order_release); }

// Puts t on h. h->lock is held; t is on no heap.
void heapAdd(timerheap* h, timer* t) {
  if (h->n == h->cap) {
    h->cap = h->cap == 0 ? 16 : 2 * h->cap;
    h->t = static_cast<timer**>(std::realloc(h->t, sizeof(timer*) * size_t(h->cap)));
    if (h->t == nullptr) gothrow("addtimer: out of memory");
  }
  h->t[h->n] = t;
  t->idx = h->n++;
  t->heap.store(h, std::memory_order_relaxed);
  siftup(h, t->idx);
  updateWhen0(h);
  if (h->t[0] == t) {
    wakeTimerSleeper(t->when);  // an idle M may sleep past it (proc.cpp)
    wakeSysmonForTimer(t->when);  // or, with every P busy, sysmon (sysmon.cpp)
  }
}

// Takes t off h. h->lock is held; t is on h.
void heapDelete(timerheap* h, timer* t) {
  int32_t i = t->idx;
  GOL_ASSERT(i >= 0 && i < h->n && h->t[i] == t, "deltimer: timer not where its index says", " idx=", i);
  int32_t last = --h->n;
  if (i != last) {
    // Move the last timer into the hole, then restore the heap in whichever direction
    // it is out of order.
    timer* moved = h->t[last];
    h->t[i] = moved;
    moved->idx = i;
    siftdown(h, i);
    if (moved->idx == i) siftup(h, i);
  }
  h->t[last] = nullptr;
  t->idx = -1;
  t->heap.store(nullptr, std::memory_order_relaxed);
  updateWhen0(h);
}

// Takes t off whatever heap it is on. t->mu is held. True if it was on one.
bool unheap(timer* t) {
  for (;;) {
    timerheap* h = t->heap.load(std::memory_order_relaxed);
    if (h == nullptr) return false;  // only a holder of mu can put it back on one
    lock(&h->lock);
    if (t->heap.load(std::memory_order_relaxed) == h) {
      heapDelete(h, t);
      unlock(&h->lock);
      return true;
    }
    unlock(&h->lock);  // it fired meanwhile: look again
  }
}

timerheap* currentHeap() {
  p* pp = getg()->m->p;
  return heapOf(pp != nullptr ? pp : allp[0].load());
}

}  // namespace

void addtimer(timer* t) {
  lock(&t->mu);
  GOL_ASSERT(t->heap.load() == nullptr, "addtimer: timer already armed");
  timerheap* h = currentHeap();
  lock(&h->lock);
  heapAdd(h, t);
  // t->mu goes first: once h->lock is free the timer may fire, its G run and return, and a
  // sleeper's timer (in that G's frame) be gone before a later unlock(&t->mu) touched it.
  unlock(&t->mu);
  unlock(&h->lock);
}

bool deltimer(timer* t) {
  lock(&t->mu);
  bool pending = unheap(t);
  unlock(&t->mu);
  return pending;
}

bool modtimer(timer* t, int64_t when, int64_t period) {
  lock(&t->mu);
  bool pending = unheap(t);
  t->when = when;
  t->period = period;
  timerheap* h = currentHeap();
  lock(&h->lock);
  heapAdd(h, t);
  unlock(&t->mu);  // before the heap's lock: see addtimer
  unlock(&h->lock);
  return pending;
}

int64_t checkTimers(p* pp, int64_t now) {
  timerheap* h = &timerheaps[pp->id];
  int64_t next = h->when0.load(std::memory_order_acquire);
  if (next == 0) return 0;
  if (now == 0) now = nanotime();
  if (now < next) return next;  // nothing due: no lock
  if (h->running.exchange(true, std::memory_order_acquire)) return next;  // another M runs them

  lock(&h->lock);
  while (h->n > 0 && h->t[0]->when <= now) {
    timer* t = h->t[0];
    if (t->period > 0) {
      // Leave it in the heap, but adjust the next time to fire: the next multiple of period
      // after now, skipping the ticks that were missed.
      t->when += t->period * (1 + (now - t->when) / t->period);
      if (t->when < 0) t->when = maxWhen;  // overflow
      siftdown(h, 0);
    } else {
      heapDelete(h, t);
    }
    updateWhen0(h);
    // Copy what we need: once unlocked, t may be re-armed, or (a sleep's timer, which lives
    // in the sleeper's frame) be gone as soon as f has readied the sleeper.
    void (*f)(void*, uintptr_t) = t->f;
    void* arg = t->arg;
    uintptr_t seq = t->seq;
    unlock(&h->lock);
    if (debugTimers) print("timer: fire f=", reinterpret_cast<void*>(f), " now=", now, "\n");
    f(arg, seq);
    lock(&h->lock);
  }
  next = h->n == 0 ? 0 : h->t[0]->when;
  unlock(&h->lock);
  h->running.store(false, std::memory_order_release);
  return next;
}

int64_t timerWhen(p* pp) { return timerheaps[pp->id].when0.load(std::memory_order_acquire); }

int64_t nextTimerWhen() {
  int64_t next = 0;
  for (int32_t i = 0, n = heapsUsed.load(); i < n; i++) {
    int64_t w = timerheaps[i].when0.load(std::memory_order_acquire);
    if (w != 0 && (next == 0 || w < next)) next = w;
  }
  return next;
}

void forEachTimerArray(void (*fn)(uintptr_t lo, uintptr_t hi, void* arg), void* arg) {
  for (int32_t i = 0, n = heapsUsed.load(); i < n; i++) {
    timerheap* h = &timerheaps[i];
    auto lo = reinterpret_cast<uintptr_t>(h->t);
    if (h->n > 0) fn(lo, lo + uintptr_t(h->n) * sizeof(timer*), arg);
  }
}

void moveTimers(p* to, p* from) {
  timerheap* src = heapOf(from);
  timerheap* dst = heapOf(to);
  if (src == dst) return;
  // Timers move one at a time, each under both heap locks in index order, so a modifier
  // that follows timer.heap always finds the timer where it looks (or retries).
  for (;;) {
    timerheap* first = src < dst ? src : dst;
    timerheap* second = src < dst ? dst : src;
    lock(&first->lock);
    lock(&second->lock);
    bool more = src->n > 0;
    if (more) {
      timer* t = src->t[src->n - 1];
      heapDelete(src, t);
      heapAdd(dst, t);
    }
    unlock(&second->lock);
    unlock(&first->lock);
    if (!more) return;
  }
}

namespace {

// A sleeping G's timer function: wake it.
void goroutineReady(void* arg, uintptr_t) { goready(static_cast<g*>(arg)); }

// gopark's unlock function for timeSleep: arm the timer only once the G is off its M, so
// the timer cannot ready a G that is still running.
bool resetForSleep(g*, void* arg) {
  addtimer(static_cast<timer*>(arg));
  return true;
}

}  // namespace

void timeSleep(int64_t ns) {
  if (ns <= 0) return;
  g* gp = getg();
  timer t;  // lives in this frame: checkTimers never touches it after readying gp
  t.f = goroutineReady;
  t.arg = gp;
  int64_t now = nanotime();
  t.when = ns > maxWhen - now ? maxWhen : now + ns;
  gopark(resetForSleep, &t, waitReasonSleep);
}

}  // namespace gol::rt

// ---- the ABI (abi.h) ----
using namespace gol::rt;

namespace {

// A time.Timer/Ticker's function: send the current wall-clock time without blocking. The
// channel has a buffer of 1 (time.NewTimer makes it so): a tick nobody has taken yet makes
// the next one be dropped, as in Go.
void sendTime(void* c, uintptr_t) {
  int64_t now = gol_walltime_ns();
  chansend(static_cast<hchan*>(c), &now, false);
}

// The same for package time's channels, whose element is a time.Time: {wall, mono} (the
// layout of stdlib/time/time.gol), so a receiver gets what time.Now() would have returned.
void sendTimeValue(void* c, uintptr_t) {
  int64_t now[2] = {gol_walltime_ns(), nanotime()};
  chansend(static_cast<hchan*>(c), now, false);
}

// A time.AfterFunc's function: `go f()` for the closure f.
void goFuncEntry(void* args) {
  void* closure = *static_cast<void**>(args);
  auto fn = *static_cast<void (**)(void*)>(closure);
  fn(closure);
}
void goFunc(void* closure, uintptr_t) { gol_newproc(goFuncEntry, &closure, sizeof closure); }

}  // namespace

extern "C" {

int64_t gol_nanotime() { return nanotime(); }

int64_t gol_walltime_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void gol_timeSleep(int64_t ns) { timeSleep(ns); }

void* gol_newtimer(int64_t when, int64_t period, void* chan_or_fn, int64_t kind) {
  if (period < 0) gothrow("newtimer: negative period");
  auto* t = new (mallocgc(sizeof(timer), nullptr, true)) timer();
  switch (kind) {
    case GOL_TIMER_CHAN: t->f = sendTime; break;
    case GOL_TIMER_FUNC: t->f = goFunc; break;
    case GOL_TIMER_TIME: t->f = sendTimeValue; break;
    default: gothrow("newtimer: bad kind");
  }
  t->arg = chan_or_fn;
  t->when = when;
  t->period = period;
  addtimer(t);
  return t;
}

bool gol_stoptimer(void* t) { return deltimer(static_cast<timer*>(t)); }

bool gol_resettimer(void* t, int64_t when) {
  auto* tt = static_cast<timer*>(t);
  return modtimer(tt, when, tt->period);
}

bool gol_modtimer(void* t, int64_t when, int64_t period) {
  if (period < 0) gothrow("modtimer: negative period");
  return modtimer(static_cast<timer*>(t), when, period);
}

}  // extern "C"
