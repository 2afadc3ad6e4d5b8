// string_test.cpp: string concatenation and comparison (runtime/string.cpp).
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "runtime/abi.h"
#include "runtime/runtime.h"

namespace {
GoString gs(const char* s) { return GoString{reinterpret_cast<const uint8_t*>(s), int64_t(std::strlen(s))}; }
std::string str(GoString s) { return std::string(reinterpret_cast<const char*>(s.ptr), size_t(s.len)); }
int64_t cmp(const char* a, const char* b) {
  GoString x = gs(a), y = gs(b);
  return gol_cmpstring(x.ptr, x.len, y.ptr, y.len);
}
}  // namespace

TEST_CASE("string: concatstrings joins all parts into a fresh string") {
  GoString parts[] = {gs("go"), gs(""), gs("l"), gs(" rocks")};
  GoString r = gol_concatstrings(parts, 4);
  CHECK(str(r) == "gol rocks");
  GoString one[] = {gs(""), gs("x")};
  GoString r1 = gol_concatstrings(one, 2);
  CHECK(str(r1) == "x");
  CHECK(r1.ptr != one[1].ptr);
  GoString none[] = {gs(""), gs("")};
  CHECK(gol_concatstrings(none, 2).len == 0);
}

TEST_CASE("string: cmpstring orders bytewise, shorter first on a common prefix") {
  CHECK(cmp("a", "b") == -1);
  CHECK(cmp("b", "a") == +1);
  CHECK(cmp("abc", "abc") == 0);
  CHECK(cmp("ab", "abc") == -1);
  CHECK(cmp("abc", "ab") == +1);
  CHECK(cmp("", "") == 0);
  CHECK(cmp("\xff", "a") == +1);  // bytes compare unsigned
}

TEST_CASE("string: atoi reads GOMAXPROCS-style decimals and rejects the rest") {
  CHECK(gol::rt::atoi("8") == 8);
  CHECK(gol::rt::atoi("0") == 0);
  CHECK(gol::rt::atoi("") == 0);
  CHECK(gol::rt::atoi(nullptr) == 0);
  CHECK(gol::rt::atoi("4x") == 0);
  CHECK(gol::rt::atoi("-3") == 0);
  CHECK(gol::rt::atoi("99999999999999999999") == 0);
}

TEST_CASE("malloc: mallocgc zeroes on request and gives size 0 a non-nil address") {
  auto* p = static_cast<uint8_t*>(gol_mallocgc(64, nullptr, true));
  for (int i = 0; i < 64; i++) REQUIRE(p[i] == 0);
  CHECK(gol_mallocgc(0, nullptr, true) != nullptr);
  CHECK(gol_mallocgc(0, nullptr, true) == gol_mallocgc(0, nullptr, false));
}

TEST_CASE("string: intstring encodes a rune as UTF-8, and invalid runes as U+FFFD") {
  CHECK(str(gol_intstring('A')) == "A");
  CHECK(str(gol_intstring(0xE9)) == "\xC3\xA9");
  CHECK(str(gol_intstring(0x20AC)) == "\xE2\x82\xAC");
  CHECK(str(gol_intstring(0x1F600)) == "\xF0\x9F\x98\x80");
  CHECK(str(gol_intstring(0x10FFFF)) == "\xF4\x8F\xBF\xBF");
  CHECK(str(gol_intstring(-1)) == "\xEF\xBF\xBD");
  CHECK(str(gol_intstring(0xD800)) == "\xEF\xBF\xBD");
  CHECK(str(gol_intstring(0x110000)) == "\xEF\xBF\xBD");
  CHECK(str(gol_intstring(int64_t(1) << 40)) == "\xEF\xBF\xBD");
}
