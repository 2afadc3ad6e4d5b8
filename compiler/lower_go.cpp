// This file lowers go and defer statements. Both evaluate the call's function and arguments at
// once (Go's rule: `go f(x)` and `defer f(x)` read x now), pack them into a struct, and hand it
// to the runtime with a per-statement wrapper that unpacks the struct and makes the call:
//
//   go f(a, b)        %go.args = alloca {i64, i64}          ; newproc copies it to the new stack
//                     store a, b into %go.args
//                     call void @gol_newproc(ptr @"main.main.gowrap1", ptr %go.args, i64 16)
//
//   define internal void @"main.main.gowrap1"(ptr %args) {
//     %a = load i64, ptr %args ...
//     call void @main.f(i64 %a, i64 %b)        ; results, if any, are discarded
//     ret void
//   }
//
//   defer f(a)        %defer = alloca {ptr link, ptr fn, ptr frame, [8 x i64] ctx, i64 a}
//                     (gol_mallocgc'd instead for a defer inside a loop)
//                     store @"main.main.deferwrap1", frame (%defer.frame, or null) into the header
//                     %defer.link = g._defer; g._defer = %defer        ; the chain push, inline
//                     %r = asm "setjmp into %defer.ctx"                ; returns_twice, inline
//   (every return)    pop and call each of this frame's records still on top of g._defer
//                     (open-coded), or call void @gol_deferreturn(ptr %defer.frame) if a defer
//                     is in a loop; ret ...
//
// gol_deferreturn runs, newest first, the records of this activation (identified by the
// address of its %defer.frame slot), and a panic runs whatever is left. Results are stored in
// their slots before the deferred calls run, so a deferred closure can change named results.
// The setjmp yields a second time (with 1) when a deferred call recovered a panic
// (gol_rt_resume): the function then returns its results' current values
// (`if setjmp(d) != 0 { run the deferred calls; return results }`).
//
// Wrappers are named after the enclosing function, as Go 1.22 names them (tracebacks read
// `main.main.gowrap1`). A method call packs its receiver first, a closure call its closure;
// defer also accepts the builtins close, print and println.
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/MDBuilder.h>

#include "lower.h"
#include "runtime/abi.h"
#include "types.h"

