// map.cpp: Go's hashmap (runtime/map.go, Go 1.19), for Gol.
//
// A map is an array of 2^B buckets. A bucket holds up to 8 entries: 8 tophash bytes (the top
// byte of each entry's hash, or an empty/evacuated mark), then the 8 keys, then the 8 elements,
// then a pointer to an overflow bucket. The low B bits of a key's hash pick its bucket.
// When the average load passes 6.5 entries per bucket the map doubles; when it has too many
// overflow buckets for its size it grows to the same size (repacking). Growth is incremental:
// every assign or delete evacuates one or two old buckets into the new array, and reads look
// in the old bucket while it is not evacuated.
//
// Hashing is the map type's `hasher` (map.h), which the compiler emits per key type: the
// gol_*hash functions below for scalars, strings and interfaces, generated functions for
// arrays and structs. Each map has a random seed (hash0); iteration starts at a random
// bucket and a random offset within buckets, so the order differs between maps and runs.
//
// GC: buckets, overflow buckets and the header are allocated with a null descriptor (scanned
// conservatively: every word may be a pointer); no write barriers are needed.
#include "map.h"

#include <cstring>

#include "abi.h"
#include "runtime.h"

using namespace gol::rt;

namespace {

constexpr int bucketCnt = 8;
constexpr uint8_t emptyRest = 0, emptyOne = 1, evacuatedX = 2, evacuatedY = 3, evacuatedEmpty = 4,
                  minTopHash = 5;
constexpr uint8_t iterator = 1, oldIterator = 2, hashWriting = 4, sameSizeGrow = 8;
constexpr uintptr_t noCheck = ~uintptr_t(0);

alignas(16) uint8_t zeroVal[1 << 16];

inline bool isEmpty(uint8_t x) { return x <= emptyOne; }
inline uintptr_t bucketShift(uint8_t b) { return uintptr_t(1) << (b & 63); }
inline uintptr_t bucketMask(uint8_t b) { return bucketShift(b) - 1; }
inline uint8_t tophash(uintptr_t hash) {
  uint8_t top = uint8_t(hash >> 56);
  if (top < minTopHash) top += minTopHash;
  return top;
}
inline bool overLoadFactor(int64_t count, uint8_t B) {
  return count > bucketCnt && uint64_t(count) > 13 * (bucketShift(B) / 2);
}
inline bool tooManyOverflowBuckets(uint16_t noverflow, uint8_t B) {
  if (B > 15) B = 15;
  return noverflow >= uint16_t(1) << (B & 15);
}

inline uint8_t* bucketAt(const gol_maptype* t, uint8_t* base, uintptr_t i) { return base + i * t->bucketsize; }
inline uint8_t* keyAt(const gol_maptype* t, uint8_t* b, uintptr_t i) { return b + bucketCnt + i * t->keysize; }
inline uint8_t* elemAt(const gol_maptype* t, uint8_t* b, uintptr_t i) {
  return b + bucketCnt + bucketCnt * t->keysize + i * t->elemsize;
}
inline uint8_t*& overflowOf(const gol_maptype* t, uint8_t* b) {
  return *reinterpret_cast<uint8_t**>(b + t->bucketsize - 8);
}
inline bool keyEqual(const gol_maptype* t, const void* a, const void* b) { return t->key->equal(a, b); }
inline uintptr_t hashKey(const gol_maptype* t, const void* k, uint32_t seed) { return t->hasher(k, seed); }

inline bool growing(const gol_hmap* h) { return h->oldbuckets != nullptr; }
inline bool isSameSizeGrow(const gol_hmap* h) { return (h->flags & sameSizeGrow) != 0; }
inline uintptr_t noldbuckets(const gol_hmap* h) {
  uint8_t oldB = h->B;
  if (!isSameSizeGrow(h)) oldB--;
  return bucketShift(oldB);
}
inline uintptr_t oldbucketmask(const gol_hmap* h) { return noldbuckets(h) - 1; }
inline bool evacuated(uint8_t* b) { return b[0] > emptyOne && b[0] < minTopHash; }

uint64_t fastrand64() { return (uint64_t(fastrand1()) << 32) | fastrand1(); }

uint8_t* newarray(const gol_maptype* t, uint8_t B) {
  return static_cast<uint8_t*>(mallocgc(uintptr_t(t->bucketsize) << B, nullptr, true));
}

void incrnoverflow(gol_hmap* h) {
  if (h->B < 16) {
    h->noverflow++;
    return;
  }
  uint32_t mask = (uint32_t(1) << (h->B - 15)) - 1;
  if ((fastrand1() & mask) == 0) h->noverflow++;
}

uint8_t* newoverflow(const gol_maptype* t, gol_hmap* h, uint8_t* b) {
  auto* ovf = static_cast<uint8_t*>(mallocgc(t->bucketsize, nullptr, true));
  incrnoverflow(h);
  overflowOf(t, b) = ovf;
  return ovf;
}

void advanceEvacuationMark(gol_hmap* h, const gol_maptype* t, uintptr_t newbit) {
  h->nevacuate++;
  uintptr_t stop = h->nevacuate + 1024;
  if (stop > newbit) stop = newbit;
  while (h->nevacuate != stop && evacuated(bucketAt(t, h->oldbuckets, h->nevacuate))) h->nevacuate++;
  if (h->nevacuate == newbit) {
    h->oldbuckets = nullptr;
    h->flags &= uint8_t(~sameSizeGrow);
  }
}

void evacuate(const gol_maptype* t, gol_hmap* h, uintptr_t oldbucket) {
  uint8_t* b = bucketAt(t, h->oldbuckets, oldbucket);
  uintptr_t newbit = noldbuckets(h);
  if (!evacuated(b)) {
    struct Dst {
      uint8_t* b;
      int i;
    } xy[2] = {{bucketAt(t, h->buckets, oldbucket), 0}, {nullptr, 0}};
    if (!isSameSizeGrow(h)) xy[1].b = bucketAt(t, h->buckets, oldbucket + newbit);
    for (uint8_t* ob = b; ob != nullptr; ob = overflowOf(t, ob)) {
      for (int i = 0; i < bucketCnt; i++) {
        uint8_t top = ob[i];
        if (isEmpty(top)) {
          ob[i] = evacuatedEmpty;
          continue;
        }
        if (top < minTopHash) gothrow("bad map state");
        uint8_t* k = keyAt(t, ob, i);
        int useY = 0;
        if (!isSameSizeGrow(h)) {
          uintptr_t hash = hashKey(t, k, h->hash0);
          if ((h->flags & iterator) != 0 && !keyEqual(t, k, k)) {
            // NaN: the hash is random; the tophash's low bit decides, so iterators agree.
            useY = top & 1;
            top = tophash(hash);
          } else if ((hash & newbit) != 0) {
            useY = 1;
          }
        }
        ob[i] = uint8_t(evacuatedX + useY);
        Dst* dst = &xy[useY];
        if (dst->i == bucketCnt) {
          dst->b = newoverflow(t, h, dst->b);
          dst->i = 0;
        }
        dst->b[dst->i] = top;
        memmove(keyAt(t, dst->b, dst->i), k, t->keysize);
        memmove(elemAt(t, dst->b, dst->i), elemAt(t, ob, i), t->elemsize);
        dst->i++;
      }
    }
    // Unlink the overflow buckets and drop the old keys and elements, unless an iterator
    // may still be walking the old array (the tophash bytes stay: they say "evacuated").
    if ((h->flags & oldIterator) == 0) memset(b + bucketCnt, 0, t->bucketsize - bucketCnt);
  }
  if (oldbucket == h->nevacuate) advanceEvacuationMark(h, t, newbit);
}

void growWork(const gol_maptype* t, gol_hmap* h, uintptr_t bucket) {
  evacuate(t, h, bucket & oldbucketmask(h));
  if (growing(h)) evacuate(t, h, h->nevacuate);
}

void hashGrow(const gol_maptype* t, gol_hmap* h) {
  uint8_t bigger = 1;
  if (!overLoadFactor(h->count + 1, h->B)) {
    bigger = 0;
    h->flags |= sameSizeGrow;
  }
  uint8_t* old = h->buckets;
  uint8_t* nb = newarray(t, uint8_t(h->B + bigger));
  uint8_t flags = h->flags & uint8_t(~(iterator | oldIterator));
  if ((h->flags & iterator) != 0) flags |= oldIterator;
  h->flags = flags;
  h->B += bigger;
  h->oldbuckets = old;
  h->buckets = nb;
  h->nevacuate = 0;
  h->noverflow = 0;
}

// The bucket to search for hash: the new one, or the old one while it is not evacuated.
uint8_t* lookupBucket(const gol_maptype* t, gol_hmap* h, uintptr_t hash) {
  uintptr_t m = bucketMask(h->B);
  uint8_t* b = bucketAt(t, h->buckets, hash & m);
  if (uint8_t* old = h->oldbuckets) {
    if (!isSameSizeGrow(h)) m >>= 1;
    uint8_t* oldb = bucketAt(t, old, hash & m);
    if (!evacuated(oldb)) b = oldb;
  }
  return b;
}

// The slot index of key in h, with its bucket in *bp; -1 if absent.
int find(const gol_maptype* t, gol_hmap* h, const void* key, uint8_t** bp) {
  uintptr_t hash = hashKey(t, key, h->hash0);
  uint8_t top = tophash(hash);
  for (uint8_t* b = lookupBucket(t, h, hash); b != nullptr; b = overflowOf(t, b)) {
    for (int i = 0; i < bucketCnt; i++) {
      if (b[i] != top) {
        if (b[i] == emptyRest) return -1;
        continue;
      }
      if (keyEqual(t, key, keyAt(t, b, i))) {
        *bp = b;
        return i;
      }
    }
  }
  return -1;
}

void* zeroFor(const gol_maptype* t) {
  if (t->elemsize <= sizeof(zeroVal)) return zeroVal;
  return mallocgc(t->elemsize, t->elem, true);
}

}  // namespace

