// typedesc.h: the prefix every type descriptor starts with (DESIGN §3), as the compiler
// will emit it and the runtime reads it: the allocator (size, ptrdata → noscan spans, gcdata
// → the heap's pointer bitmap), and later maps (hash/equal), interfaces (hash, kind) and
// printing (name).
//
// The compiler emits one constant descriptor per type that needs one, `gol_type` first and
// kind-specific data after it (element type, fields, methods; not fixed yet): a pointer to
// any descriptor is a pointer to its gol_type. The fields and their order follow Go's
// `runtime._type` (Go 1.19), minus what Gol does not need yet (ptrToThis, str offsets).
//
// Layout (x86-64 and aarch64; asserted below):
//
//   offset size field
//    0     8    size        bytes of a value (multiple of align; 0 for struct{} and [0]T)
//    8     8    ptrdata     bytes of the prefix that holds pointers: 0 means no pointers at
//                           all (the allocator puts such values in noscan spans and the
//                           collector never looks inside); else 8 * (index of the last
//                           pointer word + 1), a multiple of 8, at most size
//   16     4    hash        a hash of the type's identity (type switches, interface maps)
//   20     1    tflag       TFlag bits (none defined yet; 0)
//   21     1    align       alignment of a variable of this type
//   22     1    fieldAlign  alignment of a struct field of this type (= align on 64-bit)
//   23     1    kind        a Kind, possibly or-ed with KindDirectIface
//   24     8    equal       bool(const void* a, const void* b), or null if not comparable
//   32     8    gcdata      pointer bitmap: bit i (byte i/8, bit i%8, least significant
//                           first) is 1 iff word i (bytes 8i..8i+7) holds a pointer
//                           (pointer, map, chan, func, unsafe.Pointer, the data word of a
//                           string, slice or interface; an interface's type word points at
//                           static data and may be marked or not)
//                           ceil(ptrdata/64) bytes; may be null when ptrdata == 0
//   40     8    name        NUL-terminated, as Go prints it: "int", "main.T", "[]*main.T"
//   48          (kind-specific data follows)
//
// Kind-specific data defined so far:
//   KindMap (gol_maptype, runtime/map.h):
//   48     8    key         const gol_type*: the key type
//   56     8    elem        const gol_type*: the element type
//   64     8    hasher      uintptr_t(const void* key, uintptr_t seed): the key type's hash,
//                           consistent with key->equal (runtime gol_*hash functions, or a
//                           compiler-generated one for arrays and structs)
//   72     4    keysize     key->size
//   76     4    elemsize    elem->size
//   80     4    bucketsize  bytes of one bucket (8 tophash bytes, 8 keys, 8 elems, overflow ptr)
//   84     4    flags       0
//   KindSlice:
//   48     8    elem        const gol_type*: the element type (sort.Slice's swapper)
//   KindArray:
//   48     8    elem        const gol_type*: the element type
//   56     8    len         the number of elements
//   KindPointer, KindChan:
//   48     8    elem        const gol_type*: what it points to / carries
//   KindStruct:
//   48     8    fields      const gol_structfield*: nfields entries in declaration order
//   56     8    nfields
//   KindInterface:
//   48     8    nmethods    0 for an empty interface (its values' first word is the dynamic
//                           type's descriptor), else > 0 (the first word is an itab, whose
//                           second word is the descriptor)
// fmt formats composite values by walking these (stdlib/fmt/fmt_native.cpp).
//
// An allocation of n elements (`make([]T, n)`, `new([4]T)`) passes T's descriptor and
// n * T.size bytes: the allocator repeats T's bitmap every T.size bytes. A null descriptor
// means "no type information": the allocator treats the block as possibly holding a pointer
// in every word (scanned conservatively), never as noscan. Runtime-internal blocks without
// pointers (string bytes) should pass gol_type_noscan.
#pragma once
#include <cstddef>
#include <cstdint>

extern "C" {

struct gol_type {
  int64_t size;
  int64_t ptrdata;
  uint32_t hash;
  uint8_t tflag;
  uint8_t align;
  uint8_t fieldAlign;
  uint8_t kind;
  bool (*equal)(const void*, const void*);
  const uint8_t* gcdata;
  const char* name;
};

// One field of a struct type (KindStruct's kind-specific data).
struct gol_structfield {
  const char* name;  // NUL-terminated; an embedded field's name is its type's name ("T")
  const gol_type* type;
  int64_t offset;    // bytes from the start of the struct
  int64_t embedded;  // 1 for an embedded field
};

// A descriptor for raw bytes with no pointers (size 1): what the runtime passes for string
// and byte-slice contents.
extern const gol_type gol_type_noscan;

}  // extern "C"

static_assert(offsetof(gol_type, size) == 0);
static_assert(offsetof(gol_type, ptrdata) == 8);
static_assert(offsetof(gol_type, hash) == 16);
static_assert(offsetof(gol_type, tflag) == 20);
static_assert(offsetof(gol_type, align) == 21);
static_assert(offsetof(gol_type, fieldAlign) == 22);
static_assert(offsetof(gol_type, kind) == 23);
static_assert(offsetof(gol_type, equal) == 24);
static_assert(offsetof(gol_type, gcdata) == 32);
static_assert(offsetof(gol_type, name) == 40);
static_assert(sizeof(gol_type) == 48);

namespace gol::rt {

// gol_type.kind: Go's reflect.Kind values, so a descriptor dump reads like Go's.
enum Kind : uint8_t {
  KindInvalid = 0,
  KindBool = 1,
  KindInt = 2,
  KindInt8 = 3,
  KindInt16 = 4,
  KindInt32 = 5,
  KindInt64 = 6,
  KindUint = 7,
  KindUint8 = 8,
  KindUint16 = 9,
  KindUint32 = 10,
  KindUint64 = 11,
  KindUintptr = 12,
  KindFloat32 = 13,
  KindFloat64 = 14,
  KindComplex64 = 15,
  KindComplex128 = 16,
  KindArray = 17,
  KindChan = 18,
  KindFunc = 19,
  KindInterface = 20,
  KindMap = 21,
  KindPointer = 22,
  KindSlice = 23,
  KindString = 24,
  KindStruct = 25,
  KindUnsafePointer = 26,
};
constexpr uint8_t KindDirectIface = 1 << 5;  // the value is stored in the interface's data word
constexpr uint8_t KindMask = (1 << 5) - 1;

}  // namespace gol::rt
