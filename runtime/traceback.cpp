// traceback.cpp: goroutine dumps (Go's traceback.go): the header of each goroutine and its
// frames, for fatal errors, panics and SIGQUIT.
//
//   goroutine 6 [chan receive]:
//   main.worker(...)
//   	/home/ann/dl.gol:7 +0x6b
//   created by main.main
//   	/home/ann/dl.gol:15 +0xb8
//
// Frames come from frame pointers, which compiled Gol code and the runtime keep: a walk
// starts from the G's saved context (its gobuf: the frame gol_mcall pushed; or the caller
// entersyscall recorded; or, for the G doing the dump, the dumping function itself) and
// follows saved rbp links while they stay inside the G's stack. A G running on another M
// cannot be walked: its frames change under us ("stack unavailable", as in Go).
//
// Names come from the executable's ELF symbol table (.symtab, else .dynsym), read at fatal
// time from /proc/self/exe with mmap: no allocation, no dladdr (whose lock a dying M may
// hold). Gol functions are "main.f" there already (abi.h). Runtime frames (C++ in gol::rt,
// gol_* entry points, anything outside the executable) are shown only with
// GOTRACEBACK=system or crash. File and line come from the compiler's line tables
// (pcln.cpp); code without them (the C++ runtime) prints `?:0` followed by the offset in the
// function, which is what Go prints for an unknown line.
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "runtime.h"

extern "C" {
// The ELF header of the executable as mapped (the linker defines it); weak in case of an
// unusual link.
extern const char __ehdr_start[] __attribute__((weak, visibility("hidden")));
// The bottom frame of every goroutine with the asm backend (asm_amd64.S); the ucontext
// backend has none by that name (weak: null), and its walks end at makecontext's null rbp.
void gol_goentry() __attribute__((weak));
}

