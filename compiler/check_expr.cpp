// check_expr.cpp: expressions (go/types' expr.go, call.go, conversions.go, operand.go,
// assignments.go' assignment()): operands, constant folding with exact arithmetic, untyped
// conversion by context, operators, calls, conversions and assignability.
//
// Every expression is checked by rawExpr into an Operand, which record() writes into the AST
// (mode, type, value). Untyped results stay in untyped_ until convertUntyped gives them a type;
// updateExprType then retypes the untyped operands below them (the spec's "the constant is
// converted to the type of the other operand", applied to whole untyped subtrees), and for the
// untyped left operand of a non-constant shift checks that its final type is an integer.
#include "check_internal.h"

namespace gol {
namespace types {

// ---------------------------------------------------------------------------------------------
// Entry points

ExprKind Checker::rawExpr(Operand& x, Expr* e, const Type* hint) {
  if (!e) {
    x = Operand();
    x.type = tc_.invalid();
    return ExprKind::Expression;
  }
  ExprKind k = exprInternal(x, e, hint);
  x.expr = e;
  record(x);
  return k;
}

void Checker::record(Operand& x) {
  Expr* e = x.expr;
  if (x.mode != ExprMode::Constant) x.val = nullptr;
  if (!e) return;
  e->mode = x.mode;
  e->type = x.type;
  e->value = x.mode == ExprMode::Constant ? x.val : nullptr;
  if (x.mode != ExprMode::Invalid && x.type && isUntyped(x.type)) {
    untyped_[e] = UntypedInfo{false, x.mode, x.type, x.mode == ExprMode::Constant ? x.val : nullptr};
  } else {
    untyped_.erase(e);
  }
}

static void invalidate(Operand& x) { x.mode = ExprMode::Invalid; }

// Rejects operands that are not values: f() without results, builtins, types.
static const char* excludeMsg(ExprMode m, bool typeOk) {
  switch (m) {
    case ExprMode::NoValue: return typeOk ? " used as value or type" : " used as value";
    case ExprMode::Builtin: return " must be called";
    case ExprMode::TypeExpr: return typeOk ? nullptr : " is not an expression";
    default: return nullptr;
  }
}

void Checker::singleValue(Operand& x) {
  if (x.mode == ExprMode::Value && x.type && x.type->as<Tuple>()) {
    error(x.expr ? x.expr->pos : Pos{}, "multiple-value " + operandString(x) + " in single-value context");
    invalidate(x);
  }
}

void Checker::expr(Operand& x, Expr* e) { exprWithHint(x, e, nullptr); }

void Checker::exprWithHint(Operand& x, Expr* e, const Type* hint) {
  rawExpr(x, e, hint);
  if (const char* msg = excludeMsg(x.mode, false)) {
    error(e->pos, operandString(x) + msg);
    invalidate(x);
  }
  singleValue(x);
}

void Checker::exprOrType(Operand& x, Expr* e) {
  rawExpr(x, e, nullptr);
  if (x.mode == ExprMode::NoValue) {
    error(e->pos, operandString(x) + " used as value or type");
    invalidate(x);
  }
  singleValue(x);
}

void Checker::multiExpr(std::vector<Operand>& list, Expr* e, bool allowCommaOk, bool& commaOk) {
  commaOk = false;
  Operand x;
  rawExpr(x, e, nullptr);
  if (const char* msg = excludeMsg(x.mode, false)) {
    error(e->pos, operandString(x) + msg);
    invalidate(x);
  }
  if (x.mode == ExprMode::Value && x.type && x.type->as<Tuple>()) {
    for (Var* v : x.type->as<Tuple>()->vars) {
      Operand o;
      o.mode = ExprMode::Value;
      o.expr = e;
      o.type = v->type;
      list.push_back(o);
    }
    return;
  }
  if (allowCommaOk && (x.mode == ExprMode::MapIndex || x.mode == ExprMode::CommaOk)) {
    list.push_back(x);
    Operand ok;
    ok.mode = ExprMode::Value;
    ok.expr = e;
    ok.type = tc_.basic(BasicKind::UntypedBool);
    list.push_back(ok);
    commaOk = true;
    return;
  }
  list.push_back(x);
}

void Checker::exprList(std::vector<Operand>& list, const std::vector<Expr*>& es) {
  if (es.size() == 1) {
    bool commaOk;
    multiExpr(list, es[0], false, commaOk);
    return;
  }
  for (Expr* e : es) {
    Operand x;
    expr(x, e);
    list.push_back(x);
  }
}

void Checker::useExprs(const std::vector<Expr*>& es) {
  for (Expr* e : es) {
    if (!e) continue;
    Operand x;
    rawExpr(x, e, nullptr);
  }
}

void Checker::useLHS(const std::vector<Expr*>& es) {
  for (Expr* e : es) {
    Expr* u = unparen(e);
    if (!u) continue;
    if (auto id = u->as<Ident>()) {
      if (id->name == "_") continue;
      Object* obj = scope_ ? scope_->lookupParent(id->name) : nullptr;
      if (auto v = obj ? obj->as<Var>() : nullptr) {
        bool used = v->used;
        Operand x;
        rawExpr(x, e, nullptr);
        v->used = used;
        continue;
      }
    }
    Operand x;
    rawExpr(x, e, nullptr);
  }
}

// ---------------------------------------------------------------------------------------------
// The expression switch

ExprKind Checker::exprInternal(Operand& x, Expr* e, const Type* hint) {
  x = Operand();
  x.type = tc_.invalid();
  x.expr = e;
  switch (e->kind) {
    case NodeKind::BadExpr: break;
    case NodeKind::Ident: ident(x, e->as<Ident>(), false); break;
    case NodeKind::BasicLit: basicLit(x, e->as<BasicLit>()); break;
    case NodeKind::FuncLit: funcLit(x, e->as<FuncLit>()); break;
    case NodeKind::CompositeLit: compositeLit(x, e->as<CompositeLit>(), hint); break;
    case NodeKind::ParenExpr: {
      ExprKind k = rawExpr(x, e->as<ParenExpr>()->x, nullptr);
      x.expr = e;
      return k;
    }
    case NodeKind::SelectorExpr: selector(x, e->as<SelectorExpr>()); break;
    case NodeKind::IndexExpr: indexExpr(x, e->as<IndexExpr>()); break;
    case NodeKind::SliceExpr: sliceExpr(x, e->as<SliceExpr>()); break;
    case NodeKind::TypeAssertExpr: typeAssert(x, e->as<TypeAssertExpr>()); break;
    case NodeKind::CallExpr: return callExpr(x, e->as<CallExpr>());
    case NodeKind::StarExpr: {
      auto s = e->as<StarExpr>();
      exprOrType(x, s->x);
      if (x.mode == ExprMode::Invalid) break;
      if (x.mode == ExprMode::TypeExpr) {
        x.type = tc_.pointerTo(x.type);
        break;
      }
      auto p = x.type ? x.type->underlying()->as<Pointer>() : nullptr;
      if (!p) {
        error(e->pos, "invalid operation: cannot indirect " + operandString(x));
        invalidate(x);
        break;
      }
      x.mode = ExprMode::Variable;
      x.type = p->elem;
      break;
    }
    case NodeKind::UnaryExpr: {
      auto u = e->as<UnaryExpr>();
      unary(x, u);
      if (u->op == Tok::Arrow) return ExprKind::Statement;
      break;
    }
    case NodeKind::BinaryExpr: {
      auto b = e->as<BinaryExpr>();
      binary(x, e, b->x, b->y, b->op, b->opPos);
      break;
    }
    case NodeKind::KeyValueExpr: error(e->pos, "unexpected key:value expression"); break;
    case NodeKind::ArrayType:
    case NodeKind::StructType:
    case NodeKind::FuncType:
    case NodeKind::InterfaceType:
    case NodeKind::MapType:
    case NodeKind::ChanType: {
      const Type* t = typExpr(e);
      if (isValid(t)) {
        x.mode = ExprMode::TypeExpr;
        x.type = t;
      }
      break;
    }
    case NodeKind::EllipsisType: error(e->pos, "invalid use of ..."); break;
    default: error(e->pos, "unexpected expression"); break;
  }
  return ExprKind::Expression;
}

// ---------------------------------------------------------------------------------------------
// Identifiers, literals, selectors

void Checker::ident(Operand& x, Ident* id, bool) {
  x.mode = ExprMode::Invalid;
  x.type = tc_.invalid();
  if (id->name == "_") {
    error(id->pos, "cannot use _ as value");
    return;
  }
  Scope* s = scope_ ? scope_ : pkgScope_;
  Object* obj = s->lookupParent(id->name);
  if (!obj) {
    error(id->pos, "undefined: " + id->name);
    return;
  }
  id->obj = obj;
  bool pkgLevel = obj->parent == pkgScope_;
  if (pkgLevel && objMap_.count(obj)) {
    objDecl(obj);
    if (decl_ && obj->kind != ObjKind::TypeName) decl_->addDep(obj);
  }
  switch (obj->kind) {
    case ObjKind::PkgName:
      obj->as<PkgName>()->used = true;
      error(id->pos, "use of package " + obj->name + " without selector");
      return;
    case ObjKind::Const: {
      auto c = obj->as<Const>();
      if (c == tc_.iotaObj()) {
        if (!iota_) {
          error(id->pos, "cannot use iota outside constant declaration");
          return;
        }
        x.val = iota_;
      } else {
        if (!isValid(c->type) || !c->value) return;
        x.val = static_cast<const ConstVal*>(c->value);
      }
      x.mode = ExprMode::Constant;
      x.type = c->type;
      return;
    }
    case ObjKind::TypeName: {
      if (!obj->type || !isValid(obj->type)) return;
      if (isComplex(obj->type)) {
        unsupported(id->pos, "complex number type " + obj->name);
        return;
      }
      x.mode = ExprMode::TypeExpr;
      x.type = obj->type;
      return;
    }
    case ObjKind::Var: {
      auto v = obj->as<Var>();
      v->used = true;
      if (!closures_.empty() && !v->isGlobal && !v->isField) noteCapture(v);
      if (!v->type || !isValid(v->type)) return;
      x.mode = ExprMode::Variable;
      x.type = v->type;
      return;
    }
    case ObjKind::Func:
      if (!obj->type || !isValid(obj->type)) return;
      x.mode = ExprMode::Value;
      x.type = obj->type;
      return;
    case ObjKind::Builtin:
      x.mode = ExprMode::Builtin;
      x.builtin = obj->as<Builtin>()->id;
      x.type = nullptr;
      return;
    case ObjKind::Nil:
      x.mode = ExprMode::Value;
      x.type = tc_.basic(BasicKind::UntypedNil);
      return;
    default: return;
  }
}

void Checker::basicLit(Operand& x, BasicLit* e) {
  const Type* t = nullptr;
  switch (e->litKind) {
    case Tok::Int: t = tc_.basic(BasicKind::UntypedInt); break;
    case Tok::Float: t = tc_.basic(BasicKind::UntypedFloat); break;
    case Tok::Char: t = tc_.basic(BasicKind::UntypedRune); break;
    case Tok::String: t = tc_.basic(BasicKind::UntypedString); break;
    case Tok::Imag: unsupported(e->pos, "complex number"); return;
    default: error(e->pos, "invalid literal " + e->text); return;
  }
  if (e->text.size() > 10000) {
    error(e->pos, "excessively long constant: " + e->text.substr(0, 10) + "... (" + std::to_string(e->text.size()) + " chars)");
    return;
  }
  std::string err;
  ConstVal v = ConstVal::fromLiteral(e->litKind, e->text, err);
  if (v.kind() == ConstValue::Kind::Unknown) {
    error(e->pos, err.empty() ? "malformed constant: " + e->text : err);
    return;
  }
  x.mode = ExprMode::Constant;
  x.type = t;
  x.val = tc_.newConst(std::move(v));
}

// ---------------------------------------------------------------------------------------------
// Operators

static bool allNumeric(const Type* t) { return isNumeric(t); }
static bool allInteger(const Type* t) { return isInteger(t); }
static bool allBoolean(const Type* t) { return isBoolean(t); }
static bool allNumericOrString(const Type* t) { return isNumeric(t) || isString(t); }
static bool isComparisonOp(Tok op) {
  return op == Tok::Eql || op == Tok::Neq || op == Tok::Lss || op == Tok::Leq || op == Tok::Gtr || op == Tok::Geq;
}
static bool isShiftOp(Tok op) { return op == Tok::Shl || op == Tok::Shr; }

bool Checker::opDefined(Tok op, Operand& x, bool unaryOp) {
  bool ok;
  if (unaryOp) {
    switch (op) {
      case Tok::Add:
      case Tok::Sub: ok = allNumeric(x.type); break;
      case Tok::Xor: ok = allInteger(x.type); break;
      case Tok::Not: ok = allBoolean(x.type); break;
      default: error(x.expr->pos, "unknown operator " + std::string(tokString(op))); return false;
    }
  } else {
    switch (op) {
      case Tok::Add: ok = allNumericOrString(x.type); break;
      case Tok::Sub:
      case Tok::Mul:
      case Tok::Quo: ok = allNumeric(x.type); break;
      case Tok::Rem:
      case Tok::And:
      case Tok::Or:
      case Tok::Xor:
      case Tok::AndNot: ok = allInteger(x.type); break;
      case Tok::LAnd:
      case Tok::LOr: ok = allBoolean(x.type); break;
      default: error(x.expr->pos, "unknown operator " + std::string(tokString(op))); return false;
    }
  }
  if (!ok) {
    error(x.expr->pos, "invalid operation: operator " + std::string(tokString(op)) + " not defined on " + operandString(x));
    return false;
  }
  return true;
}

void Checker::unary(Operand& x, UnaryExpr* e) {
  Tok op = e->op;
  if (op == Tok::And) {
    Expr* inner = unparen(e->x);
    if (inner && inner->is<CompositeLit>()) {
      rawExpr(x, e->x, nullptr);
      if (x.mode == ExprMode::Invalid) return;
      x.mode = ExprMode::Value;
      x.type = tc_.pointerTo(x.type);
      return;
    }
    expr(x, e->x);
    if (x.mode == ExprMode::Invalid) return;
    if (x.mode != ExprMode::Variable) {
      error(e->pos, "invalid operation: cannot take address of " + operandString(x));
      invalidate(x);
      return;
    }
    x.mode = ExprMode::Value;
    x.type = tc_.pointerTo(x.type);
    return;
  }
  if (op == Tok::Arrow) {
    expr(x, e->x);
    if (x.mode == ExprMode::Invalid) return;
    auto c = x.type->underlying()->as<Chan>();
    if (!c) {
      error(x.expr->pos, "invalid operation: cannot receive from non-channel " + operandString(x));
      invalidate(x);
      return;
    }
    if (c->dir == ChanDir::Send) {
      error(x.expr->pos, "invalid operation: cannot receive from send-only channel " + operandString(x));
      invalidate(x);
      return;
    }
    x.mode = ExprMode::CommaOk;  // v, ok := <-c is the comma-ok form
    x.type = c->elem;
    hasCallOrRecv_ = true;
    return;
  }
  if (op == Tok::Tilde) {
    useExprs({e->x});
    error(e->pos, "cannot use ~ outside of interface or type constraint");
    invalidate(x);
    return;
  }
  expr(x, e->x);
  if (x.mode == ExprMode::Invalid) return;
  if (!opDefined(op, x, true)) {
    invalidate(x);
    return;
  }
  if (x.mode == ExprMode::Constant) {
    if (x.val->kind() == ConstValue::Kind::Unknown) return;
    unsigned prec = 0;
    if (isUnsigned(x.type)) prec = unsigned(basicSize(x.type->underlying()->as<Basic>()) * 8);
    x.val = tc_.newConst(ConstVal::unaryOp(op, *x.val, prec));
    x.expr = e;
    overflow(x, op);
    return;
  }
  x.mode = ExprMode::Value;
}

static const char* opName(const Expr* e) {
  if (auto u = e ? e->as<UnaryExpr>() : nullptr) return u->op == Tok::Xor ? "bitwise complement" : "";
  if (auto b = e ? e->as<BinaryExpr>() : nullptr) {
    switch (b->op) {
      case Tok::Add: return "addition";
      case Tok::Sub: return "subtraction";
      case Tok::Xor: return "bitwise XOR";
      case Tok::Mul: return "multiplication";
      case Tok::Shl: return "shift";
      default: return "";
    }
  }
  return "";
}

void Checker::overflow(Operand& x, Tok) {
  if (x.val->kind() == ConstValue::Kind::Unknown) {
    error(x.expr ? x.expr->pos : Pos{}, "constant result is not representable");
    invalidate(x);
    return;
  }
  if (isTyped(x.type)) {
    if (auto b = x.type->underlying()->as<Basic>()) representable(x, b);
    return;
  }
  if (x.val->kind() == ConstValue::Kind::Int && x.val->bitLen() > 512) {
    Pos p = x.expr ? x.expr->pos : Pos{};
    if (auto b = x.expr ? x.expr->as<BinaryExpr>() : nullptr) p = b->opPos.valid() ? b->opPos : p;
    std::string name = opName(x.expr);
    error(p, "constant " + (name.empty() ? std::string() : name + " ") + "overflow");
    x.val = tc_.newConst(ConstVal::makeUnknown());
    invalidate(x);
  }
}

void Checker::binary(Operand& x, Expr* e, Expr* lhs, Expr* rhs, Tok op, Pos opPos) {
  (void)opPos;
  Operand y;
  expr(x, lhs);
  expr(y, rhs);
  if (x.mode == ExprMode::Invalid) return;
  if (y.mode == ExprMode::Invalid) {
    invalidate(x);
    x.expr = y.expr;
    return;
  }
  if (isShiftOp(op)) {
    shift(x, y, e, op);
    return;
  }
  matchTypes(x, y);
  if (x.mode == ExprMode::Invalid) return;
  if (isComparisonOp(op)) {
    comparison(x, y, op, false);
    return;
  }
  if (!identical(x.type, y.type)) {
    if (isValid(x.type) && isValid(y.type)) {
      std::string what = e ? exprString(e)
                           : exprString(lhs) + " " + std::string(tokString(op)) + "= " + exprString(rhs);
      error(x.expr ? x.expr->pos : lhs->pos, "invalid operation: " + what + " (mismatched types " + typeStr(x.type) +
                                                 " and " + typeStr(y.type) + ")");
    }
    invalidate(x);
    return;
  }
  if (!opDefined(op, x, false)) {
    invalidate(x);
    return;
  }
  if (op == Tok::Quo || op == Tok::Rem) {
    if ((x.mode == ExprMode::Constant || isInteger(x.type)) && y.mode == ExprMode::Constant && y.val->sign() == 0 &&
        (y.val->kind() == ConstValue::Kind::Int || y.val->kind() == ConstValue::Kind::Float)) {
      error(y.expr->pos, "invalid operation: division by zero");
      invalidate(x);
      return;
    }
  }
  if (x.mode == ExprMode::Constant && y.mode == ExprMode::Constant) {
    bool intDiv = op == Tok::Quo && isInteger(x.type);
    x.val = tc_.newConst(ConstVal::binaryOp(*x.val, op, *y.val, intDiv));
    if (e) x.expr = e;
    overflow(x, op);
    return;
  }
  x.mode = ExprMode::Value;
}

void Checker::shift(Operand& x, Operand& y, Expr* e, Tok op) {
  ConstVal xval;
  if (x.mode == ExprMode::Constant) xval = x.val->toInt();
  if (isInteger(x.type) || (isUntyped(x.type) && x.mode == ExprMode::Constant && xval.kind() == ConstValue::Kind::Int)) {
    // ok
  } else {
    error(x.expr->pos, "invalid operation: shifted operand " + operandString(x) + " must be integer");
    invalidate(x);
    return;
  }
  ConstVal yval;
  if (y.mode == ExprMode::Constant) {
    yval = y.val->toInt();
    if (yval.kind() == ConstValue::Kind::Int && yval.sign() < 0) {
      error(y.expr->pos, "invalid operation: negative shift count " + operandString(y));
      invalidate(x);
      return;
    }
    if (isUntyped(y.type)) {
      representable(y, tc_.basic(BasicKind::Uint));
      if (y.mode == ExprMode::Invalid) {
        invalidate(x);
        return;
      }
    }
  } else {
    if (isInteger(y.type)) {
      // ok
    } else if (isUntyped(y.type)) {
      convertUntyped(y, tc_.basic(BasicKind::Uint));
      if (y.mode == ExprMode::Invalid) {
        invalidate(x);
        return;
      }
    } else {
      error(y.expr->pos, "invalid operation: shift count " + operandString(y) + " must be integer");
      invalidate(x);
      return;
    }
  }
  if (x.mode == ExprMode::Constant) {
    if (y.mode == ExprMode::Constant) {
      if (x.val->kind() == ConstValue::Kind::Unknown || y.val->kind() == ConstValue::Kind::Unknown) {
        x.val = tc_.newConst(ConstVal::makeUnknown());
        return;
      }
      const uint64_t shiftBound = 1023 - 1 + 52;
      if (yval.kind() != ConstValue::Kind::Int || !yval.intVal().fitsUint64() || yval.uint64Val() > shiftBound) {
        error(y.expr->pos, "invalid operation: invalid shift count " + operandString(y));
        invalidate(x);
        return;
      }
      if (!isInteger(x.type)) x.type = tc_.basic(BasicKind::UntypedInt);
      x.val = tc_.newConst(ConstVal::shift(xval, op, yval.uint64Val()));
      if (e) x.expr = e;
      overflow(x, op);
      return;
    }
    if (isUntyped(x.type)) {
      // The untyped constant gets the type the shift expression gets from its context.
      auto it = untyped_.find(x.expr);
      if (it != untyped_.end()) it->second.isLhs = true;
      x.mode = ExprMode::Value;
      return;
    }
  }
  if (!isInteger(x.type)) {
    error(x.expr->pos, "invalid operation: shifted operand " + operandString(x) + " must be integer");
    invalidate(x);
    return;
  }
  x.mode = ExprMode::Value;
}

static std::string kindString(const Checker& c, const Type* t) {
  switch (t->underlying()->kind) {
    case TypeKind::Array: return "array";
    case TypeKind::Slice: return "slice";
    case TypeKind::Struct: return "struct";
    case TypeKind::Pointer: return "pointer";
    case TypeKind::Signature: return "func";
    case TypeKind::Interface: return "interface";
    case TypeKind::Map: return "map";
    case TypeKind::Chan: return "chan";
    default: return c.typeStr(t);
  }
}

// Why t (not comparable) cannot be compared, as Go's types2 says it: slices, maps and funcs only
// with nil; a struct names its first incomparable field's type, an array itself.
static std::string incomparableCause(const Checker& c, const Type* t) {
  const Type* u = t->underlying();
  switch (u->kind) {
    case TypeKind::Slice:
    case TypeKind::Signature:
    case TypeKind::Map: return kindString(c, t) + " can only be compared to nil";
    case TypeKind::Struct:
      for (auto f : u->as<Struct>()->fields)
        if (!isComparable(f->type)) return "struct containing " + c.typeStr(f->type) + " cannot be compared";
      return "";
    case TypeKind::Array: return c.typeStr(t) + " cannot be compared";
    default: return "";
  }
}

void Checker::comparison(Operand& x, Operand& y, Tok op, bool switchCase) {
  Operand* errOp = &x;
  std::string cause;
  bool ok = assignableTo(x, y.type, nullptr) || assignableTo(y, x.type, nullptr);
  if (!ok) {
    errOp = &y;
    cause = "mismatched types " + typeStr(x.type) + " and " + typeStr(y.type);
  } else if (op == Tok::Eql || op == Tok::Neq) {
    if (x.isNil() || y.isNil()) {
      const Type* t = x.isNil() ? y.type : x.type;
      if (!hasNil(t) && !(x.isNil() && y.isNil())) {
        errOp = x.isNil() ? &y : &x;
        ok = false;
      } else if (x.isNil() && y.isNil()) {
        ok = false;
        cause = "operator " + std::string(tokString(op)) + " not defined on nil";
      }
    } else if (!isComparable(x.type)) {
      ok = false;
      errOp = &x;
      cause = incomparableCause(*this, x.type);
    } else if (!isComparable(y.type)) {
      ok = false;
      errOp = &y;
      cause = incomparableCause(*this, y.type);
    }
  } else {
    if (!isOrdered(x.type)) {
      ok = false;
      errOp = &x;
    } else if (!isOrdered(y.type)) {
      ok = false;
      errOp = &y;
    }
  }
  if (!ok) {
    if (cause.empty())
      cause = "operator " + std::string(tokString(op)) + " not defined on " + kindString(*this, errOp->type);
    if (switchCase) {
      error(x.expr->pos, "invalid case " + exprString(x.expr) + " in switch on " + exprString(y.expr) + " (" + cause + ")");
    } else {
      Expr* at = errOp->expr ? errOp->expr : x.expr;
      error(at->pos, "invalid operation: " + exprString(x.expr) + " " + std::string(tokString(op)) + " " +
                         exprString(y.expr) + " (" + cause + ")");
    }
    invalidate(x);
    return;
  }
  if (x.mode == ExprMode::Constant && y.mode == ExprMode::Constant) {
    x.val = tc_.newConst(ConstVal::makeBool(ConstVal::compare(*x.val, op, *y.val)));
  } else {
    x.mode = ExprMode::Value;
    x.val = nullptr;
    updateExprType(x.expr, defaultType(tc_, x.type), true);
    updateExprType(y.expr, defaultType(tc_, y.type), true);
  }
  x.type = tc_.basic(BasicKind::UntypedBool);
}

void Checker::matchTypes(Operand& x, Operand& y) {
  auto mayConvert = [&](const Operand& a, const Operand& b) {
    if (isTyped(a.type) && isTyped(b.type)) return false;
    if (isInterface(a.type) || isInterface(b.type)) return true;
    if (isBoolean(a.type) != isBoolean(b.type)) return false;
    if (isString(a.type) != isString(b.type)) return false;
    if (a.isNil()) return hasNil(b.type);
    if (b.isNil()) return hasNil(a.type);
    if (a.type->underlying()->as<Pointer>() || b.type->underlying()->as<Pointer>()) return false;
    return true;
  };
  if (mayConvert(x, y)) {
    convertUntyped(x, y.type);
    if (x.mode == ExprMode::Invalid) return;
    convertUntyped(y, x.type);
    if (y.mode == ExprMode::Invalid) {
      invalidate(x);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Untyped conversion and representability

bool Checker::representableConst(const ConstVal& v, const Basic* typ, ConstVal* rounded) {
  if (v.kind() == ConstValue::Kind::Unknown) return true;
  BasicKind k = typ->bkind;
  if (isInteger(typ)) {
    ConstVal x = v.toInt();
    if (x.kind() != ConstValue::Kind::Int) return false;
    if (rounded) *rounded = x;
    const BigInt& i = x.intVal();
    auto inRange = [&](int64_t lo, int64_t hi) {
      if (!i.fitsInt64()) return false;
      int64_t n = i.toInt64();
      return n >= lo && n <= hi;
    };
    switch (k) {
      case BasicKind::Int8: return inRange(-128, 127);
      case BasicKind::Int16: return inRange(-32768, 32767);
      case BasicKind::Int32: return inRange(INT32_MIN, INT32_MAX);
      case BasicKind::Int:
      case BasicKind::Int64: return i.fitsInt64();
      case BasicKind::Uint8: return inRange(0, 255);
      case BasicKind::Uint16: return inRange(0, 65535);
      case BasicKind::Uint32: return inRange(0, int64_t(UINT32_MAX));
      case BasicKind::Uint:
      case BasicKind::Uint64:
      case BasicKind::Uintptr: return i.fitsUint64();
      default: return true;  // untyped int, untyped rune
    }
  }
  if (isFloat(typ)) {
    ConstVal x = v.toFloat();
    if (x.kind() != ConstValue::Kind::Float) return false;
    if (k == BasicKind::UntypedFloat) return true;
    Rat out;
    bool ok = k == BasicKind::Float32 ? roundRat(x.ratVal(), 24, -149, 128, out, nullptr)
                                      : roundRat(x.ratVal(), 53, -1074, 1024, out, nullptr);
    if (ok && rounded) *rounded = ConstVal::makeFloat(out);
    return ok;
  }
  if (isComplex(typ)) return v.kind() == ConstValue::Kind::Int || v.kind() == ConstValue::Kind::Float;
  if (isString(typ)) return v.kind() == ConstValue::Kind::String;
  if (isBoolean(typ)) return v.kind() == ConstValue::Kind::Bool;
  return false;
}

int Checker::representation(const Operand& x, const Basic* typ, const ConstVal*& val) {
  ConstVal rounded = *x.val;
  if (!representableConst(*x.val, typ, &rounded)) {
    if (isNumeric(x.type) && isNumeric(typ)) {
      if (!isInteger(x.type) && isInteger(typ)) return 2;
      return 3;
    }
    return 1;
  }
  val = tc_.newConst(std::move(rounded));
  return 0;
}

void Checker::invalidConversion(int code, const Operand& x, const Type* target) {
  Pos p = x.expr ? x.expr->pos : Pos{};
  if (code == 2) error(p, operandString(x) + " truncated to " + typeStr(target));
  else if (code == 3) error(p, operandString(x) + " overflows " + typeStr(target));
  else error(p, "cannot convert " + operandString(x) + " to type " + typeStr(target));
}

void Checker::representable(Operand& x, const Basic* typ) {
  const ConstVal* v = nullptr;
  int code = representation(x, typ, v);
  if (code) {
    invalidConversion(code, x, typ);
    invalidate(x);
    return;
  }
  x.val = v;
}

static int untypedRank(BasicKind k) {
  switch (k) {
    case BasicKind::UntypedInt: return 1;
    case BasicKind::UntypedRune: return 2;
    case BasicKind::UntypedFloat: return 3;
    case BasicKind::UntypedComplex: return 4;
    default: return 0;
  }
}

int Checker::implicitTypeAndValue(const Operand& x, const Type* target, const Type*& newType, const ConstVal*& val) {
  newType = x.type;
  val = nullptr;
  if (x.mode == ExprMode::Invalid || isTyped(x.type) || !isValid(target)) return 0;
  if (isUntyped(target)) {
    // both untyped
    BasicKind a = x.type->as<Basic>()->bkind, b = target->as<Basic>()->bkind;
    if (isNumeric(x.type) && isNumeric(target)) {
      newType = untypedRank(a) >= untypedRank(b) ? x.type : target;
      return 0;
    }
    if (a == b) return 0;
    return 1;
  }
  if (x.isNil()) {
    // nil stays untyped (so that `s == nil` is still recognized); annotateNil records the type
    if (!hasNil(target)) return 1;
    return 0;
  }
  const Type* u = target->underlying();
  if (auto b = u->as<Basic>()) {
    if (x.mode == ExprMode::Constant) {
      int code = representation(x, b, val);
      if (code) return code;
      newType = target;
      return 0;
    }
    switch (x.type->as<Basic>()->bkind) {
      case BasicKind::UntypedBool:
        if (!isBoolean(target)) return 1;
        break;
      case BasicKind::UntypedInt:
      case BasicKind::UntypedRune:
      case BasicKind::UntypedFloat:
      case BasicKind::UntypedComplex:
        if (!isNumeric(target)) return 1;
        break;
      case BasicKind::UntypedString:
        if (!isString(target)) return 1;
        break;
      default: return 1;
    }
    newType = target;
    return 0;
  }
  if (u->as<Interface>()) {
    newType = defaultType(tc_, x.type);
    return 0;
  }
  return 1;
}

// Lowering sees nil with the type it is converted to (a pointer, slice, map... type).
static void annotateNil(std::unordered_map<Expr*, UntypedInfo>& untyped, Expr* e, const Type* target) {
  while (e) {
    e->type = target;
    untyped.erase(e);
    e = e->is<ParenExpr>() ? e->as<ParenExpr>()->x : nullptr;
  }
}

void Checker::convertUntyped(Operand& x, const Type* target) {
  const Type* newType;
  const ConstVal* val;
  int code = implicitTypeAndValue(x, target, newType, val);
  if (code) {
    invalidConversion(code, x, target->underlying());
    invalidate(x);
    return;
  }
  if (x.isNil() && isValid(target)) annotateNil(untyped_, x.expr, target);
  if (val) {
    x.val = val;
    updateExprVal(x.expr, val);
  }
  if (newType != x.type) {
    x.type = newType;
    updateExprType(x.expr, newType, false);
  }
}

void Checker::updateExprVal(Expr* e, const ConstVal* val) {
  auto it = untyped_.find(e);
  if (it != untyped_.end()) it->second.val = val;
}

void Checker::updateExprType(Expr* e, const Type* typ, bool final) {
  if (!e) return;
  auto it = untyped_.find(e);
  if (it == untyped_.end()) return;
  UntypedInfo old = it->second;
  switch (e->kind) {
    case NodeKind::ParenExpr: updateExprType(e->as<ParenExpr>()->x, typ, final); break;
    case NodeKind::UnaryExpr:
      if (!old.val) updateExprType(e->as<UnaryExpr>()->x, typ, final);
      break;
    case NodeKind::BinaryExpr: {
      auto b = e->as<BinaryExpr>();
      if (old.val) break;
      if (isComparisonOp(b->op)) {
        // the operands have their final types already
      } else if (isShiftOp(b->op)) {
        updateExprType(b->x, typ, final);
      } else {
        updateExprType(b->x, typ, final);
        updateExprType(b->y, typ, final);
      }
      break;
    }
    case NodeKind::Ident:
    case NodeKind::BasicLit:
    case NodeKind::SelectorExpr:
    case NodeKind::CallExpr: break;
    default: return;
  }
  if (!final && isUntyped(typ)) {
    auto& info = untyped_[e];
    info.type = typ->underlying();
    e->type = info.type;
    return;
  }
  untyped_.erase(e);
  if (old.isLhs) {
    if (!isInteger(typ)) {
      error(e->pos, "invalid operation: shifted operand " + exprString(e) + " (type " + typeStr(typ) + ") must be integer");
      return;
    }
  }
  const ConstVal* val = old.val;
  if (old.val) {
    Operand c;
    c.mode = old.mode;
    c.expr = e;
    c.type = old.type;
    c.val = old.val;
    convertUntyped(c, typ);
    if (c.mode == ExprMode::Invalid) return;
    val = c.val;
  }
  e->mode = old.mode;
  e->type = isUntyped(typ) ? defaultType(tc_, typ) : typ;
  if (val && isUntyped(typ)) {
    if (isInteger(e->type) && val->kind() == ConstValue::Kind::Float) val = tc_.newConst(val->toInt());
    else if (isFloat(e->type) && val->kind() == ConstValue::Kind::Int) val = tc_.newConst(val->toFloat());
  }
  e->value = old.mode == ExprMode::Constant ? val : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Assignability and assignment

static bool isNamedType(const Type* t) { return t->as<Named>() || t->as<Basic>(); }

bool Checker::assignableTo(const Operand& x, const Type* T, std::string* reason) {
  const Type* V = x.type;
  if (!V || !T) return false;
  if (identical(V, T)) return true;
  const Type* Vu = V->underlying();
  const Type* Tu = T->underlying();
  if (isUntyped(Vu)) {
    if (auto tb = Tu->as<Basic>()) {
      if (x.isNil()) return tb->bkind == BasicKind::UnsafePointer;
      if (x.mode == ExprMode::Constant) return representableConst(*x.val, tb, nullptr);
      auto vb = Vu->as<Basic>();
      if (vb->bkind == BasicKind::UntypedBool) return isBoolean(Tu);
      return isNumeric(Vu) && isNumeric(Tu);
    }
    if (x.isNil()) return hasNil(T);
    if (auto it = Tu->as<Interface>()) return it->allMethods.empty();
    return false;
  }
  if (identical(Vu, Tu) && (!isNamedType(V) || !isNamedType(T))) return true;
  if (Tu->as<Interface>()) {
    std::string why = implementsReason(V, T);
    if (why.empty()) return true;
    if (reason) *reason = why;
    return false;
  }
  if (Vu->as<Interface>() && !Tu->as<Interface>()) {
    if (reason && missingMethodCause(T, V).empty()) *reason = "need type assertion";
    return false;
  }
  if (auto vc = Vu->as<Chan>()) {
    if (auto tc = Tu->as<Chan>())
      return vc->dir == ChanDir::Both && identical(vc->elem, tc->elem) && (!isNamedType(V) || !isNamedType(T));
  }
  return false;
}

void Checker::assignment(Operand& x, const Type* T, const std::string& context) {
  singleValue(x);
  switch (x.mode) {
    case ExprMode::Invalid: return;
    case ExprMode::Constant:
    case ExprMode::Variable:
    case ExprMode::MapIndex:
    case ExprMode::Value:
    case ExprMode::CommaOk: break;
    default:
      error(x.expr ? x.expr->pos : Pos{}, "cannot assign " + operandString(x) + " to " + typeStr(T) + " in " + context);
      invalidate(x);
      return;
  }
  if (isUntyped(x.type)) {
    const Type* target = T;
    if (!T || isInterface(T)) {
      if (x.isNil()) {
        if (!T) {
          error(x.expr ? x.expr->pos : Pos{}, "use of untyped nil in " + context);
          invalidate(x);
          return;
        }
      } else {
        target = defaultType(tc_, x.type);
      }
    }
    const Type* newType;
    const ConstVal* val;
    int code = implicitTypeAndValue(x, target, newType, val);
    if (code) {
      std::string msg = "cannot use " + operandString(x) + " as " + typeStr(target) + " value in " + context;
      if (code == 2) msg += " (truncated)";
      else if (code == 3) msg += " (overflows)";
      error(x.expr ? x.expr->pos : Pos{}, msg);
      invalidate(x);
      return;
    }
    if (x.isNil() && target && isValid(target)) annotateNil(untyped_, x.expr, target);
    if (val) {
      x.val = val;
      updateExprVal(x.expr, val);
    }
    if (newType != x.type) {
      x.type = newType;
      updateExprType(x.expr, newType, false);
    }
  }
  if (!T) return;
  std::string reason;
  if (!assignableTo(x, T, &reason)) {
    std::string msg = "cannot use " + operandString(x) + " as " + typeStr(T) + " value in " + context;
    if (!reason.empty()) msg += ": " + reason;
    error(x.expr ? x.expr->pos : Pos{}, msg);
    invalidate(x);
  }
}

// ---------------------------------------------------------------------------------------------
// Calls and conversions

std::string Checker::typesSummary(const std::vector<const Type*>& list, bool variadic) {
  std::string s = "(";
  for (size_t i = 0; i < list.size(); i++) {
    if (i) s += ", ";
    const Type* t = list[i];
    std::string ts;
    if (!t || !isValid(t)) ts = "unknown type";
    else if (isUntyped(t)) {
      if (isNumeric(t)) ts = "number";
      else {
        ts = t->as<Basic>()->name;
        if (ts.rfind("untyped ", 0) == 0) ts = ts.substr(8);
      }
    } else ts = typeStr(t);
    if (variadic && i + 1 == list.size() && t && t->as<Slice>()) ts = "..." + typeStr(t->as<Slice>()->elem);
    s += ts;
  }
  return s + ")";
}

ExprKind Checker::callExpr(Operand& x, CallExpr* call) {
  Operand f;
  if (!call->fun) {
    useExprs(call->args);
    invalidate(x);
    return ExprKind::Statement;
  }
  exprOrType(f, call->fun);
  switch (f.mode) {
    case ExprMode::Invalid:
      useExprs(call->args);
      invalidate(x);
      x.expr = call;
      return ExprKind::Statement;
    case ExprMode::TypeExpr: {
      const Type* T = f.type;
      invalidate(x);
      if (call->hasEllipsis) {
        error(call->args.empty() ? call->pos : call->args.back()->pos,
              "invalid use of ... in conversion to " + typeStr(T));
        useExprs(call->args);
      } else if (call->args.empty()) {
        error(call->rparen.valid() ? call->rparen : call->pos, "missing argument in conversion to " + typeStr(T));
      } else if (call->args.size() > 1) {
        useExprs(call->args);
        error(call->args.back()->pos, "too many arguments in conversion to " + typeStr(T));
      } else {
        exprWithHint(x, call->args[0], T);
        if (x.mode != ExprMode::Invalid) conversion(x, T);
      }
      x.expr = call;
      return ExprKind::Conversion;
    }
    case ExprMode::Builtin: return builtin(x, call, f.builtin);
    default: break;
  }
  auto sig = f.type ? f.type->underlying()->as<Signature>() : nullptr;
  if (!sig) {
    error(call->fun->pos, "invalid operation: cannot call non-function " + operandString(f));
    useExprs(call->args);
    invalidate(x);
    x.expr = call;
    return ExprKind::Statement;
  }
  std::vector<Operand> args;
  exprList(args, call->args);
  arguments(call, sig, args);
  hasCallOrRecv_ = true;
  size_t nres = sig->results ? sig->results->vars.size() : 0;
  if (nres == 0) {
    x.mode = ExprMode::NoValue;
    x.type = sig->results ? sig->results : tc_.emptyTuple();
  } else if (nres == 1) {
    x.mode = ExprMode::Value;
    x.type = sig->results->vars[0]->type;
  } else {
    x.mode = ExprMode::Value;
    x.type = sig->results;
  }
  x.expr = call;
  return ExprKind::Statement;
}

void Checker::arguments(CallExpr* call, const Signature* sig, std::vector<Operand>& args) {
  for (auto& a : args)
    if (a.mode == ExprMode::Invalid) return;
  size_t nargs = args.size();
  std::vector<Var*> params = sig->params ? sig->params->vars : std::vector<Var*>{};
  size_t npars = params.size();
  bool ddd = call->hasEllipsis;
  std::vector<const Type*> ptypes;
  for (Var* v : params) ptypes.push_back(v->type);
  if (sig->variadic) {
    if (ddd) {
      if (call->args.size() == 1 && nargs > 1) {
        error(call->rparen.valid() ? call->rparen : call->pos,
              "cannot use ... with " + std::to_string(nargs) + "-valued " + exprString(call->args[0]));
        return;
      }
    } else if (nargs + 1 >= npars) {
      const Type* last = params.back()->type;
      const Type* elem = last->as<Slice>() ? last->as<Slice>()->elem : tc_.invalid();
      ptypes.pop_back();
      while (ptypes.size() < nargs) ptypes.push_back(elem);
      npars = nargs;
    } else {
      npars--;
    }
  } else if (ddd) {
    error(call->pos, "have (...) but function is not variadic: " + exprString(call->fun));
    return;
  }
  if (nargs != npars) {
    Pos at = call->rparen.valid() ? call->rparen : call->pos;
    std::string qualifier = "not enough";
    if (nargs > npars) {
      at = args[npars].expr ? args[npars].expr->pos : at;
      qualifier = "too many";
    } else if (nargs > 0 && args[nargs - 1].expr) {
      at = args[nargs - 1].expr->pos;
    }
    std::vector<const Type*> have, want;
    for (auto& a : args) have.push_back(a.type);
    for (Var* v : params) want.push_back(v->type);
    error(at, qualifier + " arguments in call to " + exprString(call->fun) + "\n\thave " + typesSummary(have, false) +
                  "\n\twant " + typesSummary(want, sig->variadic));
    return;
  }
  std::string context = "argument to " + exprString(call->fun);
  for (size_t i = 0; i < nargs; i++) assignment(args[i], ptypes[i], context);
}

static bool isBytesOrRunes(const Type* t) {
  auto s = t->underlying()->as<Slice>();
  if (!s) return false;
  auto b = s->elem->underlying()->as<Basic>();
  return b && (b->bkind == BasicKind::Uint8 || b->bkind == BasicKind::Int32);
}

bool Checker::convertibleTo(const Operand& x, const Type* T) {
  if (assignableTo(x, T, nullptr)) return true;
  const Type* V = x.type;
  const Type* Vu = V->underlying();
  const Type* Tu = T->underlying();
  if (identical(Vu, Tu)) return true;
  auto vp = V->as<Pointer>(), tp = T->as<Pointer>();
  if (vp && tp && identical(vp->elem->underlying(), tp->elem->underlying())) return true;
  if ((isInteger(Vu) || isFloat(Vu)) && (isInteger(Tu) || isFloat(Tu))) return true;
  if (isComplex(Vu) && isComplex(Tu)) return true;
  if ((isInteger(Vu) || isBytesOrRunes(Vu)) && isString(Tu)) return true;
  if (isString(Vu) && isBytesOrRunes(Tu)) return true;
  return false;
}

void Checker::conversion(Operand& x, const Type* T) {
  bool constArg = x.mode == ExprMode::Constant;
  bool ok = false;
  bool truncated = false;
  if (constArg && isConstType(T)) {
    const Basic* t = T->underlying()->as<Basic>();
    ConstVal rounded = *x.val;
    if (representableConst(*x.val, t, &rounded)) {
      x.val = tc_.newConst(std::move(rounded));
      ok = true;
    } else if (isInteger(x.type) && isString(t)) {
      uint32_t cp = 0xFFFD;
      ConstVal iv = x.val->toInt();
      if (iv.kind() == ConstValue::Kind::Int && iv.intVal().fitsUint64() && iv.uint64Val() <= 0x10FFFF &&
          !(iv.uint64Val() >= 0xD800 && iv.uint64Val() <= 0xDFFF))
        cp = uint32_t(iv.uint64Val());
      std::string s;
      if (cp < 0x80) s += char(cp);
      else if (cp < 0x800) s += char(0xC0 | (cp >> 6)), s += char(0x80 | (cp & 0x3F));
      else if (cp < 0x10000)
        s += char(0xE0 | (cp >> 12)), s += char(0x80 | ((cp >> 6) & 0x3F)), s += char(0x80 | (cp & 0x3F));
      else
        s += char(0xF0 | (cp >> 18)), s += char(0x80 | ((cp >> 12) & 0x3F)), s += char(0x80 | ((cp >> 6) & 0x3F)),
            s += char(0x80 | (cp & 0x3F));
      x.val = tc_.newConst(ConstVal::makeString(s));
      ok = true;
    } else if (isInteger(x.type) && isInteger(t)) {
      error(x.expr->pos, "constant " + x.val->toString() + " overflows " + typeStr(T));
      invalidate(x);
      return;
    } else if (isNumeric(x.type) && !isInteger(x.type) && isInteger(t) && !x.val->isIntegral()) {
      truncated = true;
    }
  } else if (convertibleTo(x, T)) {
    ok = true;
    x.mode = ExprMode::Value;
  }
  if (!ok) {
    error(x.expr->pos, "cannot convert " + operandString(x) + " to type " + typeStr(T) + (truncated ? " (truncated)" : ""));
    invalidate(x);
    return;
  }
  if (isUntyped(x.type)) {
    const Type* final = T;
    if (x.isNil()) annotateNil(untyped_, x.expr, T);
    if (isInterface(T) || (constArg && !isConstType(T)) || x.isNil()) final = defaultType(tc_, x.type);
    else if (constArg && isInteger(x.type) && isString(T)) final = x.type;
    updateExprType(x.expr, final, true);
  }
  x.type = T;
}

// ---------------------------------------------------------------------------------------------
// Index and slice expressions (go/types' index.go)

// Checks an index: an integer, or an untyped constant representable as int; constant indices
// must be non-negative and below max (when max >= 0). val is the constant index, or -1.
bool Checker::index(Expr* idx, int64_t max, int64_t& val) {
  val = -1;
  Operand x;
  expr(x, idx);
  if (x.mode == ExprMode::Invalid) return false;
  convertUntyped(x, tc_.basic(BasicKind::Int));
  if (x.mode == ExprMode::Invalid) return false;
  if (!isInteger(x.type)) {
    error(idx->pos, "invalid argument: index " + operandString(x) + " must be integer");
    return false;
  }
  if (x.mode != ExprMode::Constant) return true;
  if (x.val->sign() < 0) {
    error(idx->pos, "invalid argument: index " + operandString(x) + " must not be negative");
    return false;
  }
  if (!representableConst(*x.val, tc_.basic(BasicKind::Int)->as<Basic>(), nullptr)) {
    error(idx->pos, "invalid argument: index " + operandString(x) + " overflows int");
    return false;
  }
  int64_t v = x.val->int64Val();
  if (max >= 0 && v >= max) {
    error(idx->pos, "invalid argument: index " + x.val->toString() + " out of bounds [0:" + std::to_string(max) + "]");
    return false;
  }
  val = v;
  return true;
}

void Checker::indexExpr(Operand& x, IndexExpr* e) {
  exprOrType(x, e->x);
  if (x.mode == ExprMode::Invalid) {
    useExprs(e->indices);
    return;
  }
  if (x.mode == ExprMode::TypeExpr || e->indices.size() != 1) {
    useExprs(e->indices);
    error(e->pos, "generic instantiation is not supported in Gol");
    invalidate(x);
    return;
  }
  Expr* idx = e->indices[0];
  int64_t length = -1;
  bool valid = false;
  const Type* u = x.type->underlying();
  if (isString(u)) {
    valid = true;
    if (x.mode == ExprMode::Constant) length = int64_t(x.val->stringVal().size());
    x.mode = ExprMode::Value;  // indexing a string yields a non-constant byte
    x.type = tc_.byteType();
  } else if (auto a = u->as<Array>()) {
    valid = true;
    length = a->len;
    if (x.mode != ExprMode::Variable) x.mode = ExprMode::Value;
    x.type = a->elem;
  } else if (auto p = u->as<Pointer>()) {
    if (auto a = p->elem->underlying()->as<Array>()) {
      valid = true;
      length = a->len;
      x.mode = ExprMode::Variable;
      x.type = a->elem;
    }
  } else if (auto sl = u->as<Slice>()) {
    valid = true;
    x.mode = ExprMode::Variable;
    x.type = sl->elem;
  } else if (auto m = u->as<Map>()) {
    Operand k;
    exprWithHint(k, idx, m->key);
    assignment(k, m->key, "map index");
    x.mode = ExprMode::MapIndex;
    x.type = m->elem;
    return;
  }
  if (!valid) {
    error(e->pos, "invalid operation: cannot index " + operandString(x));
    useExprs(e->indices);
    invalidate(x);
    return;
  }
  int64_t v;
  if (!index(idx, length, v)) {
    // keep x valid: the index error does not make the element type unknown
  }
}

void Checker::sliceExpr(Operand& x, SliceExpr* e) {
  expr(x, e->x);
  if (x.mode == ExprMode::Invalid) {
    useExprs({e->low, e->high, e->max});
    return;
  }
  int64_t length = -1;
  bool valid = false;
  const Type* u = x.type->underlying();
  if (isString(u)) {
    if (e->slice3) {
      error(e->pos, "invalid operation: 3-index slice of string");
      useExprs({e->low, e->high, e->max});
      invalidate(x);
      return;
    }
    valid = true;
    if (x.mode == ExprMode::Constant) length = int64_t(x.val->stringVal().size());
    if (isUntyped(x.type)) {
      convertUntyped(x, tc_.basic(BasicKind::String));
      x.type = tc_.basic(BasicKind::String);
    }
  } else if (auto a = u->as<Array>()) {
    valid = true;
    length = a->len;
    if (x.mode != ExprMode::Variable) {
      error(e->pos, "invalid operation: " + exprString(e->x) + " (slice of unaddressable value)");
      useExprs({e->low, e->high, e->max});
      invalidate(x);
      return;
    }
    x.type = tc_.sliceOf(a->elem);
  } else if (auto p = u->as<Pointer>()) {
    if (auto a = p->elem->underlying()->as<Array>()) {
      valid = true;
      length = a->len;
      x.type = tc_.sliceOf(a->elem);
    }
  } else if (u->as<Slice>()) {
    valid = true;
  }
  if (!valid) {
    error(e->pos, "cannot slice " + operandString(x));
    useExprs({e->low, e->high, e->max});
    invalidate(x);
    return;
  }
  x.mode = ExprMode::Value;
  if (e->slice3 && (!e->high || !e->max)) {
    error(e->pos, "middle and final index required in 3-index slice");
    invalidate(x);
    return;
  }
  int64_t vals[3] = {-1, -1, -1};
  Expr* idx[3] = {e->low, e->high, e->max};
  for (int i = 0; i < 3; i++) {
    if (!idx[i]) continue;
    int64_t v;
    if (index(idx[i], length >= 0 ? length + 1 : -1, v)) vals[i] = v;
  }
  // constant indices must be in range and non-decreasing
  for (int i = 0; i < 3; i++) {
    if (vals[i] < 0) continue;
    for (int j = i + 1; j < 3; j++) {
      if (vals[j] >= 0 && vals[j] < vals[i]) {
        error(idx[j]->pos, "invalid slice indices: " + std::to_string(vals[j]) + " < " + std::to_string(vals[i]));
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Composite literals (go/types' literals.go)

void Checker::compositeLit(Operand& x, CompositeLit* e, const Type* hint) {
  const Type* typ = nullptr;
  const Type* base = nullptr;
  bool openArray = false;  // [...]T{...}
  if (e->typeExpr) {
    auto at = e->typeExpr->as<ArrayType>();
    if (at && at->len && at->len->is<EllipsisType>()) {
      const Type* elem = typExpr(at->elem);
      if (!isValid(elem)) {
        useExprs(e->elts);
        invalidate(x);
        return;
      }
      openArray = true;
      typ = tc_.arrayOf(elem, 0);  // the length is fixed below
    } else {
      typ = typExpr(e->typeExpr);
    }
    base = typ;
  } else if (hint) {
    typ = hint;
    base = typ;
    if (auto p = base->underlying()->as<Pointer>()) base = p->elem;  // *T implies &T{}
  } else {
    error(e->pos, "invalid composite literal type: missing type");
    useExprs(e->elts);
    invalidate(x);
    return;
  }
  if (!isValid(typ)) {
    useExprs(e->elts);
    invalidate(x);
    return;
  }
  const Type* u = base->underlying();
  auto valueOf = [](Expr* el) -> Expr* {
    auto kv = el ? el->as<KeyValueExpr>() : nullptr;
    return kv ? kv->value_ : el;
  };
  if (auto st = u->as<Struct>()) {
    if (!e->elts.empty() && e->elts[0] && e->elts[0]->is<KeyValueExpr>()) {
      std::set<std::string> seen;
      for (Expr* el : e->elts) {
        auto kv = el ? el->as<KeyValueExpr>() : nullptr;
        if (!kv) {
          if (el) error(el->pos, "mixture of field:value and value elements in struct literal");
          useExprs({el});
          continue;
        }
        auto key = kv->key ? kv->key->as<Ident>() : nullptr;
        if (!key) {
          if (kv->key) error(kv->key->pos, "invalid field name " + exprString(kv->key) + " in struct literal");
          useExprs({kv->value_});
          continue;
        }
        Var* field = nullptr;
        for (Var* f : st->fields)
          if (f->name == key->name) field = f;
        if (!field) {
          error(key->pos, "unknown field " + key->name + " in struct literal of type " + typeStr(base));
          useExprs({kv->value_});
          continue;
        }
        key->obj = field;
        key->mode = ExprMode::Variable;
        key->type = field->type;
        Operand v;
        exprWithHint(v, kv->value_, field->type);
        assignment(v, field->type, "struct literal");
        if (!seen.insert(key->name).second) error(key->pos, "duplicate field name " + key->name + " in struct literal");
      }
    } else {
      size_t i = 0;
      for (Expr* el : e->elts) {
        if (el && el->is<KeyValueExpr>()) {
          error(el->pos, "mixture of field:value and value elements in struct literal");
          useExprs({valueOf(el)});
          continue;
        }
        Operand v;
        if (i >= st->fields.size()) {
          useExprs({el});
          if (el) error(el->pos, "too many values in struct literal of type " + typeStr(base));
          break;
        }
        exprWithHint(v, el, st->fields[i]->type);
        assignment(v, st->fields[i]->type, "struct literal");
        i++;
      }
      if (!e->elts.empty() && i < st->fields.size() && i == e->elts.size())
        error(e->rbrace.valid() ? e->rbrace : e->pos, "too few values in struct literal of type " + typeStr(base));
    }
  } else if (u->as<Array>() || u->as<Slice>()) {
    const Type* elem = u->as<Array>() ? u->as<Array>()->elem : u->as<Slice>()->elem;
    int64_t length = u->as<Array>() && !openArray ? u->as<Array>()->len : -1;
    int64_t idx = 0, max = 0;
    std::set<int64_t> visited;
    for (Expr* el : e->elts) {
      if (!el) continue;
      bool validIndex = false;
      Expr* ev = el;
      if (auto kv = el->as<KeyValueExpr>()) {
        int64_t v;
        if (kv->key && index(kv->key, length, v)) {
          if (v >= 0) {
            idx = v;
            validIndex = true;
          } else {
            error(el->pos, "index " + exprString(kv->key) + " must be integer constant");
          }
        }
        ev = kv->value_;
      } else if (length >= 0 && idx >= length) {
        error(el->pos, "index " + std::to_string(idx) + " is out of bounds (>= " + std::to_string(length) + ")");
      } else {
        validIndex = true;
      }
      if (validIndex && !visited.insert(idx).second)
        error(el->pos, "duplicate index " + std::to_string(idx) + " in array or slice literal");
      idx++;
      if (idx > max) max = idx;
      Operand v;
      exprWithHint(v, ev, elem);
      assignment(v, elem, "array or slice literal");
    }
    if (openArray) {
      typ = tc_.arrayOf(elem, max);
      if (e->typeExpr) {
        e->typeExpr->mode = ExprMode::TypeExpr;
        e->typeExpr->type = typ;
      }
    }
  } else if (auto m = u->as<Map>()) {
    std::set<std::string> seenKeys;
    for (Expr* el : e->elts) {
      if (!el) continue;
      auto kv = el->as<KeyValueExpr>();
      if (!kv) {
        error(el->pos, "missing key in map literal");
        useExprs({el});
        continue;
      }
      Operand k;
      exprWithHint(k, kv->key, m->key);
      assignment(k, m->key, "map literal");
      if (k.mode == ExprMode::Constant) {
        std::string key = typeStr(k.type) + ":" + k.val->toString();
        if (k.val->kind() == ConstValue::Kind::String) key += k.val->stringVal();
        if (!seenKeys.insert(key).second) error(kv->key->pos, "duplicate key " + exprString(kv->key) + " in map literal");
      }
      Operand v;
      exprWithHint(v, kv->value_, m->elem);
      assignment(v, m->elem, "map literal");
    }
  } else {
    useExprs(e->elts);
    error(e->pos, "invalid composite literal type " + typeStr(typ));
    invalidate(x);
    return;
  }
  x.mode = ExprMode::Value;
  x.type = typ;
}

}  // namespace types
}  // namespace gol
