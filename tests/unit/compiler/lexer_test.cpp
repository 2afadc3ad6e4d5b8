// lexer_test.cpp: the lexer against Go's lexical grammar: every token kind and literal form,
// automatic semicolons, and bad input (each case gives a diagnostic, never a crash).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lexer.h"

using namespace gol;

namespace {

struct Lexed {
  std::string toks;                 // "Ident(x) := Int(1) ;\n"
  std::vector<std::string> errors;  // "line:col: message", sorted
};

// Renders each token: punctuation by spelling, literals as Kind(text), semicolons as ";" or
// ";\n" (inserted), the end as "EOF".
Lexed lex(const std::string& src) {
  SourceManager sm;
  int32_t f = sm.add("t.go", src);
  Diag diag(sm);
  Lexed out;
  for (const Token& t : tokenize(sm, f, diag)) {
    if (!out.toks.empty()) out.toks += ' ';
    switch (t.kind) {
      case Tok::Ident: out.toks += "Ident(" + t.text + ")"; break;
      case Tok::Int: out.toks += "Int(" + t.text + ")"; break;
      case Tok::Float: out.toks += "Float(" + t.text + ")"; break;
      case Tok::Imag: out.toks += "Imag(" + t.text + ")"; break;
      case Tok::Char: out.toks += "Char(" + t.text + ")"; break;
      case Tok::String: out.toks += "String(" + t.text + ")"; break;
      case Tok::Semicolon: out.toks += t.text == "\n" ? ";\\n" : ";"; break;
      default: out.toks += std::string(tokString(t.kind));
    }
  }
  for (auto& d : diag.sorted())
    out.errors.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.col) + ": " + d.msg);
  return out;
}

std::string firstError(const std::string& src) {
  Lexed l = lex(src);
  return l.errors.empty() ? "" : l.errors[0];
}

}  // namespace

TEST_CASE("lexer: operators and punctuation") {
  Lexed l = lex("+ - * / % & | ^ << >> &^ += -= *= /= %= &= |= ^= <<= >>= &^= && || <- ++ -- "
                "== < > = ! != <= >= := ... ~ ( [ { , . ) ] } ; :");
  CHECK(l.errors.empty());
  CHECK(l.toks ==
        "+ - * / % & | ^ << >> &^ += -= *= /= %= &= |= ^= <<= >>= &^= && || <- ++ -- "
        "== < > = ! != <= >= := ... ~ ( [ { , . ) ] } ; : EOF");
}

TEST_CASE("lexer: keywords and identifiers") {
  Lexed l = lex("break case chan const continue default defer else fallthrough for func go goto "
                "if import interface map package range return select struct switch type var");
  CHECK(l.toks ==
        "break case chan const continue default defer else fallthrough for func go goto if "
        "import interface map package range return select struct switch type var EOF");
  CHECK(lex("x _y z9 breakx ").toks == "Ident(x) Ident(_y) Ident(z9) Ident(breakx) ;\\n EOF");
}

TEST_CASE("lexer: Unicode identifiers") {
  Lexed l = lex("ä π日本語 x٣ ");
  CHECK(l.errors.empty());
  CHECK(l.toks == "Ident(ä) Ident(π日本語) Ident(x٣) ;\\n EOF");
  CHECK(firstError("٣x") == "1:1: identifier cannot begin with digit U+0663 '٣'");
  CHECK(firstError("a€b") == "1:2: invalid character U+20AC '€' in identifier");
}

TEST_CASE("lexer: integer literals") {
  Lexed l = lex("0 42 0600 0o600 0O17 0x_1F 0XaBc 0b1011 0B_1 1_000_000 0_7");
  CHECK(l.errors.empty());
  CHECK(l.toks == "Int(0) Int(42) Int(0600) Int(0o600) Int(0O17) Int(0x_1F) Int(0XaBc) Int(0b1011) "
                  "Int(0B_1) Int(1_000_000) Int(0_7) ;\\n EOF");
}

