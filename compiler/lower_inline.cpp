// lower_inline.cpp: inlining across packages.
//
// Every package is compiled once (golc --package) into libgolstd.a, and its importers only
// declare its functions, so a call such as mu.Lock() stays a call even when the function is
// two statements long; gc inlines it. But golc type-checks imported packages from source, so
// the bodies are at hand: a small, simple function of another package that this module calls
// is lowered here too, as an available_externally definition. LLVM may inline it; if it does
// not, the definition is dropped and the call goes to the package's own copy, which was
// compiled from the same source by the same compiler.
//
// "Small and simple" is a whitelist: at most InlineBudget AST nodes of statements that carry
// no state of their own (if, return, expression, assignment, ++/--, blocks) and expressions
// without function literals, composite literals, conversions to interfaces or other
// allocation. Anything else (defer, loops, closures, select, go, labels) keeps the call.
#include "lower.h"

namespace gol {

namespace {

constexpr int InlineBudget = 40;

bool simpleNode(Node* n, int& budget) {
  if (n == nullptr) return true;
  if (--budget < 0) return false;
  auto all = [&](auto& list) {
    for (auto* c : list)
      if (!simpleNode(c, budget)) return false;
    return true;
  };
  switch (n->kind) {
    case NodeKind::BlockStmt: return all(n->as<BlockStmt>()->list);
    case NodeKind::ReturnStmt: return all(n->as<ReturnStmt>()->results);
    case NodeKind::ExprStmt: return simpleNode(n->as<ExprStmt>()->x, budget);
    case NodeKind::IncDecStmt: return simpleNode(n->as<IncDecStmt>()->x, budget);
    case NodeKind::AssignStmt: {
      auto* a = n->as<AssignStmt>();
      return all(a->lhs) && all(a->rhs);
    }
    case NodeKind::IfStmt: {
      auto* i = n->as<IfStmt>();
      return simpleNode(i->init, budget) && simpleNode(i->cond, budget) && simpleNode(i->body, budget) &&
             simpleNode(i->else_, budget);
    }
    case NodeKind::Ident:
    case NodeKind::BasicLit: return true;
    case NodeKind::ParenExpr: return simpleNode(n->as<ParenExpr>()->x, budget);
    case NodeKind::StarExpr: return simpleNode(n->as<StarExpr>()->x, budget);
    case NodeKind::UnaryExpr: {
      auto* u = n->as<UnaryExpr>();
      return u->op != Tok::Arrow && simpleNode(u->x, budget);  // no channel receive
    }
    case NodeKind::BinaryExpr: {
      auto* b = n->as<BinaryExpr>();
      return simpleNode(b->x, budget) && simpleNode(b->y, budget);
    }
    case NodeKind::SelectorExpr: return simpleNode(n->as<SelectorExpr>()->x, budget);
    case NodeKind::IndexExpr: return simpleNode(n->as<IndexExpr>()->x, budget) && all(n->as<IndexExpr>()->indices);
    case NodeKind::CallExpr: {
      auto* c = n->as<CallExpr>();
      // Conversions and builtins may allocate or need type descriptors: keep it simple.
      if (c->fun->mode == ExprMode::TypeExpr || c->fun->mode == ExprMode::Builtin) return false;
      return simpleNode(c->fun, budget) && all(c->args);
    }
    default: return false;
  }
}

// Functions that gc compiles to one instruction (its intrinsics) are declared without a body in
// stdlib/math and defined here as that LLVM operation: in package math itself (external, the
// one definition) and, available_externally, in every importer, where LLVM inlines them. A
// call would cost a stack check at the call site and the spills around it, in the middle of
// the numeric loops that use them (nbody's math.Sqrt).
enum class MathIntrinsic { None, Sqrt, Bitcast };

MathIntrinsic mathIntrinsic(const types::Func* f) {
  if (f->pkg != "math" || f->decl == nullptr || f->decl->body != nullptr) return MathIntrinsic::None;
  if (f->name == "Sqrt") return MathIntrinsic::Sqrt;  // SSE2's sqrtsd, correctly rounded as std::sqrt
  if (f->name == "Float64bits" || f->name == "Float64frombits" || f->name == "Float32bits" ||
      f->name == "Float32frombits")
    return MathIntrinsic::Bitcast;
  return MathIntrinsic::None;
}

}  // namespace

void Lowerer::noteImportedCallee(types::Func* f) {
  if (f == nullptr || f->pkg == pkg.path || f->lit || !importedSeen.insert(f).second) return;
  if (mathIntrinsic(f) != MathIntrinsic::None) {
    importedInline.push_back(f);
    return;
  }
  BlockStmt* body = funcBody(f);
  int budget = InlineBudget;
  if (body == nullptr || !simpleNode(body, budget)) return;
  importedInline.push_back(f);
}

bool Lowerer::defineMathIntrinsic(types::Func* f) {
  if (mathIntrinsic(f) == MathIntrinsic::None) return false;
  llvm::Function* fn = declareFunc(f);
  llvm::IRBuilder<> ib(llvm::BasicBlock::Create(ctx, "entry", fn));
  llvm::Value* x = fn->getArg(0);
  llvm::Value* r = mathIntrinsic(f) == MathIntrinsic::Sqrt
                       ? ib.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x)
                       : ib.CreateBitCast(x, fn->getReturnType());
  ib.CreateRet(r);
  fn->removeFnAttr("gol-native");  // no call remains to check the stack for
  if (f->pkg != pkg.path) fn->setLinkage(llvm::GlobalValue::AvailableExternallyLinkage);
  return true;
}

void Lowerer::defineImportedInline() {
  // Defining one may find more (a callee's own small callees): the list grows as we go.
  for (size_t i = 0; i < importedInline.size(); i++) {
    types::Func* f = importedInline[i];
    if (defineMathIntrinsic(f)) continue;
    defineFunc(f);
    declareFunc(f)->setLinkage(llvm::GlobalValue::AvailableExternallyLinkage);  // the one just defined
  }
}

}  // namespace gol
