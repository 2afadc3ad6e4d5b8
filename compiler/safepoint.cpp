// safepoint.cpp: goroutine stack checks and preemption polls, inserted after optimisation
// (DESIGN §4; ../shared/notes/segmented-stacks.md measured every choice made here).
//
// Every Gol function gets a prologue check against the running goroutine's guard, which the
// runtime keeps in the local-exec TLS variable gol_stackguard (runtime/stack.h):
//
//   gol.entry:                                  ; small allocas stay here (static)
//     %f = call i8 asm "cmpq $1, %rsp", "={@ccb},*m"(ptr elementtype(i64) @gol_stackguard)
//     br (trunc %f), %gol.more, %body           ; cold: 1 : 100000
//   gol.more:
//     %r = tail call @gol.more.<sig>(ptr @f, i64 need, args...)
//     ret %r
//   body: ...                                   ; the old entry block
//
// x86-64 turns that into `cmp %fs:gol_stackguard@tpoff,%rsp; jb` before the prologue: the
// SP is read inside the asm, so ShrinkWrap still moves the pushes after the check (an SP
// read in IR would pin them above it). Frames whose allocas total more than 512 bytes
// check `sp - need` instead (`leaq -need(%rsp),%r; cmpq guard,%r`), and their big allocas
// move out of the entry block, below the check, so the frame is not allocated before the
// check passes; `need` goes to the runtime, which sizes the new segment from it.
//
// gol.more.<sig> (one per signature, linkonce_odr) packs fn and the arguments into a block
// and calls gol_growstack(gol.thunk.<sig>, block, result, need); the thunk unpacks them and
// calls fn again, on a stack segment with room, where the check passes.
//
// Loops: the latch of a loop that makes no call to Gol code (calls poll in their callee's
// prologue) gets the same compare, calling gol_morestack_poll when it fails: only a
// preemption request (StackPreempt) can make it fail there. The poll goes on the outermost
// call-free loop, so inner counted loops stay as the vectoriser left them; an inner loop
// whose trip count SCEV cannot compute (it may never end) gets one too, unless two induction
// variables converging one step each (convergingExit) bound it, like a counted loop.
//
// Only x86-64 for now: on other targets the pass does nothing (TODO: aarch64, with g loaded
// once at entry, since aarch64 keeps TLS addresses in registers across calls).
#include "safepoint.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/IR/Attributes.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>

#include <map>
#include <string>

