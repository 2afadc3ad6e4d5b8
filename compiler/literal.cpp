// literal.cpp: decoding string and rune literals, UTF-8, and Go's rune formatting (%#U, %q) for
// the lexer's messages. Escape rules follow the Go spec's "Rune literals" section.
#include "literal.h"

#include <cctype>

namespace gol {

int32_t decodeRune(std::string_view s, int& width) {
  width = s.empty() ? 0 : 1;
  if (s.empty()) return kRuneError;
  auto b = [&](size_t i) { return (unsigned char)s[i]; };
  unsigned char c = b(0);
  if (c < 0x80) return c;
  int n;
  int32_t r, min;
  if (c >= 0xC2 && c <= 0xDF) n = 2, r = c & 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, r = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, r = c & 0x07, min = 0x10000;
  else return kRuneError;
  if (s.size() < (size_t)n) return kRuneError;
  for (int i = 1; i < n; i++) {
    if ((b(i) & 0xC0) != 0x80) return kRuneError;
    r = r << 6 | (b(i) & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return kRuneError;
  width = n;
  return r;
}

void appendRune(std::string& out, int32_t r) {
  if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out += (char)r;
  } else if (r < 0x800) {
    out += (char)(0xC0 | r >> 6);
    out += (char)(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += (char)(0xE0 | r >> 12);
    out += (char)(0x80 | (r >> 6 & 0x3F));
    out += (char)(0x80 | (r & 0x3F));
  } else {
    out += (char)(0xF0 | r >> 18);
    out += (char)(0x80 | (r >> 12 & 0x3F));
    out += (char)(0x80 | (r >> 6 & 0x3F));
    out += (char)(0x80 | (r & 0x3F));
  }
}

// An approximation of Go's strconv.IsPrint without its tables: ASCII graphic characters and
// non-ASCII code points outside the control, format, space, surrogate and private-use ranges.
static bool isPrint(int32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  if (r < 0xA1 || r == 0xAD || r > 0x10FFFF) return false;
  if ((r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) || (r >= 0x205F && r <= 0x206F))
    return false;
  if (r == 0x1680 || r == 0x3000 || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB)) return false;
  if (r >= 0xD800 && r <= 0xF8FF) return false;  // surrogates, private use
  if ((r & 0xFFFE) == 0xFFFE || (r >= 0xFDD0 && r <= 0xFDEF)) return false;  // noncharacters
  return r < 0xF0000;
}

static std::string hex(uint32_t v, int digits) {
  static const char d[] = "0123456789abcdef";
  std::string s(digits, '0');
  for (int i = digits - 1; i >= 0; i--, v >>= 4) s[i] = d[v & 15];
  return s;
}

std::string formatRuneU(int32_t r) {
  uint32_t u = (uint32_t)r;
  int digits = 4;
  while (digits < 8 && (u >> (4 * digits)) != 0) digits++;
  std::string h = hex(u, digits);
  for (char& c : h) c = (char)std::toupper((unsigned char)c);
  std::string s = "U+" + h;
  if (isPrint(r)) {
    s += " '";
    appendRune(s, r);
    s += "'";
  }
  return s;
}

std::string quoteRune(int32_t r) {
  switch (r) {
    case '\a': return "'\\a'";
    case '\b': return "'\\b'";
    case '\f': return "'\\f'";
    case '\n': return "'\\n'";
    case '\r': return "'\\r'";
    case '\t': return "'\\t'";
    case '\v': return "'\\v'";
    case '\\': return "'\\\\'";
    case '\'': return "'\\''";
  }
  if (isPrint(r)) {
    std::string s = "'";
    appendRune(s, r);
    return s + "'";
  }
  if (r < 0x80) return "'\\x" + hex(r, 2) + "'";
  if (r < 0x10000) return "'\\u" + hex(r, 4) + "'";
  return "'\\U" + hex(r, 8) + "'";
}

static int hexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// Decodes one character or escape of an interpreted literal at s[i], advancing i. isByte is set
// for \x and octal escapes, whose value is a byte rather than a rune.
static bool unquoteChar(std::string_view s, size_t& i, char quote, int32_t& value, bool& isByte) {
  isByte = false;
  if (i >= s.size()) return false;
  if (s[i] != '\\') {
    int w;
    value = decodeRune(s.substr(i), w);
    if (value == kRuneError && w == 1) return false;
    i += w;
    return true;
  }
  if (++i >= s.size()) return false;
  char c = s[i++];
  int n = 0, base = 16;
  uint32_t max = 0x10FFFF;
  switch (c) {
    case 'a': value = '\a'; return true;
    case 'b': value = '\b'; return true;
    case 'f': value = '\f'; return true;
    case 'n': value = '\n'; return true;
    case 'r': value = '\r'; return true;
    case 't': value = '\t'; return true;
    case 'v': value = '\v'; return true;
    case '\\': value = '\\'; return true;
    case '\'': case '"':
      value = c;
      return c == quote;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
      i--, n = 3, base = 8, max = 255;
      break;
    case 'x': n = 2, max = 255; break;
    case 'u': n = 4; break;
    case 'U': n = 8; break;
    default: return false;
  }
  uint32_t x = 0;
  for (int k = 0; k < n; k++, i++) {
    if (i >= s.size()) return false;
    int d = hexVal(s[i]);
    if (d >= base) return false;
    x = x * base + d;
  }
  if (x > max || (x >= 0xD800 && x < 0xE000)) return false;
  value = (int32_t)x;
  isByte = max == 255;
  return true;
}

bool unquoteString(std::string_view raw, std::string& out) {
  out.clear();
  if (raw.size() < 2 || raw.front() != raw.back()) return false;
  std::string_view body = raw.substr(1, raw.size() - 2);
  if (raw.front() == '`') {
    if (body.find('`') != std::string_view::npos) return false;
    for (char c : body)
      if (c != '\r') out += c;
    return true;
  }
  if (raw.front() != '"') return false;
  for (size_t i = 0; i < body.size();) {
    if (body[i] == '"' || body[i] == '\n') return false;
    int32_t v;
    bool isByte;
    if (!unquoteChar(body, i, '"', v, isByte)) return false;
    if (isByte)
      out += (char)v;
    else
      appendRune(out, v);
  }
  return true;
}

bool unquoteRune(std::string_view raw, int32_t& out) {
  if (raw.size() < 3 || raw.front() != '\'' || raw.back() != '\'') return false;
  std::string_view body = raw.substr(1, raw.size() - 2);
  size_t i = 0;
  bool isByte;
  if (body[0] == '\'' || body[0] == '\n') return false;
  if (!unquoteChar(body, i, '\'', out, isByte)) return false;
  return i == body.size();
}

}  // namespace gol
