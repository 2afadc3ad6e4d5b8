// time_test.cpp: timers (runtime/time.cpp): heap order, sleep, channel timers and tickers,
// AfterFunc, Stop/Reset, and the scheduler hooks checkTimers/nextTimerWhen.
//
// The scheduler does not call checkTimers yet (HACKING.md, "Timers and the scheduler"), so
// each test runs a pump goroutine that does what findrunnable will: run every P's due
// timers, then yield. Assertions are about order and "never early", never about how late.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "rttest.h"
#include "runtime/chan.h"
#include "runtime/export_test.h"
#include "runtime/runtime.h"
#include "runtime/timer.h"

using namespace gol::rt;

namespace {

constexpr int32_t Procs[] = {1, 2, 4};
constexpr int64_t ms = 1000000;

template <class F>
bool yieldUntil(F cond) { return rttest::yieldUntil<5000000>(cond); }

using rttest::newchan;

// The pump: runs due timers on every P until stopPump is set, then says so on pumpDone.
std::atomic<bool> stopPump{false};
hchan* pumpDone;
void pump(void*) {
  while (!stopPump) {
    for (int32_t i = 0; i < gomaxprocs.load(); i++) checkTimers(allp[i].load(), 0);
    gol_runtime_Gosched();
  }
  gol_chansend1(pumpDone, nullptr);
}
void startPump() {
  stopPump = false;
  pumpDone = newchan(0, 0);
  gol_newproc(pump, nullptr, 0);
}
void endPump() {
  stopPump = true;
  gol_chanrecv1(pumpDone, nullptr);
}

}  // namespace

namespace {
constexpr int NTimers = 40;
std::mutex firedMu;  // held only to append: never across a switch
std::vector<int> fired;
alignas(timer) unsigned char timerMem[NTimers][sizeof(timer)];
timer* const timers = reinterpret_cast<timer*>(timerMem);
void recordFire(void* arg, uintptr_t) {
  std::lock_guard<std::mutex> l(firedMu);
  fired.push_back(int(reinterpret_cast<intptr_t>(arg)));
}
}  // namespace

TEST_CASE("time: timers fire in deadline order, and checkTimers/nextTimerWhen report the next one") {
  fired.clear();
  static int64_t base, nextBefore, nextReported, nextAfter, ranEarly;
  int n = testing::runMain([] {
    base = nanotime() + 20 * ms;
    // Deadlines in a scrambled order, 1 ms apart; two share one.
    for (int i = 0; i < NTimers; i++) {
      timer* t = new (&timers[i]) timer();
      int slot = (i * 17) % NTimers;
      t->f = recordFire;
      t->arg = reinterpret_cast<void*>(intptr_t(slot));
      t->when = base + (slot == NTimers - 1 ? NTimers - 2 : slot) * ms;
      addtimer(t);
    }
    nextBefore = nextTimerWhen();
    // Nothing is due yet: checkTimers runs nothing and reports the next deadline.
    nextReported = checkTimers(getg()->m->p, base - 1);
    {
      std::lock_guard<std::mutex> l(firedMu);
      ranEarly = int64_t(fired.size());
    }
    startPump();
    yieldUntil([] {
      std::lock_guard<std::mutex> l(firedMu);
      return fired.size() == NTimers;
    });
    endPump();
    nextAfter = nextTimerWhen();
  });
  CHECK(n == 0);
  CHECK(nextBefore == base);
  CHECK(nextReported == base);
  CHECK(ranEarly == 0);
  CHECK(nextAfter == 0);
  REQUIRE(fired.size() == NTimers);
  // Slots NTimers-2 and NTimers-1 share a deadline: either may go first.
  for (int i = 0; i < NTimers - 2; i++) CHECK(fired[i] == i);
  CHECK(std::min(fired[NTimers - 2], fired[NTimers - 1]) == NTimers - 2);
}

namespace {
constexpr int Sleepers = 12;
std::atomic<int> early{0}, awake{0};
hchan* sleepersDone;
void sleeper(void* arg) {
  int64_t d = *static_cast<int64_t*>(arg);
  int64_t start = nanotime();
  gol_timeSleep(d);
  if (nanotime() - start < d) early++;
  awake++;
  gol_chansend1(sleepersDone, nullptr);
}
}  // namespace

TEST_CASE("time: sleepers park with reason sleep and never wake early") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    early = awake = 0;
    static bool reasonOK;
    int n = testing::runMain(
        [] {
          sleepersDone = newchan(0, 0);
          for (int i = 0; i < Sleepers; i++) {
            int64_t d = (Sleepers - i) * 2 * ms;
            gol_newproc(sleeper, &d, sizeof d);
          }
          // The sleepers arm their timers once parked; then the reason shows.
          yieldUntil([] { return nextTimerWhen() != 0; });
          reasonOK = false;
          forEachG(
              [](g* gp, void*) {
                const char* why = loadRelaxed(gp->waitreason);
                if (readgstatus(gp) == Gwaiting && why != nullptr && std::string(why) == "sleep") {
                  reasonOK = true;
                }
              },
              nullptr);
          gol_timeSleep(0);   // returns at once
          gol_timeSleep(-5);  // so does this
          startPump();
          for (int i = 0; i < Sleepers; i++) gol_chanrecv1(sleepersDone, nullptr);
          endPump();
        },
        procs);
    CHECK(n == 0);
    CHECK(reasonOK);
    CHECK(awake == Sleepers);
    CHECK(early == 0);
    CHECK(nextTimerWhen() == 0);
  }
}

