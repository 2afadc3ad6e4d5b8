// slice_test.cpp: make, append growth and string/slice conversions (runtime/slice.cpp,
// runtime/string.cpp). Capacities are what Go 1.19 prints for the same operations.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/runtime.h"

namespace {

// The capacities a slice of elemsize-byte elements goes through when appending one at a
// time up to n elements.
std::vector<int64_t> growth(int64_t elemsize, int64_t n) {
  std::vector<int64_t> caps;
  GoSlice s{nullptr, 0, 0};
  for (int64_t i = 0; i < n; i++) {
    if (s.len == s.cap) {
      s = gol_growslice(s.ptr, s.len + 1, s.cap, 1, nullptr, elemsize);
      caps.push_back(s.cap);
    } else {
      s.len++;
    }
  }
  return caps;
}

std::string str(GoString s) { return std::string(reinterpret_cast<const char*>(s.ptr), size_t(s.len)); }
const uint8_t* u8(const char* s) { return reinterpret_cast<const uint8_t*>(s); }

}  // namespace

TEST_CASE("slice: append grows capacity exactly as Go does") {
  CHECK(growth(8, 5000) == std::vector<int64_t>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 848, 1280, 1792, 2560, 3408, 5120});
  CHECK(growth(1, 5000) == std::vector<int64_t>{8, 16, 32, 64, 128, 256, 512, 896, 1408, 2048, 3072, 4096, 5376});
  CHECK(growth(24, 300) == std::vector<int64_t>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512});
}

TEST_CASE("slice: growslice keeps the old elements and zeroes the rest") {
  int64_t* old = static_cast<int64_t*>(gol_makeslice(nullptr, 8, 3, 5));
  for (int i = 0; i < 3; i++) old[i] = i + 1;
  GoSlice s = gol_growslice(old, 6, 5, 3, nullptr, 8);  // append(make([]int, 3, 5), 1, 2, 3)
  CHECK(s.len == 6);
  CHECK(s.cap == 10);
  auto* e = static_cast<int64_t*>(s.ptr);
  CHECK((e[0] == 1 && e[1] == 2 && e[2] == 3));
  for (int i = 3; i < 10; i++) CHECK(e[i] == 0);
  uint8_t five[5] = {};
  CHECK(gol_growslice(five, 25, 5, 20, nullptr, 1).cap == 32);  // append(make([]byte, 5), 20 more...)
  GoSlice z = gol_growslice(nullptr, 4, 0, 4, nullptr, 0);  // zero-sized elements
  CHECK((z.ptr != nullptr && z.len == 4 && z.cap == 4));
}

TEST_CASE("slice: makeslice returns zeroed memory") {
  auto* p = static_cast<uint8_t*>(gol_makeslice(nullptr, 4, 10, 10));
  for (int i = 0; i < 40; i++) REQUIRE(p[i] == 0);
  CHECK(gol_makeslice(nullptr, 8, 0, 0) != nullptr);
  CHECK(gol::rt::roundupsize(33000) == 40960);  // beyond the size classes: whole 8 KiB pages
}

TEST_CASE("string: byte and rune slice conversions round-trip with Go's capacities") {
  GoSlice b = gol_stringtoslicebyte(u8("abc"), 3);
  CHECK((b.len == 3 && b.cap == 8));
  CHECK(std::memcmp(b.ptr, "abc", 3) == 0);
  CHECK(str(gol_slicebytetostring(static_cast<uint8_t*>(b.ptr), b.len)) == "abc");
  GoSlice empty = gol_stringtoslicebyte(u8(""), 0);
  CHECK((empty.ptr != nullptr && empty.len == 0 && empty.cap == 0));

  GoSlice r = gol_stringtoslicerune(u8("h\xC3\xA9llo"), 6);  // "héllo"
  CHECK((r.len == 5 && r.cap == 6));
  auto* runes = static_cast<int32_t*>(r.ptr);
  CHECK((runes[0] == 'h' && runes[1] == 0xE9 && runes[4] == 'o'));
  CHECK(str(gol_slicerunetostring(runes, r.len)) == "h\xC3\xA9llo");
  int32_t bad[] = {0x41, -1, 0xD800, 0x1F600};
  CHECK(str(gol_slicerunetostring(bad, 4)) == "A\xEF\xBF\xBD\xEF\xBF\xBD\xF0\x9F\x98\x80");
}

TEST_CASE("string: decoderune decodes UTF-8 and turns every invalid byte into U+FFFD") {
  auto dec = [](const char* s, int64_t k) { return gol_decoderune(u8(s), int64_t(std::strlen(s)), k); };
  CHECK(dec("\xC3\xA9x", 0).rune == 0xE9);
  CHECK(dec("\xC3\xA9x", 0).pos == 2);
  CHECK(dec("\xE2\x82\xAC", 0).rune == 0x20AC);
  CHECK(dec("\xF0\x9F\x98\x80", 0).pos == 4);
  CHECK(dec("\xC3", 0).rune == 0xFFFD);           // truncated
  CHECK(dec("\xC0\x80", 0).rune == 0xFFFD);       // overlong
  CHECK(dec("\xED\xA0\x80", 0).rune == 0xFFFD);   // surrogate
  CHECK(dec("\xF4\x90\x80\x80", 0).rune == 0xFFFD);  // beyond U+10FFFF
  CHECK(dec("\xFF", 0).pos == 1);
}
