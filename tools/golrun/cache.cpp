// cache.cpp: the build cache's key, layout and atomic store (see cache.h).
#include "cache.h"

#include "sha256.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gol::tools {
namespace {

// Bump when the key's layout or the meaning of an entry changes.
constexpr std::string_view keyVersion = "golrun-cache-v1";

void putU64(Sha256& h, uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; i++)
    b[i] = uint8_t(v >> (8 * i));
  h.update(b, 8);
}

// A length-prefixed field: "ab","c" and "a","bc" hash differently.
void putField(Sha256& h, std::string_view s) {
  putU64(h, s.size());
  h.update(s);
}

void removeTree(const std::string& dir, const std::string& file) {
  if (!file.empty())
    unlink(file.c_str());
  rmdir(dir.c_str());
}

// Marks the directory as a cache for backup tools (https://bford.info/cachedir/), as Go does.
void writeCacheDirTag(const std::string& cacheDir) {
  std::string tag = cacheDir + "/CACHEDIR.TAG";
  if (access(tag.c_str(), F_OK) == 0)
    return;
  int fd = open(tag.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0)
    return;
  static const char text[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                             "# This file is a cache directory tag created by golrun.\n";
  ssize_t ignored = write(fd, text, sizeof text - 1);
  (void)ignored;
  close(fd);
}

}  // namespace

FileIdentity identify(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return {};
  return {true, uint64_t(st.st_size), int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

std::string cacheKey(const BuildInputs& in) {
  Sha256 h;
  putField(h, keyVersion);
  putU64(h, uint64_t(in.optLevel));
  putU64(h, in.files.size());
  for (const SourceFile& f : in.files) {
    putField(h, f.name);
    putField(h, f.contents);
  }
  putU64(h, in.tools.size());
  for (const auto& [role, id] : in.tools) {
    putField(h, role);
    putU64(h, id.exists);
    putU64(h, id.size);
    putU64(h, uint64_t(id.mtimeNs));
  }
  return toHex(h.finish());
}

std::string resolveCacheDir(const char* golcache, const char* xdgCacheHome, const char* home) {
  auto set = [](const char* s) { return s != nullptr && *s != '\0'; };
  if (set(golcache))
    return golcache;
  if (set(xdgCacheHome))
    return std::string(xdgCacheHome) + "/gol";
  if (set(home))
    return std::string(home) + "/.cache/gol";
  return "";
}

std::string programName(const std::string& firstFile) {
  size_t slash = firstFile.rfind('/');
  std::string base = slash == std::string::npos ? firstFile : firstFile.substr(slash + 1);
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".gol") == 0)
    base.resize(base.size() - 4);
  return base.empty() ? "a.out" : base;
}

std::string entryPath(const std::string& cacheDir, const std::string& key, const std::string& name) {
  return cacheDir + "/" + key.substr(0, 2) + "/" + key + "-" + name;
}

bool readFile(const std::string& path, std::string& out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  out.clear();
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0)
    out.reserve(size_t(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int saved = errno;
      close(fd);
      errno = saved;
      return false;
    }
    if (n == 0)
      break;
    out.append(buf, size_t(n));
  }
  close(fd);
  return true;
}

bool makeDirs(const std::string& path) {
  if (path.empty())
    return false;
  for (size_t i = 1; i <= path.size(); i++) {
    if (i < path.size() && path[i] != '/')
      continue;
    std::string prefix = path.substr(0, i);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST)
      return false;
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return false;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return false;
  }
  return true;
}

LookupResult lookupOrBuild(const std::string& cacheDir, const std::string& key,
                           const std::string& name, const CompileFn& compile) {
  LookupResult r;
  std::string final = entryPath(cacheDir, key, name);
  if (access(final.c_str(), X_OK) == 0) {
    r.path = final;
    r.hit = true;
    return r;
  }

  std::string shard = cacheDir + "/" + key.substr(0, 2);
  std::string tmpRoot = cacheDir + "/tmp";
  if (!makeDirs(shard) || !makeDirs(tmpRoot)) {
    r.error = "cannot create the build cache in " + cacheDir + ": " + std::strerror(errno);
    return r;
  }
  writeCacheDirTag(cacheDir);

  // A private directory on the cache's file system: golc (and the linker behind it) may create
  // and replace files freely, and the final rename cannot cross file systems.
  std::string tmpl = tmpRoot + "/build-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    r.error = "cannot create a temporary directory in " + tmpRoot + ": " + std::strerror(errno);
    return r;
  }
  std::string tmpOut = tmpl + "/" + name;
  r.compileStatus = compile(tmpOut);
  if (r.compileStatus != 0) {
    removeTree(tmpl, tmpOut);
    return r;
  }
  if (rename(tmpOut.c_str(), final.c_str()) != 0) {
    r.error = "cannot store " + final + ": " + std::strerror(errno);
    removeTree(tmpl, tmpOut);
    return r;
  }
  removeTree(tmpl, "");
  r.path = final;
  return r;
}

}  // namespace gol::tools
