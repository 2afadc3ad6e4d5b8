// typecontext.h: the TypeContext owns every Type, Object, Scope and constant value of a
// compilation, holds the universe scope and the basic type singletons, and interns composite
// types (one Pointer/Slice/Map/Chan/Array per element type, so equal types usually share a
// pointer; identity is still tested with identical()).
//
// The universe (universe.cpp) holds Go's predeclared names: the basic types, byte and rune
// (Basic objects of their own with the uint8/int32 kinds, so messages say "byte"), any and
// error (declared when interfaces land), true/false/iota/nil and the builtin functions. The
// `runtime` package scope is built on first import.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "constant_impl.h"
#include "types.h"

namespace gol {
namespace types {

class TypeContext {
 public:
  TypeContext();
  TypeContext(const TypeContext&) = delete;
  TypeContext& operator=(const TypeContext&) = delete;

  Scope* universe() const { return universe_; }
  const Basic* basic(BasicKind k) const { return basics_[size_t(k)]; }
  const Basic* invalid() const { return basics_[size_t(BasicKind::Invalid)]; }
  const Basic* byteType() const { return byte_; }
  const Basic* runeType() const { return rune_; }
  Const* iotaObj() const { return iota_; }

  // Composite types, interned by their parts.
  const Pointer* pointerTo(const Type* elem);
  const Slice* sliceOf(const Type* elem);
  const Array* arrayOf(const Type* elem, int64_t len);
  const Map* mapOf(const Type* key, const Type* elem);
  const Chan* chanOf(ChanDir dir, const Type* elem);
  // Types that are built field by field (not interned).
  Tuple* newTuple();
  Signature* newSignature();
  Struct* newStruct();
  Interface* newInterface();
  Named* newNamed(TypeName* obj);
  const Tuple* emptyTuple() const { return emptyTuple_; }

  template <class T, class... Args> T* newObject(Args&&... args) {
    auto o = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = o.get();
    objects_.push_back(std::move(o));
    return raw;
  }
  Scope* newScope(Scope* parent, std::string comment);
  const ConstVal* newConst(ConstVal v);

  // The scope of an importable package, or null if path is not in the Gol library.
  Scope* packageScope(const std::string& path);
  // Loads and checks a Gol-source package (set by the driver); returns its scope, or null with
  // importError set ("import cycle not allowed", ...) or empty when the package does not exist.
  std::function<Scope*(const std::string& path)> importer;
  std::string importError;

 private:
  template <class T> T* own(std::unique_ptr<T> t) {
    T* raw = t.get();
    types_.push_back(std::move(t));
    return raw;
  }
  void initUniverse();  // universe.cpp
  Scope* makeRuntimePackage();

  std::vector<std::unique_ptr<Type>> types_;
  std::vector<std::unique_ptr<Object>> objects_;
  std::vector<std::unique_ptr<Scope>> scopes_;
  std::vector<std::unique_ptr<ConstVal>> consts_;
  std::vector<const Basic*> basics_;
  const Basic* byte_ = nullptr;
  const Basic* rune_ = nullptr;
  Const* iota_ = nullptr;
  Scope* universe_ = nullptr;
  Tuple* emptyTuple_ = nullptr;
  std::map<std::string, Scope*> packages_;
  std::map<const Type*, const Pointer*> pointers_;
  std::map<const Type*, const Slice*> slices_;
  std::map<std::pair<const Type*, int64_t>, const Array*> arrays_;
  std::map<std::pair<const Type*, const Type*>, const Map*> maps_;
  std::map<std::pair<int, const Type*>, const Chan*> chans_;
};

// Messages name types of package main unqualified ("T"), as gc does; typeString (types.h)
// qualifies them ("main.T") as %T does.
std::string typeStringUnqualified(const Type* t);
// The default type of an untyped type (untyped int -> int...); t itself otherwise.
const Type* defaultType(const TypeContext& tc, const Type* t);
bool isTyped(const Type* t);
bool isConstType(const Type* t);  // a basic type a constant can have (not UnsafePointer)
bool isInterface(const Type* t);
bool isValid(const Type* t);      // not the invalid type
bool isUntypedNumeric(const Type* t);
bool isComplex(const Type* t);
bool hasNil(const Type* t);  // pointer, slice, map, chan, func or interface
// Go's size of a basic type in bytes on the 64-bit targets (int and uintptr are 8).
int64_t basicSize(const Basic* b);

}  // namespace types
}  // namespace gol
