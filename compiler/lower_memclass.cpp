// lower_memclass.cpp: big aggregates live in memory, never as first-class SSA values.
//
// The lowering treats every Gol value as an SSA value: an array or a struct is loaded, stored,
// passed and returned as one `[N x T]` or `{...}`. LLVM splits such a value into one virtual
// register per element: a function taking and returning [8192]int took 18 s to compile, and
// [100000]int crashed instruction selection. This pass, run once over the finished module,
// gives every "memory-class" value (an array or struct of more than kBigAggregateBytes) a home
// in memory instead, and rewrites what uses it:
//   - the ABI: a memory-class parameter becomes a pointer to the caller's copy (the callee
//     only reads it: it copies into its own slot when it assigns to the parameter); a
//     memory-class result becomes a trailing pointer to the caller's result slot, and the
//     function returns void. The rule depends on the LLVM function type alone, so every
//     function, wrapper, thunk, closure and interface method of every package, their
//     declarations and all call sites (direct or through a function value) agree without the
//     lowering's function-type builders having to know about it;
//   - a load becomes a memcpy into a fresh slot, a store a memcpy out of the value's home (a
//     memset for zero), insertvalue a store into the home, extractvalue a load from it, a phi
//     copies into its own slot at the end of each predecessor, a select chooses a home.
// Invariant: a home is written only where its value is defined (its load, call, insertvalue
// or the predecessors of its phi); everything else only reads it, so homes can be shared
// (a parameter's home is the caller's copy, an extracted field's home is inside its struct's).
// Stack slots of any size are fine: goroutine stacks grow by segments and are never copied
// (runtime/HACKING.md), and frames above the guard get their own check (safepoint.cpp).
#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

#include <map>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lower.h"

namespace gol {

using namespace llvm;

namespace {

class MemClassLowering {
 public:
  explicit MemClassLowering(Module& m) : m_(m), dl_(m.getDataLayout()), ctx_(m.getContext()) {}

  void run() {
    // New signatures first: every body then sees the final callees and arguments.
    std::vector<Function*> old;
    for (Function& f : m_)
      if (rewritesSignature(f)) old.push_back(&f);
    for (Function* f : old) retype(f);
    for (Function& f : m_)
      if (!f.isDeclaration()) lowerBody(f);
    for (Function* f : old) {
      for (Argument& a : f->args())
        if (!a.use_empty()) a.replaceAllUsesWith(PoisonValue::get(a.getType()));
      f->eraseFromParent();
    }
  }

 private:
  Module& m_;
  const DataLayout& dl_;
  LLVMContext& ctx_;
  // The memory-class parameters of a retyped function's old signature -> the new pointers.
  std::unordered_map<Value*, Value*> argHomes_;
  std::unordered_map<Constant*, GlobalVariable*> constHomes_;
  std::unordered_map<Function*, Argument*> resultArgs_;  // retyped functions' result pointers

  bool isMem(Type* t) const {
    return (t->isStructTy() || t->isArrayTy()) && dl_.getTypeAllocSize(t) > Lowerer::kBigAggregateBytes;
  }
  bool needsRewrite(FunctionType* ft) const {
    if (isMem(ft->getReturnType())) return true;
    for (Type* p : ft->params())
      if (isMem(p)) return true;
    return false;
  }
  // Natives (stdlib/*_native.cpp) and C functions keep the C ABI of their declarations.
  static bool keepsAbi(const Function* f) { return f->isIntrinsic() || f->hasFnAttribute("gol-native"); }
  bool rewritesSignature(const Function& f) const { return !keepsAbi(&f) && needsRewrite(f.getFunctionType()); }

  FunctionType* newType(FunctionType* ft) const {
    std::vector<Type*> params;
    for (Type* p : ft->params()) params.push_back(isMem(p) ? PointerType::getUnqual(ctx_) : p);
    Type* ret = ft->getReturnType();
    if (isMem(ret)) {
      params.push_back(PointerType::getUnqual(ctx_));
      ret = Type::getVoidTy(ctx_);
    }
    return FunctionType::get(ret, params, ft->isVarArg());
  }

