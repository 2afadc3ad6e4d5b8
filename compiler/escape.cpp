// Escape analysis: see escape.h for what it decides.
//
// The model. Every location L (a local variable, an allocation site, or the "pointee" of a
// pointer parameter) has
//   - val(L): the locations whose address L's value may hold, directly or inside a struct,
//     array, slice header or closure (a closure site's val is its captured variables);
//   - depth(L): how many loops and function literals enclose its declaration. A location
//     declared at a greater depth is created afresh each time that loop iteration or literal
//     call starts (Go 1.22: `for i := ...` and `x := ...` in a loop body are per iteration);
//   - escaped(L): it must live on the heap.
// Each expression evaluates to a set of locations (its val). The walk is flow-insensitive and
// repeated until nothing changes (every set only grows). The rules:
//   - &x gives {x}; x.f, a[i] (a an array) and a[:] give x's/a's; *p, p.f, s[i] through a
//     pointer or slice give what the pointed-to locations hold (deref).
//   - An assignment to a local adds the value to its val (a field or array element of a local
//     adds to the whole local; a slice literal's elements, to its backing array's site). A
//     store anywhere else (through a pointer, into a slice, map, global, channel, interface, a
//     result, a map literal, append or
//     copy's elements, panic, go/defer, an argument of a call the analysis cannot see) is a
//     sink: every location in the value escapes.
//   - escaped(L) makes every location in val(L) escape (they are reachable from the heap).
//   - y in val(L) with depth(y) > depth(L) makes y escape: L outlives the iteration or call
//     that created y, so y needs a fresh heap cell each time (or a frame that outlives it).
//   - A pointer parameter p of a package function starts with val(p) = {P}, P its pointee at
//     depth -1 with val(P) = {P} (whatever p reaches is summarised by P). If P never escapes,
//     the parameter does not leak, and callers pass addresses to it without a sink.
// Expressions of pointer-free types (numbers, strings, bools and aggregates of them) carry
// nothing: strings never point into a frame ([]byte -> string copies).
#include "escape.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "lower.h"
#include "types.h"

namespace gol {

namespace {

using Set = std::set<int>;

bool hasPointers(const types::Type* t) {
  if (!t) return true;
  t = t->underlying();
  if (!t) return true;
  switch (t->kind) {
    case types::TypeKind::Basic: return t->as<types::Basic>()->bkind == types::BasicKind::UnsafePointer;
    case types::TypeKind::Array: return hasPointers(t->as<types::Array>()->elem);
    case types::TypeKind::Struct:
      for (types::Var* f : t->as<types::Struct>()->fields)
        if (hasPointers(f->type)) return true;
      return false;
    case types::TypeKind::Tuple:
      for (types::Var* v : t->as<types::Tuple>()->vars)
        if (hasPointers(v->type)) return true;
      return false;
    default: return true;
  }
}

// "main.T" -> "T", as gc's -m spells the compiled package's own types.
std::string unqualified(std::string s, const std::string& pkg) {
  std::string pre = pkg + ".";
  for (size_t at = s.find(pre); at != std::string::npos; at = s.find(pre, at)) {
    bool word = at == 0 || !(std::isalnum((unsigned char)s[at - 1]) || s[at - 1] == '_' || s[at - 1] == '/');
    if (word) s.erase(at, pre.size());
    else at += pre.size();
  }
  return s;
}

bool isIface(const types::Type* t) { return t && ifaceOf(t) != nullptr; }

const types::Type* under(const Expr* e) { return e && e->type ? e->type->underlying() : nullptr; }

}  // namespace

// One analysis of one outermost function (and its nested literals).
struct EscapeWalker {
  enum class LocKind { Var, Site, Param };
  struct Loc {
    LocKind kind;
    int depth;
    Set val;
    bool escaped = false;
    bool addressed = false;  // some value holds its address (golc -m reports these only)
    const types::Var* var = nullptr;
    const Node* site = nullptr;
  };
  EscapeAnalysis& ea;
  const types::Func* root;
  std::vector<Loc> locs;
  std::unordered_map<const types::Var*, int> varLoc;
  std::unordered_map<const Node*, int> siteLoc;
  std::unordered_set<const types::Var*> results;  // named results: assigning to one is a sink
  std::vector<std::pair<const types::Var*, int>> params;  // root's pointer params and pointees
  int depth = 0;
  bool changed = false;
  Set typeSwitchVal;  // the value of the innermost type switch's x (its clauses' variables)

