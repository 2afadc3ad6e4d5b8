// ast.h: the syntax tree, shaped after Go's go/ast so a Go programmer finds familiar names.
//
// Ownership: every node is allocated in an AstContext arena and lives as long as it; nodes
// point to each other with plain pointers. Positions: every node has the position of its first
// token (for binary expressions, the operator's position is opPos, as Go reports errors there).
//
// The checker annotates the tree in place (the fields marked "checker"): every expression gets
// its mode, type and, for constants, its value; every identifier its Object. Lowering reads
// only the annotated tree. Nodes are distinguished by `kind`; use the `as<T>()` helpers.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "source.h"
#include "token.h"

namespace gol {

namespace types {
class Type;
class Object;
class Scope;
class Func;
}  // namespace types
class ConstValue;  // constant.h: arbitrary-precision constant values

#define GOL_AST_NODE_KINDS(X)                                                          \
  /* expressions */                                                                    \
  X(BadExpr) X(Ident) X(BasicLit) X(CompositeLit) X(FuncLit) X(ParenExpr)              \
  X(SelectorExpr) X(IndexExpr) X(SliceExpr) X(TypeAssertExpr) X(CallExpr) X(StarExpr) \
  X(UnaryExpr) X(BinaryExpr) X(KeyValueExpr)                                           \
  /* type expressions (also Expr) */                                                   \
  X(ArrayType) X(StructType) X(FuncType) X(InterfaceType) X(MapType) X(ChanType)       \
  X(EllipsisType)                                                                      \
  /* statements */                                                                     \
  X(BadStmt) X(DeclStmt) X(EmptyStmt) X(LabeledStmt) X(ExprStmt) X(SendStmt)           \
  X(IncDecStmt) X(AssignStmt) X(GoStmt) X(DeferStmt) X(ReturnStmt) X(BranchStmt)       \
  X(BlockStmt) X(IfStmt) X(CaseClause) X(SwitchStmt) X(TypeSwitchStmt) X(CommClause)   \
  X(SelectStmt) X(ForStmt) X(RangeStmt)                                                \
  /* declarations and specs */                                                         \
  X(BadDecl) X(GenDecl) X(FuncDecl) X(ImportSpec) X(ValueSpec) X(TypeSpec)             \
  /* other */                                                                          \
  X(Field) X(FieldList) X(File)

enum class NodeKind : uint8_t {
#define X(n) n,
  GOL_AST_NODE_KINDS(X)
#undef X
};
const char* nodeKindName(NodeKind k);

struct Node {
  NodeKind kind;
  Pos pos;
  Node(NodeKind k, Pos p) : kind(k), pos(p) {}
  virtual ~Node() = default;
  template <class T> T* as() { return kind == T::Kind ? static_cast<T*>(this) : nullptr; }
  template <class T> const T* as() const { return kind == T::Kind ? static_cast<const T*>(this) : nullptr; }
  template <class T> bool is() const { return kind == T::Kind; }
  bool isExpr() const { return kind <= NodeKind::EllipsisType; }
  bool isStmt() const { return kind >= NodeKind::BadStmt && kind <= NodeKind::RangeStmt; }
};

// ---------------------------------------------------------------------------------------------
// Expressions

// How the checker classified an expression (go/types' operand modes).
enum class ExprMode : uint8_t {
  Invalid,   // an error was reported; don't report more about this expression
  NoValue,   // a call of a function without results
  Builtin,   // a builtin function name (len, append...): only callable
  TypeExpr,  // the expression denotes a type
  Constant,  // a constant; value holds it
  Variable,  // addressable
  MapIndex,  // m[k]: assignable, not addressable; comma-ok possible
  Value,     // any other computed value
  CommaOk,   // a value that may be used in a v, ok = ... assignment (type assert, chan recv)
};

struct Expr : Node {
  using Node::Node;
  // checker:
  ExprMode mode = ExprMode::Invalid;
  const types::Type* type = nullptr;   // after untyped defaulting/conversion by context
  const ConstValue* value = nullptr;   // when mode == Constant
};

struct BadExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::BadExpr;
  explicit BadExpr(Pos p) : Expr(Kind, p) {}
};

struct Ident : Expr {
  static constexpr NodeKind Kind = NodeKind::Ident;
  std::string name;
  types::Object* obj = nullptr;  // checker: what the name denotes (declared or used)
  Ident(Pos p, std::string n) : Expr(Kind, p), name(std::move(n)) {}
};

