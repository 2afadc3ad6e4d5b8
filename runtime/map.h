// map.h: Go's hashmap (runtime/map.go, Go 1.19) for Gol: the map type descriptor's
// kind-specific part, the map header and the iterator compiled code allocates on its stack.
// See map.cpp for the algorithm and abi.h for the entry points.
#pragma once
#include <cstddef>
#include <cstdint>

#include "typedesc.h"

extern "C" {

// A map type's descriptor: gol_type (48 bytes, kind KindMap) followed by (typedesc.h):
//   48  key        const gol_type*   the key type (its `equal` compares keys)
//   56  elem       const gol_type*   the element type
//   64  hasher     uintptr_t(const void* key, uintptr_t seed): the key type's hash
//   72  keysize    uint32            key.size
//   76  elemsize   uint32            elem.size
//   80  bucketsize uint32            8 tophash bytes + 8 keys + 8 elems (rounded to 8) + overflow ptr
//   84  flags      uint32            none yet (0)
// Keys and elements are always stored inline in the buckets (Go puts > 128-byte ones behind a
// pointer; Gol does not yet).
struct gol_maptype {
  gol_type typ;
  const gol_type* key;
  const gol_type* elem;
  uintptr_t (*hasher)(const void* key, uintptr_t seed);
  uint32_t keysize;
  uint32_t elemsize;
  uint32_t bucketsize;
  uint32_t flags;
};

// A map value is a gol_hmap* (nil: the nil map).
struct gol_hmap {
  int64_t count;  // live entries: len(m)
  uint8_t flags;
  uint8_t B;  // log2 of the number of buckets
  uint16_t noverflow;  // approximate number of overflow buckets
  uint32_t hash0;      // per-map random seed
  uint8_t* buckets;    // 1<<B buckets
  uint8_t* oldbuckets; // half (or same) size; non-null only while growing
  uintptr_t nevacuate; // buckets below this are evacuated
};

// The iteration state of `for k, v := range m`; compiled code allocates GOL_HITER_WORDS words
// on its stack. key is null when the iteration is done; else key and elem point at the
// current entry (valid until the next gol_mapiternext).
struct gol_hiter {
  void* key;
  void* elem;
  const gol_maptype* t;
  gol_hmap* h;
  uint8_t* buckets;
  uint8_t* bptr;
  uintptr_t startBucket;
  uintptr_t bucket;
  uintptr_t checkBucket;
  uint8_t offset;
  bool wrapped;
  uint8_t B;
  uint8_t i;
};
#define GOL_HITER_WORDS 12

}  // extern "C"

static_assert(offsetof(gol_maptype, key) == 48);
static_assert(offsetof(gol_maptype, hasher) == 64);
static_assert(offsetof(gol_maptype, bucketsize) == 80);
static_assert(sizeof(gol_maptype) == 88);
static_assert(sizeof(gol_hiter) <= GOL_HITER_WORDS * 8);
static_assert(offsetof(gol_hiter, key) == 0 && offsetof(gol_hiter, elem) == 8);
