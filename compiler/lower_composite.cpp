// This file lowers pointers, structs, arrays and slices: addresses of variables, fields and
// elements (with Go's nil and bounds checks), field and element reads of non-addressable
// values, composite literals, slicing, len/cap, and equality of aggregates.
//
// Layouts (runtime/abi.h): a pointer is `ptr`; a struct is a literal LLVM struct of its fields'
// in-memory types (bool = i8); [N]T is [N x T]; a slice is {ptr, i64 len, i64 cap}.
//
// Variables whose address is taken (&x, x.f or a[i] under &, slicing an array variable, a
// pointer method on x, a closure capturing x) live on the heap unless escape analysis
// (escape.cpp) proved that no pointer to them outlives their frame: each execution of their
// declaration calls gol_mallocgc for a fresh zeroed cell, so `for i := ...` and `x := ...` in
// a loop give every iteration its own variable (Go 1.22) when a pointer to it is kept past the
// iteration. collectAddressTaken() finds them before a function body is lowered; whatever the
// analysis did not see stays conservatively on the heap.
//
//   p.f     (p *T)   nil check: p == null -> gol_panicmem(); gep T, p, 0, f
//   s[i]    (s []T)  bounds check: i >=u len -> gol_panicIndex(i, len); gep T, s.ptr, i
//   a[lo:hi]         hi >u cap -> gol_panicSliceAcap / Alen; lo >u hi -> gol_panicSliceB
#include <algorithm>

#include "constant.h"
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

// ---- which locals live on the heap ----

// The variable at the root of an addressable operand: x in x, x.f, x[i] (x an array).
static types::Var* rootVar(Expr* e) {
  e = unparen(e);
  if (auto* id = e->as<Ident>()) return id->obj ? id->obj->as<types::Var>() : nullptr;
  if (auto* sel = e->as<SelectorExpr>()) {
    const types::Type* xt = sel->x->type ? sel->x->type->underlying() : nullptr;
    if (xt && xt->as<types::Struct>()) return rootVar(sel->x);
  }
  if (auto* ix = e->as<IndexExpr>()) {
    const types::Type* xt = ix->x->type ? ix->x->type->underlying() : nullptr;
    if (xt && xt->as<types::Array>()) return rootVar(ix->x);
  }
  return nullptr;
}

