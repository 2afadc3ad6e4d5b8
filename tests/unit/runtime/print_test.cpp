// print_test.cpp: the print builtins (runtime/print.cpp) against Go 1.19's output.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>

#include "runtime/abi.h"
#include "runtime/runtime.h"

namespace {

// Runs fn with fd 2 redirected to a temporary file and returns what it wrote.
std::string captureStderr(const std::function<void()>& fn) {
  std::FILE* tmp = std::tmpfile();
  REQUIRE(tmp != nullptr);
  int saved = dup(2);
  dup2(fileno(tmp), 2);
  fn();
  dup2(saved, 2);
  close(saved);
  std::string out;
  std::rewind(tmp);
  for (int c; (c = std::fgetc(tmp)) != EOF;) out += char(c);
  std::fclose(tmp);
  return out;
}

std::string pf(double v) {
  return captureStderr([v] { gol_printfloat(v); });
}

}  // namespace

TEST_CASE("print: floats use Go's +d.dddddde+ddd format") {
  // Each expectation is what `println(x)` prints with Go 1.19.
  CHECK(pf(1.5) == "+1.500000e+000");
  CHECK(pf(0.1) == "+1.000000e-001");
  CHECK(pf(100.0) == "+1.000000e+002");
  CHECK(pf(-2.5) == "-2.500000e+000");
  CHECK(pf(1e100) == "+1.000000e+100");
  CHECK(pf(123456789.0) == "+1.234568e+008");
  CHECK(pf(0.0) == "+0.000000e+000");
  CHECK(pf(-0.0) == "-0.000000e+000");
  CHECK(pf(1e-300) == "+1.000000e-300");
  CHECK(pf(5e-324) == "+4.940656e-324");
  CHECK(pf(std::numeric_limits<double>::max()) == "+1.797693e+308");
  CHECK(pf(0.3) == "+3.000000e-001");
  CHECK(pf(2.0 / 3.0) == "+6.666667e-001");
  CHECK(pf(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(pf(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(pf(std::nan("")) == "NaN");
}

TEST_CASE("print: integers, bools, pointers, strings and separators") {
  std::string out = captureStderr([] {
    gol_printlock();
    gol_printbool(true);
    gol_printsp();
    gol_printbool(false);
    gol_printsp();
    gol_printint(std::numeric_limits<int64_t>::min());
    gol_printsp();
    gol_printint(0);
    gol_printsp();
    gol_printuint(std::numeric_limits<uint64_t>::max());
    gol_printsp();
    gol_printpointer(nullptr);
    gol_printsp();
    gol_printpointer(reinterpret_cast<void*>(0xc000012345));
    gol_printsp();
    gol_printstring(reinterpret_cast<const uint8_t*>("héllo"), 6);
    gol_printnl();
    gol_printunlock();
  });
  CHECK(out == "true false -9223372036854775808 0 18446744073709551615 0x0 0xc000012345 héllo\n");
}

TEST_CASE("print: printlock is recursive on one M") {
  std::string out = captureStderr([] {
    gol_printlock();
    gol::rt::print("a", int64_t(1));  // takes printlock again inside
    gol_printunlock();
  });
  CHECK(out == "a1");
}
