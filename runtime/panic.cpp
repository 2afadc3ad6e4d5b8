// panic.cpp: defer, panic, recover, runtime-error panics and fatal errors (Go's panic.go).
//
// Two kinds of death, as in Go:
//   panic:        a runtime error or panic(v) in user code. gopanic runs the goroutine's
//                 deferred calls, newest first; one of them may recover (gorecover), and
//                 execution resumes in the frame that deferred it (resumeframe). If none does,
//                 printpanics prints the chain (`panic: MSG [recovered]` / `\tpanic: MSG2`)
//                 and dopanic the goroutine's header and frames.
//   fatal error:  gothrow(msg), a broken runtime invariant or an unrecoverable condition
//                 (deadlock, out of memory). Output: `fatal error: MSG`, then every
//                 goroutine.
// Both exit with status 2. The first line is Go's text exactly: tests compare it with
// `go run`. See HACKING.md "Panics" for the defer record and how a recovery resumes.
//
// startpanic/dopanic serialise dying Ms: the first takes paniclk and prints; any other M
// that panics meanwhile waits, and the first one's exit ends the process. m.dying catches a
// panic while printing a panic.
#include <csignal>
#include <cstring>
#include <ucontext.h>

#include "abi.h"
#include "runtime.h"
#include "typedesc.h"

namespace gol::rt {

std::atomic<int32_t> panicking{0};

namespace {

mutex paniclk;
mutex deadlock;  // locked twice by an M that must wait forever

const char* signame(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV: segmentation violation";
    case SIGBUS: return "SIGBUS: bus error";
    case SIGFPE: return "SIGFPE: floating-point exception";
    default: return nullptr;
  }
}

void printsignal(int sig, int code, uintptr_t addr, uintptr_t pc) {
  if (const char* name = signame(sig)) {
    print("[signal ", name);
  } else {
    print("[signal ");
    printhex(uint64_t(sig));
  }
  print(" code=");
  printhex(uint64_t(uint32_t(code)));
  print(" addr=");
  printhex(addr);
  print(" pc=");
  printhex(pc);
  print("]\n");
}

}  // namespace

void gothrow(const char* s) {
  // On g0's stack: the goroutine dump below is deeper than a goroutine's headroom (stack.h).
  systemstack([s] {
    print("fatal error: ", s, "\n");
    if (g* gp = getg(); gp != nullptr && gp->m->throwing == 0) gp->m->throwing = 1;
    startpanic();
    dopanic();
  });
  __builtin_unreachable();
}

void startpanic() {
  g* gp = getg();
  m* mp = gp != nullptr ? gp->m : nullptr;
  switch (mp != nullptr ? mp->dying : 0) {
    case 0:
      if (mp != nullptr) mp->dying = 1;
      panicking.fetch_add(1);
      lock(&paniclk);
      // (schedtrace takes sched.lock, which a dying M may hold: only when it holds none.)
      if ((debug.schedtrace > 0 || debug.scheddetail > 0) && mp != nullptr && mp->locks == 1) schedtrace(true);
      freezetheworld();  // stop other Ms starting Gs while we print (preempt.cpp)
      return;
    case 1:
      // Something failed while panicking, probably printing the panic's message.
      mp->dying = 2;
      print("panic during panic\n");
      exit(3);
    case 2:
      // A runtime bug: even the message above failed.
      mp->dying = 3;
      print("stack trace unavailable\n");
      exit(4);
    default:
      exit(5);
  }
}