  void retype(Function* f) {
    FunctionType* ft = f->getFunctionType();
    Function* nf = Function::Create(newType(ft), f->getLinkage(), f->getAddressSpace(), "", &m_);
    nf->copyAttributesFrom(f);
    // Parameter and return attributes do not carry over to pointers; the lowering sets none.
    nf->setAttributes(AttributeList::get(ctx_, f->getAttributes().getFnAttrs(), AttributeSet(), {}));
    nf->takeName(f);
    for (unsigned i = 0; i < ft->getNumParams(); i++) {
      Argument* a = f->getArg(i);
      Argument* na = nf->getArg(i);
      na->takeName(a);
      if (isMem(a->getType())) {
        // The caller's copy: only read here, and never kept beyond the call.
        na->addAttr(Attribute::NoAlias);
        na->addAttr(Attribute::NoCapture);
        na->addAttr(Attribute::ReadOnly);
        argHomes_[a] = na;
      } else {
        a->replaceAllUsesWith(na);
      }
    }
    if (isMem(ft->getReturnType())) {
      Argument* res = nf->getArg(ft->getNumParams());
      res->setName("result");
      res->addAttr(Attribute::NoAlias);
      res->addAttr(Attribute::NoCapture);
      resultArgs_[nf] = res;
    }
    nf->splice(nf->end(), f);
    nf->setSubprogram(f->getSubprogram());  // the line table goes with the body (lower_debug.cpp)
    f->setSubprogram(nullptr);
    // Function values (closures, itabs) and direct calls now name nf; the calls are retyped
    // with their bodies.
    f->replaceAllUsesWith(nf);
  }

  // ---- one function body ----
  struct Body {
    Function* fn = nullptr;
    std::unordered_map<Value*, Value*> homes;
    std::unordered_set<Value*> owned;  // homes made for their value alone (reusable in place)
    std::vector<AllocaInst*> temps;    // slots made here (shared when their spans are disjoint)
    std::vector<PHINode*> phis;        // defined phis, whose copies are still to insert
    std::unordered_set<Instruction*> done;  // calls already rewritten
    std::vector<Instruction*> dead;
  };
  Body* cur_ = nullptr;

  Align alignOf(Type* t) const { return dl_.getABITypeAlign(t); }
  uint64_t sizeOf(Type* t) const { return dl_.getTypeAllocSize(t); }

  AllocaInst* slot(Type* t, const Twine& name) {
    BasicBlock& entry = cur_->fn->getEntryBlock();
    auto* a = new AllocaInst(t, dl_.getAllocaAddrSpace(), nullptr, alignOf(t), name, entry.getFirstInsertionPt());
    cur_->temps.push_back(a);
    return a;
  }

  static bool isZeroLike(Value* v) {
    auto* c = dyn_cast<Constant>(v);
    return c && (c->isNullValue() || isa<UndefValue>(c));
  }

  // Copies value v (of memory-class type t) to dst, before `at`.
  void copyTo(Value* dst, Value* v, Instruction* at) {
    Type* t = v->getType();
    IRBuilder<> b(at);
    if (isZeroLike(v)) {
      if (!isa<UndefValue>(v)) b.CreateMemSet(dst, b.getInt8(0), sizeOf(t), alignOf(t));
      return;
    }
    b.CreateMemCpy(dst, alignOf(t), home(v, at), alignOf(t), sizeOf(t));
  }

  // The address holding v, valid before `at` (where constants get theirs).
  Value* home(Value* v, Instruction* at) {
    if (auto* c = dyn_cast<Constant>(v)) {
      if (isZeroLike(c)) {
        AllocaInst* a = slot(c->getType(), "zero.tmp");
        copyTo(a, c, at);
        return a;
      }
      GlobalVariable*& g = constHomes_[c];
      if (!g)
        g = new GlobalVariable(m_, c->getType(), true, GlobalValue::PrivateLinkage, c, "memclass.const");
      g->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
      return g;
    }
    if (auto it = cur_->homes.find(v); it != cur_->homes.end()) return it->second;
    if (auto it = argHomes_.find(v); it != argHomes_.end()) return it->second;
    return define(cast<Instruction>(v));
  }

