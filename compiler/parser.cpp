// parser.cpp: recursive descent over Go's grammar, building the tree of ast.h.
//
// How it works. The parser is a port of the gc compiler's parser
// (cmd/compile/internal/syntax/parser.go, Go 1.19), so that a Gol user sees the messages `go
// build` prints ("syntax error: unexpected newline, expecting comma or )"), onto go/ast-shaped
// nodes. It keeps one token of lookahead (tok_) and never backtracks. Each parseX() function
// below carries the grammar production it implements. Three pieces of state matter:
//
//  - xnest_ (go/parser's exprLev) resolves the composite-literal ambiguity: in `if x == T{}`
//    the `{` opens the block, not a literal. Statement headers of if/for/switch set xnest_ to -1;
//    entering parentheses, brackets or a literal raises it again, and a `{` after a bare type
//    name starts a composite literal only when xnest_ >= 0.
//  - fnest_ counts enclosing function bodies: inside one, statement keywords are synchronization
//    points for error recovery.
//  - Error recovery is panic mode in gc's style: after reporting a syntax error, advance() skips
//    tokens up to a follow token of the production (or a statement keyword inside a function),
//    so one mistake gives one message. Every loop stops at the end of file; each iteration
//    either consumes a token or leaves the loop, so no input makes the parser spin.
//
// Constructs outside Gol that are still Go syntax parse normally and are left for the checker
// to reject, except type parameters, which are reported here ("generics are not supported in
// Gol"). `x.(type)` is accepted anywhere while parsing and reported afterwards unless it was
// the guard of a type switch.
#include "parser.h"

#include <functional>
#include <unordered_set>

#include "lexer.h"

namespace gol {

namespace {

// A parameter before names and types are distributed: `a, b int` arrives as (a, null),
// (b, int).
struct Param {
  Pos pos;
  Ident* name = nullptr;
  Expr* type = nullptr;
};

class Parser {
 public:
  Parser(AstContext& ctx, const SourceManager& sm, int32_t file, Diag& diag)
      : ctx_(ctx), sm_(sm), file_(file), diag_(diag), lex_(sm, file, diag) {
    next();
  }
  File* parseFile();

 private:
  AstContext& ctx_;
  const SourceManager& sm_;
  int32_t file_;
  Diag& diag_;
  Lexer lex_;
  Token tok_;
  int fnest_ = 0;            // function nesting level
  int xnest_ = 0;            // expression nesting level; < 0 in statement headers
  size_t errors_ = 0;        // errors this parser reported
  bool panic_ = false;        // a syntax error was reported; quiet until the next ; or }
  int depth_ = 0;             // recursion depth of nested expressions, types and blocks

  // Bounds the recursion, so that a pathological input like 100000 "(" cannot overflow the
  // stack: past the limit the rest of the file is skipped after one error.
  struct Nest {
    Parser& p;
    explicit Nest(Parser& p) : p(p) { p.depth_++; }
    ~Nest() { p.depth_--; }
    bool tooDeep() {
      if (p.depth_ <= kMaxDepth) return false;
      p.errorAt(p.pos(), "syntax error: nesting too deep");
      while (!p.at(Tok::EndOfFile)) p.next();
      return true;
    }
  };
  static constexpr int kMaxDepth = 1000;
  std::vector<TypeAssertExpr*> guards_;            // every x.(type)
  std::unordered_set<const Expr*> switchGuards_;   // those that head a type switch

  // token handling
  void next() {
    // consuming a statement or block terminator ends panic mode
    if (tok_.kind == Tok::Semicolon || tok_.kind == Tok::RBrace) panic_ = false;
    tok_ = lex_.next();
  }
  bool at(Tok t) const { return tok_.kind == t; }
  bool got(Tok t);
  void want(Tok t);
  bool gotAssign();
  Pos pos() const { return tok_.pos; }

  // errors
  void errorAt(Pos p, std::string msg);
  void report(Pos p, std::string msg);
  void syntaxErrorAt(Pos p, std::string msg);
  void syntaxError(std::string msg) { syntaxErrorAt(pos(), std::move(msg)); }
  std::string tokDesc() const;
  void advance(std::initializer_list<Tok> follow = {});

  // declarations
  template <class F> void appendGroup(GenDecl* d, F spec);
  Pos list(const char* context, Tok sep, Tok close, const std::function<bool()>& f);
  Spec* importSpec();
  Spec* constSpec(GenDecl* group, ValueSpec*& lastWithValues);
  Spec* typeSpec();
  Spec* varSpec();
  GenDecl* genDecl(Tok keyword);
  FuncDecl* funcDeclOrNull();
  BlockStmt* funcBody();

  // expressions
  Expr* expr() { return binaryExpr(nullptr, 0); }
  Expr* binaryExpr(Expr* x, int prec);
  Expr* unaryExpr();
  Expr* operand();
  Expr* pexpr(Expr* x);
  Expr* bareComplitExpr();
  CompositeLit* complitExpr(Expr* type);
  std::vector<Expr*> exprList();
  std::vector<Expr*> typeList(bool& comma);
  std::vector<Expr*> argList(bool& hasDots, Pos& rparen);
  Ident* name();
  std::vector<Ident*> nameList(Ident* first);
  Expr* qualifiedName(Ident* name);
  Expr* literal();

  // types
  Expr* type();
  Expr* typeOrNull();
  IndexExpr* typeInstance(Expr* x);
  FuncType* funcType(const char* context, FieldList** typeParams);
  Expr* arrayType(Pos lbrack, Expr* len);
  Expr* sliceType(Pos lbrack);
  Expr* chanElem();
  StructType* structType();
  void fieldDecl(FieldList* fields);
  InterfaceType* interfaceType();
  Field* methodDecl();
  Expr* embeddedElem(Expr* x);
  Expr* embeddedTerm();
  FieldList* funcResult();
  Expr* arrayOrTArgs(Ident*& name);
  std::vector<Param> paramList(Ident* name, Expr* typ, Tok close, bool requireNames, Pos& end);
  bool paramDecl(Ident* name, Tok close, Param& out);
  FieldList* fieldList(Pos opening, const std::vector<Param>& params, Pos closing);
  FieldList* params(Tok close, bool requireNames, Ident* name = nullptr, Expr* typ = nullptr);

  // statements
  Stmt* simpleStmt(std::vector<Expr*> lhs, Tok keyword);
  RangeStmt* rangeClause(std::vector<Expr*> lhs, Tok assignTok, Pos p);
  Stmt* labeledStmtOrNull(Ident* label);
  BlockStmt* blockStmt(const char* context);
  Stmt* declStmt();
  Stmt* forStmt();
  void header(Tok keyword, Stmt*& init, Stmt*& cond, Stmt*& post);
  Stmt* ifStmt();
  Stmt* switchStmt();
  Stmt* selectStmt();
  CaseClause* caseClause();
  CommClause* commClause();
  Stmt* callStmt();
  Stmt* stmtOrNull();
  std::vector<Stmt*> stmtList();

