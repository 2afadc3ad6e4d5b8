// check_internal.h: the Checker shared by check*.cpp (not part of the compiler's public API).
//
// The checker follows go/types closely, so its structure and messages can be compared with
// Go's: package-level objects are collected first (check_decl.cpp), then type-checked lazily in
// dependency order (objDecl, with cycle detection by colouring), then function bodies
// (check_stmt.cpp), then the initialization order of package variables. Expressions are
// checked into an Operand (check_expr.cpp); every checked expression is recorded in the AST.
//
// Untyped values: an expression whose type is untyped (a constant, a comparison, or the
// untyped left operand of a non-constant shift) is remembered in `untyped_` until the context
// gives it a type (convertUntyped -> updateExprType, which also retypes its untyped operands).
// Whatever is still untyped at the end gets its default type (finishUntyped), so lowering
// never sees an untyped type.
#pragma once
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "check.h"
#include "typecontext.h"

namespace gol {
namespace types {

struct Operand {
  ExprMode mode = ExprMode::Invalid;
  Expr* expr = nullptr;
  const Type* type = nullptr;
  const ConstVal* val = nullptr;  // mode == Constant
  BuiltinId builtin = BuiltinId::Len;  // mode == Builtin
  bool isNil() const {
    auto b = type ? type->as<Basic>() : nullptr;
    return mode == ExprMode::Value && b && b->bkind == BasicKind::UntypedNil;
  }
};

// The declaration of a package-level object.
struct DeclInfo {
  Scope* fileScope = nullptr;
  std::vector<Var*> lhs;  // var a, b = f(): every variable sharing the initializer
  Expr* typeExpr = nullptr;
  Expr* init = nullptr;
  int iota = 0;
  bool inherited = false;  // a const spec repeating an earlier spec's expressions
  TypeSpec* tspec = nullptr;
  FuncDecl* fdecl = nullptr;
  std::vector<Object*> deps;  // package-level vars, consts and funcs referred to, first-use order
  std::unordered_set<Object*> depSet;
  void addDep(Object* o) {
    if (depSet.insert(o).second) deps.push_back(o);
  }
};

struct UntypedInfo {
  bool isLhs = false;  // the untyped left operand of a non-constant shift
  ExprMode mode;
  const Type* type;
  const ConstVal* val;
};

// The result of looking a name up in a type's fields and method set (lookupFieldOrMethod).
struct LookupResult {
  Object* obj = nullptr;   // the field (Var) or method (Func); null when not found or ambiguous
  std::vector<int> index;  // embedded-field path, then the field's or method's index
  bool indirect = false;   // a pointer was dereferenced on the path
  bool ambiguous = false;  // several fields or methods at the shallowest depth
  bool needsPtr = false;   // obj is a pointer method but the receiver is neither a pointer nor addressable
  bool reachedPtr = false;  // the value reached at the end of the embedded path is a pointer
};

// What rawExpr found, for expression statements.
enum class ExprKind { Conversion, Expression, Statement };

// Statement context bits (go/types' stmtContext).
enum : unsigned {
  kBreakOk = 1,
  kContinueOk = 2,
  kFallthroughOk = 4,
  kFinalSwitchCase = 8,
  kInTypeSwitch = 16,
};

// A statement break/continue may target.
struct BranchTarget {
  Stmt* stmt;
  std::string label;  // "" when unlabeled
  bool isLoop;
};

class Checker {
 public:
  Checker(TypeContext& tc, Diag& diag, CheckedPackage& pkg) : tc_(tc), diag_(diag), pkg_(pkg) {}
  bool run(std::vector<File*> files);

  // --- check.cpp: errors and formatting
  void error(Pos pos, const std::string& msg);
  void unsupported(Pos pos, const std::string& what);  // "<what> not supported in Gol yet"
  std::string exprString(const Expr* e) const;
  std::string operandString(const Operand& x) const;
  std::string typeStr(const Type* t) const { return typeStringUnqualified(t); }
  static Expr* unparen(Expr* e);

