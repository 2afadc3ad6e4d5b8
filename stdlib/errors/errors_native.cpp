// errors_native.cpp: what errors.As needs of reflect. target is an interface{} holding a
// pointer *T; T is either a concrete type (a match is the same descriptor: descriptors are
// unique program-wide) or an interface type (a match is a registered itab: every module's itab
// table covers the interfaces whose pointer types it describes, compiler/lower_typedesc.cpp,
// against the types it converts to interfaces).
#include <cstring>

#include "runtime/abi.h"
#include "runtime/typedesc.h"

extern "C" const void* gol_itab_lookup(const void* inter, const void* type);

namespace {
using namespace gol::rt;
struct PtrType {
  gol_type base;
  const gol_type* elem;
};
struct IfaceType {
  gol_type base;
  int64_t nmethods;
};
struct ItabEntry {  // stdlib/internal/itabs.cpp
  const void* inter;
  const void* type;
  const void* itab;
  const char* missing;
};
unsigned kindOf(const gol_type* t) { return t ? t->kind & KindMask : KindInvalid; }
const gol_type* elemOf(GoEface target) { return reinterpret_cast<const PtrType*>(target.type)->elem; }
}  // namespace

extern "C" {

// 0: *target is an interface type; 1: a concrete type; -1: target is not a non-nil pointer.
int64_t errors_targetKind(GoEface target) __asm__("errors.targetKind");
int64_t errors_targetKind(GoEface target) {
  const auto* t = static_cast<const gol_type*>(target.type);
  if (kindOf(t) != KindPointer || !target.data) return -1;
  return kindOf(elemOf(target)) == KindInterface ? 0 : 1;
}

// Whether the concrete type *target has an Error method (is in the itab registry as an error).
bool errors_implementsError(GoEface target, GoEface errIface) __asm__("errors.implementsError");
bool errors_implementsError(GoEface target, GoEface errIface) {
  // errIface holds a *error (its element is error's descriptor): how a library names a type
  // it has no other handle on.
  const gol_type* errorT = elemOf(errIface);
  const auto* e = static_cast<const ItabEntry*>(gol_itab_lookup(errorT, elemOf(target)));
  return e && e->itab;
}

// *target = err if err's dynamic type is assignable to *target's type; reports whether it was.
bool errors_assignTo(GoEface err, GoEface target) __asm__("errors.assignTo");
bool errors_assignTo(GoEface err, GoEface target) {
  const gol_type* t = elemOf(target);
  const auto* dyn = static_cast<const gol_type*>(err.type);
  if (!dyn) return false;
  if (kindOf(t) == KindInterface) {
    void** slot = static_cast<void**>(target.data);
    if (reinterpret_cast<const IfaceType*>(t)->nmethods == 0) {
      slot[0] = const_cast<gol_type*>(dyn);
    } else {
      const auto* e = static_cast<const ItabEntry*>(gol_itab_lookup(t, dyn));
      if (!e || !e->itab) return false;
      slot[0] = const_cast<void*>(e->itab);
    }
    slot[1] = err.data;
    return true;
  }
  if (dyn != t) return false;
  // The collector stops the world: copying the value's words needs no barrier.
  if (t->kind & KindDirectIface)
    *static_cast<void**>(target.data) = err.data;
  else
    std::memcpy(target.data, err.data, size_t(t->size));
  return true;
}

}  // extern "C"
