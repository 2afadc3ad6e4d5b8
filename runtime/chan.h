// chan.h: channels (chan.cpp) and select (select.cpp), the runtime side of Go's
// `make(chan T, n)`, `c <- v`, `<-c`, `close(c)`, `len(c)`, `cap(c)` and `select`.
// Compiled code reaches these through abi.h (gol_chansend1, gol_selectgo, ...).
#pragma once
#include <atomic>
#include <cstdint>

#include "runtime2.h"
#include "sudog.h"

namespace gol::rt {

// A FIFO of sudogs, linked through sudog.next/prev. Guarded by the channel's lock.
struct waitq {
  sudog* first = nullptr;
  sudog* last = nullptr;

  void enqueue(sudog* s);
  // Removes and returns the first sudog whose G may be woken, or null. A sudog of a select
  // whose G another case already woke is dropped on the way (see sudog.selectdone).
  sudog* dequeue();
  // Unlinks s, which was queued here and may have been dequeued since (select's pass 3).
  void remove(sudog* s);
};

// hchan: a channel. The ring buffer (dataqsiz slots of elemsize bytes) follows the struct in
// the same allocation.
//
// Invariants (under lock):
//   At least one of sendq and recvq is empty. The one exception: a G blocked in a select
//   with both a send and a receive case on the same unbuffered channel has sudogs on both
//   queues (a select never pairs with itself), and so may other such Gs.
//   For a buffered channel: qcount > 0 implies recvq is empty (a receiver would have taken
//   a value), and qcount < dataqsiz implies sendq is empty (a sender would have used the
//   free slot).
//   closed != 0 implies both queues are empty: closechan wakes every waiter before it
//   unlocks, and afterwards senders panic and receivers never wait.
struct hchan {
  // Set by makechan, then read-only.
  uint64_t dataqsiz;  // size of the ring buffer: the channel's capacity
  void* buf;          // dataqsiz slots of elemsize bytes
  int64_t elemsize;
  const void* elemtype;  // the compiler's type descriptor (may be null until descriptors exist)

  mutex lock;
  // Guarded by lock. qcount and closed are also read without it (len(c), and by select's
  // quick checks), hence atomic; they change only with lock held.
  std::atomic<uint64_t> qcount{0};  // values in the buffer
  std::atomic<uint32_t> closed{0};
  uint64_t sendx = 0;  // next slot to send into
  uint64_t recvx = 0;  // next slot to receive from
  waitq recvq;         // blocked receivers
  waitq sendq;         // blocked senders
};

// Panics (for now: dies; see panicstring in panic.cpp) with Go's message for a bad size.
hchan* makechan(const void* elemtype, int64_t elemsize, int64_t size);
// Sends *ep on c. block=false: gives up (returns false) where it would block. A nil c
// blocks forever (or returns false). Panics if c is closed.
bool chansend(hchan* c, const void* ep, bool block);
struct recvResult {
  bool selected;  // false: block=false and nothing to receive
  bool received;  // false: c is closed and empty; *ep was zeroed
};
// Receives from c into ep (ep may be null: the value is discarded).
recvResult chanrecv(hchan* c, void* ep, bool block);
void closechan(hchan* c);
int64_t chanlen(hchan* c);
int64_t chancap(hchan* c);

// The buffer slot i (select.cpp uses it too).
inline void* chanbuf(hchan* c, uint64_t i) { return static_cast<char*>(c->buf) + i * uint64_t(c->elemsize); }

// The halves of a hand-off between a waiting G and the current one, with c locked. Each
// copies the value, marks sg, and returns the G to ready: the caller unlocks c (and any
// other channel it holds) and then goready's it.
g* sendDirect(hchan* c, sudog* sg, const void* ep);  // to a waiting receiver
g* recvDirect(hchan* c, sudog* sg, void* ep);        // from a waiting sender

// ---- select.cpp ----
// One case of a select statement (abi.h's gol_scase): c (null: the case never fires), elem
// (the value to send, or where to receive), kind.
enum caseKind : int64_t {
  caseRecv = 1,
  caseSend = 2,
};
struct scase {
  hchan* c;
  void* elem;
  int64_t kind;  // a caseKind
};
struct selectResult {
  int64_t index;  // the case that ran, or -1 for default
  bool recvOK;    // a receive case: false if it received the zero value of a closed channel
};
// Go's selectgo: runs one ready case of cases[0, ncases), chosen uniformly at random among
// the ready ones; with none ready, returns -1 if block is false, or waits for one.
selectResult selectgo(scase* cases, int64_t ncases, bool block);
[[noreturn]] void block();  // select {}: parks forever

}  // namespace gol::rt
