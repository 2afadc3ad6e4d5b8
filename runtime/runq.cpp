// runq.cpp: run queues: each P's lock-free local queue with its runnext slot, and the
// global queue under sched.lock (Go 1.5 proc1.go, runqput … globrunqget).
//
// The local queue is a ring of RunqSize slots indexed by free-running uint32 counters:
// slots [runqhead, runqtail) hold Gs. Ownership rules:
//   - only the owning P puts, so runqtail has a single writer;
//   - any P may take, by CAS on runqhead: the owner in runqget, thieves in runqgrab;
//   - runnext is a one-G side slot the owner sets and anyone may CAS away.
//
// Memory ordering (Go's comments name the same pairs; Go's atomics are all sequentially
// consistent, these are the weakest orders that keep the argument):
//   - The producer fills slot t, then stores runqtail = t+1 with release. A consumer loads
//     runqtail with acquire before reading slots, so it sees the G the slot points to.
//   - A consumer reads slots, then commits with a CAS on runqhead (release). The producer
//     loads runqhead with acquire before reusing slots, so no read of a slot is still
//     pending when the slot is overwritten.
//   - A consumer whose CAS fails discards what it read: the slot may have been reused in
//     between. Slots are atomics (relaxed) so that this read is a race the C++ memory model
//     allows, not undefined behaviour.
//   - runnext changes only by CAS with acq_rel: whoever takes the G sees its fields.
#include "runtime.h"
#include "trace.h"

namespace gol::rt {

// Puts gp on pp's local queue: in runnext if next (the old runnext, if any, moves to the
// tail), else at the tail. A full ring spills half of itself to the global queue.
// Only the owner of pp calls it.
void runqput(p* pp, g* gp, bool next) {
  if (next) {
    g* oldnext = pp->runnext.load(std::memory_order_relaxed);
    while (!pp->runnext.compare_exchange_weak(oldnext, gp, std::memory_order_acq_rel,
                                              std::memory_order_relaxed)) {
    }
    if (oldnext == nullptr) return;
    gp = oldnext;  // kick the old runnext out to the regular queue
  }
  for (;;) {
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronise with consumers
    uint32_t t = pp->runqtail.load(std::memory_order_relaxed);  // we are its only writer
    if (t - h < RunqSize) {
      pp->runq[t % RunqSize].store(gp, std::memory_order_relaxed);
      pp->runqtail.store(t + 1, std::memory_order_release);  // publish the slot
      return;
    }
    if (runqputslow(pp, gp, h, t)) return;
    // A consumer took some Gs between our loads and the CAS: the ring has room now.
  }
}

// Moves gp and the older half of pp's full ring to the global queue, as one batch under
// one lock acquisition. False if a consumer got in first (retry the fast path).
// Only the owner of pp calls it.
bool runqputslow(p* pp, g* gp, uint32_t h, uint32_t t) {
  g* batch[RunqSize / 2 + 1];
  uint32_t n = (t - h) / 2;
  GOL_ASSERT(n == RunqSize / 2, "runqputslow: queue is not full");
  for (uint32_t i = 0; i < n; i++) batch[i] = pp->runq[(h + i) % RunqSize].load(std::memory_order_relaxed);
  if (!pp->runqhead.compare_exchange_strong(h, h + n, std::memory_order_release, std::memory_order_relaxed)) {
    return false;
  }
  batch[n] = gp;
  for (uint32_t i = 0; i < n; i++) batch[i]->schedlink = batch[i + 1];
  lock(&sched.lock);
  globrunqputbatch(batch[0], batch[n], static_cast<int32_t>(n + 1));
  unlock(&sched.lock);
  return true;
}

// Takes the next G from pp's local queue: runnext first, then the head of the ring.
// inheritTime (second) is true for runnext: that G shares the current time slice.
// Only the owner of pp calls it.
std::pair<g*, bool> runqget(p* pp) {
  g* next = pp->runnext.load(std::memory_order_relaxed);
  while (next != nullptr) {
    if (pp->runnext.compare_exchange_weak(next, nullptr, std::memory_order_acq_rel, std::memory_order_relaxed)) {
      return {next, true};
    }
  }
  for (;;) {
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronise with thieves
    uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
    if (t == h) return {nullptr, false};
    g* gp = pp->runq[h % RunqSize].load(std::memory_order_relaxed);
    if (pp->runqhead.compare_exchange_weak(h, h + 1, std::memory_order_release, std::memory_order_relaxed)) {
      return {gp, false};
    }
  }
}

// Takes half (rounded up) of pp's ring into the ring `batch`, starting at batchHead; if the
// ring is empty and stealRunNextG, takes pp's runnext instead. Returns how many it took.
// Any P may call it.
uint32_t runqgrab(p* pp, std::atomic<g*> (&batch)[RunqSize], uint32_t batchHead, bool stealRunNextG) {
  for (;;) {
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronise with other consumers
    uint32_t t = pp->runqtail.load(std::memory_order_acquire);  // synchronise with the producer
    uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) {
      if (!stealRunNextG) return 0;
      g* next = pp->runnext.load(std::memory_order_relaxed);
      if (next == nullptr) return 0;
      // pp's G may be about to run runnext itself: it readied it and is blocking. Back off
      // briefly rather than bounce the G between Ps. The seed sleeps 100 µs whatever pp is
      // doing; like later Go (1.9 on), Gol backs off only while pp is running, and for 3 µs
      // (about 55 µs with Linux's default timer slack): a G readied by a running G that does
      // not block (a mutex unlocker in a loop) waits that much less for an idle P.
      if (pp->status.load(std::memory_order_relaxed) == Prunning) usleep(3);
      if (!pp->runnext.compare_exchange_strong(next, nullptr, std::memory_order_acq_rel, std::memory_order_relaxed)) {
        continue;
      }
      if (traceEnabled) [[unlikely]] traceStealRunnext();
      batch[batchHead % RunqSize].store(next, std::memory_order_relaxed);
      return 1;
    }
    if (n > RunqSize / 2) continue;  // h and t were read at different times: inconsistent
    for (uint32_t i = 0; i < n; i++) {
      g* gp = pp->runq[(h + i) % RunqSize].load(std::memory_order_relaxed);
      batch[(batchHead + i) % RunqSize].store(gp, std::memory_order_relaxed);
    }
    if (pp->runqhead.compare_exchange_strong(h, h + n, std::memory_order_release, std::memory_order_relaxed)) {
      return n;
    }
  }
}

