// This file lowers Gol types to LLVM types, following the value layouts of runtime/abi.h:
// int/uint/uintptr are i64, intN/uintN are iN, bool is i1 as an SSA value but i8 in memory,
// float32/float64 are float/double, a string is {ptr, i64}. A function's several results
// come back as one literal struct, so `return a, b` is one `ret {i64, i64}`.
//
// isLowerable() says which types this version of lowering handles; the rest are reported as
// "type T is not supported in Gol yet" where a value of the type first appears.
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;
using types::BasicKind;

static Type* basicType(Lowerer& l, BasicKind k) {
  switch (k) {
    case BasicKind::Bool:
    case BasicKind::UntypedBool: return l.i1;
    case BasicKind::Int8:
    case BasicKind::Uint8: return l.i8;
    case BasicKind::Int16:
    case BasicKind::Uint16: return Type::getInt16Ty(l.ctx);
    case BasicKind::Int32:
    case BasicKind::Uint32:
    case BasicKind::UntypedRune: return l.i32;
    case BasicKind::Int:
    case BasicKind::Int64:
    case BasicKind::Uint:
    case BasicKind::Uint64:
    case BasicKind::Uintptr:
    case BasicKind::UntypedInt: return l.i64;
    case BasicKind::Float32: return Type::getFloatTy(l.ctx);
    case BasicKind::Float64:
    case BasicKind::UntypedFloat: return Type::getDoubleTy(l.ctx);
    case BasicKind::String:
    case BasicKind::UntypedString: return l.stringTy;
    case BasicKind::UnsafePointer:
    case BasicKind::UntypedNil: return l.ptr;
    case BasicKind::Complex64: return llvm::StructType::get(Type::getFloatTy(l.ctx), Type::getFloatTy(l.ctx));
    case BasicKind::Complex128:
    case BasicKind::UntypedComplex:
      return llvm::StructType::get(Type::getDoubleTy(l.ctx), Type::getDoubleTy(l.ctx));
    case BasicKind::Invalid: return l.i64;
  }
  return l.i64;
}

Type* Lowerer::llvmType(const types::Type* t) {
  if (!t) return i64;
  t = t->underlying();
  switch (t->kind) {
    case types::TypeKind::Basic: return basicType(*this, t->as<types::Basic>()->bkind);
    case types::TypeKind::Pointer:
    case types::TypeKind::Map:
    case types::TypeKind::Chan:
    case types::TypeKind::Signature: return ptr;  // a func value is a closure pointer
    case types::TypeKind::Slice: return llvm::StructType::get(ptr, i64, i64);
    case types::TypeKind::Interface: return llvm::StructType::get(ptr, ptr);
    case types::TypeKind::Array: {
      auto* a = t->as<types::Array>();
      return llvm::ArrayType::get(memType(a->elem), uint64_t(a->len));
    }
    case types::TypeKind::Struct: {
      std::vector<Type*> fields;
      for (types::Var* f : t->as<types::Struct>()->fields) fields.push_back(memType(f->type));
      return llvm::StructType::get(ctx, fields);
    }
    case types::TypeKind::Tuple: {
      std::vector<Type*> elems;
      for (types::Var* v : t->as<types::Tuple>()->vars) elems.push_back(llvmType(v->type));
      return llvm::StructType::get(ctx, elems);
    }
    case types::TypeKind::Named: break;  // underlying() never returns a Named
  }
  return i64;
}

Type* Lowerer::memType(const types::Type* t) {
  Type* ty = llvmType(t);
  return ty == i1 ? i8 : ty;
}

Type* Lowerer::resultType(const types::Signature* sig) {
  if (!sig->results || sig->results->vars.empty()) return Type::getVoidTy(ctx);
  if (sig->results->vars.size() == 1) return llvmType(sig->results->vars[0]->type);
  return llvmType(sig->results);
}

FunctionType* Lowerer::funcType(const types::Signature* sig) {
  std::vector<Type*> params;
  if (sig->params)
    for (types::Var* p : sig->params->vars) params.push_back(llvmType(p->type));
  return FunctionType::get(resultType(sig), params, false);
}