  // Gives instruction i (of memory-class type) its home, at i's own position.
  Value* define(Instruction* i) {
    Type* t = i->getType();
    Value* h = nullptr;
    if (auto* ld = dyn_cast<LoadInst>(i)) {
      AllocaInst* a = slot(t, ld->getName() + ".mem");
      IRBuilder<>(ld).CreateMemCpy(a, alignOf(t), ld->getPointerOperand(), ld->getAlign(), sizeOf(t),
                                   ld->isVolatile());
      cur_->owned.insert(a);
      h = a;
    } else if (auto* call = dyn_cast<CallInst>(i); call && retypesCall(call)) {
      h = rewriteCall(call);
    } else if (auto* iv = dyn_cast<InsertValueInst>(i)) {
      Value* agg = iv->getAggregateOperand();
      Value* into = nullptr;
      if (!isa<Constant>(agg) && agg->hasOneUse()) {
        Value* ah = home(agg, iv);
        if (cur_->owned.count(ah)) into = ah;  // nothing else reads agg: update in place
      }
      if (!into) {
        AllocaInst* a = slot(t, iv->getName() + ".mem");
        copyTo(a, agg, iv);
        into = a;
      }
      IRBuilder<> b(iv);
      std::vector<Value*> idx = {b.getInt64(0)};
      for (unsigned k : iv->getIndices()) idx.push_back(b.getInt32(k));
      Value* field = b.CreateInBoundsGEP(t, into, idx, iv->getName() + ".field");
      Value* elt = iv->getInsertedValueOperand();
      if (isMem(elt->getType()))
        copyTo(field, elt, iv);
      else
        b.CreateStore(elt, field);
      cur_->owned.insert(into);
      h = into;
    } else if (auto* ev = dyn_cast<ExtractValueInst>(i)) {
      h = fieldAddr(ev);
    } else if (auto* phi = dyn_cast<PHINode>(i)) {
      h = slot(t, phi->getName() + ".mem");
      cur_->phis.push_back(phi);
    } else if (auto* sel = dyn_cast<SelectInst>(i)) {
      Value* x = home(sel->getTrueValue(), sel);
      Value* y = home(sel->getFalseValue(), sel);
      h = IRBuilder<>(sel).CreateSelect(sel->getCondition(), x, y, sel->getName() + ".mem");
    } else {
      // Anything else (a native's aggregate result, say) is stored as it is, once.
      AllocaInst* a = slot(t, i->getName() + ".mem");
      new StoreInst(i, a, *i->getInsertionPointAfterDef());
      cur_->homes[i] = a;
      return a;
    }
    cur_->homes[i] = h;
    cur_->dead.push_back(i);
    return h;
  }

  // The address of extractvalue ev's field inside its aggregate's home.
  Value* fieldAddr(ExtractValueInst* ev) {
    Value* agg = ev->getAggregateOperand();
    Value* ah = home(agg, ev);
    IRBuilder<> b(ev);
    std::vector<Value*> idx = {b.getInt64(0)};
    for (unsigned k : ev->getIndices()) idx.push_back(b.getInt32(k));
    return b.CreateInBoundsGEP(agg->getType(), ah, idx, ev->getName() + ".addr");
  }

  bool retypesCall(CallInst* call) const {
    if (call->isInlineAsm()) return false;
    if (const Function* callee = call->getCalledFunction(); callee && keepsAbi(callee)) return false;
    return needsRewrite(call->getFunctionType());
  }

