// sysmon_test.cpp: what sysmon, system calls, preemption, stop-the-world, LockOSThread and
// the timer call sites do in real scheduling (runtime/sysmon.cpp, syscall.cpp, preempt.cpp,
// proc.cpp), and the ways a program dies (checkdead, thread limit, dumps, schedtrace).
//
// Compiled Gol code polls for preemption in every prologue and loop back-edge; C++ test code
// does not, so busy goroutines here call poll(), which does what that check does. Assertions
// are about progress and order ("another goroutine ran while this one was blocked"), not
// about timing, except where a bound is generous by orders of magnitude.
#include <doctest/doctest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "rtchild.h"
#include "runtime/abi.h"
#include "rttest.h"
#include "runtime/export_test.h"
#include "runtime/runtime.h"
#include "runtime/sema.h"

using namespace gol::rt;

namespace {

constexpr int32_t AllProcs[] = {1, 2, 4, 8};
constexpr int64_t ms = 1000000;

template <class F>
bool yieldUntil(F cond) { return rttest::yieldUntil<5000000>(cond); }

// The preemption check compiled code makes (the stacks engineer's prologue check and loop
// polls): a request shows as stackguard0 == StackPreempt.
inline void poll() {
  if (__atomic_load_n(&getg()->stackguard0, __ATOMIC_RELAXED) == StackPreempt) gopreempt();
}

int64_t gettid() { return int64_t(syscall(SYS_gettid)); }

}  // namespace

// ---- system calls ----

namespace {
int pipefd[2];
std::atomic<bool> readerBlocked{false}, readerDone{false}, useBlockHint{false};
std::atomic<int64_t> progress{0}, progressWhileBlocked{0}, readResult{0};
std::atomic<g*> readerG{nullptr};
std::atomic<bool> sawGsyscall{false}, syscallspInStack{false};

void reader(void*) {
  readerG = getg();
  readerBlocked = true;
  char c = 0;
  int64_t n;
  if (useBlockHint) {
    gol_entersyscallblock();
    n = read(pipefd[0], &c, 1);
    gol_exitsyscall();
  } else {
    n = gol_sys_read(pipefd[0], &c, 1);
  }
  readResult = n == 1 && c == 'x' ? 1 : n;
  readerDone = true;
}

void counter(void*) {
  while (!readerDone) {
    progress++;
    gol_runtime_Gosched();
  }
}
}  // namespace

TEST_CASE("syscall: a goroutine blocked in read() on a pipe does not stop the others") {
  for (bool block : {false, true}) {
    for (int32_t procs : AllProcs) {
      CAPTURE(block);
      CAPTURE(procs);
      REQUIRE(gol_sys_pipe2(reinterpret_cast<int32_t*>(pipefd), 0) == 0);
      readerBlocked = readerDone = sawGsyscall = syscallspInStack = false;
      useBlockHint = block;
      progress = 0;
      progressWhileBlocked = -1;
      // The writer: a plain thread, so it writes whatever the scheduler does. It writes once
      // main has measured the others' progress, or after 10 s if they never make any (the
      // failure this test looks for): a fixed delay was too short under TSan on a loaded
      // machine, where 1000 Gosched calls can take longer than 100 ms.
      std::thread writer([] {
        for (int ms = 0; ms < 10000 && progressWhileBlocked.load() < 0; ms++) ::usleep(1000);
        CHECK(write(pipefd[1], "x", 1) == 1);
      });
      int n = testing::runMain(
          [] {
            gol_newproc(reader, nullptr, 0);
            gol_newproc(counter, nullptr, 0);
            yieldUntil([] { return readerBlocked.load(); });
            // With one P, this runs only if sysmon (or entersyscallblock) gave the reader's P
            // away while the reader sits in read().
            int64_t start = progress;
            yieldUntil([start] { return progress > start + 1000 || readerDone; });
            if (!readerDone) {
              g* rg = readerG;
              sawGsyscall = readgstatus(rg) == Gsyscall;
              syscallspInStack = rg->syscallsp > rg->stack.lo && rg->syscallsp < rg->stack.hi;
              progressWhileBlocked = progress - start;  // last: this lets the writer write
            }
            yieldUntil([] { return readerDone.load(); });
          },
          procs);
      writer.join();
      close(pipefd[0]);
      close(pipefd[1]);
      CHECK(n == 0);
      CHECK(readResult == 1);
      CHECK(progressWhileBlocked > 1000);
      CHECK(sawGsyscall);
      CHECK(syscallspInStack);
    }
  }
}

