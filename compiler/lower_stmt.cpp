// This file lowers statements: assignments and declarations, return, and control flow
// (if/else, the three for forms, expression and tagless switch with fallthrough, labeled
// break/continue). Range loops are in lower_range.cpp.
//
// Shapes (blocks are named after their role):
//   for init; cond; post { body }     init; br for.cond
//                                     for.cond: br cond, for.body, for.done
//                                     for.body: body; br for.post      (continue -> for.post)
//                                     for.post: post; br for.cond      (break -> for.done)
//   switch tag { case a, b: X; default: D; case c: Y }
//                                     tests in source order: tag == a -> case0, tag == b -> case0,
//                                     tag == c -> case2, then br default (or switch.done);
//                                     each body ends with br switch.done, or fallthrough to the
//                                     next body in source order.
// Loop variables are per-iteration (Go 1.22); without closures or address-taking nothing can
// tell one iteration's variable from the next, so one slot per variable suffices for now.
#include <llvm/IR/InlineAsm.h>

#include "lower.h"
#include "runtime/abi.h"
#include "types.h"

namespace gol {

using namespace llvm;

void Lowerer::lowerStmts(const std::vector<Stmt*>& list) {
  for (Stmt* s : list) lowerStmt(s);
}

void Lowerer::lowerStmt(Stmt* s) {
  setDebugPos(s->pos);
  switch (s->kind) {
    case NodeKind::EmptyStmt: return;
    case NodeKind::BlockStmt: return lowerStmts(s->as<BlockStmt>()->list);
    case NodeKind::ExprStmt: {
      Expr* x = unparen(s->as<ExprStmt>()->x);
      if (auto* call = x->as<CallExpr>()) lowerCall(call);
      else lowerExpr(x);
      return;
    }
    case NodeKind::AssignStmt: return lowerAssign(s->as<AssignStmt>());
    case NodeKind::IncDecStmt: return lowerIncDec(s->as<IncDecStmt>());
    case NodeKind::DeclStmt: {
      auto* gd = s->as<DeclStmt>()->decl->as<GenDecl>();
      if (gd && gd->tok == Tok::Var) lowerVarDecl(gd);
      return;  // constants and types need no code
    }
    case NodeKind::ReturnStmt: return lowerReturn(s->as<ReturnStmt>());
    case NodeKind::BranchStmt: return lowerBranch(s->as<BranchStmt>());
    case NodeKind::IfStmt: return lowerIf(s->as<IfStmt>());
    case NodeKind::ForStmt: return lowerFor(s->as<ForStmt>(), nullptr);
    case NodeKind::RangeStmt: return lowerRange(s->as<RangeStmt>(), nullptr);
    case NodeKind::SwitchStmt: return lowerSwitch(s->as<SwitchStmt>(), nullptr);
    case NodeKind::LabeledStmt: {
      auto* ls = s->as<LabeledStmt>();
      if (auto* f = ls->stmt->as<ForStmt>()) return lowerFor(f, ls);
      if (auto* r = ls->stmt->as<RangeStmt>()) return lowerRange(r, ls);
      if (auto* sw = ls->stmt->as<SwitchStmt>()) return lowerSwitch(sw, ls);
      if (auto* sel = ls->stmt->as<SelectStmt>()) return lowerSelect(sel, ls);
      if (auto* ts = ls->stmt->as<TypeSwitchStmt>()) return lowerTypeSwitch(ts, ls);
      return lowerStmt(ls->stmt);
    }
    case NodeKind::GoStmt: return lowerGo(s->as<GoStmt>());
    case NodeKind::DeferStmt: return lowerDefer(s->as<DeferStmt>());
    case NodeKind::SelectStmt: return lowerSelect(s->as<SelectStmt>(), nullptr);
    case NodeKind::TypeSwitchStmt: return lowerTypeSwitch(s->as<TypeSwitchStmt>(), nullptr);
    case NodeKind::SendStmt: return lowerSend(s->as<SendStmt>());
    default: return unsupported(s->pos, std::string("statement of kind ") + nodeKindName(s->kind));
  }
}

// ---- assignments and declarations ----

void Lowerer::assignTo(Expr* lhs, Value* v, const types::Type* vt) {
  Expr* e = unparen(lhs);
  const types::Type* t = lhs->type;
  if (auto* id = e->as<Ident>()) {
    if (id->name == "_") return;
    if (auto* var = id->obj ? id->obj->as<types::Var>() : nullptr) {
      t = var->type;
      if (!hasSlot(var)) {  // declared by this :=
        if (!checkLowerable(var->type, id->pos)) return;
        newLocal(var, /*zero=*/false);
      }
    }
  }
  if (Value* addr = lowerAddr(e)) storeValue(convertValue(v, vt, t), addr, t);
}

namespace {

// Whether evaluating the operands of assignment target e may call a function or receive.
// Conversions and the index/selector/operator forms on variables do not.
bool targetHasCall(Expr* e) {
  if (!e || e->mode == ExprMode::Constant || e->mode == ExprMode::TypeExpr) return false;
  switch (e->kind) {
    case NodeKind::Ident:
    case NodeKind::BasicLit: return false;
    case NodeKind::ParenExpr: return targetHasCall(e->as<ParenExpr>()->x);
    case NodeKind::SelectorExpr: {
      auto* sel = e->as<SelectorExpr>();
      return sel->selection.kind == SelectionKind::MethodVal || targetHasCall(sel->x);
    }
    case NodeKind::IndexExpr: {
      auto* ix = e->as<IndexExpr>();
      if (targetHasCall(ix->x)) return true;
      for (Expr* i : ix->indices)
        if (targetHasCall(i)) return true;
      return false;
    }
    case NodeKind::SliceExpr: {
      auto* se = e->as<SliceExpr>();
      return targetHasCall(se->x) || targetHasCall(se->low) || targetHasCall(se->high) || targetHasCall(se->max);
    }
    case NodeKind::StarExpr: return targetHasCall(e->as<StarExpr>()->x);
    case NodeKind::UnaryExpr: {
      auto* u = e->as<UnaryExpr>();
      return u->op == Tok::Arrow || targetHasCall(u->x);
    }
    case NodeKind::BinaryExpr: {
      auto* be = e->as<BinaryExpr>();
      return targetHasCall(be->x) || targetHasCall(be->y);
    }
    case NodeKind::CallExpr: {
      auto* call = e->as<CallExpr>();
      if (!call->fun || call->fun->mode != ExprMode::TypeExpr || call->args.size() != 1) return true;
      return targetHasCall(call->args[0]);
    }
    default: return true;
  }
}

}  // namespace

Lowerer::PendingLhs Lowerer::evalLhs(Expr* lhs) {
  PendingLhs p;
  p.e = lhs;
  Expr* e = unparen(lhs);
  if (e->is<Ident>()) return p;  // assigned by assignTo, which also declares := variables
  if (auto* ix = e->as<IndexExpr>()) {
    if (ix->mode == ExprMode::MapIndex) {
      p.kind = PendingLhs::Kind::Map;
      std::tie(p.v, p.idx) = mapAndKey(ix);
      return p;
    }
    const types::Type* xt = ix->x->type->underlying();
    Expr* idxExpr = ix->indices[0];
    if (xt->as<types::Slice>()) {
      p.kind = PendingLhs::Kind::SliceElem;
      p.v = lowerExpr(ix->x);
      p.idx = toInt64(lowerExpr(idxExpr), idxExpr->type);
      return p;
    }
    if (auto* pt = xt->as<types::Pointer>(); pt && pt->elem->underlying()->as<types::Array>()) {
      p.kind = PendingLhs::Kind::PtrArrayElem;
      p.v = lowerExpr(ix->x);
      p.idx = toInt64(lowerExpr(idxExpr), idxExpr->type);
      return p;
    }
    if (xt->as<types::Array>() && ix->x->mode == ExprMode::Variable) {
      p.kind = PendingLhs::Kind::ArrayElem;
      p.inner = std::make_unique<PendingLhs>(evalLhs(ix->x));
      p.idx = toInt64(lowerExpr(idxExpr), idxExpr->type);
      return p;
    }
  } else if (auto* star = e->as<StarExpr>()) {
    p.kind = PendingLhs::Kind::Deref;
    p.v = lowerExpr(star->x);
    return p;
  } else if (auto* sel = e->as<SelectorExpr>(); sel && sel->selection.kind == SelectionKind::FieldVal) {
    if (sel->x->type->underlying()->as<types::Pointer>()) {
      p.kind = PendingLhs::Kind::Field;
      p.v = lowerExpr(sel->x);
      return p;
    }
    if (sel->x->mode == ExprMode::Variable) {
      p.kind = PendingLhs::Kind::Field;
      p.inner = std::make_unique<PendingLhs>(evalLhs(sel->x));
      return p;
    }
  }
  p.kind = PendingLhs::Kind::Addr;
  p.v = lowerAddr(e);
  return p;
}

Value* Lowerer::lhsAddr(PendingLhs& p) {
  Expr* e = unparen(p.e);
  switch (p.kind) {
    case PendingLhs::Kind::Ident: return lowerAddr(e);
    case PendingLhs::Kind::Addr: return p.v;
    case PendingLhs::Kind::Deref: emitNilCheck(p.v); return p.v;
    case PendingLhs::Kind::Map: {
      auto* ix = e->as<IndexExpr>();
      return callRuntime(RtFunc::mapassign, {typeDesc(ix->x->type), p.v, p.idx}, "map.slot");
    }
    case PendingLhs::Kind::SliceElem: {
      auto* ix = e->as<IndexExpr>();
      auto* sl = ix->x->type->underlying()->as<types::Slice>();
      emitBoundsCheck(p.idx, b.CreateExtractValue(p.v, 1, "len"), ix->indices[0], false);
      return b.CreateInBoundsGEP(memType(sl->elem), b.CreateExtractValue(p.v, 0, "slice.ptr"), p.idx, "elem.addr");
    }
    case PendingLhs::Kind::PtrArrayElem:
    case PendingLhs::Kind::ArrayElem: {
      auto* ix = e->as<IndexExpr>();
      const types::Array* arr;
      Value* base;
      if (p.kind == PendingLhs::Kind::PtrArrayElem) {
        arr = ix->x->type->underlying()->as<types::Pointer>()->elem->underlying()->as<types::Array>();
        base = p.v;
        emitNilCheck(base);
      } else {
        arr = ix->x->type->underlying()->as<types::Array>();
        base = lhsAddr(*p.inner);
        if (!base) return nullptr;
      }
      emitBoundsCheck(p.idx, ConstantInt::get(i64, arr->len), ix->indices[0], true);
      return b.CreateInBoundsGEP(llvmType(arr), base, {ConstantInt::get(i64, 0), p.idx}, "elem.addr");
    }
    case PendingLhs::Kind::Field: {
      auto* sel = e->as<SelectorExpr>();
      const types::Type* t = sel->x->type;
      Value* addr;
      if (auto* pt = t->underlying()->as<types::Pointer>()) {
        addr = p.v;
        emitNilCheck(addr);
        t = pt->elem;
      } else {
        addr = lhsAddr(*p.inner);
        if (!addr) return nullptr;
      }
      // Walk the path; an embedded pointer on the way is loaded and checked.
      const std::vector<int>& path = sel->selection.index;
      for (size_t i = 0; i < path.size(); i++) {
        auto* st = t->underlying()->as<types::Struct>();
        if (!st || path[i] < 0 || size_t(path[i]) >= st->fields.size()) return nullptr;
        types::Var* field = st->fields[size_t(path[i])];
        addr = b.CreateStructGEP(llvmType(st), addr, unsigned(path[i]), field->name + ".addr");
        t = field->type;
        if (i + 1 < path.size())
          if (auto* pt = t->underlying()->as<types::Pointer>()) {
            addr = b.CreateLoad(ptr, addr, field->name);
            emitNilCheck(addr);
            t = pt->elem;
          }
      }
      return addr;
    }
  }
  return nullptr;
}

void Lowerer::storeLhs(PendingLhs& p, Value* v, const types::Type* vt) {
  if (p.kind == PendingLhs::Kind::Ident) return assignTo(p.e, v, vt);
  const types::Type* t = p.e->type;
  if (Value* addr = lhsAddr(p)) storeValue(convertValue(v, vt, t), addr, t);
}

void Lowerer::lowerAssign(AssignStmt* s) {
  if (s->tok == Tok::Assign || s->tok == Tok::Define) {
    // Two phases, as the spec says: first the operands of index expressions and indirections
    // on the left and every right-hand side, then the assignments, left to right, each with
    // its nil and bounds check (or map insertion) only then. So a, b = b, a swaps,
    // i, x[i] = 1, 2 sets x[old i], and x[9], y = f(), g() calls f and g before the index
    // panics. Like gc, targets with calls are evaluated first, in order, then the right-hand
    // sides, then the call-free targets' operands (a[i] = f() indexes with the i f left).
    size_t n = s->lhs.size();
    std::vector<PendingLhs> targets(n);
    auto evalTargets = [&](bool withCalls) {
      for (size_t i = 0; i < n; i++)
        if (targetHasCall(unparen(s->lhs[i])->is<Ident>() ? nullptr : s->lhs[i]) == withCalls)
          targets[i] = evalLhs(s->lhs[i]);
    };
    evalTargets(true);
    std::vector<Value*> vals;
    std::vector<const types::Type*> vtypes;
    if (s->rhs.size() == n) {
      for (Expr* r : s->rhs) {
        vals.push_back(lowerExpr(r));
        vtypes.push_back(r->type);
      }
    } else if (s->rhs.size() != 1) {
      return unsupported(s->pos, "this assignment");
    } else if (auto* ta = unparen(s->rhs[0])->as<TypeAssertExpr>(); ta && n == 2) {  // v, ok = x.(T)
      Value* ok = nullptr;
      vals.push_back(lowerTypeAssert(ta, &ok));
      vals.push_back(ok);
      vtypes = {ta->typeExpr->type, s->lhs[1]->type};
    } else if (auto* ix = unparen(s->rhs[0])->as<IndexExpr>(); ix && isMapIndex(ix) && n == 2) {  // v, ok = m[k]
      Value* ok = nullptr;
      vals.push_back(lowerMapIndex(ix, &ok));
      vals.push_back(ok);
      vtypes = {ix->type, s->lhs[1]->type};
    } else if (UnaryExpr* recv = asRecv(s->rhs[0]); recv && n == 2) {  // v, ok = <-c
      Value* ok = nullptr;
      vals.push_back(lowerRecv(recv, &ok));
      vals.push_back(ok);
      vtypes = {recv->x->type->underlying()->as<types::Chan>()->elem, s->lhs[1]->type};
    } else {
      vals = lowerMultiValue(s->rhs[0], n);
      const types::Tuple* tuple = s->rhs[0]->type ? s->rhs[0]->type->as<types::Tuple>() : nullptr;
      if (!tuple || vals.size() != n) return unsupported(s->pos, "comma-ok assignment");
      for (size_t i = 0; i < n; i++) vtypes.push_back(tuple->vars[i]->type);
    }
    evalTargets(false);
    for (size_t i = 0; i < n; i++) storeLhs(targets[i], vals[i], vtypes[i]);
    return;
  }
  // x op= y: the address of x is computed once.
  Expr* lhs = s->lhs[0];
  if (isMapIndex(lhs)) return lowerMapOpAssign(unparen(lhs)->as<IndexExpr>(), assignOpBase(s->tok), s->rhs[0], s->tokPos);
  // Like gc: the target's operands (first if they hold calls), then y, then the checks and
  // the old value, so a[9] += f() calls f before the index panics.
  PendingLhs target;
  bool early = targetHasCall(unparen(lhs)->is<Ident>() ? nullptr : lhs);
  if (early) target = evalLhs(lhs);
  Value* y = lowerExpr(s->rhs[0]);
  if (!early) target = evalLhs(lhs);
  Value* addr = lhsAddr(target);
  if (!addr) return;
  Value* old = loadValue(addr, lhs->type, "old");
  Value* v = lowerBinaryOp(assignOpBase(s->tok), old, y, lhs->type, s->rhs[0], s->tokPos);
  storeValue(v, addr, lhs->type);
}

void Lowerer::lowerIncDec(IncDecStmt* s) {
  if (isMapIndex(s->x))
    return lowerMapOpAssign(unparen(s->x)->as<IndexExpr>(), s->tok == Tok::Inc ? Tok::Add : Tok::Sub, nullptr, s->pos);
  Value* addr = lowerAddr(s->x);
  if (!addr) return;
  const types::Type* t = s->x->type;
  Value* old = loadValue(addr, t, "old");
  Value* v;
  if (isFloatType(t)) {
    Value* one = ConstantFP::get(old->getType(), 1.0);
    v = s->tok == Tok::Inc ? b.CreateFAdd(old, one, "inc") : b.CreateFSub(old, one, "dec");
  } else {
    Value* one = ConstantInt::get(old->getType(), 1);
    v = s->tok == Tok::Inc ? b.CreateAdd(old, one, "inc") : b.CreateSub(old, one, "dec");
  }
  storeValue(v, addr, t);
}

// var a, b T = x, y  |  var a, b = f()  |  var a T
void Lowerer::lowerVarDecl(GenDecl* d) {
  for (Spec* spec : d->specs) {
    auto* vs = spec->as<ValueSpec>();
    if (!vs) continue;
    std::vector<Value*> vals;
    std::vector<const types::Type*> types;
    if (vs->values.size() == vs->names.size()) {
      for (Expr* v : vs->values) {
        vals.push_back(lowerExpr(v));
        types.push_back(v->type);
      }
    } else if (auto* ta = vs->values.size() == 1 ? unparen(vs->values[0])->as<TypeAssertExpr>() : nullptr) {
      Value* ok = nullptr;  // var v, ok = x.(T)
      vals.push_back(lowerTypeAssert(ta, &ok));
      vals.push_back(ok);
      types.push_back(ta->typeExpr->type);
      types.push_back(vs->names.size() > 1 && vs->names[1]->obj ? vs->names[1]->obj->type : nullptr);
    } else if (auto* ix = vs->values.size() == 1 && vs->names.size() == 2 && isMapIndex(vs->values[0])
                              ? unparen(vs->values[0])->as<IndexExpr>() : nullptr) {  // var v, ok = m[k]
      Value* ok = nullptr;
      vals.push_back(lowerMapIndex(ix, &ok));
      vals.push_back(ok);
      types.push_back(ix->type);
      types.push_back(vs->names[1]->obj ? vs->names[1]->obj->type : nullptr);
    } else if (UnaryExpr* recv = vs->values.size() == 1 ? asRecv(vs->values[0]) : nullptr) {  // var v, ok = <-c
      Value* ok = nullptr;
      vals.push_back(lowerRecv(recv, &ok));
      vals.push_back(ok);
      types.push_back(recv->x->type->underlying()->as<types::Chan>()->elem);
      types.push_back(vs->names.size() > 1 && vs->names[1]->obj ? vs->names[1]->obj->type : nullptr);
    } else if (vs->values.size() == 1) {
      vals = lowerMultiValue(vs->values[0], vs->names.size());
      const types::Tuple* tuple = vs->values[0]->type ? vs->values[0]->type->as<types::Tuple>() : nullptr;
      for (size_t i = 0; i < vs->names.size(); i++)
        types.push_back(tuple && i < tuple->vars.size() ? tuple->vars[i]->type : nullptr);
    }
    for (size_t i = 0; i < vs->names.size(); i++) {
      Ident* name = vs->names[i];
      auto* var = name->obj ? name->obj->as<types::Var>() : nullptr;
      if (name->name == "_" || !var) continue;
      if (!checkLowerable(var->type, name->pos)) continue;
      Value* slot = newLocal(var, /*zero=*/vals.empty());
      if (!vals.empty()) storeValue(convertValue(vals[i], types[i], var->type), slot, var->type);
    }
  }
}

// ---- return and branches ----

// Returns vals, or the named results when vals is empty. With defer statements the deferred
// calls run first, after named results are set, so they can change what is returned.
void Lowerer::emitReturn(std::vector<Value*> vals) {
  const types::Signature* sig = fs.sig;
  size_t nres = sig && sig->results ? sig->results->vars.size() : 0;
  if (fs.hasDefers) {
    if (!fs.namedResults.empty() && !vals.empty()) {
      if (vals.size() == 1 && nres > 1) {  // return f()
        Value* agg = vals[0];
        vals.clear();
        for (size_t i = 0; i < nres; i++) vals.push_back(b.CreateExtractValue(agg, {unsigned(i)}));
      }
      for (size_t i = 0; i < nres && i < vals.size(); i++)
        storeValue(vals[i], fs.namedResults[i], sig->results->vars[i]->type);
      vals.clear();
    }
    if (fs.loopDefers) b.CreateCall(getRuntimeFunc(mod, RtFunc::deferreturn), {fs.deferFrame});
    else emitOpenDeferReturn();
  }
  if (nres == 0) {
    b.CreateRetVoid();
    return;
  }
  if (vals.empty())
    for (size_t i = 0; i < nres && i < fs.namedResults.size(); i++)
      vals.push_back(loadValue(fs.namedResults[i], sig->results->vars[i]->type,
                               sig->results->vars[i]->name.empty() ? "result" : sig->results->vars[i]->name));
  if (vals.size() == 1 && nres > 1 && vals[0]->getType()->isStructTy()) {
    b.CreateRet(vals[0]);  // return f(), with f's results matching ours
    return;
  }
  if (nres == 1) {
    b.CreateRet(vals[0]);
    return;
  }
  Value* agg = PoisonValue::get(resultType(sig));
  for (size_t i = 0; i < nres && i < vals.size(); i++)
    agg = b.CreateInsertValue(agg, vals[i], {unsigned(i)}, "results");
  b.CreateRet(agg);
}

// &g._defer of the running G. g is read through inline asm each time: a goroutine may have
// moved to another thread during a call, so a TLS address must not be reused from earlier.
Value* Lowerer::gDeferSlot() {
  auto* gty = FunctionType::get(ptr, false);
  InlineAsm* readg = InlineAsm::get(gty, "movq gol_g@GOTTPOFF(%rip), $0\n\tmovq %fs:($0), $0", "=r",
                                    /*hasSideEffects=*/true);
  Value* gp = b.CreateCall(readg, {}, "g");
  return b.CreateInBoundsGEP(i8, gp, ConstantInt::get(i64, GOL_G_DEFER_OFFSET), "g.defer");
}

// gol_deferreturn inlined for a function whose records all live in its frame (Go's open-coded
// defers, with the records still on g._defer for panics): the records this activation pushed
// are the newest on the chain, pushed in source order, so from the last defer statement
// lowered so far back to the first, each one still on top is popped and its wrapper called
// directly. A defer statement lowered later (further down the source) cannot have run before
// this return. g is read once per return (gDeferSlot).
void Lowerer::emitOpenDeferReturn() {
  if (fs.frameDefers.empty()) return;
  Value* slot = gDeferSlot();
  for (size_t k = fs.frameDefers.size(); k-- > 0;) {
    auto [rec, wrapper] = fs.frameDefers[k];
    Value* top = b.CreateLoad(ptr, slot, "defer.top");
    BasicBlock* runBB = newBlock("defer.run");
    BasicBlock* nextBB = newBlock("defer.next");
    b.CreateCondBr(b.CreateICmpEQ(top, rec, "defer.ours"), runBB, nextBB);
    setBlock(runBB);
    b.CreateStore(b.CreateLoad(ptr, rec, "defer.link"), slot);
    b.CreateCall(wrapper, {rec});
    b.CreateBr(nextBB);
    setBlock(nextBB);
  }
}

void Lowerer::lowerReturn(ReturnStmt* s) {
  std::vector<Value*> vals;
  const types::Tuple* results = fs.sig ? fs.sig->results : nullptr;
  for (size_t i = 0; i < s->results.size(); i++) {
    Value* v = lowerExpr(s->results[i]);
    if (results && s->results.size() == results->vars.size())
      v = convertValue(v, s->results[i]->type, results->vars[i]->type);
    vals.push_back(v);
  }
  emitReturn(std::move(vals));
  startDeadBlock();
}

const Lowerer::BranchTarget* Lowerer::findTarget(const Stmt* target, bool needContinue) {
  for (auto it = fs.targets.rbegin(); it != fs.targets.rend(); ++it) {
    if (needContinue && !it->continueBB) continue;
    if (!target || it->stmt == target || it->label == target) return &*it;
  }
  return nullptr;
}

void Lowerer::lowerBranch(BranchStmt* s) {
  BasicBlock* dest = nullptr;
  switch (s->tok) {
    case Tok::Break:
    case Tok::Continue: {
      bool isContinue = s->tok == Tok::Continue;
      if (const BranchTarget* t = findTarget(s->target, isContinue))
        dest = isContinue ? t->continueBB : t->breakBB;
      else
        return unsupported(s->pos, std::string(isContinue ? "continue" : "break") + " out of this statement");
      break;
    }
    case Tok::Fallthrough:
      if (!fs.fallthroughBB) return unsupported(s->pos, "this fallthrough");
      dest = fs.fallthroughBB;
      break;
    default: return unsupported(s->pos, "goto statement");
  }
  b.CreateBr(dest);
  startDeadBlock();
}

// ---- control flow ----

void Lowerer::lowerIf(IfStmt* s) {
  if (s->init) lowerStmt(s->init);
  Value* cond = lowerExpr(s->cond);
  BasicBlock* thenBB = newBlock("if.then");
  BasicBlock* elseBB = s->else_ ? newBlock("if.else") : nullptr;
  BasicBlock* doneBB = newBlock("if.done");
  b.CreateCondBr(cond, thenBB, elseBB ? elseBB : doneBB);
  setBlock(thenBB);
  lowerStmts(s->body->list);
  branchTo(doneBB);
  if (elseBB) {
    setBlock(elseBB);
    lowerStmt(s->else_);
    branchTo(doneBB);
  }
  setBlock(doneBB);
}

void Lowerer::lowerFor(ForStmt* s, const Stmt* label) {
  if (s->init) lowerStmt(s->init);
  BasicBlock* condBB = newBlock("for.cond");
  BasicBlock* bodyBB = newBlock("for.body");
  // The post block also gives each iteration its own copy of the loop variables (Go 1.22).
  BasicBlock* postBB = s->post || s->init ? newBlock("for.post") : condBB;
  BasicBlock* doneBB = newBlock("for.done");
  b.CreateBr(condBB);
  setBlock(condBB);
  if (s->cond) b.CreateCondBr(lowerExpr(s->cond), bodyBB, doneBB);
  else b.CreateBr(bodyBB);
  setBlock(bodyBB);
  fs.targets.push_back({s, label, doneBB, postBB});
  lowerStmts(s->body->list);
  fs.targets.pop_back();
  branchTo(postBB);
  if (postBB != condBB) {
    setBlock(postBB);
    copyLoopVarsToFreshCells(s->init);
    if (s->post) lowerStmt(s->post);
    b.CreateBr(condBB);
  }
  setBlock(doneBB);
}

void Lowerer::lowerSwitch(SwitchStmt* s, const Stmt* label) {
  if (s->init) lowerStmt(s->init);
  Value* tag = s->tag ? lowerExpr(s->tag) : nullptr;
  std::vector<CaseClause*> clauses;
  for (Stmt* st : s->body->list)
    if (auto* cc = st->as<CaseClause>()) clauses.push_back(cc);
  std::vector<BasicBlock*> bodies;
  int defaultIdx = -1;
  for (size_t i = 0; i < clauses.size(); i++) {
    if (clauses[i]->isDefault || clauses[i]->list.empty()) defaultIdx = int(i);
    bodies.push_back(newBlock(int(i) == defaultIdx ? "switch.default" : "switch.case"));
  }
  BasicBlock* doneBB = newBlock("switch.done");
  // The tests, in source order; default only when none matches.
  for (size_t i = 0; i < clauses.size(); i++) {
    for (Expr* e : clauses[i]->list) {
      Value* match;
      if (tag) {
        const types::Type* t = isUntypedType(s->tag->type) ? e->type : s->tag->type;
        match = lowerCompare(Tok::Eql, tag, convertValue(lowerExpr(e), e->type, t), t, e->pos);
      } else {
        match = lowerExpr(e);
      }
      BasicBlock* nextBB = newBlock("switch.next");
      b.CreateCondBr(match, bodies[i], nextBB);
      setBlock(nextBB);
    }
  }
  b.CreateBr(defaultIdx >= 0 ? bodies[defaultIdx] : doneBB);
  BasicBlock* outerFallthrough = fs.fallthroughBB;
  fs.targets.push_back({s, label, doneBB, nullptr});
  for (size_t i = 0; i < clauses.size(); i++) {
    setBlock(bodies[i]);
    fs.fallthroughBB = i + 1 < clauses.size() ? bodies[i + 1] : nullptr;
    lowerStmts(clauses[i]->body);
    branchTo(doneBB);
  }
  fs.targets.pop_back();
  fs.fallthroughBB = outerFallthrough;
  setBlock(doneBB);
}

}  // namespace gol