  BadExpr* badExpr() { return ctx_.make<BadExpr>(pos()); }
  bool isTypeSwitchGuard(const Stmt* s, Expr** guard = nullptr) const;
};

// ---------------------------------------------------------------------------------------------
// Tokens and errors

bool Parser::got(Tok t) {
  if (at(t)) {
    next();
    return true;
  }
  return false;
}

// The word gc uses for a token in "expecting X".
std::string tokWord(Tok t) {
  switch (t) {
    case Tok::Comma: return "comma";
    case Tok::Semicolon: return "semicolon or newline";
    case Tok::Ident: return "name";
    case Tok::EndOfFile: return "EOF";
    default: return std::string(tokString(t));
  }
}

void Parser::want(Tok t) {
  if (!got(t)) {
    syntaxError("expecting " + tokWord(t));
    advance();
  }
}

// Like got(Assign) but also accepts ":=" (with an error), for better recovery.
bool Parser::gotAssign() {
  if (at(Tok::Define)) {
    syntaxError("expecting =");
    next();
    return true;
  }
  return got(Tok::Assign);
}

// Reports an error unless in panic mode (clox's panicMode): after one error, the parser skips
// ahead and stays quiet until it consumes a ";" or "}", so one mistake gives one message.
void Parser::errorAt(Pos p, std::string msg) {
  if (panic_) return;
  panic_ = true;
  errors_++;
  diag_.syntaxError(p, std::move(msg));
}

// An error that does not disturb parsing (unsupported features): no panic mode.
void Parser::report(Pos p, std::string msg) {
  errors_++;
  diag_.syntaxError(p, std::move(msg));
}

// How gc names the current token in "unexpected X".
std::string Parser::tokDesc() const {
  switch (tok_.kind) {
    case Tok::Ident: return tok_.text;
    case Tok::Semicolon:
      if (tok_.text == ";") return "semicolon";
      return tok_.pos.offset >= (int32_t)sm_.file(file_).text.size() ? "EOF" : "newline";
    case Tok::Int: case Tok::Float: case Tok::Imag: case Tok::Char: case Tok::String:
      return "literal " + tok_.text;
    default: return tokWord(tok_.kind);
  }
}

// syntaxErrorAt adds "syntax error: " and, for messages that start with "in", "at", "after" or
// "expecting", the current token: "syntax error: unexpected newline, expecting comma or )".
void Parser::syntaxErrorAt(Pos p, std::string msg) {
  if (at(Tok::EndOfFile) && errors_ > 0) return;  // avoid meaningless follow-up errors
  auto starts = [&](const char* s) { return msg.rfind(s, 0) == 0; };
  if (msg.empty()) {
  } else if (starts("in ") || starts("at ") || starts("after ")) {
    msg = " " + msg;
  } else if (starts("expecting ")) {
    msg = ", " + msg;
  } else {
    errorAt(p, "syntax error: " + msg);
    return;
  }
  errorAt(p, "syntax error: unexpected " + tokDesc() + msg);
}

// Statement keywords: good synchronization points inside a function body.
bool isStopToken(Tok t) {
  switch (t) {
    case Tok::Break: case Tok::Const: case Tok::Continue: case Tok::Defer: case Tok::Fallthrough:
    case Tok::For: case Tok::Go: case Tok::Goto: case Tok::If: case Tok::Return: case Tok::Select:
    case Tok::Switch: case Tok::Type: case Tok::Var:
      return true;
    default:
      return false;
  }
}

// Skips tokens until one of `follow` (or, inside a function, a statement keyword). With an
// empty follow list exactly one token is skipped, to ensure progress. Never skips EOF.
void Parser::advance(std::initializer_list<Tok> follow) {
  if (follow.size() == 0) {
    if (!at(Tok::EndOfFile)) next();
    return;
  }
  for (;;) {
    if (at(Tok::EndOfFile)) return;
    if (fnest_ > 0 && isStopToken(tok_.kind)) return;
    for (Tok t : follow)
      if (at(t)) return;
    next();
  }
}

// ---------------------------------------------------------------------------------------------
// Files and declarations

// SourceFile = PackageClause ";" { ImportDecl ";" } { TopLevelDecl ";" } .
File* Parser::parseFile() {
  File* f = ctx_.make<File>(pos());
  f->fileIndex = file_;
  // PackageClause = "package" PackageName .
  if (!got(Tok::Package)) {
    // the go command's own wording: what `go run` prints for a file without a package clause
    std::string found = at(Tok::Semicolon) && tok_.text == "\n" ? "newline"
                        : (at(Tok::Ident) || (tok_.kind >= Tok::Int && tok_.kind <= Tok::String))
                            ? tok_.text
                            : "'" + std::string(tokString(tok_.kind)) + "'";
    errorAt(pos(), "expected 'package', found " + found);
    return f;
  }
  f->packageName = name();
  want(Tok::Semicolon);
  if (errors_ > 0) return f;  // don't bother continuing if the package clause has errors

  while (at(Tok::Import)) {
    GenDecl* d = genDecl(Tok::Import);
    f->decls.push_back(d);
    for (Spec* s : d->specs) f->imports.push_back(static_cast<ImportSpec*>(s));
    want(Tok::Semicolon);
  }

  // TopLevelDecl = Declaration | FunctionDecl | MethodDecl .
  while (!at(Tok::EndOfFile)) {
    switch (tok_.kind) {
      case Tok::Const: case Tok::Type: case Tok::Var:
        f->decls.push_back(genDecl(tok_.kind));
        break;
      case Tok::Func:
        if (FuncDecl* d = funcDeclOrNull()) f->decls.push_back(d);
        break;
      case Tok::Import:
        syntaxError("imports must appear before other declarations");
        genDecl(Tok::Import);
        break;
      default: {
        FuncDecl* last = f->decls.empty() ? nullptr : f->decls.back()->as<FuncDecl>();
        if (at(Tok::LBrace) && last && !last->body)
          syntaxError("unexpected semicolon or newline before {");
        else
          syntaxError("non-declaration statement outside function body");
        advance({Tok::Const, Tok::Type, Tok::Var, Tok::Func});
        continue;
      }
    }
    if (!at(Tok::EndOfFile) && !got(Tok::Semicolon)) {
      syntaxError("after top level declaration");
      advance({Tok::Const, Tok::Type, Tok::Var, Tok::Func});
    }
  }

  for (TypeAssertExpr* g : guards_)
    if (!switchGuards_.count(g)) report(g->pos, "use of .(type) outside type switch");
  return f;
}

// list = [ f { sep f } [sep] ] close . Calls f for each element until it returns true; returns
// the position of the closing token.
Pos Parser::list(const char* context, Tok sep, Tok close, const std::function<bool()>& f) {
  bool done = false;
  while (!at(Tok::EndOfFile) && !at(close) && !done) {
    Pos before = pos();
    done = f();
    if (!got(sep) && !at(close)) {
      syntaxError(std::string("in ") + context + "; possibly missing " + tokWord(sep) + " or " +
                  tokWord(close));
      advance({Tok::RParen, Tok::RBrack, Tok::RBrace});
      if (!at(close)) return pos();
    } else if (pos().offset == before.offset && !at(close)) {
      advance();  // f consumed nothing and sep is absent: make progress
    }
  }
  Pos p = pos();
  want(close);
  return p;
}

// Declaration = ConstDecl | TypeDecl | VarDecl | ImportDecl .
// XxxDecl     = keyword ( XxxSpec | "(" { XxxSpec ";" } ")" ) .
GenDecl* Parser::genDecl(Tok keyword) {
  GenDecl* d = ctx_.make<GenDecl>(pos(), keyword);
  next();
  ValueSpec* lastWithValues = nullptr;
  auto spec = [&]() -> Spec* {
    switch (keyword) {
      case Tok::Import: return importSpec();
      case Tok::Const: return constSpec(d, lastWithValues);
      case Tok::Type: return typeSpec();
      default: return varSpec();
    }
  };
  if (at(Tok::LParen)) {
    d->grouped = true;
    next();
    list("grouped declaration", Tok::Semicolon, Tok::RParen, [&] {
      if (Spec* s = spec()) d->specs.push_back(s);
      return false;
    });
  } else if (Spec* s = spec()) {
    d->specs.push_back(s);
  }
  return d;
}

// ImportSpec = [ "." | PackageName ] ImportPath .
// ImportPath = string_lit .
Spec* Parser::importSpec() {
  ImportSpec* s = ctx_.make<ImportSpec>(pos());
  if (at(Tok::Ident)) {
    s->name = name();
  } else if (at(Tok::Period)) {
    s->name = ctx_.make<Ident>(pos(), ".");
    next();
  }
  if (tok_.kind >= Tok::Int && tok_.kind <= Tok::String) {
    s->path = ctx_.make<BasicLit>(pos(), tok_.kind, tok_.text);
    bool bad = tok_.bad;
    next();
    if (!bad && s->path->litKind != Tok::String) syntaxErrorAt(s->path->pos, "import path must be a string");
  } else {
    syntaxError("missing import path");
    advance({Tok::Semicolon, Tok::RParen});
  }
  return s;
}

// ConstSpec = IdentifierList [ [ Type ] "=" ExpressionList ] .
Spec* Parser::constSpec(GenDecl* group, ValueSpec*& lastWithValues) {
  ValueSpec* s = ctx_.make<ValueSpec>(pos());
  s->iota = (int)group->specs.size();
  s->names = nameList(name());
  if (!at(Tok::EndOfFile) && !at(Tok::Semicolon) && !at(Tok::RParen)) {
    s->type = typeOrNull();
    if (gotAssign()) s->values = exprList();
  }
  if (!s->values.empty())
    lastWithValues = s;
  else if (!s->type && group->grouped)
    s->implicitFrom = lastWithValues;
  return s;
}

// A type parameter list is only a syntax question here: it is parsed to be reported.
std::string exprListString(const std::vector<Expr*>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); i++) s += (i ? ", " : "") + exprString(v[i]);
  return s;
}

