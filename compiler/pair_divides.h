// pair_divides.h: two IR passes that let a loop's independent divisions and square roots
// share the divider, two to one SSE2 instruction (pair_divides.cpp explains why).
#pragma once

namespace llvm {
class PassBuilder;
}  // namespace llvm

namespace gol {

// Registers the unroll hint at VectorizerStartEP (before LLVM's unroller runs) and the
// pairing at OptimizerLastEP. Call it before registerSafepointPass, so the pairing runs
// before the stack checks are inserted (-O2 and -O3).
void registerPairDividesPasses(llvm::PassBuilder& pb);

}  // namespace gol
