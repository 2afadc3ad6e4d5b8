// This file lowers selections x.f and x.m as the checker resolved them (SelectionInfo):
// fields reached through embedded fields and pointers, method calls with their receiver, method
// values and method expressions.
//
// A method is an ordinary function whose first parameter is the receiver:
//   func (t *T) Inc()   ->  define internal void @"main.(*T).Inc"(ptr %t)
//   t.Inc()             ->  call void @"main.(*T).Inc"(ptr %t.heap)      ; &t, t addressable
//   p.Get()  (p *T)     ->  nil check; %t = load T, p; call i64 @main.T.Get(T %t)
// x.f walks SelectionInfo::index: one struct GEP per field (by address when x has one, or
// extractvalue from a value), following embedded pointers with a nil check before each use.
// A method value x.m is a closure {main.T.m-fm, receiver}, the receiver evaluated at once.
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

namespace {

// The value reached by walking x through struct field indices: its address when it has one (x
// addressable, or a pointer followed on the way), else the value itself.
struct Reached {
  Value* v;
  bool isAddr;
  const types::Type* type;
  bool needNil;  // v is an address read from a pointer that nothing has checked yet
};

Reached walkFields(Lowerer& l, Expr* x, const std::vector<int>& path, size_t steps) {
  Reached r{nullptr, false, x->type, false};
  if (auto* p = x->type->underlying()->as<types::Pointer>()) {
    r = {l.lowerExpr(x), true, p->elem, true};
  } else if (x->mode == ExprMode::Variable) {
    r.v = l.lowerAddr(x);
    r.isAddr = r.v != nullptr;
  }
  if (!r.v) r = {l.lowerExpr(x), false, x->type, false};
  for (size_t i = 0; i < steps; i++) {
    auto* st = r.type->underlying()->as<types::Struct>();
    if (!st || path[i] < 0 || size_t(path[i]) >= st->fields.size()) return {PoisonValue::get(l.ptr), false, r.type, false};
    types::Var* field = st->fields[path[i]];
    if (r.isAddr) {
      if (r.needNil) l.emitNilCheck(r.v);
      r.v = l.b.CreateStructGEP(l.llvmType(st), r.v, unsigned(path[i]), field->name + ".addr");
    } else {
      r.v = l.fromMem(l.b.CreateExtractValue(r.v, {unsigned(path[i])}, field->name), field->type);
    }
    r.type = field->type;
    r.needNil = false;
    // An embedded pointer on the way to a deeper field: follow it.
    if (i + 1 < steps)
      if (auto* p = r.type->underlying()->as<types::Pointer>()) {
        r.v = r.isAddr ? l.b.CreateLoad(l.ptr, r.v, field->name) : r.v;
        r = {r.v, true, p->elem, true};
      }
  }
  return r;
}

}  // namespace

Value* Lowerer::selectionAddr(SelectorExpr* e) {
  const SelectionInfo& s = e->selection;
  Reached r = walkFields(*this, e->x, s.index, s.index.size());
  return r.isAddr ? r.v : nullptr;
}

Value* Lowerer::selectionValue(SelectorExpr* e) {
  const SelectionInfo& s = e->selection;
  Reached r = walkFields(*this, e->x, s.index, s.index.size());
  return r.isAddr ? loadValue(r.v, e->type, e->sel->name) : r.v;
}

Value* Lowerer::methodReceiver(SelectorExpr* e) {
  const SelectionInfo& s = e->selection;
  auto* m = s.obj ? s.obj->as<types::Func>() : nullptr;
  if (!m || !m->sig() || !m->sig()->recv || s.index.empty()) {
    unsupported(e->pos, "this method call");
    return PoisonValue::get(ptr);
  }
  Reached r = walkFields(*this, e->x, s.index, s.index.size() - 1);
  if (auto* p = r.type->underlying()->as<types::Pointer>()) {  // reached an embedded *E
    Value* pv = r.isAddr ? b.CreateLoad(ptr, r.v, "recv.ptr") : r.v;  // an embedded *E
    r = {pv, true, p->elem, true};
  }
  const types::Type* recvType = m->sig()->recv->type;
  if (m->ptrRecv) {
    if (!r.isAddr) {
      unsupported(e->pos, "calling a pointer method on a value without an address");
      return PoisonValue::get(ptr);
    }
    return r.v;  // Go does not nil-check a pointer receiver: the method may accept nil
  }
  if (!r.isAddr) return r.v;
  if (r.needNil) emitNilCheck(r.v);
  return loadValue(r.v, recvType, "recv");
}