  EscapeWalker(EscapeAnalysis& ea, const types::Func* root) : ea(ea), root(root) {}

  int newLoc(LocKind k, int d) {
    locs.push_back(Loc{k, d, {}});
    return int(locs.size()) - 1;
  }
  int declare(const types::Var* v) {
    if (!v || v->isGlobal || v->name == "_") return -1;
    auto it = varLoc.find(v);
    if (it != varLoc.end()) return it->second;
    int l = newLoc(LocKind::Var, depth);
    locs[l].var = v;
    varLoc[v] = l;
    return l;
  }
  int varOf(const types::Object* o) {
    auto* v = o ? const_cast<types::Object*>(o)->as<types::Var>() : nullptr;
    if (!v || v->isGlobal || v->isField) return -1;
    return declare(v);
  }
  int site(const Node* n) {
    auto it = siteLoc.find(n);
    if (it != siteLoc.end()) return it->second;
    int l = newLoc(LocKind::Site, depth);
    locs[l].site = n;
    siteLoc[n] = l;
    return l;
  }
  void add(int l, const Set& s) {
    if (l < 0) return;
    for (int x : s)
      if (locs[l].val.insert(x).second) changed = true;
  }
  void sink(const Set& s) {
    for (int x : s)
      if (!locs[x].escaped) {
        locs[x].escaped = true;
        changed = true;
      }
  }
  Set deref(const Set& s) {
    Set r;
    for (int x : s) r.insert(locs[x].val.begin(), locs[x].val.end());
    return r;
  }
  // Everything reachable through one or more pointers (paths through embedded pointers).
  Set derefAll(const Set& s) {
    Set r = deref(s), frontier = r;
    while (!frontier.empty()) {
      Set next;
      for (int x : deref(frontier))
        if (r.insert(x).second) next.insert(x);
      frontier = std::move(next);
    }
    return r;
  }
  static Set unite(Set a, const Set& b) {
    a.insert(b.begin(), b.end());
    return a;
  }

  // ---- expressions ----

  Set addrOf(Expr* e) {
    e = unparen(e);
    if (auto* id = e->as<Ident>()) {
      int l = varOf(id->obj);
      if (l < 0) return {};
      locs[l].addressed = true;
      return Set{l};
    }
    if (auto* sel = e->as<SelectorExpr>()) {
      if (sel->selection.kind == SelectionKind::FieldVal) {
        if (sel->selection.indirect) return unite(expr(sel->x), derefAll(expr(sel->x)));
        return addrOf(sel->x);
      }
      return expr(e);
    }
    if (auto* ix = e->as<IndexExpr>()) {
      for (Expr* i : ix->indices) expr(i);
      const types::Type* xt = under(ix->x);
      if (xt && xt->as<types::Array>()) return addrOf(ix->x);
      return expr(ix->x);  // a slice's array, or a pointer to an array
    }
    if (auto* st = e->as<StarExpr>()) return expr(st->x);
    if (auto* lit = e->as<CompositeLit>()) {  // &T{...}
      Set v = composite(lit);
      int l = site(lit);
      add(l, v);
      return Set{l};
    }
    return expr(e);
  }

