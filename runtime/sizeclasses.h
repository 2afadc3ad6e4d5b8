// sizeclasses.h: the allocator's size classes (Go's sizeclasses.go, the same table).
//
// A small object (at most MaxSmallSize bytes) is rounded up to one of NumSizeClasses sizes
// and carved from a span that holds only objects of that size. sizeclasses.cpp generates the
// table at compile time and explains the rule; the unit tests check its properties.
//
//   class  bytes/obj  pages/span  objects/span  tail waste
//       1          8           1          1024          0
//       2         16           1           512          0
//       ...
//      67      32768           4             1          0
//
// Class 0 means "not a small object": large objects (> MaxSmallSize) get a span each.
#pragma once
#include <cstdint>

namespace gol::rt {

constexpr uintptr_t PageShift = 13;
constexpr uintptr_t PageSize = uintptr_t(1) << PageShift;  // 8 KiB: the heap's unit of allocation
constexpr uintptr_t MaxSmallSize = 32 << 10;
constexpr uintptr_t TinySize = 16;   // the tiny allocator's block (malloc.cpp)
constexpr uintptr_t SmallSizeDiv = 8;
constexpr uintptr_t SmallSizeMax = 1024;
constexpr uintptr_t LargeSizeDiv = 128;
constexpr int NumSizeClasses = 68;  // including class 0; asserted against the generator
// Most objects in one span: 8-byte objects in one page. Bounds the span's bitmaps.
constexpr uintptr_t MaxObjsPerSpan = PageSize / 8;

struct SizeClasses {
  uint32_t size[NumSizeClasses];     // class_to_size: bytes per object
  uint8_t npages[NumSizeClasses];    // class_to_allocnpages: pages per span
  uint16_t nelems[NumSizeClasses];   // objects per span
  // divMul[c] = ceil(2^32 / size[c]): for an offset n inside a span of class c,
  // (n * divMul[c]) >> 32 == n / size[c] exactly (checked for every offset by the tests),
  // so finding an object from an interior pointer needs no division (Go's divMul).
  uint32_t divMul[NumSizeClasses];
  uint8_t size_to_class8[SmallSizeMax / SmallSizeDiv + 1];                     // by ceil(size/8)
  uint8_t size_to_class128[(MaxSmallSize - SmallSizeMax) / LargeSizeDiv + 1];  // by ceil((size-1024)/128)
};
extern const SizeClasses sizeclasses;

// The class of a small allocation of size bytes (0 < size <= MaxSmallSize).
inline uint8_t sizeToClass(uintptr_t size) {
  if (size <= SmallSizeMax - 8) return sizeclasses.size_to_class8[(size + SmallSizeDiv - 1) / SmallSizeDiv];
  return sizeclasses.size_to_class128[(size - SmallSizeMax + LargeSizeDiv - 1) / LargeSizeDiv];
}

// Prints the table (as above) to stderr; for HACKING.md and curious readers.
void dumpsizeclasses();

}  // namespace gol::rt
