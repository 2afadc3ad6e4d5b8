// This file lowers interfaces: conversions to interface types, method calls through itabs,
// type assertions, type switches and == on interface values.
//
// An interface value is {tab, data} (DESIGN §3). For the empty interface tab is the dynamic
// type's descriptor; for others it is an itab laid out as Go's:
//
//   @"go:itab.main.T,main.I" = { ptr @"type:main.I", ptr @"type:main.T", i32 hash, i32 0,
//                                [n x ptr] [methods of I in allMethods order] }
//
// data is the value itself for pointer-shaped types (pointers, chans, maps, funcs: the
// descriptor's KindDirectIface), else a pointer to a heap copy. Each itab method slot holds a
// wrapper taking data as its receiver (`main.T.M·i`) that loads the boxed value or walks to a
// promoted method. x.M(args) is `call itab.fun[i](data, args)`.
//
// Conversions whose itab is known at compile time (T to I) use a static itab. Those decided at
// run time (I to J, x.(J), type switch cases of interface type) call @gol.getitab, emitted
// last: a search of @gol.itabs, the table of every (interface, type) pair the program can
// meet -- each interface asserted to, against each type ever converted to an interface --
// with the itab or, when the type lacks a method, that method's name for the panic message.
#include <llvm/IR/MDBuilder.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>

#include "lower.h"
#include "runtime/typedesc.h"
#include "types.h"

