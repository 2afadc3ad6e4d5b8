// constant.cpp: exact constant arithmetic (Go's go/constant): a small bigint of 32-bit limbs,
// exact rationals on top of it, correctly rounded conversion to float32/float64, literal
// parsing and Go's message formatting of values.
//
// The algorithms are the schoolbook ones: constants in real programs are a few hundred bits at
// most (the checker refuses untyped integers above 512 bits, as Go does), so clarity wins over
// asymptotics. Division is bit-serial restoring division; gcd is binary (Stein's algorithm).
#include "constant_impl.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace gol {

// ---------------------------------------------------------------------------------------------
// BigInt

void BigInt::trim() {
  while (!mag_.empty() && mag_.back() == 0) mag_.pop_back();
  if (mag_.empty()) neg_ = false;
}

BigInt BigInt::fromUint64(uint64_t v) {
  BigInt r;
  while (v) {
    r.mag_.push_back(uint32_t(v));
    v >>= 32;
  }
  return r;
}

BigInt BigInt::fromInt64(int64_t v) {
  uint64_t m = v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);
  BigInt r = fromUint64(m);
  r.neg_ = v < 0;
  return r;
}

bool BigInt::parse(std::string_view digits, int base, BigInt& out) {
  out = BigInt();
  bool any = false;
  for (char c : digits) {
    if (c == '_') continue;
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (d >= base) return false;
    any = true;
    uint64_t carry = uint64_t(d);
    for (auto& limb : out.mag_) {
      uint64_t t = uint64_t(limb) * uint64_t(base) + carry;
      limb = uint32_t(t);
      carry = t >> 32;
    }
    if (carry) out.mag_.push_back(uint32_t(carry));
  }
  out.trim();
  return any;
}

size_t BigInt::bitLen() const {
  if (mag_.empty()) return 0;
  return (mag_.size() - 1) * 32 + (32 - size_t(__builtin_clz(mag_.back())));
}

bool BigInt::fitsUint64() const { return !neg_ && bitLen() <= 64; }

bool BigInt::fitsInt64() const {
  size_t n = bitLen();
  if (n <= 63) return true;
  // -2^63 is the one 64-bit magnitude that fits
  return neg_ && n == 64 && toUint64() == (uint64_t(1) << 63);
}

uint64_t BigInt::toUint64() const {
  uint64_t v = 0;
  if (mag_.size() > 0) v |= mag_[0];
  if (mag_.size() > 1) v |= uint64_t(mag_[1]) << 32;
  return v;
}

int64_t BigInt::toInt64() const {
  uint64_t m = toUint64();
  return neg_ ? int64_t(uint64_t(0) - m) : int64_t(m);
}

