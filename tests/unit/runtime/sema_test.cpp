// sema_test.cpp: semaphores and notify lists (runtime/sema.cpp): mutual exclusion with N
// goroutines, counts released before they are acquired, FIFO/LIFO queueing with hand-off,
// wait reasons, a WaitGroup-shaped wait, and Cond-style notify lists. GOMAXPROCS 1, 2, 4.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>

#include "runtime/abi.h"
#include "rttest.h"
#include "runtime/chan.h"
#include "runtime/export_test.h"
#include "runtime/runtime.h"
#include "runtime/sema.h"

using namespace gol::rt;

namespace {

constexpr int32_t Procs[] = {1, 2, 4};

using rttest::yieldUntil;

using rttest::newchan;

}  // namespace

namespace {
constexpr int Workers = 16;
constexpr int Iters = 300;
uint32_t mu;        // a binary semaphore used as a mutex: 1 = unlocked
int64_t counter;    // guarded by mu: deliberately not atomic
std::atomic<int> inside{0}, overlap{0};
hchan* workersDone;

void incrementer(void*) {
  for (int i = 0; i < Iters; i++) {
    gol_semacquire(&mu);
    if (++inside != 1) overlap++;
    int64_t v = counter;
    if (i % 7 == 0) gol_runtime_Gosched();  // hold the lock across a reschedule
    counter = v + 1;
    inside--;
    gol_semrelease(&mu);
  }
  gol_chansend1(workersDone, nullptr);
}
}  // namespace

TEST_CASE("sema: a binary semaphore excludes N goroutines from each other") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    mu = 1;
    counter = 0;
    overlap = 0;
    int n = testing::runMain(
        [] {
          workersDone = newchan(0, 0);
          for (int i = 0; i < Workers; i++) gol_newproc(incrementer, nullptr, 0);
          for (int i = 0; i < Workers; i++) gol_chanrecv1(workersDone, nullptr);
        },
        procs);
    CHECK(n == 0);
    CHECK(overlap == 0);
    CHECK(counter == int64_t(Workers) * Iters);
    CHECK(mu == 1);
    CHECK(semawaiters(&mu) == 0);
  }
}

TEST_CASE("sema: releases before acquires are counted, and acquires take them without waiting") {
  int n = testing::runMain([] {
    uint32_t s = 0;
    for (int i = 0; i < 5; i++) gol_semrelease(&s);
    CHECK(s == 5);
    for (int i = 0; i < 5; i++) gol_semacquire(&s);
    CHECK(s == 0);
  });
  CHECK(n == 0);
}

namespace {
constexpr int Queued = 5;
uint32_t fifoSema;
int acquiredOrder[Queued + 1];
std::atomic<int> acquiredN{0};

void orderedWaiter(void* arg) {
  int id = *static_cast<int*>(arg);
  gol_semacquire_mutex(&fifoSema, id == Queued);  // the last one jumps the queue
  acquiredOrder[acquiredN++] = id;
}
}  // namespace

TEST_CASE("sema: waiters are woken first-in first-out, a lifo waiter first of all, with hand-off") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    fifoSema = 0;
    acquiredN = 0;
    static bool reasonOK;
    int n = testing::runMain(
        [] {
          for (int i = 0; i <= Queued; i++) {
            gol_newproc(orderedWaiter, &i, sizeof i);
            yieldUntil([i] { return semawaiters(&fifoSema) == i + 1; });
          }
          reasonOK = true;
          for (int i = 0; i <= Queued; i++) {
            gol_semrelease_mutex(&fifoSema, true);
            yieldUntil([i] { return acquiredN == i + 1; });
          }
          yieldUntil([] { return acquiredN == Queued + 1; });
        },
        procs);
    CHECK(n == 0);
    CHECK(reasonOK);
    CHECK(acquiredOrder[0] == Queued);
    for (int i = 1; i <= Queued; i++) CHECK(acquiredOrder[i] == i - 1);
    CHECK(fifoSema == 0);
  }
}

namespace {
uint32_t reasonSema;
std::atomic<g*> blockedG{nullptr};
const char* blockedReason;
void reasonWaiter(void* arg) {
  int kind = *static_cast<int*>(arg);
  blockedG = getg();
  switch (kind) {
    case 0: gol_semacquire(&reasonSema); break;
    case 1: gol_semacquire_mutex(&reasonSema, false); break;
    case 2: gol_semacquire_rwmutexR(&reasonSema, false); break;
    case 3: gol_semacquire_rwmutex(&reasonSema, false); break;
    case 4: gol_semacquire_waitgroup(&reasonSema); break;
  }
}
}  // namespace

// Go 1.19's dumps show all of them as `semacquire` (sema.cpp); the reasons of Go 1.20 are
// one change away.
TEST_CASE("sema: every acquire variant parks with Go 1.19's wait reason, semacquire") {
  const char* want[] = {"semacquire", "semacquire", "semacquire", "semacquire", "semacquire"};
  for (int kind = 0; kind < 5; kind++) {
    CAPTURE(kind);
    static int kindArg;
    kindArg = kind;
    reasonSema = 0;
    blockedReason = nullptr;
    int n = testing::runMain([] {
      gol_newproc(reasonWaiter, &kindArg, sizeof kindArg);
      yieldUntil([] { return semawaiters(&reasonSema) == 1; });
      blockedReason = loadRelaxed(blockedG.load()->waitreason);
      gol_semrelease(&reasonSema);
      yieldUntil([] { return semawaiters(&reasonSema) == 0 && std::atomic_ref<uint32_t>(reasonSema).load() == 0; });
    });
    CHECK(n == 0);
    REQUIRE(blockedReason != nullptr);
    CHECK(std::strcmp(blockedReason, want[kind]) == 0);
  }
}