  // The elements of a composite literal; slice and map literals store theirs on the heap.
  Set composite(CompositeLit* lit) {
    const types::Type* t = lit->type ? lit->type->underlying() : nullptr;
    if (t && t->as<types::Pointer>()) t = t->as<types::Pointer>()->elem->underlying();
    const types::Struct* st = t ? t->as<types::Struct>() : nullptr;
    bool heap = !t || t->as<types::Map>();
    // A slice literal's backing array is an allocation site of its own (the literal node).
    int backing = t && t->as<types::Slice>() ? site(lit) : -1;
    Set r;
    for (size_t i = 0; i < lit->elts.size(); i++) {
      Expr* el = lit->elts[i];
      Expr* value = el;
      const types::Var* field = nullptr;
      if (auto* kv = el->as<KeyValueExpr>()) {
        value = kv->value_;
        if (st) {
          if (auto* id = unparen(kv->key)->as<Ident>())
            field = id->obj ? id->obj->as<types::Var>() : nullptr;
        } else {
          Set k = expr(kv->key);
          sink(k);  // map keys (array and slice keys are constant)
        }
      } else if (st && i < st->fields.size()) {
        field = st->fields[i];
      }
      const types::Type* elemT = field ? field->type : nullptr;
      if (!st && t) {
        if (auto* a = t->as<types::Array>()) elemT = a->elem;
        if (auto* s = t->as<types::Slice>()) elemT = s->elem;
        if (auto* m = t->as<types::Map>()) elemT = m->elem;
      }
      Set v = expr(value);
      // An elided &T in [N]*T{{...}} allocates T on the heap (lowering), as do interface
      // conversions of the element.
      bool elidedPtr = value->is<CompositeLit>() && !value->as<CompositeLit>()->typeExpr && elemT &&
                       elemT->underlying()->as<types::Pointer>();
      if (heap || elidedPtr || isIface(elemT))
        sink(v);
      else
        r.insert(v.begin(), v.end());
    }
    if (backing >= 0) {
      add(backing, r);
      return Set{backing};
    }
    return r;
  }

  Set expr(Expr* e) {
    if (!e) return {};
    if (e->mode == ExprMode::TypeExpr || e->mode == ExprMode::Constant) return {};
    Set r = exprInner(e);
    if (!hasPointers(e->type)) return {};
    return r;
  }

  Set exprInner(Expr* e) {
    switch (e->kind) {
      case NodeKind::Ident: {
        int l = varOf(e->as<Ident>()->obj);
        return l < 0 ? Set{} : locs[l].val;
      }
      case NodeKind::ParenExpr: return expr(e->as<ParenExpr>()->x);
      case NodeKind::CompositeLit: return composite(e->as<CompositeLit>());
      case NodeKind::FuncLit: return funcLit(e->as<FuncLit>());
      case NodeKind::SelectorExpr: {
        auto* sel = e->as<SelectorExpr>();
        const SelectionInfo& si = sel->selection;
        switch (si.kind) {
          case SelectionKind::FieldVal: {
            Set x = expr(sel->x);
            return si.indirect ? derefAll(x) : x;
          }
          case SelectionKind::MethodVal:
            // A method value binds its receiver in a heap closure.
            sink(receiver(sel));
            return {};
          default: return {};
        }
      }
      case NodeKind::IndexExpr: {
        auto* ix = e->as<IndexExpr>();
        for (Expr* i : ix->indices) expr(i);
        Set x = expr(ix->x);
        const types::Type* xt = under(ix->x);
        if (xt && xt->as<types::Array>()) return x;
        if (xt && (xt->as<types::Slice>() || xt->as<types::Pointer>())) return deref(x);
        return {};  // strings, maps (map contents were sunk when stored)
      }
      case NodeKind::SliceExpr: {
        auto* s = e->as<SliceExpr>();
        expr(s->low);
        expr(s->high);
        expr(s->max);
        const types::Type* xt = under(s->x);
        if (xt && xt->as<types::Array>()) return addrOf(s->x);
        return expr(s->x);
      }
      // An interface passed to a parameter that does not leak may hold the caller's
      // pointers: what comes out of it is what went in.
      case NodeKind::TypeAssertExpr: return expr(e->as<TypeAssertExpr>()->x);
      case NodeKind::CallExpr: return call(e->as<CallExpr>(), false);
      case NodeKind::StarExpr: return deref(expr(e->as<StarExpr>()->x));
      case NodeKind::UnaryExpr: {
        auto* u = e->as<UnaryExpr>();
        if (u->op == Tok::And) return addrOf(u->x);
        expr(u->x);
        return {};
      }
      case NodeKind::BinaryExpr:
        expr(e->as<BinaryExpr>()->x);
        expr(e->as<BinaryExpr>()->y);
        return {};
      case NodeKind::KeyValueExpr:
        sink(expr(e->as<KeyValueExpr>()->key));
        return expr(e->as<KeyValueExpr>()->value_);
      default: return {};
    }
  }

