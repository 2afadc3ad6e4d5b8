// check.cpp: the checker's entry point (checkPackage), its phases, and the formatting of
// expressions and operands in messages (go/types' exprstring.go and operand.go), so that
// messages read exactly like Go's: `x + y (mismatched types int and string)`,
// `300 (untyped int constant) overflows int8`, `f() (no value) used as value`.
//
// Phases (go/types' checkFiles): collect package-level objects -> type-check them in dependency
// order -> check function bodies -> compute the initialization order of package variables ->
// report unused imports -> give every still-untyped expression its default type.
#include "check_internal.h"

namespace gol {

namespace types {

void Checker::error(Pos pos, const std::string& msg) { diag_.error(pos, msg); }

void Checker::unsupported(Pos pos, const std::string& what) { error(pos, what + " is not supported in Gol yet"); }

Expr* Checker::unparen(Expr* e) {
  while (e && e->is<ParenExpr>()) e = e->as<ParenExpr>()->x;
  return e;
}

// ---------------------------------------------------------------------------------------------
// Expression strings (go/types ExprString)

static void writeExpr(std::string& out, const Expr* e);

static void writeExprList(std::string& out, const std::vector<Expr*>& list) {
  for (size_t i = 0; i < list.size(); i++) {
    if (i) out += ", ";
    writeExpr(out, list[i]);
  }
}

static void writeFieldList(std::string& out, const FieldList* fl, const char* sep) {
  if (!fl) return;
  for (size_t i = 0; i < fl->list.size(); i++) {
    if (i) out += sep;
    const Field* f = fl->list[i];
    if (!f) continue;
    for (size_t k = 0; k < f->names.size(); k++) {
      if (k) out += ", ";
      out += f->names[k] ? f->names[k]->name : "_";
    }
    if (!f->names.empty()) out += " ";
    writeExpr(out, f->type);
  }
}

static void writeSig(std::string& out, const FuncType* ft) {
  out += "(";
  writeFieldList(out, ft->params, ", ");
  out += ")";
  const FieldList* r = ft->results;
  if (!r || r->list.empty()) return;
  out += " ";
  if (r->list.size() == 1 && r->list[0] && r->list[0]->names.empty()) {
    writeExpr(out, r->list[0]->type);
    return;
  }
  out += "(";
  writeFieldList(out, r, ", ");
  out += ")";
}

static void writeExpr(std::string& out, const Expr* e) {
  if (!e) {
    out += "_";
    return;
  }
  switch (e->kind) {
    case NodeKind::BadExpr: out += "BadExpr"; return;
    case NodeKind::Ident: out += e->as<Ident>()->name; return;
    case NodeKind::BasicLit: out += e->as<BasicLit>()->text; return;
    case NodeKind::FuncLit: {
      out += "(func";
      if (e->as<FuncLit>()->type_) writeSig(out, e->as<FuncLit>()->type_);
      out += " literal)";
      return;
    }
    case NodeKind::CompositeLit: {
      auto c = e->as<CompositeLit>();
      if (c->typeExpr) writeExpr(out, c->typeExpr);
      out += "{";
      if (!c->elts.empty()) out += "…";
      out += "}";
      return;
    }
    case NodeKind::ParenExpr:
      out += "(";
      writeExpr(out, e->as<ParenExpr>()->x);
      out += ")";
      return;
    case NodeKind::SelectorExpr:
      writeExpr(out, e->as<SelectorExpr>()->x);
      out += ".";
      out += e->as<SelectorExpr>()->sel ? e->as<SelectorExpr>()->sel->name : "_";
      return;
    case NodeKind::IndexExpr:
      writeExpr(out, e->as<IndexExpr>()->x);
      out += "[";
      writeExprList(out, e->as<IndexExpr>()->indices);
      out += "]";
      return;
    case NodeKind::SliceExpr: {
      auto s = e->as<SliceExpr>();
      writeExpr(out, s->x);
      out += "[";
      if (s->low) writeExpr(out, s->low);
      out += ":";
      if (s->high) writeExpr(out, s->high);
      if (s->slice3) {
        out += ":";
        if (s->max) writeExpr(out, s->max);
      }
      out += "]";
      return;
    }
    case NodeKind::TypeAssertExpr:
      writeExpr(out, e->as<TypeAssertExpr>()->x);
      out += ".(";
      if (e->as<TypeAssertExpr>()->typeExpr) writeExpr(out, e->as<TypeAssertExpr>()->typeExpr);
      else out += "type";
      out += ")";
      return;
    case NodeKind::CallExpr: {
      auto c = e->as<CallExpr>();
      writeExpr(out, c->fun);
      out += "(";
      writeExprList(out, c->args);
      if (c->hasEllipsis) out += "...";
      out += ")";
      return;
    }
    case NodeKind::StarExpr:
      out += "*";
      writeExpr(out, e->as<StarExpr>()->x);
      return;
    case NodeKind::UnaryExpr:
      out += std::string(tokString(e->as<UnaryExpr>()->op));
      writeExpr(out, e->as<UnaryExpr>()->x);
      return;
    case NodeKind::BinaryExpr: {
      auto b = e->as<BinaryExpr>();
      writeExpr(out, b->x);
      out += " " + std::string(tokString(b->op)) + " ";
      writeExpr(out, b->y);
      return;
    }
    case NodeKind::KeyValueExpr:
      writeExpr(out, e->as<KeyValueExpr>()->key);
      out += ": ";
      writeExpr(out, e->as<KeyValueExpr>()->value_);
      return;
    case NodeKind::ArrayType: {
      auto a = e->as<ArrayType>();
      out += "[";
      if (a->len) writeExpr(out, a->len);
      out += "]";
      writeExpr(out, a->elem);
      return;
    }
    case NodeKind::StructType:
      out += "struct{";
      writeFieldList(out, e->as<StructType>()->fields, "; ");
      out += "}";
      return;
    case NodeKind::FuncType:
      out += "func";
      writeSig(out, e->as<FuncType>());
      return;
    case NodeKind::InterfaceType:
      out += "interface{";
      if (e->as<InterfaceType>()->methods && !e->as<InterfaceType>()->methods->list.empty()) out += "…";
      out += "}";
      return;
    case NodeKind::MapType:
      out += "map[";
      writeExpr(out, e->as<MapType>()->key);
      out += "]";
      writeExpr(out, e->as<MapType>()->value_);
      return;
    case NodeKind::ChanType: {
      auto c = e->as<ChanType>();
      out += c->dir == ChanDir::Recv ? "<-chan " : c->dir == ChanDir::Send ? "chan<- " : "chan ";
      writeExpr(out, c->elem);
      return;
    }
    case NodeKind::EllipsisType:
      out += "...";
      if (e->as<EllipsisType>()->elem) writeExpr(out, e->as<EllipsisType>()->elem);
      return;
    default: out += "?"; return;
  }
}

std::string Checker::exprString(const Expr* e) const {
  std::string s;
  writeExpr(s, e);
  return s;
}

static const char* modeString(ExprMode m) {
  switch (m) {
    case ExprMode::Invalid: return "invalid operand";
    case ExprMode::NoValue: return "no value";
    case ExprMode::Builtin: return "built-in";
    case ExprMode::TypeExpr: return "type";
    case ExprMode::Constant: return "constant";
    case ExprMode::Variable: return "variable";
    case ExprMode::MapIndex: return "map index expression";
    case ExprMode::Value: return "value";
    case ExprMode::CommaOk: return "comma, ok expression";
  }
  return "?";
}

std::string Checker::operandString(const Operand& x) const {
  if (x.isNil()) return "nil";
  std::string expr;
  if (x.expr) {
    expr = exprString(x.expr);
  } else if (x.mode == ExprMode::TypeExpr) {
    expr = typeStr(x.type);
  } else if (x.mode == ExprMode::Constant && x.val) {
    expr = x.val->toString();
  }
  std::string s = expr.empty() ? "" : expr + " ";
  s += "(";
  bool hasType = false;
  switch (x.mode) {
    case ExprMode::Invalid:
    case ExprMode::NoValue:
    case ExprMode::Builtin:
    case ExprMode::TypeExpr: break;
    default:
      if (x.type) {
        if (isUntyped(x.type)) {
          s += x.type->as<Basic>()->name;
          s += " ";
          break;
        }
        hasType = true;
      }
  }
  s += modeString(x.mode);
  if (x.mode == ExprMode::Constant && x.val) {
    std::string v = x.val->toString();
    if (v != expr) s += " " + v;
  }
  if (hasType) {
    if (isValid(x.type)) s += " of type " + typeStr(x.type);
    else s += " with invalid type";
  }
  s += ")";
  return s;
}

// ---------------------------------------------------------------------------------------------
// Untyped expressions that no context typed get their default type.

void Checker::finishUntyped() {
  for (auto& [e, info] : untyped_) {
    const Type* t = defaultType(tc_, info.type);
    e->type = t;
    e->mode = info.mode;
    if (info.val) {
      const ConstVal* v = info.val;
      if (isInteger(t) && v->kind() == ConstValue::Kind::Float) v = tc_.newConst(v->toInt());
      else if (isFloat(t) && v->kind() == ConstValue::Kind::Int) v = tc_.newConst(v->toFloat());
      e->value = v;
    }
  }
  untyped_.clear();
}

// ---------------------------------------------------------------------------------------------
// The phases

bool Checker::run(std::vector<File*> files) {
  size_t before = diag_.count();
  files_.clear();
  for (File* f : files)
    if (f) files_.push_back(f);
  pkg_.files = files_;
  pkgPath_ = pkg_.path.empty() ? "main" : pkg_.path;
  bool isMain = pkgPath_ == "main";
  pkg_.name = pkgPath_.substr(pkgPath_.rfind('/') + 1);
  pkgScope_ = tc_.newScope(tc_.universe(), "package " + pkg_.name);
  pkg_.scope = pkgScope_;

  std::string first;
  for (File* f : files_) {
    if (!f->packageName) continue;
    const std::string& name = f->packageName->name;
    if (first.empty()) {
      first = name;
      if (isMain && name != "main") error(f->packageName->pos, "package " + name + " is not a main package (a Gol program is one package main)");
      if (!isMain && name != pkg_.name) error(f->packageName->pos, "package " + name + "; expected " + pkg_.name);
    } else if (name != first) {
      error(f->packageName->pos, "package " + name + "; expected " + first);
    }
  }

  collectObjects(files_);
  packageObjects();
  for (auto& [f, d] : funcBodies_) {
    if (d->fdecl && d->fdecl->body) funcBody(f, d, d->fdecl->body);
  }
  computeInitOrder();
  reportUnusedImports();

  Object* mainObj = pkgScope_->lookup("main");
  if (!files_.empty() && isMain && first == "main" && !(mainObj && mainObj->kind == ObjKind::Func)) {
    Pos p = files_[0]->packageName ? files_[0]->packageName->pos : files_[0]->pos;
    if (!mainObj) error(p, "function main is undeclared in the main package");
  }
  finishUntyped();
  return diag_.count() == before;
}

}  // namespace types

bool checkPackage(types::TypeContext& tc, std::vector<File*> files, Diag& diag, CheckedPackage& pkg) {
  types::Checker c(tc, diag, pkg);
  return c.run(std::move(files));
}

std::unique_ptr<types::TypeContext> newTypeContext() { return std::make_unique<types::TypeContext>(); }

}  // namespace gol
