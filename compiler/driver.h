// driver.h: golc's pipeline (DESIGN §2) behind one call, for main.cpp and the tests.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace gol {

struct DriverOptions {
  std::vector<std::string> files;  // the package's .gol files
  int optLevel = 3;                // -O0..-O3; golrun uses the same default (cache.h)
  std::string output;              // -o; "" = first file's basename without .gol; "-" = stdout
  bool emitLLVM = false;           // --emit-llvm: write textual IR instead of linking
  bool checkOnly = false;          // --check: stop after type checking
  std::string dump;                // --dump=tokens|ast: print that phase's result and stop
  bool timePhases = false;         // --time: print each phase's wall time to stderr
  bool escapeNotes = false;        // -m: print escape analysis decisions to stderr (gc's -m)
  std::string packageDir;          // --package DIR: compile the library package in DIR to an object
};

// Runs the whole pipeline: load -> lex/parse -> check -> lower -> optimise -> emit -> link.
// Diagnostics go to stderr. Returns golc's exit status: 0 success, 1 compile error or
// internal compiler error.
int runCompiler(const DriverOptions& opts);

// The standard library's source root: $GOLROOT, else <golc>/../share/gol/stdlib when installed,
// else the source tree's stdlib/ (GOL_SOURCE_STDLIB, baked in at configure time).
std::string golRoot();

// Compiles in-memory sources (name, text) to a verified, optimised module, for tests.
// Returns null and appends the rendered diagnostics (or the internal error) to errors.
std::unique_ptr<llvm::Module> compileToModule(
    llvm::LLVMContext& ctx, const std::vector<std::pair<std::string, std::string>>& sources,
    int optLevel, std::string& errors);

}  // namespace gol
