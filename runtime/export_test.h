// export_test.h: hooks for the runtime's unit tests (Go's export_test.go). Part of
// libgolrt.a, used by nothing else.
#pragma once
#include <cstdint>

namespace gol::rt::testing {

// Runs fn as the main goroutine of a scheduler on the calling thread and returns when fn
// returns (a program would exit then; a test continues). The first call boots the runtime
// (rt0_boot: the calling thread becomes m0, and every later call must come from it).
// Goroutines still alive when fn returns stay queued and run in the next runMain.
// Returns how many there are, so a test can assert that it leaked none.
int32_t runMain(void (*fn)());

}  // namespace gol::rt::testing
