// time_native.cpp: package time's clocks and Sleep over the runtime's timers (runtime/time.cpp).
#include "runtime/abi.h"

extern "C" {
int64_t gol_time_nanotime() __asm__("time.nanotime");
int64_t gol_time_nanotime() { return gol_nanotime(); }
int64_t gol_time_walltime() __asm__("time.walltime");
int64_t gol_time_walltime() { return gol_walltime_ns(); }
void gol_time_Sleep(int64_t d) __asm__("time.Sleep");
void gol_time_Sleep(int64_t d) { gol_timeSleep(d); }
}
