// This file lowers references to the runtime's entry points: it turns the rtcalls.def table
// (the mirror of runtime/abi.h) into LLVM declarations with the right types and attributes.
#include "lower_rt.h"

#include <llvm/IR/Attributes.h>
#include <llvm/IR/Function.h>

namespace gol {

namespace {

enum class RtType { Void, Bool, I32, I64, F64, Ptr, Str };
enum class RtAttrs { None, NoReturn };

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
#define None RtAttrs::None
#define NoReturn RtAttrs::NoReturn
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
#undef None
#undef NoReturn

llvm::Type* rtLLVMType(llvm::LLVMContext& ctx, RtType t) {
  switch (t) {
    case RtType::Void: return llvm::Type::getVoidTy(ctx);
    case RtType::Bool: return llvm::Type::getInt1Ty(ctx);
    case RtType::I32: return llvm::Type::getInt32Ty(ctx);
    case RtType::I64: return llvm::Type::getInt64Ty(ctx);
    case RtType::F64: return llvm::Type::getDoubleTy(ctx);
    case RtType::Ptr: return llvm::PointerType::getUnqual(ctx);
    case RtType::Str: return stringStructType(ctx);
  }
  return nullptr;
}

}  // namespace

llvm::StructType* stringStructType(llvm::LLVMContext& ctx) {
  return llvm::StructType::get(llvm::PointerType::getUnqual(ctx), llvm::Type::getInt64Ty(ctx));
}

llvm::FunctionCallee getRuntimeFunc(llvm::Module& m, RtFunc f) {
  const RtEntry& e = rtEntries[static_cast<size_t>(f)];
  if (llvm::Function* existing = m.getFunction(e.symbol)) return existing;
  llvm::LLVMContext& ctx = m.getContext();
  std::vector<llvm::Type*> params;
  for (RtType p : e.params) params.push_back(rtLLVMType(ctx, p));
  auto* fty = llvm::FunctionType::get(rtLLVMType(ctx, e.result), params, false);
  auto* fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, e.symbol, m);
  for (size_t i = 0; i < e.params.size(); i++)
    if (e.params[i] == RtType::Bool) fn->addParamAttr(i, llvm::Attribute::ZExt);
  if (e.attrs == RtAttrs::NoReturn) {
    fn->addFnAttr(llvm::Attribute::NoReturn);
    fn->addFnAttr(llvm::Attribute::Cold);
  }
  return fn;
}

}  // namespace gol
