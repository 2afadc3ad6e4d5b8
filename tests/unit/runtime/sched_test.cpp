// sched_test.cpp: the scheduler (runtime/proc.cpp) running real goroutines on real Ms:
// creation, argument copying, yielding, parking, exit, NumGoroutine, fairness, GOMAXPROCS.
// Most cases run once per GOMAXPROCS in {1, 2, 4, 8}; state shared with goroutines is
// atomic because they may run on other threads.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

#include "runtime/abi.h"
#include "rttest.h"
#include "runtime/export_test.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

constexpr int32_t AllProcs[] = {1, 2, 4, 8};

// Yields until cond() holds; false if it took absurdly long.
template <class F>
bool yieldUntil(F cond) { return rttest::yieldUntil<1000000>(cond); }

constexpr int N = 100;
constexpr int Yields = 50;
std::atomic<int> finished{0};
std::atomic<int64_t> steps{0};
std::atomic<int64_t> numAtEnd{0};

void yielder(void*) {
  for (int i = 0; i < Yields; i++) {
    steps++;
    gol_runtime_Gosched();
  }
  finished++;
}

}  // namespace

TEST_CASE("sched: N goroutines that Gosched in a loop all complete") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    finished = 0;
    steps = 0;
    int n = testing::runMain(
        [] {
          for (int i = 0; i < N; i++) gol_newproc(yielder, nullptr, 0);
          yieldUntil([] { return finished == N; });
          yieldUntil([] { return gol_runtime_NumGoroutine() == 1; });
          numAtEnd = gol_runtime_NumGoroutine();
        },
        procs);
    CHECK(n == 0);
    CHECK(finished == N);
    CHECK(steps == int64_t(N) * Yields);
    CHECK(numAtEnd == 1);
  }
}

namespace {
struct bigArgs {
  int64_t a;
  double b;
  char s[40];
  int64_t tail[9];
};
std::atomic<bool> argsOK{false}, argsAligned{false}, nullOK{false};
std::atomic<int> argsDone{0};

void checkArgs(void* arg) {
  auto* x = static_cast<bigArgs*>(arg);
  argsAligned = reinterpret_cast<uintptr_t>(arg) % 16 == 0;
  gol_runtime_Gosched();  // the creator scribbles over its copy meanwhile
  argsOK = x->a == 42 && x->b == 2.5 && std::strcmp(x->s, "copied, not shared") == 0 && x->tail[8] == 8;
  argsDone++;
}

void noArgs(void* arg) {
  nullOK = arg == nullptr;
  argsDone++;
}
}  // namespace

TEST_CASE("sched: newproc copies the argument block onto the new goroutine's stack") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    argsDone = 0;
    argsOK = argsAligned = nullOK = false;
    int n = testing::runMain(
        [] {
          bigArgs a{};
          a.a = 42;
          a.b = 2.5;
          std::strcpy(a.s, "copied, not shared");
          for (int i = 0; i < 9; i++) a.tail[i] = i;
          gol_newproc(checkArgs, &a, sizeof a);
          std::memset(&a, 0xff, sizeof a);
          gol_newproc(noArgs, nullptr, 0);
          yieldUntil([] { return argsDone == 2; });
        },
        procs);
    CHECK(n == 0);
    CHECK(argsAligned);
    CHECK(argsOK);
    CHECK(nullOK);
  }
}

namespace {
constexpr int Parkers = 10;
std::atomic<g*> parked[Parkers];
std::atomic<int> resumed{0};
std::atomic<int64_t> numParked{0}, numEnd{0};
std::atomic<bool> reasonOK{false};

// gopark's unlock function: runs on g0 once gp is off its M, so only now may anyone
// goready it. This is where a channel would unlock and a waker could find the G.
bool publish(g* gp, void* slot) {
  static_cast<std::atomic<g*>*>(slot)->store(gp);
  return true;
}

void parker(void* arg) {
  int i = *static_cast<int*>(arg);
  gopark(publish, &parked[i], "test parker");
  resumed++;
}

bool allParked() {
  return std::all_of(std::begin(parked), std::end(parked), [](auto& gp) { return gp.load() != nullptr; });
}
}  // namespace

