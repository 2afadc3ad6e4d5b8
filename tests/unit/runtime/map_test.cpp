// map_test.cpp: the runtime's hashmap (runtime/map.cpp) driven directly through its ABI with
// hand-built descriptors: insert/lookup/delete of many keys across growth, iteration visiting
// every key exactly once, randomized iteration order, and Go's rules for deleting and
// inserting while iterating.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/export_test.h"
#include "runtime/map.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

bool eq64(const void* a, const void* b) { return *static_cast<const int64_t*>(a) == *static_cast<const int64_t*>(b); }
bool eqf64(const void* a, const void* b) { return *static_cast<const double*>(a) == *static_cast<const double*>(b); }
bool eqstr(const void* a, const void* b) {
  auto* x = static_cast<const GoString*>(a);
  auto* y = static_cast<const GoString*>(b);
  return x->len == y->len && memcmp(x->ptr, y->ptr, size_t(x->len)) == 0;
}

const gol_type intType = {8, 0, 1, 0, 8, 8, KindInt, eq64, nullptr, "int"};
const gol_type f64Type = {8, 0, 2, 0, 8, 8, KindFloat64, eqf64, nullptr, "float64"};
const uint8_t strBits = 1;
const gol_type strType = {16, 8, 3, 0, 8, 8, KindString, eqstr, &strBits, "string"};

gol_maptype mapType(const gol_type* k, const gol_type* e, uintptr_t (*h)(const void*, uintptr_t)) {
  gol_maptype t{};
  t.typ = {8, 8, 4, 0, 8, 8, uint8_t(KindMap | KindDirectIface), nullptr, nullptr, "map"};
  t.key = k;
  t.elem = e;
  t.hasher = h;
  t.keysize = uint32_t(k->size);
  t.elemsize = uint32_t(e->size);
  t.bucketsize = uint32_t(((8 + 8 * k->size + 8 * e->size + 7) & ~7) + 8);
  return t;
}

const gol_maptype intMap = mapType(&intType, &intType, gol_memhash64);
const gol_maptype f64Map = mapType(&f64Type, &intType, gol_f64hash);
const gol_maptype strMap = mapType(&strType, &intType, gol_strhash);

int64_t get(void* m, int64_t k, bool* ok = nullptr) {
  bool dummy;
  return *static_cast<int64_t*>(gol_mapaccess2(&intMap, m, &k, ok ? ok : &dummy));
}
void put(void* m, int64_t k, int64_t v) { *static_cast<int64_t*>(gol_mapassign(&intMap, m, &k)) = v; }
void del(void* m, int64_t k) { gol_mapdelete(&intMap, m, &k); }

std::vector<int64_t> keys(void* m) {
  std::vector<int64_t> out;
  alignas(8) uint8_t it[GOL_HITER_WORDS * 8];
  gol_mapiterinit(&intMap, m, it);
  auto* hi = reinterpret_cast<gol_hiter*>(it);
  while (hi->key != nullptr) {
    out.push_back(*static_cast<int64_t*>(hi->key));
    gol_mapiternext(it);
  }
  return out;
}

void run(void (*fn)()) { CHECK(testing::runMain(fn) == 0); }

}  // namespace

TEST_CASE("map: insert, lookup and delete 100000 int keys across growth") {
  run([] {
    void* m = gol_makemap(&intMap, 0);
    const int64_t n = 100000;
    for (int64_t i = 0; i < n; i++) put(m, i * 7919, i);
    CHECK(gol_maplen(m) == n);
    bool allFound = true;
    for (int64_t i = 0; i < n; i++) {
      bool ok;
      if (get(m, i * 7919, &ok) != i || !ok) allFound = false;
    }
    CHECK(allFound);
    bool ok = true;
    CHECK(get(m, 5, &ok) == 0);
    CHECK(!ok);
    for (int64_t i = 0; i < n; i += 2) del(m, i * 7919);
    CHECK(gol_maplen(m) == n / 2);
    bool right = true;
    for (int64_t i = 0; i < n; i++) {
      get(m, i * 7919, &ok);
      if (ok != (i % 2 == 1)) right = false;
    }
    CHECK(right);
    for (int64_t i = 0; i < n; i++) put(m, i * 7919, -i);  // overwrite and reinsert
    CHECK(gol_maplen(m) == n);
    CHECK(get(m, 3 * 7919) == -3);
    gol_mapclear(&intMap, m);
    CHECK(gol_maplen(m) == 0);
    CHECK(keys(m).empty());
  });
}