  // Rewrites call to the pointer ABI; returns the result's home (null for other results).
  Value* rewriteCall(CallInst* call) {
    if (!cur_->done.insert(call).second) return cur_->homes.count(call) ? cur_->homes[call] : nullptr;
    FunctionType* ft = call->getFunctionType();
    std::vector<Value*> args;
    for (unsigned k = 0; k < ft->getNumParams(); k++) {
      Value* a = call->getArgOperand(k);
      args.push_back(isMem(ft->getParamType(k)) ? home(a, call) : a);
    }
    AllocaInst* res = nullptr;
    if (isMem(ft->getReturnType())) {
      res = slot(ft->getReturnType(), call->getName() + ".result");
      args.push_back(res);
    }
    CallInst* nc = CallInst::Create(newType(ft), call->getCalledOperand(), args, "", call->getIterator());
    nc->setCallingConv(call->getCallingConv());
    nc->setAttributes(AttributeList::get(ctx_, call->getAttributes().getFnAttrs(), AttributeSet(), {}));
    // A tail call may not read the caller's frame, where the copies now are.
    nc->setTailCallKind(call->getTailCallKind() == CallInst::TCK_NoTail ? CallInst::TCK_NoTail : CallInst::TCK_None);
    nc->setDebugLoc(call->getDebugLoc());
    if (!res) {
      nc->takeName(call);
      call->replaceAllUsesWith(nc);
      cur_->dead.push_back(call);
      return nullptr;
    }
    cur_->owned.insert(res);
    cur_->homes[call] = res;
    cur_->dead.push_back(call);
    return res;
  }

  // Where slot a is used, when every use is in one block: [first, last] by position there.
  // The slot holds a value only between them (its first use writes it). Null block: the
  // address flows on (a phi, a select) or is used in several blocks.
  struct Span {
    BasicBlock* bb = nullptr;
    size_t first = 0, last = 0;
  };
  Span spanOf(AllocaInst* a, const std::unordered_map<Instruction*, size_t>& pos) {
    std::vector<Instruction*> users;
    std::vector<Value*> work = {a};
    while (!work.empty()) {
      Value* v = work.back();
      work.pop_back();
      for (User* u : v->users()) {
        auto* i = cast<Instruction>(u);
        if (isa<GetElementPtrInst>(i)) {
          work.push_back(i);
        } else if (isa<SelectInst>(i) || isa<PHINode>(i) || (isa<StoreInst>(i) && cast<StoreInst>(i)->getValueOperand() == v)) {
          return {};
        }
        users.push_back(i);
      }
    }
    if (users.empty()) return {};
    Span sp;
    sp.bb = users.front()->getParent();
    sp.first = SIZE_MAX;
    for (Instruction* i : users) {
      if (i->getParent() != sp.bb) return {};
      sp.first = std::min(sp.first, pos.at(i));
      sp.last = std::max(sp.last, pos.at(i));
    }
    return sp;
  }

  // Slots of the same size whose spans are disjoint share one alloca: each use of a big value
  // has a slot of its own, and a function using a [1<<20]byte twenty times would otherwise
  // need a 20 MB frame (the frame is the sum of its allocas: safepoint.cpp makes big ones
  // dynamic, past the stack check, so the code generator cannot overlap them either). Spans in
  // different blocks never overlap in time; in one block they overlap by position.
  void shareSlots(Function& f, const std::vector<AllocaInst*>& temps) {
    std::unordered_map<Instruction*, size_t> pos;
    for (BasicBlock& bb : f) {
      size_t k = 0;
      for (Instruction& i : bb) pos[&i] = k++;
    }
    struct Shared {
      AllocaInst* slot;
      std::vector<Span> spans;
    };
    std::map<std::pair<uint64_t, uint64_t>, std::vector<Shared>> pools;  // by (size, alignment)
    for (AllocaInst* a : temps) {
      if (a->use_empty()) {
        a->eraseFromParent();
        continue;
      }
      Span sp = spanOf(a, pos);
      if (!sp.bb) continue;
      Type* t = a->getAllocatedType();
      auto& pool = pools[{sizeOf(t), a->getAlign().value()}];
      Shared* home = nullptr;
      for (Shared& sh : pool) {
        bool free = true;
        for (const Span& o : sh.spans)
          if (o.bb == sp.bb && !(sp.last < o.first || o.last < sp.first)) free = false;
        if (free) {
          home = &sh;
          break;
        }
      }
      if (!home) {
        pool.push_back({a, {sp}});
        continue;
      }
      home->spans.push_back(sp);
      a->replaceAllUsesWith(home->slot);
      a->eraseFromParent();
    }
  }

