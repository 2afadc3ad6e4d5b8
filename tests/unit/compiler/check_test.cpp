// check_test.cpp: the type checker on small programs: the annotations lowering reads (mode,
// type, value of expressions; objects; link names; init order) and Go's exact messages.
#include <doctest/doctest.h>

#include <memory>
#include <type_traits>

#include "check.h"
#include "parser.h"
#include "typecontext.h"

using namespace gol;

namespace {

struct Checked {
  SourceManager sm;
  std::unique_ptr<Diag> diag;
  AstContext ast;
  std::unique_ptr<types::TypeContext> tc;
  CheckedPackage pkg;
  File* file = nullptr;
  bool ok = false;

  // "line:col: message" for every error, in position order
  std::vector<std::string> errors() const {
    std::vector<std::string> out;
    for (const auto& d : diag->sorted()) out.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.msg);
    return out;
  }
  std::string firstError() const {
    auto e = diag->sorted();
    return e.empty() ? "" : e[0].msg;
  }
  // The initializer of the package-level variable `name`.
  Expr* init(const std::string& name) const {
    for (Decl* d : file->decls)
      if (auto g = d->as<GenDecl>())
        for (Spec* s : g->specs)
          if (auto vs = s->as<ValueSpec>())
            for (size_t i = 0; i < vs->names.size(); i++)
              if (vs->names[i]->name == name) return vs->values.size() > i ? vs->values[i] : vs->values[0];
    return nullptr;
  }
};

std::unique_ptr<Checked> check(const std::string& src) {
  auto c = std::make_unique<Checked>();
  int32_t f = c->sm.add("t.gol", src);
  c->diag = std::make_unique<Diag>(c->sm);
  c->file = parseFile(c->ast, c->sm, f, *c->diag);
  REQUIRE_MESSAGE(!c->diag->hasErrors(), "syntax error: ", c->diag->sorted()[0].msg);
  c->tc = newTypeContext();
  c->ok = checkPackage(*c->tc, {c->file}, *c->diag, c->pkg);
  return c;
}

std::string typeOf(const Expr* e) { return e && e->type ? types::typeString(e->type) : "<null>"; }

// Every node under n, depth first (enough of the tree for the tests below).
void walk(Node* n, std::vector<Node*>& out) {
  if (!n) return;
  out.push_back(n);
  auto list = [&](auto& v) {
    for (auto* c : v) walk(c, out);
  };
  switch (n->kind) {
    case NodeKind::File: list(n->as<File>()->decls); break;
    case NodeKind::FuncDecl: walk(n->as<FuncDecl>()->body, out); break;
    case NodeKind::GenDecl: list(n->as<GenDecl>()->specs); break;
    case NodeKind::ValueSpec: list(n->as<ValueSpec>()->values); break;
    case NodeKind::BlockStmt: list(n->as<BlockStmt>()->list); break;
    case NodeKind::ExprStmt: walk(n->as<ExprStmt>()->x, out); break;
    case NodeKind::AssignStmt: list(n->as<AssignStmt>()->lhs); list(n->as<AssignStmt>()->rhs); break;
    case NodeKind::DeclStmt: walk(n->as<DeclStmt>()->decl, out); break;
    case NodeKind::ReturnStmt: list(n->as<ReturnStmt>()->results); break;
    case NodeKind::DeferStmt: walk(n->as<DeferStmt>()->call, out); break;
    case NodeKind::GoStmt: walk(n->as<GoStmt>()->call, out); break;
    case NodeKind::SendStmt: walk(n->as<SendStmt>()->chan, out); walk(n->as<SendStmt>()->value_, out); break;
    case NodeKind::IfStmt: walk(n->as<IfStmt>()->init, out); walk(n->as<IfStmt>()->cond, out); walk(n->as<IfStmt>()->body, out); break;
    case NodeKind::ForStmt: walk(n->as<ForStmt>()->body, out); break;
    case NodeKind::RangeStmt: walk(n->as<RangeStmt>()->x, out); walk(n->as<RangeStmt>()->body, out); break;
    case NodeKind::TypeSwitchStmt: walk(n->as<TypeSwitchStmt>()->assign, out); walk(n->as<TypeSwitchStmt>()->body, out); break;
    case NodeKind::SelectStmt: walk(n->as<SelectStmt>()->body, out); break;
    case NodeKind::CaseClause: list(n->as<CaseClause>()->list); list(n->as<CaseClause>()->body); break;
    case NodeKind::CommClause: walk(n->as<CommClause>()->comm, out); list(n->as<CommClause>()->body); break;
    case NodeKind::CallExpr: walk(n->as<CallExpr>()->fun, out); list(n->as<CallExpr>()->args); break;
    case NodeKind::SelectorExpr: walk(n->as<SelectorExpr>()->x, out); break;
    case NodeKind::FuncLit: walk(n->as<FuncLit>()->body, out); break;
    case NodeKind::UnaryExpr: walk(n->as<UnaryExpr>()->x, out); break;
    case NodeKind::BinaryExpr: walk(n->as<BinaryExpr>()->x, out); walk(n->as<BinaryExpr>()->y, out); break;
    case NodeKind::ParenExpr: walk(n->as<ParenExpr>()->x, out); break;
    case NodeKind::TypeAssertExpr: walk(n->as<TypeAssertExpr>()->x, out); break;
    default: break;
  }
}

