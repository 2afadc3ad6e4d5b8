// link.h: linking a compiled program's object with the runtime into an executable.
#pragma once
#include <string>

namespace gol {

// The directory holding libgolrt.a and libgolrt_main.a: $GOL_LIBDIR if set, else
// <directory of the golc executable>/../lib.
std::string runtimeLibDir();

// Links obj + libgolrt_main.a + libgolrt.a (+ -lpthread) into out with `cc` (clang-19 when cc
// is missing), as a child process. Returns false with the reason (and the linker's exit status)
// in err; the linker's own messages go to stderr.
bool linkExecutable(const std::string& obj, const std::string& out, std::string& err);

}  // namespace gol