TEST_CASE("lexer: floating-point and imaginary literals") {
  Lexed l = lex("0. 72.40 072.40 2.71828 1.e+0 6.67428e-11 1E6 .25 .12345E+5 1_5. 0.15e+0_2 "
                "0x1p-2 0x2.p10 0x1.Fp+0 0X.8p-0 0x_1FFFp-16 0i 0123i 0o123i 0xabci 1.e+0i "
                "6.67428e-11i 1E6i .25i .12345E+5i 0x1p-2i");
  CHECK(l.errors.empty());
  CHECK(l.toks ==
        "Float(0.) Float(72.40) Float(072.40) Float(2.71828) Float(1.e+0) Float(6.67428e-11) "
        "Float(1E6) Float(.25) Float(.12345E+5) Float(1_5.) Float(0.15e+0_2) Float(0x1p-2) "
        "Float(0x2.p10) Float(0x1.Fp+0) Float(0X.8p-0) Float(0x_1FFFp-16) Imag(0i) Imag(0123i) "
        "Imag(0o123i) Imag(0xabci) Imag(1.e+0i) Imag(6.67428e-11i) Imag(1E6i) Imag(.25i) "
        "Imag(.12345E+5i) Imag(0x1p-2i) ;\\n EOF");
}

TEST_CASE("lexer: bad number literals") {
  CHECK(firstError("0778") == "1:4: invalid digit '8' in octal literal");
  CHECK(firstError("0b102") == "1:5: invalid digit '2' in binary literal");
  CHECK(firstError("0o19") == "1:4: invalid digit '9' in octal literal");
  CHECK(firstError("1__2") == "1:3: '_' must separate successive digits");
  CHECK(firstError("12_") == "1:3: '_' must separate successive digits");
  CHECK(firstError("0_x") == "1:2: '_' must separate successive digits");
  CHECK(firstError("0x_") == "1:4: hexadecimal literal has no digits");
  CHECK(firstError("0x") == "1:3: hexadecimal literal has no digits");
  CHECK(firstError("1e") == "1:3: exponent has no digits");
  CHECK(firstError("0x1.5") == "1:6: hexadecimal mantissa requires a 'p' exponent");
  CHECK(firstError("0x1e3p") == "1:7: exponent has no digits");
  CHECK(firstError("0b1.0") == "1:4: invalid radix point in binary literal");
  CHECK(firstError("0o1e3") == "1:4: 'e' exponent requires decimal mantissa");
  CHECK(firstError("1p3") == "1:2: 'p' exponent requires hexadecimal mantissa");
  // a bad literal is still one token, flagged bad
  SourceManager sm;
  Diag diag(sm);
  auto toks = tokenize(sm, sm.add("t.go", "0778"), diag);
  REQUIRE(toks.size() == 3);
  CHECK(toks[0].kind == Tok::Int);
  CHECK(toks[0].bad);
}

TEST_CASE("lexer: rune literals") {
  Lexed l = lex(R"('a' 'ä' '本' '\t' '\000' '\007' '\377' '\x07' '\xff' '\u12e4' '\U00101234' '\'' '\\')");
  CHECK(l.errors.empty());
  CHECK(l.toks == R"(Char('a') Char('ä') Char('本') Char('\t') Char('\000') Char('\007') Char('\377') )"
                  R"(Char('\x07') Char('\xff') Char('\u12e4') Char('\U00101234') Char('\'') Char('\\') ;\n EOF)");
  int32_t r = 0;
  CHECK((unquoteRune("'a'", r) && r == 'a'));
  CHECK((unquoteRune("'ä'", r) && r == 0xE4));
  CHECK((unquoteRune(R"('\n')", r) && r == '\n'));
  CHECK((unquoteRune(R"('\377')", r) && r == 255));
  CHECK((unquoteRune(R"('\xff')", r) && r == 255));
  CHECK((unquoteRune(R"('\u12e4')", r) && r == 0x12e4));
  CHECK((unquoteRune(R"('\U00101234')", r) && r == 0x101234));
  CHECK((unquoteRune(R"('\'')", r) && r == '\''));
  CHECK_FALSE(unquoteRune(R"('\"')", r));
  CHECK_FALSE(unquoteRune("'ab'", r));
  CHECK_FALSE(unquoteRune("''", r));
}

