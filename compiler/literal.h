// literal.h: decoding literal tokens and UTF-8, shared by the lexer (which validates literals)
// and the checker (which computes their values).
//
// The lexer keeps Token.text exactly as written; these helpers turn that raw text into values.
// They expect text the lexer has accepted and return false (leaving `out` unspecified) on
// anything malformed, so they are safe on tokens the lexer flagged as bad.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace gol {

// The value of a string literal, quotes included in raw: "a\tb" (interpreted: every Go escape;
// \x and \ooo give single bytes, \u and \U the rune's UTF-8 encoding) or `a\tb` (raw: taken
// literally, carriage returns dropped as Go does).
bool unquoteString(std::string_view raw, std::string& out);

// The value of a rune literal, quotes included in raw: 'a', '\n', '\x41', '\u00e9', 'é'.
// Exactly one character (or escape) must sit between the quotes.
bool unquoteRune(std::string_view raw, int32_t& out);

// Decodes the UTF-8 sequence at s[0..]: returns the rune and sets width (>= 1 when s is not
// empty). An invalid or truncated sequence, a surrogate or an overlong form gives U+FFFD with
// width 1, as Go's utf8.DecodeRune does.
int32_t decodeRune(std::string_view s, int& width);
constexpr int32_t kRuneError = 0xFFFD;

// Appends the UTF-8 encoding of r (U+FFFD for invalid code points).
void appendRune(std::string& out, int32_t r);

// Go's %#U: "U+0040 '@'" for printable runes, "U+0000" for others.
std::string formatRuneU(int32_t r);
// Go's %q of a rune: 'a', '\n', '\x00', '\u00ad'.
std::string quoteRune(int32_t r);

}  // namespace gol
