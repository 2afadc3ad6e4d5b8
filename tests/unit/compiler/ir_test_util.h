// ir_test_util.h: the compiler tests' shared helpers: compile a one-file program to textual IR
// in memory, and check the IR loosely (FileCheck style: substrings, regexes, order, one
// function's body), never whole-module text.
#pragma once

#include <doctest/doctest.h>

#include <initializer_list>
#include <regex>
#include <string>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include "driver.h"

namespace gol::test {

struct Compiled {
  std::string ir;      // textual IR, empty on failure
  std::string errors;  // rendered diagnostics
};

inline Compiled compile(const std::string& src, int optLevel = 0) {
  llvm::LLVMContext ctx;
  Compiled c;
  auto mod = gol::compileToModule(ctx, {{"test.gol", src}}, optLevel, c.errors);
  if (mod) {
    llvm::raw_string_ostream os(c.ir);
    mod->print(os, nullptr);
  }
  return c;
}

// The IR of a program that must compile.
inline std::string ir(const std::string& src, int optLevel = 0) {
  Compiled c = compile(src, optLevel);
  INFO("errors: " << c.errors);
  REQUIRE(!c.ir.empty());
  return c.ir;
}

inline bool has(const std::string& ir, const std::string& needle) { return ir.find(needle) != std::string::npos; }

inline bool matches(const std::string& ir, const std::string& re) { return std::regex_search(ir, std::regex(re)); }

// Each needle appears, after the previous one (CHECK lines).
inline bool inOrder(const std::string& ir, std::initializer_list<std::string> needles) {
  size_t at = 0;
  for (const std::string& n : needles) {
    at = ir.find(n, at);
    if (at == std::string::npos) return false;
    at += n.size();
  }
  return true;
}

// The body of one function, from its define line to the closing brace.
inline std::string function(const std::string& ir, const std::string& name) {
  size_t start = ir.find("@" + name + "(");
  if (start == std::string::npos) start = ir.find("@\"" + name + "\"(");
  if (start == std::string::npos) return "";
  start = ir.rfind("define", start);
  size_t end = ir.find("\n}\n", start);
  return ir.substr(start, end - start);
}

}  // namespace gol::test
