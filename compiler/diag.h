// diag.h: collecting diagnostics. Errors are reported as Go does: "file:line:col: message",
// then the source line and a caret. They are sorted by position, one per line at most (the
// first wins, like go/types' error cascade suppression), and printing stops after 10 with
// "too many errors". Messages start lower-case and end without a period.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "source.h"

namespace gol {

struct Diagnostic {
  Pos pos;
  std::string msg;
  bool syntax = false;  // from the lexer or parser
};

class Diag {
 public:
  explicit Diag(const SourceManager& sm) : sm_(sm) {}
  void error(Pos pos, std::string msg);
  // A lexical or syntax error: like gc, only the first of these on a line is shown (the parser's
  // recovery may trip again on the same line); type errors are all shown, identical ones once.
  void syntaxError(Pos pos, std::string msg);
  bool hasErrors() const { return !errors_.empty(); }
  size_t count() const { return errors_.size(); }
  // Sorted by position; later syntax errors on a line and exact duplicates dropped.
  std::vector<Diagnostic> sorted() const;
  // Prints the sorted errors (at most `limit`, then "too many errors") with snippets.
  void print(std::FILE* out, size_t limit = 10) const;
  // One error with its snippet, exactly as print() shows it.
  std::string render(const Diagnostic& d) const;
  const SourceManager& sources() const { return sm_; }

 private:
  const SourceManager& sm_;
  std::vector<Diagnostic> errors_;
};

}  // namespace gol
