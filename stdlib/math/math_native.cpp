// math_native.cpp: package math's native functions (libm), under Go's symbol names. Sqrt and the
// Float64bits family are not here: golc defines them as single LLVM operations
// (compiler/lower_inline.cpp, defineMathIntrinsic).
#include <cmath>

extern "C" {
#define GOL_MATH1(Go, c) \
  double gol_math_##Go(double x) __asm__("math." #Go); \
  double gol_math_##Go(double x) { return c(x); }
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
}

