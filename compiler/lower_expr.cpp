// This file lowers expressions: constants, variables, operators with Go's semantics, calls,
// conversions and the builtins print/println/len/panic/min/max.
//
// Go semantics that differ from LLVM's defaults, and how they are lowered:
//   - integer arithmetic wraps: no nsw/nuw flags anywhere;
//   - x / y and x % y: y == 0 calls gol_panicdivide; for signed x, y == -1 is replaced by 1
//     and the quotient negated, so MinInt64 / -1 never reaches idiv (which traps on x86):
//         ok   = icmp ne y, 0           ; else gol_panicdivide()
//         m1   = icmp eq y, -1
//         q    = sdiv x, (select m1, 1, y)
//         quo  = select m1, (sub 0, x), q   ; x % -1 is srem x, 1 = 0 already
//   - shifts: a count >= the width gives 0 (or the sign for signed >>); a negative signed count
//     calls gol_panicshift; constant counts need no checks;
//   - != on floats is unordered (une), the other comparisons ordered;
//   - && and || short-circuit; strings compare with a length check then memcmp, or with
//     gol_cmpstring for ordering; s1 + s2 + s3 is one gol_concatstrings call.
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include "constant.h"
#include "lower.h"
#include "types.h"

namespace gol {

using namespace llvm;

static bool isConstExpr(const Expr* e) { return e && e->mode == ExprMode::Constant && e->value; }

Value* Lowerer::lowerExpr(Expr* e) {
  if (isConstExpr(e)) return lowerConst(e->value, e->type);
  if (e->mode != ExprMode::NoValue && !e->is<CallExpr>() && !checkLowerable(e->type, e->pos))
    return poison(e->type);
  switch (e->kind) {
    case NodeKind::ParenExpr: return lowerExpr(e->as<ParenExpr>()->x);
    case NodeKind::Ident: return lowerIdent(e->as<Ident>());
    case NodeKind::BinaryExpr: return lowerBinaryExpr(e->as<BinaryExpr>());
    case NodeKind::UnaryExpr: return lowerUnary(e->as<UnaryExpr>());
    case NodeKind::CallExpr: {
      Value* v = lowerCall(e->as<CallExpr>());
      return v ? v : poison(e->type);
    }
    case NodeKind::IndexExpr: return lowerIndex(e->as<IndexExpr>());
    case NodeKind::SliceExpr: return lowerSliceExpr(e->as<SliceExpr>());
    case NodeKind::FuncLit: return lowerFuncLit(e->as<FuncLit>());
    case NodeKind::CompositeLit: return lowerCompositeLit(e->as<CompositeLit>());
    case NodeKind::SelectorExpr: return lowerSelector(e->as<SelectorExpr>());
    case NodeKind::StarExpr:
      if (Value* addr = lowerAddr(e)) return loadValue(addr, e->type, "deref");
      break;
    case NodeKind::TypeAssertExpr: return lowerTypeAssert(e->as<TypeAssertExpr>(), nullptr);
    default: unsupported(e->pos, std::string("expression of kind ") + nodeKindName(e->kind)); break;
  }
  return poison(e->type);
}

// ---- constants ----

Value* Lowerer::lowerConst(const ConstValue* v, const types::Type* t) {
  const types::Basic* bt = basicOf(t);
  if (!bt) return poison(t);
  Type* ty = llvmType(t);
  if (isBoolType(t)) return ConstantInt::get(i1, v->boolVal());
  if (isStringType(t)) return lowerStringConst(v->stringVal());
  if (isIntType(t)) {
    if (isSignedIntType(t)) return ConstantInt::get(ty, uint64_t(v->int64Val()), true);
    return ConstantInt::get(ty, v->uint64Val());
  }
  if (bt->bkind == types::BasicKind::Float32) return ConstantFP::get(ty, double(v->float32Val()));
  if (isFloatType(t)) return ConstantFP::get(ty, v->float64Val());
  return poison(t);
}

Value* Lowerer::lowerStringConst(const std::string& s) {
  if (s.empty()) return Constant::getNullValue(stringTy);
  GlobalVariable*& gv = stringConsts[s];
  if (!gv) {
    Constant* bytes = ConstantDataArray::getString(ctx, s, /*AddNull=*/false);
    gv = new GlobalVariable(mod, bytes->getType(), true, GlobalValue::PrivateLinkage, bytes, "str");
    gv->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    gv->setAlignment(Align(1));
  }
  return ConstantStruct::get(stringTy, {gv, ConstantInt::get(i64, s.size())});
}

// ---- variables ----

Value* Lowerer::lowerIdent(Ident* id) {
  types::Object* obj = id->obj;
  if (auto* v = obj ? obj->as<types::Var>() : nullptr) {
    if (Value* addr = varAddr(v)) return loadValue(addr, v->type, v->name);
    unsupported(id->pos, "this use of variable " + v->name);
    return poison(id->type);
  }
  if (obj && obj->as<types::Nil>()) return Constant::getNullValue(llvmType(id->type));
  if (auto* f = obj ? obj->as<types::Func>() : nullptr) return funcValue(f);
  else unsupported(id->pos, "this use of " + id->name);
  return poison(id->type);
}

Value* Lowerer::lowerAddr(Expr* e) {
  e = unparen(e);
  if (auto* ix = e->as<IndexExpr>(); ix && ix->mode == ExprMode::MapIndex) return mapAssignAddr(ix);
  if (auto* id = e->as<Ident>()) {
    if (id->name == "_") return nullptr;
    auto* v = id->obj ? id->obj->as<types::Var>() : nullptr;
    if (Value* addr = v ? varAddr(v) : nullptr) return addr;
  } else if (Value* addr = lowerElemAddr(e)) {
    return addr;
  }
  unsupported(e->pos, "assignment to this expression");
  return nullptr;
}

// ---- operators ----

static bool isComparison(Tok op) {
  return op == Tok::Eql || op == Tok::Neq || op == Tok::Lss || op == Tok::Leq || op == Tok::Gtr ||
         op == Tok::Geq;
}

// Operands of a chain a + b + c of (non-constant) strings, left to right.
static void collectConcat(Expr* e, std::vector<Expr*>& out) {
  auto* be = unparen(e)->as<BinaryExpr>();
  if (be && be->op == Tok::Add && !isConstExpr(be) && isStringType(be->type)) {
    collectConcat(be->x, out);
    collectConcat(be->y, out);
    return;
  }
  out.push_back(e);
}

Value* Lowerer::lowerBinaryExpr(BinaryExpr* e) {
  if (e->op == Tok::LAnd || e->op == Tok::LOr) return lowerLogical(e);
  if (e->op == Tok::Add && isStringType(e->type)) {
    std::vector<Expr*> operands;
    collectConcat(e, operands);
    std::vector<Value*> parts;
    for (Expr* x : operands) parts.push_back(lowerExpr(x));
    return lowerConcat(parts);
  }
  Value* x = lowerExpr(e->x);
  if (isComparison(e->op)) {
    Value* y = lowerExpr(e->y);
    const types::Type* t = isUntypedType(e->x->type) && !isUntypedType(e->y->type) ? e->y->type : e->x->type;
    // A mixed comparison (iface == concrete) compares as interfaces.
    if (ifaceOf(e->x->type) && !ifaceOf(e->y->type)) y = convertValue(y, e->y->type, e->x->type);
    if (!ifaceOf(e->x->type) && ifaceOf(e->y->type)) {
      x = convertValue(x, e->x->type, e->y->type);
      t = e->y->type;
    }
    return lowerCompare(e->op, x, y, t, e->opPos);
  }
  Value* y = isConstExpr(e->y) && (e->op == Tok::Shl || e->op == Tok::Shr) ? nullptr : lowerExpr(e->y);
  return lowerBinaryOp(e->op, x, y, e->type, e->y, e->opPos);
}

Value* Lowerer::lowerBinaryOp(Tok op, Value* x, Value* y, const types::Type* t, Expr* yExpr,
                              Pos pos) {
  if (op == Tok::Shl || op == Tok::Shr) return lowerShift(op, x, y, yExpr, t);
  if (isStringType(t) && op == Tok::Add) return lowerConcat({x, y});
  if (isFloatType(t)) {
    switch (op) {
      case Tok::Add: return b.CreateFAdd(x, y, "add");
      case Tok::Sub: return b.CreateFSub(x, y, "sub");
      case Tok::Mul: return b.CreateFMul(x, y, "mul");
      case Tok::Quo: return b.CreateFDiv(x, y, "quo");
      default: break;
    }
  } else if (isIntType(t)) {
    switch (op) {
      case Tok::Add: return b.CreateAdd(x, y, "add");
      case Tok::Sub: return b.CreateSub(x, y, "sub");
      case Tok::Mul: return b.CreateMul(x, y, "mul");
      case Tok::Quo:
      case Tok::Rem: return lowerDivide(op, x, y, t, yExpr);
      case Tok::And: return b.CreateAnd(x, y, "and");
      case Tok::Or: return b.CreateOr(x, y, "or");
      case Tok::Xor: return b.CreateXor(x, y, "xor");
      case Tok::AndNot: return b.CreateAnd(x, b.CreateNot(y, "not"), "andnot");
      default: break;
    }
  }
  unsupported(pos, "operator " + std::string(tokString(op)) + " on type " +
                       (t ? types::typeString(t) : std::string("?")));
  return poison(t);
}

void Lowerer::emitPanicIf(Value* cond, RtFunc panicFn, ArrayRef<Value*> args, const Twine& name) {
  BasicBlock* panicBB = newBlock(name + ".panic");
  BasicBlock* okBB = newBlock(name + ".ok");
  b.CreateCondBr(cond, panicBB, okBB, MDBuilder(ctx).createUnlikelyBranchWeights());
  setBlock(panicBB);
  b.CreateCall(getRuntimeFunc(mod, panicFn), args);
  b.CreateUnreachable();
  setBlock(okBB);
}

Value* Lowerer::lowerDivide(Tok op, Value* x, Value* y, const types::Type* t, Expr* yExpr) {
  bool quo = op == Tok::Quo;
  bool constDivisor = isConstExpr(yExpr);
  if (!constDivisor) {
    Value* isZero = b.CreateICmpEQ(y, ConstantInt::get(y->getType(), 0), "div.byzero");
    emitPanicIf(isZero, RtFunc::panicdivide, {}, "div.byzero");
  }
  if (!isSignedIntType(t))
    return quo ? b.CreateUDiv(x, y, "quo") : b.CreateURem(x, y, "rem");
  bool mayBeMinus1 = !constDivisor || yExpr->value->int64Val() == -1;
  if (!mayBeMinus1) return quo ? b.CreateSDiv(x, y, "quo") : b.CreateSRem(x, y, "rem");
  // MinInt / -1 traps in idiv: divide by 1 instead and fix the sign (x % -1 == x % 1 == 0).
  Type* ty = y->getType();
  Value* isMinus1 = b.CreateICmpEQ(y, ConstantInt::getSigned(ty, -1), "div.byminus1");
  Value* safeY = b.CreateSelect(isMinus1, ConstantInt::get(ty, 1), y, "div.divisor");
  if (!quo) return b.CreateSRem(x, safeY, "rem");
  Value* q = b.CreateSDiv(x, safeY, "quo.raw");
  return b.CreateSelect(isMinus1, b.CreateNeg(x, "quo.neg"), q, "quo");
}

Value* Lowerer::lowerShift(Tok op, Value* x, Value* y, Expr* yExpr, const types::Type* t) {
  auto* xty = cast<IntegerType>(x->getType());
  unsigned width = xty->getBitWidth();
  bool arith = op == Tok::Shr && isSignedIntType(t);
  if (isConstExpr(yExpr)) {
    uint64_t count = yExpr->value->uint64Val();
    if (count >= width)
      return arith ? b.CreateAShr(x, width - 1, "shr") : Constant::getNullValue(xty);
    if (op == Tok::Shl) return b.CreateShl(x, count, "shl");
    return arith ? b.CreateAShr(x, count, "shr") : b.CreateLShr(x, count, "shr");
  }
  if (isSignedIntType(yExpr->type)) {
    Value* negative = b.CreateICmpSLT(y, ConstantInt::get(y->getType(), 0), "shift.negative");
    emitPanicIf(negative, RtFunc::panicshift, {}, "shift.negative");
  }
  Value* tooBig = b.CreateICmpUGE(y, ConstantInt::get(y->getType(), width), "shift.toobig");
  Value* count = b.CreateZExtOrTrunc(y, xty, "shift.count");
  if (arith) {
    count = b.CreateSelect(tooBig, ConstantInt::get(xty, width - 1), count, "shift.count");
    return b.CreateAShr(x, count, "shr");
  }
  Value* shifted = op == Tok::Shl ? b.CreateShl(x, count, "shl.raw") : b.CreateLShr(x, count, "shr.raw");
  return b.CreateSelect(tooBig, Constant::getNullValue(xty), shifted, op == Tok::Shl ? "shl" : "shr");
}

Value* Lowerer::lowerCompare(Tok op, Value* x, Value* y, const types::Type* t, Pos pos) {
  if (isStringType(t)) {
    if (op == Tok::Eql) return lowerStringEqual(x, y);
    if (op == Tok::Neq) return b.CreateNot(lowerStringEqual(x, y), "ne");
    Value* cmp = b.CreateCall(getRuntimeFunc(mod, RtFunc::cmpstring),
                              {b.CreateExtractValue(x, 0, "x.ptr"), b.CreateExtractValue(x, 1, "x.len"),
                               b.CreateExtractValue(y, 0, "y.ptr"), b.CreateExtractValue(y, 1, "y.len")},
                              "strcmp");
    x = cmp;
    y = ConstantInt::get(i64, 0);
    t = nullptr;  // compare the -1/0/+1 result as a signed integer
  } else if (isFloatType(t)) {
    switch (op) {
      case Tok::Eql: return b.CreateFCmpOEQ(x, y, "eq");
      case Tok::Neq: return b.CreateFCmpUNE(x, y, "ne");
      case Tok::Lss: return b.CreateFCmpOLT(x, y, "lt");
      case Tok::Leq: return b.CreateFCmpOLE(x, y, "le");
      case Tok::Gtr: return b.CreateFCmpOGT(x, y, "gt");
      case Tok::Geq: return b.CreateFCmpOGE(x, y, "ge");
      default: break;
    }
  } else if (t && (t->underlying()->as<types::Pointer>() || t->underlying()->as<types::Slice>() ||
                   t->underlying()->as<types::Signature>() || t->underlying()->as<types::Chan>() || t->underlying()->as<types::Map>() ||
                   (basicOf(t) && basicOf(t)->bkind == types::BasicKind::UntypedNil))) {
    Value* eq = lowerPointerEqual(x, y, t);
    if (op == Tok::Eql || op == Tok::Neq) return op == Tok::Eql ? eq : b.CreateNot(eq, "ne");
  } else if (ifaceOf(t)) {
    Value* eq = lowerIfaceEqual(x, y, t);
    if (op == Tok::Eql || op == Tok::Neq) return op == Tok::Eql ? eq : b.CreateNot(eq, "ne");
  } else if (t && (t->underlying()->as<types::Struct>() || t->underlying()->as<types::Array>())) {
    Value* eq = lowerAggregateEqual(x, y, t, pos);
    if (op == Tok::Eql || op == Tok::Neq) return op == Tok::Eql ? eq : b.CreateNot(eq, "ne");
  } else if (!isIntType(t) && !isBoolType(t)) {
    unsupported(pos, "comparison of type " + (t ? types::typeString(t) : std::string("?")));
    return PoisonValue::get(i1);
  }
  bool sign = !t || isSignedIntType(t);
  switch (op) {
    case Tok::Eql: return b.CreateICmpEQ(x, y, "eq");
    case Tok::Neq: return b.CreateICmpNE(x, y, "ne");
    case Tok::Lss: return sign ? b.CreateICmpSLT(x, y, "lt") : b.CreateICmpULT(x, y, "lt");
    case Tok::Leq: return sign ? b.CreateICmpSLE(x, y, "le") : b.CreateICmpULE(x, y, "le");
    case Tok::Gtr: return sign ? b.CreateICmpSGT(x, y, "gt") : b.CreateICmpUGT(x, y, "gt");
    case Tok::Geq: return sign ? b.CreateICmpSGE(x, y, "ge") : b.CreateICmpUGE(x, y, "ge");
    default: break;
  }
  unsupported(pos, "operator " + std::string(tokString(op)));
  return PoisonValue::get(i1);
}

// x == y for strings: equal lengths, then memcmp of the bytes.
Value* Lowerer::lowerStringEqual(Value* x, Value* y) {
  Value* xlen = b.CreateExtractValue(x, 1, "x.len");
  Value* ylen = b.CreateExtractValue(y, 1, "y.len");
  Value* lenEq = b.CreateICmpEQ(xlen, ylen, "streq.len");
  BasicBlock* lenBB = b.GetInsertBlock();
  BasicBlock* bytesBB = newBlock("streq.bytes");
  BasicBlock* doneBB = newBlock("streq.done");
  b.CreateCondBr(lenEq, bytesBB, doneBB);
  setBlock(bytesBB);
  Value* cmp = b.CreateCall(getRuntimeFunc(mod, RtFunc::memcmp),
                            {b.CreateExtractValue(x, 0, "x.ptr"), b.CreateExtractValue(y, 0, "y.ptr"), xlen},
                            "memcmp");
  Value* bytesEq = b.CreateICmpEQ(cmp, ConstantInt::get(i32, 0), "streq.bytes");
  b.CreateBr(doneBB);
  setBlock(doneBB);
  PHINode* eq = b.CreatePHI(i1, 2, "streq");
  eq->addIncoming(ConstantInt::getFalse(ctx), lenBB);
  eq->addIncoming(bytesEq, bytesBB);
  return eq;
}

Value* Lowerer::lowerConcat(const std::vector<Value*>& parts) {
  auto* arrTy = llvm::ArrayType::get(stringTy, parts.size());
  Value* arr = createEntryAlloca(arrTy, "concat.parts");
  for (size_t i = 0; i < parts.size(); i++)
    b.CreateStore(parts[i], b.CreateConstInBoundsGEP2_32(arrTy, arr, 0, unsigned(i), "concat.part"));
  return b.CreateCall(getRuntimeFunc(mod, RtFunc::concatstrings),
                      {arr, ConstantInt::get(i64, parts.size())}, "concat");
}

// a && b, a || b: evaluate b only when it decides the result.
Value* Lowerer::lowerLogical(BinaryExpr* e) {
  bool isAnd = e->op == Tok::LAnd;
  Value* x = lowerExpr(e->x);
  BasicBlock* lhsBB = b.GetInsertBlock();
  BasicBlock* rhsBB = newBlock(isAnd ? "and.rhs" : "or.rhs");
  BasicBlock* doneBB = newBlock(isAnd ? "and.done" : "or.done");
  if (isAnd) b.CreateCondBr(x, rhsBB, doneBB);
  else b.CreateCondBr(x, doneBB, rhsBB);
  setBlock(rhsBB);
  Value* y = lowerExpr(e->y);
  BasicBlock* yBB = b.GetInsertBlock();
  b.CreateBr(doneBB);
  setBlock(doneBB);
  PHINode* phi = b.CreatePHI(i1, 2, isAnd ? "and" : "or");
  phi->addIncoming(ConstantInt::get(i1, isAnd ? 0 : 1), lhsBB);
  phi->addIncoming(y, yBB);
  return phi;
}

Value* Lowerer::lowerUnary(UnaryExpr* e) {
  switch (e->op) {
    case Tok::Add: return lowerExpr(e->x);
    case Tok::Sub: {
      Value* x = lowerExpr(e->x);
      return isFloatType(e->type) ? b.CreateFNeg(x, "neg") : b.CreateNeg(x, "neg");
    }
    case Tok::Xor: return b.CreateNot(lowerExpr(e->x), "compl");
    case Tok::Not: return b.CreateNot(lowerExpr(e->x), "not");
    case Tok::And: return lowerAddressOf(e);
    case Tok::Arrow: return lowerRecv(e, nullptr);
    default: unsupported(e->pos, "operator " + std::string(tokString(e->op))); break;
  }
  return poison(e->type);
}

// ---- conversions ----

Value* Lowerer::toInt64(Value* v, const types::Type* t, const Twine& name) {
  return isSignedIntType(t) ? b.CreateSExtOrTrunc(v, i64, name) : b.CreateZExtOrTrunc(v, i64, name);
}

Value* Lowerer::convertValue(Value* v, const types::Type* from, const types::Type* to) {
  if (!from || !to) return v;
  Type* tty = llvmType(to);
  if (basicOf(from) && basicOf(from)->bkind == types::BasicKind::UntypedNil) return Constant::getNullValue(tty);
  if (ifaceOf(to) && !types::identical(from, to)) return toIface(v, from, to);
  if (isIntType(from) && isIntType(to)) {
    if (v->getType() == tty) return v;
    if (v->getType()->getIntegerBitWidth() > tty->getIntegerBitWidth()) return b.CreateTrunc(v, tty, "conv");
    return isSignedIntType(from) ? b.CreateSExt(v, tty, "conv") : b.CreateZExt(v, tty, "conv");
  }
  if (isIntType(from) && isFloatType(to))
    return isSignedIntType(from) ? b.CreateSIToFP(v, tty, "conv") : b.CreateUIToFP(v, tty, "conv");
  if (isFloatType(from) && isIntType(to)) {
    // Out-of-range conversions are implementation-defined in Go but poison in LLVM: freeze.
    Value* c = isSignedIntType(to) ? b.CreateFPToSI(v, tty, "conv.raw") : b.CreateFPToUI(v, tty, "conv.raw");
    return b.CreateFreeze(c, "conv");
  }
  if (isFloatType(from) && isFloatType(to)) {
    if (v->getType() == tty) return v;
    return tty->isDoubleTy() ? b.CreateFPExt(v, tty, "conv") : b.CreateFPTrunc(v, tty, "conv");
  }
  if (isIntType(from) && isStringType(to))
    return b.CreateCall(getRuntimeFunc(mod, RtFunc::intstring), {toInt64(v, from, "rune")}, "runestr");
  if (Value* conv = convertStringSlice(v, from, to)) return conv;
  return v;
}

// ---- calls ----

// x.m(args): the method's function with the receiver first.
Value* Lowerer::lowerMethodCall(CallExpr* call, SelectorExpr* sel) {
  auto* m = sel->selection.obj ? sel->selection.obj->as<types::Func>() : nullptr;
  if (m && (sel->selection.ifaceMethod || ifaceOf(sel->x->type))) return lowerIfaceCall(call, sel);
  if (!m || !m->sig()) {
    unsupported(call->pos, "this method call");
    return poison(call->type);
  }
  Value* recv = methodReceiver(sel);
  std::vector<Value*> args = {recv};
  for (Value* a : lowerCallArgs(call, m->sig())) args.push_back(a);
  noteImportedCallee(m);
  Function* fn = declareFunc(m);
  CallInst* ci = b.CreateCall(fn, args);
  if (fn->getReturnType()->isVoidTy()) return nullptr;
  ci->setName(m->name);
  return ci;
}

types::Func* Lowerer::staticCallee(Expr* fun) {
  fun = unparen(fun);
  types::Func* f = nullptr;
  if (auto* id = fun->as<Ident>()) {
    f = id->obj ? id->obj->as<types::Func>() : nullptr;
  } else if (auto* sel = fun->as<SelectorExpr>()) {
    auto* pkgId = unparen(sel->x)->as<Ident>();
    if (pkgId && pkgId->obj && pkgId->obj->as<types::PkgName>())
      f = sel->sel->obj ? sel->sel->obj->as<types::Func>() : nullptr;
  }
  if (f && (!f->sig() || f->sig()->recv || f->lit || f->isIfaceMethod)) return nullptr;
  return f;
}

std::vector<Value*> Lowerer::lowerMultiValue(Expr* e, size_t n) {
  Value* agg = lowerExpr(e);
  std::vector<Value*> vals;
  for (size_t i = 0; i < n; i++) {
    if (agg->getType()->isStructTy() && i < agg->getType()->getStructNumElements())
      vals.push_back(b.CreateExtractValue(agg, {unsigned(i)}, agg->getName() + "." + Twine(i)));
    else
      vals.push_back(PoisonValue::get(i64));
  }
  return vals;
}

std::vector<Value*> Lowerer::lowerCallArgs(CallExpr* call, const types::Signature* sig) {
  std::vector<types::Var*> params;
  if (sig->params) params = sig->params->vars;
  // Every argument value in order; f(g()) spreads g's results.
  std::vector<std::pair<Value*, const types::Type*>> vals;
  const types::Tuple* tuple = call->args.size() == 1 && call->args[0]->type
                                  ? call->args[0]->type->as<types::Tuple>() : nullptr;
  if (tuple) {
    std::vector<Value*> vs = lowerMultiValue(call->args[0], tuple->vars.size());
    for (size_t i = 0; i < vs.size(); i++) vals.push_back({vs[i], tuple->vars[i]->type});
  } else {
    for (Expr* a : call->args) vals.push_back({lowerExpr(a), a->type});
  }
  size_t fixed = sig->variadic && !call->hasEllipsis ? params.size() - 1 : params.size();
  std::vector<Value*> args;
  for (size_t i = 0; i < fixed && i < vals.size(); i++)
    args.push_back(convertValue(vals[i].first, vals[i].second, params[i]->type));
  if (fixed < params.size()) {  // f(a, b, c) with f(x int, rest ...int): rest = []int{b, c}
    std::vector<std::pair<Value*, const types::Type*>> rest;
    if (vals.size() > fixed) rest.assign(vals.begin() + fixed, vals.end());
    args.push_back(packVariadic(rest, params.back()->type));
  }
  while (args.size() < params.size()) args.push_back(poison(params[args.size()]->type));
  return args;
}

Value* Lowerer::lowerCall(CallExpr* call) {
  setDebugPos(call->pos);
  Expr* fun = unparen(call->fun);
  if (fun->mode == ExprMode::TypeExpr) {  // a conversion T(x)
    if (call->args.size() != 1 || !checkLowerable(call->type, call->pos)) return poison(call->type);
    Expr* arg = call->args[0];
    if (!isLowerable(arg->type)) return poison(call->type);
    return convertValue(lowerExpr(arg), arg->type, call->type);
  }
  if (auto* id = fun->as<Ident>()) {
    if (auto* bi = id->obj ? id->obj->as<types::Builtin>() : nullptr) return lowerBuiltinCall(call, bi->id);
  }
  if (auto* sel = fun->as<SelectorExpr>(); sel && sel->selection.kind == SelectionKind::MethodVal)
    return lowerMethodCall(call, sel);
  types::Func* callee = staticCallee(fun);
  if (!callee) {  // a function value: a closure
    auto* sig = fun->type ? fun->type->underlying()->as<types::Signature>() : nullptr;
    if (!sig) {
      unsupported(call->pos, "this call");
      return poison(call->type);
    }
    Value* fv = lowerExpr(fun);
    std::vector<Value*> args = lowerCallArgs(call, sig);
    Value* v = callFuncValue(fv, sig, args, "call");
    return v->getType()->isVoidTy() ? nullptr : v;
  }
  const types::Signature* sig = callee->sig();
  for (const types::Tuple* tuple : {sig->params, sig->results}) {
    if (!tuple) continue;
    for (types::Var* v : tuple->vars)
      if (!checkLowerable(v->type, call->pos)) return poison(call->type);
  }
  std::vector<Value*> args = lowerCallArgs(call, sig);
  if (Value* v; lowerAtomicCall(callee, args, v)) return v;
  noteImportedCallee(callee);
  Function* fn = declareFunc(callee);
  CallInst* ci = b.CreateCall(fn, args);
  if (fn->getReturnType()->isVoidTy()) return nullptr;
  ci->setName(callee->name);
  return ci;
}

// ---- builtins ----

Value* Lowerer::lowerBuiltinCall(CallExpr* call, types::BuiltinId id) {
  switch (id) {
    case types::BuiltinId::Print:
    case types::BuiltinId::Println:
      lowerPrint(call, id == types::BuiltinId::Println);
      return nullptr;
    case types::BuiltinId::Len:
    case types::BuiltinId::Cap: {
      if (call->args.size() != 1) break;
      bool isLen = id == types::BuiltinId::Len;
      Expr* arg = call->args[0];
      const types::Type* at = arg->type ? arg->type->underlying() : nullptr;
      if (auto* p = at ? at->as<types::Pointer>() : nullptr) at = p->elem->underlying();
      if (isLen && isStringType(at)) return b.CreateExtractValue(lowerExpr(arg), 1, "len");
      if (at && at->as<types::Slice>()) return b.CreateExtractValue(lowerExpr(arg), isLen ? 1 : 2, isLen ? "len" : "cap");
      if (isLen && at && at->as<types::Map>()) return callRuntime(RtFunc::maplen, {lowerExpr(arg)}, "len");
      if (at && at->as<types::Chan>())
        return b.CreateCall(getRuntimeFunc(mod, isLen ? RtFunc::chanlen : RtFunc::chancap), {lowerExpr(arg)},
                            isLen ? "len" : "cap");
      if (auto* arr = at ? at->as<types::Array>() : nullptr) {
        lowerExpr(arg);  // not constant: it has calls, which run
        return ConstantInt::get(i64, arr->len);
      }
      break;
    }
    case types::BuiltinId::Panic:
      // Only a plain string: Go prints other values with their type, as in main.T("x").
      if (call->args.size() == 1 && isStringType(call->args[0]->type) &&
          call->args[0]->type->kind == types::TypeKind::Basic) {
        Value* msg = lowerExpr(call->args[0]);
        b.CreateCall(getRuntimeFunc(mod, RtFunc::panicstring),
                     {b.CreateExtractValue(msg, 0, "msg.ptr"), b.CreateExtractValue(msg, 1, "msg.len")});
        b.CreateUnreachable();
        startDeadBlock();
        return nullptr;
      }
      if (call->args.size() == 1) lowerPanicValue(call->args[0]);
      return nullptr;
    case types::BuiltinId::New: return lowerNew(call);
    case types::BuiltinId::Make:
      if (call->type && call->type->underlying()->as<types::Chan>()) return lowerMakeChan(call);
      if (call->type && call->type->underlying()->as<types::Map>()) return lowerMakeMap(call);
      return lowerMake(call);
    case types::BuiltinId::Delete:
      lowerDelete(call);
      return nullptr;
    case types::BuiltinId::Close:
      b.CreateCall(getRuntimeFunc(mod, RtFunc::closechan), {lowerExpr(call->args[0])});
      return nullptr;
    case types::BuiltinId::Append: return lowerAppend(call);
    case types::BuiltinId::Copy: return lowerCopy(call);
    case types::BuiltinId::Clear:
      if (call->args[0]->type && call->args[0]->type->underlying()->as<types::Map>()) {
        callRuntime(RtFunc::mapclear, {typeDesc(call->args[0]->type), lowerExpr(call->args[0])}, "");
        return nullptr;
      }
      lowerClear(call);
      return nullptr;
    case types::BuiltinId::Recover: {
      // The runtime decides whether this call stops a panic: only when made directly by a
      // deferred call while panicking. The caller's frame address lets it check that.
      // The caller must keep its own frame: never inlined into the deferred call's wrapper
      // or into a function that calls it.
      b.GetInsertBlock()->getParent()->addFnAttr(Attribute::NoInline);
      Function* frameaddr = Intrinsic::getDeclaration(&mod, Intrinsic::frameaddress, {ptr});
      Value* frame = b.CreateCall(frameaddr, {ConstantInt::get(i32, 0)}, "frame");
      return b.CreateCall(getRuntimeFunc(mod, RtFunc::gorecover), {frame}, "recovered");
    }
    case types::BuiltinId::Min:
    case types::BuiltinId::Max:
      if (isIntType(call->type) || isFloatType(call->type) || isStringType(call->type))
        return lowerMinMax(call, id == types::BuiltinId::Min);
      break;
    default: break;
  }
  std::string name = "builtin";
  if (auto* f = unparen(call->fun)->as<Ident>()) name = f->name;
  unsupported(call->pos, "this use of the builtin " + name);
  return call->mode == ExprMode::NoValue ? nullptr : poison(call->type);
}

// print(a, b) / println(a, b), as Go's compiler lowers them:
//   gol_printlock(); gol_printint(a); [gol_printsp();] gol_printstring(b); [gol_printnl();] gol_printunlock()
void Lowerer::lowerPrint(CallExpr* call, bool newline) {
  std::vector<std::pair<Value*, const types::Type*>> args;  // all evaluated before the lock
  const types::Tuple* tuple = call->args.size() == 1 && call->args[0]->type
                                  ? call->args[0]->type->as<types::Tuple>() : nullptr;
  if (tuple) {  // println(f()) prints each of f's results
    std::vector<Value*> vals = lowerMultiValue(call->args[0], tuple->vars.size());
    for (size_t i = 0; i < vals.size(); i++) args.push_back({vals[i], tuple->vars[i]->type});
  } else {
    for (Expr* a : call->args) args.push_back({lowerExpr(a), a->type});
  }
  printValues(args, newline, call->pos);
}

void Lowerer::printValues(const std::vector<std::pair<Value*, const types::Type*>>& args, bool newline, Pos pos) {
  b.CreateCall(getRuntimeFunc(mod, RtFunc::printlock));
  for (size_t i = 0; i < args.size(); i++) {
    auto [v, t] = args[i];
    if (newline && i > 0) b.CreateCall(getRuntimeFunc(mod, RtFunc::printsp));
    if (isBoolType(t)) {
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printbool), {v});
    } else if (isIntType(t)) {
      RtFunc f = isSignedIntType(t) ? RtFunc::printint : RtFunc::printuint;
      b.CreateCall(getRuntimeFunc(mod, f), {toInt64(v, t, "print.i64")});
    } else if (isFloatType(t)) {
      if (v->getType()->isFloatTy()) v = b.CreateFPExt(v, Type::getDoubleTy(ctx), "print.f64");
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printfloat), {v});
    } else if (isStringType(t)) {
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printstring),
                   {b.CreateExtractValue(v, 0, "print.ptr"), b.CreateExtractValue(v, 1, "print.len")});
    } else if (t && (t->underlying()->as<types::Pointer>() ||
                     (basicOf(t) && basicOf(t)->bkind == types::BasicKind::UntypedNil))) {
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printpointer), {v});
    } else if (ifaceOf(t)) {  // Go's printeface/printiface: (tab,data)
      auto str = [&](const char* s) {
        b.CreateCall(getRuntimeFunc(mod, RtFunc::printstring),
                     {b.CreateExtractValue(lowerStringConst(s), 0), ConstantInt::get(i64, 1)});
      };
      str("(");
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printpointer), {b.CreateExtractValue(v, 0, "print.tab")});
      str(",");
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printpointer), {b.CreateExtractValue(v, 1, "print.data")});
      str(")");
    } else if (t && t->underlying()->as<types::Slice>()) {  // Go's printslice: [len/cap]0xptr
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printstring),
                   {b.CreateExtractValue(lowerStringConst("["), 0), ConstantInt::get(i64, 1)});
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printint), {b.CreateExtractValue(v, 1, "print.len")});
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printstring),
                   {b.CreateExtractValue(lowerStringConst("/"), 0), ConstantInt::get(i64, 1)});
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printint), {b.CreateExtractValue(v, 2, "print.cap")});
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printstring),
                   {b.CreateExtractValue(lowerStringConst("]"), 0), ConstantInt::get(i64, 1)});
      b.CreateCall(getRuntimeFunc(mod, RtFunc::printpointer), {b.CreateExtractValue(v, 0, "print.ptr")});
    } else {
      unsupported(pos, "printing a value of type " + (t ? types::typeString(t) : "?"));
    }
  }
  if (newline) b.CreateCall(getRuntimeFunc(mod, RtFunc::printnl));
  b.CreateCall(getRuntimeFunc(mod, RtFunc::printunlock));
}