namespace {
// A WaitGroup's shape: the waiter parks on a semaphore until the last worker releases it.
constexpr int Group = 20;
std::atomic<int> pending{0};
uint32_t wgSema;
std::atomic<int> workDone{0};
void groupWorker(void*) {
  gol_runtime_Gosched();
  workDone++;
  if (--pending == 0) gol_semrelease(&wgSema);
}
}  // namespace

TEST_CASE("sema: a WaitGroup-style wait returns after the last worker is done") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    static int doneAtWake;
    workDone = 0;
    wgSema = 0;
    int n = testing::runMain(
        [] {
          pending = Group;
          for (int i = 0; i < Group; i++) gol_newproc(groupWorker, nullptr, 0);
          gol_semacquire_waitgroup(&wgSema);
          doneAtWake = workDone;
        },
        procs);
    CHECK(n == 0);
    CHECK(doneAtWake == Group);
  }
}

// ---- notify lists ----

namespace {
constexpr int CondWaiters = 8;
notifyList cond;
uint32_t condMu;  // the Cond's L: a binary semaphore
int condReady;  // guarded by condMu
std::atomic<int> woken{0};
hchan* condDone;

void condLock() { gol_semacquire(&condMu); }
void condUnlock() { gol_semrelease(&condMu); }
// sync.Cond.Wait
void condWait() {
  uint32_t t = gol_notifyListAdd(&cond);
  condUnlock();
  gol_notifyListWait(&cond, t);
  condLock();
}

void condWaiter(void*) {
  condLock();
  while (condReady == 0) condWait();
  condReady--;
  woken++;
  condUnlock();
  gol_chansend1(condDone, nullptr);
}

int listLen() {
  lock(&cond.lock);
  int n = 0;
  for (sudog* s = cond.head; s != nullptr; s = s->next) n++;
  unlock(&cond.lock);
  return n;
}
}  // namespace

TEST_CASE("sema: notify lists wake one waiter per NotifyOne, and every waiter on NotifyAll") {
  gol_notifyListCheck(32);
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    std::memset(static_cast<void*>(&cond), 0, sizeof cond);
    condMu = 1;
    condReady = 0;
    woken = 0;
    static int wokenAfterOne, wokenAfterTwo;
    static bool reasonOK;
    int n = testing::runMain(
        [] {
          condDone = newchan(0, CondWaiters);
          for (int i = 0; i < CondWaiters; i++) gol_newproc(condWaiter, nullptr, 0);
          yieldUntil([] { return listLen() == CondWaiters; });
          reasonOK = std::strcmp(cond.head->g->waitreason, "sync.Cond.Wait") == 0;
          condLock();
          condReady = 1;
          gol_notifyListNotifyOne(&cond);
          condUnlock();
          gol_chanrecv1(condDone, nullptr);
          wokenAfterOne = woken;
          condLock();
          condReady = 1;
          gol_notifyListNotifyOne(&cond);
          condUnlock();
          gol_chanrecv1(condDone, nullptr);
          wokenAfterTwo = woken;
          condLock();
          condReady = CondWaiters - 2;
          gol_notifyListNotifyAll(&cond);
          condUnlock();
          for (int i = 2; i < CondWaiters; i++) gol_chanrecv1(condDone, nullptr);
        },
        procs);
    CHECK(n == 0);
    CHECK(reasonOK);
    CHECK(wokenAfterOne == 1);
    CHECK(wokenAfterTwo == 2);
    CHECK(woken == CondWaiters);
    CHECK(listLen() == 0);
  }
}

TEST_CASE("sema: a ticket notified before its holder waits does not park") {
  int n = testing::runMain([] {
    std::memset(static_cast<void*>(&cond), 0, sizeof cond);
    uint32_t t1 = gol_notifyListAdd(&cond);
    uint32_t t2 = gol_notifyListAdd(&cond);
    gol_notifyListNotifyOne(&cond);  // notifies t1 (nobody on the list yet)
    gol_notifyListWait(&cond, t1);   // returns at once
    gol_notifyListNotifyAll(&cond);  // notifies t2
    gol_notifyListWait(&cond, t2);
    gol_notifyListNotifyAll(&cond);  // nothing new: the fast path
    CHECK(listLen() == 0);
  });
  CHECK(n == 0);
}

TEST_CASE("sema: canSpin refuses after a few rounds and with one P") {
  int n = testing::runMain(
      [] {
        CHECK_FALSE(gol_sync_canSpin(4));
        CHECK_FALSE(gol_sync_canSpin(0));  // GOMAXPROCS=1: spinning would only delay the owner
        gol_sync_doSpin();
      },
      1);
  CHECK(n == 0);
}
