// This file lowers for-range loops over integers (Go 1.22), arrays, pointers to arrays, slices
// and strings. Every form is the same counting loop; the range expression is evaluated once,
// before the loop, and the iteration variables of `:=` are new in each iteration (Go 1.22;
// address-taken ones get a fresh heap cell per iteration, see lower_composite.cpp):
//
//   for i, v := range x { body }     n = len(x); i.next = 0
//                                    range.cond: i = i.next; br i < n, range.body, range.done
//                                    range.body: i, v := i, x[i]; body; br range.next
//                                    range.next: i.next = i + 1; br range.cond   (continue)
//
// Strings step by runes: the body decodes the rune at i inline when it is ASCII (s[i] < 0x80)
// and calls gol_decoderune otherwise, which also gives the next index.
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

namespace {

struct RangeLoop {
  Value* nextSlot;  // the index of the next iteration
  Value* index;     // this iteration's index (valid in the body)
  BasicBlock* condBB;
  BasicBlock* nextBB;
  BasicBlock* doneBB;
};

// Emits the loop head and leaves the builder at the start of the body.
RangeLoop beginRange(Lowerer& l, Value* n, bool isSigned) {
  RangeLoop loop;
  loop.nextSlot = l.createEntryAlloca(n->getType(), "range.next.addr");
  l.b.CreateStore(ConstantInt::get(n->getType(), 0), loop.nextSlot);
  loop.condBB = l.newBlock("range.cond");
  BasicBlock* bodyBB = l.newBlock("range.body");
  loop.nextBB = l.newBlock("range.next");
  loop.doneBB = l.newBlock("range.done");
  l.b.CreateBr(loop.condBB);
  l.setBlock(loop.condBB);
  loop.index = l.b.CreateLoad(n->getType(), loop.nextSlot, "range.i");
  Value* more = isSigned ? l.b.CreateICmpSLT(loop.index, n, "range.more")
                         : l.b.CreateICmpULT(loop.index, n, "range.more");
  l.b.CreateCondBr(more, bodyBB, loop.doneBB);
  l.setBlock(bodyBB);
  return loop;
}

// Lowers the body, then the step: i + 1, or (strings) the index the body stored in nextSlot.
void finishRange(Lowerer& l, RangeStmt* s, const Stmt* label, RangeLoop& loop, bool stepByOne) {
  l.fs.targets.push_back({s, label, loop.doneBB, loop.nextBB});
  l.lowerStmts(s->body->list);
  l.fs.targets.pop_back();
  l.branchTo(loop.nextBB);
  l.setBlock(loop.nextBB);
  if (stepByOne) {
    Type* ty = loop.index->getType();
    l.b.CreateStore(l.b.CreateAdd(loop.index, ConstantInt::get(ty, 1), "range.inc"), loop.nextSlot);
  }
  l.b.CreateBr(loop.condBB);
  l.setBlock(loop.doneBB);
}

}  // namespace

void Lowerer::lowerRange(RangeStmt* s, const Stmt* label) {
  const types::Type* xt = s->x->type ? s->x->type->underlying() : nullptr;
  if (isIntType(xt)) return lowerRangeInt(s, label);
  if (isStringType(xt)) return lowerRangeString(s, label);
  if (xt && xt->as<types::Chan>()) return lowerRangeChan(s, label);
  if (xt && xt->as<types::Map>()) return lowerRangeMap(s, label);
  if (auto* p = xt ? xt->as<types::Pointer>() : nullptr) xt = p->elem->underlying();
  if (xt && (xt->as<types::Array>() || xt->as<types::Slice>())) return lowerRangeIndexed(s, label);
  unsupported(s->x->pos, "range over type " + (s->x->type ? types::typeString(s->x->type) : "?"));
}

// for i := range n: i has n's type (or the key's, for an assigned key).
void Lowerer::lowerRangeInt(RangeStmt* s, const Stmt* label) {
  const types::Type* t = s->key && s->key->type ? s->key->type : s->x->type;
  Value* n = convertValue(lowerExpr(s->x), s->x->type, t);
  RangeLoop loop = beginRange(*this, n, isSignedIntType(t));
  if (s->key) assignTo(s->key, loop.index, t);
  finishRange(*this, s, label, loop, true);
}

