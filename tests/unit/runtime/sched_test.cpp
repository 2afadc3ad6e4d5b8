// sched_test.cpp: the scheduler (runtime/proc.cpp) running real goroutines: creation,
// argument copying, yielding, parking, exit, NumGoroutine, fairness.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "runtime/abi.h"
#include "runtime/export_test.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {
constexpr int N = 100;
constexpr int Yields = 50;
int finished = 0;
int64_t steps = 0;

void yielder(void*) {
  for (int i = 0; i < Yields; i++) {
    steps++;
    gol_runtime_Gosched();
  }
  finished++;
}
}  // namespace

TEST_CASE("sched: N goroutines that Gosched in a loop all complete") {
  finished = 0;
  steps = 0;
  int64_t numAtEnd = 0;
  static int64_t* out = &numAtEnd;
  int n = testing::runMain([] {
    for (int i = 0; i < N; i++) gol_newproc(yielder, nullptr, 0);
    while (finished < N) gol_runtime_Gosched();
    *out = gol_runtime_NumGoroutine();
  });
  CHECK(n == 0);
  CHECK(finished == N);
  CHECK(steps == int64_t(N) * Yields);
  CHECK(numAtEnd == 1);
}

namespace {
struct bigArgs {
  int64_t a;
  double b;
  char s[40];
  int64_t tail[9];
};
bool argsOK = false;
bool argsAligned = false;
int argsDone = 0;

void checkArgs(void* arg) {
  auto* x = static_cast<bigArgs*>(arg);
  argsAligned = reinterpret_cast<uintptr_t>(arg) % 16 == 0;
  gol_runtime_Gosched();  // the creator scribbles over its copy meanwhile
  argsOK = x->a == 42 && x->b == 2.5 && std::strcmp(x->s, "copied, not shared") == 0 && x->tail[8] == 8;
  argsDone++;
}

void noArgs(void* arg) {
  argsOK = argsOK && arg == nullptr;
  argsDone++;
}
}  // namespace

TEST_CASE("sched: newproc copies the argument block onto the new goroutine's stack") {
  argsDone = 0;
  int n = testing::runMain([] {
    bigArgs a{};
    a.a = 42;
    a.b = 2.5;
    std::strcpy(a.s, "copied, not shared");
    for (int i = 0; i < 9; i++) a.tail[i] = i;
    gol_newproc(checkArgs, &a, sizeof a);
    gol_runtime_Gosched();
    std::memset(&a, 0xff, sizeof a);
    while (argsDone < 1) gol_runtime_Gosched();
    gol_newproc(noArgs, nullptr, 0);
    while (argsDone < 2) gol_runtime_Gosched();
  });
  CHECK(n == 0);
  CHECK(argsAligned);
  CHECK(argsOK);
}

namespace {
constexpr int Parkers = 10;
g* parked[Parkers];
int parkedCount = 0;
int resumed = 0;

void parker(void* arg) {
  int i = *static_cast<int*>(arg);
  parked[i] = getg();
  parkedCount++;
  gopark(nullptr, nullptr, "test parker");
  resumed++;
}
}  // namespace

TEST_CASE("sched: gopark waits for goready, and NumGoroutine counts parked goroutines") {
  parkedCount = 0;
  resumed = 0;
  static int64_t numParked, numEnd;
  static bool statusOK;
  int n = testing::runMain([] {
    for (int i = 0; i < Parkers; i++) gol_newproc(parker, &i, sizeof i);
    while (parkedCount < Parkers) gol_runtime_Gosched();
    gol_runtime_Gosched();  // let the last one finish parking
    numParked = gol_runtime_NumGoroutine();
    statusOK = true;
    for (g* gp : parked) {
      statusOK = statusOK && readgstatus(gp) == Gwaiting && std::strcmp(gp->waitreason, "test parker") == 0;
    }
    for (g* gp : parked) goready(gp);
    while (resumed < Parkers) gol_runtime_Gosched();
    numEnd = gol_runtime_NumGoroutine();
  });
  CHECK(n == 0);
  CHECK(numParked == Parkers + 1);
  CHECK(statusOK);
  CHECK(numEnd == 1);
}

namespace {
bool unlockCalled = false;
bool afterPark = false;
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
bool beforeExit = false, afterExit = false;
void exiter(void*) {
  beforeExit = true;
  gol_runtime_Goexit();
  afterExit = true;
}
}  // namespace

TEST_CASE("sched: Goexit ends only the calling goroutine") {
  int n = testing::runMain([] {
    gol_newproc(exiter, nullptr, 0);
    while (!beforeExit) gol_runtime_Gosched();
    gol_runtime_Gosched();
  });
  CHECK(n == 0);
  CHECK(beforeExit);
  CHECK_FALSE(afterExit);
}

namespace {
std::vector<int64_t> ids;
void recordID(void*) { ids.push_back(getg()->goid); }
}  // namespace

TEST_CASE("sched: goroutine ids are unique and increase in creation order") {
  ids.clear();
  static std::vector<int64_t> created;
  created.clear();
  int n = testing::runMain([] {
    for (int i = 0; i < 40; i++) {
      g* gp = newproc1(recordID, nullptr, 0, 0);
      created.push_back(gp->goid);
    }
    while (ids.size() < 40) gol_runtime_Gosched();
  });
  CHECK(n == 0);
  for (size_t i = 1; i < created.size(); i++) CHECK(created[i] == created[i - 1] + 1);
  std::sort(ids.begin(), ids.end());
  CHECK(ids == created);
}

namespace {
constexpr int Workers = 200;
int workersDone = 0;
void work(void*) { workersDone++; }
}  // namespace

TEST_CASE("sched: a G on the global queue runs within 61 ticks however busy the local queue is") {
  workersDone = 0;
  static int doneWhenBack;
  int n = testing::runMain([] {
    for (int i = 0; i < Workers; i++) gol_newproc(work, nullptr, 0);
    gol_runtime_Gosched();  // to the global queue, behind 200 local Gs
    doneWhenBack = workersDone;
    while (workersDone < Workers) gol_runtime_Gosched();
  });
  CHECK(n == 0);
  CHECK(doneWhenBack <= 62);
}

TEST_CASE("sched: GOMAXPROCS returns the previous value and NumCPU is positive") {
  static int64_t first, second, third;
  int n = testing::runMain([] {
    first = gol_runtime_GOMAXPROCS(0);
    second = gol_runtime_GOMAXPROCS(3);
    third = gol_runtime_GOMAXPROCS(first);
  });
  CHECK(n == 0);
  CHECK(first >= 1);
  CHECK(second == first);
  CHECK(third == 3);
  CHECK(gol_runtime_NumCPU() >= 1);
}
