// string.cpp: string operations compiled code calls (Go's string.go). A Gol string is
// {ptr, len} (abi.h); its bytes are immutable, so strings share bytes freely.
#include <cstring>

#include "abi.h"
#include "runtime.h"

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
  auto* buf = static_cast<uint8_t*>(mallocgc(total, nullptr, false));
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

// string(rune(v)): v's UTF-8 encoding; U+FFFD for a negative value, a surrogate half or
// anything beyond U+10FFFF (Go's encoderune).
extern "C" GoString gol_intstring(int64_t v) {
  if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) v = 0xFFFD;
  uint8_t b[4];
  int64_t n;
  auto r = uint32_t(v);
  if (r < 0x80) {
    b[0] = uint8_t(r);
    n = 1;
  } else if (r < 0x800) {
    b[0] = uint8_t(0xC0 | r >> 6);
    b[1] = uint8_t(0x80 | (r & 0x3F));
    n = 2;
  } else if (r < 0x10000) {
    b[0] = uint8_t(0xE0 | r >> 12);
    b[1] = uint8_t(0x80 | (r >> 6 & 0x3F));
    b[2] = uint8_t(0x80 | (r & 0x3F));
    n = 3;
  } else {
    b[0] = uint8_t(0xF0 | r >> 18);
    b[1] = uint8_t(0x80 | (r >> 12 & 0x3F));
    b[2] = uint8_t(0x80 | (r >> 6 & 0x3F));
    b[3] = uint8_t(0x80 | (r & 0x3F));
    n = 4;
  }
  auto* buf = static_cast<uint8_t*>(mallocgc(uintptr_t(n), nullptr, false));
  std::memcpy(buf, b, size_t(n));
  return GoString{buf, n};
}
