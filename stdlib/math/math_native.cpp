// math_native.cpp: package math's native functions (libm), under Go's symbol names.
#include <cmath>
#include <cstdint>
#include <cstring>

extern "C" {
#define GOL_MATH1(Go, c) \
  double gol_math_##Go(double x) __asm__("math." #Go); \
  double gol_math_##Go(double x) { return c(x); }
GOL_MATH1(Sqrt, std::sqrt)
GOL_MATH1(Floor, std::floor)
GOL_MATH1(Ceil, std::ceil)
GOL_MATH1(Trunc, std::trunc)
GOL_MATH1(Exp, std::exp)
GOL_MATH1(Sin, std::sin)
GOL_MATH1(Cos, std::cos)
double gol_math_Pow(double x, double y) __asm__("math.Pow");
double gol_math_Pow(double x, double y) { return std::pow(x, y); }
double gol_math_Mod(double x, double y) __asm__("math.Mod");
double gol_math_Mod(double x, double y) { return std::fmod(x, y); }
uint64_t gol_math_Float64bits(double f) __asm__("math.Float64bits");
uint64_t gol_math_Float64bits(double f) {
  uint64_t b;
  std::memcpy(&b, &f, 8);
  return b;
}
double gol_math_Float64frombits(uint64_t b) __asm__("math.Float64frombits");
double gol_math_Float64frombits(uint64_t b) {
  double f;
  std::memcpy(&f, &b, 8);
  return f;
}
}

extern "C" {
uint32_t gol_math_Float32bits(float f) __asm__("math.Float32bits");
uint32_t gol_math_Float32bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
float gol_math_Float32frombits(uint32_t b) __asm__("math.Float32frombits");
float gol_math_Float32frombits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}
}
