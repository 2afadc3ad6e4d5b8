// This file lowers maps (runtime/map.h, abi.h "maps"). A map value is a pointer to the
// runtime's gol_hmap (nil: the nil map); every operation passes the map type's descriptor,
// whose kind-specific part (typedesc.h, map.h) gives the key and element descriptors, their
// sizes, the bucket size and the key type's hasher:
//
//   m[k]            *gol_mapaccess1(&type:M, m, &k)      (a zero value for a missing k)
//   v, ok := m[k]   p = gol_mapaccess2(&type:M, m, &k, &ok); v = *p
//   m[k] = v        *gol_mapassign(&type:M, m, &k) = v   (after v is evaluated)
//   m[k] op= v      old = *gol_mapaccess1(...); v' = old op v; *gol_mapassign(...) = v'
//   for k, v := range m   an iterator of GOL_HITER_WORDS words on the stack:
//                   gol_mapiterinit(&type:M, m, &it); while it.key: k, v = *it.key, *it.elem;
//                   body; gol_mapiternext(&it)
//
// Hashers: the runtime's gol_*hash for scalars, strings and interfaces; for arrays and structs
// a generated `i64 @"type:T.hash"(ptr key, i64 seed)` that chains its fields' hashers.
#include <llvm/IR/Constants.h>

#include "lower.h"
#include "runtime/map.h"
#include "types.h"

