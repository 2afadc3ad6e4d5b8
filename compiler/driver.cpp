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

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <set>

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

bool isDir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The .gol files of a package directory, sorted (Go's order).
std::vector<std::string> packageFiles(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 4 && n.compare(n.size() - 4, 4, ".gol") == 0) out.push_back(dir + "/" + n);
    }
    ::closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Loads imported library packages from GOLROOT: each is parsed and checked as its own package
// (recursively for its imports) in the shared TypeContext, its objects carrying its path.
struct Importer {
  SourceManager& sm;
  AstContext& ast;
  Diag& diag;
  types::TypeContext& tc;
  std::string root = golRoot();
  std::set<std::string> loading;
  std::deque<CheckedPackage> pkgs;
  std::vector<const types::Type*> ifaces;  // named interfaces of the loaded packages

  // Which interfaces pkg's itab table must cover (CheckedPackage::libIfaces).
  void finish(CheckedPackage& pkg) {
    if (pkgs.empty() && pkg.path == "main") return;
    if (auto* e = tc.universe()->lookup("error")) pkg.libIfaces.push_back(e->type);
    pkg.libIfaces.insert(pkg.libIfaces.end(), ifaces.begin(), ifaces.end());
  }

  void install() {
    tc.importer = [this](const std::string& path) { return load(path); };
  }
  types::Scope* load(const std::string& path) {
    if (loading.count(path)) {
      tc.importError = "import cycle not allowed: " + path;
      return nullptr;
    }
    std::string dir = root + "/" + path;
    std::vector<std::string> names = isDir(dir) ? packageFiles(dir) : std::vector<std::string>{};
    if (names.empty()) return nullptr;
    loading.insert(path);
    std::vector<File*> files;
    for (const std::string& n : names) {
      std::string err;
      int32_t id = sm.load(n, err);
      if (id < 0) {
        tc.importError = "cannot load package " + path + ": " + err;
        loading.erase(path);
        return nullptr;
      }
      files.push_back(parseFile(ast, sm, id, diag));
    }
    pkgs.emplace_back();
    CheckedPackage& pkg = pkgs.back();
    pkg.path = path;
    checkPackage(tc, files, diag, pkg);
    loading.erase(path);
    if (pkg.scope)
      for (auto& [name, obj] : pkg.scope->elems)
        if (auto tn = obj->as<types::TypeName>(); tn && tn->type && tn->type->as<types::Named>()) {
          auto it = tn->type->underlying()->as<types::Interface>();
          if (it && !it->allMethods.empty()) ifaces.push_back(tn->type);
        }
    return pkg.scope;
  }
};

// --package DIR: the import path is DIR relative to GOLROOT, or what follows "stdlib/" in it.
std::string packagePathOf(std::string dir, const std::string& root) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.rfind(root + "/", 0) == 0) return dir.substr(root.size() + 1);
  size_t at = dir.rfind("stdlib/");
  if (at != std::string::npos) return dir.substr(at + 7);
  return dir.substr(dir.rfind('/') + 1);
}

}  // namespace

std::string golRoot() {
  if (const char* r = std::getenv("GOLROOT"); r && *r) return r;
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    std::string exe(buf, size_t(n));
    std::string inst = exe.substr(0, exe.rfind('/')) + "/../share/gol/stdlib";
    if (isDir(inst)) return inst;
  }
#ifdef GOL_SOURCE_STDLIB
  return GOL_SOURCE_STDLIB;
#else
  return "stdlib";
#endif
}

int runCompiler(const DriverOptions& opts) {
  PhaseTimer timer(opts.timePhases);
  // load
  SourceManager sm;
  Diag diag(sm);
  std::vector<int32_t> ids;
  std::vector<std::string> inputs = opts.files;
  std::string libPath;  // --package: the import path
  if (!opts.packageDir.empty()) {
    libPath = packagePathOf(opts.packageDir, golRoot());
    inputs = packageFiles(opts.packageDir);
    if (inputs.empty()) {
      std::fprintf(stderr, "golc: no .gol files in %s\n", opts.packageDir.c_str());
      return 1;
    }
  }
  for (const std::string& path : inputs) {
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
  if (!libPath.empty()) pkg.path = libPath;
  Importer importer{sm, ast, diag, *tc};
  importer.install();
  if (!frontEnd(sm, ids, ast, diag, *tc, pkg, opts.dump) || diag.hasErrors()) return compileErrors(diag);
  importer.finish(pkg);
  timer.mark("frontend");
  if (opts.dump == "ast" || opts.checkOnly) return 0;
  // lower
  std::string err;
  std::unique_ptr<CodeGen> cg = CodeGen::create(opts.optLevel, err);
  if (!cg) return internalError(err);
  llvm::LLVMContext ctx;
  llvm::Module mod(pkg.name, ctx);
  mod.setSourceFileName(inputs.front());
  cg->configureModule(mod);
  timer.mark("target");
  std::vector<std::pair<Pos, std::string>> notes;
  if (!lowerPackage(pkg, mod, diag, opts.escapeNotes ? &notes : nullptr)) return compileErrors(diag);
  for (const auto& [pos, msg] : notes)
    if (pos.valid() && std::find(ids.begin(), ids.end(), pos.file) != ids.end())
      std::fprintf(stderr, "%s: %s\n", sm.format(pos).c_str(), msg.c_str());
  timer.mark("lower");
  // optimise
  if (!cg->optimize(mod, err)) return internalError("invalid IR: " + err);
  timer.mark("optimize");
  std::string out = opts.output.empty() && !opts.emitLLVM ? defaultOutput(inputs.front()) : opts.output;
  if (opts.emitLLVM) return writeIR(mod, out, err) ? 0 : internalError(err);
  if (!libPath.empty()) {  // a library package: its object, no link
    if (out.empty()) out = libPath.substr(libPath.rfind('/') + 1) + ".o";
    if (!cg->emitObject(mod, out, err)) return internalError(err);
    return 0;
  }
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
  cg->setSafepoints(false);  // the lowering's IR, without the late stack-check pass
  auto mod = std::make_unique<llvm::Module>("main", ctx);
  Importer importer{sm, ast, diag, *tc};
  importer.install();
  if (frontEnd(sm, ids, ast, diag, *tc, pkg, "") && !diag.hasErrors()) {
    importer.finish(pkg);
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
