// parser_test.cpp: the parser on each construct of Go's grammar (compared through dumpAst or
// exprString), gc's error messages, panic-mode recovery (one mistake, one error) and the
// rejection of type parameters.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parser.h"

using namespace gol;

namespace {

struct Parsed {
  SourceManager sm;
  AstContext ctx;
  File* file = nullptr;
  std::vector<std::string> errors;  // "line:col: message"
};

void parse(Parsed& p, const std::string& src) {
  int32_t f = p.sm.add("t.go", src);
  Diag diag(p.sm);
  p.file = parseFile(p.ctx, p.sm, f, diag);
  for (auto& d : diag.sorted())
    p.errors.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.msg);
}

// The errors of a whole file, joined by newlines.
std::string errorsOf(const std::string& src) {
  Parsed p;
  parse(p, src);
  std::string s;
  for (auto& e : p.errors) s += (s.empty() ? "" : "\n") + e;
  return s;
}

// The dump of the statements of `func f() { body }`, dedented to column 0.
std::string dumpStmts(const std::string& body, std::vector<std::string>* errors = nullptr) {
  Parsed p;
  parse(p, "package p\nfunc f() {\n" + body + "\n}\n");
  if (errors) *errors = p.errors;
  else
    CHECK_MESSAGE(p.errors.empty(), (p.errors.empty() ? "" : p.errors[0]));
  std::string out;
  auto* fd = p.file->decls.empty() ? nullptr : p.file->decls[0]->as<FuncDecl>();
  if (!fd || !fd->body) return "<no body>";
  for (Stmt* s : fd->body->list) {
    std::string d = dumpAst(s);
    out += d;
  }
  return out;
}

// An expression as exprString prints it back, after parsing `_ = expr`.
std::string reprint(const std::string& expr) {
  Parsed p;
  parse(p, "package p\nvar _ = " + expr + "\n");
  CHECK_MESSAGE(p.errors.empty(), (p.errors.empty() ? "" : p.errors[0]));
  auto* g = p.file->decls.empty() ? nullptr : p.file->decls[0]->as<GenDecl>();
  if (!g || g->specs.empty()) return "<none>";
  auto* vs = g->specs[0]->as<ValueSpec>();
  return vs->values.empty() ? "<none>" : exprString(vs->values[0]);
}

// The dump of the first declaration of a file.
std::string dumpDecl(const std::string& src) {
  Parsed p;
  parse(p, src);
  CHECK_MESSAGE(p.errors.empty(), (p.errors.empty() ? "" : p.errors[0]));
  return p.file->decls.empty() ? "<none>" : dumpAst(p.file->decls[0]);
}

}  // namespace

TEST_CASE("parser: package clause and imports") {
  Parsed p;
  parse(p, "package main\nimport \"fmt\"\nimport (\n\tm \"math\"\n\t. \"strings\"\n\t_ \"os\"\n)\n");
  CHECK(p.errors.empty());
  REQUIRE(p.file->packageName);
  CHECK(p.file->packageName->name == "main");
  REQUIRE(p.file->imports.size() == 4);
  CHECK(p.file->imports[0]->name == nullptr);
  CHECK(p.file->imports[0]->path->text == "\"fmt\"");
  CHECK(p.file->imports[1]->name->name == "m");
  CHECK(p.file->imports[2]->name->name == ".");
  CHECK(p.file->imports[3]->name->name == "_");
  REQUIRE(p.file->decls.size() == 2);
  CHECK(p.file->decls[1]->as<GenDecl>()->grouped);
}

TEST_CASE("parser: const groups carry iota and implicit repetition") {
  Parsed p;
  parse(p, "package p\nconst (\n\tA = iota\n\tB\n\tC, D int = 1, 2\n\tE, F\n\tG int\n)\nconst H = 1\n");
  CHECK(p.errors.empty());
  auto* g = p.file->decls[0]->as<GenDecl>();
  REQUIRE(g);
  REQUIRE(g->specs.size() == 5);
  auto spec = [&](int i) { return g->specs[i]->as<ValueSpec>(); };
  CHECK(spec(0)->iota == 0);
  CHECK(spec(0)->implicitFrom == nullptr);
  CHECK(spec(1)->iota == 1);
  CHECK(spec(1)->implicitFrom == spec(0));
  CHECK(spec(2)->implicitFrom == nullptr);
  CHECK(spec(3)->iota == 3);
  CHECK(spec(3)->implicitFrom == spec(2));
  CHECK(spec(3)->names.size() == 2);
  CHECK(spec(4)->implicitFrom == nullptr);  // a type without values repeats nothing
  CHECK(spec(4)->type != nullptr);
}

