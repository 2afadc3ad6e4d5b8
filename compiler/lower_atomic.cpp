// lower_atomic.cpp: package sync/atomic's functions (AddT, LoadT, StoreT, SwapT,
// CompareAndSwapT for T in Int32, Int64, Uint32, Uint64) become LLVM atomic instructions at the
// call site, sequentially consistent as Go's are. Go's compilers treat them as intrinsics too;
// as calls into libgolstd they cost a call each, and sync.Mutex's fast paths are nothing else
// (mutex benchmark: 1.15× Go as calls). The native definitions in
// stdlib/sync/atomic/atomic_native.cpp remain for function values (f := atomic.AddInt32).
//
// A nil address faults in the instruction, as a nil dereference in compiled code does.
#include <string_view>

#include "lower.h"

namespace gol {

using llvm::Value;

bool Lowerer::lowerAtomicCall(const types::Func* callee, const std::vector<Value*>& args, Value*& result) {
  std::string_view name = callee->linkName;
  constexpr std::string_view pkg = "sync/atomic.";
  if (name.substr(0, pkg.size()) != pkg) return false;
  name.remove_prefix(pkg.size());
  std::string_view op;
  for (std::string_view t : {"Int32", "Int64", "Uint32", "Uint64"}) {
    if (name.size() > t.size() && name.substr(name.size() - t.size()) == t) {
      op = name.substr(0, name.size() - t.size());
      break;
    }
  }
  if (op.empty()) return false;
  constexpr auto seq = llvm::AtomicOrdering::SequentiallyConsistent;
  auto align = [&](Value* v) { return llvm::Align(v->getType()->getPrimitiveSizeInBits() / 8); };
  if (op == "Add" && args.size() == 2) {
    Value* old = b.CreateAtomicRMW(llvm::AtomicRMWInst::Add, args[0], args[1], align(args[1]), seq);
    result = b.CreateAdd(old, args[1], "new");
  } else if (op == "Load" && args.size() == 1) {
    llvm::Type* t = llvmType(callee->sig()->results->vars[0]->type);
    auto* ld = b.CreateLoad(t, args[0], "v");
    ld->setAtomic(seq);
    ld->setAlignment(llvm::Align(t->getPrimitiveSizeInBits() / 8));
    result = ld;
  } else if (op == "Store" && args.size() == 2) {
    auto* st = b.CreateStore(args[1], args[0]);
    st->setAtomic(seq);
    st->setAlignment(align(args[1]));
    result = nullptr;
  } else if (op == "Swap" && args.size() == 2) {
    result = b.CreateAtomicRMW(llvm::AtomicRMWInst::Xchg, args[0], args[1], align(args[1]), seq);
  } else if (op == "CompareAndSwap" && args.size() == 3) {
    Value* pair = b.CreateAtomicCmpXchg(args[0], args[1], args[2], align(args[1]), seq, seq);
    result = b.CreateExtractValue(pair, 1, "swapped");
  } else {
    return false;
  }
  return true;
}

}  // namespace gol
