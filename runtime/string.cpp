// string.cpp: string operations compiled code calls (Go's string.go). A Gol string is
// {ptr, len} (abi.h); its bytes are immutable, so strings share bytes freely.
#include <cstring>

#include "abi.h"
#include "runtime.h"
#include "typedesc.h"

namespace gol::rt {

int64_t atoi(const char* s) {
  if (s == nullptr || *s == 0) return 0;
  int64_t n = 0;
  for (; *s != 0; s++) {
    if (*s < '0' || *s > '9') return 0;
    if (n > (INT64_MAX - 9) / 10) return 0;  // overflow: treat as malformed
    n = n * 10 + (*s - '0');
  }
  return n;
}

}  // namespace gol::rt

using namespace gol::rt;

// The result is always a fresh copy, even when only one part is non-empty: Go returns that
// part itself unless it lives on the stack, and Gol cannot tell yet where bytes live.
extern "C" GoString gol_concatstrings(const GoString* parts, int64_t n) {
  uint64_t total = 0;
  for (int64_t i = 0; i < n; i++) {
    total += uint64_t(parts[i].len);
    if (total > uint64_t(INT64_MAX)) gothrow("string concatenation too long");
  }
  if (total == 0) return GoString{nullptr, 0};
  auto* buf = static_cast<uint8_t*>(mallocgc(total, &gol_type_noscan, false));
  uint8_t* q = buf;
  for (int64_t i = 0; i < n; i++) {
    if (parts[i].len == 0) continue;
    std::memcpy(q, parts[i].ptr, size_t(parts[i].len));
    q += parts[i].len;
  }
  return GoString{buf, int64_t(total)};
}

// Byte-wise comparison, shorter first on a common prefix: -1, 0 or +1.
extern "C" int64_t gol_cmpstring(const uint8_t* a, int64_t alen, const uint8_t* b, int64_t blen) {
  int64_t l = alen < blen ? alen : blen;
  if (l > 0 && a != b) {
    int c = std::memcmp(a, b, size_t(l));
    if (c != 0) return c < 0 ? -1 : +1;
  }
  if (alen < blen) return -1;
  if (alen > blen) return +1;
  return 0;
}

// ---- conversions between strings and byte/rune slices (Go's string.go) ----

namespace gol::rt {
namespace {

constexpr int32_t runeError = 0xFFFD;

// UTF-8 of r into b (at least 4 bytes); returns the length. Invalid runes become U+FFFD.
int encoderune(uint8_t* b, int64_t r) {
  if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = runeError;
  auto v = uint32_t(r);
  if (v < 0x80) {
    b[0] = uint8_t(v);
    return 1;
  }
  if (v < 0x800) {
    b[0] = uint8_t(0xC0 | v >> 6);
    b[1] = uint8_t(0x80 | (v & 0x3F));
    return 2;
  }
  if (v < 0x10000) {
    b[0] = uint8_t(0xE0 | v >> 12);
    b[1] = uint8_t(0x80 | (v >> 6 & 0x3F));
    b[2] = uint8_t(0x80 | (v & 0x3F));
    return 3;
  }
  b[0] = uint8_t(0xF0 | v >> 18);
  b[1] = uint8_t(0x80 | (v >> 12 & 0x3F));
  b[2] = uint8_t(0x80 | (v >> 6 & 0x3F));
  b[3] = uint8_t(0x80 | (v & 0x3F));
  return 4;
}

// The rune starting at s[k] and the index after it. An invalid or truncated encoding, an
// overlong form or a surrogate decodes as (U+FFFD, k+1), as Go's decoderune.
GoRuneAndPos decoderune(const uint8_t* s, int64_t n, int64_t k) {
  uint8_t c0 = s[k];
  if (c0 < 0x80) return {c0, k + 1};
  auto cont = [&](int64_t i) { return i < n && (s[i] & 0xC0) == 0x80; };
  if (c0 >= 0xC2 && c0 <= 0xDF && cont(k + 1)) return {int32_t(c0 & 0x1F) << 6 | (s[k + 1] & 0x3F), k + 2};
  if (c0 >= 0xE0 && c0 <= 0xEF && cont(k + 1) && cont(k + 2)) {
    int32_t r = int32_t(c0 & 0x0F) << 12 | int32_t(s[k + 1] & 0x3F) << 6 | (s[k + 2] & 0x3F);
    if (r >= 0x800 && !(r >= 0xD800 && r <= 0xDFFF)) return {r, k + 3};
  }
  if (c0 >= 0xF0 && c0 <= 0xF4 && cont(k + 1) && cont(k + 2) && cont(k + 3)) {
    int32_t r = int32_t(c0 & 0x07) << 18 | int32_t(s[k + 1] & 0x3F) << 12 | int32_t(s[k + 2] & 0x3F) << 6 |
                (s[k + 3] & 0x3F);
    if (r >= 0x10000 && r <= 0x10FFFF) return {r, k + 4};
  }
  return {runeError, k + 1};
}

GoString newstring(const uint8_t* p, int64_t n) {
  if (n == 0) return GoString{nullptr, 0};
  auto* buf = static_cast<uint8_t*>(mallocgc(uintptr_t(n), &gol_type_noscan, false));
  std::memcpy(buf, p, size_t(n));
  return GoString{buf, n};
}

}  // namespace
}  // namespace gol::rt