// Prints the dump after a panic or throw message and exits with status 2.
// GOTRACEBACK (runtime1.cpp) decides how much: none, the dying goroutine, or all of them.
void dopanic() {
  tracebackLevel t = gotraceback();
  if (g* gp = getg(); gp != nullptr && t.level > 0) {
    m* mp = gp->m;
    g* cur = gp != mp->g0 ? gp : mp->curg;  // the user G that died, if any
    if (cur != nullptr) {
      print("\n");
      goroutineheader(cur);
      traceback(cur);
    }
    if (t.all) tracebackothers(cur);
  }
  unlock(&paniclk);
  if (panicking.fetch_sub(1) - 1 != 0) {
    // Another M is panicking too: let it print what it needs, then exit for both.
    lock(&deadlock);
    lock(&deadlock);
  }
  if (t.crash) {
    // GOTRACEBACK=crash: die of SIGABRT for a core dump (Go's crash).
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
  }
  exit(2);
}

void sigpanic(int sig, int code, uintptr_t addr, uintptr_t pc) {
  g* gp = getg();
  bool user = gp != nullptr && gp != gp->m->g0 && gp->m->locks == 0;
  const char* msg = nullptr;
  if (user && (sig == SIGSEGV || sig == SIGBUS) && addr < 0x1000) {
    msg = "panic: runtime error: invalid memory address or nil pointer dereference\n";
  } else if (user && sig == SIGFPE && code == FPE_INTDIV) {
    msg = "panic: runtime error: integer divide by zero\n";
  }
  if (msg != nullptr) {
    startpanic();
    print(msg);
  } else {
    if (user && sig != SIGFPE) {
      print("unexpected fault address ");
      printhex(addr);
      print("\nfatal error: fault\n");
    } else {
      print("fatal error: unexpected signal during runtime execution\n");
    }
    if (gp != nullptr) gp->m->throwing = 1;
    startpanic();
  }
  printsignal(sig, code, addr, pc);
  dopanic();
}

// ---- defer, panic, recover ----
//
// A panic in progress is a panicrec on the stack of its gopanic call, on the G's _panic
// chain (newest first). Deferred calls are made through gol_rt_calldefer (asm below), which
// records its own frame address (argp); the deferred call's wrapper gets frame argp - 16.
// recover() is effective when the function calling it (frame) was called by that wrapper: its
// saved rbp is the wrapper's frame. The compiler keeps that true: the wrapper's call is
// neither inlined nor a tail call, and a function calling recover is never inlined.

namespace {

struct panicrec {
  panicrec* link;         // the next older panic of this G
  GoEface arg;            // the panic value
  uintptr_t argp;         // gol_rt_calldefer's frame while a deferred call runs, else 0
  gol_defer* deferhead;   // the chain below the deferred call running (abort check)
  bool recovered;
  bool goexit;            // runtime.Goexit running the deferred calls, not a panic
  const void* errfn;      // the value's Error method (gol_gopanicerror), else null
  GoString errmsg;        // its result, computed before printing
  int sig, sigcode;       // a signal's panic: printed after the message, as Go does
  uintptr_t sigaddr, sigpc;
};

// The signal a redirected fault came from, for gol_rt_sigpanic_go (same thread).
thread_local int pendingsig, pendingcode;
thread_local uintptr_t pendingaddr, pendingpc;

bool streq(const void* a, const void* b) {
  auto* x = static_cast<const GoString*>(a);
  auto* y = static_cast<const GoString*>(b);
  return x->len == y->len && (x->len == 0 || memcmp(x->ptr, y->ptr, size_t(x->len)) == 0);
}

const uint8_t stringgc[1] = {1};

}  // namespace
}  // namespace gol::rt

