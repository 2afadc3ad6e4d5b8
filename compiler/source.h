// source.h: source files, positions and the caret snippet that diagnostics show.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gol {

// A position in a source file. line and col are 1-based; col counts bytes, as Go's do.
// file indexes SourceManager::files; file < 0 means "no position".
struct Pos {
  int32_t file = -1;
  int32_t line = 0;
  int32_t col = 0;
  int32_t offset = 0;  // byte offset in the file
  bool valid() const { return file >= 0; }
};

struct SourceFile {
  std::string name;  // as given on the command line; diagnostics print it
  std::string text;
  std::vector<int32_t> lineStarts;  // byte offset of each line's first byte
  std::string_view line(int32_t line) const;  // without the newline
};

class SourceManager {
 public:
  // Adds a file (its text is copied) and returns its index.
  int32_t add(std::string name, std::string text);
  // Reads a file from disk; returns -1 and sets err on failure.
  int32_t load(const std::string& path, std::string& err);
  const SourceFile& file(int32_t i) const { return *files_[i]; }
  size_t size() const { return files_.size(); }
  Pos pos(int32_t file, int32_t offset) const;  // computes line/col from an offset
  // "name:line:col"
  std::string format(Pos p) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace gol