std::string BigInt::toString() const {
  if (mag_.empty()) return "0";
  std::vector<uint32_t> m = mag_;
  std::string out;
  while (!m.empty()) {
    uint64_t rem = 0;
    for (size_t i = m.size(); i-- > 0;) {
      uint64_t cur = (rem << 32) | m[i];
      m[i] = uint32_t(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (!m.empty() && m.back() == 0) m.pop_back();
    for (int k = 0; k < 9; k++) {
      out.push_back(char('0' + rem % 10));
      rem /= 10;
      if (m.empty() && rem == 0) break;
    }
  }
  while (out.size() > 1 && out.back() == '0') out.pop_back();
  if (neg_) out.push_back('-');
  std::reverse(out.begin(), out.end());
  return out;
}

double BigInt::toDouble() const {
  Rat out;
  double d = 0;
  if (!roundRat(Rat::fromInt(*this), 53, -1074, 1024, out, &d)) return neg_ ? -HUGE_VAL : HUGE_VAL;
  return d;
}

int BigInt::cmpMag(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (size_t i = a.size(); i-- > 0;)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

int BigInt::cmpAbs(const BigInt& a, const BigInt& b) { return cmpMag(a.mag_, b.mag_); }

int BigInt::cmp(const BigInt& a, const BigInt& b) {
  if (a.sign() != b.sign()) return a.sign() < b.sign() ? -1 : 1;
  int c = cmpMag(a.mag_, b.mag_);
  return a.neg_ ? -c : c;
}

std::vector<uint32_t> BigInt::addMag(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  const auto& x = a.size() >= b.size() ? a : b;
  const auto& y = a.size() >= b.size() ? b : a;
  std::vector<uint32_t> r(x.size() + 1);
  uint64_t carry = 0;
  for (size_t i = 0; i < x.size(); i++) {
    uint64_t t = uint64_t(x[i]) + (i < y.size() ? y[i] : 0) + carry;
    r[i] = uint32_t(t);
    carry = t >> 32;
  }
  r[x.size()] = uint32_t(carry);
  return r;
}

std::vector<uint32_t> BigInt::subMag(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> r(a.size());
  int64_t borrow = 0;
  for (size_t i = 0; i < a.size(); i++) {
    int64_t t = int64_t(a[i]) - (i < b.size() ? int64_t(b[i]) : 0) - borrow;
    borrow = t < 0;
    if (t < 0) t += int64_t(1) << 32;
    r[i] = uint32_t(t);
  }
  return r;
}

BigInt BigInt::operator-() const {
  BigInt r = *this;
  if (!r.mag_.empty()) r.neg_ = !r.neg_;
  return r;
}

BigInt operator+(const BigInt& a, const BigInt& b) {
  BigInt r;
  if (a.neg_ == b.neg_) {
    r.mag_ = BigInt::addMag(a.mag_, b.mag_);
    r.neg_ = a.neg_;
  } else if (BigInt::cmpMag(a.mag_, b.mag_) >= 0) {
    r.mag_ = BigInt::subMag(a.mag_, b.mag_);
    r.neg_ = a.neg_;
  } else {
    r.mag_ = BigInt::subMag(b.mag_, a.mag_);
    r.neg_ = b.neg_;
  }
  r.trim();
  return r;
}

BigInt operator-(const BigInt& a, const BigInt& b) { return a + (-b); }

BigInt operator*(const BigInt& a, const BigInt& b) {
  BigInt r;
  if (a.isZero() || b.isZero()) return r;
  r.mag_.assign(a.mag_.size() + b.mag_.size(), 0);
  for (size_t i = 0; i < a.mag_.size(); i++) {
    uint64_t carry = 0;
    for (size_t j = 0; j < b.mag_.size(); j++) {
      uint64_t t = uint64_t(a.mag_[i]) * b.mag_[j] + r.mag_[i + j] + carry;
      r.mag_[i + j] = uint32_t(t);
      carry = t >> 32;
    }
    size_t k = i + b.mag_.size();
    while (carry) {
      uint64_t t = uint64_t(r.mag_[k]) + carry;
      r.mag_[k++] = uint32_t(t);
      carry = t >> 32;
    }
  }
  r.neg_ = a.neg_ != b.neg_;
  r.trim();
  return r;
}

bool BigInt::bit(uint64_t i) const {
  uint64_t limb = i / 32;
  if (limb >= mag_.size()) return false;
  return (mag_[limb] >> (i % 32)) & 1;
}

void BigInt::quoRem(const BigInt& a, const BigInt& b, BigInt& q, BigInt& r) {
  q = BigInt();
  r = BigInt();
  if (b.isZero()) return;
  if (cmpMag(a.mag_, b.mag_) < 0) {
    r = a;
    return;
  }
  if (b.mag_.size() == 1) {
    uint64_t d = b.mag_[0], rem = 0;
    q.mag_.resize(a.mag_.size());
    for (size_t i = a.mag_.size(); i-- > 0;) {
      uint64_t cur = (rem << 32) | a.mag_[i];
      q.mag_[i] = uint32_t(cur / d);
      rem = cur % d;
    }
    r = fromUint64(rem);
  } else {
    // Restoring division, one bit at a time.
    size_t n = a.bitLen();
    q.mag_.assign(a.mag_.size(), 0);
    std::vector<uint32_t> rem;
    for (size_t i = n; i-- > 0;) {
      // rem = rem << 1 | bit i of a
      uint32_t carry = a.bit(i) ? 1 : 0;
      for (auto& limb : rem) {
        uint32_t next = limb >> 31;
        limb = (limb << 1) | carry;
        carry = next;
      }
      if (carry) rem.push_back(carry);
      if (cmpMag(rem, b.mag_) >= 0) {
        rem = subMag(rem, b.mag_);
        while (!rem.empty() && rem.back() == 0) rem.pop_back();
        q.mag_[i / 32] |= uint32_t(1) << (i % 32);
      }
    }
    r.mag_ = rem;
  }
  q.neg_ = a.neg_ != b.neg_;
  r.neg_ = a.neg_;
  q.trim();
  r.trim();
}

BigInt BigInt::shl(uint64_t n) const {
  if (isZero()) return *this;
  BigInt r;
  size_t limbs = size_t(n / 32), bits = size_t(n % 32);
  r.mag_.assign(limbs, 0);
  uint32_t carry = 0;
  for (uint32_t limb : mag_) {
    r.mag_.push_back(bits ? (limb << bits) | carry : limb);
    carry = bits ? limb >> (32 - bits) : 0;
  }
  if (carry) r.mag_.push_back(carry);
  r.neg_ = neg_;
  r.trim();
  return r;
}

BigInt BigInt::shr(uint64_t n) const {
  if (neg_) {
    // floor semantics: -x >> n == -(((x - 1) >> n) + 1)
    BigInt m = -*this - fromInt64(1);
    return -(m.shr(n) + fromInt64(1));
  }
  BigInt r;
  size_t limbs = size_t(n / 32), bits = size_t(n % 32);
  if (limbs >= mag_.size()) return r;
  for (size_t i = limbs; i < mag_.size(); i++) {
    uint32_t lo = mag_[i] >> bits;
    uint32_t hi = (bits && i + 1 < mag_.size()) ? mag_[i + 1] << (32 - bits) : 0;
    r.mag_.push_back(lo | hi);
  }
  r.trim();
  return r;
}

std::vector<uint32_t> BigInt::toTwos(const BigInt& x, size_t n) {
  std::vector<uint32_t> t(n, 0);
  std::copy(x.mag_.begin(), x.mag_.end(), t.begin());
  if (x.neg_) {
    uint64_t carry = 1;
    for (auto& limb : t) {
      uint64_t v = uint64_t(uint32_t(~limb)) + carry;
      limb = uint32_t(v);
      carry = v >> 32;
    }
  }
  return t;
}

BigInt BigInt::fromTwos(std::vector<uint32_t> t) {
  BigInt r;
  bool neg = !t.empty() && (t.back() >> 31);
  if (neg) {
    uint64_t carry = 1;
    for (auto& limb : t) {
      uint64_t v = uint64_t(uint32_t(~limb)) + carry;
      limb = uint32_t(v);
      carry = v >> 32;
    }
  }
  r.mag_ = std::move(t);
  r.neg_ = neg;
  r.trim();
  return r;
}

BigInt BigInt::bitAnd(const BigInt& a, const BigInt& b) {
  size_t n = std::max(a.mag_.size(), b.mag_.size()) + 1;
  auto x = toTwos(a, n), y = toTwos(b, n);
  for (size_t i = 0; i < n; i++) x[i] &= y[i];
  return fromTwos(std::move(x));
}

BigInt BigInt::bitOr(const BigInt& a, const BigInt& b) {
  size_t n = std::max(a.mag_.size(), b.mag_.size()) + 1;
  auto x = toTwos(a, n), y = toTwos(b, n);
  for (size_t i = 0; i < n; i++) x[i] |= y[i];
  return fromTwos(std::move(x));
}

BigInt BigInt::bitXor(const BigInt& a, const BigInt& b) {
  size_t n = std::max(a.mag_.size(), b.mag_.size()) + 1;
  auto x = toTwos(a, n), y = toTwos(b, n);
  for (size_t i = 0; i < n; i++) x[i] ^= y[i];
  return fromTwos(std::move(x));
}

BigInt BigInt::bitAndNot(const BigInt& a, const BigInt& b) {
  size_t n = std::max(a.mag_.size(), b.mag_.size()) + 1;
  auto x = toTwos(a, n), y = toTwos(b, n);
  for (size_t i = 0; i < n; i++) x[i] &= ~y[i];
  return fromTwos(std::move(x));
}

BigInt BigInt::gcd(BigInt a, BigInt b) {
  a.neg_ = b.neg_ = false;
  if (a.isZero()) return b;
  if (b.isZero()) return a;
  uint64_t shift = 0;
  while (!a.isOdd() && !b.isOdd()) {
    a = a.shr(1);
    b = b.shr(1);
    shift++;
  }
  while (!a.isOdd()) a = a.shr(1);
  while (!b.isZero()) {
    while (!b.isOdd()) b = b.shr(1);
    if (cmpMag(a.mag_, b.mag_) > 0) std::swap(a, b);
    b = b - a;
  }
  return a.shl(shift);
}

// ---------------------------------------------------------------------------------------------
// Rat

Rat Rat::make(BigInt num, BigInt den) {
  Rat r;
  if (den.sign() < 0) {
    num = -num;
    den = -den;
  }
  if (num.isZero()) {
    r.num = BigInt();
    r.den = BigInt::fromInt64(1);
    return r;
  }
  BigInt g = BigInt::gcd(num, den);
  if (!(g.bitLen() == 1)) {  // g != 1
    BigInt q, rem;
    BigInt::quoRem(num, g, q, rem);
    num = q;
    BigInt::quoRem(den, g, q, rem);
    den = q;
  }
  r.num = std::move(num);
  r.den = std::move(den);
  return r;
}

bool Rat::isInt() const { return den.bitLen() == 1; }

int Rat::cmp(const Rat& a, const Rat& b) { return BigInt::cmp(a.num * b.den, b.num * a.den); }

bool roundRat(const Rat& r, int mantBits, int minExp, int maxExp, Rat& out, double* asDouble) {
  if (r.num.isZero()) {
    out = Rat();
    if (asDouble) *asDouble = 0;
    return true;
  }
  BigInt a = r.num.sign() < 0 ? -r.num : r.num;
  const BigInt& b = r.den;
  // Find e with 2^(mantBits-1) <= a/b * 2^-e < 2^mantBits; q = floor(a/b * 2^-e).
  int64_t e = int64_t(a.bitLen()) - int64_t(b.bitLen()) - mantBits;
  BigInt q, rem, div;
  auto divide = [&](int64_t ex) {
    BigInt n = ex < 0 ? a.shl(uint64_t(-ex)) : a;
    div = ex > 0 ? b.shl(uint64_t(ex)) : b;
    BigInt::quoRem(n, div, q, rem);
  };
  for (int iter = 0; iter < 4; iter++) {
    divide(e);
    if (int64_t(q.bitLen()) > mantBits) e++;
    else if (int64_t(q.bitLen()) < mantBits) e--;
    else break;
  }
  if (e < minExp) {
    e = minExp;
    divide(e);
  }
  // round half to even
  int c = BigInt::cmp(rem.shl(1), div);
  if (c > 0 || (c == 0 && q.isOdd())) {
    q = q + BigInt::fromInt64(1);
    if (int64_t(q.bitLen()) > mantBits) {
      q = q.shr(1);
      e++;
    }
  }
  if (int64_t(q.bitLen()) + e > maxExp) return false;
  BigInt num = e >= 0 ? q.shl(uint64_t(e)) : q;
  BigInt den = e >= 0 ? BigInt::fromInt64(1) : BigInt::fromInt64(1).shl(uint64_t(-e));
  if (r.num.sign() < 0) num = -num;
  out = Rat::make(num, den);
  if (asDouble) {
    double d = std::ldexp(double(q.toUint64()), int(e));
    *asDouble = r.num.sign() < 0 ? -d : d;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// ConstVal

ConstVal ConstVal::makeBool(bool b) {
  ConstVal v;
  v.kind_ = Kind::Bool;
  v.b_ = b;
  return v;
}

ConstVal ConstVal::makeString(std::string s) {
  ConstVal v;
  v.kind_ = Kind::String;
  v.s_ = std::move(s);
  return v;
}

ConstVal ConstVal::makeInt(BigInt i) {
  ConstVal v;
  v.kind_ = Kind::Int;
  v.i_ = std::move(i);
  return v;
}

ConstVal ConstVal::makeFloat(Rat r) {
  ConstVal v;
  v.kind_ = Kind::Float;
  v.f_ = std::move(r);
  return v;
}

ConstVal ConstVal::makeFloat64(double d) {
  int exp = 0;
  double m = std::frexp(d, &exp);  // d = m * 2^exp, 0.5 <= |m| < 1
  int64_t mant = int64_t(std::ldexp(m, 53));
  exp -= 53;
  BigInt num = BigInt::fromInt64(mant);
  if (exp >= 0) return makeFloat(Rat::make(num.shl(uint64_t(exp)), BigInt::fromInt64(1)));
  return makeFloat(Rat::make(num, BigInt::fromInt64(1).shl(uint64_t(-exp))));
}

int ConstVal::sign() const {
  if (kind_ == Kind::Int) return i_.sign();
  if (kind_ == Kind::Float) return f_.sign();
  return 0;
}

int64_t ConstVal::int64Val() const {
  if (kind_ == Kind::Int) return i_.toInt64();
  if (kind_ == Kind::Float) {
    BigInt q, r;
    BigInt::quoRem(f_.num, f_.den, q, r);
    return q.toInt64();
  }
  return 0;
}

uint64_t ConstVal::uint64Val() const {
  if (kind_ == Kind::Int) return uint64_t(i_.toInt64());
  if (kind_ == Kind::Float) return uint64_t(int64Val());
  return 0;
}

double ConstVal::float64Val() const {
  if (kind_ != Kind::Int && kind_ != Kind::Float) return 0;
  Rat r = kind_ == Kind::Int ? Rat::fromInt(i_) : f_;
  Rat out;
  double d = 0;
  if (!roundRat(r, 53, -1074, 1024, out, &d)) return r.sign() < 0 ? -HUGE_VAL : HUGE_VAL;
  return d;
}

float ConstVal::float32Val() const {
  if (kind_ != Kind::Int && kind_ != Kind::Float) return 0;
  Rat r = kind_ == Kind::Int ? Rat::fromInt(i_) : f_;
  Rat out;
  double d = 0;
  if (!roundRat(r, 24, -149, 128, out, &d)) return r.sign() < 0 ? -HUGE_VALF : HUGE_VALF;
  return float(d);  // exact: d is a float32 value
}

ConstVal ConstVal::toInt() const {
  if (kind_ == Kind::Int) return *this;
  if (kind_ == Kind::Float && f_.isInt()) return makeInt(f_.num);
  return makeUnknown();
}

ConstVal ConstVal::toFloat() const {
  if (kind_ == Kind::Float) return *this;
  if (kind_ == Kind::Int) return makeFloat(Rat::fromInt(i_));
  return makeUnknown();
}

std::string quoteGo(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      switch (c) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
          } else {
            out += char(c);
          }
      }
      i++;
      continue;
    }
    // a valid UTF-8 sequence is kept as is; a bad byte becomes \x..
    size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; k++) ok = ((unsigned char)s[i + k] >> 6) == 2;
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
      i++;
    }
  }
  out += "\"";
  return out;
}

