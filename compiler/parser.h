// parser.h: recursive-descent parser for the Gol grammar (Go's grammar; constructs outside the
// Gol subset parse but are reported as "X is not supported in Gol" where they are detected).
#pragma once
#include "ast.h"
#include "diag.h"

namespace gol {

// Parses one file. Always returns a File (possibly with Bad* nodes); errors go to diag.
File* parseFile(AstContext& ctx, const SourceManager& sm, int32_t file, Diag& diag);

}  // namespace gol