TEST_CASE("syscall: the wrappers return -errno") {
  testing::runMain([] {
    char c;
    CHECK(gol_sys_read(-1, &c, 1) == -EBADF);
    CHECK(gol_sys_close(-1) == -EBADF);
    const char* path = "/nonexistent/gol";
    CHECK(gol_sys_open(reinterpret_cast<const uint8_t*>(path), int64_t(strlen(path)), O_RDONLY, 0) == -ENOENT);
    path = "/dev/null";
    int64_t fd = gol_sys_open(reinterpret_cast<const uint8_t*>(path), int64_t(strlen(path)), O_WRONLY, 0);
    CHECK(fd >= 0);
    CHECK(gol_sys_write(fd, "abc", 3) == 3);
    CHECK(gol_sys_close(fd) == 0);
  });
}

// ---- preemption ----

namespace {
std::atomic<bool> otherRan{false}, looperSawOther{false}, looperDone{false}, looperStarted{false};
std::atomic<int64_t> loopedFor{0};

__attribute__((noinline)) void work(int64_t* x) {
  *x = *x * 31 + 7;
  poll();
}

// Loops, calling a function, until another goroutine has run (or 5 s): with one P that
// happens only if the looper is preempted.
void looper(void*) {
  int64_t x = 0, t0 = nanotime();
  looperStarted = true;
  while (!otherRan && nanotime() - t0 < 5000 * ms) work(&x);
  loopedFor = nanotime() - t0;
  looperSawOther = otherRan.load();
  looperDone = true;
}
}  // namespace

TEST_CASE("preempt: a goroutine looping with calls is preempted with GOMAXPROCS=1 so another runs") {
  for (int round = 0; round < 3; round++) {
    otherRan = looperSawOther = looperDone = looperStarted = false;
    testing::runMain(
        [] {
          gol_newproc(looper, nullptr, 0);
          // To the global queue; the looper runs. Once it has started, with one P we get
          // back here only if the looper is preempted.
          yieldUntil([] { return looperStarted.load(); });
          otherRan = true;
          yieldUntil([] { return looperDone.load(); });
        },
        1);
    CHECK(looperSawOther);
    // A time slice is 10 ms and sysmon sleeps at most 10 ms: about 10-20 ms on an idle
    // machine. (Sometimes less: sysmon's tick sample may be stale, as in Go.)
    MESSAGE("looper preempted after " << loopedFor / 1000 << " us");
  }
}

// ---- stop the world ----

namespace {
std::atomic<bool> stopBusy{false};
std::atomic<int> busyDone{0};
std::atomic<int64_t> busyCount[16];
std::atomic<g*> busyG[16];
struct busyArg {
  int i;
};

void busy(void* a) {
  int i = static_cast<busyArg*>(a)->i;
  busyG[i] = getg();
  int64_t x = 0;
  while (!stopBusy) {
    busyCount[i].fetch_add(1, std::memory_order_relaxed);
    work(&x);
  }
  busyDone++;
}

int nbusy = 0;
void startBusy(int n) {
  nbusy = n;
  stopBusy = false;
  busyDone = 0;
  for (int i = 0; i < n; i++) {
    busyCount[i] = 0;
    busyArg a{i};
    gol_newproc(busy, &a, sizeof a);
  }
  yieldUntil([n] {
    for (int i = 0; i < n; i++) {
      if (busyCount[i] == 0) return false;
    }
    return true;
  });
}
void stopAllBusy() {
  stopBusy = true;
  yieldUntil([] { return busyDone == nbusy; });
}

std::atomic<bool> frozen{false}, stoppedAtSafePoints{false}, resumed{false};
std::vector<int64_t> stopTimes;
std::mutex stopTimesMu;
}  // namespace