// x.m where m is promoted from an interface embedded (at any depth) in x's struct type: the
// embedded interface's value, which the call or method value then dispatches through; ifaceT
// is set to that interface type.
Value* Lowerer::promotedIface(SelectorExpr* e, const types::Type*& ifaceT) {
  const SelectionInfo& s = e->selection;
  if (s.index.empty()) {
    unsupported(e->pos, "this method call");
    ifaceT = e->x->type;
    return poison(e->x->type);
  }
  Reached r = walkFields(*this, e->x, s.index, s.index.size() - 1);
  ifaceT = r.type;
  if (!r.isAddr) return r.v;
  if (r.needNil) emitNilCheck(r.v);
  return loadValue(r.v, r.type, "embedded.iface");
}

// x.m as a value: a closure {wrapper, receiver}; the wrapper (Go's "-fm") calls m(receiver, ...).
Value* Lowerer::lowerMethodValue(SelectorExpr* e) {
  auto* m = e->selection.obj ? e->selection.obj->as<types::Func>() : nullptr;
  if (m && (e->selection.ifaceMethod || ifaceOf(e->x->type))) return lowerIfaceMethodValue(e, m);
  if (!m) {
    unsupported(e->pos, "this method value");
    return PoisonValue::get(ptr);
  }
  Value* recv = methodReceiver(e);
  const types::Type* recvType = m->sig()->recv->type;
  Function* target = declareFunc(m);
  std::string name = target->getName().str() + "-fm";
  auto* cty = llvm::StructType::get(ctx, {ptr, memType(recvType)});
  Function* wrapper = mod.getFunction(name);
  if (!wrapper) {
    wrapper = Function::Create(closureCallType(m->sig()), GlobalValue::InternalLinkage, name, mod);
    setFuncAttrs(wrapper);
    Argument* closure = wrapper->getArg(0);
    closure->setName("closure");
    IRBuilder<> wb(BasicBlock::Create(ctx, "entry", wrapper));
    Value* rv = wb.CreateLoad(memType(recvType), wb.CreateStructGEP(cty, closure, 1, "recv.addr"), "recv");
    if (llvmType(recvType) == i1) rv = wb.CreateTrunc(rv, i1, "recv.bool");
    std::vector<Value*> args = {rv};
    for (unsigned i = 1; i < wrapper->arg_size(); i++) args.push_back(wrapper->getArg(i));
    CallInst* call = wb.CreateCall(target, args);
    if (wrapper->getReturnType()->isVoidTy()) wb.CreateRetVoid();
    else wb.CreateRet(call);
  }
  Value* obj = heapAlloc(cty, "methodvalue");
  b.CreateStore(wrapper, obj);
  storeValue(recv, b.CreateStructGEP(cty, obj, 1, "methodvalue.recv"), recvType);
  return obj;
}

// x.M with x an interface: a closure {wrapper, x}; the wrapper calls M through x's itab.
// Go evaluates x (and panics on a nil x) when the method value is made.
Value* Lowerer::lowerIfaceMethodValue(SelectorExpr* e, types::Func* m) {
  const types::Type* xt = e->x->type;
  Value* iv = ifaceOf(xt) ? lowerExpr(e->x) : promotedIface(e, xt);
  const types::Interface* it = ifaceOf(xt);
  size_t idx = 0;
  while (idx < it->allMethods.size() && it->allMethods[idx]->name != m->name) idx++;
  emitNilCheck(b.CreateExtractValue(iv, 0, "iface.tab"));
  auto* cty = llvm::StructType::get(ctx, {ptr, llvmType(xt)});
  std::string name = types::typeString(xt) + "." + m->name + "-fm";
  Function* wrapper = mod.getFunction(name);
  if (!wrapper) {
    FunctionType* fty = closureCallType(m->sig());
    wrapper = Function::Create(fty, GlobalValue::InternalLinkage, name, mod);
    setFuncAttrs(wrapper);
    Argument* closure = wrapper->getArg(0);
    closure->setName("closure");
    IRBuilder<> wb(BasicBlock::Create(ctx, "entry", wrapper));
    Value* x = wb.CreateLoad(llvmType(xt), wb.CreateStructGEP(cty, closure, 1, "iface.addr"), "iface");
    Value* tab = wb.CreateExtractValue(x, 0, "iface.tab");
    Value* fn = wb.CreateLoad(ptr, wb.CreateConstInBoundsGEP1_64(i8, tab, 24 + 8 * idx, m->name + ".slot"), m->name);
    std::vector<Value*> args = {wb.CreateExtractValue(x, 1, "iface.data")};
    std::vector<Type*> params = {ptr};
    for (unsigned i = 1; i < wrapper->arg_size(); i++) {
      args.push_back(wrapper->getArg(i));
      params.push_back(wrapper->getArg(i)->getType());
    }
    CallInst* call = wb.CreateCall(FunctionType::get(fty->getReturnType(), params, false), fn, args);
    if (fty->getReturnType()->isVoidTy()) wb.CreateRetVoid();
    else wb.CreateRet(call);
  }
  Value* obj = heapAlloc(cty, "methodvalue");
  b.CreateStore(wrapper, obj);
  b.CreateStore(iv, b.CreateStructGEP(cty, obj, 1, "methodvalue.recv"));
  return obj;
}