extern "C" {
// Descriptors of the panic values the runtime makes itself: a string (panic("...") through
// gol_panicstring) and a runtime error (its Error() text, a string). Compiled code has its own
// string descriptor (used when it has one). Compiled code's itab lookup asks
// gol_itab_runtime for x.(error) and x.(runtime.Error) on a runtime error.
const gol_type gol_rt_type_string = {16, 8, 0x17c16538u, 0, 8, 8, gol::rt::KindString, gol::rt::streq,
                                     gol::rt::stringgc, "string"};
const gol_type gol_rt_type_error = {16, 8, 0x5e4a11cu, 0, 8, 8, gol::rt::KindString, gol::rt::streq,
                                    gol::rt::stringgc, "runtime.Error"};

// The program's own string descriptor (lower_typedesc.cpp: linkonce_odr `type:string`), when
// it has one: panic("...") values must be x.(string)-able by compiled code.
extern const gol_type gol_prog_type_string __asm__("\"type:string\"") __attribute__((weak));

// asm (x86-64), below.
void gol_rt_calldefer(gol_defer* d, void (*fn)(gol_defer*), uintptr_t* argp);
[[noreturn]] void gol_rt_resume(const uintptr_t* ctx);
void gol_rt_sigpanic_tramp();
// The segmented-stacks hook: after a recovery, drop the segments above the one holding sp
// (stack.cpp defines it once segments exist; weak, so absent means nothing to do).
__attribute__((weak)) void gol_seg_reset_to_sp(gol::rt::g* gp, uintptr_t sp);
}

// Compiled code pushes a record d on the running G's defer chain itself (d->link = g->_defer;
// g->_defer = d) and then saves its callee-saved registers, rsp and a resume address in d->ctx
// with an inline setjmp (compiler/lower_go.cpp, emitDeferSetjmp) that yields 0.
// gol_rt_resume(d->ctx) makes that setjmp yield again, with 1.
// gol_rt_calldefer(d, fn, argp): *argp = its own frame address; fn(d).
// gol_rt_sigpanic_tramp: where a faulting context is sent (sigpanicredirect); the faulting pc
// was pushed as its return address, so tracebacks show the faulting function.
#if defined(__x86_64__)
static_assert(__builtin_offsetof(gol::rt::g, _defer) == GOL_G_DEFER_OFFSET, "update GOL_G_DEFER_OFFSET");
static_assert(offsetof(gol_defer, link) == 0 && offsetof(gol_defer, ctx) == 24, "emitDeferSetjmp's offsets");
asm(R"(
  .text
  .globl gol_rt_resume
  .type gol_rt_resume, @function
gol_rt_resume:
  movq 0(%rdi), %rbx
  movq 8(%rdi), %rbp
  movq 16(%rdi), %r12
  movq 24(%rdi), %r13
  movq 32(%rdi), %r14
  movq 40(%rdi), %r15
  movq 56(%rdi), %rdx
  movq 48(%rdi), %rsp
  movl $1, %eax
  jmp *%rdx
  .size gol_rt_resume, .-gol_rt_resume

  .globl gol_rt_calldefer
  .type gol_rt_calldefer, @function
gol_rt_calldefer:
  pushq %rbp
  movq %rsp, %rbp
  movq %rsp, (%rdx)
  callq *%rsi
  popq %rbp
  ret
  .size gol_rt_calldefer, .-gol_rt_calldefer

  .globl gol_rt_sigpanic_tramp
  .type gol_rt_sigpanic_tramp, @function
gol_rt_sigpanic_tramp:
  pushq %rbp
  movq %rsp, %rbp
  andq $-16, %rsp
  callq gol_rt_sigpanic_go@PLT
  ud2
  .size gol_rt_sigpanic_tramp, .-gol_rt_sigpanic_tramp
)");
#else
#error "defer/recover: gol_rt_resume and friends exist for x86-64 only"
#endif

