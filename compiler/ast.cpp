// ast.cpp: node names, and the two ways of showing a tree: dumpAst (an indented outline for
// golc --dump=ast and the parser tests) and exprString (Go source text for messages).
//
// dumpAst prints one node per line, "Kind detail", children indented by two spaces. A child
// that fills a particular role is prefixed with it ("cond: ", "body: ") where the role would
// otherwise be ambiguous; absent optional children are simply not printed.
#include "ast.h"

#include <sstream>

namespace gol {

const char* nodeKindName(NodeKind k) {
  switch (k) {
#define X(n) \
  case NodeKind::n: return #n;
    GOL_AST_NODE_KINDS(X)
#undef X
  }
  return "?";
}

size_t FieldList::numFields() const {
  size_t n = 0;
  for (const Field* f : list) n += f->names.empty() ? 1 : f->names.size();
  return n;
}

// ---------------------------------------------------------------------------------------------
// exprString

namespace {

void writeExpr(std::string& b, const Node* n);

void writeList(std::string& b, const std::vector<Expr*>& v) {
  for (size_t i = 0; i < v.size(); i++) {
    if (i) b += ", ";
    writeExpr(b, v[i]);
  }
}

void writeFields(std::string& b, const FieldList* l, const char* sep) {
  if (!l) return;
  for (size_t i = 0; i < l->list.size(); i++) {
    const Field* f = l->list[i];
    if (i) b += sep;
    for (size_t j = 0; j < f->names.size(); j++) {
      if (j) b += ", ";
      b += f->names[j]->name;
    }
    if (!f->names.empty()) b += ' ';
    writeExpr(b, f->type);
  }
}

void writeSignature(std::string& b, const FuncType* t) {
  b += '(';
  writeFields(b, t->params, ", ");
  b += ')';
  const FieldList* r = t->results;
  if (!r || r->list.empty()) return;
  b += ' ';
  if (r->list.size() == 1 && r->list[0]->names.empty()) {
    writeExpr(b, r->list[0]->type);
    return;
  }
  b += '(';
  writeFields(b, r, ", ");
  b += ')';
}

void writeExpr(std::string& b, const Node* n) {
  if (!n) return;
  switch (n->kind) {
    case NodeKind::BadExpr: b += "_"; break;
    case NodeKind::Ident: b += n->as<Ident>()->name; break;
    case NodeKind::BasicLit: b += n->as<BasicLit>()->text; break;
    case NodeKind::CompositeLit:
      writeExpr(b, n->as<CompositeLit>()->typeExpr);
      b += "{…}";
      break;
    case NodeKind::FuncLit:
      b += '(';
      writeExpr(b, n->as<FuncLit>()->type_);
      b += " literal)";
      break;
    case NodeKind::ParenExpr:
      b += '(';
      writeExpr(b, n->as<ParenExpr>()->x);
      b += ')';
      break;
    case NodeKind::SelectorExpr:
      writeExpr(b, n->as<SelectorExpr>()->x);
      b += '.';
      b += n->as<SelectorExpr>()->sel->name;
      break;
    case NodeKind::IndexExpr:
      writeExpr(b, n->as<IndexExpr>()->x);
      b += '[';
      writeList(b, n->as<IndexExpr>()->indices);
      b += ']';
      break;
    case NodeKind::SliceExpr: {
      auto* s = n->as<SliceExpr>();
      writeExpr(b, s->x);
      b += '[';
      writeExpr(b, s->low);
      b += ':';
      writeExpr(b, s->high);
      if (s->slice3) {
        b += ':';
        writeExpr(b, s->max);
      }
      b += ']';
      break;
    }
    case NodeKind::TypeAssertExpr: {
      auto* t = n->as<TypeAssertExpr>();
      writeExpr(b, t->x);
      b += ".(";
      if (t->typeExpr)
        writeExpr(b, t->typeExpr);
      else
        b += "type";
      b += ')';
      break;
    }
    case NodeKind::CallExpr: {
      auto* c = n->as<CallExpr>();
      writeExpr(b, c->fun);
      b += '(';
      writeList(b, c->args);
      if (c->hasEllipsis) b += "...";
      b += ')';
      break;
    }
    case NodeKind::StarExpr:
      b += '*';
      writeExpr(b, n->as<StarExpr>()->x);
      break;
    case NodeKind::UnaryExpr:
      b += tokString(n->as<UnaryExpr>()->op);
      writeExpr(b, n->as<UnaryExpr>()->x);
      break;
    case NodeKind::BinaryExpr: {
      auto* e = n->as<BinaryExpr>();
      writeExpr(b, e->x);
      b += ' ';
      b += tokString(e->op);
      b += ' ';
      writeExpr(b, e->y);
      break;
    }
    case NodeKind::KeyValueExpr:
      writeExpr(b, n->as<KeyValueExpr>()->key);
      b += ": ";
      writeExpr(b, n->as<KeyValueExpr>()->value_);
      break;
    case NodeKind::ArrayType: {
      auto* t = n->as<ArrayType>();
      b += '[';
      if (t->len && t->len->is<EllipsisType>())
        b += "...";
      else
        writeExpr(b, t->len);
      b += ']';
      writeExpr(b, t->elem);
      break;
    }
    case NodeKind::StructType:
      b += "struct{";
      writeFields(b, n->as<StructType>()->fields, "; ");
      b += '}';
      break;
    case NodeKind::FuncType:
      b += "func";
      writeSignature(b, n->as<FuncType>());
      break;
    case NodeKind::InterfaceType: {
      b += "interface{";
      const FieldList* l = n->as<InterfaceType>()->methods;
      for (size_t i = 0; l && i < l->list.size(); i++) {
        const Field* f = l->list[i];
        if (i) b += "; ";
        if (!f->names.empty() && f->type && f->type->is<FuncType>()) {
          b += f->names[0]->name;
          writeSignature(b, f->type->as<FuncType>());
        } else {
          writeExpr(b, f->type);
        }
      }
      b += '}';
      break;
    }
    case NodeKind::MapType:
      b += "map[";
      writeExpr(b, n->as<MapType>()->key);
      b += ']';
      writeExpr(b, n->as<MapType>()->value_);
      break;
    case NodeKind::ChanType: {
      auto* t = n->as<ChanType>();
      b += t->dir == ChanDir::Recv ? "<-chan " : t->dir == ChanDir::Send ? "chan<- " : "chan ";
      writeExpr(b, t->elem);
      break;
    }
    case NodeKind::EllipsisType:
      b += "...";
      writeExpr(b, n->as<EllipsisType>()->elem);
      break;
    // simple statements, for the parser's "cannot use ... as value"
    case NodeKind::ExprStmt: writeExpr(b, n->as<ExprStmt>()->x); break;
    case NodeKind::SendStmt:
      writeExpr(b, n->as<SendStmt>()->chan);
      b += " <- ";
      writeExpr(b, n->as<SendStmt>()->value_);
      break;
    case NodeKind::IncDecStmt:
      writeExpr(b, n->as<IncDecStmt>()->x);
      b += tokString(n->as<IncDecStmt>()->tok);
      break;
    case NodeKind::AssignStmt: {
      auto* a = n->as<AssignStmt>();
      writeList(b, a->lhs);
      b += ' ';
      b += tokString(a->tok);
      b += ' ';
      writeList(b, a->rhs);
      break;
    }
    default: b += nodeKindName(n->kind); break;
  }
}

}  // namespace

std::string exprString(const Node* n) {
  std::string b;
  writeExpr(b, n);
  return b;
}

// ---------------------------------------------------------------------------------------------
// dumpAst

namespace {

const char* litKindName(Tok k) {
  switch (k) {
    case Tok::Int: return "Int";
    case Tok::Float: return "Float";
    case Tok::Imag: return "Imag";
    case Tok::Char: return "Char";
    case Tok::String: return "String";
    default: return "?";
  }
}

class Dumper {
 public:
  std::string out;
  void node(const Node* n, int depth, const char* role = nullptr);

