// slice.cpp: make and append for slices (Go's slice.go). A slice is {ptr, len, cap}
// (abi.h); these functions allocate backing arrays, compiled code does everything else.
//
// Capacities follow Go exactly, because programs can print cap(s): append doubles small
// slices, grows large ones by about 1.25x, and then rounds the byte size up to the
// allocator's size class (roundupsize), so cap([]int) after 512 goes to 848, not 640.
#include <algorithm>
#include <cstring>

#include "abi.h"
#include "runtime.h"

namespace gol::rt {
namespace {

// The largest allocation Go allows on 64-bit Linux (malloc.go's maxAlloc).
constexpr uintptr_t maxAlloc = uintptr_t(1) << 48;

[[noreturn]] void panicmakeslicelen() { panicstring("runtime error: makeslice: len out of range"); }
[[noreturn]] void panicmakeslicecap() { panicstring("runtime error: makeslice: cap out of range"); }

// a * b, or false on overflow.
bool mulUintptr(uintptr_t a, uintptr_t b, uintptr_t* out) { return !__builtin_mul_overflow(a, b, out); }

}  // namespace

// Go 1.19's size classes (sizeclasses.go, class_to_size), which decide what cap() reports
// after append and []byte(s), so programs print the same capacities as Go. The allocator's
// own classes (sizeclasses.h) should become exactly these; until they are, slices round
// with this copy so that cap() never depends on allocator tuning.
constexpr uint16_t goClassToSize[] = {
    0,    8,    16,   24,   32,   48,    64,    80,    96,    112,   128,   144,   160,   176,
    192,  208,  224,  240,  256,  288,   320,   352,   384,   416,   448,   480,   512,   576,
    640,  704,  768,  896,  1024, 1152,  1280,  1408,  1536,  1792,  2048,  2304,  2688,  3072,
    3200, 3456, 4096, 4864, 5376, 6144,  6528,  6784,  6912,  8192,  9472,  9728,  10240, 10880,
    12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
constexpr uintptr_t goMaxSmallSize = 32768;
constexpr uintptr_t goPageSize = 8192;

// The size Go's allocator hands out for a request of size bytes (Go's roundupsize): the
// smallest size class that fits, or whole pages beyond the largest class.
uintptr_t roundupsize(uintptr_t size) {
  if (size < goMaxSmallSize) return *std::lower_bound(std::begin(goClassToSize), std::end(goClassToSize), size);
  if (size + goPageSize < size) return size;
  return (size + goPageSize - 1) & ~(goPageSize - 1);
}

}  // namespace gol::rt

using namespace gol::rt;

extern "C" void* gol_makeslice(const void* elemtype, int64_t elemsize, int64_t len, int64_t cap) {
  uintptr_t mem;
  if (!mulUintptr(uintptr_t(elemsize), uintptr_t(cap), &mem) || mem > maxAlloc || len < 0 || len > cap) {
    // Report len rather than cap when both are bad: make([]T, hugeLen) with cap == len
    // must say "len out of range", as Go does.
    if (!mulUintptr(uintptr_t(elemsize), uintptr_t(len), &mem) || mem > maxAlloc || len < 0) panicmakeslicelen();
    panicmakeslicecap();
  }
  return mallocgc(mem, elemtype, true);
}

extern "C" GoSlice gol_growslice(const void* oldptr, int64_t newlen, int64_t oldcap, int64_t num,
                                 const void* elemtype, int64_t elemsize) {
  int64_t oldlen = newlen - num;
  GOL_ASSERT(newlen >= oldcap && oldlen >= 0, "growslice: bad arguments");
  if (elemsize == 0) {
    // append should not create a slice with nil pointer but non-zero len; any non-nil
    // address will do for zero-sized elements.
    return GoSlice{mallocgc(0, elemtype, false), newlen, newlen};
  }

  int64_t newcap = oldcap;
  int64_t doublecap = newcap + newcap;
  if (newlen > doublecap) {
    newcap = newlen;
  } else {
    constexpr int64_t threshold = 256;
    if (oldcap < threshold) {
      newcap = doublecap;
    } else {
      // Check 0 < newcap to detect overflow and prevent an infinite loop. Transition from
      // growing 2x for small slices to 1.25x for large slices, smoothly.
      while (0 < newcap && newcap < newlen) newcap += (newcap + 3 * threshold) / 4;
      if (newcap <= 0) newcap = newlen;
    }
  }

  uintptr_t capmem;
  if (!mulUintptr(uintptr_t(newcap), uintptr_t(elemsize), &capmem) || capmem > maxAlloc) {
    panicstring("runtime error: growslice: cap out of range");
  }
  capmem = roundupsize(capmem);
  newcap = int64_t(capmem / uintptr_t(elemsize));
  capmem = uintptr_t(newcap) * uintptr_t(elemsize);

  void* p = mallocgc(capmem, elemtype, true);
  if (oldlen > 0) std::memmove(p, oldptr, uintptr_t(oldlen) * uintptr_t(elemsize));
  return GoSlice{p, newlen, newcap};
}