void Lowerer::collectAddressTaken(Node* n) {
  if (!n) return;
  auto onHeap = [&](types::Var* v) {
    if (v && !v->isGlobal && !escape.varOnStack(v)) fs.heapVars.insert(v);
  };
  auto visit = [&](Node* c) { collectAddressTaken(c); };
  auto visitAll = [&](auto& list) {
    for (auto* c : list) collectAddressTaken(c);
  };
  switch (n->kind) {
    case NodeKind::UnaryExpr: {
      auto* u = n->as<UnaryExpr>();
      if (u->op == Tok::And)
        onHeap(rootVar(u->x));
      return visit(u->x);
    }
    case NodeKind::SliceExpr: {
      auto* s = n->as<SliceExpr>();
      const types::Type* xt = s->x->type ? s->x->type->underlying() : nullptr;
      if (xt && xt->as<types::Array>())
        onHeap(rootVar(s->x));
      visit(s->x);
      visit(s->low);
      visit(s->high);
      return visit(s->max);
    }
    case NodeKind::ParenExpr: return visit(n->as<ParenExpr>()->x);
    case NodeKind::SelectorExpr: {
      // x.m() or x.m with a pointer method on an addressable x takes &x implicitly.
      auto* sel = n->as<SelectorExpr>();
      const SelectionInfo& si = sel->selection;
      auto* m = si.obj ? si.obj->as<types::Func>() : nullptr;
      if (si.kind == SelectionKind::MethodVal && m && m->ptrRecv && si.addrRecv && !si.indirect)
        onHeap(rootVar(sel->x));
      return visit(sel->x);
    }
    case NodeKind::IndexExpr:
      visit(n->as<IndexExpr>()->x);
      return visitAll(n->as<IndexExpr>()->indices);
    case NodeKind::TypeAssertExpr: return visit(n->as<TypeAssertExpr>()->x);
    case NodeKind::CallExpr:
      visit(n->as<CallExpr>()->fun);
      return visitAll(n->as<CallExpr>()->args);
    case NodeKind::StarExpr: return visit(n->as<StarExpr>()->x);
    case NodeKind::BinaryExpr:
      visit(n->as<BinaryExpr>()->x);
      return visit(n->as<BinaryExpr>()->y);
    case NodeKind::KeyValueExpr:
      visit(n->as<KeyValueExpr>()->key);
      return visit(n->as<KeyValueExpr>()->value_);
    case NodeKind::CompositeLit: return visitAll(n->as<CompositeLit>()->elts);
    case NodeKind::FuncLit: {
      // Captured variables are shared with the closure: they live on the heap unless the
      // closure cannot outlive them.
      auto* lit = n->as<FuncLit>();
      if (lit->func)
        for (types::Var* v : lit->func->captures) onHeap(v);
      fs.litDepth++;
      visit(lit->body);
      fs.litDepth--;
      return;
    }
    case NodeKind::DeclStmt: {
      auto* gd = n->as<DeclStmt>()->decl->as<GenDecl>();
      if (gd)
        for (Spec* sp : gd->specs)
          if (auto* vs = sp->as<ValueSpec>()) visitAll(vs->values);
      return;
    }
    case NodeKind::LabeledStmt: return visit(n->as<LabeledStmt>()->stmt);
    case NodeKind::ExprStmt: return visit(n->as<ExprStmt>()->x);
    case NodeKind::SendStmt:
      visit(n->as<SendStmt>()->chan);
      return visit(n->as<SendStmt>()->value_);
    case NodeKind::IncDecStmt: return visit(n->as<IncDecStmt>()->x);
    case NodeKind::AssignStmt:
      visitAll(n->as<AssignStmt>()->lhs);
      return visitAll(n->as<AssignStmt>()->rhs);
    case NodeKind::GoStmt: return visit(n->as<GoStmt>()->call);
    case NodeKind::DeferStmt:
      if (fs.litDepth == 0) fs.hasDefers = true;
      if (fs.litDepth == 0 && fs.loopDepth > 0) fs.loopDefers = true;
      return visit(n->as<DeferStmt>()->call);
    case NodeKind::ReturnStmt: return visitAll(n->as<ReturnStmt>()->results);
    case NodeKind::BlockStmt: return visitAll(n->as<BlockStmt>()->list);
    case NodeKind::IfStmt: {
      auto* s = n->as<IfStmt>();
      visit(s->init);
      visit(s->cond);
      visit(s->body);
      return visit(s->else_);
    }
    case NodeKind::CaseClause:
      visitAll(n->as<CaseClause>()->list);
      return visitAll(n->as<CaseClause>()->body);
    case NodeKind::SwitchStmt: {
      auto* s = n->as<SwitchStmt>();
      visit(s->init);
      visit(s->tag);
      return visit(s->body);
    }
    case NodeKind::TypeSwitchStmt: {
      auto* s = n->as<TypeSwitchStmt>();
      visit(s->init);
      visit(s->assign);
      return visit(s->body);
    }
    case NodeKind::CommClause:
      visit(n->as<CommClause>()->comm);
      return visitAll(n->as<CommClause>()->body);
    case NodeKind::SelectStmt: return visit(n->as<SelectStmt>()->body);
    case NodeKind::ForStmt: {
      auto* s = n->as<ForStmt>();
      visit(s->init);
      visit(s->cond);
      visit(s->post);
      fs.loopDepth++;
      visit(s->body);
      fs.loopDepth--;
      return;
    }
    case NodeKind::RangeStmt: {
      auto* s = n->as<RangeStmt>();
      visit(s->key);
      visit(s->value_);
      visit(s->x);
      fs.loopDepth++;
      visit(s->body);
      fs.loopDepth--;
      return;
    }
    default: return;  // identifiers, literals, types
  }
}

