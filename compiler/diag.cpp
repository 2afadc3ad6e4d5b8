// diag.cpp: collecting and printing compile errors.
//
// Errors are gathered while every phase runs, then sorted by position and printed as Go prints
// them: "file:line:col: message". Under each message come the source line and a caret line
// (chibicc's verror_at): the caret line copies the tabs of the source line so that the caret
// sits under the right column whatever the tab width, and counts one space per character (not
// per byte) so that it also lines up after non-ASCII text. As in gc, only the first syntax error
// of a line is kept (with the parser's panic mode this keeps cascades out of the output), while
// type errors are all kept, since `f("a", 1)` really has two mistakes; the checker suppresses its
// own cascades with invalid operands.
#include "diag.h"

#include <algorithm>

namespace gol {

void Diag::error(Pos pos, std::string msg) { errors_.push_back({pos, std::move(msg), false}); }
void Diag::syntaxError(Pos pos, std::string msg) { errors_.push_back({pos, std::move(msg), true}); }

std::vector<Diagnostic> Diag::sorted() const {
  std::vector<Diagnostic> v = errors_;
  // stable: among errors at one position, the first reported comes first
  std::stable_sort(v.begin(), v.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.pos.file != b.pos.file) return a.pos.file < b.pos.file;
    if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
    return a.pos.col < b.pos.col;
  });
  std::vector<Diagnostic> out;
  auto sameLine = [](const Diagnostic& a, const Diagnostic& b) {
    return a.pos.valid() && a.pos.file == b.pos.file && a.pos.line == b.pos.line;
  };
  for (auto& d : v) {
    bool drop = false;
    for (size_t i = out.size(); i-- > 0 && sameLine(out[i], d);) {
      if ((d.syntax && out[i].syntax) || out[i].msg == d.msg) drop = true;
    }
    if (!drop) out.push_back(d);
  }
  return out;
}

// The caret line for a 1-based byte column of `line`: tabs kept, one space per other character.
static std::string caretLine(std::string_view line, int32_t col) {
  std::string s;
  for (size_t i = 0; i + 1 < (size_t)col && i < line.size(); i++) {
    unsigned char c = (unsigned char)line[i];
    if (c == '\t')
      s += '\t';
    else if ((c & 0xC0) != 0x80)  // skip UTF-8 continuation bytes
      s += ' ';
  }
  // a column past the end of the line (e.g. an unexpected newline) gets spaces up to it
  for (size_t i = line.size(); i + 1 < (size_t)col; i++) s += ' ';
  return s + "^";
}

std::string Diag::render(const Diagnostic& d) const {
  if (!d.pos.valid() || d.pos.file >= (int32_t)sm_.size()) return d.msg + "\n";
  std::string out = sm_.format(d.pos) + ": " + d.msg + "\n";
  const SourceFile& f = sm_.file(d.pos.file);
  if (d.pos.line < 1 || d.pos.line > (int32_t)f.lineStarts.size()) return out;
  std::string_view line = f.line(d.pos.line);
  out.append(line.data(), line.size());
  out += "\n" + caretLine(line, d.pos.col) + "\n";
  return out;
}

void Diag::print(std::FILE* out, size_t limit) const {
  std::vector<Diagnostic> v = sorted();
  for (size_t i = 0; i < v.size(); i++) {
    if (i == limit) {
      std::fputs("too many errors\n", out);
      return;
    }
    std::fputs(render(v[i]).c_str(), out);
  }
}

}  // namespace gol