TEST_CASE("sched: gopark waits for goready, and NumGoroutine counts parked goroutines") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    for (auto& gp : parked) gp = nullptr;
    resumed = 0;
    int n = testing::runMain(
        [] {
          for (int i = 0; i < Parkers; i++) gol_newproc(parker, &i, sizeof i);
          yieldUntil(allParked);
          numParked = gol_runtime_NumGoroutine();
          reasonOK = std::all_of(std::begin(parked), std::end(parked), [](auto& gp) {
            return readgstatus(gp.load()) == Gwaiting && std::strcmp(gp.load()->waitreason, "test parker") == 0;
          });
          for (auto& gp : parked) goready(gp.load());
          yieldUntil([] { return resumed == Parkers; });
          yieldUntil([] { return gol_runtime_NumGoroutine() == 1; });
          numEnd = gol_runtime_NumGoroutine();
        },
        procs);
    CHECK(n == 0);
    CHECK(numParked == Parkers + 1);
    CHECK(reasonOK);
    CHECK(resumed == Parkers);
    CHECK(numEnd == 1);
  }
}

namespace {
std::atomic<bool> unlockCalled{false}, afterPark{false};
bool refuse(g*, void*) {
  unlockCalled = true;
  return false;  // "the condition already holds": do not park
}
}  // namespace

TEST_CASE("sched: gopark resumes at once when its unlock function refuses") {
  int n = testing::runMain([] {
    gopark(refuse, nullptr, "test refused park");
    afterPark = true;
  });
  CHECK(n == 0);
  CHECK(unlockCalled);
  CHECK(afterPark);
}

namespace {
std::atomic<bool> beforeExit{false}, afterExit{false};
void exiter(void*) {
  beforeExit = true;
  gol_runtime_Goexit();
  afterExit = true;
}
}  // namespace

TEST_CASE("sched: Goexit ends only the calling goroutine") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    beforeExit = afterExit = false;
    int n = testing::runMain(
        [] {
          gol_newproc(exiter, nullptr, 0);
          yieldUntil([] { return beforeExit.load(); });
        },
        procs);
    CHECK(n == 0);
    CHECK(beforeExit);
    CHECK_FALSE(afterExit);
  }
}

namespace {
std::mutex idsMu;  // a plain mutex is fine: held for a push_back, never across a switch
std::vector<int64_t> ids, created;
void recordID(void*) {
  std::lock_guard<std::mutex> l(idsMu);
  ids.push_back(getg()->goid);
}
}  // namespace

TEST_CASE("sched: goroutine ids are unique and grow with creation order on one P") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    ids.clear();
    created.clear();
    int n = testing::runMain(
        [] {
          for (int i = 0; i < 40; i++) created.push_back(newproc1(recordID, nullptr, 0, 0)->goid);
          yieldUntil([] {
            std::lock_guard<std::mutex> l(idsMu);
            return ids.size() == 40;
          });
        },
        procs);
    CHECK(n == 0);
    for (size_t i = 1; i < created.size(); i++) CHECK(created[i] > created[i - 1]);
    std::sort(ids.begin(), ids.end());
    CHECK(ids == created);
  }
}

namespace {
constexpr int Workers = 200;
std::atomic<int> workersDone{0}, doneWhenBack{0};
void work(void*) { workersDone++; }
}  // namespace

TEST_CASE("sched: a G on the global queue runs within 61 ticks however busy the local queue is") {
  // One P: with more, idle Ps would steal the workers and the test would show nothing.
  workersDone = 0;
  int n = testing::runMain(
      [] {
        for (int i = 0; i < Workers; i++) gol_newproc(work, nullptr, 0);
        gol_runtime_Gosched();  // to the global queue, behind 200 local Gs
        doneWhenBack = workersDone.load();
        yieldUntil([] { return workersDone == Workers; });
      },
      1);
  CHECK(n == 0);
  CHECK(doneWhenBack <= 62);
}

