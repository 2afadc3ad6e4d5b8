// runtime2.h: the scheduler's data structures (Go's runtime2.go): g, m, p, schedt, and
// the status of each, with who owns what.
//
//   G  a goroutine: its stack, its saved context (gobuf) and its status.
//   M  an OS thread. It runs Go code only while it holds a P. Each M has a g0 whose stack is
//      the thread's own stack: the scheduler (schedule, findrunnable, the mcall functions)
//      runs there, never on a goroutine's stack.
//   P  a processor: the right to run Go code, plus the per-P caches that make it cheap (the
//      local run queue, the free-G list). GOMAXPROCS is the number of Ps.
//
// Each struct groups its fields under the lock or owner that guards them (xv6 proc.h). The
// seed's names are kept; the status constants drop Go's leading underscore (C++ reserves
// `_G...` names): Go's _Grunnable is Grunnable here.
//
// Reading order: this file, then proc.cpp (schedule), runq.cpp, then context.h. HACKING.md
// has the map from the seed's functions to Gol's files.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "context.h"

namespace gol::rt {

struct g;
struct m;
struct p;
struct stkseg;

constexpr int32_t MaxGomaxprocs = 256;    // Go 1.5's _MaxGomaxprocs: allp's size
constexpr uint32_t GoidCacheBatch = 16;   // goroutine ids a P takes from sched.goidgen at once
constexpr uint32_t RunqSize = 256;        // slots in a P's local run queue (a power of 2)

// ---- locks (lock_futex.cpp) ----

// mutex: a futex lock. key: 0 unlocked, 1 locked, 2 locked and a thread may sleep on it.
// Holding one counts in m.locks: an M never reschedules while it holds a runtime lock.
struct mutex {
  std::atomic<uint32_t> key{0};
};

// note: a one-shot wake-up (Go's note). One thread sleeps in notesleep until another calls
// notewakeup; noteclear re-arms it, and only when nobody can be sleeping on it.
// key: 0 clear, 1 woken.
struct note {
  std::atomic<uint32_t> key{0};
};

// [lo, hi) of a goroutine's stack; hi is the top, where the stack starts.
struct stack {
  uintptr_t lo = 0;
  uintptr_t hi = 0;
};

// ---- G status ----
//
// The status says who owns the G's stack and where the G is queued. Changes go through
// casgstatus, which checks the old value. Values are Go 1.5's.
enum gstatus : uint32_t {
  // Gidle: just allocated by malg, not yet initialised. No stack owner, on no queue.
  Gidle = 0,
  // Grunnable: on a run queue (a P's runq or runnext, or the global queue) or in flight
  // between queues; not executing. Nobody owns the stack: its content is the frame saved
  // by gol_mcall or gostartcall, and only execute may resume it.
  Grunnable = 1,
  // Grunning: executing user code on an M that holds a P; g.m and m.curg point at each
  // other. The G owns its stack. On no queue.
  Grunning = 2,
  // Gsyscall: in a system call (between entersyscall and exitsyscall, syscall.cpp), not
  // running Go code; has an M but maybe no P (sysmon may have retaken it). The G owns its
  // stack; g.syscallsp/syscallregs say where a collector may scan it. On no queue.
  Gsyscall = 3,
  // Gwaiting: blocked in gopark, on no run queue but recorded somewhere (a channel's wait
  // queue, a timer) by whoever will goready it. Nobody runs it; the stack is not owned,
  // except that the waker may write into it through pointers it was given (Go's sudog.elem).
  Gwaiting = 4,
  // Gmoribund_unused: unused, kept so the values match Go's.
  Gmoribund_unused = 5,
  // Gdead: exited (or freshly initialised by newproc1). On a gfree list (p.gfree or
  // sched.gfree) or about to be put on one; the stack belongs to the gfree list and is
  // reused by the next newproc1.
  Gdead = 6,
  // Genqueue: unused in Gol (Go: used only while a GC stack scan enqueued the G).
  Genqueue = 7,
  // Gcopystack: unused in Gol, which never copies stacks (DESIGN §4: segmented stacks).
  Gcopystack = 8,
  // Gscan: a bit combined with the statuses above while the garbage collector scans the
  // stack; whoever set it owns the stack. No collector yet: casgstatus waits while it is set.
  Gscan = 0x1000,
};
const char* toString(gstatus s);

// ---- P status ----
enum pstatus : uint32_t {
  Pidle = 0,     // on sched.pidle (guarded by sched.lock); no M; local run queue empty
  Prunning = 1,  // owned by an M (p.m and m.p point at each other); only that M changes it
  Psyscall = 2,  // its M is in a system call; p.m is null; sysmon or stopTheWorld may CAS it away
  Pgcstop = 3,   // stopped for stop-the-world; also the state of a P not yet set up
  Pdead = 4,     // beyond GOMAXPROCS; kept in allp so a later procresize can reuse it
};
const char* toString(pstatus s);

// ---- wait reasons ----
// gopark takes one of these; goroutine dumps print it in brackets (`goroutine 6 [chan
// receive]:`). Reasons must be unique and say what the G waits for: add a new one rather
// than reuse one. The spellings are Go's, so dumps read the same.
inline constexpr const char* waitReasonChanReceive = "chan receive";
inline constexpr const char* waitReasonChanSend = "chan send";
inline constexpr const char* waitReasonChanReceiveNilChan = "chan receive (nil chan)";
inline constexpr const char* waitReasonChanSendNilChan = "chan send (nil chan)";
inline constexpr const char* waitReasonSelect = "select";
inline constexpr const char* waitReasonSelectNoCases = "select (no cases)";
inline constexpr const char* waitReasonSemacquire = "semacquire";
inline constexpr const char* waitReasonSleep = "sleep";
inline constexpr const char* waitReasonTimerGoroutineIdle = "timer goroutine (idle)";
inline constexpr const char* waitReasonPanicWait = "panicwait";
inline constexpr const char* waitReasonPreempted = "preempted";  // schedtrace only: Go prints it too

// ---- g ----
struct g {
  // Read by compiled code's stack check: fixed offsets, kept first as in Go (asserted
  // below the struct; the compiler's stack-check lowering relies on them).
  struct stack stack;     // the G's stack [lo, hi)
  uintptr_t stackguard0;  // stack.lo + StackGuard; the preemption flag later (stackPreempt)
  uintptr_t stackguard1;  // ~0 for user Gs (Go: C-stack check; kept for the layout)
  // Segmented stacks (stack.h): the header of the growth segment the G runs on (null: its
  // first stack), and the cached segment above the first stack (null if none). Owned like
  // the stack.
  struct stkseg* stackseg;
  struct stkseg* stackcache;
  // The G's defer chain (gol_defer records, newest first; in frames or on the heap, kept alive
  // by the collector's conservative scan of the g), owned by the running G. At a fixed offset
  // ahead of sched, whose size depends on the context backend: compiled code and
  // the runtime use GOL_G_DEFER_OFFSET (abi.h).
  void* _defer;

