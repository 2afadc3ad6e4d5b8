// context_asm.cpp: the C++ half of the asm backend (asm_amd64.S): building a new
// goroutine's first frame.
#include "runtime.h"

extern "C" void gol_goentry();  // asm_amd64.S; never called directly, only returned to

namespace gol::rt {

// Writes the frame context.h draws below buf->sp, as if the new G had called gol_mcall
// from the first instruction of gol_goentry, with fn and arg in r13 and r12.
void gostartcall(gobuf* buf, void (*fn)(void*), void* arg) {
  GOL_ASSERT(buf->sp % 16 == 0, "gostartcall: misaligned stack top");
  auto* frame = reinterpret_cast<uint8_t*>(buf->sp - CTXFRAME_SIZE);
  auto put = [frame](int off, uint64_t v) { *reinterpret_cast<uint64_t*>(frame + off) = v; };
  put(CTXFRAME_FPCW, uint64_t(CTX_MXCSR_INIT) | uint64_t(CTX_X87CW_INIT) << 32);
  put(CTXFRAME_R15, 0);
  put(CTXFRAME_R14, 0);
  put(CTXFRAME_R13, reinterpret_cast<uint64_t>(fn));
  put(CTXFRAME_R12, reinterpret_cast<uint64_t>(arg));
  put(CTXFRAME_RBX, 0);
  put(CTXFRAME_RBP, 0);  // ends frame-pointer walks
  put(CTXFRAME_RET, reinterpret_cast<uint64_t>(&gol_goentry));
  buf->sp = reinterpret_cast<uintptr_t>(frame);
  buf->pc = reinterpret_cast<uintptr_t>(fn);
  buf->ctxt = arg;
}

}  // namespace gol::rt
