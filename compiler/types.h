// types.h: the type model and the objects names denote, shaped after Go's go/types.
//
// Types are interned where identity allows (basic types are singletons; the checker's
// TypeContext returns one Pointer/Slice/Map/Chan/Array per element type), but identity must
// always be tested with identical(), never with pointer equality, because struct, func and
// interface literals are not interned.
//
// Ownership: a TypeContext owns every Type, Object and Scope of a compilation.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ast.h"

namespace gol {
namespace types {

enum class TypeKind : uint8_t {
  Basic, Pointer, Array, Slice, Map, Chan, Struct, Tuple, Signature, Interface, Named
};

enum class BasicKind : uint8_t {
  Invalid,
  Bool, Int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr,
  Float32, Float64, Complex64, Complex128, String, UnsafePointer,
  UntypedBool, UntypedInt, UntypedRune, UntypedFloat, UntypedComplex, UntypedString, UntypedNil,
};

class Type {
 public:
  const TypeKind kind;
  explicit Type(TypeKind k) : kind(k) {}
  virtual ~Type() = default;
  template <class T> const T* as() const { return kind == T::Kind ? static_cast<const T*>(this) : nullptr; }
  template <class T> T* as() { return kind == T::Kind ? static_cast<T*>(this) : nullptr; }
  // The underlying type: itself except for Named.
  const Type* underlying() const;
};

class Basic : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Basic;
  const BasicKind bkind;
  const char* name;  // "int", "untyped int", "byte" is an alias of uint8 (same object)
  Basic(BasicKind b, const char* n) : Type(Kind), bkind(b), name(n) {}
};

class Pointer : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Pointer;
  const Type* elem;
  explicit Pointer(const Type* e) : Type(Kind), elem(e) {}
};

class Array : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Array;
  const Type* elem;
  int64_t len;
  Array(const Type* e, int64_t n) : Type(Kind), elem(e), len(n) {}
};

class Slice : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Slice;
  const Type* elem;
  explicit Slice(const Type* e) : Type(Kind), elem(e) {}
};

class Map : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Map;
  const Type* key;
  const Type* elem;
  Map(const Type* k, const Type* e) : Type(Kind), key(k), elem(e) {}
};

class Chan : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Chan;
  ChanDir dir;
  const Type* elem;
  Chan(ChanDir d, const Type* e) : Type(Kind), dir(d), elem(e) {}
};

class Var;
class Func;

class Struct : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Struct;
  std::vector<Var*> fields;  // Var::embedded marks embedded fields
  std::vector<std::string> tags;
  Struct() : Type(Kind) {}
};

class Tuple : public Type {  // parameter and result lists; multi-value expressions
 public:
  static constexpr TypeKind Kind = TypeKind::Tuple;
  std::vector<Var*> vars;
  Tuple() : Type(Kind) {}
};

class Signature : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Signature;
  Var* recv = nullptr;  // methods only; not part of the type's identity
  const Tuple* params = nullptr;
  const Tuple* results = nullptr;
  bool variadic = false;  // the last parameter is ...T (its type is []T)
  Signature() : Type(Kind) {}
};

class Interface : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Interface;
  std::vector<Func*> methods;        // explicitly declared
  std::vector<const Type*> embeddeds;
  std::vector<Func*> allMethods;     // complete method set, sorted by name (after completion)
  Interface() : Type(Kind) {}
};

class TypeName;
class Named : public Type {
 public:
  static constexpr TypeKind Kind = TypeKind::Named;
  TypeName* obj;
  const Type* under = nullptr;   // resolved underlying type (never a Named)
  std::vector<Func*> methods;    // declared methods (value and pointer receivers)
  explicit Named(TypeName* o) : Type(Kind), obj(o) {}
};

// ---------------------------------------------------------------------------------------------
// Objects: what an identifier denotes.

enum class ObjKind : uint8_t { Var, Const, TypeName, Func, PkgName, Builtin, Label, Nil };

enum class BuiltinId : uint8_t {
  Append, Cap, Clear, Close, Copy, Delete, Len, Make, Max, Min, New, Panic, Print, Println, Recover,
};

class Scope;
class Object {
 public:
  const ObjKind kind;
  std::string name;
  const Type* type = nullptr;
  Pos pos;
  Scope* parent = nullptr;   // the scope that declares it
  std::string pkg;           // "" for universe objects, else the package path ("main", "runtime")
  Object(ObjKind k, std::string n, const Type* t, Pos p) : kind(k), name(std::move(n)), type(t), pos(p) {}
  virtual ~Object() = default;
  template <class T> T* as() { return kind == T::Kind ? static_cast<T*>(this) : nullptr; }
  template <class T> const T* as() const { return kind == T::Kind ? static_cast<const T*>(this) : nullptr; }
  bool exported() const { return !name.empty() && name[0] >= 'A' && name[0] <= 'Z'; }
};