// The first expression (in walk order) that prints as text.
template <class T = Expr> T* find(const Checked& c, const std::string& text) {
  std::vector<Node*> all;
  walk(c.file, all);
  for (Node* n : all)
    if (n->isExpr() && exprString(n) == text) {
      if constexpr (std::is_same_v<T, Expr>) return static_cast<Expr*>(n);
      else if (auto t = n->as<T>()) return t;
    }
  return nullptr;
}

template <class T> std::vector<T*> findAll(const Checked& c) {
  std::vector<Node*> all;
  walk(c.file, all);
  std::vector<T*> out;
  for (Node* n : all)
    if (auto t = n->as<T>()) out.push_back(t);
  return out;
}

// A whole-program error check: the program must fail with exactly this first message.
void expectError(const std::string& src, const std::string& msg) {
  auto c = check(src);
  CHECK_FALSE(c->ok);
  CHECK(c->firstError() == msg);
}

}  // namespace

TEST_CASE("check: untyped constants get their default type, constant values are exact") {
  auto c = check(R"(package main
var a = 1 << 100 >> 98
var b = 1.5
var c = 'x'
var d = "s" + "t"
var e = 1 < 2
const big = 1 << 200
var f = big >> 190
func main() {}
)");
  REQUIRE(c->ok);
  CHECK(typeOf(c->init("a")) == "int");
  CHECK(c->init("a")->mode == ExprMode::Constant);
  CHECK(c->init("a")->value->int64Val() == 4);
  CHECK(typeOf(c->init("b")) == "float64");
  CHECK(c->init("b")->value->float64Val() == 1.5);
  CHECK(typeOf(c->init("c")) == "rune");
  CHECK(c->init("c")->value->int64Val() == 'x');
  CHECK(typeOf(c->init("d")) == "string");
  CHECK(c->init("d")->value->stringVal() == "st");
  CHECK(typeOf(c->init("e")) == "bool");
  CHECK(c->init("e")->value->boolVal());
  CHECK(c->init("f")->value->int64Val() == 1024);
}

TEST_CASE("check: untyped operands take the type of the context, down the whole tree") {
  auto c = check(R"(package main
var x int8 = 1 + 2
var s uint = 3
var y int64 = 1 << s
var z = 2.0 * 3
var w float32 = 1
func main() {}
)");
  REQUIRE(c->ok);
  Expr* x = c->init("x");
  CHECK(typeOf(x) == "int8");
  CHECK(x->value->int64Val() == 3);
  auto shift = c->init("y")->as<BinaryExpr>();
  REQUIRE(shift);
  CHECK(shift->mode == ExprMode::Value);
  CHECK(typeOf(shift) == "int64");
  CHECK(typeOf(shift->x) == "int64");  // the untyped 1 is materialized as int64
  CHECK(typeOf(shift->y) == "uint");
  CHECK(typeOf(c->init("z")) == "float64");
  CHECK(c->init("z")->value->float64Val() == 6.0);
  CHECK(typeOf(c->init("w")) == "float32");
  CHECK(c->init("w")->value->kind() == ConstValue::Kind::Float);
}

