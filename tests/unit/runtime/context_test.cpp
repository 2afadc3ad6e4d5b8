// context_test.cpp: the context-switch backend built (runtime/context.h: asm or ucontext).
// The first case drives gol_mcall/gol_gogo directly, with a three-line "scheduler" of its
// own; the others run goroutines on the real scheduler.
#include <doctest/doctest.h>

#include <atomic>
#include <cfenv>
#include <stdexcept>
#include <string>

#include "runtime/abi.h"
#include "runtime/export_test.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

// ---- raw ping-pong: A and B alternate through a scheduler context S, like G -> g0 -> G ----

struct pingpong {
  g s, a, b;          // S's stack is the scheduler stack; A and B run bodies
  gobuf test;         // the test's own context, resumed at the end
  int rounds = 0;     // switches through S so far
  int limit = 0;      // stop after this many
  int64_t trace = 0;  // 'a'/'b' digits appended in run order
  int64_t sumA = 0, sumB = 0;
} pp;

void sfn(g* from) {
  pp.rounds++;
  if (pp.rounds >= pp.limit) gol_gogo(&pp.test);
  gol_gogo(from == &pp.a ? &pp.b.sched : &pp.a.sched);
}

void body(void* arg) {
  auto* self = static_cast<g*>(arg);
  int64_t local = 0;  // lives in a callee-saved register or the frame across switches
  for (int64_t i = 1;; i++) {
    CHECK(getg() == self);  // not REQUIRE: it throws, and nothing may unwind past a G
    local += i;
    (self == &pp.a ? pp.sumA : pp.sumB) = local;
    pp.trace = pp.trace % 1000000 * 10 + (self == &pp.a ? 1 : 2);
    gol_mcall(&self->sched, &pp.s.sched, sfn);
  }
}

void startA(g*) { gol_gogo(&pp.a.sched); }

void initg(g* gp) {
  gp->stack = stackalloc(FixedStack);
  gp->sched = gobuf{};
  gp->sched.g = gp;
  gp->sched.sp = gp->stack.hi;
}

uint32_t mxcsr() {
  uint32_t v;
  asm volatile("stmxcsr %0" : "=m"(v));
  return v;
}
uint16_t x87cw() {
  uint16_t v;
  asm volatile("fnstcw %0" : "=m"(v));
  return v;
}
constexpr uint32_t MxcsrRC = 3u << 13;  // rounding-control bits
constexpr uint16_t X87RC = 3u << 10;

}  // namespace

TEST_CASE("context: ping-pong between two contexts through a scheduler stack") {
  g* self = getg();
  for (g* gp : {&pp.s, &pp.a, &pp.b}) initg(gp);
  pp.s.sched.sp = pp.s.stack.hi & ~uintptr_t(15);
  gostartcall(&pp.a.sched, body, &pp.a);
  gostartcall(&pp.b.sched, body, &pp.b);
  pp.test = gobuf{};
  pp.test.g = self;
  pp.limit = 20000;  // S runs after every step: 10000 steps of A, then 10000 of B

  gol_mcall(&pp.test, &pp.s.sched, startA);

  CHECK(getg() == self);
  CHECK(pp.trace % 10000 == 1212);  // strictly alternating, A first
  CHECK(pp.sumA == 10000LL * 10001 / 2);
  CHECK(pp.sumB == 10000LL * 10001 / 2);
  for (g* gp : {&pp.s, &pp.a, &pp.b}) stackfree(gp->stack, FixedStack);
}

namespace {
std::atomic<int> fpfailures{0};
std::atomic<int> fpdone{0};

void fpcheck(bool ok) {
  if (!ok) fpfailures++;
}

void fpworker(void* arg) {
  int mode = *static_cast<int*>(arg);
  // A new goroutine starts with the ABI defaults, whatever its creator had.
  fpcheck((mxcsr() & MxcsrRC) == 0 && (x87cw() & X87RC) == 0);
  std::fesetround(mode);
  uint32_t mine = mxcsr();
  uint16_t minecw = x87cw();
  for (int i = 0; i < 50; i++) {
    gol_runtime_Gosched();
    fpcheck(mxcsr() == mine && x87cw() == minecw && std::fegetround() == mode);
  }
  fpdone++;
}
}  // namespace

TEST_CASE("context: floating-point control words belong to each goroutine") {
  fpfailures = 0;
  fpdone = 0;
  int n = testing::runMain([] {
    std::fesetround(FE_TOWARDZERO);  // the creator's mode must not leak into new Gs
    static int modes[] = {FE_UPWARD, FE_DOWNWARD, FE_TONEAREST};
    for (int& m : modes) gol_newproc(fpworker, &m, sizeof m);
    while (fpdone < 3) {
      gol_runtime_Gosched();
      fpcheck(std::fegetround() == FE_TOWARDZERO);
    }
    std::fesetround(FE_TONEAREST);
  });
  CHECK(n == 0);
  CHECK(fpfailures == 0);
  CHECK(std::fegetround() == FE_TONEAREST);
}

namespace {
std::string caught;
std::atomic<bool> caughtSet{false};

[[gnu::noinline]] void thrower(int depth) {
  if (depth == 0) throw std::runtime_error("from a goroutine");
  thrower(depth - 1);
}

void throwing(void*) {
  gol_runtime_Gosched();  // unwind after a switch, not only on a fresh stack
  try {
    thrower(5);
  } catch (const std::exception& e) {
    caught = e.what();
  }
  caughtSet = true;
}
}  // namespace

TEST_CASE("context: a C++ exception thrown and caught on a goroutine stack") {
  caught.clear();
  caughtSet = false;
  int n = testing::runMain([] {
    gol_newproc(throwing, nullptr, 0);
    while (!caughtSet) gol_runtime_Gosched();
  });
  CHECK(n == 0);
  CHECK(caught == "from a goroutine");
}

namespace {
std::atomic<int64_t> deepresult{0};

[[gnu::noinline]] int64_t deep(int64_t n) {
  volatile char pad[64];  // ~128-byte frames: 1000 deep is ~half the FixedStack
  pad[0] = char(n);
  if (n == 0) return pad[0];
  return deep(n - 1) + n + pad[0] - char(n);
}

void recurse(void*) {
  gol_runtime_Gosched();
  deepresult = deep(1000);
}
}  // namespace

TEST_CASE("context: deep-ish recursion on a goroutine stack") {
  deepresult = 0;
  int n = testing::runMain([] {
    gol_newproc(recurse, nullptr, 0);
    while (deepresult == 0) gol_runtime_Gosched();
  });
  CHECK(n == 0);
  CHECK(deepresult == 1000 * 1001 / 2);
}