TEST_CASE("stw: stopTheWorld with every P busy stops them all, startTheWorld resumes them") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    stopTimes.clear();
    frozen = stoppedAtSafePoints = resumed = false;
    int n = testing::runMain(
        [] {
          int32_t procs = gomaxprocs.load();
          startBusy(procs);  // one per P, plus this goroutine
          bool allFrozen = true, allSafe = true;
          for (int round = 0; round < 9; round++) {
            int64_t t0 = nanotime();
            stopTheWorld("test");
            int64_t took = nanotime() - t0;
            int64_t before[16], after[16];
            for (int i = 0; i < nbusy; i++) before[i] = busyCount[i];
            ::usleep(5000);
            for (int i = 0; i < nbusy; i++) after[i] = busyCount[i];
            for (int i = 0; i < nbusy; i++) allFrozen &= before[i] == after[i];
            for (int32_t i = 0; i < procs; i++) allSafe &= allp[i].load()->status.load() == Pgcstop;
            for (int i = 0; i < nbusy; i++) {
              g* gp = busyG[i];
              // Stopped: runnable on a queue, or still Grunning on this M? Never on another.
              allSafe &= readgstatus(gp) == Grunnable;
            }
            startTheWorld();
            {
              std::lock_guard<std::mutex> l(stopTimesMu);
              stopTimes.push_back(took);
            }
            int64_t base = busyCount[0];
            yieldUntil([base] { return busyCount[0] > base; });
          }
          frozen = allFrozen;
          stoppedAtSafePoints = allSafe;
          resumed = true;
          stopAllBusy();
        },
        procs);
    CHECK(n == 0);
    CHECK(frozen);
    CHECK(stoppedAtSafePoints);
    CHECK(resumed);
    std::sort(stopTimes.begin(), stopTimes.end());
    MESSAGE("GOMAXPROCS=" << procs << ", " << ncpu << " CPUs: time to stop the world (busy loops calling a polling function): min "
                          << stopTimes[0] / 1000 << " us, median " << stopTimes[stopTimes.size() / 2] / 1000 << " us, max "
                          << stopTimes.back() / 1000 << " us");
  }
}

namespace {
std::atomic<int> safePointRuns{0};
std::atomic<uint64_t> safePointMask{0};
void countP(p* pp) {
  safePointRuns++;
  safePointMask |= uint64_t(1) << pp->id;
}
}  // namespace

TEST_CASE("stw: forEachP runs the function once for every P, busy or idle") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    safePointRuns = 0;
    safePointMask = 0;
    testing::runMain(
        [] {
          startBusy(gomaxprocs.load() > 1 ? gomaxprocs.load() - 1 : 1);  // some Ps busy, maybe one idle
          semacquire(&worldsema);
          forEachP(countP);
          semrelease(&worldsema);
          stopAllBusy();
        },
        procs);
    CHECK(safePointRuns == procs);
    CHECK(safePointMask == (procs == 64 ? ~uint64_t(0) : (uint64_t(1) << procs) - 1));
  }
}

// ---- GOMAXPROCS while running ----

namespace {
std::atomic<bool> resizeOK{false};
std::atomic<int> sleepersDone{0};
void sleeper(void*) {
  for (int i = 0; i < 20; i++) gol_timeSleep(2 * ms);
  sleepersDone++;
}
}  // namespace

TEST_CASE("procresize: GOMAXPROCS goes up and down while goroutines run and sleep") {
  resizeOK = false;
  sleepersDone = 0;
  int n = testing::runMain(
      [] {
        startBusy(6);
        for (int i = 0; i < 4; i++) gol_newproc(sleeper, nullptr, 0);
        bool ok = true;
        int32_t prev = gomaxprocs.load();
        for (int32_t np : {1, 4, 2, 8, 3, 1, 6, 2}) {
          ok &= gol_runtime_GOMAXPROCS(np) == prev;
          ok &= gomaxprocs.load() == np;
          prev = np;
          int64_t base[16];
          for (int i = 0; i < nbusy; i++) base[i] = busyCount[i];
          // every busy goroutine still makes progress
          ok &= yieldUntil([&base] {
            for (int i = 0; i < nbusy; i++) {
              if (busyCount[i] == base[i]) return false;
            }
            return true;
          });
        }
        ok &= yieldUntil([] { return sleepersDone == 4; });  // timers survived the resizes
        resizeOK = ok;
        stopAllBusy();
      },
      4);
  CHECK(n == 0);
  CHECK(resizeOK);
}