TEST_CASE("parser: var and type declarations") {
  CHECK(dumpDecl("package p\nvar a, b int = 1, 2\n") ==
        "GenDecl var\n"
        "  ValueSpec a b\n"
        "    type: Ident int\n"
        "    value: BasicLit Int 1\n"
        "    value: BasicLit Int 2\n");
  CHECK(dumpDecl("package p\ntype A = map[string][]*int\n") ==
        "GenDecl type\n"
        "  TypeSpec A =\n"
        "    MapType\n"
        "      key: Ident string\n"
        "      value: ArrayType (slice)\n"
        "        elem: StarExpr\n"
        "          Ident int\n");
  CHECK(dumpDecl("package p\ntype A [N]int\n") ==
        "GenDecl type\n"
        "  TypeSpec A\n"
        "    ArrayType\n"
        "      len: Ident N\n"
        "      elem: Ident int\n");
  CHECK(dumpDecl("package p\ntype A [2*N]int\n").find("len: BinaryExpr *") != std::string::npos);
}

TEST_CASE("parser: type literals") {
  CHECK(reprint("[3]int{}") == "[3]int{…}");
  CHECK(reprint("[...]string{}") == "[...]string{…}");
  CHECK(reprint("(*T)(nil)") == "(*T)(nil)");
  CHECK(reprint("(func(a, b int, c ...string) (bool, error))(nil)") ==
        "(func(a, b int, c ...string) (bool, error))(nil)");
  CHECK(reprint("(interface{ fmt.Stringer; M(int) string })(nil)") ==
        "(interface{fmt.Stringer; M(int) string})(nil)");
  CHECK(reprint("struct{ a, b int; *E; p.F `tag` }{}") == "struct{a, b int; *E; p.F}{…}");
  CHECK(reprint("map[string]chan int{}") == "map[string]chan int{…}");
  CHECK(reprint("(chan<- chan int)(nil)") == "(chan<- chan int)(nil)");
  CHECK(reprint("(chan (<-chan int))(nil)") == "(chan (<-chan int))(nil)");
  CHECK(reprint("(<-chan <-chan int)(nil)") == "(<-chan <-chan int)(nil)");
}

TEST_CASE("parser: channel direction associativity") {
  Parsed p;
  parse(p, "package p\ntype A chan<- chan int\ntype B <-chan <-chan int\ntype C chan<- <-chan int\n");
  CHECK(p.errors.empty());
  auto typeOf = [&](int i) { return p.file->decls[i]->as<GenDecl>()->specs[0]->as<TypeSpec>()->type->as<ChanType>(); };
  REQUIRE(typeOf(0));
  CHECK(typeOf(0)->dir == ChanDir::Send);
  CHECK(typeOf(0)->elem->as<ChanType>()->dir == ChanDir::Both);
  CHECK(typeOf(1)->dir == ChanDir::Recv);
  CHECK(typeOf(1)->elem->as<ChanType>()->dir == ChanDir::Recv);
  CHECK(typeOf(2)->dir == ChanDir::Send);
  CHECK(typeOf(2)->elem->as<ChanType>()->dir == ChanDir::Recv);
  // <-x is a receive unless x turns out to be a channel type
  CHECK(reprint("<-c") == "<-c");
  CHECK(reprint("<-chan int(c)") == "<-chan int(c)");
}

