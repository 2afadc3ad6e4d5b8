// cache.h: golrun's content-addressed build cache (like `go run`'s GOCACHE).
//
// An executable is stored under a key that names everything its bytes depend on:
//   - each source file's name (as given to golc: it is printed in diagnostics and tracebacks)
//     and its contents,
//   - the optimisation level,
//   - the identity (size + mtime in ns) of golc, libgolrt.a and libgolrt_main.a, so rebuilding
//     the compiler or the runtime invalidates every entry without hashing 100 MB of binaries.
// The key is the SHA-256 of these fields, each length-prefixed so that no two different inputs
// serialise to the same bytes. An entry lives at <cache>/<key[0:2]>/<key>-<program name>; it is
// written to a private temporary directory inside the cache first and then rename(2)d into place,
// so a reader sees either no entry or a complete one, even with concurrent golruns.
//
// Nothing here runs a process: lookupOrBuild takes the compile step as a callback, so unit tests
// can drive the cache with a fake compiler (tests/unit/tools/cache_test.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gol::tools {

// What stat(2) says about a tool or library the build depends on.
struct FileIdentity {
  bool exists = false;
  uint64_t size = 0;
  int64_t mtimeNs = 0;
};
FileIdentity identify(const std::string& path);

struct SourceFile {
  std::string name;      // the path as passed to golc
  std::string contents;
};

struct BuildInputs {
  std::vector<SourceFile> files;
  int optLevel = 3;  // golc's default (compiler/driver.h)
  // (role, identity), e.g. ("golc", identify(".../bin/golc")). Order matters.
  std::vector<std::pair<std::string, FileIdentity>> tools;
};

// The lower-case hex SHA-256 naming `in`'s executable.
std::string cacheKey(const BuildInputs& in);

// The cache root: $GOLCACHE, else $XDG_CACHE_HOME/gol, else $HOME/.cache/gol (empty variables
// count as unset). Returns "" when none is set; the caller reports that.
std::string resolveCacheDir(const char* golcache, const char* xdgCacheHome, const char* home);

// The program name golrun uses for `prog.gol` (and for `golrun build`'s default output):
// the first file's base name without its .gol suffix.
std::string programName(const std::string& firstFile);

// <cacheDir>/<key[0:2]>/<key>-<name>
std::string entryPath(const std::string& cacheDir, const std::string& key, const std::string& name);

// Compiles into a temporary path and returns golc's exit status (0 = success).
using CompileFn = std::function<int(const std::string& outPath)>;

struct LookupResult {
  std::string path;    // the cached executable (empty on failure)
  bool hit = false;    // true when no compile was needed
  int compileStatus = 0;
  std::string error;   // a filesystem problem, for "golrun: ..." messages
};

// Returns the entry for `key`, compiling it with `compile` on a miss.
LookupResult lookupOrBuild(const std::string& cacheDir, const std::string& key,
                           const std::string& name, const CompileFn& compile);

// Reads a whole file; false (with errno set) when it cannot be read.
bool readFile(const std::string& path, std::string& out);

// mkdir -p; false with errno set on failure.
bool makeDirs(const std::string& path);

}  // namespace gol::tools