// I.M as a value: a static closure {wrapper}; the wrapper takes the interface as its first
// parameter and calls M through its itab, panicking (nil dereference) on a nil interface as Go
// does when the call is made, not when the method expression is evaluated.
Value* Lowerer::lowerIfaceMethodExpr(SelectorExpr* e, types::Func* m) {
  const types::Type* xt = e->x->type;
  const types::Interface* it = ifaceOf(xt);
  size_t idx = 0;
  while (idx < it->allMethods.size() && it->allMethods[idx]->name != m->name) idx++;
  auto* sig = e->type->underlying()->as<types::Signature>();
  std::string name = types::typeString(xt) + "." + m->name + "-fe";
  if (GlobalVariable* gv = mod.getGlobalVariable(name + ".fv", true)) return gv;
  FunctionType* fty = closureCallType(sig);
  Function* wrapper = Function::Create(fty, GlobalValue::InternalLinkage, name, mod);
  setFuncAttrs(wrapper);
  wrapper->getArg(0)->setName("closure");
  NestedFunc nested(*this, wrapper);  // the nil check needs the ordinary block helpers
  Value* x = wrapper->getArg(1);
  Value* tab = b.CreateExtractValue(x, 0, "iface.tab");
  emitNilCheck(tab);
  Value* fn = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(i8, tab, 24 + 8 * idx, m->name + ".slot"), m->name);
  std::vector<Value*> args = {b.CreateExtractValue(x, 1, "iface.data")};
  std::vector<Type*> params = {ptr};
  for (unsigned i = 2; i < wrapper->arg_size(); i++) {
    args.push_back(wrapper->getArg(i));
    params.push_back(wrapper->getArg(i)->getType());
  }
  CallInst* call = b.CreateCall(FunctionType::get(fty->getReturnType(), params, false), fn, args);
  if (fty->getReturnType()->isVoidTy()) b.CreateRetVoid();
  else b.CreateRet(call);
  return staticClosure(wrapper, name + ".fv");
}

// Go's panicwrap message for the value method m called through a nil *T.
std::string Lowerer::panicwrapText(types::Func* m) {
  const types::Type* T = m->sig()->recv->type;
  std::string bare = types::typeString(T);
  if (auto* n = T->as<types::Named>()) bare = n->obj->name;
  return "value method " + types::typeString(T) + "." + m->name + " called using nil *" + bare + " pointer";
}

// (*T).M with M a value method: a static closure {wrapper}; the wrapper takes the *T, loads
// the receiver (a nil pointer panics, as Go's autogenerated (*T).M does) and calls T.M.
Value* Lowerer::lowerPtrMethodExpr(SelectorExpr* e, types::Func* m) {
  Function* target = declareFunc(m);
  std::string name = target->getName().str() + "-pe";
  if (GlobalVariable* gv = mod.getGlobalVariable(name + ".fv", true)) return gv;
  auto* sig = e->type->underlying()->as<types::Signature>();
  FunctionType* fty = closureCallType(sig);
  Function* wrapper = Function::Create(fty, GlobalValue::InternalLinkage, name, mod);
  setFuncAttrs(wrapper);
  wrapper->getArg(0)->setName("closure");
  NestedFunc nested(*this, wrapper);
  Value* p = wrapper->getArg(1);
  emitPanicIf(b.CreateIsNull(p, "nilcheck"), RtFunc::panicwrap, {b.CreateGlobalString(panicwrapText(m))}, "nilcheck");
  std::vector<Value*> args = {loadValue(p, m->sig()->recv->type, "recv")};
  for (unsigned i = 2; i < wrapper->arg_size(); i++) args.push_back(wrapper->getArg(i));
  CallInst* call = b.CreateCall(target, args);
  if (fty->getReturnType()->isVoidTy()) b.CreateRetVoid();
  else b.CreateRet(call);
  return staticClosure(wrapper, name + ".fv");
}

}  // namespace gol
