// select.cpp: the select statement (Go's select.go): selectgo and block.
//
// selectgo runs one case of a select whose cases may involve many channels:
//
//   order     a random permutation of the cases (pollorder), so that among several ready
//             cases each is picked with equal probability; and the cases sorted by channel
//             address (lockorder), the one global order in which selects lock channels, so
//             two selects over the same channels cannot deadlock. A channel that appears in
//             several cases is locked once. Cases with a nil channel never fire: they are left
//             out of both orders.
//   pass 1    with every channel locked, look at the cases in poll order for one that can
//             proceed now (a waiting partner, buffer room or data, a closed channel); do it
//             and return. If none and there is a default, return -1.
//   pass 2    queue a sudog on every case's channel (all share the G's selectdone flag) and
//             park ("select"); the channels are unlocked only once the G is off its M.
//   pass 3    woken by the one waker that won selectdone (chan.cpp's waitq::dequeue): relock
//             every channel, take the other sudogs off their queues, and report the winner.
//
// While parked, the G's sudogs may sit on many queues, and wakers on different channels may
// find them at the same time; selectdone (a word in selectgo's frame, CAS 0 -> 1) decides who
// wakes the G. A loser drops the stale sudog from its queue and moves on.
//
// Go 1.5 kept pollorder/lockorder in the compiler-allocated select frame; here selectgo keeps
// them in its own frame (or on the C heap for very large selects).
#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "abi.h"
#include "chan.h"
#include "runtime.h"