TEST_CASE("time: a channel timer sends the time once, Stop and Reset report whether it was pending") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    static bool stoppedPending, stoppedAfter, resetPending, resetFired, nothingSent;
    static int64_t sent, before, lenAfterStop;
    int n = testing::runMain(
        [] {
          startPump();
          hchan* c = newchan(8, 1);
          before = gol_walltime_ns();
          // time.After(1ms)
          void* t = gol_newtimer(gol_nanotime() + ms, 0, c, GOL_TIMER_CHAN);
          gol_chanrecv1(c, &sent);
          stoppedAfter = gol_stoptimer(t);  // already fired: false
          // A timer stopped before it fires never sends.
          void* t2 = gol_newtimer(gol_nanotime() + 1000 * ms, 0, c, GOL_TIMER_CHAN);
          stoppedPending = gol_stoptimer(t2);
          lenAfterStop = gol_chanlen(c);
          // Reset re-arms a stopped timer (false: it was not pending) and it fires.
          resetPending = gol_resettimer(t2, gol_nanotime() + ms);
          int64_t v = 0;
          gol_chanrecv1(c, &v);
          resetFired = v >= before;
          nothingSent = !gol_stoptimer(t2);
          endPump();
        },
        procs);
    CHECK(n == 0);
    CHECK(sent >= before);
    CHECK_FALSE(stoppedAfter);
    CHECK(stoppedPending);
    CHECK(lenAfterStop == 0);
    CHECK_FALSE(resetPending);
    CHECK(resetFired);
    CHECK(nothingSent);
    CHECK(nextTimerWhen() == 0);
  }
}

TEST_CASE("time: a ticker sends again and again, with increasing times, until stopped") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    static int64_t ticks[5];
    static bool stopped;
    int n = testing::runMain(
        [] {
          startPump();
          hchan* c = newchan(8, 1);
          void* t = gol_newtimer(gol_nanotime() + ms, ms, c, GOL_TIMER_CHAN);
          for (auto& tick : ticks) gol_chanrecv1(c, &tick);
          stopped = gol_stoptimer(t);  // a ticker is always pending
          gol_selectnbrecv(nullptr, c);  // drop a tick sent meanwhile
          endPump();
        },
        procs);
    CHECK(n == 0);
    CHECK(stopped);
    for (int i = 1; i < 5; i++) CHECK(ticks[i] > ticks[i - 1]);
    CHECK(nextTimerWhen() == 0);
  }
}

namespace {
// A Gol closure: { fn, captured... }; fn gets the closure as its hidden first parameter.
struct counterClosure {
  void (*fn)(void* self);
  hchan* done;
  std::atomic<int64_t>* goid;
};
std::atomic<int64_t> afterFuncGoid{0};
void afterFuncBody(void* self) {
  auto* c = static_cast<counterClosure*>(self);
  *c->goid = getg()->goid;
  gol_chansend1(c->done, nullptr);
}
}  // namespace

TEST_CASE("time: AfterFunc runs the closure in a goroutine of its own") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    afterFuncGoid = 0;
    static int64_t pumpGoid, mainGoid;
    int n = testing::runMain(
        [] {
          mainGoid = getg()->goid;
          startPump();
          static counterClosure clo;
          clo = {afterFuncBody, newchan(0, 0), &afterFuncGoid};
          gol_newtimer(gol_nanotime() + 2 * ms, 0, &clo, GOL_TIMER_FUNC);
          gol_chanrecv1(clo.done, nullptr);
          endPump();
        },
        procs);
    CHECK(n == 0);
    CHECK(afterFuncGoid != 0);
    CHECK(afterFuncGoid != mainGoid);
  }
}

namespace {
constexpr int Churners = 8;
constexpr int ChurnRounds = 200;
hchan* churnDone;
std::atomic<int> churnBad{0};
// Arms, stops and re-arms timers from several goroutines while the pump fires them.
void churner(void*) {
  hchan* c = newchan(8, 1);
  void* t = gol_newtimer(gol_nanotime() + 1000 * ms, 0, c, GOL_TIMER_CHAN);
  for (int i = 0; i < ChurnRounds; i++) {
    gol_resettimer(t, gol_nanotime() + (i % 3 == 0 ? 0 : 1000 * ms));
    if (i % 3 == 0) {
      int64_t v = 0;
      gol_chanrecv1(c, &v);  // due at once: the pump must fire it
      if (v == 0) churnBad++;
    }
    gol_runtime_Gosched();
  }
  gol_stoptimer(t);
  gol_chansend1(churnDone, nullptr);
}
}  // namespace

TEST_CASE("time: stress: Reset and Stop from many goroutines while timers fire") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    churnBad = 0;
    int n = testing::runMain(
        [] {
          startPump();
          churnDone = newchan(0, 0);
          for (int i = 0; i < Churners; i++) gol_newproc(churner, nullptr, 0);
          for (int i = 0; i < Churners; i++) gol_chanrecv1(churnDone, nullptr);
          endPump();
        },
        procs);
    CHECK(n == 0);
    CHECK(churnBad == 0);
    CHECK(nextTimerWhen() == 0);
  }
}
