// cache_test.cpp: golrun's cache key, cache directory rules and atomic store, driven with a fake
// compiler callback instead of golc.
#include "cache.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace gol::tools;

namespace {

BuildInputs sampleInputs() {
  BuildInputs in;
  in.files = {{"main.gol", "package main\nfunc main() {}\n"}, {"util.gol", "package main\n"}};
  in.optLevel = 2;
  in.tools = {{"golc", {true, 1000, 111}}, {"libgolrt.a", {true, 2000, 222}}, {"libgolrt_main.a", {true, 3, 333}}};
  return in;
}

// A fresh directory under $TMPDIR, removed at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    const char* t = getenv("TMPDIR");
    path = std::string(t && *t ? t : "/tmp") + "/golrun-cache-test-XXXXXX";
    REQUIRE(mkdtemp(path.data()) != nullptr);
  }
  ~TempDir() { CHECK(std::system(("rm -rf '" + path + "'").c_str()) == 0); }
};

// A fake golc: writes an executable file at `out` and counts its calls.
struct FakeCompiler {
  int calls = 0;
  int status = 0;
  int operator()(const std::string& out) {
    calls++;
    if (status != 0)
      return status;
    std::ofstream(out) << "#!/bin/sh\nexit 0\n";
    chmod(out.c_str(), 0755);
    return 0;
  }
};

}  // namespace

TEST_CASE("cache key: a 64-digit hex SHA-256, stable for the same inputs") {
  std::string k = cacheKey(sampleInputs());
  CHECK(k.size() == 64);
  CHECK(k.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(cacheKey(sampleInputs()) == k);
}

TEST_CASE("cache key: every input changes the key") {
  const std::string base = cacheKey(sampleInputs());
  BuildInputs in = sampleInputs();
  SUBCASE("file contents") { in.files[1].contents += " "; }
  SUBCASE("file name") { in.files[0].name = "other.gol"; }
  SUBCASE("file order") { std::swap(in.files[0], in.files[1]); }
  SUBCASE("an extra file") { in.files.push_back({"x.gol", ""}); }
  SUBCASE("the -O level") { in.optLevel = 0; }
  SUBCASE("golc's mtime") { in.tools[0].second.mtimeNs++; }
  SUBCASE("golc's size") { in.tools[0].second.size++; }
  SUBCASE("the runtime library's mtime") { in.tools[1].second.mtimeNs++; }
  SUBCASE("libgolrt_main.a missing") { in.tools[2].second = FileIdentity{}; }
  SUBCASE("name/contents boundary moves") {
    in.files[0].name = "main.golp";
    in.files[0].contents = in.files[0].contents.substr(1);
  }
  CHECK(cacheKey(in) != base);
}

TEST_CASE("cache dir: GOLCACHE, then XDG_CACHE_HOME/gol, then HOME/.cache/gol") {
  CHECK(resolveCacheDir("/c", "/x", "/h") == "/c");
  CHECK(resolveCacheDir(nullptr, "/x", "/h") == "/x/gol");
  CHECK(resolveCacheDir("", "/x", "/h") == "/x/gol");
  CHECK(resolveCacheDir(nullptr, "", "/h") == "/h/.cache/gol");
  CHECK(resolveCacheDir(nullptr, nullptr, nullptr) == "");
}

TEST_CASE("cache: program names and entry paths") {
  CHECK(programName("samples/hello.gol") == "hello");
  CHECK(programName("prog") == "prog");
  CHECK(programName("dir/.gol") == ".gol");
  std::string key(64, 'a');
  key[0] = '1', key[1] = 'f';
  CHECK(entryPath("/c", key, "hello") == "/c/1f/" + key + "-hello");
}

TEST_CASE("cache: a miss compiles once, then hits without compiling") {
  TempDir dir;
  std::string cache = dir.path + "/nested/cache";  // created on demand
  std::string key = cacheKey(sampleInputs());
  FakeCompiler cc;
  auto compile = [&](const std::string& out) { return cc(out); };

  LookupResult first = lookupOrBuild(cache, key, "main", compile);
  CHECK(first.error == "");
  CHECK_FALSE(first.hit);
  CHECK(first.path == entryPath(cache, key, "main"));
  CHECK(access(first.path.c_str(), X_OK) == 0);
  CHECK(cc.calls == 1);

  LookupResult second = lookupOrBuild(cache, key, "main", compile);
  CHECK(second.hit);
  CHECK(second.path == first.path);
  CHECK(cc.calls == 1);
  CHECK(access((cache + "/CACHEDIR.TAG").c_str(), F_OK) == 0);

  struct stat st;
  REQUIRE(stat((cache + "/tmp").c_str(), &st) == 0);
  CHECK(std::system(("test -z \"$(ls -A '" + cache + "/tmp')\"").c_str()) == 0);  // no debris
}

TEST_CASE("cache: a failed compile stores nothing and reports golc's status") {
  TempDir dir;
  std::string key = cacheKey(sampleInputs());
  FakeCompiler cc;
  cc.status = 1;
  LookupResult r = lookupOrBuild(dir.path, key, "main", [&](const std::string& out) { return cc(out); });
  CHECK(r.compileStatus == 1);
  CHECK(r.path == "");
  CHECK(access(entryPath(dir.path, key, "main").c_str(), F_OK) != 0);

  cc.status = 0;  // the next attempt compiles again
  r = lookupOrBuild(dir.path, key, "main", [&](const std::string& out) { return cc(out); });
  CHECK_FALSE(r.hit);
  CHECK(r.path != "");
  CHECK(cc.calls == 2);
}

TEST_CASE("cache: a compiler that exits 0 without output is an error, not an entry") {
  TempDir dir;
  LookupResult r = lookupOrBuild(dir.path, std::string(64, '0'), "main", [](const std::string&) { return 0; });
  CHECK(r.path == "");
  CHECK(r.error != "");
}

TEST_CASE("cache: an unusable cache directory is reported") {
  TempDir dir;
  std::string file = dir.path + "/file";
  std::ofstream(file) << "x";
  LookupResult r = lookupOrBuild(file + "/cache", std::string(64, '0'), "main", [](const std::string&) { return 0; });
  CHECK(r.path == "");
  CHECK(r.error.find("cannot create the build cache") != std::string::npos);
}

TEST_CASE("identify: size and nanosecond mtime of a file, nothing for a missing one") {
  TempDir dir;
  std::string f = dir.path + "/f";
  std::ofstream(f) << "12345";
  FileIdentity id = identify(f);
  CHECK(id.exists);
  CHECK(id.size == 5);
  CHECK(id.mtimeNs > 0);
  CHECK_FALSE(identify(dir.path + "/missing").exists);
}