namespace gol {

using namespace llvm;

const types::Interface* ifaceOf(const types::Type* t) {
  return t ? t->underlying()->as<types::Interface>() : nullptr;
}

static bool isEmptyIface(const types::Type* t) {
  auto* it = ifaceOf(t);
  return it && it->allMethods.empty();
}

// Pointer-shaped types are stored in the data word itself.
static bool isDirectIface(const types::Type* t) {
  switch (t->underlying()->kind) {
    case types::TypeKind::Pointer:
    case types::TypeKind::Map:
    case types::TypeKind::Chan:
    case types::TypeKind::Signature: return true;
    default: return false;
  }
}

// ---- method sets ----

// The method `name` of T's method set (the spec's rules: *T has T's methods and its own, T only
// the value ones, promotion through embedded S and *S), with the embedded-field path to it.
Lowerer::MethodPath Lowerer::findMethod(const types::Type* T, const std::string& name) {
  struct Cand {
    const types::Type* t;
    std::vector<int> path;
    bool viaPtr;
  };
  bool top = false;
  const types::Type* base = T;
  if (auto* p = T->as<types::Pointer>()) {
    base = p->elem;
    top = true;
  }
  std::vector<Cand> level = {{base, {}, top}};
  for (int depth = 0; depth < 8 && !level.empty(); depth++) {
    std::vector<Cand> next;
    for (const Cand& c : level) {
      if (auto* n = c.t->as<types::Named>()) {
        for (types::Func* m : n->methods) {
          if (m->name != name) continue;
          if (m->ptrRecv && !c.viaPtr) return {};
          return {m, c.path, c.viaPtr};
        }
      }
      if (auto* it = c.t->underlying()->as<types::Interface>()) {  // an embedded interface field
        for (types::Func* m : it->allMethods)
          if (m->name == name) return {m, c.path, c.viaPtr, c.t};
      }
      if (auto* st = c.t->underlying()->as<types::Struct>()) {
        for (size_t i = 0; i < st->fields.size(); i++) {
          types::Var* f = st->fields[i];
          if (!f->embedded) continue;
          std::vector<int> path = c.path;
          path.push_back(int(i));
          if (auto* p = f->type->as<types::Pointer>()) next.push_back({p->elem, path, true});
          else next.push_back({f->type, path, c.viaPtr});
        }
      }
    }
    level = std::move(next);
  }
  return {};
}

// The wrapper an itab slot holds: (data, params) -> results, calling mp.m on the value in data.
Function* Lowerer::itabMethodWrapper(const types::Type* T, const MethodPath& mp) {
  if (mp.iface) return itabIfaceWrapper(T, mp);
  Function* target = declareFunc(mp.m);
  // A pointer method of *T needs no wrapper: data is the receiver.
  if (T->as<types::Pointer>() && mp.path.empty() && mp.m->ptrRecv) return target;
  std::string name = types::typeString(T) + "." + mp.m->name + "-i";
  if (Function* fn = mod.getFunction(name)) return fn;
  std::vector<Type*> params = {ptr};
  for (unsigned i = 1; i < target->arg_size(); i++) params.push_back(target->getArg(i)->getType());
  auto* fty = FunctionType::get(target->getReturnType(), params, false);
  Function* fn = Function::Create(fty, GlobalValue::InternalLinkage, name, mod);
  setFuncAttrs(fn);
  fn->getArg(0)->setName("data");
  NestedFunc scope(*this, fn);
  // Walk from the dynamic value to the method's receiver.
  Value* cur = fn->getArg(0);  // the address of a T, or (direct) the T itself
  const types::Type* t = T;
  bool isAddr = !isDirectIface(T);
  // Every pointer followed on the way is checked: a load through it may be dead code (the
  // result unused) and still must panic, as in Go.
  if (auto* p = T->as<types::Pointer>()) {  // data is a *S: the address of an S
    t = p->elem;
    isAddr = true;
    emitNilCheck(cur);
  }
  for (size_t i = 0; i < mp.path.size(); i++) {
    int idx = mp.path[i];
    auto* st = t->underlying()->as<types::Struct>();
    types::Var* f = st->fields[idx];
    cur = b.CreateStructGEP(llvmType(st), cur, unsigned(idx), f->name + ".addr");
    t = f->type;
    if (auto* p = t->as<types::Pointer>()) {
      cur = b.CreateLoad(ptr, cur, f->name);
      t = p->elem;
      // The last embedded pointer is a pointer method's receiver, which may be nil.
      if (i + 1 < mp.path.size() || !mp.m->ptrRecv) emitNilCheck(cur);
    }
  }
  Value* recv = cur;
  if (!mp.m->ptrRecv && isAddr) {
    const types::Type* rt = mp.m->sig()->recv->type;
    recv = b.CreateLoad(memType(rt), cur, "recv");
    if (llvmType(rt) == i1) recv = b.CreateTrunc(recv, i1, "recv.bool");
  }
  std::vector<Value*> args = {recv};
  for (unsigned i = 1; i < fn->arg_size(); i++) args.push_back(fn->getArg(i));
  CallInst* call = b.CreateCall(target, args);
  if (fty->getReturnType()->isVoidTy()) b.CreateRetVoid();
  else b.CreateRet(call);
  return fn;
}

// The itab slot of a method T gets from an embedded interface: walk from the dynamic value to
// the embedded interface value, then call the method through its own itab (a nil embedded
// interface panics with a nil dereference, as Go's promoted-method wrapper does).
Function* Lowerer::itabIfaceWrapper(const types::Type* T, const MethodPath& mp) {
  std::string name = types::typeString(T) + "." + mp.m->name + "-i";
  if (Function* fn = mod.getFunction(name)) return fn;
  FunctionType* fty = closureCallType(mp.m->sig());  // (data, params...) -> results
  Function* fn = Function::Create(fty, GlobalValue::InternalLinkage, name, mod);
  setFuncAttrs(fn);
  fn->getArg(0)->setName("data");
  NestedFunc scope(*this, fn);
  Value* cur = fn->getArg(0);
  const types::Type* t = T;
  if (auto* p = T->as<types::Pointer>()) t = p->elem;
  // T is a struct (data is its address) or a pointer to one (data is the pointer).
  for (int idx : mp.path) {
    auto* st = t->underlying()->as<types::Struct>();
    types::Var* f = st->fields[idx];
    cur = b.CreateStructGEP(llvmType(st), cur, unsigned(idx), f->name + ".addr");
    t = f->type;
    if (auto* p = t->as<types::Pointer>()) {
      cur = b.CreateLoad(ptr, cur, f->name);
      t = p->elem;
    }
  }
  Value* iv = b.CreateLoad(llvmType(mp.iface), cur, "embedded.iface");
  Value* tab = b.CreateExtractValue(iv, 0, "iface.tab");
  emitNilCheck(tab);
  const types::Interface* it = ifaceOf(mp.iface);
  size_t idx = 0;
  while (idx < it->allMethods.size() && it->allMethods[idx]->name != mp.m->name) idx++;
  Value* slot = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, tab, 24 + 8 * idx, mp.m->name + ".slot"), mp.m->name);
  std::vector<Value*> args = {b.CreateExtractValue(iv, 1, "iface.data")};
  for (unsigned i = 1; i < fn->arg_size(); i++) args.push_back(fn->getArg(i));
  CallInst* call = b.CreateCall(fty, slot, args);
  if (fty->getReturnType()->isVoidTy()) b.CreateRetVoid();
  else b.CreateRet(call);
  return fn;
}