Value* Lowerer::heapAlloc(Type* ty, const Twine& name) {
  uint64_t size = mod.getDataLayout().getTypeAllocSize(ty);
  return b.CreateCall(getRuntimeFunc(mod, RtFunc::mallocgc),
                      {ConstantInt::get(i64, size), ConstantPointerNull::get(ptr), ConstantInt::getTrue(ctx)},
                      name);
}

// Before a 3-clause loop's post statement, each heap-allocated loop variable moves to a fresh
// cell holding its current value: closures and pointers of the finished iteration keep theirs.
void Lowerer::copyLoopVarsToFreshCells(Stmt* init) {
  auto* as = init ? init->as<AssignStmt>() : nullptr;
  if (!as || as->tok != Tok::Define) return;
  for (Expr* lhs : as->lhs) {
    auto* id = unparen(lhs)->as<Ident>();
    auto* v = id && id->obj ? id->obj->as<types::Var>() : nullptr;
    if (!v || !fs.heapVars.count(v) || !fs.locals.count(v)) continue;
    Value* cur = loadValue(varAddr(v), v->type, v->name);
    Value* cell = heapAllocOf(v->type, v->name + ".heap");
    storeValue(cur, cell, v->type);
    b.CreateStore(cell, fs.locals[v]);
  }
}

// ---- checks ----

void Lowerer::emitNilCheck(Value* p) {
  Value* isNil = b.CreateICmpEQ(p, ConstantPointerNull::get(ptr), "nilcheck");
  emitPanicIf(isNil, RtFunc::panicmem, {}, "nilcheck");
}

void Lowerer::emitBoundsCheck(Value* idx, Value* len, Expr* idxExpr, bool lenIsConst) {
  if (lenIsConst && idxExpr && idxExpr->mode == ExprMode::Constant) return;  // the checker proved it
  Value* outside = b.CreateICmpUGE(idx, len, "index.outside");
  emitPanicIf(outside, RtFunc::panicIndex, {idx, len}, "index");
}

static int fieldIndex(const types::Struct* st, const types::Object* field) {
  for (size_t i = 0; i < st->fields.size(); i++)
    if (st->fields[i] == field) return int(i);
  return -1;
}

// ---- addresses ----

Value* Lowerer::lowerElemAddr(Expr* e) {
  if (auto* star = e->as<StarExpr>()) {
    Value* p = lowerExpr(star->x);
    emitNilCheck(p);
    return p;
  }
  if (auto* sel = e->as<SelectorExpr>()) {
    if (sel->selection.kind == SelectionKind::FieldVal) return selectionAddr(sel);
    if (sel->selection.kind == SelectionKind::PackageObj)  // another package's variable
      if (auto* v = sel->selection.obj ? sel->selection.obj->as<types::Var>() : nullptr) return varAddr(v);
    auto* field = sel->sel->obj ? sel->sel->obj->as<types::Var>() : nullptr;
    if (!field || !field->isField) return nullptr;
    const types::Type* xt = sel->x->type->underlying();
    Value* base;
    if (auto* p = xt->as<types::Pointer>()) {
      base = lowerExpr(sel->x);
      emitNilCheck(base);
      xt = p->elem->underlying();
    } else {
      base = lowerAddr(sel->x);
    }
    auto* st = xt->as<types::Struct>();
    int idx = st ? fieldIndex(st, field) : -1;
    if (!base || idx < 0) return nullptr;
    return b.CreateStructGEP(llvmType(st), base, unsigned(idx), sel->sel->name + ".addr");
  }
  if (auto* ix = e->as<IndexExpr>()) {
    const types::Type* xt = ix->x->type->underlying();
    Expr* idxExpr = ix->indices[0];
    if (auto* p = xt->as<types::Pointer>()) {  // p[i] with p *[N]T
      auto* arr = p->elem->underlying()->as<types::Array>();
      if (!arr) return nullptr;
      Value* base = lowerExpr(ix->x);
      Value* idx = toInt64(lowerExpr(idxExpr), idxExpr->type);
      emitNilCheck(base);
      emitBoundsCheck(idx, ConstantInt::get(i64, arr->len), idxExpr, true);
      return b.CreateInBoundsGEP(llvmType(arr), base, {ConstantInt::get(i64, 0), idx}, "elem.addr");
    }
    if (auto* arr = xt->as<types::Array>()) {
      Value* base = lowerAddr(ix->x);
      Value* idx = toInt64(lowerExpr(idxExpr), idxExpr->type);
      if (!base) return nullptr;
      emitBoundsCheck(idx, ConstantInt::get(i64, arr->len), idxExpr, true);
      return b.CreateInBoundsGEP(llvmType(arr), base, {ConstantInt::get(i64, 0), idx}, "elem.addr");
    }
    if (auto* sl = xt->as<types::Slice>()) {
      Value* s = lowerExpr(ix->x);
      Value* idx = toInt64(lowerExpr(idxExpr), idxExpr->type);
      Value* len = b.CreateExtractValue(s, 1, "len");
      emitBoundsCheck(idx, len, idxExpr, false);
      return b.CreateInBoundsGEP(memType(sl->elem), b.CreateExtractValue(s, 0, "slice.ptr"), idx, "elem.addr");
    }
  }
  return nullptr;
}

