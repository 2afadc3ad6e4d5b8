// constant_impl.h: the concrete constant values behind constant.h's ConstValue, and the exact
// arithmetic the checker does on them (go/constant's job in Go).
//
// BigInt is a sign-magnitude integer of 32-bit limbs; Rat is an exact rational of two BigInts.
// Untyped integer constants are BigInts, untyped float constants Rats, so `1 << 100 >> 98` is 4
// and `1/3.0*3 == 1` holds exactly, as in Go. Typed float constants are rounded to float32 or
// float64 when the checker gives them their type (roundFloat32/64), again as Go does.
//
// Read constant.cpp for the algorithms; check_expr.cpp for how the checker uses them.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "constant.h"
#include "token.h"

namespace gol {

// An arbitrary-precision signed integer. Invariant: mag has no high zero limbs; zero is an empty
// mag with neg == false.
class BigInt {
 public:
  BigInt() = default;
  static BigInt fromInt64(int64_t v);
  static BigInt fromUint64(uint64_t v);
  // Parses digits (underscores allowed) in the given base; false on a bad digit.
  static bool parse(std::string_view digits, int base, BigInt& out);

  int sign() const { return mag_.empty() ? 0 : (neg_ ? -1 : 1); }
  bool isZero() const { return mag_.empty(); }
  size_t bitLen() const;  // of the magnitude
  bool fitsInt64() const;
  bool fitsUint64() const;
  int64_t toInt64() const;    // wraps if it does not fit
  uint64_t toUint64() const;  // magnitude's low 64 bits
  std::string toString() const;  // decimal
  double toDouble() const;       // nearest, may be inf

  static int cmp(const BigInt& a, const BigInt& b);
  static int cmpAbs(const BigInt& a, const BigInt& b);
  BigInt operator-() const;
  friend BigInt operator+(const BigInt& a, const BigInt& b);
  friend BigInt operator-(const BigInt& a, const BigInt& b);
  friend BigInt operator*(const BigInt& a, const BigInt& b);
  // Truncated division (Go's / and %): q rounds toward zero, r has the sign of a. b != 0.
  static void quoRem(const BigInt& a, const BigInt& b, BigInt& q, BigInt& r);
  BigInt shl(uint64_t n) const;
  BigInt shr(uint64_t n) const;  // arithmetic (floor) shift, as big.Int.Rsh
  // Bitwise operations with two's complement semantics for negative values (big.Int's).
  static BigInt bitAnd(const BigInt& a, const BigInt& b);
  static BigInt bitOr(const BigInt& a, const BigInt& b);
  static BigInt bitXor(const BigInt& a, const BigInt& b);
  static BigInt bitAndNot(const BigInt& a, const BigInt& b);
  static BigInt gcd(BigInt a, BigInt b);  // of magnitudes; gcd(0, 0) == 0
  bool bit(uint64_t i) const;             // bit i of the magnitude
  bool isOdd() const { return !mag_.empty() && (mag_[0] & 1); }

 private:
  bool neg_ = false;
  std::vector<uint32_t> mag_;  // little-endian limbs
  void trim();
  static std::vector<uint32_t> addMag(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
  static std::vector<uint32_t> subMag(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);  // a >= b
  static int cmpMag(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
  static std::vector<uint32_t> toTwos(const BigInt& x, size_t n);
  static BigInt fromTwos(std::vector<uint32_t> t);
};

// An exact rational num/den. Invariant: den > 0 and gcd(|num|, den) == 1.
struct Rat {
  BigInt num;
  BigInt den = BigInt::fromInt64(1);
  static Rat make(BigInt num, BigInt den);  // normalizes; den != 0
  static Rat fromInt(const BigInt& i) { return make(i, BigInt::fromInt64(1)); }
  bool isInt() const;
  int sign() const { return num.sign(); }
  static int cmp(const Rat& a, const Rat& b);
};

// Rounds r to the nearest binary float with `mantBits` significant bits (53 or 24) and minimum
// exponent `minExp` of the smallest subnormal (-1074 or -149), ties to even. Returns false when
// the result overflows the format (its exponent would exceed maxExp: 1024 or 128).
bool roundRat(const Rat& r, int mantBits, int minExp, int maxExp, Rat& out, double* asDouble);

class ConstVal final : public ConstValue {
 public:
  ConstVal() = default;
  static ConstVal makeUnknown() { return ConstVal(); }
  static ConstVal makeBool(bool b);
  static ConstVal makeString(std::string s);
  static ConstVal makeInt(BigInt i);
  static ConstVal makeInt64(int64_t v) { return makeInt(BigInt::fromInt64(v)); }
  static ConstVal makeFloat(Rat r);
  static ConstVal makeFloat64(double d);  // d finite
  // A literal as written (Int, Float, Char or String token text). On failure returns Unknown and
  // sets err to Go's message.
  static ConstVal fromLiteral(Tok kind, std::string_view text, std::string& err);

  Kind kind() const override { return kind_; }
  bool boolVal() const override { return b_; }
  const std::string& stringVal() const override { return s_; }
  int64_t int64Val() const override;
  uint64_t uint64Val() const override;
  double float64Val() const override;
  float float32Val() const override;
  std::string toString() const override;

  const BigInt& intVal() const { return i_; }
  const Rat& ratVal() const { return f_; }
  int sign() const;  // Int and Float; 0 otherwise
  bool isIntegral() const { return kind_ == Kind::Int || (kind_ == Kind::Float && f_.isInt()); }
  size_t bitLen() const { return kind_ == Kind::Int ? i_.bitLen() : 0; }
  // Int, or a Float with an integral value as Int; Unknown otherwise.
  ConstVal toInt() const;
  // Int or Float as Float; Unknown otherwise.
  ConstVal toFloat() const;

  // x op y for + - * / % & | ^ &^ && || (Tok::Add...). Both operands have the same kind after
  // Int→Float promotion; / on two Ints is exact (a Float) unless intDiv, which truncates.
  static ConstVal binaryOp(const ConstVal& x, Tok op, const ConstVal& y, bool intDiv);
  // op x for + - ^ !; prec > 0 is the bit size of an unsigned type for ^.
  static ConstVal unaryOp(Tok op, const ConstVal& x, unsigned prec);
  // x << s or x >> s on an Int.
  static ConstVal shift(const ConstVal& x, Tok op, uint64_t s);
  // x op y for == != < <= > >=.
  static bool compare(const ConstVal& x, Tok op, const ConstVal& y);

 private:
  Kind kind_ = Kind::Unknown;
  bool b_ = false;
  std::string s_;
  BigInt i_;
  Rat f_;
};

// Go's strconv.Quote (what constant strings look like in messages).
std::string quoteGo(std::string_view s);
// Go's "%.6g"-based formatting of a float constant for messages (go/constant's String).
std::string formatFloatForMessage(double d, bool isInt);

}  // namespace gol
