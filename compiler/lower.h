// lower.h: IR lowering, the checked AST of one package -> one LLVM module (DESIGN §2).
//
// lowerPackage() is the entry point the driver calls. The Lowerer class below is shared by the
// lower_*.cpp files, one per concern:
//   lower.cpp            module and function setup, locals, the implicit return
//   lower_types.cpp      Gol types -> LLVM types
//   lower_expr.cpp       expressions, operators, calls, conversions, print/len/min/max
//   lower_stmt.cpp       assignments, declarations, if/for/switch, break/continue/return
//   lower_range.cpp      for-range over ints, arrays, slices, strings (channels: lower_chan)
//   lower_composite.cpp  pointers, structs, arrays, slices; locals on the heap
//   lower_slice.cpp      new/make/append/copy/clear, variadic calls, string <-> []byte
//   lower_closure.cpp    closures and function values
//   lower_method.cpp     selections, method calls and method values
//   lower_iface.cpp      interfaces: itabs, calls, assertions, type switches, panic(v)
//   lower_chan.cpp       channels and select
//   lower_go.cpp         go statements
//   lower_typedesc.cpp   type descriptors (runtime/typedesc.h) and equality functions
//   lower_rt.cpp         the runtime ABI (rtcalls.def mirrors runtime/abi.h)
//   lower_debug.cpp      line tables for goroutine dumps (DWARF .debug_line)
//   lower_memclass.cpp   big arrays and structs in memory, passed and returned by pointer
// Lowering trusts the checker: it reads the annotations (Expr::mode/type/value, Ident::obj,
// SelectorExpr::selection, BranchStmt::target) and never re-derives them.
//
// Shape of the output (see runtime/abi.h): a Gol function f is "main.f" with the C calling
// convention, parameters in order and several results returned as one LLVM struct, except that
// an array or struct (or result tuple) of more than kBigAggregateBytes is passed as a pointer
// to the caller's copy and returned through a trailing pointer (lower_memclass.cpp); "main.init"
// initialises package variables then calls every func init(); every function keeps frame
// pointers. Locals are entry-block allocas (SROA/mem2reg turn them into SSA values), and every
// IR value is named after its variable or role ("x.addr", "div.byzero").
//
// Anything the checker accepts that lowering cannot handle yet is reported as
// "file:line:col: X is not supported in Gol yet"; lowering then carries on with poison values
// so that all such errors are reported, and the module is discarded.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include "check.h"
#include "escape.h"
#include "lower_rt.h"

namespace gol {

// Lowers pkg into mod (whose target triple and data layout are already set). Returns false
// when errors were reported to diag; mod must then be discarded. escapeNotes, when given,
// receives the escape analysis's decisions (golc -m).
bool lowerPackage(const CheckedPackage& pkg, llvm::Module& mod, Diag& diag,
                  std::vector<std::pair<Pos, std::string>>* escapeNotes = nullptr);

// Gives big arrays and structs homes in memory in place of first-class SSA values, and passes
// and returns them by pointer (lower_memclass.cpp); run on the finished module.
void lowerMemoryClassValues(llvm::Module& mod);

// Type predicates on underlying basic kinds (untyped kinds included), for lowering decisions.
const types::Basic* basicOf(const types::Type* t);
bool isBoolType(const types::Type* t);
bool isStringType(const types::Type* t);
bool isFloatType(const types::Type* t);
bool isIntType(const types::Type* t);
bool isSignedIntType(const types::Type* t);  // intN, int, untyped int/rune
bool isUntypedType(const types::Type* t);
Expr* unparen(Expr* e);
BlockStmt* funcBody(const types::Func* f);  // null for functions implemented elsewhere
UnaryExpr* asRecv(Expr* e);                 // e as a receive <-c, or null
bool isMapIndex(Expr* e);                   // e is m[k] of a map (lower_map.cpp)
const types::Interface* ifaceOf(const types::Type* t);  // t's underlying interface, or null

class Lowerer {
 public:
  Lowerer(const CheckedPackage& pkg, llvm::Module& mod, Diag& diag);
  bool run();