TEST_CASE("parser: struct fields") {
  std::string d = dumpDecl("package p\ntype S struct {\n\tX, Y int `json:\"x\"`\n\t*Q\n\tfmt.Stringer\n\tT\n}\n");
  CHECK(d ==
        "GenDecl type\n"
        "  TypeSpec S\n"
        "    StructType\n"
        "      FieldList\n"
        "        Field X Y\n"
        "          Ident int\n"
        "          tag: BasicLit String `json:\"x\"`\n"
        "        Field\n"
        "          StarExpr\n"
        "            Ident Q\n"
        "        Field\n"
        "          SelectorExpr .Stringer\n"
        "            Ident fmt\n"
        "        Field\n"
        "          Ident T\n");
}

TEST_CASE("parser: functions and methods") {
  Parsed p;
  parse(p, "package p\nfunc f(a, b int, s ...string) (n int, err error) { return }\n"
           "func (r *T) M() {}\nfunc g(int, string) bool\n");
  CHECK(p.errors.empty());
  REQUIRE(p.file->decls.size() == 3);
  auto* f = p.file->decls[0]->as<FuncDecl>();
  CHECK(f->name->name == "f");
  CHECK(f->type->params->list.size() == 2);
  CHECK(f->type->params->numFields() == 3);
  CHECK(f->type->params->list[1]->type->is<EllipsisType>());
  CHECK(f->type->results->numFields() == 2);
  auto* m = p.file->decls[1]->as<FuncDecl>();
  REQUIRE(m->recv);
  CHECK(m->recv->list[0]->names[0]->name == "r");
  CHECK(m->recv->list[0]->type->is<StarExpr>());
  auto* g = p.file->decls[2]->as<FuncDecl>();
  CHECK(g->body == nullptr);
  CHECK(g->type->params->numFields() == 2);
  CHECK(g->type->params->list[0]->names.empty());
}

TEST_CASE("parser: operators and precedence") {
  CHECK(reprint("a + b * c") == "a + b * c");
  Parsed p;
  parse(p, "package p\nvar _ = a || b && c == d + e * -f\n");
  CHECK(p.errors.empty());
  Expr* e = p.file->decls[0]->as<GenDecl>()->specs[0]->as<ValueSpec>()->values[0];
  auto* orE = e->as<BinaryExpr>();
  REQUIRE(orE);
  CHECK(orE->op == Tok::LOr);
  auto* andE = orE->y->as<BinaryExpr>();
  REQUIRE(andE);
  CHECK(andE->op == Tok::LAnd);
  auto* eq = andE->y->as<BinaryExpr>();
  REQUIRE(eq);
  CHECK(eq->op == Tok::Eql);
  CHECK(eq->y->as<BinaryExpr>()->op == Tok::Add);
  CHECK(eq->y->as<BinaryExpr>()->y->as<BinaryExpr>()->op == Tok::Mul);
  CHECK(eq->y->as<BinaryExpr>()->y->as<BinaryExpr>()->y->is<UnaryExpr>());
  CHECK(orE->opPos.col == 11);
  CHECK(dumpStmts("x := a - b - c") ==  // left associative
        "AssignStmt :=\n  lhs: Ident x\n  rhs: BinaryExpr -\n    BinaryExpr -\n      Ident a\n      Ident b\n    Ident c\n");
  CHECK(reprint("&x") == "&x");
  CHECK(reprint("^x &^ y << 2") == "^x &^ y << 2");
  CHECK(reprint("!*p") == "!*p");
}

TEST_CASE("parser: primary expressions") {
  CHECK(reprint("a.b.c") == "a.b.c");
  CHECK(reprint("a[i]") == "a[i]");
  CHECK(reprint("s[1:2]") == "s[1:2]");
  CHECK(reprint("s[:]") == "s[:]");
  CHECK(reprint("s[1:2:3]") == "s[1:2:3]");
  CHECK(reprint("s[:2:3]") == "s[:2:3]");
  CHECK(reprint("x.(T)") == "x.(T)");
  CHECK(reprint("x.(*p.T)") == "x.(*p.T)");
  CHECK(reprint("f(a, b...)") == "f(a, b...)");
  CHECK(reprint("f(a, b,)") == "f(a, b)");
  CHECK(reprint("[]int(x)") == "[]int(x)");
  CHECK(reprint("func(x int) int { return x }") == "(func(x int) int literal)");
  CHECK(reprint("T{a: 1, b: {2}}") == "T{…}");
  CHECK(reprint("p.T{}") == "p.T{…}");
  CHECK(reprint("(a)") == "(a)");
}