  // What a method call or method value passes as the receiver.
  Set receiver(SelectorExpr* sel) {
    const SelectionInfo& si = sel->selection;
    auto* m = si.obj ? si.obj->as<types::Func>() : nullptr;
    if (m && m->ptrRecv && si.addrRecv) {
      if (si.indirect) {
        Set x = expr(sel->x);
        return unite(x, derefAll(x));
      }
      return addrOf(sel->x);
    }
    Set x = expr(sel->x);
    return si.indirect || si.derefRecv ? unite(x, derefAll(x)) : x;
  }

  Set funcLit(FuncLit* lit) {
    int l = site(lit);
    if (lit->func)
      for (types::Var* v : lit->func->captures) {
        int c = varOf(v);
        if (c >= 0) {
          locs[c].addressed = true;
          add(l, Set{c});
        }
      }
    depth++;
    if (const types::Func* f = lit->func; f && f->sig()) declareParams(f, false);
    stmt(lit->body);
    depth--;
    return Set{l};
  }

  void declareParams(const types::Func* f, bool tagged) {
    const types::Signature* sig = f->sig();
    std::vector<types::Var*> ps;
    if (sig->recv) ps.push_back(sig->recv);
    if (sig->params) ps.insert(ps.end(), sig->params->vars.begin(), sig->params->vars.end());
    for (types::Var* p : ps) {
      int l = declare(p);
      if (!tagged) continue;
      int pointee = -1;
      if (l >= 0 && hasPointers(p->type)) {
        auto it = std::find_if(params.begin(), params.end(), [&](auto& pr) { return pr.first == p; });
        if (it == params.end()) {
          pointee = newLoc(LocKind::Param, -1);
          locs[pointee].val.insert(pointee);
          params.push_back({p, pointee});
        } else {
          pointee = it->second;
        }
        add(l, Set{pointee});
      } else {
        params.push_back({p, -1});
      }
    }
    if (sig->results)
      for (types::Var* r : sig->results->vars) {
        declare(r);
        results.insert(r);
      }
  }