  // ---- lower.cpp: module and function setup ----
  void unsupported(Pos pos, const std::string& what);  // "<what> is not supported in Gol yet"
  llvm::Function* declareFunc(types::Func* f);
  // f's LLVM type: [closure context,] [receiver,] parameters -> result(s).
  llvm::FunctionType* funcTypeOf(const types::Func* f);
  void setFuncAttrs(llvm::Function* fn);
  void defineFunc(types::Func* f);
  void defineInit();
  llvm::AllocaInst* createEntryAlloca(llvm::Type* ty, const llvm::Twine& name);
  llvm::BasicBlock* newBlock(const llvm::Twine& name);
  void setBlock(llvm::BasicBlock* bb);    // continue emitting at the end of bb
  void branchTo(llvm::BasicBlock* bb);    // br bb, unless the current block is terminated
  bool terminated() const;
  void finishFunction();                  // terminate open blocks with the implicit return
  llvm::Value* varAddr(const types::Var* v);  // the alloca, heap cell or global holding v
  bool hasSlot(const types::Var* v) const;
  // A new entry-block slot for v, zeroed here (Go zeroes a variable where it is declared).
  llvm::Value* newLocal(const types::Var* v, bool zero = true);
  llvm::Value* loadValue(llvm::Value* addr, const types::Type* t, const llvm::Twine& name);
  void storeValue(llvm::Value* v, llvm::Value* addr, const types::Type* t);
  // Aggregates bigger than this are zeroed and copied with memset/memcpy (storeValue).
  static constexpr uint64_t kBigAggregateBytes = 64;
  bool isBigAggregate(llvm::Type* ty);
  // v's address when v is a load in the current block that nothing since may have overwritten
  // (so the memory still holds v); else null.
  llvm::Value* aggregateSource(llvm::Value* v);
  static constexpr uint64_t kMaxStackVarBytes = 64 * 1024;  // bigger locals go to the heap

  // ---- lower_types.cpp: Gol types -> LLVM types ----
  llvm::Type* llvmType(const types::Type* t);  // as an SSA value (bool = i1)
  llvm::Type* memType(const types::Type* t);   // in memory (bool = i8)
  llvm::FunctionType* funcType(const types::Signature* sig);
  llvm::Type* resultType(const types::Signature* sig);  // void, the result, or a struct
  bool isLowerable(const types::Type* t);  // values of t can be lowered by this version
  bool checkLowerable(const types::Type* t, Pos pos);  // reports "type T is not supported"
  llvm::Value* toMem(llvm::Value* v, const types::Type* t);    // i1 -> i8 for bool
  llvm::Value* fromMem(llvm::Value* v, const types::Type* t);  // i8 -> i1 for bool
  llvm::Value* zeroValue(const types::Type* t);
  llvm::Value* poison(const types::Type* t);

  // ---- lower_expr.cpp: expressions ----
  llvm::Value* lowerExpr(Expr* e);
  llvm::Value* lowerConst(const ConstValue* v, const types::Type* t);
  llvm::Value* lowerStringConst(const std::string& s);
  llvm::Value* lowerAddr(Expr* e);  // address of an assignable expression; null for `_`
  llvm::Value* lowerBinaryOp(Tok op, llvm::Value* x, llvm::Value* y, const types::Type* t,
                             Expr* yExpr, Pos pos);
  llvm::Value* lowerCompare(Tok op, llvm::Value* x, llvm::Value* y, const types::Type* t, Pos pos);
  llvm::Value* lowerCall(CallExpr* call);  // the result, a struct for several, null for none
  // sync/atomic's functions as LLVM atomic instructions (lower_atomic.cpp); false if callee is
  // not one of them.
  bool lowerAtomicCall(const types::Func* callee, const std::vector<llvm::Value*>& args, llvm::Value*& result);
  std::vector<llvm::Value*> lowerCallArgs(CallExpr* call, const types::Signature* sig);
  types::Func* staticCallee(Expr* fun);    // f or runtime.F; null for other callees
  llvm::Value* lowerMethodCall(CallExpr* call, SelectorExpr* sel);
  std::vector<llvm::Value*> lowerMultiValue(Expr* e, size_t n);  // v1, ..., vn := e
  llvm::Value* convertValue(llvm::Value* v, const types::Type* from, const types::Type* to);
  void emitPanicIf(llvm::Value* cond, RtFunc panicFn, llvm::ArrayRef<llvm::Value*> args,
                   const llvm::Twine& name);
  llvm::Value* lowerIdent(Ident* id);
  llvm::Value* lowerBinaryExpr(BinaryExpr* e);
  llvm::Value* lowerLogical(BinaryExpr* e);
  llvm::Value* lowerUnary(UnaryExpr* e);
  llvm::Value* lowerShift(Tok op, llvm::Value* x, llvm::Value* y, Expr* yExpr,
                          const types::Type* t);
  llvm::Value* lowerDivide(Tok op, llvm::Value* x, llvm::Value* y, const types::Type* t,
                           Expr* yExpr);
  llvm::Value* lowerConcat(const std::vector<llvm::Value*>& parts);
  llvm::Value* lowerStringEqual(llvm::Value* x, llvm::Value* y);
  llvm::Value* lowerBuiltinCall(CallExpr* call, types::BuiltinId id);
  void lowerPrint(CallExpr* call, bool newline);
  void printValues(const std::vector<std::pair<llvm::Value*, const types::Type*>>& args, bool newline, Pos pos);
  llvm::Value* lowerMinMax(CallExpr* call, bool isMin);
  llvm::Value* lowerStringIndex(IndexExpr* e);
  llvm::Value* lowerStringSlice(SliceExpr* e);
  llvm::Value* toInt64(llvm::Value* v, const types::Type* t, const llvm::Twine& name = "idx");
  void startDeadBlock();  // code after a terminator goes to a fresh (unreachable) block