// The itab of (I, T), or null when T does not implement I (missing: the first absent method).
Constant* Lowerer::itabFor(const types::Type* iface, const types::Type* T, std::string* missing) {
  for (auto& e : itabs)
    if (types::identical(e.iface, iface) && types::identical(e.type, T)) {
      if (missing) *missing = e.missing;
      return e.itab;
    }
  const types::Interface* it = ifaceOf(iface);
  std::vector<Constant*> fns;
  std::string absent;
  for (types::Func* m : it->allMethods) {
    MethodPath mp = findMethod(T, m->name);
    if (!mp.m) {
      absent = m->name;
      break;
    }
    fns.push_back(itabMethodWrapper(T, mp));
  }
  Constant* itab = nullptr;
  if (absent.empty()) {
    auto* funTy = llvm::ArrayType::get(ptr, fns.size());
    auto* ty = llvm::StructType::get(ctx, {ptr, ptr, i32, i32, funTy});
    std::string name = "go:itab." + types::typeString(T) + "," + types::typeString(iface);
    Constant* fields[] = {typeDesc(iface), typeDesc(T), ConstantInt::get(i32, 0), ConstantInt::get(i32, 0),
                          ConstantArray::get(funTy, fns)};
    itab = new GlobalVariable(mod, ty, true, GlobalValue::PrivateLinkage, ConstantStruct::get(ty, fields), name);
  }
  itabs.push_back({iface, T, itab, absent});
  if (missing) *missing = absent;
  return itab;
}

// ---- conversions ----

Value* Lowerer::toIface(Value* v, const types::Type* from, const types::Type* to) {
  if (ifaceOf(from)) {  // interface to interface
    if (isEmptyIface(to)) return isEmptyIface(from) ? v : b.CreateInsertValue(v, dynTypeOf(v, from), {0}, "eface");
    return assertIface(v, from, to, nullptr);  // statically known to succeed unless v is nil
  }
  if (!concreteSeen.count(types::typeString(from))) {
    concreteSeen.insert(types::typeString(from));
    concreteTypes.push_back(from);
  }
  Value* tab = isEmptyIface(to) ? typeDesc(from) : itabFor(to, from, nullptr);
  if (!tab) tab = ConstantPointerNull::get(ptr);
  Value* data;
  if (isDirectIface(from)) {
    data = v;
  } else {
    data = heapAllocOf(from, "iface.box");
    storeValue(v, data, from);
  }
  Value* iv = b.CreateInsertValue(PoisonValue::get(llvmType(to)), tab, {0}, "iface.tab");
  return b.CreateInsertValue(iv, data, {1}, "iface");
}

// The dynamic type's descriptor of an interface value (null for nil).
Value* Lowerer::dynTypeOf(Value* iv, const types::Type* ifaceT) {
  Value* tab = b.CreateExtractValue(iv, 0, "iface.tab");
  if (isEmptyIface(ifaceT)) return tab;
  BasicBlock* fromBB = b.GetInsertBlock();
  BasicBlock* loadBB = newBlock("iface.itabtype");
  BasicBlock* doneBB = newBlock("iface.dyntype");
  b.CreateCondBr(b.CreateIsNull(tab, "iface.isnil"), doneBB, loadBB);
  setBlock(loadBB);
  Value* t = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, tab, 8, "itab.type.addr"), "itab.type");
  b.CreateBr(doneBB);
  setBlock(doneBB);
  PHINode* phi = b.CreatePHI(ptr, 2, "iface.dyntype");
  phi->addIncoming(ConstantPointerNull::get(ptr), fromBB);
  phi->addIncoming(t, loadBB);
  return phi;
}

// @gol.getitab(inter, type): the table entry {inter, type, itab, missing} (see the top).
Function* Lowerer::getItabFunc() {
  if (Function* fn = mod.getFunction("gol.getitab")) return fn;
  auto* fty = FunctionType::get(ptr, {ptr, ptr}, false);
  Function* fn = Function::Create(fty, GlobalValue::InternalLinkage, "gol.getitab", mod);
  setFuncAttrs(fn);
  return fn;  // defined by finishItabTable once every pair is known
}