  Set call(CallExpr* c, bool allSink) {
    Expr* fun = unparen(c->fun);
    if (fun->mode == ExprMode::TypeExpr) {  // a conversion
      Set v = c->args.empty() ? Set{} : expr(c->args[0]);
      if (isIface(c->type)) {
        sink(v);
        return {};
      }
      return v;
    }
    if (fun->mode == ExprMode::Builtin) {
      auto* id = fun->as<Ident>();
      auto* bi = id && id->obj ? id->obj->as<types::Builtin>() : nullptr;
      if (!bi || allSink) {
        for (Expr* a : c->args) sink(expr(a));
        return {};
      }
      switch (bi->id) {
        case types::BuiltinId::Append: {
          if (c->args.empty()) return {};
          Set s = expr(c->args[0]);
          for (size_t i = 1; i < c->args.size(); i++) {
            Set a = expr(c->args[i]);
            // append(s, t...) copies t's elements, not t's array.
            sink(c->hasEllipsis ? deref(a) : a);
          }
          return s;
        }
        case types::BuiltinId::Copy:
          if (c->args.size() == 2) {
            expr(c->args[0]);
            sink(deref(expr(c->args[1])));
          }
          return {};
        case types::BuiltinId::New: return Set{site(c)};
        case types::BuiltinId::Panic:
          for (Expr* a : c->args) sink(expr(a));
          return {};
        default:
          for (Expr* a : c->args) expr(a);
          return {};
      }
    }
    // The callee, when the call is static.
    const types::Func* callee = nullptr;
    SelectorExpr* recvSel = nullptr;
    if (auto* id = fun->as<Ident>()) {
      auto* f = id->obj ? id->obj->as<types::Func>() : nullptr;
      if (f && !f->lit) callee = f;
    } else if (auto* sel = fun->as<SelectorExpr>()) {
      const SelectionInfo& si = sel->selection;
      if (si.kind == SelectionKind::PackageObj) {
        callee = si.obj ? si.obj->as<types::Func>() : nullptr;
      } else if (si.kind == SelectionKind::MethodVal) {
        recvSel = sel;
        if (!si.ifaceMethod) callee = si.obj ? si.obj->as<types::Func>() : nullptr;
      }
    }
    const std::vector<bool>* leaks = nullptr;
    if (callee && !allSink) leaks = &ea.paramLeaks(callee);
    auto leaksAt = [&](size_t i) { return !leaks || i >= leaks->size() || (*leaks)[i]; };
    size_t pi = 0;
    if (recvSel) {
      Set r = receiver(recvSel);
      if (leaksAt(pi)) sink(r);
      pi++;
    } else if (!callee) {
      Set fv = expr(fun);  // calling a closure does not leak it, but go/defer keep it
      if (allSink) sink(fv);
    }
    const types::Signature* sig = callee ? callee->sig() : nullptr;
    size_t nparams = sig && sig->params ? sig->params->vars.size() : 0;
    for (size_t i = 0; i < c->args.size(); i++) {
      Set a = expr(c->args[i]);
      // Arguments packed into a variadic slice go to the heap.
      bool packed = sig && sig->variadic && !c->hasEllipsis && i + 1 >= nparams;
      if (packed || leaksAt(pi + i)) sink(a);
    }
    return {};
  }

  // ---- assignments ----

  void assignTo(Expr* lhs, const Set& v) {
    lhs = unparen(lhs);
    if (isIface(lhs->type)) sink(v);  // boxed: the interface's data word is on the heap
    if (auto* id = lhs->as<Ident>()) {
      if (id->name == "_") return;
      auto* var = id->obj ? id->obj->as<types::Var>() : nullptr;
      int l = varOf(id->obj);
      if (l < 0 || results.count(var)) return sink(v);
      return add(l, v);
    }
    if (auto* sel = lhs->as<SelectorExpr>();
        sel && sel->selection.kind == SelectionKind::FieldVal && !sel->selection.indirect) {
      return assignTo(sel->x, v);
    }
    if (auto* ix = lhs->as<IndexExpr>()) {
      const types::Type* xt = under(ix->x);
      if (xt && xt->as<types::Array>()) {
        for (Expr* i : ix->indices) expr(i);
        return assignTo(ix->x, v);
      }
      if (xt && xt->as<types::Map>()) {
        for (Expr* i : ix->indices) sink(expr(i));
        expr(ix->x);
        return sink(v);
      }
    }
    expr(lhs);  // a store through a pointer or into a slice: the heap, as far as we know
    sink(v);
  }

  void declareIdent(Expr* e) {
    if (!e) return;
    if (auto* id = unparen(e)->as<Ident>()) varOf(id->obj);
  }

  // ---- statements ----

  void stmts(const std::vector<Stmt*>& list) {
    for (Stmt* s : list) stmt(s);
  }

