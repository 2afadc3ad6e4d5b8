// sema.cpp: semaphores that park goroutines (Go's sema.go), the blocking half of package
// sync: Mutex, RWMutex and WaitGroup spin and CAS in Gol code, and call semacquire when they
// must wait and semrelease to wake a waiter. Also the notify lists under sync.Cond.
//
// A semaphore is any uint32 in user memory; the runtime keeps no state per semaphore while
// nobody waits. Waiters live in a fixed table of semaRoots, hashed by address; each root
// holds a lock, a list of the sudogs waiting on any address that hashes there, and nwait,
// the number of them. The protocol (Go's):
//
//   semacquire: CAS *addr down if it is > 0 (fast path). Else, under the root's lock:
//               nwait++, try the CAS again (a release may have come in between), else queue
//               a sudog and park. Woken, try again, unless the releaser handed the count
//               over (sudog.ticket = 1).
//   semrelease: *addr++ first, then look at nwait: the increment comes before the check,
//               so a waiter that bumped nwait under the lock either sees the count in its
//               second CAS or is queued by the time the releaser takes the lock.
//
// Woken waiters may lose the count to a G that arrives meanwhile (barging: good for
// throughput); handoff prevents that for sync.Mutex's starvation mode.
//
// Go 1.5 kept each root's waiters in one list, as here; Go 1.9 made it a treap of
// per-address lists, so a root shared by many busy addresses stays fast. With 251 roots and
// few contended addresses the list is enough for now; the treap is the upgrade path.
//
// Also here: sync's runtime hooks (canSpin, doSpin) through the ABI at the bottom.
#include <atomic>

#include "abi.h"
#include "runtime.h"
#include "sema.h"