static const char* kNoGenerics = "generics are not supported in Gol";

// For `type T[x ...`: whether x can be split into a type parameter name and its constraint,
// as in `P any`, `P *C` or `P interface{}` (gc's extractName; unions are not considered).
static bool splitTypeParam(Expr* x, bool force, Ident*& name, Expr*& constraint) {
  name = nullptr, constraint = nullptr;
  if (auto* id = x->as<Ident>()) {
    name = id;
    return true;
  }
  auto isTypeElem = [](Expr* e) {
    while (auto* p = e->as<ParenExpr>()) e = p->x;
    switch (e->kind) {
      case NodeKind::ArrayType: case NodeKind::StructType: case NodeKind::FuncType:
      case NodeKind::InterfaceType: case NodeKind::MapType: case NodeKind::ChanType:
        return true;
      default:
        return false;
    }
  };
  if (auto* b = x->as<BinaryExpr>(); b && b->op == Tok::Mul && b->x->is<Ident>() && (force || isTypeElem(b->y))) {
    name = b->x->as<Ident>();
    constraint = b->y;  // P *C: the constraint is *C; its exact shape does not matter
    return true;
  }
  if (auto* c = x->as<CallExpr>(); c && c->fun->is<Ident>() && c->args.size() == 1 && !c->hasEllipsis &&
                                   (force || isTypeElem(c->args[0]))) {
    name = c->fun->as<Ident>();
    constraint = c->args[0];
    return true;
  }
  return false;
}

// TypeSpec = AliasDecl | TypeDef .
// AliasDecl = identifier "=" Type .
// TypeDef   = identifier [ TypeParameters ] Type .
Spec* Parser::typeSpec() {
  TypeSpec* s = ctx_.make<TypeSpec>(pos());
  s->name = name();
  if (at(Tok::LBrack)) {
    // an array or slice type, or a type parameter list
    Pos lbrack = pos();
    next();
    if (at(Tok::Ident)) {
      Expr* x = name();
      if (!at(Tok::LBrack)) {
        xnest_++;
        x = binaryExpr(pexpr(x), 0);
        xnest_--;
      }
      Ident* pname;
      Expr* ptype;
      if (splitTypeParam(x, at(Tok::Comma), pname, ptype) && (ptype || !at(Tok::RBrack))) {
        report(lbrack, kNoGenerics);
        s->typeParams = params(Tok::RBrack, true, pname, ptype);
        s->typeParams->opening = lbrack;
        s->isAlias = gotAssign();
        s->type = typeOrNull();
      } else {
        s->type = arrayType(lbrack, x);
      }
    } else if (got(Tok::RBrack)) {
      s->type = sliceType(lbrack);
    } else {
      s->type = arrayType(lbrack, nullptr);
    }
  } else {
    s->isAlias = gotAssign();
    s->type = typeOrNull();
  }
  if (!s->type) {
    s->type = badExpr();
    syntaxError("in type declaration");
    advance({Tok::Semicolon, Tok::RParen});
  }
  return s;
}

// VarSpec = IdentifierList ( Type [ "=" ExpressionList ] | "=" ExpressionList ) .
Spec* Parser::varSpec() {
  ValueSpec* s = ctx_.make<ValueSpec>(pos());
  s->names = nameList(name());
  if (gotAssign()) {
    s->values = exprList();
  } else {
    s->type = type();
    if (gotAssign()) s->values = exprList();
  }
  return s;
}

// FunctionDecl = "func" FunctionName [ TypeParameters ] Signature [ FunctionBody ] .
// MethodDecl   = "func" Receiver MethodName Signature [ FunctionBody ] .
// Receiver     = Parameters .
FuncDecl* Parser::funcDeclOrNull() {
  FuncDecl* f = ctx_.make<FuncDecl>(pos());
  next();  // func
  if (at(Tok::LParen)) {
    Pos lparen = pos();
    next();
    f->recv = params(Tok::RParen, false);
    f->recv->opening = lparen;
    size_t n = f->recv->numFields();
    if (n == 0)
      errorAt(pos(), "method has no receiver");
    else if (n > 1)
      errorAt(pos(), "method has multiple receivers");
  }
  if (!at(Tok::Ident)) {
    syntaxError("expecting name or (");
    advance({Tok::LBrace, Tok::Semicolon});
    return nullptr;
  }
  f->name = name();
  f->type = funcType(f->recv ? "method" : nullptr, &f->typeParams);
  f->type->pos = f->pos;
  if (at(Tok::LBrace)) f->body = funcBody();
  return f;
}

BlockStmt* Parser::funcBody() {
  fnest_++;
  int outer = xnest_;
  xnest_ = 0;
  BlockStmt* body = blockStmt("");
  xnest_ = outer;
  fnest_--;
  return body;
}

// ---------------------------------------------------------------------------------------------
// Expressions

// Expression = UnaryExpr | Expression binary_op Expression .
Expr* Parser::binaryExpr(Expr* x, int prec) {
  Nest nest(*this);
  if (nest.tooDeep()) return x ? x : badExpr();
  if (!x) x = unaryExpr();
  for (;;) {
    int tprec = binaryPrecedence(tok_.kind);
    if (tprec <= prec) return x;
    Tok op = tok_.kind;
    Pos opPos = pos();
    next();
    Expr* y = binaryExpr(nullptr, tprec);
    x = ctx_.make<BinaryExpr>(x->pos, op, opPos, x, y);
  }
}

// UnaryExpr = PrimaryExpr | unary_op UnaryExpr .
// unary_op  = "+" | "-" | "!" | "^" | "*" | "&" | "<-" .
Expr* Parser::unaryExpr() {
  Nest nest(*this);
  if (nest.tooDeep()) return badExpr();
  Pos p = pos();
  switch (tok_.kind) {
    case Tok::Mul:
      next();
      return ctx_.make<StarExpr>(p, unaryExpr());
    case Tok::Add: case Tok::Sub: case Tok::Not: case Tok::Xor: case Tok::And: case Tok::Tilde: {
      Tok op = tok_.kind;
      next();
      return ctx_.make<UnaryExpr>(p, op, unaryExpr());
    }
    case Tok::Arrow: {
      // a receive (<-x) or a receive-only channel type (<-chan E): only known once the
      // operand is parsed. For a channel type, <- re-associates with it:
      //   <-(chan E) => (<-chan E);  <-(chan<- E) => (<-chan (<-E))
      next();
      Expr* x = unaryExpr();
      if (x->is<ChanType>()) {
        ChanDir dir = ChanDir::Send;
        Expr* t = x;
        while (dir == ChanDir::Send) {
          auto* c = t->as<ChanType>();
          if (!c) break;
          dir = c->dir;
          if (dir == ChanDir::Recv) syntaxError("unexpected <-, expecting chan");
          c->dir = ChanDir::Recv;
          c->pos = p;
          t = c->elem;
          p = t ? t->pos : p;
        }
        if (dir == ChanDir::Send) syntaxError("unexpected " + exprString(t) + ", expecting chan");
        return x;
      }
      return ctx_.make<UnaryExpr>(p, Tok::Arrow, x);
    }
    default:
      return pexpr(nullptr);
  }
}

// Operand     = Literal | OperandName | "(" Expression ")" .
// Literal     = BasicLit | CompositeLit | FunctionLit .
// OperandName = identifier | QualifiedIdent .
Expr* Parser::operand() {
  Pos p = pos();
  switch (tok_.kind) {
    case Tok::Ident:
      return name();
    case Tok::Int: case Tok::Float: case Tok::Imag: case Tok::Char: case Tok::String:
      return literal();
    case Tok::LParen: {
      next();
      xnest_++;
      Expr* x = expr();
      xnest_--;
      want(Tok::RParen);
      return ctx_.make<ParenExpr>(p, x);
    }
    case Tok::Func: {
      // FunctionLit = "func" Signature FunctionBody .
      FuncType* ft = funcType("function type", nullptr);
      if (at(Tok::LBrace)) {
        xnest_++;
        FuncLit* f = ctx_.make<FuncLit>(p);
        f->type_ = ft;
        f->body = funcBody();
        xnest_--;
        return f;
      }
      return ft;
    }
    case Tok::LBrack: case Tok::Chan: case Tok::Map: case Tok::Struct: case Tok::Interface:
      return type();
    default: {
      Expr* x = badExpr();
      syntaxError("expecting expression");
      advance({Tok::RParen, Tok::RBrack, Tok::RBrace});
      return x;
    }
  }
}

