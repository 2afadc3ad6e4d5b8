// sema.h: semaphores for package sync (sema.cpp, Go's sema.go), and the notify lists under
// sync.Cond. Compiled code (the Gol sync package) reaches them through abi.h.
#pragma once
#include <atomic>
#include <cstdint>

#include "runtime2.h"
#include "sudog.h"

namespace gol::rt {

// Wait reasons of the sync package (runtime2.h lists the others; each string is unique).
inline constexpr const char* waitReasonSyncMutexLock = "sync.Mutex.Lock";
inline constexpr const char* waitReasonSyncRWMutexRLock = "sync.RWMutex.RLock";
inline constexpr const char* waitReasonSyncRWMutexLock = "sync.RWMutex.Lock";
inline constexpr const char* waitReasonSyncWaitGroupWait = "sync.WaitGroup.Wait";
inline constexpr const char* waitReasonSyncCondWait = "sync.Cond.Wait";

// Waits until *addr > 0, then decrements it. lifo: queue at the head of the waiters (a
// sync.Mutex waiter that has waited before). reason: the wait reason while parked.
void semacquire1(uint32_t* addr, bool lifo, const char* reason);
inline void semacquire(uint32_t* addr) { semacquire1(addr, false, waitReasonSemacquire); }
// Increments *addr and wakes one waiter, if any. handoff: give the count directly to the
// first waiter and yield to it (sync.Mutex's starvation mode), so no other G can barge in.
void semrelease1(uint32_t* addr, bool handoff);
inline void semrelease(uint32_t* addr) { semrelease1(addr, false); }
int semawaiters(uint32_t* addr);  // Gs parked on addr (tests)

// notifyList: a ticket-based wait list (Go's, for sync.Cond). notifyListAdd hands out the
// next ticket; notifyListWait parks until that ticket is notified. NotifyOne notifies the
// oldest unnotified ticket, NotifyAll every ticket handed out so far. A ticket notified
// before its holder waits makes notifyListWait return at once, so a Cond's Wait may drop its
// lock between Add and Wait without losing a wake-up.
//
// The layout is the Gol sync package's: 32 bytes, zero value ready to use.
struct notifyList {
  std::atomic<uint32_t> wait;  // the next ticket to hand out (changed atomically, outside lock)
  uint32_t notify;             // tickets below this one are notified (under lock)
  mutex lock;
  uint32_t pad;
  sudog* head;  // waiters, linked by sudog.next (under lock)
  sudog* tail;
};
uint32_t notifyListAdd(notifyList* l);
void notifyListWait(notifyList* l, uint32_t t);
void notifyListNotifyAll(notifyList* l);
void notifyListNotifyOne(notifyList* l);

}  // namespace gol::rt
