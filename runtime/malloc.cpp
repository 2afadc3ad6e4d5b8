// malloc.cpp: memory allocation.
//
// STAND-IN: gol_mallocgc is the C library's calloc/malloc until the garbage-collector issue
// replaces it with Go's size-class allocator (per-P mcache, spans from mheap) and a
// collector (DESIGN §4). Until then nothing is ever freed: Gol programs leak every heap
// object, which is fine for tests and short programs only.
#include <cstdlib>
#include <cstring>

#include "abi.h"
#include "runtime.h"

namespace gol::rt {
namespace {

// The address of every zero-sized allocation, as in Go (new(struct{}) == new(struct{}) may
// hold; both are non-nil).
alignas(16) uint64_t zerobase;

[[noreturn]] void outofmemory(uintptr_t size) {
  print("runtime: out of memory: cannot allocate ", size, "-byte block\n");
  gothrow("out of memory");
}

}  // namespace

void* mallocgc(uintptr_t size, const void* type, bool needzero) {
  (void)type;  // type descriptors drive precise scanning once the collector exists
  if (size == 0) return &zerobase;
  void* v = needzero ? std::calloc(1, size) : std::malloc(size);
  if (v == nullptr) outofmemory(size);
  return v;
}

void* persistentalloc(uintptr_t size, uintptr_t align) {
  if (align < alignof(std::max_align_t)) align = alignof(std::max_align_t);
  size = (size + align - 1) & ~(align - 1);  // aligned_alloc wants a multiple of align
  void* v = std::aligned_alloc(align, size);
  if (v == nullptr) outofmemory(size);
  std::memset(v, 0, size);
  return v;
}

}  // namespace gol::rt

extern "C" void* gol_mallocgc(int64_t size, const void* type, bool needzero) {
  if (size < 0) gol::rt::gothrow("mallocgc: negative size");
  return gol::rt::mallocgc(uintptr_t(size), type, needzero);
}