namespace gol {

using namespace llvm;

// Evaluates what a go/defer statement will call, appending the values to pack to pc.
bool Lowerer::evalPackedCall(CallExpr* call, PackedCall& pc, const char* stmt) {
  Expr* fun = unparen(call->fun);
  auto add = [&](Value* v, const types::Type* t, std::string name) {
    pc.vals.push_back(v);
    pc.types.push_back(t);
    pc.names.push_back(std::move(name));
  };
  if (auto* id = fun->as<Ident>(); id && id->obj && id->obj->as<types::Builtin>()) {
    pc.builtin = id->obj->as<types::Builtin>()->id;
    bool printing = pc.builtin == types::BuiltinId::Print || pc.builtin == types::BuiltinId::Println;
    if (std::string(stmt) != "defer" || (!printing && pc.builtin != types::BuiltinId::Close)) {
      unsupported(call->pos, std::string(stmt) + " statement calling the builtin " + id->name);
      return false;
    }
    pc.isBuiltin = true;
    for (Expr* a : call->args) add(lowerExpr(a), a->type, "arg");
    return true;
  }
  auto* sel = fun->as<SelectorExpr>();
  const types::Signature* sig = nullptr;
  if (sel && sel->selection.kind == SelectionKind::MethodVal && !sel->selection.ifaceMethod &&
      !ifaceOf(sel->x->type)) {
    pc.callee = sel->selection.obj ? sel->selection.obj->as<types::Func>() : nullptr;
    if (!pc.callee) return false;
    sig = pc.callee->sig();
    add(methodReceiver(sel), sig->recv->type, "recv");
  } else if ((pc.callee = staticCallee(fun))) {
    sig = pc.callee->sig();
  } else {  // a closure, a function value or an interface method value
    sig = fun->type ? fun->type->underlying()->as<types::Signature>() : nullptr;
    if (!sig) {
      unsupported(call->pos, std::string("this ") + stmt + " statement");
      return false;
    }
    Value* fv = lowerExpr(fun);
    if (std::string(stmt) == "go") emitNilCheck(fv);  // defer panics only when the call runs
    add(fv, fun->type, "closure");
  }
  pc.sig = sig;
  for (const types::Tuple* tuple : {sig->params, sig->results})
    for (size_t i = 0; tuple && i < tuple->vars.size(); i++)
      if (!checkLowerable(tuple->vars[i]->type, call->pos)) return false;
  std::vector<Value*> args = lowerCallArgs(call, sig);
  for (size_t i = 0; i < args.size(); i++) {
    types::Var* p = sig->params->vars[i];
    add(args[i], p->type, p->name.empty() || p->name == "_" ? "arg" : p->name);
  }
  return true;
}

// Defines fn(ptr) that unpacks pc's values from fields first.. of packTy and makes the call.
// The body is lowered with a fresh FuncState, so the builtins' lowering can be reused.
void Lowerer::defineCallWrapper(Function* fn, const PackedCall& pc, llvm::StructType* packTy, unsigned first) {
  NestedFunc nested(*this, fn);
  Argument* rec = fn->getArg(0);
  rec->setName("args");
  std::vector<Value*> vals;
  for (unsigned i = 0; i < pc.vals.size(); i++) {
    Value* addr = b.CreateStructGEP(packTy, rec, first + i, pc.names[i] + ".addr");
    vals.push_back(loadValue(addr, pc.types[i], pc.names[i]));
  }
  if (pc.isBuiltin) {
    if (pc.builtin == types::BuiltinId::Close) {
      b.CreateCall(getRuntimeFunc(mod, RtFunc::closechan), {vals[0]});
    } else {
      std::vector<std::pair<Value*, const types::Type*>> args;
      for (size_t i = 0; i < vals.size(); i++) args.push_back({vals[i], pc.types[i]});
      printValues(args, pc.builtin == types::BuiltinId::Println, Pos{});
    }
  } else if (pc.callee) {
    b.CreateCall(declareFunc(pc.callee), vals);
  } else {
    callFuncValue(vals[0], pc.sig, ArrayRef<Value*>(vals).drop_front(), "call");
  }
  b.CreateRetVoid();
}

void Lowerer::lowerGo(GoStmt* s) {
  PackedCall pc;
  if (!evalPackedCall(s->call, pc, "go")) return;
  std::vector<Type*> fieldTypes;
  for (const types::Type* t : pc.types) fieldTypes.push_back(memType(t));
  auto* argsTy = llvm::StructType::get(ctx, fieldTypes);
  std::string name = fs.linkName + ".gowrap" + std::to_string(++fs.gowrapCount);
  auto* fty = FunctionType::get(Type::getVoidTy(ctx), {ptr}, false);
  Function* wrapper = Function::Create(fty, GlobalValue::InternalLinkage, name, mod);
  setFuncAttrs(wrapper);
  defineCallWrapper(wrapper, pc, argsTy, 0);

  Value* block = ConstantPointerNull::get(ptr);
  uint64_t size = 0;
  if (!pc.vals.empty()) {
    size = mod.getDataLayout().getTypeAllocSize(argsTy);
    // Arguments too big for the new goroutine's stack (go f(grid) with a [512][512]byte)
    // go to the heap, as Go's closure would: newproc copies their address, and a thunk
    // hands the block to the wrapper.
    bool onHeap = size > kMaxStackVarBytes;
    block = onHeap ? heapAlloc(argsTy, "go.args.heap") : createEntryAlloca(argsTy, "go.args");
    for (unsigned i = 0; i < pc.vals.size(); i++)
      storeValue(pc.vals[i], b.CreateStructGEP(argsTy, block, i, "go.arg"), pc.types[i]);
    if (onHeap) {
      Function* thunk = Function::Create(fty, GlobalValue::InternalLinkage, name + ".heapargs", mod);
      setFuncAttrs(thunk);
      {
        NestedFunc nested(*this, thunk);
        b.CreateCall(wrapper, {b.CreateLoad(ptr, thunk->getArg(0), "args")});
        b.CreateRetVoid();
      }
      Value* ref = createEntryAlloca(ptr, "go.args");
      b.CreateStore(block, ref);
      block = ref;
      size = 8;
      wrapper = thunk;
    }
  }
  b.CreateCall(getRuntimeFunc(mod, RtFunc::newproc), {wrapper, block, ConstantInt::get(i64, size)});
}

// Inline setjmp into the record's ctx (runtime/abi.h, gol_defer): the callee-saved registers,
// rsp and the address just after it; it yields 0. gol_rt_resume(ctx) (panic.cpp) restores
// those registers and jumps back with rax = 1. Every other register is declared clobbered, so
// nothing lives in one across it; the call is returns_twice, like setjmp, so LLVM neither
// shares stack slots nor inlines the function (its record and frame identity are its own).
// Inline rather than a call: a call and its return-address load cost gol_deferproc about a
// sixth of deferfunc's time (tests/bench/RESULTS.md).
Value* Lowerer::emitDeferSetjmp(Value* rec) {
  static_assert(offsetof(gol_defer, ctx) == 24, "the setjmp's offsets");
  std::string constraints = "=&{ax},r,~{rcx},~{rdx},~{rsi},~{rdi},~{r8},~{r9},~{r10},~{r11}";
  for (int i = 0; i < 16; i++) constraints += ",~{xmm" + std::to_string(i) + "}";
  constraints += ",~{memory},~{dirflag},~{fpsr},~{flags}";
  auto* fty = FunctionType::get(i64, {ptr}, false);
  InlineAsm* setjmp = InlineAsm::get(fty,
                                     "movq %rbx, 24($1)\n\tmovq %rbp, 32($1)\n\tmovq %r12, 40($1)\n\t"
                                     "movq %r13, 48($1)\n\tmovq %r14, 56($1)\n\tmovq %r15, 64($1)\n\t"
                                     "movq %rsp, 72($1)\n\tleaq 1f(%rip), %rax\n\tmovq %rax, 80($1)\n\t"
                                     "xorl %eax, %eax\n1:",
                                     constraints, /*hasSideEffects=*/true);
  CallInst* call = b.CreateCall(fty, setjmp, {rec}, "defer.recovered");
  call->addFnAttr(Attribute::ReturnsTwice);
  // A leaf's locals may sit in the red zone, below rsp, where a fault's redirect pushes its pc
  // (panic.cpp, sigpanicredirect) and a panic then runs: the record must stay above rsp.
  fs.fn->addFnAttr(Attribute::NoRedZone);
  return call;
}

void Lowerer::lowerDefer(DeferStmt* s) {
  PackedCall pc;
  if (!evalPackedCall(s->call, pc, "defer")) return;
  // gol_defer {link, fn, frame, ctx[8]} (abi.h), then the packed call.
  std::vector<Type*> fieldTypes = {ptr, ptr, ptr, llvm::ArrayType::get(i64, 8)};
  for (const types::Type* t : pc.types) fieldTypes.push_back(memType(t));
  auto* recTy = llvm::StructType::get(ctx, fieldTypes);
  std::string name = fs.linkName + ".deferwrap" + std::to_string(++fs.deferwrapCount);
  auto* fty = FunctionType::get(Type::getVoidTy(ctx), {ptr}, false);
  Function* wrapper = Function::Create(fty, GlobalValue::InternalLinkage, name, mod);
  setFuncAttrs(wrapper);
  defineCallWrapper(wrapper, pc, recTy, 4);
  // recover() checks that its caller was called by this wrapper (gol_gorecover: its saved
  // frame pointer is the wrapper's frame): the deferred function keeps its own frame, neither
  // inlined into the wrapper nor tail-called from it.
  for (BasicBlock& bb : *wrapper)
    for (Instruction& inst : bb)
      if (auto* call = dyn_cast<CallInst>(&inst)) {
        call->setIsNoInline();
        call->setTailCallKind(CallInst::TCK_NoTail);
      }

  // A defer statement outside every loop runs at most once per activation (Gol has no goto):
  // its record lives in the frame, which outlives it (deferreturn pops it before the return,
  // a panic runs it from deeper in the same stack, and stack segments never move); the
  // collector scans it with the stack. One inside a loop needs a record per iteration.
  bool inLoop = false;
  for (const BranchTarget& t : fs.targets) inLoop |= t.continueBB != nullptr;
  Value* rec = inLoop ? heapAlloc(recTy, "defer") : createEntryAlloca(recTy, "defer");
  if (!inLoop) {
    // The open-coded return calls this copy of the wrapper, which may be inlined with its
    // callee: recover returns nil on a normal return whichever frame calls it (and a function
    // calling recover is never inlined).
    Function* open = Function::Create(fty, GlobalValue::InternalLinkage, name + ".open", mod);
    setFuncAttrs(open);
    defineCallWrapper(open, pc, recTy, 4);
    fs.frameDefers.push_back({rec, open});
  }
  b.CreateStore(wrapper, b.CreateStructGEP(recTy, rec, 1, "defer.fn"));
  // frame is read only by gol_deferreturn, which only a function with a defer in a loop calls;
  // otherwise it is null, which matches no activation (a stale stack address could).
  Value* frame = fs.loopDefers ? fs.deferFrame : static_cast<Value*>(ConstantPointerNull::get(ptr));
  b.CreateStore(frame, b.CreateStructGEP(recTy, rec, 2, "defer.frame.addr"));
  for (unsigned i = 0; i < pc.vals.size(); i++)
    storeValue(pc.vals[i], b.CreateStructGEP(recTy, rec, 4 + i, "defer.arg"), pc.types[i]);
  // The record goes on the chain first, then the setjmp: a recovery resumes after the latter.
  Value* slot = gDeferSlot();
  b.CreateStore(b.CreateLoad(ptr, slot, "defer.prev"), rec);
  b.CreateStore(rec, slot);
  // The setjmp returns 0, and returns again with 1 when a deferred call recovered a panic:
  // the function then returns at once, through its deferred calls, with its result values.
  Value* recovered = emitDeferSetjmp(rec);
  BasicBlock* retBB = newBlock("defer.return");
  BasicBlock* contBB = newBlock("defer.cont");
  b.CreateCondBr(b.CreateICmpNE(recovered, ConstantInt::get(i64, 0), "defer.didrecover"), retBB, contBB,
                 MDBuilder(ctx).createUnlikelyBranchWeights());
  setBlock(retBB);
  emitReturn({});
  setBlock(contBB);
}

}  // namespace gol
