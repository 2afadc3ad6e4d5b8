// escape.h: escape analysis (DESIGN §5 "escape"): which locals, closures, &T{} and new(T)
// objects may stay in the frame that creates them, and which must live on the heap.
//
// A location (a local variable, or an allocation site: func literal, &T{...}, new(T), a slice
// literal's backing array) stays in
// its frame when no pointer derived from its address can outlive the frame's activation of it.
// The analysis is intra-procedural over one outermost function together with all the function
// literals nested in it (they share its variables), plus parameter tags for functions of the
// package being compiled: a call passes a pointer to a parameter "that does not leak" without
// making it escape. Everything the analysis cannot see (other packages, function values,
// interface methods) makes its arguments escape. escape.cpp explains the rules.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ast.h"

namespace gol {

namespace types {
class Func;
class Var;
}  // namespace types

class EscapeAnalysis {
 public:
  explicit EscapeAnalysis(std::string pkgPath) : pkgPath_(std::move(pkgPath)) {}

  // Analyses the outermost function enclosing f (f itself when it is not a closure), once.
  void analyze(const types::Func* f);
  // True only when an analysed function proved that v's address never outlives its frame;
  // false for anything not analysed (the caller then stays conservative).
  bool varOnStack(const types::Var* v) const;
  // The same for an allocation site: a FuncLit, the CompositeLit of &T{...} or of a slice
  // literal (its backing array), or new(T)'s CallExpr.
  bool siteOnStack(const Node* site) const;
  // Per parameter (the receiver first) of a function of this package: may a pointer passed
  // to it outlive the call? Analyses f on demand; unknown or recursive callees leak.
  const std::vector<bool>& paramLeaks(const types::Func* f);

  // golc -m: the decisions, in Go's words ("moved to heap: x", "func literal does not
  // escape", "leaking param: p"), in source order.
  std::vector<std::pair<Pos, std::string>> notes() const;

 private:
  std::string pkgPath_;
  std::unordered_set<const types::Func*> inProgress_;
  std::unordered_map<const types::Func*, std::vector<bool>> tags_;
  std::unordered_set<const types::Var*> stackVars_;
  std::unordered_set<const Node*> stackSites_;
  std::unordered_set<const types::Func*> done_;
  std::vector<std::pair<Pos, std::string>> notes_;
  friend struct EscapeWalker;
};

}  // namespace gol
