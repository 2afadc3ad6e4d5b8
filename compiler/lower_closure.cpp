// This file lowers functions as values (DESIGN §3: a closure is a pointer to {fn, captured...}
// and the context is a hidden first parameter).
//
//   f := func(x int) int { return x + n }     ; n is captured: it lives in a heap cell (if f escapes)
//
//   %closure = call ptr @gol_mallocgc(i64 16, ...)          ; {ptr fn, ptr n.cell}
//   store ptr @"main.main.func1", ptr %closure
//   store ptr %n.heap, ptr (gep %closure, 0, 1)
//
//   define internal i64 @"main.main.func1"(ptr %closure, i64 %x)   ; n.ref = closure[1]
//
// A call through a function value loads fn from the closure and passes the closure itself as
// the context: `f(2)` is `call i64 %fn(ptr %f, i64 2)`. Captured variables are shared by
// reference: a captured local is heap-allocated unless escape analysis proves the closure
// cannot outlive it (then both the closure and the variable stay in the frame).
// A top-level function used as a value gets a static closure {wrapper} whose wrapper drops the
// context and calls the function; a method value binds its receiver in the closure.
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

static llvm::StructType* closureType(Lowerer& l, size_t nCaptures) {
  std::vector<Type*> fields(1 + nCaptures, l.ptr);
  return llvm::StructType::get(l.ctx, fields);
}

void Lowerer::bindCaptures(types::Func* f, Value* closure) {
  llvm::StructType* cty = closureType(*this, f->captures.size());
  for (size_t i = 0; i < f->captures.size(); i++) {
    types::Var* v = f->captures[i];
    if (v->isGlobal) continue;
    Value* cell = b.CreateLoad(ptr, b.CreateStructGEP(cty, closure, unsigned(i + 1), v->name + ".capture"),
                               v->name + ".heap");
    AllocaInst* ref = createEntryAlloca(ptr, v->name + ".ref");
    b.CreateStore(cell, ref);
    fs.locals[v] = ref;
    fs.heapVars.insert(v);
  }
}

Value* Lowerer::lowerFuncLit(FuncLit* lit) {
  types::Func* f = lit->func;
  if (!f || !f->sig()) {
    unsupported(lit->pos, "this function literal");
    return PoisonValue::get(ptr);
  }
  Function* fn = declareFunc(f);
  llvm::StructType* cty = closureType(*this, f->captures.size());
  // A closure that cannot outlive this frame lives in it, and so may its captured variables.
  Value* obj = escape.siteOnStack(lit) ? static_cast<Value*>(createEntryAlloca(cty, "closure.addr"))
                                       : heapAlloc(cty, "closure");
  b.CreateStore(fn, obj);
  for (size_t i = 0; i < f->captures.size(); i++) {
    types::Var* v = f->captures[i];
    if (v->isGlobal) continue;
    Value* cell = varAddr(v);
    if (!cell) {
      unsupported(lit->pos, "capturing " + v->name + " here");
      continue;
    }
    b.CreateStore(cell, b.CreateStructGEP(cty, obj, unsigned(i + 1), v->name + ".capture"));
  }
  return obj;
}

FunctionType* Lowerer::closureCallType(const types::Signature* sig) {
  std::vector<Type*> params = {ptr};
  if (sig->params)
    for (types::Var* p : sig->params->vars) params.push_back(llvmType(p->type));
  return FunctionType::get(resultType(sig), params, false);
}

Value* Lowerer::callFuncValue(Value* fv, const types::Signature* sig, ArrayRef<Value*> args, const Twine& name) {
  emitNilCheck(fv);
  Value* fn = b.CreateLoad(ptr, fv, "fn");
  std::vector<Value*> all = {fv};
  all.insert(all.end(), args.begin(), args.end());
  FunctionType* fty = closureCallType(sig);
  CallInst* call = b.CreateCall(fty, fn, all);
  if (!fty->getReturnType()->isVoidTy()) call->setName(name);
  return call;
}

// f as a value: @"main.f.fv" = {@"main.f.fvwrap"}, where the wrapper takes the (unused) context
// and the parameters (for a method expression T.m, the receiver first) and calls f.
Value* Lowerer::funcValue(types::Func* f) {
  Function* target = declareFunc(f);
  std::string name = target->getName().str() + ".fv";
  if (GlobalVariable* gv = mod.getGlobalVariable(name, true)) return gv;
  std::vector<Type*> params = {ptr};
  for (Type* t : target->getFunctionType()->params()) params.push_back(t);
  auto* wty = FunctionType::get(target->getReturnType(), params, false);
  Function* wrapper = Function::Create(wty, GlobalValue::InternalLinkage, name + "wrap", mod);
  setFuncAttrs(wrapper);
  wrapper->getArg(0)->setName("closure");
  IRBuilder<> wb(BasicBlock::Create(ctx, "entry", wrapper));
  std::vector<Value*> args;
  for (unsigned i = 1; i < wrapper->arg_size(); i++) args.push_back(wrapper->getArg(i));
  CallInst* call = wb.CreateCall(target, args);
  if (wty->getReturnType()->isVoidTy()) wb.CreateRetVoid();
  else wb.CreateRet(call);
  return staticClosure(wrapper, name);
}

GlobalVariable* Lowerer::staticClosure(Function* fn, const std::string& name) {
  auto* cty = closureType(*this, 0);
  return new GlobalVariable(mod, cty, true, GlobalValue::PrivateLinkage, ConstantStruct::get(cty, {fn}), name);
}

}  // namespace gol
