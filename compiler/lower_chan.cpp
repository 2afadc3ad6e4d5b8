// This file lowers channel operations and select to the runtime's channel API (runtime/abi.h):
// values cross the boundary by address, so a send stores its value in a stack slot and passes
// that; a receive passes the slot the runtime fills.
//
//   c := make(chan int, 3)   %c = call ptr @gol_makechan(ptr null, i64 8, i64 3)
//   c <- v                   store v, %send.tmp; call @gol_chansend1(%c, %send.tmp)
//   v, ok := <-c             %ok = call i1 @gol_chanrecv2(%c, %recv.tmp); v = load %recv.tmp
//   for v := range c         loop: if !gol_chanrecv2(c, &tmp) break; v := tmp; body
//
// select, as Go's compiler does it: `select {}` blocks forever (gol_block); one case without
// default is that plain operation; one case with default uses gol_selectnbsend/nbrecv[2];
// anything else evaluates every channel and send value in source order, fills an array of
// gol_scase {c, elem, kind} and calls gol_selectgo, whose result picks the clause to run
// (-1: default).
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

static const types::Type* chanElem(const types::Type* t) {
  auto* ch = t ? t->underlying()->as<types::Chan>() : nullptr;
  return ch ? ch->elem : nullptr;
}

Value* Lowerer::lowerMakeChan(CallExpr* call) {
  const types::Type* elem = chanElem(call->type);
  Value* size = ConstantInt::get(i64, 0);
  if (call->args.size() > 1) size = toInt64(lowerExpr(call->args[1]), call->args[1]->type, "make.size");
  return b.CreateCall(getRuntimeFunc(mod, RtFunc::makechan),
                      {typeDesc(elem), ConstantInt::get(i64, sizeOf(elem)), size}, "chan");
}

void Lowerer::lowerSend(SendStmt* s) {
  const types::Type* elem = chanElem(s->chan->type);
  Value* c = lowerExpr(s->chan);
  Value* v = convertValue(lowerExpr(s->value_), s->value_->type, elem);
  Value* tmp = createEntryAlloca(memType(elem), "send.tmp");
  storeValue(v, tmp, elem);
  b.CreateCall(getRuntimeFunc(mod, RtFunc::chansend1), {c, tmp});
}

// <-c: the received value (the zero value once c is closed and drained).
Value* Lowerer::lowerRecv(UnaryExpr* e, Value** ok) {
  const types::Type* elem = chanElem(e->x->type);
  Value* c = lowerExpr(e->x);
  Value* tmp = createEntryAlloca(memType(elem), "recv.tmp");
  if (ok) {
    *ok = b.CreateCall(getRuntimeFunc(mod, RtFunc::chanrecv2), {c, tmp}, "recv.ok");
  } else {
    b.CreateCall(getRuntimeFunc(mod, RtFunc::chanrecv1), {c, tmp});
  }
  return loadValue(tmp, elem, "recv");
}

// The receive of a comma-ok assignment (v, ok = <-c), or null if e is something else.
UnaryExpr* asRecv(Expr* e) {
  auto* u = e ? unparen(e)->as<UnaryExpr>() : nullptr;
  return u && u->op == Tok::Arrow ? u : nullptr;
}

// for v := range c: receive until c is closed and drained.
void Lowerer::lowerRangeChan(RangeStmt* s, const Stmt* label) {
  const types::Type* elem = chanElem(s->x->type);
  Value* c = lowerExpr(s->x);
  Value* tmp = createEntryAlloca(memType(elem), "range.recv.tmp");
  BasicBlock* recvBB = newBlock("range.recv");
  BasicBlock* bodyBB = newBlock("range.body");
  BasicBlock* doneBB = newBlock("range.done");
  b.CreateBr(recvBB);
  setBlock(recvBB);
  Value* ok = b.CreateCall(getRuntimeFunc(mod, RtFunc::chanrecv2), {c, tmp}, "range.ok");
  b.CreateCondBr(ok, bodyBB, doneBB);
  setBlock(bodyBB);
  if (s->key) assignTo(s->key, loadValue(tmp, elem, "range.elem"), elem);
  fs.targets.push_back({s, label, doneBB, recvBB});
  lowerStmts(s->body->list);
  fs.targets.pop_back();
  branchTo(recvBB);
  setBlock(doneBB);
}

namespace {

// One communication clause, its operands evaluated.
struct SelectCase {
  CommClause* clause;
  bool isSend;
  Value* chan = nullptr;
  Value* elem = nullptr;      // the send value's slot, or the receive's destination slot
  const types::Type* elemType = nullptr;
  AssignStmt* assign = nullptr;  // v[, ok] = / := <-c
};

SelectCase evalCase(Lowerer& l, CommClause* cc) {
  SelectCase sc{cc, false};
  if (auto* send = cc->comm->as<SendStmt>()) {
    sc.isSend = true;
    sc.elemType = chanElem(send->chan->type);
    sc.chan = l.lowerExpr(send->chan);
    Value* v = l.convertValue(l.lowerExpr(send->value_), send->value_->type, sc.elemType);
    sc.elem = l.createEntryAlloca(l.memType(sc.elemType), "select.send");
    l.storeValue(v, sc.elem, sc.elemType);
    return sc;
  }
  UnaryExpr* recv = nullptr;
  if (auto* es = cc->comm->as<ExprStmt>()) recv = asRecv(es->x);
  if (auto* as = cc->comm->as<AssignStmt>()) {
    sc.assign = as;
    recv = asRecv(as->rhs[0]);
  }
  sc.elemType = chanElem(recv->x->type);
  sc.chan = l.lowerExpr(recv->x);
  sc.elem = l.createEntryAlloca(l.memType(sc.elemType), "select.recv");
  return sc;
}

// A receive clause's assignment (v, ok := received, ok), then its body.
void lowerCaseBody(Lowerer& l, const SelectCase& sc, Value* ok) {
  if (sc.assign) {
    Value* v = l.loadValue(sc.elem, sc.elemType, "select.value");
    l.assignTo(sc.assign->lhs[0], v, sc.elemType);
    if (sc.assign->lhs.size() > 1) l.assignTo(sc.assign->lhs[1], ok, sc.assign->lhs[1]->type);
  }
  l.lowerStmts(sc.clause->body);
}

}  // namespace