  void stmt(Stmt* n) {
    if (!n) return;
    switch (n->kind) {
      case NodeKind::BlockStmt: return stmts(n->as<BlockStmt>()->list);
      case NodeKind::ExprStmt: expr(n->as<ExprStmt>()->x); return;
      case NodeKind::LabeledStmt: return stmt(n->as<LabeledStmt>()->stmt);
      case NodeKind::IncDecStmt: expr(n->as<IncDecStmt>()->x); return;
      case NodeKind::SendStmt:
        expr(n->as<SendStmt>()->chan);
        sink(expr(n->as<SendStmt>()->value_));
        return;
      case NodeKind::GoStmt: call(n->as<GoStmt>()->call, true); return;
      case NodeKind::DeferStmt: call(n->as<DeferStmt>()->call, true); return;
      case NodeKind::ReturnStmt:
        for (Expr* r : n->as<ReturnStmt>()->results) sink(expr(r));
        return;
      case NodeKind::DeclStmt: {
        auto* gd = n->as<DeclStmt>()->decl->as<GenDecl>();
        if (!gd || gd->tok != Tok::Var) return;
        for (Spec* sp : gd->specs) {
          auto* vs = sp->as<ValueSpec>();
          if (!vs) continue;
          std::vector<Set> vals;
          for (Expr* v : vs->values) vals.push_back(expr(v));
          for (size_t i = 0; i < vs->names.size(); i++) {
            varOf(vs->names[i]->obj);
            if (vals.size() == vs->names.size()) assignTo(vs->names[i], vals[i]);
          }
        }
        return;
      }
      case NodeKind::AssignStmt: {
        auto* as = n->as<AssignStmt>();
        if (as->tok == Tok::Define)
          for (Expr* l : as->lhs) declareIdent(l);
        std::vector<Set> vals;
        for (Expr* r : as->rhs) vals.push_back(expr(r));
        // v, ok := x.(T) (or m[k], <-c): v gets x's value; a call's several results carry
        // nothing (call() returns {}).
        for (size_t i = 0; i < as->lhs.size(); i++)
          assignTo(as->lhs[i], vals.size() == as->lhs.size() ? vals[i] : i == 0 && vals.size() == 1 ? vals[0] : Set{});
        return;
      }
      case NodeKind::IfStmt: {
        auto* s = n->as<IfStmt>();
        stmt(s->init);
        expr(s->cond);
        stmt(s->body);
        return stmt(s->else_);
      }
      case NodeKind::CaseClause: {
        auto* cc = n->as<CaseClause>();
        for (Expr* e : cc->list) expr(e);
        if (cc->implicitObj) add(varOf(cc->implicitObj), typeSwitchVal);
        return stmts(cc->body);
      }
      case NodeKind::SwitchStmt: {
        auto* s = n->as<SwitchStmt>();
        stmt(s->init);
        expr(s->tag);
        return stmt(s->body);
      }
      case NodeKind::TypeSwitchStmt: {
        auto* s = n->as<TypeSwitchStmt>();
        stmt(s->init);
        Set x;
        if (auto* as = s->assign ? s->assign->as<AssignStmt>() : nullptr) {
          for (Expr* r : as->rhs) x = unite(x, expr(r));
        } else {
          stmt(s->assign);
        }
        Set saved = std::move(typeSwitchVal);
        typeSwitchVal = std::move(x);  // each clause's variable holds the switched value
        stmt(s->body);
        typeSwitchVal = std::move(saved);
        return;
      }
      case NodeKind::SelectStmt: return stmt(n->as<SelectStmt>()->body);
      case NodeKind::CommClause: {
        auto* cc = n->as<CommClause>();
        stmt(cc->comm);
        return stmts(cc->body);
      }
      case NodeKind::ForStmt: {
        auto* s = n->as<ForStmt>();
        depth++;  // the loop's own variables are per iteration too
        stmt(s->init);
        expr(s->cond);
        stmt(s->post);
        stmt(s->body);
        depth--;
        return;
      }
      case NodeKind::RangeStmt: {
        auto* s = n->as<RangeStmt>();
        Set x = expr(s->x);
        const types::Type* xt = under(s->x);
        Set elem;
        if (xt && xt->as<types::Array>()) elem = x;
        else if (xt && (xt->as<types::Slice>() || xt->as<types::Pointer>())) elem = deref(x);
        depth++;
        if (s->tok == Tok::Define) {
          declareIdent(s->key);
          declareIdent(s->value_);
        }
        if (s->key) assignTo(s->key, {});
        if (s->value_) assignTo(s->value_, elem);
        stmt(s->body);
        depth--;
        return;
      }
      default: return;
    }
  }

