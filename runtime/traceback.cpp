// traceback.cpp: goroutine dumps (Go's traceback.go, the part that needs no frames yet).
//
// A dump lists goroutines as Go does: `goroutine 6 [chan receive]:`, then the frames.
// Frames are not available yet: they need the compiler's pc → function/line table
// (DESIGN §4, Tracebacks), and each header is followed by one placeholder line instead.
#include "runtime.h"

namespace gol::rt {

void goroutineheader(g* gp) {
  uint32_t status = readgstatus(gp) & ~uint32_t(Gscan);
  const char* what = status == Gwaiting && gp->waitreason != nullptr ? gp->waitreason : toString(gstatus(status));
  print("goroutine ", gp->goid, " [", what, "]:\n");
}

void traceback(g*) { print("\t(stack frames are not available yet)\n"); }

// Dumps every live goroutine except me.
void tracebackothers(g* me) {
  forEachG(
      [](g* gp, void* arg) {
        if (gp == arg || readgstatus(gp) == Gdead) return;
        print("\n");
        goroutineheader(gp);
        traceback(gp);
      },
      me);
}

}  // namespace gol::rt