// ---- LockOSThread ----

namespace {
std::atomic<int64_t> lockedTid{0};
std::atomic<bool> lockedActive{false};
std::atomic<int> lockedMoves{0}, intruders{0}, lockedDoneN{0};
std::atomic<bool> othersStop{false};
void* lockChan;

void lockedG(void*) {
  gol_runtime_LockOSThread();
  int64_t tid = gettid();
  lockedTid = tid;
  lockedActive = true;
  for (int i = 0; i < 200; i++) {
    gol_runtime_Gosched();
    if (gettid() != tid) lockedMoves++;
    if (i % 50 == 0) {
      gol_chanrecv1(lockChan, nullptr);  // parks; another goroutine wakes it
      if (gettid() != tid) lockedMoves++;
    }
  }
  lockedActive = false;
  gol_runtime_UnlockOSThread();
  lockedDoneN++;
}

void lockOthers(void*) {
  while (!othersStop) {
    if (lockedActive && gettid() == lockedTid) intruders++;
    gol_chansend1(lockChan, nullptr);
    gol_runtime_Gosched();
  }
}
}  // namespace

TEST_CASE("lockosthread: a locked goroutine stays on its thread, and no other runs there") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    lockedMoves = intruders = lockedDoneN = 0;
    othersStop = false;
    int n = testing::runMain(
        [] {
          lockChan = gol_makechan(nullptr, 0, 1);
          gol_newproc(lockedG, nullptr, 0);
          for (int i = 0; i < 3; i++) gol_newproc(lockOthers, nullptr, 0);
          yieldUntil([] { return lockedDoneN == 1; });
          othersStop = true;
          // drain: the senders may be blocked on the full channel
          for (int i = 0; i < 10; i++) gol_selectnbrecv(nullptr, lockChan);
          yieldUntil([] { return gol_runtime_NumGoroutine() == 1 || !gol_selectnbrecv(nullptr, lockChan); });
          while (gol_runtime_NumGoroutine() > 1) {
            gol_selectnbrecv(nullptr, lockChan);
            gol_runtime_Gosched();
          }
        },
        procs);
    CHECK(n == 0);
    CHECK(lockedDoneN == 1);
    CHECK(lockedMoves == 0);
    CHECK(intruders == 0);
  }
}

// ---- timers in real scheduling ----

namespace {
std::mutex wokeMu;
std::vector<int> woke;
std::atomic<int64_t> earliest{0}, maxLate{0};
struct sleepArg {
  int i;
};
// Sleepers 10 ms apart. What the runtime promises is "never early"; the order in which they
// run after that depends on lateness (timers fire per P, a batch of Gs readied together runs
// in any order, as in Go, and on a loaded machine a wake-up can be tens of ms late), so the
// test checks that each woke, none early, and reports the worst lateness.
void orderedSleeper(void* a) {
  int i = static_cast<sleepArg*>(a)->i;
  int64_t t0 = nanotime();
  gol_timeSleep(int64_t(i) * 10 * ms);
  int64_t late = nanotime() - t0 - int64_t(i) * 10 * ms;
  if (late < earliest) earliest = late;
  if (late > maxLate) maxLate = late;
  std::lock_guard<std::mutex> l(wokeMu);
  woke.push_back(i);
}
std::atomic<int64_t> busySleeperLate{0};
void busySleeper(void*) {
  int64_t t0 = nanotime();
  gol_timeSleep(5 * ms);
  busySleeperLate = nanotime() - t0 - 5 * ms;
}
}  // namespace

