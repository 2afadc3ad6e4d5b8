// export_test.h: hooks for the runtime's unit tests (Go's export_test.go). Part of
// libgolrt.a, used by nothing else.
#pragma once
#include <cstdint>

namespace gol::rt::testing {

// Runs fn as the main goroutine and returns when fn has returned (a program would exit
// then; a test continues), on the calling thread, which must be the one that made the
// first call: that call boots the runtime and the thread becomes m0.
//
// The calling thread does not run goroutines itself: like an M blocked in a system call
// it hands its P to another M and sleeps until the main goroutine ends, so the test's own
// code never migrates between threads.
//
// procs > 0 first sets GOMAXPROCS to procs. Before returning, runMain waits (up to a few
// seconds) until every P is idle, then returns how many goroutines are still alive, so a
// test can assert that it leaked none. Leftover goroutines stay where they are.
int32_t runMain(void (*fn)(), int32_t procs = 0);

}  // namespace gol::rt::testing