namespace {
std::atomic<int64_t> first{0}, second{0}, third{0};
std::atomic<int> spinners{0};
std::atomic<bool> stopSpinning{false};
void spinner(void*) {
  spinners++;
  while (!stopSpinning) gol_runtime_Gosched();
  spinners--;
}
}  // namespace

TEST_CASE("sched: GOMAXPROCS stops the world, resizes, and returns the previous value") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    stopSpinning = false;
    int n = testing::runMain(
        [] {
          for (int i = 0; i < 8; i++) gol_newproc(spinner, nullptr, 0);  // Gs busy on every P
          yieldUntil([] { return spinners == 8; });
          first = gol_runtime_GOMAXPROCS(0);
          second = gol_runtime_GOMAXPROCS(3);
          third = gol_runtime_GOMAXPROCS(first);
          stopSpinning = true;
          yieldUntil([] { return spinners == 0; });
        },
        procs);
    CHECK(n == 0);
    CHECK(first == procs);
    CHECK(second == procs);
    CHECK(third == 3);
  }
  CHECK(gol_runtime_NumCPU() >= 1);
}

namespace {
constexpr int Injected = 5;
std::atomic<g*> waiting[Injected];
std::atomic<int> injectedRan{0};
void waiter(void* arg) {
  gopark(publish, &waiting[*static_cast<int*>(arg)], "test inject");
  injectedRan++;
}
}  // namespace

TEST_CASE("sched: injectglist makes a list of waiting Gs runnable") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    for (auto& gp : waiting) gp = nullptr;
    injectedRan = 0;
    int n = testing::runMain(
        [] {
          for (int i = 0; i < Injected; i++) gol_newproc(waiter, &i, sizeof i);
          yieldUntil([] {
            return std::all_of(std::begin(waiting), std::end(waiting), [](auto& gp) { return gp.load() != nullptr; });
          });
          for (int i = 0; i < Injected; i++) waiting[i].load()->schedlink = i + 1 < Injected ? waiting[i + 1].load() : nullptr;
          injectglist(waiting[0]);
          yieldUntil([] { return injectedRan == Injected; });
        },
        procs);
    CHECK(n == 0);
    CHECK(injectedRan == Injected);
  }
}

namespace {
constexpr int Busy = 8;
std::atomic<int> arrived{0};
std::atomic<bool> release{false};
std::mutex msMu;
std::vector<m*> msSeen;
// The main goroutine sleeps until the last busy G is done (rather than yielding, which
// would keep one M busy ping-ponging it through the global queue): the classic
// goparkunlock pattern. busyDone and mainG are guarded by busyLock.
mutex busyLock;
int busyDone = 0;
g* mainG = nullptr;

void busy(void*) {
  {
    std::lock_guard<std::mutex> l(msMu);
    if (std::find(msSeen.begin(), msSeen.end(), getg()->m) == msSeen.end()) msSeen.push_back(getg()->m);
  }
  arrived++;
  // Hold the M without yielding until everyone has arrived (or a second passed): with P
  // Ps, up to P of us run at once, each on its own M.
  for (int i = 0; i < 2000 && arrived < Busy && !release; i++) gol::rt::usleep(500);
  release = true;
  lock(&busyLock);
  if (++busyDone == Busy && mainG != nullptr) goready(mainG);
  unlock(&busyLock);
}
}  // namespace

TEST_CASE("sched: goroutines run in parallel on up to GOMAXPROCS Ms") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    msSeen.clear();
    arrived = 0;
    release = false;
    busyDone = 0;
    mainG = nullptr;
    int n = testing::runMain(
        [] {
          for (int i = 0; i < Busy; i++) gol_newproc(busy, nullptr, 0);
          lock(&busyLock);
          if (busyDone < Busy) {
            mainG = getg();
            goparkunlock(&busyLock, "test wait busy");
          } else {
            unlock(&busyLock);
          }
        },
        procs);
    CHECK(n == 0);
    CHECK(busyDone == Busy);
    CHECK(msSeen.size() >= 1);
    if (procs > 1) CHECK(msSeen.size() >= 2);
    CHECK(mcount() <= 20);  // m0 and about one M per P ever used: no thread per goroutine
  }
}
