// chan.cpp: channels (Go's chan.go): makechan, chansend, chanrecv, closechan, and the ABI
// entry points compiled code calls for them.
//
// A channel is an hchan (chan.h: read its invariants first) guarded by one runtime mutex.
// Every operation takes the lock and tries, in order:
//
//   send:     a receiver already waiting?  hand the value straight to it (sendDirect):
//             copy into its sudog.elem, which points at its variable, and goready it
//             a free buffer slot?            copy into the ring
//             otherwise                      queue a sudog on sendq and park ("chan send")
//   receive:  a sender already waiting?    take its value (recvDirect); for a buffered
//             channel the buffer is full then: take the head and put the sender's value at
//             the tail, so values stay in FIFO order
//             a value in the buffer?         take it
//             closed?                        the zero value, ok=false
//             otherwise                      queue a sudog on recvq and park ("chan receive")
//
// Waiters are queued FIFO, so blocked senders deliver (and blocked receivers get values) in
// the order they blocked. A parked G is woken by whoever completes its operation: the waker
// copies the value, sets g.param to the sudog and sudog.success, and goready's the G; the G
// wakes with its operation already done. closechan wakes every waiter with success=false:
// receivers return the zero value, senders panic.
//
// Parking uses goparkunlock: the channel lock is released only once the G is off its M
// (park_m), so a waker that dequeues the sudog always finds the G in Gwaiting.
//
// Differences from Go: no lock-free fast paths for non-blocking operations (Go peeks at
// qcount/closed/the queues without the lock; every Gol operation takes the lock), no race
// detector or block profiling hooks, and values are copied with memmove (the collector's
// write barriers will make that typedmemmove).
//
// Next: select.cpp (selectgo, which shares sendDirect/recvDirect and the wait queues).
#include <cstring>

#include "abi.h"
#include "chan.h"
#include "runtime.h"
#include "typedesc.h"