// min(x, y, ...) / max: integers and strings with select; floats with llvm.minimum/maximum,
// which propagate NaN and order -0 below +0 exactly as Go's min and max do.
Value* Lowerer::lowerMinMax(CallExpr* call, bool isMin) {
  const types::Type* t = call->type;
  Value* acc = nullptr;
  for (Expr* a : call->args) {
    Value* v = convertValue(lowerExpr(a), a->type, t);
    if (!acc) {
      acc = v;
    } else if (isFloatType(t)) {
      acc = b.CreateBinaryIntrinsic(isMin ? Intrinsic::minimum : Intrinsic::maximum, acc, v, nullptr,
                                    isMin ? "min" : "max");
    } else if (isStringType(t)) {
      Value* less = lowerCompare(Tok::Lss, v, acc, t, call->pos);
      Value* pick = isMin ? less : lowerCompare(Tok::Gtr, v, acc, t, call->pos);
      acc = b.CreateSelect(pick, v, acc, isMin ? "min" : "max");
    } else {
      bool sign = isSignedIntType(t);
      Value* less = sign ? b.CreateICmpSLT(v, acc) : b.CreateICmpULT(v, acc);
      Value* pick = isMin ? less : b.CreateNot(less);
      // max keeps the first of equal values, which is indistinguishable for integers.
      acc = b.CreateSelect(pick, v, acc, isMin ? "min" : "max");
    }
  }
  return acc;
}