// Go's %e/%f choice for shortest formatting (strconv 'g' with precision -1).
static std::string formatShortestG(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17e", d);
  // find the shortest precision that round-trips
  for (int prec = 0; prec <= 17; prec++) {
    std::snprintf(buf, sizeof buf, "%.*e", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  // buf = [-]d.ddde[+-]xx
  std::string s = buf;
  size_t epos = s.find('e');
  std::string mant = s.substr(0, epos);
  int exp = std::atoi(s.c_str() + epos + 1);
  bool neg = !mant.empty() && mant[0] == '-';
  if (neg) mant = mant.substr(1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  if (exp < -4 || exp >= 21) {
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += eb;
  } else if (exp < 0) {
    out += "0." + std::string(size_t(-exp - 1), '0') + digits;
  } else {
    if (digits.size() <= size_t(exp) + 1) {
      out += digits + std::string(size_t(exp) + 1 - digits.size(), '0');
    } else {
      out += digits.substr(0, size_t(exp) + 1) + "." + digits.substr(size_t(exp) + 1);
    }
  }
  return out;
}

std::string formatFloatForMessage(double d, bool isInt) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", d);
  std::string s = buf;
  if (!isInt && s.find('.') == std::string::npos) s = formatShortestG(d);
  return s;
}

std::string ConstVal::toString() const {
  switch (kind_) {
    case Kind::Unknown: return "unknown";
    case Kind::Bool: return b_ ? "true" : "false";
    case Kind::String: {
      std::string q = quoteGo(s_);
      // at most 72 runes: keep 69 and add "..."
      size_t runes = 0, i = 0;
      for (; i < q.size(); i++)
        if (((unsigned char)q[i] >> 6) != 2) runes++;
      if (runes <= 72) return q;
      size_t n = 0;
      for (i = 0; i < q.size(); i++) {
        if (((unsigned char)q[i] >> 6) != 2) {
          if (n == 69) break;
          n++;
        }
      }
      return q.substr(0, i) + "...";
    }
    case Kind::Int: return i_.toString();
    case Kind::Float: {
      double d = float64Val();
      if (std::isfinite(d) && (d != 0) == (f_.sign() != 0)) return formatFloatForMessage(d, f_.isInt());
      // Out of float64 range: scale by a power of ten first (approximate, like go/constant).
      BigInt a = f_.num.sign() < 0 ? -f_.num : f_.num;
      int64_t e10 = int64_t(double(int64_t(a.bitLen()) - int64_t(f_.den.bitLen())) * 0.30102999566398);
      BigInt p = BigInt::fromInt64(1);
      for (int64_t k = 0; k < (e10 < 0 ? -e10 : e10); k++) p = p * BigInt::fromInt64(10);
      Rat m = e10 >= 0 ? Rat::make(f_.num, f_.den * p) : Rat::make(f_.num * p, f_.den);
      double md = makeFloat(m).float64Val();
      while (std::fabs(md) >= 10) {
        md /= 10;
        e10++;
      }
      while (md != 0 && std::fabs(md) < 1) {
        md *= 10;
        e10--;
      }
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6ge%+d", md, int(e10));
      return buf;
    }
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Literals

static int hexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static void appendUtf8(std::string& out, uint32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  if (r < 0x80) {
    out += char(r);
  } else if (r < 0x800) {
    out += char(0xC0 | (r >> 6));
    out += char(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += char(0xE0 | (r >> 12));
    out += char(0x80 | ((r >> 6) & 0x3F));
    out += char(0x80 | (r & 0x3F));
  } else {
    out += char(0xF0 | (r >> 18));
    out += char(0x80 | ((r >> 12) & 0x3F));
    out += char(0x80 | ((r >> 6) & 0x3F));
    out += char(0x80 | (r & 0x3F));
  }
}

// Decodes one UTF-8 rune at s[i]; advances i. Bad bytes decode as U+FFFD (one byte).
static uint32_t decodeRune(std::string_view s, size_t& i) {
  unsigned char c = (unsigned char)s[i];
  if (c < 0x80) {
    i++;
    return c;
  }
  size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    i++;
    return 0xFFFD;
  }
  uint32_t r = c & (0x7F >> n);
  for (size_t k = 1; k < n; k++) {
    unsigned char cc = (unsigned char)s[i + k];
    if ((cc >> 6) != 2) {
      i++;
      return 0xFFFD;
    }
    r = (r << 6) | (cc & 0x3F);
  }
  i += n;
  return r;
}

// Decodes one escape sequence after the backslash at s[i] (i points past '\'). quote is the
// enclosing quote. Returns false on a bad escape. isByte tells \x and octal escapes (raw bytes).
static bool decodeEscape(std::string_view s, size_t& i, char quote, uint32_t& val, bool& isByte) {
  isByte = false;
  if (i >= s.size()) return false;
  char c = s[i++];
  switch (c) {
    case 'a': val = 7; return true;
    case 'b': val = 8; return true;
    case 'f': val = 12; return true;
    case 'n': val = 10; return true;
    case 'r': val = 13; return true;
    case 't': val = 9; return true;
    case 'v': val = 11; return true;
    case '\\': val = '\\'; return true;
    case '\'':
    case '"':
      if (c != quote) return false;
      val = uint32_t(c);
      return true;
    case 'x':
    case 'u':
    case 'U': {
      int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
      val = 0;
      for (int k = 0; k < n; k++) {
        if (i >= s.size() || hexVal(s[i]) < 0) return false;
        val = val * 16 + uint32_t(hexVal(s[i++]));
      }
      isByte = c == 'x';
      if (!isByte && (val > 0x10FFFF || (val >= 0xD800 && val <= 0xDFFF))) return false;
      return true;
    }
    default:
      if (c >= '0' && c <= '7') {
        val = uint32_t(c - '0');
        for (int k = 0; k < 2; k++) {
          if (i >= s.size() || s[i] < '0' || s[i] > '7') return false;
          val = val * 8 + uint32_t(s[i++] - '0');
        }
        if (val > 255) return false;
        isByte = true;
        return true;
      }
      return false;
  }
}

static ConstVal parseFloatLit(std::string_view text, std::string& err) {
  bool hex = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  size_t i = hex ? 2 : 0;
  std::string mant;
  int64_t fracDigits = 0;
  bool seenDot = false;
  for (; i < text.size(); i++) {
    char c = text[i];
    if (c == '_') continue;
    if (c == '.') {
      seenDot = true;
      continue;
    }
    if (hex ? hexVal(c) < 0 : (c < '0' || c > '9')) break;
    mant += c;
    if (seenDot) fracDigits++;
  }
  int64_t exp = 0;
  if (i < text.size()) {
    char c = text[i];
    if (!(hex ? (c == 'p' || c == 'P') : (c == 'e' || c == 'E'))) {
      err = "invalid floating-point literal";
      return ConstVal::makeUnknown();
    }
    i++;
    bool neg = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
    bool any = false;
    for (; i < text.size(); i++) {
      if (text[i] == '_') continue;
      if (text[i] < '0' || text[i] > '9') {
        err = "invalid floating-point literal";
        return ConstVal::makeUnknown();
      }
      any = true;
      if (exp < 1000000) exp = exp * 10 + (text[i] - '0');
    }
    if (!any) {
      err = "exponent has no digits";
      return ConstVal::makeUnknown();
    }
    if (neg) exp = -exp;
  }
  BigInt m;
  if (mant.empty()) mant = "0";
  if (!BigInt::parse(mant, hex ? 16 : 10, m)) {
    err = "invalid floating-point literal";
    return ConstVal::makeUnknown();
  }
  if (m.isZero()) return ConstVal::makeFloat(Rat());
  // value = m / base^fracDigits * (hex ? 2 : 10)^exp
  int64_t e = hex ? exp - 4 * fracDigits : exp - fracDigits;
  if (e > 10000 || e < -10000) {
    err = "floating-point constant exponent too large for Gol";
    return ConstVal::makeUnknown();
  }
  BigInt p = BigInt::fromInt64(1);
  if (hex) {
    p = p.shl(uint64_t(e < 0 ? -e : e));
  } else {
    BigInt ten = BigInt::fromInt64(10);
    BigInt base = ten;
    for (int64_t k = e < 0 ? -e : e; k > 0; k >>= 1) {  // p = 10^|e| by squaring
      if (k & 1) p = p * base;
      base = base * base;
    }
  }
  if (e >= 0) return ConstVal::makeFloat(Rat::make(m * p, BigInt::fromInt64(1)));
  return ConstVal::makeFloat(Rat::make(m, p));
}

ConstVal ConstVal::fromLiteral(Tok kind, std::string_view text, std::string& err) {
  switch (kind) {
    case Tok::Int: {
      int base = 10;
      std::string_view digits = text;
      if (text.size() > 1 && text[0] == '0') {
        char c = text[1];
        if (c == 'x' || c == 'X') base = 16, digits = text.substr(2);
        else if (c == 'o' || c == 'O') base = 8, digits = text.substr(2);
        else if (c == 'b' || c == 'B') base = 2, digits = text.substr(2);
        else base = 8, digits = text.substr(1);
      }
      BigInt v;
      if (!BigInt::parse(digits, base, v)) {
        err = "invalid integer literal " + std::string(text);
        return makeUnknown();
      }
      return makeInt(std::move(v));
    }
    case Tok::Float: return parseFloatLit(text, err);
    case Tok::Char: {
      if (text.size() < 3 || text.front() != '\'' || text.back() != '\'') {
        err = "invalid rune literal " + std::string(text);
        return makeUnknown();
      }
      std::string_view body = text.substr(1, text.size() - 2);
      size_t i = 0;
      uint32_t r;
      if (body[0] == '\\') {
        i = 1;
        bool isByte;
        if (!decodeEscape(body, i, '\'', r, isByte)) {
          err = "invalid escape sequence in rune literal";
          return makeUnknown();
        }
      } else {
        r = decodeRune(body, i);
      }
      if (i != body.size()) {
        err = "more than one character in rune literal";
        return makeUnknown();
      }
      return makeInt64(int64_t(r));
    }
    case Tok::String: {
      if (text.size() < 2) {
        err = "invalid string literal";
        return makeUnknown();
      }
      std::string_view body = text.substr(1, text.size() - 2);
      std::string out;
      if (text[0] == '`') {
        for (char c : body)
          if (c != '\r') out += c;
        return makeString(std::move(out));
      }
      size_t i = 0;
      while (i < body.size()) {
        if (body[i] != '\\') {
          out += body[i++];
          continue;
        }
        i++;
        uint32_t v;
        bool isByte;
        if (!decodeEscape(body, i, '"', v, isByte)) {
          err = "invalid escape sequence in string literal";
          return makeUnknown();
        }
        if (isByte) out += char(v);
        else appendUtf8(out, v);
      }
      return makeString(std::move(out));
    }
    default:
      err = "invalid literal";
      return makeUnknown();
  }
}

// ---------------------------------------------------------------------------------------------
// Operations

ConstVal ConstVal::binaryOp(const ConstVal& x, Tok op, const ConstVal& y, bool intDiv) {
  if (x.kind_ == Kind::Unknown || y.kind_ == Kind::Unknown) return makeUnknown();
  if (x.kind_ == Kind::Bool && y.kind_ == Kind::Bool) {
    if (op == Tok::LAnd) return makeBool(x.b_ && y.b_);
    if (op == Tok::LOr) return makeBool(x.b_ || y.b_);
    return makeUnknown();
  }
  if (x.kind_ == Kind::String && y.kind_ == Kind::String) {
    if (op == Tok::Add) return makeString(x.s_ + y.s_);
    return makeUnknown();
  }
  if (x.kind_ == Kind::Int && y.kind_ == Kind::Int) {
    const BigInt &a = x.i_, &b = y.i_;
    BigInt q, r;
    switch (op) {
      case Tok::Add: return makeInt(a + b);
      case Tok::Sub: return makeInt(a - b);
      case Tok::Mul: return makeInt(a * b);
      case Tok::Quo:
        if (b.isZero()) return makeUnknown();
        if (!intDiv) return makeFloat(Rat::make(a, b));
        BigInt::quoRem(a, b, q, r);
        return makeInt(q);
      case Tok::Rem:
        if (b.isZero()) return makeUnknown();
        BigInt::quoRem(a, b, q, r);
        return makeInt(r);
      case Tok::And: return makeInt(BigInt::bitAnd(a, b));
      case Tok::Or: return makeInt(BigInt::bitOr(a, b));
      case Tok::Xor: return makeInt(BigInt::bitXor(a, b));
      case Tok::AndNot: return makeInt(BigInt::bitAndNot(a, b));
      default: return makeUnknown();
    }
  }
  bool numX = x.kind_ == Kind::Int || x.kind_ == Kind::Float;
  bool numY = y.kind_ == Kind::Int || y.kind_ == Kind::Float;
  if (!numX || !numY) return makeUnknown();
  Rat a = x.toFloat().f_, b = y.toFloat().f_;
  switch (op) {
    case Tok::Add: return makeFloat(Rat::make(a.num * b.den + b.num * a.den, a.den * b.den));
    case Tok::Sub: return makeFloat(Rat::make(a.num * b.den - b.num * a.den, a.den * b.den));
    case Tok::Mul: return makeFloat(Rat::make(a.num * b.num, a.den * b.den));
    case Tok::Quo:
      if (b.num.isZero()) return makeUnknown();
      return makeFloat(Rat::make(a.num * b.den, a.den * b.num));
    default: return makeUnknown();
  }
}

ConstVal ConstVal::unaryOp(Tok op, const ConstVal& x, unsigned prec) {
  switch (op) {
    case Tok::Add:
      if (x.kind_ == Kind::Int || x.kind_ == Kind::Float) return x;
      break;
    case Tok::Sub:
      if (x.kind_ == Kind::Int) return makeInt(-x.i_);
      if (x.kind_ == Kind::Float) return makeFloat(Rat{-x.f_.num, x.f_.den});
      break;
    case Tok::Xor:
      if (x.kind_ == Kind::Int) {
        BigInt r = -x.i_ - BigInt::fromInt64(1);  // ^x == -x-1
        if (prec > 0) {
          BigInt mask = BigInt::fromInt64(1).shl(prec) - BigInt::fromInt64(1);
          r = BigInt::bitAnd(r, mask);
        }
        return makeInt(r);
      }
      break;
    case Tok::Not:
      if (x.kind_ == Kind::Bool) return makeBool(!x.b_);
      break;
    default: break;
  }
  return makeUnknown();
}

ConstVal ConstVal::shift(const ConstVal& x, Tok op, uint64_t s) {
  if (x.kind_ != Kind::Int) return makeUnknown();
  if (op == Tok::Shl) return makeInt(x.i_.shl(s));
  if (op == Tok::Shr) return makeInt(x.i_.shr(s));
  return makeUnknown();
}

static bool cmpResult(int c, Tok op) {
  switch (op) {
    case Tok::Eql: return c == 0;
    case Tok::Neq: return c != 0;
    case Tok::Lss: return c < 0;
    case Tok::Leq: return c <= 0;
    case Tok::Gtr: return c > 0;
    case Tok::Geq: return c >= 0;
    default: return false;
  }
}

bool ConstVal::compare(const ConstVal& x, Tok op, const ConstVal& y) {
  if (x.kind_ == Kind::Bool && y.kind_ == Kind::Bool) return cmpResult(x.b_ == y.b_ ? 0 : 1, op);
  if (x.kind_ == Kind::String && y.kind_ == Kind::String) {
    int c = x.s_.compare(y.s_);
    return cmpResult(c < 0 ? -1 : c > 0 ? 1 : 0, op);
  }
  if (x.kind_ == Kind::Int && y.kind_ == Kind::Int) return cmpResult(BigInt::cmp(x.i_, y.i_), op);
  bool numX = x.kind_ == Kind::Int || x.kind_ == Kind::Float;
  bool numY = y.kind_ == Kind::Int || y.kind_ == Kind::Float;
  if (numX && numY) return cmpResult(Rat::cmp(x.toFloat().f_, y.toFloat().f_), op);
  return false;
}

}  // namespace gol
