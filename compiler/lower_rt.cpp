// This file lowers references to the runtime's entry points: it turns the rtcalls.def table
// (the mirror of runtime/abi.h) into LLVM declarations with the right types and attributes.
#include "lower_rt.h"

#include <llvm/IR/Attributes.h>
#include <llvm/IR/Function.h>

namespace gol {

namespace {

enum class RtType { Void, Bool, I32, I64, F64, Ptr, Str, RunePos, Slice, Eface };
enum class RtAttrs { None, NoReturn, ReturnsTwice };

struct RtEntry {
  const char* symbol;
  RtType result;
  std::vector<RtType> params;
  RtAttrs attrs;
};

#define Void RtType::Void
#define Bool RtType::Bool
#define I32 RtType::I32
#define I64 RtType::I64
#define F64 RtType::F64
#define Ptr RtType::Ptr
#define Str RtType::Str
#define RunePos RtType::RunePos
#define Slice RtType::Slice
#define None RtAttrs::None
#define NoReturn RtAttrs::NoReturn
#define ReturnsTwice RtAttrs::ReturnsTwice
#define Eface RtType::Eface
#define GOL_UNPAREN(...) __VA_ARGS__
#define GOL_RT(id, symbol, result, params, attrs) {symbol, result, {GOL_UNPAREN params}, attrs},
const RtEntry rtEntries[] = {
#include "rtcalls.def"
};
#undef Void
#undef Bool
#undef I32
#undef I64
#undef F64
#undef Ptr
#undef Str
#undef RunePos
#undef Slice
#undef None
#undef NoReturn
#undef ReturnsTwice
#undef Eface

llvm::Type* rtLLVMType(llvm::LLVMContext& ctx, RtType t) {
  switch (t) {
    case RtType::Void: return llvm::Type::getVoidTy(ctx);
    case RtType::Bool: return llvm::Type::getInt1Ty(ctx);
    case RtType::I32: return llvm::Type::getInt32Ty(ctx);
    case RtType::I64: return llvm::Type::getInt64Ty(ctx);
    case RtType::F64: return llvm::Type::getDoubleTy(ctx);
    case RtType::Ptr: return llvm::PointerType::getUnqual(ctx);
    case RtType::Str: return stringStructType(ctx);
    case RtType::RunePos: return llvm::StructType::get(llvm::Type::getInt32Ty(ctx), llvm::Type::getInt64Ty(ctx));
    case RtType::Slice: return sliceStructType(ctx);
    case RtType::Eface: return llvm::StructType::get(llvm::PointerType::getUnqual(ctx), llvm::PointerType::getUnqual(ctx));
  }
  return nullptr;
}

}  // namespace

llvm::StructType* stringStructType(llvm::LLVMContext& ctx) {
  return llvm::StructType::get(llvm::PointerType::getUnqual(ctx), llvm::Type::getInt64Ty(ctx));
}

llvm::StructType* sliceStructType(llvm::LLVMContext& ctx) {
  auto* i64 = llvm::Type::getInt64Ty(ctx);
  return llvm::StructType::get(llvm::PointerType::getUnqual(ctx), i64, i64);
}

bool runtimeReturnsSlice(RtFunc f) { return rtEntries[static_cast<size_t>(f)].result == RtType::Slice; }

llvm::FunctionCallee getRuntimeFunc(llvm::Module& m, RtFunc f) {
  const RtEntry& e = rtEntries[static_cast<size_t>(f)];
  if (llvm::Function* existing = m.getFunction(e.symbol)) return existing;
  llvm::LLVMContext& ctx = m.getContext();
  bool sret = e.result == RtType::Slice;
  std::vector<llvm::Type*> params;
  if (sret) params.push_back(llvm::PointerType::getUnqual(ctx));
  for (RtType p : e.params) params.push_back(rtLLVMType(ctx, p));
  llvm::Type* result = sret ? llvm::Type::getVoidTy(ctx) : rtLLVMType(ctx, e.result);
  auto* fty = llvm::FunctionType::get(result, params, false);
  auto* fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, e.symbol, m);
  if (sret) {
    fn->addParamAttr(0, llvm::Attribute::getWithStructRetType(ctx, sliceStructType(ctx)));
    fn->addParamAttr(0, llvm::Attribute::getWithAlignment(ctx, llvm::Align(8)));
  }
  for (size_t i = 0; i < e.params.size(); i++)
    if (e.params[i] == RtType::Bool) fn->addParamAttr(i + sret, llvm::Attribute::ZExt);
  if (e.result == RtType::Bool) fn->addRetAttr(llvm::Attribute::ZExt);
  // Like setjmp: control may come back out of the call a second time.
  if (e.attrs == RtAttrs::ReturnsTwice) fn->addFnAttr(llvm::Attribute::ReturnsTwice);
  if (e.attrs == RtAttrs::NoReturn) {
    fn->addFnAttr(llvm::Attribute::NoReturn);
    fn->addFnAttr(llvm::Attribute::Cold);
  }
  return fn;
}

}  // namespace gol