  // --- check_decl.cpp: package-level and local declarations, types
  void collectObjects(const std::vector<File*>& files);
  void packageObjects();
  void objDecl(Object* obj);
  void constDecl(Const* obj, DeclInfo* d);
  void varDecl(Var* obj, DeclInfo* d);
  void typeDecl(TypeName* obj, DeclInfo* d);
  void funcDecl(Func* obj, DeclInfo* d);
  void funcBody(Func* f, DeclInfo* d, BlockStmt* body);
  void computeInitOrder();
  void reportUnusedImports();
  void declareIn(Scope* s, Ident* id, Object* obj);
  void localDecl(DeclStmt* s);
  void localVarSpec(ValueSpec* spec);
  void initConst(Const* obj, Operand& x);
  void initVar(Var* v, Operand& x, const std::string& context);
  void initVars(const std::vector<Var*>& lhs, const std::vector<Expr*>& rhs, ReturnStmt* ret);
  void arity(Pos pos, const std::vector<Ident*>& names, const std::vector<Expr*>& inits, bool constDecl,
             bool inherited);
  const Type* typExpr(Expr* e);  // a type expression; the invalid type after an error
  const Type* typExprInternal(Expr* e);
  const Signature* funcType(FuncType* ft, Scope* scope, bool declare);
  const Type* arrayLength(Expr* len, int64_t& n);

  // --- check_expr.cpp
  ExprKind rawExpr(Operand& x, Expr* e, const Type* hint);
  ExprKind exprInternal(Operand& x, Expr* e, const Type* hint);
  void expr(Operand& x, Expr* e);             // a single value
  void exprWithHint(Operand& x, Expr* e, const Type* hint);
  void exprOrType(Operand& x, Expr* e);       // a single value or a type
  void multiExpr(std::vector<Operand>& list, Expr* e, bool allowCommaOk, bool& commaOk);
  void exprList(std::vector<Operand>& list, const std::vector<Expr*>& es);  // f(g()) unpacking
  void singleValue(Operand& x);
  void record(Operand& x);
  void ident(Operand& x, Ident* id, bool wantType);
  void basicLit(Operand& x, BasicLit* e);
  void selector(Operand& x, SelectorExpr* e);
  void unary(Operand& x, UnaryExpr* e);
  void binary(Operand& x, Expr* e, Expr* lhs, Expr* rhs, Tok op, Pos opPos);
  void shift(Operand& x, Operand& y, Expr* e, Tok op);
  void comparison(Operand& x, Operand& y, Tok op, bool switchCase);
  void matchTypes(Operand& x, Operand& y);
  bool opDefined(Tok op, Operand& x, bool unaryOp);
  void overflow(Operand& x, Tok op);
  ExprKind callExpr(Operand& x, CallExpr* call);
  void arguments(CallExpr* call, const Signature* sig, std::vector<Operand>& args);
  void conversion(Operand& x, const Type* T);
  bool convertibleTo(const Operand& x, const Type* T);
  bool assignableTo(const Operand& x, const Type* T, std::string* reason);
  void assignment(Operand& x, const Type* T, const std::string& context);
  void convertUntyped(Operand& x, const Type* target);
  // 0 ok, else an error code: 1 invalid conversion, 2 truncated, 3 overflows
  int implicitTypeAndValue(const Operand& x, const Type* target, const Type*& newType, const ConstVal*& val);
  int representation(const Operand& x, const Basic* typ, const ConstVal*& val);
  bool representableConst(const ConstVal& v, const Basic* typ, ConstVal* rounded);
  void representable(Operand& x, const Basic* typ);
  void invalidConversion(int code, const Operand& x, const Type* target);
  void updateExprType(Expr* e, const Type* typ, bool final);
  void updateExprVal(Expr* e, const ConstVal* val);
  void finishUntyped();
  void useExprs(const std::vector<Expr*>& es);  // evaluate for side effects after an error
  void useLHS(const std::vector<Expr*>& es);
  void indexExpr(Operand& x, IndexExpr* e);
  void sliceExpr(Operand& x, SliceExpr* e);
  bool index(Expr* idx, int64_t max, int64_t& val);
  void compositeLit(Operand& x, CompositeLit* e, const Type* hint);
  std::string typesSummary(const std::vector<const Type*>& list, bool variadic);

  // --- check_builtin.cpp
  ExprKind builtin(Operand& x, CallExpr* call, BuiltinId id);
  ExprKind builtinMakeNew(Operand& x, CallExpr* call, BuiltinId id);
  void validType(Named* t);

  // --- check_lookup.cpp: fields, method sets, interfaces, selectors, type assertions
  LookupResult lookupFieldOrMethod(const Type* T, bool addressable, const std::string& name);
  // "" when V implements the interface T, else why not: "V does not implement T (missing method M)".
  std::string implementsReason(const Type* V, const Type* T);
  std::string missingMethodCause(const Type* V, const Type* T);  // "(missing method M)" or ""
  const Type* interfaceType(InterfaceType* it, const Named* self);
  const Type* structType(StructType* st);
  void methodDecl(Func* obj, DeclInfo* d);
  const Signature* methodValueSig(Func* m);
  const Signature* methodExprSig(const Type* recv, Func* m);
  void typeAssert(Operand& x, TypeAssertExpr* e);
  void funcLit(Operand& x, FuncLit* e);
  void funcBodyStmts(BlockStmt* body);
  void noteCapture(Var* v);

