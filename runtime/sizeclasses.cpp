// sizeclasses.cpp: generates the size-class table at compile time.
//
// The rule is Go's (mksizeclasses.go, which produces Go 1.19's sizeclasses.go); the table
// must be exactly Go's because programs see it: append rounds a slice's new capacity up to
// a size class, so cap() after append prints the same numbers as under Go only if the
// classes agree.
//
//  1. Candidate sizes step by an alignment that grows with the size: 8 up to 32, then 16,
//     then size/8 from 128 (so each step is at most 12.5% of the size: rounding a request
//     up to its class wastes at most ~12.5% above 128 bytes), and 256 from 2048. Steps are
//     powers of two, so objects of 32 bytes and more are 16-byte aligned.
//  2. For each candidate, the span is the smallest number of pages whose tail (the bytes
//     left over after the last whole object) is at most 1/8 of the span: tail waste ≤ 12.5%.
//  3. A candidate that fits the same number of objects in the same number of pages as the
//     previous class replaces it: the bigger size costs nothing, and fewer classes mean
//     fewer partly used spans.
//  4. Finally each class grows to the largest multiple of 128 bytes that still fits the
//     same number of objects in its span (8448 bytes, 6 per 7 pages, becomes 9472): the
//     tail shrinks, nothing else changes.
//
// This yields 67 classes from 8 bytes to 32 KiB (plus class 0 for large objects). Every
// step below is constexpr: the table is in read-only data, and the static_asserts re-check
// the properties the unit tests also check (which also compare it with Go 1.19's).
#include <cstdio>

#include "runtime.h"
#include "sizeclasses.h"

namespace gol::rt {
namespace {

struct Generated {
  SizeClasses t{};
  int count = 0;
};

constexpr Generated generate() {
  constexpr int Cap = 128;
  uint32_t size[Cap]{};
  uint32_t npages[Cap]{};
  int n = 1;  // class 0 is reserved for large objects
  uintptr_t align = 8;
  for (uintptr_t sz = align; sz <= MaxSmallSize; sz += align) {
    if ((sz & (sz - 1)) == 0) {  // a power of two: time to widen the step
      if (sz >= 2048) {
        align = 256;
      } else if (sz >= 128) {
        align = sz / 8;
      } else if (sz >= 32) {
        align = 16;
      }
    }
    uintptr_t allocsize = PageSize;
    while (allocsize % sz > allocsize / 8) allocsize += PageSize;
    uint32_t np = uint32_t(allocsize >> PageShift);
    if (n > 1 && np == npages[n - 1] && allocsize / sz == allocsize / size[n - 1]) {
      size[n - 1] = uint32_t(sz);
      continue;
    }
    if (n == Cap) return {};  // cannot happen; makes the static_assert below fail
    size[n] = uint32_t(sz);
    npages[n] = np;
    n++;
  }

  for (int c = 1; c < n; c++) {
    uintptr_t psize = uintptr_t(npages[c]) << PageShift;
    uintptr_t bigger = (psize / (psize / size[c])) & ~(LargeSizeDiv - 1);
    if (bigger > size[c]) size[c] = uint32_t(bigger);
  }

  Generated g;
  g.count = n;
  if (n != NumSizeClasses) return g;
  for (int c = 1; c < n; c++) {
    g.t.size[c] = size[c];
    g.t.npages[c] = uint8_t(npages[c]);
    g.t.nelems[c] = uint16_t((npages[c] << PageShift) / size[c]);
    g.t.divMul[c] = uint32_t(~uint32_t(0) / size[c] + 1);
  }
  // Each table entry is the smallest class holding that many bytes.
  uintptr_t next = 0;
  for (int c = 1; c < n; c++) {
    for (; next < SmallSizeMax && next <= size[c]; next += SmallSizeDiv) {
      g.t.size_to_class8[next / SmallSizeDiv] = uint8_t(c);
    }
    if (next >= SmallSizeMax) {
      for (; next <= size[c]; next += LargeSizeDiv) {
        g.t.size_to_class128[(next - SmallSizeMax) / LargeSizeDiv] = uint8_t(c);
      }
    }
  }
  return g;
}

constexpr Generated generated = generate();
static_assert(generated.count == NumSizeClasses, "NumSizeClasses disagrees with the generator");

constexpr bool checkTable(const SizeClasses& t) {
  for (int c = 1; c < NumSizeClasses; c++) {
    uintptr_t span = uintptr_t(t.npages[c]) << PageShift;
    if (c > 1 && t.size[c] <= t.size[c - 1]) return false;  // strictly increasing
    if (t.size[c] % 8 != 0) return false;                   // word-aligned objects
    if (span % t.size[c] > span / 8) return false;           // tail waste ≤ 12.5%
    if (t.nelems[c] > MaxObjsPerSpan || t.nelems[c] == 0) return false;
  }
  return t.size[1] == 8 && t.size[NumSizeClasses - 1] == MaxSmallSize;
}
static_assert(checkTable(generated.t), "size class table violates its rule");

}  // namespace

constinit const SizeClasses sizeclasses = generated.t;

void dumpsizeclasses() {
  print("class  bytes/obj  pages/span  objects/span  tail waste\n");
  for (int c = 1; c < NumSizeClasses; c++) {
    const SizeClasses& t = sizeclasses;
    uintptr_t span = uintptr_t(t.npages[c]) << PageShift;
    char line[80];
    std::snprintf(line, sizeof line, "%5d  %9u  %10u  %12u  %10lu\n", c, unsigned(t.size[c]),
                  unsigned(t.npages[c]), unsigned(t.nelems[c]), static_cast<unsigned long>(span % t.size[c]));
    print(static_cast<const char*>(line));
  }
}

}  // namespace gol::rt