// v (of interface type from) as interface type to; panics like Go's assertE2I when the dynamic
// type lacks a method (or v is nil), unless ok is given: then ok reports success.
Value* Lowerer::assertIface(Value* v, const types::Type* from, const types::Type* to, Value** ok) {
  if (!dynIfacesSeen.count(types::typeString(to))) {
    dynIfacesSeen.insert(types::typeString(to));
    dynIfaces.push_back(to);
  }
  Value* dyn = dynTypeOf(v, from);
  Value* data = b.CreateExtractValue(v, 1, "iface.data");
  Value* isNil = b.CreateIsNull(dyn, "assert.nil");
  BasicBlock* nilBB = b.GetInsertBlock();
  BasicBlock* lookBB = newBlock("assert.lookup");
  BasicBlock* doneBB = newBlock("assert.done");
  b.CreateCondBr(isNil, doneBB, lookBB);
  setBlock(lookBB);
  Value* tab;
  Value* missing = nullptr;
  if (isEmptyIface(to)) {
    tab = dyn;
  } else {
    Value* entry = b.CreateCall(getItabFunc(), {typeDesc(to), dyn}, "itab.entry");
    tab = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, entry, 16, "itab.addr"), "itab");
    missing = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, entry, 24, "itab.missing.addr"), "itab.missing");
  }
  BasicBlock* lookEnd = b.GetInsertBlock();
  b.CreateBr(doneBB);
  setBlock(doneBB);
  PHINode* tabPhi = b.CreatePHI(ptr, 2, "assert.tab");
  tabPhi->addIncoming(ConstantPointerNull::get(ptr), nilBB);
  tabPhi->addIncoming(tab, lookEnd);
  PHINode* missPhi = b.CreatePHI(ptr, 2, "assert.missing");  // the absent method's name
  missPhi->addIncoming(ConstantPointerNull::get(ptr), nilBB);
  missPhi->addIncoming(missing ? missing : ConstantPointerNull::get(ptr), lookEnd);
  Value* good = b.CreateIsNotNull(tabPhi, "assert.ok");
  if (ok) {
    *ok = good;
  } else {
    emitPanicIfNot(good, [&] {
      b.CreateCall(getRuntimeFunc(mod, RtFunc::panicdottypeI), {dyn, typeDesc(to), typeDesc(from), missPhi});
    }, "assert");
  }
  Value* iv = b.CreateInsertValue(PoisonValue::get(llvmType(to)), tabPhi, {0}, "assert.iface.tab");
  return b.CreateInsertValue(iv, data, {1}, "iface");
}

// x.(T) and v, ok := x.(T).
Value* Lowerer::lowerTypeAssert(TypeAssertExpr* e, Value** ok) {
  const types::Type* from = e->x->type;
  const types::Type* to = e->typeExpr->type;
  Value* v = lowerExpr(e->x);
  if (ifaceOf(to)) return assertIface(v, from, to, ok);
  Value* dyn = dynTypeOf(v, from);
  Value* match = b.CreateICmpEQ(dyn, typeDesc(to), "assert.match");
  if (!concreteSeen.count(types::typeString(to))) {
    concreteSeen.insert(types::typeString(to));
    concreteTypes.push_back(to);
  }
  Value* data = b.CreateExtractValue(v, 1, "iface.data");
  if (ok) {
    *ok = match;
    // The zero value when the assertion fails: read through a select so nothing dereferences
    // a box of another type.
    if (isDirectIface(to)) return b.CreateSelect(match, data, Constant::getNullValue(ptr), "assert.value");
    Value* zero = createEntryAlloca(memType(to), "assert.zero");
    b.CreateStore(Constant::getNullValue(memType(to)), zero);
    return loadValue(b.CreateSelect(match, data, zero, "assert.addr"), to, "assert.value");
  }
  emitPanicIfNot(match, [&] {
    b.CreateCall(getRuntimeFunc(mod, RtFunc::panicdottypeE), {dyn, typeDesc(to), typeDesc(from)});
  }, "assert");
  if (isDirectIface(to)) return data;
  return loadValue(data, to, "assert.value");
}

void Lowerer::emitPanicIfNot(Value* cond, const std::function<void()>& panic, const Twine& name) {
  BasicBlock* failBB = newBlock(name + ".fail");
  BasicBlock* okBB = newBlock(name + ".ok");
  b.CreateCondBr(cond, okBB, failBB, MDBuilder(ctx).createLikelyBranchWeights());
  setBlock(failBB);
  panic();
  b.CreateUnreachable();
  setBlock(okBB);
}

// ---- method calls ----