TEST_CASE("check: calls, multiple results and identifiers' objects") {
  auto c = check(R"(package main
import "runtime"
func pair() (int, string) { return 1, "a" }
func use(a int, b string) int { return a }
var r = use(pair())
var n = runtime.NumCPU()
func main() { runtime.Gosched() }
)");
  REQUIRE(c->ok);
  auto call = c->init("r")->as<CallExpr>();
  REQUIRE(call);
  CHECK(typeOf(call) == "int");
  CHECK(typeOf(call->args[0]) == "(int, string)");
  auto rt = c->init("n")->as<CallExpr>();
  REQUIRE(rt);
  auto sel = rt->fun->as<SelectorExpr>();
  REQUIRE(sel);
  auto f = sel->sel->obj ? sel->sel->obj->as<types::Func>() : nullptr;
  REQUIRE(f);
  CHECK(f->linkName == "runtime.NumCPU");
  CHECK(f->decl == nullptr);
  CHECK(c->pkg.imports == std::vector<std::string>{"runtime"});
}

TEST_CASE("check: link names, init functions and the function list") {
  auto c = check(R"(package main
func init() {}
func helper() {}
func init() {}
func main() { helper() }
)");
  REQUIRE(c->ok);
  REQUIRE(c->pkg.funcs.size() == 4);
  CHECK(c->pkg.funcs[0]->linkName == "main.init.0");
  CHECK(c->pkg.funcs[1]->linkName == "main.helper");
  CHECK(c->pkg.funcs[2]->linkName == "main.init.1");
  CHECK(c->pkg.funcs[3]->linkName == "main.main");
  REQUIRE(c->pkg.initFuncs.size() == 2);
  CHECK(c->pkg.initFuncs[1]->linkName == "main.init.1");
}

TEST_CASE("check: package variables are initialized in dependency order") {
  auto c = check(R"(package main
var a = b + c
var b = f()
var c = 2
var d int
var x, y = g()
func f() int { return c + 1 }
func g() (int, int) { return a, a }
func main() {}
)");
  REQUIRE(c->ok);
  std::vector<std::string> order;
  for (auto& vi : c->pkg.initOrder) {
    std::string s;
    for (auto v : vi.lhs) s += v->name;
    order.push_back(s + (vi.rhs ? "" : "=0"));
  }
  CHECK(order == std::vector<std::string>{"c", "b", "a", "d=0", "xy"});
  CHECK(c->pkg.globals.size() == 6);
}

TEST_CASE("check: break, continue and fallthrough record their targets") {
  auto c = check(R"(package main
func main() {
L:
	for i := 0; i < 3; i++ {
		switch i {
		case 0:
			continue L
		case 1:
			fallthrough
		default:
			break L
		}
	}
}
)");
  REQUIRE(c->ok);
  auto fd = c->file->decls[0]->as<FuncDecl>();
  auto ls = fd->body->list[0]->as<LabeledStmt>();
  auto loop = ls->stmt->as<ForStmt>();
  auto sw = loop->body->list[0]->as<SwitchStmt>();
  auto c0 = sw->body->list[0]->as<CaseClause>();
  auto c1 = sw->body->list[1]->as<CaseClause>();
  auto c2 = sw->body->list[2]->as<CaseClause>();
  CHECK(c0->body[0]->as<BranchStmt>()->target == loop);
  CHECK(c1->body[0]->as<BranchStmt>()->target == c2);
  CHECK(c2->body[0]->as<BranchStmt>()->target == loop);
}