namespace gol::rt {

namespace {

constexpr int semTabSize = 251;

struct semaRoot {
  mutex lock;
  sudog* head = nullptr;  // waiters, linked by next/prev; guarded by lock
  sudog* tail = nullptr;
  std::atomic<uint32_t> nwait{0};  // waiters; changed under lock, read without it
};

// Padded so that roots do not share cache lines.
struct alignas(64) paddedRoot {
  semaRoot root;
};
paddedRoot semtable[semTabSize];

semaRoot* semroot(uint32_t* addr) {
  return &semtable[(reinterpret_cast<uintptr_t>(addr) >> 3) % semTabSize].root;
}

bool cansemacquire(uint32_t* addr) {
  std::atomic_ref<uint32_t> v(*addr);
  for (;;) {
    uint32_t x = v.load();
    if (x == 0) return false;
    if (v.compare_exchange_weak(x, x - 1)) return true;
  }
}

// Queues s, waiting on addr, at the tail (or head if lifo). root->lock is held.
void queue(semaRoot* root, uint32_t* addr, sudog* s, bool lifo) {
  s->g = getg();
  s->elem = addr;
  if (lifo && root->head != nullptr) {
    s->prev = nullptr;
    s->next = root->head;
    root->head->prev = s;
    root->head = s;
    return;
  }
  s->next = nullptr;
  s->prev = root->tail;
  if (root->tail != nullptr) {
    root->tail->next = s;
  } else {
    root->head = s;
  }
  root->tail = s;
}

// Takes the first waiter on addr off the list, or null. root->lock is held.
sudog* dequeue(semaRoot* root, uint32_t* addr) {
  sudog* s = root->head;
  while (s != nullptr && s->elem != addr) s = s->next;
  if (s == nullptr) return nullptr;
  if (s->prev != nullptr) {
    s->prev->next = s->next;
  } else {
    root->head = s->next;
  }
  if (s->next != nullptr) {
    s->next->prev = s->prev;
  } else {
    root->tail = s->prev;
  }
  s->next = nullptr;
  s->prev = nullptr;
  s->elem = nullptr;
  return s;
}

// a < b for notifyList tickets, which wrap around.
bool less(uint32_t a, uint32_t b) { return int32_t(a - b) < 0; }

}  // namespace

void semacquire1(uint32_t* addr, bool lifo, const char* reason) {
  g* gp = getg();
  GOL_ASSERT(gp != gp->m->g0, "semacquire not on the G stack");

  // Easy case.
  if (cansemacquire(addr)) return;

  // Harder case: increment waiter count, try cansemacquire one more time, return if
  // succeeded; otherwise enqueue itself as a waiter, sleep, and on wake-up try again.
  sudog* s = acquireSudog();
  semaRoot* root = semroot(addr);
  s->ticket = 0;
  for (;;) {
    lock(&root->lock);
    // Add ourselves to nwait to disable "easy case" in semrelease.
    root->nwait.fetch_add(1);
    // Check cansemacquire to avoid missed wakeup.
    if (cansemacquire(addr)) {
      root->nwait.fetch_sub(1);
      unlock(&root->lock);
      break;
    }
    // Any semrelease after the cansemacquire knows we're waiting (we set nwait above),
    // so go to sleep.
    queue(root, addr, s, lifo);
    goparkunlock(&root->lock, reason);
    if (s->ticket != 0 || cansemacquire(addr)) break;
  }
  releaseSudog(s);
}

void semrelease1(uint32_t* addr, bool handoff) {
  semaRoot* root = semroot(addr);
  std::atomic_ref<uint32_t>(*addr).fetch_add(1);

  // Easy case: no waiters? This check must happen after the increment, to avoid a missed
  // wakeup (see the protocol above).
  if (root->nwait.load() == 0) return;

  // Harder case: search for a waiter and wake it.
  lock(&root->lock);
  if (root->nwait.load() == 0) {
    // The count is already consumed by another goroutine, so no need to wake up anybody.
    unlock(&root->lock);
    return;
  }
  sudog* s = dequeue(root, addr);
  if (s != nullptr) root->nwait.fetch_sub(1);
  unlock(&root->lock);
  if (s == nullptr) return;  // the waiters are on other addresses of this root
  GOL_ASSERT(s->ticket == 0, "corrupted semaphore ticket");
  // s's G is parked (it unlocked the root only once off its M), so s is ours to write, but
  // only until goready: the waiter may then run on another M and release s at once. (Go reads
  // s.ticket after readying; the ThreadSanitizer build caught that here.)
  bool handedoff = handoff && cansemacquire(addr);
  if (handedoff) s->ticket = 1;
  goready(s->g);
  if (handedoff && getg()->m->locks == 0) {
    // Direct G handoff: let the waiter run now, on our time slice, so the count it was
    // handed is not held idle. Go yields to the local queue (goyield); Gol's Gosched goes to
    // the global one, which also lets the waiter (in runnext) run first.
    gosched();
  }
}

int semawaiters(uint32_t* addr) {
  semaRoot* root = semroot(addr);
  lock(&root->lock);
  int n = 0;
  for (sudog* s = root->head; s != nullptr; s = s->next) n += s->elem == addr;
  unlock(&root->lock);
  return n;
}

// ---- notify lists (sync.Cond) ----

uint32_t notifyListAdd(notifyList* l) {
  // This may be called concurrently, for example, when called from sync.Cond.Wait while
  // holding a RWMutex in read mode.
  return l->wait.fetch_add(1);
}

void notifyListWait(notifyList* l, uint32_t t) {
  lock(&l->lock);
  // Return right away if this ticket has already been notified.
  if (less(t, l->notify)) {
    unlock(&l->lock);
    return;
  }
  // Enqueue itself.
  sudog* s = acquireSudog();
  s->g = getg();
  s->ticket = t;
  if (l->tail == nullptr) {
    l->head = s;
  } else {
    l->tail->next = s;
  }
  l->tail = s;
  goparkunlock(&l->lock, waitReasonSyncCondWait);
  releaseSudog(s);
}

void notifyListNotifyAll(notifyList* l) {
  // Fast-path: if there are no new waiters since the last notification we don't need to
  // acquire the lock.
  if (l->wait.load() == std::atomic_ref<uint32_t>(l->notify).load()) return;

  // Pull the list out into a local variable; waiters will be readied outside the lock.
  lock(&l->lock);
  sudog* s = l->head;
  l->head = nullptr;
  l->tail = nullptr;
  // Update the next ticket to be notified. We can set it to the current value of wait
  // because any previous waiters are already in the list or will notice that they have
  // already been notified when trying to add themselves to the list.
  std::atomic_ref<uint32_t>(l->notify).store(l->wait.load());
  unlock(&l->lock);

  // Go through the local list and ready all waiters.
  while (s != nullptr) {
    sudog* next = s->next;
    s->next = nullptr;
    goready(s->g);
    s = next;
  }
}

void notifyListNotifyOne(notifyList* l) {
  // Fast-path: if there are no new waiters since the last notification we don't need to
  // acquire the lock at all.
  if (l->wait.load() == std::atomic_ref<uint32_t>(l->notify).load()) return;

  lock(&l->lock);
  // Re-check under the lock if we need to do anything.
  uint32_t t = l->notify;
  if (t == l->wait.load()) {
    unlock(&l->lock);
    return;
  }
  // Update the next notify ticket number.
  std::atomic_ref<uint32_t>(l->notify).store(t + 1);

  // Try to find the g that needs to be notified. If it hasn't made it to the list yet we
  // won't find it, but it won't park itself once it sees the new notify number. The list
  // is not in ticket order: a waiter may get its ticket, be delayed, and queue itself after
  // later tickets. So scan the whole list.
  for (sudog *p = nullptr, *s = l->head; s != nullptr; p = s, s = s->next) {
    if (s->ticket == t) {
      sudog* n = s->next;
      if (p != nullptr) {
        p->next = n;
      } else {
        l->head = n;
      }
      if (n == nullptr) l->tail = p;
      unlock(&l->lock);
      s->next = nullptr;
      goready(s->g);
      return;
    }
  }
  unlock(&l->lock);
}

}  // namespace gol::rt