namespace gol {

using namespace llvm;

namespace {

constexpr uint64_t BigFrame = 256;     // runtime/stack.h StackBigFrame
constexpr uint64_t BigAlloca = 128;    // in a big frame, allocas from this size move below the check
constexpr uint64_t MaxAsmNeed = 1u << 30;  // the lea displacement; the runtime refuses more anyway
const char* const CheckedAttr = "gol-stack-checked";

bool isGolFunction(const Function& f) {
  if (f.isDeclaration() || f.isVarArg() || f.hasFnAttribute(Attribute::Naked)) return false;
  StringRef n = f.getName();
  return !n.starts_with("gol.") && !n.starts_with("gol_") && !n.starts_with("llvm.");
}

// Whether a call is a safe point: a call into Gol code, whose own prologue check polls.
// Runtime entry points (gol_*), helpers (gol.*), intrinsics and inline asm are not.
bool callPolls(const CallBase& cb) {
  if (cb.isInlineAsm()) return false;
  const Function* callee = cb.getCalledFunction();
  if (callee == nullptr) return true;  // closures and interface methods: Gol code
  if (callee->isIntrinsic()) return false;
  StringRef n = callee->getName();
  if (n.starts_with("gol_") || n.starts_with("gol.")) return false;
  if (!callee->isDeclaration()) return isGolFunction(*callee);
  return n.contains('.');  // another package's function; C library names have no dot
}

// Calls into C and C++ (the runtime, the standard library's natives, libc) have no checks of
// their own: they run in the stack the caller leaves. The prologue check only guarantees
// StackGuard (1 KiB, runtime/stack.h) below the guard, minus the caller's own frame, so a
// call to anything deeper gets a check at the call site, `sp - need` against the guard, and
// goes through gol.more.<sig> (gol_growstack) to a segment with room when it fails. The needs
// come from GCC's -fcallgraph-info=su over the runtime (tools/stackdepth.py: the deepest path
// of each entry point, libc excluded) minus StackGuard, with a margin for libc's system call
// wrappers. The blocking entry points stay below 1 KiB (goready and throws run on the system
// stack, panics move to a segment of their own: runtime/stack.h), so a goroutine parked on a
// channel or a semaphore fits in its 2 KiB first stack.
//   -1: shallow, no check (printing, hashing, comparing)
//   other: bytes needed below sp beyond StackGuard
int64_t runtimeCallNeed(StringRef n) {
  static const char* const shallow[] = {
      "gol_print",    "gol_chanlen",  "gol_chancap",   "gol_maplen",    "gol_memhash", "gol_strhash",
      "gol_f32hash",  "gol_f64hash",  "gol_c64hash",   "gol_c128hash",  "gol_nilinterhash", "gol_interhash",
      "gol_cmpstring", "gol_decoderune", "gol_deferreturn", "gol_sync_canSpin",
      "gol_sync_doSpin", "gol_sync_runtime_canSpin", "gol_sync_runtime_doSpin", "gol_sync_nanotime",
      "gol_nanotime", "gol_time_nanotime", "gol_growstack", "gol_morestack_poll", "memcmp", "bcmp", "memcpy",
      "memmove", "memset", "strlen"};
  for (const char* p : shallow)
    if (n.starts_with(p)) return -1;
  // The blocking entry points (channels, select, semaphores, sleeping) and the panics.
  static const char* const small[] = {"gol_chanrecv",  "gol_chansend", "gol_closechan", "gol_selectnb",
                                      "gol_sync_",     "gol_block",    "gol_panic",     "gol_gopanic",
                                      "gol_gorecover", "gol_itab_", "gol_newproc", "gol_runtime_Gosched",
                                      "gol_runtime_Goexit", "gol_time_Sleep"};
  for (const char* p : small)
    if (n.starts_with(p)) return 256;
  // Allocation (its refill, large spans and collections leave the goroutine's stack: malloc.cpp)
  // and the functions built on it.
  static const char* const alloc[] = {"gol_mallocgc",     "gol_makeslice",      "gol_growslice",
                                      "gol_concatstrings", "gol_slicebytetostring", "gol_stringtoslice",
                                      "gol_slicerunetostring", "gol_intstring", "gol_makechan",
                                      "gol_makemap",      "gol_mapaccess",      "gol_mapiter",
                                      "gol_mapclear"};
  for (const char* p : alloc)
    if (n.starts_with(p)) return 256;
  if (n == "gol_selectgo" || n == "gol_mapassign" || n == "gol_mapdelete") return 512;
  // Natives with big buffers or the C library's formatted output (snprintf, strtod).
  if (n.starts_with("sync.") || n.starts_with("math.") || n.starts_with("time.Sleep")) return 256;
  if (n.starts_with("os") || n.starts_with("strconv") || n.starts_with("sort")) return 15 << 10;
  return 3 << 10;  // the rest of the runtime (allocation may start a collection): 4 KiB in all
}

// A direct call into C or C++ code: a declaration whose name has no dot (Gol functions of other
// packages are declared as pkg.name and check their own stack), or a native of the standard
// library (declared without a body: lower.cpp marks it gol-native).
bool callsIntoC(const CallInst& c) {
  if (c.isInlineAsm() || c.isMustTailCall()) return false;
  const Function* callee = c.getCalledFunction();
  if (callee == nullptr || !callee->isDeclaration() || callee->isIntrinsic() || callee->isVarArg()) return false;
  if (callee->hasFnAttribute(Attribute::ReturnsTwice)) return false;
  return !callee->getName().contains('.') || callee->hasFnAttribute("gol-native");
}

class Inserter {
 public:
  explicit Inserter(Module& m) : m_(m), ctx_(m.getContext()), i8_(Type::getInt8Ty(ctx_)), i64_(Type::getInt64Ty(ctx_)) {
    ptr_ = PointerType::getUnqual(ctx_);
  }

