// token.h: token kinds (from token.def), tokens, operator precedence.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "source.h"

namespace gol {

enum class Tok : uint8_t {
#define TOK(name, spelling) name,
#include "token.def"
};

// The spelling of an operator or keyword ("+", "func"), or a description ("identifier").
std::string_view tokString(Tok t);
bool isKeyword(Tok t);
// Keyword for an identifier spelling, or Tok::Ident.
Tok lookupKeyword(std::string_view ident);
// Binary operator precedence as in the Go spec: || 1, && 2, comparisons 3, + - | ^ 4,
// * / % << >> & &^ 5; 0 for anything that is not a binary operator.
int binaryPrecedence(Tok t);
// For an op-assignment token (+=), the binary operator (+); Tok::Illegal otherwise.
Tok assignOpBase(Tok t);

struct Token {
  Tok kind = Tok::Illegal;
  Pos pos;
  // Raw source text of identifiers and literals, exactly as written (quotes, prefixes and
  // underscores included); for an automatically inserted semicolon it is "\n".
  std::string text;
  // A literal with a lexical error (already reported): its text may not decode.
  bool bad = false;
};

}  // namespace gol