// A BasicLit, or a BadExpr for a literal the lexer already complained about.
Expr* Parser::literal() {
  Expr* x;
  if (tok_.bad)
    x = ctx_.make<BadExpr>(pos());
  else
    x = ctx_.make<BasicLit>(pos(), tok_.kind, tok_.text);
  next();
  return x;
}

static Expr* unparen(Expr* x) {
  while (auto* p = x->as<ParenExpr>()) x = p->x;
  return x;
}

// Whether x must be a value (not a type), syntactically.
static bool isValue(Expr* x) {
  switch (x->kind) {
    case NodeKind::BasicLit: case NodeKind::CompositeLit: case NodeKind::FuncLit:
    case NodeKind::SliceExpr: case NodeKind::TypeAssertExpr: case NodeKind::CallExpr:
    case NodeKind::UnaryExpr: case NodeKind::BinaryExpr:
      return true;
    case NodeKind::ParenExpr: return isValue(x->as<ParenExpr>()->x);
    case NodeKind::IndexExpr: {
      auto* ix = x->as<IndexExpr>();
      return isValue(ix->x) || (ix->indices.size() == 1 && isValue(ix->indices[0]));
    }
    default: return false;
  }
}

// PrimaryExpr = Operand | Conversion | PrimaryExpr Selector | PrimaryExpr Index |
//               PrimaryExpr Slice | PrimaryExpr TypeAssertion | PrimaryExpr Arguments .
// Selector      = "." identifier .
// Index         = "[" Expression [ "," ] "]" .
// Slice         = "[" [ Expression ] ":" [ Expression ] "]" |
//                 "[" [ Expression ] ":" Expression ":" Expression "]" .
// TypeAssertion = "." "(" Type ")" .
// Arguments     = "(" [ ( ExpressionList | Type [ "," ExpressionList ] ) [ "..." ] [ "," ] ] ")" .
Expr* Parser::pexpr(Expr* x) {
  if (!x) x = operand();
  for (;;) {
    Pos p = pos();
    switch (tok_.kind) {
      case Tok::Period:
        next();
        if (at(Tok::Ident)) {
          x = ctx_.make<SelectorExpr>(x->pos, x, name());
        } else if (at(Tok::LParen)) {
          next();
          auto* t = ctx_.make<TypeAssertExpr>(x->pos, x);
          if (got(Tok::Type)) {
            guards_.push_back(t);
          } else {
            t->typeExpr = type();
          }
          want(Tok::RParen);
          x = t;
        } else {
          syntaxError("expecting name or (");
          advance({Tok::Semicolon, Tok::RParen});
        }
        break;
      case Tok::LBrack: {
        next();
        if (at(Tok::RBrack)) {
          syntaxError("expecting operand");
          next();
          break;
        }
        std::vector<Expr*> index;
        if (!at(Tok::Colon)) {
          bool comma = false;
          index = typeList(comma);
          if (comma || at(Tok::RBrack)) {
            want(Tok::RBrack);
            auto* ix = ctx_.make<IndexExpr>(x->pos, x);
            ix->lbrack = p;
            ix->indices = std::move(index);
            x = ix;
            break;
          }
        }
        if (!got(Tok::Colon)) {
          syntaxError("expecting comma, : or ]");
          advance({Tok::Comma, Tok::Colon, Tok::RBrack});
        }
        xnest_++;
        auto* s = ctx_.make<SliceExpr>(x->pos, x);
        s->lbrack = p;
        s->low = index.empty() ? nullptr : index[0];
        if (!at(Tok::Colon) && !at(Tok::RBrack)) s->high = expr();
        if (at(Tok::Colon)) {
          s->slice3 = true;
          if (!s->high) {
            errorAt(pos(), "middle index required in 3-index slice");
            s->high = badExpr();
          }
          next();
          if (!at(Tok::RBrack)) {
            s->max = expr();
          } else {
            errorAt(pos(), "final index required in 3-index slice");
            s->max = badExpr();
          }
        }
        xnest_--;
        want(Tok::RBrack);
        x = s;
        break;
      }
      case Tok::LParen: {
        auto* c = ctx_.make<CallExpr>(x->pos, x);
        c->lparen = p;
        next();
        c->args = argList(c->hasEllipsis, c->rparen);
        x = c;
        break;
      }
      case Tok::LBrace: {
        // a composite literal, or the block after an if/for/switch header
        Expr* t = unparen(x);
        bool complitOk = false;
        switch (t->kind) {
          case NodeKind::Ident: case NodeKind::SelectorExpr: complitOk = xnest_ >= 0; break;
          case NodeKind::IndexExpr: complitOk = xnest_ >= 0 && !isValue(t); break;
          case NodeKind::ArrayType: case NodeKind::StructType: case NodeKind::MapType:
            complitOk = true;
            break;
          default: break;
        }
        if (!complitOk) return x;
        if (t != x) syntaxError("cannot parenthesize type in composite literal");
        x = complitExpr(x);
        break;
      }
      default:
        return x;
    }
  }
}

// Element = Expression | LiteralValue .
Expr* Parser::bareComplitExpr() {
  if (at(Tok::LBrace)) return complitExpr(nullptr);  // elided type
  return expr();
}

// CompositeLit = LiteralType LiteralValue .
// LiteralValue = "{" [ ElementList [ "," ] ] "}" .
// KeyedElement = [ Key ":" ] Element .
CompositeLit* Parser::complitExpr(Expr* type) {
  Nest nest(*this);
  auto* x = ctx_.make<CompositeLit>(type ? type->pos : pos());
  x->typeExpr = type;
  if (nest.tooDeep()) return x;
  x->lbrace = pos();
  xnest_++;
  want(Tok::LBrace);
  x->rbrace = list("composite literal", Tok::Comma, Tok::RBrace, [&] {
    Expr* e = bareComplitExpr();
    if (at(Tok::Colon)) {
      next();
      e = ctx_.make<KeyValueExpr>(e->pos, e, bareComplitExpr());
    }
    x->elts.push_back(e);
    return false;
  });
  xnest_--;
  return x;
}

// ExpressionList = Expression { "," Expression } .
std::vector<Expr*> Parser::exprList() {
  std::vector<Expr*> v{expr()};
  while (got(Tok::Comma)) v.push_back(expr());
  return v;
}

// typeList = arg { "," arg } [ "," ] . (index expressions and type argument lists)
std::vector<Expr*> Parser::typeList(bool& comma) {
  xnest_++;
  std::vector<Expr*> v{expr()};
  comma = false;
  if (got(Tok::Comma)) {
    comma = true;
    while (Expr* t = typeOrNull()) {
      v.push_back(t);
      if (!got(Tok::Comma)) break;
    }
  }
  xnest_--;
  return v;
}

// argList = [ arg { "," arg } [ "..." ] [ "," ] ] ")" .
std::vector<Expr*> Parser::argList(bool& hasDots, Pos& rparen) {
  std::vector<Expr*> v;
  xnest_++;
  rparen = list("argument list", Tok::Comma, Tok::RParen, [&] {
    v.push_back(expr());
    hasDots = got(Tok::Ellipsis);
    return hasDots;
  });
  xnest_--;
  return v;
}

Ident* Parser::name() {
  if (at(Tok::Ident)) {
    Ident* n = ctx_.make<Ident>(pos(), tok_.text);
    next();
    return n;
  }
  Ident* n = ctx_.make<Ident>(pos(), "_");
  syntaxError("expecting name");
  advance();
  return n;
}

// IdentifierList = identifier { "," identifier } .
std::vector<Ident*> Parser::nameList(Ident* first) {
  std::vector<Ident*> v{first};
  while (got(Tok::Comma)) v.push_back(name());
  return v;
}

// TypeName = identifier | QualifiedIdent . QualifiedIdent = PackageName "." identifier .
// (followed by type arguments in Go with generics)
Expr* Parser::qualifiedName(Ident* n) {
  Expr* x;
  if (n) {
    x = n;
  } else if (at(Tok::Ident)) {
    x = name();
  } else {
    x = ctx_.make<Ident>(pos(), "_");
    syntaxError("expecting name");
    advance({Tok::Period, Tok::Semicolon, Tok::RBrace});
  }
  if (at(Tok::Period)) {
    next();
    x = ctx_.make<SelectorExpr>(x->pos, x, name());
  }
  if (at(Tok::LBrack)) x = typeInstance(x);
  return x;
}

// ---------------------------------------------------------------------------------------------
// Types