struct BasicLit : Expr {
  static constexpr NodeKind Kind = NodeKind::BasicLit;
  Tok litKind;       // Int, Float, Imag, Char or String
  std::string text;  // as written in the source
  BasicLit(Pos p, Tok k, std::string t) : Expr(Kind, p), litKind(k), text(std::move(t)) {}
};

struct CompositeLit : Expr {
  static constexpr NodeKind Kind = NodeKind::CompositeLit;
  Expr* typeExpr = nullptr;  // may be null inside another composite literal (elided type)
  std::vector<Expr*> elts;   // KeyValueExpr for keyed elements
  Pos lbrace, rbrace;
  CompositeLit(Pos p) : Expr(Kind, p) {}
};

struct FuncType;
struct BlockStmt;
struct FuncLit : Expr {
  static constexpr NodeKind Kind = NodeKind::FuncLit;
  FuncType* type_ = nullptr;
  BlockStmt* body = nullptr;
  types::Func* func = nullptr;  // checker: the closure's function object (captures, etc.)
  FuncLit(Pos p) : Expr(Kind, p) {}
};

struct ParenExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::ParenExpr;
  Expr* x;
  ParenExpr(Pos p, Expr* x) : Expr(Kind, p), x(x) {}
};

// What a selector x.f denotes (go/types' Selection), recorded by the checker for lowering.
enum class SelectionKind : uint8_t {
  None,        // not (yet) checked, or an error
  FieldVal,    // x.f is a struct field (possibly promoted through embedded fields)
  MethodVal,   // x.m is a method: called (x.m(...)) or a method value (f := x.m)
  MethodExpr,  // T.m or (*T).m: a function whose first parameter is the receiver
  PackageObj,  // pkg.Name: a package-level object of an imported package (sel->obj)
};

struct SelectionInfo {
  SelectionKind kind = SelectionKind::None;
  // The path from x's type to the selected object: the indices of the embedded fields walked
  // through (each step dereferences a pointer first when the current value is a pointer), then
  // the field's index in its struct (FieldVal), or the method's index in Named::methods of the
  // type reached (value or pointer method alike), or in Interface::allMethods for interface
  // methods (MethodVal/MethodExpr).
  std::vector<int> index;
  bool indirect = false;   // a pointer is dereferenced somewhere on the path (x itself included)
  // MethodVal only: what the receiver needs after the path is walked. The value reached is
  // addressable (or reached through a pointer) when addrRecv is set: take its address for a
  // pointer-receiver method. derefRecv: the value reached is a pointer and the method has a
  // value receiver: load it.
  bool addrRecv = false;
  bool derefRecv = false;
  bool ifaceMethod = false;  // MethodVal/MethodExpr of an interface type (dynamic dispatch)
  types::Object* obj = nullptr;  // the field (types::Var) or method (types::Func); also sel->obj
};

struct SelectorExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::SelectorExpr;
  Expr* x;
  Ident* sel;
  SelectionInfo selection;  // checker
  SelectorExpr(Pos p, Expr* x, Ident* sel) : Expr(Kind, p), x(x), sel(sel) {}
};

struct IndexExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::IndexExpr;
  Expr* x;
  std::vector<Expr*> indices;  // more than one only in (unsupported) generic instantiation
  Pos lbrack;
  IndexExpr(Pos p, Expr* x) : Expr(Kind, p), x(x) {}
};

struct SliceExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::SliceExpr;
  Expr* x;
  Expr* low = nullptr;
  Expr* high = nullptr;
  Expr* max = nullptr;
  bool slice3 = false;
  Pos lbrack;
  SliceExpr(Pos p, Expr* x) : Expr(Kind, p), x(x) {}
};

struct TypeAssertExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::TypeAssertExpr;
  Expr* x;
  Expr* typeExpr = nullptr;  // null for x.(type) in a type switch
  TypeAssertExpr(Pos p, Expr* x) : Expr(Kind, p), x(x) {}
};

struct CallExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::CallExpr;
  Expr* fun;
  std::vector<Expr*> args;
  bool hasEllipsis = false;  // f(s...)
  Pos lparen, rparen;
  CallExpr(Pos p, Expr* fun) : Expr(Kind, p), fun(fun) {}
};

