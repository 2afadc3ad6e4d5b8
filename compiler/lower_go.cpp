// This file lowers go statements. The spawning goroutine evaluates the callee's arguments
// (Go's rule: `go f(x)` reads x now), packs them into a struct on its stack and hands the block
// to the runtime, which copies it onto the new goroutine's stack and runs a per-call-site
// wrapper that unpacks the arguments and calls the function:
//
//   go f(a, b)        %go.args = alloca {i64, i64}
//                     store a, b into %go.args
//                     call void @gol_newproc(ptr @"main.main.gowrap1", ptr %go.args, i64 16)
//
//   define internal void @"main.main.gowrap1"(ptr %args) {
//     %a = load i64, ptr %args ...
//     call void @main.f(i64 %a, i64 %b)        ; results, if any, are discarded
//     ret void
//   }
//
// The wrapper is named after the enclosing function, as Go 1.22 names them, so tracebacks
// read `main.main.gowrap1`. Calls of runtime functions (go runtime.Gosched()) work the same; a
// method call packs its receiver first, and a closure call (go func() {...}()) its closure.
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

// The wrapper for one go statement: unpacks argsTy from its only parameter and makes the call:
// to callee (a method takes its receiver first), or through the closure in the first field.
static Function* makeGoWrapper(Lowerer& l, types::Func* callee, const types::Signature* sig,
                               llvm::StructType* argsTy, const std::vector<std::string>& names,
                               const std::vector<const types::Type*>& types, const std::string& name) {
  auto* fty = FunctionType::get(Type::getVoidTy(l.ctx), {l.ptr}, false);
  Function* wrapper = Function::Create(fty, GlobalValue::InternalLinkage, name, l.mod);
  l.setFuncAttrs(wrapper);
  Argument* args = wrapper->getArg(0);
  args->setName("args");
  IRBuilder<> wb(BasicBlock::Create(l.ctx, "entry", wrapper));
  std::vector<Value*> vals;
  for (unsigned i = 0; i < argsTy->getNumElements(); i++) {
    Value* addr = wb.CreateStructGEP(argsTy, args, i, names[i] + ".addr");
    Value* v = wb.CreateLoad(argsTy->getElementType(i), addr, names[i]);
    if (l.llvmType(types[i]) == l.i1) v = wb.CreateTrunc(v, l.i1, names[i] + ".bool");
    vals.push_back(v);
  }
  if (callee) {
    wb.CreateCall(l.declareFunc(callee), vals);
  } else {
    Value* fn = wb.CreateLoad(l.ptr, vals[0], "fn");
    wb.CreateCall(l.closureCallType(sig), fn, vals);
  }
  wb.CreateRetVoid();
  return wrapper;
}

void Lowerer::lowerGo(GoStmt* s) {
  CallExpr* call = s->call;
  Expr* fun = unparen(call->fun);
  // What runs: a function, a method (receiver packed first) or a closure (packed first).
  types::Func* callee = nullptr;
  const types::Signature* sig = nullptr;
  std::vector<Value*> vals;
  std::vector<const types::Type*> types;
  std::vector<std::string> names;
  auto* sel = fun->as<SelectorExpr>();
  if (sel && sel->selection.kind == SelectionKind::MethodVal) {
    callee = sel->selection.obj ? sel->selection.obj->as<types::Func>() : nullptr;
    if (!callee || sel->selection.ifaceMethod) return unsupported(call->pos, "go statement calling an interface method");
    sig = callee->sig();
    vals.push_back(methodReceiver(sel));
    types.push_back(sig->recv->type);
    names.push_back("recv");
  } else if ((callee = staticCallee(fun))) {
    sig = callee->sig();
  } else {
    auto* id = fun->as<Ident>();
    sig = fun->type ? fun->type->underlying()->as<types::Signature>() : nullptr;
    if ((id && id->obj && id->obj->as<types::Builtin>()) || !sig)
      return unsupported(call->pos, "go statement calling a builtin");
    Value* fv = lowerExpr(fun);
    emitNilCheck(fv);
    vals.push_back(fv);
    types.push_back(fun->type);
    names.push_back("closure");
  }
  for (const types::Tuple* tuple : {sig->params, sig->results})
    for (size_t i = 0; tuple && i < tuple->vars.size(); i++)
      if (!checkLowerable(tuple->vars[i]->type, call->pos)) return;
  std::vector<Value*> args = lowerCallArgs(call, sig);
  for (size_t i = 0; i < args.size(); i++) {
    types::Var* p = sig->params->vars[i];
    vals.push_back(args[i]);
    types.push_back(p->type);
    names.push_back(p->name.empty() || p->name == "_" ? "arg" : p->name);
  }
  std::vector<Type*> fieldTypes;
  for (const types::Type* t : types) fieldTypes.push_back(memType(t));
  auto* argsTy = llvm::StructType::get(ctx, fieldTypes);
  std::string name = fs.linkName + ".gowrap" + std::to_string(++fs.gowrapCount);
  Function* wrapper = makeGoWrapper(*this, callee, sig, argsTy, names, types, name);

  Value* block = ConstantPointerNull::get(ptr);
  uint64_t size = 0;
  if (!vals.empty()) {
    block = createEntryAlloca(argsTy, "go.args");
    for (unsigned i = 0; i < vals.size(); i++)
      storeValue(vals[i], b.CreateStructGEP(argsTy, block, i, "go.arg"), types[i]);
    size = mod.getDataLayout().getTypeAllocSize(argsTy);
  }
  b.CreateCall(getRuntimeFunc(mod, RtFunc::newproc), {wrapper, block, ConstantInt::get(i64, size)});
}

}  // namespace gol