// ---- the ABI (abi.h) ----
using namespace gol::rt;

static_assert(sizeof(notifyList) == 32, "notifyList: the sync package's layout is 32 bytes");

extern "C" {

// Go 1.19, the reference whose dumps Gol's must match, parks every sync semaphore waiter with
// the reason `semacquire` (only Cond.Wait has its own, `sync.Cond.Wait`); the specific
// reasons came with Go 1.20. The entry points stay distinct so that moving to them is one
// change here: waitReasonSyncMutexLock, ...RWMutexRLock, ...RWMutexLock, ...WaitGroupWait.
constexpr const char* waitReasonSyncSema = waitReasonSemacquire;

void gol_semacquire(uint32_t* addr) { semacquire1(addr, false, waitReasonSemacquire); }
void gol_semrelease(uint32_t* addr) { semrelease1(addr, false); }
void gol_semacquire_mutex(uint32_t* addr, bool lifo) { semacquire1(addr, lifo, waitReasonSyncSema); }
void gol_semrelease_mutex(uint32_t* addr, bool handoff) { semrelease1(addr, handoff); }
void gol_semacquire_rwmutexR(uint32_t* addr, bool lifo) { semacquire1(addr, lifo, waitReasonSyncSema); }
void gol_semacquire_rwmutex(uint32_t* addr, bool lifo) { semacquire1(addr, lifo, waitReasonSyncSema); }
void gol_semacquire_waitgroup(uint32_t* addr) { semacquire1(addr, false, waitReasonSyncSema); }

// sync's throw (Go's sync.throw, linked to the runtime's): a fatal error, not a panic, with
// the message in the `fatal error:` line and the goroutine dump. s is a Gol string (not
// NUL-terminated): copied into a static buffer, since nothing returns from here.
void gol_sync_throw(const uint8_t* s, int64_t n) {
  static char msg[256];
  if (n < 0) n = 0;
  if (n > int64_t(sizeof msg) - 1) n = int64_t(sizeof msg) - 1;
  for (int64_t i = 0; i < n; i++) msg[i] = char(s[i]);
  msg[n] = 0;
  gothrow(msg);
}

uint32_t gol_notifyListAdd(void* l) { return notifyListAdd(static_cast<notifyList*>(l)); }
void gol_notifyListWait(void* l, uint32_t t) { notifyListWait(static_cast<notifyList*>(l), t); }
void gol_notifyListNotifyAll(void* l) { notifyListNotifyAll(static_cast<notifyList*>(l)); }
void gol_notifyListNotifyOne(void* l) { notifyListNotifyOne(static_cast<notifyList*>(l)); }
void gol_notifyListCheck(int64_t size) {
  if (size != int64_t(sizeof(notifyList))) {
    print("runtime: bad notifyList size - sync=", size, " runtime=", int64_t(sizeof(notifyList)), "\n");
    gothrow("bad notifyList size");
  }
}

// sync.Mutex's spinning policy (Go's sync_runtime_canSpin): spin only a few times, only on a
// multicore machine with GOMAXPROCS > 1, at least one other running P, and an empty local
// run queue; otherwise spinning would hold up the G that is to release the lock.
bool gol_sync_canSpin(int64_t i) {
  constexpr int64_t activeSpin = 4;
  if (i >= activeSpin || ncpu <= 1 ||
      gomaxprocs.load() <= int32_t(sched.npidle.load() + sched.nmspinning.load()) + 1) {
    return false;
  }
  p* pp = getg()->m->p;
  return pp == nullptr || runqempty(pp);
}

void gol_sync_doSpin() {
  constexpr int activeSpinCnt = 30;
  for (int i = 0; i < activeSpinCnt; i++) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
  }
}

}  // extern "C"