  // ---- lower_stmt.cpp: statements and control flow ----
  void lowerStmt(Stmt* s);
  void lowerStmts(const std::vector<Stmt*>& list);
  void lowerAssign(AssignStmt* s);
  void lowerReturn(ReturnStmt* s);
  void lowerBranch(BranchStmt* s);
  void lowerIf(IfStmt* s);
  void lowerFor(ForStmt* s, const Stmt* label);
  void lowerRange(RangeStmt* s, const Stmt* label);
  void lowerSwitch(SwitchStmt* s, const Stmt* label);
  void lowerVarDecl(GenDecl* d);
  void assignTo(Expr* lhs, llvm::Value* v, const types::Type* vt);  // declares := variables
  // An assignment's target after phase 1 of the assignment (the spec's "operands of index
  // expressions and pointer indirections", evaluated); its nil and bounds checks, the map
  // insertion and the store wait for phase 2 (storeLhs), as in Go.
  struct PendingLhs {
    enum class Kind { Ident, Addr, Deref, SliceElem, ArrayElem, PtrArrayElem, Field, Map };
    Kind kind = Kind::Ident;
    Expr* e = nullptr;           // the target as written
    llvm::Value* v = nullptr;    // Addr: the address; Deref, PtrArrayElem, Field through a
                                 // pointer: the pointer; SliceElem: the slice; Map: the map
    llvm::Value* idx = nullptr;  // the index (i64), or Map: the slot holding the key
    std::unique_ptr<PendingLhs> inner;  // ArrayElem, Field: the addressable aggregate
  };
  PendingLhs evalLhs(Expr* e);                   // phase 1
  llvm::Value* lhsAddr(PendingLhs& p);           // phase 2: checks, then the address
  void storeLhs(PendingLhs& p, llvm::Value* v, const types::Type* vt);  // phase 2
  void lowerIncDec(IncDecStmt* s);
  void emitReturn(std::vector<llvm::Value*> vals);

  // ---- lower_composite.cpp: pointers, structs, arrays, slices; variables on the heap ----
  void collectAddressTaken(Node* n);  // marks locals whose address is taken (fs.heapVars)
  llvm::Value* heapAlloc(llvm::Type* ty, const llvm::Twine& name);  // zeroed, no descriptor
  llvm::Value* lowerElemAddr(Expr* e);  // lowerAddr of *p, x.f, a[i], s[i]; null if none
  llvm::Value* lowerSelector(SelectorExpr* e);
  llvm::Value* lowerIndex(IndexExpr* e);
  llvm::Value* lowerSliceExpr(SliceExpr* e);
  llvm::Value* lowerCompositeLit(CompositeLit* e);
  llvm::Value* insertElem(llvm::Value* agg, llvm::Value* v, unsigned i);  // agg with [i] = v
  llvm::Value* lowerAddressOf(UnaryExpr* e);
  llvm::Value* lowerAggregateEqual(llvm::Value* x, llvm::Value* y, const types::Type* t, Pos pos);
  llvm::Value* lowerPointerEqual(llvm::Value* x, llvm::Value* y, const types::Type* t);
  llvm::Value* lowerBigAggregateEqual(llvm::Value* x, llvm::Value* y, const types::Type* t, Pos pos);
  llvm::Value* lowerEqualInMemory(llvm::Value* xa, llvm::Value* ya, const types::Type* t, Pos pos);
  void emitNilCheck(llvm::Value* p);
  void emitBoundsCheck(llvm::Value* idx, llvm::Value* len, Expr* idxExpr, bool lenIsConst);
  void copyLoopVarsToFreshCells(Stmt* init);  // Go 1.22 per-iteration variables on the heap

