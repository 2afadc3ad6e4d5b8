// stack_test.cpp: goroutine stacks (runtime/stack.h): stackalloc/stackfree and the per-P
// caches, segment growth through gol_growstack, shrinking, and preemption through the guard.
//
// Compiled Gol code is not available here, so `checked` below is a C++ function with the
// compiler's prologue check written out (compiler/safepoint.cpp emits the same compare):
// `cmpq %fs:gol_stackguard@tpoff, %rsp; jb` → gol_growstack(thunk, args, res, 0).
#include <doctest/doctest.h>
#include <pthread.h>
#include <time.h>

#include <atomic>
#include <cstring>
#include <vector>

#include "runtime/abi.h"
#include "runtime/export_test.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

int64_t nowns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool spBelowGuard() {
  bool low;
  asm volatile("cmpq %%fs:gol_stackguard@tpoff, %%rsp" : "=@ccb"(low));
  return low;
}

// ---- a "compiled" recursive function with the prologue check ----

int64_t checked(int64_t n);

struct checkedArgs {
  int64_t n;
};
void checkedThunk(void* args, void* res) { *static_cast<int64_t*>(res) = checked(static_cast<checkedArgs*>(args)->n); }

std::atomic<int64_t> maxSegments{0};

void countSegments() {
  int64_t nseg = 0;
  uintptr_t sp = getsp();
  forEachStackSegment(
      getg(), sp,
      [](uintptr_t lo, uintptr_t hi, void* arg) {
        CHECK(lo < hi);
        ++*static_cast<int64_t*>(arg);
      },
      &nseg);
  if (nseg > maxSegments.load()) maxSegments = nseg;
}

[[gnu::noinline]] int64_t checked(int64_t n) {
  if (spBelowGuard()) [[unlikely]] {
    checkedArgs a{n};
    int64_t r;
    gol_growstack(checkedThunk, &a, &r, 0);
    return r;
  }
  volatile char pad[48];  // ~100-byte frames
  pad[0] = char(n);
  if (n == 0) {
    countSegments();
    return 0;
  }
  int64_t r = checked(n - 1) + 1;
  return r + pad[0] - char(n);  // keeps the frame live across the call: no tail recursion
}

// ---- the same with a loop poll, for preemption ----

std::atomic<bool> spinStop{false};
std::atomic<int64_t> spinIters{0};

[[gnu::noinline]] void spinWithPolls() {
  int64_t x = 0;
  while (!spinStop.load(std::memory_order_relaxed)) {
    x++;
    if (spBelowGuard()) [[unlikely]] gol_morestack_poll();
  }
  spinIters = x;
}

}  // namespace

TEST_CASE("stack: stackalloc reuses what stackfree returned (per-P cache, LIFO)") {
  testing::runMain([] {
    for (uint32_t n : {StackMin, 2 * StackMin, 4 * StackMin, uint32_t(StackSegMin), uint32_t(1) << 20}) {
      CAPTURE(n);
      stack a = stackalloc(n);
      CHECK(a.hi - a.lo == n);
      std::memset(reinterpret_cast<void*>(a.hi - 4096), 0xab, 4096);  // touch the top page
      stackfree(a, n);
      stack b = stackalloc(n);
      CHECK(b.lo == a.lo);
      stackfree(b, n);
    }
  });
}

TEST_CASE("stack: alloc/free cycles do not leak, and freed large segments are given back") {
  testing::runMain([] {
    std::vector<stack> held;
    auto round = [&held] {
      for (int i = 0; i < 300; i++) {
        uint32_t n = (i % 7 == 6) ? uint32_t(StackSegMin) << (i % 3) : StackMin << (i % NumStackOrders);
        held.push_back(stackalloc(n));
      }
      for (stack s : held) stackfree(s, uint32_t(s.hi - s.lo));
      held.clear();
    };
    round();
    stackstats before = readstackstats();
    for (int r = 0; r < 20; r++) round();
    stackstats after = readstackstats();
    CHECK(after.inuse == before.inuse);
    CHECK(after.reserved == before.reserved);  // everything came back from the pools

    uint64_t madvised = readstackstats().madvised;
    stack big = stackalloc(1 << 20);
    std::memset(reinterpret_cast<void*>(big.lo), 1, 1 << 20);
    stackfree(big, 1 << 20);
    CHECK(readstackstats().madvised >= madvised + (1 << 20));
  });
}