  bool run(ModuleAnalysisManager& mam) {
    if (Triple(m_.getTargetTriple()).getArch() != Triple::x86_64) return false;  // TODO: aarch64
    auto& fam = mam.getResult<FunctionAnalysisManagerModuleProxy>(m_).getManager();
    SmallVector<Function*, 32> work;
    for (Function& f : m_)
      if (isGolFunction(f) && !f.hasFnAttribute(CheckedAttr)) work.push_back(&f);
    if (work.empty()) return false;
    for (Function* f : work) {
      SmallVector<BasicBlock*, 8> latches;
      findPollLatches(*f, fam, latches);
      for (BasicBlock* bb : latches) insertPoll(bb);
      SmallVector<std::pair<CallInst*, uint64_t>, 8> rtcalls;
      for (BasicBlock& bb : *f)
        for (Instruction& i : bb)
          if (auto* c = dyn_cast<CallInst>(&i); c && callsIntoC(*c))
            if (int64_t need = runtimeCallNeed(c->getCalledFunction()->getName()); need >= 0)
              rtcalls.push_back({c, uint64_t(need)});
      for (auto [c, need] : rtcalls) insertCallCheck(c, need);
      insertCheck(*f);
      f->addFnAttr(CheckedAttr);
      // The function can now switch goroutines and stacks: no longer readnone/nosync.
      f->removeFnAttr(Attribute::Memory);
      f->removeFnAttr(Attribute::NoSync);
      fam.invalidate(*f, PreservedAnalyses::none());
    }
    for (Function* f : work)
      for (User* u : f->users())
        if (auto* cb = dyn_cast<CallBase>(u); cb && cb->getCalledFunction() == f) {
          cb->removeFnAttr(Attribute::Memory);
          cb->removeFnAttr(Attribute::NoSync);
        }
    return true;
  }

 private:
  Module& m_;
  LLVMContext& ctx_;
  const DominatorTree* dt_ = nullptr;  // of the function findPollLatches is looking at
  Type* i8_;
  Type* i64_;
  PointerType* ptr_;
  std::map<std::string, Function*> more_;

  GlobalVariable* guardVar() {
    if (GlobalVariable* gv = m_.getNamedGlobal("gol_stackguard")) return gv;
    auto* gv = new GlobalVariable(m_, i64_, false, GlobalValue::ExternalLinkage, nullptr, "gol_stackguard", nullptr,
                                  GlobalValue::LocalExecTLSModel);
    return gv;
  }

  // i1: sp (minus need) is below the guard.
  Value* emitCompare(IRBuilder<>& b, uint64_t need, bool sideEffect) {
    Value* flag;
    if (need == 0) {
      auto* ty = FunctionType::get(i8_, {ptr_}, false);
      auto* ia = InlineAsm::get(ty, "cmpq $1, %rsp", "={@ccb},*m,~{dirflag},~{fpsr},~{flags}", sideEffect);
      CallInst* c = b.CreateCall(ty, ia, {guardVar()}, "gol.sp.low");
      c->addParamAttr(0, Attribute::get(ctx_, Attribute::ElementType, i64_));
      flag = c;
    } else {
      uint64_t n = need < MaxAsmNeed ? need : MaxAsmNeed;
      auto* sty = StructType::get(ctx_, {i8_, i64_});
      auto* ty = FunctionType::get(sty, {ptr_}, false);
      std::string text = "leaq -" + std::to_string(n) + "(%rsp), $1\n\tcmpq $2, $1";
      auto* ia = InlineAsm::get(ty, text, "={@ccb},=&r,*m,~{dirflag},~{fpsr},~{flags}", sideEffect);
      CallInst* c = b.CreateCall(ty, ia, {guardVar()}, "gol.sp.low");
      c->addParamAttr(0, Attribute::get(ctx_, Attribute::ElementType, i64_));
      flag = b.CreateExtractValue(c, 0);
    }
    return b.CreateTrunc(flag, Type::getInt1Ty(ctx_));
  }