namespace gol::rt {

namespace {

constexpr bool debugSelect = false;
constexpr int64_t maxCases = 1 << 16;  // orders are uint16_t, as in Go
constexpr int64_t smallCases = 64;     // orders up to this size live in selectgo's frame

// A uniformly distributed random number in [0, n) (Go's fastrandn).
uint32_t fastrandn(uint32_t n) { return uint32_t((uint64_t(fastrand1()) * n) >> 32); }

// Everything selparkcommit needs, in selectgo's frame.
struct selstate {
  scase* cases;
  uint16_t* lockorder;
  int norder;
};

void sellock(const selstate& s) {
  hchan* c = nullptr;
  for (int i = 0; i < s.norder; i++) {
    hchan* c0 = s.cases[s.lockorder[i]].c;
    if (c0 != c) {
      c = c0;
      lock(&c->lock);
    }
  }
}

void selunlock(const selstate& s) {
  // We must be very careful here to not touch s after we have unlocked the last lock,
  // because once the G is parked, the last unlock lets a waker resume it and selectgo's frame
  // (where s and the orders live) changes under us. So unlock in reverse lock order: the
  // first channel, unlocked last, is the one pass 3's sellock waits for first, and until
  // then the G cannot get past it.
  for (int i = s.norder - 1; i >= 0; i--) {
    hchan* c = s.cases[s.lockorder[i]].c;
    if (i > 0 && c == s.cases[s.lockorder[i - 1]].c) continue;  // will unlock it on the next iteration
    unlock(&c->lock);
  }
}

// gopark's unlock function for pass 2.
bool selparkcommit(g*, void* arg) {
  selunlock(*static_cast<selstate*>(arg));
  return true;
}

// Sorts the cases in pollorder[0, n) by channel address into lockorder, with a heap sort:
// no allocation, O(n log n) worst case, as Go does it.
void sortLockorder(scase* cases, const uint16_t* pollorder, uint16_t* lockorder, int n) {
  auto key = [cases](uint16_t o) { return reinterpret_cast<uintptr_t>(cases[o].c); };
  // Build a max-heap, inserting in poll order so cases on the same channel stay permuted.
  for (int i = 0; i < n; i++) {
    int j = i;
    uintptr_t k = key(pollorder[i]);
    while (j > 0 && key(lockorder[(j - 1) / 2]) < k) {
      lockorder[j] = lockorder[(j - 1) / 2];
      j = (j - 1) / 2;
    }
    lockorder[j] = pollorder[i];
  }
  // Repeatedly move the largest to the end of the shrinking heap.
  for (int i = n - 1; i >= 0; i--) {
    uint16_t o = lockorder[i];
    uintptr_t k = key(o);
    lockorder[i] = lockorder[0];
    int j = 0;
    for (;;) {
      int child = 2 * j + 1;
      if (child >= i) break;
      if (child + 1 < i && key(lockorder[child]) < key(lockorder[child + 1])) child++;
      if (!(k < key(lockorder[child]))) break;
      lockorder[j] = lockorder[child];
      j = child;
    }
    lockorder[j] = o;
  }
  for (int i = 1; i < n; i++) {
    GOL_DCHECK(key(lockorder[i - 1]) <= key(lockorder[i]), "select: broken sort");
  }
}

// The case at index casi ran: unlock everything and report it.
selectResult done(const selstate& s, uint16_t* heapOrder, int64_t casi, bool recvOK) {
  selunlock(s);
  std::free(heapOrder);
  if (debugSelect) print("select: case ", casi, " recvOK=", recvOK, "\n");
  return {casi, recvOK};
}

}  // namespace

selectResult selectgo(scase* cases, int64_t ncases, bool block) {
  if (ncases < 0 || ncases > maxCases) gothrow("selectgo: too many cases");
  uint16_t small[2 * smallCases];
  uint16_t* heapOrder = nullptr;
  uint16_t* order = small;
  if (ncases > smallCases) {
    heapOrder = static_cast<uint16_t*>(std::malloc(sizeof(uint16_t) * 2 * size_t(ncases)));
    if (heapOrder == nullptr) gothrow("selectgo: out of memory");
    order = heapOrder;
  }
  uint16_t* pollorder = order;
  uint16_t* lockorder = order + ncases;

  // Generate a uniformly random permutation of the cases with a channel (inside-out
  // Fisher-Yates).
  int norder = 0;
  for (int64_t i = 0; i < ncases; i++) {
    if (cases[i].c == nullptr) continue;
    uint32_t j = fastrandn(uint32_t(norder + 1));
    pollorder[norder] = pollorder[j];
    pollorder[j] = uint16_t(i);
    norder++;
  }
  sortLockorder(cases, pollorder, lockorder, norder);
  selstate s{cases, lockorder, norder};
  sellock(s);

  // pass 1 - look for something already waiting
  for (int i = 0; i < norder; i++) {
    int64_t casi = pollorder[i];
    scase* cas = &cases[casi];
    hchan* c = cas->c;
    if (cas->kind == caseRecv) {
      if (sudog* sg = c->sendq.dequeue()) {
        g* gp = recvDirect(c, sg, cas->elem);
        selectResult r = done(s, heapOrder, casi, true);
        goready(gp);
        return r;
      }
      if (uint64_t n = c->qcount.load(std::memory_order_relaxed); n > 0) {
        void* qp = chanbuf(c, c->recvx);
        if (cas->elem != nullptr) std::memmove(cas->elem, qp, size_t(c->elemsize));
        std::memset(qp, 0, size_t(c->elemsize));
        if (++c->recvx == c->dataqsiz) c->recvx = 0;
        c->qcount.store(n - 1, std::memory_order_relaxed);
        return done(s, heapOrder, casi, true);
      }
      if (c->closed.load(std::memory_order_relaxed) != 0) {
        if (cas->elem != nullptr) std::memset(cas->elem, 0, size_t(c->elemsize));
        return done(s, heapOrder, casi, false);
      }
    } else {
      GOL_ASSERT(cas->kind == caseSend, "selectgo: bad case kind", " ", cas->kind);
      if (c->closed.load(std::memory_order_relaxed) != 0) {
        done(s, heapOrder, casi, false);
        panicstring("send on closed channel");
      }
      if (sudog* sg = c->recvq.dequeue()) {
        g* gp = sendDirect(c, sg, cas->elem);
        selectResult r = done(s, heapOrder, casi, false);
        goready(gp);
        return r;
      }
      if (uint64_t n = c->qcount.load(std::memory_order_relaxed); n < c->dataqsiz) {
        std::memmove(chanbuf(c, c->sendx), cas->elem, size_t(c->elemsize));
        if (++c->sendx == c->dataqsiz) c->sendx = 0;
        c->qcount.store(n + 1, std::memory_order_relaxed);
        return done(s, heapOrder, casi, false);
      }
    }
  }
  if (!block) return done(s, heapOrder, -1, false);

  // pass 2 - enqueue on all chans, in lock order
  g* gp = getg();
  std::atomic<uint32_t> selectdone{0};
  sudog* sglist = nullptr;  // one sudog per lockorder entry, linked by waitlink
  sudog** nextp = &sglist;
  for (int i = 0; i < norder; i++) {
    scase* cas = &cases[lockorder[i]];
    sudog* sg = acquireSudog();
    sg->g = gp;
    sg->isSelect = true;
    sg->selectdone = &selectdone;
    sg->elem = cas->elem;
    sg->c = cas->c;
    *nextp = sg;
    nextp = &sg->waitlink;
    if (cas->kind == caseRecv) {
      cas->c->recvq.enqueue(sg);
    } else {
      cas->c->sendq.enqueue(sg);
    }
  }
  gp->param = nullptr;
  gopark(selparkcommit, &s, waitReasonSelect);

  // pass 3 - dequeue from unsuccessful chans; the waker already dequeued the winner.
  sellock(s);
  auto* won = static_cast<sudog*>(gp->param);
  gp->param = nullptr;
  int64_t casi = -1;
  bool success = false;
  sudog* sg = sglist;
  for (int i = 0; i < norder; i++) {
    scase* cas = &cases[lockorder[i]];
    if (sg == won) {
      casi = lockorder[i];
      success = sg->success;
    } else if (cas->kind == caseRecv) {
      cas->c->recvq.remove(sg);
    } else {
      cas->c->sendq.remove(sg);
    }
    sudog* next = sg->waitlink;
    sg->waitlink = nullptr;
    sg->isSelect = false;
    sg->elem = nullptr;
    sg->c = nullptr;
    releaseSudog(sg);
    sg = next;
  }
  GOL_ASSERT(casi >= 0, "selectgo: bad wakeup");
  if (cases[casi].kind == caseSend && !success) {
    // Woken by close(c): a send case panics, like chansend.
    done(s, heapOrder, casi, false);
    panicstring("send on closed channel");
  }
  // A receive woke with the value already in cas->elem (or zeroed by close).
  return done(s, heapOrder, casi, cases[casi].kind == caseRecv && success);
}

void block() {
  gopark(nullptr, nullptr, waitReasonSelectNoCases);
  gothrow("unreachable");
}

}  // namespace gol::rt

// ---- the ABI (abi.h) ----
using namespace gol::rt;

static_assert(sizeof(gol_scase) == sizeof(scase) && offsetof(gol_scase, c) == offsetof(scase, c) &&
                  offsetof(gol_scase, elem) == offsetof(scase, elem) && offsetof(gol_scase, kind) == offsetof(scase, kind),
              "gol_scase and scase differ");
static_assert(int64_t(GOL_CASE_RECV) == int64_t(caseRecv) && int64_t(GOL_CASE_SEND) == int64_t(caseSend), "case kinds differ");

extern "C" {

int64_t gol_selectgo(gol_scase* cases, int64_t ncases, bool* recvOK, bool hasDefault) {
  selectResult r = selectgo(reinterpret_cast<scase*>(cases), ncases, !hasDefault);
  if (recvOK != nullptr) *recvOK = r.recvOK;
  return r.index;
}

void gol_block() { block(); }

}  // extern "C"
