// This file lowers the builtins that allocate or move slice memory (new, make, append, copy,
// clear), calls of variadic functions, and conversions between strings and []byte / []rune.
//
// append is inlined around the runtime's growslice, as Go's compiler does:
//
//   s = append(s, a, b)      newlen = s.len + 2
//                            if newlen >u s.cap { s.ptr, s.cap = gol_growslice(s.ptr, newlen, s.cap, 2, T, sizeof T) }
//                            s.ptr[newlen-2] = a; s.ptr[newlen-1] = b; s.len = newlen
//
// Variadic arguments f(a, b) are packed into a new backing array (always on the heap: there is
// no escape analysis yet); f(s...) passes s itself, sharing its array as Go does.
#include <llvm/IR/Intrinsics.h>

#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

static const types::Type* sliceElem(const types::Type* t) {
  auto* sl = t ? t->underlying()->as<types::Slice>() : nullptr;
  return sl ? sl->elem : nullptr;
}

uint64_t Lowerer::sizeOf(const types::Type* t) { return mod.getDataLayout().getTypeAllocSize(memType(t)); }

Value* Lowerer::callRuntime(RtFunc f, ArrayRef<Value*> args, const Twine& name) {
  FunctionCallee fn = getRuntimeFunc(mod, f);
  if (!runtimeReturnsSlice(f)) {
    if (fn.getFunctionType()->getReturnType()->isVoidTy()) return b.CreateCall(fn, args);
    return b.CreateCall(fn, args, name);
  }
  // GoSlice comes back through a hidden pointer, as C returns 24-byte structs.
  llvm::StructType* sliceTy = sliceStructType(ctx);
  Value* ret = createEntryAlloca(sliceTy, name + ".ret");
  std::vector<Value*> all = {ret};
  all.insert(all.end(), args.begin(), args.end());
  CallInst* call = b.CreateCall(fn, all);
  call->addParamAttr(0, Attribute::getWithStructRetType(ctx, sliceTy));
  return b.CreateLoad(sliceTy, ret, name);
}

Value* Lowerer::makeSliceValue(Value* p, Value* len, Value* cap, const Twine& name) {
  Value* s = b.CreateInsertValue(PoisonValue::get(sliceStructType(ctx)), p, {0});
  s = b.CreateInsertValue(s, len, {1});
  return b.CreateInsertValue(s, cap, {2}, name);
}

// new(T): a zeroed T on the heap.
Value* Lowerer::lowerNew(CallExpr* call) {
  const types::Type* t = call->args[0]->type;
  if (!checkLowerable(t, call->pos)) return poison(call->type);
  if (escape.siteOnStack(call) && sizeOf(t) <= kMaxStackVarBytes) {
    AllocaInst* slot = createEntryAlloca(memType(t), "new.addr");
    storeValue(Constant::getNullValue(slot->getAllocatedType()), slot, t);  // zeroed each time
    return slot;
  }
  return heapAllocOf(t, "new");
}

// make([]T, len[, cap]).
Value* Lowerer::lowerMake(CallExpr* call) {
  const types::Type* elem = sliceElem(call->type);
  if (!elem) {
    unsupported(call->pos, "make of type " + types::typeString(call->type));
    return poison(call->type);
  }
  Expr* lenExpr = call->args[1];
  Value* len = toInt64(lowerExpr(lenExpr), lenExpr->type, "make.len");
  Value* cap = len;
  if (call->args.size() > 2) cap = toInt64(lowerExpr(call->args[2]), call->args[2]->type, "make.cap");
  Value* p = callRuntime(RtFunc::makeslice,
                         {typeDesc(elem), ConstantInt::get(i64, sizeOf(elem)), len, cap}, "make.array");
  return makeSliceValue(p, len, cap, "make");
}

// The pointer and length of a slice or string value (copy and append accept both).
static std::pair<Value*, Value*> ptrAndLen(Lowerer& l, Value* v, const Twine& name) {
  return {l.b.CreateExtractValue(v, 0, name + ".ptr"), l.b.CreateExtractValue(v, 1, name + ".len")};
}

