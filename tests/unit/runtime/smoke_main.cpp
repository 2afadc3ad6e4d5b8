// smoke_main.cpp: a hand-written stand-in for a compiled Gol program, linked exactly as
// golc links one (program.o libgolrt_main.a libgolrt.a -lpthread), to check the boot path.
//
// Default: main.main starts goroutines that print and yield forever, lets them run a
// while, then returns: the process must exit 0 at once (Go's rule), so "main done" is the
// last line. SMOKE_MODE=panic|deadlock|deadlock-many|nil|sigquit makes it die the ways Go
// programs die.
#include <cstdlib>
#include <cstring>

#include "runtime/abi.h"
#include "runtime/runtime.h"

namespace {

// Its goroutines are C++, which has no stack checks (compiled code's call sites check for the
// runtime calls they make): give them room, as the runtime's unit tests do (export_test.cpp).
[[maybe_unused]] const bool bigstacks = (gol::rt::FixedStack = 64 << 10, true);

// print(s) as compiled code does it: under printlock, so lines from Ms do not mix.
void say(const char* s) {
  gol_printlock();
  gol_printstring(reinterpret_cast<const uint8_t*>(s), int64_t(std::strlen(s)));
  gol_printunlock();
}

struct workerArgs {
  int64_t id;
};

void worker(void* a) {
  int64_t id = static_cast<workerArgs*>(a)->id;
  for (int64_t i = 0;; i++) {
    if (i < 3) {
      gol_printlock();  // one println: the nested printlock in say is recursive
      say("g ");
      gol_printint(id);
      gol_printsp();
      gol_printint(i);
      gol_printnl();
      gol_printunlock();
    }
    gol_runtime_Gosched();
  }
}

void stuck(void*) {
  for (int i = 0; i < 10; i++) gol_runtime_Gosched();
  gol::rt::gopark(nullptr, nullptr, "test stuck");
}

}  // namespace

extern "C" void gol_main_init() { say("init\n"); }

extern "C" void gol_main_main() {
  const char* mode = std::getenv("SMOKE_MODE");
  mode = mode ? mode : "";
  if (std::strcmp(mode, "panic") == 0) gol_panicIndex(5, 3);
  if (std::strcmp(mode, "nil") == 0) {
    volatile int* np = nullptr;
    *np = 1;
  }
  if (std::strcmp(mode, "deadlock") == 0) {
    // What a receive from a channel nobody sends on does, without channels.
    gol::rt::gopark(nullptr, nullptr, "test wait");
  }
  if (std::strcmp(mode, "deadlock-many") == 0) {
    // Goroutines on several Ms block one by one; the last M to go idle reports it.
    for (int64_t id = 1; id <= 4; id++) gol_newproc(stuck, nullptr, 0);
    gol::rt::gopark(nullptr, nullptr, "test wait");
  }
  if (std::strcmp(mode, "sigquit") == 0) {
    // Goroutines park; main stays busy (in usleep) until the test's kill -QUIT arrives.
    for (int64_t id = 1; id <= 2; id++) gol_newproc(stuck, nullptr, 0);
    say("ready\n");
    for (;;) gol::rt::usleep(10000);
  }
  say("main start\n");
  for (int64_t id = 1; id <= 3; id++) {
    workerArgs a{id};
    gol_newproc(worker, &a, sizeof a);
  }
  for (int i = 0; i < 20; i++) gol_runtime_Gosched();
  say("main done\n");
}
