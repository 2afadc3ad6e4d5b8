// atomic_native.cpp: package sync/atomic's functions, sequentially consistent like Go's, under
// Go's symbol names ("sync/atomic.AddInt32").
#include <cstdint>

#define GOL_ATOMIC(T, Name)                                                                     \
  T gol_atomic_Add##Name(T* p, T d) __asm__("\"sync/atomic.Add" #Name "\"");                          \
  T gol_atomic_Add##Name(T* p, T d) { return __atomic_add_fetch(p, d, __ATOMIC_SEQ_CST); }     \
  T gol_atomic_Load##Name(T* p) __asm__("\"sync/atomic.Load" #Name "\"");                             \
  T gol_atomic_Load##Name(T* p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }               \
  void gol_atomic_Store##Name(T* p, T v) __asm__("\"sync/atomic.Store" #Name "\"");                   \
  void gol_atomic_Store##Name(T* p, T v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }         \
  T gol_atomic_Swap##Name(T* p, T v) __asm__("\"sync/atomic.Swap" #Name "\"");                        \
  T gol_atomic_Swap##Name(T* p, T v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }   \
  bool gol_atomic_CAS##Name(T* p, T o, T n) __asm__("\"sync/atomic.CompareAndSwap" #Name "\"");       \
  bool gol_atomic_CAS##Name(T* p, T o, T n) {                                                  \
    return __atomic_compare_exchange_n(p, &o, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);   \
  }

extern "C" {
GOL_ATOMIC(int32_t, Int32)
GOL_ATOMIC(int64_t, Int64)
GOL_ATOMIC(uint32_t, Uint32)
GOL_ATOMIC(uint64_t, Uint64)
}