struct StarExpr : Expr {  // *x: dereference or pointer type
  static constexpr NodeKind Kind = NodeKind::StarExpr;
  Expr* x;
  StarExpr(Pos p, Expr* x) : Expr(Kind, p), x(x) {}
};

struct UnaryExpr : Expr {  // + - ! ^ & <-
  static constexpr NodeKind Kind = NodeKind::UnaryExpr;
  Tok op;
  Expr* x;
  UnaryExpr(Pos p, Tok op, Expr* x) : Expr(Kind, p), op(op), x(x) {}
};

struct BinaryExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::BinaryExpr;
  Tok op;
  Pos opPos;
  Expr* x;
  Expr* y;
  BinaryExpr(Pos p, Tok op, Pos opPos, Expr* x, Expr* y) : Expr(Kind, p), op(op), opPos(opPos), x(x), y(y) {}
};

struct KeyValueExpr : Expr {
  static constexpr NodeKind Kind = NodeKind::KeyValueExpr;
  Expr* key;
  Expr* value_;
  KeyValueExpr(Pos p, Expr* k, Expr* v) : Expr(Kind, p), key(k), value_(v) {}
};

// ---------------------------------------------------------------------------------------------
// Type expressions

struct Field : Node {  // a parameter, result, struct field or interface element
  static constexpr NodeKind Kind = NodeKind::Field;
  std::vector<Ident*> names;  // empty: anonymous parameter, embedded field or embedded interface
  Expr* type = nullptr;       // for interface methods: a FuncType
  BasicLit* tag = nullptr;    // struct field tag
  Field(Pos p) : Node(Kind, p) {}
};

struct FieldList : Node {
  static constexpr NodeKind Kind = NodeKind::FieldList;
  std::vector<Field*> list;
  Pos opening, closing;
  FieldList(Pos p) : Node(Kind, p) {}
  size_t numFields() const;  // counts names (or 1 for an anonymous field)
};

struct ArrayType : Expr {  // [N]T, [...]T (len is an EllipsisType), or []T (len null: a slice)
  static constexpr NodeKind Kind = NodeKind::ArrayType;
  Expr* len = nullptr;
  Expr* elem = nullptr;
  ArrayType(Pos p) : Expr(Kind, p) {}
};

struct StructType : Expr {
  static constexpr NodeKind Kind = NodeKind::StructType;
  FieldList* fields = nullptr;
  StructType(Pos p) : Expr(Kind, p) {}
};

struct FuncType : Expr {
  static constexpr NodeKind Kind = NodeKind::FuncType;
  FieldList* params = nullptr;
  FieldList* results = nullptr;  // may be null
  FuncType(Pos p) : Expr(Kind, p) {}
};

struct InterfaceType : Expr {
  static constexpr NodeKind Kind = NodeKind::InterfaceType;
  FieldList* methods = nullptr;  // named: methods (type FuncType); unnamed: embedded interfaces
  InterfaceType(Pos p) : Expr(Kind, p) {}
};

struct MapType : Expr {
  static constexpr NodeKind Kind = NodeKind::MapType;
  Expr* key = nullptr;
  Expr* value_ = nullptr;
  MapType(Pos p) : Expr(Kind, p) {}
};

enum class ChanDir : uint8_t { Both, Send, Recv };
struct ChanType : Expr {
  static constexpr NodeKind Kind = NodeKind::ChanType;
  ChanDir dir = ChanDir::Both;
  Expr* elem = nullptr;
  ChanType(Pos p) : Expr(Kind, p) {}
};

struct EllipsisType : Expr {  // ...T in a variadic parameter, or [...] in an array type (elem null)
  static constexpr NodeKind Kind = NodeKind::EllipsisType;
  Expr* elem = nullptr;
  EllipsisType(Pos p) : Expr(Kind, p) {}
};

// ---------------------------------------------------------------------------------------------
// Statements

struct Stmt : Node {
  using Node::Node;
};

struct Decl;
struct BadStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::BadStmt;
  explicit BadStmt(Pos p) : Stmt(Kind, p) {}
};

struct DeclStmt : Stmt {  // const, type or var declaration inside a function
  static constexpr NodeKind Kind = NodeKind::DeclStmt;
  Decl* decl;
  DeclStmt(Pos p, Decl* d) : Stmt(Kind, p), decl(d) {}
};