namespace gol::rt {
namespace {

void printpanicval(GoEface e) {
  auto* t = static_cast<const gol_type*>(e.type);
  if (t == nullptr) {
    print("nil");
    return;
  }
  if (t == &gol_rt_type_string || t == &gol_rt_type_error) {
    auto* s = static_cast<const GoString*>(e.data);
    gol_printstring(s->ptr, s->len);
    return;
  }
  uint8_t kind = t->kind & KindMask;
  const char* name = t->name != nullptr ? t->name : "?";
  static const char* const basic[] = {nullptr, "bool", "int", "int8", "int16", "int32", "int64", "uint",
                                      "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64"};
  bool isbasic = kind == KindString || (kind >= KindBool && kind <= KindFloat64);
  if (!isbasic || (t->kind & KindDirectIface) != 0) {
    print("(", name, ") ", e.data);
    return;
  }
  bool named = kind == KindString ? strcmp(name, "string") != 0 : strcmp(name, basic[kind]) != 0;
  if (named) print(name, kind == KindString ? "(\"" : "(");
  const void* v = e.data;
  switch (kind) {
    case KindBool: printbool(*static_cast<const bool*>(v)); break;
    case KindInt: case KindInt64: printint(*static_cast<const int64_t*>(v)); break;
    case KindInt8: printint(*static_cast<const int8_t*>(v)); break;
    case KindInt16: printint(*static_cast<const int16_t*>(v)); break;
    case KindInt32: printint(*static_cast<const int32_t*>(v)); break;
    case KindUint: case KindUint64: case KindUintptr: printuint(*static_cast<const uint64_t*>(v)); break;
    case KindUint8: printuint(*static_cast<const uint8_t*>(v)); break;
    case KindUint16: printuint(*static_cast<const uint16_t*>(v)); break;
    case KindUint32: printuint(*static_cast<const uint32_t*>(v)); break;
    case KindFloat32: printfloat(*static_cast<const float*>(v)); break;
    case KindFloat64: printfloat(*static_cast<const double*>(v)); break;
    case KindString: {
      auto* s = static_cast<const GoString*>(v);
      gol_printstring(s->ptr, s->len);
      break;
    }
    default: break;
  }
  if (named) print(kind == KindString ? "\")" : ")");
}

// Go's printpanics: the oldest panic first, each later one on a line starting with a tab.
void printpanics(panicrec* p) {
  if (p->link != nullptr) {
    printpanics(p->link);
    if (!p->link->goexit) print("\t");
  }
  if (p->goexit) return;
  print("panic: ");
  if (p->errfn != nullptr) {
    gol_printstring(p->errmsg.ptr, p->errmsg.len);
  } else {
    printpanicval(p->arg);
  }
  if (p->recovered) print(" [recovered]");
  print("\n");
}

[[noreturn]] void fatalpanics(panicrec* p) {
  // Go's preprintpanics: Error() runs before printing starts (it is compiled code).
  for (panicrec* q = p; q != nullptr; q = q->link)
    if (q->errfn != nullptr) q->errmsg = reinterpret_cast<GoString (*)(void*)>(const_cast<void*>(q->errfn))(q->arg.data);
  startpanic();
  printpanics(p);
  if (p->sig != 0) printsignal(p->sig, p->sigcode, p->sigaddr, p->sigpc);
  dopanic();
}

// Whether recovering through record d abandons q's running deferred call: d was deferred
// before that call started (it is on the chain q saw below it).
bool aborts(panicrec* q, gol_defer* d) {
  for (gol_defer* x = q->deferhead; x != nullptr; x = x->link)
    if (x == d) return true;
  return false;
}

[[noreturn]] void resumeframe(g* gp, gol_defer* d) {
  if (gol_seg_reset_to_sp != nullptr) gol_seg_reset_to_sp(gp, d->ctx[6]);
  gol_rt_resume(d->ctx);
}

// Runs the deferred calls of gp for a panic or Goexit p (on gp->_panic), newest first.
// Returns when the chain is empty; resumes the deferring frame if a call recovers.
void rundefers(g* gp, panicrec* p) {
  for (;;) {
    auto* d = static_cast<gol_defer*>(gp->_defer);
    if (d == nullptr) return;
    gp->_defer = d->link;
    p->deferhead = d->link;
    gol_rt_calldefer(d, d->fn, &p->argp);
    p->argp = 0;
    if (p->recovered) {
      panicrec* q = p->link;
      while (q != nullptr && !q->goexit && aborts(q, d)) q = q->link;
      gp->_panic = q;
      resumeframe(gp, d);
    }
  }
}

}  // namespace

[[noreturn]] void gopanicroom(GoEface e, int sig, int code, uintptr_t addr, uintptr_t pc, const void* errfn);
[[noreturn]] void gopanicval(GoEface e, int sig = 0, int code = 0, uintptr_t addr = 0, uintptr_t pc = 0,
                             const void* errfn = nullptr) {
  // Panics run on the goroutine's stack (deferred calls, recover), deeper than the headroom a
  // runtime call or a faulting instruction leaves (stack.h): move to a segment with room.
  ensurestack(PanicStack, [&] { gopanicroom(e, sig, code, addr, pc, errfn); });
  __builtin_unreachable();
}

[[noreturn]] void gopanicroom(GoEface e, int sig, int code, uintptr_t addr, uintptr_t pc, const void* errfn) {
  g* gp = getg();
  panicrec p{};
  p.arg = e;
  p.errfn = errfn;
  p.sig = sig;
  p.sigcode = code;
  p.sigaddr = addr;
  p.sigpc = pc;
  if (gp == nullptr || gp == gp->m->g0 || gp->m->locks != 0 || gp->m->dying != 0) {
    // Not recoverable: the runtime itself (g0, or holding a lock) panicked.
    fatalpanics(&p);
  }
  p.link = static_cast<panicrec*>(gp->_panic);
  gp->_panic = &p;
  rundefers(gp, &p);
  fatalpanics(&p);
}

namespace {
// A runtime error panic: the value is a runtime.Error holding the message.
struct msgbuf {
  char b[256];
  int n = 0;
  void add(const char* s) {
    while (*s != '\0' && n < int(sizeof b)) b[n++] = *s++;
  }
  void add(int64_t v) {
    char t[24];
    int i = 0;
    uint64_t u = v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);
    do {
      t[i++] = char('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (v < 0 && n < int(sizeof b)) b[n++] = '-';
    while (i > 0 && n < int(sizeof b)) b[n++] = t[--i];
  }
};
template <class... A>
[[noreturn]] void panicerrroom(const gol_type* t, int sig, int code, uintptr_t addr, uintptr_t pc, const A&... parts) {
  msgbuf mb;
  (mb.add(parts), ...);
  auto* bytes = static_cast<uint8_t*>(mallocgc(uintptr_t(mb.n), &gol_type_noscan, false));
  memcpy(bytes, mb.b, size_t(mb.n));
  auto* box = static_cast<GoString*>(mallocgc(sizeof(GoString), t, true));
  box->ptr = bytes;
  box->len = mb.n;
  gopanicval(GoEface{t, box}, sig, code, addr, pc);
}
template <class... A>
[[noreturn]] void panicerr(const gol_type* t, int sig, int code, uintptr_t addr, uintptr_t pc, const A&... parts) {
  ensurestack(PanicStack, [&] { panicerrroom(t, sig, code, addr, pc, parts...); });
  __builtin_unreachable();
}
template <class... A>
[[noreturn]] void fatalpanic(const A&... msg) {
  panicerr(&gol_rt_type_error, 0, 0, 0, 0, msg...);
}
}  // namespace

// Go's panic(plainError(s)) for the runtime's own panics with a fixed message (channels:
// `send on closed channel`): a recoverable runtime.Error; callers hold no runtime lock.
void panicstring(const char* s) { fatalpanic(s); }

// A nil dereference or integer division fault in user code (sighandler, os_linux.cpp):
// rewrites the signal context so that returning from the handler "calls"
// gol_rt_sigpanic_tramp from the faulting pc, which panics with Go's runtime error as if the
// faulting instruction had called it. Returns false for faults that are fatal errors.
bool sigpanicredirect(int sig, siginfo_t* info, void* uctx) {
#if defined(__x86_64__)
  g* gp = getg();
  if (gp == nullptr || gp == gp->m->g0 || gp->m->locks != 0 || gp->m->dying != 0) return false;
  auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  bool mem = (sig == SIGSEGV || sig == SIGBUS) && addr < 0x1000;
  bool div = sig == SIGFPE && info->si_code == FPE_INTDIV;
  if (!mem && !div) return false;
  auto* uc = static_cast<ucontext_t*>(uctx);
  auto pc = uintptr_t(uc->uc_mcontext.gregs[REG_RIP]);
  auto sp = uintptr_t(uc->uc_mcontext.gregs[REG_RSP]) - 8;
  *reinterpret_cast<uintptr_t*>(sp) = pc + 1;  // inside the faulting instruction, for tracebacks
  uc->uc_mcontext.gregs[REG_RSP] = greg_t(sp);
  uc->uc_mcontext.gregs[REG_RIP] = greg_t(reinterpret_cast<uintptr_t>(&gol_rt_sigpanic_tramp));
  pendingsig = sig;
  pendingcode = info->si_code;
  pendingaddr = addr;
  pendingpc = pc;
  return true;
#else
  (void)sig, (void)info, (void)uctx;
  return false;
#endif
}

}  // namespace gol::rt

using namespace gol::rt;

extern "C" {
[[noreturn]] void gol_rt_sigpanic_go() {
  int sig = pendingsig;
  if (sig == SIGFPE) {
    panicerr(&gol_rt_type_error, sig, pendingcode, pendingaddr, pendingpc, "runtime error: integer divide by zero");
  }
  panicerr(&gol_rt_type_error, sig, pendingcode, pendingaddr, pendingpc,
           "runtime error: invalid memory address or nil pointer dereference");
}

void gol_deferreturn(void* frame) {
  g* gp = getg();
  for (;;) {
    auto* d = static_cast<gol_defer*>(gp->_defer);
    if (d == nullptr || d->frame != frame) return;
    gp->_defer = d->link;
    d->fn(d);
  }
}

// Whether the function whose frame is `frame` was called directly by the deferred call's
// wrapper, whose frame is `wrapper` (Go's argp check): its saved rbp is the wrapper's. A
// function whose prologue check failed (a preemption request, or a new stack segment) is
// entered through the stack-growth frames instead — gol.more.* → gol_growstack
// [→ __morestack] → gol.thunk.* — and that can happen to the wrapper, to the deferred
// function, or to both. Walking up, those frames are skipped (named by the function each
// return address lies in); exactly one other hop, into the wrapper, is allowed, so recover
// called from anything deeper still returns nil.
static bool isgrowthfunc(const char* fn) {
  return fn != nullptr && (strncmp(fn, "gol.thunk.", 10) == 0 || strncmp(fn, "gol.more.", 9) == 0 ||
                           strcmp(fn, "gol_growstack") == 0 || strcmp(fn, "__morestack") == 0);
}

static bool calledbywrapper(uintptr_t frame, uintptr_t wrapper) {
  if (*reinterpret_cast<const uintptr_t*>(frame) == wrapper) return true;  // the usual case
  int others = 0;
  for (int i = 0; i < 12 && frame != 0; i++) {
    const uintptr_t* fp = reinterpret_cast<const uintptr_t*>(frame);
    uintptr_t caller = fp[0], ret = fp[1];
    if (!isgrowthfunc(retfuncname(ret)) && ++others > 1) return false;
    if (caller == wrapper) return true;
    frame = caller;
  }
  return false;
}

GoEface gol_gorecover(void* frame) {
  g* gp = getg();
  auto* p = gp != nullptr ? static_cast<panicrec*>(gp->_panic) : nullptr;
  if (p == nullptr || p->goexit || p->recovered || p->argp == 0 || frame == nullptr) return GoEface{nullptr, nullptr};
  if (!calledbywrapper(reinterpret_cast<uintptr_t>(frame), p->argp - 16)) return GoEface{nullptr, nullptr};
  p->recovered = true;
  return p->arg;
}

void gol_gopanic(const void* type, void* data) { gopanicval(GoEface{type, data}); }
void gol_gopanicerror(const void* type, void* data, const void* error_fn) {
  gopanicval(GoEface{type, data}, 0, 0, 0, 0, error_fn);
}

// runtime.Error's Error method, in its itab (data: the boxed message).
GoString gol_rt_error_Error(void* data) { return *static_cast<const GoString*>(data); }

// runtime.Error's marker method (a runtime error's RuntimeError: does nothing).
static void gol_rt_error_RuntimeError(void*) {}

// The entry for runtime.Error: itab slots in method-name order, Error then RuntimeError.
static const void* runtimeErrorEntry(const void* inter, const void* type) {
  struct itab2 {
    const void* inter;
    const void* type;
    uint32_t hash, pad;
    void* fun[2];
  };
  struct entry {
    const void* inter;
    const void* type;
    const void* itab;
    const char* missing;
  };
  static itab2 tab;
  static entry e;
  static std::atomic<const void*> ready{nullptr};
  if (ready.load(std::memory_order_acquire) != inter) {
    tab = itab2{inter, type, gol_rt_type_error.hash, 0,
                {reinterpret_cast<void*>(&gol_rt_error_Error), reinterpret_cast<void*>(&gol_rt_error_RuntimeError)}};
    e = entry{inter, type, &tab, nullptr};
    ready.store(inter, std::memory_order_release);
  }
  return &e;
}

// The itab table entry {inter, type, itab, missing} (lower_iface.cpp) of a runtime panic value
// for compiled code's x.(error) / type switches on a miss in the program's own table: the
// runtime error type implements error. Null for anything else.
const void* gol_itab_runtime(const void* inter, const void* type) {
  struct itab1 {
    const void* inter;
    const void* type;
    uint32_t hash, pad;
    void* fun[1];
  };
  struct entry {
    const void* inter;
    const void* type;
    const void* itab;
    const char* missing;
  };
  if (type != &gol_rt_type_error || inter == nullptr) return nullptr;
  const char* n = static_cast<const gol_type*>(inter)->name;
  if (n != nullptr && strcmp(n, "runtime.Error") == 0) return runtimeErrorEntry(inter, type);
  if (n == nullptr || strcmp(n, "error") != 0) return nullptr;
  // One error descriptor program-wide (linkonce_odr): a one-slot cache, filled idempotently.
  static itab1 tab;
  static entry e;
  static std::atomic<const void*> ready{nullptr};
  if (ready.load(std::memory_order_acquire) != inter) {
    tab = itab1{inter, type, gol_rt_type_error.hash, 0, {reinterpret_cast<void*>(&gol_rt_error_Error)}};
    e = entry{inter, type, &tab, nullptr};
    ready.store(inter, std::memory_order_release);
  }
  return &e;
}

void gol_panicdivide() { fatalpanic("runtime error: integer divide by zero"); }
void gol_panicshift() { fatalpanic("runtime error: negative shift amount"); }
void gol_panicmem() { fatalpanic("runtime error: invalid memory address or nil pointer dereference"); }
// A negative index drops the length from the message, as Go's boundsNegErrorFmt does.
void gol_panicIndex(int64_t x, int64_t len) {
  if (x < 0) fatalpanic("runtime error: index out of range [", x, "]");
  fatalpanic("runtime error: index out of range [", x, "] with length ", len);
}
void gol_panicSliceAlen(int64_t x, int64_t len) {
  if (x < 0) fatalpanic("runtime error: slice bounds out of range [:", x, "]");
  fatalpanic("runtime error: slice bounds out of range [:", x, "] with length ", len);
}
void gol_panicSliceAcap(int64_t x, int64_t cap) {
  if (x < 0) fatalpanic("runtime error: slice bounds out of range [:", x, "]");
  fatalpanic("runtime error: slice bounds out of range [:", x, "] with capacity ", cap);
}
void gol_panicSliceB(int64_t x, int64_t y) {
  if (x < 0) fatalpanic("runtime error: slice bounds out of range [", x, ":]");
  fatalpanic("runtime error: slice bounds out of range [", x, ":", y, "]");
}
// s[lo:hi:max]: Go checks max against the capacity (or an array's length), then hi against
// max, then lo against hi.
void gol_panicSlice3Alen(int64_t x, int64_t len) {
  if (x < 0) fatalpanic("runtime error: slice bounds out of range [::", x, "]");
  fatalpanic("runtime error: slice bounds out of range [::", x, "] with length ", len);
}
void gol_panicSlice3Acap(int64_t x, int64_t cap) {
  if (x < 0) fatalpanic("runtime error: slice bounds out of range [::", x, "]");
  fatalpanic("runtime error: slice bounds out of range [::", x, "] with capacity ", cap);
}
void gol_panicSlice3B(int64_t x, int64_t y) {
  if (x < 0) fatalpanic("runtime error: slice bounds out of range [:", x, ":]");
  fatalpanic("runtime error: slice bounds out of range [:", x, ":", y, "]");
}
void gol_panicSlice3C(int64_t x, int64_t y) {
  if (x < 0) fatalpanic("runtime error: slice bounds out of range [", x, "::]");
  fatalpanic("runtime error: slice bounds out of range [", x, ":", y, ":]");
}
// Failed type assertions and uncomparable ==: runtime.Error panics whose text names the
// types by their descriptors (typedesc.h).
static const char* tname(const void* t) {
  const char* n = t != nullptr ? static_cast<const gol_type*>(t)->name : nullptr;
  return n != nullptr ? n : "?";
}
// Go's TypeAssertionError names the asserted-from interface type when the target is concrete
// (x.(T) on a nil x: "interface {} is nil, not int") and just "interface" when the target is
// an interface type (assertE2I has no source type).
void gol_panicdottypeE(const void* have, const void* want, const void* iface) {
  if (have == nullptr) fatalpanic("interface conversion: ", tname(iface), " is nil, not ", tname(want));
  fatalpanic("interface conversion: ", tname(iface), " is ", tname(have), ", not ", tname(want));
}
void gol_panicdottypeI(const void* have, const void* want, const void* iface, const char* missing) {
  (void)iface;
  if (have == nullptr) fatalpanic("interface conversion: interface is nil, not ", tname(want));
  fatalpanic("interface conversion: ", tname(have), " is not ", tname(want), ": missing method ", missing);
}
void gol_panicwrap(const char* msg) { fatalpanic(msg); }
void gol_panicuncomparable(const void* type) {
  fatalpanic("runtime error: comparing uncomparable type ", tname(type));
}
// panic("...") (and panic(err) with err.Error()): the value is a string.
void gol_panicstring(const uint8_t* p, int64_t n) {
  const gol_type* t = &gol_prog_type_string != nullptr ? &gol_prog_type_string : &gol_rt_type_string;
  auto* box = static_cast<GoString*>(mallocgc(sizeof(GoString), t, true));
  box->ptr = p;
  box->len = n;
  gopanicval(GoEface{t, box});
}
}

// runtime.Goexit: runs the goroutine's deferred calls, then ends it. recover() returns nil
// in them (there is no panic). Goexit in the main goroutine leaves the others running; the
// program then dies in checkdead when they are done, as in Go.
void gol_runtime_Goexit() {
  g* gp = getg();
  panicrec p{};
  p.goexit = true;
  p.link = static_cast<panicrec*>(gp->_panic);
  gp->_panic = &p;
  rundefers(gp, &p);
  gp->_panic = nullptr;
  goexit1();
}