TEST_CASE("timers: sleeping goroutines all wake, none early, nothing else drives the timers") {
  for (int32_t procs : AllProcs) {
    CAPTURE(procs);
    woke.clear();
    earliest = maxLate = 0;
    int n = testing::runMain(
        [] {
          for (int i = 20; i >= 1; i--) {
            sleepArg a{i};
            gol_newproc(orderedSleeper, &a, sizeof a);
          }
          gol_timeSleep(30 * ms);  // main sleeps too, among them
          yieldUntil([] {
            std::lock_guard<std::mutex> l(wokeMu);
            return woke.size() == 20;
          });
        },
        procs);
    CHECK(n == 0);
    REQUIRE(woke.size() == 20);
    CHECK(earliest >= 0);  // never early
    MESSAGE("GOMAXPROCS=" << procs << ": latest wake-up " << maxLate / 1000 << " us late");
  }
}

TEST_CASE("timers: a program that only sleeps is not a deadlock") {
  for (int32_t procs : {1, 2}) {
    int n = testing::runMain([] { gol_timeSleep(20 * ms); }, procs);
    CHECK(n == 0);
  }
}

TEST_CASE("timers: a sleeper wakes while every P is busy in a loop (GOMAXPROCS=1)") {
  busySleeperLate = -1;
  int n = testing::runMain(
      [] {
        startBusy(1);
        gol_newproc(busySleeper, nullptr, 0);
        yieldUntil([] { return busySleeperLate.load() >= 0; });
        stopAllBusy();
      },
      1);
  CHECK(n == 0);
  MESSAGE("sleeper woke " << busySleeperLate / 1000 << " us late behind a busy loop");
  CHECK(busySleeperLate < 1000 * ms);
}

// ---- dying: checkdead, thread limit, dumps, schedtrace ----

CHILD_CASE("sysmon child: blocked forever") { testing::runMain([] { gol_block(); }); }
CHILD_CASE("sysmon child: main goroutine calls Goexit") { testing::runMain([] { gol_runtime_Goexit(); }); }
CHILD_CASE("sysmon child: sleeps then blocks forever") {
  testing::runMain([] {
    gol_timeSleep(30 * ms);
    print("slept\n");
    gol_block();
  });
}

TEST_CASE("checkdead: Go's deadlock messages, and not while a timer is pending") {
  for (const char* procs : {"1", "4"}) {
    CAPTURE(procs);
    auto r = rtchild::runChild("sysmon child: blocked forever", procs);
    CHECK(r.status == 2);
    CHECK(rtchild::firstLine(r.err) == "fatal error: all goroutines are asleep - deadlock!");
    CHECK(r.err.find("goroutine 1 [select (no cases)]:") != std::string::npos);

    r = rtchild::runChild("sysmon child: main goroutine calls Goexit", procs);
    CHECK(r.status == 2);
    CHECK(rtchild::firstLine(r.err) == "fatal error: no goroutines (main called runtime.Goexit) - deadlock!");

    r = rtchild::runChild("sysmon child: sleeps then blocks forever", procs);
    CHECK(r.status == 2);
    CHECK(rtchild::firstLine(r.err) == "slept");
    CHECK(r.err.find("fatal error: all goroutines are asleep - deadlock!") != std::string::npos);
  }
}

namespace {
void blockInSyscall(void*) {
  gol_entersyscallblock();
  ::usleep(2000000);
  gol_exitsyscall();
}
}  // namespace

CHILD_CASE("sysmon child: thread limit") {
  testing::runMain([] {
    lock(&sched.lock);
    int32_t limit = int32_t(sched.mcount) + 2;
    unlock(&sched.lock);
    setMaxThreads(limit);
    // Each goroutine blocked in a system call holds its thread; the next needs a new one.
    for (int i = 0; i < 20; i++) {
      gol_newproc(blockInSyscall, nullptr, 0);
      gol_runtime_Gosched();
    }
    ::usleep(3000000);
  });
}

TEST_CASE("checkmcount: more threads than the limit is `thread exhaustion`") {
  auto r = rtchild::runChild("sysmon child: thread limit", "2");
  CHECK(r.status == 2);
  CHECK(std::regex_search(r.err, std::regex("^runtime: program exceeds [0-9]+-thread limit\nfatal error: thread exhaustion\n")));
}