  // Owned by the stack's owner (see gstatus): the running M, or the M that parked it,
  // or whoever holds the queue the G is on.
  gobuf sched;             // saved context while not running
  struct m* m;             // the M running this G, or null
  const char* waitreason;  // why the G is Gwaiting (a waitReason... string), or null
  void* param;             // passed by whoever readies the G (Go: the sudog that woke it)
  int64_t waitsince;       // when the G started waiting (not measured yet)
  // A preemption request (preemptone, sysmon.cpp): stackguard0 is StackPreempt too, so the
  // next stack check or loop poll of compiled code calls gopreempt (proc.cpp).
  bool preempt;
  struct m* lockedm;       // LockOSThread: the M this G must run on, or null

  // Set by entersyscall on the G's own M, read by a collector and by tracebacks while the
  // G is Gsyscall: the caller's sp, pc and frame pointer at entersyscall, and the callee-saved
  // registers (x86-64: rbx, rbp, r12-r15), which may hold pointers nobody spilled yet.
  uintptr_t syscallsp;     // 0 when not in a system call
  uintptr_t syscallpc;
  uintptr_t syscallbp;
  uintptr_t syscallregs[6];

  std::atomic<uint32_t> atomicstatus{Gidle};  // a gstatus; change only with casgstatus

  // Guarded by the lock of the list the G is on: the global run queue (sched.lock),
  // sched.gfree (sched.gflock), or p.gfree (the P's owner).
  struct g* schedlink;

