// asm_amd64.S: the x86-64 context switch (GOL_CONTEXT=asm). See context.h for the
// interface and the saved-frame diagram; the offsets come from there.
//
// Saved per context: the SysV callee-saved registers (rbx, rbp, r12-r15), rsp, and the two
// floating-point control words the ABI makes callee-saved: MXCSR (SSE rounding and
// exception masks) and the x87 control word. Everything else is caller-saved, so the C++
// compiler already spilled it around the call to gol_mcall.
//
// The current goroutine pointer gol_g is initial-exec TLS: its offset from %fs comes from
// the GOT (the linker relaxes this to a constant in an executable). gol_stackguard, the
// per-thread copy of the running G's stackguard0 (stack.h), is local-exec: set on every switch.

#include "context.h"

// offsetof(g, stackguard0), asserted in runtime2.h.
#define G_STACKGUARD0 16

        .text

// void gol_gogo(gobuf* buf /* rdi */)  — never returns
// Makes buf->g current, switches to buf->sp and returns through the saved frame.
        .globl  gol_gogo
        .type   gol_gogo, @function
        .p2align 4
gol_gogo:
        .cfi_startproc
        movq    GOBUF_G(%rdi), %rax
        movq    gol_g@gottpoff(%rip), %rcx
        movq    %rax, %fs:(%rcx)
        xorl    %ecx, %ecx                      // the stack checks of compiled code compare
        testq   %rax, %rax                      // with this per-thread copy (stack.h) of
        jz      1f                              // g.stackguard0 (0 for no g)
        movq    G_STACKGUARD0(%rax), %rcx
1:      movq    %rcx, %fs:gol_stackguard@tpoff
        movq    GOBUF_SP(%rdi), %rsp
        ldmxcsr CTXFRAME_FPCW(%rsp)
        fldcw   CTXFRAME_FPCW+4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .cfi_endproc
        .size   gol_gogo, .-gol_gogo

// void gol_mcall(gobuf* from /* rdi */, gobuf* to /* rsi */, void (*fn)(g*) /* rdx */)
// Pushes the saved frame, records it in *from, switches to to's g and stack and calls
// fn(from->g). Returns (as an ordinary call) when someone gol_gogo's *from.
        .globl  gol_mcall
        .type   gol_mcall, @function
        .p2align 4
gol_mcall:
        .cfi_startproc
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset rbp, 0
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset rbx, 0
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r12, 0
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r13, 0
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r14, 0
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r15, 0
        subq    $8, %rsp
        .cfi_adjust_cfa_offset 8
        stmxcsr CTXFRAME_FPCW(%rsp)
        fnstcw  CTXFRAME_FPCW+4(%rsp)
        movq    %rsp, GOBUF_SP(%rdi)
        movq    CTXFRAME_RET(%rsp), %rax
        movq    %rax, GOBUF_PC(%rdi)

        movq    GOBUF_G(%rsi), %rax
        movq    gol_g@gottpoff(%rip), %rcx
        movq    %rax, %fs:(%rcx)
        xorl    %ecx, %ecx
        testq   %rax, %rax
        jz      1f
        movq    G_STACKGUARD0(%rax), %rcx
1:      movq    %rcx, %fs:gol_stackguard@tpoff
        movq    GOBUF_SP(%rsi), %rsp
        // From here on we are on to's stack: nothing above fn's frame to unwind into.
        .cfi_undefined rip
        movq    GOBUF_G(%rdi), %rdi
        call    *%rdx
        ud2                             // fn must not return
        .cfi_endproc
        .size   gol_mcall, .-gol_mcall

// The bottom frame of every goroutine: gol_gogo "returns" here the first time a G runs,
// with r13 = start function, r12 = its argument and rsp 16-byte aligned. When the start
// function returns, the goroutine ends (Go's goexit). .cfi_undefined rip marks this as the
// outermost frame, so debuggers and unwinders stop here.
// The nop puts the entry one byte into the function, as Go does with goexit+PCQuantum: an
// unwinder looks up a return address minus one, which must land inside this function.
        .globl  gol_goentry
        .type   gol_goentry_fn, @function
        .p2align 4
gol_goentry_fn:
        .cfi_startproc
        .cfi_undefined rip
        nop
gol_goentry:
        movq    %r12, %rdi
        call    *%r13
        call    gol_goexit@PLT
        ud2
        .cfi_endproc
        .size   gol_goentry_fn, .-gol_goentry_fn

        .section .note.GNU-stack,"",@progbits
