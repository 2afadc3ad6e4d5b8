// lower_debug.cpp: line tables, so that goroutine dumps print `file.gol:12` for each frame.
//
// Every function lowered from Gol source (defineFunc: the package's functions, its closures
// and the imported functions defined here for inlining) gets a DISubprogram, and each
// statement and call sets the builder's location to its position. The module is emitted with
// line tables only (no types, no variables: DICompileUnit::LineTablesOnly), in DWARF 4,
// whose .debug_line the runtime reads when it prints a dump (runtime/pcln.cpp). Code without a
// source position (wrappers, equality functions, thunks, main.init's glue) has no subprogram
// and no locations; sanitizeDebugLocs makes sure no location crosses into such code.
#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include "lower.h"

namespace gol {

using namespace llvm;

void Lowerer::initDebugInfo() {
  dib = std::make_unique<DIBuilder>(mod);
  mod.addModuleFlag(Module::Warning, "Debug Info Version", DEBUG_METADATA_VERSION);
  mod.addModuleFlag(Module::Warning, "Dwarf Version", 4);  // runtime/pcln.cpp reads version 4
  DIFile* file = dib->createFile(pkg.path, ".");
  dicu = dib->createCompileUnit(dwarf::DW_LANG_Go, file, "golc", /*isOptimized=*/true, "", 0, "",
                                DICompileUnit::LineTablesOnly);
}

DIFile* Lowerer::debugFile(int32_t index) {
  auto [it, fresh] = difiles.try_emplace(index, nullptr);
  if (!fresh) return it->second;
  const SourceFile& sf = diag.sources().file(index);
  // Absolute names, as Go prints them: the dump must say which file wherever it runs.
  SmallString<256> abs(sf.name);
  sys::fs::make_absolute(abs);
  sys::path::remove_dots(abs, /*remove_dot_dot=*/true);
  it->second = dib->createFile(sys::path::filename(abs), sys::path::parent_path(abs));
  return it->second;
}

void Lowerer::attachSubprogram(types::Func* f, Function* fn) {
  Pos p = f->decl != nullptr ? f->decl->pos : f->lit != nullptr ? f->lit->pos : f->pos;
  if (!dib || !p.valid()) return;
  DIFile* file = debugFile(p.file);
  auto* sty = dib->createSubroutineType(dib->getOrCreateTypeArray({}));
  DISubprogram* sp = dib->createFunction(file, fn->getName(), fn->getName(), file, p.line, sty, p.line,
                                         DINode::FlagZero,
                                         DISubprogram::SPFlagDefinition | DISubprogram::SPFlagOptimized);
  fn->setSubprogram(sp);
}

void Lowerer::setDebugPos(Pos p) {
  DISubprogram* sp = fs.fn != nullptr ? fs.fn->getSubprogram() : nullptr;
  if (sp == nullptr || !p.valid()) return;
  b.SetCurrentDebugLocation(DILocation::get(ctx, p.line, p.col, sp));
}

// The builder's location outlives the function it was set for (wrappers are built between
// functions, NestedFunc bodies inside one), so before the optimiser sees the module:
// instructions of functions without a subprogram lose their locations; a location from
// another function's subprogram is dropped; and calls the inliner may inline get the
// function's line 0 if they have none (LLVM's verifier requires a location on them).
void Lowerer::sanitizeDebugLocs() {
  if (!dib) return;
  for (Function& fn : mod) {
    DISubprogram* sp = fn.getSubprogram();
    for (BasicBlock& bb : fn)
      for (Instruction& inst : bb) {
        DILocation* loc = inst.getDebugLoc().get();
        if (sp == nullptr) {
          if (loc) inst.setDebugLoc(DebugLoc());
          continue;
        }
        if (loc && loc->getScope()->getSubprogram() != sp) inst.setDebugLoc(DebugLoc()), loc = nullptr;
        if (!loc && isa<CallBase>(inst)) inst.setDebugLoc(DILocation::get(ctx, 0, 0, sp));
      }
  }
  dib->finalize();
}

}  // namespace gol