Value* Lowerer::lowerAddressOf(UnaryExpr* e) {
  Expr* x = unparen(e->x);
  if (auto* lit = x->as<CompositeLit>()) {  // &T{...}: a fresh object, in the frame if it cannot outlive it
    Value* v = lowerCompositeLit(lit);
    Value* cell = escape.siteOnStack(lit) && sizeOf(lit->type) <= kMaxStackVarBytes
                      ? createEntryAlloca(memType(lit->type), "lit.addr")
                      : heapAllocOf(lit->type, "lit.heap");
    storeValue(v, cell, lit->type);
    return cell;
  }
  if (Value* addr = lowerAddr(x)) return addr;
  return PoisonValue::get(ptr);
}

// ---- reads ----

Value* Lowerer::lowerSelector(SelectorExpr* e) {
  switch (e->selection.kind) {
    case SelectionKind::FieldVal:
      if (e->mode == ExprMode::Variable) {
        if (Value* addr = selectionAddr(e)) return loadValue(addr, e->type, e->sel->name);
      }
      return selectionValue(e);
    case SelectionKind::MethodVal: return lowerMethodValue(e);
    case SelectionKind::MethodExpr:
      if (auto* m = e->selection.obj ? e->selection.obj->as<types::Func>() : nullptr)
        if (e->selection.ifaceMethod || ifaceOf(e->x->type)) return lowerIfaceMethodExpr(e, m);
        else if (!m->ptrRecv && e->x->type->underlying()->as<types::Pointer>()) return lowerPtrMethodExpr(e, m);
      [[fallthrough]];
    case SelectionKind::PackageObj:
      if (auto* v = e->selection.obj ? e->selection.obj->as<types::Var>() : nullptr)  // os.Args
        if (Value* addr = varAddr(v)) return loadValue(addr, v->type, v->name);
      if (auto* f = e->selection.obj ? e->selection.obj->as<types::Func>() : nullptr) return funcValue(f);
      if (auto* f = e->sel->obj ? e->sel->obj->as<types::Func>() : nullptr) return funcValue(f);
      unsupported(e->pos, "this selector expression");
      return poison(e->type);
    case SelectionKind::None: break;
  }
  if (auto* f = e->sel->obj ? e->sel->obj->as<types::Func>() : nullptr) return funcValue(f);  // runtime.F
  auto* field = e->sel->obj ? e->sel->obj->as<types::Var>() : nullptr;
  if (!field || !field->isField) {
    unsupported(e->pos, e->sel->obj && e->sel->obj->as<types::Func>() ? "function value" : "selector expression");
    return poison(e->type);
  }
  if (e->mode == ExprMode::Variable) {
    if (Value* addr = lowerAddr(e)) return loadValue(addr, e->type, e->sel->name);
    return poison(e->type);
  }
  // A field of a struct value that has no address (f().x): extract it.
  auto* st = e->x->type->underlying()->as<types::Struct>();
  int idx = st ? fieldIndex(st, field) : -1;
  if (idx < 0) {
    unsupported(e->pos, "selector expression");
    return poison(e->type);
  }
  Value* v = lowerExpr(e->x);
  return fromMem(b.CreateExtractValue(v, {unsigned(idx)}, e->sel->name), e->type);
}

