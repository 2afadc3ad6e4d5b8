// sema_native.cpp: package sync's semaphore hooks over the runtime's (runtime/sema.cpp).
#include "runtime/abi.h"

extern "C" {
void gol_sync_semacquire(uint32_t* s) __asm__("sync.runtime_Semacquire");
void gol_sync_semacquire(uint32_t* s) { gol_semacquire(s); }
void gol_sync_semrelease(uint32_t* s) __asm__("sync.runtime_Semrelease");
void gol_sync_semrelease(uint32_t* s) { gol_semrelease(s); }
}
