// race.h: telling ThreadSanitizer about goroutine switches (GOL_SANITIZE=thread builds).
//
// TSan keeps a shadow call stack and a vector clock per thread. Goroutines move between
// threads and several share one thread, so to TSan each G is a "fiber": gogo and mcall
// (proc.cpp) switch TSan to the fiber of the G they resume (an M's g0 included) just before
// the real switch. The switch synchronises (flag 0): what the scheduler wrote on g0 (gp->param,
// the G's status) happens before the G runs. Happens-before between Gs on different Ms comes
// from the runtime's own atomics (run queues, locks, notes), which TSan sees.
//
// A G's fiber is created the first time something switches to it and lives as long as the
// G struct, which is never freed (gfput keeps dead Gs for reuse).
//
// The runtime is compiled with --param=tsan-instrument-func-entry-exit=0 (CMakeLists.txt):
// TSan's shadow call stack assumes that calls return, but g0's never do (schedule, execute and
// gogo are abandoned at every switch, and mcall starts g0 afresh at the top of its stack), so
// a shadow stack per fiber would grow until it overflows. Reports then name the function and
// line of each access, without the callers above it.
//
// Without TSan both functions are empty and the field is never read.
#pragma once

#include "runtime2.h"

#if defined(__SANITIZE_THREAD__)
#define GOL_RACE 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOL_RACE 1
#endif
#endif

#if GOL_RACE
extern "C" {
void* __tsan_create_fiber(unsigned flags);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
}
#endif

namespace gol::rt {

// Makes gp's fiber TSan's current one on this thread. Called right before switching to gp.
inline void racefiberswitch([[maybe_unused]] g* gp) {
#if GOL_RACE
  if (gp->racefiber == nullptr) gp->racefiber = __tsan_create_fiber(0);
  __tsan_switch_to_fiber(gp->racefiber, 0);
#endif
}

}  // namespace gol::rt
