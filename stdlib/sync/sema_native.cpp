// sema_native.cpp: package sync's runtime hooks (Go's sync_runtime_* linknames) over the
// runtime's semaphores, notify lists and spin policy (runtime/sema.cpp, abi.h).
#include "runtime/abi.h"

extern "C" {
void gol_sync_semacquire(uint32_t* s) __asm__("sync.runtime_Semacquire");
void gol_sync_semacquire(uint32_t* s) { gol_semacquire(s); }
void gol_sync_semacquireMutex(uint32_t* s, bool lifo) __asm__("sync.runtime_SemacquireMutex");
void gol_sync_semacquireMutex(uint32_t* s, bool lifo) { gol_semacquire_mutex(s, lifo); }
void gol_sync_semacquireRWMutexR(uint32_t* s, bool lifo) __asm__("sync.runtime_SemacquireRWMutexR");
void gol_sync_semacquireRWMutexR(uint32_t* s, bool lifo) { gol_semacquire_rwmutexR(s, lifo); }
void gol_sync_semacquireRWMutex(uint32_t* s, bool lifo) __asm__("sync.runtime_SemacquireRWMutex");
void gol_sync_semacquireRWMutex(uint32_t* s, bool lifo) { gol_semacquire_rwmutex(s, lifo); }
void gol_sync_semacquireWaitGroup(uint32_t* s) __asm__("sync.runtime_SemacquireWaitGroup");
void gol_sync_semacquireWaitGroup(uint32_t* s) { gol_semacquire_waitgroup(s); }
void gol_sync_semrelease(uint32_t* s, bool handoff) __asm__("sync.runtime_Semrelease");
void gol_sync_semrelease(uint32_t* s, bool handoff) { gol_semrelease_mutex(s, handoff); }

bool gol_sync_runtime_canSpin(int64_t i) __asm__("sync.runtime_canSpin");
bool gol_sync_runtime_canSpin(int64_t i) { return gol_sync_canSpin(i); }
void gol_sync_runtime_doSpin() __asm__("sync.runtime_doSpin");
void gol_sync_runtime_doSpin() { gol_sync_doSpin(); }
int64_t gol_sync_nanotime() __asm__("sync.runtime_nanotime");
int64_t gol_sync_nanotime() { return gol_nanotime(); }
void gol_sync_throw_(const uint8_t* s, int64_t n) __asm__("sync.throw");
void gol_sync_throw_(const uint8_t* s, int64_t n) { gol_sync_throw(s, n); }

uint32_t gol_sync_notifyListAdd(void* l) __asm__("sync.runtime_notifyListAdd");
uint32_t gol_sync_notifyListAdd(void* l) { return gol_notifyListAdd(l); }
void gol_sync_notifyListWait(void* l, uint32_t t) __asm__("sync.runtime_notifyListWait");
void gol_sync_notifyListWait(void* l, uint32_t t) { gol_notifyListWait(l, t); }
void gol_sync_notifyListNotifyOne(void* l) __asm__("sync.runtime_notifyListNotifyOne");
void gol_sync_notifyListNotifyOne(void* l) { gol_notifyListNotifyOne(l); }
void gol_sync_notifyListNotifyAll(void* l) __asm__("sync.runtime_notifyListNotifyAll");
void gol_sync_notifyListNotifyAll(void* l) { gol_notifyListNotifyAll(l); }
void gol_sync_notifyListCheck(int64_t size) __asm__("sync.runtime_notifyListCheck");
void gol_sync_notifyListCheck(int64_t size) { gol_notifyListCheck(size); }
}
