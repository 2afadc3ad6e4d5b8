// sudog.h: a goroutine waiting in a queue (Go's sudog, runtime2.go).
//
// A G can wait on many queues at once (select waits on every channel of its cases), and one
// queue holds many Gs, so the queue entry is not the G itself but a sudog: one per (G, queue)
// pair. Channels (chan.cpp, select.cpp) and semaphores (sema.cpp) link sudogs into their wait
// queues; a waker dequeues a sudog, copies the value through sudog.elem if there is one, sets
// g.param to the sudog and goready's sudog.g.
//
// Ownership: a sudog on a wait queue is guarded by that queue's lock (hchan.lock, a
// semaRoot's lock, a notifyList's lock). Off every queue it belongs to the G that acquired it,
// which returns it with releaseSudog once it has woken up.
//
// sudogs come from a cache per P, refilled from (and spilled to) a central list under a lock,
// as in Go; they are never freed.
#pragma once
#include <atomic>
#include <cstdint>

#include "runtime2.h"

namespace gol::rt {

struct hchan;

struct sudog {
  // Guarded by the lock of the queue the sudog is on.
  struct g* g;
  sudog* next;
  sudog* prev;
  void* elem;  // the value to send, or where to receive it; may point into g's stack

  uint32_t ticket;   // sema.cpp: 1 when semrelease handed the count over; notifyList ticket
  sudog* waitlink;   // select: the G's list of sudogs, one per case; sema: same-address list
  sudog* waittail;   // sema: the tail of the same-address list (on its head only)
  struct hchan* c;   // the channel the sudog waits on (chan.cpp, select.cpp)

  // select: the selecting G's "already woken" flag, shared by all its sudogs. A waker must
  // win a CAS from 0 to 1 on it before dequeuing any of them, so exactly one case wins.
  // Null outside select. (Go 1.5's sudog.selectdone; today's Go keeps it in g.selectDone.)
  std::atomic<uint32_t>* selectdone;
  bool isSelect;
  // Set by the waker: true if the G was woken by a value passing through elem, false if by
  // close(c) (Go's sudog.success).
  bool success;
};

sudog* acquireSudog();
void releaseSudog(sudog* s);

}  // namespace gol::rt