Value* Lowerer::lowerIfaceCall(CallExpr* call, SelectorExpr* sel) {
  auto* m = sel->selection.obj->as<types::Func>();
  const types::Type* xt = sel->x->type;
  // x is the interface itself, or a struct (or pointer to one) embedding it.
  Value* iv = ifaceOf(xt) ? lowerExpr(sel->x) : promotedIface(sel, xt);
  const types::Interface* it = ifaceOf(xt);
  size_t idx = 0;
  while (idx < it->allMethods.size() && it->allMethods[idx]->name != m->name) idx++;
  Value* tab = b.CreateExtractValue(iv, 0, "iface.tab");
  Value* data = b.CreateExtractValue(iv, 1, "iface.data");
  std::vector<Value*> args = {data};
  for (Value* a : lowerCallArgs(call, m->sig())) args.push_back(a);
  emitNilCheck(tab);
  Value* fn = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, tab, 24 + 8 * idx, m->name + ".slot"), m->name);
  std::vector<Type*> params = {ptr};
  for (size_t i = 1; i < args.size(); i++) params.push_back(args[i]->getType());
  auto* fty = FunctionType::get(resultType(m->sig()), params, false);
  CallInst* ci = b.CreateCall(fty, fn, args);
  if (fty->getReturnType()->isVoidTy()) return nullptr;
  ci->setName(m->name);
  return ci;
}

// ---- type switches ----

// switch x := y.(type) { case T1: ... case I, nil: ... default: ... }: the cases are tested in
// order against y's dynamic type; x is y as the single listed type, else y itself.
void Lowerer::lowerTypeSwitch(TypeSwitchStmt* s, const Stmt* label) {
  if (s->init) lowerStmt(s->init);
  TypeAssertExpr* guard = nullptr;
  if (auto* as = s->assign->as<AssignStmt>()) guard = unparen(as->rhs[0])->as<TypeAssertExpr>();
  if (auto* es = s->assign->as<ExprStmt>()) guard = unparen(es->x)->as<TypeAssertExpr>();
  const types::Type* xt = guard->x->type;
  Value* v = lowerExpr(guard->x);
  Value* dyn = dynTypeOf(v, xt);
  std::vector<CaseClause*> clauses;
  for (Stmt* st : s->body->list)
    if (auto* cc = st->as<CaseClause>()) clauses.push_back(cc);
  std::vector<BasicBlock*> bodies;
  int defaultIdx = -1;
  for (size_t i = 0; i < clauses.size(); i++) {
    if (clauses[i]->isDefault || clauses[i]->list.empty()) defaultIdx = int(i);
    bodies.push_back(newBlock(int(i) == defaultIdx ? "typeswitch.default" : "typeswitch.case"));
  }
  BasicBlock* doneBB = newBlock("typeswitch.done");
  for (size_t i = 0; i < clauses.size(); i++) {
    for (Expr* e : clauses[i]->list) {
      Value* match;
      auto* id = unparen(e)->as<Ident>();
      if (id && id->obj && id->obj->as<types::Nil>()) {
        match = b.CreateIsNull(dyn, "case.nil");
      } else if (ifaceOf(e->type)) {
        Value* ok = nullptr;
        assertIface(v, xt, e->type, &ok);
        match = ok;
      } else {
        if (!concreteSeen.count(types::typeString(e->type))) {
          concreteSeen.insert(types::typeString(e->type));
          concreteTypes.push_back(e->type);
        }
        match = b.CreateICmpEQ(dyn, typeDesc(e->type), "case.match");
      }
      BasicBlock* nextBB = newBlock("typeswitch.next");
      b.CreateCondBr(match, bodies[i], nextBB);
      setBlock(nextBB);
    }
  }
  b.CreateBr(defaultIdx >= 0 ? bodies[defaultIdx] : doneBB);
  fs.targets.push_back({s, label, doneBB, nullptr});
  for (size_t i = 0; i < clauses.size(); i++) {
    setBlock(bodies[i]);
    if (auto* var = clauses[i]->implicitObj ? clauses[i]->implicitObj->as<types::Var>() : nullptr) {
      Value* val = v;
      const types::Type* single = clauses[i]->list.size() == 1 ? clauses[i]->list[0]->type : nullptr;
      auto* id = clauses[i]->list.size() == 1 ? unparen(clauses[i]->list[0])->as<Ident>() : nullptr;
      if (id && id->obj && id->obj->as<types::Nil>()) single = nullptr;
      if (single && !ifaceOf(single)) {
        Value* data = b.CreateExtractValue(v, 1, "iface.data");
        val = isDirectIface(single) ? data : loadValue(data, single, "case.value");
      } else if (single) {
        val = assertIface(v, xt, single, nullptr);
      }
      if (checkLowerable(var->type, var->pos)) storeValue(val, newLocal(var, false), var->type);
    }
    lowerStmts(clauses[i]->body);
    branchTo(doneBB);
  }
  fs.targets.pop_back();
  setBlock(doneBB);
}