TEST_CASE("check: Go's messages for the core rules") {
  SUBCASE("overflow in assignment") {
    expectError("package main\nvar x int8 = 300\nfunc main() {}\n",
                "cannot use 300 (untyped int constant) as int8 value in variable declaration (overflows)");
  }
  SUBCASE("overflow in conversion") {
    expectError("package main\nvar x = int8(300)\nfunc main() {}\n", "constant 300 overflows int8");
  }
  SUBCASE("typed constant arithmetic overflows") {
    expectError("package main\nconst c int8 = 100\nvar v = c * 3\nfunc main() {}\n",
                "c * 3 (constant 300 of type int8) overflows int8");
  }
  SUBCASE("division by zero") {
    expectError("package main\nfunc main() { x := 1; println(x / 0) }\n", "invalid operation: division by zero");
  }
  SUBCASE("mismatched types") {
    expectError("package main\nfunc main() { x, y := 1, \"a\"; println(x + y) }\n",
                "invalid operation: x + y (mismatched types int and string)");
  }
  SUBCASE("operator not defined") {
    expectError("package main\nfunc main() { x := 1; println(!x) }\n",
                "invalid operation: operator ! not defined on x (variable of type int)");
  }
  SUBCASE("unused variable") { expectError("package main\nfunc main() { x := 1 }\n", "declared and not used: x"); }
  SUBCASE("unused import") { expectError("package main\nimport \"runtime\"\nfunc main() {}\n", "\"runtime\" imported and not used"); }
  SUBCASE("unknown import") { expectError("package main\nimport \"foo\"\nfunc main() {}\n", "package foo is not in std"); }
  SUBCASE("undefined") { expectError("package main\nfunc main() { println(y) }\n", "undefined: y"); }
  SUBCASE("redeclared") {
    auto c = check("package main\nfunc main() { var a int; var a int; println(a) }\n");
    CHECK(c->firstError().rfind("a redeclared in this block\n\tt.gol:2:19: other declaration of a", 0) == 0);
  }
  SUBCASE("no new variables") {
    expectError("package main\nfunc main() { a := 1; a := 2; println(a) }\n", "no new variables on left side of :=");
  }
  SUBCASE("not enough arguments") {
    expectError("package main\nfunc f(a, b int) {}\nfunc main() { f(1) }\n",
                "not enough arguments in call to f\n\thave (number)\n\twant (int, int)");
  }
  SUBCASE("too many return values") {
    expectError("package main\nfunc f() int { return 1, \"a\" }\nfunc main() { f() }\n",
                "too many return values\n\thave (number, string)\n\twant (int)");
  }
  SUBCASE("missing return") { expectError("package main\nfunc f(x int) int { if x > 0 { return 1 } }\nfunc main() { f(1) }\n", "missing return"); }
  SUBCASE("non-boolean condition") {
    expectError("package main\nfunc main() { if 1 {} }\n", "non-boolean condition in if statement");
  }
  SUBCASE("cannot assign to a constant") {
    expectError("package main\nconst c = 1\nfunc main() { c = 2 }\n",
                "cannot assign to c (neither addressable nor a map index expression)");
  }
  SUBCASE("unused expression") {
    expectError("package main\nfunc main() { x := 1; x + 1 }\n", "x + 1 (value of type int) is not used");
  }
  SUBCASE("call of non-function") {
    expectError("package main\nfunc main() { x := 1; x() }\n",
                "invalid operation: cannot call non-function x (variable of type int)");
  }
  SUBCASE("break outside loop") {
    expectError("package main\nfunc main() { break }\n", "break is not in a loop, switch, or select");
  }
  SUBCASE("go with a conversion") {
    expectError("package main\nfunc main() { go int(1) }\n",
                "go requires function call, not conversion int(1) (constant 1 of type int)");
  }
  SUBCASE("go with a value builtin") {
    expectError("package main\nfunc main() { go len(\"a\") }\n", "go discards result of len(\"a\") (constant 1 of type int)");
  }
  SUBCASE("initialization cycle") {
    expectError("package main\nvar x = x\nfunc main() {}\n", "initialization cycle: x refers to itself");
  }
  SUBCASE("shifted operand of float type") {
    expectError("package main\nvar s uint = 1\nvar f float64 = 1 << s\nfunc main() {}\n",
                "invalid operation: shifted operand 1 (type float64) must be integer");
  }
  SUBCASE("multi-value in single-value context") {
    expectError("package main\nfunc f() (int, int) { return 1, 2 }\nfunc main() { println(f() + 1) }\n",
                "multiple-value f() (value of type (int, int)) in single-value context");
  }
  SUBCASE("assignment mismatch") {
    expectError("package main\nfunc f() (int, int) { return 1, 2 }\nfunc main() { a := f(); println(a) }\n",
                "assignment mismatch: 1 variable but f returns 2 values");
  }
  SUBCASE("error is an interface with Error() string") {
    expectError("package main\nvar e error = 1\nfunc main() {}\n",
                "cannot use 1 (constant of type int) as error value in variable declaration: int does not implement "
                "error (missing method Error)");
  }
  SUBCASE("panic takes any value") {
    auto c = check("package main\nfunc main() { panic(\"boom\") }\nfunc f() int { panic(1) }\n");
    CHECK(c->ok);
  }
  SUBCASE("unsupported construct") {
    expectError("package main\nfunc main() {\nL:\n\tgoto L\n}\n", "goto statement is not supported in Gol yet");
  }
}

