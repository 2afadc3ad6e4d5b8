// check_lookup.cpp: selectors, method sets and interfaces (go/types' lookup.go, selection.go,
// interface.go, methodset.go and the method part of decl.go/signature.go).
//
// A selector x.f is resolved by lookupFieldOrMethod, a breadth-first walk of x's type through
// its embedded fields (the spec's "Selectors": the shallowest depth wins, two candidates at the
// same depth make the selector ambiguous). The path it walks is recorded on the SelectorExpr
// (ast.h SelectionInfo) so lowering can replay it: each step dereferences a pointer when the
// value at hand is one, and at the end the receiver is addressed (&) or loaded (*) as the
// method's receiver needs.
//
// Method sets (the spec's "Method sets"): a defined type T has its value-receiver methods; *T has
// the value- and pointer-receiver methods of T; promotion through an embedded field S adds S's
// methods, and through an embedded *S the methods of *S. An interface's method set is its
// complete method list (allMethods, explicit plus embedded, sorted by name). A pointer-receiver
// method may still be called on an addressable T value (x.M() means (&x).M()): the lookup
// reports such a method with needsPtr when the receiver is neither a pointer nor addressable.
//
// Implementation (assignability to an interface, type assertions, type switch cases) is decided
// by missingMethodCause with Go's messages: "(missing method M)", "(method M has pointer
// receiver)", "(wrong type for method M)".
#include <algorithm>
#include <map>

#include "check_internal.h"

