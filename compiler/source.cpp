// source.cpp: source files and positions. Each file keeps a table of line starts, so an
// offset becomes a (line, col) pair by binary search; columns count bytes, as Go's do.
// Diagnostics (diag.cpp) use SourceFile::line() to show the offending line under a message.
#include "source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gol {

std::string_view SourceFile::line(int32_t line) const {
  if (line < 1 || line > (int32_t)lineStarts.size()) return {};
  size_t begin = lineStarts[line - 1];
  size_t end = line < (int32_t)lineStarts.size() ? lineStarts[line] : text.size();
  std::string_view s(text.data() + begin, end - begin);
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

int32_t SourceManager::add(std::string name, std::string text) {
  auto f = std::make_unique<SourceFile>();
  f->name = std::move(name);
  f->text = std::move(text);
  f->lineStarts.push_back(0);
  for (size_t i = 0; i < f->text.size(); i++)
    if (f->text[i] == '\n') f->lineStarts.push_back((int32_t)(i + 1));
  files_.push_back(std::move(f));
  return (int32_t)files_.size() - 1;
}

int32_t SourceManager::load(const std::string& path, std::string& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = "open " + path + ": " + std::strerror(errno ? errno : ENOENT);
    return -1;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    err = "read " + path + ": " + std::strerror(errno);
    return -1;
  }
  return add(path, ss.str());
}

Pos SourceManager::pos(int32_t file, int32_t offset) const {
  Pos p;
  if (file < 0 || file >= (int32_t)files_.size()) return p;
  const SourceFile& f = *files_[file];
  offset = std::clamp<int32_t>(offset, 0, (int32_t)f.text.size());
  // the last line start <= offset
  auto it = std::upper_bound(f.lineStarts.begin(), f.lineStarts.end(), offset);
  int32_t line = (int32_t)(it - f.lineStarts.begin());
  p.file = file;
  p.line = line;
  p.col = offset - f.lineStarts[line - 1] + 1;
  p.offset = offset;
  return p;
}

std::string SourceManager::format(Pos p) const {
  if (!p.valid() || p.file >= (int32_t)files_.size()) return "<unknown>";
  return files_[p.file]->name + ":" + std::to_string(p.line) + ":" + std::to_string(p.col);
}

}  // namespace gol
