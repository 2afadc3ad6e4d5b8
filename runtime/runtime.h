// runtime.h: the runtime's internal functions, one section per file that defines them.
// Compiled code never sees these (it sees abi.h); unit tests do.
//
// Failing: print the details with a `runtime: ` prefix, then gothrow("short constant
// message"), which prints `fatal error: ...` and a goroutine dump and exits with status 2.
// GOL_ASSERT does both in one line. C++ reserves `throw`, so Go's throw is gothrow here (the
// name Go 1.4 used for the same function while its runtime was half C, half Go).
#pragma once
#include <csignal>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "runtime2.h"
#include "stack.h"

// GOL_ASSERT(cond, "msg", details...): if cond is false, print `runtime: msg details...` and
// gothrow("msg"). msg must be a string constant. Always on: scheduler invariants are cheap
// to check and expensive to debug.
#define GOL_ASSERT(cond, msg, ...)                                     \
  do {                                                                 \
    if (!(cond)) [[unlikely]] {                                        \
      ::gol::rt::print("runtime: " msg __VA_OPT__(, ) __VA_ARGS__, "\n"); \
      ::gol::rt::gothrow(msg);                                         \
    }                                                                  \
  } while (0)

// GOL_DCHECK: like GOL_ASSERT but only with -DGOL_DEBUG_CHECKS=ON (heavy or hot-path checks).
#if GOL_DEBUG_CHECKS
#define GOL_DCHECK(cond, msg, ...) GOL_ASSERT(cond, msg __VA_OPT__(, ) __VA_ARGS__)
#else
#define GOL_DCHECK(cond, msg, ...) \
  do {                             \
  } while (0)
#endif

