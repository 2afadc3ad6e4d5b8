// os_linux.cpp: everything that talks to the kernel (Go's os1_linux.go, mem_linux.go,
// signal handling). The rest of the runtime calls these and includes no OS headers for it.
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "mheap.h"
#include "runtime.h"
#include "trace.h"

namespace gol::rt {
namespace {

// Set once initsig has installed handlers: every M then gets an alternate signal stack, so
// the handler still runs when a goroutine's stack is what faulted.
std::atomic<bool> sigsInstalled{false};

constexpr size_t SigStackSize = 64 << 10;
constexpr size_t MStackSize = 1 << 20;  // g0 stack of Ms the runtime creates

int64_t getproccount() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  int n = CPU_COUNT(&set);
  return n > 0 ? n : 1;
}

void setsigstack() {
  stack_t ss{};
  ss.ss_sp = persistentalloc(SigStackSize, 16);
  ss.ss_size = SigStackSize;
  if (sigaltstack(&ss, nullptr) != 0) gothrow("sigaltstack failed");
}

void sighandler(int sig, siginfo_t* info, void* uctx) {
  auto* uc = static_cast<ucontext_t*>(uctx);
  uintptr_t pc = 0;
#if defined(__x86_64__)
  pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
#else
  (void)uc;
#endif
  if (sig == SIGQUIT) {
    uintptr_t bp = 0;
#if defined(__x86_64__)
    bp = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RBP]);
#endif
    sigquit(pc, bp);  // traceback.cpp: dump every goroutine, exit 2
  }
  if (sigpanicredirect(sig, info, uctx)) return;  // a recoverable runtime error (panic.cpp)
  sigpanic(sig, info->si_code, reinterpret_cast<uintptr_t>(info->si_addr), pc);
}

void* mstartThread(void* arg) {
  auto* mp = static_cast<m*>(arg);
  gol_g = mp->g0;
  osthreadstack(&mp->g0->stack.lo, &mp->g0->stack.hi);
  mstart();
}

}  // namespace

void osinit() { ncpu = static_cast<int32_t>(getproccount()); }

void minit() {
  if (sigsInstalled.load(std::memory_order_acquire)) setsigstack();
}

void initsig() {
  setsigstack();
  struct sigaction sa{};
  sa.sa_sigaction = sighandler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigfillset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
  sigaction(SIGFPE, &sa, nullptr);
  sigaction(SIGQUIT, &sa, nullptr);
  sigsInstalled.store(true, std::memory_order_release);
}

// Sleeps while *addr == val, for at most ns nanoseconds (ns < 0: no limit). May wake
// spuriously; callers re-check.
void futexsleep(std::atomic<uint32_t>* addr, uint32_t val, int64_t ns) {
  struct timespec ts;
  struct timespec* tsp = nullptr;
  if (ns >= 0) {
    ts.tv_sec = ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    tsp = &ts;
  }
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(addr), FUTEX_WAIT_PRIVATE, val, tsp, nullptr, 0);
}

void futexwakeup(std::atomic<uint32_t>* addr, uint32_t cnt) {
  long r = syscall(SYS_futex, reinterpret_cast<uint32_t*>(addr), FUTEX_WAKE_PRIVATE, cnt, nullptr, nullptr, 0);
  if (r < 0) {
    print("runtime: futexwakeup addr=", addr, " returned ", static_cast<int64_t>(r), "\n");
    gothrow("futexwakeup failed");
  }
}

void osyield() { sched_yield(); }

void usleep(uint32_t usec) {
  struct timespec ts{static_cast<time_t>(usec / 1000000), static_cast<long>(usec % 1000000) * 1000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

int64_t nanotime() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Reserves n bytes of address space. MAP_NORESERVE: no commit charge, pages are backed on
// first touch. MADV_NOHUGEPAGE: a huge page would commit 2 MiB for a goroutine that touched
// 4 KiB (measured: 6.4 GB instead of 400 MB for 100k stacks, TOOLCHAIN.md).
void* sysReserve(uintptr_t n) {
  void* v = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (v == MAP_FAILED) {
    print("runtime: cannot reserve ", n, " bytes of address space\n");
    gothrow("out of memory");
  }
  madvise(v, n, MADV_NOHUGEPAGE);
  return v;
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000  // Linux 4.17; older kernels treat it as a hint
#endif

// The heap's arenas (mheap.cpp): like sysReserve, but aligned, and at hint when possible.
// Huge pages are left to the system's policy: heap pages are dense, unlike stacks.
void* sysReserveAligned(uintptr_t hint, uintptr_t n, uintptr_t align) {
  constexpr int prot = PROT_READ | PROT_WRITE;
  constexpr int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  if (hint != 0 && hint % align == 0) {
    void* v = mmap(reinterpret_cast<void*>(hint), n, prot, flags | MAP_FIXED_NOREPLACE, -1, 0);
    if (v == reinterpret_cast<void*>(hint)) return v;
    if (v != MAP_FAILED) munmap(v, n);  // an old kernel placed it elsewhere
  }
  // Anywhere: reserve align bytes more and trim both ends to the aligned range.
  void* v = mmap(nullptr, n + align, prot, flags, -1, 0);
  if (v == MAP_FAILED) return nullptr;
  uintptr_t lo = reinterpret_cast<uintptr_t>(v);
  uintptr_t base = (lo + align - 1) & ~(align - 1);
  if (base > lo) munmap(v, base - lo);
  if (lo + n + align > base + n) munmap(reinterpret_cast<void*>(base + n), lo + n + align - (base + n));
  return reinterpret_cast<void*>(base);
}

void sysUnused(void* v, uintptr_t n) { madvise(v, n, MADV_DONTNEED); }

void newosproc(m* mp) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, MStackSize);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  int err = pthread_create(&tid, &attr, mstartThread, mp);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    print("runtime: failed to create new OS thread (have ", mcount(), " already; errno=", err, ")\n");
    gothrow("newosproc");
  }
}

void osthreadstack(uintptr_t* lo, uintptr_t* hi) {
  pthread_attr_t attr;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) gothrow("pthread_getattr_np failed");
  pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  *lo = reinterpret_cast<uintptr_t>(addr);
  *hi = *lo + size;
}

const char* gogetenv(const char* key) { return ::getenv(key); }

void writeErr(const void* buf, uintptr_t n) {
  auto* b = static_cast<const char*>(buf);
  while (n > 0) {
    ssize_t w = ::write(2, b, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    b += w;
    n -= static_cast<uintptr_t>(w);
  }
}

// Go's exit is the exit_group system call: no atexit handlers, no destructors, every
// thread ends at once. C stdio is flushed first in case library code wrote through it.
void exit(int32_t code) {
  traceFlush();  // GOLTRACE: write the trace; a no-op when off
  fflush(nullptr);
  ::_exit(code);
}

}  // namespace gol::rt