extern "C" {

// ---- hashers (map.h: gol_maptype.hasher) ----
// A wyhash-style mix: a 64x64->128 multiply folded to 64 bits.
static inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t r = __uint128_t(a) * b;
  return uint64_t(r) ^ uint64_t(r >> 64);
}
constexpr uint64_t m1 = 0xa0761d6478bd642full, m2 = 0xe7037ed1a0b428dbull, m3 = 0x8ebc6af09c88c6e3ull,
                   m4 = 0x589965cc75374cc3ull;
static inline uint64_t r8(const uint8_t* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

uintptr_t gol_memhash(const void* p, uintptr_t seed, uintptr_t n) {
  auto* q = static_cast<const uint8_t*>(p);
  uint64_t h = mix(seed ^ m1, n ^ m4);
  uintptr_t left = n;
  while (left >= 16) {
    h = mix(r8(q) ^ m2, r8(q + 8) ^ h);
    q += 16;
    left -= 16;
  }
  uint64_t a = 0, b = 0;
  if (left >= 8) {
    a = r8(q);
    b = r8(q + left - 8);
  } else if (left > 0) {
    uint8_t buf[8] = {};
    memcpy(buf, q, left);
    a = r8(buf);
  }
  h = mix(a ^ m2, b ^ h);
  return mix(h ^ m3, n ^ m1);
}
uintptr_t gol_memhash8(const void* p, uintptr_t seed) { return gol_memhash(p, seed, 1); }
uintptr_t gol_memhash16(const void* p, uintptr_t seed) { return gol_memhash(p, seed, 2); }
uintptr_t gol_memhash32(const void* p, uintptr_t seed) {
  uint32_t v;
  memcpy(&v, p, 4);
  return mix(mix(seed ^ m1, v ^ m2), 4 ^ m3);
}
uintptr_t gol_memhash64(const void* p, uintptr_t seed) {
  uint64_t v;
  memcpy(&v, p, 8);
  return mix(mix(seed ^ m1, v ^ m2), 8 ^ m3);
}
uintptr_t gol_strhash(const void* p, uintptr_t seed) {
  auto* s = static_cast<const GoString*>(p);
  return gol_memhash(s->ptr, seed, uintptr_t(s->len));
}
uintptr_t gol_f32hash(const void* p, uintptr_t seed) {
  float f;
  memcpy(&f, p, 4);
  if (f == 0) return mix(seed ^ m1, m2);       // +0 and -0 are equal
  if (f != f) return mix(seed ^ fastrand64(), m3);  // NaN: random, never found again
  return gol_memhash32(p, seed);
}
uintptr_t gol_f64hash(const void* p, uintptr_t seed) {
  double f;
  memcpy(&f, p, 8);
  if (f == 0) return mix(seed ^ m1, m2);
  if (f != f) return mix(seed ^ fastrand64(), m3);
  return gol_memhash64(p, seed);
}
uintptr_t gol_c64hash(const void* p, uintptr_t seed) {
  auto* f = static_cast<const uint8_t*>(p);
  return gol_f32hash(f + 4, gol_f32hash(f, seed));
}
uintptr_t gol_c128hash(const void* p, uintptr_t seed) {
  auto* f = static_cast<const uint8_t*>(p);
  return gol_f64hash(f + 8, gol_f64hash(f, seed));
}

// The hash of an interface's dynamic value {type, data}: by the type's kind. Struct and array
// dynamic values hash by their type only (correct, since equal values have equal types, but
// they share one chain per type: gol_type has no hasher yet).
static uintptr_t typehash(const gol_type* t, const void* data, uintptr_t seed) {
  if (t == nullptr) return mix(seed ^ m1, m4);
  if (t->equal == nullptr) {
    char msg[256];  // panicstring copies it
    const char* pre = "runtime error: hash of unhashable type ";
    const char* name = t->name != nullptr ? t->name : "?";
    size_t n = strlen(pre), m = strnlen(name, sizeof msg - n - 1);
    memcpy(msg, pre, n);
    memcpy(msg + n, name, m);
    msg[n + m] = 0;
    panicstring(msg);
  }
  uint8_t kind = t->kind & KindMask;
  if ((t->kind & KindDirectIface) != 0) return gol_memhash64(&data, seed ^ t->hash);
  switch (kind) {
    case KindFloat32: return gol_f32hash(data, seed ^ t->hash);
    case KindFloat64: return gol_f64hash(data, seed ^ t->hash);
    case KindComplex64: return gol_c64hash(data, seed ^ t->hash);
    case KindComplex128: return gol_c128hash(data, seed ^ t->hash);
    case KindString: return gol_strhash(data, seed ^ t->hash);
    case KindArray:
    case KindStruct:
    case KindInterface: return mix(seed ^ t->hash, m4);
    default: return gol_memhash(data, seed ^ t->hash, uintptr_t(t->size));
  }
}
uintptr_t gol_nilinterhash(const void* p, uintptr_t seed) {
  auto* e = static_cast<void* const*>(p);
  return typehash(static_cast<const gol_type*>(e[0]), e[1], seed);
}
uintptr_t gol_interhash(const void* p, uintptr_t seed) {
  auto* e = static_cast<void* const*>(p);
  const gol_type* t = e[0] ? *reinterpret_cast<const gol_type* const*>(static_cast<const uint8_t*>(e[0]) + 8) : nullptr;
  return typehash(t, e[1], seed);
}

// ---- the map operations (abi.h) ----
void* gol_makemap(const void* maptype, int64_t hint) {
  auto* t = static_cast<const gol_maptype*>(maptype);
  auto* h = static_cast<gol_hmap*>(mallocgc(sizeof(gol_hmap), nullptr, true));
  h->hash0 = fastrand1();
  uint8_t B = 0;
  if (hint > 0 && hint < (int64_t(1) << 40))
    while (overLoadFactor(hint, B)) B++;
  h->B = B;
  if (B != 0) h->buckets = newarray(t, B);
  return h;
}

void* gol_mapaccess1(const void* maptype, void* m, const void* key) {
  auto* t = static_cast<const gol_maptype*>(maptype);
  auto* h = static_cast<gol_hmap*>(m);
  if (h == nullptr || h->count == 0) {
    hashKey(t, key, 0);  // panics for an unhashable interface key, as Go
    return zeroFor(t);
  }
  if ((h->flags & hashWriting) != 0) gothrow("concurrent map read and map write");
  uint8_t* b;
  int i = find(t, h, key, &b);
  return i < 0 ? zeroFor(t) : elemAt(t, b, i);
}

void* gol_mapaccess2(const void* maptype, void* m, const void* key, bool* ok) {
  auto* t = static_cast<const gol_maptype*>(maptype);
  auto* h = static_cast<gol_hmap*>(m);
  if (h == nullptr || h->count == 0) {
    hashKey(t, key, 0);
    *ok = false;
    return zeroFor(t);
  }
  if ((h->flags & hashWriting) != 0) gothrow("concurrent map read and map write");
  uint8_t* b;
  int i = find(t, h, key, &b);
  *ok = i >= 0;
  return i < 0 ? zeroFor(t) : elemAt(t, b, i);
}

void* gol_mapassign(const void* maptype, void* m, const void* key) {
  auto* t = static_cast<const gol_maptype*>(maptype);
  auto* h = static_cast<gol_hmap*>(m);
  if (h == nullptr) panicstring("assignment to entry in nil map");
  if ((h->flags & hashWriting) != 0) gothrow("concurrent map writes");
  uintptr_t hash = hashKey(t, key, h->hash0);
  // Set after the hash (which may panic), as Go does: a best-effort race detector.
  h->flags ^= hashWriting;
  if (h->buckets == nullptr) h->buckets = newarray(t, 0);
  uint8_t top = tophash(hash);
again:
  uintptr_t bucket = hash & bucketMask(h->B);
  if (growing(h)) growWork(t, h, bucket);
  uint8_t* b = bucketAt(t, h->buckets, bucket);
  uint8_t* inserti = nullptr;
  uint8_t* insertk = nullptr;
  uint8_t* elem = nullptr;
  for (;;) {
    for (int i = 0; i < bucketCnt; i++) {
      if (b[i] != top) {
        if (isEmpty(b[i]) && inserti == nullptr) {
          inserti = &b[i];
          insertk = keyAt(t, b, i);
          elem = elemAt(t, b, i);
        }
        if (b[i] == emptyRest) goto notfound;
        continue;
      }
      uint8_t* k = keyAt(t, b, i);
      if (!keyEqual(t, key, k)) continue;
      memmove(k, key, t->keysize);  // +0 replaces -0, as Go's needkeyupdate
      elem = elemAt(t, b, i);
      goto done;
    }
    uint8_t* ovf = overflowOf(t, b);
    if (ovf == nullptr) break;
    b = ovf;
  }
notfound:
  if (!growing(h) && (overLoadFactor(h->count + 1, h->B) || tooManyOverflowBuckets(h->noverflow, h->B))) {
    hashGrow(t, h);
    goto again;
  }
  if (inserti == nullptr) {
    uint8_t* nb = newoverflow(t, h, b);
    inserti = &nb[0];
    insertk = keyAt(t, nb, 0);
    elem = elemAt(t, nb, 0);
  }
  memmove(insertk, key, t->keysize);
  *inserti = top;
  h->count++;
done:
  if ((h->flags & hashWriting) == 0) gothrow("concurrent map writes");
  h->flags &= uint8_t(~hashWriting);
  return elem;
}

static void mapdeleteHashed(const gol_maptype* t, gol_hmap* h, uintptr_t hash, const void* key);

void gol_mapdelete(const void* maptype, void* m, const void* key) {
  auto* t = static_cast<const gol_maptype*>(maptype);
  auto* h = static_cast<gol_hmap*>(m);
  if (h == nullptr || h->count == 0) {
    hashKey(t, key, 0);
    return;
  }
  if ((h->flags & hashWriting) != 0) gothrow("concurrent map writes");
  uintptr_t hash = hashKey(t, key, h->hash0);
  h->flags ^= hashWriting;
  mapdeleteHashed(t, h, hash, key);
  if ((h->flags & hashWriting) == 0) gothrow("concurrent map writes");
  h->flags &= uint8_t(~hashWriting);
}

static void mapdeleteHashed(const gol_maptype* t, gol_hmap* h, uintptr_t hash, const void* key) {
  uintptr_t bucket = hash & bucketMask(h->B);
  if (growing(h)) growWork(t, h, bucket);
  uint8_t* b = bucketAt(t, h->buckets, bucket);
  uint8_t* bOrig = b;
  uint8_t top = tophash(hash);
  for (; b != nullptr; b = overflowOf(t, b)) {
    for (int i = 0; i < bucketCnt; i++) {
      if (b[i] != top) {
        if (b[i] == emptyRest) return;
        continue;
      }
      uint8_t* k = keyAt(t, b, i);
      if (!keyEqual(t, key, k)) continue;
      memset(k, 0, t->keysize);
      memset(elemAt(t, b, i), 0, t->elemsize);
      b[i] = emptyOne;
      // If the bucket now ends in a run of empty slots, mark them emptyRest.
      bool last = i == bucketCnt - 1 ? (overflowOf(t, b) == nullptr || overflowOf(t, b)[0] == emptyRest)
                                      : b[i + 1] == emptyRest;
      if (last) {
        for (;;) {
          b[i] = emptyRest;
          if (i == 0) {
            if (b == bOrig) break;
            uint8_t* c = b;
            for (b = bOrig; overflowOf(t, b) != c; b = overflowOf(t, b)) {
            }
            i = bucketCnt - 1;
          } else {
            i--;
          }
          if (b[i] != emptyOne) break;
        }
      }
      h->count--;
      if (h->count == 0) h->hash0 = fastrand1();  // fresh seed: harder to attack
      return;
    }
  }
}

int64_t gol_maplen(void* m) { return m == nullptr ? 0 : static_cast<gol_hmap*>(m)->count; }

void gol_mapclear(const void* maptype, void* m) {
  auto* t = static_cast<const gol_maptype*>(maptype);
  auto* h = static_cast<gol_hmap*>(m);
  if (h == nullptr || h->count == 0) return;
  if ((h->flags & hashWriting) != 0) gothrow("concurrent map writes");
  h->flags &= uint8_t(~sameSizeGrow);
  h->oldbuckets = nullptr;
  h->nevacuate = 0;
  h->noverflow = 0;
  h->count = 0;
  h->hash0 = fastrand1();
  // Clear in place: an iterator holding this array sees no more entries.
  memset(h->buckets, 0, uintptr_t(t->bucketsize) << h->B);
}

// Like find, for iterators: the live entry for a key seen in an evacuated bucket.
static bool mapaccessK(const gol_maptype* t, gol_hmap* h, const void* key, void** rk, void** re) {
  if (h == nullptr || h->count == 0) return false;
  uint8_t* b;
  int i = find(t, h, key, &b);
  if (i < 0) return false;
  *rk = keyAt(t, b, i);
  *re = elemAt(t, b, i);
  return true;
}

void gol_mapiternext(void* iter) {
  auto* it = static_cast<gol_hiter*>(iter);
  gol_hmap* h = it->h;
  const gol_maptype* t = it->t;
  uintptr_t bucket = it->bucket;
  uint8_t* b = it->bptr;
  int i = it->i;
  uintptr_t checkBucket = it->checkBucket;
  if ((h->flags & hashWriting) != 0) gothrow("concurrent map iteration and map write");
next:
  if (b == nullptr) {
    if (bucket == it->startBucket && it->wrapped) {
      it->key = nullptr;
      it->elem = nullptr;
      return;
    }
    if (growing(h) && it->B == h->B) {
      // Iterating in the middle of a grow that started after the iterator: look at the old
      // bucket, but only at the keys that go to this new bucket.
      uintptr_t oldbucket = bucket & oldbucketmask(h);
      b = bucketAt(t, h->oldbuckets, oldbucket);
      if (!evacuated(b)) {
        checkBucket = bucket;
      } else {
        b = bucketAt(t, it->buckets, bucket);
        checkBucket = noCheck;
      }
    } else {
      b = bucketAt(t, it->buckets, bucket);
      checkBucket = noCheck;
    }
    bucket++;
    if (bucket == bucketShift(it->B)) {
      bucket = 0;
      it->wrapped = true;
    }
    i = 0;
  }
  for (; i < bucketCnt; i++) {
    int offi = (i + it->offset) & (bucketCnt - 1);
    if (isEmpty(b[offi]) || b[offi] == evacuatedEmpty) continue;
    uint8_t* k = keyAt(t, b, offi);
    uint8_t* e = elemAt(t, b, offi);
    if (checkBucket != noCheck && !isSameSizeGrow(h)) {
      if (keyEqual(t, k, k)) {
        uintptr_t hash = hashKey(t, k, h->hash0);
        if ((hash & bucketMask(it->B)) != checkBucket) continue;
      } else if ((checkBucket >> (it->B - 1)) != uintptr_t(b[offi] & 1)) {
        continue;
      }
    }
    if ((b[offi] != evacuatedX && b[offi] != evacuatedY) || !keyEqual(t, k, k)) {
      it->key = k;
      it->elem = e;
    } else {
      // The entry moved: find its current state (it may have been updated or deleted).
      void *rk, *re;
      if (!mapaccessK(t, h, k, &rk, &re)) continue;
      it->key = rk;
      it->elem = re;
    }
    it->bucket = bucket;
    it->bptr = b;
    it->i = uint8_t(i + 1);
    it->checkBucket = checkBucket;
    return;
  }
  b = overflowOf(t, b);
  i = 0;
  goto next;
}

void gol_mapiterinit(const void* maptype, void* m, void* iter) {
  auto* it = static_cast<gol_hiter*>(iter);
  memset(it, 0, sizeof *it);
  auto* h = static_cast<gol_hmap*>(m);
  it->t = static_cast<const gol_maptype*>(maptype);
  if (h == nullptr || h->count == 0) return;
  it->h = h;
  it->B = h->B;
  it->buckets = h->buckets;
  uint64_t r = fastrand64();
  it->startBucket = r & bucketMask(h->B);
  it->offset = uint8_t((r >> h->B) & (bucketCnt - 1));
  it->bucket = it->startBucket;
  h->flags |= iterator | oldIterator;
  gol_mapiternext(it);
}

}  // extern "C"