  // ---- lower_slice.cpp: slice builtins, variadic calls, string <-> slice conversions ----
  uint64_t sizeOf(const types::Type* t);  // bytes of a T in memory
  // Calls a runtime function; GoSlice results come back through a hidden sret slot.
  llvm::Value* callRuntime(RtFunc f, llvm::ArrayRef<llvm::Value*> args, const llvm::Twine& name);
  llvm::Value* makeSliceValue(llvm::Value* p, llvm::Value* len, llvm::Value* cap, const llvm::Twine& name);
  llvm::Value* lowerNew(CallExpr* call);
  llvm::Value* lowerMake(CallExpr* call);
  llvm::Value* lowerAppend(CallExpr* call);
  llvm::Value* lowerCopy(CallExpr* call);
  // memmove of `bytes` (a multiple of 8): short moves inline, the rest through memmove.
  void moveWords(llvm::Value* dst, llvm::Value* src, llvm::Value* bytes);
  llvm::Function* smallMoveFunc();
  void lowerClear(CallExpr* call);
  llvm::Value* packVariadic(const std::vector<std::pair<llvm::Value*, const types::Type*>>& vals,
                            const types::Type* sliceType);
  llvm::Value* convertStringSlice(llvm::Value* v, const types::Type* from, const types::Type* to);

  // ---- lower_range.cpp: for-range loops ----
  void lowerRangeInt(RangeStmt* s, const Stmt* label);
  void lowerRangeIndexed(RangeStmt* s, const Stmt* label);  // arrays, *arrays, slices
  void lowerRangeString(RangeStmt* s, const Stmt* label);

  // ---- lower_typedesc.cpp: type descriptors (runtime/typedesc.h) ----
  llvm::Constant* typeDesc(const types::Type* t);  // @"type:T", emitted once per type
  llvm::Constant* equalFunc(const types::Type* t);
  void markPointerWords(const types::Type* t, uint64_t at, std::vector<bool>& words);
  llvm::Value* heapAllocOf(const types::Type* t, const llvm::Twine& name);  // new(T)
  llvm::Value* heapAllocArray(const types::Type* elem, uint64_t n, const llvm::Twine& name);

  // ---- lower_iface.cpp: interfaces ----
  struct MethodPath {
    types::Func* m = nullptr;
    std::vector<int> path;  // embedded fields walked to reach the method's receiver
    bool viaPtr = false;
    // m is a method of an interface embedded at the end of path: the call dispatches through
    // that interface value's itab.
    const types::Type* iface = nullptr;
  };
  MethodPath findMethod(const types::Type* T, const std::string& name);
  llvm::Function* itabMethodWrapper(const types::Type* T, const MethodPath& mp);
  llvm::Function* itabIfaceWrapper(const types::Type* T, const MethodPath& mp);
  llvm::Constant* itabFor(const types::Type* iface, const types::Type* T, std::string* missing);
  llvm::Value* toIface(llvm::Value* v, const types::Type* from, const types::Type* to);
  llvm::Value* dynTypeOf(llvm::Value* iv, const types::Type* ifaceT);
  llvm::Function* getItabFunc();
  llvm::Value* assertIface(llvm::Value* v, const types::Type* from, const types::Type* to, llvm::Value** ok);
  llvm::Value* lowerTypeAssert(TypeAssertExpr* e, llvm::Value** ok);
  llvm::Value* lowerIfaceCall(CallExpr* call, SelectorExpr* sel);
  void lowerTypeSwitch(TypeSwitchStmt* s, const Stmt* label);
  llvm::Value* lowerIfaceEqual(llvm::Value* x, llvm::Value* y, const types::Type* t);
  void emitPanicIfNot(llvm::Value* cond, const std::function<void()>& panic, const llvm::Twine& name);
  void lowerPanicValue(Expr* arg);
  std::unique_ptr<types::Interface> emptyIface;  // interface{}, for panic values
  // interface{ String() string }, for panic values Go prints through String(), and its method.
  std::unique_ptr<types::Interface> stringerIface;
  std::unique_ptr<types::Func> stringerMethod;
  void finishItabTable();
  struct ItabEntry {
    const types::Type* iface;
    const types::Type* type;
    llvm::Constant* itab;  // null: type lacks `missing`
    std::string missing;
  };
  std::vector<ItabEntry> itabs;
  std::vector<const types::Type*> concreteTypes, dynIfaces;  // for the run-time itab table
  std::set<std::string> concreteSeen, dynIfacesSeen;
  // Equality functions of comparable types, for descriptors (bool(ptr, ptr)); defined last.
  std::vector<std::pair<const types::Type*, llvm::Function*>> equalFuncs;
  size_t equalFuncsDone = 0;
  void finishEqualFuncs();
  // maps (lower_map.cpp)
  llvm::Constant* hashFunc(const types::Type* key);  // the key type's hasher (map.h)
  std::vector<llvm::Constant*> mapDescExtra(const types::Type* mapType);
  std::vector<std::pair<const types::Type*, llvm::Constant*>> hashFuncs;
  llvm::Value* lowerMakeMap(CallExpr* call);
  std::pair<llvm::Value*, llvm::Value*> mapAndKey(IndexExpr* e);
  llvm::Value* lowerMapIndex(IndexExpr* e, llvm::Value** ok);
  llvm::Value* mapAssignAddr(IndexExpr* e);
  void lowerMapOpAssign(IndexExpr* e, Tok op, Expr* rhs, Pos opPos);  // rhs null: ++ (Add) or -- (Sub)
  void lowerDelete(CallExpr* call);
  llvm::Value* lowerMapLit(CompositeLit* e);
  void lowerRangeMap(RangeStmt* s, const Stmt* label);