extern "C" GoString gol_slicebytetostring(const uint8_t* p, int64_t n) { return newstring(p, n); }

// The capacity is the allocator's size for n bytes, as Go's rawbyteslice gives: cap of
// []byte(s) with len(s) == 3 is 8. An empty result is non-nil.
extern "C" GoSlice gol_stringtoslicebyte(const uint8_t* p, int64_t n) {
  uintptr_t cap = roundupsize(uintptr_t(n));
  auto* buf = static_cast<uint8_t*>(mallocgc(cap, &gol_type_noscan, true));
  if (n > 0) std::memcpy(buf, p, size_t(n));
  return GoSlice{buf, n, int64_t(cap)};
}

extern "C" GoString gol_slicerunetostring(const int32_t* p, int64_t n) {
  uint8_t tmp[4];
  int64_t size = 0;
  for (int64_t i = 0; i < n; i++) size += encoderune(tmp, p[i]);
  if (size == 0) return GoString{nullptr, 0};
  auto* buf = static_cast<uint8_t*>(mallocgc(uintptr_t(size), &gol_type_noscan, false));
  int64_t at = 0;
  for (int64_t i = 0; i < n; i++) at += encoderune(buf + at, p[i]);
  return GoString{buf, size};
}

extern "C" GoSlice gol_stringtoslicerune(const uint8_t* p, int64_t n) {
  int64_t count = 0;
  for (int64_t k = 0; k < n; count++) k = decoderune(p, n, k).pos;
  uintptr_t mem = roundupsize(uintptr_t(count) * sizeof(int32_t));
  auto* runes = static_cast<int32_t*>(mallocgc(mem, &gol_type_noscan, true));
  int64_t i = 0;
  for (int64_t k = 0; k < n; i++) {
    GoRuneAndPos rp = decoderune(p, n, k);
    runes[i] = rp.rune;
    k = rp.pos;
  }
  return GoSlice{runes, count, int64_t(mem / sizeof(int32_t))};
}

extern "C" GoRuneAndPos gol_decoderune(const uint8_t* p, int64_t n, int64_t k) { return decoderune(p, n, k); }

// string(rune(v)): v's UTF-8 encoding; U+FFFD for a negative value, a surrogate half or
// anything beyond U+10FFFF (Go's intstring).
extern "C" GoString gol_intstring(int64_t v) {
  uint8_t b[4];
  return newstring(b, encoderune(b, v));
}