Value* Lowerer::lowerIndex(IndexExpr* e) {
  const types::Type* xt = e->x->type ? e->x->type->underlying() : nullptr;
  if (isStringType(xt)) return lowerStringIndex(e);
  if (e->mode == ExprMode::MapIndex) return lowerMapIndex(e, nullptr);
  if (e->mode == ExprMode::Variable) {
    if (Value* addr = lowerAddr(e)) return loadValue(addr, e->type, "elem");
    return poison(e->type);
  }
  auto* arr = xt ? xt->as<types::Array>() : nullptr;
  if (!arr) {
    unsupported(e->pos, "this index expression");
    return poison(e->type);
  }
  // An element of an array value without an address (f()[i]): spill it to index it.
  Value* v = lowerExpr(e->x);
  Expr* idxExpr = e->indices[0];
  if (idxExpr->mode == ExprMode::Constant && idxExpr->value)
    return fromMem(b.CreateExtractValue(v, {unsigned(idxExpr->value->int64Val())}, "elem"), e->type);
  Value* idx = toInt64(lowerExpr(idxExpr), idxExpr->type);
  Value* tmp = createEntryAlloca(v->getType(), "array.tmp");
  b.CreateStore(v, tmp);
  emitBoundsCheck(idx, ConstantInt::get(i64, arr->len), idxExpr, true);
  Value* addr = b.CreateInBoundsGEP(v->getType(), tmp, {ConstantInt::get(i64, 0), idx}, "elem.addr");
  return loadValue(addr, e->type, "elem");
}

// x[lo:hi] of a slice, an addressable array or a pointer to an array.
Value* Lowerer::lowerSliceExpr(SliceExpr* e) {
  const types::Type* xt = e->x->type ? e->x->type->underlying() : nullptr;
  if (isStringType(xt)) return lowerStringSlice(e);
  Value *base, *len, *cap;
  const types::Type* elem;
  bool isSlice = false;
  if (auto* sl = xt->as<types::Slice>()) {
    Value* s = lowerExpr(e->x);
    base = b.CreateExtractValue(s, 0, "slice.ptr");
    len = b.CreateExtractValue(s, 1, "len");
    cap = b.CreateExtractValue(s, 2, "cap");
    elem = sl->elem;
    isSlice = true;
  } else {
    const types::Array* arr = xt->as<types::Array>();
    if (auto* p = xt->as<types::Pointer>()) {
      arr = p->elem->underlying()->as<types::Array>();
      base = lowerExpr(e->x);
      emitNilCheck(base);
    } else {
      base = lowerAddr(e->x);
    }
    if (!arr || !base) {
      unsupported(e->pos, "this slice expression");
      return poison(e->type);
    }
    len = cap = ConstantInt::get(i64, arr->len);
    elem = arr->elem;
  }
  // The indices are evaluated left to right, then checked right to left, as Go does. Slices
  // are bounded by their capacity, arrays by their length (Go's messages differ). Unsigned
  // compares catch negative indices too.
  Value* lo = e->low ? toInt64(lowerExpr(e->low), e->low->type) : ConstantInt::get(i64, 0);
  Value* hi = e->high ? toInt64(lowerExpr(e->high), e->high->type) : nullptr;
  Value* max = e->slice3 && e->max ? toInt64(lowerExpr(e->max), e->max->type) : nullptr;
  if (max) {  // x[lo:hi:max]: hi and max are required
    emitPanicIf(b.CreateICmpUGT(max, cap, "slice.max.outside"),
                isSlice ? RtFunc::panicSlice3Acap : RtFunc::panicSlice3Alen, {max, cap}, "slice.max");
    emitPanicIf(b.CreateICmpUGT(hi, max, "slice.hi.outside"), RtFunc::panicSlice3B, {hi, max}, "slice.hi");
    if (e->low) emitPanicIf(b.CreateICmpUGT(lo, hi, "slice.lo.outside"), RtFunc::panicSlice3C, {lo, hi}, "slice.lo");
    cap = max;
  } else {
    if (hi) {
      emitPanicIf(b.CreateICmpUGT(hi, cap, "slice.hi.outside"),
                  isSlice ? RtFunc::panicSliceAcap : RtFunc::panicSliceAlen, {hi, cap}, "slice.hi");
    } else {
      hi = len;
    }
    if (e->low) emitPanicIf(b.CreateICmpUGT(lo, hi, "slice.lo.outside"), RtFunc::panicSliceB, {lo, hi}, "slice.lo");
  }
  Value* newCap = b.CreateSub(cap, lo, "slice.cap");
  // An empty result keeps the base pointer, so it never points past the array's end.
  Value* offset = b.CreateSelect(b.CreateICmpEQ(newCap, ConstantInt::get(i64, 0)), ConstantInt::get(i64, 0), lo,
                                 "slice.offset");
  Value* p = b.CreateInBoundsGEP(memType(elem), base, offset, "slice.ptr");
  Value* res = b.CreateInsertValue(PoisonValue::get(llvmType(e->type)), p, {0});
  res = b.CreateInsertValue(res, b.CreateSub(hi, lo, "slice.len"), {1});
  return b.CreateInsertValue(res, newCap, {2}, "slice");
}