TEST_CASE("check: garbage never crashes the checker") {
  // Programs the parser accepts (with errors suppressed) that exercise recovery paths.
  const char* progs[] = {
      "package main\nfunc main() { var x = y; var y = x }\n",
      "package main\ntype T T\nfunc main() {}\n",
      "package main\nconst a, b = iota\nfunc main() {}\n",
      "package main\nfunc main() { for i := range \"ab\" { _ = i }; _ = 1 << 1e3 }\n",
      "package main\nvar _ = f\nfunc f() int { return len(f) }\nfunc main() {}\n",
      "package main\nfunc main() { x := [3]int{}; _ = x; var m map[[]int]int; _ = m }\n",
  };
  for (const char* p : progs) {
    auto c = check(p);
    CHECK_FALSE(c->ok);
  }
}

TEST_CASE("check: composite types, literals, indexing and nil (part 1 of the language)") {
  auto c = check(R"(package main
type P struct{ X, Y int }
var a = [...]int{1, 2, 3}
var s = []int{1, 2}
var m = map[string]P{"o": {1, 2}}
var p = &P{X: 1}
var e = s[1]
var b = "abc"[1]
var sub = "abc"[1:]
var q *P = nil
var n = new(int)
var k = make([]int, 3)
var ap = append(s, 4)
var pts = []*P{{1, 2}}
func main() {}
)");
  REQUIRE(c->ok);
  CHECK(typeOf(c->init("a")) == "[3]int");
  CHECK(typeOf(c->init("s")) == "[]int");
  CHECK(typeOf(c->init("m")) == "map[string]main.P");
  auto lit = c->init("m")->as<CompositeLit>();
  REQUIRE(lit);
  auto kv = lit->elts[0]->as<KeyValueExpr>();
  REQUIRE(kv);
  CHECK(typeOf(kv->value_) == "main.P");  // elided type
  CHECK(typeOf(c->init("p")) == "*main.P");
  CHECK(c->init("e")->mode == ExprMode::Variable);
  CHECK(typeOf(c->init("e")) == "int");
  CHECK(typeOf(c->init("b")) == "byte");
  CHECK(c->init("b")->mode == ExprMode::Value);
  CHECK(typeOf(c->init("sub")) == "string");
  CHECK(typeOf(c->init("q")) == "*main.P");  // nil takes the type it is assigned to
  CHECK(typeOf(c->init("n")) == "*int");
  CHECK(typeOf(c->init("k")) == "[]int");
  CHECK(typeOf(c->init("ap")) == "[]int");
  auto pts = c->init("pts")->as<CompositeLit>();
  REQUIRE(pts);
  CHECK(typeOf(pts->elts[0]) == "*main.P");  // {1, 2} in []*P means &P{1, 2}
}