// for i, v := range x over an array, a pointer to an array or a slice. An array is copied
// first when v is used (Go ranges over a copy); a pointer to an array is not.
void Lowerer::lowerRangeIndexed(RangeStmt* s, const Stmt* label) {
  const types::Type* xt = s->x->type->underlying();
  bool wantValue = s->value_ && !(unparen(s->value_)->is<Ident>() && unparen(s->value_)->as<Ident>()->name == "_");
  const types::Type* elem;
  Value *n, *base = nullptr;
  Type* arrTy = nullptr;
  if (auto* sl = xt->as<types::Slice>()) {
    Value* v = lowerExpr(s->x);
    elem = sl->elem;
    base = b.CreateExtractValue(v, 0, "range.ptr");
    n = b.CreateExtractValue(v, 1, "range.len");
  } else {
    auto* p = xt->as<types::Pointer>();
    auto* arr = (p ? p->elem->underlying() : xt)->as<types::Array>();
    elem = arr->elem;
    arrTy = llvmType(arr);
    n = ConstantInt::get(i64, arr->len);
    if (p) {
      base = lowerExpr(s->x);
      if (wantValue) emitNilCheck(base);
    } else if (wantValue || s->x->mode != ExprMode::Variable) {
      base = createEntryAlloca(arrTy, "range.array");  // the copy Go ranges over
      storeValue(lowerExpr(s->x), base, s->x->type);
    }
  }
  RangeLoop loop = beginRange(*this, n, true);
  if (s->key) assignTo(s->key, loop.index, s->key->type);  // the key is an int
  if (wantValue) {
    Value* addr = arrTy ? b.CreateInBoundsGEP(arrTy, base, {ConstantInt::get(i64, 0), loop.index}, "range.elem.addr")
                        : b.CreateInBoundsGEP(memType(elem), base, loop.index, "range.elem.addr");
    assignTo(s->value_, loadValue(addr, elem, "range.elem"), elem);
  }
  finishRange(*this, s, label, loop, true);
}

// for i, r := range s: i is the byte index of each rune r.
void Lowerer::lowerRangeString(RangeStmt* s, const Stmt* label) {
  Value* str = lowerExpr(s->x);
  Value* p = b.CreateExtractValue(str, 0, "range.ptr");
  Value* n = b.CreateExtractValue(str, 1, "range.len");
  RangeLoop loop = beginRange(*this, n, true);
  Value* byte0 = b.CreateLoad(i8, b.CreateInBoundsGEP(i8, p, loop.index, "range.byte.addr"), "range.byte");
  Value* asciiRune = b.CreateZExt(byte0, i32, "range.ascii.rune");
  Value* asciiNext = b.CreateAdd(loop.index, ConstantInt::get(i64, 1), "range.ascii.next");
  BasicBlock* asciiBB = b.GetInsertBlock();
  BasicBlock* decodeBB = newBlock("range.decode");
  BasicBlock* runeBB = newBlock("range.rune");
  Value* ascii = b.CreateICmpULT(byte0, ConstantInt::get(i8, 0x80), "range.ascii");
  b.CreateCondBr(ascii, runeBB, decodeBB);
  setBlock(decodeBB);
  Value* decoded = callRuntime(RtFunc::decoderune, {p, n, loop.index}, "range.decoded");
  Value* decodedRune = b.CreateExtractValue(decoded, 0, "range.decoded.rune");
  Value* decodedNext = b.CreateExtractValue(decoded, 1, "range.decoded.next");
  b.CreateBr(runeBB);
  setBlock(runeBB);
  PHINode* r = b.CreatePHI(i32, 2, "range.rune");
  r->addIncoming(asciiRune, asciiBB);
  r->addIncoming(decodedRune, decodeBB);
  PHINode* next = b.CreatePHI(i64, 2, "range.nextpos");
  next->addIncoming(asciiNext, asciiBB);
  next->addIncoming(decodedNext, decodeBB);
  b.CreateStore(next, loop.nextSlot);
  if (s->key) assignTo(s->key, loop.index, s->key->type);
  if (s->value_) assignTo(s->value_, r, s->value_->type);
  finishRange(*this, s, label, loop, false);
}

}  // namespace gol