Expr* Parser::type() {
  Expr* t = typeOrNull();
  if (!t) {
    t = badExpr();
    syntaxError("expecting type");
    advance({Tok::Comma, Tok::Colon, Tok::Semicolon, Tok::RParen, Tok::RBrack, Tok::RBrace});
  }
  return t;
}

// Type     = TypeName | TypeLit | "(" Type ")" .
// TypeLit  = ArrayType | StructType | PointerType | FunctionType | InterfaceType |
//            SliceType | MapType | ChannelType .
// PointerType = "*" BaseType .
// MapType     = "map" "[" KeyType "]" ElementType .
// ChannelType = ( "chan" | "chan" "<-" | "<-" "chan" ) ElementType .
Expr* Parser::typeOrNull() {
  Nest nest(*this);
  if (nest.tooDeep()) return badExpr();
  Pos p = pos();
  switch (tok_.kind) {
    case Tok::Mul:
      next();
      return ctx_.make<StarExpr>(p, type());
    case Tok::Arrow: {
      next();
      want(Tok::Chan);
      auto* t = ctx_.make<ChanType>(p);
      t->dir = ChanDir::Recv;
      t->elem = chanElem();
      return t;
    }
    case Tok::Func:
      return funcType("function type", nullptr);
    case Tok::LBrack:
      next();
      if (got(Tok::RBrack)) return sliceType(p);
      return arrayType(p, nullptr);
    case Tok::Chan: {
      // chan<- chan int is chan<- (chan int): the element type is parsed greedily
      next();
      auto* t = ctx_.make<ChanType>(p);
      if (got(Tok::Arrow)) t->dir = ChanDir::Send;
      t->elem = chanElem();
      return t;
    }
    case Tok::Map: {
      next();
      want(Tok::LBrack);
      auto* t = ctx_.make<MapType>(p);
      t->key = type();
      want(Tok::RBrack);
      t->value_ = type();
      return t;
    }
    case Tok::Struct: return structType();
    case Tok::Interface: return interfaceType();
    case Tok::Ident: return qualifiedName(nullptr);
    case Tok::LParen: {
      next();
      Expr* t = type();
      want(Tok::RParen);
      return ctx_.make<ParenExpr>(p, t);
    }
    default:
      return nullptr;
  }
}

// TypeArgs = "[" TypeList [ "," ] "]" . (generic instantiation; the checker rejects it)
IndexExpr* Parser::typeInstance(Expr* x) {
  auto* ix = ctx_.make<IndexExpr>(x->pos, x);
  ix->lbrack = pos();
  want(Tok::LBrack);
  if (at(Tok::RBrack)) {
    syntaxError("expecting type");
    ix->indices.push_back(badExpr());
  } else {
    bool comma;
    ix->indices = typeList(comma);
  }
  want(Tok::RBrack);
  return ix;
}

// Signature  = Parameters [ Result ] .
// Parameters = "(" [ ParameterList [ "," ] ] ")" .
// The current token is "func" or, for declarations, what follows the name. typeParams is
// where a declaration keeps its type parameters; without it (func types and literals, methods:
// context names them) type parameters are a syntax error.
FuncType* Parser::funcType(const char* context, FieldList** typeParams) {
  auto* t = ctx_.make<FuncType>(pos());
  if (at(Tok::Func)) next();
  if (at(Tok::LBrack)) {
    Pos lbrack = pos();
    next();
    if (context)
      syntaxErrorAt(lbrack, std::string(context) + " must have no type parameters");
    else
      report(lbrack, kNoGenerics);
    FieldList* tp;
    if (at(Tok::RBrack)) {
      syntaxError("empty type parameter list");
      next();
      tp = ctx_.make<FieldList>(lbrack);
    } else {
      tp = params(Tok::RBrack, true);
    }
    tp->opening = lbrack;
    if (typeParams) *typeParams = tp;
  }
  Pos lparen = pos();
  want(Tok::LParen);
  t->params = params(Tok::RParen, false);
  t->params->opening = lparen;
  t->results = funcResult();
  return t;
}

// ArrayType = "[" ArrayLength "]" ElementType . ArrayLength = Expression | "..." .
// "[" has been consumed; len is the already parsed length, if any.
Expr* Parser::arrayType(Pos lbrack, Expr* len) {
  if (!len) {
    if (at(Tok::Ellipsis)) {
      len = ctx_.make<EllipsisType>(pos());
      next();
    } else {
      xnest_++;
      len = expr();
      xnest_--;
    }
  }
  if (at(Tok::Comma)) {
    syntaxError("unexpected comma; expecting ]");
    next();
  }
  want(Tok::RBrack);
  auto* t = ctx_.make<ArrayType>(lbrack);
  t->len = len;
  t->elem = type();
  return t;
}

// SliceType = "[" "]" ElementType . ("[" "]" has been consumed)
Expr* Parser::sliceType(Pos lbrack) {
  auto* t = ctx_.make<ArrayType>(lbrack);
  t->elem = type();
  return t;
}

Expr* Parser::chanElem() {
  Expr* t = typeOrNull();
  if (!t) {
    t = badExpr();
    syntaxError("missing channel element type");
  }
  return t;
}

// StructType = "struct" "{" { FieldDecl ";" } "}" .
StructType* Parser::structType() {
  auto* t = ctx_.make<StructType>(pos());
  want(Tok::Struct);
  t->fields = ctx_.make<FieldList>(pos());
  t->fields->opening = pos();
  want(Tok::LBrace);
  t->fields->closing = list("struct type", Tok::Semicolon, Tok::RBrace, [&] {
    fieldDecl(t->fields);
    return false;
  });
  return t;
}

// FieldDecl     = ( IdentifierList Type | EmbeddedField ) [ Tag ] .
// EmbeddedField = [ "*" ] TypeName [ TypeArgs ] .
// Tag           = string_lit .
void Parser::fieldDecl(FieldList* fields) {
  Field* f = ctx_.make<Field>(pos());
  auto tag = [&] {
    if (tok_.kind >= Tok::Int && tok_.kind <= Tok::String) {
      f->tag = ctx_.make<BasicLit>(pos(), tok_.kind, tok_.text);
      next();
    }
  };
  switch (tok_.kind) {
    case Tok::Ident: {
      Ident* n = name();
      if (at(Tok::Period) || (tok_.kind >= Tok::Int && tok_.kind <= Tok::String) || at(Tok::Semicolon) ||
          at(Tok::RBrace)) {
        f->type = qualifiedName(n);  // embedded type
        tag();
        break;
      }
      f->names = nameList(n);
      if (f->names.size() == 1 && at(Tok::LBrack)) {
        Ident* nm = n;
        Expr* t = arrayOrTArgs(nm);
        if (auto* ix = t->as<IndexExpr>()) {  // embedded generic instance T[P]
          ix->x = n;
          ix->pos = n->pos;
          f->names.clear();
        }
        f->type = t;
      } else {
        f->type = type();
      }
      tag();
      break;
    }
    case Tok::Mul: {
      Pos star = pos();
      next();
      Expr* t;
      if (at(Tok::LParen)) {
        syntaxError("cannot parenthesize embedded type");
        next();
        t = qualifiedName(nullptr);
        got(Tok::RParen);
      } else {
        t = qualifiedName(nullptr);
      }
      f->type = ctx_.make<StarExpr>(star, t);
      tag();
      break;
    }
    case Tok::LParen: {
      syntaxError("cannot parenthesize embedded type");
      next();
      if (at(Tok::Mul)) {
        Pos star = pos();
        next();
        f->type = ctx_.make<StarExpr>(star, qualifiedName(nullptr));
      } else {
        f->type = qualifiedName(nullptr);
      }
      got(Tok::RParen);
      tag();
      break;
    }
    default:
      syntaxError("expecting field name or embedded type");
      advance({Tok::Semicolon, Tok::RBrace});
      return;
  }
  fields->list.push_back(f);
}

// After a field or parameter name: "[" starts either an array/slice type or type arguments.
// Returns an ArrayType or an IndexExpr whose x the caller fills in.
Expr* Parser::arrayOrTArgs(Ident*& name) {
  Pos lbrack = pos();
  want(Tok::LBrack);
  if (got(Tok::RBrack)) return sliceType(lbrack);
  bool comma;
  std::vector<Expr*> n = typeList(comma);
  want(Tok::RBrack);
  if (!comma) {
    if (Expr* elem = typeOrNull()) {
      auto* t = ctx_.make<ArrayType>(lbrack);
      t->len = n[0];
      t->elem = elem;
      return t;
    }
  }
  auto* ix = ctx_.make<IndexExpr>(lbrack, name);
  ix->lbrack = lbrack;
  ix->indices = std::move(n);
  return ix;
}