TEST_CASE("check: closures get gc's link names, their captures in first-use order") {
  auto c = check(R"(package main
var g = func() int { return 1 }
func outer() func() int {
	a, b := 1, 2
	f := func() int {
		inner := func() int { return b + a }
		return a + inner()
	}
	_ = func() {}
	return f
}
func main() { outer()() }
)");
  REQUIRE(c->ok);
  auto lits = findAll<FuncLit>(*c);
  REQUIRE(lits.size() == 4);
  CHECK(lits[0]->func->linkName == "main.glob..func1");
  CHECK(lits[1]->func->linkName == "main.outer.func1");
  CHECK(lits[2]->func->linkName == "main.outer.func1.1");
  CHECK(lits[3]->func->linkName == "main.outer.func2");
  CHECK(lits[1]->func->outer->linkName == "main.outer");
  REQUIRE(lits[2]->func->captures.size() == 2);
  CHECK(lits[2]->func->captures[0]->name == "b");
  CHECK(lits[2]->func->captures[1]->name == "a");
  // the outer closure captures what it uses and what its closures capture, in first-use order
  REQUIRE(lits[1]->func->captures.size() == 2);
  CHECK(lits[1]->func->captures[0]->name == "b");
  CHECK(lits[1]->func->captures[1]->name == "a");
  CHECK(lits[1]->func->captures[0]->captured);
  CHECK(lits[3]->func->captures.empty());
  CHECK(typeOf(lits[1]) == "func() int");
  int closures = 0;
  for (auto f : c->pkg.funcs)
    if (f->lit) closures++;
  CHECK(closures == 4);
}

TEST_CASE("check: methods, promotion, method values and expressions record their selection") {
  auto c = check(R"(package main
type Base struct{ id int }
func (b *Base) SetID(i int) { b.id = i }
func (b Base) ID() int { return b.id }
type T struct {
	Base
	name string
}
type U struct{ *T }
func main() {
	var t T
	t.SetID(1)
	p := &t
	_ = p.ID()
	u := U{&t}
	_ = u.id
	f := t.ID
	g := (*T).SetID
	h := T.ID
	_, _, _ = f, g, h
}
)");
  REQUIRE(c->ok);
  bool sawSet = false, sawID = false;
  for (auto f : c->pkg.funcs) {
    if (f->linkName == "main.(*Base).SetID") sawSet = f->ptrRecv && f->isMethod();
    if (f->linkName == "main.Base.ID") sawID = !f->ptrRecv;
  }
  CHECK(sawSet);
  CHECK(sawID);
  auto set = find<SelectorExpr>(*c, "t.SetID");
  REQUIRE(set);
  CHECK(set->selection.kind == SelectionKind::MethodVal);
  CHECK(set->selection.index == std::vector<int>{0, 0});
  CHECK(set->selection.addrRecv);  // t.SetID() is (&t.Base).SetID()
  CHECK_FALSE(set->selection.derefRecv);
  CHECK(typeOf(set) == "func(i int)");
  auto id = find<SelectorExpr>(*c, "p.ID");
  REQUIRE(id);
  CHECK(id->selection.indirect);
  CHECK_FALSE(id->selection.addrRecv);
  auto uid = find<SelectorExpr>(*c, "u.id");
  REQUIRE(uid);
  CHECK(uid->selection.kind == SelectionKind::FieldVal);
  CHECK(uid->selection.index == std::vector<int>{0, 0, 0});
  CHECK(uid->selection.indirect);
  CHECK(uid->mode == ExprMode::Variable);
  auto g = find<SelectorExpr>(*c, "(*T).SetID");
  REQUIRE(g);
  CHECK(g->selection.kind == SelectionKind::MethodExpr);
  CHECK(typeOf(g) == "func(*main.T, i int)");
  auto h = find<SelectorExpr>(*c, "T.ID");
  REQUIRE(h);
  CHECK(typeOf(h) == "func(main.T) int");
}

TEST_CASE("check: interfaces, assertions and type switches") {
  auto c = check(R"(package main
type S interface{ Area() int }
type N interface{ S; Name() string }
type R struct{}
func (R) Area() int { return 1 }
func (*R) Name() string { return "r" }
func main() {
	var n N = &R{}
	var s S = n
	r, ok := s.(R)
	_, _ = r, ok
	switch v := s.(type) {
	case R:
		_ = v
	case *R, nil:
		_ = v
	default:
		_ = v
	}
	var e error
	_ = e == nil
	var i any = 1
	_ = i == 1
}
)");
  REQUIRE(c->ok);
  auto ta = find<TypeAssertExpr>(*c, "s.(R)");
  REQUIRE(ta);
  CHECK(ta->mode == ExprMode::CommaOk);
  CHECK(typeOf(ta) == "main.R");
  auto cl = findAll<CaseClause>(*c);
  REQUIRE(cl.size() == 3);
  REQUIRE(cl[0]->implicitObj);
  CHECK(types::typeString(cl[0]->implicitObj->type) == "main.R");
  CHECK(types::typeString(cl[1]->implicitObj->type) == "main.S");
  CHECK(types::typeString(cl[2]->implicitObj->type) == "main.S");
  auto ni = c->pkg.scope->lookup("N")->type->underlying()->as<types::Interface>();
  REQUIRE(ni);
  REQUIRE(ni->allMethods.size() == 2);
  CHECK(ni->allMethods[0]->name == "Area");
  CHECK(ni->allMethods[1]->name == "Name");
  // the concrete value keeps its type; lowering converts where the target is an interface
  auto lit = find(*c, "&R{…}");
  REQUIRE(lit);
  CHECK(typeOf(lit) == "*main.R");
  auto one = find<BinaryExpr>(*c, "i == 1");
  REQUIRE(one);
  CHECK(typeOf(one->y) == "int");
}

