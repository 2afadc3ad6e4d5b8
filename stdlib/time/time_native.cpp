// time_native.cpp: package time's clocks, Sleep and timers over the runtime's (runtime/time.cpp,
// abi.h "time"). A Gol chan or func value is one pointer, which is what gol_newtimer takes.
#include "runtime/abi.h"

extern "C" {
int64_t gol_time_nanotime() __asm__("time.nanotime");
int64_t gol_time_nanotime() { return gol_nanotime(); }
int64_t gol_time_walltime() __asm__("time.walltime");
int64_t gol_time_walltime() { return gol_walltime_ns(); }
void gol_time_Sleep(int64_t d) __asm__("time.Sleep");
void gol_time_Sleep(int64_t d) { gol_timeSleep(d); }

void* gol_time_newChanTimer(int64_t when, int64_t period, void* c, int64_t kind) __asm__("time.newChanTimer");
void* gol_time_newChanTimer(int64_t when, int64_t period, void* c, int64_t kind) {
  return gol_newtimer(when, period, c, kind);
}
void* gol_time_newFuncTimer(int64_t when, int64_t period, void* f, int64_t kind) __asm__("time.newFuncTimer");
void* gol_time_newFuncTimer(int64_t when, int64_t period, void* f, int64_t kind) {
  return gol_newtimer(when, period, f, kind);
}
bool gol_time_stopTimer(void* t) __asm__("time.stopTimer");
bool gol_time_stopTimer(void* t) { return gol_stoptimer(t); }
bool gol_time_resetTimer(void* t, int64_t when) __asm__("time.resetTimer");
bool gol_time_resetTimer(void* t, int64_t when) { return gol_resettimer(t, when); }
bool gol_time_modTimer(void* t, int64_t when, int64_t period) __asm__("time.modTimer");
bool gol_time_modTimer(void* t, int64_t when, int64_t period) { return gol_modtimer(t, when, period); }
}