Value* Lowerer::lowerAppend(CallExpr* call) {
  const types::Type* st = call->type;
  const types::Type* elem = sliceElem(st);
  if (!elem) return poison(st);
  Value* s = convertValue(lowerExpr(call->args[0]), call->args[0]->type, st);
  std::vector<Value*> vals;
  Value *srcPtr = nullptr, *num;
  if (call->hasEllipsis) {
    auto [p, n] = ptrAndLen(*this, lowerExpr(call->args[1]), "append.src");
    srcPtr = p;
    num = n;
  } else {
    for (size_t i = 1; i < call->args.size(); i++)
      vals.push_back(toMem(convertValue(lowerExpr(call->args[i]), call->args[i]->type, elem), elem));
    if (vals.empty()) return s;
    num = ConstantInt::get(i64, vals.size());
  }
  Value* oldPtr = b.CreateExtractValue(s, 0, "append.ptr");
  Value* oldLen = b.CreateExtractValue(s, 1, "append.len");
  Value* oldCap = b.CreateExtractValue(s, 2, "append.cap");
  Value* newLen = b.CreateAdd(oldLen, num, "append.newlen");
  BasicBlock* fromBB = b.GetInsertBlock();
  BasicBlock* growBB = newBlock("append.grow");
  BasicBlock* storeBB = newBlock("append.store");
  b.CreateCondBr(b.CreateICmpUGT(newLen, oldCap, "append.full"), growBB, storeBB);
  setBlock(growBB);
  Value* grown = callRuntime(RtFunc::growslice,
                             {oldPtr, newLen, oldCap, num, typeDesc(elem), ConstantInt::get(i64, sizeOf(elem))},
                             "append.grown");
  Value* grownPtr = b.CreateExtractValue(grown, 0, "append.grown.ptr");
  Value* grownCap = b.CreateExtractValue(grown, 2, "append.grown.cap");
  BasicBlock* grewBB = b.GetInsertBlock();
  b.CreateBr(storeBB);
  setBlock(storeBB);
  PHINode* p = b.CreatePHI(ptr, 2, "append.array");
  p->addIncoming(oldPtr, fromBB);
  p->addIncoming(grownPtr, grewBB);
  PHINode* cap = b.CreatePHI(i64, 2, "append.newcap");
  cap->addIncoming(oldCap, fromBB);
  cap->addIncoming(grownCap, grewBB);
  Type* elemTy = memType(elem);
  Value* dst = b.CreateInBoundsGEP(elemTy, p, oldLen, "append.dst");
  if (srcPtr) {
    Value* bytes = b.CreateMul(num, ConstantInt::get(i64, sizeOf(elem)), "append.bytes");
    if (sizeOf(elem) % 8 == 0)
      moveWords(dst, srcPtr, bytes);
    else
      b.CreateMemMove(dst, MaybeAlign(), srcPtr, MaybeAlign(), bytes);
  } else {
    for (size_t i = 0; i < vals.size(); i++)
      b.CreateStore(vals[i], b.CreateConstInBoundsGEP1_64(elemTy, dst, i, "append.elem"));
  }
  return makeSliceValue(p, newLen, cap, "append");
}

// copy(dst, src): min(len(dst), len(src)) elements, overlapping or not.
Value* Lowerer::lowerCopy(CallExpr* call) {
  const types::Type* elem = sliceElem(call->args[0]->type);
  if (!elem) return poison(call->type);
  auto [dstPtr, dstLen] = ptrAndLen(*this, lowerExpr(call->args[0]), "copy.dst");
  auto [srcPtr, srcLen] = ptrAndLen(*this, lowerExpr(call->args[1]), "copy.src");
  Value* n = b.CreateSelect(b.CreateICmpSLT(dstLen, srcLen), dstLen, srcLen, "copy.n");
  Value* bytes = b.CreateMul(n, ConstantInt::get(i64, sizeOf(elem)), "copy.bytes");
  if (sizeOf(elem) % 8 == 0)
    moveWords(dstPtr, srcPtr, bytes);
  else
    b.CreateMemMove(dstPtr, MaybeAlign(), srcPtr, MaybeAlign(), bytes);
  return n;
}

// copy and append of a few words (fannkuch's permutations: 8 to 88 bytes) spent more in
// memmove's call, PLT jump and size dispatch than in moving the bytes. Up to 128 bytes the move
// is done inline, the way memmove does it internally: the first and the last chunks of the
// range, overlapping in the middle, are all loaded before any is stored, so the result is right
// whichever way the ranges overlap. Only for sizes that are multiples of 8 (no 1..7-byte
// tails); the elements need not be 8-aligned (struct{ a, b int32 }), so the accesses claim none.
void Lowerer::moveWords(Value* dst, Value* src, Value* bytes) {
  if (auto* c = dyn_cast<ConstantInt>(bytes)) {  // LLVM expands constant sizes itself
    b.CreateMemMove(dst, MaybeAlign(), src, MaybeAlign(), c);
    return;
  }
  b.CreateCall(smallMoveFunc(), {dst, src, bytes});
}

