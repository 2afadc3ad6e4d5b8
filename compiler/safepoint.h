// safepoint.h: the late IR pass that inserts goroutine stack checks and preemption polls
// (DESIGN §4; safepoint.cpp explains what it emits).
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class PassBuilder;
}  // namespace llvm

namespace gol {

// Registers the pass at OptimizerLastEP: after inlining and vectorisation, so checks are
// not duplicated by inlining and polls do not stop the vectoriser (-O1..-O3).
void registerSafepointPass(llvm::PassBuilder& pb);
// Appends the pass to a pipeline explicitly (the -O0 pipeline). Running it twice on a module
// is harmless: instrumented functions are marked and skipped.
void addSafepointPass(llvm::ModulePassManager& mpm);

}  // namespace gol
