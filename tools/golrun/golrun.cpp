// golrun.cpp: the command users type — `golrun prog.gol` builds through the cache and runs.
//
// golrun is deliberately small and does not link LLVM: a cached run reads the sources, hashes
// them (cache.h), finds the executable and execv(2)s it, in about a millisecond. Only a cache
// miss pays for the compiler, by running golc, which lives next to golrun:
//
//   <root>/bin/golrun     this program (found through /proc/self/exe)
//   <root>/bin/golc       the compiler: golc [-O0..-O3] [-o OUT] [--emit-llvm] [--check] FILE.gol...
//   <root>/lib/libgolrt.a, libgolrt_main.a   the runtime golc links into every program
//   <root>/lib/libgolstd.a                   the standard library golc links into every program
//
// Because the program replaces golrun (execv), its exit status and death by signal are what
// the shell sees, like running the binary by hand. Every other command (build, emit-llvm, check)
// also execs golc, so golc's diagnostics and exit status pass through unchanged.
//
// CLI11 lives in this file only: it takes about 20 s to compile.
#include "cache.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#ifndef GOL_VERSION
#define GOL_VERSION "dev"
#endif
#ifndef GOL_LLVM_VERSION
#define GOL_LLVM_VERSION "19"
#endif
#ifndef GOL_CONTEXT_BACKEND
#define GOL_CONTEXT_BACKEND "asm"
#endif

#if defined(__x86_64__)
#define GOL_GOARCH "amd64"
#elif defined(__aarch64__)
#define GOL_GOARCH "arm64"
#else
#define GOL_GOARCH "unknown"
#endif

namespace {

using namespace gol::tools;

// Where golrun's siblings live; all derived from /proc/self/exe.
struct Layout {
  std::string root;    // the directory holding bin/ and lib/
  std::string golc;
  std::string golrt;
  std::string golrtMain;
};

Layout findLayout() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string self = n > 0 ? std::string(buf, size_t(n)) : std::string("golrun");
  std::string bin = self.substr(0, self.rfind('/') == std::string::npos ? 0 : self.rfind('/'));
  std::string root = bin.substr(0, bin.rfind('/') == std::string::npos ? 0 : bin.rfind('/'));
  return {root, bin + "/golc", root + "/lib/libgolrt.a", root + "/lib/libgolrt_main.a"};
}

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "golrun: %s\n", msg.c_str());
  std::exit(1);
}

// The layout, after checking that golc is there.
Layout findGolc() {
  Layout l = findLayout();
  if (access(l.golc.c_str(), X_OK) != 0)
    die("cannot find the compiler: " + l.golc + ": " + std::strerror(errno) +
        " (golc is built next to golrun; run tools/build.sh)");
  return l;
}

std::vector<char*> toArgv(std::vector<std::string>& args) {
  std::vector<char*> v;
  for (std::string& a : args)
    v.push_back(a.data());
  v.push_back(nullptr);
  return v;
}

// Replaces golrun with `args[0]`; returns only on failure.
[[noreturn]] void execOrDie(std::vector<std::string> args) {
  std::vector<char*> argv = toArgv(args);
  execv(argv[0], argv.data());
  die("exec " + args[0] + ": " + std::strerror(errno));
}