void Lowerer::lowerSelect(SelectStmt* s, const Stmt* label) {
  std::vector<CommClause*> clauses;
  CommClause* dflt = nullptr;
  for (Stmt* st : s->body->list) {
    auto* cc = st->as<CommClause>();
    if (!cc) continue;
    if (cc->comm) clauses.push_back(cc);
    else dflt = cc;
  }
  if (clauses.empty() && !dflt) {  // select {}
    b.CreateCall(getRuntimeFunc(mod, RtFunc::block));
    b.CreateUnreachable();
    return startDeadBlock();
  }
  BasicBlock* doneBB = newBlock("select.done");
  fs.targets.push_back({s, label, doneBB, nullptr});
  std::vector<SelectCase> cases;
  for (CommClause* cc : clauses) cases.push_back(evalCase(*this, cc));
  Value* okSlot = createEntryAlloca(i8, "select.recvok");
  b.CreateStore(ConstantInt::get(i8, 0), okSlot);
  if (cases.empty()) {  // only a default
    lowerStmts(dflt->body);
  } else if (cases.size() == 1 && !dflt) {  // a plain send or receive
    const SelectCase& sc = cases[0];
    Value* ok = nullptr;
    if (sc.isSend) b.CreateCall(getRuntimeFunc(mod, RtFunc::chansend1), {sc.chan, sc.elem});
    else ok = b.CreateCall(getRuntimeFunc(mod, RtFunc::chanrecv2), {sc.chan, sc.elem}, "select.ok");
    lowerCaseBody(*this, sc, ok);
  } else if (cases.size() == 1) {  // one case and a default: non-blocking
    const SelectCase& sc = cases[0];
    Value* ran;
    if (sc.isSend) {
      ran = b.CreateCall(getRuntimeFunc(mod, RtFunc::selectnbsend), {sc.chan, sc.elem}, "select.ran");
    } else {
      ran = b.CreateCall(getRuntimeFunc(mod, RtFunc::selectnbrecv2), {sc.elem, okSlot, sc.chan}, "select.ran");
    }
    BasicBlock* caseBB = newBlock("select.case");
    BasicBlock* defaultBB = newBlock("select.default");
    b.CreateCondBr(ran, caseBB, defaultBB);
    setBlock(caseBB);
    lowerCaseBody(*this, sc, b.CreateTrunc(b.CreateLoad(i8, okSlot, "select.ok.byte"), i1, "select.ok"));
    branchTo(doneBB);
    setBlock(defaultBB);
    lowerStmts(dflt->body);
  } else {
    // gol_scase {ptr c, ptr elem, i64 kind}[n]
    auto* scaseTy = llvm::StructType::get(ctx, {ptr, ptr, i64});
    auto* arrTy = llvm::ArrayType::get(scaseTy, cases.size());
    Value* arr = createEntryAlloca(arrTy, "select.cases");
    for (size_t i = 0; i < cases.size(); i++) {
      Value* sc = b.CreateConstInBoundsGEP2_64(arrTy, arr, 0, i, "select.case");
      b.CreateStore(cases[i].chan, b.CreateStructGEP(scaseTy, sc, 0, "select.case.c"));
      b.CreateStore(cases[i].elem, b.CreateStructGEP(scaseTy, sc, 1, "select.case.elem"));
      b.CreateStore(ConstantInt::get(i64, cases[i].isSend ? 2 : 1), b.CreateStructGEP(scaseTy, sc, 2, "select.case.kind"));
    }
    Value* chosen = b.CreateCall(getRuntimeFunc(mod, RtFunc::selectgo),
                                 {arr, ConstantInt::get(i64, cases.size()), okSlot, ConstantInt::getBool(ctx, dflt != nullptr)},
                                 "select.chosen");
    BasicBlock* defaultBB = newBlock("select.default");
    SwitchInst* sw = b.CreateSwitch(chosen, dflt ? defaultBB : doneBB, unsigned(cases.size()));
    for (size_t i = 0; i < cases.size(); i++) {
      BasicBlock* caseBB = newBlock("select.case");
      sw->addCase(ConstantInt::get(cast<IntegerType>(i64), i), caseBB);
      setBlock(caseBB);
      Value* ok = b.CreateTrunc(b.CreateLoad(i8, okSlot, "select.ok.byte"), i1, "select.ok");
      lowerCaseBody(*this, cases[i], ok);
      branchTo(doneBB);
    }
    if (dflt) {
      setBlock(defaultBB);
      lowerStmts(dflt->body);
    } else {
      delete defaultBB;
    }
  }
  branchTo(doneBB);
  fs.targets.pop_back();
  setBlock(doneBB);
}

}  // namespace gol
