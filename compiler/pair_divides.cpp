// pair_divides.cpp: independent divisions and square roots in a loop share the divider.
//
// Why: x86-64's divider is the slowest unit a float loop uses and is not pipelined like the
// adder: on the machine Gol is measured on (AMD Zen 4), a divsd can start only every 5
// cycles and a sqrtsd every 8. The packed SSE2 forms (divpd, sqrtpd) do two lanes in the same
// slot. A loop such as spectral's `s += 1/float64(d(i, j)) * x` is bound by that slot
// (5 cycles per element) while its only carried dependence, the add, needs 3. LLVM's loop
// vectoriser cannot help: Go forbids reassociating the sum, and widening the integer index
// arithmetic costs more on SSE2 than it saves. Its SLP vectoriser looks for stores and
// reductions to start from, so it does not see two divisions that feed an ordered sum.
//
// So two small passes do it, both within Go's semantics (each result is the same IEEE
// operation on the same operands; only the instruction that computes it changes):
//   - DivideUnrollHintPass (VectorizerStartEP) asks LLVM's unroller to unroll by two an
//     innermost loop that divides on every iteration, when the division is not part of a
//     value carried around the loop (then iteration k+1's division cannot start before
//     iteration k's ends, and there is nothing to pair);
//   - PairDividesPass (OptimizerLastEP, after the unroller) takes two independent divisions
//     of one kind in a loop block, hoists what the second needs above the first, and
//     replaces both by one two-lane operation and two extracts. A load rises only past
//     instructions that alias analysis proves do not write it: when iteration k+1 reads what
//     iteration k stored, the two divisions stay apart.
//
// Both run at -O2 and -O3 only. spectral 2000 went from 0.20 to 0.14 s (Go: 0.20 s). nbody's
// step loop is not paired: after unrolling, LLVM's InstCombine drops `inbounds` from the
// second copy's element address, and without it alias analysis cannot tell bs[j+1].x from
// the bs[i].vx stored just before.
#include "pair_divides.h"

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/Analysis/AliasAnalysis.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/MemoryLocation.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Metadata.h>
#include <llvm/Passes/PassBuilder.h>

#include <vector>

using namespace llvm;

