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
// read `main.main.gowrap1`. Calls of runtime functions (go runtime.Gosched()) work the same.
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

// The wrapper for one go statement: unpacks argsTy from its only parameter and calls callee.
static Function* makeGoWrapper(Lowerer& l, types::Func* callee, llvm::StructType* argsTy,
                               const std::string& name) {
  auto* fty = FunctionType::get(Type::getVoidTy(l.ctx), {l.ptr}, false);
  Function* wrapper = Function::Create(fty, GlobalValue::InternalLinkage, name, l.mod);
  l.setFuncAttrs(wrapper);
  Argument* args = wrapper->getArg(0);
  args->setName("args");
  IRBuilder<> wb(BasicBlock::Create(l.ctx, "entry", wrapper));
  std::vector<Value*> vals;
  const types::Tuple* params = callee->sig()->params;
  for (unsigned i = 0; i < argsTy->getNumElements(); i++) {
    types::Var* p = params->vars[i];
    std::string pname = p->name.empty() || p->name == "_" ? "arg" : p->name;
    Value* addr = wb.CreateStructGEP(argsTy, args, i, pname + ".addr");
    Value* v = wb.CreateLoad(argsTy->getElementType(i), addr, pname);
    if (l.llvmType(p->type) == l.i1) v = wb.CreateTrunc(v, l.i1, pname + ".bool");
    vals.push_back(v);
  }
  wb.CreateCall(l.declareFunc(callee), vals);
  wb.CreateRetVoid();
  return wrapper;
}

void Lowerer::lowerGo(GoStmt* s) {
  CallExpr* call = s->call;
  types::Func* callee = staticCallee(call->fun);
  if (!callee) {
    unsupported(call->pos, "go statement calling a builtin, method or function value");
    return;
  }
  const types::Signature* sig = callee->sig();
  for (const types::Tuple* tuple : {sig->params, sig->results})
    for (size_t i = 0; tuple && i < tuple->vars.size(); i++)
      if (!checkLowerable(tuple->vars[i]->type, call->pos)) return;
  std::vector<Value*> args = lowerCallArgs(call, sig);
  std::vector<Type*> fieldTypes;
  for (types::Var* p : sig->params ? sig->params->vars : std::vector<types::Var*>{})
    fieldTypes.push_back(memType(p->type));
  auto* argsTy = llvm::StructType::get(ctx, fieldTypes);
  std::string name = fs.linkName + ".gowrap" + std::to_string(++fs.gowrapCount);
  Function* wrapper = makeGoWrapper(*this, callee, argsTy, name);

  Value* block = ConstantPointerNull::get(ptr);
  uint64_t size = 0;
  if (!args.empty()) {
    block = createEntryAlloca(argsTy, "go.args");
    for (unsigned i = 0; i < args.size(); i++) {
      types::Var* p = sig->params->vars[i];
      Value* field = b.CreateStructGEP(argsTy, block, i, "go.arg");
      storeValue(args[i], field, p->type);
    }
    size = mod.getDataLayout().getTypeAllocSize(argsTy);
  }
  b.CreateCall(getRuntimeFunc(mod, RtFunc::newproc), {wrapper, block, ConstantInt::get(i64, size)});
}

}  // namespace gol