  // --- check_stmt.cpp
  void stmtList(const std::vector<Stmt*>& list, unsigned ctx);
  void stmt(Stmt* s, unsigned ctx);
  void openScope(const char* comment);
  void closeScope();
  void simpleStmt(Stmt* s);
  void assignStmt(AssignStmt* s);
  void assignVars(const std::vector<Expr*>& lhs, const std::vector<Expr*>& rhs);
  void assignVar(Expr* lhs, Expr* rhs, Operand* x, const std::string& context);
  const Type* lhsVar(Expr* lhs);
  void shortVarDecl(AssignStmt* s);
  void returnStmt(ReturnStmt* s);
  void branchStmt(BranchStmt* s, unsigned ctx);
  void ifStmt(IfStmt* s, unsigned ctx);
  void forStmt(ForStmt* s, unsigned ctx);
  void rangeStmt(RangeStmt* s, unsigned ctx);
  void switchStmt(SwitchStmt* s, unsigned ctx);
  void goStmt(Stmt* s, CallExpr* call, const char* keyword);  // go and defer
  void sendStmt(SendStmt* s);
  void typeSwitchStmt(TypeSwitchStmt* s, unsigned ctx);
  void selectStmt(SelectStmt* s, unsigned ctx);
  void collectLabels(BlockStmt* body);
  void collectLabelsIn(Stmt* s);
  void usage(Scope* s);
  bool isTerminating(Stmt* s, const std::string& label);
  bool isTerminatingList(const std::vector<Stmt*>& list, const std::string& label);
  bool hasBreak(Stmt* s, Stmt* target, const std::string& label, bool implicit);
  bool hasBreakList(const std::vector<Stmt*>& list, Stmt* target, const std::string& label, bool implicit);
  void assignError(const std::vector<Expr*>& rhs, size_t l, size_t r);
  void returnError(ReturnStmt* s, const std::vector<Var*>& lhs, const std::vector<Operand>& rhs);

  TypeContext& tc_;
  Diag& diag_;
  CheckedPackage& pkg_;
  Scope* pkgScope_ = nullptr;
  std::vector<File*> files_;
  std::unordered_map<Object*, DeclInfo*> objMap_;
  std::vector<Object*> objList_;  // package-level objects in source order
  std::vector<std::unique_ptr<DeclInfo>> declInfos_;
  enum class Color { White, Grey, Black };
  std::unordered_map<Object*, Color> color_;
  std::vector<Object*> objPath_;
  std::vector<PkgName*> pkgNames_;
  std::string pkgPath_ = "main";  // symbol prefix of this package's objects
  std::vector<std::pair<Func*, DeclInfo*>> funcBodies_;
  std::unordered_map<Func*, Scope*> funcScopes_;
  std::unordered_map<Expr*, UntypedInfo> untyped_;

  // The current context: a package-level declaration or a function body.
  DeclInfo* decl_ = nullptr;
  Scope* scope_ = nullptr;
  const ConstVal* iota_ = nullptr;  // inside a constant declaration
  const Signature* sig_ = nullptr;  // inside a function body
  Func* func_ = nullptr;
  std::vector<BranchTarget> targets_;                   // enclosing breakable statements
  std::unordered_map<std::string, LabeledStmt*> labels_;  // labels of the current function
  std::unordered_set<std::string> usedLabels_;
  std::vector<CaseClause*>* clauses_ = nullptr;  // enclosing switch's clauses, for fallthrough
  size_t clauseIndex_ = 0;
  int initCount_ = 0;
  bool hasCallOrRecv_ = false;
  std::string curLabel_;  // the label of the statement being checked (for break/continue targets)
  std::vector<Func*> methodList_;  // method declarations, source order; checked after the types
  std::unordered_map<Func*, const Signature*> methodValueSigs_;
  std::unordered_map<Func*, int> closureCount_;  // closures numbered per enclosing function
  int globClosureCount_ = 0;                     // closures in package-level initializers
  Scope* funcScope_ = nullptr;  // the outermost scope of the function being checked (its parameters)
  // The enclosing function literals, innermost last, with their scopes (for captures).
  std::vector<std::pair<Func*, Scope*>> closures_;
  std::unique_ptr<Ident> trueIdent_;  // the implicit `true` of a tagless switch, for messages  // set by function calls and receives (len of arrays is then not constant)
};

}  // namespace types
}  // namespace gol