// ---- equality ----

// x == y for interface values: same tab, then the dynamic type's equal on the data.
Value* Lowerer::lowerIfaceEqual(Value* x, Value* y, const types::Type* t) {
  Value* tx = b.CreateExtractValue(x, 0, "x.tab");
  Value* ty = b.CreateExtractValue(y, 0, "y.tab");
  Value* dx = b.CreateExtractValue(x, 1, "x.data");
  Value* dy = b.CreateExtractValue(y, 1, "y.data");
  BasicBlock* startBB = b.GetInsertBlock();
  BasicBlock* sameBB = newBlock("ifaceeq.sametab");
  BasicBlock* dataBB = newBlock("ifaceeq.data");
  BasicBlock* doneBB = newBlock("ifaceeq.done");
  b.CreateCondBr(b.CreateICmpEQ(tx, ty, "ifaceeq.tab"), sameBB, doneBB);
  setBlock(sameBB);
  b.CreateCondBr(b.CreateIsNull(tx), doneBB, dataBB);  // both nil
  setBlock(dataBB);
  Value* dyn = isEmptyIface(t) ? tx : b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, tx, 8), "itab.type");
  // An incomparable dynamic type (no equal function: slices, maps, funcs) panics; pointer-
  // shaped values are their own data words; others compare with the type's equal function.
  Value* eqFn = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, dyn, 24, "type.equal.addr"), "type.equal");
  emitPanicIf(b.CreateIsNull(eqFn, "type.uncomparable"), RtFunc::panicuncomparable, {dyn}, "ifaceeq.uncomparable");
  Value* kind = b.CreateLoad(i8, b.CreateConstInBoundsGEP1_64(i8, dyn, 23, "type.kind.addr"), "type.kind");
  Value* direct = b.CreateICmpNE(b.CreateAnd(kind, ConstantInt::get(i8, rt::KindDirectIface)), ConstantInt::get(i8, 0),
                                 "type.direct");
  Value* samePtr = b.CreateICmpEQ(dx, dy, "ifaceeq.sameptr");
  BasicBlock* directBB = b.GetInsertBlock();
  BasicBlock* callBB = newBlock("ifaceeq.call");
  BasicBlock* dataDoneBB = newBlock("ifaceeq.datadone");
  b.CreateCondBr(direct, dataDoneBB, callBB);
  setBlock(callBB);
  Value* called = b.CreateCall(FunctionType::get(i1, {ptr, ptr}, false), eqFn, {dx, dy}, "ifaceeq.equal");
  BasicBlock* callEnd = b.GetInsertBlock();
  b.CreateBr(dataDoneBB);
  setBlock(dataDoneBB);
  PHINode* eq = b.CreatePHI(i1, 2, "ifaceeq.data");
  eq->addIncoming(samePtr, directBB);
  eq->addIncoming(called, callEnd);
  BasicBlock* dataEnd = b.GetInsertBlock();
  b.CreateBr(doneBB);
  setBlock(doneBB);
  PHINode* phi = b.CreatePHI(i1, 3, "ifaceeq");
  phi->addIncoming(ConstantInt::getFalse(ctx), startBB);
  phi->addIncoming(ConstantInt::getTrue(ctx), sameBB);
  phi->addIncoming(eq, dataEnd);
  return phi;
}

// ---- panic(v) ----

