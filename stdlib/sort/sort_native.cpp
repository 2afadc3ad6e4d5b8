// sort_native.cpp: sort.Slice's access to a slice of any type. x is an interface{} holding a
// slice: its data word points at the boxed slice header, and the slice's type descriptor ends
// with its element's (runtime/typedesc.h), whose size is all a swap needs. The collector stops
// the world and needs no write barrier, so moving the element bytes with memcpy is safe.
#include <cstdio>
#include <cstring>

#include "runtime/abi.h"
#include "runtime/typedesc.h"

namespace {
struct SliceHeader {
  uint8_t* ptr;
  int64_t len;
  int64_t cap;
};
struct SliceType {
  gol_type base;
  const gol_type* elem;
};

// The panic value may outlive this frame (recover), so the text is copied to the heap first.
[[noreturn]] void fail(const char* msg) {
  GoString s = gol_slicebytetostring(reinterpret_cast<const uint8_t*>(msg), int64_t(std::strlen(msg)));
  gol_panicstring(s.ptr, s.len);
}

const SliceHeader* sliceOf(GoEface x) {
  const auto* t = static_cast<const gol_type*>(x.type);
  if (!t) fail("reflect: call of Swapper on zero Value");
  if ((t->kind & 0x1f) != gol::rt::KindSlice) {
    // reflect's ValueError text names the kind.
    static const char* const kinds[] = {"invalid", "bool", "int", "int8", "int16", "int32", "int64", "uint",
                                        "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64",
                                        "complex64", "complex128", "array", "chan", "func", "interface", "map",
                                        "ptr", "slice", "string", "struct", "unsafe.Pointer"};
    unsigned k = t->kind & 0x1f;
    char msg[96];
    std::snprintf(msg, sizeof msg, "reflect: call of Swapper on %s Value", k < 27 ? kinds[k] : "invalid");
    fail(msg);
  }
  return static_cast<const SliceHeader*>(x.data);
}
}  // namespace

extern "C" {
int64_t sort_lenAny(GoEface x) __asm__("sort.lenAny");
int64_t sort_lenAny(GoEface x) { return sliceOf(x)->len; }

void sort_swapAny(GoEface x, int64_t i, int64_t j) __asm__("sort.swapAny");
void sort_swapAny(GoEface x, int64_t i, int64_t j) {
  const SliceHeader* s = sliceOf(x);
  if (uint64_t(i) >= uint64_t(s->len) || uint64_t(j) >= uint64_t(s->len)) fail("reflect: slice index out of range");
  int64_t size = reinterpret_cast<const SliceType*>(x.type)->elem->size;
  if (i == j || size == 0) return;
  uint8_t tmp[256];
  uint8_t* a = s->ptr + i * size;
  uint8_t* b = s->ptr + j * size;
  for (int64_t off = 0; off < size; off += int64_t(sizeof tmp)) {
    size_t n = size_t(size - off < int64_t(sizeof tmp) ? size - off : int64_t(sizeof tmp));
    std::memcpy(tmp, a + off, n);
    std::memcpy(a + off, b + off, n);
    std::memcpy(b + off, tmp, n);
  }
}
}
