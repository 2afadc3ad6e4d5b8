// pair_divides.h: two IR passes that let a loop's independent divisions and square roots
// share the divider, two to one SSE2 instruction (pair_divides.cpp explains why).
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class PassBuilder;
}  // namespace llvm

namespace gol {

// Registers the unroll hint at VectorizerStartEP (before LLVM's unroller runs) and the
// pairing at OptimizerLastEP. Call it before registerSafepointPass, so the pairing runs
// before the stack checks are inserted (-O2 and -O3).
void registerPairDividesPasses(llvm::PassBuilder& pb);

// The pairing alone, on one function: exposed for the compiler's unit tests.
struct PairDividesPass : llvm::PassInfoMixin<PairDividesPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& fam);
};

// The unroll hint alone, on one function: exposed for the compiler's unit tests.
struct DivideUnrollHintPass : llvm::PassInfoMixin<DivideUnrollHintPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& fam);
};

}  // namespace gol
