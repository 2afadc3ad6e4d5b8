// This file turns a lowered module into machine code: it builds the host TargetMachine
// (position-independent, as Debian's toolchain links PIE), runs LLVM's standard pipeline for the
// chosen level (buildO0DefaultPipeline or buildPerModuleDefaultPipeline), checks the module with
// the verifier before and after, and emits an object file with the legacy codegen pass manager
// (LLVM 19's object emission still goes through it).
//
// The stack-check and preemption-poll pass (safepoint.cpp) runs at the end of the optimisation
// pipeline (OptimizerLastEP; appended explicitly at -O0), so it neither multiplies through
// inlining nor blocks the vectoriser.
#include "codegen.h"

#include <cstdlib>

#include "pair_divides.h"
#include "safepoint.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

namespace gol {

using namespace llvm;

static CodeGenOptLevel codeGenLevel(int level) {
  switch (level) {
    case 0: return CodeGenOptLevel::None;
    case 1: return CodeGenOptLevel::Less;
    case 3: return CodeGenOptLevel::Aggressive;
    default: return CodeGenOptLevel::Default;
  }
}

std::unique_ptr<CodeGen> CodeGen::create(int optLevel, std::string& err) {
  // Only the host target: initialising every target would cost start-up time.
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  InitializeNativeTargetAsmParser();  // the stack checks are inline asm (safepoint.cpp)
  std::string triple = sys::getDefaultTargetTriple();
  const Target* target = TargetRegistry::lookupTarget(triple, err);
  if (!target) return nullptr;
  // The architecture's baseline CPU, so binaries run on any machine of the architecture.
  Triple t(triple);
  const char* cpu = t.getArch() == Triple::x86_64 ? "x86-64" : "generic";
  TargetOptions opts;
  std::unique_ptr<CodeGen> cg(new CodeGen());
  cg->optLevel_ = optLevel;
  if (const char* sp = std::getenv("GOL_SAFEPOINTS"); sp != nullptr && std::string(sp) == "0") cg->safepoints_ = false;
  cg->tm_.reset(target->createTargetMachine(triple, cpu, "", opts, Reloc::PIC_, std::nullopt,
                                            codeGenLevel(optLevel)));
  if (!cg->tm_) {
    err = "cannot create a target machine for " + triple;
    return nullptr;
  }
  return cg;
}

CodeGen::~CodeGen() = default;

void CodeGen::configureModule(Module& m) const {
  m.setTargetTriple(tm_->getTargetTriple().str());
  m.setDataLayout(tm_->createDataLayout());
}

bool CodeGen::verify(const Module& m, std::string& err) const {
  raw_string_ostream os(err);
  if (!verifyModule(m, &os)) return true;
  os.flush();
  if (err.empty()) err = "the module does not verify";
  return false;
}

bool CodeGen::optimize(Module& m, std::string& err) const {
  if (!verify(m, err)) return false;
  std::string cpu = tm_->getTargetCPU().str();
  std::string features = tm_->getTargetFeatureString().str();
  for (Function& f : m) {
    if (f.isDeclaration()) continue;
    f.addFnAttr("target-cpu", cpu);
    if (!features.empty()) f.addFnAttr("target-features", features);
  }

  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  // clang's -O2 and -O3 also run the SLP vectoriser (the PassBuilder's default leaves it off):
  // it packs nbody's x/y/z arithmetic two lanes at a time.
  PipelineTuningOptions pto;
  pto.SLPVectorization = optLevel_ >= 2;
  PassBuilder pb(tm_.get(), pto);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  registerPairDividesPasses(pb);  // before the safepoint pass: see pair_divides.h
  if (safepoints_) registerSafepointPass(pb);
  ModulePassManager mpm;
  switch (optLevel_) {
    case 0:
      mpm = pb.buildO0DefaultPipeline(OptimizationLevel::O0);
      if (safepoints_) addSafepointPass(mpm);
      break;
    case 1: mpm = pb.buildPerModuleDefaultPipeline(OptimizationLevel::O1); break;
    case 3: mpm = pb.buildPerModuleDefaultPipeline(OptimizationLevel::O3); break;
    default: mpm = pb.buildPerModuleDefaultPipeline(OptimizationLevel::O2); break;
  }
  mpm.run(m, mam);
  return verify(m, err);
}

bool CodeGen::emitObject(Module& m, const std::string& path, std::string& err) const {
  std::error_code ec;
  raw_fd_ostream out(path, ec, sys::fs::OF_None);
  if (ec) {
    err = "cannot write " + path + ": " + ec.message();
    return false;
  }
  legacy::PassManager pm;
  if (tm_->addPassesToEmitFile(pm, out, nullptr, CodeGenFileType::ObjectFile)) {
    err = "the target cannot emit object files";
    return false;
  }
  pm.run(m);
  out.flush();
  if (out.has_error()) {
    err = "cannot write " + path + ": " + out.error().message();
    out.clear_error();
    return false;
  }
  return true;
}

}  // namespace gol
