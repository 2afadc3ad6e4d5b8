// check_decl.cpp: declarations (go/types' resolver.go, decl.go, initorder.go, typexpr.go).
//
// Package level: collectObjects declares every const, var, type and func of all files in the
// package scope (imports go to per-file scopes); objDecl then type-checks each object on
// demand, so declarations may appear in any order. An object being checked is "grey"; meeting a
// grey object again is a cycle, which is legal only through types or functions. References
// between package-level objects are recorded as dependencies (DeclInfo::deps) while checking
// initializers and function bodies; computeInitOrder turns them into Go's variable
// initialization order and reports initialization cycles.
//
// Local declarations (const/var/type inside functions) are checked here too: a local name's
// scope starts after its spec, so `x := x` or `var x = x` refer to an outer x.
#include <algorithm>
#include <functional>

#include "check_internal.h"

namespace gol {
namespace types {

static const std::set<std::string>& plannedStdPackages() {
  static const std::set<std::string> s = {"fmt", "strings", "strconv", "math", "sort", "errors", "time",
                                          "sync", "os", "sync/atomic", "unicode/utf8", "bytes", "unicode"};
  return s;
}

void Checker::declareIn(Scope* s, Ident* id, Object* obj) {
  if (id) id->obj = obj;
  if (obj->name == "_") {
    obj->parent = s;
    return;
  }
  if (Object* alt = s->insert(obj)) {
    std::string msg = obj->name + " redeclared in this block";
    if (alt->pos.valid()) msg += "\n\t" + diag_.sources().format(alt->pos) + ": other declaration of " + obj->name;
    error(obj->pos, msg);
  }
}

// ---------------------------------------------------------------------------------------------
// Collecting package-level objects

void Checker::collectObjects(const std::vector<File*>& files) {
  for (File* file : files) {
    std::string fname = file->fileIndex >= 0 && size_t(file->fileIndex) < diag_.sources().size()
                            ? diag_.sources().file(file->fileIndex).name
                            : "?";
    Scope* fileScope = tc_.newScope(pkgScope_, "file " + fname);
    auto newDecl = [&]() {
      declInfos_.push_back(std::make_unique<DeclInfo>());
      DeclInfo* d = declInfos_.back().get();
      d->fileScope = fileScope;
      return d;
    };
    auto checkReserved = [&](Ident* id) {
      if (id->name == "init") error(id->pos, "cannot declare init - must be func");
      else if (id->name == "main") error(id->pos, "cannot declare main - must be func");
    };
    for (Decl* decl : file->decls) {
      if (!decl) continue;
      if (auto g = decl->as<GenDecl>()) {
        ValueSpec* last = nullptr;  // the const spec an empty spec repeats
        int iota = 0;
        for (Spec* spec : g->specs) {
          if (!spec) continue;
          if (auto is = spec->as<ImportSpec>()) {
            if (!is->path) continue;
            std::string err;
            ConstVal pv = ConstVal::fromLiteral(Tok::String, is->path->text, err);
            std::string path = pv.kind() == ConstValue::Kind::String ? pv.stringVal() : is->path->text;
            Pos at = is->path->pos;
            if (path == "unsafe") {
              error(at, "package unsafe is not supported in Gol");
              continue;
            }
            if (path == "C") {
              error(at, "cgo is not supported in Gol");
              continue;
            }
            Scope* ps = tc_.packageScope(path);
            if (!ps) {
              if (!tc_.importError.empty()) error(at, tc_.importError);
              else if (plannedStdPackages().count(path)) error(at, "package " + path + " is not supported in Gol yet");
              else error(at, "package " + path + " is not in std");
              continue;
            }
            if (std::find(pkg_.imports.begin(), pkg_.imports.end(), path) == pkg_.imports.end())
              pkg_.imports.push_back(path);
            std::string name = path.substr(path.rfind('/') + 1);
            if (is->name) {
              if (is->name->name == ".") {
                error(is->name->pos, "dot imports are not supported in Gol");
                continue;
              }
              if (is->name->name == "_") continue;
              name = is->name->name;
            }
            if (name == "init") {
              error(is->name ? is->name->pos : at, "cannot import package as init - init must be a func");
              continue;
            }
            auto pn = tc_.newObject<PkgName>(name, path, is->name ? is->name->pos : at);
            pn->pkgScope = ps;
            pn->pkg = pkgPath_;
            declareIn(fileScope, is->name, pn);
            pkgNames_.push_back(pn);
            continue;
          }
          if (auto vs = spec->as<ValueSpec>()) {
            if (g->tok == Tok::Const) {
              ValueSpec* src = vs;
              bool inherited = false;
              if (vs->values.empty() && !vs->type) {
                src = vs->implicitFrom ? vs->implicitFrom : last;
                inherited = true;
              } else {
                last = vs;
              }
              for (size_t i = 0; i < vs->names.size(); i++) {
                Ident* id = vs->names[i];
                if (!id) continue;
                checkReserved(id);
                auto c = tc_.newObject<Const>(id->name, nullptr, id->pos);
                c->pkg = pkgPath_;
                DeclInfo* d = newDecl();
                d->typeExpr = src ? src->type : nullptr;
                d->init = src && i < src->values.size() ? src->values[i] : nullptr;
                d->iota = iota;
                d->inherited = inherited;
                declareIn(pkgScope_, id, c);
                objMap_[c] = d;
                objList_.push_back(c);
              }
              if (src) arity(vs->pos, vs->names, src->values, true, inherited);
              else if (!vs->names.empty() && vs->names[0]) error(vs->names[0]->pos, "missing init expr for " + vs->names[0]->name);
              iota++;
            } else {
              std::vector<Var*> vars;
              DeclInfo* shared = nullptr;
              if (vs->values.size() == 1 && vs->names.size() > 1) {
                shared = newDecl();
                shared->typeExpr = vs->type;
                shared->init = vs->values[0];
              }
              for (size_t i = 0; i < vs->names.size(); i++) {
                Ident* id = vs->names[i];
                if (!id) continue;
                checkReserved(id);
                auto v = tc_.newObject<Var>(id->name, nullptr, id->pos);
                v->pkg = pkgPath_;
                v->isGlobal = true;
                DeclInfo* d = shared;
                if (!d) {
                  d = newDecl();
                  d->typeExpr = vs->type;
                  d->init = i < vs->values.size() ? vs->values[i] : nullptr;
                }
                d->lhs.push_back(v);
                declareIn(pkgScope_, id, v);
                objMap_[v] = d;
                objList_.push_back(v);
                if (v->name != "_") pkg_.globals.push_back(v);
              }
              if (!vs->values.empty() || !vs->type) arity(vs->pos, vs->names, vs->values, false, false);
            }
            continue;
          }
          if (auto ts = spec->as<TypeSpec>()) {
            if (!ts->name) continue;
            if (ts->typeParams) {
              error(ts->name->pos, "generic types are not supported in Gol");
              continue;
            }
            checkReserved(ts->name);
            auto tn = tc_.newObject<TypeName>(ts->name->name, nullptr, ts->name->pos);
            tn->pkg = pkgPath_;
            tn->isAlias = ts->isAlias;
            DeclInfo* d = newDecl();
            d->tspec = ts;
            declareIn(pkgScope_, ts->name, tn);
            objMap_[tn] = d;
            objList_.push_back(tn);
          }
        }
        continue;
      }
      if (auto fd = decl->as<FuncDecl>()) {
        if (!fd->name || !fd->type) continue;
        if (fd->typeParams) {
          error(fd->name->pos, "generic functions are not supported in Gol");
          continue;
        }
        const std::string& name = fd->name->name;
        auto f = tc_.newObject<Func>(name, nullptr, fd->name->pos);
        f->pkg = pkgPath_;
        f->decl = fd;
        fd->func = f;
        fd->name->obj = f;
        DeclInfo* d = newDecl();
        d->fdecl = fd;
        if (fd->recv) {  // a method: not in any scope; methodDecl attaches it to its receiver type
          f->parent = pkgScope_;
          if (!fd->body && pkgPath_ == "main") error(fd->name->pos, "missing function body");
          objMap_[f] = d;
          methodList_.push_back(f);
          pkg_.funcs.push_back(f);
          funcBodies_.push_back({f, d});
          continue;
        }
        if (name == "init" || (name == "main")) {
          bool hasParams = fd->type->params && !fd->type->params->list.empty();
          bool hasResults = fd->type->results && !fd->type->results->list.empty();
          if (hasParams || hasResults) error(fd->name->pos, "func " + name + " must have no arguments and no return values");
        }
        if (name == "init") {
          f->linkName = pkgPath_ + ".init." + std::to_string(initCount_++);
          f->parent = pkgScope_;  // not declared: init cannot be referred to
          pkg_.initFuncs.push_back(f);
        } else {
          f->linkName = pkgPath_ + "." + name;
          declareIn(pkgScope_, fd->name, f);
        }
        if (!fd->body && pkgPath_ == "main") error(fd->name->pos, "missing function body");
        objMap_[f] = d;
        objList_.push_back(f);
        pkg_.funcs.push_back(f);
        funcBodies_.push_back({f, d});
      }
    }
    // imports must not collide with package-level names
    for (auto& [name, obj] : fileScope->elems) {
      if (Object* alt = pkgScope_->lookup(name)) {
        error(alt->pos, name + " already declared through import of package " + name);
      }
    }
  }
}

void Checker::packageObjects() {
  // types first, so that everything else sees complete named types (as go/types does)
  for (Object* obj : objList_)
    if (obj->kind == ObjKind::TypeName) objDecl(obj);
  // then the methods, so that method sets are complete before any value is checked
  for (Func* m : methodList_) objDecl(m);
  for (Object* obj : objList_)
    if (obj->kind != ObjKind::TypeName) objDecl(obj);
}

// ---------------------------------------------------------------------------------------------
// Checking package-level objects in dependency order

void Checker::objDecl(Object* obj) {
  auto it = objMap_.find(obj);
  if (it == objMap_.end()) return;
  Color& c = color_[obj];
  if (c == Color::White && obj->type) {
    c = Color::Black;  // e.g. the second variable of `var a, b = f()`
    return;
  }
  if (c == Color::Black) return;
  if (c == Color::Grey) {
    // A cycle. Cycles through only constants and variables are reported by computeInitOrder;
    // cycles through types are legal when they pass through a type definition.
    switch (obj->kind) {
      case ObjKind::Const:
      case ObjKind::Var:
        if (!obj->type) obj->type = tc_.invalid();
        break;
      case ObjKind::TypeName:
        break;  // the Named type exists; its underlying type is resolved by typeDecl
      case ObjKind::Func: {
        // a signature that refers to itself through a non-type
        if (!obj->type) {
          error(obj->pos, "invalid cycle in declaration of " + obj->name);
          obj->type = tc_.invalid();
        }
        break;
      }
      default: break;
    }
    return;
  }
  c = Color::Grey;
  objPath_.push_back(obj);
  DeclInfo* d = it->second;
  // save the context: objDecl may be called from inside a function body or an initializer
  DeclInfo* savedDecl = decl_;
  Scope* savedScope = scope_;
  const ConstVal* savedIota = iota_;
  const Signature* savedSig = sig_;
  Func* savedFunc = func_;
  decl_ = d;
  scope_ = d->fileScope;
  iota_ = nullptr;
  sig_ = nullptr;
  func_ = nullptr;
  switch (obj->kind) {
    case ObjKind::Const: constDecl(obj->as<Const>(), d); break;
    case ObjKind::Var: varDecl(obj->as<Var>(), d); break;
    case ObjKind::TypeName: typeDecl(obj->as<TypeName>(), d); break;
    case ObjKind::Func:
      if (d->fdecl && d->fdecl->recv) methodDecl(obj->as<Func>(), d);
      else funcDecl(obj->as<Func>(), d);
      break;
    default: break;
  }
  decl_ = savedDecl;
  scope_ = savedScope;
  iota_ = savedIota;
  sig_ = savedSig;
  func_ = savedFunc;
  objPath_.pop_back();
  color_[obj] = Color::Black;
}

void Checker::constDecl(Const* obj, DeclInfo* d) {
  iota_ = tc_.newConst(ConstVal::makeInt64(d->iota));
  if (d->typeExpr) {
    const Type* t = typExpr(d->typeExpr);
    if (!isConstType(t)) {
      if (isValid(t)) error(d->typeExpr->pos, "invalid constant type " + typeStr(t));
      obj->type = tc_.invalid();
      iota_ = nullptr;
      return;
    }
    obj->type = t;
  }
  Operand x;
  if (d->init) expr(x, d->init);
  initConst(obj, x);
  iota_ = nullptr;
}

void Checker::varDecl(Var* obj, DeclInfo* d) {
  if (d->typeExpr) obj->type = typExpr(d->typeExpr);
  if (!d->init) {
    if (!obj->type) obj->type = tc_.invalid();
    return;
  }
  if (d->lhs.size() <= 1) {
    Operand x;
    exprWithHint(x, d->init, obj->type);
    initVar(obj, x, "variable declaration");
    return;
  }
  if (obj->type)
    for (Var* v : d->lhs) v->type = obj->type;
  initVars(d->lhs, {d->init}, nullptr);
}

void Checker::typeDecl(TypeName* obj, DeclInfo* d) {
  TypeSpec* ts = d->tspec;
  if (!ts->type) {
    obj->type = tc_.invalid();
    return;
  }
  if (ts->isAlias) {
    obj->type = tc_.invalid();  // during its own declaration
    obj->type = typExpr(ts->type);
    return;
  }
  Named* named = tc_.newNamed(obj);
  obj->type = named;
  const Type* rhs = typExpr(ts->type);
  const Type* under = rhs->underlying();
  if (under->as<Named>()) {  // the right side is a named type whose declaration is in progress
    error(obj->pos, "invalid recursive type " + obj->name);
    under = tc_.invalid();
  }
  named->under = under;
  validType(named);
}

// A type may not contain itself by value (through struct fields or array elements); it may
// through pointers, slices, maps, channels and functions.
void Checker::validType(Named* start) {
  std::vector<const Named*> path;
  std::function<bool(const Type*)> visit = [&](const Type* t) -> bool {
    if (!t) return false;
    if (auto n = t->as<Named>()) {
      if (n == start) return true;
      if (!n->under || std::find(path.begin(), path.end(), n) != path.end()) return false;
      path.push_back(n);
      if (visit(n->under)) return true;  // keep the path for the message
      path.pop_back();
      return false;
    }
    if (auto a = t->as<Array>()) return visit(a->elem);
    if (auto st = t->as<Struct>()) {
      for (Var* f : st->fields)
        if (visit(f->type)) return true;
    }
    return false;
  };
  if (!visit(start->under)) return;
  const std::string& name = start->obj->name;
  std::string msg = "invalid recursive type " + name;
  msg += "\n\t" + diag_.sources().format(start->obj->pos) + ": " + name + " refers to";
  for (const Named* n : path) msg += " " + n->obj->name + " refers to";
  msg += " " + name;
  error(start->obj->pos, msg);
  start->under = tc_.invalid();
}

void Checker::funcDecl(Func* obj, DeclInfo* d) {
  obj->type = tc_.invalid();  // until the signature is known (a signature referring to obj is a cycle)
  Scope* fs = tc_.newScope(d->fileScope, "function " + obj->name);
  funcScopes_[obj] = fs;
  obj->type = funcType(d->fdecl->type, fs, true);
}

// ---------------------------------------------------------------------------------------------
// Function bodies

void Checker::funcBody(Func* f, DeclInfo* d, BlockStmt* body) {
  auto it = funcScopes_.find(f);
  if (it == funcScopes_.end() || !f->type || !f->type->as<Signature>()) return;
  decl_ = d;
  scope_ = it->second;
  funcScope_ = scope_;
  sig_ = f->sig();
  func_ = f;
  iota_ = nullptr;
  closures_.clear();
  funcBodyStmts(body);
  usage(scope_);
  decl_ = nullptr;
  scope_ = nullptr;
  funcScope_ = nullptr;
  sig_ = nullptr;
  func_ = nullptr;
}

// The statements of a function or closure body, with sig_, func_ and scope_ set.
void Checker::funcBodyStmts(BlockStmt* body) {
  targets_.clear();
  labels_.clear();
  usedLabels_.clear();
  clauses_ = nullptr;
  curLabel_.clear();
  collectLabels(body);
  stmtList(body->list, 0);
  std::vector<LabeledStmt*> unusedLabels;
  for (auto& [name, ls] : labels_)
    if (!usedLabels_.count(name)) unusedLabels.push_back(ls);
  std::sort(unusedLabels.begin(), unusedLabels.end(),
            [](LabeledStmt* a, LabeledStmt* b) { return a->pos.offset < b->pos.offset; });
  for (LabeledStmt* ls : unusedLabels) error(ls->label->pos, "label " + ls->label->name + " defined and not used");
  if (sig_->results && !sig_->results->vars.empty() && !isTerminatingList(body->list, ""))
    error(body->rbrace.valid() ? body->rbrace : body->pos, "missing return");
}

// ---------------------------------------------------------------------------------------------
// Function literals (closures)
//
// A closure is checked where it appears, in a scope nested in the enclosing block, so it sees
// exactly the names declared before it. Its link name follows gc: the enclosing function's name
// plus ".funcN" (numbered per enclosing function, from 1), a closure inside a closure appends
// ".N" ("main.f.func1.2"), one in a package-level initializer is "main.glob..funcN". Variables of
// enclosing functions it uses are its captures (noteCapture).

void Checker::funcLit(Operand& x, FuncLit* e) {
  auto f = tc_.newObject<Func>("func", nullptr, e->pos);
  f->pkg = pkgPath_;
  f->lit = e;
  f->outer = func_;
  f->parent = scope_ ? scope_ : pkgScope_;
  e->func = f;
  if (func_) {
    int n = ++closureCount_[func_];
    f->linkName = func_->lit ? func_->linkName + "." + std::to_string(n) : func_->linkName + ".func" + std::to_string(n);
  } else {
    f->linkName = pkgPath_ + ".glob..func" + std::to_string(++globClosureCount_);
  }
  Scope* fs = tc_.newScope(scope_ ? scope_ : pkgScope_, "function literal");
  const Signature* sig = e->type_ ? funcType(e->type_, fs, true) : nullptr;
  if (!sig) {
    x.mode = ExprMode::Invalid;
    return;
  }
  f->type = sig;
  pkg_.funcs.push_back(f);
  if (e->body) {
    // save the enclosing function's statement context
    Scope* savedScope = scope_;
    Scope* savedFuncScope = funcScope_;
    const Signature* savedSig = sig_;
    Func* savedFunc = func_;
    auto savedTargets = std::move(targets_);
    auto savedLabels = std::move(labels_);
    auto savedUsedLabels = std::move(usedLabels_);
    auto savedClauses = clauses_;
    size_t savedIndex = clauseIndex_;
    std::string savedLabel = std::move(curLabel_);
    bool outermost = func_ == nullptr;
    scope_ = fs;
    funcScope_ = fs;
    sig_ = sig;
    func_ = f;
    closures_.push_back({f, fs});
    funcBodyStmts(e->body);
    closures_.pop_back();
    scope_ = savedScope;
    funcScope_ = savedFuncScope;
    sig_ = savedSig;
    func_ = savedFunc;
    targets_ = std::move(savedTargets);
    labels_ = std::move(savedLabels);
    usedLabels_ = std::move(savedUsedLabels);
    clauses_ = savedClauses;
    clauseIndex_ = savedIndex;
    curLabel_ = std::move(savedLabel);
    if (outermost) usage(fs);  // inside a function, the function's usage() covers fs
  }
  x.mode = ExprMode::Value;
  x.type = sig;
}

static bool scopeWithin(const Scope* s, const Scope* outer) {
  for (; s; s = s->parent)
    if (s == outer) return true;
  return false;
}

// v is used inside the innermost closure: every enclosing closure that v is not declared in
// captures it (a closure inside a closure captures through the outer one).
void Checker::noteCapture(Var* v) {
  if (!v->parent || v->parent == pkgScope_ || v->parent == tc_.universe()) return;
  for (size_t i = closures_.size(); i-- > 0;) {
    auto [f, fs] = closures_[i];
    if (scopeWithin(v->parent, fs)) return;
    v->captured = true;
    if (std::find(f->captures.begin(), f->captures.end(), v) == f->captures.end()) f->captures.push_back(v);
  }
}

// Reports unused local variables of s and its children, in source order.
void Checker::usage(Scope* s) {
  std::vector<Var*> unused;
  for (auto& [name, obj] : s->elems) {
    if (auto v = obj->as<Var>())
      if (!v->used && !v->isParam) unused.push_back(v);
  }
  std::sort(unused.begin(), unused.end(), [](Var* a, Var* b) { return a->pos.offset < b->pos.offset; });
  for (Var* v : unused) error(v->pos, "declared and not used: " + v->name);
  for (Scope* c : s->children) usage(c);
}

// ---------------------------------------------------------------------------------------------
// Initialization order (the spec's "Package initialization")

void Checker::computeInitOrder() {
  // Dependencies of each variable/constant on other variables/constants, looking through
  // function bodies (a reference to a function is a reference to what its body refers to).
  std::vector<Object*> nodes;
  for (Object* o : objList_)
    if (o->kind == ObjKind::Var || o->kind == ObjKind::Const) nodes.push_back(o);
  std::unordered_map<Object*, std::vector<Object*>> varDeps;
  for (Object* n : nodes) {
    std::vector<Object*> out;
    std::unordered_set<Object*> seen;
    std::function<void(Object*)> visit = [&](Object* o) {
      auto it = objMap_.find(o);
      if (it == objMap_.end()) return;
      for (Object* dep : it->second->deps) {
        if (!seen.insert(dep).second) continue;
        if (dep->kind == ObjKind::Func) visit(dep);
        else if (dep->kind == ObjKind::Var || dep->kind == ObjKind::Const) out.push_back(dep);
      }
    };
    visit(n);
    varDeps[n] = std::move(out);
  }

  // Cycles: a node that reaches itself. Report each cycle once, at its first node in source order.
  std::unordered_set<Object*> inReportedCycle;
  for (Object* n : nodes) {
    if (inReportedCycle.count(n)) continue;
    // does n reach itself?
    std::unordered_set<Object*> seen;
    std::vector<Object*> stack = {n};
    bool cyclic = false;
    while (!stack.empty() && !cyclic) {
      Object* o = stack.back();
      stack.pop_back();
      for (Object* dep : varDeps[o]) {
        if (dep == n) {
          cyclic = true;
          break;
        }
        if (seen.insert(dep).second) stack.push_back(dep);
      }
    }
    if (!cyclic) continue;
    // the path n -> ... -> n through the full graph (functions included), for the message
    std::vector<Object*> path;
    std::unordered_set<Object*> visited;
    std::function<bool(Object*)> find = [&](Object* o) -> bool {
      auto it = objMap_.find(o);
      if (it == objMap_.end()) return false;
      for (Object* dep : it->second->deps) {
        if (dep == n) {
          path.push_back(o);
          return true;
        }
        if (dep->kind == ObjKind::TypeName || !visited.insert(dep).second) continue;
        if (find(dep)) {
          path.push_back(o);
          return true;
        }
      }
      return false;
    };
    find(n);
    std::reverse(path.begin(), path.end());  // n, a, b, ... (each refers to the next; the last to n)
    if (path.empty()) path.push_back(n);
    for (Object* o : path) inReportedCycle.insert(o);
    if (path.size() == 1) {
      error(n->pos, "initialization cycle: " + n->name + " refers to itself");
      continue;
    }
    std::string msg = "initialization cycle for " + n->name;
    for (size_t i = 0; i < path.size(); i++) {
      Object* from = path[i];
      Object* to = path[(i + 1) % path.size()];
      msg += "\n\t" + diag_.sources().format(from->pos) + ": " + from->name + " refers to " + to->name;
    }
    error(n->pos, msg);
  }

  // The order: repeatedly the earliest variable in declaration order that is ready.
  std::vector<Var*> vars;
  for (Object* o : nodes)
    if (auto v = o->as<Var>()) vars.push_back(v);
  std::unordered_set<Object*> done;
  std::unordered_set<DeclInfo*> emitted;
  size_t remaining = vars.size();
  while (remaining > 0) {
    Var* pick = nullptr;
    for (Var* v : vars) {
      if (done.count(v)) continue;
      bool ready = true;
      for (Object* dep : varDeps[v])
        if (dep->kind == ObjKind::Var && dep != v && !done.count(dep)) {
          ready = false;
          break;
        }
      if (ready) {
        pick = v;
        break;
      }
    }
    if (!pick) {  // a cycle (already reported): take the rest in source order
      for (Var* v : vars)
        if (!done.count(v)) {
          pick = v;
          break;
        }
    }
    DeclInfo* d = objMap_[pick];
    if (d && emitted.insert(d).second) {
      if (d->init) {
        CheckedPackage::VarInit vi;
        vi.lhs = d->lhs;
        vi.rhs = d->init;
        pkg_.initOrder.push_back(vi);
        for (Var* v : d->lhs)
          if (!done.count(v)) {
            done.insert(v);
            remaining--;
          }
      } else if (pick->name != "_") {
        CheckedPackage::VarInit vi;
        vi.lhs = {pick};
        pkg_.initOrder.push_back(vi);
      }
    }
    if (!done.count(pick)) {
      done.insert(pick);
      remaining--;
    }
  }
}

void Checker::reportUnusedImports() {
  for (PkgName* pn : pkgNames_) {
    if (pn->used) continue;
    std::string elem = pn->path.substr(pn->path.rfind('/') + 1);
    if (pn->name == elem) error(pn->pos, "\"" + pn->path + "\" imported and not used");
    else error(pn->pos, "\"" + pn->path + "\" imported as " + pn->name + " and not used");
  }
}

// ---------------------------------------------------------------------------------------------
// Initialization of constants and variables

void Checker::arity(Pos pos, const std::vector<Ident*>& names, const std::vector<Expr*>& inits, bool constDecl,
                    bool inherited) {
  size_t l = names.size(), r = inits.size();
  if (l < r) {
    Expr* n = inits[l];
    if (!n) return;
    if (inherited) error(pos, "extra init expr at " + diag_.sources().format(n->pos));
    else error(n->pos, "extra init expr");
  } else if (l > r && (constDecl || r != 1)) {
    Ident* n = names[r];
    if (n) error(n->pos, "missing init expr for " + n->name);
  }
}

void Checker::initConst(Const* lhs, Operand& x) {
  if (x.mode == ExprMode::Invalid || !isValid(x.type) || (lhs->type && !isValid(lhs->type))) {
    if (!lhs->type) lhs->type = tc_.invalid();
    return;
  }
  if (x.mode != ExprMode::Constant) {
    error(x.expr ? x.expr->pos : lhs->pos, operandString(x) + " is not constant");
    if (!lhs->type) lhs->type = tc_.invalid();
    return;
  }
  if (!lhs->type) lhs->type = x.type;
  assignment(x, lhs->type, "constant declaration");
  if (x.mode == ExprMode::Invalid) {
    lhs->type = tc_.invalid();
    return;
  }
  lhs->value = x.val;
}

void Checker::initVar(Var* lhs, Operand& x, const std::string& context) {
  if (x.mode == ExprMode::Invalid || !isValid(x.type) || (lhs->type && !isValid(lhs->type))) {
    if (!lhs->type) lhs->type = tc_.invalid();
    x.mode = ExprMode::Invalid;
    return;
  }
  if (!lhs->type) {
    const Type* t = x.type;
    if (isUntyped(t)) {
      if (t->as<Basic>()->bkind == BasicKind::UntypedNil) {
        error(x.expr ? x.expr->pos : lhs->pos, "use of untyped nil in " + context);
        lhs->type = tc_.invalid();
        x.mode = ExprMode::Invalid;
        return;
      }
      t = defaultType(tc_, t);
    }
    lhs->type = t;
  }
  assignment(x, lhs->type, context);
}

void Checker::initVars(const std::vector<Var*>& lhs, const std::vector<Expr*>& rhs, ReturnStmt* ret) {
  std::string context = ret ? "return statement" : "assignment";
  size_t l = lhs.size(), r = rhs.size();
  bool isCall = r == 1 && unparen(rhs[0]) && unparen(rhs[0])->is<CallExpr>();
  if (l == r && !isCall) {
    for (size_t i = 0; i < l; i++) {
      Operand x;
      exprWithHint(x, rhs[i], lhs[i]->type);
      initVar(lhs[i], x, context);
    }
    return;
  }
  auto invalidateLhs = [&]() {
    for (Var* v : lhs)
      if (!v->type) v->type = tc_.invalid();
  };
  if (r != 1) {
    invalidateLhs();
    std::vector<Operand> ops;
    exprList(ops, rhs);
    for (auto& o : ops)
      if (o.mode == ExprMode::Invalid) return;
    if (ret) returnError(ret, lhs, ops);
    else assignError(rhs, l, r);
    return;
  }
  std::vector<Operand> ops;
  bool commaOk = false;
  multiExpr(ops, rhs[0], l == 2 && !ret, commaOk);
  if (ops.size() == l) {
    for (size_t i = 0; i < l; i++) initVar(lhs[i], ops[i], context);
    return;
  }
  invalidateLhs();
  if (!ops.empty() && ops[0].mode != ExprMode::Invalid) {
    if (ret) returnError(ret, lhs, ops);
    else assignError(rhs, l, ops.size());
  }
}

// ---------------------------------------------------------------------------------------------
// Local declarations

void Checker::localDecl(DeclStmt* s) {
  auto g = s->decl ? s->decl->as<GenDecl>() : nullptr;
  if (!g) return;
  ValueSpec* last = nullptr;
  int iota = 0;
  for (Spec* spec : g->specs) {
    if (!spec) continue;
    if (auto vs = spec->as<ValueSpec>()) {
      if (g->tok == Tok::Const) {
        ValueSpec* src = vs;
        bool inherited = false;
        if (vs->values.empty() && !vs->type) {
          src = vs->implicitFrom ? vs->implicitFrom : last;
          inherited = true;
        } else {
          last = vs;
        }
        std::vector<Const*> consts;
        for (size_t i = 0; i < vs->names.size(); i++) {
          Ident* id = vs->names[i];
          if (!id) continue;
          auto c = tc_.newObject<Const>(id->name, nullptr, id->pos);
          c->pkg = pkgPath_;
          id->obj = c;
          iota_ = tc_.newConst(ConstVal::makeInt64(iota));
          if (src && src->type) {
            const Type* t = typExpr(src->type);
            if (!isConstType(t)) {
              if (isValid(t)) error(src->type->pos, "invalid constant type " + typeStr(t));
              t = tc_.invalid();
            }
            c->type = t;
          }
          Operand x;
          Expr* init = src && i < src->values.size() ? src->values[i] : nullptr;
          if (init && (!c->type || isValid(c->type))) expr(x, init);
          initConst(c, x);
          iota_ = nullptr;
          consts.push_back(c);
        }
        if (src) arity(vs->pos, vs->names, src->values, true, inherited);
        else if (!vs->names.empty() && vs->names[0]) error(vs->names[0]->pos, "missing init expr for " + vs->names[0]->name);
        for (size_t i = 0, k = 0; i < vs->names.size(); i++)
          if (vs->names[i]) declareIn(scope_, vs->names[i], consts[k++]);
        iota++;
      } else {
        localVarSpec(vs);
      }
    } else if (auto ts = spec->as<TypeSpec>()) {
      if (!ts->name) continue;
      if (ts->typeParams) {
        error(ts->name->pos, "generic types are not supported in Gol");
        continue;
      }
      auto tn = tc_.newObject<TypeName>(ts->name->name, nullptr, ts->name->pos);
      tn->pkg = pkgPath_;
      tn->isAlias = ts->isAlias;
      if (ts->isAlias) {
        tn->type = ts->type ? typExpr(ts->type) : tc_.invalid();
        declareIn(scope_, ts->name, tn);
      } else {
        // the scope of a local type name starts at its identifier (it may refer to itself)
        Named* named = tc_.newNamed(tn);
        tn->type = named;
        declareIn(scope_, ts->name, tn);
        const Type* rhs = ts->type ? typExpr(ts->type) : tc_.invalid();
        const Type* under = rhs->underlying();
        if (under->as<Named>()) {
          error(tn->pos, "invalid recursive type " + tn->name);
          under = tc_.invalid();
        }
        named->under = under;
        validType(named);
      }
    } else if (auto is = spec->as<ImportSpec>()) {
      error(is->pos, "imports must appear before other declarations");
    }
  }
}

void Checker::localVarSpec(ValueSpec* vs) {
  std::vector<Var*> vars;
  const Type* t = vs->type ? typExpr(vs->type) : nullptr;
  for (Ident* id : vs->names) {
    if (!id) continue;
    auto v = tc_.newObject<Var>(id->name, t, id->pos);
    v->pkg = pkgPath_;
    id->obj = v;
    vars.push_back(v);
  }
  size_t l = vars.size(), r = vs->values.size();
  if (r == 0) {
    for (Var* v : vars)
      if (!v->type) v->type = tc_.invalid();
  } else if (l == r) {
    for (size_t i = 0; i < l; i++) {
      Operand x;
      exprWithHint(x, vs->values[i], vars[i]->type);
      initVar(vars[i], x, "variable declaration");
    }
  } else if (r == 1) {
    initVars(vars, vs->values, nullptr);
  } else {
    for (Var* v : vars)
      if (!v->type) v->type = tc_.invalid();
    useExprs(vs->values);
  }
  if (r > 0 || !vs->type) arity(vs->pos, vs->names, vs->values, false, false);
  for (size_t i = 0, k = 0; i < vs->names.size(); i++)
    if (vs->names[i]) declareIn(scope_, vs->names[i], vars[k++]);
}

// ---------------------------------------------------------------------------------------------
// Type expressions

const Type* Checker::typExpr(Expr* e) {
  if (!e) return tc_.invalid();
  const Type* t = typExprInternal(e);
  if (!t) t = tc_.invalid();
  e->mode = ExprMode::TypeExpr;
  e->type = t;
  return t;
}

const Type* Checker::typExprInternal(Expr* e) {
  switch (e->kind) {
    case NodeKind::Ident:
    case NodeKind::SelectorExpr:
    case NodeKind::ParenExpr: {
      Operand x;
      exprOrType(x, e);
      if (x.mode == ExprMode::Invalid) return tc_.invalid();
      if (x.mode != ExprMode::TypeExpr) {
        error(e->pos, operandString(x) + " is not a type");
        return tc_.invalid();
      }
      return x.type;
    }
    case NodeKind::ArrayType: {
      auto a = e->as<ArrayType>();
      if (!a->len) {
        const Type* elem = typExpr(a->elem);
        return isValid(elem) ? static_cast<const Type*>(tc_.sliceOf(elem)) : tc_.invalid();
      }
      if (a->len->is<EllipsisType>()) {
        error(a->len->pos, "invalid use of [...] array (outside a composite literal)");
        typExpr(a->elem);
        return tc_.invalid();
      }
      int64_t n = 0;
      const Type* lt = arrayLength(a->len, n);
      const Type* elem = typExpr(a->elem);
      if (!isValid(lt) || !isValid(elem)) return tc_.invalid();
      return tc_.arrayOf(elem, n);
    }
    case NodeKind::StarExpr: {
      const Type* elem = typExpr(e->as<StarExpr>()->x);
      return isValid(elem) ? static_cast<const Type*>(tc_.pointerTo(elem)) : tc_.invalid();
    }
    case NodeKind::MapType: {
      auto m = e->as<MapType>();
      const Type* k = typExpr(m->key);
      const Type* v = typExpr(m->value_);
      if (!isValid(k) || !isValid(v)) return tc_.invalid();
      if (!isComparable(k)) {
        error(m->key ? m->key->pos : m->pos, "invalid map key type " + typeStr(k));
        return tc_.invalid();
      }
      return tc_.mapOf(k, v);
    }
    case NodeKind::StructType: return structType(e->as<StructType>());
    case NodeKind::FuncType: return funcType(e->as<FuncType>(), nullptr, false);
    case NodeKind::InterfaceType: return interfaceType(e->as<InterfaceType>(), nullptr);
    case NodeKind::ChanType: {
      auto ct = e->as<ChanType>();
      const Type* elem = typExpr(ct->elem);
      return isValid(elem) ? static_cast<const Type*>(tc_.chanOf(ct->dir, elem)) : tc_.invalid();
    }
    case NodeKind::EllipsisType: {
      error(e->pos, "invalid use of ...");
      return tc_.invalid();
    }
    case NodeKind::BadExpr: return tc_.invalid();
    default: {
      Operand x;
      rawExpr(x, e, nullptr);
      if (x.mode != ExprMode::Invalid) error(e->pos, exprString(e) + " is not a type");
      return tc_.invalid();
    }
  }
}

// The length of an array type: a non-negative constant representable as int.
const Type* Checker::arrayLength(Expr* len, int64_t& n) {
  Operand x;
  expr(x, len);
  if (x.mode == ExprMode::Invalid) return tc_.invalid();
  if (x.mode != ExprMode::Constant) {
    error(len->pos, "array length " + exprString(len) + " (" + std::string(x.mode == ExprMode::Variable ? "variable" : "value") +
                        " of type " + typeStr(x.type) + ") must be constant");
    return tc_.invalid();
  }
  if (isUntyped(x.type) || isInteger(x.type)) {
    ConstVal v = x.val->toInt();
    if (v.kind() == ConstValue::Kind::Int) {
      if (v.sign() >= 0 && v.intVal().fitsInt64() && v.intVal().bitLen() < 63) {
        n = v.int64Val();
        if (isUntyped(x.type)) convertUntyped(x, tc_.basic(BasicKind::Int));
        return tc_.basic(BasicKind::Int);
      }
      error(len->pos, "invalid array length " + exprString(len));
      return tc_.invalid();
    }
  }
  if (isInteger(x.type) || isUntyped(x.type))
    error(len->pos, "array length " + operandString(x) + " must be integer");
  else
    error(len->pos, "array length " + operandString(x) + " must be integer");
  return tc_.invalid();
}

// A function's signature; params and named results are declared in scope when declare is set.
const Signature* Checker::funcType(FuncType* ft, Scope* scope, bool declare) {
  Signature* sig = tc_.newSignature();
  auto collect = [&](FieldList* fl, bool isResult) {
    Tuple* tup = tc_.newTuple();
    if (!fl) return tup;
    for (size_t i = 0; i < fl->list.size(); i++) {
      Field* f = fl->list[i];
      if (!f) continue;
      Expr* te = f->type;
      const Type* t;
      if (te && te->is<EllipsisType>()) {
        bool last = !isResult && i + 1 == fl->list.size() && f->names.size() <= 1;
        if (!last) {
          error(te->pos, isResult ? "cannot use ... in receiver or result parameter list"
                                  : "can only use ... with final parameter in list");
          t = tc_.invalid();
        } else {
          const Type* elem = typExpr(te->as<EllipsisType>()->elem);
          t = isValid(elem) ? static_cast<const Type*>(tc_.sliceOf(elem)) : tc_.invalid();
          te->mode = ExprMode::TypeExpr;
          te->type = t;
          sig->variadic = true;
        }
      } else {
        t = typExpr(te);
      }
      if (f->names.empty()) {
        auto v = tc_.newObject<Var>("", t, f->pos);
        v->isParam = true;
        v->pkg = pkgPath_;
        tup->vars.push_back(v);
        continue;
      }
      for (Ident* id : f->names) {
        if (!id) continue;
        auto v = tc_.newObject<Var>(id->name, t, id->pos);
        v->isParam = true;
        v->pkg = pkgPath_;
        tup->vars.push_back(v);
        if (declare) declareIn(scope, id, v);
        else id->obj = v;
      }
    }
    return tup;
  };
  sig->params = collect(ft->params, false);
  sig->results = collect(ft->results, true);
  ft->mode = ExprMode::TypeExpr;
  ft->type = sig;
  return sig;
}

}  // namespace types
}  // namespace gol
