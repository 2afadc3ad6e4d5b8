// ftoa_native.cpp: strconv.FormatFloat (Go's 'e', 'E', 'f', 'g', 'G' formats, shortest when
// prec < 0), over the C library's correctly rounded printf and strtod.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/abi.h"

namespace {
int max0(int a, int b) { return a > b ? a : b; }
int min2(int a, int b) { return a < b ? a : b; }
// A fixed-capacity string: the library links without libstdc++ (cc, not c++).
struct Str {
  char s[1200];
  int n = 0;
  Str() = default;
  Str(const char* p) { *this += p; }
  void operator+=(char c) {
    if (n < int(sizeof s)) s[n++] = c;
  }
  void operator+=(const char* p) {
    while (*p) *this += *p++;
  }
  void operator+=(const Str& o) {
    for (int i = 0; i < o.n; i++) *this += o.s[i];
  }
  int size() const { return n; }
  bool empty() const { return n == 0; }
  char back() const { return s[n - 1]; }
  void pop_back() { n--; }
  char operator[](int i) const { return s[i]; }
  bool operator==(const char* p) const { return int(std::strlen(p)) == n && std::memcmp(s, p, n) == 0; }
};

// Decimal digits and the decimal point position of |v|: v = 0.d1d2... * 10^dp.
struct Digits {
  Str d;
  int dp = 0;
};

Digits shortest(double v, bool f32) {
  char buf[64];
  for (int p = 1; p <= 17; p++) {
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    bool ok = f32 ? float(std::strtod(buf, nullptr)) == float(v) : std::strtod(buf, nullptr) == v;
    if (ok) break;
  }
  Digits g;
  const char* s = buf;
  for (; *s && *s != 'e'; s++)
    if (*s >= '0' && *s <= '9') g.d += *s;
  int exp = std::atoi(s + 1);
  while (g.d.size() > 1 && g.d.back() == '0') g.d.pop_back();
  g.dp = exp + 1;
  if (g.d == "0") g.dp = 1;
  return g;
}

// n significant digits, rounded by printf.
Digits fixedDigits(double v, int n) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*e", n - 1, v);
  Digits g;
  const char* s = buf;
  for (; *s && *s != 'e'; s++)
    if (*s >= '0' && *s <= '9') g.d += *s;
  g.dp = std::atoi(s + 1) + 1;
  if (v == 0) g.dp = 1;
  return g;
}

Str fmtE(const Digits& g, int prec, char fmt, bool neg) {
  Str out(neg ? "-" : "");
  out += g.d.empty() ? '0' : g.d[0];
  if (prec > 0) {
    out += '.';
    for (int i = 1; i <= prec; i++) out += i < g.d.size() ? g.d[i] : '0';
  }
  out += fmt;
  int exp = g.d == "0" || g.d.empty() ? 0 : g.dp - 1;
  out += exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  if (exp < 10) out += '0';
  char eb[8];
  std::snprintf(eb, sizeof eb, "%d", exp);
  out += eb;
  return out;
}

Str fmtF(const Digits& g, int prec, bool neg) {
  Str out(neg ? "-" : "");
  if (g.dp > 0) {
    for (int i = 0; i < g.dp; i++) out += i < g.d.size() ? g.d[i] : '0';
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (int i = 0; i < prec; i++) {
      int j = g.dp + i;
      out += j < 0 || j >= g.d.size() ? '0' : g.d[j];
    }
  }
  return out;
}