  MDNode* coldWeights() { return MDBuilder(ctx_).createBranchWeights(1, 100000); }

  // ---- loop polls ----

  void findPollLatches(Function& f, FunctionAnalysisManager& fam, SmallVectorImpl<BasicBlock*>& out) {
    LoopInfo& li = fam.getResult<LoopAnalysis>(f);
    if (li.empty()) return;
    dt_ = &fam.getResult<DominatorTreeAnalysis>(f);
    ScalarEvolution& se = fam.getResult<ScalarEvolutionAnalysis>(f);
    for (Loop* l : li) visitLoop(l, false, se, out);
  }

  // True if every iteration of l makes a call that polls: a polling call in a block that
  // dominates every latch. A call on a conditional path only (`if rare { f() }`, or an inlined
  // fast path whose slow path calls out) does not make the loop preemptible.
  static bool loopPolls(const Loop* l, const DominatorTree& dt) {
    SmallVector<BasicBlock*, 4> latches;
    l->getLoopLatches(latches);
    for (BasicBlock* bb : l->blocks()) {
      bool everyIteration = true;
      for (BasicBlock* latch : latches) everyIteration = everyIteration && dt.dominates(bb, latch);
      if (!everyIteration) continue;
      for (Instruction& i : *bb)
        if (auto* cb = dyn_cast<CallBase>(&i); cb && callPolls(*cb)) return true;
    }
    return false;
  }

  // A step of exactly +1 (up) or -1 (down) per iteration of l, or l-invariant (0).
  static bool unitOrInvariant(const SCEV* s, const Loop* l, ScalarEvolution& se, bool up, bool& moves) {
    if (se.isLoopInvariant(s, l)) return true;
    auto* ar = dyn_cast<SCEVAddRecExpr>(s);
    if (!ar || ar->getLoop() != l || !ar->isAffine()) return false;
    auto* step = dyn_cast<SCEVConstant>(ar->getStepRecurrence(se));
    if (!step) return false;
    moves = true;
    return up ? step->getAPInt().isOne() : step->getAPInt().isAllOnes();
  }

  // True if l ends after finitely many iterations although SCEV cannot count them: an exit
  // test run on every iteration keeps it going only while a < b (signed or unsigned), where a
  // rises by exactly 1 and b falls by exactly 1 per iteration (or stays). While a < b, a + 1
  // and b - 1 cannot wrap, so b - a (as a mathematical integer) shrinks every iteration and
  // the loop stops within b0 - a0 iterations: `for i, j := 0, n-1; i < j; i, j = i+1, j-1`.
  bool convergingExit(const Loop* l, ScalarEvolution& se) {
    SmallVector<BasicBlock*, 4> exiting, latches;
    l->getExitingBlocks(exiting);
    l->getLoopLatches(latches);
    for (BasicBlock* bb : exiting) {
      bool everyIteration = true;
      for (BasicBlock* latch : latches) everyIteration = everyIteration && dt_->dominates(bb, latch);
      auto* br = dyn_cast<BranchInst>(bb->getTerminator());
      if (!everyIteration || !br || !br->isConditional()) continue;
      auto* cmp = dyn_cast<ICmpInst>(br->getCondition());
      if (!cmp || !cmp->getOperand(0)->getType()->isIntegerTy()) continue;
      bool trueStays = l->contains(br->getSuccessor(0));
      if (trueStays == l->contains(br->getSuccessor(1))) continue;
      CmpInst::Predicate stay = trueStays ? cmp->getPredicate() : cmp->getInversePredicate();
      const SCEV* a = se.getSCEV(cmp->getOperand(0));
      const SCEV* b = se.getSCEV(cmp->getOperand(1));
      if (stay == CmpInst::ICMP_SGT || stay == CmpInst::ICMP_UGT) {
        std::swap(a, b);
        stay = CmpInst::getSwappedPredicate(stay);
      }
      if (stay != CmpInst::ICMP_SLT && stay != CmpInst::ICMP_ULT) continue;
      bool moves = false;
      if (unitOrInvariant(a, l, se, true, moves) && unitOrInvariant(b, l, se, false, moves) && moves) return true;
    }
    return false;
  }

