// lower_rt.h: the runtime entry points lowering calls (rtcalls.def), declared on demand.
#pragma once
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Module.h>

namespace gol {

enum class RtFunc {
#define GOL_RT(id, symbol, result, params, attrs) id,
#include "rtcalls.def"
};

// The declaration of a runtime function in m (added on first use), with its attributes.
llvm::FunctionCallee getRuntimeFunc(llvm::Module& m, RtFunc f);

// True for the functions returning a GoSlice, whose declaration takes an sret pointer first
// and returns void (Lowerer::callRuntime hides this).
bool runtimeReturnsSlice(RtFunc f);

// The LLVM types of a Go string {ptr, i64} and slice {ptr, i64, i64}.
llvm::StructType* stringStructType(llvm::LLVMContext& ctx);
llvm::StructType* sliceStructType(llvm::LLVMContext& ctx);

}  // namespace gol