Str formatFloat(double v, char fmt, int prec, int bitSize) {
  bool f32 = bitSize == 32;
  if (f32) v = float(v);
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  bool neg = std::signbit(v);
  double a = std::fabs(v);
  bool sh = prec < 0;
  switch (fmt) {
    case 'e':
    case 'E': {
      Digits g = sh ? shortest(a, f32) : fixedDigits(a, prec + 1);
      return fmtE(g, sh ? g.d.size() - 1 : prec, fmt, neg);
    }
    case 'f': {
      if (sh) {
        Digits g = shortest(a, f32);
        return fmtF(g, max0(g.d.size() - g.dp, 0), neg);
      }
      char buf[512];
      std::snprintf(buf, sizeof buf, "%.*f", prec, a);
      Str out(neg ? "-" : "");
      out += buf;
      return out;
    }
    case 'g':
    case 'G': {
      int eprec = prec;
      Digits g;
      if (sh) {
        g = shortest(a, f32);
        eprec = 6;
      } else {
        if (prec == 0) prec = 1;
        g = fixedDigits(a, prec);
        while (g.d.size() > 1 && g.d.back() == '0') g.d.pop_back();
        eprec = prec;
        if (eprec > g.d.size() && g.d.size() >= g.dp) eprec = g.d.size();
      }
      if (a == 0) g.dp = 1;
      int exp = g.dp - 1;
      int p = sh ? g.d.size() : prec;
      if (exp < -4 || exp >= eprec) {
        if (p > g.d.size()) p = g.d.size();
        return fmtE(g, p - 1, fmt == 'g' ? 'e' : 'E', neg);
      }
      if (p > g.dp && g.dp >= g.d.size()) p = g.d.size();
      return fmtF(g, max0(min2(p, g.d.size()) - g.dp, 0), neg);
    }
  }
  Str bad("%");
  bad += fmt;
  return bad;
}
}  // namespace

extern "C" {
GoString strconv_FormatFloat(double f, uint8_t fmt, int64_t prec, int64_t bitSize) __asm__("strconv.formatFloat");
GoString strconv_FormatFloat(double f, uint8_t fmt, int64_t prec, int64_t bitSize) {
  Str s = formatFloat(f, char(fmt), int(prec), int(bitSize));
  return gol_slicebytetostring(reinterpret_cast<const uint8_t*>(s.s), int64_t(s.n));
}
}

// strconv.parseFloat: s is already checked against Go's syntax by ParseFloat (strconv.gol);
// the C library's strtod/strtof round correctly, as Go's parser does (hex floats included).
extern "C" {
double strconv_parseFloat(const uint8_t* p, int64_t n, int64_t bitSize) __asm__("strconv.parseFloat");
double strconv_parseFloat(const uint8_t* p, int64_t n, int64_t bitSize) {
  char buf[800];
  char* heap = nullptr;
  char* s = buf;
  if (n + 1 > int64_t(sizeof buf)) s = heap = static_cast<char*>(std::malloc(size_t(n + 1)));
  std::memcpy(s, p, size_t(n));
  s[n] = 0;
  double d = bitSize == 32 ? double(std::strtof(s, nullptr)) : std::strtod(s, nullptr);
  std::free(heap);
  return d;
}
}

#include "runtime/typedesc.h"

// strconv.formatDec: base-10 FormatInt/FormatUint/Itoa, the hot path of number printing. One
// allocation of exactly the digits (noscan, not zeroed: every byte is written); 0..99 are
// slices of a static table and allocate nothing, as Go's small-number strings.
namespace {
const char kSmalls[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
}
extern "C" {
GoString strconv_formatDec(uint64_t u, int64_t neg) __asm__("strconv.formatDec");
GoString strconv_formatDec(uint64_t u, int64_t neg) {
  if (!neg && u < 100) {
    const char* p = kSmalls + 2 * u;
    return u < 10 ? GoString{reinterpret_cast<const uint8_t*>(p + 1), 1}
                  : GoString{reinterpret_cast<const uint8_t*>(p), 2};
  }
  char tmp[24];
  int i = 24;
  while (u >= 100) {
    uint64_t q = u / 100;
    unsigned r = unsigned(u - q * 100);
    tmp[--i] = kSmalls[2 * r + 1];
    tmp[--i] = kSmalls[2 * r];
    u = q;
  }
  if (u >= 10) {
    tmp[--i] = kSmalls[2 * u + 1];
    tmp[--i] = kSmalls[2 * u];
  } else {
    tmp[--i] = char('0' + u);
  }
  if (neg) tmp[--i] = '-';
  int64_t n = 24 - i;
  auto* s = static_cast<uint8_t*>(gol_mallocgc(n, &gol_type_noscan, false));
  std::memcpy(s, tmp + i, size_t(n));
  return {s, n};
}
}

extern "C" {
uint64_t strconv_float64bits(double f) __asm__("strconv.float64bits");
uint64_t strconv_float64bits(double f) {
  uint64_t b;
  std::memcpy(&b, &f, 8);
  return b;
}
uint32_t strconv_float32bits(float f) __asm__("strconv.float32bits");
uint32_t strconv_float32bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
}
