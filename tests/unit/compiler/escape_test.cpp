// Escape analysis (compiler/escape.cpp), seen in the IR at -O0: a local, closure, &T{} or
// new(T) whose address cannot outlive its frame is an alloca with no gol_mallocgc; one whose
// address escapes gets a heap cell from gol_mallocgc at its declaration.
#include <doctest/doctest.h>

#include <string>

#include "ir_test_util.h"

using namespace gol::test;

namespace {

bool mallocs(const std::string& f) { return has(f, "@gol_mallocgc("); }

}  // namespace

TEST_CASE("escape: a pointer used only in its frame leaves the local in an alloca") {
  std::string m = ir("package main\nfunc f() int {\n\tx := 1\n\tp := &x\n\t*p = 2\n\treturn x\n}\n"
                     "func main() { println(f()) }\n");
  std::string f = function(m, "main.f");
  CHECK(has(f, "%x.addr = alloca i64"));
  CHECK(!mallocs(f));
}

TEST_CASE("escape: a returned pointer, a global and an interface move the local to the heap") {
  std::string m = ir("package main\nvar g *int\nfunc r() *int {\n\tx := 1\n\treturn &x\n}\n"
                     "func s() {\n\ty := 2\n\tg = &y\n}\n"
                     "func t() any {\n\tz := 3\n\treturn &z\n}\n"
                     "func main() { println(*r()); s(); println(t() != nil) }\n");
  CHECK(has(function(m, "main.r"), "%x.heap = call ptr @gol_mallocgc(i64 8"));
  CHECK(has(function(m, "main.s"), "%y.heap = call ptr @gol_mallocgc(i64 8"));
  CHECK(has(function(m, "main.t"), "%z.heap = call ptr @gol_mallocgc(i64 8"));
}

TEST_CASE("escape: a closure called where it is made keeps itself and its captures in the frame") {
  std::string m = ir("package main\nfunc main() {\n\tn := 1\n\tf := func(x int) int { return x + n }\n"
                     "\tn = 2\n\tprintln(f(3))\n}\n");
  std::string f = function(m, "main.main");
  CHECK(has(f, "%n.addr = alloca i64"));
  CHECK(has(f, "%closure.addr = alloca { ptr, ptr }"));
  CHECK(!mallocs(f));
  // The closure's body still reaches n through the captured pointer.
  CHECK(has(function(m, "main.main.func1"), "%n.heap = load ptr, ptr %n.capture"));
}

TEST_CASE("escape: goroutine and deferred closures move their captures to the heap") {
  std::string m = ir("package main\nfunc main() {\n\tn := 1\n\tc := make(chan int)\n"
                     "\tgo func() { c <- n }()\n\tprintln(<-c)\n\tm := 2\n\tdefer func() { println(m) }()\n}\n");
  std::string f = function(m, "main.main");
  CHECK(has(f, "%n.heap = call ptr @gol_mallocgc(i64 8"));
  CHECK(has(f, "%m.heap = call ptr @gol_mallocgc(i64 8"));
}

TEST_CASE("escape: a loop body's variable kept past its iteration gets a cell per iteration") {
  std::string m = ir("package main\nfunc f() *int {\n\tvar p *int\n\tfor i := 0; i < 3; i++ {\n\t\tx := i\n"
                     "\t\tp = &x\n\t}\n\tprintln(*p)\n\treturn nil\n}\n"
                     "func g() int {\n\ts := 0\n\tfor i := 0; i < 3; i++ {\n\t\tx := i\n\t\tq := &x\n\t\ts += *q\n\t}\n"
                     "\treturn s\n}\n"
                     "func h() {\n\tvar p *int\n\tfor i := 0; i < 3; i++ {\n\t\tp = &i\n\t}\n\tprintln(*p)\n}\n"
                     "func main() { f(); println(g()); h() }\n");
  CHECK(has(function(m, "main.f"), "%x.heap = call ptr @gol_mallocgc(i64 8"));
  CHECK(!mallocs(function(m, "main.g")));
  // A 3-clause loop's own variable is per iteration too (Go 1.22).
  CHECK(has(function(m, "main.h"), "%i.heap = call ptr @gol_mallocgc(i64 8"));
}