namespace gol::rt {

namespace {

constexpr bool debugChan = false;

// The largest allocation makechan accepts (Go's maxAlloc on 64-bit Linux is 2^48).
constexpr uint64_t maxAlloc = uint64_t(1) << 47;
// The header's size rounded up so that the buffer after it is 16-byte aligned.
constexpr uint64_t hchanSize = (sizeof(hchan) + 15) & ~uint64_t(15);

}  // namespace

// ---- wait queues ----

void waitq::enqueue(sudog* s) {
  s->next = nullptr;
  s->prev = last;
  if (last == nullptr) {
    first = s;
  } else {
    last->next = s;
  }
  last = s;
}

sudog* waitq::dequeue() {
  for (;;) {
    sudog* s = first;
    if (s == nullptr) return nullptr;
    first = s->next;
    if (first == nullptr) {
      last = nullptr;
    } else {
      first->prev = nullptr;
    }
    s->next = nullptr;
    s->prev = nullptr;
    // A select's sudog: the G may be woken only once. If another case won the CAS, this
    // sudog is stale (the G will take it off this queue in its pass 3, or already has).
    if (s->selectdone != nullptr) {
      uint32_t zero = 0;
      if (s->selectdone->load(std::memory_order_relaxed) != 0 || !s->selectdone->compare_exchange_strong(zero, 1)) {
        continue;
      }
    }
    return s;
  }
}

void waitq::remove(sudog* s) {
  sudog* x = s->prev;
  sudog* y = s->next;
  if (x != nullptr) {
    x->next = y;
    if (y != nullptr) {
      y->prev = x;
    } else {
      last = x;
    }
  } else if (y != nullptr) {
    y->prev = nullptr;
    first = y;
  } else if (first == s) {
    // s is the only element.
    first = nullptr;
    last = nullptr;
  }
  // else: no neighbours and not first: a waker already dequeued s and dropped it because it
  // lost the race for s->selectdone. Nothing to unlink.
  s->next = nullptr;
  s->prev = nullptr;
}

// ---- make, send, receive, close ----

hchan* makechan(const void* elemtype, int64_t elemsize, int64_t size) {
  // The compiler checks these too; the runtime's own checks are the last word.
  if (elemsize < 0 || elemsize >= (1 << 16)) gothrow("makechan: invalid channel element type");
  if (size < 0 || (elemsize > 0 && uint64_t(size) > (maxAlloc - hchanSize) / uint64_t(elemsize))) {
    panicstring("makechan: size out of range");
  }
  uint64_t bufsize = uint64_t(size) * uint64_t(elemsize);
  // As in Go: values without pointers share one noscan block with the hchan (which holds no
  // heap pointer but buf, into itself); values with pointers get a buffer of their own,
  // typed, so the collector scans it precisely (one block would shift the element bitmap by
  // the header), and the hchan is scanned conservatively for buf.
  auto* et = static_cast<const gol_type*>(elemtype);
  bool separate = et != nullptr && et->ptrdata != 0 && bufsize != 0;
  void* mem = mallocgc(separate ? hchanSize : hchanSize + bufsize, separate ? nullptr : elemtype, true);
  hchan* c = new (mem) hchan();
  c->dataqsiz = uint64_t(size);
  c->elemsize = elemsize;
  c->elemtype = elemtype;
  // With nothing to store (unbuffered, or zero-sized values), buf points at the channel
  // itself: a valid address that no copy of zero bytes will disturb.
  c->buf = bufsize == 0 ? static_cast<void*>(c)
            : separate  ? mallocgc(bufsize, elemtype, true)
                        : static_cast<char*>(mem) + hchanSize;
  if (debugChan) print("makechan: chan=", c, "; elemsize=", elemsize, "; dataqsiz=", size, "\n");
  return c;
}

// Parks the current G on q as a sudog waiting with elem ep, unlocks c.lock once the G is off
// its M, and returns the sudog's success flag when someone has woken it.
static bool parkOn(hchan* c, waitq* q, void* ep, const char* reason) {
  g* gp = getg();
  sudog* mysg = acquireSudog();
  mysg->elem = ep;
  mysg->g = gp;
  mysg->isSelect = false;
  mysg->c = c;
  gp->param = nullptr;
  q->enqueue(mysg);
  goparkunlock(&c->lock, reason);

  // Woken: whoever dequeued mysg completed the operation (or closed c).
  GOL_ASSERT(gp->param == mysg, "chan: G woken by someone who did not dequeue its sudog");
  gp->param = nullptr;
  bool success = mysg->success;
  mysg->elem = nullptr;
  mysg->c = nullptr;
  releaseSudog(mysg);
  return success;
}

bool chansend(hchan* c, const void* ep, bool block) {
  if (c == nullptr) {
    if (!block) return false;
    gopark(nullptr, nullptr, waitReasonChanSendNilChan);
    gothrow("unreachable");
  }
  if (debugChan) print("chansend: chan=", c, "\n");

  lock(&c->lock);
  if (c->closed.load(std::memory_order_relaxed) != 0) {
    unlock(&c->lock);
    panicstring("send on closed channel");
  }
  if (sudog* sg = c->recvq.dequeue()) {
    // Found a waiting receiver: pass the value straight to it, bypassing the buffer.
    g* gp = sendDirect(c, sg, ep);
    unlock(&c->lock);
    goready(gp);
    return true;
  }
  if (uint64_t n = c->qcount.load(std::memory_order_relaxed); n < c->dataqsiz) {
    std::memmove(chanbuf(c, c->sendx), ep, size_t(c->elemsize));
    if (++c->sendx == c->dataqsiz) c->sendx = 0;
    c->qcount.store(n + 1, std::memory_order_relaxed);
    unlock(&c->lock);
    return true;
  }
  if (!block) {
    unlock(&c->lock);
    return false;
  }
  // Block on the channel. The receiver that wakes us has copied the value out of *ep.
  if (!parkOn(c, &c->sendq, const_cast<void*>(ep), waitReasonChanSend)) {
    // Woken by closechan.
    GOL_ASSERT(c->closed.load(std::memory_order_relaxed) != 0, "chansend: spurious wakeup");
    panicstring("send on closed channel");
  }
  return true;
}

recvResult chanrecv(hchan* c, void* ep, bool block) {
  if (debugChan) print("chanrecv: chan=", c, "\n");
  if (c == nullptr) {
    if (!block) return {false, false};
    gopark(nullptr, nullptr, waitReasonChanReceiveNilChan);
    gothrow("unreachable");
  }

  lock(&c->lock);
  uint64_t n = c->qcount.load(std::memory_order_relaxed);
  if (c->closed.load(std::memory_order_relaxed) != 0 && n == 0) {
    unlock(&c->lock);
    if (ep != nullptr) std::memset(ep, 0, size_t(c->elemsize));
    return {true, false};
  }
  if (sudog* sg = c->sendq.dequeue()) {
    // A waiting sender: the buffer (if any) is full. Take the value from the sender if
    // unbuffered, else from the head of the buffer, and the sender's value goes to the tail.
    g* gp = recvDirect(c, sg, ep);
    unlock(&c->lock);
    goready(gp);
    return {true, true};
  }
  if (n > 0) {
    void* qp = chanbuf(c, c->recvx);
    if (ep != nullptr) std::memmove(ep, qp, size_t(c->elemsize));
    std::memset(qp, 0, size_t(c->elemsize));  // drop what the slot referenced (for the GC)
    if (++c->recvx == c->dataqsiz) c->recvx = 0;
    c->qcount.store(n - 1, std::memory_order_relaxed);
    unlock(&c->lock);
    return {true, true};
  }
  if (!block) {
    unlock(&c->lock);
    return {false, false};
  }
  // Block on the channel. The sender that wakes us has copied the value into *ep; close
  // wakes us with *ep zeroed.
  bool success = parkOn(c, &c->recvq, ep, waitReasonChanReceive);
  return {true, success};
}

g* sendDirect(hchan* c, sudog* sg, const void* ep) {
  if (sg->elem != nullptr) {
    // The receiver's variable is on its stack; it is parked, so nobody else writes there.
    std::memmove(sg->elem, ep, size_t(c->elemsize));
    sg->elem = nullptr;
  }
  g* gp = sg->g;
  gp->param = sg;
  sg->success = true;
  return gp;
}

g* recvDirect(hchan* c, sudog* sg, void* ep) {
  if (c->dataqsiz == 0) {
    if (ep != nullptr) std::memmove(ep, sg->elem, size_t(c->elemsize));
  } else {
    // The queue is full: take the item at its head, and make the sender enqueue its item at
    // the tail of the queue. Since the queue is full, those are the same slot.
    void* qp = chanbuf(c, c->recvx);
    if (ep != nullptr) std::memmove(ep, qp, size_t(c->elemsize));
    std::memmove(qp, sg->elem, size_t(c->elemsize));
    if (++c->recvx == c->dataqsiz) c->recvx = 0;
    c->sendx = c->recvx;  // c->sendx = (c->sendx+1) % c->dataqsiz
  }
  sg->elem = nullptr;
  g* gp = sg->g;
  gp->param = sg;
  sg->success = true;
  return gp;
}

void closechan(hchan* c) {
  if (c == nullptr) panicstring("close of nil channel");

  lock(&c->lock);
  if (c->closed.load(std::memory_order_relaxed) != 0) {
    unlock(&c->lock);
    panicstring("close of closed channel");
  }
  c->closed.store(1, std::memory_order_relaxed);

  // Collect every waiter, then ready them after unlocking. The list is linked through
  // g.schedlink: a Gwaiting G is on no run queue, so the field is free.
  g* glist = nullptr;
  // release all readers: they get the zero value and ok=false
  while (sudog* sg = c->recvq.dequeue()) {
    if (sg->elem != nullptr) {
      std::memset(sg->elem, 0, size_t(c->elemsize));
      sg->elem = nullptr;
    }
    g* gp = sg->g;
    gp->param = sg;
    sg->success = false;
    gp->schedlink = glist;
    glist = gp;
  }
  // release all writers (they will panic)
  while (sudog* sg = c->sendq.dequeue()) {
    sg->elem = nullptr;
    g* gp = sg->g;
    gp->param = sg;
    sg->success = false;
    gp->schedlink = glist;
    glist = gp;
  }
  unlock(&c->lock);

  // Ready all Gs now that we've dropped the channel lock.
  while (glist != nullptr) {
    g* gp = glist;
    glist = gp->schedlink;
    gp->schedlink = nullptr;
    goready(gp);
  }
}

int64_t chanlen(hchan* c) { return c == nullptr ? 0 : int64_t(c->qcount.load(std::memory_order_relaxed)); }

int64_t chancap(hchan* c) { return c == nullptr ? 0 : int64_t(c->dataqsiz); }

}  // namespace gol::rt