bool Lowerer::isLowerable(const types::Type* t) {
  if (!t) return false;
  t = t->underlying();
  if (auto* tuple = t->as<types::Tuple>()) {
    for (types::Var* v : tuple->vars)
      if (!isLowerable(v->type)) return false;
    return true;
  }
  // A pointer, slice, channel or function value is one or a few words whatever it refers to
  // (types may be recursive through them: type T struct{ kids []T }); using an element or
  // calling checks the element's or signature's types there.
  if (t->as<types::Pointer>() || t->as<types::Slice>() || t->as<types::Chan>() || t->as<types::Map>() ||
      t->as<types::Signature>() || t->as<types::Interface>())
    return true;
  if (auto* a = t->as<types::Array>()) return isLowerable(a->elem);
  if (auto* st = t->as<types::Struct>()) {
    for (types::Var* f : st->fields)
      if (!isLowerable(f->type)) return false;
    return true;
  }
  auto* basic = t->as<types::Basic>();
  if (!basic) return false;  // maps, channels, funcs, interfaces
  switch (basic->bkind) {
    case BasicKind::Complex64:
    case BasicKind::Complex128:
    case BasicKind::UntypedComplex:
    case BasicKind::UnsafePointer:
    case BasicKind::Invalid: return false;
    default: return true;
  }
}

bool Lowerer::checkLowerable(const types::Type* t, Pos pos) {
  if (isLowerable(t)) return true;
  unsupported(pos, t ? "type " + types::typeString(t) : "this expression");
  return false;
}

Value* Lowerer::toMem(Value* v, const types::Type* t) {
  if (v->getType() == i1) return b.CreateZExt(v, i8, v->getName() + ".byte");
  (void)t;
  return v;
}

Value* Lowerer::fromMem(Value* v, const types::Type* t) {
  if (llvmType(t) != i1 || v->getType() != i8) return v;
  std::string name = v->getName().str();
  if (!name.empty()) v->setName(name + ".byte");
  return b.CreateTrunc(v, i1, name);
}

Value* Lowerer::zeroValue(const types::Type* t) { return Constant::getNullValue(llvmType(t)); }

Value* Lowerer::poison(const types::Type* t) {
  Type* ty = llvmType(t);
  if (ty->isVoidTy()) ty = i64;
  return PoisonValue::get(ty);
}

}  // namespace gol

namespace gol {

const types::Basic* basicOf(const types::Type* t) {
  return t ? t->underlying()->as<types::Basic>() : nullptr;
}

bool isBoolType(const types::Type* t) {
  auto* bt = basicOf(t);
  return bt && (bt->bkind == BasicKind::Bool || bt->bkind == BasicKind::UntypedBool);
}

bool isStringType(const types::Type* t) {
  auto* bt = basicOf(t);
  return bt && (bt->bkind == BasicKind::String || bt->bkind == BasicKind::UntypedString);
}

bool isFloatType(const types::Type* t) {
  auto* bt = basicOf(t);
  return bt && (bt->bkind == BasicKind::Float32 || bt->bkind == BasicKind::Float64 ||
                bt->bkind == BasicKind::UntypedFloat);
}

bool isIntType(const types::Type* t) {
  auto* bt = basicOf(t);
  if (!bt) return false;
  return (bt->bkind >= BasicKind::Int && bt->bkind <= BasicKind::Uintptr) ||
         bt->bkind == BasicKind::UntypedInt || bt->bkind == BasicKind::UntypedRune;
}

bool isSignedIntType(const types::Type* t) {
  auto* bt = basicOf(t);
  if (!bt) return false;
  return (bt->bkind >= BasicKind::Int && bt->bkind <= BasicKind::Int64) ||
         bt->bkind == BasicKind::UntypedInt || bt->bkind == BasicKind::UntypedRune;
}

bool isUntypedType(const types::Type* t) {
  auto* bt = basicOf(t);
  return bt && bt->bkind >= BasicKind::UntypedBool;
}

Expr* unparen(Expr* e) {
  while (e && e->is<ParenExpr>()) e = e->as<ParenExpr>()->x;
  return e;
}

}  // namespace gol