  void visitLoop(Loop* l, bool insideCallFree, ScalarEvolution& se, SmallVectorImpl<BasicBlock*>& out) {
    bool callFree = insideCallFree || !loopPolls(l, *dt_);
    if (callFree && (!insideCallFree ||
                     (isa<SCEVCouldNotCompute>(se.getBackedgeTakenCount(l)) && !convergingExit(l, se)))) {
      SmallVector<BasicBlock*, 4> latches;
      l->getLoopLatches(latches);
      out.append(latches.begin(), latches.end());
    }
    for (Loop* sub : *l) visitLoop(sub, callFree, se, out);
  }

  void insertPoll(BasicBlock* latch) {
    Instruction* term = latch->getTerminator();
    IRBuilder<> b(term);
    Value* low = emitCompare(b, 0, true);
    Instruction* then = SplitBlockAndInsertIfThen(low, term, false, coldWeights());
    then->getParent()->setName("gol.poll");
    IRBuilder<> tb(then);
    FunctionCallee poll = m_.getOrInsertFunction("gol_morestack_poll", FunctionType::get(Type::getVoidTy(ctx_), false));
    if (auto* pf = dyn_cast<Function>(poll.getCallee())) pf->addFnAttr(Attribute::Cold);
    tb.CreateCall(poll);
  }

  // ---- prologue check ----

  static AttributeSet abiAttrs(LLVMContext& ctx, AttributeSet in, bool keepSret) {
    AttrBuilder ab(ctx);
    for (Attribute a : in) {
      if (!a.isEnumAttribute() && !a.isTypeAttribute() && !a.isIntAttribute()) continue;
      switch (a.getKindAsEnum()) {
        case Attribute::ZExt:
        case Attribute::SExt:
        case Attribute::InReg:
        case Attribute::ByVal:
        case Attribute::Alignment:
        case Attribute::Nest:
          ab.addAttribute(a);
          break;
        case Attribute::StructRet:
          if (keepSret) ab.addAttribute(a);
          break;
        default: break;
      }
    }
    return AttributeSet::get(ctx, ab);
  }

  // gol.more.<sig>(fn, need, args...) and gol.thunk.<sig>(block, result) for f's signature.
  Function* moreFor(Function& f) {
    FunctionType* fty = f.getFunctionType();
    AttributeList fattrs = f.getAttributes();
    std::string key;
    raw_string_ostream ks(key);
    ks << *fty << " cc" << f.getCallingConv() << " r:" << abiAttrs(ctx_, fattrs.getRetAttrs(), false).getAsString();
    for (unsigned i = 0; i < fty->getNumParams(); i++)
      ks << " p" << i << ":" << abiAttrs(ctx_, fattrs.getParamAttrs(i), true).getAsString();
    ks.flush();
    if (auto it = more_.find(key); it != more_.end()) return it->second;
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(xxh3_64bits(key)));
    std::string moreName = std::string("gol.more.") + hex, thunkName = std::string("gol.thunk.") + hex;
    if (Function* existing = m_.getFunction(moreName)) return more_[key] = existing;

    // The block: {fn, args...}.
    SmallVector<Type*, 8> fields = {ptr_};
    for (Type* t : fty->params()) fields.push_back(t);
    StructType* block = StructType::get(ctx_, fields);
    Type* ret = fty->getReturnType();

