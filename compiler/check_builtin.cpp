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
    case BuiltinId::Append:
    case BuiltinId::Clear:
    case BuiltinId::Close:
    case BuiltinId::Copy:
    case BuiltinId::Delete:
    case BuiltinId::Make:
    case BuiltinId::New:
      useExprs(call->args);
      unsupported(call->pos, std::string("built-in ") + spec.name);
      return ExprKind::Statement;
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

}  // namespace types
}  // namespace gol