namespace gol {

using namespace llvm;

namespace {
const types::Map* mapOf(const types::Type* t) { return t ? t->underlying()->as<types::Map>() : nullptr; }
}  // namespace

bool isMapIndex(Expr* e) {
  auto* ix = e ? unparen(e)->as<IndexExpr>() : nullptr;
  return ix && ix->mode == ExprMode::MapIndex;
}

Constant* Lowerer::hashFunc(const types::Type* t) {
  const types::Type* u = t->underlying();
  auto rt = [&](RtFunc f) { return cast<Constant>(getRuntimeFunc(mod, f).getCallee()); };
  switch (u->kind) {
    case types::TypeKind::Pointer:
    case types::TypeKind::Chan: return rt(RtFunc::memhash64);
    case types::TypeKind::Interface:
      return rt(u->as<types::Interface>()->allMethods.empty() ? RtFunc::nilinterhash : RtFunc::interhash);
    case types::TypeKind::Basic:
      switch (u->as<types::Basic>()->bkind) {
        case types::BasicKind::Float32: return rt(RtFunc::f32hash);
        case types::BasicKind::Float64: return rt(RtFunc::f64hash);
        case types::BasicKind::Complex64: return rt(RtFunc::c64hash);
        case types::BasicKind::Complex128: return rt(RtFunc::c128hash);
        case types::BasicKind::String: return rt(RtFunc::strhash);
        default: break;
      }
      switch (sizeOf(u)) {
        case 1: return rt(RtFunc::memhash8);
        case 2: return rt(RtFunc::memhash16);
        case 4: return rt(RtFunc::memhash32);
        default: return rt(RtFunc::memhash64);
      }
    case types::TypeKind::Array:
    case types::TypeKind::Struct: break;
    default: return ConstantPointerNull::get(ptr);  // not comparable: never a key
  }
  for (auto& [known, fn] : hashFuncs)
    if (types::identical(known, t)) return fn;
  // The parts' hashers first (they may be generated too), then this body.
  std::vector<std::pair<uint64_t, Constant*>> parts;  // offset, hasher
  if (auto* a = u->as<types::Array>()) {
    uint64_t esize = sizeOf(a->elem);
    Constant* eh = a->len > 0 ? hashFunc(a->elem) : nullptr;
    for (int64_t i = 0; i < a->len; i++) parts.push_back({uint64_t(i) * esize, eh});
  } else {
    auto* st = u->as<types::Struct>();
    const StructLayout* sl = mod.getDataLayout().getStructLayout(cast<llvm::StructType>(memType(u)));
    for (size_t i = 0; i < st->fields.size(); i++) {
      if (st->fields[i]->name == "_") continue;
      parts.push_back({sl->getElementOffset(unsigned(i)), hashFunc(st->fields[i]->type)});
    }
  }
  auto* fty = FunctionType::get(i64, {ptr, i64}, false);
  Function* fn = Function::Create(fty, GlobalValue::PrivateLinkage, "type:" + types::typeString(t) + ".hash", mod);
  setFuncAttrs(fn);
  hashFuncs.push_back({t, fn});
  IRBuilder<> hb(BasicBlock::Create(ctx, "entry", fn));
  Value* h = fn->getArg(1);
  for (auto& [off, hf] : parts) {
    Value* p = hb.CreateConstInBoundsGEP1_64(i8, fn->getArg(0), off);
    h = hb.CreateCall(fty, hf, {p, h});
  }
  hb.CreateRet(h);
  return fn;
}

// The kind-specific part of a map type's descriptor (map.h): key, elem, hasher, sizes, flags.
std::vector<Constant*> Lowerer::mapDescExtra(const types::Type* t) {
  auto* m = mapOf(t);
  uint64_t ks = sizeOf(m->key), es = sizeOf(m->elem);
  uint64_t bs = ((8 + 8 * ks + 8 * es + 7) & ~uint64_t(7)) + 8;
  return {typeDesc(m->key), typeDesc(m->elem), hashFunc(m->key), ConstantInt::get(i32, ks),
          ConstantInt::get(i32, es), ConstantInt::get(i32, bs), ConstantInt::get(i32, 0)};
}

Value* Lowerer::lowerMakeMap(CallExpr* call) {
  Value* hint = ConstantInt::get(i64, 0);
  if (call->args.size() > 1) hint = toInt64(lowerExpr(call->args[1]), call->args[1]->type, "make.hint");
  return callRuntime(RtFunc::makemap, {typeDesc(call->type), hint}, "make.map");
}

// The map and a stack slot holding the key of m[k], evaluated in that order.
std::pair<Value*, Value*> Lowerer::mapAndKey(IndexExpr* e) {
  const types::Map* mt = mapOf(e->x->type);
  Value* m = lowerExpr(e->x);
  Expr* ke = e->indices[0];
  Value* k = convertValue(lowerExpr(ke), ke->type, mt->key);
  Value* slot = createEntryAlloca(memType(mt->key), "map.key");
  storeValue(k, slot, mt->key);
  return {m, slot};
}

Value* Lowerer::lowerMapIndex(IndexExpr* e, Value** ok) {
  const types::Map* mt = mapOf(e->x->type);
  auto [m, key] = mapAndKey(e);
  Value* p;
  if (ok) {
    Value* okSlot = createEntryAlloca(i8, "map.ok");
    p = callRuntime(RtFunc::mapaccess2, {typeDesc(e->x->type), m, key, okSlot}, "map.elem.addr");
    *ok = b.CreateTrunc(b.CreateLoad(i8, okSlot, "map.ok.byte"), i1, "map.ok");
  } else {
    p = callRuntime(RtFunc::mapaccess1, {typeDesc(e->x->type), m, key}, "map.elem.addr");
  }
  return loadValue(p, mt->elem, "map.elem");
}

Value* Lowerer::mapAssignAddr(IndexExpr* e) {
  auto [m, key] = mapAndKey(e);
  return callRuntime(RtFunc::mapassign, {typeDesc(e->x->type), m, key}, "map.slot");
}

// m[k] op= v: m and k once; the old element is read before v is evaluated, and the slot is
// found only after (v may write to m).
void Lowerer::lowerMapOpAssign(IndexExpr* e, Tok op, Expr* rhs, Pos opPos) {
  const types::Map* mt = mapOf(e->x->type);
  auto [m, key] = mapAndKey(e);
  Value* desc = typeDesc(e->x->type);
  Value* old = loadValue(callRuntime(RtFunc::mapaccess1, {desc, m, key}, "map.elem.addr"), mt->elem, "old");
  Value* v;
  if (rhs) {
    v = lowerBinaryOp(op, old, lowerExpr(rhs), mt->elem, rhs, opPos);
  } else if (isFloatType(mt->elem)) {
    Value* one = ConstantFP::get(old->getType(), 1.0);
    v = op == Tok::Add ? b.CreateFAdd(old, one, "inc") : b.CreateFSub(old, one, "dec");
  } else {
    Value* one = ConstantInt::get(old->getType(), 1);
    v = op == Tok::Add ? b.CreateAdd(old, one, "inc") : b.CreateSub(old, one, "dec");
  }
  storeValue(v, callRuntime(RtFunc::mapassign, {desc, m, key}, "map.slot"), mt->elem);
}

void Lowerer::lowerDelete(CallExpr* call) {
  const types::Map* mt = mapOf(call->args[0]->type);
  Value* m = lowerExpr(call->args[0]);
  Expr* ke = call->args[1];
  Value* k = convertValue(lowerExpr(ke), ke->type, mt->key);
  Value* slot = createEntryAlloca(memType(mt->key), "map.key");
  storeValue(k, slot, mt->key);
  callRuntime(RtFunc::mapdelete, {typeDesc(call->args[0]->type), m, slot}, "");
}

Value* Lowerer::lowerMapLit(CompositeLit* e) {
  const types::Map* mt = mapOf(e->type);
  Value* desc = typeDesc(e->type);
  Value* m = callRuntime(RtFunc::makemap, {desc, ConstantInt::get(i64, int64_t(e->elts.size()))}, "map.lit");
  Value* kslot = e->elts.empty() ? nullptr : createEntryAlloca(memType(mt->key), "map.lit.key");
  for (Expr* el : e->elts) {
    auto* kv = el->as<KeyValueExpr>();
    if (!kv) continue;
    Value* k = convertValue(lowerExpr(kv->key), kv->key->type, mt->key);
    Value* v = convertValue(lowerExpr(kv->value_), kv->value_->type, mt->elem);
    storeValue(k, kslot, mt->key);
    storeValue(v, callRuntime(RtFunc::mapassign, {desc, m, kslot}, "map.slot"), mt->elem);
  }
  return m;
}

void Lowerer::lowerRangeMap(RangeStmt* s, const Stmt* label) {
  const types::Map* mt = mapOf(s->x->type);
  Value* m = lowerExpr(s->x);
  Value* it = createEntryAlloca(llvm::ArrayType::get(i64, GOL_HITER_WORDS), "range.iter");
  callRuntime(RtFunc::mapiterinit, {typeDesc(s->x->type), m, it}, "");
  BasicBlock* condBB = newBlock("range.cond");
  BasicBlock* bodyBB = newBlock("range.body");
  BasicBlock* nextBB = newBlock("range.next");
  BasicBlock* doneBB = newBlock("range.done");
  b.CreateBr(condBB);
  setBlock(condBB);
  Value* kp = b.CreateLoad(ptr, it, "range.key.addr");
  b.CreateCondBr(b.CreateIsNull(kp, "range.end"), doneBB, bodyBB);
  setBlock(bodyBB);
  auto isBlank = [](Expr* x) { return !x || (unparen(x)->is<Ident>() && unparen(x)->as<Ident>()->name == "_"); };
  Value* k = isBlank(s->key) ? nullptr : loadValue(kp, mt->key, "range.key");
  Value* v = nullptr;
  if (!isBlank(s->value_)) {
    Value* ep = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, it, 8), "range.elem.addr");
    v = loadValue(ep, mt->elem, "range.elem");
  }
  if (k) assignTo(s->key, k, mt->key);
  if (v) assignTo(s->value_, v, mt->elem);
  fs.targets.push_back({s, label, doneBB, nextBB});
  lowerStmts(s->body->list);
  fs.targets.pop_back();
  branchTo(nextBB);
  setBlock(nextBB);
  callRuntime(RtFunc::mapiternext, {it}, "");
  b.CreateBr(condBB);
  setBlock(doneBB);
}

}  // namespace gol