// ---- composite literals ----

// agg with element i set to v. A big literal is not folded into a constant: the builder would
// rebuild the whole [1<<20]byte constant for each keyed element, and the constant would become
// as big a block of read-only data; lowerMemoryClassValues turns the chain into a memset and
// stores instead.
Value* Lowerer::insertElem(Value* agg, Value* v, unsigned i) {
  if (isBigAggregate(agg->getType())) return b.Insert(InsertValueInst::Create(agg, v, {i}));
  return b.CreateInsertValue(agg, v, {i});
}

Value* Lowerer::lowerCompositeLit(CompositeLit* e) {
  const types::Type* t = e->type;
  if (auto* p = t->underlying()->as<types::Pointer>()) {  // an elided &T{...} inside a literal
    const types::Type* elemT = p->elem;
    CompositeLit inner = *e;
    inner.type = elemT;
    Value* v = lowerCompositeLit(&inner);
    Value* cell = heapAllocOf(elemT, "lit.heap");
    storeValue(v, cell, elemT);
    return cell;
  }
  const types::Type* u = t->underlying();
  if (u->as<types::Map>()) return lowerMapLit(e);
  if (auto* st = u->as<types::Struct>()) {
    Value* agg = Constant::getNullValue(llvmType(t));
    for (size_t i = 0; i < e->elts.size(); i++) {
      Expr* val = e->elts[i];
      int idx = int(i);
      if (auto* kv = val->as<KeyValueExpr>()) {
        auto* key = kv->key->as<Ident>();
        idx = key && key->obj ? fieldIndex(st, key->obj) : -1;
        val = kv->value_;
      }
      if (idx < 0 || idx >= int(st->fields.size())) continue;
      const types::Type* ft = st->fields[idx]->type;
      agg = insertElem(agg, toMem(convertValue(lowerExpr(val), val->type, ft), ft), unsigned(idx));
    }
    agg->setName("lit");
    return agg;
  }
  const types::Type* elem = nullptr;
  if (auto* arr = u->as<types::Array>()) elem = arr->elem;
  if (auto* sl = u->as<types::Slice>()) elem = sl->elem;
  if (!elem) {
    unsupported(e->pos, "composite literal of type " + types::typeString(t));
    return poison(t);
  }
  // Element values with their indices: a key sets the index, later elements follow it.
  std::vector<std::pair<uint64_t, Value*>> elems;
  uint64_t next = 0, count = 0;
  for (Expr* val : e->elts) {
    if (auto* kv = val->as<KeyValueExpr>()) {
      if (kv->key->value) next = kv->key->value->uint64Val();
      val = kv->value_;
    }
    elems.push_back({next, toMem(convertValue(lowerExpr(val), val->type, elem), elem)});
    count = std::max(count, ++next);
  }
  if (auto* arr = u->as<types::Array>()) {
    Value* agg = Constant::getNullValue(llvmType(arr));
    for (auto& [i, v] : elems) agg = insertElem(agg, v, unsigned(i));
    agg->setName("lit");
    return agg;
  }
  // A slice literal: a new backing array of exactly its elements, zeroed (keys may skip
  // some), in the frame when it cannot outlive it (escape.cpp).
  auto* backingTy = llvm::ArrayType::get(memType(elem), count);
  Value* backing;
  if (count > 0 && escape.siteOnStack(e) && count * sizeOf(elem) <= kMaxStackVarBytes) {
    backing = createEntryAlloca(backingTy, "lit.backing.addr");
    b.CreateMemSet(backing, ConstantInt::get(i8, 0), count * sizeOf(elem), mod.getDataLayout().getABITypeAlign(backingTy));
  } else {
    backing = heapAllocArray(elem, count, "lit.backing");
  }
  for (auto& [i, v] : elems)
    b.CreateStore(v, b.CreateConstInBoundsGEP2_64(backingTy, backing, 0, i, "lit.elem"));
  Value* res = b.CreateInsertValue(PoisonValue::get(llvmType(t)), backing, {0});
  res = b.CreateInsertValue(res, ConstantInt::get(i64, count), {1});
  return b.CreateInsertValue(res, ConstantInt::get(i64, count), {2}, "lit");
}