  // ---- lower_closure.cpp: closures and function values ----
  void bindCaptures(types::Func* f, llvm::Value* closure);  // in a closure's prologue
  llvm::Value* lowerFuncLit(FuncLit* lit);
  llvm::Value* funcValue(types::Func* f);  // a top-level function (or method expression) as a value
  llvm::FunctionType* closureCallType(const types::Signature* sig);  // (ctx, params) -> results
  llvm::Value* callFuncValue(llvm::Value* fv, const types::Signature* sig, llvm::ArrayRef<llvm::Value*> args,
                             const llvm::Twine& name);

  // ---- lower_method.cpp: selections, method calls and method values ----
  llvm::Value* selectionAddr(SelectorExpr* e);   // &x.f through embedded fields and pointers
  llvm::Value* selectionValue(SelectorExpr* e);  // x.f (value), when x.f has no address
  llvm::Value* methodReceiver(SelectorExpr* e);  // the receiver argument of x.m(...)
  llvm::Value* lowerMethodValue(SelectorExpr* e);  // f := x.m
  llvm::Value* lowerIfaceMethodValue(SelectorExpr* e, types::Func* m);
  llvm::Value* lowerIfaceMethodExpr(SelectorExpr* e, types::Func* m);
  llvm::Value* lowerPtrMethodExpr(SelectorExpr* e, types::Func* m);
  void emitOpenDeferReturn();
  llvm::Value* gDeferSlot();  // &g._defer of the running G, read now (inline asm)
  llvm::Value* emitDeferSetjmp(llvm::Value* rec);
  std::string panicwrapText(types::Func* m);
  llvm::Value* promotedIface(SelectorExpr* e, const types::Type*& ifaceT);

  // ---- lower_chan.cpp: channels and select ----
  llvm::Value* lowerMakeChan(CallExpr* call);
  void lowerSend(SendStmt* s);
  llvm::Value* lowerRecv(UnaryExpr* e, llvm::Value** ok);  // ok: for v, ok = <-c
  void lowerRangeChan(RangeStmt* s, const Stmt* label);
  void lowerSelect(SelectStmt* s, const Stmt* label);

  // ---- lower_go.cpp: go and defer statements ----
  struct PackedCall {  // a go/defer call, evaluated: what to call and the values to pack
    types::Func* callee = nullptr;     // a function or method (receiver packed first); else
    const types::Signature* sig = nullptr;  // a closure call (the closure packed first)
    bool isBuiltin = false;
    types::BuiltinId builtin = types::BuiltinId::Print;
    std::vector<llvm::Value*> vals;
    std::vector<const types::Type*> types;
    std::vector<std::string> names;
  };
  bool evalPackedCall(CallExpr* call, PackedCall& pc, const char* stmt);
  void defineCallWrapper(llvm::Function* fn, const PackedCall& pc, llvm::StructType* packTy, unsigned first);
  void lowerGo(GoStmt* s);
  void lowerDefer(DeferStmt* s);

