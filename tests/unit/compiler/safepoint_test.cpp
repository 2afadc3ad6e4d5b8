// The loop polls of the late safepoint pass (compiler/safepoint.cpp): which loops of an
// optimised program get a `gol_morestack_poll` at their latch.
#include <doctest/doctest.h>

#include <string>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>

#include "driver.h"
#include "safepoint.h"

namespace {

// main.main of src at -O2, after the safepoint pass: the number of poll calls in it.
int pollsInMain(const std::string& src) {
  llvm::LLVMContext ctx;
  std::string errors;
  auto mod = gol::compileToModule(ctx, {{"test.gol", src}}, 2, errors);
  INFO("errors: " << errors);
  REQUIRE(mod);
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb;
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm;
  gol::addSafepointPass(mpm);
  mpm.run(*mod, mam);
  llvm::Function* f = mod->getFunction("main.main");
  REQUIRE(f);
  std::string text;
  llvm::raw_string_ostream os(text);
  f->print(os);
  int n = 0;
  for (size_t at = text.find("call void @gol_morestack_poll()"); at != std::string::npos;
       at = text.find("call void @gol_morestack_poll()", at + 1))
    n++;
  return n;
}

}  // namespace

TEST_CASE("safepoint: an inner loop whose two induction variables converge by one needs no poll") {
  // fannkuch's flip loop: the outer loop's trip count is unknown (one poll); the inner one
  // ends within first/2 iterations, like a counted loop.
  CHECK(pollsInMain("package main\nimport \"os\"\nfunc main() {\n\ts := make([]int, len(os.Args)+8)\n"
                    "\tfirst := len(os.Args)\n\tfor first != 0 {\n"
                    "\t\tfor i, j := 0, first; i < j; i, j = i+1, j-1 {\n\t\t\ts[i], s[j] = s[j], s[i]\n\t\t}\n"
                    "\t\tfirst = s[0]\n\t}\n\tprintln(s[0])\n}\n") == 1);
}

TEST_CASE("safepoint: an inner loop that SCEV cannot bound keeps its poll") {
  // i rises by 2: i + 2 may wrap past j, so the converging rule does not apply.
  CHECK(pollsInMain("package main\nimport \"os\"\nfunc main() {\n\ts := make([]int, len(os.Args)+8)\n"
                    "\tfirst := len(os.Args)\n\tfor first != 0 {\n"
                    "\t\tfor i, j := 0, first; i < j; i, j = i+2, j-1 {\n\t\t\ts[i&7] += j\n\t\t}\n"
                    "\t\tfirst = s[0]\n\t}\n\tprintln(s[0])\n}\n") == 2);
}