    auto helperAttrs = [&](Function* h) {
      h->setVisibility(GlobalValue::HiddenVisibility);
      h->addFnAttr("frame-pointer", "all");
      h->setUWTableKind(UWTableKind::Async);
      if (f.hasFnAttribute("target-cpu")) h->addFnAttr(f.getFnAttribute("target-cpu"));
      if (f.hasFnAttribute("target-features")) h->addFnAttr(f.getFnAttribute("target-features"));
      h->addFnAttr(CheckedAttr);
    };

    // gol.thunk: runs on the new segment.
    auto* thunkTy = FunctionType::get(Type::getVoidTy(ctx_), {ptr_, ptr_}, false);
    Function* thunk = Function::Create(thunkTy, GlobalValue::LinkOnceODRLinkage, thunkName, m_);
    helperAttrs(thunk);
    {
      IRBuilder<> b(BasicBlock::Create(ctx_, "entry", thunk));
      Value* blk = thunk->getArg(0);
      Value* fn = b.CreateLoad(ptr_, b.CreateStructGEP(block, blk, 0));
      SmallVector<Value*, 8> args;
      for (unsigned i = 0; i < fty->getNumParams(); i++)
        args.push_back(b.CreateLoad(fty->getParamType(i), b.CreateStructGEP(block, blk, i + 1)));
      CallInst* c = b.CreateCall(fty, fn, args);
      c->setCallingConv(f.getCallingConv());
      SmallVector<AttributeSet, 8> pattrs;
      for (unsigned i = 0; i < fty->getNumParams(); i++) pattrs.push_back(abiAttrs(ctx_, fattrs.getParamAttrs(i), true));
      c->setAttributes(AttributeList::get(ctx_, AttributeSet(), abiAttrs(ctx_, fattrs.getRetAttrs(), false), pattrs));
      if (!ret->isVoidTy()) b.CreateStore(c, thunk->getArg(1));
      b.CreateRetVoid();
    }

    // gol.more: the cold path of the check.
    SmallVector<Type*, 8> mparams = {ptr_, i64_};
    for (Type* t : fty->params()) mparams.push_back(t);
    auto* moreTy = FunctionType::get(ret, mparams, false);
    Function* more = Function::Create(moreTy, GlobalValue::LinkOnceODRLinkage, moreName, m_);
    helperAttrs(more);
    more->addFnAttr(Attribute::Cold);
    more->addFnAttr(Attribute::NoInline);
    {
      SmallVector<AttributeSet, 8> pattrs = {AttributeSet(), AttributeSet()};
      for (unsigned i = 0; i < fty->getNumParams(); i++) pattrs.push_back(abiAttrs(ctx_, fattrs.getParamAttrs(i), false));
      more->setAttributes(AttributeList::get(ctx_, more->getAttributes().getFnAttrs(),
                                             abiAttrs(ctx_, fattrs.getRetAttrs(), false), pattrs));
      IRBuilder<> b(BasicBlock::Create(ctx_, "entry", more));
      Value* blk = b.CreateAlloca(block, nullptr, "args");
      b.CreateStore(more->getArg(0), b.CreateStructGEP(block, blk, 0));
      for (unsigned i = 0; i < fty->getNumParams(); i++) b.CreateStore(more->getArg(i + 2), b.CreateStructGEP(block, blk, i + 1));
      Value* res = ret->isVoidTy() ? static_cast<Value*>(ConstantPointerNull::get(ptr_)) : b.CreateAlloca(ret, nullptr, "res");
      FunctionCallee grow = m_.getOrInsertFunction(
          "gol_growstack", FunctionType::get(Type::getVoidTy(ctx_), {ptr_, ptr_, ptr_, i64_}, false));
      b.CreateCall(grow, {thunk, blk, res, more->getArg(1)});
      if (ret->isVoidTy()) {
        b.CreateRetVoid();
      } else {
        b.CreateRet(b.CreateLoad(ret, res));
      }
    }
    return more_[key] = more;
  }