  // Set by newproc1 before the G is published on a run queue; read-only while it lives.
  int64_t goid;
  uintptr_t gopc;     // pc of the `go` statement that created it
  uintptr_t startpc;  // its start function

  // defer/panic (panic.cpp), owned by the running G: its panics in progress (panic.cpp's
  // panicrec, on the stack of gopanic; newest first). The defer chain is _defer, above.
  void* _panic;

  // ThreadSanitizer builds only (race.h): the TSan fiber this G runs as, created at the first
  // switch to it. Written by whoever switches to the G, i.e. by the thread about to run it.
  void* racefiber;
  int64_t traceflow;  // trace.cpp: id of the unblock arrow that ends when the G next runs (0: none)
};

// The offsets compiled code will use (Go's g_stackguard0 in go_asm.h).
static_assert(offsetof(g, stack) == 0 && offsetof(g, stackguard0) == 16, "g layout read by compiled code");

// ---- m ----
struct m {
  // Set when the M is created, then read-only.
  struct g* g0;        // scheduling stack: the thread's own stack
  int64_t id;          // from sched.mcount, under sched.lock
  struct m* alllink;   // next on allm (published with a release store)
  void (*mstartfn)();  // run by mstart1 before scheduling, or null

  // Owned by the M's own thread.
  struct g* curg;     // the G running on this M, or null on g0
  struct p* p;        // the P it holds, or null (read racily by checkdead/schedtrace)
  struct p* nextp;    // the P to acquire when woken from stopm / started by startm
  int32_t locks;      // runtime locks held (and other reasons not to reschedule)
  int32_t printlock;  // printlock recursion depth (print.cpp)
  int32_t throwing;   // set by gothrow: print every goroutine in the dump
  int32_t dying;      // startpanic's nesting level (panic.cpp)
  int32_t mallocing;  // in mallocgc: printed by schedtrace as in Go (the allocator does not set it yet)
  const char* preemptoff;  // if non-null, why this M must not be preempted (stopTheWorld's reason)
  bool spinning;      // looking for work (counted in sched.nmspinning)
  bool blocked;       // sleeping on a note (schedtrace's `blocked=`)
  // LockOSThread (proc.cpp): lockedg is the G wired to this M, or null; locked counts
  // LockExternal (runtime.LockOSThread) and LockInternal (runtime-internal, nesting) uses.
  struct g* lockedg;
  uint32_t locked;
  uint32_t syscalltick;  // the P's syscalltick when this M entered its last system call
  // The stacks engineer's per-M thread-local copy of curg's stackguard0 (gol_stackguard),
  // which compiled code compares against: preemptone writes StackPreempt through it so
  // the running G sees the request at its next check. Null until that exists.
  uintptr_t* stackguardp;
  uint32_t fastrand;  // state of fastrand1
  // gopark's arguments, handed to park_m on g0.
  bool (*waitunlockf)(struct g*, void*);
  void* waitlock;

  // Guarded by sched.lock.
  struct m* schedlink;  // next on sched.midle

  note park;  // stopm sleeps on it; startm wakes it after setting nextp
};

// ---- p ----
struct p {
  // Set when procresize creates the P, then read-only.
  int32_t id;

  // Owned by the M holding the P (status Prunning); by sched.lock while the P is idle.
  // status is atomic because a P in Psyscall has no owner: its M (exitsyscallfast), sysmon
  // (retake) and stopTheWorld race to CAS it away.
  std::atomic<uint32_t> status{Pgcstop};  // a pstatus
  struct p* link;      // next on sched.pidle
  struct m* m;         // the M holding it, or null
  uint32_t schedtick;  // incremented by every execute that starts a time slice
  std::atomic<uint32_t> syscalltick{0};  // incremented on every system call it leaves (sysmon's clock)
  // forEachP: 1 while this P still has to run sched.safePointFn (runSafePointFn).
  std::atomic<uint32_t> runSafePointFn{0};

