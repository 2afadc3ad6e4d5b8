// check.h: the type checker's entry point and what it hands to lowering.
//
// The checker resolves every identifier, computes every expression's mode, type and constant
// value (annotating the AST in place, see ast.h), applies Go's rules and messages, and lists what
// lowering must emit. Lowering trusts a package that checked without errors.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "ast.h"
#include "diag.h"
#include "types.h"

namespace gol {

namespace types {
class TypeContext;  // owns all Types, Objects, Scopes and ConstValues; universe; defined in types.cpp/check*.cpp
}

struct CheckedPackage {
  std::string name;             // "main"; an imported package's name ("utf8")
  std::string path = "main";    // import path ("main", "strings", "unicode/utf8"): symbol prefix
  std::vector<File*> files;
  types::Scope* scope = nullptr;
  // Package-level variables in Go's initialization order (dependency order, then declaration
  // order). lhs has several entries for `var a, b = f()`; rhs is null for zero-value vars.
  struct VarInit {
    std::vector<types::Var*> lhs;
    Expr* rhs = nullptr;
  };
  std::vector<VarInit> initOrder;
  std::vector<types::Var*> globals;     // every package-level variable, declaration order
  std::vector<types::Func*> funcs;      // every function to emit: funcs, methods, closures
  std::vector<types::Func*> initFuncs;  // func init() in source order (link names main.init.0, ...)
  std::vector<std::string> imports;     // import paths used ("runtime")
  // Interface types an imported package may assert to (error, fmt.Stringer, every named
  // interface of every loaded library package): the program's itab table covers them against
  // its own types, so a library's type switch finds the program's methods (lower_iface.cpp).
  std::vector<const types::Type*> libIfaces;
};

// Checks the files of one package. Returns false when errors were reported to diag.
// tc must outlive pkg.
bool checkPackage(types::TypeContext& tc, std::vector<File*> files, Diag& diag, CheckedPackage& pkg);

// Creates a TypeContext (with the universe scope). Defined by the checker.
std::unique_ptr<types::TypeContext> newTypeContext();

}  // namespace gol