// InterfaceType = "interface" "{" { InterfaceElem ";" } "}" .
// InterfaceElem = MethodElem | TypeElem .
InterfaceType* Parser::interfaceType() {
  auto* t = ctx_.make<InterfaceType>(pos());
  want(Tok::Interface);
  t->methods = ctx_.make<FieldList>(pos());
  t->methods->opening = pos();
  want(Tok::LBrace);
  t->methods->closing = list("interface type", Tok::Semicolon, Tok::RBrace, [&] {
    Field* f = nullptr;
    if (at(Tok::Ident)) f = methodDecl();
    if (!f || f->names.empty()) {
      if (!f) {
        f = ctx_.make<Field>(pos());
        f->type = embeddedTerm();
      }
      f->type = embeddedElem(f->type);
    }
    t->methods->list.push_back(f);
    return false;
  });
  return t;
}

// MethodElem = MethodName Signature . (or an embedded interface TypeName)
Field* Parser::methodDecl() {
  Field* f = ctx_.make<Field>(pos());
  Ident* n = name();
  if (at(Tok::LParen)) {
    f->names.push_back(n);
    f->type = funcType("interface method", nullptr);
  } else {
    f->type = qualifiedName(n);
  }
  return f;
}

// TypeElem = TypeTerm { "|" TypeTerm } . (constraint unions: generics, reported here)
Expr* Parser::embeddedElem(Expr* x) {
  while (at(Tok::Or)) {
    Pos p = pos();
    report(p, kNoGenerics);
    next();
    x = ctx_.make<BinaryExpr>(x->pos, Tok::Or, p, x, embeddedTerm());
  }
  return x;
}

// TypeTerm = Type | "~" Type .
Expr* Parser::embeddedTerm() {
  if (at(Tok::Tilde)) {
    Pos p = pos();
    report(p, kNoGenerics);
    next();
    return ctx_.make<UnaryExpr>(p, Tok::Tilde, type());
  }
  Expr* t = typeOrNull();
  if (!t) {
    t = badExpr();
    syntaxError("expecting ~ term or type");
    advance({Tok::Or, Tok::Semicolon, Tok::RParen, Tok::RBrack, Tok::RBrace});
  }
  return t;
}

// Result = Parameters | Type .
FieldList* Parser::funcResult() {
  if (at(Tok::LParen)) {
    Pos lparen = pos();
    next();
    FieldList* l = params(Tok::RParen, false);
    l->opening = lparen;
    return l;
  }
  Pos p = pos();
  if (Expr* t = typeOrNull()) {
    auto* l = ctx_.make<FieldList>(p);
    l->opening = l->closing = p;
    auto* f = ctx_.make<Field>(p);
    f->type = t;
    l->list.push_back(f);
    return l;
  }
  return nullptr;
}

// ParameterDecl = [ IdentifierList ] [ "..." ] Type . One name or one type at a time here;
// paramList distributes them. Returns false (after an error) when there was neither.
bool Parser::paramDecl(Ident* n, Tok close, Param& out) {
  out = Param{};
  out.pos = n ? n->pos : pos();
  if (close == Tok::RBrack && !n && at(Tok::Tilde)) {  // a constraint term
    out.type = embeddedElem(embeddedTerm());
    return true;
  }
  if (at(Tok::Ident) || n) {
    if (!n) n = name();
    if (at(Tok::LBrack)) {
      Ident* nm = n;
      out.type = arrayOrTArgs(nm);
      if (auto* ix = out.type->as<IndexExpr>()) {
        ix->x = n;
        ix->pos = n->pos;
      } else {
        out.name = n;
      }
      return true;
    }
    if (at(Tok::Period)) {
      out.type = qualifiedName(n);
      return true;
    }
    if (close == Tok::RBrack && at(Tok::Or)) {
      out.type = embeddedElem(n);
      return true;
    }
    out.name = n;
  }
  if (at(Tok::Ellipsis)) {
    auto* e = ctx_.make<EllipsisType>(pos());
    next();
    e->elem = typeOrNull();
    if (!e->elem) {
      e->elem = badExpr();
      syntaxError("... is missing type");
    }
    out.type = e;
    return true;
  }
  if (close == Tok::RBrack && at(Tok::Tilde)) {
    out.type = embeddedElem(embeddedTerm());
    return true;
  }
  out.type = typeOrNull();
  if (out.type && close == Tok::RBrack) out.type = embeddedElem(out.type);
  if (out.name || out.type) return true;
  syntaxError("expecting " + tokWord(close));
  advance({Tok::Comma, close});
  return false;
}

// ParameterList = ParameterDecl { "," ParameterDecl } . The opening token has been consumed;
// name and typ may hold an already parsed first parameter. Afterwards either every parameter
// has a name and a type, or none has a name (a lone name is then a type).
std::vector<Param> Parser::paramList(Ident* n, Expr* typ, Tok close, bool requireNames, Pos& end) {
  std::vector<Param> v;
  if (n && typ && at(close)) {
    end = pos();
    next();
    v.push_back({n->pos, n, typ});
    return v;
  }
  int named = 0, typed = 0;
  end = list("parameter list", Tok::Comma, close, [&] {
    Param par;
    bool ok = true;
    if (typ) {
      par = {n->pos, n, typ};
    } else {
      ok = paramDecl(n, close, par);
    }
    n = nullptr, typ = nullptr;
    if (ok) {
      if (par.name && par.type) named++;
      if (par.type) typed++;
      v.push_back(par);
    }
    return false;
  });
  if (v.empty()) return v;
  if (named == 0 && !requireNames) {
    for (Param& par : v)  // all unnamed: the names found are type names
      if (par.name) par.type = par.name, par.name = nullptr;
  } else if (named != (int)v.size()) {
    // some named: all must have names and types; distribute types from right to left
    Pos errPos;
    Expr* t = nullptr;
    for (size_t i = v.size(); i-- > 0;) {
      Param& par = v[i];
      if (par.type) {
        t = par.type;
        if (!par.name) {
          errPos = t->pos;
          par.name = ctx_.make<Ident>(errPos, "_");
        }
      } else if (t) {
        par.type = t;
      } else {
        errPos = par.name->pos;
        par.type = ctx_.make<BadExpr>(errPos);
      }
    }
    if (errPos.valid()) {
      std::string msg = "mixed named and unnamed parameters";
      if (requireNames) {
        if (named == typed) {
          errPos = end;
          msg = "missing type constraint";
        } else {
          msg = "type parameters must be named";
        }
      }
      syntaxErrorAt(errPos, msg);
    }
  }
  return v;
}

// Groups consecutive parameters that share a type into one Field: `a, b int` is one Field.
FieldList* Parser::fieldList(Pos opening, const std::vector<Param>& ps, Pos closing) {
  auto* l = ctx_.make<FieldList>(opening);
  l->opening = opening;
  l->closing = closing;
  for (const Param& par : ps) {
    Field* last = l->list.empty() ? nullptr : l->list.back();
    if (last && par.name && !last->names.empty() && last->type == par.type) {
      last->names.push_back(par.name);
      continue;
    }
    Field* f = ctx_.make<Field>(par.pos);
    if (par.name) f->names.push_back(par.name);
    f->type = par.type;
    l->list.push_back(f);
  }
  return l;
}

FieldList* Parser::params(Tok close, bool requireNames, Ident* n, Expr* typ) {
  Pos opening = pos();
  Pos end;
  std::vector<Param> ps = paramList(n, typ, close, requireNames, end);
  return fieldList(opening, ps, end);
}

// ---------------------------------------------------------------------------------------------
// Statements