// panic(v) for a v that is not a plain string: an error goes to gol_gopanicerror with its
// Error method (the runtime prints v.Error(), as Go does); anything else goes to gol_gopanic
// as an interface{} value, which the runtime prints as Go's printpanicval does (5,
// main.T(5), (main.T) 0xc000010000, nil).
void Lowerer::lowerPanicValue(Expr* arg) {
  if (!emptyIface) emptyIface = std::make_unique<types::Interface>();
  Value* v = lowerExpr(arg);
  Value* e = ifaceOf(arg->type) && isEmptyIface(arg->type) ? v : toIface(v, arg->type, emptyIface.get());
  const types::Type* errorT = nullptr;
  if (pkg.scope)
    if (auto* tn = pkg.scope->lookupParent("error") ? pkg.scope->lookupParent("error")->as<types::TypeName>() : nullptr)
      errorT = tn->type;
  // A concrete static type is an error or not at compile time.
  bool staticType = !ifaceOf(arg->type);
  // Go prints an error through Error() and else a Stringer through String() (preprintpanics):
  // both have one method (data) -> string in itab slot 0, which the runtime calls to print the
  // panic; the value (what recover returns) stays the value itself.
  const types::Type* stringerT = nullptr;
  if (errorT && ifaceOf(errorT) && !ifaceOf(errorT)->allMethods.empty()) {
    if (!stringerIface) {
      stringerMethod = std::make_unique<types::Func>("String", ifaceOf(errorT)->allMethods[0]->type, Pos{});
      stringerMethod->isIfaceMethod = true;
      stringerIface = std::make_unique<types::Interface>();
      stringerIface->methods.push_back(stringerMethod.get());
      stringerIface->allMethods.push_back(stringerMethod.get());
    }
    stringerT = stringerIface.get();
  }
  for (const types::Type* I : {errorT, stringerT}) {
    if (!I || !ifaceOf(I)) continue;
    if (staticType && !itabFor(I, arg->type, nullptr)) continue;
    Value* ok = nullptr;
    Value* iv;
    if (staticType) {
      iv = toIface(v, arg->type, I);
      ok = ConstantInt::getTrue(ctx);
    } else {
      iv = assertIface(e, emptyIface.get(), I, &ok);
    }
    bool isErr = I == errorT;
    BasicBlock* strBB = newBlock(isErr ? "panic.error" : "panic.stringer");
    BasicBlock* valueBB = newBlock("panic.value");
    b.CreateCondBr(ok, strBB, valueBB);
    setBlock(strBB);
    Value* tab = b.CreateExtractValue(iv, 0, "tostring.tab");
    Value* fn = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, tab, 24, isErr ? "Error.slot" : "String.slot"),
                             isErr ? "Error" : "String");
    b.CreateCall(getRuntimeFunc(mod, RtFunc::gopanicerror),
                 {b.CreateExtractValue(e, 0, "panic.type"), b.CreateExtractValue(e, 1, "panic.data"), fn});
    b.CreateUnreachable();
    setBlock(valueBB);
    if (staticType) break;  // the static type decided it
  }
  b.CreateCall(getRuntimeFunc(mod, RtFunc::gopanic),
               {b.CreateExtractValue(e, 0, "panic.type"), b.CreateExtractValue(e, 1, "panic.data")});
  b.CreateUnreachable();
  startDeadBlock();
}

// ---- the itab table, emitted last ----