Function* Lowerer::smallMoveFunc() {
  const char* name = "gol.movewords";
  if (Function* f = mod.getFunction(name)) return f;
  auto* fty = FunctionType::get(Type::getVoidTy(ctx), {ptr, ptr, i64}, false);
  Function* f = Function::Create(fty, GlobalValue::InternalLinkage, name, mod);
  f->addFnAttr(Attribute::AlwaysInline);
  f->addFnAttr(Attribute::NoUnwind);
  Value* d = f->getArg(0);
  Value* s = f->getArg(1);
  Value* n = f->getArg(2);
  IRBuilder<> ib(BasicBlock::Create(ctx, "entry", f));
  auto block = [&](const char* label) { return BasicBlock::Create(ctx, label, f); };
  Type* v2 = FixedVectorType::get(i64, 2);
  // Moves `chunks` chunks of type t: the first half from the start, the second half ending at
  // the end of the range; all loads first.
  auto moveChunks = [&](BasicBlock* bb, Type* t, unsigned chunks, unsigned size) {
    ib.SetInsertPoint(bb);
    std::vector<Value*> offs, vals;
    for (unsigned i = 0; i < chunks / 2; i++) offs.push_back(ConstantInt::get(i64, i * size));
    for (unsigned i = chunks / 2; i > 0; i--) offs.push_back(ib.CreateSub(n, ConstantInt::get(i64, i * size)));
    for (Value* o : offs) vals.push_back(ib.CreateAlignedLoad(t, ib.CreateGEP(i8, s, o), Align(1)));
    for (size_t i = 0; i < offs.size(); i++) ib.CreateAlignedStore(vals[i], ib.CreateGEP(i8, d, offs[i]), Align(1));
    ib.CreateRetVoid();
  };
  BasicBlock *big = block("big"), *upTo128 = block("le128"), *upTo16 = block("le16"), *words = block("words");
  BasicBlock *done = block("done"), *over16 = block("gt16"), *upTo32 = block("le32"), *over32 = block("gt32");
  BasicBlock *upTo64 = block("le64"), *over64 = block("gt64");
  ib.CreateCondBr(ib.CreateICmpULE(n, ConstantInt::get(i64, 128)), upTo128, big);
  ib.SetInsertPoint(big);
  ib.CreateMemMove(d, MaybeAlign(), s, MaybeAlign(), n);
  ib.CreateRetVoid();
  ib.SetInsertPoint(upTo128);
  ib.CreateCondBr(ib.CreateICmpULE(n, ConstantInt::get(i64, 16)), upTo16, over16);
  ib.SetInsertPoint(upTo16);
  ib.CreateCondBr(ib.CreateICmpEQ(n, ConstantInt::get(i64, 0)), done, words);
  ib.SetInsertPoint(done);
  ib.CreateRetVoid();
  moveChunks(words, i64, 2, 8);  // 8 or 16 bytes
  ib.SetInsertPoint(over16);
  ib.CreateCondBr(ib.CreateICmpULE(n, ConstantInt::get(i64, 32)), upTo32, over32);
  moveChunks(upTo32, v2, 2, 16);
  ib.SetInsertPoint(over32);
  ib.CreateCondBr(ib.CreateICmpULE(n, ConstantInt::get(i64, 64)), upTo64, over64);
  moveChunks(upTo64, v2, 4, 16);
  moveChunks(over64, v2, 8, 16);
  return f;
}

// clear(s): zero the elements s[:len(s)].
void Lowerer::lowerClear(CallExpr* call) {
  const types::Type* elem = sliceElem(call->args[0]->type);
  if (!elem) {
    unsupported(call->pos, "clear of type " + types::typeString(call->args[0]->type));
    return;
  }
  auto [p, len] = ptrAndLen(*this, lowerExpr(call->args[0]), "clear");
  Value* bytes = b.CreateMul(len, ConstantInt::get(i64, sizeOf(elem)), "clear.bytes");
  b.CreateMemSet(p, ConstantInt::get(i8, 0), bytes, MaybeAlign());
}

// The ...T parameter of a variadic call f(a, b, c): a new []T holding the values, or nil.
Value* Lowerer::packVariadic(const std::vector<std::pair<Value*, const types::Type*>>& vals,
                             const types::Type* sliceType) {
  const types::Type* elem = sliceElem(sliceType);
  if (vals.empty()) return Constant::getNullValue(llvmType(sliceType));
  auto* arrTy = llvm::ArrayType::get(memType(elem), vals.size());
  Value* backing = heapAllocArray(elem, vals.size(), "varargs.array");
  for (size_t i = 0; i < vals.size(); i++) {
    Value* v = toMem(convertValue(vals[i].first, vals[i].second, elem), elem);
    b.CreateStore(v, b.CreateConstInBoundsGEP2_64(arrTy, backing, 0, i, "varargs.elem"));
  }
  Value* n = ConstantInt::get(i64, vals.size());
  return makeSliceValue(backing, n, n, "varargs");
}

// string <-> []byte and []rune; null when neither side is such a conversion.
Value* Lowerer::convertStringSlice(Value* v, const types::Type* from, const types::Type* to) {
  auto byteOrRune = [](const types::Type* elem) -> int {
    auto* bt = basicOf(elem);
    if (!bt) return 0;
    if (bt->bkind == types::BasicKind::Uint8) return 8;
    if (bt->bkind == types::BasicKind::Int32) return 32;
    return 0;
  };
  if (isStringType(from) && sliceElem(to)) {
    int kind = byteOrRune(sliceElem(to));
    if (!kind) return nullptr;
    auto [p, n] = ptrAndLen(*this, v, "str");
    return callRuntime(kind == 8 ? RtFunc::stringtoslicebyte : RtFunc::stringtoslicerune, {p, n}, "conv");
  }
  if (sliceElem(from) && isStringType(to)) {
    int kind = byteOrRune(sliceElem(from));
    if (!kind) return nullptr;
    auto [p, n] = ptrAndLen(*this, v, "slice");
    return callRuntime(kind == 8 ? RtFunc::slicebytetostring : RtFunc::slicerunetostring, {p, n}, "conv");
  }
  return nullptr;
}

}  // namespace gol