namespace gol {
namespace {

// Loops with more instructions than this are not unrolled for pairing: their division is a
// smaller share of the iteration, and unrolling them costs code size for little.
constexpr unsigned kMaxUnrolledBody = 80;
// Bounds on the pairing's search, so that a block of thousands of divisions (generated code)
// compiles in linear time: a division is paired only with one of the next kPairWindow
// divisions of its block, at most kMaxDistance instructions after it, and only if at most
// kMaxHoisted instructions have to move. Unrolled copies sit well within these.
constexpr size_t kPairWindow = 8;
constexpr unsigned kMaxDistance = 200;
constexpr size_t kMaxHoisted = 64;

// A float64 division or square root: the operations that occupy the divider. (float32 is
// left alone: a two-lane float op is widened to four lanes whose other two hold garbage, and
// subnormal garbage can make the divider slower, not faster.)
bool isDivide(const Instruction& i) {
  if (!i.getType()->isDoubleTy()) return false;
  if (i.getOpcode() == Instruction::FDiv) return true;
  auto* ii = dyn_cast<IntrinsicInst>(&i);
  return ii != nullptr && ii->getIntrinsicID() == Intrinsic::sqrt;
}

bool sameKind(const Instruction& a, const Instruction& b) {
  return a.getOpcode() == b.getOpcode();  // FDiv, or Call for sqrt
}

// Whether `d` depends on its own value from an earlier iteration of `l`: its operands reach
// `d` again through the loop's phis.
bool onRecurrence(Instruction* d, const Loop& l) {
  SmallPtrSet<Instruction*, 32> seen;
  std::vector<Instruction*> work;
  auto push = [&](Value* v) {
    auto* i = dyn_cast<Instruction>(v);
    if (i != nullptr && l.contains(i) && seen.insert(i).second) work.push_back(i);
  };
  for (Value* op : d->operands()) push(op);
  while (!work.empty()) {
    Instruction* i = work.back();
    work.pop_back();
    if (i == d) return true;
    for (Value* op : i->operands()) push(op);
  }
  return false;
}

bool hasUnrollMetadata(const Loop& l) {
  MDNode* id = l.getLoopID();
  if (id == nullptr) return false;
  for (unsigned k = 1; k < id->getNumOperands(); ++k) {
    auto* md = dyn_cast<MDNode>(id->getOperand(k));
    if (md == nullptr || md->getNumOperands() == 0) continue;
    auto* name = dyn_cast<MDString>(md->getOperand(0));
    if (name != nullptr && name->getString().starts_with("llvm.loop.unroll")) return true;
  }
  return false;
}

// An innermost, small loop without calls that divides on every iteration, independently of
// the previous iteration's division.
bool wantsPairing(const Loop& l, const DominatorTree& dt) {
  if (!l.isInnermost() || hasUnrollMetadata(l) || l.getLoopLatch() == nullptr) return false;
  unsigned size = 0;
  bool divides = false;
  for (BasicBlock* bb : l.blocks()) {
    for (Instruction& i : *bb) {
      if (++size > kMaxUnrolledBody) return false;
      if (isa<CallBase>(i) && !isa<IntrinsicInst>(i)) return false;
      if (!divides && isDivide(i) && dt.dominates(bb, l.getLoopLatch()) && !onRecurrence(&i, l)) divides = true;
    }
  }
  return divides;
}

void setUnrollCount(Loop& l, unsigned count) {
  LLVMContext& c = l.getHeader()->getContext();
  SmallVector<Metadata*, 4> ops{nullptr};  // operand 0 is the loop ID itself
  if (MDNode* old = l.getLoopID()) {
    for (unsigned k = 1; k < old->getNumOperands(); ++k) ops.push_back(old->getOperand(k));
  }
  ops.push_back(MDNode::get(c, {MDString::get(c, "llvm.loop.unroll.count"),
                                ConstantAsMetadata::get(ConstantInt::get(Type::getInt32Ty(c), count))}));
  MDNode* id = MDNode::getDistinct(c, ops);
  id->replaceOperandWith(0, id);
  l.setLoopID(id);
}

// Whether `load` can move up to just before `to` (same block, earlier): nothing between them
// may write what it reads or leave the block early (a load that faults must not run before
// a call that would not have returned).
bool loadCanRise(LoadInst* load, Instruction* to, AAResults& aa) {
  if (!load->isSimple()) return false;
  MemoryLocation where = MemoryLocation::get(load);
  for (Instruction* i = to; i != load; i = i->getNextNode()) {
    if (!isGuaranteedToTransferExecutionToSuccessor(i)) return false;
    if (i->mayWriteToMemory() && isModSet(aa.getModRefInfo(i, where))) return false;
  }
  return true;
}

// The instructions strictly between `a` and `b` that `b` needs, in block order, if all of
// them can move above `a` and none depends on `a`; otherwise nullopt.
std::optional<std::vector<Instruction*>> hoistable(Instruction* a, Instruction* b, AAResults& aa) {
  SmallPtrSet<Instruction*, 16> need;
  std::vector<Instruction*> work{b};
  while (!work.empty()) {
    Instruction* i = work.back();
    work.pop_back();
    for (Value* op : i->operands()) {
      auto* d = dyn_cast<Instruction>(op);
      if (d == nullptr || d->getParent() != a->getParent() || d->comesBefore(a)) continue;
      if (d == a) return std::nullopt;  // b uses a's result
      if (!need.insert(d).second) continue;
      if (need.size() > kMaxHoisted) return std::nullopt;
      if (isa<PHINode>(d) || d->mayHaveSideEffects()) return std::nullopt;
      if (d->mayReadFromMemory()) {
        auto* load = dyn_cast<LoadInst>(d);
        if (load == nullptr || !loadCanRise(load, a, aa)) return std::nullopt;
      } else if (!isSafeToSpeculativelyExecute(d)) {
        return std::nullopt;  // e.g. an integer division that may trap
      }
      work.push_back(d);
    }
  }
  std::vector<Instruction*> order;
  for (Instruction* i = a->getNextNode(); i != b; i = i->getNextNode()) {
    if (need.contains(i)) order.push_back(i);
  }
  return order;
}

// Replaces `a` and `b` (same kind, `a` first, independent) by one two-lane operation at `a`.
void fuse(Instruction* a, Instruction* b) {
  IRBuilder<> ir(a);
  auto* vty = FixedVectorType::get(a->getType(), 2);
  auto lanes = [&](unsigned k) {
    Value* v = ir.CreateInsertElement(PoisonValue::get(vty), a->getOperand(k), uint64_t{0});
    return ir.CreateInsertElement(v, b->getOperand(k), uint64_t{1});
  };
  Value* both;
  if (a->getOpcode() == Instruction::FDiv) {
    both = ir.CreateFDiv(lanes(0), lanes(1), a->getName() + ".pair");
  } else {
    both = ir.CreateUnaryIntrinsic(Intrinsic::sqrt, lanes(0), nullptr, a->getName() + ".pair");
  }
  if (auto* bi = dyn_cast<Instruction>(both)) bi->setDebugLoc(a->getDebugLoc());
  Value* ra = ir.CreateExtractElement(both, uint64_t{0});
  Value* rb = ir.CreateExtractElement(both, uint64_t{1});
  a->replaceAllUsesWith(ra);
  b->replaceAllUsesWith(rb);
  a->eraseFromParent();
  b->eraseFromParent();
}

// Whether `b` comes at most `n` instructions after `a` (same block, `a` first).
bool within(Instruction* a, Instruction* b, unsigned n) {
  for (Instruction* i = a; i != nullptr && n > 0; i = i->getNextNode(), --n) {
    if (i == b) return true;
  }
  return false;
}

bool pairInBlock(BasicBlock& bb, AAResults& aa) {
  std::vector<Instruction*> divs;
  for (Instruction& i : bb) {
    if (isDivide(i)) divs.push_back(&i);
  }
  std::vector<bool> done(divs.size(), false);
  bool changed = false;
  for (size_t x = 0; x < divs.size(); ++x) {
    if (done[x]) continue;
    for (size_t y = x + 1; y < divs.size() && y <= x + kPairWindow; ++y) {
      if (done[y] || !sameKind(*divs[x], *divs[y])) continue;
      Instruction* a = divs[x];
      Instruction* b = divs[y];
      if (b->comesBefore(a)) std::swap(a, b);  // an earlier pairing may have hoisted one
      if (!within(a, b, kMaxDistance)) continue;
      auto moves = hoistable(a, b, aa);
      if (!moves) continue;
      for (Instruction* i : *moves) i->moveBefore(a);
      fuse(a, b);
      done[x] = done[y] = true;
      changed = true;
      break;
    }
  }
  return changed;
}

// Only loop metadata or instructions within blocks change: the CFG analyses stay valid.
PreservedAnalyses keptCFG(bool changed) {
  if (!changed) return PreservedAnalyses::all();
  PreservedAnalyses pa;
  pa.preserveSet<CFGAnalyses>();
  return pa;
}

// VectorizerStartEP: marks the loops the unroller should unroll by two for pairing.
struct DivideUnrollHintPass : PassInfoMixin<DivideUnrollHintPass> {
  PreservedAnalyses run(Function& f, FunctionAnalysisManager& fam) {
    LoopInfo& li = fam.getResult<LoopAnalysis>(f);
    DominatorTree& dt = fam.getResult<DominatorTreeAnalysis>(f);
    bool changed = false;
    for (Loop* l : li.getLoopsInPreorder()) {
      if (wantsPairing(*l, dt)) {
        setUnrollCount(*l, 2);
        changed = true;
      }
    }
    return keptCFG(changed);
  }
};

// OptimizerLastEP: fuses independent divisions, two by two, in every loop block.
struct PairDividesPass : PassInfoMixin<PairDividesPass> {
  PreservedAnalyses run(Function& f, FunctionAnalysisManager& fam) {
    LoopInfo& li = fam.getResult<LoopAnalysis>(f);
    AAResults& aa = fam.getResult<AAManager>(f);
    bool changed = false;
    for (BasicBlock& bb : f) {
      if (li.getLoopFor(&bb) != nullptr) changed |= pairInBlock(bb, aa);
    }
    return keptCFG(changed);
  }
};

}  // namespace

void registerPairDividesPasses(PassBuilder& pb) {
  pb.registerVectorizerStartEPCallback([](FunctionPassManager& fpm, OptimizationLevel level) {
    if (level.getSpeedupLevel() >= 2) fpm.addPass(DivideUnrollHintPass());
  });
  pb.registerOptimizerLastEPCallback([](ModulePassManager& mpm, OptimizationLevel level) {
    if (level.getSpeedupLevel() >= 2) mpm.addPass(createModuleToFunctionPassAdaptor(PairDividesPass()));
  });
}

}  // namespace gol
