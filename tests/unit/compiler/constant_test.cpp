// constant_test.cpp: exact constant arithmetic (constant.cpp): bigints, rationals, rounding to
// float32/float64, literals and Go's formatting of values in messages.
#include <doctest/doctest.h>

#include "constant_impl.h"

using namespace gol;

static ConstVal lit(Tok k, const char* text) {
  std::string err;
  ConstVal v = ConstVal::fromLiteral(k, text, err);
  REQUIRE_MESSAGE(v.kind() != ConstValue::Kind::Unknown, err);
  return v;
}

// An integer; a leading '-' negates (literals themselves are never negative).
static ConstVal I(const char* s) {
  if (s[0] == '-') return ConstVal::unaryOp(Tok::Sub, lit(Tok::Int, s + 1), 0);
  return lit(Tok::Int, s);
}
static ConstVal F(const char* s) { return lit(Tok::Float, s); }

TEST_CASE("constant: 1 << 100 >> 98 is exactly 4") {
  ConstVal v = ConstVal::shift(ConstVal::shift(I("1"), Tok::Shl, 100), Tok::Shr, 98);
  CHECK(v.kind() == ConstValue::Kind::Int);
  CHECK(v.int64Val() == 4);
  CHECK(ConstVal::shift(I("1"), Tok::Shl, 100).toString() == "1267650600228229401496703205376");
}

TEST_CASE("constant: big multiplication and division are exact") {
  ConstVal m = ConstVal::binaryOp(I("18446744073709551615"), Tok::Mul, I("18446744073709551615"), false);
  CHECK(m.toString() == "340282366920938463426481119284349108225");
  ConstVal q = ConstVal::binaryOp(m, Tok::Quo, I("18446744073709551615"), true);
  CHECK(q.toString() == "18446744073709551615");
  CHECK(q.intVal().fitsUint64());
  CHECK_FALSE(q.intVal().fitsInt64());
  CHECK(q.uint64Val() == UINT64_MAX);
  ConstVal r = ConstVal::binaryOp(I("1000000000000000000000000000007"), Tok::Rem, I("1000000000000"), true);
  CHECK(r.toString() == "7");
}

TEST_CASE("constant: integer division truncates toward zero, as Go's") {
  CHECK(ConstVal::binaryOp(I("-7"), Tok::Quo, I("2"), true).int64Val() == -3);
  CHECK(ConstVal::binaryOp(I("-7"), Tok::Rem, I("2"), true).int64Val() == -1);
  CHECK(ConstVal::binaryOp(I("7"), Tok::Rem, I("-2"), true).int64Val() == 1);
}

TEST_CASE("constant: untyped float arithmetic is exact rational arithmetic") {
  ConstVal third = ConstVal::binaryOp(I("1"), Tok::Quo, F("3.0"), false);
  ConstVal one = ConstVal::binaryOp(third, Tok::Mul, I("3"), false);
  CHECK(ConstVal::compare(one, Tok::Eql, I("1")));
  CHECK(one.isIntegral());
  ConstVal tenth = F("0.1");
  ConstVal sum = ConstVal::binaryOp(tenth, Tok::Add, F("0.2"), false);
  CHECK(ConstVal::compare(sum, Tok::Eql, F("0.3")));  // exact, unlike float64
  CHECK(F("1e100").toString() == "1e+100");
  CHECK(F("0.1").toString() == "0.1");
  CHECK(F("1.0").toString() == "1");
  CHECK(F("2.5").toString() == "2.5");
  CHECK(F("0x1p-2").float64Val() == 0.25);
}

TEST_CASE("constant: conversion to float64 and float32 rounds once, to nearest even") {
  CHECK(F("0.1").float64Val() == 0.1);
  CHECK(F("0.1").float32Val() == 0.1f);
  CHECK(F("1e308").float64Val() == 1e308);
  CHECK(I("9007199254740993").float64Val() == 9007199254740992.0);  // 2^53+1 ties to even
  Rat out;
  double d;
  CHECK_FALSE(roundRat(F("1e309").ratVal(), 53, -1074, 1024, out, &d));  // overflows float64
  CHECK(roundRat(F("4.9e-324").ratVal(), 53, -1074, 1024, out, &d));
  CHECK(d == 4.9e-324);
  CHECK_FALSE(roundRat(F("3.5e38").ratVal(), 24, -149, 128, out, &d));  // overflows float32
}

TEST_CASE("constant: int64 conversions and bounds") {
  CHECK(I("9223372036854775807").intVal().fitsInt64());
  CHECK_FALSE(I("9223372036854775808").intVal().fitsInt64());
  ConstVal minInt = ConstVal::unaryOp(Tok::Sub, I("9223372036854775808"), 0);
  CHECK(minInt.intVal().fitsInt64());
  CHECK(minInt.int64Val() == INT64_MIN);
  CHECK(ConstVal::unaryOp(Tok::Xor, I("0"), 8).int64Val() == 255);  // ^uint8(0)
  CHECK(ConstVal::unaryOp(Tok::Xor, I("5"), 0).int64Val() == -6);
}

TEST_CASE("constant: bitwise operations on negative values use two's complement") {
  CHECK(ConstVal::binaryOp(I("-1"), Tok::And, I("255"), false).int64Val() == 255);
  CHECK(ConstVal::binaryOp(I("-8"), Tok::Or, I("3"), false).int64Val() == -5);
  CHECK(ConstVal::binaryOp(I("-1"), Tok::Xor, I("1"), false).int64Val() == -2);
  CHECK(ConstVal::binaryOp(I("15"), Tok::AndNot, I("-4"), false).int64Val() == 3);
  CHECK(ConstVal::shift(I("-5"), Tok::Shr, 1).int64Val() == -3);  // floor, like big.Int.Rsh
}

TEST_CASE("constant: literals in every base, runes and strings") {
  CHECK(I("0x_FF").int64Val() == 255);
  CHECK(I("0o17").int64Val() == 15);
  CHECK(I("017").int64Val() == 15);
  CHECK(I("0b1010").int64Val() == 10);
  CHECK(I("1_000_000").int64Val() == 1000000);
  CHECK(lit(Tok::Char, "'a'").int64Val() == 97);
  CHECK(lit(Tok::Char, "'\\n'").int64Val() == 10);
  CHECK(lit(Tok::Char, "'\\u00e9'").int64Val() == 0xe9);
  CHECK(lit(Tok::Char, "'é'").int64Val() == 0xe9);
  CHECK(lit(Tok::String, "\"a\\tb\\x41\\u00e9\"").stringVal() == "a\tbA\xc3\xa9");
  CHECK(lit(Tok::String, "`a\\n`").stringVal() == "a\\n");
  CHECK(lit(Tok::String, "\"a\\\"b\"").toString() == "\"a\\\"b\"");
}

TEST_CASE("constant: long strings are shortened in messages as go/constant does") {
  std::string s(100, 'x');
  ConstVal v = ConstVal::makeString(s);
  std::string m = v.toString();
  CHECK(m.size() == 72);
  CHECK(m.substr(m.size() - 3) == "...");
}
