// This file lowers Gol types to the runtime's type descriptors (runtime/typedesc.h): one
// private constant per distinct type, `gol_type` laid out as Go's runtime._type:
//
//   @"type:main.Point" = private constant { i64 16, i64 8, i32 hash, i8 0, i8 8, i8 8, i8 25,
//                                           ptr null, ptr @"type:main.Point.gcdata", ptr @name }
//
// The allocator reads size, ptrdata and the pointer bitmap (gcdata) to scan the heap
// precisely; later maps and interfaces will read hash, kind and equal. Every allocation of a
// known Go type passes its descriptor to gol_mallocgc (n elements: the element's descriptor
// and n * size bytes).
#include <llvm/IR/Constants.h>

#include <cctype>
#include <cstring>
#include <vector>

#include "lower.h"
#include "runtime/typedesc.h"
#include "types.h"

namespace gol {

using namespace llvm;

namespace {

uint8_t kindOf(const types::Type* t) {
  using namespace rt;
  const types::Type* u = t->underlying();
  switch (u->kind) {
    case types::TypeKind::Pointer: return KindPointer | KindDirectIface;
    case types::TypeKind::Map: return KindMap | KindDirectIface;
    case types::TypeKind::Chan: return KindChan | KindDirectIface;
    case types::TypeKind::Signature: return KindFunc | KindDirectIface;
    case types::TypeKind::Array: return KindArray;
    case types::TypeKind::Slice: return KindSlice;
    case types::TypeKind::Struct: return KindStruct;
    case types::TypeKind::Interface: return KindInterface;
    case types::TypeKind::Tuple:
    case types::TypeKind::Named: return KindInvalid;
    case types::TypeKind::Basic: break;
  }
  switch (u->as<types::Basic>()->bkind) {
    case types::BasicKind::Bool: return KindBool;
    case types::BasicKind::Int: return KindInt;
    case types::BasicKind::Int8: return KindInt8;
    case types::BasicKind::Int16: return KindInt16;
    case types::BasicKind::Int32: return KindInt32;
    case types::BasicKind::Int64: return KindInt64;
    case types::BasicKind::Uint: return KindUint;
    case types::BasicKind::Uint8: return KindUint8;
    case types::BasicKind::Uint16: return KindUint16;
    case types::BasicKind::Uint32: return KindUint32;
    case types::BasicKind::Uint64: return KindUint64;
    case types::BasicKind::Uintptr: return KindUintptr;
    case types::BasicKind::Float32: return KindFloat32;
    case types::BasicKind::Float64: return KindFloat64;
    case types::BasicKind::Complex64: return KindComplex64;
    case types::BasicKind::Complex128: return KindComplex128;
    case types::BasicKind::String: return KindString;
    case types::BasicKind::UnsafePointer: return KindUnsafePointer | KindDirectIface;
    default: return KindInvalid;
  }
}

// FNV-1a of the type's name: equal for identical types, as the runtime's hash must be.
uint32_t typeHash(const std::string& name) {
  uint32_t h = 2166136261u;
  for (unsigned char c : name) h = (h ^ c) * 16777619u;
  return h;
}

// Whether t's method set may be non-empty: a defined type with methods, a pointer to one, or a
// struct with embedded fields (promoted methods). Interfaces are not concrete types.
bool hasMethodSet(const types::Type* t) {
  if (auto* p = t->as<types::Pointer>()) t = p->elem;
  if (t->underlying()->kind == types::TypeKind::Interface) return false;
  if (auto* n = t->as<types::Named>())
    if (!n->methods.empty()) return true;
  if (auto* st = t->underlying()->as<types::Struct>())
    for (types::Var* f : st->fields)
      if (f->embedded) return true;
  return false;
}

}  // namespace

// Marks the words of a t at byte offset `at` that hold pointers.
void Lowerer::markPointerWords(const types::Type* t, uint64_t at, std::vector<bool>& words) {
  const types::Type* u = t->underlying();
  auto mark = [&](uint64_t off) {
    uint64_t w = off / 8;
    if (w >= words.size()) words.resize(w + 1);
    words[w] = true;
  };
  switch (u->kind) {
    case types::TypeKind::Pointer:
    case types::TypeKind::Map:
    case types::TypeKind::Chan:
    case types::TypeKind::Signature: return mark(at);
    case types::TypeKind::Slice: return mark(at);  // the array pointer
    case types::TypeKind::Interface:
      mark(at);
      return mark(at + 8);
    case types::TypeKind::Basic:
      if (isStringType(u) || basicOf(u)->bkind == types::BasicKind::UnsafePointer) mark(at);
      return;
    case types::TypeKind::Array: {
      auto* a = u->as<types::Array>();
      uint64_t esize = sizeOf(a->elem);
      for (int64_t i = 0; i < a->len && esize > 0; i++) markPointerWords(a->elem, at + uint64_t(i) * esize, words);
      return;
    }
    case types::TypeKind::Struct: {
      auto* st = u->as<types::Struct>();
      const StructLayout* sl = mod.getDataLayout().getStructLayout(cast<llvm::StructType>(memType(u)));
      for (size_t i = 0; i < st->fields.size(); i++)
        markPointerWords(st->fields[i]->type, at + sl->getElementOffset(unsigned(i)), words);
      return;
    }
    case types::TypeKind::Tuple:
    case types::TypeKind::Named: return;
  }
}

// The type's name as Go's runtime prints it, which also names its descriptor program-wide: the
// aliases byte and rune are uint8 and int32 (one descriptor whichever spelling a module met first).
static std::string runtimeTypeName(const types::Type* t) {
  std::string s = types::typeString(t);
  auto isWord = [](char c) { return std::isalnum((unsigned char)c) || c == '_' || c == '.'; };
  std::string out;
  // reflect spells literal types with spaces inside the braces: "struct { A int; B string }",
  // "interface {}", "interface { M() }". braces[i]: whether the i-th open brace gets " }".
  std::vector<bool> braces;
  for (size_t i = 0; i < s.size();) {
    bool start = i == 0 || !isWord(s[i - 1]);
    auto at = [&](const char* w, size_t n) {
      return start && s.compare(i, n, w) == 0 && (i + n == s.size() || !isWord(s[i + n]));
    };
    if ((at("struct", 6) || at("interface", 9)) && s[i + (s[i] == 's' ? 6 : 9)] == '{') {
      size_t n = s[i] == 's' ? 6 : 9;
      out += s.substr(i, n) + " {";
      i += n + 1;
      bool empty = i < s.size() && s[i] == '}';
      if (!empty) out += ' ';
      braces.push_back(!empty);
    } else if (s[i] == '{') {
      braces.push_back(false);
      out += s[i++];
    } else if (s[i] == '}' && !braces.empty()) {
      if (braces.back()) out += ' ';
      braces.pop_back();
      out += s[i++];
    } else if (at("byte", 4)) {
      out += "uint8";
      i += 4;
    } else if (at("rune", 4)) {
      out += "int32";
      i += 4;
    } else {
      out += s[i++];
    }
  }
  return out;
}

Constant* Lowerer::typeDesc(const types::Type* t) {
  for (auto& [known, desc] : typeDescs)
    if (types::identical(known, t)) return desc;
  std::string name = runtimeTypeName(t);
  const DataLayout& dl = mod.getDataLayout();
  Type* mt = memType(t);
  uint64_t size = dl.getTypeAllocSize(mt);
  uint64_t align = dl.getABITypeAlign(mt).value();
  std::vector<bool> words;
  markPointerWords(t, 0, words);
  while (!words.empty() && !words.back()) words.pop_back();
  Constant* gcdata = ConstantPointerNull::get(ptr);
  if (!words.empty()) {
    std::vector<uint8_t> bits((words.size() + 7) / 8, 0);
    for (size_t i = 0; i < words.size(); i++)
      if (words[i]) bits[i / 8] |= uint8_t(1u << (i % 8));
    auto* data = ConstantDataArray::get(ctx, bits);
    auto* gv = new GlobalVariable(mod, data->getType(), true, GlobalValue::PrivateLinkage, data,
                                  "type:" + name + ".gcdata");
    gv->setAlignment(Align(1));
    gcdata = gv;
  }
  auto* nameData = ConstantDataArray::getString(ctx, name, /*AddNull=*/true);
  auto* nameGV = new GlobalVariable(mod, nameData->getType(), true, GlobalValue::PrivateLinkage, nameData,
                                    "type:" + name + ".name");
  nameGV->setAlignment(Align(1));
  nameGV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  auto* i8t = Type::getInt8Ty(ctx);
  std::vector<Type*> descFields = {i64, i64, i32, i8t, i8t, i8t, i8t, ptr, ptr, ptr};
  bool isMap = t->underlying()->kind == types::TypeKind::Map;
  if (isMap) descFields.insert(descFields.end(), {ptr, ptr, ptr, i32, i32, i32, i32});  // map.h
  // A slice's descriptor ends with its element's (typedesc.h): sort.Slice's swapper needs the size.
  auto* sliceT = t->underlying()->as<types::Slice>();
  if (sliceT) descFields.push_back(ptr);
  // fmt walks composite values through these (typedesc.h): element types, array lengths, fields.
  auto* arrayT = t->underlying()->as<types::Array>();
  auto* ptrT = t->underlying()->as<types::Pointer>();
  auto* chanT = t->underlying()->as<types::Chan>();
  auto* structT = t->underlying()->as<types::Struct>();
  if (arrayT) descFields.insert(descFields.end(), {ptr, i64});
  if (ptrT || chanT) descFields.push_back(ptr);
  if (structT) descFields.insert(descFields.end(), {ptr, i64});
  auto* ifaceT = t->underlying()->as<types::Interface>();
  if (ifaceT) descFields.push_back(i64);
  auto* descTy = llvm::StructType::get(ctx, descFields);
  std::vector<Constant*> fields = {ConstantInt::get(i64, size),
                        ConstantInt::get(i64, 8 * words.size()),
                        ConstantInt::get(i32, typeHash(name)),
                        ConstantInt::get(i8t, 0),
                        ConstantInt::get(i8t, align),
                        ConstantInt::get(i8t, align),
                        ConstantInt::get(i8t, kindOf(t)),
                        equalFunc(t),
                        gcdata,
                        nameGV};
  // One descriptor per type in the whole program, whichever packages' modules emit it (the
  // linker keeps one copy): interface type checks compare descriptor addresses.
  // Registered before a map's kind-specific part, which may refer back to this type
  // (type T map[string]T).
  auto* desc = new GlobalVariable(mod, descTy, true, GlobalValue::LinkOnceODRLinkage, nullptr, "type:" + name);
  desc->setComdat(mod.getOrInsertComdat(desc->getName()));  // a renamed local type keeps its own
  desc->setAlignment(Align(8));
  typeDescs.push_back({t, desc});
  if (isMap)
    for (Constant* c : mapDescExtra(t)) fields.push_back(c);
  if (sliceT) fields.push_back(typeDesc(sliceT->elem));
  if (arrayT) {
    fields.push_back(typeDesc(arrayT->elem));
    fields.push_back(ConstantInt::get(i64, arrayT->len));
  }
  if (ptrT) fields.push_back(typeDesc(ptrT->elem));
  // A pointer to a non-empty interface is how errors.As names its target type: the interface
  // joins this module's itab table (errors_native.cpp looks the pair up at run time).
  if (ptrT)
    if (auto* it = ptrT->elem->underlying()->as<types::Interface>())
      if (!it->allMethods.empty() && !dynIfacesSeen.count(types::typeString(ptrT->elem))) {
        dynIfacesSeen.insert(types::typeString(ptrT->elem));
        dynIfaces.push_back(ptrT->elem);
      }
  if (chanT) fields.push_back(typeDesc(chanT->elem));
  if (ifaceT) fields.push_back(ConstantInt::get(i64, int64_t(ifaceT->allMethods.size())));
  if (structT) {
    // { name, type, offset, embedded } per field, in declaration order.
    auto* fieldTy = llvm::StructType::get(ctx, {ptr, ptr, i64, i64});
    std::vector<Constant*> fs;
    const StructLayout* sl = dl.getStructLayout(cast<llvm::StructType>(memType(t->underlying())));
    for (size_t i = 0; i < structT->fields.size(); i++) {
      types::Var* f = structT->fields[i];
      auto* fname = ConstantDataArray::getString(ctx, f->name, true);
      auto* fgv = new GlobalVariable(mod, fname->getType(), true, GlobalValue::PrivateLinkage, fname,
                                     "type:" + name + ".field");
      fgv->setAlignment(Align(1));
      fgv->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
      fs.push_back(ConstantStruct::get(fieldTy, {fgv, typeDesc(f->type),
                                                 ConstantInt::get(i64, sl->getElementOffset(unsigned(i))),
                                                 ConstantInt::get(i64, f->embedded ? 1 : 0)}));
    }
    auto* arrTy = llvm::ArrayType::get(fieldTy, fs.size());
    auto* fieldsGV = new GlobalVariable(mod, arrTy, true, GlobalValue::PrivateLinkage, ConstantArray::get(arrTy, fs),
                                        "type:" + name + ".fields");
    fieldsGV->setAlignment(Align(8));
    fields.push_back(fieldsGV);
    fields.push_back(ConstantInt::get(i64, int64_t(fs.size())));
  }
  desc->setInitializer(ConstantStruct::get(descTy, fields));
  // fmt asks the itab registry whether a field's or element's type is an error or a Stringer:
  // a type with methods whose descriptor exists must be in this module's itab table.
  if (hasMethodSet(t) && !concreteSeen.count(types::typeString(t))) {
    concreteSeen.insert(types::typeString(t));
    concreteTypes.push_back(t);
  }
  return desc;
}

// T's equality bool(const T*, const T*), or null for an incomparable T. Declared here, defined
// by finishEqualFuncs once the module's functions are done.
Constant* Lowerer::equalFunc(const types::Type* t) {
  if (!types::isComparable(t) || !isLowerable(t)) return ConstantPointerNull::get(ptr);
  auto* fty = FunctionType::get(i1, {ptr, ptr}, false);
  std::string name = "type:" + types::typeString(t) + ".equal";
  Function* fn = Function::Create(fty, GlobalValue::PrivateLinkage, name, mod);
  setFuncAttrs(fn);
  fn->getArg(0)->setName("x.addr");
  fn->getArg(1)->setName("y.addr");
  equalFuncs.push_back({t, fn});
  return fn;
}

void Lowerer::finishEqualFuncs() {
  while (equalFuncsDone < equalFuncs.size()) {  // defining one may declare more
    auto [t, fn] = equalFuncs[equalFuncsDone++];
    NestedFunc nested(*this, fn);
    Value* x = loadValue(fn->getArg(0), t, "x");
    Value* y = loadValue(fn->getArg(1), t, "y");
    b.CreateRet(lowerCompare(Tok::Eql, x, y, t, Pos{}));
  }
}

Value* Lowerer::heapAllocOf(const types::Type* t, const Twine& name) {
  return b.CreateCall(getRuntimeFunc(mod, RtFunc::mallocgc),
                      {ConstantInt::get(i64, sizeOf(t)), typeDesc(t), ConstantInt::getTrue(ctx)}, name);
}

// n elements of elem: the element's descriptor and n * size bytes, as the runtime expects.
Value* Lowerer::heapAllocArray(const types::Type* elem, uint64_t n, const Twine& name) {
  return b.CreateCall(getRuntimeFunc(mod, RtFunc::mallocgc),
                      {ConstantInt::get(i64, n * sizeOf(elem)), typeDesc(elem), ConstantInt::getTrue(ctx)}, name);
}

}  // namespace gol