  // ---- shared state ----
  const CheckedPackage& pkg;
  llvm::Module& mod;
  llvm::LLVMContext& ctx;
  Diag& diag;
  llvm::IRBuilder<> b;
  llvm::Type* i1;
  llvm::Type* i8;
  llvm::Type* i32;
  llvm::Type* i64;
  llvm::PointerType* ptr;
  llvm::StructType* stringTy;
  std::unordered_map<const types::Var*, llvm::GlobalVariable*> globals;
  std::unordered_map<std::string, llvm::GlobalVariable*> stringConsts;
  std::vector<std::pair<const types::Type*, llvm::Constant*>> typeDescs;  // by types::identical
  bool failed = false;
  EscapeAnalysis escape;  // decides which locals and allocation sites stay in the frame
  // Cross-package inlining (lower_inline.cpp): small functions of imported packages whose
  // bodies this module also lowers, as available_externally definitions LLVM may inline.
  std::vector<types::Func*> importedInline;
  std::unordered_set<const types::Func*> importedSeen;
  void noteImportedCallee(types::Func* f);
  void defineImportedInline();
  // math.Sqrt and the bit casts: one LLVM operation; false for any other function.
  bool defineMathIntrinsic(types::Func* f);

  // Line tables (lower_debug.cpp).
  std::unique_ptr<llvm::DIBuilder> dib;
  llvm::DICompileUnit* dicu = nullptr;
  std::unordered_map<int32_t, llvm::DIFile*> difiles;  // by SourceManager index
  void initDebugInfo();
  llvm::DIFile* debugFile(int32_t index);
  void attachSubprogram(types::Func* f, llvm::Function* fn);
  void setDebugPos(Pos p);  // the location of the instructions built next, in this function
  void sanitizeDebugLocs();  // math.Sqrt and the bit casts: one LLVM operation

  // Per-function state, reset by defineFunc.
  struct BranchTarget {
    const Stmt* stmt;   // the for/range/switch statement
    const Stmt* label;  // its LabeledStmt, if any
    llvm::BasicBlock* breakBB;
    llvm::BasicBlock* continueBB;  // null for a switch
  };
  struct FuncState {
    types::Func* func = nullptr;  // null for main.init
    std::string linkName;
    llvm::Function* fn = nullptr;
    llvm::Instruction* allocaPoint = nullptr;  // allocas go before it, in the entry block
    const types::Signature* sig = nullptr;
    std::unordered_map<const types::Var*, llvm::Value*> locals;
    std::vector<llvm::Value*> namedResults;  // slots of named results, in order
    std::vector<BranchTarget> targets;       // enclosing breakable statements, innermost last
    llvm::BasicBlock* fallthroughBB = nullptr;  // the next case body inside a switch clause
    int gowrapCount = 0;
    int deferwrapCount = 0;
    bool hasDefers = false;             // the body has defer statements (not in closures)
    bool loopDefers = false;            // ... and one of them is inside a loop
    int loopDepth = 0;                  // collectAddressTaken: inside a loop body
    // Open-coded returns (no loopDefers): each defer statement's frame record and wrapper, in
    // source order, which is also the order they can run in (no loops, no goto).
    std::vector<std::pair<llvm::Value*, llvm::Function*>> frameDefers;
    llvm::Value* deferFrame = nullptr;  // an entry slot whose address names this activation
    int litDepth = 0;                   // collectAddressTaken: inside a function literal
    // Locals on the heap (their address escapes, escape.cpp; or they are captured variables
    // inside a closure's body): each declaration allocates a fresh heap cell, and locals[v]
    // is an entry-block slot holding the cell's address (for captures: the captured cell,
    // which may be the enclosing frame's slot when the closure does not escape).
    std::unordered_set<const types::Var*> heapVars;
  };
  FuncState fs;
  const BranchTarget* findTarget(const Stmt* target, bool needContinue);  // lower_stmt.cpp

  // While it lives, code is lowered into the entry block of fn (a wrapper, a thunk, an equal
  // function) with a fresh FuncState, so the ordinary block helpers work there; the function
  // being lowered before, and the builder's insertion point, come back when it ends.
  class NestedFunc {
   public:
    NestedFunc(Lowerer& l, llvm::Function* fn);
    ~NestedFunc();
    NestedFunc(const NestedFunc&) = delete;
    NestedFunc& operator=(const NestedFunc&) = delete;

   private:
    Lowerer& l_;
    FuncState saved_;
    llvm::IRBuilderBase::InsertPoint ip_;
    llvm::DebugLoc loc_;
  };
  // A closure value with no captures, {fn}, as a private constant (method values/expressions).
  llvm::GlobalVariable* staticClosure(llvm::Function* fn, const std::string& name);
};

}  // namespace gol