// SimpleStmt = EmptyStmt | ExpressionStmt | SendStmt | IncDecStmt | Assignment | ShortVarDecl .
// In a for header (keyword For) it may also be a RangeClause, returned as a RangeStmt.
Stmt* Parser::simpleStmt(std::vector<Expr*> lhs, Tok keyword) {
  if (keyword == Tok::For && at(Tok::Range)) return rangeClause({}, Tok::Illegal, pos());
  if (lhs.empty()) lhs = exprList();

  if (lhs.size() == 1 && !at(Tok::Assign) && !at(Tok::Define)) {
    Expr* x = lhs[0];
    Pos p = pos();
    Tok t = tok_.kind;
    if (assignOpBase(t) != Tok::Illegal) {  // x op= y
      next();
      auto* a = ctx_.make<AssignStmt>(x->pos, t);
      a->tokPos = p;
      a->lhs = {x};
      a->rhs = {expr()};
      return a;
    }
    if (t == Tok::Inc || t == Tok::Dec) {
      next();
      return ctx_.make<IncDecStmt>(x->pos, x, t);
    }
    if (t == Tok::Arrow) {  // x <- y
      next();
      auto* s = ctx_.make<SendStmt>(x->pos, x, expr());
      s->arrow = p;
      return s;
    }
    return ctx_.make<ExprStmt>(x->pos, x);
  }

  if (at(Tok::Assign) || at(Tok::Define)) {
    Tok t = tok_.kind;
    Pos p = pos();
    next();
    if (keyword == Tok::For && at(Tok::Range)) {
      Pos start = lhs[0]->pos;
      return rangeClause(std::move(lhs), t, start);
    }
    auto* a = ctx_.make<AssignStmt>(lhs[0]->pos, t);
    a->tokPos = p;
    a->lhs = std::move(lhs);
    a->rhs = exprList();
    return a;
  }

  syntaxError("expecting := or = or comma");
  advance({Tok::Semicolon, Tok::RBrace});
  return ctx_.make<ExprStmt>(lhs[0]->pos, lhs[0]);
}

// RangeClause = [ ExpressionList "=" | IdentifierList ":=" ] "range" Expression .
RangeStmt* Parser::rangeClause(std::vector<Expr*> lhs, Tok assignTok, Pos p) {
  auto* r = ctx_.make<RangeStmt>(p);
  next();  // range
  r->tok = assignTok;
  if (lhs.size() > 0) r->key = lhs[0];
  if (lhs.size() > 1) r->value_ = lhs[1];
  if (lhs.size() > 2) errorAt(lhs[2]->pos, "range clause permits at most two iteration variables");
  r->x = expr();
  return r;
}

// LabeledStmt = Label ":" Statement .
Stmt* Parser::labeledStmtOrNull(Ident* label) {
  Pos colon = pos();
  want(Tok::Colon);
  if (at(Tok::RBrace)) {
    // a label before "}" labels an (implicit) empty statement
    return ctx_.make<LabeledStmt>(label->pos, label, ctx_.make<EmptyStmt>(pos()));
  }
  if (Stmt* s = stmtOrNull()) return ctx_.make<LabeledStmt>(label->pos, label, s);
  syntaxErrorAt(colon, "missing statement after label");
  return nullptr;
}

// Block = "{" StatementList "}" .
BlockStmt* Parser::blockStmt(const char* context) {
  Nest nest(*this);
  if (nest.tooDeep()) return ctx_.make<BlockStmt>(pos());
  auto* b = ctx_.make<BlockStmt>(pos());
  if (!got(Tok::LBrace)) {
    syntaxError(std::string("expecting { after ") + context);
    advance({Tok::Ident, Tok::RBrace});
    b->rbrace = pos();
    if (got(Tok::RBrace)) return b;
  }
  b->list = stmtList();
  b->rbrace = pos();
  want(Tok::RBrace);
  return b;
}

Stmt* Parser::declStmt() {
  Pos p = pos();
  return ctx_.make<DeclStmt>(p, genDecl(tok_.kind));
}

// ForStmt = "for" [ Condition | ForClause | RangeClause ] Block .
// ForClause = [ InitStmt ] ";" [ Condition ] ";" [ PostStmt ] .
Stmt* Parser::forStmt() {
  Pos p = pos();
  Stmt *init, *cond, *post;
  header(Tok::For, init, cond, post);
  if (auto* r = init ? init->as<RangeStmt>() : nullptr) {
    r->pos = p;
    r->body = blockStmt("for clause");
    return r;
  }
  auto* f = ctx_.make<ForStmt>(p);
  f->init = init;
  f->post = post;
  if (cond) f->cond = cond->as<ExprStmt>() ? cond->as<ExprStmt>()->x : nullptr;
  f->body = blockStmt("for clause");
  return f;
}

// Whether s is the guard of a type switch: `x.(type)` or `v := x.(type)`.
bool Parser::isTypeSwitchGuard(const Stmt* s, Expr** guard) const {
  Expr* g = nullptr;
  if (auto* e = s->as<ExprStmt>()) {
    g = e->x;
  } else if (auto* a = s->as<AssignStmt>()) {
    if (a->tok != Tok::Define || a->lhs.size() != 1 || a->rhs.size() != 1 || !a->lhs[0]->is<Ident>())
      return false;
    g = a->rhs[0];
  }
  auto* t = g ? g->as<TypeAssertExpr>() : nullptr;
  if (!t || t->typeExpr) return false;
  if (guard) *guard = t;
  return true;
}

// The header of if, for and switch: [ InitStmt ";" ] Condition-or-tag, or a ForClause. cond
// comes back as a statement: an ExprStmt holding the condition, or a type switch guard.
void Parser::header(Tok keyword, Stmt*& init, Stmt*& cond, Stmt*& post) {
  init = cond = post = nullptr;
  next();  // the keyword
  if (at(Tok::LBrace)) {
    if (keyword == Tok::If) {
      syntaxError("missing condition in if statement");
      cond = ctx_.make<ExprStmt>(pos(), badExpr());
    }
    return;
  }
  int outer = xnest_;
  xnest_ = -1;
  if (!at(Tok::Semicolon)) {
    if (got(Tok::Var)) syntaxError("var declaration not allowed in " + tokWord(keyword) + " initializer");
    init = simpleStmt({}, keyword);
    if (init->is<RangeStmt>()) {
      xnest_ = outer;
      return;
    }
  }
  Stmt* condStmt = nullptr;
  Pos semiPos;
  std::string semiLit;
  if (!at(Tok::LBrace)) {
    if (at(Tok::Semicolon)) {
      semiPos = pos();
      semiLit = tokDesc();
      next();
    } else {
      want(Tok::LBrace);  // asking for "{" rather than ";" gives a better message
      if (!at(Tok::LBrace)) advance({Tok::LBrace, Tok::RBrace});
    }
    if (keyword == Tok::For) {
      if (!at(Tok::Semicolon)) {
        if (at(Tok::LBrace)) {
          syntaxError("expecting for loop condition");
          goto done;
        }
        condStmt = simpleStmt({}, Tok::Illegal);
      }
      want(Tok::Semicolon);
      if (!at(Tok::LBrace)) {
        post = simpleStmt({}, Tok::Illegal);
        if (auto* a = post->as<AssignStmt>(); a && a->tok == Tok::Define)
          syntaxErrorAt(a->tokPos, "cannot declare in post statement of for loop");
      }
    } else if (!at(Tok::LBrace)) {
      condStmt = simpleStmt({}, keyword);
    }
  } else {
    condStmt = init;
    init = nullptr;
  }
done:
  if (!condStmt) {
    if (keyword == Tok::If && semiPos.valid()) {
      if (semiLit != "semicolon")
        syntaxErrorAt(semiPos, "unexpected " + semiLit + ", expecting { after if clause");
      else
        syntaxErrorAt(semiPos, "missing condition in if statement");
      cond = ctx_.make<ExprStmt>(semiPos, ctx_.make<BadExpr>(semiPos));
    }
  } else if (condStmt->is<ExprStmt>() || (keyword == Tok::Switch && isTypeSwitchGuard(condStmt))) {
    cond = condStmt;
  } else {
    // a common mistake is '=' for '==', which turns the condition into an assignment
    std::string str;
    if (auto* a = condStmt->as<AssignStmt>(); a && a->tok == Tok::Assign)
      str = "assignment (" + exprListString(a->lhs) + ") = (" + exprListString(a->rhs) + ")";
    else
      str = exprString(condStmt);
    auto* a = condStmt->as<AssignStmt>();
    syntaxErrorAt(a ? a->tokPos : condStmt->pos, "cannot use " + str + " as value");
    cond = ctx_.make<ExprStmt>(condStmt->pos, ctx_.make<BadExpr>(condStmt->pos));
  }
  xnest_ = outer;
}