TEST_CASE("parser: composite literals with elided types") {
  std::string d = dumpStmts("x := [][]int{{1}, {2, 3}}\ny := map[K]V{{1, 2}: {3}}");
  CHECK(d.find("    CompositeLit\n      BasicLit Int 1\n") != std::string::npos);
  CHECK(d.find("key: CompositeLit") != std::string::npos);
}

TEST_CASE("parser: composite literals in statement headers") {
  std::vector<std::string> errs;
  // T{} inside the header must be parenthesized; inside parentheses or calls it is fine
  dumpStmts("if x == (T{}) {\n}\nfor _, v := range []T{{}} {\n}\nswitch f(T{}) {\n}", &errs);
  CHECK(errs.empty());
  std::string d = dumpStmts("if x == y {\n}");
  CHECK(d == "IfStmt\n  cond: BinaryExpr ==\n    Ident x\n    Ident y\n  body: BlockStmt\n");
  // unparenthesized: the { opens the block, so the literal's body is a syntax error
  dumpStmts("if x == T{} {\n}", &errs);
  REQUIRE(!errs.empty());
  CHECK(errs[0].find("syntax error") != std::string::npos);
}

TEST_CASE("parser: simple statements") {
  CHECK(dumpStmts("x++\ny--\nc <- 1\na, b = b, a\nx += 2\nx &^= 1\nf()") ==
        "IncDecStmt ++\n  Ident x\n"
        "IncDecStmt --\n  Ident y\n"
        "SendStmt\n  Ident c\n  BasicLit Int 1\n"
        "AssignStmt =\n  lhs: Ident a\n  lhs: Ident b\n  rhs: Ident b\n  rhs: Ident a\n"
        "AssignStmt +=\n  lhs: Ident x\n  rhs: BasicLit Int 2\n"
        "AssignStmt &^=\n  lhs: Ident x\n  rhs: BasicLit Int 1\n"
        "ExprStmt\n  CallExpr\n    Ident f\n");
}

TEST_CASE("parser: if, else if, else") {
  CHECK(dumpStmts("if x := f(); x > 0 {\n} else if y {\n} else {\n}") ==
        "IfStmt\n"
        "  init: AssignStmt :=\n    lhs: Ident x\n    rhs: CallExpr\n      Ident f\n"
        "  cond: BinaryExpr >\n    Ident x\n    BasicLit Int 0\n"
        "  body: BlockStmt\n"
        "  else: IfStmt\n    cond: Ident y\n    body: BlockStmt\n    else: BlockStmt\n");
}

TEST_CASE("parser: for loops") {
  CHECK(dumpStmts("for {\n}") == "ForStmt\n  body: BlockStmt\n");
  CHECK(dumpStmts("for x < 3 {\n}") == "ForStmt\n  cond: BinaryExpr <\n    Ident x\n    BasicLit Int 3\n  body: BlockStmt\n");
  CHECK(dumpStmts("for i := 0; i < n; i++ {\n}") ==
        "ForStmt\n  init: AssignStmt :=\n    lhs: Ident i\n    rhs: BasicLit Int 0\n"
        "  cond: BinaryExpr <\n    Ident i\n    Ident n\n  post: IncDecStmt ++\n    Ident i\n  body: BlockStmt\n");
  CHECK(dumpStmts("for ;; {\n}") == "ForStmt\n  body: BlockStmt\n");
  CHECK(dumpStmts("for k, v := range m {\n}") ==
        "RangeStmt :=\n  key: Ident k\n  value: Ident v\n  x: Ident m\n  body: BlockStmt\n");
  CHECK(dumpStmts("for k = range m {\n}") == "RangeStmt =\n  key: Ident k\n  x: Ident m\n  body: BlockStmt\n");
  CHECK(dumpStmts("for range 10 {\n}") == "RangeStmt\n  x: BasicLit Int 10\n  body: BlockStmt\n");
}