namespace gol {
namespace types {

static const Type* derefPtr(const Type* t, bool& isPtr) {
  if (auto p = t ? t->as<Pointer>() : nullptr) {
    isPtr = true;
    return p->elem;
  }
  isPtr = false;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Lookup (go/types' lookupFieldOrMethod)

LookupResult Checker::lookupFieldOrMethod(const Type* T, bool addressable, const std::string& name) {
  LookupResult r;
  if (!T || !isValid(T) || name == "_") return r;
  // A defined pointer type (type P *S) has no methods, but the fields of *S are selectable.
  if (auto n = T->as<Named>()) {
    if (auto p = n->under ? n->under->as<Pointer>() : nullptr) {
      r = lookupFieldOrMethod(p, false, name);
      if (r.obj && r.obj->kind == ObjKind::Func) return LookupResult{};
      return r;
    }
  }
  bool isPtr;
  const Type* typ = derefPtr(T, isPtr);
  if (isPtr && isInterface(typ)) return r;  // a pointer to an interface has no methods

  struct Entry {
    const Type* typ;
    std::vector<int> index;
    bool indirect;   // a pointer was dereferenced to get here
    bool ptr;        // the value reached at this step is a pointer to typ
    bool multiples;  // typ was reached more than once at this depth
  };
  std::vector<Entry> current{{typ, {}, isPtr, isPtr, false}};
  std::vector<const Named*> seen;
  while (!current.empty()) {
    std::vector<Entry> next;
    Object* obj = nullptr;
    std::vector<int> index;
    bool indirect = false, ptr = false;
    auto found = [&](Object* o, const Entry& e, int i) -> bool {
      if (obj || e.multiples) {
        r.ambiguous = true;
        return false;
      }
      obj = o;
      index = e.index;
      index.push_back(i);
      indirect = e.indirect;
      ptr = e.ptr;
      return true;
    };
    for (const Entry& e : current) {
      const Type* t = e.typ;
      if (auto n = t->as<Named>()) {
        if (std::find(seen.begin(), seen.end(), n) != seen.end()) continue;
        seen.push_back(n);
        bool hit = false;
        for (size_t k = 0; k < n->methods.size(); k++) {
          if (n->methods[k]->name != name) continue;
          if (!found(n->methods[k], e, int(k))) return r;
          hit = true;
          break;
        }
        if (hit) continue;  // a type with a method M has no field M (reported at the method)
        t = n->under;
        if (!t) continue;
      }
      if (auto st = t->as<Struct>()) {
        for (size_t i = 0; i < st->fields.size(); i++) {
          Var* f = st->fields[i];
          if (f->name == name) {
            if (!found(f, e, int(i))) return r;
            continue;
          }
          if (!obj && f->embedded && f->type && isValid(f->type)) {
            bool p;
            const Type* ft = derefPtr(f->type, p);
            std::vector<int> idx = e.index;
            idx.push_back(int(i));
            next.push_back({ft, idx, e.indirect || p, p, e.multiples});
          }
        }
      } else if (auto it = t->as<Interface>()) {
        for (size_t k = 0; k < it->allMethods.size(); k++) {
          if (it->allMethods[k]->name != name) continue;
          if (!found(it->allMethods[k], e, int(k))) return r;
          break;
        }
      }
    }
    if (obj) {
      r.obj = obj;
      r.index = index;
      r.indirect = indirect;
      r.reachedPtr = ptr;
      if (auto f = obj->as<Func>())
        if (f->ptrRecv && !indirect && !addressable) r.needsPtr = true;
      return r;
    }
    // consolidate: the same type reached twice at one depth makes its members ambiguous
    current.clear();
    for (Entry& e : next) {
      bool dup = false;
      for (Entry& c : current)
        if (identical(c.typ, e.typ)) {
          c.multiples = true;
          dup = true;
          break;
        }
      if (!dup) current.push_back(e);
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Implementation of interfaces

static std::string methodSigString(const Checker& c, const Func* m) {
  std::string s = m->type ? c.typeStr(m->type) : "func()";
  return m->name + (s.rfind("func", 0) == 0 ? s.substr(4) : s);
}

std::string Checker::missingMethodCause(const Type* V, const Type* T) {
  auto ti = T ? T->underlying()->as<Interface>() : nullptr;
  if (!ti || !V || !isValid(V)) return "";
  auto vi = V->underlying()->as<Interface>();
  for (Func* m : ti->allMethods) {
    Func* f = nullptr;
    bool needsPtr = false;
    if (vi) {
      for (Func* g : vi->allMethods)
        if (g->name == m->name) f = g;
    } else {
      LookupResult r = lookupFieldOrMethod(V, false, m->name);
      f = r.obj ? r.obj->as<Func>() : nullptr;
      needsPtr = r.needsPtr;
    }
    if (!f) return "(missing method " + m->name + ")";
    if (!f->type || !isValid(f->type) || !m->type) continue;
    if (!identical(f->type, m->type))
      return "(wrong type for method " + m->name + ")\n\t\thave " + methodSigString(*this, f) + "\n\t\twant " +
             methodSigString(*this, m);
    if (needsPtr) return "(method " + m->name + " has pointer receiver)";
  }
  return "";
}

std::string Checker::implementsReason(const Type* V, const Type* T) {
  std::string cause = missingMethodCause(V, T);
  if (cause.empty()) return "";
  return typeStr(V) + " does not implement " + typeStr(T) + " " + cause;
}

// ---------------------------------------------------------------------------------------------
// Interface and struct types

const Type* Checker::interfaceType(InterfaceType* e, const Named*) {
  Interface* t = tc_.newInterface();
  struct Entry {
    Func* m;
    Pos pos;
  };
  std::map<std::string, Entry> all;
  std::vector<std::pair<const Type*, Pos>> embeds;
  if (e->methods) {
    for (Field* f : e->methods->list) {
      if (!f) continue;
      if (f->names.empty()) {
        const Type* et = typExpr(f->type);
        if (!isValid(et)) continue;
        auto n = et->as<Named>();
        if (n && !n->under) {  // n's declaration is in progress: it embeds itself
          error(n->obj->pos, "invalid recursive type " + n->obj->name);
          continue;
        }
        if (!et->underlying()->as<Interface>()) {
          error(f->type->pos, "interface with type constraint " + typeStr(et) + " is not supported in Gol (generics)");
          continue;
        }
        embeds.push_back({et, f->type->pos});
        t->embeddeds.push_back(et);
        continue;
      }
      Ident* id = f->names[0];
      auto ft = f->type ? f->type->as<FuncType>() : nullptr;
      if (!id || !ft) continue;
      const Signature* sig = funcType(ft, nullptr, false);
      auto m = tc_.newObject<Func>(id->name, sig, id->pos);
      m->pkg = pkgPath_;
      m->isIfaceMethod = true;
      id->obj = m;
      if (id->name == "_") {
        error(id->pos, "methods must have a unique non-blank name");
        continue;
      }
      auto it = all.find(id->name);
      if (it != all.end()) {
        error(id->pos, "duplicate method " + id->name + "\n\t" + diag_.sources().format(it->second.pos) +
                           ": other declaration of " + id->name);
        continue;
      }
      all[id->name] = {m, id->pos};
      t->methods.push_back(m);
    }
  }
  for (auto& [et, pos] : embeds) {
    for (Func* m : et->underlying()->as<Interface>()->allMethods) {
      auto it = all.find(m->name);
      if (it == all.end()) {
        all[m->name] = {m, pos};
        continue;
      }
      if (!identical(it->second.m->type, m->type))
        error(pos, "duplicate method " + m->name + "\n\t" + diag_.sources().format(it->second.pos) +
                       ": other declaration of " + m->name);
    }
  }
  for (auto& [name, en] : all) t->allMethods.push_back(en.m);  // std::map: sorted by name
  return t;
}

const Type* Checker::structType(StructType* st) {
  Struct* s = tc_.newStruct();
  std::map<std::string, Pos> seen;
  if (!st->fields) return s;
  for (Field* f : st->fields->list) {
    if (!f) continue;
    const Type* ft = typExpr(f->type);
    std::string tag;
    if (f->tag) {
      std::string err;
      ConstVal tv = ConstVal::fromLiteral(Tok::String, f->tag->text, err);
      if (tv.kind() == ConstValue::Kind::String) tag = tv.stringVal();
    }
    auto addField = [&](const std::string& name, Pos pos, Ident* id, bool embedded) {
      auto v = tc_.newObject<Var>(name, ft, pos);
      v->isField = true;
      v->embedded = embedded;
      v->pkg = pkgPath_;
      if (id) id->obj = v;
      if (name != "_") {
        auto it = seen.find(name);
        if (it != seen.end())
          error(pos, name + " redeclared\n\t" + diag_.sources().format(it->second) + ": other declaration of " + name);
        else
          seen[name] = pos;
      }
      s->fields.push_back(v);
      s->tags.push_back(tag);
    };
    if (!f->names.empty()) {
      for (Ident* id : f->names)
        if (id) addField(id->name, id->pos, id, false);
      continue;
    }
    // An embedded field: T, *T, pkg.T or *pkg.T; its name is T.
    Expr* te = unparen(f->type);
    bool star = false;
    if (te && te->is<StarExpr>()) {
      te = unparen(te->as<StarExpr>()->x);
      star = true;
    }
    std::string name = "?";
    if (auto id = te ? te->as<Ident>() : nullptr) name = id->name;
    else if (auto sel = te ? te->as<SelectorExpr>() : nullptr) name = sel->sel ? sel->sel->name : "?";
    else if (te) error(te->pos, "embedded field type must be a type name");
    if (isValid(ft)) {
      const Type* base = star && ft->as<Pointer>() ? ft->as<Pointer>()->elem : ft;
      auto n = base->as<Named>();
      bool known = !n || n->under;
      if (known) {
        if (base->underlying()->as<Pointer>()) {
          error(f->pos, "embedded field type cannot be a pointer");
          ft = tc_.invalid();
        } else if (star && isInterface(base)) {
          error(f->pos, "embedded field type cannot be a pointer to an interface");
          ft = tc_.invalid();
        }
      }
    }
    addField(name, f->pos, nullptr, true);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Method declarations

void Checker::methodDecl(Func* obj, DeclInfo* d) {
  obj->type = tc_.invalid();
  FuncDecl* fd = d->fdecl;
  Scope* fs = tc_.newScope(d->fileScope, "function " + obj->name);
  funcScopes_[obj] = fs;
  FieldList* rl = fd->recv;
  Field* rf = rl && !rl->list.empty() ? rl->list[0] : nullptr;
  if (!rf) error(rl && rl->opening.valid() ? rl->opening : fd->name->pos, "method has no receiver");
  else if (rl->list.size() > 1 || rf->names.size() > 1)
    error(rl->list.size() > 1 && rl->list[1] ? rl->list[1]->pos : rf->pos, "method has multiple receivers");
  const Type* rt = tc_.invalid();
  Named* base = nullptr;
  bool ptr = false;
  if (rf && rf->type) {
    rt = typExpr(rf->type);
    if (isValid(rt)) {
      const Type* bt = rt;
      if (auto p = rt->as<Pointer>()) {
        bt = p->elem;
        ptr = true;
      }
      auto nb = bt->as<Named>();
      bool local = nb && nb->obj && nb->obj->parent == pkgScope_;
      if (bt->as<Pointer>()) {
        error(rf->pos, "invalid receiver type " + typeStr(rt));
      } else if (!local && (nb || bt->as<Basic>())) {
        error(rf->pos, "cannot define new methods on non-local type " + typeStr(bt));
      } else if (!nb) {
        error(rf->pos, "invalid receiver type " + typeStr(rt));
      } else if (nb->under && (nb->under->as<Pointer>() || nb->under->as<Interface>())) {
        error(rf->pos, "invalid receiver type " + typeStr(bt) + " (pointer or interface type)");
      } else if (nb->under && isValid(nb->under)) {
        base = const_cast<Named*>(nb);  // types are owned by tc_; methods are added here
      }
    }
  }
  Ident* rid = rf && !rf->names.empty() ? rf->names[0] : nullptr;
  auto recv = tc_.newObject<Var>(rid ? rid->name : "", rt, rid ? rid->pos : (rf ? rf->pos : fd->pos));
  recv->isParam = true;
  recv->pkg = pkgPath_;
  if (rid) declareIn(fs, rid, recv);
  auto sig = const_cast<Signature*>(funcType(fd->type, fs, true));
  sig->recv = recv;
  obj->type = sig;
  obj->ptrRecv = ptr;
  const std::string& name = obj->name;
  if (!base) {
    obj->linkName = pkgPath_ + ".?." + name;
    return;
  }
  const std::string& tname = base->obj->name;
  obj->linkName = ptr ? pkgPath_ + ".(*" + tname + ")." + name : pkgPath_ + "." + tname + "." + name;
  if (name == "_") return;  // blank methods are never in a method set
  if (auto st = base->under->as<Struct>()) {
    for (Var* f : st->fields) {
      if (f->name != name) continue;
      error(fd->name->pos, "field and method with the same name " + name + "\n\t" + diag_.sources().format(f->pos) +
                               ": other declaration of " + name);
      return;
    }
  }
  for (Func* m : base->methods) {
    if (m->name != name) continue;
    error(fd->name->pos, "method " + tname + "." + name + " already declared at " + diag_.sources().format(m->pos));
    return;
  }
  base->methods.push_back(obj);
}

const Signature* Checker::methodValueSig(Func* m) {
  auto it = methodValueSigs_.find(m);
  if (it != methodValueSigs_.end()) return it->second;
  const Signature* s = m->sig();
  Signature* v = tc_.newSignature();
  v->params = s->params ? s->params : tc_.emptyTuple();
  v->results = s->results ? s->results : tc_.emptyTuple();
  v->variadic = s->variadic;
  methodValueSigs_[m] = v;
  return v;
}

const Signature* Checker::methodExprSig(const Type* recv, Func* m) {
  const Signature* s = m->sig();
  Signature* v = tc_.newSignature();
  Tuple* params = tc_.newTuple();
  auto rv = tc_.newObject<Var>("", recv, m->pos);
  rv->isParam = true;
  params->vars.push_back(rv);
  if (s->params)
    for (Var* p : s->params->vars) params->vars.push_back(p);
  v->params = params;
  v->results = s->results ? s->results : tc_.emptyTuple();
  v->variadic = s->variadic;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Selectors

void Checker::selector(Operand& x, SelectorExpr* e) {
  if (!e->sel) {
    useExprs({e->x});
    return;
  }
  const std::string& sel = e->sel->name;
  SelectionInfo& info = e->selection;
  info = SelectionInfo{};
  if (auto id = e->x ? e->x->as<Ident>() : nullptr) {
    Scope* s = scope_ ? scope_ : pkgScope_;
    Object* o = s->lookupParent(id->name);
    if (auto pn = o ? o->as<PkgName>() : nullptr) {
      pn->used = true;
      id->obj = pn;
      Object* obj = pn->pkgScope ? pn->pkgScope->lookup(sel) : nullptr;
      if (!obj || !obj->exported()) {
        if (obj) error(e->sel->pos, "name " + sel + " not exported by package " + pn->path);
        else error(e->sel->pos, "undefined: " + id->name + "." + sel);
        return;
      }
      e->sel->obj = obj;
      info.kind = SelectionKind::PackageObj;
      info.obj = obj;
      if (auto f = obj->as<Func>()) {
        x.mode = ExprMode::Value;
        x.type = f->type;
        e->sel->mode = ExprMode::Value;
        e->sel->type = f->type;
        return;
      }
      if (auto tn = obj->as<TypeName>()) {
        x.mode = ExprMode::TypeExpr;
        x.type = tn->type;
        return;
      }
      if (auto c = obj->as<Const>()) {
        if (!c->type || !isValid(c->type) || !c->value) return;
        x.val = static_cast<const ConstVal*>(c->value);
        x.mode = ExprMode::Constant;
        x.type = c->type;
        return;
      }
      if (auto v = obj->as<Var>()) {
        if (!v->type || !isValid(v->type)) return;
        x.mode = ExprMode::Variable;
        x.type = v->type;
        return;
      }
      info.kind = SelectionKind::None;
      unsupported(e->sel->pos, "this package-level object of " + pn->path);
      return;
    }
  }
  exprOrType(x, e->x);
  if (x.mode == ExprMode::Invalid) return;
  if (x.mode == ExprMode::TypeExpr) {
    // a method expression T.M or (*T).M
    const Type* T = x.type;
    LookupResult r = lookupFieldOrMethod(T, false, sel);
    Func* m = r.obj ? r.obj->as<Func>() : nullptr;
    if (r.ambiguous) {
      error(e->sel->pos, "ambiguous selector " + exprString(e));
    } else if (!m || !m->sig()) {
      error(e->sel->pos, exprString(e) + " undefined (type " + typeStr(T) + " has no method " + sel + ")");
    } else if (r.needsPtr) {
      error(e->sel->pos, "invalid method expression " + exprString(e) + " (needs pointer receiver (*" + typeStr(T) +
                             ")." + sel + ")");
    } else {
      info.kind = SelectionKind::MethodExpr;
      if (decl_ && !m->isIfaceMethod) decl_->addDep(m);
      info.index = r.index;
      info.indirect = r.indirect;
      info.ifaceMethod = m->isIfaceMethod;
      info.addrRecv = m->ptrRecv && !r.reachedPtr;
      info.derefRecv = !m->ptrRecv && r.reachedPtr && !m->isIfaceMethod;
      info.obj = m;
      e->sel->obj = m;
      x.mode = ExprMode::Value;
      x.type = methodExprSig(T, m);
      e->sel->mode = ExprMode::Value;
      e->sel->type = x.type;
      return;
    }
    x.mode = ExprMode::Invalid;
    return;
  }
  LookupResult r = lookupFieldOrMethod(x.type, x.mode == ExprMode::Variable, sel);
  if (!r.obj || r.needsPtr) {
    if (r.ambiguous) {
      error(e->sel->pos, "ambiguous selector " + exprString(e));
    } else if (r.needsPtr) {
      error(e->sel->pos, "cannot call pointer method " + sel + " on " + typeStr(x.type));
    } else {
      auto p = x.type->as<Pointer>();
      if (p && isInterface(p->elem))
        error(e->sel->pos, exprString(e) + " undefined (type " + typeStr(x.type) + " is pointer to interface, not interface)");
      else
        error(e->sel->pos, exprString(e) + " undefined (type " + typeStr(x.type) + " has no field or method " + sel + ")");
    }
    x.mode = ExprMode::Invalid;
    return;
  }
  info.index = r.index;
  info.indirect = r.indirect;
  info.obj = r.obj;
  e->sel->obj = r.obj;
  if (auto f = r.obj->as<Var>()) {
    info.kind = SelectionKind::FieldVal;
    x.mode = x.mode == ExprMode::Variable || r.indirect ? ExprMode::Variable : ExprMode::Value;
    x.type = f->type && isValid(f->type) ? f->type : tc_.invalid();
    if (!isValid(x.type)) x.mode = ExprMode::Invalid;
  } else {
    auto m = r.obj->as<Func>();
    if (!m->sig()) {
      x.mode = ExprMode::Invalid;
      return;
    }
    info.kind = SelectionKind::MethodVal;
    if (decl_ && !m->isIfaceMethod) decl_->addDep(m);  // for the initialization order
    info.ifaceMethod = m->isIfaceMethod;
    info.addrRecv = m->ptrRecv && !r.reachedPtr;
    info.derefRecv = !m->ptrRecv && r.reachedPtr && !m->isIfaceMethod;
    x.mode = ExprMode::Value;
    x.type = methodValueSig(m);
  }
  e->sel->mode = x.mode;
  e->sel->type = x.type;
}

// ---------------------------------------------------------------------------------------------
// Type assertions

void Checker::typeAssert(Operand& x, TypeAssertExpr* e) {
  expr(x, e->x);
  if (!e->typeExpr) {
    if (x.mode != ExprMode::Invalid) error(e->pos, "invalid syntax tree: use of .(type) outside type switch");
    x.mode = ExprMode::Invalid;
    return;
  }
  if (x.mode == ExprMode::Invalid) {
    typExpr(e->typeExpr);
    return;
  }
  if (!isInterface(x.type)) {
    error(e->x->pos, "invalid operation: " + operandString(x) + " is not an interface");
    typExpr(e->typeExpr);
    x.mode = ExprMode::Invalid;
    return;
  }
  const Type* T = typExpr(e->typeExpr);
  if (!isValid(T)) {
    x.mode = ExprMode::Invalid;
    return;
  }
  if (!isInterface(T)) {
    std::string cause = missingMethodCause(T, x.type);
    if (!cause.empty()) {
      error(e->pos, "impossible type assertion: " + exprString(e) + "\n\t" + typeStr(T) + " does not implement " +
                        typeStr(x.type) + " " + cause);
      x.mode = ExprMode::Invalid;
      return;
    }
  }
  x.mode = ExprMode::CommaOk;
  x.type = T;
}

}  // namespace types
}  // namespace gol
