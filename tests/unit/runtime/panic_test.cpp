// panic_test.cpp: how Gol programs die (runtime/panic.cpp): Go's first line, exit status 2.
// Each case dies in a forked child whose stderr goes to a pipe.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "runtime/abi.h"
#include "runtime/runtime.h"
#include "runtime/typedesc.h"

namespace {

struct death {
  int status = -1;
  std::string err;
};

death runDying(void (*fn)()) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::fflush(nullptr);  // the child's exit flushes stdio: do not let it repeat our output
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    fn();
    _exit(0);
  }
  close(fds[1]);
  death d;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) d.err.append(buf, size_t(n));
  close(fds[0]);
  int ws = 0;
  waitpid(pid, &ws, 0);
  d.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  return d;
}

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

TEST_CASE("panic: runtime errors print Go's message and exit 2") {
  death d = runDying([] { gol_panicIndex(5, 3); });
  CHECK(d.status == 2);
  CHECK(firstLine(d.err) == "panic: runtime error: index out of range [5] with length 3");

  CHECK(firstLine(runDying([] { gol_panicdivide(); }).err) == "panic: runtime error: integer divide by zero");
  CHECK(firstLine(runDying([] { gol_panicshift(); }).err) == "panic: runtime error: negative shift amount");
  CHECK(firstLine(runDying([] { gol_panicmem(); }).err) ==
        "panic: runtime error: invalid memory address or nil pointer dereference");
  CHECK(firstLine(runDying([] { gol_panicSliceAlen(4, 2); }).err) ==
        "panic: runtime error: slice bounds out of range [:4] with length 2");
  CHECK(firstLine(runDying([] { gol_panicSliceAcap(9, 8); }).err) ==
        "panic: runtime error: slice bounds out of range [:9] with capacity 8");
  CHECK(firstLine(runDying([] { gol_panicSliceB(3, 1); }).err) ==
        "panic: runtime error: slice bounds out of range [3:1]");
  CHECK(firstLine(runDying([] { gol_panicstring(reinterpret_cast<const uint8_t*>("boom"), 4); }).err) ==
        "panic: boom");
}

TEST_CASE("panic: make and append report out-of-range sizes as Go does") {
  CHECK(firstLine(runDying([] { gol_makeslice(nullptr, 8, -1, 5); }).err) ==
        "panic: runtime error: makeslice: len out of range");
  CHECK(firstLine(runDying([] { gol_makeslice(nullptr, 8, 5, 3); }).err) ==
        "panic: runtime error: makeslice: cap out of range");
  CHECK(firstLine(runDying([] { gol_makeslice(nullptr, 8, int64_t(1) << 60, int64_t(1) << 60); }).err) ==
        "panic: runtime error: makeslice: len out of range");
  death d = runDying([] { gol_growslice(nullptr, int64_t(1) << 60, 0, int64_t(1) << 60, nullptr, 8); });
  CHECK(d.status == 2);
  CHECK(firstLine(d.err) == "panic: runtime error: growslice: cap out of range");
}

namespace {
gol_type named(const char* name) {
  gol_type t{};
  t.name = name;
  return t;
}
const gol_type tString = named("string"), tInt = named("int"), tEface = named("interface {}"),
               tT = named("main.T"), tI = named("main.I"), tSlice = named("[]int");
}  // namespace

TEST_CASE("panic: failed type assertions and uncomparable == print Go's messages") {
  CHECK(firstLine(runDying([] { gol_panicdottypeE(&tString, &tInt, &tEface); }).err) ==
        "panic: interface conversion: interface {} is string, not int");
  CHECK(firstLine(runDying([] { gol_panicdottypeE(nullptr, &tT, &tEface); }).err) ==
        "panic: interface conversion: interface {} is nil, not main.T");
  CHECK(firstLine(runDying([] { gol_panicdottypeI(&tT, &tI, &tEface, "M"); }).err) ==
        "panic: interface conversion: main.T is not main.I: missing method M");
  CHECK(firstLine(runDying([] { gol_panicdottypeI(nullptr, &tI, &tEface, nullptr); }).err) ==
        "panic: interface conversion: interface is nil, not main.I");
  death d = runDying([] { gol_panicuncomparable(&tSlice); });
  CHECK(d.status == 2);
  CHECK(firstLine(d.err) == "panic: runtime error: comparing uncomparable type []int");
}

TEST_CASE("panic: gothrow prints `fatal error:` and exits 2") {
  death d = runDying([] { gol::rt::gothrow("something broke"); });
  CHECK(d.status == 2);
  CHECK(firstLine(d.err) == "fatal error: something broke");
}

TEST_CASE("panic: GOL_ASSERT prints the runtime: detail line before the fatal error") {
  death d = runDying([] {
    int x = 3;
    GOL_ASSERT(x == 4, "test: x is not 4", " (x=", x, ")");
  });
  CHECK(d.status == 2);
  CHECK(d.err.rfind("runtime: test: x is not 4 (x=3)\nfatal error: test: x is not 4\n", 0) == 0);
}

namespace {
// Descriptors for gol_gopanic's values (only kind and name matter to printpanicval).
gol_type desc(uint8_t kind, const char* name, int64_t size) {
  gol_type t{};
  t.size = size;
  t.align = 8;
  t.fieldAlign = 8;
  t.kind = kind;
  t.name = name;
  return t;
}
}  // namespace

TEST_CASE("panic: gol_gopanic prints values as Go's printpanicval") {
  using namespace gol::rt;
  CHECK(firstLine(runDying([] {
          static gol_type t = desc(KindInt, "int", 8);
          static int64_t v = 42;
          gol_gopanic(&t, &v);
        }).err) == "panic: 42");
  CHECK(firstLine(runDying([] {
          static gol_type t = desc(KindInt, "main.code", 8);
          static int64_t v = -7;
          gol_gopanic(&t, &v);
        }).err) == "panic: main.code(-7)");
  CHECK(firstLine(runDying([] {
          static gol_type t = desc(KindString, "main.reason", 16);
          static GoString v{reinterpret_cast<const uint8_t*>("gone"), 4};
          gol_gopanic(&t, &v);
        }).err) == "panic: main.reason(\"gone\")");
  CHECK(firstLine(runDying([] {
          static gol_type t = desc(KindBool, "bool", 1);
          static bool v = true;
          gol_gopanic(&t, &v);
        }).err) == "panic: true");
  CHECK(firstLine(runDying([] {
          static gol_type t = desc(KindFloat64, "float64", 8);
          static double v = 2.5;
          gol_gopanic(&t, &v);
        }).err) == "panic: +2.500000e+000");
  CHECK(firstLine(runDying([] { gol_gopanic(nullptr, nullptr); }).err) == "panic: nil");
  std::string s = firstLine(runDying([] {
                    static gol_type t = desc(KindStruct, "main.pair", 16);
                    static int64_t v[2] = {1, 2};
                    gol_gopanic(&t, v);
                  }).err);
  CHECK(s.rfind("panic: (main.pair) 0x", 0) == 0);
}
