// fmt_native.cpp: fmt's view of values of any type, the part of reflect that fmt needs. A value
// is an interface{} {type, data} (GoEface): data is the value itself for pointer-shaped kinds
// (the descriptor's KindDirectIface) and a pointer to it otherwise. A field, element or map
// entry is handed back the same way, pointing into the containing value rather than copying it:
// fmt only reads, and the collector finds interior pointers. A slot of interface type yields its
// dynamic value; a nil one yields {the interface's own descriptor, null}, which fmt.gol prints
// as <nil> (or T(nil) for %#v), as reflect's Value of kind Interface.
//
// Descriptor layouts: runtime/typedesc.h (element types, array lengths, struct fields,
// interface method counts), runtime/map.h (map types and iteration).
#include <cstring>

#include "runtime/abi.h"
#include "runtime/map.h"
#include "runtime/typedesc.h"

namespace {
using namespace gol::rt;

struct ElemType {  // slices, arrays, pointers, chans: the element's descriptor comes first
  gol_type base;
  const gol_type* elem;
  int64_t len;  // arrays only
};
struct StructType {
  gol_type base;
  const gol_structfield* fields;
  int64_t nfields;
};
struct IfaceType {
  gol_type base;
  int64_t nmethods;
};

const gol_type* typeOf(GoEface v) { return static_cast<const gol_type*>(v.type); }
unsigned kindOf(const gol_type* t) { return t ? t->kind & KindMask : KindInvalid; }

// The value of type t stored at p, as an interface{}.
GoEface valueAt(const gol_type* t, const void* p) {
  if (kindOf(t) == KindInterface) {
    const void* const* w = static_cast<const void* const*>(p);
    const void* tab = w[0];
    if (!tab) return {t, nullptr};
    if (reinterpret_cast<const IfaceType*>(t)->nmethods > 0) tab = static_cast<const void* const*>(tab)[1];
    return {tab, const_cast<void*>(w[1])};
  }
  if (t->kind & KindDirectIface) return {t, *static_cast<void* const*>(p)};
  return {t, const_cast<void*>(p)};
}

GoString cstr(const char* s) { return {reinterpret_cast<const uint8_t*>(s), int64_t(std::strlen(s))}; }
}  // namespace

