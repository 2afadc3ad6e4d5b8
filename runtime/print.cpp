// print.cpp: the print and println builtins, and the runtime's own printing (Go's print.go).
//
// Output goes to stderr with write(2), one call per item, in Go's exact formats: the first
// line of a panic or fatal error must match `go run` byte for byte. Nothing here allocates
// or takes a lock other than debuglock, so it works inside the allocator, the scheduler,
// a signal handler or a dying process.
//
// printlock/printunlock bracket one println so lines from different Ms do not interleave.
// The lock is recursive per M (m.printlock counts the depth): a print that faults and
// panics re-enters printing on the same M without deadlocking.
#include "abi.h"
#include "runtime.h"

namespace gol::rt {
namespace {

mutex debuglock;

void gwrite(const char* b, uintptr_t n) {
  if (n > 0) writeErr(b, n);
}

}  // namespace

void printlock() {
  g* gp = getg();
  if (gp == nullptr) return;  // not an M (a test's helper thread): unlocked
  m* mp = gp->m;
  mp->locks++;  // no rescheduling between printlock and printunlock
  if (++mp->printlock == 1) lock(&debuglock);
  mp->locks--;
}

void printunlock() {
  g* gp = getg();
  if (gp == nullptr) return;
  m* mp = gp->m;
  if (--mp->printlock == 0) unlock(&debuglock);
}

void printsp() { gwrite(" ", 1); }
void printnl() { gwrite("\n", 1); }

void printbool(bool v) {
  if (v) {
    gwrite("true", 4);
  } else {
    gwrite("false", 5);
  }
}

// Go's fixed format: sign, one digit, '.', six digits, 'e', exponent sign, three exponent
// digits: +1.500000e+000. The digits come from repeated multiplication in float64 exactly
// as Go computes them (not printf's correctly rounded conversion), so the last digit
// matches Go's even where it is not the nearest.
void printfloat(double v) {
  if (v != v) {
    gwrite("NaN", 3);
    return;
  }
  if (v + v == v && v > 0) {
    gwrite("+Inf", 4);
    return;
  }
  if (v + v == v && v < 0) {
    gwrite("-Inf", 4);
    return;
  }

  constexpr int ndig = 7;  // significant digits printed
  char buf[ndig + 7];
  buf[0] = '+';
  int e = 0;  // decimal exponent
  if (v == 0) {
    if (1 / v < 0) buf[0] = '-';  // -0
  } else {
    if (v < 0) {
      v = -v;
      buf[0] = '-';
    }
    // Normalise to 1 <= v < 10.
    while (v >= 10) {
      e++;
      v /= 10;
    }
    while (v < 1) {
      e--;
      v *= 10;
    }
    // Round at the last printed digit: add 5 in the next position.
    double h = 5.0;
    for (int i = 0; i < ndig; i++) h /= 10;
    v += h;
    if (v >= 10) {
      e++;
      v /= 10;
    }
  }
  // Digits go to buf[2..ndig+1]; then the first moves left to make room for the point.
  for (int i = 0; i < ndig; i++) {
    int s = int(v);
    buf[i + 2] = char(s + '0');
    v -= s;
    v *= 10;
  }
  buf[1] = buf[2];
  buf[2] = '.';
  buf[ndig + 2] = 'e';
  buf[ndig + 3] = '+';
  if (e < 0) {
    e = -e;
    buf[ndig + 3] = '-';
  }
  buf[ndig + 4] = char(e / 100 + '0');
  buf[ndig + 5] = char(e / 10 % 10 + '0');
  buf[ndig + 6] = char(e % 10 + '0');
  gwrite(buf, sizeof buf);
}

void printuint(uint64_t v) {
  char buf[20];  // 18446744073709551615 has 20 digits
  int i = sizeof buf;
  do {
    buf[--i] = char(v % 10 + '0');
    v /= 10;
  } while (v != 0);
  gwrite(buf + i, sizeof buf - i);
}

void printint(int64_t v) {
  if (v < 0) {
    gwrite("-", 1);
    printuint(0 - uint64_t(v));  // also right for INT64_MIN
    return;
  }
  printuint(uint64_t(v));
}

void printhex(uint64_t v) {
  static constexpr char dig[] = "0123456789abcdef";
  char buf[2 + 16];
  int i = sizeof buf;
  do {
    buf[--i] = dig[v % 16];
    v /= 16;
  } while (v != 0);
  buf[--i] = 'x';
  buf[--i] = '0';
  gwrite(buf + i, sizeof buf - i);
}

void printpointer(const void* p) { printhex(reinterpret_cast<uintptr_t>(p)); }

void printstring(const char* s) {
  if (s == nullptr) return;
  uintptr_t n = 0;
  while (s[n] != 0) n++;
  gwrite(s, n);
}

}  // namespace gol::rt

// ---- the builtins compiled code calls (abi.h) ----
using namespace gol::rt;

extern "C" {
void gol_printlock() { printlock(); }
void gol_printunlock() { printunlock(); }
void gol_printbool(bool v) { printbool(v); }
void gol_printint(int64_t v) { printint(v); }
void gol_printuint(uint64_t v) { printuint(v); }
void gol_printfloat(double v) { printfloat(v); }
void gol_printstring(const uint8_t* p, int64_t n) {
  if (n > 0) writeErr(p, uintptr_t(n));
}
void gol_printpointer(const void* p) { printpointer(p); }
void gol_printsp() { printsp(); }
void gol_printnl() { printnl(); }
}
