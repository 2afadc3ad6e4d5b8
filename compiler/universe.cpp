// universe.cpp: the universe scope (Go's predeclared identifiers) and the scopes of the Gol
// standard-library packages the checker knows natively (for now only `runtime`, whose functions
// are implemented in the C++ runtime under their Go symbol names, see runtime/abi.h).
#include "typecontext.h"

namespace gol {
namespace types {

namespace {
struct BasicInfo {
  BasicKind kind;
  const char* name;
};
const BasicInfo kBasics[] = {
    {BasicKind::Invalid, "invalid type"},
    {BasicKind::Bool, "bool"},
    {BasicKind::Int, "int"},
    {BasicKind::Int8, "int8"},
    {BasicKind::Int16, "int16"},
    {BasicKind::Int32, "int32"},
    {BasicKind::Int64, "int64"},
    {BasicKind::Uint, "uint"},
    {BasicKind::Uint8, "uint8"},
    {BasicKind::Uint16, "uint16"},
    {BasicKind::Uint32, "uint32"},
    {BasicKind::Uint64, "uint64"},
    {BasicKind::Uintptr, "uintptr"},
    {BasicKind::Float32, "float32"},
    {BasicKind::Float64, "float64"},
    {BasicKind::Complex64, "complex64"},
    {BasicKind::Complex128, "complex128"},
    {BasicKind::String, "string"},
    {BasicKind::UnsafePointer, "Pointer"},
    {BasicKind::UntypedBool, "untyped bool"},
    {BasicKind::UntypedInt, "untyped int"},
    {BasicKind::UntypedRune, "untyped rune"},
    {BasicKind::UntypedFloat, "untyped float"},
    {BasicKind::UntypedComplex, "untyped complex"},
    {BasicKind::UntypedString, "untyped string"},
    {BasicKind::UntypedNil, "untyped nil"},
};

struct BuiltinInfo {
  const char* name;
  BuiltinId id;
};
const BuiltinInfo kBuiltins[] = {
    {"append", BuiltinId::Append}, {"cap", BuiltinId::Cap},         {"clear", BuiltinId::Clear},
    {"close", BuiltinId::Close},   {"copy", BuiltinId::Copy},       {"delete", BuiltinId::Delete},
    {"len", BuiltinId::Len},       {"make", BuiltinId::Make},       {"max", BuiltinId::Max},
    {"min", BuiltinId::Min},       {"new", BuiltinId::New},         {"panic", BuiltinId::Panic},
    {"print", BuiltinId::Print},   {"println", BuiltinId::Println}, {"recover", BuiltinId::Recover},
};
}  // namespace

TypeContext::TypeContext() { initUniverse(); }

void TypeContext::initUniverse() {
  universe_ = newScope(nullptr, "universe");
  basics_.resize(size_t(BasicKind::UntypedNil) + 1);
  for (const auto& b : kBasics) basics_[size_t(b.kind)] = own(std::make_unique<Basic>(b.kind, b.name));
  byte_ = own(std::make_unique<Basic>(BasicKind::Uint8, "byte"));
  rune_ = own(std::make_unique<Basic>(BasicKind::Int32, "rune"));
  emptyTuple_ = newTuple();

  auto declareType = [&](const char* name, const Type* t) {
    universe_->insert(newObject<TypeName>(name, t, Pos{}));
  };
  for (const auto& b : kBasics) {
    if (b.kind == BasicKind::Invalid || b.kind == BasicKind::UnsafePointer || b.kind >= BasicKind::UntypedBool)
      continue;
    declareType(b.name, basics_[size_t(b.kind)]);
  }
  declareType("byte", byte_);
  declareType("rune", rune_);

  // any = interface{}; error = interface{ Error() string }
  Interface* empty = newInterface();
  auto anyName = newObject<TypeName>("any", empty, Pos{});
  anyName->isAlias = true;
  universe_->insert(anyName);
  auto errName = newObject<TypeName>("error", nullptr, Pos{});
  Named* errType = newNamed(errName);
  errName->type = errType;
  Interface* errIface = newInterface();
  Signature* errSig = newSignature();
  errSig->params = emptyTuple_;
  Tuple* res = newTuple();
  res->vars.push_back(newObject<Var>("", basic(BasicKind::String), Pos{}));
  errSig->results = res;
  Func* errMethod = newObject<Func>("Error", errSig, Pos{});
  errIface->methods.push_back(errMethod);
  errIface->allMethods.push_back(errMethod);
  errType->under = errIface;
  universe_->insert(errName);

  auto declareConst = [&](const char* name, const Type* t, ConstVal v) {
    auto c = newObject<Const>(name, t, Pos{});
    c->value = newConst(std::move(v));
    universe_->insert(c);
    return c;
  };
  declareConst("true", basic(BasicKind::UntypedBool), ConstVal::makeBool(true));
  declareConst("false", basic(BasicKind::UntypedBool), ConstVal::makeBool(false));
  iota_ = declareConst("iota", basic(BasicKind::UntypedInt), ConstVal::makeInt64(0));
  universe_->insert(newObject<Nil>(basic(BasicKind::UntypedNil)));
  for (const auto& b : kBuiltins) universe_->insert(newObject<Builtin>(b.name, b.id));
}

// package runtime: Gosched(), Goexit(), NumGoroutine() int, GOMAXPROCS(int) int, NumCPU() int, GC(),
// LockOSThread(), UnlockOSThread().
Scope* TypeContext::makeRuntimePackage() {
  Scope* s = newScope(nullptr, "package runtime");
  auto declare = [&](const char* name, std::vector<const Type*> params, std::vector<const Type*> results) {
    Signature* sig = newSignature();
    Tuple* p = newTuple();
    for (auto t : params) p->vars.push_back(newObject<Var>("", t, Pos{}));
    for (auto v : p->vars) v->isParam = true;
    Tuple* r = newTuple();
    for (auto t : results) r->vars.push_back(newObject<Var>("", t, Pos{}));
    sig->params = p;
    sig->results = r;
    Func* f = newObject<Func>(name, sig, Pos{});
    f->pkg = "runtime";
    f->linkName = std::string("runtime.") + name;
    s->insert(f);
  };
  const Type* intT = basic(BasicKind::Int);
  declare("Gosched", {}, {});
  declare("Goexit", {}, {});
  declare("NumGoroutine", {}, {intT});
  declare("GOMAXPROCS", {intT}, {intT});
  declare("NumCPU", {}, {intT});
  declare("LockOSThread", {}, {});
  declare("UnlockOSThread", {}, {});
  declare("GC", {}, {});
  // runtime.Error = interface{ error; RuntimeError() }: what runtime errors (index, nil map,
  // nil dereference, failed assertion, ...) implement. allMethods is sorted by name.
  if (auto* errName = universe_->lookup("error") ? universe_->lookup("error")->as<TypeName>() : nullptr) {
    const Interface* errIface = errName->type->underlying()->as<Interface>();
    auto* rtName = newObject<TypeName>("Error", nullptr, Pos{});
    rtName->pkg = "runtime";
    Named* rtType = newNamed(rtName);
    rtName->type = rtType;
    Interface* it = newInterface();
    it->embeddeds.push_back(errName->type);
    Signature* sig = newSignature();
    sig->params = emptyTuple_;
    sig->results = emptyTuple_;
    Func* rm = newObject<Func>("RuntimeError", sig, Pos{});
    rm->isIfaceMethod = true;
    it->methods.push_back(rm);
    it->allMethods = {errIface->allMethods[0], rm};
    rtType->under = it;
    s->insert(rtName);
  }
  return s;
}

}  // namespace types
}  // namespace gol