TEST_CASE("parser: switch statements") {
  CHECK(dumpStmts("switch x := 1; x {\ncase 1, 2:\n\tfallthrough\ndefault:\n}") ==
        "SwitchStmt\n  init: AssignStmt :=\n    lhs: Ident x\n    rhs: BasicLit Int 1\n  tag: Ident x\n"
        "  body: BlockStmt\n    CaseClause\n      case: BasicLit Int 1\n      case: BasicLit Int 2\n"
        "      BranchStmt fallthrough\n    CaseClause default\n");
  CHECK(dumpStmts("switch {\n}") == "SwitchStmt\n  body: BlockStmt\n");
}

TEST_CASE("parser: type switches") {
  CHECK(dumpStmts("switch y := x.(type) {\ncase int, *T:\ncase nil:\n}") ==
        "TypeSwitchStmt\n  assign: AssignStmt :=\n    lhs: Ident y\n    rhs: TypeAssertExpr (type)\n      Ident x\n"
        "  body: BlockStmt\n    CaseClause\n      case: Ident int\n      case: StarExpr\n        Ident T\n"
        "    CaseClause\n      case: Ident nil\n");
  CHECK(dumpStmts("switch f(); x.(type) {\n}") ==
        "TypeSwitchStmt\n  init: ExprStmt\n    CallExpr\n      Ident f\n"
        "  assign: ExprStmt\n    TypeAssertExpr (type)\n      Ident x\n  body: BlockStmt\n");
  CHECK(errorsOf("package p\nfunc f() {\n\t_ = x.(type)\n}\n") == "3:6: use of .(type) outside type switch");
  CHECK(errorsOf("package p\nfunc f() {\n\tif x.(type) {\n\t}\n}\n") == "3:5: use of .(type) outside type switch");
}

TEST_CASE("parser: select statements") {
  CHECK(dumpStmts("select {\ncase v, ok := <-c:\ncase c <- 1:\ncase <-c:\ncase x = <-c:\ndefault:\n}") ==
        "SelectStmt\n  body: BlockStmt\n"
        "    CommClause\n      comm: AssignStmt :=\n        lhs: Ident v\n        lhs: Ident ok\n        rhs: UnaryExpr <-\n          Ident c\n"
        "    CommClause\n      comm: SendStmt\n        Ident c\n        BasicLit Int 1\n"
        "    CommClause\n      comm: ExprStmt\n        UnaryExpr <-\n          Ident c\n"
        "    CommClause\n      comm: AssignStmt =\n        lhs: Ident x\n        rhs: UnaryExpr <-\n          Ident c\n"
        "    CommClause default\n");
}

TEST_CASE("parser: branch, labeled, go, defer and return statements") {
  CHECK(dumpStmts("L:\n\tfor {\n\t\tbreak L\n\t\tcontinue L\n\t\tgoto L\n\t}\n\tbreak\n\tgo f(x)\n\tdefer g()\n\treturn 1, 2") ==
        "LabeledStmt L\n  ForStmt\n    body: BlockStmt\n      BranchStmt break L\n      BranchStmt continue L\n"
        "      BranchStmt goto L\n"
        "BranchStmt break\n"
        "GoStmt\n  CallExpr\n    Ident f\n    arg: Ident x\n"
        "DeferStmt\n  CallExpr\n    Ident g\n"
        "ReturnStmt\n  BasicLit Int 1\n  BasicLit Int 2\n");
  CHECK(dumpStmts("{\n\tx := 1\n}\nvar y int\nconst z = 2\ntype T int") ==
        "BlockStmt\n  AssignStmt :=\n    lhs: Ident x\n    rhs: BasicLit Int 1\n"
        "DeclStmt\n  GenDecl var\n    ValueSpec y\n      type: Ident int\n"
        "DeclStmt\n  GenDecl const\n    ValueSpec z\n      value: BasicLit Int 2\n"
        "DeclStmt\n  GenDecl type\n    TypeSpec T\n      Ident int\n");
  CHECK(dumpStmts("L:\n") == "LabeledStmt L\n  EmptyStmt\n");
}

