// fuzz_frontend.cpp: a libFuzzer target for the compiler's front end. Each input is one source
// file; it is lexed, parsed and (when the checker is built in, GOL_FUZZ_CHECK) type-checked,
// and the diagnostics are rendered. The properties under test are DESIGN §2's: no input
// crashes, hangs or trips a sanitizer. Build and run with tests/fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ast.h"
#include "diag.h"
#include "lexer.h"
#include "parser.h"
#if GOL_FUZZ_CHECK
#include "check.h"
#if __has_include("typecontext.h")
#include "typecontext.h"  // TypeContext's definition, for the unique_ptr's destructor
#endif
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gol;
  SourceManager sm;
  int32_t file = sm.add("fuzz.gol", std::string(reinterpret_cast<const char*>(data), size));

  Diag lexDiag(sm);
  tokenize(sm, file, lexDiag);

  Diag diag(sm);
  AstContext ctx;
  File* f = parseFile(ctx, sm, file, diag);
  (void)dumpAst(f);
#if GOL_FUZZ_CHECK
  if (!diag.hasErrors()) {
    auto tc = newTypeContext();
    CheckedPackage pkg;
    checkPackage(*tc, {f}, diag, pkg);
  }
#endif
  for (const Diagnostic& d : diag.sorted()) (void)diag.render(d);
  return 0;
}