 private:
  void line(int depth, const char* role, const std::string& text) {
    out.append(2 * depth, ' ');
    if (role) out += std::string(role) + ": ";
    out += text + "\n";
  }
  template <class T> void each(const std::vector<T*>& v, int depth, const char* role = nullptr) {
    for (const T* n : v) node(n, depth, role);
  }
  void fields(const FieldList* l, int depth, const char* role) {
    if (l) node(l, depth, role);
  }
};

void Dumper::node(const Node* n, int d, const char* role) {
  if (!n) return;
  std::string head = nodeKindName(n->kind);
  int c = d + 1;  // children's depth
  switch (n->kind) {
    case NodeKind::Ident: line(d, role, head + " " + n->as<Ident>()->name); return;
    case NodeKind::BasicLit:
      line(d, role, head + " " + litKindName(n->as<BasicLit>()->litKind) + " " + n->as<BasicLit>()->text);
      return;
    case NodeKind::CompositeLit: {
      auto* x = n->as<CompositeLit>();
      line(d, role, head);
      node(x->typeExpr, c, "type");
      each(x->elts, c);
      return;
    }
    case NodeKind::FuncLit:
      line(d, role, head);
      node(n->as<FuncLit>()->type_, c);
      node(n->as<FuncLit>()->body, c);
      return;
    case NodeKind::ParenExpr: line(d, role, head); node(n->as<ParenExpr>()->x, c); return;
    case NodeKind::SelectorExpr:
      line(d, role, head + " ." + n->as<SelectorExpr>()->sel->name);
      node(n->as<SelectorExpr>()->x, c);
      return;
    case NodeKind::IndexExpr:
      line(d, role, head);
      node(n->as<IndexExpr>()->x, c);
      each(n->as<IndexExpr>()->indices, c, "index");
      return;
    case NodeKind::SliceExpr: {
      auto* s = n->as<SliceExpr>();
      line(d, role, head + (s->slice3 ? " 3-index" : ""));
      node(s->x, c);
      node(s->low, c, "low");
      node(s->high, c, "high");
      node(s->max, c, "max");
      return;
    }
    case NodeKind::TypeAssertExpr: {
      auto* t = n->as<TypeAssertExpr>();
      line(d, role, head + (t->typeExpr ? "" : " (type)"));
      node(t->x, c);
      node(t->typeExpr, c, "type");
      return;
    }
    case NodeKind::CallExpr: {
      auto* x = n->as<CallExpr>();
      line(d, role, head + (x->hasEllipsis ? " ..." : ""));
      node(x->fun, c);
      each(x->args, c, "arg");
      return;
    }
    case NodeKind::StarExpr: line(d, role, head); node(n->as<StarExpr>()->x, c); return;
    case NodeKind::UnaryExpr:
      line(d, role, head + " " + std::string(tokString(n->as<UnaryExpr>()->op)));
      node(n->as<UnaryExpr>()->x, c);
      return;
    case NodeKind::BinaryExpr:
      line(d, role, head + " " + std::string(tokString(n->as<BinaryExpr>()->op)));
      node(n->as<BinaryExpr>()->x, c);
      node(n->as<BinaryExpr>()->y, c);
      return;
    case NodeKind::KeyValueExpr:
      line(d, role, head);
      node(n->as<KeyValueExpr>()->key, c, "key");
      node(n->as<KeyValueExpr>()->value_, c, "value");
      return;
    case NodeKind::ArrayType: {
      auto* t = n->as<ArrayType>();
      line(d, role, t->len ? head : "ArrayType (slice)");
      node(t->len, c, "len");
      node(t->elem, c, "elem");
      return;
    }
    case NodeKind::StructType: line(d, role, head); fields(n->as<StructType>()->fields, c, nullptr); return;
    case NodeKind::FuncType:
      line(d, role, head);
      fields(n->as<FuncType>()->params, c, "params");
      fields(n->as<FuncType>()->results, c, "results");
      return;
    case NodeKind::InterfaceType: line(d, role, head); fields(n->as<InterfaceType>()->methods, c, nullptr); return;
    case NodeKind::MapType:
      line(d, role, head);
      node(n->as<MapType>()->key, c, "key");
      node(n->as<MapType>()->value_, c, "value");
      return;
    case NodeKind::ChanType: {
      auto* t = n->as<ChanType>();
      line(d, role, head + (t->dir == ChanDir::Send ? " send" : t->dir == ChanDir::Recv ? " recv" : ""));
      node(t->elem, c);
      return;
    }
    case NodeKind::EllipsisType: line(d, role, head); node(n->as<EllipsisType>()->elem, c); return;
    case NodeKind::Field: {
      auto* f = n->as<Field>();
      std::string names;
      for (const Ident* id : f->names) names += " " + id->name;
      line(d, role, head + names);
      node(f->type, c);
      node(f->tag, c, "tag");
      return;
    }
    case NodeKind::FieldList: line(d, role, head); each(n->as<FieldList>()->list, c); return;
    case NodeKind::DeclStmt: line(d, role, head); node(n->as<DeclStmt>()->decl, c); return;
    case NodeKind::EmptyStmt: line(d, role, head); return;
    case NodeKind::LabeledStmt:
      line(d, role, head + " " + n->as<LabeledStmt>()->label->name);
      node(n->as<LabeledStmt>()->stmt, c);
      return;
    case NodeKind::ExprStmt: line(d, role, head); node(n->as<ExprStmt>()->x, c); return;
    case NodeKind::SendStmt:
      line(d, role, head);
      node(n->as<SendStmt>()->chan, c);
      node(n->as<SendStmt>()->value_, c);
      return;
    case NodeKind::IncDecStmt:
      line(d, role, head + " " + std::string(tokString(n->as<IncDecStmt>()->tok)));
      node(n->as<IncDecStmt>()->x, c);
      return;
    case NodeKind::AssignStmt: {
      auto* a = n->as<AssignStmt>();
      line(d, role, head + " " + std::string(tokString(a->tok)));
      each(a->lhs, c, "lhs");
      each(a->rhs, c, "rhs");
      return;
    }
    case NodeKind::GoStmt: line(d, role, head); node(n->as<GoStmt>()->call, c); return;
    case NodeKind::DeferStmt: line(d, role, head); node(n->as<DeferStmt>()->call, c); return;
    case NodeKind::ReturnStmt: line(d, role, head); each(n->as<ReturnStmt>()->results, c); return;
    case NodeKind::BranchStmt: {
      auto* b = n->as<BranchStmt>();
      line(d, role, head + " " + std::string(tokString(b->tok)) + (b->label ? " " + b->label->name : ""));
      return;
    }
    case NodeKind::BlockStmt: line(d, role, head); each(n->as<BlockStmt>()->list, c); return;
    case NodeKind::IfStmt: {
      auto* s = n->as<IfStmt>();
      line(d, role, head);
      node(s->init, c, "init");
      node(s->cond, c, "cond");
      node(s->body, c, "body");
      node(s->else_, c, "else");
      return;
    }
    case NodeKind::CaseClause: {
      auto* s = n->as<CaseClause>();
      line(d, role, s->isDefault ? head + " default" : head);
      each(s->list, c, "case");
      each(s->body, c);
      return;
    }
    case NodeKind::SwitchStmt: {
      auto* s = n->as<SwitchStmt>();
      line(d, role, head);
      node(s->init, c, "init");
      node(s->tag, c, "tag");
      node(s->body, c, "body");
      return;
    }
    case NodeKind::TypeSwitchStmt: {
      auto* s = n->as<TypeSwitchStmt>();
      line(d, role, head);
      node(s->init, c, "init");
      node(s->assign, c, "assign");
      node(s->body, c, "body");
      return;
    }
    case NodeKind::CommClause: {
      auto* s = n->as<CommClause>();
      line(d, role, s->comm ? head : head + " default");
      node(s->comm, c, "comm");
      each(s->body, c);
      return;
    }
    case NodeKind::SelectStmt: line(d, role, head); node(n->as<SelectStmt>()->body, c, "body"); return;
    case NodeKind::ForStmt: {
      auto* s = n->as<ForStmt>();
      line(d, role, head);
      node(s->init, c, "init");
      node(s->cond, c, "cond");
      node(s->post, c, "post");
      node(s->body, c, "body");
      return;
    }
    case NodeKind::RangeStmt: {
      auto* s = n->as<RangeStmt>();
      line(d, role, s->tok == Tok::Illegal ? head : head + " " + std::string(tokString(s->tok)));
      node(s->key, c, "key");
      node(s->value_, c, "value");
      node(s->x, c, "x");
      node(s->body, c, "body");
      return;
    }
    case NodeKind::ImportSpec:
      line(d, role, head);
      node(n->as<ImportSpec>()->name, c, "name");
      node(n->as<ImportSpec>()->path, c, "path");
      return;
    case NodeKind::ValueSpec: {
      auto* s = n->as<ValueSpec>();
      std::string names;
      for (const Ident* id : s->names) names += " " + id->name;
      std::string extra;
      if (s->iota) extra += " iota=" + std::to_string(s->iota);
      if (s->implicitFrom) extra += " (repeats iota=" + std::to_string(s->implicitFrom->iota) + ")";
      line(d, role, head + names + extra);
      node(s->type, c, "type");
      each(s->values, c, "value");
      return;
    }
    case NodeKind::TypeSpec: {
      auto* s = n->as<TypeSpec>();
      line(d, role, head + " " + s->name->name + (s->isAlias ? " =" : ""));
      fields(s->typeParams, c, "typeParams");
      node(s->type, c);
      return;
    }
    case NodeKind::GenDecl: {
      auto* g = n->as<GenDecl>();
      line(d, role, head + " " + std::string(tokString(g->tok)) + (g->grouped ? " (grouped)" : ""));
      each(g->specs, c);
      return;
    }
    case NodeKind::FuncDecl: {
      auto* f = n->as<FuncDecl>();
      line(d, role, head + " " + (f->name ? f->name->name : "?"));
      fields(f->recv, c, "recv");
      fields(f->typeParams, c, "typeParams");
      node(f->type, c);
      node(f->body, c, "body");
      return;
    }
    case NodeKind::File: {
      auto* f = n->as<File>();
      line(d, role, head + " " + (f->packageName ? f->packageName->name : "?"));
      each(f->decls, c);
      return;
    }
    case NodeKind::BadExpr: case NodeKind::BadStmt: case NodeKind::BadDecl:
      line(d, role, head);
      return;
  }
  line(d, role, head);
}

}  // namespace

std::string dumpAst(const Node* n) {
  Dumper d;
  d.node(n, 0);
  return d.out;
}

}  // namespace gol