TEST_CASE("parser: gc's syntax error messages") {
  CHECK(errorsOf("package main\nfunc main() {\n\tf(1,\n\t2\n}\n") ==
        "4:3: syntax error: unexpected newline in argument list; possibly missing comma or )");
  CHECK(errorsOf("package main\nx := 1\n") == "2:1: syntax error: non-declaration statement outside function body");
  CHECK(errorsOf("package main\nfunc main() {\n\tif x := 1 {\n\t}\n}\n") == "3:7: syntax error: cannot use x := 1 as value");
  CHECK(errorsOf("package main\nfunc main() {\n\tif x = 1 {\n\t}\n}\n") ==
        "3:7: syntax error: cannot use assignment (x) = (1) as value");
  CHECK(errorsOf("package main\nfunc main() {\n\t}\n}\n") == "4:1: syntax error: non-declaration statement outside function body");
  CHECK(errorsOf("package main\nfunc main()\n{\n}\n") == "3:1: syntax error: unexpected semicolon or newline before {");
  CHECK(errorsOf("package main\nfunc main() {\n\tx := 1 +\n}\n") == "4:1: syntax error: unexpected }, expecting expression");
  CHECK(errorsOf("package main\nfunc main() {\n\tfunc() {\n}\n") == "5:1: syntax error: unexpected EOF, expecting }");
  CHECK(errorsOf("package main\nfunc f() { return 1 2 }\n") == "2:21: syntax error: unexpected literal 2 at end of statement");
  CHECK(errorsOf("package main\ntype T struct {\n\ta int,\n}\n") ==
        "3:7: syntax error: unexpected comma in struct type; possibly missing semicolon or newline or }");
  CHECK(errorsOf("package main\nfunc f(a int, string) {}\n") == "2:15: syntax error: mixed named and unnamed parameters");
  CHECK(errorsOf("package main\nfunc main() {\n\tswitch {\n\tcase 1\n\t}\n}\n") ==
        "4:8: syntax error: unexpected newline, expecting :");
  CHECK(errorsOf("package main\nfunc main() {\n\tfor i := 0; i < 3; i++\n\t{\n\t}\n}\n") ==
        "3:24: syntax error: unexpected newline, expecting { after for clause");
  CHECK(errorsOf("package main\nfunc main() {\n\tif {\n\t}\n}\n") == "3:5: syntax error: missing condition in if statement");
  CHECK(errorsOf("package main\nfunc main() {\n\tgo (f())\n\tdefer g\n}\n") ==
        "3:5: expression in go must not be parenthesized\n4:8: expression in defer must be function call");
  CHECK(errorsOf("package main\nfunc main() {\n\ta[1:2:] = 1\n}\n") == "3:8: final index required in 3-index slice");
  CHECK(errorsOf("package main\nfunc (a, b T) m() {}\n") == "2:15: method has multiple receivers");
  CHECK(errorsOf("package main\nfunc main() {\n\tif x == 1 {\n\t} else return\n}\n") ==
        "4:9: syntax error: else must be followed by if or statement block");
  CHECK(errorsOf("package main\nfunc main() {\n\tfor i := 0; i < 3; j := 1 {\n\t}\n}\n") ==
        "3:23: syntax error: cannot declare in post statement of for loop");
}

TEST_CASE("parser: the package clause comes first") {
  CHECK(errorsOf("func main() {}\n") == "1:1: expected 'package', found 'func'");
  CHECK(errorsOf("main\n") == "1:1: expected 'package', found main");
  CHECK(errorsOf("") == "1:1: expected 'package', found 'EOF'");
  CHECK(errorsOf("#!/usr/bin/env golrun\npackage main\nfunc main() {}\n") == "");
  CHECK(errorsOf("package main\nfunc f() {}\nimport \"fmt\"\n") ==
        "3:1: syntax error: imports must appear before other declarations");
}