namespace {
std::atomic<int> allocDone{0};
std::atomic<int> allocBad{0};

// Allocates and frees stacks of mixed sizes, marking each with its owner and checking the mark
// before freeing: two owners of one stack would overwrite each other's marks.
void allocWorker(void* arg) {
  uintptr_t id = *static_cast<uintptr_t*>(arg);
  stack held[16] = {};
  uint32_t x = uint32_t(id) * 2654435761u;
  for (int i = 0; i < 4000; i++) {
    x = x * 1664525 + 1013904223;
    int slot = int(x >> 28);
    if (held[slot].lo != 0) {
      auto* w = reinterpret_cast<uintptr_t*>(held[slot].hi - 16);
      if (w[0] != id || w[1] != held[slot].lo) allocBad++;
      stackfree(held[slot], uint32_t(held[slot].hi - held[slot].lo));
      held[slot] = stack{};
    } else {
      uint32_t n = (x & 0x700) == 0x700 ? uint32_t(StackSegMin) << (x & 1) : StackMin << ((x >> 8) % NumStackOrders);
      held[slot] = stackalloc(n);
      auto* w = reinterpret_cast<uintptr_t*>(held[slot].hi - 16);
      w[0] = id;
      w[1] = held[slot].lo;
    }
    if (i % 64 == 0) gol_runtime_Gosched();  // move between Ps
  }
  for (stack s : held)
    if (s.lo != 0) stackfree(s, uint32_t(s.hi - s.lo));
  allocDone++;
}
}  // namespace

TEST_CASE("stack: concurrent stackalloc/stackfree on several Ps hand out each stack once") {
  for (int32_t procs : {2, 4}) {
    CAPTURE(procs);
    allocDone = 0;
    allocBad = 0;
    uint64_t inuse = readstackstats().inuse;
    int n = testing::runMain(
        [] {
          static uintptr_t ids[8];
          for (uintptr_t i = 0; i < 8; i++) {
            ids[i] = i + 1;
            gol_newproc(allocWorker, &ids[i], sizeof ids[i]);
          }
          while (allocDone.load() < 8) gol_runtime_Gosched();
        },
        procs);
    CHECK(n == 0);
    CHECK(allocBad == 0);
    CHECK(allocDone == 8);
    // Dead goroutines keep their first stacks (gfput), nothing else: at most the 8 workers and
    // the test's main goroutine are new.
    CHECK(readstackstats().inuse <= inuse + 10 * FixedStack);
  }
}

TEST_CASE("stack: a cached stack allocation is cheap (target <= 50 ns)") {
  static double ns = 0;
  testing::runMain([] {
    constexpr int N = 1000000;
    stack warm = stackalloc(StackMin);
    stackfree(warm, StackMin);
    int64_t t0 = nowns();
    for (int i = 0; i < N; i++) {
      stack s = stackalloc(StackMin);
      asm volatile("" ::"r"(s.lo) : "memory");
      stackfree(s, StackMin);
    }
    ns = double(nowns() - t0) / N;
  });
  MESSAGE("stackalloc+stackfree of a cached 2 KiB stack: " << ns << " ns");
  CHECK(ns < 500);  // loose: shared CI machines; the target (<= 50 ns) is in the message
}

