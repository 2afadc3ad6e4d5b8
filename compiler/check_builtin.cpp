// check_builtin.cpp: calls of the builtin functions (go/types' builtins.go): argument counts,
// argument types and the result. len of a constant string and len/cap of an array (when the
// argument has no calls) are constants; print/println accept any value (untyped arguments get
// their default types); min/max follow Go 1.21 (constant when all arguments are).
#include "check_internal.h"

namespace gol {
namespace types {

namespace {
struct BuiltinSpec {
  const char* name;
  size_t nargs;
  bool variadic;
};

BuiltinSpec specOf(BuiltinId id) {
  switch (id) {
    case BuiltinId::Append: return {"append", 1, true};
    case BuiltinId::Cap: return {"cap", 1, false};
    case BuiltinId::Clear: return {"clear", 1, false};
    case BuiltinId::Close: return {"close", 1, false};
    case BuiltinId::Copy: return {"copy", 2, false};
    case BuiltinId::Delete: return {"delete", 2, false};
    case BuiltinId::Len: return {"len", 1, false};
    case BuiltinId::Make: return {"make", 1, true};
    case BuiltinId::Max: return {"max", 1, true};
    case BuiltinId::Min: return {"min", 1, true};
    case BuiltinId::New: return {"new", 1, false};
    case BuiltinId::Panic: return {"panic", 1, false};
    case BuiltinId::Print: return {"print", 0, true};
    case BuiltinId::Println: return {"println", 0, true};
    case BuiltinId::Recover: return {"recover", 0, false};
  }
  return {"?", 0, true};
}
}  // namespace

ExprKind Checker::builtin(Operand& x, CallExpr* call, BuiltinId id) {
  BuiltinSpec spec = specOf(id);
  x.mode = ExprMode::Invalid;
  x.expr = call;
  if (call->hasEllipsis && id != BuiltinId::Append) {
    error(call->pos, std::string("invalid operation: invalid use of ... with built-in ") + spec.name);
    useExprs(call->args);
    return ExprKind::Expression;
  }
  switch (id) {
    case BuiltinId::New:
    case BuiltinId::Make: return builtinMakeNew(x, call, id);
    default: break;
  }

  // evaluate all arguments
  bool savedHasCall = hasCallOrRecv_;
  hasCallOrRecv_ = false;
  std::vector<Operand> args;
  exprList(args, call->args);
  bool argHasCall = hasCallOrRecv_;
  hasCallOrRecv_ = savedHasCall || argHasCall;
  for (auto& a : args)
    if (a.mode == ExprMode::Invalid) return ExprKind::Expression;
  size_t nargs = args.size();
  if (nargs > 0) x = args[0];
  const char* msg = nullptr;
  if (nargs < spec.nargs) msg = "not enough";
  else if (!spec.variadic && nargs > spec.nargs) msg = "too many";
  if (msg) {
    Pos at = call->rparen.valid() ? call->rparen : call->pos;
    if (nargs > spec.nargs && args[spec.nargs].expr) at = args[spec.nargs].expr->pos;
    error(at, std::string("invalid operation: ") + msg + " arguments for " + exprString(call) + " (expected " +
                  std::to_string(spec.nargs) + ", found " + std::to_string(nargs) + ")");
    x.mode = ExprMode::Invalid;
    x.expr = call;
    return ExprKind::Expression;
  }

  switch (id) {
    case BuiltinId::Len:
    case BuiltinId::Cap: {
      ExprMode mode = ExprMode::Invalid;
      const ConstVal* val = nullptr;
      const Type* u = x.type->underlying();
      if (auto p = u->as<Pointer>())
        if (p->elem->underlying()->as<Array>()) u = p->elem->underlying();
      switch (u->kind) {
        case TypeKind::Basic:
          if (isString(u) && id == BuiltinId::Len) {
            if (x.mode == ExprMode::Constant) {
              mode = ExprMode::Constant;
              val = tc_.newConst(ConstVal::makeInt64(int64_t(x.val->stringVal().size())));
            } else {
              mode = ExprMode::Value;
            }
          }
          break;
        case TypeKind::Array:
          mode = ExprMode::Value;
          if (!argHasCall) {
            mode = ExprMode::Constant;
            val = tc_.newConst(ConstVal::makeInt64(u->as<Array>()->len));
          }
          break;
        case TypeKind::Slice:
        case TypeKind::Chan: mode = ExprMode::Value; break;
        case TypeKind::Map:
          if (id == BuiltinId::Len) mode = ExprMode::Value;
          break;
        default: break;
      }
      if (mode == ExprMode::Invalid) {
        if (isValid(u)) error(x.expr->pos, "invalid argument: " + operandString(x) + " for built-in " + spec.name);
        x.mode = ExprMode::Invalid;
        x.expr = call;
        return ExprKind::Expression;
      }
      if (mode != ExprMode::Constant && isUntyped(x.type)) convertUntyped(x, defaultType(tc_, x.type));
      x.mode = mode;
      x.type = tc_.basic(BasicKind::Int);
      x.val = val;
      x.expr = call;
      return ExprKind::Expression;
    }
    case BuiltinId::Print:
    case BuiltinId::Println: {
      for (auto& a : args) {
        assignment(a, nullptr, std::string("argument to built-in ") + spec.name);
        if (a.mode == ExprMode::Invalid) {
          x.mode = ExprMode::Invalid;
          x.expr = call;
          return ExprKind::Statement;
        }
      }
      x.mode = ExprMode::NoValue;
      x.type = tc_.emptyTuple();
      x.val = nullptr;
      x.expr = call;
      return ExprKind::Statement;
    }
    case BuiltinId::Panic: {
      // panic(v): v is assigned to an `any` parameter (untyped constants get their default type)
      const Type* anyT = tc_.universe()->lookup("any")->type;
      assignment(x, anyT, "argument to panic");
      x.mode = x.mode == ExprMode::Invalid ? ExprMode::Invalid : ExprMode::NoValue;
      x.type = tc_.emptyTuple();
      x.val = nullptr;
      x.expr = call;
      return ExprKind::Statement;
    }
    case BuiltinId::Recover: {
      x.mode = ExprMode::Value;
      x.type = tc_.universe()->lookup("any")->type;
      x.val = nullptr;
      x.expr = call;
      return ExprKind::Statement;
    }
    case BuiltinId::Append: {
      const Type* S = x.type;
      auto sl = S->underlying()->as<Slice>();
      if (!sl) {
        std::string cause = x.isNil() ? "have untyped nil" : "have " + operandString(x);
        error(x.expr->pos, "first argument to append must be a slice; " + cause);
        x.mode = ExprMode::Invalid;
        x.expr = call;
        return ExprKind::Expression;
      }
      // append([]byte, string...) appends the string's bytes
      if (nargs == 2 && call->hasEllipsis) {
        auto eb = sl->elem->underlying()->as<Basic>();
        if (eb && eb->bkind == BasicKind::Uint8 && isString(args[1].type)) {
          if (isUntyped(args[1].type)) convertUntyped(args[1], tc_.basic(BasicKind::String));
          x.mode = ExprMode::Value;
          x.type = S;
          x.val = nullptr;
          x.expr = call;
          return ExprKind::Expression;
        }
      }
      Signature* sig = tc_.newSignature();
      Tuple* params = tc_.newTuple();
      params->vars.push_back(tc_.newObject<Var>("", S, Pos{}));
      params->vars.push_back(tc_.newObject<Var>("", tc_.sliceOf(sl->elem), Pos{}));
      Tuple* results = tc_.newTuple();
      results->vars.push_back(tc_.newObject<Var>("", S, Pos{}));
      sig->params = params;
      sig->results = results;
      sig->variadic = true;
      arguments(call, sig, args);
      x.mode = ExprMode::Value;
      x.type = S;
      x.val = nullptr;
      x.expr = call;
      return ExprKind::Expression;
    }
    case BuiltinId::Copy: {
      Operand& y = args[1];
      auto dst = x.type->underlying()->as<Slice>();
      const Type* srcElem = nullptr;
      if (auto s2 = y.type->underlying()->as<Slice>()) srcElem = s2->elem;
      else if (isString(y.type)) srcElem = tc_.byteType();
      if (!dst || !srcElem) {
        error(x.expr->pos, "invalid argument: copy expects slice arguments; found " + operandString(x) + " and " +
                               operandString(y));
        x.mode = ExprMode::Invalid;
        x.expr = call;
        return ExprKind::Statement;
      }
      if (!identical(dst->elem, srcElem)) {
        error(x.expr->pos, "invalid argument: arguments to copy " + operandString(x) + " and " + operandString(y) +
                               " have different element types " + typeStr(dst->elem) + " and " + typeStr(srcElem));
        x.mode = ExprMode::Invalid;
        x.expr = call;
        return ExprKind::Statement;
      }
      if (isUntyped(y.type)) convertUntyped(y, tc_.basic(BasicKind::String));
      x.mode = ExprMode::Value;
      x.type = tc_.basic(BasicKind::Int);
      x.val = nullptr;
      x.expr = call;
      return ExprKind::Statement;
    }
    case BuiltinId::Close: {
      auto c = x.type->underlying()->as<Chan>();
      if (!c || c->dir == ChanDir::Recv) {
        error(x.expr->pos, std::string("invalid operation: cannot close ") + (c ? "receive-only channel " : "non-channel ") +
                               operandString(x));
        x.mode = ExprMode::Invalid;
        x.expr = call;
        return ExprKind::Statement;
      }
      x.mode = ExprMode::NoValue;
      x.type = tc_.emptyTuple();
      x.val = nullptr;
      x.expr = call;
      return ExprKind::Statement;
    }
    case BuiltinId::Delete: {
      auto m = x.type->underlying()->as<Map>();
      if (!m) {
        error(x.expr->pos, "invalid argument: " + operandString(x) + " is not a map");
        x.mode = ExprMode::Invalid;
        x.expr = call;
        return ExprKind::Statement;
      }
      assignment(args[1], m->key, "argument to delete");
      x.mode = ExprMode::NoValue;
      x.type = tc_.emptyTuple();
      x.val = nullptr;
      x.expr = call;
      return ExprKind::Statement;
    }
    case BuiltinId::Clear: {
      const Type* u = x.type->underlying();
      if (!u->as<Map>() && !u->as<Slice>()) {
        error(x.expr->pos, "invalid argument: cannot clear " + operandString(x) + ": argument must be (or constrained by) map or slice");
        x.mode = ExprMode::Invalid;
        x.expr = call;
        return ExprKind::Statement;
      }
      x.mode = ExprMode::NoValue;
      x.type = tc_.emptyTuple();
      x.val = nullptr;
      x.expr = call;
      return ExprKind::Statement;
    }
    case BuiltinId::Max:
    case BuiltinId::Min: {
      Tok op = id == BuiltinId::Max ? Tok::Gtr : Tok::Lss;
      for (size_t i = 0; i < args.size(); i++) {
        Operand& a = args[i];
        if (!isOrdered(a.type)) {
          error(a.expr->pos, "invalid argument: " + operandString(a) + " cannot be ordered");
          x.mode = ExprMode::Invalid;
          x.expr = call;
          return ExprKind::Expression;
        }
        if (i == 0) continue;
        matchTypes(x, a);
        if (x.mode == ExprMode::Invalid) {
          x.expr = call;
          return ExprKind::Expression;
        }
        if (!identical(x.type, a.type)) {
          error(a.expr->pos, "invalid argument: mismatched types " + typeStr(x.type) + " (previous argument) and " +
                                 typeStr(a.type) + " (type of " + exprString(a.expr) + ")");
          x.mode = ExprMode::Invalid;
          x.expr = call;
          return ExprKind::Expression;
        }
        if (x.mode == ExprMode::Constant && a.mode == ExprMode::Constant) {
          if (ConstVal::compare(*a.val, op, *x.val)) x = a;
        } else {
          x.mode = ExprMode::Value;
        }
      }
      if (x.mode != ExprMode::Constant) {
        x.mode = ExprMode::Value;
        assignment(x, nullptr, std::string("argument to built-in ") + spec.name);
        if (x.mode == ExprMode::Invalid) {
          x.expr = call;
          return ExprKind::Expression;
        }
      }
      for (auto& a : args) updateExprType(a.expr, x.type, true);
      x.expr = call;
      return ExprKind::Expression;
    }
    default: break;
  }
  x.mode = ExprMode::Invalid;
  x.expr = call;
  return ExprKind::Expression;
}

// new(T) and make(T, args): the first argument is a type.
ExprKind Checker::builtinMakeNew(Operand& x, CallExpr* call, BuiltinId id) {
  const char* name = id == BuiltinId::New ? "new" : "make";
  size_t nargs = call->args.size();
  x.expr = call;
  if (nargs == 0 || (id == BuiltinId::New && nargs > 1)) {
    Pos at = nargs == 0 ? (call->rparen.valid() ? call->rparen : call->pos) : call->args[1]->pos;
    error(at, std::string("invalid operation: ") + (nargs == 0 ? "not enough" : "too many") + " arguments for " +
                  exprString(call) + " (expected 1, found " + std::to_string(nargs) + ")");
    useExprs(call->args);
    x.mode = ExprMode::Invalid;
    return ExprKind::Expression;
  }
  const Type* T = typExpr(call->args[0]);
  if (!isValid(T)) {
    for (size_t i = 1; i < nargs; i++) useExprs({call->args[i]});
    x.mode = ExprMode::Invalid;
    return ExprKind::Expression;
  }
  if (id == BuiltinId::New) {
    x.mode = ExprMode::Value;
    x.type = tc_.pointerTo(T);
    x.val = nullptr;
    return ExprKind::Expression;
  }
  size_t min = 1;
  const Type* u = T->underlying();
  if (u->as<Slice>()) min = 2;
  else if (!u->as<Map>() && !u->as<Chan>()) {
    error(call->args[0]->pos, "invalid argument: cannot make " + exprString(call->args[0]) + "; type must be slice, map, or channel");
    for (size_t i = 1; i < nargs; i++) useExprs({call->args[i]});
    x.mode = ExprMode::Invalid;
    return ExprKind::Expression;
  }
  if (nargs < min || nargs > min + 1) {
    error(call->pos, "invalid operation: " + exprString(call) + " expects " + std::to_string(min) + " or " +
                         std::to_string(min + 1) + " arguments; found " + std::to_string(nargs));
    for (size_t i = 1; i < nargs; i++) useExprs({call->args[i]});
    x.mode = ExprMode::Invalid;
    return ExprKind::Expression;
  }
  std::vector<int64_t> sizes;
  for (size_t i = 1; i < nargs; i++) {
    int64_t v;
    if (index(call->args[i], -1, v) && v >= 0) sizes.push_back(v);
  }
  if (sizes.size() == 2 && sizes[0] > sizes[1]) error(call->args[1]->pos, "invalid argument: length and capacity swapped");
  (void)name;
  x.mode = ExprMode::Value;
  x.type = T;
  x.val = nullptr;
  return ExprKind::Expression;
}

}  // namespace types
}  // namespace gol