TEST_CASE("parser: generics are rejected") {
  CHECK(errorsOf("package p\nfunc f[T any](x T) {}\n") == "2:7: generics are not supported in Gol");
  CHECK(errorsOf("package p\ntype L[T any] struct{ next *L[T] }\n") == "2:7: generics are not supported in Gol");
  CHECK(errorsOf("package p\ntype P[T interface{ ~int | string }, U any] []T\n") ==
        "2:7: generics are not supported in Gol");
  CHECK(errorsOf("package p\ntype N interface{ ~int }\n") == "2:19: generics are not supported in Gol");
  Parsed p;
  parse(p, "package p\nfunc f[T any, U comparable]() {}\n");
  auto* f = p.file->decls[0]->as<FuncDecl>();
  REQUIRE(f->typeParams);
  CHECK(f->typeParams->numFields() == 2);
}

TEST_CASE("parser: one mistake gives one error") {
  // panic mode: the parser skips to a synchronizing token instead of cascading
  const char* cases[] = {
      "package main\nfunc main() {\n\tx := [3]int{1,2,3\n\t}\n\t_ = x\n\ty := 2\n}\nfunc g() {}\n",
      "package main\nfunc main() {\n\tx = = 2\n\ty := 3\n\t_ = y\n}\n",
      "package main\nfunc main() {\n\tfor i := 0; i < 10 i++ {\n\t}\n\tprintln(1)\n}\n",
      "package main\nfunc main() {\n\tif x {\n\t\ty := )\n\t}\n\tz := 1\n}\n",
      "package main\ntype T struct {\n\ta int\n\tb\n\t]\n}\nfunc main() {}\n",
      "package main\nfunc main() {\n\tx := f(1, 2\n\ty := 2\n}\n",
      "package main\nvar x = 1 +\nfunc main() {}\n",
      "package main\nfunc main() {\n\tswitch x {\n\tcase 1:\n\t\ty :=\n\tcase 2:\n\t}\n}\n",
  };
  for (const char* src : cases) {
    Parsed p;
    parse(p, src);
    std::string what = std::string(src) + (p.errors.size() > 1 ? p.errors[1] : "");
    CHECK_MESSAGE(p.errors.size() == 1, what);
  }
}

TEST_CASE("parser: never crashes or loops on garbage") {
  const char* cases[] = {
      "", "package", "package p\nfunc", "package p\nfunc (", "package p\nfunc f(", "package p\ntype",
      "package p\ntype T struct {", "package p\ntype T interface {", "package p\nvar x = [", "package p\nvar x = map[",
      "package p\nfunc f() { for", "package p\nfunc f() { switch x.(type) { case", "package p\nfunc f() { select { case",
      "package p\nfunc f() { x.(", "package p\nfunc f() { a[1:", "package p\nfunc f() { <-chan<-", "package p\nvar x = <-<-chan int",
      "package p\nfunc f() { if x { } else", "package p\nconst (", "package p\nimport (", "package p\nimport",
      "package p\nfunc f() { L: }", "package p\nfunc f() { go }", "package p\nfunc f() { defer ( }",
      "package p\n)))]]]}}}", "package p\nfunc f() {{{{{{{{", "package p\ntype T [", "package p\ntype T[P",
      "package p\nfunc f[", "package p\nvar _ = func(", "package p\nvar _ = struct{", "package p\nvar _ = x...",
  };
  for (const char* src : cases) {
    Parsed p;
    parse(p, src);
    CHECK(p.file != nullptr);
  }
}

TEST_CASE("parser: pathological nesting is an error, not a stack overflow") {
  std::string deep(100000, '(');
  CHECK(errorsOf("package p\nvar x = " + deep + "\n") == "2:509: syntax error: nesting too deep");
  CHECK(!errorsOf("package p\nfunc f() " + std::string(50000, '{') + "\n").empty());
  CHECK(!errorsOf("package p\nvar x = " + std::string(50000, '-') + "1\n").empty());
  CHECK(!errorsOf("package p\ntype T " + std::string(50000, '*') + "int\n").empty());
  CHECK(!errorsOf("package p\nvar x = T" + std::string(50000, '{') + "\n").empty());
  // ordinary depths are fine
  CHECK(errorsOf("package p\nvar x = " + std::string(200, '(') + "1" + std::string(200, ')') + "\n") == "");
}