namespace {
std::atomic<int64_t> growResult{0};
std::atomic<bool> growOK{false};
std::atomic<bool> growDone{false};

// ThreadSanitizer keeps a shadow call stack of at most 64K frames per goroutine (fiber): the
// TSan build recurses less deep, still through several segments (~2 MB).
#if defined(__SANITIZE_THREAD__)
constexpr int64_t GrowDepth = 20000;
#else
constexpr int64_t GrowDepth = 100000;
#endif

void growWorker(void*) {
  g* gp = getg();
  stack first = gp->stack;
  growResult = checked(GrowDepth);  // ~10 MB of frames: several segments past the first stack
  bool backOnFirst = gp->stack.lo == first.lo && gp->stack.hi == first.hi && gp->stackseg == nullptr;
  bool cached = gp->stackcache != nullptr && gp->stackcache->next != nullptr;
  // Again: the same depth runs on the cached segments, and the result is the same.
  int64_t again = checked(GrowDepth);
  // Parking gives back a chain that went past the first growth segment.
  stackpark(gp);
  bool released = gp->stackcache == nullptr;
  // The guard is the first stack's again, unless sysmon has asked this long-running G to yield
  // in the meantime (then it is StackPreempt until the next prologue check).
  uintptr_t guard = loadRelaxed(gol_stackguard);
  bool guardOK = guard == gp->stack.lo + StackGuard || guard == uintptr_t(StackPreempt);
  growOK = backOnFirst && cached && again == GrowDepth && released && guardOK;
  growDone = true;
}
}  // namespace

TEST_CASE("stack: deep recursion grows by segments and returns to the first stack") {
  for (int32_t procs : {1, 2}) {
    CAPTURE(procs);
    growResult = 0;
    growOK = false;
    growDone = false;
    maxSegments = 0;
    int n = testing::runMain(
        [] {
          gol_newproc(growWorker, nullptr, 0);
          while (!growDone.load()) gol_runtime_Gosched();
        },
        procs);
    CHECK(n == 0);
    CHECK(growResult == GrowDepth);
    CHECK(growOK);
    CHECK(maxSegments >= 3);  // the first stack + at least two growth segments
  }
}

namespace {
std::atomic<g*> spinner{nullptr};
std::atomic<bool> otherRan{false};
std::atomic<bool> sysmonStop{false};
std::atomic<int> preemptsSent{0};

void spinG(void*) {
  spinner = getg();
  spinWithPolls();
  spinner = nullptr;
}
void otherG(void*) {
  otherRan = true;
  spinStop = true;
}

// Plays sysmon's preemptone: g.preempt, g.stackguard0 and the M's thread-local copy.
void* fakeSysmon(void*) {
  while (!sysmonStop.load()) {
    timespec ts{0, 2000000};
    nanosleep(&ts, nullptr);
    g* gp = spinner.load();
    if (gp == nullptr) continue;
    m* mp = __atomic_load_n(&gp->m, __ATOMIC_ACQUIRE);
    if (mp == nullptr || mp->stackguardp == nullptr) continue;
    __atomic_store_n(&gp->preempt, true, __ATOMIC_RELAXED);
    __atomic_store_n(&gp->stackguard0, StackPreempt, __ATOMIC_RELAXED);
    __atomic_store_n(mp->stackguardp, StackPreempt, __ATOMIC_RELAXED);
    preemptsSent++;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("stack: a call-free loop with polls is preempted through the guard (GOMAXPROCS=1)") {
  spinStop = false;
  otherRan = false;
  sysmonStop = false;
  preemptsSent = 0;
  pthread_t t;
  REQUIRE(pthread_create(&t, nullptr, fakeSysmon, nullptr) == 0);
  int n = testing::runMain(
      [] {
        gol_newproc(spinG, nullptr, 0);
        // Once the spinner runs, only its preemption lets this goroutine continue.
        while (spinner.load() == nullptr) gol_runtime_Gosched();
        gol_newproc(otherG, nullptr, 0);
        while (!otherRan.load()) gol_runtime_Gosched();
        while (spinner.load() != nullptr) gol_runtime_Gosched();
      },
      1);
  sysmonStop = true;
  pthread_join(t, nullptr);
  CHECK(n == 0);
  CHECK(otherRan);
  CHECK(spinIters > 0);
  CHECK(preemptsSent > 0);
}