struct EmptyStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::EmptyStmt;
  bool implicit = false;  // a semicolon that was inserted, not written
  explicit EmptyStmt(Pos p) : Stmt(Kind, p) {}
};

struct LabeledStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::LabeledStmt;
  Ident* label;
  Stmt* stmt;
  LabeledStmt(Pos p, Ident* l, Stmt* s) : Stmt(Kind, p), label(l), stmt(s) {}
};

struct ExprStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::ExprStmt;
  Expr* x;
  ExprStmt(Pos p, Expr* x) : Stmt(Kind, p), x(x) {}
};

struct SendStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::SendStmt;
  Expr* chan;
  Expr* value_;
  Pos arrow;
  SendStmt(Pos p, Expr* c, Expr* v) : Stmt(Kind, p), chan(c), value_(v) {}
};

struct IncDecStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::IncDecStmt;
  Expr* x;
  Tok tok;  // Inc or Dec
  IncDecStmt(Pos p, Expr* x, Tok t) : Stmt(Kind, p), x(x), tok(t) {}
};

struct AssignStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::AssignStmt;
  std::vector<Expr*> lhs;
  Tok tok;  // Assign, Define, or an op-assignment (AddAssign...)
  Pos tokPos;
  std::vector<Expr*> rhs;
  AssignStmt(Pos p, Tok t) : Stmt(Kind, p), tok(t) {}
};

struct GoStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::GoStmt;
  CallExpr* call;
  GoStmt(Pos p, CallExpr* c) : Stmt(Kind, p), call(c) {}
};

struct DeferStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::DeferStmt;
  CallExpr* call;
  DeferStmt(Pos p, CallExpr* c) : Stmt(Kind, p), call(c) {}
};

struct ReturnStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::ReturnStmt;
  std::vector<Expr*> results;
  explicit ReturnStmt(Pos p) : Stmt(Kind, p) {}
};

struct BranchStmt : Stmt {  // break, continue, goto, fallthrough
  static constexpr NodeKind Kind = NodeKind::BranchStmt;
  Tok tok;
  Ident* label = nullptr;
  Stmt* target = nullptr;  // checker: the statement broken out of / continued / jumped to
  BranchStmt(Pos p, Tok t) : Stmt(Kind, p), tok(t) {}
};

struct BlockStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::BlockStmt;
  std::vector<Stmt*> list;
  Pos rbrace;
  explicit BlockStmt(Pos p) : Stmt(Kind, p) {}
};

struct IfStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::IfStmt;
  Stmt* init = nullptr;
  Expr* cond = nullptr;
  BlockStmt* body = nullptr;
  Stmt* else_ = nullptr;  // BlockStmt or IfStmt, or null
  explicit IfStmt(Pos p) : Stmt(Kind, p) {}
};

struct CaseClause : Stmt {  // case in an expression or type switch
  static constexpr NodeKind Kind = NodeKind::CaseClause;
  std::vector<Expr*> list;  // empty: default
  bool isDefault = false;
  std::vector<Stmt*> body;
  types::Object* implicitObj = nullptr;  // checker: the type switch's per-clause variable
  explicit CaseClause(Pos p) : Stmt(Kind, p) {}
};

struct SwitchStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::SwitchStmt;
  Stmt* init = nullptr;
  Expr* tag = nullptr;  // null: switch true
  BlockStmt* body = nullptr;  // list of CaseClause
  explicit SwitchStmt(Pos p) : Stmt(Kind, p) {}
};

struct TypeSwitchStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::TypeSwitchStmt;
  Stmt* init = nullptr;
  Stmt* assign = nullptr;  // x := y.(type) (AssignStmt) or y.(type) (ExprStmt)
  BlockStmt* body = nullptr;  // list of CaseClause
  explicit TypeSwitchStmt(Pos p) : Stmt(Kind, p) {}
};

struct CommClause : Stmt {  // case in a select
  static constexpr NodeKind Kind = NodeKind::CommClause;
  Stmt* comm = nullptr;  // SendStmt, ExprStmt (<-c), AssignStmt (v[, ok] = / := <-c); null: default
  std::vector<Stmt*> body;
  explicit CommClause(Pos p) : Stmt(Kind, p) {}
};

