// diag_test.cpp: error collection and rendering: caret snippets, ordering, one error per line,
// and the 10-error limit.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "diag.h"

using namespace gol;

namespace {

std::string printed(const Diag& d, size_t limit = 10) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  d.print(f, limit);
  std::fclose(f);
  std::string s(buf, len);
  std::free(buf);
  return s;
}

}  // namespace

TEST_CASE("diag: source positions from offsets") {
  SourceManager sm;
  int32_t f = sm.add("a.gol", "ab\ncd\n\nx");
  CHECK(sm.pos(f, 0).line == 1);
  CHECK(sm.pos(f, 4).line == 2);
  CHECK(sm.pos(f, 4).col == 2);
  CHECK(sm.pos(f, 7).line == 4);
  CHECK(sm.pos(f, 8).col == 2);  // the end of the file
  CHECK(sm.format(sm.pos(f, 4)) == "a.gol:2:2");
  CHECK(sm.file(f).line(2) == "cd");
  CHECK(sm.file(f).line(3) == "");
  CHECK(sm.file(f).line(5) == "");
  std::string err;
  CHECK(sm.load("/nonexistent/x.gol", err) == -1);
  CHECK(err.find("/nonexistent/x.gol") != std::string::npos);
}

TEST_CASE("diag: caret under the column, tabs preserved") {
  SourceManager sm;
  int32_t f = sm.add("p.gol", "package main\n\tx := \t\"a\" + 1\n");
  Diag d(sm);
  d.error(sm.pos(f, 20), "mismatched types");
  REQUIRE(d.count() == 1);
  CHECK(d.render(d.sorted()[0]) ==
        "p.gol:2:8: mismatched types\n"
        "\tx := \t\"a\" + 1\n"
        "\t     \t^\n");
}

TEST_CASE("diag: caret counts characters, not bytes, and may sit past the line end") {
  SourceManager sm;
  int32_t f = sm.add("p.gol", "s := \"ä\" + x\n");
  Diag d(sm);
  d.syntaxError(sm.pos(f, 12), "undefined: x");
  d.syntaxError(sm.pos(f, 13), "unexpected newline");
  auto v = d.sorted();
  REQUIRE(v.size() == 1);  // two syntax errors on line 1: the first wins
  CHECK(d.render(v[0]) == "p.gol:1:13: undefined: x\ns := \"ä\" + x\n           ^\n");
  Diag d2(sm);
  d2.error(sm.pos(f, 13), "unexpected newline");
  CHECK(d2.render(d2.sorted()[0]) == "p.gol:1:14: unexpected newline\ns := \"ä\" + x\n            ^\n");
}

TEST_CASE("diag: sorted by position, one syntax error per line") {
  SourceManager sm;
  int32_t a = sm.add("a.gol", "1\n2\n3\n4\n");
  int32_t b = sm.add("b.gol", "1\n2\n");
  Diag d(sm);
  d.syntaxError(sm.pos(b, 0), "b1");
  d.syntaxError(sm.pos(a, 6), "a4");
  d.syntaxError(sm.pos(a, 2), "a2");
  d.syntaxError(sm.pos(a, 3), "a2 again");
  d.syntaxError(sm.pos(a, 0), "a1");
  auto v = d.sorted();
  REQUIRE(v.size() == 4);
  CHECK(v[0].msg == "a1");
  CHECK(v[1].msg == "a2");
  CHECK(v[2].msg == "a4");
  CHECK(v[3].msg == "b1");
  CHECK(d.hasErrors());
}

TEST_CASE("diag: every type error of a line is kept, identical ones once") {
  SourceManager sm;
  int32_t f = sm.add("a.gol", "f(\"a\", 1)\n");
  Diag d(sm);
  d.error(sm.pos(f, 7), "cannot use 1 as string value");
  d.error(sm.pos(f, 2), "cannot use \"a\" as int value");
  d.error(sm.pos(f, 2), "cannot use \"a\" as int value");
  auto v = d.sorted();
  REQUIRE(v.size() == 2);
  CHECK(v[0].msg == "cannot use \"a\" as int value");
  CHECK(v[1].msg == "cannot use 1 as string value");
}

TEST_CASE("diag: at most 10 errors, then too many errors") {
  SourceManager sm;
  std::string text;
  for (int i = 0; i < 12; i++) text += "x\n";
  int32_t f = sm.add("m.gol", text);
  Diag d(sm);
  for (int i = 0; i < 12; i++) d.error(sm.pos(f, 2 * i), "e" + std::to_string(i + 1));
  std::string out = printed(d);
  CHECK(out.find("m.gol:10:1: e10\nx\n^\n") != std::string::npos);
  CHECK(out.find("e11") == std::string::npos);
  CHECK(out.size() >= 16);
  CHECK(out.substr(out.size() - 16) == "too many errors\n");
  CHECK(printed(d, 12).find("too many errors") == std::string::npos);
}

TEST_CASE("diag: an error without a position prints just the message") {
  SourceManager sm;
  Diag d(sm);
  d.error(Pos{}, "no files");
  CHECK(printed(d) == "no files\n");
}