extern "C" {

int64_t fmt_kindOf(GoEface v) __asm__("fmt.kindOf");
int64_t fmt_kindOf(GoEface v) { return kindOf(typeOf(v)); }

// The type's name as Go prints it (%T): descriptor names are static, so no copy.
GoString fmt_typeString(GoEface v) __asm__("fmt.typeString");
GoString fmt_typeString(GoEface v) { return typeOf(v) ? cstr(typeOf(v)->name) : cstr("<nil>"); }

// The type's identity, for ordering interface-typed map keys by type first (as fmtsort).
uintptr_t fmt_typeID(GoEface v) __asm__("fmt.typeID");
uintptr_t fmt_typeID(GoEface v) { return reinterpret_cast<uintptr_t>(v.type); }

int64_t fmt_intVal(GoEface v) __asm__("fmt.intVal");
int64_t fmt_intVal(GoEface v) {
  const void* p = v.data;  // scalars are never pointer-shaped: data points at them
  switch (kindOf(typeOf(v))) {
    case KindInt8: return *static_cast<const int8_t*>(p);
    case KindInt16: return *static_cast<const int16_t*>(p);
    case KindInt32: return *static_cast<const int32_t*>(p);
    default: return *static_cast<const int64_t*>(p);
  }
}

uint64_t fmt_uintVal(GoEface v) __asm__("fmt.uintVal");
uint64_t fmt_uintVal(GoEface v) {
  const void* p = v.data;  // scalars are never pointer-shaped: data points at them
  switch (kindOf(typeOf(v))) {
    case KindUint8: return *static_cast<const uint8_t*>(p);
    case KindUint16: return *static_cast<const uint16_t*>(p);
    case KindUint32: return *static_cast<const uint32_t*>(p);
    default: return *static_cast<const uint64_t*>(p);
  }
}

double fmt_floatVal(GoEface v) __asm__("fmt.floatVal");
double fmt_floatVal(GoEface v) {
  if (kindOf(typeOf(v)) == KindFloat32) return *static_cast<const float*>(v.data);
  return *static_cast<const double*>(v.data);
}

bool fmt_boolVal(GoEface v) __asm__("fmt.boolVal");
bool fmt_boolVal(GoEface v) { return *static_cast<const uint8_t*>(v.data) != 0; }

GoString fmt_stringVal(GoEface v) __asm__("fmt.stringVal");
GoString fmt_stringVal(GoEface v) { return *static_cast<const GoString*>(v.data); }

// The address a pointer-shaped value holds (a slice's array); 0 for nil.
uintptr_t fmt_pointerVal(GoEface v) __asm__("fmt.pointerVal");
uintptr_t fmt_pointerVal(GoEface v) {
  const gol_type* t = typeOf(v);
  if (kindOf(t) == KindSlice) return reinterpret_cast<uintptr_t>(static_cast<const GoSlice*>(v.data)->ptr);
  if (t->kind & KindDirectIface) return reinterpret_cast<uintptr_t>(v.data);
  return 0;
}

// len(v) for slices, arrays, strings and maps.
int64_t fmt_length(GoEface v) __asm__("fmt.length");
int64_t fmt_length(GoEface v) {
  const gol_type* t = typeOf(v);
  switch (kindOf(t)) {
    case KindSlice: return static_cast<const GoSlice*>(v.data)->len;
    case KindArray: return reinterpret_cast<const ElemType*>(t)->len;
    case KindString: return static_cast<const GoString*>(v.data)->len;
    case KindMap: return v.data ? gol_maplen(v.data) : 0;
    default: return 0;
  }
}

// The kind of a slice's, array's, pointer's or chan's element (a map's value).
int64_t fmt_elemKind(GoEface v) __asm__("fmt.elemKind");
int64_t fmt_elemKind(GoEface v) {
  const gol_type* t = typeOf(v);
  switch (kindOf(t)) {
    case KindSlice:
    case KindArray:
    case KindPointer:
    case KindChan: return kindOf(reinterpret_cast<const ElemType*>(t)->elem);
    case KindMap: return kindOf(reinterpret_cast<const gol_maptype*>(t)->elem);
    default: return KindInvalid;
  }
}

// v[i] of a slice or array (i in range: fmt.gol loops to length).
GoEface fmt_index(GoEface v, int64_t i) __asm__("fmt.index");
GoEface fmt_index(GoEface v, int64_t i) {
  const gol_type* t = typeOf(v);
  const gol_type* et = reinterpret_cast<const ElemType*>(t)->elem;
  const uint8_t* base = kindOf(t) == KindSlice ? static_cast<const uint8_t*>(static_cast<const GoSlice*>(v.data)->ptr)
                                               : static_cast<const uint8_t*>(v.data);
  return valueAt(et, base + i * et->size);
}

// *v for a non-nil pointer.
GoEface fmt_elem(GoEface v) __asm__("fmt.elem");
GoEface fmt_elem(GoEface v) { return valueAt(reinterpret_cast<const ElemType*>(typeOf(v))->elem, v.data); }

int64_t fmt_numField(GoEface v) __asm__("fmt.numField");
int64_t fmt_numField(GoEface v) { return reinterpret_cast<const StructType*>(typeOf(v))->nfields; }

GoString fmt_fieldName(GoEface v, int64_t i) __asm__("fmt.fieldName");
GoString fmt_fieldName(GoEface v, int64_t i) { return cstr(reinterpret_cast<const StructType*>(typeOf(v))->fields[i].name); }

GoEface fmt_field(GoEface v, int64_t i) __asm__("fmt.field");
GoEface fmt_field(GoEface v, int64_t i) {
  const gol_structfield& f = reinterpret_cast<const StructType*>(typeOf(v))->fields[i];
  return valueAt(f.type, static_cast<const uint8_t*>(v.data) + f.offset);
}

// Fills keys[0..n) and vals[0..n) with m's entries (in iteration order; fmt.gol sorts them) and
// returns how many it wrote. keys and vals are interface{} slots in a slice fmt.gol allocated;
// the collector stops the world, so plain stores need no barrier.
int64_t fmt_mapEntries(GoEface m, GoEface* keys, GoEface* vals, int64_t n) __asm__("fmt.mapEntries");
int64_t fmt_mapEntries(GoEface m, GoEface* keys, GoEface* vals, int64_t n) {
  if (!m.data) return 0;
  const auto* mt = static_cast<const gol_maptype*>(m.type);
  alignas(8) uint64_t it[GOL_HITER_WORDS] = {};
  gol_mapiterinit(mt, m.data, it);
  int64_t i = 0;
  auto* h = reinterpret_cast<gol_hiter*>(it);
  for (; h->key && i < n; gol_mapiternext(it), i++) {
    keys[i] = valueAt(mt->key, h->key);
    vals[i] = valueAt(mt->elem, h->elem);
  }
  return i;
}

}  // extern "C"

// ---- the printer cache (Go's sync.Pool of *pp) ----
// One slot per CPU (sched_getcpu, like Go's per-P pools): getPrinter takes the slot's printer,
// putPrinter leaves one there, each a single atomic exchange, so goroutines never share a
// printer. The slots are in .bss, which the collector scans for roots (conservatively,
// runtime/mgcmark.cpp), so a cached printer and its buffer stay alive.
#include <sched.h>

#include <atomic>

namespace {
constexpr int kPrinterSlots = 64;
std::atomic<void*> gPrinters[kPrinterSlots];
std::atomic<void*>& printerSlot() {
  int cpu = sched_getcpu();
  return gPrinters[unsigned(cpu < 0 ? 0 : cpu) % kPrinterSlots];
}
}  // namespace

extern "C" {
void* fmt_getPrinter() __asm__("fmt.getPrinter");
void* fmt_getPrinter() { return printerSlot().exchange(nullptr, std::memory_order_acquire); }

void fmt_putPrinter(void* p) __asm__("fmt.putPrinter");
void fmt_putPrinter(void* p) { printerSlot().exchange(p, std::memory_order_release); }
}