struct SelectStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::SelectStmt;
  BlockStmt* body = nullptr;  // list of CommClause
  explicit SelectStmt(Pos p) : Stmt(Kind, p) {}
};

struct ForStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::ForStmt;
  Stmt* init = nullptr;
  Expr* cond = nullptr;
  Stmt* post = nullptr;
  BlockStmt* body = nullptr;
  explicit ForStmt(Pos p) : Stmt(Kind, p) {}
};

struct RangeStmt : Stmt {
  static constexpr NodeKind Kind = NodeKind::RangeStmt;
  Expr* key = nullptr;    // may be null
  Expr* value_ = nullptr; // may be null
  Tok tok = Tok::Illegal; // Assign or Define; Illegal when there is no key/value
  Expr* x = nullptr;      // the ranged-over expression
  BlockStmt* body = nullptr;
  explicit RangeStmt(Pos p) : Stmt(Kind, p) {}
};

// ---------------------------------------------------------------------------------------------
// Declarations

struct Spec : Node {
  using Node::Node;
};

struct ImportSpec : Spec {
  static constexpr NodeKind Kind = NodeKind::ImportSpec;
  Ident* name = nullptr;  // import alias, "." or "_", or null
  BasicLit* path = nullptr;
  explicit ImportSpec(Pos p) : Spec(Kind, p) {}
};

struct ValueSpec : Spec {  // const or var
  static constexpr NodeKind Kind = NodeKind::ValueSpec;
  std::vector<Ident*> names;
  Expr* type = nullptr;
  std::vector<Expr*> values;
  int iota = 0;  // index of the spec in its const group
  // parser: for a const spec with neither type nor values, the spec it repeats (Go's implicit
  // repetition of the previous expression list); null otherwise
  ValueSpec* implicitFrom = nullptr;
  explicit ValueSpec(Pos p) : Spec(Kind, p) {}
};

struct TypeSpec : Spec {
  static constexpr NodeKind Kind = NodeKind::TypeSpec;
  Ident* name = nullptr;
  bool isAlias = false;  // type A = B
  Expr* type = nullptr;
  FieldList* typeParams = nullptr;  // present only to report "generics are not supported"
  explicit TypeSpec(Pos p) : Spec(Kind, p) {}
};

struct Decl : Node {
  using Node::Node;
};

struct BadDecl : Decl {
  static constexpr NodeKind Kind = NodeKind::BadDecl;
  explicit BadDecl(Pos p) : Decl(Kind, p) {}
};

struct GenDecl : Decl {  // import, const, type or var, with one spec or a parenthesized group
  static constexpr NodeKind Kind = NodeKind::GenDecl;
  Tok tok;  // Import, Const, Type, Var
  std::vector<Spec*> specs;
  bool grouped = false;
  GenDecl(Pos p, Tok t) : Decl(Kind, p), tok(t) {}
};

struct FuncDecl : Decl {
  static constexpr NodeKind Kind = NodeKind::FuncDecl;
  FieldList* recv = nullptr;  // methods only
  Ident* name = nullptr;
  FuncType* type = nullptr;
  FieldList* typeParams = nullptr;  // present only to report "generics are not supported"
  BlockStmt* body = nullptr;  // null: declared without a body (implemented in the runtime)
  types::Func* func = nullptr;  // checker
  explicit FuncDecl(Pos p) : Decl(Kind, p) {}
};

struct File : Node {
  static constexpr NodeKind Kind = NodeKind::File;
  int32_t fileIndex = -1;  // SourceManager index
  Ident* packageName = nullptr;
  std::vector<ImportSpec*> imports;  // also inside decls; listed here for convenience
  std::vector<Decl*> decls;
  explicit File(Pos p) : Node(Kind, p) {}
};

// The arena that owns every node of a compilation.
class AstContext {
 public:
  template <class T, class... Args> T* make(Args&&... args) {
    auto n = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = n.get();
    nodes_.push_back(std::move(n));
    return raw;
  }
  size_t size() const { return nodes_.size(); }

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
};

// A readable, indented dump of a subtree (golc --dump=ast; parser tests compare against it).
std::string dumpAst(const Node* n);

// An expression (or simple statement) as Go source, the way go/types and gc print one in
// messages: "x + 1", "f(a, b...)", "[]int{…}", "(func() literal)", "x := 1". Null gives "".
std::string exprString(const Node* n);

}  // namespace gol