TEST_CASE("map: iteration visits every key exactly once, in varying order") {
  run([] {
    std::set<std::vector<int64_t>> orders;
    for (int trial = 0; trial < 10; trial++) {
      void* m = gol_makemap(&intMap, trial * 10);
      for (int64_t i = 0; i < 1000; i++) put(m, i, i);
      std::vector<int64_t> ks = keys(m);
      CHECK(ks.size() == 1000);
      std::set<int64_t> uniq(ks.begin(), ks.end());
      CHECK(uniq.size() == 1000);
      CHECK(*uniq.begin() == 0);
      CHECK(*uniq.rbegin() == 999);
      orders.insert(ks);
    }
    CHECK(orders.size() > 1);
    // A small map (one bucket) also starts at a random offset.
    std::set<int64_t> firsts;
    for (int trial = 0; trial < 50; trial++) {
      void* m = gol_makemap(&intMap, 0);
      for (int64_t i = 0; i < 5; i++) put(m, i, i);
      firsts.insert(keys(m)[0]);
    }
    CHECK(firsts.size() > 1);
  });
}

TEST_CASE("map: deleting during iteration never yields a deleted entry, inserting is safe") {
  run([] {
    void* m = gol_makemap(&intMap, 0);
    for (int64_t i = 0; i < 2000; i++) put(m, i, i);
    alignas(8) uint8_t it[GOL_HITER_WORDS * 8];
    auto* hi = reinterpret_cast<gol_hiter*>(it);
    std::set<int64_t> seen;
    bool sawDeleted = false, dup = false;
    gol_mapiterinit(&intMap, m, it);
    while (hi->key != nullptr) {
      int64_t k = *static_cast<int64_t*>(hi->key);
      if (k % 2 == 1 && k < 2000) sawDeleted = true;
      if (!seen.insert(k).second) dup = true;
      if (seen.size() == 1)
        for (int64_t j = 1; j < 2000; j += 2)
          if (j != k) del(m, j);  // every odd key not yet produced must not appear
      put(m, 10000 + k, k);  // inserts grow the map mid-iteration
      gol_mapiternext(it);
    }
    CHECK(!dup);
    CHECK(seen.size() >= 1000);
    int64_t firstOdd = 0;
    for (int64_t k : seen)
      if (k < 2000 && k % 2 == 1) firstOdd++;
    CHECK(firstOdd <= 1);  // only the first key produced may be odd
    (void)sawDeleted;
    bool evens = true;
    for (int64_t i = 0; i < 2000; i += 2)
      if (!seen.count(i)) evens = false;
    CHECK(evens);  // every entry present throughout is produced
  });
}

TEST_CASE("map: string keys by content, float keys: +0 == -0, NaN never found") {
  run([] {
    void* m = gol_makemap(&strMap, 0);
    std::vector<std::string> words;
    for (int i = 0; i < 500; i++) words.push_back("key" + std::to_string(i));
    for (size_t i = 0; i < words.size(); i++) {
      GoString k{reinterpret_cast<const uint8_t*>(words[i].data()), int64_t(words[i].size())};
      *static_cast<int64_t*>(gol_mapassign(&strMap, m, &k)) = int64_t(i);
    }
    std::string probe = "key123";  // a different copy of the bytes
    GoString k{reinterpret_cast<const uint8_t*>(probe.data()), int64_t(probe.size())};
    CHECK(*static_cast<int64_t*>(gol_mapaccess1(&strMap, m, &k)) == 123);

    void* f = gol_makemap(&f64Map, 0);
    double pz = 0.0, nz = -0.0, nan = std::nan("");
    *static_cast<int64_t*>(gol_mapassign(&f64Map, f, &pz)) = 1;
    *static_cast<int64_t*>(gol_mapassign(&f64Map, f, &nz)) = 2;
    CHECK(gol_maplen(f) == 1);
    CHECK(*static_cast<int64_t*>(gol_mapaccess1(&f64Map, f, &pz)) == 2);
    *static_cast<int64_t*>(gol_mapassign(&f64Map, f, &nan)) = 3;
    *static_cast<int64_t*>(gol_mapassign(&f64Map, f, &nan)) = 4;
    CHECK(gol_maplen(f) == 3);
    bool ok = true;
    gol_mapaccess2(&f64Map, f, &nan, &ok);
    CHECK(!ok);
    gol_mapdelete(&f64Map, f, &nan);
    CHECK(gol_maplen(f) == 3);
  });
}

TEST_CASE("map: nil map reads give zero values and length 0") {
  run([] {
    bool ok = true;
    int64_t k = 1;
    CHECK(*static_cast<int64_t*>(gol_mapaccess2(&intMap, nullptr, &k, &ok)) == 0);
    CHECK(!ok);
    CHECK(gol_maplen(nullptr) == 0);
    gol_mapdelete(&intMap, nullptr, &k);
    CHECK(keys(nullptr).empty());
  });
}