namespace gol::rt {


namespace {

// ---- the executable's symbol table ----

struct symtab {
  bool loaded = false;
  const Elf64_Sym* syms = nullptr;
  uint64_t nsyms = 0;
  const char* strs = nullptr;
  uint64_t strsize = 0;
  uintptr_t bias = 0;  // run-time address = symbol value + bias (PIE load address)
  const char* debugline = nullptr;  // the compiler's line tables (pcln.cpp reads them)
  uint64_t debuglinesize = 0;
};
symtab exe;
mutex symlock;

void loadsymtab() {
  if (exe.loaded) return;
  exe.loaded = true;
  if (__ehdr_start == nullptr) return;
  auto* eh = reinterpret_cast<const Elf64_Ehdr*>(__ehdr_start);
  auto* ph = reinterpret_cast<const Elf64_Phdr*>(__ehdr_start + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
      exe.bias = reinterpret_cast<uintptr_t>(__ehdr_start) - ph[i].p_vaddr;
      break;
    }
  }
  int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st;
  void* base = MAP_FAILED;
  if (fstat(fd, &st) == 0) base = mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (base == MAP_FAILED) return;
  auto* b = static_cast<const char*>(base);
  auto* feh = reinterpret_cast<const Elf64_Ehdr*>(b);
  if (std::memcmp(feh->e_ident, ELFMAG, SELFMAG) != 0 || feh->e_ident[EI_CLASS] != ELFCLASS64) return;
  if (feh->e_shoff == 0 || feh->e_shoff + uint64_t(feh->e_shnum) * sizeof(Elf64_Shdr) > uint64_t(st.st_size)) return;
  auto* sh = reinterpret_cast<const Elf64_Shdr*>(b + feh->e_shoff);
  if (feh->e_shstrndx < feh->e_shnum) {
    const Elf64_Shdr& names = sh[feh->e_shstrndx];
    for (int i = 0; i < feh->e_shnum && names.sh_offset + names.sh_size <= uint64_t(st.st_size); i++) {
      if (sh[i].sh_name >= names.sh_size || sh[i].sh_offset + sh[i].sh_size > uint64_t(st.st_size)) continue;
      if (std::strcmp(b + names.sh_offset + sh[i].sh_name, ".debug_line") != 0) continue;
      exe.debugline = b + sh[i].sh_offset;
      exe.debuglinesize = sh[i].sh_size;
    }
  }
  for (uint32_t want : {uint32_t(SHT_SYMTAB), uint32_t(SHT_DYNSYM)}) {
    for (int i = 0; i < feh->e_shnum; i++) {
      if (sh[i].sh_type != want || sh[i].sh_link >= feh->e_shnum) continue;
      const Elf64_Shdr& str = sh[sh[i].sh_link];
      if (sh[i].sh_offset + sh[i].sh_size > uint64_t(st.st_size) || str.sh_offset + str.sh_size > uint64_t(st.st_size)) continue;
      exe.syms = reinterpret_cast<const Elf64_Sym*>(b + sh[i].sh_offset);
      exe.nsyms = sh[i].sh_size / sizeof(Elf64_Sym);
      exe.strs = b + str.sh_offset;
      exe.strsize = str.sh_size;
      return;
    }
  }
}

// The executable's tables, mapped by the first caller.
const symtab& loadedexe() {
  lock(&symlock);
  loadsymtab();
  unlock(&symlock);
  return exe;
}

// The function containing pc: its name and entry address, or null.
const char* funcname(uintptr_t pc, uintptr_t* entry) {
  loadedexe();
  uintptr_t v = pc - exe.bias;
  for (uint64_t i = 0; i < exe.nsyms; i++) {
    const Elf64_Sym& s = exe.syms[i];
    if (ELF64_ST_TYPE(s.st_info) != STT_FUNC || s.st_shndx == SHN_UNDEF || s.st_name >= exe.strsize) continue;
    if (s.st_value <= v && v < s.st_value + s.st_size) {
      *entry = s.st_value + exe.bias;
      return exe.strs + s.st_name;
    }
  }
  return nullptr;  // not in the executable (libc, the vDSO) or in no sized function
}

bool hasprefix(const char* s, const char* prefix) { return std::strncmp(s, prefix, std::strlen(prefix)) == 0; }

// Runtime frames: the C++ runtime and its entry points; shown at GOTRACEBACK=system.
bool isruntime(const char* name) {
  // (C++ helpers in anonymous namespaces count too: the runtime has many, and a test's
  // goroutines that want their frames shown use extern "C" names.)
  // The compiler's helpers (gol.more.*, gol.thunk.*) and the segment switch __morestack are
  // the runtime's too: a panic raised on a fresh segment would otherwise show them first.
  return name == nullptr || hasprefix(name, "_ZN3gol2rt") || hasprefix(name, "_ZZN3gol2rt") ||
         hasprefix(name, "_ZN12_GLOBAL__N_1") || hasprefix(name, "gol_") || hasprefix(name, "gol.") ||
         hasprefix(name, "runtime.") || std::strcmp(name, "__morestack") == 0 ||
         std::strcmp(name, "main") == 0;  // C's main (rt0), below main.main's frame with ucontext
}

// pc is a return address (the line is the call's: look just before it) unless exact.
void printpcline(uintptr_t pc, uintptr_t entry, bool exact = false) {
  const char* file = "?";
  int32_t line = 0;
  if (!pcfileline(exact ? pc : pc - 1, &file, &line)) file = "?", line = 0;
  print("\t", file, ":", line);
  if (pc > entry) {
    print(" +");
    printhex(pc - entry);
  }
  print("\n");
}

constexpr int MaxFrames = 100;  // Go's _TracebackMaxFrames

// The stacks a walk over gp's frames may visit: every in-use segment of gp and, for the
// goroutine the caller runs for, its M's g0 stack (gothrow and systemstack run there, called
// from the goroutine's frames through __morestack). Index of the range holding fp, or -1.
struct stackranges {
  static constexpr int Max = 64;
  uintptr_t lo[Max], hi[Max];
  int n = 0;
  void add(uintptr_t l, uintptr_t h) {
    if (n < Max && l < h) lo[n] = l, hi[n++] = h;
  }
  int find(uintptr_t fp) const {
    for (int i = 0; i < n; i++)
      if (fp >= lo[i] && fp + 16 <= hi[i]) return i;
    return -1;
  }
};

// Prints the frames from (pc, fp) up the stacks in r.
void printframes(uintptr_t pc, uintptr_t fp, const stackranges& r, bool system) {
  uintptr_t goentry = reinterpret_cast<uintptr_t>(&gol_goentry);
  for (int depth = 0; depth < MaxFrames && pc != 0 && pc != goentry; depth++) {
    uintptr_t entry = 0;
    const char* name = funcname(pc - 1, &entry);  // pc is a return address: look just before it
    if (system || !isruntime(name)) {
      print(name != nullptr ? name : "?", "(...)\n");
      printpcline(pc, entry);
    }
    // Next frame: [fp] is the caller's fp, [fp+8] the return address into it. A frame
    // pointer outside the known stacks (a foreign frame without one) ends the walk.
    int in = r.find(fp);
    if (in < 0 || fp % 8 != 0) break;
    auto* f = reinterpret_cast<const uintptr_t*>(fp);
    uintptr_t next = f[0];
    pc = f[1];
    if (next != 0 && next <= fp && r.find(next) == in) break;  // frames go up a stack (or to another one)
    fp = next;
  }
}

// The context a trap interrupted, for the current G's traceback (sigquit).
uintptr_t trappc = 0;
uintptr_t trapbp = 0;

}  // namespace

