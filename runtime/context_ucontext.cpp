// context_ucontext.cpp: the portable backend (GOL_CONTEXT=ucontext), built on glibc's
// getcontext/makecontext/swapcontext/setcontext. Same interface as the asm backend
// (context.h); slower (each switch makes an rt_sigprocmask system call) and obviously
// correct, which makes it the reference the asm backend is tested against.
//
// gobuf.uc holds the machine context. glibc saves and restores MXCSR and the x87 control
// word with it, so floating-point modes stay per goroutine as in the asm backend.
#include "runtime.h"

namespace gol::rt {
namespace {

// gol_mcall's function and argument, handed to mcallentry across makecontext (which can
// only pass ints). Per thread: the switch never leaves the thread.
__thread void (*mcallfn)(g*);
__thread g* mcallgp;

void mcallentry() {
  mcallfn(mcallgp);
  gothrow("mcall: function returned");
}

// The bottom frame of every goroutine, like gol_goentry in the asm backend.
void goentry() {
  g* gp = getg();
  auto fn = reinterpret_cast<void (*)(void*)>(gp->sched.pc);
  fn(gp->sched.ctxt);
  gol_goexit();
}

// Points uc at the stack [lo, hi) with entry fn.
void makeuc(ucontext_t* uc, uintptr_t lo, uintptr_t hi, void (*fn)()) {
  if (getcontext(uc) != 0) gothrow("getcontext failed");
  uc->uc_stack.ss_sp = reinterpret_cast<void*>(lo);
  uc->uc_stack.ss_size = hi - lo;
  uc->uc_link = nullptr;
  makecontext(uc, fn, 0);
}

}  // namespace

void gostartcall(gobuf* buf, void (*fn)(void*), void* arg) {
  buf->pc = reinterpret_cast<uintptr_t>(fn);
  buf->ctxt = arg;
  makeuc(&buf->uc, buf->g->stack.lo, buf->sp, goentry);
#if defined(__x86_64__)
  // getcontext copied the creator's FP modes: start from the ABI defaults instead.
  buf->uc.uc_mcontext.fpregs->mxcsr = CTX_MXCSR_INIT;
  buf->uc.uc_mcontext.fpregs->cwd = CTX_X87CW_INIT;
#endif
}

}  // namespace gol::rt

using namespace gol::rt;

extern "C" void gol_gogo(gobuf* buf) {
  gol_g = buf->g;
  storeRelaxed(gol_stackguard, buf->g != nullptr ? buf->g->stackguard0 : 0);  // what compiled code's stack checks compare with
  setcontext(&buf->uc);
  gothrow("gogo: setcontext failed");
}

extern "C" void gol_mcall(gobuf* from, gobuf* to, void (*fn)(g*)) {
  mcallfn = fn;
  mcallgp = from->g;
  makeuc(&to->uc, to->g->stack.lo, to->sp, mcallentry);
  from->pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  gol_g = to->g;
  storeRelaxed(gol_stackguard, to->g != nullptr ? to->g->stackguard0 : 0);
  if (swapcontext(&from->uc, &to->uc) != 0) gothrow("mcall: swapcontext failed");
}
