// panic.cpp: fatal errors and runtime-error panics (Go's panic.go, the dying half).
//
// Two kinds of death, as in Go:
//   panic:        a runtime error or panic(v) in user code. Recoverable in Go; Gol has no
//                 defer/recover yet, so every panic is fatal for now and goes straight to
//                 the dump. Output: `panic: MSG`, a blank line, the goroutine's header.
//   fatal error:  gothrow(msg), a broken runtime invariant or an unrecoverable condition
//                 (deadlock, out of memory). Output: `fatal error: MSG`, then every
//                 goroutine.
// Both exit with status 2. The first line is Go's text exactly: tests compare it with
// `go run`.
//
// startpanic/dopanic serialise dying Ms: the first takes paniclk and prints; any other M
// that panics meanwhile waits, and the first one's exit ends the process. m.dying catches a
// panic while printing a panic.
#include <csignal>

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
  print("fatal error: ", s, "\n");
  if (g* gp = getg(); gp != nullptr && gp->m->throwing == 0) gp->m->throwing = 1;
  startpanic();
  dopanic();
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

// Go's panic(plainError(s)) for the runtime's own panics with a fixed message (channels:
// `send on closed channel`, ...). There is no recover yet, so it dies like gol_panicstring;
// once defer/recover exist this becomes a recoverable panic, and every caller already
// releases its locks before calling it.
void panicstring(const char* s) {
  startpanic();
  print("panic: ", s, "\n");
  dopanic();
}

}  // namespace gol::rt

// ---- the runtime-error entry points compiled code calls (abi.h) ----
using namespace gol::rt;

namespace {
template <class... A>
[[noreturn]] void fatalpanic(const A&... msg) {
  startpanic();
  print("panic: ", msg..., "\n");
  dopanic();
}
}  // namespace

extern "C" {
void gol_panicdivide() { fatalpanic("runtime error: integer divide by zero"); }
void gol_panicshift() { fatalpanic("runtime error: negative shift amount"); }
void gol_panicmem() { fatalpanic("runtime error: invalid memory address or nil pointer dereference"); }
void gol_panicIndex(int64_t x, int64_t len) {
  fatalpanic("runtime error: index out of range [", x, "] with length ", len);
}
void gol_panicSliceAlen(int64_t x, int64_t len) {
  fatalpanic("runtime error: slice bounds out of range [:", x, "] with length ", len);
}
void gol_panicSliceAcap(int64_t x, int64_t cap) {
  fatalpanic("runtime error: slice bounds out of range [:", x, "] with capacity ", cap);
}
void gol_panicSliceB(int64_t x, int64_t y) {
  fatalpanic("runtime error: slice bounds out of range [", x, ":", y, "]");
}
// Failed type assertions and uncomparable ==: runtime.Error panics whose text names the
// types by their descriptors (typedesc.h).
static const char* tname(const void* t) {
  const char* n = t != nullptr ? static_cast<const gol_type*>(t)->name : nullptr;
  return n != nullptr ? n : "?";
}
void gol_panicdottypeE(const void* have, const void* want, const void* iface) {
  if (have == nullptr) fatalpanic("interface conversion: interface is nil, not ", tname(want));
  fatalpanic("interface conversion: ", tname(iface), " is ", tname(have), ", not ", tname(want));
}
void gol_panicdottypeI(const void* have, const void* want, const void* iface, const char* missing) {
  (void)iface;
  if (have == nullptr) fatalpanic("interface conversion: interface is nil, not ", tname(want));
  fatalpanic("interface conversion: ", tname(have), " is not ", tname(want), ": missing method ", missing);
}
void gol_panicuncomparable(const void* type) {
  fatalpanic("runtime error: comparing uncomparable type ", tname(type));
}
void gol_panicstring(const uint8_t* p, int64_t n) {
  startpanic();
  print("panic: ");
  gol_printstring(p, n);
  print("\n");
  dopanic();
}
}

// runtime.Goexit: ends the calling goroutine. (It will run the goroutine's deferred calls
// first once defer exists.) Goexit in the main goroutine leaves the others running; the
// program then dies in checkdead when they are done, as in Go.
void gol_runtime_Goexit() { goexit1(); }