TEST_CASE("check: interface messages: missing method, pointer receiver, wrong type") {
  const char* hdr = "package main\ntype I interface{ M() }\ntype T struct{}\n";
  expectError(std::string(hdr) + "func (*T) M() {}\nfunc main() { var t T; var i I = t; _ = i }\n",
              "cannot use t (variable of type T) as I value in variable declaration: T does not implement I (method M "
              "has pointer receiver)");
  expectError(std::string(hdr) + "func main() { var i I = T{}; _ = i }\n",
              "cannot use T{} (value of type T) as I value in variable declaration: T does not implement I (missing "
              "method M)");
  expectError(std::string(hdr) + "func (T) M() {}\nfunc main() { var i I; var t T = i; _ = t }\n",
              "cannot use i (variable of type I) as T value in variable declaration: need type assertion");
  expectError(std::string(hdr) + "func (T) M(int) {}\nfunc main() { var i I = T{}; _ = i }\n",
              "cannot use T{} (value of type T) as I value in variable declaration: T does not implement I (wrong type "
              "for method M)\n\t\thave M(int)\n\t\twant M()");
  expectError(std::string(hdr) + "func main() { var i I; _ = i.(T) }\n",
              "impossible type assertion: i.(T)\n\tT does not implement I (missing method M)");
  expectError(std::string(hdr) + "func main() { var i I; switch x := i.(type) { case T: } }\n",
              "x declared and not used");
}

TEST_CASE("check: channels, receives and select") {
  auto c = check(R"(package main
func main() {
	ch := make(chan int, 1)
	var r <-chan int = ch
	ch <- 1
	v, ok := <-r
	_, _ = v, ok
	w := <-ch
	_ = w
	close(ch)
	for x := range r {
		_ = x
	}
	select {
	case y := <-ch:
		_ = y
	case ch <- 2:
	default:
	}
	select {}
}
)");
  REQUIRE(c->ok);
  auto recv = find<UnaryExpr>(*c, "<-r");
  REQUIRE(recv);
  CHECK(recv->mode == ExprMode::CommaOk);
  CHECK(typeOf(recv) == "int");
  CHECK(typeOf(find(*c, "r")) == "<-chan int");
  expectError("package main\nfunc main() { var c <-chan int; c <- 1 }\n",
              "invalid operation: cannot send to receive-only channel c (variable of type <-chan int)");
  expectError("package main\nfunc main() { var c chan<- int; <-c }\n",
              "invalid operation: cannot receive from send-only channel c (variable of type chan<- int)");
  expectError("package main\nfunc main() { var c <-chan int; close(c) }\n",
              "invalid operation: cannot close receive-only channel c (variable of type <-chan int)");
}

TEST_CASE("check: defer and go accept any call but expression-only builtins") {
  auto c = check(R"(package main
type T struct{}
func (T) M() {}
func main() {
	var t T
	f := func(int) {}
	defer t.M()
	defer f(1)
	defer func() { recover() }()
	defer print()
	defer panic(1)
	go T.M(t)
}
)");
  CHECK(c->ok);
  expectError("package main\nfunc main() { defer len(\"a\") }\n",
              "defer discards result of len(\"a\") (constant 1 of type int)");
  expectError("package main\nfunc main() { defer int(1) }\n",
              "defer requires function call, not conversion int(1) (constant 1 of type int)");
}