  // The local run queue (runq.cpp): a lock-free ring of RunqSize slots. Only the owner
  // puts (runqput moves runqtail), and every consumer, owner or thief, takes by CAS on
  // runqhead. Slots are atomics so that a thief's read that loses the race is not a data
  // race; runqhead/runqtail carry the ordering (see runq.cpp).
  std::atomic<uint32_t> runqhead{0};
  std::atomic<uint32_t> runqtail{0};
  std::atomic<struct g*> runq[RunqSize]{};
  // runnext, if non-null, is the G to run next, ahead of runq: a G readied by the running
  // one inherits the rest of its time slice (ping-pong pairs stay on one P). Others may
  // CAS it away when stealing.
  std::atomic<struct g*> runnext{nullptr};

  // Owned by the M holding the P.
  struct g* gfree;  // dead Gs with their stacks, ready for reuse (gfput/gfget)
  std::atomic<int32_t> gfreecnt{0};  // atomic only because gcount reads it from other Ms
  uint64_t goidcache;  // next goroutine id to hand out ...
  uint64_t goidcacheend;  // ... and the end of the batch taken from sched.goidgen
  struct mcache* mcache = nullptr;  // allocation cache (mcache.cpp); null until first used
};

// ---- schedt ----
struct schedt {
  std::atomic<uint64_t> goidgen{0};  // last goroutine id handed out in batches

  mutex lock;
  // Guarded by lock.
  struct m* midle = nullptr;  // idle Ms waiting in stopm
  int32_t nmidle = 0;
  int32_t nmidlelocked = 0;  // locked Ms waiting for their G (LockOSThread, runMain's thread)
  int64_t mcount = 0;        // Ms created so far: the next M's id
  int64_t maxmcount = 0;     // more Ms than this is a fatal error
  struct p* pidle = nullptr;  // idle Ps
  // Changed under lock, read without it (hence atomic).
  std::atomic<uint32_t> npidle{0};
  std::atomic<uint32_t> nmspinning{0};  // Ms looking for work; changed by CAS outside lock

  // The global run queue: a linked list through g.schedlink. Guarded by lock; runqsize
  // is also read without the lock as a hint.
  struct g* runqhead = nullptr;
  struct g* runqtail = nullptr;
  std::atomic<int32_t> runqsize{0};

  // The global cache of dead Gs, fed by Ps whose own list grew long.
  mutex gflock;
  struct g* gfree = nullptr;  // guarded by gflock
  std::atomic<int32_t> ngfree{0};  // changed under gflock, read by gcount without it

  // Stop-the-world (stopTheWorldWithSema). gcwaiting is set under lock and read without it
  // by every M at its scheduling points; stopwait counts the Ps still to stop (under lock);
  // the last one to stop wakes stopnote.
  std::atomic<uint32_t> gcwaiting{0};
  std::atomic<int32_t> stopwait{0};  // atomic only for freezetheworld, which writes it without lock
  note stopnote;
  // sysmon's deep sleep (sysmon.cpp): sysmonwait is set under lock while sysmon sleeps on
  // sysmonnote; whoever makes work while every P was idle clears it and wakes sysmon.
  std::atomic<uint32_t> sysmonwait{0};
  note sysmonnote;

  // forEachP (preempt.cpp): the function each P runs at its next safe point; safePointWait
  // counts the Ps still to run it (under lock); the last wakes safePointNote.
  void (*safePointFn)(struct p*) = nullptr;
  int32_t safePointWait = 0;
  note safePointNote;
};

// ---- globals (proc.cpp) ----
extern schedt sched;
extern m m0;  // the M of the program's main thread
extern g g0;  // m0's g0
extern std::atomic<int32_t> gomaxprocs;
extern int32_t ncpu;  // set by osinit
// allp[i] for i < gomaxprocs is a live P; read without locks by stealers and checkdead.
extern std::atomic<p*> allp[MaxGomaxprocs + 1];
extern std::atomic<m*> allm;  // every M, linked by alllink; never shrinks

// The running goroutine (or g0 while the scheduler runs). Null on threads that are not Ms.
inline g* getg() { return gol_g; }

}  // namespace gol::rt