// ---- equality ----

// x == y for pointers, and for a slice against nil (only its pointer matters).
Value* Lowerer::lowerPointerEqual(Value* x, Value* y, const types::Type* t) {
  (void)t;
  if (x->getType()->isStructTy()) x = b.CreateExtractValue(x, 0, "x.ptr");
  if (y->getType()->isStructTy()) y = b.CreateExtractValue(y, 0, "y.ptr");
  return b.CreateICmpEQ(x, y, "eq");
}

// Whether Go's == on t is the equality of the values' bytes: integers, bools (0 or 1 in memory),
// pointers and channels, and arrays of those (which have no padding). Floats (+0 == -0, NaN),
// strings, interfaces and structs (padding) are compared part by part.
static bool isBytewiseComparable(const types::Type* t) {
  const types::Type* u = t->underlying();
  if (auto* bt = u->as<types::Basic>())
    return types::isInteger(u) || types::isBoolean(u) || bt->bkind == types::BasicKind::UnsafePointer;
  if (u->as<types::Pointer>() || u->as<types::Chan>()) return true;
  if (auto* arr = u->as<types::Array>()) return isBytewiseComparable(arr->elem);
  return false;
}

// x == y for structs (field by field) and arrays (element by element), Go's == on each part.
// Big values are compared where they lie in memory: extracting the parts of a first-class
// [100000]int (or of a struct holding one) makes LLVM take minutes, or crash.
Value* Lowerer::lowerAggregateEqual(Value* x, Value* y, const types::Type* t, Pos pos) {
  if (isBigAggregate(x->getType())) return lowerBigAggregateEqual(x, y, t, pos);
  const types::Type* u = t->underlying();
  std::vector<std::pair<unsigned, const types::Type*>> parts;
  if (auto* st = u->as<types::Struct>()) {
    for (size_t i = 0; i < st->fields.size(); i++)
      if (st->fields[i]->name != "_") parts.push_back({unsigned(i), st->fields[i]->type});
  } else if (auto* arr = u->as<types::Array>()) {
    for (int64_t i = 0; i < arr->len; i++) parts.push_back({unsigned(i), arr->elem});
  }
  Value* eq = ConstantInt::getTrue(ctx);
  for (auto [i, pt] : parts) {
    Value* xi = fromMem(b.CreateExtractValue(x, {i}), pt);
    Value* yi = fromMem(b.CreateExtractValue(y, {i}), pt);
    eq = b.CreateAnd(eq, lowerCompare(Tok::Eql, xi, yi, pt, pos), "eq");
  }
  return eq;
}

