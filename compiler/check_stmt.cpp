// check_stmt.cpp: statements (go/types' stmt.go, assignments.go, labels.go, return.go and the
// branch checks gc does in its syntax package).
//
// Each block opens a scope; names declared by := or var become visible after their statement.
// break/continue find their target on the stack of enclosing breakable statements (targets_)
// and record it in BranchStmt::target; fallthrough records the next case clause. A function
// with results must end in a terminating statement (the spec's "Terminating statements").
#include <algorithm>

#include "check_internal.h"

namespace gol {
namespace types {

void Checker::openScope(const char* comment) { scope_ = tc_.newScope(scope_, comment); }

void Checker::closeScope() {
  if (scope_ && scope_->parent) scope_ = scope_->parent;
}

void Checker::stmtList(const std::vector<Stmt*>& list, unsigned ctx) {
  bool fallOk = ctx & kFallthroughOk;
  unsigned inner = ctx & ~(kFallthroughOk | kFinalSwitchCase);
  // trailing empty statements are invisible to the fallthrough analysis
  size_t n = list.size();
  while (n > 0 && list[n - 1] && list[n - 1]->is<EmptyStmt>()) n--;
  for (size_t i = 0; i < list.size(); i++) {
    unsigned c = inner;
    if (i + 1 == n) {
      if (fallOk) c |= kFallthroughOk;
      if (ctx & kFinalSwitchCase) c |= kFinalSwitchCase;
    }
    stmt(list[i], c);
  }
}

void Checker::simpleStmt(Stmt* s) {
  if (s) stmt(s, 0);
}

void Checker::stmt(Stmt* s, unsigned ctx) {
  if (!s) return;
  std::string label = std::move(curLabel_);
  curLabel_.clear();
  switch (s->kind) {
    case NodeKind::BadStmt:
    case NodeKind::EmptyStmt: return;
    case NodeKind::DeclStmt: localDecl(s->as<DeclStmt>()); return;
    case NodeKind::LabeledStmt: {
      auto ls = s->as<LabeledStmt>();
      curLabel_ = ls->label ? ls->label->name : "";
      stmt(ls->stmt, ctx);
      curLabel_.clear();
      return;
    }
    case NodeKind::ExprStmt: {
      auto es = s->as<ExprStmt>();
      if (!es->x) return;
      Operand x;
      ExprKind kind = rawExpr(x, es->x, nullptr);
      switch (x.mode) {
        case ExprMode::Invalid: return;
        case ExprMode::Builtin: error(es->x->pos, operandString(x) + " must be called"); return;
        case ExprMode::TypeExpr: error(es->x->pos, operandString(x) + " is not an expression"); return;
        default:
          if (kind == ExprKind::Statement) return;
          error(es->x->pos, operandString(x) + " is not used");
          return;
      }
    }
    case NodeKind::SendStmt: sendStmt(s->as<SendStmt>()); return;
    case NodeKind::IncDecStmt: {
      auto ids = s->as<IncDecStmt>();
      if (!ids->x) return;
      Operand x;
      expr(x, ids->x);
      if (x.mode == ExprMode::Invalid) return;
      if (!isNumeric(x.type)) {
        std::string op(tokString(ids->tok));
        error(ids->x->pos, "invalid operation: " + exprString(ids->x) + op + " (non-numeric type " + typeStr(x.type) + ")");
        return;
      }
      assignVar(ids->x, nullptr, &x, "assignment");
      return;
    }
    case NodeKind::AssignStmt: assignStmt(s->as<AssignStmt>()); return;
    case NodeKind::GoStmt: goStmt(s, s->as<GoStmt>()->call, "go"); return;
    case NodeKind::DeferStmt: goStmt(s, s->as<DeferStmt>()->call, "defer"); return;
    case NodeKind::ReturnStmt: returnStmt(s->as<ReturnStmt>()); return;
    case NodeKind::BranchStmt: branchStmt(s->as<BranchStmt>(), ctx); return;
    case NodeKind::BlockStmt:
      openScope("block");
      stmtList(s->as<BlockStmt>()->list, ctx & ~(kFallthroughOk | kFinalSwitchCase));
      closeScope();
      return;
    case NodeKind::IfStmt: ifStmt(s->as<IfStmt>(), ctx); return;
    case NodeKind::SwitchStmt:
      curLabel_ = label;
      switchStmt(s->as<SwitchStmt>(), ctx);
      return;
    case NodeKind::TypeSwitchStmt:
      curLabel_ = label;
      typeSwitchStmt(s->as<TypeSwitchStmt>(), ctx);
      return;
    case NodeKind::SelectStmt:
      curLabel_ = label;
      selectStmt(s->as<SelectStmt>(), ctx);
      return;
    case NodeKind::ForStmt:
      curLabel_ = label;
      forStmt(s->as<ForStmt>(), ctx);
      return;
    case NodeKind::RangeStmt:
      curLabel_ = label;
      rangeStmt(s->as<RangeStmt>(), ctx);
      return;
    case NodeKind::CaseClause:
    case NodeKind::CommClause: error(s->pos, "case clause outside of a switch or select"); return;
    default: error(s->pos, "invalid statement"); return;
  }
}

// ---------------------------------------------------------------------------------------------
// Assignments

void Checker::assignError(const std::vector<Expr*>& rhs, size_t l, size_t r) {
  auto measure = [](size_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  std::string vars = measure(l, "variable"), vals = measure(r, "value");
  Expr* rhs0 = rhs.empty() ? nullptr : rhs[0];
  Pos at = rhs0 ? rhs0->pos : Pos{};
  if (rhs.size() == 1) {
    if (auto call = unparen(rhs0) ? unparen(rhs0)->as<CallExpr>() : nullptr) {
      error(at, "assignment mismatch: " + vars + " but " + exprString(call->fun) + " returns " + vals);
      return;
    }
  }
  error(at, "assignment mismatch: " + vars + " but " + vals);
}

void Checker::returnError(ReturnStmt* s, const std::vector<Var*>& lhs, const std::vector<Operand>& rhs) {
  size_t l = lhs.size(), r = rhs.size();
  std::string qualifier = "not enough";
  Pos at = s->pos;
  if (r > l) {
    at = rhs[l].expr ? rhs[l].expr->pos : at;
    qualifier = "too many";
  } else if (r > 0 && rhs[r - 1].expr) {
    at = rhs[r - 1].expr->pos;
  }
  std::vector<const Type*> have, want;
  for (auto& o : rhs) have.push_back(o.type);
  for (Var* v : lhs) want.push_back(v->type);
  error(at, qualifier + " return values\n\thave " + typesSummary(have, false) + "\n\twant " + typesSummary(want, false));
}

const Type* Checker::lhsVar(Expr* lhs) {
  Expr* u = unparen(lhs);
  auto ident = u ? u->as<Ident>() : nullptr;
  if (ident && ident->name == "_") {
    ident->obj = nullptr;
    return nullptr;
  }
  Var* v = nullptr;
  bool vUsed = false;
  if (ident) {
    Scope* s = scope_ ? scope_ : pkgScope_;
    if (Object* obj = s->lookupParent(ident->name)) {
      if ((v = obj->as<Var>())) vUsed = v->used;
    }
  }
  Operand x;
  expr(x, lhs);
  if (v) v->used = vUsed;
  if (x.mode == ExprMode::Invalid) return tc_.invalid();
  switch (x.mode) {
    case ExprMode::Variable:
    case ExprMode::MapIndex: break;
    default: {
      if (auto sel = u ? u->as<SelectorExpr>() : nullptr) {
        if (sel->x && sel->x->mode == ExprMode::MapIndex) {
          error(lhs->pos, "cannot assign to struct field " + exprString(lhs) + " in map");
          return tc_.invalid();
        }
      }
      error(lhs->pos, "cannot assign to " + exprString(lhs) + " (neither addressable nor a map index expression)");
      return tc_.invalid();
    }
  }
  return x.type;
}

void Checker::assignVar(Expr* lhs, Expr* rhs, Operand* x, const std::string& contextIn) {
  const Type* T = lhsVar(lhs);
  if (T && !isValid(T)) {
    if (x) x->mode = ExprMode::Invalid;
    else useExprs({rhs});
    return;
  }
  Operand tmp;
  if (!x) {
    x = &tmp;
    exprWithHint(*x, rhs, T);
  }
  std::string context = contextIn;
  if (!T && context == "assignment") context = "assignment to _ identifier";
  assignment(*x, T, context);
  if (!T) {  // the blank identifier takes the value's type
    Expr* u = unparen(lhs);
    if (u) {
      u->mode = ExprMode::Variable;
      u->type = x->mode == ExprMode::Invalid ? tc_.invalid() : x->type;
    }
  }
}

void Checker::assignVars(const std::vector<Expr*>& lhs, const std::vector<Expr*>& rhs) {
  size_t l = lhs.size(), r = rhs.size();
  bool isCall = r == 1 && unparen(rhs[0]) && unparen(rhs[0])->is<CallExpr>();
  if (l == r && !isCall) {
    for (size_t i = 0; i < l; i++) assignVar(lhs[i], rhs[i], nullptr, "assignment");
    return;
  }
  if (r != 1) {
    useLHS(lhs);
    std::vector<Operand> ops;
    exprList(ops, rhs);
    for (auto& o : ops)
      if (o.mode == ExprMode::Invalid) return;
    assignError(rhs, l, r);
    return;
  }
  std::vector<Operand> ops;
  bool commaOk = false;
  multiExpr(ops, rhs[0], l == 2, commaOk);
  if (ops.size() == l) {
    for (size_t i = 0; i < l; i++) assignVar(lhs[i], nullptr, &ops[i], "assignment");
    return;
  }
  if (!ops.empty() && ops[0].mode != ExprMode::Invalid) assignError(rhs, l, ops.size());
  useLHS(lhs);
}

void Checker::shortVarDecl(AssignStmt* s) {
  std::vector<Var*> newVars, lhsVars;
  std::vector<Ident*> newIdents;
  std::set<std::string> seen;
  bool hasErr = false;
  for (Expr* lhs : s->lhs) {
    Var* obj = nullptr;
    auto ident = lhs ? lhs->as<Ident>() : nullptr;
    if (!ident) {
      if (lhs) {
        useLHS({lhs});
        error(lhs->pos, "non-name " + exprString(lhs) + " on left side of :=");
      }
      hasErr = true;
    } else if (ident->name != "_" && seen.count(ident->name)) {
      error(lhs->pos, ident->name + " repeated on left side of :=");
      hasErr = true;
    } else {
      seen.insert(ident->name);
      Object* alt = ident->name == "_" ? nullptr : scope_->lookup(ident->name);
      if (alt) {
        ident->obj = alt;
        if (auto v = alt->as<Var>()) {
          obj = v;
        } else {
          error(lhs->pos, "cannot assign to " + exprString(lhs));
          hasErr = true;
        }
      } else {
        obj = tc_.newObject<Var>(ident->name, nullptr, ident->pos);
        obj->pkg = pkgPath_;
        ident->obj = obj;
        if (ident->name != "_") {
          newVars.push_back(obj);
          newIdents.push_back(ident);
        }
      }
    }
    if (!obj) obj = tc_.newObject<Var>("_", nullptr, lhs ? lhs->pos : s->pos);
    lhsVars.push_back(obj);
  }
  initVars(lhsVars, s->rhs, nullptr);
  // record the variables' types on the identifiers
  for (size_t i = 0; i < s->lhs.size() && i < lhsVars.size(); i++) {
    if (auto id = s->lhs[i] ? s->lhs[i]->as<Ident>() : nullptr) {
      id->mode = ExprMode::Variable;
      id->type = lhsVars[i]->type;
    }
  }
  for (size_t i = 0; i < newVars.size(); i++) declareIn(scope_, nullptr, newVars[i]);
  if (newVars.empty() && !hasErr) error(s->tokPos.valid() ? s->tokPos : s->pos, "no new variables on left side of :=");
}

void Checker::assignStmt(AssignStmt* s) {
  if (s->lhs.empty() || s->rhs.empty()) {
    useExprs(s->lhs);
    useExprs(s->rhs);
    return;
  }
  switch (s->tok) {
    case Tok::Assign: assignVars(s->lhs, s->rhs); return;
    case Tok::Define: shortVarDecl(s); return;
    default: break;
  }
  Tok op = assignOpBase(s->tok);
  if (op == Tok::Illegal) {
    error(s->pos, "invalid assignment operator " + std::string(tokString(s->tok)));
    return;
  }
  if (s->lhs.size() != 1 || s->rhs.size() != 1) {
    error(s->pos, "assignment operation " + std::string(tokString(s->tok)) + " requires single-valued expressions");
    return;
  }
  Operand x;
  binary(x, nullptr, s->lhs[0], s->rhs[0], op, s->tokPos);
  assignVar(s->lhs[0], nullptr, &x, "assignment operation");
}

// ---------------------------------------------------------------------------------------------
// return, go, branches

void Checker::returnStmt(ReturnStmt* s) {
  const Tuple* res = sig_ ? sig_->results : nullptr;
  size_t nres = res ? res->vars.size() : 0;
  if (s->results.empty()) {
    if (nres == 0) return;
    if (!res->vars[0]->name.empty()) {
      // a naked return: the named results must not be shadowed
      for (Var* v : res->vars) {
        if (v->name == "_") continue;
        Object* alt = scope_->lookupParent(v->name);
        if (alt && alt != v) {
          error(s->pos, "result parameter " + v->name + " not in scope at return\n\t" +
                            diag_.sources().format(alt->pos) + ": inner declaration of " + v->name);
        }
      }
      return;
    }
    returnError(s, res->vars, {});
    return;
  }
  if (nres == 0) {
    std::vector<Operand> ops;
    exprList(ops, s->results);
    for (auto& o : ops)
      if (o.mode == ExprMode::Invalid) return;
    Pos at = s->results[0]->pos;
    std::vector<const Type*> have;
    for (auto& o : ops) have.push_back(o.type);
    error(at, "too many return values\n\thave " + typesSummary(have, false) + "\n\twant ()");
    return;
  }
  initVars(res->vars, s->results, s);
}

// go f(x) and defer f(x): any call (function, method value, closure, function value) or a
// builtin that is a statement (panic, print, close, copy, recover...), never an expression-only
// builtin (len, append...) or a conversion.
void Checker::goStmt(Stmt* s, CallExpr* call, const char* keyword) {
  std::string kw = keyword;
  if (!call) {
    error(s->pos, "expression in " + kw + " must be function call");
    return;
  }
  Operand x;
  ExprKind kind = rawExpr(x, call, nullptr);
  if (x.mode == ExprMode::Invalid) return;
  switch (kind) {
    case ExprKind::Conversion: error(call->pos, kw + " requires function call, not conversion " + operandString(x)); return;
    case ExprKind::Expression: error(call->pos, kw + " discards result of " + operandString(x)); return;
    case ExprKind::Statement: return;
  }
}

// ch <- v: ch is a channel that may send; v is assigned to its element type.
void Checker::sendStmt(SendStmt* s) {
  Operand ch, val;
  expr(ch, s->chan);
  expr(val, s->value_);
  if (ch.mode == ExprMode::Invalid || val.mode == ExprMode::Invalid) return;
  auto c = ch.type->underlying()->as<Chan>();
  if (!c) {
    error(s->pos, "invalid operation: cannot send to non-channel " + operandString(ch));
    return;
  }
  if (c->dir == ChanDir::Recv) {
    error(s->pos, "invalid operation: cannot send to receive-only channel " + operandString(ch));
    return;
  }
  assignment(val, c->elem, "send");
}

void Checker::branchStmt(BranchStmt* s, unsigned ctx) {
  std::string name = s->label ? s->label->name : "";
  if (s->label) usedLabels_.insert(name);
  switch (s->tok) {
    case Tok::Break:
    case Tok::Continue: {
      bool isBreak = s->tok == Tok::Break;
      if (!s->label) {
        for (size_t i = targets_.size(); i-- > 0;) {
          if (isBreak || targets_[i].isLoop) {
            s->target = targets_[i].stmt;
            return;
          }
        }
        error(s->pos, isBreak ? "break is not in a loop, switch, or select" : "continue is not in a loop");
        return;
      }
      for (size_t i = targets_.size(); i-- > 0;) {
        if (targets_[i].label != name) continue;
        if (!isBreak && !targets_[i].isLoop) {
          error(s->label->pos, "invalid continue label " + name);
          return;
        }
        s->target = targets_[i].stmt;
        return;
      }
      if (labels_.count(name)) {
        error(s->label->pos, std::string(isBreak ? "invalid break label " : "invalid continue label ") + name);
      } else {
        error(s->label->pos, std::string(isBreak ? "break" : "continue") + " label not defined: " + name);
      }
      return;
    }
    case Tok::Fallthrough: {
      if ((ctx & kFallthroughOk) && clauses_ && clauseIndex_ + 1 < clauses_->size()) {
        s->target = (*clauses_)[clauseIndex_ + 1];
        return;
      }
      if (ctx & kFinalSwitchCase) error(s->pos, "cannot fallthrough final case in switch");
      else if (ctx & kInTypeSwitch) error(s->pos, "cannot fallthrough in type switch");
      else error(s->pos, "fallthrough statement out of place");
      return;
    }
    case Tok::Goto:
      if (s->label && !labels_.count(name)) {
        error(s->label->pos, "label " + name + " not defined");
        return;
      }
      unsupported(s->pos, "goto statement");
      return;
    default: error(s->pos, "invalid branch statement"); return;
  }
}

void Checker::collectLabelsIn(Stmt* s) {
  if (!s) return;
  switch (s->kind) {
    case NodeKind::LabeledStmt: {
      auto ls = s->as<LabeledStmt>();
      if (ls->label && ls->label->name != "_") {
        auto it = labels_.find(ls->label->name);
        if (it != labels_.end()) {
          error(ls->label->pos, "label " + ls->label->name + " already defined at " +
                                    diag_.sources().format(it->second->label->pos));
        } else {
          labels_[ls->label->name] = ls;
        }
      }
      collectLabelsIn(ls->stmt);
      return;
    }
    case NodeKind::BlockStmt:
      for (Stmt* c : s->as<BlockStmt>()->list) collectLabelsIn(c);
      return;
    case NodeKind::IfStmt:
      collectLabelsIn(s->as<IfStmt>()->body);
      collectLabelsIn(s->as<IfStmt>()->else_);
      return;
    case NodeKind::ForStmt: collectLabelsIn(s->as<ForStmt>()->body); return;
    case NodeKind::RangeStmt: collectLabelsIn(s->as<RangeStmt>()->body); return;
    case NodeKind::SwitchStmt: collectLabelsIn(s->as<SwitchStmt>()->body); return;
    case NodeKind::TypeSwitchStmt: collectLabelsIn(s->as<TypeSwitchStmt>()->body); return;
    case NodeKind::SelectStmt: collectLabelsIn(s->as<SelectStmt>()->body); return;
    case NodeKind::CaseClause:
      for (Stmt* c : s->as<CaseClause>()->body) collectLabelsIn(c);
      return;
    case NodeKind::CommClause:
      for (Stmt* c : s->as<CommClause>()->body) collectLabelsIn(c);
      return;
    default: return;
  }
}

void Checker::collectLabels(BlockStmt* body) { collectLabelsIn(body); }

// ---------------------------------------------------------------------------------------------
// Control flow

void Checker::ifStmt(IfStmt* s, unsigned ctx) {
  openScope("if");
  simpleStmt(s->init);
  if (s->cond) {
    Operand x;
    expr(x, s->cond);
    if (x.mode != ExprMode::Invalid && !isBoolean(x.type))
      error(s->cond->pos, "non-boolean condition in if statement");
  }
  stmt(s->body, ctx & ~(kFallthroughOk | kFinalSwitchCase));
  if (s->else_) {
    if (s->else_->is<IfStmt>() || s->else_->is<BlockStmt>()) stmt(s->else_, ctx & ~(kFallthroughOk | kFinalSwitchCase));
    else error(s->else_->pos, "invalid else branch in if statement");
  }
  closeScope();
}

void Checker::forStmt(ForStmt* s, unsigned ctx) {
  std::string label = std::move(curLabel_);
  curLabel_.clear();
  openScope("for");
  simpleStmt(s->init);
  if (s->cond) {
    Operand x;
    expr(x, s->cond);
    if (x.mode != ExprMode::Invalid && !isBoolean(x.type))
      error(s->cond->pos, "non-boolean condition in for statement");
  }
  if (auto as = s->post ? s->post->as<AssignStmt>() : nullptr) {
    if (as->tok == Tok::Define) {
      error(s->post->pos, "cannot declare in post statement of for loop");
      useExprs(as->rhs);
    } else {
      simpleStmt(s->post);
    }
  } else {
    simpleStmt(s->post);
  }
  targets_.push_back({s, label, true});
  stmt(s->body, (ctx & ~(kFallthroughOk | kFinalSwitchCase)) | kBreakOk | kContinueOk);
  targets_.pop_back();
  closeScope();
}

void Checker::rangeStmt(RangeStmt* s, unsigned ctx) {
  std::string label = std::move(curLabel_);
  curLabel_.clear();
  openScope("range");
  Operand x;
  if (s->x) expr(x, s->x);
  // the key and value types
  const Type* keyT = nullptr;
  const Type* valT = nullptr;
  bool overInt = false;
  if (x.mode != ExprMode::Invalid) {
    const Type* u = x.type->underlying();
    if (auto p = u->as<Pointer>())
      if (p->elem->underlying()->as<Array>()) u = p->elem->underlying();
    if (isString(u)) {
      keyT = tc_.basic(BasicKind::Int);
      valT = tc_.runeType();
    } else if (isInteger(u)) {
      keyT = x.type;
      overInt = true;
    } else if (auto a = u->as<Array>()) {
      keyT = tc_.basic(BasicKind::Int);
      valT = a->elem;
    } else if (auto sl = u->as<Slice>()) {
      keyT = tc_.basic(BasicKind::Int);
      valT = sl->elem;
    } else if (auto m = u->as<Map>()) {
      keyT = m->key;
      valT = m->elem;
    } else if (auto c = u->as<Chan>()) {
      if (c->dir == ChanDir::Send) {
        error(s->x->pos, "cannot range over " + operandString(x) + ": receive from send-only channel");
        x.mode = ExprMode::Invalid;
      } else {
        keyT = c->elem;
        if (s->value_) {
          error(s->value_->pos, "range over " + operandString(x) + " permits only one iteration variable");
          x.mode = ExprMode::Invalid;
        }
      }
    } else {
      error(s->x->pos, "cannot range over " + operandString(x));
      x.mode = ExprMode::Invalid;
    }
    if (overInt && s->value_) {
      error(s->value_->pos, "range over " + operandString(x) + " permits only one iteration variable");
    }
  }
  if (x.mode != ExprMode::Invalid && isUntyped(x.type) && !s->key) convertUntyped(x, defaultType(tc_, x.type));
  Expr* lhs[2] = {s->key, s->value_};
  const Type* rhs[2] = {keyT, valT};
  if (s->tok == Tok::Define) {
    std::vector<Var*> vars;
    for (int i = 0; i < 2; i++) {
      if (!lhs[i]) continue;
      auto id = lhs[i]->as<Ident>();
      if (!id) {
        error(lhs[i]->pos, "non-name " + exprString(lhs[i]) + " on left side of :=");
        useExprs({lhs[i]});
        continue;
      }
      auto v = tc_.newObject<Var>(id->name, nullptr, id->pos);
      v->pkg = pkgPath_;
      id->obj = v;
      if (id->name != "_") vars.push_back(v);
      if (x.mode == ExprMode::Invalid || !rhs[i]) {
        v->type = tc_.invalid();
        v->used = true;
      } else if (overInt) {
        initVar(v, x, "range clause");
      } else {
        v->type = rhs[i];
      }
      id->mode = ExprMode::Variable;
      id->type = v->type;
    }
    for (Var* v : vars) declareIn(scope_, nullptr, v);
    if (vars.empty()) error(s->pos, "no new variables on left side of :=");
  } else if (s->tok == Tok::Assign) {
    for (int i = 0; i < 2; i++) {
      if (!lhs[i]) continue;
      if (x.mode == ExprMode::Invalid || !rhs[i]) {
        useLHS({lhs[i]});
        continue;
      }
      if (overInt) {
        assignVar(lhs[i], nullptr, &x, "range clause");
        if (x.mode != ExprMode::Invalid && !isInteger(x.type))
          error(lhs[i]->pos, "cannot use iteration variable of type " + typeStr(x.type));
      } else {
        Operand y;
        y.mode = ExprMode::Value;
        y.expr = lhs[i];
        y.type = rhs[i];
        assignVar(lhs[i], nullptr, &y, "assignment");
      }
    }
  }
  if (x.mode != ExprMode::Invalid && isUntyped(x.type)) convertUntyped(x, defaultType(tc_, x.type));
  targets_.push_back({s, label, true});
  stmt(s->body, (ctx & ~(kFallthroughOk | kFinalSwitchCase)) | kBreakOk | kContinueOk);
  targets_.pop_back();
  closeScope();
}

void Checker::switchStmt(SwitchStmt* s, unsigned ctx) {
  std::string label = std::move(curLabel_);
  curLabel_.clear();
  openScope("switch");
  simpleStmt(s->init);
  Operand x;
  if (s->tag) {
    expr(x, s->tag);
    assignment(x, nullptr, "switch expression");
    if (x.mode != ExprMode::Invalid && !isComparable(x.type) && !hasNil(x.type)) {
      error(s->tag->pos, "cannot switch on " + operandString(x) + " (" + typeStr(x.type) + " is not comparable)");
      x.mode = ExprMode::Invalid;
    }
  } else {
    if (!trueIdent_) trueIdent_ = std::make_unique<Ident>(s->pos, "true");
    trueIdent_->pos = s->pos;
    x.mode = ExprMode::Constant;
    x.type = tc_.basic(BasicKind::Bool);
    x.val = tc_.newConst(ConstVal::makeBool(true));
    x.expr = trueIdent_.get();
  }
  std::vector<CaseClause*> clauses;
  if (s->body) {
    for (Stmt* c : s->body->list) {
      if (auto cc = c ? c->as<CaseClause>() : nullptr) clauses.push_back(cc);
      else if (c) error(c->pos, "invalid switch clause");
    }
  }
  CaseClause* firstDefault = nullptr;
  struct Seen {
    std::string key;
    const Type* type;
    Pos pos;
  };
  std::vector<Seen> seen;
  targets_.push_back({s, label, false});
  auto savedClauses = clauses_;
  size_t savedIndex = clauseIndex_;
  for (size_t i = 0; i < clauses.size(); i++) {
    CaseClause* cc = clauses[i];
    if (cc->isDefault || cc->list.empty()) {
      if (firstDefault) error(cc->pos, "multiple defaults in switch (first at " + diag_.sources().format(firstDefault->pos) + ")");
      else firstDefault = cc;
    }
    for (Expr* e : cc->list) {
      if (!e) continue;
      Operand v;
      expr(v, e);
      if (x.mode == ExprMode::Invalid || v.mode == ExprMode::Invalid) continue;
      convertUntyped(v, x.type);
      if (v.mode == ExprMode::Invalid) continue;
      Operand res = v;
      Operand tag = x;
      comparison(res, tag, Tok::Eql, true);
      if (res.mode == ExprMode::Invalid) continue;
      if (v.mode != ExprMode::Constant) continue;
      std::string key = std::to_string(int(v.val->kind())) + ":" + v.val->toString();
      if (v.val->kind() == ConstValue::Kind::String) key += v.val->stringVal();
      bool dup = false;
      for (auto& sv : seen) {
        if (sv.key == key && identical(sv.type, v.type)) {
          error(e->pos, "duplicate case " + operandString(v) + " in expression switch\n\t" + diag_.sources().format(sv.pos) +
                            ": previous case");
          dup = true;
          break;
        }
      }
      if (!dup) seen.push_back({key, v.type, e->pos});
    }
    openScope("case");
    unsigned inner = (ctx & ~(kFallthroughOk | kFinalSwitchCase)) | kBreakOk;
    if (i + 1 < clauses.size()) inner |= kFallthroughOk;
    else inner |= kFinalSwitchCase;
    clauses_ = &clauses;
    clauseIndex_ = i;
    stmtList(cc->body, inner);
    clauses_ = savedClauses;
    clauseIndex_ = savedIndex;
    closeScope();
  }
  targets_.pop_back();
  closeScope();
}

// switch [x :=] y.(type) { case T1, T2: ... case nil: ... default: ... }
//
// y must be an interface; each case type must be able to implement it. With x :=, every clause
// declares its own x (CaseClause::implicitObj): of the clause's type when it lists exactly one
// type, else of y's type. The identifier x itself gets a Var of y's type that is declared
// nowhere; x is "declared and not used" when no clause uses its x.
void Checker::typeSwitchStmt(TypeSwitchStmt* s, unsigned ctx) {
  std::string label = std::move(curLabel_);
  curLabel_.clear();
  openScope("type switch");
  simpleStmt(s->init);
  Ident* lhs = nullptr;
  Expr* guard = nullptr;
  if (auto as = s->assign ? s->assign->as<AssignStmt>() : nullptr) {
    if (as->lhs.size() == 1 && as->rhs.size() == 1) {
      lhs = as->lhs[0] ? as->lhs[0]->as<Ident>() : nullptr;
      guard = as->rhs[0];
    }
  } else if (auto es = s->assign ? s->assign->as<ExprStmt>() : nullptr) {
    guard = es->x;
  }
  auto ta = unparen(guard) ? unparen(guard)->as<TypeAssertExpr>() : nullptr;
  Operand x;
  if (!ta || ta->typeExpr) {
    if (s->assign) error(s->assign->pos, "invalid syntax tree: bad type switch guard");
    x.mode = ExprMode::Invalid;
  } else {
    expr(x, ta->x);
    if (x.mode != ExprMode::Invalid && !isInterface(x.type)) {
      error(ta->x->pos, operandString(x) + " is not an interface");
      x.mode = ExprMode::Invalid;
    }
    ta->mode = x.mode == ExprMode::Invalid ? ExprMode::Invalid : ExprMode::Value;
    ta->type = x.mode == ExprMode::Invalid ? tc_.invalid() : x.type;
    for (Expr* p = guard; p && p != ta; p = p->as<ParenExpr>() ? p->as<ParenExpr>()->x : nullptr) {
      p->mode = ta->mode;
      p->type = ta->type;
    }
  }
  if (lhs && lhs->name == "_") {
    error(lhs->pos, "no new variable on left side of :=");
    lhs = nullptr;
  }
  const Type* xT = x.mode == ExprMode::Invalid ? tc_.invalid() : x.type;
  if (lhs) {
    auto sym = tc_.newObject<Var>(lhs->name, xT, lhs->pos);
    sym->pkg = pkgPath_;
    sym->used = true;
    lhs->obj = sym;
    lhs->mode = ExprMode::Variable;
    lhs->type = xT;
  }
  std::vector<CaseClause*> clauses;
  if (s->body)
    for (Stmt* c : s->body->list) {
      if (auto cc = c ? c->as<CaseClause>() : nullptr) clauses.push_back(cc);
      else if (c) error(c->pos, "invalid type switch clause");
    }
  CaseClause* firstDefault = nullptr;
  struct Seen {
    const Type* type;  // null: nil
    Pos pos;
  };
  std::vector<Seen> seen;
  std::vector<Var*> implicits;
  targets_.push_back({s, label, false});
  for (CaseClause* cc : clauses) {
    if (cc->isDefault || cc->list.empty()) {
      if (firstDefault) error(cc->pos, "multiple defaults (first at " + diag_.sources().format(firstDefault->pos) + ")");
      else firstDefault = cc;
    }
    const Type* single = nullptr;
    for (Expr* e : cc->list) {
      if (!e) continue;
      const Type* T = nullptr;
      bool isNil = false;
      auto id = unparen(e)->as<Ident>();
      Object* o = id ? (scope_ ? scope_ : pkgScope_)->lookupParent(id->name) : nullptr;
      if (o && o->kind == ObjKind::Nil) {
        isNil = true;
        id->obj = o;
        for (Expr* p = e; p; p = p->as<ParenExpr>() ? p->as<ParenExpr>()->x : nullptr) {
          p->mode = ExprMode::Value;
          p->type = xT;
        }
      } else {
        T = typExpr(e);
        if (!isValid(T)) continue;
      }
      if (x.mode != ExprMode::Invalid && T && !isInterface(T)) {
        std::string cause = missingMethodCause(T, x.type);
        if (!cause.empty()) {
          error(e->pos, "impossible type switch case: " + exprString(e) + "\n\t" + operandString(x) +
                            " cannot have dynamic type " + typeStr(T) + " " + cause);
          continue;
        }
      }
      bool dup = false;
      for (auto& sv : seen) {
        if ((isNil && !sv.type) || (T && sv.type && identical(T, sv.type))) {
          error(e->pos, "duplicate case " + (isNil ? std::string("nil") : typeStr(T)) + " in type switch\n\t" +
                            diag_.sources().format(sv.pos) + ": previous case");
          dup = true;
          break;
        }
      }
      if (!dup) seen.push_back({isNil ? nullptr : T, e->pos});
      if (cc->list.size() == 1 && T) single = T;
    }
    openScope("case");
    if (lhs) {
      auto v = tc_.newObject<Var>(lhs->name, single ? single : xT, lhs->pos);
      v->pkg = pkgPath_;
      scope_->insert(v);
      cc->implicitObj = v;
      implicits.push_back(v);
    }
    stmtList(cc->body, (ctx & ~(kFallthroughOk | kFinalSwitchCase)) | kBreakOk | kInTypeSwitch);
    closeScope();
  }
  targets_.pop_back();
  if (lhs) {
    bool used = false;
    for (Var* v : implicits) used |= v->used;
    if (!used) error(lhs->pos, lhs->name + " declared and not used");
    for (Var* v : implicits) v->used = true;  // reported once, here
  }
  closeScope();
}

// select { case v, ok := <-c: ... case c <- x: ... default: ... }
void Checker::selectStmt(SelectStmt* s, unsigned ctx) {
  std::string label = std::move(curLabel_);
  curLabel_.clear();
  CommClause* firstDefault = nullptr;
  targets_.push_back({s, label, false});
  if (s->body) {
    for (Stmt* c : s->body->list) {
      auto cc = c ? c->as<CommClause>() : nullptr;
      if (!cc) {
        if (c) error(c->pos, "invalid select clause");
        continue;
      }
      if (!cc->comm) {
        if (firstDefault) error(cc->pos, "multiple defaults (first at " + diag_.sources().format(firstDefault->pos) + ")");
        else firstDefault = cc;
      }
      auto isRecv = [&](Expr* e) {
        auto u = unparen(e) ? unparen(e)->as<UnaryExpr>() : nullptr;
        return u && u->op == Tok::Arrow;
      };
      bool valid = true;
      if (Stmt* comm = cc->comm) {
        if (comm->is<SendStmt>()) {
        } else if (auto es = comm->as<ExprStmt>()) {
          valid = isRecv(es->x);
        } else if (auto as = comm->as<AssignStmt>()) {
          valid = (as->tok == Tok::Assign || as->tok == Tok::Define) && as->rhs.size() == 1 && isRecv(as->rhs[0]) &&
                  as->lhs.size() <= 2;
        } else {
          valid = false;
        }
        if (!valid) error(comm->pos, "select case must be send or receive (possibly with assignment)");
      }
      openScope("case");
      if (valid && cc->comm) simpleStmt(cc->comm);
      stmtList(cc->body, (ctx & ~(kFallthroughOk | kFinalSwitchCase)) | kBreakOk);
      closeScope();
    }
  }
  targets_.pop_back();
}

// ---------------------------------------------------------------------------------------------
// Terminating statements (the spec's definition; go/types' return.go)

bool Checker::isTerminatingList(const std::vector<Stmt*>& list, const std::string& label) {
  for (size_t i = list.size(); i-- > 0;) {
    if (!list[i] || list[i]->is<EmptyStmt>()) continue;
    return isTerminating(list[i], label);
  }
  return false;
}

bool Checker::isTerminating(Stmt* s, const std::string& label) {
  if (!s) return false;
  switch (s->kind) {
    case NodeKind::LabeledStmt: {
      auto ls = s->as<LabeledStmt>();
      return isTerminating(ls->stmt, ls->label ? ls->label->name : "");
    }
    case NodeKind::ExprStmt: {
      Expr* e = unparen(s->as<ExprStmt>()->x);
      auto call = e ? e->as<CallExpr>() : nullptr;
      if (!call) return false;
      auto f = unparen(call->fun);
      auto id = f ? f->as<Ident>() : nullptr;
      auto b = id && id->obj ? id->obj->as<Builtin>() : nullptr;
      return b && b->id == BuiltinId::Panic;
    }
    case NodeKind::ReturnStmt: return true;
    case NodeKind::BranchStmt: {
      Tok t = s->as<BranchStmt>()->tok;
      return t == Tok::Goto || t == Tok::Fallthrough;
    }
    case NodeKind::BlockStmt: return isTerminatingList(s->as<BlockStmt>()->list, "");
    case NodeKind::IfStmt: {
      auto is = s->as<IfStmt>();
      return is->else_ && isTerminating(is->body, "") && isTerminating(is->else_, "");
    }
    case NodeKind::SwitchStmt:
    case NodeKind::TypeSwitchStmt: {
      BlockStmt* body = s->is<SwitchStmt>() ? s->as<SwitchStmt>()->body : s->as<TypeSwitchStmt>()->body;
      if (!body) return false;
      bool hasDefault = false;
      for (Stmt* c : body->list) {
        auto cc = c ? c->as<CaseClause>() : nullptr;
        if (!cc) continue;
        if (cc->isDefault || cc->list.empty()) hasDefault = true;
        if (!isTerminatingList(cc->body, "") || hasBreakList(cc->body, s, label, true)) return false;
      }
      return hasDefault;
    }
    case NodeKind::SelectStmt: {
      auto body = s->as<SelectStmt>()->body;
      if (!body) return false;
      for (Stmt* c : body->list) {
        auto cc = c ? c->as<CommClause>() : nullptr;
        if (!cc) continue;
        if (!isTerminatingList(cc->body, "") || hasBreakList(cc->body, s, label, true)) return false;
      }
      return true;
    }
    case NodeKind::ForStmt: {
      auto fs = s->as<ForStmt>();
      return !fs->cond && !hasBreak(fs->body, s, label, true);
    }
    default: return false;
  }
}

bool Checker::hasBreakList(const std::vector<Stmt*>& list, Stmt* target, const std::string& label, bool implicit) {
  for (Stmt* s : list)
    if (hasBreak(s, target, label, implicit)) return true;
  return false;
}

bool Checker::hasBreak(Stmt* s, Stmt* target, const std::string& label, bool implicit) {
  if (!s) return false;
  switch (s->kind) {
    case NodeKind::LabeledStmt: return hasBreak(s->as<LabeledStmt>()->stmt, target, label, implicit);
    case NodeKind::BranchStmt: {
      auto b = s->as<BranchStmt>();
      if (b->tok != Tok::Break) return false;
      if (!b->label) return implicit;
      return !label.empty() && b->label->name == label;
    }
    case NodeKind::BlockStmt: return hasBreakList(s->as<BlockStmt>()->list, target, label, implicit);
    case NodeKind::IfStmt: {
      auto is = s->as<IfStmt>();
      return hasBreak(is->body, target, label, implicit) || hasBreak(is->else_, target, label, implicit);
    }
    case NodeKind::CaseClause: return hasBreakList(s->as<CaseClause>()->body, target, label, implicit);
    case NodeKind::CommClause: return hasBreakList(s->as<CommClause>()->body, target, label, implicit);
    case NodeKind::SwitchStmt:
      return !label.empty() && s->as<SwitchStmt>()->body && hasBreak(s->as<SwitchStmt>()->body, target, label, false);
    case NodeKind::TypeSwitchStmt:
      return !label.empty() && s->as<TypeSwitchStmt>()->body && hasBreak(s->as<TypeSwitchStmt>()->body, target, label, false);
    case NodeKind::SelectStmt:
      return !label.empty() && s->as<SelectStmt>()->body && hasBreak(s->as<SelectStmt>()->body, target, label, false);
    case NodeKind::ForStmt: return !label.empty() && hasBreak(s->as<ForStmt>()->body, target, label, false);
    case NodeKind::RangeStmt: return !label.empty() && hasBreak(s->as<RangeStmt>()->body, target, label, false);
    default: return false;
  }
}

}  // namespace types
}  // namespace gol