// ---- strings ----

// s[i]: bounds-checked byte load.
Value* Lowerer::lowerStringIndex(IndexExpr* e) {
  if (!isStringType(e->x->type) || e->indices.size() != 1) {
    unsupported(e->pos, "indexing of type " + (e->x->type ? types::typeString(e->x->type) : "?"));
    return poison(e->type);
  }
  Value* s = lowerExpr(e->x);
  Value* idx = toInt64(lowerExpr(e->indices[0]), e->indices[0]->type);
  Value* len = b.CreateExtractValue(s, 1, "len");
  Value* outside = b.CreateICmpUGE(idx, len, "index.outside");
  emitPanicIf(outside, RtFunc::panicIndex, {idx, len}, "index");
  Value* p = b.CreateInBoundsGEP(i8, b.CreateExtractValue(s, 0, "str"), idx, "elem.addr");
  return b.CreateLoad(i8, p, "elem");
}

// s[lo:hi]: 0 <= lo <= hi <= len(s), sharing the bytes.
Value* Lowerer::lowerStringSlice(SliceExpr* e) {
  if (!isStringType(e->x->type) || e->slice3) {
    unsupported(e->pos, "slicing of type " + (e->x->type ? types::typeString(e->x->type) : "?"));
    return poison(e->type);
  }
  Value* s = lowerExpr(e->x);
  Value* lo = e->low ? toInt64(lowerExpr(e->low), e->low->type) : ConstantInt::get(i64, 0);
  Value* hi = e->high ? toInt64(lowerExpr(e->high), e->high->type) : nullptr;
  Value* len = b.CreateExtractValue(s, 1, "len");
  if (hi) emitPanicIf(b.CreateICmpUGT(hi, len, "slice.hi.outside"), RtFunc::panicSliceAlen, {hi, len}, "slice.hi");
  else hi = len;
  if (e->low) emitPanicIf(b.CreateICmpUGT(lo, hi, "slice.lo.outside"), RtFunc::panicSliceB, {lo, hi}, "slice.lo");
  Value* p = b.CreateInBoundsGEP(i8, b.CreateExtractValue(s, 0, "str"), lo, "slice.ptr");
  Value* res = b.CreateInsertValue(PoisonValue::get(stringTy), p, {0});
  return b.CreateInsertValue(res, b.CreateSub(hi, lo, "slice.len"), {1}, "slice");
}

}  // namespace gol
