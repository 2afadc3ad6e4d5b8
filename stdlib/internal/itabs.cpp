// itabs.cpp: the program-wide itab registry. Each module golc emits (the program's and every
// library package's) has its own table of {interface, type, itab, missing} entries for the pairs
// it can meet (compiler/lower_iface.cpp); a module registers it from a constructor, and its
// @gol.getitab asks here (fmt asserting a Stringer on the program's type finds the program's
// entry). Type descriptors are unique program-wide (linkonce_odr), so entries match by address.
//
// Lookups go through a hash cache of (interface, type) → entry, filled on first use: fmt asks
// for error, Stringer, Formatter and GoStringer on every value it prints, and the tables hold
// thousands of pairs. The cache only grows (slots are claimed by CAS and never change after),
// so readers need no lock; a pair found in no table is cached as absent too.
#include <atomic>
#include <cstdint>

namespace {
struct Entry {
  const void* inter;
  const void* type;
  const void* itab;
  const char* missing;
};
struct Table {
  const Entry* entries;
  int64_t n;
};
Table gTables[256];
int gCount;

// A cache slot: the key's entry, or a negative entry (from gAbsent) for a pair in no table.
constexpr uint64_t kSlots = 1 << 14;
std::atomic<const Entry*> gCache[kSlots];
constexpr int kAbsent = 1024;
Entry gAbsent[kAbsent];
std::atomic<int> gAbsentUsed;

uint64_t hashPair(const void* a, const void* b) {
  uint64_t h = reinterpret_cast<uintptr_t>(a) * 0x9E3779B97F4A7C15ull ^ reinterpret_cast<uintptr_t>(b);
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

const Entry* search(const void* inter, const void* type) {
  for (int t = 0; t < gCount; t++)
    for (int64_t i = 0; i < gTables[t].n; i++) {
      const Entry& e = gTables[t].entries[i];
      if (e.inter == inter && e.type == type) return &e;
    }
  return nullptr;
}
}  // namespace

extern "C" {
// Called from module constructors, before any goroutine runs (no lookups yet).
void gol_itab_register(const void* entries, int64_t n) {
  if (gCount < 256) gTables[gCount++] = {static_cast<const Entry*>(entries), n};
}

const void* gol_itab_lookup(const void* inter, const void* type) {
  uint64_t h = hashPair(inter, type);
  for (uint64_t probe = 0; probe < 64; probe++) {
    std::atomic<const Entry*>& slot = gCache[(h + probe) & (kSlots - 1)];
    const Entry* e = slot.load(std::memory_order_acquire);
    if (e == nullptr) {
      const Entry* found = search(inter, type);
      const Entry* put = found;
      if (!found) {
        int k = gAbsentUsed.fetch_add(1, std::memory_order_relaxed);
        if (k >= kAbsent) return nullptr;  // out of negative slots: just search next time
        gAbsent[k] = Entry{inter, type, nullptr, nullptr};
        put = &gAbsent[k];
      }
      const Entry* expected = nullptr;
      if (slot.compare_exchange_strong(expected, put, std::memory_order_acq_rel)) return found;
      e = expected;  // another thread claimed the slot: check what it holds
    }
    if (e->inter == inter && e->type == type) return e->itab || e->missing ? e : nullptr;
  }
  return search(inter, type);  // a long probe run: the cache is crowded here
}
}
