// codegen.h: the LLVM back half of the pipeline — the host TargetMachine, the optimisation
// pipeline (-O0..-O3, new pass manager), the verifier, and object emission.
//
// This is the only part of golc that includes PassBuilder and TargetMachine headers (about 20 s
// to compile): everything else sees this opaque class.
#pragma once
#include <memory>
#include <string>

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace gol {

class CodeGen {
 public:
  // The host target (sys::getDefaultTargetTriple(), position-independent code) at optLevel
  // 0..3. Returns null and sets err when the target is unavailable.
  static std::unique_ptr<CodeGen> create(int optLevel, std::string& err);
  ~CodeGen();

  // Sets m's target triple and data layout; call before lowering into m.
  void configureModule(llvm::Module& m) const;
  // Verifies m, runs the optimisation pipeline and verifies again. A verifier failure is an
  // internal compiler error: returns false with the verifier's message in err.
  bool optimize(llvm::Module& m, std::string& err) const;
  bool verify(const llvm::Module& m, std::string& err) const;
  // Whether optimize runs the late stack-check and preemption-poll pass (safepoint.cpp). On by
  // default; GOL_SAFEPOINTS=0 in the environment turns it off (to measure its cost), and the
  // lowering's tests (compileToModule) turn it off to see the lowering's own IR. Programs
  // built without it have no stack growth, overflow detection or preemption of loops.
  void setSafepoints(bool on) { safepoints_ = on; }
  // Writes m as a native object file.
  bool emitObject(llvm::Module& m, const std::string& path, std::string& err) const;

 private:
  CodeGen() = default;
  std::unique_ptr<llvm::TargetMachine> tm_;
  int optLevel_ = 2;
  bool safepoints_ = true;
};

}  // namespace gol