// ---- the ABI (abi.h) ----
using namespace gol::rt;

extern "C" {

void* gol_makechan(const void* elemtype, int64_t elemsize, int64_t size) {
  return makechan(elemtype, elemsize, size);
}

void gol_chansend1(void* c, const void* elem) { chansend(static_cast<hchan*>(c), elem, true); }

void gol_chanrecv1(void* c, void* elem) { chanrecv(static_cast<hchan*>(c), elem, true); }

bool gol_chanrecv2(void* c, void* elem) { return chanrecv(static_cast<hchan*>(c), elem, true).received; }

void gol_closechan(void* c) { closechan(static_cast<hchan*>(c)); }

int64_t gol_chanlen(void* c) { return chanlen(static_cast<hchan*>(c)); }

int64_t gol_chancap(void* c) { return chancap(static_cast<hchan*>(c)); }

bool gol_selectnbsend(void* c, const void* elem) { return chansend(static_cast<hchan*>(c), elem, false); }

bool gol_selectnbrecv(void* elem, void* c) { return chanrecv(static_cast<hchan*>(c), elem, false).selected; }

bool gol_selectnbrecv2(void* elem, bool* received, void* c) {
  recvResult r = chanrecv(static_cast<hchan*>(c), elem, false);
  if (received != nullptr) *received = r.received;
  return r.selected;
}

}  // extern "C"