void Lowerer::finishItabTable() {
  // With library packages the table also covers their interfaces (pkg.libIfaces) and is
  // registered program-wide (gol_itab_register, stdlib/internal/itabs.cpp); a miss in this
  // module's table asks the registry (gol_itab_lookup).
  bool shared = !pkg.libIfaces.empty();
  if (shared) {
    for (const types::Type* I : pkg.libIfaces)
      if (!dynIfacesSeen.count(types::typeString(I))) {
        dynIfacesSeen.insert(types::typeString(I));
        dynIfaces.push_back(I);
      }
    getItabFunc();
  }
  Function* fn = mod.getFunction("gol.getitab");
  if (!fn) return;
  auto* entryTy = llvm::StructType::get(ctx, {ptr, ptr, ptr, ptr});
  std::vector<Constant*> entries;
  // Types outer: describing a pair's types may add concrete types (typeDesc of a struct adds
  // its fields' types), which the loop then reaches too.
  for (size_t j = 0; j < concreteTypes.size(); j++) {
    for (size_t i = 0; i < dynIfaces.size(); i++) {
      const types::Type* I = dynIfaces[i];
      const types::Type* T = concreteTypes[j];
      if (ifaceOf(T)) continue;
      std::string missing;
      Constant* itab = itabFor(I, T, &missing);
      Constant* name = ConstantPointerNull::get(ptr);
      if (!itab) {
        auto* data = ConstantDataArray::getString(ctx, missing, true);
        name = new GlobalVariable(mod, data->getType(), true, GlobalValue::PrivateLinkage, data, "itab.missing");
      }
      entries.push_back(ConstantStruct::get(entryTy, {typeDesc(I), typeDesc(T),
                                                      itab ? itab : ConstantPointerNull::get(ptr), name}));
    }
  }
  auto* tableTy = llvm::ArrayType::get(entryTy, entries.size());
  auto* table = new GlobalVariable(mod, tableTy, true, GlobalValue::PrivateLinkage,
                                   ConstantArray::get(tableTy, entries), "gol.itabs");
  // for i in 0..n: if table[i].inter == inter && table[i].type == type { return &table[i] }; return &none
  IRBuilder<> wb(BasicBlock::Create(ctx, "entry", fn));
  Argument* inter = fn->getArg(0);
  Argument* type = fn->getArg(1);
  inter->setName("inter");
  type->setName("type");
  auto* none = new GlobalVariable(mod, entryTy, true, GlobalValue::PrivateLinkage,
                                  Constant::getNullValue(entryTy), "gol.itabs.none");
  // Asks the runtime function `rt` for the pair's entry and returns it unless it is null.
  auto returnIfFound = [&](const char* rt, const char* what) {
    FunctionCallee f = mod.getOrInsertFunction(rt, FunctionType::get(ptr, {ptr, ptr}, false));
    Value* found = wb.CreateCall(f, {inter, type}, what);
    BasicBlock* hitBB = BasicBlock::Create(ctx, std::string(what) + ".hit", fn);
    BasicBlock* missBB = BasicBlock::Create(ctx, std::string(what) + ".miss", fn);
    wb.CreateCondBr(wb.CreateIsNull(found), missBB, hitBB);
    wb.SetInsertPoint(hitBB);
    wb.CreateRet(found);
    wb.SetInsertPoint(missBB);
  };
  // The registry holds this module's table too and answers from a hash cache: a linear
  // search here would cost fmt a scan of every pair for each value it prints.
  if (shared) returnIfFound("gol_itab_lookup", "shared");
  BasicBlock* loopBB = BasicBlock::Create(ctx, "loop", fn);
  BasicBlock* preBB = wb.GetInsertBlock();
  BasicBlock* bodyBB = BasicBlock::Create(ctx, "body", fn);
  BasicBlock* foundBB = BasicBlock::Create(ctx, "found", fn);
  BasicBlock* nextBB = BasicBlock::Create(ctx, "next", fn);
  BasicBlock* missBB = BasicBlock::Create(ctx, "miss", fn);
  wb.CreateBr(loopBB);
  wb.SetInsertPoint(loopBB);
  PHINode* i = wb.CreatePHI(i64, 2, "i");
  i->addIncoming(ConstantInt::get(i64, 0), preBB);
  // Shared: the registry already searched this table (a bound of 0 folds the loop away).
  wb.CreateCondBr(wb.CreateICmpULT(i, ConstantInt::get(i64, shared ? 0 : entries.size())), bodyBB, missBB);
  wb.SetInsertPoint(bodyBB);
  Value* e = wb.CreateInBoundsGEP(tableTy, table, {ConstantInt::get(i64, 0), i}, "entry");
  Value* ei = wb.CreateLoad(ptr, wb.CreateStructGEP(entryTy, e, 0), "entry.inter");
  Value* et = wb.CreateLoad(ptr, wb.CreateStructGEP(entryTy, e, 1), "entry.type");
  Value* hit = wb.CreateAnd(wb.CreateICmpEQ(ei, inter), wb.CreateICmpEQ(et, type), "hit");
  wb.CreateCondBr(hit, foundBB, nextBB);
  wb.SetInsertPoint(foundBB);
  wb.CreateRet(e);
  wb.SetInsertPoint(nextBB);
  i->addIncoming(wb.CreateAdd(i, ConstantInt::get(i64, 1)), nextBB);
  wb.CreateBr(loopBB);
  wb.SetInsertPoint(missBB);
  // The runtime's own panic values (runtime errors) are errors: asserting to error asks the
  // runtime for their entry (gol_itab_runtime, panic.cpp) on a miss.
  bool rtErrors = false;
  for (const types::Type* I : dynIfaces)
    rtErrors |= types::typeString(I) == "error" || types::typeString(I) == "runtime.Error";
  if (rtErrors) returnIfFound("gol_itab_runtime", "runtime");
  if (shared) {
    wb.CreateRet(none);
    auto* regTy = FunctionType::get(Type::getVoidTy(ctx), {ptr, i64}, false);
    FunctionCallee reg = mod.getOrInsertFunction("gol_itab_register", regTy);
    Function* ctor = Function::Create(FunctionType::get(Type::getVoidTy(ctx), false), GlobalValue::InternalLinkage,
                                      "gol.itabs.register", mod);
    IRBuilder<> cb(BasicBlock::Create(ctx, "entry", ctor));
    cb.CreateCall(reg, {table, ConstantInt::get(i64, entries.size())});
    cb.CreateRetVoid();
    appendToGlobalCtors(mod, ctor, 65535);
  } else {
    wb.CreateRet(none);
  }
}

}  // namespace gol