namespace gol::rt {

// Fields that another thread reads without a lock by design (sysmon's preemptone and retake,
// checkdead, schedtrace: best-effort snapshots, as in Go): the owner writes them with relaxed
// atomic stores and the reader loads them the same way, so the read is not a C++ data race
// (and the ThreadSanitizer build agrees). Which fields: g.m, g.preempt, g.stackguard0,
// m.curg, m.p, p.m, p.schedtick.
template <class T>
inline T loadRelaxed(T& v) {
  return __atomic_load_n(&v, __ATOMIC_RELAXED);
}
template <class T>
inline void storeRelaxed(T& v, std::type_identity_t<T> x) {
  __atomic_store_n(&v, x, __ATOMIC_RELAXED);
}

// ---- proc.cpp: the scheduler ----
// Boot (what the C main in rt0_linux.cpp calls): osinit, schedinit, newproc(runtime.main),
// mstart. runtime.main calls maininit then mainmain and exits the process with status 0.
[[noreturn]] void rt0_go(int argc, char** argv, void (*maininit)(), void (*mainmain)());
void rt0_boot(int argc, char** argv);  // rt0_go up to schedinit; the calling thread becomes m0
void schedinit();
void mcommoninit(m* mp);
[[noreturn]] void mstart();
g* malg(int32_t stacksize);
void newproc(void (*fn)(void*), const void* argp, int32_t narg);
g* newproc1(void (*fn)(void*), const void* argp, int32_t narg, uintptr_t callerpc);
void gfput(p* pp, g* gp);
g* gfget(p* pp);
uint32_t readgstatus(g* gp);
void casgstatus(g* gp, uint32_t oldval, uint32_t newval);
void dumpgstatus(g* gp);
void ready(g* gp);
void goready(g* gp);
// Parks the running G with status Gwaiting: on g0, calls unlockf(gp, lock) (if non-null);
// if that returns false the G resumes at once, otherwise it waits for goready. Nobody may
// goready gp before unlockf has run: that is where gp becomes findable (a channel's wait
// queue is unlocked there); until then park_m still updates gp.
void gopark(bool (*unlockf)(g*, void*), void* lock, const char* reason);
void goparkunlock(mutex* lock, const char* reason);
void gosched();  // runtime.Gosched: yield to the global queue
// Preemption (DESIGN §4). sysmon's preemptone sets g.preempt and stackguard0 = StackPreempt;
// the failing stack check or loop poll in compiled code reaches the stacks engineer's
// newstack, which, like Go 1.5's, calls gopreempt() on the G's stack. gopreempt checks that
// the M may be preempted (no runtime locks, holding a running P); if so the G yields to the
// global queue with mcall(gopreempt_m), and schedule stops the P there if a stop-the-world is
// pending; if not, the request is kept (g.preempt) and the guard restored, so a later check
// retries. gopreempt_m is the mcall continuation (the seed's: goschedImpl).
void gopreempt();
void gopreempt_m(g* gp);
// Sets gp's stackguard0 and, if gp runs on an M that has a thread-local copy of it
// (m.stackguardp), that copy too. Safe from other threads (relaxed atomic stores).
void setstackguard(g* gp, uintptr_t v);
[[noreturn]] void goexit1();
void mcall(void (*fn)(g*));
[[noreturn]] void gogo(gobuf* buf);
[[noreturn]] void schedule();
[[noreturn]] void execute(g* gp, bool inheritTime);
std::pair<g*, bool> findrunnable();
void stopm();
m* allocm(void (*fn)());
void newm(void (*fn)(), p* pp);
void mspinning();
void startm(p* pp, bool spinning);
void handoffp(p* pp);
void wakep();
void wakeIfIdle();
void resetspinning();
void gcstopm();
void injectglist(g* glist);
void dropg();
p* procresize(int32_t nprocs);
void acquirep(p* pp);
p* releasep();
void checkdead();
void incidlelocked(int32_t v);
void checkmcount();  // sched.lock held: throws `thread exhaustion` past sched.maxmcount
int32_t setMaxThreads(int32_t in);  // runtime/debug.SetMaxThreads: returns the old limit
// LockOSThread (Go's LockOSThread/lockOSThread and the unlock pair): wire the running G to
// its M. While wired, schedule hands the M's P away instead of running other Gs
// (stoplockedm) and whoever picks the G hands it to its M (startlockedm).
constexpr uint32_t LockExternal = 1;  // runtime.LockOSThread
constexpr uint32_t LockInternal = 2;  // the runtime's own, nesting
void lockOSThread();
void unlockOSThread();
void LockOSThread();
void UnlockOSThread();
void stoplockedm();
void startlockedm(g* gp);
// procPin: no preemption and no P change until procUnpin; returns the P's id (sync.Pool).
int32_t procPin();
void procUnpin();
// Timer sleeps (HACKING.md "Timers and the scheduler"): addtimer calls this when it arms a
// timer that becomes the earliest of its heap, so an M sleeping until a later deadline wakes.
void wakeTimerSleeper(int64_t when);
// With every P busy, nobody runs a due timer until sysmon preempts a G for it: addtimer
// calls this so that a sysmon sleeping past when wakes up (sysmon.cpp).
void wakeSysmonForTimer(int64_t when);
bool timerSleeperActive();  // some M sleeps until the next timer (sysmon's check)
void checkAllTimers();       // runs every P's due timers (the caller holds a P)
void mput(m* mp);
m* mget();
void pidleput(p* pp);
p* pidleget();
int32_t gcount();     // runtime.NumGoroutine: live Gs, at least 1
int32_t gcountraw();  // live Gs as counted, possibly 0
int64_t mcount();
uint32_t fastrand1();
void allgadd(g* gp);
// Calls fn(gp) for every G ever created (under allglock: fn must not take it).
void forEachG(void (*fn)(g* gp, void* arg), void* arg);

// ---- preempt.cpp: stopping the world ----
// stopTheWorld returns with only the caller's G running Go code: every other P is stopped
// at a safe point (a scheduling point, or a preemption check once compiled code has them).
// startTheWorld restarts them, applying newprocs (if non-zero) first. Both are called on a
// G's stack; worldsema (a semaphore: semacquire parks) serialises them, and holding it
// keeps gomaxprocs fixed. The WithSema pair is the core, for callers that hold worldsema
// (semacquire(&worldsema)) and may stop and start several times.
extern int32_t newprocs;
extern uint32_t worldsema;
void stopTheWorld(const char* reason);
void startTheWorld();
void stopTheWorldWithSema();
void startTheWorldWithSema();
// forEachP(fn): runs fn(p) for every P at a safe point of that P (a ragged barrier, for the
// collector); the caller holds worldsema and a P. runSafePointFn is what a P calls at its
// safe points when p.runSafePointFn is set.
void forEachP(void (*fn)(p*));
void runSafePointFn();
// For fatal errors: stop the scheduler from starting Gs and ask running ones to stop, best
// effort (startpanic calls it before the dump). Sets sched.stopwait to FreezeStopWait.
constexpr int32_t FreezeStopWait = 0x7fffffff;
void freezetheworld();

// ---- sysmon.cpp: the system monitor ----
// sysmon runs on its own M without a P (started by runtime.main): retakes Ps from long system
// calls, preempts Gs that ran more than ForcePreemptNS, starts an M for overdue timers, and
// prints schedtrace. preemptone/preemptall are best-effort requests (see gopreempt).
constexpr int64_t ForcePreemptNS = 10 * 1000 * 1000;  // the time slice: 10 ms
// Gol: the slice of a G whose P has a runnable G queued behind it (runnext or the local
// queue), such as a sleeper its timer just woke. See retake in sysmon.cpp.
constexpr int64_t ForcePreemptWaitingNS = 2 * 1000 * 1000;
void startsysmon();  // once; newm(sysmon, nullptr)
[[noreturn]] void sysmon();
uint32_t retake(int64_t now);
bool preemptall();
bool preemptone(p* pp);
void schedtrace(bool detailed);
extern std::atomic<bool> sysmonStarted;
// Hooks sysmon calls; the collector and the scavenger override them (weak symbols).
// gcForceHook(now): called every sysmon round; starts a GC if none ran for ForceGCPeriod
// (Go's forcegc), and must be cheap otherwise.
// scavengeHook(now): return long-unused heap pages to the OS (Go's mHeap_Scavenge).
constexpr int64_t ForceGCPeriod = int64_t(2) * 60 * 1000000000;
void gcForceHook(int64_t now);
void scavengeHook(int64_t now);

// ---- syscall.cpp: system calls ----
// A G about to block in the kernel calls entersyscall; its P goes Psyscall (sysmon retakes
// it after one tick if there is other work) and exitsyscall gets a P back (the old one if
// still free, else any idle one, else the G queues as runnable). entersyscallblock is for
// calls known to block: it hands the P off at once. Both save the caller's sp, pc, frame
// pointer and callee-saved registers in the G for a collector and for tracebacks; they must
// be called directly by the function that makes the system call and returns after
// exitsyscall (no longjmp out). The wrappers gol_sys_* (abi.h) are the standard library's.
void entersyscall();
void reentersyscall(uintptr_t pc, uintptr_t sp, uintptr_t bp);
void entersyscallblock();
void exitsyscall();

// ---- runtime1.cpp: GODEBUG and GOTRACEBACK ----
struct dbgvar_values {
  int32_t gctrace = 0;
  int32_t schedtrace = 0;   // GODEBUG=schedtrace=MS: sysmon prints a SCHED line every MS ms
  int32_t scheddetail = 0;  // GODEBUG=scheddetail=1: with schedtrace, every P, M and G
  int32_t scavenge = 0;
};
extern dbgvar_values debug;
void parsedebugvars();  // schedinit: reads GODEBUG and GOTRACEBACK
// GOTRACEBACK (Go's extern.go): none (0) prints no goroutines; single (default) the failing
// one, and every one for a fatal error (gothrow); all (1) every goroutine; system (2) also
// runtime frames and goroutines; crash: system, then abort (SIGABRT) for a core dump.
struct tracebackLevel {
  int32_t level;  // 0 none, 1 single/all, 2 system
  bool all;       // every goroutine
  bool crash;
};
tracebackLevel gotraceback();

// ---- runq.cpp: local and global run queues ----
void runqput(p* pp, g* gp, bool next);
bool runqputslow(p* pp, g* gp, uint32_t h, uint32_t t);
std::pair<g*, bool> runqget(p* pp);  // {G, inheritTime}
uint32_t runqgrab(p* pp, std::atomic<g*> (&batch)[RunqSize], uint32_t batchHead, bool stealRunNextG);
g* runqsteal(p* pp, p* p2, bool stealRunNextG);
bool runqempty(p* pp);
void globrunqput(g* gp);
void globrunqputhead(g* gp);
void globrunqputbatch(g* ghead, g* gtail, int32_t n);
g* globrunqget(p* pp, int32_t max);

// ---- lock_futex.cpp ----
void lock(mutex* l);
void unlock(mutex* l);
void noteclear(note* n);
void notewakeup(note* n);
void notesleep(note* n);
bool notetsleep(note* n, int64_t ns);  // true if woken, false on timeout

// ---- stack.cpp, morestack.cpp: stacks, their growth, the stack check's slow path ----
// Declared in stack.h (included above): FixedStack, StackGuard, StackPreempt, stackalloc,
// stackfree, forEachStackSegment, shrinkstacks, ...

// ---- os_linux.cpp: everything that talks to the kernel ----
void osinit();
void minit();    // per-M set-up on the M's own thread
void initsig();  // SIGSEGV/SIGBUS handlers (programs only, not unit tests)
void futexsleep(std::atomic<uint32_t>* addr, uint32_t val, int64_t ns);
void futexwakeup(std::atomic<uint32_t>* addr, uint32_t cnt);
void osyield();
void usleep(uint32_t usec);
int64_t nanotime();
void* sysReserve(uintptr_t n);  // address space, no commitment, no huge pages
void newosproc(m* mp);          // starts a thread running mstart for mp
void osthreadstack(uintptr_t* lo, uintptr_t* hi);  // the calling thread's stack
const char* gogetenv(const char* key);
[[noreturn]] void exit(int32_t code);  // flushes C stdio, then ends every thread
void writeErr(const void* buf, uintptr_t n);

// ---- malloc.cpp ----
void* mallocgc(uintptr_t size, const void* type, bool needzero);
// Memory that is never freed (Gs, Ms, Ps: Go keeps them forever too). Zeroed.
void* persistentalloc(uintptr_t size, uintptr_t align);
template <class T>
T* persistentnew() {
  return new (persistentalloc(sizeof(T), alignof(T))) T();
}

// ---- string.cpp ----
int64_t atoi(const char* s);  // decimal; 0 if s is null, empty or not a number

// ---- slice.cpp ----
uintptr_t roundupsize(uintptr_t size);  // the allocator's real size for a request

// ---- print.cpp: print builtins, never allocate ----
void printlock();
void printunlock();
void printbool(bool v);
void printfloat(double v);
void printint(int64_t v);
void printuint(uint64_t v);
void printhex(uint64_t v);
void printpointer(const void* p);
void printstring(const char* s);  // C string; null prints nothing
void printsp();
void printnl();

// print(a, b, ...) prints each argument in Go's print format, under printlock. Like Go's
// print builtin it adds no spaces or newline.
template <class T>
void printarg(const T& v) {
  using U = std::decay_t<T>;
  if constexpr (std::is_same_v<U, bool>) {
    printbool(v);
  } else if constexpr (std::is_same_v<U, const char*> || std::is_same_v<U, char*>) {
    printstring(v);
  } else if constexpr (std::is_pointer_v<U>) {
    printpointer(reinterpret_cast<const void*>(v));
  } else if constexpr (std::is_floating_point_v<U>) {
    printfloat(static_cast<double>(v));
  } else if constexpr (std::is_signed_v<U>) {
    printint(static_cast<int64_t>(v));
  } else {
    static_assert(std::is_unsigned_v<U> || std::is_enum_v<U>, "print: unsupported argument");
    printuint(static_cast<uint64_t>(v));
  }
}
template <size_t N>
void printarg(const char (&s)[N]) {
  printstring(s);
}
template <class... A>
void print(const A&... args) {
  printlock();
  (printarg(args), ...);
  printunlock();
}

// ---- panic.cpp ----
extern std::atomic<int32_t> panicking;  // Ms printing a fatal panic or throw
[[noreturn]] void gothrow(const char* s);  // Go's throw
void startpanic();
[[noreturn]] void dopanic();
// A runtime panic with a constant message (`send on closed channel`): prints `panic: s` and
// dies today; recoverable once recover exists, so callers must hold no runtime lock.
[[noreturn]] void panicstring(const char* s);
// The SIGSEGV/SIGBUS/SIGFPE handler's work: a nil dereference or division fault in user code
// becomes Go's runtime error panic, anything else a fatal error.
[[noreturn]] void sigpanic(int sig, int code, uintptr_t addr, uintptr_t pc);
// For the signal handler first: a nil dereference or integer division fault in user code is
// turned into a recoverable runtime error panic by redirecting the context (returns true;
// return from the handler); false for fatal faults (then call sigpanic).
bool sigpanicredirect(int sig, siginfo_t* info, void* uctx);

// ---- traceback.cpp ----
// Goroutine dumps: `goroutine N [status]:` then the G's frames, walked through frame pointers
// from its saved context, named from the executable's ELF symbol table (read at fatal time,
// no allocation), with file:line from pcfileline when the compiler's table exists.
void goroutineheader(g* gp);
void traceback(g* gp);
void tracebackothers(g* me);
// ---- pcln.cpp ----
// The source position of the instruction at pc, from the line tables golc emits (DESIGN §4,
// Tracebacks): false if pc has none (runtime code, foreign code).
bool pcfileline(uintptr_t pc, const char** file, int32_t* line);
// traceback.cpp: the executable's .debug_line section (null if none) and its load bias.
const char* exedebugline(uint64_t* size, uintptr_t* bias);
// SIGQUIT: print `SIGQUIT: quit`, every goroutine, exit 2 (os_linux.cpp's handler calls it).
[[noreturn]] void sigquit(uintptr_t pc, uintptr_t bp);

// ---- traceback.cpp ----
const char* retfuncname(uintptr_t ret);  // function containing a return address, or null

}  // namespace gol::rt
