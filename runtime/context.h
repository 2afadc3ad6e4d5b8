// context.h: the goroutine context switch: gobuf and the primitives built on it.
//
// Go switches goroutines with a few assembly functions (asm_amd64.s): gogo resumes a saved
// gobuf, and mcall saves the running goroutine's gobuf and calls a function on the M's g0
// stack. Gol has the same two behind one interface, with two backends chosen by CMake's
// GOL_CONTEXT (the file is compiled in only for its backend):
//
//   asm       asm_amd64.S + context_asm.cpp. The callee-saved registers, MXCSR and the x87
//             control word are pushed on the goroutine's own stack and gobuf.sp points at
//             them (frame diagram below). About 15 ns a switch (TOOLCHAIN.md).
//   ucontext  context_ucontext.cpp: glibc getcontext/makecontext/swapcontext. Portable and
//             easy to trust, about 300 ns a switch (one rt_sigprocmask system call each).
//             The reference the asm backend is tested against.
//
// Go's third primitive, systemstack (run a function on g0 and come back), is not needed
// while goroutine stacks have a fixed size: the runtime's C++ code runs on whichever stack
// it is called on. It arrives with growable stacks.
//
// The asm backend differs from Go's gogo in one way: Go jumps to gobuf.pc, Gol returns
// through the saved frame (`ret`), so the resume address lives on the goroutine's stack and
// gobuf.pc is only a record of it for tracebacks. That keeps the C++ compiler's view of
// gol_mcall an ordinary call that returns.
//
// This header is included by the .S file too: everything outside `#ifndef __ASSEMBLER__` is
// plain #defines, checked against the C++ layout by the static_asserts at the bottom.
#pragma once

// ---- struct gobuf layout (bytes) ----
#define GOBUF_SP 0
#define GOBUF_PC 8
#define GOBUF_G 16
#define GOBUF_CTXT 24

// ---- the asm backend's saved frame, at gobuf.sp, lowest address first ----
//
//          higher addresses
//   +64  ┌──────────────────────────┐  <- 16-byte aligned: caller's sp before its call
//   +56  │ return address (resume)  │     a new G: gol_goentry
//   +48  │ rbp                      │     a new G: 0, ends frame-pointer walks
//   +40  │ rbx                      │
//   +32  │ r12                      │     a new G: the start function's argument
//   +24  │ r13                      │     a new G: the start function
//   +16  │ r14                      │
//    +8  │ r15                      │
//    +0  │ MXCSR (4) │ x87 CW (2) │…│  <- gobuf.sp, 16-byte aligned
//          lower addresses
//
// The frame is 64 bytes, so a resumed context returns with sp 16-byte aligned, as it was
// before the call that saved it. A new goroutine's first instruction (gol_goentry) therefore
// starts with sp % 16 == 0 and calls the start function, which sees sp % 16 == 8: the SysV
// ABI's alignment at a call boundary. One stray padding word breaks that, and the first C++
// `throw` on the stack then crashes in the unwinder (TOOLCHAIN.md).
#define CTXFRAME_FPCW 0
#define CTXFRAME_R15 8
#define CTXFRAME_R14 16
#define CTXFRAME_R13 24
#define CTXFRAME_R12 32
#define CTXFRAME_RBX 40
#define CTXFRAME_RBP 48
#define CTXFRAME_RET 56
#define CTXFRAME_SIZE 64

// A new goroutine's floating-point state: the ABI's defaults (all exceptions masked,
// round to nearest; x87 in extended precision).
#define CTX_MXCSR_INIT 0x1F80
#define CTX_X87CW_INIT 0x037F

#ifndef __ASSEMBLER__
#include <cstddef>
#include <cstdint>
#if GOL_CONTEXT_UCONTEXT
#include <ucontext.h>
#endif

namespace gol::rt {

struct g;

// gobuf is a suspended execution context: enough to resume a goroutine (or an M's g0) where
// it stopped. Owned by whoever owns the goroutine's stack (see gstatus in runtime2.h).
struct gobuf {
  // asm: the saved frame above. ucontext: for a G that has never run, the top of the stack
  // its start function runs on; unused afterwards.
  uintptr_t sp;
  // Where the context resumes: the start function for a G that has never run, afterwards
  // the return address of the gol_mcall that suspended it. For tracebacks only.
  uintptr_t pc;
  // The goroutine this context belongs to: resuming it makes it the current g (gol_g).
  struct g* g;
  // The start function's argument (Go keeps the closure context here).
  void* ctxt;
#if GOL_CONTEXT_UCONTEXT
  ucontext_t uc;  // the whole machine context; must not move once getcontext filled it
#endif
};

static_assert(offsetof(gobuf, sp) == GOBUF_SP, "gobuf.sp offset");
static_assert(offsetof(gobuf, pc) == GOBUF_PC, "gobuf.pc offset");
static_assert(offsetof(gobuf, g) == GOBUF_G, "gobuf.g offset");
static_assert(offsetof(gobuf, ctxt) == GOBUF_CTXT, "gobuf.ctxt offset");

// Prepares buf, whose g and sp (the stack top, 16-byte aligned) are set, so that
// gol_gogo(buf) runs fn(arg) on that stack and then gol_goexit.
void gostartcall(gobuf* buf, void (*fn)(void*), void* arg);

// The current stack pointer, approximately (never above the true one).
inline uintptr_t getsp() {
#if defined(__x86_64__)
  uintptr_t sp;
  asm volatile("movq %%rsp, %0" : "=r"(sp));
  return sp;
#else
  return reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) - 256;
#endif
}

}  // namespace gol::rt

extern "C" {
// The current goroutine of this thread (DESIGN §3): per M, initial-exec TLS so that compiled
// code can read it with one instruction later. Written only by the runtime: by the context
// switch and by an M starting up. __thread rather than thread_local: no C++ TLS wrapper.
extern __thread gol::rt::g* gol_g __attribute__((tls_model("initial-exec")));

// Resumes buf: makes buf->g current and continues where the context was saved. The caller's
// own context is abandoned.
[[noreturn]] void gol_gogo(gol::rt::gobuf* buf);

// Saves the running context into *from, makes to->g current, and calls fn(from->g) on the
// stack at to->sp (ucontext: the stack [to->g->stack.lo, to->sp)). fn must not return; the
// call to gol_mcall returns when something later gol_gogo's *from.
void gol_mcall(gol::rt::gobuf* from, gol::rt::gobuf* to, void (*fn)(gol::rt::g*));

// The bottom frame of every goroutine (asm_amd64.S; ucontext: context_ucontext.cpp) calls
// the start function and then this, which ends the goroutine (proc.cpp). Go's goexit.
[[noreturn]] void gol_goexit();
}
#endif  // __ASSEMBLER__
