// This file lowers a checked package's skeleton: package variables become globals, every
// function gets its LLVM declaration and body, and "main.init" runs the package variables'
// initialisers in CheckedPackage::initOrder and then each func init(). It also owns the
// per-function machinery the other lower_*.cpp files share: the entry-block allocas that hold
// locals, block creation, and the implicit return at the end of a body.
//
// Read next: lower_stmt.cpp (a body's statements), lower_expr.cpp (expressions).
#include "lower.h"

#include <algorithm>

#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>

#include "types.h"

namespace gol {

using namespace llvm;

bool lowerPackage(const CheckedPackage& pkg, Module& mod, Diag& diag,
                  std::vector<std::pair<Pos, std::string>>* escapeNotes) {
  Lowerer l(pkg, mod, diag);
  bool ok = l.run();
  if (escapeNotes) *escapeNotes = l.escape.notes();
  return ok;
}

Lowerer::Lowerer(const CheckedPackage& pkg, Module& mod, Diag& diag)
    : pkg(pkg), mod(mod), ctx(mod.getContext()), diag(diag), b(mod.getContext()), escape(pkg.path) {
  i1 = Type::getInt1Ty(ctx);
  i8 = Type::getInt8Ty(ctx);
  i32 = Type::getInt32Ty(ctx);
  i64 = Type::getInt64Ty(ctx);
  ptr = PointerType::getUnqual(ctx);
  stringTy = stringStructType(ctx);
}

void Lowerer::unsupported(Pos pos, const std::string& what) {
  diag.error(pos, what + " is not supported in Gol yet");
  failed = true;
}

bool Lowerer::run() {
  initDebugInfo();
  // Package variables: zero-initialised globals; constant initialisers are folded in below.
  for (types::Var* v : pkg.globals) {
    if (!checkLowerable(v->type, v->pos)) continue;
    // A library package's variables are visible to its importers (os.Args, io.EOF).
    auto* gv = new GlobalVariable(mod, memType(v->type), false,
                                  pkg.path == "main" ? GlobalValue::InternalLinkage : GlobalValue::ExternalLinkage,
                                  Constant::getNullValue(memType(v->type)), pkg.path + "." + v->name);
    globals[v] = gv;
  }
  // The init funcs are normally among pkg.funcs; take them from initFuncs too, once.
  std::vector<types::Func*> funcs = pkg.funcs;
  for (types::Func* f : pkg.initFuncs)
    if (std::find(funcs.begin(), funcs.end(), f) == funcs.end()) funcs.push_back(f);
  for (types::Func* f : funcs) {
    if (f->isIfaceMethod || !f->sig()) continue;
    declareFunc(f);
  }
  for (types::Func* f : funcs) {
    if (funcBody(f)) defineFunc(f);
    else defineMathIntrinsic(f);  // the rest without a body are natives (stdlib/*_native.cpp)
  }
  defineImportedInline();
  defineInit();
  finishEqualFuncs();
  finishItabTable();
  finishEqualFuncs();  // the table's itab wrappers may have described more types
  if (!failed) lowerMemoryClassValues(mod);
  sanitizeDebugLocs();  // after the retyping, which moves bodies into new functions
  return !failed;
}

BlockStmt* funcBody(const types::Func* f) {
  if (f->lit) return f->lit->body;
  return f->decl ? f->decl->body : nullptr;
}

FunctionType* Lowerer::funcTypeOf(const types::Func* f) {
  const types::Signature* sig = f->sig();
  std::vector<Type*> params;
  if (f->lit) params.push_back(ptr);  // the closure context
  if (sig->recv) params.push_back(llvmType(sig->recv->type));
  if (sig->params)
    for (types::Var* p : sig->params->vars) params.push_back(llvmType(p->type));
  return FunctionType::get(resultType(sig), params, false);
}

Function* Lowerer::declareFunc(types::Func* f) {
  std::string name = f->linkName.empty() ? f->pkg + "." + f->name : f->linkName;
  if (Function* fn = mod.getFunction(name)) return fn;
  // Only main.main is called from outside the module; everything else may be inlined away.
  // A library package's functions and methods are called from its importers' modules; an
  // imported package's functions are only declared here (compiled once into libgolstd.a).
  bool external = !funcBody(f) || name == pkg.path + ".main" || f->pkg != pkg.path ||
                  (pkg.path != "main" && !f->lit);
  auto linkage = external ? GlobalValue::ExternalLinkage : GlobalValue::InternalLinkage;
  Function* fn = Function::Create(funcTypeOf(f), linkage, name, mod);
  setFuncAttrs(fn);
  // Declared without a body: native C++ (stdlib/*_native.cpp) under Go's name, with no stack
  // check of its own; the safepoint pass checks the room at its call sites.
  if (!f->lit && f->decl != nullptr && f->decl->body == nullptr) fn->addFnAttr("gol-native");
  const types::Signature* sig = f->sig();
  std::vector<types::Var*> named;
  if (f->lit) fn->getArg(0)->setName("closure");
  if (sig->recv) named.push_back(sig->recv);
  if (sig->params) named.insert(named.end(), sig->params->vars.begin(), sig->params->vars.end());
  unsigned first = f->lit ? 1 : 0;
  for (size_t i = 0; i < named.size(); i++)
    if (!named[i]->name.empty() && named[i]->name != "_") fn->getArg(first + i)->setName(named[i]->name);
  return fn;
}

void Lowerer::setFuncAttrs(Function* fn) {
  // Tracebacks (and later the GC's stack walk) follow frame pointers.
  fn->addFnAttr("frame-pointer", "all");
  fn->setUWTableKind(UWTableKind::Async);
}

AllocaInst* Lowerer::createEntryAlloca(Type* ty, const Twine& name) {
  return new AllocaInst(ty, mod.getDataLayout().getAllocaAddrSpace(), nullptr, name,
                        fs.allocaPoint);
}

// Blocks are created detached and appended when code starts in them, so the function's
// block order follows the source (if.then, if.else, if.done) rather than creation order.
BasicBlock* Lowerer::newBlock(const Twine& name) { return BasicBlock::Create(ctx, name); }

void Lowerer::setBlock(BasicBlock* bb) {
  if (!bb->getParent()) bb->insertInto(fs.fn);
  b.SetInsertPoint(bb);
}

void Lowerer::startDeadBlock() { setBlock(newBlock("dead")); }

bool Lowerer::terminated() const { return b.GetInsertBlock()->getTerminator() != nullptr; }

void Lowerer::branchTo(BasicBlock* bb) {
  if (!terminated()) b.CreateBr(bb);
}

bool Lowerer::hasSlot(const types::Var* v) const { return fs.locals.count(v) || globals.count(v); }

Value* Lowerer::varAddr(const types::Var* v) {
  if (auto it = fs.locals.find(v); it != fs.locals.end()) {
    if (fs.heapVars.count(v)) return b.CreateLoad(ptr, it->second, v->name + ".heap");
    return it->second;
  }
  if (auto it = globals.find(v); it != globals.end()) return it->second;
  if (v->isGlobal && v->pkg != pkg.path && checkLowerable(v->type, v->pos)) {
    // Another package's variable: an external declaration of its symbol ("os.Args").
    auto* gv = new GlobalVariable(mod, memType(v->type), false, GlobalValue::ExternalLinkage, nullptr,
                                  v->pkg + "." + v->name);
    globals[v] = gv;
    return gv;
  }
  return nullptr;
}

Value* Lowerer::newLocal(const types::Var* v, bool zero) {
  // Like gc, locals too big for a reasonable frame live on the heap (Go's limit for explicitly
  // declared variables is 10MB; ours is lower because goroutine stack segments are small).
  if (!fs.heapVars.count(v) && sizeOf(v->type) > kMaxStackVarBytes) fs.heapVars.insert(v);
  if (fs.heapVars.count(v)) {
    AllocaInst* ref = createEntryAlloca(ptr, v->name + ".ref");
    fs.locals[v] = ref;
    Value* cell = heapAllocOf(v->type, v->name + ".heap");
    b.CreateStore(cell, ref);
    return cell;
  }
  AllocaInst* slot = createEntryAlloca(memType(v->type), v->name + ".addr");
  fs.locals[v] = slot;
  if (zero) storeValue(Constant::getNullValue(slot->getAllocatedType()), slot, v->type);
  return slot;
}

Value* Lowerer::loadValue(Value* addr, const types::Type* t, const Twine& name) {
  return fromMem(b.CreateLoad(memType(t), addr, name), t);
}

bool Lowerer::isBigAggregate(Type* ty) {
  return (ty->isStructTy() || ty->isArrayTy()) && mod.getDataLayout().getTypeAllocSize(ty) > kBigAggregateBytes;
}

Value* Lowerer::aggregateSource(Value* v) {
  auto* ld = dyn_cast<LoadInst>(v);
  BasicBlock* bb = b.GetInsertBlock();
  if (!ld || ld->isVolatile() || ld->getParent() != bb || b.GetInsertPoint() != bb->end()) return nullptr;
  const Value* src = getUnderlyingObject(ld->getPointerOperand());
  Value* malloc = getRuntimeFunc(mod, RtFunc::mallocgc).getCallee();
  for (auto it = std::next(ld->getIterator()); it != bb->end(); ++it) {
    if (!it->mayWriteToMemory()) continue;
    // A fresh heap cell (b := a with b escaping) writes nothing older.
    if (auto* call = dyn_cast<CallInst>(&*it); call && call->getCalledOperand() == malloc) continue;
    // Neither does a store into another local slot (a heap variable's reference, say): a
    // stack slot can only be reached through its own name (address-taken locals live on the
    // heap).
    if (auto* st = dyn_cast<StoreInst>(&*it)) {
      const Value* dst = getUnderlyingObject(st->getPointerOperand());
      if (isa<AllocaInst>(dst) && dst != src) continue;
    }
    return nullptr;
  }
  return ld->getPointerOperand();
}

// Big aggregates are stored with memset (zero) or memcpy (a copy straight from a load, with
// nothing written in between, so the source still holds the loaded value): LLVM splits
// first-class aggregate loads and stores into one instruction per element, which for a
// [1<<20]byte crashed instruction selection at -O0 and took minutes at -O2. Other big values
// (results of calls, literals with elements) still go through a first-class store.
void Lowerer::storeValue(Value* v, Value* addr, const types::Type* t) {
  v = toMem(v, t);
  Type* ty = v->getType();
  if (isBigAggregate(ty)) {
    const DataLayout& dl = mod.getDataLayout();
    uint64_t size = dl.getTypeAllocSize(ty);
    Align align = dl.getABITypeAlign(ty);
    if (auto* c = dyn_cast<Constant>(v); c && c->isNullValue()) {
      b.CreateMemSet(addr, ConstantInt::get(i8, 0), size, align);
      return;
    }
    if (auto* ld = dyn_cast<LoadInst>(v); ld && aggregateSource(ld)) {
      // memcpy allows an exact overlap (a = a), and Go values never overlap partially.
      // The load stays: the caller may use v again (lowerMemoryClassValues drops it if not).
      b.CreateMemCpy(addr, align, ld->getPointerOperand(), align, size);
      return;
    }
  }
  b.CreateStore(v, addr);
}

Lowerer::NestedFunc::NestedFunc(Lowerer& l, Function* fn)
    : l_(l), saved_(std::move(l.fs)), ip_(l.b.saveIP()), loc_(l.b.getCurrentDebugLocation()) {
  l.fs = FuncState{};
  l.fs.fn = fn;
  l.fs.linkName = fn->getName().str();
  l.b.SetCurrentDebugLocation(llvm::DebugLoc());  // restored with the insertion point
  BasicBlock* entry = BasicBlock::Create(l.ctx, "entry", fn);
  l.b.SetInsertPoint(entry);
  l.fs.allocaPoint = new BitCastInst(UndefValue::get(l.i32), l.i32, "allocapoint", entry);
}

Lowerer::NestedFunc::~NestedFunc() {
  l_.fs.allocaPoint->eraseFromParent();
  l_.fs = std::move(saved_);
  l_.b.restoreIP(ip_);
  l_.b.SetCurrentDebugLocation(loc_);
}

// Starts a function: entry block, alloca insertion point, per-function state.
static void beginFunction(Lowerer& l, Function* fn, types::Func* f, const std::string& linkName) {
  l.fs = Lowerer::FuncState{};
  l.fs.func = f;
  l.fs.fn = fn;
  l.fs.linkName = linkName;
  l.fs.sig = f ? f->sig() : nullptr;
  l.b.SetCurrentDebugLocation(llvm::DebugLoc());
  BasicBlock* entry = BasicBlock::Create(l.ctx, "entry", fn);
  l.b.SetInsertPoint(entry);
  // A no-op marker that stays first: allocas go before it, code after it.
  l.fs.allocaPoint = new BitCastInst(UndefValue::get(l.i32), l.i32, "allocapoint", entry);
}

void Lowerer::defineFunc(types::Func* f) {
  Function* fn = declareFunc(f);
  attachSubprogram(f, fn);
  beginFunction(*this, fn, f, fn->getName().str());
  setDebugPos(f->decl != nullptr ? f->decl->pos : f->lit != nullptr ? f->lit->pos : f->pos);
  const types::Signature* sig = f->sig();
  BlockStmt* body = funcBody(f);
  // Like gc, refuse arguments and results of 1 GB or more: no goroutine stack holds them.
  uint64_t argBytes = 0;
  for (const types::Tuple* tuple : {sig->params, sig->results})
    for (size_t i = 0; tuple && i < tuple->vars.size(); i++) argBytes += (sizeOf(tuple->vars[i]->type) + 7) & ~uint64_t(7);
  if (sig->recv) argBytes += (sizeOf(sig->recv->type) + 7) & ~uint64_t(7);
  if (argBytes >= (uint64_t(1) << 30)) {
    diag.error(f->lit ? f->lit->pos : f->pos,
               "stack frame too large (>1GB): 0 MB locals + " + std::to_string(argBytes >> 20) + " MB args");
    failed = true;
  }
  escape.analyze(f);
  collectAddressTaken(body);
  if (fs.hasDefers) fs.deferFrame = createEntryAlloca(i8, "defer.frame");
  unsigned argi = 0;
  if (f->lit) bindCaptures(f, fn->getArg(argi++));
  std::vector<types::Var*> params;
  if (sig->recv) params.push_back(sig->recv);
  if (sig->params) params.insert(params.end(), sig->params->vars.begin(), sig->params->vars.end());
  for (types::Var* p : params) {
    Argument* arg = fn->getArg(argi++);
    if (p->name.empty() || p->name == "_") continue;
    storeValue(arg, newLocal(p, /*zero=*/false), p->type);
  }
  if (sig->results) {
    for (types::Var* r : sig->results->vars) {
      if (r->name.empty()) {
        // Unnamed results get hidden slots only when deferred calls run between setting them
        // and returning, or when a recovered panic returns them (still zero).
        if (!fs.hasDefers) break;
        AllocaInst* slot = createEntryAlloca(memType(r->type), "result.addr");
        storeValue(Constant::getNullValue(slot->getAllocatedType()), slot, r->type);
        fs.namedResults.push_back(slot);
        continue;
      }
      // `_` results still need a slot: a bare return returns their zero value.
      fs.namedResults.push_back(newLocal(r));
    }
  }
  // A recovered panic returns the results' current values (lower_go.cpp), so every store to
  // a result slot before a call that may panic must stay: the slots escape (an opaque use).
  if (fs.hasDefers) {
    auto* escTy = FunctionType::get(Type::getVoidTy(ctx), {ptr}, false);
    InlineAsm* esc = InlineAsm::get(escTy, "", "r,~{memory}", /*hasSideEffects=*/true);
    for (Value* slot : fs.namedResults) b.CreateCall(esc, {slot});
  }
  lowerStmts(body->list);
  finishFunction();
}

void Lowerer::finishFunction() {
  for (BasicBlock& bb : *fs.fn) {
    if (bb.getTerminator()) continue;
    b.SetInsertPoint(&bb);
    const types::Signature* sig = fs.sig;
    size_t nres = sig && sig->results ? sig->results->vars.size() : 0;
    if (nres == 0) {
      emitReturn({});
    } else if (!fs.namedResults.empty()) {
      // Falling off the end of a function with results cannot happen (the checker requires a
      // terminating statement); a dead block after such a statement returns the named results.
      emitReturn({});
    } else {
      b.CreateUnreachable();
    }
  }
  fs.allocaPoint->eraseFromParent();
  fs.allocaPoint = nullptr;
  EliminateUnreachableBlocks(*fs.fn);
}

void Lowerer::defineInit() {
  auto* fty = FunctionType::get(Type::getVoidTy(ctx), false);
  std::string name = pkg.path + ".init";
  Function* fn = Function::Create(fty, GlobalValue::ExternalLinkage, name, mod);
  setFuncAttrs(fn);
  beginFunction(*this, fn, nullptr, name);
  if (pkg.path != "main") {
    // A library package initialises once, however many packages import it.
    auto* done = new GlobalVariable(mod, i8, false, GlobalValue::InternalLinkage, ConstantInt::get(i8, 0),
                                    pkg.path + "..inittask");
    BasicBlock* run = newBlock("init.run");
    BasicBlock* ret = newBlock("init.done");
    b.CreateCondBr(b.CreateICmpNE(b.CreateLoad(i8, done), ConstantInt::get(i8, 0)), ret, run);
    setBlock(ret);
    b.CreateRetVoid();
    setBlock(run);
    b.CreateStore(ConstantInt::get(i8, 1), done);
  }
  // Imported packages first, in import order (each initialises its own imports).
  for (const std::string& imp : pkg.imports) {
    if (imp == "runtime") continue;
    FunctionCallee callee = mod.getOrInsertFunction(imp + ".init", fty);
    b.CreateCall(callee);
  }
  for (const CheckedPackage::VarInit& init : pkg.initOrder) {
    if (!init.rhs) continue;
    if (init.lhs.size() == 1) {
      types::Var* v = init.lhs[0];
      auto* gv = globals.count(v) ? globals[v] : nullptr;
      if (!gv) continue;
      // A constant initialiser needs no code: it becomes the global's initial value.
      if (init.rhs->mode == ExprMode::Constant && init.rhs->value) {
        Value* c = toMem(lowerConst(init.rhs->value, v->type), v->type);
        if (auto* cc = dyn_cast<Constant>(c)) {
          gv->setInitializer(cc);
          continue;
        }
      }
      Value* val = convertValue(lowerExpr(init.rhs), init.rhs->type, v->type);
      storeValue(val, gv, v->type);
      continue;
    }
    std::vector<Value*> vals = lowerMultiValue(init.rhs, init.lhs.size());
    const types::Tuple* tuple = init.rhs->type ? init.rhs->type->as<types::Tuple>() : nullptr;
    for (size_t i = 0; i < init.lhs.size() && i < vals.size(); i++) {
      types::Var* v = init.lhs[i];
      if (!globals.count(v)) continue;
      const types::Type* from = tuple && i < tuple->vars.size() ? tuple->vars[i]->type : v->type;
      storeValue(convertValue(vals[i], from, v->type), globals[v], v->type);
    }
  }
  for (types::Func* f : pkg.initFuncs) {
    if (Function* callee = mod.getFunction(f->linkName)) b.CreateCall(callee);
  }
  finishFunction();
}

}  // namespace gol
