// constant.h: untyped and typed constant values with Go's exact arithmetic: arbitrary-precision
// integers and rationals (floats are exact rationals until they must be represented), strings
// and booleans. `1 << 100 >> 98` is 4; 1/3.0*3 == 1 exactly, as in Go.
//
// The representation is the checker's business; this is the API lowering relies on.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace gol {

class ConstValue {
 public:
  enum class Kind : uint8_t { Unknown, Bool, String, Int, Float };
  virtual ~ConstValue() = default;
  virtual Kind kind() const = 0;

  // Accessors used by lowering; the checker has already verified representability in the
  // expression's type, so these do not fail for well-typed programs.
  virtual bool boolVal() const = 0;
  virtual const std::string& stringVal() const = 0;
  virtual int64_t int64Val() const = 0;    // Int (or integral Float) that fits int64
  virtual uint64_t uint64Val() const = 0;  // Int that fits uint64
  virtual double float64Val() const = 0;   // nearest float64 (Int or Float)
  virtual float float32Val() const = 0;    // nearest float32, rounded once
  // Go's constant formatting for messages: "300", "1e+100", "\"s\"", "true".
  virtual std::string toString() const = 0;
};

}  // namespace gol