// The name of the function containing the return address ret (looked up just before it), or
// null: for gol_gorecover's walk over the stack-growth frames.
// The executable's .debug_line section and its load bias, or null (pcln.cpp).
const char* exedebugline(uint64_t* size, uintptr_t* bias) {
  const symtab& t = loadedexe();
  *size = t.debuglinesize;
  *bias = t.bias;
  return t.debugline;
}

const char* retfuncname(uintptr_t ret) {
  uintptr_t entry = 0;
  return funcname(ret - 1, &entry);
}

void goroutineheader(g* gp) {
  uint32_t status = readgstatus(gp) & ~uint32_t(Gscan);
  const char* why = loadRelaxed(gp->waitreason);
  const char* what = status == Gwaiting && why != nullptr ? why : toString(gstatus(status));
  print("goroutine ", gp->goid, " [", what);
  if (gp->lockedm != nullptr) print(", locked to thread");
  print("]:\n");
}

__attribute__((noinline)) void traceback(g* gp) {
  bool system = gotraceback().level >= 2;
  g* self = getg();
  uint32_t status = readgstatus(gp) & ~uint32_t(Gscan);
  uintptr_t pc, fp;
  if (gp == self) {
    if (trappc != 0) {
      pc = trappc;
      fp = trapbp;
      auto* f = reinterpret_cast<const uintptr_t*>(fp);
      uintptr_t entry = 0;
      const char* name = funcname(pc, &entry);  // pc is where the trap hit, not a return address
      if (system || !isruntime(name)) {
        print(name != nullptr ? name : "?", "(...)\n");
        printpcline(pc, entry, /*exact=*/true);
      }
      if (fp < gp->stack.lo || fp + 16 > gp->stack.hi) return;
      pc = f[1];
      fp = f[0];
    } else {
      pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
      fp = *static_cast<uintptr_t*>(__builtin_frame_address(0));
    }
  } else if (status == Gsyscall && gp->syscallsp != 0) {
    pc = gp->syscallpc;
    fp = gp->syscallbp;
  } else if (status == Grunning && !(self != nullptr && gp == self->m->curg)) {
    print("\tgoroutine running on other thread; stack unavailable\n");
    return;
  } else {
#if GOL_CONTEXT_UCONTEXT
    pc = uintptr_t(gp->sched.uc.uc_mcontext.gregs[REG_RIP]);
    fp = uintptr_t(gp->sched.uc.uc_mcontext.gregs[REG_RBP]);
#else
    auto* frame = reinterpret_cast<const uintptr_t*>(gp->sched.sp);
    if (frame == nullptr) return;
    pc = frame[CTXFRAME_RET / 8];
    fp = frame[CTXFRAME_RBP / 8];
#endif
  }
  stackranges r;
  r.add(gp->stack.lo, gp->stack.hi);
  for (stkseg* sg = gp->stackseg; sg != nullptr; sg = sg->prev) r.add(sg->prevstack.lo, sg->prevstack.hi);
  if (gp == self || (self != nullptr && self->m != nullptr && gp == self->m->curg))
    if (self != nullptr && self->m != nullptr && self->m->g0 != nullptr) r.add(self->m->g0->stack.lo, self->m->g0->stack.hi);
  printframes(pc, fp, r, system);

  // created by: the `go` statement (Go omits it for the main goroutine, id 1).
  if (gp->gopc != 0 && gp->goid != 1) {
    uintptr_t entry = 0;
    const char* name = funcname(gp->gopc - 1, &entry);
    if (system || !isruntime(name)) {
      print("created by ", name != nullptr ? name : "?", "\n");
      printpcline(gp->gopc, entry);
    }
  }
}

// Dumps every live goroutine except me.
void tracebackothers(g* me) {
  forEachG(
      [](g* gp, void* arg) {
        if (gp == arg || readgstatus(gp) == Gdead) return;
        print("\n");
        goroutineheader(gp);
        traceback(gp);
      },
      me);
}

void sigquit(uintptr_t pc, uintptr_t bp) {
  g* gp = getg();
  startpanic();
  m* mp = gp != nullptr ? gp->m : nullptr;
  print("SIGQUIT: quit\nPC=");
  printhex(pc);
  print(" m=", mp != nullptr ? mp->id : -1, " sigcode=0\n");
  if (mp != nullptr) {
    mp->throwing = 1;  // every goroutine
    if (gp != mp->g0) {
      trappc = pc;
      trapbp = bp;
    }
  }
  dopanic();
}

}  // namespace gol::rt
