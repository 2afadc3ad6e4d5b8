// token.cpp: names, keyword lookup and operator properties of the tokens listed in token.def.
#include "token.h"

#include <unordered_map>

namespace gol {

std::string_view tokString(Tok t) {
  static constexpr std::string_view names[] = {
#define TOK(name, spelling) spelling,
#include "token.def"
  };
  size_t i = (size_t)t;
  return i < std::size(names) ? names[i] : "?";
}

bool isKeyword(Tok t) { return t >= Tok::Break && t <= Tok::Var; }

Tok lookupKeyword(std::string_view ident) {
  static const std::unordered_map<std::string_view, Tok> keywords = {
#define TOK_KEYWORD(name, spelling) {spelling, Tok::name},
#include "token.def"
  };
  auto it = keywords.find(ident);
  return it == keywords.end() ? Tok::Ident : it->second;
}

int binaryPrecedence(Tok t) {
  switch (t) {
    case Tok::LOr: return 1;
    case Tok::LAnd: return 2;
    case Tok::Eql: case Tok::Neq: case Tok::Lss: case Tok::Leq: case Tok::Gtr: case Tok::Geq:
      return 3;
    case Tok::Add: case Tok::Sub: case Tok::Or: case Tok::Xor:
      return 4;
    case Tok::Mul: case Tok::Quo: case Tok::Rem: case Tok::Shl: case Tok::Shr: case Tok::And:
    case Tok::AndNot:
      return 5;
    default:
      return 0;
  }
}

Tok assignOpBase(Tok t) {
  switch (t) {
    case Tok::AddAssign: return Tok::Add;
    case Tok::SubAssign: return Tok::Sub;
    case Tok::MulAssign: return Tok::Mul;
    case Tok::QuoAssign: return Tok::Quo;
    case Tok::RemAssign: return Tok::Rem;
    case Tok::AndAssign: return Tok::And;
    case Tok::OrAssign: return Tok::Or;
    case Tok::XorAssign: return Tok::Xor;
    case Tok::ShlAssign: return Tok::Shl;
    case Tok::ShrAssign: return Tok::Shr;
    case Tok::AndNotAssign: return Tok::AndNot;
    default: return Tok::Illegal;
  }
}

}  // namespace gol
