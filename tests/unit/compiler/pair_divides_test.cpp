// The division pairing of compiler/pair_divides.cpp: which loops of an optimised program get
// two-lane divisions and square roots, and which must keep one at a time.
#include <doctest/doctest.h>

#include <string>

#include "ir_test_util.h"

namespace {

using gol::test::has;
using gol::test::ir;

// Sizes come from len(os.Args), so that no loop has a trip count the optimiser knows.
const char* kRow = R"(package main

import "os"

func row(v []float64, i int) float64 {
	s := 0.0
	for j, x := range v {
		s += 1.0 / float64((i+j)*(i+j+1)/2+i+1) * x
	}
	return s
}

func main() {
	v := make([]float64, len(os.Args)+100)
	v32 := make([]float32, len(os.Args)+100)
	println(row(v, 3), row32(v32, 3))
}

func row32(v []float32, i int) float32 {
	var s float32
	for j, x := range v {
		s += float32(1) / float32(i+j+1) * x
	}
	return s
}
)";

}  // namespace

TEST_CASE("pair divides: an ordered sum of independent float64 divisions divides two lanes at a time at -O2") {
  std::string code = ir(kRow, 2);
  CHECK(has(code, "fdiv <2 x double> <double 1.000000e+00, double 1.000000e+00>"));
  // float32 is left alone (pair_divides.cpp says why).
  CHECK_FALSE(has(code, "fdiv <2 x float>"));
  CHECK(has(code, "fdiv float 1.000000e+00"));
  // The odd last iteration is the unroller's remainder, with one scalar division.
  CHECK(has(code, "fdiv double 1.000000e+00"));
}

TEST_CASE("pair divides: -O1 keeps the pipeline without the pairing") {
  std::string code = ir(kRow, 1);
  CHECK_FALSE(has(code, "fdiv <2 x"));
  CHECK(has(code, "fdiv double"));
}

TEST_CASE("pair divides: square roots pair like divisions") {
  std::string code = ir(R"(package main

import (
	"math"
	"os"
)

func roots(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += math.Sqrt(v)
	}
	return s
}

func main() {
	println(roots(make([]float64, len(os.Args)+100)))
}
)",
                        2);
  CHECK(has(code, "@llvm.sqrt.v2f64("));
}

TEST_CASE("pair divides: a division of the value carried around the loop stays scalar") {
  std::string code = ir(R"(package main

import "os"

func continued(v []float64) float64 {
	x := 1.0
	for _, a := range v {
		x = 1 / (a + x)
	}
	return x
}

func main() {
	println(continued(make([]float64, len(os.Args)+100)))
}
)",
                        2);
  CHECK_FALSE(has(code, "fdiv <2 x"));
  CHECK(has(code, "fdiv double"));
}

TEST_CASE("pair divides: a load is not moved above a store that may write it") {
  // Each iteration's dividend may be the previous iteration's quotient (dst and src may
  // overlap), so the two divisions of the unrolled body cannot be issued together.
  std::string code = ir(R"(package main

import "os"

func divInto(dst, src []float64, by float64) {
	for k := range dst {
		dst[k] = 1 / (src[k] + by)
	}
}

func main() {
	b := make([]float64, len(os.Args)+100)
	divInto(b[1:], b[:len(b)-1], 2)
	println(b[9])
}
)",
                        2);
  // The loop vectoriser may still divide two lanes in its own loop, which checks for overlap
  // at run time; the scalar loop it falls back to must stay scalar.
  CHECK(has(code, "fdiv double"));
  CHECK_FALSE(has(code, ".pair"));
}