TEST_CASE("escape: parameters of the package's functions are tagged leaking or not") {
  std::string m = ir("package main\nvar g *int\nfunc set(p *int) { *p = 1 }\nfunc keep(p *int) { g = p }\n"
                     "func id(p *int) *int { return p }\n"
                     "func a() int {\n\tx := 0\n\tset(&x)\n\treturn x\n}\n"
                     "func b() {\n\ty := 0\n\tkeep(&y)\n}\n"
                     "func c() int {\n\tz := 0\n\treturn *id(&z)\n}\n"
                     "func main() { println(a()); b(); println(c()) }\n");
  CHECK(!mallocs(function(m, "main.a")));
  CHECK(has(function(m, "main.b"), "%y.heap = call ptr @gol_mallocgc(i64 8"));
  CHECK(has(function(m, "main.c"), "%z.heap = call ptr @gol_mallocgc(i64 8"));
}

TEST_CASE("escape: pointer methods on a local struct, &T{} and new(T) stay in the frame") {
  std::string m = ir("package main\ntype T struct{ a, b int }\nfunc (t *T) inc() { t.a++ }\n"
                     "func f() int {\n\tvar t T\n\tt.inc()\n\tq := &T{1, 2}\n\tq.inc()\n\tr := new(T)\n\tr.inc()\n"
                     "\treturn t.a + q.a + r.a\n}\n"
                     "func main() { println(f()) }\n");
  std::string f = function(m, "main.f");
  CHECK(has(f, "%lit.addr = alloca { i64, i64 }"));
  CHECK(has(f, "%new.addr = alloca { i64, i64 }"));
  CHECK(!mallocs(f));
}

TEST_CASE("escape: an address passed to another package's function escapes") {
  std::string m = ir("package main\nimport \"fmt\"\nfunc main() {\n\tx := 1\n\tfmt.Println(&x != nil)\n"
                     "\ty := 2\n\tfmt.Println(&y)\n}\n");
  std::string f = function(m, "main.main");
  CHECK(has(f, "%y.heap = call ptr @gol_mallocgc(i64 8"));
}

TEST_CASE("escape: a pointer taken back out of an interface parameter leaks the caller's variable") {
  std::string m = ir("package main\nvar g *int\n"
                     "func keep(v any) {\n\tswitch t := v.(type) {\n\tcase *int:\n\t\tg = t\n\t}\n}\n"
                     "func keep2(v any) {\n\tif p, ok := v.(*int); ok {\n\t\tg = p\n\t}\n}\n"
                     "func isNil(v any) bool { return v == nil }\n"
                     "func a() {\n\tx := 1\n\tkeep(&x)\n}\n"
                     "func b() {\n\ty := 2\n\tkeep2(&y)\n}\n"
                     "func c() bool {\n\tz := 3\n\treturn isNil(&z)\n}\n"
                     "func main() { a(); b(); println(c()) }\n");
  CHECK(has(function(m, "main.a"), "%x.heap = call ptr @gol_mallocgc(i64 8"));
  CHECK(has(function(m, "main.b"), "%y.heap = call ptr @gol_mallocgc(i64 8"));
  CHECK(!has(function(m, "main.c"), "%z.heap"));
}

TEST_CASE("escape: a slice literal's backing array stays in the frame unless the slice escapes") {
  std::string m = ir("package main\nvar g []int\n"
                     "func f() int {\n\ts := []int{1, 2, 3}\n\treturn s[0] + len(s)\n}\n"
                     "func h() {\n\tg = []int{4}\n}\n"
                     "func main() { println(f()); h() }\n");
  std::string f = function(m, "main.f");
  CHECK(has(f, "%lit.backing.addr = alloca [3 x i64]"));
  CHECK(!mallocs(f));
  CHECK(has(function(m, "main.h"), "%lit.backing = call ptr @gol_mallocgc(i64 8"));
}