  void lowerBody(Function& f) {
    Body body;
    body.fn = &f;
    cur_ = &body;
    std::vector<Instruction*> insts;
    std::unordered_set<BasicBlock*> seen;
    ReversePostOrderTraversal<Function*> rpo(&f);
    for (BasicBlock* bb : rpo) {
      seen.insert(bb);
      for (Instruction& i : *bb) insts.push_back(&i);
    }
    for (BasicBlock& bb : f)
      if (!seen.count(&bb))
        for (Instruction& i : bb) insts.push_back(&i);
    bool any = false;
    for (Instruction* i : insts) {
      if (isMem(i->getType())) any = true;
      for (Value* op : i->operands())
        if (isMem(op->getType())) any = true;
    }
    if (!any) {
      cur_ = nullptr;
      return;
    }
    Argument* result = resultArgs_.count(&f) ? resultArgs_[&f] : nullptr;

    for (Instruction* i : insts) {
      if (auto* call = dyn_cast<CallInst>(i); call && retypesCall(call)) {
        rewriteCall(call);
      } else if (auto* st = dyn_cast<StoreInst>(i); st && isMem(st->getValueOperand()->getType())) {
        Value* v = st->getValueOperand();
        Type* t = v->getType();
        IRBuilder<> b(st);
        if (isZeroLike(v)) {
          if (!isa<UndefValue>(v)) b.CreateMemSet(st->getPointerOperand(), b.getInt8(0), sizeOf(t), st->getAlign(), st->isVolatile());
        } else {
          b.CreateMemCpy(st->getPointerOperand(), st->getAlign(), home(v, st), alignOf(t), sizeOf(t), st->isVolatile());
        }
        body.dead.push_back(st);
      } else if (auto* ret = dyn_cast<ReturnInst>(i); ret && ret->getReturnValue() && isMem(ret->getReturnValue()->getType())) {
        copyTo(result, ret->getReturnValue(), ret);
        ReturnInst::Create(ctx_, nullptr, ret->getIterator());
        body.dead.push_back(ret);
      } else if (auto* ev = dyn_cast<ExtractValueInst>(i); ev && !isMem(ev->getType()) &&
                                                            isMem(ev->getAggregateOperand()->getType())) {
        Value* addr = fieldAddr(ev);
        auto* ld = new LoadInst(ev->getType(), addr, ev->getName(), ev->getIterator());
        ld->takeName(ev);
        ev->replaceAllUsesWith(ld);
        body.dead.push_back(ev);
      } else if (isMem(i->getType()) || isa<InsertValueInst>(i) || isa<ExtractValueInst>(i) || isa<PHINode>(i) ||
                 isa<SelectInst>(i)) {
        // Defined when something needs the home; aggregate operands of these are read there.
      } else {
        // Any other reader gets the value loaded from its home (LLVM splits that again, but
        // the lowering emits no such readers).
        for (Use& u : i->operands())
          if (isMem(u->getType())) u.set(new LoadInst(u->getType(), home(u.get(), i), "memclass.load", i->getIterator()));
      }
    }
    // Phi copies, at the end of each predecessor (a copy may define more phis).
    for (size_t k = 0; k < body.phis.size(); k++) {
      PHINode* phi = body.phis[k];
      Value* h = body.homes[phi];
      for (unsigned j = 0; j < phi->getNumIncomingValues(); j++)
        copyTo(h, phi->getIncomingValue(j), phi->getIncomingBlock(j)->getTerminator());
    }
    // Every memory-class SSA value is dead now: its readers read its home.
    for (Instruction* i : insts)
      if (isMem(i->getType()) && !body.homes.count(i)) body.dead.push_back(i);
    std::unordered_set<Instruction*> erased;
    for (Instruction* i : body.dead) {
      if (!erased.insert(i).second) continue;
      if (!i->getType()->isVoidTy()) i->replaceAllUsesWith(PoisonValue::get(i->getType()));
    }
    for (Instruction* i : erased) i->eraseFromParent();
    shareSlots(f, body.temps);
    cur_ = nullptr;
  }
};

}  // namespace

void lowerMemoryClassValues(Module& m) { MemClassLowering(m).run(); }

}  // namespace gol
