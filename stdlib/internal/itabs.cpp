// itabs.cpp: the program-wide itab registry. Each module golc emits (the program's and every
// library package's) has its own table of {interface, type, itab, missing} entries for the pairs
// it can meet (compiler/lower_iface.cpp); a module registers it from a constructor, and when
// its own table misses (fmt asserting a Stringer on the program's type), @gol.getitab asks here.
// Type descriptors are unique program-wide (linkonce_odr), so entries match by address.
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
}  // namespace

extern "C" {
void gol_itab_register(const void* entries, int64_t n) {
  if (gCount < 256) gTables[gCount++] = {static_cast<const Entry*>(entries), n};
}

const void* gol_itab_lookup(const void* inter, const void* type) {
  for (int t = 0; t < gCount; t++)
    for (int64_t i = 0; i < gTables[t].n; i++) {
      const Entry& e = gTables[t].entries[i];
      if (e.inter == inter && e.type == type) return &e;
    }
  return nullptr;
}
}