  // Escaped locations make what they hold escape; a location holding the address of one
  // declared deeper outlives it.
  void propagate() {
    for (size_t i = 0; i < locs.size(); i++)
      for (int y : locs[i].val) {
        locs[y].addressed = true;
        if ((locs[i].escaped || locs[y].depth > locs[i].depth) && !locs[y].escaped) {
          locs[y].escaped = true;
          changed = true;
        }
      }
  }

  void run() {
    const types::Func* f = root;
    BlockStmt* body = funcBody(f);
    if (!body || !f->sig()) return;
    bool tagged = !f->lit && f->pkg == ea.pkgPath_;
    declareParams(f, tagged);
    do {
      changed = false;
      depth = 0;
      stmt(body);
      propagate();
    } while (changed);
  }
};

void EscapeAnalysis::analyze(const types::Func* f) {
  while (f && f->outer) f = f->outer;
  if (!f || done_.count(f) || inProgress_.count(f)) return;
  inProgress_.insert(f);
  EscapeWalker w(*this, f);
  w.run();
  inProgress_.erase(f);
  done_.insert(f);
  std::vector<bool> leaks;
  for (auto& [p, pointee] : w.params) leaks.push_back(pointee >= 0 && w.locs[pointee].escaped);
  tags_[f] = leaks;
  for (const EscapeWalker::Loc& l : w.locs) {
    if (l.kind == EscapeWalker::LocKind::Var && !l.escaped) stackVars_.insert(l.var);
    if (l.kind == EscapeWalker::LocKind::Site && !l.escaped) stackSites_.insert(l.site);
  }
  // golc -m.
  for (const EscapeWalker::Loc& l : w.locs) {
    if (l.kind == EscapeWalker::LocKind::Var && l.addressed && l.escaped)
      notes_.push_back({l.var->pos, "moved to heap: " + l.var->name});
    if (l.kind == EscapeWalker::LocKind::Site) {
      std::string what = "func literal";
      if (auto* lit = l.site->as<CompositeLit>()) {
        bool slice = lit->type && lit->type->underlying()->as<types::Slice>();
        what = (slice ? "" : "&") + unqualified(types::typeString(lit->type), pkgPath_) + "{...}";
      }
      else if (auto* c = l.site->as<CallExpr>())
        what = "new(" + (c->args.empty() ? std::string("?") : unqualified(types::typeString(c->args[0]->type), pkgPath_)) + ")";
      notes_.push_back({l.site->pos, what + (l.escaped ? " escapes to heap" : " does not escape")});
    }
  }
  if (!f->lit && f->pkg == pkgPath_)
    for (auto& [p, pointee] : w.params)
      if (pointee >= 0 && !p->name.empty() && p->name != "_")
        notes_.push_back({p->pos, w.locs[pointee].escaped ? "leaking param: " + p->name : p->name + " does not escape"});
}

bool EscapeAnalysis::varOnStack(const types::Var* v) const { return stackVars_.count(v) != 0; }

bool EscapeAnalysis::siteOnStack(const Node* site) const { return stackSites_.count(site) != 0; }

const std::vector<bool>& EscapeAnalysis::paramLeaks(const types::Func* f) {
  static const std::vector<bool> unknown;  // empty: every parameter leaks
  if (!f || f->lit || f->pkg != pkgPath_ || !funcBody(f)) return unknown;
  analyze(f);
  auto it = tags_.find(f);
  return it == tags_.end() ? unknown : it->second;
}

std::vector<std::pair<Pos, std::string>> EscapeAnalysis::notes() const {
  auto r = notes_;
  std::stable_sort(r.begin(), r.end(), [](const auto& a, const auto& b) {
    if (a.first.file != b.first.file) return a.first.file < b.first.file;
    return a.first.offset < b.first.offset;
  });
  return r;
}

}  // namespace gol
