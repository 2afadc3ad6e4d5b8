// lexer.h: source bytes -> tokens, with Go's automatic semicolon insertion.
#pragma once
#include <vector>

#include "diag.h"
#include "token.h"

namespace gol {

class Lexer {
 public:
  // Lexes sm.file(file). A first line starting with "#!" is skipped (Gol scripts).
  Lexer(const SourceManager& sm, int32_t file, Diag& diag);
  // The next token; after the end it keeps returning EndOfFile. Comments are skipped; a
  // newline (or a comment containing one, or the end of file) after an identifier, a literal,
  // break/continue/fallthrough/return, ++ -- ) ] } yields Semicolon with text "\n".
  Token next();

 private:
  const SourceManager& sm_;
  const SourceFile& src_;
  int32_t file_;
  Diag& diag_;
  size_t off_ = 0;
  bool insertSemi_ = false;
  // (the implementation may add private members)
 public:
  struct Impl;
};

// Convenience: the whole token stream up to and including EndOfFile.
std::vector<Token> tokenize(const SourceManager& sm, int32_t file, Diag& diag);

}  // namespace gol
