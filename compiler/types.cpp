// types.cpp: type identity, the spec's type predicates, type strings and scopes (go/types'
// predicates.go, typestring.go and scope.go), plus TypeContext's type constructors.
//
// Identity follows the spec's "Type identity": a named type is identical only to itself; two
// type literals are identical when they have the same structure and identical components.
#include <algorithm>

#include "typecontext.h"

namespace gol {
namespace types {

const Type* Type::underlying() const {
  if (auto n = as<Named>()) return n->under ? n->under : this;
  return this;
}

// ---------------------------------------------------------------------------------------------
// Scopes

Object* Scope::lookup(const std::string& name) const {
  auto it = elems.find(name);
  return it == elems.end() ? nullptr : it->second;
}

Object* Scope::lookupParent(const std::string& name) const {
  for (const Scope* s = this; s; s = s->parent)
    if (Object* o = s->lookup(name)) return o;
  return nullptr;
}

Object* Scope::insert(Object* obj) {
  if (Object* alt = lookup(obj->name)) return alt;
  elems[obj->name] = obj;
  if (!obj->parent) obj->parent = this;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Predicates

static const Basic* basicOf(const Type* t) { return t ? t->underlying()->as<Basic>() : nullptr; }

bool isInteger(const Type* t) {
  auto b = basicOf(t);
  if (!b) return false;
  return (b->bkind >= BasicKind::Int && b->bkind <= BasicKind::Uintptr) || b->bkind == BasicKind::UntypedInt ||
         b->bkind == BasicKind::UntypedRune;
}

bool isUnsigned(const Type* t) {
  auto b = basicOf(t);
  return b && b->bkind >= BasicKind::Uint && b->bkind <= BasicKind::Uintptr;
}

bool isFloat(const Type* t) {
  auto b = basicOf(t);
  return b && (b->bkind == BasicKind::Float32 || b->bkind == BasicKind::Float64 || b->bkind == BasicKind::UntypedFloat);
}

bool isComplex(const Type* t) {
  auto b = basicOf(t);
  return b && (b->bkind == BasicKind::Complex64 || b->bkind == BasicKind::Complex128 ||
               b->bkind == BasicKind::UntypedComplex);
}

bool isNumeric(const Type* t) { return isInteger(t) || isFloat(t) || isComplex(t); }

bool isString(const Type* t) {
  auto b = basicOf(t);
  return b && (b->bkind == BasicKind::String || b->bkind == BasicKind::UntypedString);
}

bool isBoolean(const Type* t) {
  auto b = basicOf(t);
  return b && (b->bkind == BasicKind::Bool || b->bkind == BasicKind::UntypedBool);
}

bool isUntyped(const Type* t) {
  auto b = t ? t->as<Basic>() : nullptr;  // a named type is never untyped
  return b && b->bkind >= BasicKind::UntypedBool;
}

bool isTyped(const Type* t) { return !isUntyped(t); }

bool isUntypedNumeric(const Type* t) { return isUntyped(t) && isNumeric(t); }

bool isValid(const Type* t) {
  auto b = t ? t->as<Basic>() : nullptr;
  return t && !(b && b->bkind == BasicKind::Invalid);
}

bool isConstType(const Type* t) {
  auto b = basicOf(t);
  return b && b->bkind != BasicKind::Invalid && b->bkind != BasicKind::UnsafePointer &&
         b->bkind != BasicKind::UntypedNil;
}

bool isInterface(const Type* t) { return t && t->underlying()->as<Interface>(); }

bool isComparable(const Type* t) {
  const Type* u = t->underlying();
  switch (u->kind) {
    case TypeKind::Basic: return u->as<Basic>()->bkind != BasicKind::UntypedNil;
    case TypeKind::Pointer:
    case TypeKind::Chan:
    case TypeKind::Interface: return true;
    case TypeKind::Struct:
      for (auto f : u->as<Struct>()->fields)
        if (!isComparable(f->type)) return false;
      return true;
    case TypeKind::Array: return isComparable(u->as<Array>()->elem);
    default: return false;
  }
}

bool hasNil(const Type* t) {
  switch (t->underlying()->kind) {
    case TypeKind::Pointer:
    case TypeKind::Slice:
    case TypeKind::Map:
    case TypeKind::Chan:
    case TypeKind::Signature:
    case TypeKind::Interface: return true;
    case TypeKind::Basic: return t->underlying()->as<Basic>()->bkind == BasicKind::UnsafePointer;
    default: return false;
  }
}

bool isOrdered(const Type* t) { return isInteger(t) || isFloat(t) || isString(t); }

int64_t basicSize(const Basic* b) {
  switch (b->bkind) {
    case BasicKind::Bool:
    case BasicKind::Int8:
    case BasicKind::Uint8: return 1;
    case BasicKind::Int16:
    case BasicKind::Uint16: return 2;
    case BasicKind::Int32:
    case BasicKind::Uint32:
    case BasicKind::Float32: return 4;
    case BasicKind::Complex128: return 16;
    case BasicKind::String: return 16;
    default: return 8;
  }
}

// ---------------------------------------------------------------------------------------------
// Identity

static bool identicalTuples(const Tuple* a, const Tuple* b) {
  size_t na = a ? a->vars.size() : 0, nb = b ? b->vars.size() : 0;
  if (na != nb) return false;
  for (size_t i = 0; i < na; i++)
    if (!identical(a->vars[i]->type, b->vars[i]->type)) return false;
  return true;
}

bool identical(const Type* a, const Type* b) {
  if (a == b) return true;
  if (!a || !b || a->kind != b->kind) return false;
  switch (a->kind) {
    case TypeKind::Basic: return a->as<Basic>()->bkind == b->as<Basic>()->bkind;
    case TypeKind::Pointer: return identical(a->as<Pointer>()->elem, b->as<Pointer>()->elem);
    case TypeKind::Slice: return identical(a->as<Slice>()->elem, b->as<Slice>()->elem);
    case TypeKind::Array:
      return a->as<Array>()->len == b->as<Array>()->len && identical(a->as<Array>()->elem, b->as<Array>()->elem);
    case TypeKind::Map:
      return identical(a->as<Map>()->key, b->as<Map>()->key) && identical(a->as<Map>()->elem, b->as<Map>()->elem);
    case TypeKind::Chan:
      return a->as<Chan>()->dir == b->as<Chan>()->dir && identical(a->as<Chan>()->elem, b->as<Chan>()->elem);
    case TypeKind::Struct: {
      auto x = a->as<Struct>(), y = b->as<Struct>();
      if (x->fields.size() != y->fields.size()) return false;
      for (size_t i = 0; i < x->fields.size(); i++) {
        auto f = x->fields[i], g = y->fields[i];
        if (f->name != g->name || f->embedded != g->embedded || !identical(f->type, g->type)) return false;
        std::string tf = i < x->tags.size() ? x->tags[i] : "", tg = i < y->tags.size() ? y->tags[i] : "";
        if (tf != tg) return false;
      }
      return true;
    }
    case TypeKind::Tuple: return identicalTuples(a->as<Tuple>(), b->as<Tuple>());
    case TypeKind::Signature: {
      auto x = a->as<Signature>(), y = b->as<Signature>();
      return x->variadic == y->variadic && identicalTuples(x->params, y->params) &&
             identicalTuples(x->results, y->results);
    }
    case TypeKind::Interface: {
      auto x = a->as<Interface>(), y = b->as<Interface>();
      if (x->allMethods.size() != y->allMethods.size()) return false;
      for (size_t i = 0; i < x->allMethods.size(); i++) {
        if (x->allMethods[i]->name != y->allMethods[i]->name) return false;
        if (!identical(x->allMethods[i]->type, y->allMethods[i]->type)) return false;
      }
      return true;
    }
    case TypeKind::Named: return false;  // distinct named types are never identical
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Type strings

static void writeType(std::string& out, const Type* t, bool qualify);

static void writeTuple(std::string& out, const Tuple* tup, bool variadic, bool qualify) {
  out += "(";
  if (tup) {
    for (size_t i = 0; i < tup->vars.size(); i++) {
      if (i) out += ", ";
      const Var* v = tup->vars[i];
      if (!v->name.empty()) out += v->name + " ";
      if (variadic && i + 1 == tup->vars.size()) {
        out += "...";
        auto s = v->type ? v->type->as<Slice>() : nullptr;
        writeType(out, s ? s->elem : v->type, qualify);
      } else {
        writeType(out, v->type, qualify);
      }
    }
  }
  out += ")";
}

static void writeSignature(std::string& out, const Signature* sig, bool qualify) {
  writeTuple(out, sig->params, sig->variadic, qualify);
  const Tuple* r = sig->results;
  if (!r || r->vars.empty()) return;
  out += " ";
  if (r->vars.size() == 1 && r->vars[0]->name.empty()) {
    writeType(out, r->vars[0]->type, qualify);
    return;
  }
  writeTuple(out, r, false, qualify);
}

static void writeType(std::string& out, const Type* t, bool qualify) {
  if (!t) {
    out += "<nil>";
    return;
  }
  switch (t->kind) {
    case TypeKind::Basic: out += t->as<Basic>()->name; return;
    case TypeKind::Pointer:
      out += "*";
      writeType(out, t->as<Pointer>()->elem, qualify);
      return;
    case TypeKind::Slice:
      out += "[]";
      writeType(out, t->as<Slice>()->elem, qualify);
      return;
    case TypeKind::Array:
      out += "[" + std::to_string(t->as<Array>()->len) + "]";
      writeType(out, t->as<Array>()->elem, qualify);
      return;
    case TypeKind::Map:
      out += "map[";
      writeType(out, t->as<Map>()->key, qualify);
      out += "]";
      writeType(out, t->as<Map>()->elem, qualify);
      return;
    case TypeKind::Chan: {
      auto c = t->as<Chan>();
      bool paren = false;
      if (c->dir == ChanDir::Recv) out += "<-chan ";
      else if (c->dir == ChanDir::Send) out += "chan<- ";
      else {
        out += "chan ";
        auto e = c->elem ? c->elem->as<Chan>() : nullptr;
        paren = e && e->dir == ChanDir::Recv;
      }
      if (paren) out += "(";
      writeType(out, c->elem, qualify);
      if (paren) out += ")";
      return;
    }
    case TypeKind::Struct: {
      auto s = t->as<Struct>();
      out += "struct{";
      for (size_t i = 0; i < s->fields.size(); i++) {
        if (i) out += "; ";
        if (!s->fields[i]->embedded) out += s->fields[i]->name + " ";
        writeType(out, s->fields[i]->type, qualify);
        if (i < s->tags.size() && !s->tags[i].empty()) out += " " + quoteGo(s->tags[i]);
      }
      out += "}";
      return;
    }
    case TypeKind::Tuple: writeTuple(out, t->as<Tuple>(), false, qualify); return;
    case TypeKind::Signature:
      out += "func";
      writeSignature(out, t->as<Signature>(), qualify);
      return;
    case TypeKind::Interface: {
      auto it = t->as<Interface>();
      if (it->methods.empty() && it->embeddeds.empty()) {
        out += "interface{}";
        return;
      }
      out += "interface{";
      bool first = true;
      for (auto m : it->methods) {
        if (!first) out += "; ";
        first = false;
        out += m->name;
        writeSignature(out, m->sig(), qualify);
      }
      for (auto e : it->embeddeds) {
        if (!first) out += "; ";
        first = false;
        writeType(out, e, qualify);
      }
      out += "}";
      return;
    }
    case TypeKind::Named: {
      auto n = t->as<Named>();
      if (qualify && n->obj && !n->obj->pkg.empty()) out += n->obj->pkg + ".";
      out += n->obj ? n->obj->name : "?";
      return;
    }
  }
}

std::string typeString(const Type* t) {
  std::string s;
  writeType(s, t, true);
  return s;
}

std::string typeStringUnqualified(const Type* t) {
  std::string s;
  writeType(s, t, false);
  return s;
}

const Type* defaultType(const TypeContext& tc, const Type* t) {
  auto b = t ? t->as<Basic>() : nullptr;
  if (!b) return t;
  switch (b->bkind) {
    case BasicKind::UntypedBool: return tc.basic(BasicKind::Bool);
    case BasicKind::UntypedInt: return tc.basic(BasicKind::Int);
    case BasicKind::UntypedRune: return tc.runeType();
    case BasicKind::UntypedFloat: return tc.basic(BasicKind::Float64);
    case BasicKind::UntypedComplex: return tc.basic(BasicKind::Complex128);
    case BasicKind::UntypedString: return tc.basic(BasicKind::String);
    default: return t;
  }
}

// ---------------------------------------------------------------------------------------------
// TypeContext: constructors

const Pointer* TypeContext::pointerTo(const Type* elem) {
  auto& p = pointers_[elem];
  if (!p) p = own(std::make_unique<Pointer>(elem));
  return p;
}

const Slice* TypeContext::sliceOf(const Type* elem) {
  auto& p = slices_[elem];
  if (!p) p = own(std::make_unique<Slice>(elem));
  return p;
}

const Array* TypeContext::arrayOf(const Type* elem, int64_t len) {
  auto& p = arrays_[{elem, len}];
  if (!p) p = own(std::make_unique<Array>(elem, len));
  return p;
}

const Map* TypeContext::mapOf(const Type* key, const Type* elem) {
  auto& p = maps_[{key, elem}];
  if (!p) p = own(std::make_unique<Map>(key, elem));
  return p;
}

const Chan* TypeContext::chanOf(ChanDir dir, const Type* elem) {
  auto& p = chans_[{int(dir), elem}];
  if (!p) p = own(std::make_unique<Chan>(dir, elem));
  return p;
}

Tuple* TypeContext::newTuple() { return own(std::make_unique<Tuple>()); }
Signature* TypeContext::newSignature() { return own(std::make_unique<Signature>()); }
Struct* TypeContext::newStruct() { return own(std::make_unique<Struct>()); }
Interface* TypeContext::newInterface() { return own(std::make_unique<Interface>()); }
Named* TypeContext::newNamed(TypeName* obj) { return own(std::make_unique<Named>(obj)); }

Scope* TypeContext::newScope(Scope* parent, std::string comment) {
  scopes_.push_back(std::make_unique<Scope>(parent, std::move(comment)));
  Scope* s = scopes_.back().get();
  if (parent) parent->children.push_back(s);
  return s;
}

const ConstVal* TypeContext::newConst(ConstVal v) {
  consts_.push_back(std::make_unique<ConstVal>(std::move(v)));
  return consts_.back().get();
}

Scope* TypeContext::packageScope(const std::string& path) {
  auto it = packages_.find(path);
  if (it != packages_.end()) return it->second;
  Scope* s = nullptr;
  importError.clear();
  if (path == "runtime") s = makeRuntimePackage();
  else if (importer) s = importer(path);
  if (s) packages_[path] = s;
  return s;
}

}  // namespace types
}  // namespace gol
