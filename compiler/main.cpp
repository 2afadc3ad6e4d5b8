// golc: the Gol compiler's command line. golrun execs it on a build-cache miss; people may
// run it directly:
//
//   golc [-O0|-O1|-O2|-O3] [-o OUT] [--emit-llvm] [--check] [--dump=tokens|ast] FILE.gol...
//
// Plain argv parsing keeps start-up lean (no CLI11 here; golrun has the friendly CLI).
#include <cstdio>
#include <cstring>
#include <string>

#include "driver.h"

static const char usage[] =
    "usage: golc [-O0|-O1|-O2|-O3] [-o OUT] [--emit-llvm] [--check] [--dump=tokens|ast] FILE.gol...\n"
    "       golc --package DIR -o OUT.o   (compile one library package to an object)\n"
    "\n"
    "Compiles the files of one Gol package (package main) into an executable.\n"
    "  -O0..-O3      optimisation level (default -O3)\n"
    "  -o OUT        output file (default: the first file's name without .gol;\n"
    "                with --emit-llvm the default, or -o -, is stdout)\n"
    "  --emit-llvm   write the optimised LLVM IR as text instead of linking\n"
    "  --check       stop after type checking\n"
    "  --dump=tokens print the tokens and stop;  --dump=ast  print the syntax tree and stop\n"
    "  --time        print each phase's time to stderr\n"
    "  -m            print escape analysis decisions to stderr, like go build -gcflags=-m:\n"
    "                moved to heap: x, func literal does not escape, leaking param: p\n";

static int usageError(const std::string& msg) {
  std::fprintf(stderr, "golc: %s\n%s", msg.c_str(), usage);
  return 2;
}

int main(int argc, char** argv) {
  gol::DriverOptions opts;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
      opts.optLevel = a[2] - '0';
    } else if (a == "-o") {
      if (++i == argc) return usageError("-o needs a file name");
      opts.output = argv[i];
    } else if (a.rfind("-o", 0) == 0 && a.size() > 2 && a[2] != '-') {
      opts.output = a.substr(2);
    } else if (a == "--emit-llvm" || a == "-emit-llvm") {
      opts.emitLLVM = true;
    } else if (a == "--package") {
      if (++i == argc) return usageError("--package needs a directory");
      opts.packageDir = argv[i];
    } else if (a == "--check") {
      opts.checkOnly = true;
    } else if (a == "-m") {
      opts.escapeNotes = true;
    } else if (a == "--time") {
      opts.timePhases = true;
    } else if (a.rfind("--dump=", 0) == 0) {
      opts.dump = a.substr(7);
      if (opts.dump != "tokens" && opts.dump != "ast") return usageError("unknown dump: " + opts.dump);
    } else if (a == "-h" || a == "--help") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a.size() > 1 && a[0] == '-') {
      return usageError("unknown flag " + a);
    } else {
      opts.files.push_back(a);
    }
  }
  if (opts.files.empty() && opts.packageDir.empty()) return usageError("no input files");
  return gol::runCompiler(opts);
}