// IfStmt = "if" [ SimpleStmt ";" ] Expression Block [ "else" ( IfStmt | Block ) ] .
Stmt* Parser::ifStmt() {
  auto* s = ctx_.make<IfStmt>(pos());
  Stmt *cond, *post;
  header(Tok::If, s->init, cond, post);
  if (cond) s->cond = cond->as<ExprStmt>() ? cond->as<ExprStmt>()->x : nullptr;
  if (!s->cond) s->cond = ctx_.make<BadExpr>(s->pos);
  s->body = blockStmt("if clause");
  if (got(Tok::Else)) {
    if (at(Tok::If)) {
      s->else_ = ifStmt();
    } else if (at(Tok::LBrace)) {
      s->else_ = blockStmt("");
    } else {
      syntaxError("else must be followed by if or statement block");
      advance({Tok::Ident, Tok::RBrace});
    }
  }
  return s;
}

// SwitchStmt     = ExprSwitchStmt | TypeSwitchStmt .
// ExprSwitchStmt = "switch" [ SimpleStmt ";" ] [ Expression ] "{" { ExprCaseClause } "}" .
// TypeSwitchStmt = "switch" [ SimpleStmt ";" ] TypeSwitchGuard "{" { TypeCaseClause } "}" .
// TypeSwitchGuard = [ identifier ":=" ] PrimaryExpr "." "(" "type" ")" .
Stmt* Parser::switchStmt() {
  Pos p = pos();
  Stmt *init, *cond, *post;
  header(Tok::Switch, init, cond, post);
  BlockStmt* body = ctx_.make<BlockStmt>(pos());
  Stmt* result;
  Expr* guard = nullptr;
  if (cond && isTypeSwitchGuard(cond, &guard)) {
    switchGuards_.insert(guard);
    auto* s = ctx_.make<TypeSwitchStmt>(p);
    s->init = init;
    s->assign = cond;
    s->body = body;
    result = s;
  } else {
    auto* s = ctx_.make<SwitchStmt>(p);
    s->init = init;
    s->tag = cond ? cond->as<ExprStmt>()->x : nullptr;
    s->body = body;
    result = s;
  }
  if (!got(Tok::LBrace)) {
    syntaxError("missing { after switch clause");
    advance({Tok::Case, Tok::Default, Tok::RBrace});
  }
  while (!at(Tok::EndOfFile) && !at(Tok::RBrace)) body->list.push_back(caseClause());
  body->rbrace = pos();
  want(Tok::RBrace);
  return result;
}

// SelectStmt = "select" "{" { CommClause } "}" .
Stmt* Parser::selectStmt() {
  auto* s = ctx_.make<SelectStmt>(pos());
  next();
  s->body = ctx_.make<BlockStmt>(pos());
  if (!got(Tok::LBrace)) {
    syntaxError("missing { after select clause");
    advance({Tok::Case, Tok::Default, Tok::RBrace});
  }
  while (!at(Tok::EndOfFile) && !at(Tok::RBrace)) s->body->list.push_back(commClause());
  s->body->rbrace = pos();
  want(Tok::RBrace);
  return s;
}

// ExprCaseClause = ExprSwitchCase ":" StatementList .
// ExprSwitchCase = "case" ExpressionList | "default" .
// (TypeSwitchCase = "case" TypeList | "default" parses the same way)
CaseClause* Parser::caseClause() {
  auto* c = ctx_.make<CaseClause>(pos());
  if (got(Tok::Case)) {
    c->list = exprList();
  } else if (got(Tok::Default)) {
    c->isDefault = true;
  } else {
    syntaxError("expecting case or default or }");
    advance({Tok::Colon, Tok::Case, Tok::Default, Tok::RBrace});
  }
  want(Tok::Colon);
  c->body = stmtList();
  return c;
}

// CommClause = CommCase ":" StatementList .
// CommCase   = "case" ( SendStmt | RecvStmt ) | "default" .
// RecvStmt   = [ ExpressionList "=" | IdentifierList ":=" ] RecvExpr .
CommClause* Parser::commClause() {
  auto* c = ctx_.make<CommClause>(pos());
  if (got(Tok::Case)) {
    c->comm = simpleStmt({}, Tok::Illegal);  // which simple statements are valid: the checker
  } else if (!got(Tok::Default)) {
    syntaxError("expecting case or default or }");
    advance({Tok::Colon, Tok::Case, Tok::Default, Tok::RBrace});
  }
  want(Tok::Colon);
  c->body = stmtList();
  return c;
}

// GoStmt = "go" Expression . DeferStmt = "defer" Expression . (the expression must be a call)
Stmt* Parser::callStmt() {
  Pos p = pos();
  Tok kw = tok_.kind;
  next();
  Expr* x = pexpr(nullptr);
  if (Expr* t = unparen(x); t != x) {
    errorAt(x->pos, "expression in " + std::string(tokString(kw)) + " must not be parenthesized");
    x = t;
  }
  auto* call = x->as<CallExpr>();
  if (!call) {
    errorAt(x->pos, "expression in " + std::string(tokString(kw)) + " must be function call");
    call = ctx_.make<CallExpr>(x->pos, x);  // assume the parentheses were forgotten
  }
  if (kw == Tok::Go) return ctx_.make<GoStmt>(p, call);
  return ctx_.make<DeferStmt>(p, call);
}

// Statement = Declaration | LabeledStmt | SimpleStmt | GoStmt | ReturnStmt | BreakStmt |
//             ContinueStmt | GotoStmt | FallthroughStmt | Block | IfStmt | SwitchStmt |
//             SelectStmt | ForStmt | DeferStmt .
Stmt* Parser::stmtOrNull() {
  Nest nest(*this);
  if (nest.tooDeep()) return nullptr;
  Pos p = pos();
  if (at(Tok::Ident)) {
    std::vector<Expr*> lhs = exprList();
    if (lhs.size() == 1 && at(Tok::Colon))
      if (auto* label = lhs[0]->as<Ident>()) return labeledStmtOrNull(label);
    return simpleStmt(std::move(lhs), Tok::Illegal);
  }
  switch (tok_.kind) {
    case Tok::Var: case Tok::Const: case Tok::Type:
      return declStmt();
    case Tok::LBrace:
      return blockStmt("");
    case Tok::Add: case Tok::Sub: case Tok::Mul: case Tok::And: case Tok::Xor: case Tok::Not:
    case Tok::Int: case Tok::Float: case Tok::Imag: case Tok::Char: case Tok::String:
    case Tok::Func: case Tok::LParen: case Tok::LBrack: case Tok::Struct: case Tok::Map:
    case Tok::Chan: case Tok::Interface: case Tok::Arrow:
      return simpleStmt({}, Tok::Illegal);
    case Tok::For: return forStmt();
    case Tok::Switch: return switchStmt();
    case Tok::Select: return selectStmt();
    case Tok::If: return ifStmt();
    case Tok::Fallthrough:
      next();
      return ctx_.make<BranchStmt>(p, Tok::Fallthrough);
    case Tok::Break: case Tok::Continue: {
      auto* s = ctx_.make<BranchStmt>(p, tok_.kind);
      next();
      if (at(Tok::Ident)) s->label = name();
      return s;
    }
    case Tok::Go: case Tok::Defer:
      return callStmt();
    case Tok::Goto: {
      auto* s = ctx_.make<BranchStmt>(p, Tok::Goto);
      next();
      s->label = name();
      return s;
    }
    case Tok::Return: {
      auto* s = ctx_.make<ReturnStmt>(p);
      next();
      if (!at(Tok::Semicolon) && !at(Tok::RBrace)) s->results = exprList();
      return s;
    }
    case Tok::Semicolon: {
      auto* s = ctx_.make<EmptyStmt>(p);
      s->implicit = tok_.text == "\n";
      return s;
    }
    default:
      return nullptr;
  }
}

// StatementList = { Statement ";" } .
std::vector<Stmt*> Parser::stmtList() {
  std::vector<Stmt*> v;
  while (!at(Tok::EndOfFile) && !at(Tok::RBrace) && !at(Tok::Case) && !at(Tok::Default)) {
    Stmt* s = stmtOrNull();
    if (!s) break;
    if (!s->is<EmptyStmt>() || !s->as<EmptyStmt>()->implicit) v.push_back(s);
    // ";" is optional before "}"
    if (!got(Tok::Semicolon) && !at(Tok::RBrace)) {
      syntaxError("at end of statement");
      advance({Tok::Semicolon, Tok::RBrace, Tok::Case, Tok::Default});
      got(Tok::Semicolon);
    }
  }
  return v;
}

}  // namespace

File* parseFile(AstContext& ctx, const SourceManager& sm, int32_t file, Diag& diag) {
  Parser p(ctx, sm, file, diag);
  return p.parseFile();
}

}  // namespace gol
