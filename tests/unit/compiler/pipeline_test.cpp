// The optimisation pipeline golc builds (compiler/codegen.cpp): which LLVM passes each -O level
// runs, seen in the IR they leave.
#include <doctest/doctest.h>

#include <string>

#include "ir_test_util.h"

namespace {

using gol::test::has;
using gol::test::ir;

// Two neighbouring fields updated with the same operations: the SLP vectoriser's pattern. The
// slice's length comes from os.Args so that nothing is constant-folded away.
const char* kPairs = R"(package main

import "os"

type vec struct{ x, y float64 }

func step(vs []vec, d float64) {
	for i := range vs {
		vs[i].x = vs[i].x*d + 1
		vs[i].y = vs[i].y*d + 1
	}
}

func main() {
	vs := make([]vec, len(os.Args)+5)
	step(vs, 0.5)
	println(vs[0].x)
}
)";

}  // namespace

TEST_CASE("pipeline: -O2 runs the SLP vectoriser, as clang's -O2 does") {
  CHECK(has(ir(kPairs, 2), "fmul <2 x double>"));
}

TEST_CASE("pipeline: -O1 leaves straight-line code scalar") {
  std::string code = ir(kPairs, 1);
  CHECK_FALSE(has(code, "<2 x double>"));
  CHECK(has(code, "fmul double"));
}