TEST_CASE("lexer: bad rune literals") {
  CHECK(firstError("'aa'") == "1:1: more than one character in rune literal");
  CHECK(firstError("''") == "1:2: empty rune literal or unescaped '");
  CHECK(firstError("'a") == "1:1: rune literal not terminated");
  CHECK(firstError("'a\n'") == "1:3: newline in rune literal");
  CHECK(firstError(R"('\"')") == "1:3: unknown escape");
  CHECK(firstError(R"('\q')") == "1:3: unknown escape");
  CHECK(firstError(R"('\400')") == "1:6: octal escape value 256 > 255");
  CHECK(firstError(R"('\uD800')") == "1:8: escape is invalid Unicode code point U+D800");
  CHECK(firstError(R"('\U00110000')") == "1:12: escape is invalid Unicode code point U+110000");
  CHECK(firstError(R"('\x4g')") == "1:5: invalid character 'g' in hexadecimal escape");
  CHECK(firstError(R"('\08')") == "1:4: invalid character '8' in octal escape");
}

TEST_CASE("lexer: interpreted strings") {
  std::string src = R"("" "abc" "\a\b\f\n\r\t\v\\\"" "\101\x41\u00e9\U0001F600" "日本")";
  Lexed l = lex(src);
  CHECK(l.errors.empty());
  CHECK(l.toks == R"(String("") String("abc") String("\a\b\f\n\r\t\v\\\"") )"
                  R"(String("\101\x41\u00e9\U0001F600") String("日本") ;\n EOF)");
  std::string v;
  CHECK((unquoteString(R"("\a\b\f\n\r\t\v\\\"")", v) && v == "\a\b\f\n\r\t\v\\\""));
  CHECK((unquoteString(R"("\101\x41\u00e9\U0001F600")", v) && v == "AA\xC3\xA9\xF0\x9F\x98\x80"));
  CHECK((unquoteString(R"("\xff\377")", v) && v == "\xff\xff"));  // bytes, not runes
  CHECK_FALSE(unquoteString(R"("\'")", v));
  CHECK_FALSE(unquoteString(R"("\uD800")", v));
}

TEST_CASE("lexer: bad strings") {
  CHECK(firstError("\"abc") == "1:1: string not terminated");
  CHECK(firstError("\"abc\nx\"") == "1:5: newline in string");
  CHECK(firstError(R"("\q")") == "1:3: unknown escape");
  CHECK(firstError(R"("\'")") == "1:3: unknown escape");
  CHECK(firstError("`abc") == "1:1: string not terminated");
}

TEST_CASE("lexer: raw strings keep their text, drop carriage returns from the value") {
  Lexed l = lex("`a\\n\r\nb`");
  CHECK(l.errors.empty());
  CHECK(l.toks == "String(`a\\n\r\nb`) ;\\n EOF");
  std::string v;
  CHECK((unquoteString("`a\\n\r\nb`", v) && v == "a\\n\nb"));
}

TEST_CASE("lexer: comments") {
  CHECK(lex("a // comment\nb").toks == "Ident(a) ;\\n Ident(b) ;\\n EOF");
  CHECK(lex("a /* c */ b").toks == "Ident(a) Ident(b) ;\\n EOF");
  CHECK(lex("( /* c */ )").toks == "( ) ;\\n EOF");
  CHECK(firstError("a /* abc") == "1:3: comment not terminated");
  CHECK(lex("/* a */ /**/ x").toks == "Ident(x) ;\\n EOF");
}

TEST_CASE("lexer: semicolon insertion") {
  SUBCASE("after identifiers, literals, keywords and closing tokens at line end") {
    CHECK(lex("x\n1\n1.5\n1i\n'a'\n\"s\"\n`r`\n").toks ==
          "Ident(x) ;\\n Int(1) ;\\n Float(1.5) ;\\n Imag(1i) ;\\n Char('a') ;\\n String(\"s\") ;\\n "
          "String(`r`) ;\\n EOF");
    CHECK(lex("break\ncontinue\nfallthrough\nreturn\n").toks ==
          "break ;\\n continue ;\\n fallthrough ;\\n return ;\\n EOF");
    CHECK(lex("i++\ni--\n)\n]\n}\n").toks == "Ident(i) ++ ;\\n Ident(i) -- ;\\n ) ;\\n ] ;\\n } ;\\n EOF");
  }
  SUBCASE("not after other tokens") {
    CHECK(lex("x +\ny").toks == "Ident(x) + Ident(y) ;\\n EOF");
    CHECK(lex("func(\n)\n").toks == "func ( ) ;\\n EOF");
    CHECK(lex("if {\n").toks == "if { EOF");
    CHECK(lex("\n\n\n").toks == "EOF");
  }
  SUBCASE("before the end of the file") {
    CHECK(lex("x").toks == "Ident(x) ;\\n EOF");
    CHECK(lex("x }").toks == "Ident(x) } ;\\n EOF");
  }
  SUBCASE("a comment containing a newline acts like one") {
    CHECK(lex("x /* a\nb */ y").toks == "Ident(x) ;\\n Ident(y) ;\\n EOF");
    CHECK(lex("x // c\ny").toks == "Ident(x) ;\\n Ident(y) ;\\n EOF");
    CHECK(lex("x /* one line */\ny").toks == "Ident(x) ;\\n Ident(y) ;\\n EOF");
    CHECK(lex("x + /* a\nb */ y").toks == "Ident(x) + Ident(y) ;\\n EOF");
  }
  SUBCASE("written semicolons") { CHECK(lex("a; b;").toks == "Ident(a) ; Ident(b) ; EOF"); }
}

TEST_CASE("lexer: positions are 1-based line and byte column") {
  SourceManager sm;
  Diag diag(sm);
  auto toks = tokenize(sm, sm.add("t.go", "package main\n\tx := ä + 1\n"), diag);
  REQUIRE(toks.size() >= 8);
  CHECK(toks[2].pos.line == 1);
  CHECK(toks[2].pos.col == 13);  // the inserted semicolon sits on the newline
  CHECK(toks[3].pos.line == 2);
  CHECK(toks[3].pos.col == 2);
  CHECK(toks[6].kind == Tok::Add);
  CHECK(toks[6].pos.col == 10);  // ä is two bytes
  CHECK(toks[6].pos.offset == 22);
}

TEST_CASE("lexer: #! first line and BOM are skipped") {
  CHECK(lex("#!/usr/bin/env golrun\npackage main\n").toks == "package Ident(main) ;\\n EOF");
  CHECK(lex("\xEF\xBB\xBFpackage main").toks == "package Ident(main) ;\\n EOF");
  CHECK(lex("\xEF\xBB\xBF#!x\nx").toks == "Ident(x) ;\\n EOF");
  CHECK(firstError("x #!y") == "1:3: invalid character U+0023 '#'");
  CHECK(firstError("x \xEF\xBB\xBF") == "1:3: invalid BOM in the middle of the file");
}

TEST_CASE("lexer: invalid bytes are reported and skipped") {
  Lexed l = lex("x := @ + $ y");
  CHECK(l.toks == "Ident(x) := + Ident(y) ;\\n EOF");
  REQUIRE(l.errors.size() == 1);  // one per line
  CHECK(l.errors[0] == "1:6: invalid character U+0040 '@'");
  CHECK(firstError("x\n?") == "2:1: invalid character U+003F '?'");
  CHECK(firstError("a\x01") == "1:2: invalid character U+0001");
  CHECK(firstError("a \xff b") == "1:3: invalid UTF-8 encoding");
  CHECK(firstError("\"a\xc3\"") == "1:3: invalid UTF-8 encoding");
  CHECK(firstError("a \xed\xa0\x80") == "1:3: invalid UTF-8 encoding");  // a surrogate
  CHECK(firstError(std::string("a\0b", 3)) == "1:2: invalid NUL character");
  CHECK(firstError(std::string("\"a\0\"", 4)) == "1:3: invalid NUL character");
}

TEST_CASE("lexer: garbage never hangs or crashes") {
  std::string junk;
  for (int i = 0; i < 4096; i++) junk += (char)((i * 7919 + 13) % 256);
  Lexed l = lex(junk);
  CHECK(!l.errors.empty());
  for (const char* s : {"'", "\"", "`", "/*", "'\\", "\"\\", "'\\u12", "0x", "0b", ".", "..", "'\\U0011",
                        "\xf0\x9f", "\xc0\x80", "0.e", "1e+", "'\\400"}) {
    Lexed r = lex(s);
    CHECK(r.toks.size() > 0);
  }
  CHECK(lex("..").toks == ". . EOF");
  CHECK(lex("x..y").toks == "Ident(x) . . Ident(y) ;\\n EOF");
}

TEST_CASE("lexer: a one-line comment before the end of file leaves the semicolon at EOF") {
  SourceManager sm;
  Diag diag(sm);
  auto toks = tokenize(sm, sm.add("t.go", "x /* c */"), diag);
  REQUIRE(toks.size() == 3);
  CHECK(toks[1].kind == Tok::Semicolon);
  CHECK(toks[1].pos.offset == 9);  // at the end, so the parser says "unexpected EOF"
}