class Var : public Object {
 public:
  static constexpr ObjKind Kind = ObjKind::Var;
  bool isField = false;
  bool embedded = false;     // embedded struct field
  bool isParam = false;
  bool isGlobal = false;     // package-level variable
  bool used = false;         // for "declared and not used"
  bool escapes = false;      // escape analysis: must live on the heap (address taken and escaping,
                             // or captured by a closure that outlives the frame)
  bool captured = false;     // referenced from a closure
  Var(std::string n, const Type* t, Pos p) : Object(Kind, std::move(n), t, p) {}
};

class Const : public Object {
 public:
  static constexpr ObjKind Kind = ObjKind::Const;
  const ConstValue* value = nullptr;
  Const(std::string n, const Type* t, Pos p) : Object(Kind, std::move(n), t, p) {}
};

class TypeName : public Object {
 public:
  static constexpr ObjKind Kind = ObjKind::TypeName;
  bool isAlias = false;
  TypeName(std::string n, const Type* t, Pos p) : Object(Kind, std::move(n), t, p) {}
};

class Func : public Object {  // functions, methods, closures (FuncLit), runtime-implemented funcs
 public:
  static constexpr ObjKind Kind = ObjKind::Func;
  FuncDecl* decl = nullptr;   // null for closures and for package functions implemented natively
  FuncLit* lit = nullptr;     // closures
  std::vector<Var*> captures; // closures: free variables, in first-use order
  std::string linkName;       // the symbol: "main.f", "main.(*T).M", "main.main.func1", "runtime.Gosched"
  Func* outer = nullptr;      // closures: the enclosing function (null in a package-level initializer)
  bool ptrRecv = false;       // methods: the receiver is a pointer (*T)
  bool isIfaceMethod = false; // a method of an interface type (no body; dispatched dynamically)
  Func(std::string n, const Type* t, Pos p) : Object(Kind, std::move(n), t, p) {}
  // The signature, or null while the declaration is being checked or after an error.
  const Signature* sig() const { return type ? type->as<Signature>() : nullptr; }
  bool isMethod() const { return sig() && sig()->recv; }
};

class PkgName : public Object {  // an imported package's name in a file scope
 public:
  static constexpr ObjKind Kind = ObjKind::PkgName;
  std::string path;
  Scope* pkgScope = nullptr;  // the imported package's exported objects
  bool used = false;          // for "imported and not used"
  PkgName(std::string n, std::string path, Pos p) : Object(Kind, std::move(n), nullptr, p), path(std::move(path)) {}
};

class Builtin : public Object {
 public:
  static constexpr ObjKind Kind = ObjKind::Builtin;
  BuiltinId id;
  Builtin(std::string n, BuiltinId b) : Object(Kind, std::move(n), nullptr, Pos{}), id(b) {}
};

class Label : public Object {
 public:
  static constexpr ObjKind Kind = ObjKind::Label;
  bool used = false;
  Label(std::string n, Pos p) : Object(Kind, std::move(n), nullptr, p) {}
};

class Nil : public Object {
 public:
  static constexpr ObjKind Kind = ObjKind::Nil;
  explicit Nil(const Type* t) : Object(Kind, "nil", t, Pos{}) {}
};

class Scope {
 public:
  Scope* parent;
  std::map<std::string, Object*> elems;
  std::vector<Scope*> children;
  std::string comment;  // "universe", "package main", "file x.gol", "function f", "block"
  Scope(Scope* p, std::string c) : parent(p), comment(std::move(c)) {}
  Object* lookup(const std::string& name) const;        // this scope only
  Object* lookupParent(const std::string& name) const;  // this scope and its ancestors
  // Inserts obj unless the name exists; returns the existing object or null.
  Object* insert(Object* obj);
};

// Type identity and predicates (the Go spec's definitions).
bool identical(const Type* a, const Type* b);
bool isInteger(const Type* t);
bool isUnsigned(const Type* t);
bool isFloat(const Type* t);
bool isNumeric(const Type* t);
bool isString(const Type* t);
bool isBoolean(const Type* t);
bool isUntyped(const Type* t);
bool isComparable(const Type* t);
bool isOrdered(const Type* t);
// The type as Go spells it in messages and %T: "int", "[]string", "main.T", "func(int) string".
std::string typeString(const Type* t);

}  // namespace types
}  // namespace gol