// x == y for values too big to take apart as SSA values: compared in place when both were
// just loaded (the usual case: variables), else from stack copies.
Value* Lowerer::lowerBigAggregateEqual(Value* x, Value* y, const types::Type* t, Pos pos) {
  Type* ty = x->getType();
  Value* xa = aggregateSource(x);
  Value* ya = xa ? aggregateSource(y) : nullptr;
  if (!xa || !ya) {
    xa = createEntryAlloca(ty, "eq.x");
    ya = createEntryAlloca(ty, "eq.y");
    b.CreateStore(x, xa);
    b.CreateStore(y, ya);
  }
  // x and y stay even when unused: a switch compares its tag again in the next case
  // (lowerMemoryClassValues drops unused loads).
  return lowerEqualInMemory(xa, ya, t, pos);
}

// Go's == on two values of type t stored at xa and ya: memcmp where == is bytewise, a loop
// over long arrays (stopping at the first difference), field by field for structs.
Value* Lowerer::lowerEqualInMemory(Value* xa, Value* ya, const types::Type* t, Pos pos) {
  Type* ty = memType(t);
  const types::Type* u = t->underlying();
  if (!u->as<types::Struct>() && !u->as<types::Array>())
    return lowerCompare(Tok::Eql, loadValue(xa, t, "x"), loadValue(ya, t, "y"), t, pos);
  uint64_t size = mod.getDataLayout().getTypeAllocSize(ty);
  if (isBytewiseComparable(t)) {
    FunctionCallee memcmp = mod.getOrInsertFunction("memcmp", FunctionType::get(i32, {ptr, ptr, i64}, false));
    Value* diff = b.CreateCall(memcmp, {xa, ya, ConstantInt::get(i64, size)}, "eq.memcmp");
    return b.CreateICmpEQ(diff, ConstantInt::get(i32, 0), "eq");
  }
  if (auto* st = u->as<types::Struct>()) {
    Value* eq = ConstantInt::getTrue(ctx);
    for (size_t i = 0; i < st->fields.size(); i++) {
      if (st->fields[i]->name == "_") continue;
      Value* xf = b.CreateStructGEP(ty, xa, unsigned(i), "x.field");
      Value* yf = b.CreateStructGEP(ty, ya, unsigned(i), "y.field");
      eq = b.CreateAnd(eq, lowerEqualInMemory(xf, yf, st->fields[i]->type, pos), "eq");
    }
    return eq;
  }
  auto* arr = u->as<types::Array>();
  BasicBlock* startBB = b.GetInsertBlock();
  BasicBlock* loopBB = newBlock("arrayeq.loop");
  BasicBlock* bodyBB = newBlock("arrayeq.body");
  BasicBlock* doneBB = newBlock("arrayeq.done");
  b.CreateBr(loopBB);
  setBlock(loopBB);
  PHINode* i = b.CreatePHI(i64, 2, "arrayeq.i");
  i->addIncoming(ConstantInt::get(i64, 0), startBB);
  Value* more = b.CreateICmpULT(i, ConstantInt::get(i64, arr->len), "arrayeq.more");
  b.CreateCondBr(more, bodyBB, doneBB);
  setBlock(bodyBB);
  Value* zero = ConstantInt::get(i64, 0);
  Value* xi = b.CreateInBoundsGEP(ty, xa, {zero, i}, "x.elem");
  Value* yi = b.CreateInBoundsGEP(ty, ya, {zero, i}, "y.elem");
  Value* eq = lowerEqualInMemory(xi, yi, arr->elem, pos);
  i->addIncoming(b.CreateAdd(i, ConstantInt::get(i64, 1), "arrayeq.next"), b.GetInsertBlock());
  BasicBlock* bodyEnd = b.GetInsertBlock();
  b.CreateCondBr(eq, loopBB, doneBB);
  setBlock(doneBB);
  PHINode* res = b.CreatePHI(i1, 2, "arrayeq");
  res->addIncoming(ConstantInt::getTrue(ctx), loopBB);
  res->addIncoming(ConstantInt::getFalse(ctx), bodyEnd);
  return res;
}

}  // namespace gol
