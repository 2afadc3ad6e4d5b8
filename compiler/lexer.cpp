// lexer.cpp: Go's lexical grammar, a port of the gc compiler's scanner
// (cmd/compile/internal/syntax/scanner.go and source.go, Go 1.19).
//
// The lexer reads one character ahead: ch_ is the current rune (decoded from UTF-8; -1 at the
// end) and chOff_ its offset. nextch() advances and is the one place that checks the encoding
// (invalid UTF-8, NUL, a BOM after the start), so those errors are found inside strings and
// comments too. Each token starts at start_ and its text is the raw source slice.
//
// Semicolons: after a token that may end a statement (identifier, literal, break, continue,
// fallthrough, return, ++, --, ), ], }) insertSemi_ is set; then the next newline, a /* */
// comment spanning lines, or the end of the file produces a Semicolon token with text "\n"
// (spec "Semicolons"). Errors never stop the lexer: an invalid character is reported and
// skipped, a bad literal is returned with `bad` set after one message. Message wording is gc's.
#include "lexer.h"

#include <algorithm>

namespace gol {

namespace {

struct RuneRange {
  int32_t lo, hi;
};
#include "unicode_tables.inc"

template <size_t N> bool inTable(const RuneRange (&t)[N], int32_t r) {
  auto it = std::upper_bound(std::begin(t), std::end(t), r,
                             [](int32_t v, const RuneRange& rr) { return v < rr.lo; });
  return it != std::begin(t) && r <= (it - 1)->hi;
}

bool isAsciiLetter(int32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isDecimal(int32_t c) { return c >= '0' && c <= '9'; }
bool isHex(int32_t c) { return isDecimal(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
int32_t lower(int32_t c) { return c | 0x20; }  // lower-case for ASCII letters only
bool isUnicodeLetter(int32_t r) { return r < 0x80 ? isAsciiLetter(r) && r != '_' : inTable(kLetters, r); }
bool isUnicodeDigit(int32_t r) { return r < 0x80 ? isDecimal(r) : inTable(kDigits, r); }

const char* baseName(int base) {
  switch (base) {
    case 2: return "binary";
    case 8: return "octal";
    case 10: return "decimal";
    default: return "hexadecimal";
  }
}

// The index of the first misplaced '_' in a number literal, or -1 (scanner.go invalidSep).
int invalidSep(std::string_view x) {
  char x1 = ' ';  // prefix char; only 'x' matters
  char d = '.';   // '_', '0' (a digit) or '.' (anything else)
  size_t i = 0;
  if (x.size() >= 2 && x[0] == '0') {
    x1 = (char)lower(x[1]);
    if (x1 == 'x' || x1 == 'o' || x1 == 'b') d = '0', i = 2;
  }
  for (; i < x.size(); i++) {
    char p = d;
    d = x[i];
    if (d == '_') {
      if (p != '0') return (int)i;
    } else if (isDecimal(d) || (x1 == 'x' && isHex(d))) {
      d = '0';
    } else {
      if (p == '_') return (int)i - 1;
      d = '.';
    }
  }
  return d == '_' ? (int)x.size() - 1 : -1;
}

}  // namespace

Lexer::Lexer(const SourceManager& sm, int32_t file, Diag& diag)
    : sm_(sm), src_(sm.file(file)), file_(file), diag_(diag) {
  std::string_view t = src_.text;
  if (t.substr(0, 3) == "\xEF\xBB\xBF") off_ = 3;  // a BOM is allowed at the very start
  if (t.substr(off_, 2) == "#!")                    // Gol scripts: skip the #! line
    while (off_ < t.size() && t[off_] != '\n') off_++;
  nextch();
}

void Lexer::errorAt(size_t offset, std::string msg) {
  diag_.syntaxError(sm_.pos(file_, (int32_t)offset), std::move(msg));
}

// source.go nextch: reads the next character into ch_, reporting encoding errors.
void Lexer::nextch() {
  std::string_view t = src_.text;
  chOff_ = off_;
  if (off_ >= t.size()) {
    ch_ = -1;
    return;
  }
  unsigned char c = (unsigned char)t[off_];
  if (c < 0x80) {
    ch_ = c;
    off_++;
    if (c == 0) errorHere("invalid NUL character");
    return;
  }
  int w;
  ch_ = decodeRune(t.substr(off_), w);
  off_ += w;
  if (ch_ == kRuneError && w == 1) {
    errorHere("invalid UTF-8 encoding");
  } else if (ch_ == 0xFEFF) {
    errorHere("invalid BOM in the middle of the file");
  }
}

Token Lexer::make(Tok kind, bool withText) {
  Token tok;
  tok.kind = kind;
  tok.pos = sm_.pos(file_, (int32_t)start_);
  if (withText) tok.text.assign(src_.text, start_, chOff_ - start_);
  return tok;
}

Token Lexer::next() {
  bool nlsemi = insertSemi_;
  insertSemi_ = false;
  for (;;) {
    while (ch_ == ' ' || ch_ == '\t' || (ch_ == '\n' && !nlsemi) || ch_ == '\r') nextch();
    start_ = chOff_;
    bad_ = false;
    if (isAsciiLetter(ch_) || (ch_ >= 0x80 && atIdentChar(true))) {
      nextch();
      return ident();
    }
    int32_t c = ch_;
    switch (c) {
      case -1:
        if (nlsemi) {
          Token t = make(Tok::Semicolon);
          t.text = "\n";
          return t;
        }
        return make(Tok::EndOfFile);
      case '\n': {
        nextch();
        Token t = make(Tok::Semicolon);
        t.text = "\n";
        return t;
      }
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
      case '9':
        return number(false);
      case '"': return stdString();
      case '`': return rawString();
      case '\'': return runeLit();
      case '(': nextch(); return make(Tok::LParen);
      case '[': nextch(); return make(Tok::LBrack);
      case '{': nextch(); return make(Tok::LBrace);
      case ',': nextch(); return make(Tok::Comma);
      case ';': {
        nextch();
        Token t = make(Tok::Semicolon);
        t.text = ";";
        return t;
      }
      case ')': nextch(); insertSemi_ = true; return make(Tok::RParen);
      case ']': nextch(); insertSemi_ = true; return make(Tok::RBrack);
      case '}': nextch(); insertSemi_ = true; return make(Tok::RBrace);
      case ':':
        nextch();
        if (ch_ == '=') {
          nextch();
          return make(Tok::Define);
        }
        return make(Tok::Colon);
      case '.':
        nextch();
        if (isDecimal(ch_)) return number(true);
        if (ch_ == '.' && off_ < src_.text.size() && src_.text[off_] == '.') {
          nextch();
          nextch();
          return make(Tok::Ellipsis);
        }
        return make(Tok::Period);
      case '+':
        nextch();
        if (ch_ == '+') {
          nextch();
          insertSemi_ = true;
          return make(Tok::Inc);
        }
        return opOrAssign(Tok::Add, Tok::AddAssign);
      case '-':
        nextch();
        if (ch_ == '-') {
          nextch();
          insertSemi_ = true;
          return make(Tok::Dec);
        }
        return opOrAssign(Tok::Sub, Tok::SubAssign);
      case '*': nextch(); return opOrAssign(Tok::Mul, Tok::MulAssign);
      case '/':
        nextch();
        if (ch_ == '/') {
          nextch();
          lineComment();
          continue;
        }
        if (ch_ == '*') {
          nextch();
          size_t commentStart = start_;
          if (fullComment()) {
            // a comment containing a newline acts like one
            if (nlsemi) {
              start_ = commentStart;
              Token t = make(Tok::Semicolon);
              t.text = "\n";
              return t;
            }
          }
          continue;
        }
        return opOrAssign(Tok::Quo, Tok::QuoAssign);
      case '%': nextch(); return opOrAssign(Tok::Rem, Tok::RemAssign);
      case '&':
        nextch();
        if (ch_ == '&') {
          nextch();
          return make(Tok::LAnd);
        }
        if (ch_ == '^') {
          nextch();
          return opOrAssign(Tok::AndNot, Tok::AndNotAssign);
        }
        return opOrAssign(Tok::And, Tok::AndAssign);
      case '|':
        nextch();
        if (ch_ == '|') {
          nextch();
          return make(Tok::LOr);
        }
        return opOrAssign(Tok::Or, Tok::OrAssign);
      case '^': nextch(); return opOrAssign(Tok::Xor, Tok::XorAssign);
      case '<':
        nextch();
        if (ch_ == '=') {
          nextch();
          return make(Tok::Leq);
        }
        if (ch_ == '<') {
          nextch();
          return opOrAssign(Tok::Shl, Tok::ShlAssign);
        }
        if (ch_ == '-') {
          nextch();
          return make(Tok::Arrow);
        }
        return make(Tok::Lss);
      case '>':
        nextch();
        if (ch_ == '=') {
          nextch();
          return make(Tok::Geq);
        }
        if (ch_ == '>') {
          nextch();
          return opOrAssign(Tok::Shr, Tok::ShrAssign);
        }
        return make(Tok::Gtr);
      case '=':
        nextch();
        if (ch_ == '=') {
          nextch();
          return make(Tok::Eql);
        }
        return make(Tok::Assign);
      case '!':
        nextch();
        if (ch_ == '=') {
          nextch();
          return make(Tok::Neq);
        }
        return make(Tok::Not);
      case '~': nextch(); return make(Tok::Tilde);
      default:
        // NUL and invalid UTF-8 were reported by nextch already
        if (c != 0 && !(c == kRuneError && off_ - chOff_ == 1)) errorHere("invalid character " + formatRuneU(c));
        nextch();
        continue;
    }
  }
}

Token Lexer::opOrAssign(Tok op, Tok assign) {
  if (ch_ == '=') {
    nextch();
    return make(assign);
  }
  return make(op);
}

Token Lexer::ident() {
  while (isAsciiLetter(ch_) || isDecimal(ch_) || (ch_ >= 0x80 && atIdentChar(false))) nextch();
  Token t = make(Tok::Ident, true);
  Tok kw = lookupKeyword(t.text);
  if (kw != Tok::Ident) {
    t.kind = kw;
    t.text.clear();
    insertSemi_ = kw == Tok::Break || kw == Tok::Continue || kw == Tok::Fallthrough || kw == Tok::Return;
    return t;
  }
  insertSemi_ = true;
  return t;
}

bool Lexer::atIdentChar(bool first) {
  if (isUnicodeLetter(ch_) || ch_ == '_') return true;
  if (isUnicodeDigit(ch_)) {
    if (first) errorHere("identifier cannot begin with digit " + formatRuneU(ch_));
    return true;
  }
  if (ch_ >= 0x80) {
    // an invalid encoding was reported by nextch; don't report it twice
    if (!(ch_ == kRuneError && off_ - chOff_ == 1) && ch_ != 0xFEFF)
      errorHere("invalid character " + formatRuneU(ch_) + " in identifier");
    return true;
  }
  return false;
}

// digits = { digit | "_" }. For base <= 10 any decimal digit is accepted but the index of the
// first one too large for the base is recorded in `invalid`. Returns bit 0: a digit was seen,
// bit 1: a separator was seen.
int Lexer::digits(int base, int& invalid) {
  int digsep = 0;
  if (base <= 10) {
    int32_t max = '0' + base;
    while (isDecimal(ch_) || ch_ == '_') {
      int ds = 1;
      if (ch_ == '_')
        ds = 2;
      else if (ch_ >= max && invalid < 0)
        invalid = (int)(chOff_ - start_);
      digsep |= ds;
      nextch();
    }
  } else {
    while (isHex(ch_) || ch_ == '_') {
      digsep |= ch_ == '_' ? 2 : 1;
      nextch();
    }
  }
  return digsep;
}

// int_lit, float_lit, imaginary_lit (spec "Integer literals" .. "Imaginary literals").
Token Lexer::number(bool seenPoint) {
  bool ok = true;
  Tok kind = Tok::Int;
  int base = 10;
  char prefix = 0;  // 0 (decimal), '0' (legacy octal), 'x', 'o' or 'b'
  int digsep = 0;
  int invalid = -1;
  if (!seenPoint) {
    if (ch_ == '0') {
      nextch();
      switch (lower(ch_)) {
        case 'x': nextch(); base = 16, prefix = 'x'; break;
        case 'o': nextch(); base = 8, prefix = 'o'; break;
        case 'b': nextch(); base = 2, prefix = 'b'; break;
        default: base = 8, prefix = '0', digsep = 1;  // the leading 0
      }
    }
    digsep |= digits(base, invalid);
    if (ch_ == '.') {
      if (prefix == 'o' || prefix == 'b') {
        errorHere(std::string("invalid radix point in ") + baseName(base) + " literal");
        ok = false;
      }
      nextch();
      seenPoint = true;
    }
  }
  if (seenPoint) {
    kind = Tok::Float;
    digsep |= digits(base, invalid);
  }
  if ((digsep & 1) == 0 && ok) {
    errorHere(std::string(baseName(base)) + " literal has no digits");
    ok = false;
  }
  int32_t e = lower(ch_);
  if (ch_ >= 0 && (e == 'e' || e == 'p')) {
    if (ok) {
      if (e == 'e' && prefix != 0 && prefix != '0') {
        errorHere(quoteRune(ch_) + " exponent requires decimal mantissa");
        ok = false;
      } else if (e == 'p' && prefix != 'x') {
        errorHere(quoteRune(ch_) + " exponent requires hexadecimal mantissa");
        ok = false;
      }
    }
    nextch();
    kind = Tok::Float;
    if (ch_ == '+' || ch_ == '-') nextch();
    int none = -1;
    digsep = digits(10, none) | (digsep & 2);
    if ((digsep & 1) == 0 && ok) {
      errorHere("exponent has no digits");
      ok = false;
    }
  } else if (prefix == 'x' && kind == Tok::Float && ok) {
    errorHere("hexadecimal mantissa requires a 'p' exponent");
    ok = false;
  }
  if (ch_ == 'i') {
    kind = Tok::Imag;
    nextch();
  }
  Token t = make(kind, true);
  if (kind == Tok::Int && invalid >= 0 && ok) {
    errorAt(start_ + invalid, "invalid digit " + quoteRune(t.text[invalid]) + " in " + baseName(base) + " literal");
    ok = false;
  }
  if ((digsep & 2) && ok) {
    int i = invalidSep(t.text);
    if (i >= 0) {
      errorAt(start_ + i, "'_' must separate successive digits");
      ok = false;
    }
  }
  t.bad = !ok;
  insertSemi_ = true;
  return t;
}

// rune_lit = "'" ( unicode_value | byte_value ) "'" .
Token Lexer::runeLit() {
  bool ok = true;
  nextch();
  for (int n = 0;; n++) {
    if (ch_ == '\'') {
      if (ok) {
        if (n == 0) {
          errorHere("empty rune literal or unescaped '");
          ok = false;
        } else if (n != 1) {
          errorAt(start_, "more than one character in rune literal");
          ok = false;
        }
      }
      nextch();
      break;
    }
    if (ch_ == '\\') {
      nextch();
      if (!escape('\'')) ok = false;
      continue;
    }
    if (ch_ == '\n') {
      if (ok) errorHere("newline in rune literal");
      ok = false;
      break;
    }
    if (ch_ < 0) {
      if (ok) errorAt(start_, "rune literal not terminated");
      ok = false;
      break;
    }
    nextch();
  }
  Token t = make(Tok::Char, true);
  t.bad = !ok;
  insertSemi_ = true;
  return t;
}

// interpreted_string_lit = `"` { unicode_value | byte_value } `"` .
Token Lexer::stdString() {
  bool ok = true;
  nextch();
  for (;;) {
    if (ch_ == '"') {
      nextch();
      break;
    }
    if (ch_ == '\\') {
      nextch();
      if (!escape('"')) ok = false;
      continue;
    }
    if (ch_ == '\n') {
      errorHere("newline in string");
      ok = false;
      break;
    }
    if (ch_ < 0) {
      errorAt(start_, "string not terminated");
      ok = false;
      break;
    }
    nextch();
  }
  Token t = make(Tok::String, true);
  t.bad = !ok;
  insertSemi_ = true;
  return t;
}

// raw_string_lit = "`" { unicode_char | newline } "`" . Carriage returns stay in the text; they
// are dropped from the value by unquoteString.
Token Lexer::rawString() {
  bool ok = true;
  nextch();
  for (;;) {
    if (ch_ == '`') {
      nextch();
      break;
    }
    if (ch_ < 0) {
      errorAt(start_, "string not terminated");
      ok = false;
      break;
    }
    nextch();
  }
  Token t = make(Tok::String, true);
  t.bad = !ok;
  insertSemi_ = true;
  return t;
}

// "//" has been consumed; the newline is left for the semicolon rule.
void Lexer::lineComment() {
  while (ch_ >= 0 && ch_ != '\n') nextch();
}

// "/*" has been consumed. Returns whether the comment contained a newline.
bool Lexer::fullComment() {
  bool newline = false;
  while (ch_ >= 0) {
    while (ch_ == '*') {
      nextch();
      if (ch_ == '/') {
        nextch();
        return newline;
      }
    }
    if (ch_ == '\n') newline = true;
    if (ch_ >= 0) nextch();
  }
  errorAt(start_, "comment not terminated");
  return newline;
}

// The backslash has been consumed. quote is the literal's delimiter, the only quote that may be
// escaped. Returns false after reporting a bad escape.
bool Lexer::escape(char quote) {
  int n;
  uint32_t base, max;
  switch (ch_) {
    case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
      nextch();
      return true;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
      n = 3, base = 8, max = 255;
      break;
    case 'x': nextch(); n = 2, base = 16, max = 255; break;
    case 'u': nextch(); n = 4, base = 16, max = 0x10FFFF; break;
    case 'U': nextch(); n = 8, base = 16, max = 0x10FFFF; break;
    default:
      if (ch_ == quote) {
        nextch();
        return true;
      }
      if (ch_ < 0) return true;  // the caller complains about the end of file
      errorHere("unknown escape");
      return false;
  }
  uint32_t x = 0;
  for (int i = n; i > 0; i--) {
    if (ch_ < 0) return true;
    uint32_t d = base;
    if (isDecimal(ch_))
      d = ch_ - '0';
    else if (lower(ch_) >= 'a' && lower(ch_) <= 'f')
      d = lower(ch_) - 'a' + 10;
    if (d >= base) {
      errorHere("invalid character " + quoteRune(ch_) + " in " + baseName((int)base) + " escape");
      return false;
    }
    x = x * base + d;
    nextch();
  }
  if (x > max && base == 8) {
    errorHere("octal escape value " + std::to_string(x) + " > 255");
    return false;
  }
  if (x > max || (x >= 0xD800 && x < 0xE000)) {
    errorHere("escape is invalid Unicode code point " + formatRuneU((int32_t)x));
    return false;
  }
  return true;
}

std::vector<Token> tokenize(const SourceManager& sm, int32_t file, Diag& diag) {
  Lexer lex(sm, file, diag);
  std::vector<Token> toks;
  do toks.push_back(lex.next());
  while (toks.back().kind != Tok::EndOfFile);
  return toks;
}

}  // namespace gol
