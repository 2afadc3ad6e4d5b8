// lexer.h: source bytes -> tokens, with Go's automatic semicolon insertion.
#pragma once
#include <vector>

#include "diag.h"
#include "literal.h"  // unquoteString, unquoteRune: literal values for the checker
#include "token.h"

namespace gol {

class Lexer {
 public:
  // Lexes sm.file(file). A first line starting with "#!" is skipped (Gol scripts).
  Lexer(const SourceManager& sm, int32_t file, Diag& diag);
  // The next token; after the end it keeps returning EndOfFile. Comments are skipped; a
  // newline (or a comment containing one, or the end of file) after an identifier, a literal,
  // break/continue/fallthrough/return, ++ -- ) ] } yields Semicolon with text "\n"; a written
  // semicolon has text ";". Lexical errors are reported to diag with Go's (gc's) wording and
  // lexing goes on: invalid characters are skipped, bad literals come back with `bad` set.
  Token next();

 private:
  const SourceManager& sm_;
  const SourceFile& src_;
  int32_t file_;
  Diag& diag_;
  size_t off_ = 0;           // offset of the byte after ch_
  bool insertSemi_ = false;  // a newline or the end of file now yields a semicolon
  int32_t ch_ = -1;          // the current character (a decoded rune), -1 at the end
  size_t chOff_ = 0;         // offset of ch_
  size_t start_ = 0;         // offset of the current token's first byte
  bool bad_ = false;         // the current literal had an error

  void nextch();
  void errorAt(size_t offset, std::string msg);
  void errorHere(std::string msg) { errorAt(chOff_, std::move(msg)); }
  Token make(Tok kind, bool withText = false);
  Token ident();
  bool atIdentChar(bool first);
  int digits(int base, int& invalid);
  Token number(bool seenPoint);
  Token runeLit();
  Token stdString();
  Token rawString();
  void lineComment();
  bool fullComment();
  bool escape(char quote);
  Token opOrAssign(Tok op, Tok assign);

 public:
  struct Impl;
};

// Convenience: the whole token stream up to and including EndOfFile.
std::vector<Token> tokenize(const SourceManager& sm, int32_t file, Diag& diag);

}  // namespace gol