extern "C" __attribute__((noinline)) void tracebackVictim(void*) {
  gopark(nullptr, nullptr, "test victim");
  print("not reached\n");  // keeps the frame: no tail call into gopark
}
extern "C" __attribute__((noinline)) void tracebackThrower() {
  gol_newproc(tracebackVictim, nullptr, 0);
  for (int i = 0; i < 100; i++) gol_runtime_Gosched();
  gothrow("test throw");
}

CHILD_CASE("sysmon child: dump") { testing::runMain([] { tracebackThrower(); }, 2); }

TEST_CASE("traceback: a fatal error dumps every goroutine with frames, GOTRACEBACK=none dumps none") {
  auto r = rtchild::runChild("sysmon child: dump");
  CHECK(r.status == 2);
  CHECK(rtchild::firstLine(r.err) == "fatal error: test throw");
  CHECK(std::regex_search(r.err, std::regex("\ngoroutine 1 \\[running\\]:\n(.*\n)*tracebackThrower\\(\\.\\.\\.\\)\n\t\\?:0 \\+0x[0-9a-f]+\n")));
  CHECK(std::regex_search(
      r.err, std::regex("\ngoroutine [0-9]+ \\[test victim\\]:\ntracebackVictim\\(\\.\\.\\.\\)\n\t\\?:0 \\+0x[0-9a-f]+\ncreated by tracebackThrower\n")));
  CHECK(r.err.find("_ZN3gol2rt7gothrow") == std::string::npos);  // runtime frames hidden by default

  setenv("GOTRACEBACK", "system", 1);
  r = rtchild::runChild("sysmon child: dump");
  CHECK(r.err.find("_ZN3gol2rt7gothrow") != std::string::npos);
  setenv("GOTRACEBACK", "none", 1);
  r = rtchild::runChild("sysmon child: dump");
  unsetenv("GOTRACEBACK");
  CHECK(r.status == 2);
  CHECK(r.err == "fatal error: test throw\n");
}

CHILD_CASE("sysmon child: schedtrace") {
  testing::runMain(
      [] {
        startBusy(1);
        gol_timeSleep(60 * ms);
        stopAllBusy();
      },
      2);
}

TEST_CASE("schedtrace: GODEBUG=schedtrace=10 and scheddetail=1 print the seed's lines") {
  setenv("GODEBUG", "schedtrace=10", 1);
  auto r = rtchild::runChild("sysmon child: schedtrace");
  CHECK(r.status == 0);
  MESSAGE(r.err.substr(0, r.err.find('\n')));
  CHECK(std::regex_search(r.err, std::regex("(^|\n)SCHED [0-9]+ms: gomaxprocs=2 idleprocs=[0-9]+ threads=[0-9]+ spinningthreads=[0-9]+ "
                                            "idlethreads=[0-9]+ runqueue=[0-9]+ \\[[0-9]+ [0-9]+\\]\n")));
  setenv("GODEBUG", "schedtrace=10,scheddetail=1", 1);
  r = rtchild::runChild("sysmon child: schedtrace");
  unsetenv("GODEBUG");
  CHECK(r.status == 0);
  CHECK(std::regex_search(r.err, std::regex("\nSCHED [0-9]+ms: gomaxprocs=2 idleprocs=[0-9]+ threads=[0-9]+ spinningthreads=[0-9]+ "
                                            "idlethreads=[0-9]+ runqueue=[0-9]+ gcwaiting=[01] nmidlelocked=[0-9]+ "
                                            "stopwait=-?[0-9]+ sysmonwait=[01]\n  P0: status=[0-4] schedtick=[0-9]+ "
                                            "syscalltick=[0-9]+ m=-?[0-9]+ runqsize=[0-9]+ gfreecnt=[0-9]+\n  P1: ")));
  CHECK(std::regex_search(r.err, std::regex("\n  M[0-9]+: p=-?[0-9]+ curg=-?[0-9]+ mallocing=0 throwing=0 preemptoff= locks=[0-9]+ "
                                            "dying=0 helpgc=0 spinning=(true|false) blocked=(true|false) lockedg=-?[0-9]+\n")));
  CHECK(std::regex_search(r.err, std::regex("\n  G1: status=[0-9]+\\([a-z ]*\\) m=-?[0-9]+ lockedm=-?[0-9]+\n")));
}