  // Gives a call into C/C++ its own check: if fewer than need + StackGuard bytes are left below
  // sp, the call goes through gol.more.<sig> to a segment with room.
  void insertCallCheck(CallInst* c, uint64_t need) {
    Function* callee = c->getCalledFunction();
    IRBuilder<> b(c);
    Value* low = emitCompare(b, need, false);
    Instruction* slowT = nullptr;
    Instruction* fastT = nullptr;
    SplitBlockAndInsertIfThenElse(low, c, &slowT, &fastT, coldWeights());
    slowT->getParent()->setName("gol.rtmore");
    BasicBlock* tail = c->getParent();
    c->moveBefore(fastT);
    c->setTailCall(false);
    Function* more = moreFor(*callee);
    SmallVector<Value*, 8> args = {callee, ConstantInt::get(i64_, need)};
    for (Use& a : c->args()) args.push_back(a.get());
    IRBuilder<> sb(slowT);
    CallInst* s = sb.CreateCall(more, args);
    s->setAttributes(more->getAttributes());
    s->setAttributes(s->getAttributes().removeFnAttributes(ctx_));
    if (!c->getType()->isVoidTy()) {
      PHINode* phi = PHINode::Create(c->getType(), 2, "", tail->begin());
      c->replaceAllUsesWith(phi);
      phi->addIncoming(c, c->getParent());
      phi->addIncoming(s, s->getParent());
    }
  }

  void insertCheck(Function& f) {
    const DataLayout& dl = m_.getDataLayout();
    BasicBlock* body = &f.getEntryBlock();
    // Static allocas of the entry block and their total size.
    SmallVector<AllocaInst*, 16> allocas;
    uint64_t total = 0;
    for (Instruction& i : *body)
      if (auto* a = dyn_cast<AllocaInst>(&i); a && a->isStaticAlloca()) {
        allocas.push_back(a);
        if (std::optional<TypeSize> sz = a->getAllocationSize(dl)) total += (sz->getFixedValue() + 15) & ~uint64_t(15);
      }
    bool big = total > BigFrame;
    uint64_t need = big ? total : 0;

    BasicBlock* entry = BasicBlock::Create(ctx_, "gol.entry", &f, body);
    BasicBlock* moreBB = BasicBlock::Create(ctx_, "gol.more", &f);
    // Small allocas stay static (in the new entry block); big ones of a big frame become
    // dynamic allocas in the body: the frame is only allocated once the check has passed.
    for (AllocaInst* a : allocas) {
      std::optional<TypeSize> sz = a->getAllocationSize(dl);
      bool move = big && sz && sz->getFixedValue() >= BigAlloca;
      if (!move) a->moveBefore(*entry, entry->end());
    }
    IRBuilder<> b(entry);
    Value* low = emitCompare(b, need, false);
    b.CreateCondBr(low, moreBB, body, coldWeights());

    IRBuilder<> mb(moreBB);
    Function* more = moreFor(f);
    SmallVector<Value*, 8> args = {&f, ConstantInt::get(i64_, need)};
    for (Argument& a : f.args()) args.push_back(&a);
    CallInst* c = mb.CreateCall(more, args);
    c->setTailCall(true);
    c->setAttributes(more->getAttributes());
    c->setAttributes(c->getAttributes().removeFnAttributes(ctx_));
    if (f.getReturnType()->isVoidTy()) {
      mb.CreateRetVoid();
    } else {
      mb.CreateRet(c);
    }
  }
};

struct SafepointPass : PassInfoMixin<SafepointPass> {
  PreservedAnalyses run(Module& m, ModuleAnalysisManager& mam) {
    return Inserter(m).run(mam) ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }  // also at -O0
};

}  // namespace

void registerSafepointPass(PassBuilder& pb) {
  pb.registerOptimizerLastEPCallback([](ModulePassManager& mpm, OptimizationLevel) { mpm.addPass(SafepointPass()); });
}

void addSafepointPass(ModulePassManager& mpm) { mpm.addPass(SafepointPass()); }

}  // namespace gol