// Steals half of p2's local queue into pp's and returns one of the stolen Gs (the last),
// or null. Called by pp's owner.
g* runqsteal(p* pp, p* p2, bool stealRunNextG) {
  uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
  uint32_t n = runqgrab(p2, pp->runq, t, stealRunNextG);
  if (n == 0) return nullptr;
  if (traceEnabled) [[unlikely]] traceSteal(pp, p2, n);
  n--;
  g* gp = pp->runq[(t + n) % RunqSize].load(std::memory_order_relaxed);
  if (n == 0) return gp;
  uint32_t h = pp->runqhead.load(std::memory_order_acquire);
  GOL_ASSERT(t - h + n < RunqSize, "runqsteal: runq overflow");
  pp->runqtail.store(t + n, std::memory_order_release);  // publish the stolen Gs
  return gp;
}

// True if pp has no G in runnext or the ring. Racy by nature: callers use it as a hint or
// under conditions that stop new puts. Unlike the seed's single read, this re-reads until
// runqtail is stable across the other loads (Go 1.7's fix): otherwise a G moving from
// runnext to the ring in runqput could be missed by both reads.
bool runqempty(p* pp) {
  for (;;) {
    uint32_t head = pp->runqhead.load(std::memory_order_acquire);
    uint32_t tail = pp->runqtail.load(std::memory_order_acquire);
    g* next = pp->runnext.load(std::memory_order_acquire);
    if (tail == pp->runqtail.load(std::memory_order_acquire)) return head == tail && next == nullptr;
  }
}

// ---- the global queue: sched.lock held for all of these ----

void globrunqput(g* gp) {
  gp->schedlink = nullptr;
  if (sched.runqtail != nullptr) {
    sched.runqtail->schedlink = gp;
  } else {
    sched.runqhead = gp;
  }
  sched.runqtail = gp;
  sched.runqsize.fetch_add(1, std::memory_order_relaxed);
}

void globrunqputhead(g* gp) {
  gp->schedlink = sched.runqhead;
  sched.runqhead = gp;
  if (sched.runqtail == nullptr) sched.runqtail = gp;
  sched.runqsize.fetch_add(1, std::memory_order_relaxed);
}

// Appends the list ghead…gtail (n Gs linked by schedlink).
void globrunqputbatch(g* ghead, g* gtail, int32_t n) {
  gtail->schedlink = nullptr;
  if (sched.runqtail != nullptr) {
    sched.runqtail->schedlink = ghead;
  } else {
    sched.runqhead = ghead;
  }
  sched.runqtail = gtail;
  sched.runqsize.fetch_add(n, std::memory_order_relaxed);
}

// Takes a fair share of the global queue (its length / GOMAXPROCS + 1, at most max if
// max > 0, at most half a local ring): returns the first G and puts the rest on pp's
// local queue.
g* globrunqget(p* pp, int32_t max) {
  int32_t size = sched.runqsize.load(std::memory_order_relaxed);
  if (size == 0) return nullptr;
  int32_t n = size / gomaxprocs.load(std::memory_order_relaxed) + 1;
  if (n > size) n = size;
  if (max > 0 && n > max) n = max;
  if (n > int32_t(RunqSize / 2)) n = RunqSize / 2;

  sched.runqsize.store(size - n, std::memory_order_relaxed);
  if (size - n == 0) sched.runqtail = nullptr;

  g* gp = sched.runqhead;
  sched.runqhead = gp->schedlink;
  for (n--; n > 0; n--) {
    g* gp1 = sched.runqhead;
    sched.runqhead = gp1->schedlink;
    runqput(pp, gp1, false);
  }
  return gp;
}

}  // namespace gol::rt
