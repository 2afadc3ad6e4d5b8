// This file is golc's pipeline, in the order of DESIGN §2 (and QBE's main.c: the whole
// compiler in one short function):
//
//   load sources -> lex/parse -> check -> lower -> optimise -> emit object -> link
//
// with debug stops after a phase (--dump=tokens|ast, --check, --emit-llvm). Each phase lives
// in its own file; this one only sequences them and reports failures: compile errors through
// Diag (file:line:col, source line, caret; exit 1) and anything else as an
// "internal compiler error" (exit 1), never an abort.
#include "driver.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include "check.h"
#include "codegen.h"
#include "lexer.h"
#include "link.h"
#include "lower.h"
#include "parser.h"
#if __has_include("typecontext.h")
#include "typecontext.h"  // TypeContext must be complete where unique_ptr destroys it
#endif

namespace gol {

namespace {

int internalError(const std::string& msg) {
  std::fprintf(stderr, "internal compiler error: %s (please report)\n", msg.c_str());
  return 1;
}

int compileErrors(const Diag& diag) {
  diag.print(stderr);
  return 1;
}

// Wall time per phase for --time.
class PhaseTimer {
 public:
  explicit PhaseTimer(bool on) : on_(on), last_(std::chrono::steady_clock::now()) {}
  void mark(const char* phase) {
    auto now = std::chrono::steady_clock::now();
    if (on_)
      std::fprintf(stderr, "golc: %-8s %7.2f ms\n", phase,
                   std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point last_;
};

void dumpTokens(const SourceManager& sm, int32_t file, Diag& diag) {
  for (const Token& t : tokenize(sm, file, diag)) {
    std::string text = t.text == "\n" ? "\\n" : t.text;
    std::printf("%s\t%s\t%s\n", sm.format(t.pos).c_str(), std::string(tokString(t.kind)).c_str(),
                text.c_str());
  }
}

std::string defaultOutput(const std::string& firstFile) {
  std::string base = firstFile.substr(firstFile.rfind('/') + 1);
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".gol") == 0) base.resize(base.size() - 4);
  if (base.empty() || base == firstFile) base += ".out";
  return base;
}

bool writeIR(const llvm::Module& m, const std::string& out, std::string& err) {
  if (out.empty() || out == "-") {
    m.print(llvm::outs(), nullptr);
    llvm::outs().flush();
    return true;
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(out, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    err = "cannot write " + out + ": " + ec.message();
    return false;
  }
  m.print(os, nullptr);
  return true;
}

// Parses and checks the loaded files. Returns false after errors went to diag.
bool frontEnd(SourceManager& sm, const std::vector<int32_t>& ids, AstContext& ast, Diag& diag,
              types::TypeContext& tc, CheckedPackage& pkg, const std::string& dump) {
  std::vector<File*> files;
  for (int32_t id : ids) files.push_back(parseFile(ast, sm, id, diag));
  if (diag.hasErrors()) return false;
  if (dump == "ast") {
    for (File* f : files) std::printf("%s", dumpAst(f).c_str());
    return true;
  }
  return checkPackage(tc, files, diag, pkg);
}

}  // namespace

int runCompiler(const DriverOptions& opts) {
  PhaseTimer timer(opts.timePhases);
  // load
  SourceManager sm;
  Diag diag(sm);
  std::vector<int32_t> ids;
  for (const std::string& path : opts.files) {
    std::string err;
    int32_t id = sm.load(path, err);
    if (id < 0) {
      std::fprintf(stderr, "golc: %s\n", err.c_str());
      return 1;
    }
    ids.push_back(id);
  }
  if (opts.dump == "tokens") {
    for (int32_t id : ids) dumpTokens(sm, id, diag);
    return diag.hasErrors() ? compileErrors(diag) : 0;
  }
  // lex/parse, check
  AstContext ast;
  std::unique_ptr<types::TypeContext> tc = newTypeContext();
  CheckedPackage pkg;
  if (!frontEnd(sm, ids, ast, diag, *tc, pkg, opts.dump)) return compileErrors(diag);
  timer.mark("frontend");
  if (opts.dump == "ast" || opts.checkOnly) return 0;
  // lower
  std::string err;
  std::unique_ptr<CodeGen> cg = CodeGen::create(opts.optLevel, err);
  if (!cg) return internalError(err);
  llvm::LLVMContext ctx;
  llvm::Module mod(pkg.name, ctx);
  mod.setSourceFileName(opts.files.front());
  cg->configureModule(mod);
  timer.mark("target");
  if (!lowerPackage(pkg, mod, diag)) return compileErrors(diag);
  timer.mark("lower");
  // optimise
  if (!cg->optimize(mod, err)) return internalError("invalid IR: " + err);
  timer.mark("optimize");
  std::string out = opts.output.empty() && !opts.emitLLVM ? defaultOutput(opts.files.front()) : opts.output;
  if (opts.emitLLVM) return writeIR(mod, out, err) ? 0 : internalError(err);
  // emit, link
  std::string obj = (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + std::string("/golc-XXXXXX.o");
  int fd = ::mkstemps(obj.data(), 2);
  if (fd < 0) return internalError("cannot create a temporary object file");
  ::close(fd);
  bool ok = cg->emitObject(mod, obj, err);
  timer.mark("emit");
  if (ok) ok = linkExecutable(obj, out, err);
  ::unlink(obj.c_str());
  timer.mark("link");
  if (!ok) {
    std::fprintf(stderr, "golc: %s\n", err.c_str());
    return 1;
  }
  return 0;
}

std::unique_ptr<llvm::Module> compileToModule(
    llvm::LLVMContext& ctx, const std::vector<std::pair<std::string, std::string>>& sources,
    int optLevel, std::string& errors) {
  SourceManager sm;
  Diag diag(sm);
  std::vector<int32_t> ids;
  for (const auto& [name, text] : sources) ids.push_back(sm.add(name, text));
  AstContext ast;
  std::unique_ptr<types::TypeContext> tc = newTypeContext();
  CheckedPackage pkg;
  std::string err;
  std::unique_ptr<CodeGen> cg = CodeGen::create(optLevel, err);
  if (!cg) {
    errors += err;
    return nullptr;
  }
  auto mod = std::make_unique<llvm::Module>("main", ctx);
  if (frontEnd(sm, ids, ast, diag, *tc, pkg, "")) {
    cg->configureModule(*mod);
    if (lowerPackage(pkg, *mod, diag)) {
      if (cg->optimize(*mod, err)) return mod;
      errors += "internal compiler error: invalid IR: " + err;
      return nullptr;
    }
  }
  for (const Diagnostic& d : diag.sorted()) errors += diag.render(d);
  return nullptr;
}

}  // namespace gol