// Runs golc and returns its exit status, or 128+signal when it was killed.
int spawnWait(std::vector<std::string> args) {
  std::vector<char*> argv = toArgv(args);
  pid_t pid;
  int err = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
  if (err != 0)
    die("exec " + args[0] + ": " + std::strerror(err));
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      die(std::string("waitpid: ") + std::strerror(errno));
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

std::string optFlag(int level) { return "-O" + std::to_string(level); }

bool isGolFile(const std::string& s) {
  return s.size() > 4 && s.compare(s.size() - 4, 4, ".gol") == 0;
}

// ---- golrun run ----

[[noreturn]] void cmdRun(int optLevel, const std::string& trace, const std::vector<std::string>& rest) {
  size_t nfiles = 0;
  while (nfiles < rest.size() && isGolFile(rest[nfiles]))
    nfiles++;
  if (nfiles == 0)
    die(rest.empty() ? "no .gol files listed (try: golrun run prog.gol)"
                     : "the first argument after the flags must be a .gol file, not \"" + rest[0] + "\"");
  const Layout l = findGolc();

  BuildInputs in;
  in.optLevel = optLevel;
  for (size_t i = 0; i < nfiles; i++) {
    SourceFile f{rest[i], {}};
    if (!readFile(f.name, f.contents))
      die("open " + f.name + ": " + std::strerror(errno));
    in.files.push_back(std::move(f));
  }
  in.tools = {{"golc", identify(l.golc)},
              {"libgolrt.a", identify(l.golrt)},
              {"libgolrt_main.a", identify(l.golrtMain)},
              {"libgolstd.a", identify(l.root + "/lib/libgolstd.a")}};

  std::string cacheDir = resolveCacheDir(getenv("GOLCACHE"), getenv("XDG_CACHE_HOME"), getenv("HOME"));
  if (cacheDir.empty())
    die("GOLCACHE is not set and neither $XDG_CACHE_HOME nor $HOME is defined");

  std::string name = programName(rest[0]);
  LookupResult r = lookupOrBuild(cacheDir, cacheKey(in), name, [&](const std::string& out) {
    std::vector<std::string> args = {l.golc, optFlag(optLevel), "-o", out};
    args.insert(args.end(), rest.begin(), rest.begin() + long(nfiles));
    return spawnWait(args);
  });
  if (r.compileStatus == 1)
    std::exit(1);  // compile errors: golc has printed them
  if (r.compileStatus > 128)
    die("golc was killed by signal " + std::to_string(r.compileStatus - 128) + " (" +
        strsignal(r.compileStatus - 128) + "): this is a compiler bug, please report it");
  if (r.compileStatus != 0)
    die("golc failed with exit status " + std::to_string(r.compileStatus));
  if (!r.error.empty())
    die(r.error);

  // -trace FILE: the runtime writes an execution trace at exit (runtime/trace.h, GOLTRACE).
  if (!trace.empty() && setenv("GOLTRACE", trace.c_str(), 1) != 0)
    die(std::string("setenv GOLTRACE: ") + std::strerror(errno));
  std::vector<std::string> argv = {r.path};
  argv.insert(argv.end(), rest.begin() + long(nfiles), rest.end());
  execOrDie(argv);
}

// ---- golrun version / env ----

std::string gomaxprocs() {
  const char* env = getenv("GOMAXPROCS");
  if (env != nullptr && *env != '\0')
    return env;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    return std::to_string(CPU_COUNT(&set));
  return std::to_string(sysconf(_SC_NPROCESSORS_ONLN));
}

int cmdVersion() {
  std::printf("golrun version gol%s linux/%s (LLVM %s, context backend %s)\n", GOL_VERSION,
              GOL_GOARCH, GOL_LLVM_VERSION, GOL_CONTEXT_BACKEND);
  return 0;
}

int cmdEnv(const std::vector<std::string>& names) {
  Layout l = findLayout();
  auto envOr = [](const char* k) {
    const char* v = getenv(k);
    return std::string(v ? v : "");
  };
  const std::vector<std::pair<std::string, std::string>> vars = {
      {"GOARCH", GOL_GOARCH},
      {"GOLCACHE", resolveCacheDir(getenv("GOLCACHE"), getenv("XDG_CACHE_HOME"), getenv("HOME"))},
      {"GOLC", l.golc},
      {"GOLROOT", l.root},
      {"GOLRT", l.golrt},
      {"GOLRT_MAIN", l.golrtMain},
      {"GOL_CONTEXT", GOL_CONTEXT_BACKEND},
      {"GOL_LLVM_VERSION", GOL_LLVM_VERSION},
      {"GOL_VERSION", GOL_VERSION},
      {"GODEBUG", envOr("GODEBUG")},
      {"GOGC", envOr("GOGC")},
      {"GOMAXPROCS", gomaxprocs()},
      {"GOOS", "linux"},
      {"GOTRACEBACK", envOr("GOTRACEBACK")},
  };
  if (names.empty()) {
    for (const auto& [k, v] : vars)
      std::printf("%s=\"%s\"\n", k.c_str(), v.c_str());
    return 0;
  }
  for (const std::string& want : names) {  // `golrun env GOLCACHE` prints just the value
    std::string value;
    for (const auto& [k, v] : vars)
      if (k == want)
        value = v;
    std::printf("%s\n", value.c_str());
  }
  return 0;
}

// ---- the command line ----

const char* const overview = R"(`golrun FILE.gol... [ARGS...]` is short for `golrun run FILE.gol... [ARGS...]`.

Examples:
  golrun hello.gol                  build hello.gol (cached) and run it
  golrun prog.gol util.gol -v 3     every leading .gol file is part of the program; the
                                    arguments after them (-v 3) go to the program
  golrun run -O0 prog.gol           the same with an explicit optimisation level
  golrun build -o hello hello.gol   write an executable
  golrun emit-llvm hello.gol        print the LLVM IR golc generates
  golrun check hello.gol            type-check only
  golrun env GOLCACHE               where cached executables live

A cached run does not start the compiler: the cache key is the SHA-256 of the source files, the
-O level and the identity of golc and the runtime libraries. Remove the directory `golrun env
GOLCACHE` prints to clear it. The program's exit status is golrun's; compile errors exit 1.
Run `golrun COMMAND --help` for a command's flags.)";

// `golrun prog.gol` and `golrun -O1 prog.gol` mean `golrun run ...`.
std::vector<std::string> normaliseArgs(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  static const char* const commands[] = {"run", "build", "emit-llvm", "check", "version", "env", "help"};
  if (!args.empty() && std::find(std::begin(commands), std::end(commands), args[0]) == std::end(commands) &&
      (isGolFile(args[0]) || (args[0].size() == 3 && args[0].compare(0, 2, "-O") == 0) ||
       args[0] == "-trace" || args[0].rfind("-trace=", 0) == 0))
    args.insert(args.begin(), "run");
  if (!args.empty() && args[0] == "help")  // `golrun help [cmd]` == `golrun [cmd] --help`
    args.erase(args.begin()), args.push_back("--help");
  // Go spells it `go run -trace`; CLI11 wants a long option to have two dashes. Only golrun's
  // own flags (before the first .gol file) are rewritten, never the program's arguments.
  if (!args.empty() && args[0] == "run") {
    for (size_t i = 1; i < args.size() && !isGolFile(args[i]); i++) {
      if (args[i] == "-trace" || args[i].rfind("-trace=", 0) == 0)
        args[i].insert(0, "-");
    }
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"golrun builds and runs Gol programs: a subset of Go, compiled with LLVM and run on\n"
               "a port of Go's G-M-P goroutine scheduler.",
               "golrun"};
  app.footer(overview);
  app.require_subcommand(1);

  int optLevel = 3;  // golc's default (compiler/driver.h)
  auto addOpt = [&](CLI::App* sub) {
    sub->add_option("-O", optLevel, "optimisation level 0..3 (default 3), written -O0 .. -O3")
        ->check(CLI::Range(0, 3));
  };

  CLI::App* run = app.add_subcommand("run", "build FILE.gol... through the cache and run it with ARGS");
  addOpt(run);
  std::string trace;
  run->add_option("--trace", trace,
                  "write an execution trace to FILE at exit (sets GOLTRACE; open it with\n"
                  "tools/trace-viewer/viewer.html, Perfetto or chrome://tracing)")
      ->type_name("FILE");
  run->prefix_command();  // everything from the first file on is ours to split: files, then ARGS
  run->footer("Example: golrun run -O0 prog.gol util.gol arg1 arg2\n"
              "         golrun run -trace out.json prog.gol   (Go's spelling -trace works too)\n"
              "The leading .gol arguments are the program's files; the rest are its arguments.\n"
              "The program's exit status is golrun's.");

  std::string out;
  std::vector<std::string> files;
  CLI::App* build = app.add_subcommand("build", "compile FILE.gol... to an executable");
  build->add_option("-o", out, "output file (default: the first file's name without .gol)");
  addOpt(build);
  build->add_option("files", files, "the program's .gol files")->required();
  build->footer("Example: golrun build -o hello samples/hello.gol && ./hello");

  CLI::App* emit = app.add_subcommand("emit-llvm", "print the LLVM IR for FILE.gol...");
  emit->add_option("-o", out, "write the IR to this file instead of stdout");
  addOpt(emit);
  emit->add_option("files", files, "the program's .gol files")->required();
  emit->footer("Example: golrun emit-llvm -O0 samples/fib.gol | less");

  CLI::App* check = app.add_subcommand("check", "type-check FILE.gol... without generating code");
  check->add_option("files", files, "the program's .gol files")->required();
  check->footer("Example: golrun check prog.gol && echo ok");

  app.add_subcommand("version", "print golrun's version, LLVM version and context backend");

  std::vector<std::string> envNames;
  CLI::App* env = app.add_subcommand("env", "print Gol's environment (paths, cache, GOMAXPROCS)");
  env->add_option("names", envNames, "print only these variables' values");
  env->footer("Example: golrun env GOLCACHE");

  std::vector<std::string> args = normaliseArgs(argc, argv);
  if (args.empty()) {
    std::cerr << app.help();
    return 2;
  }
  try {
    std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2, like go's
  }

  bool optGiven = false;
  for (CLI::App* sub : {run, build, emit})
    optGiven = optGiven || sub->count("-O") > 0;

  if (run->parsed())
    cmdRun(optLevel, trace, run->remaining());
  if (app.got_subcommand("version"))
    return cmdVersion();
  if (env->parsed())
    return cmdEnv(envNames);

  const Layout l = findGolc();
  std::vector<std::string> golc = {l.golc};
  if (check->parsed()) {
    golc.push_back("--check");
  } else {
    if (emit->parsed())
      golc.push_back("--emit-llvm");
    if (optGiven)
      golc.push_back(optFlag(optLevel));
    if (build->parsed() && out.empty())
      out = programName(files[0]);
    if (!out.empty())
      golc.insert(golc.end(), {"-o", out});
  }
  golc.insert(golc.end(), files.begin(), files.end());
  execOrDie(golc);
}
