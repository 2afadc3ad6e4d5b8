// trace.cpp: the execution tracer (trace.h; the file format is tools/trace-viewer/FORMAT.md).
//
// Recording. Each event is built as a traceEv and appended, encoded (see emit), to a buffer:
// the buffer of the P the current M owns (traceP[id].buf), or, for an M without a P, the M's
// thread-local buffer. A buffer has one writer at a time (the P's owner, or the thread), so
// appending takes no lock: the writer writes the record's bytes, then publishes the chunk's
// byte count with a release store; the flush reads it with an acquire load and never looks past it,
// so a writer racing with the flush only loses its own event. Chunks come from mmap, never
// from the Go heap or malloc: hooks run on goroutine stacks and under runtime locks.
//
// Spans are recorded once, when they end, with the start kept in the per-P state (a G's run,
// idle, in syscall) or in the thread-local per-M state (a system call, spinning). A run's
// record does not repeat the G's start function: the flush finds it in the G's create event
// (tracing starts before the first goroutine is created).
//
// Writing. traceFlush runs from exit() (so on normal exit, panics and fatal errors), possibly
// on a goroutine's small stack: it does the work on a new thread with a full-sized stack,
// using libc and mmap only (programs link without libstdc++). It closes what is still open (a
// running G's run: "trace end"; an idle P) and writes metadata, then every buffer, in the
// order they come: readers sort.
#include "trace.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <new>

#include "mgc.h"
#include "runtime.h"

namespace gol::rt {

std::atomic<bool> traceEnabled{false};

namespace {

// Record kinds: one per kind of JSON output (see writeEvent).
enum traceKind : uint8_t {
  evGoRun,          // X cat g, pid 1 / P: a goid, b flow id of its unblock (0: none), c M, why, s waitreason
  evCreate,         // i create, pid 1 / P: a goid, b parent goid
  evUnblock,        // i unblock + flow s, lane pid/tid: a goid, b by, c flow id, s reason
  evSteal,          // i steal + flow s/f: a from, b to, c count, d flow id, why 1: runnext taken
  evPreemptReq,     // i preempt request, pid 1 / P: a goid, s by
  evHandoff,        // i handoff, pid 1 / P: a from_m, b to_m (-1 idle, -2 not known), s why
  evStackGrow,      // i stack growth, pid 1 / P: a goid, b old, c new
  evGomaxprocs,     // i gomaxprocs, pid 0 / 0: a old, b new
  evSyscall,        // X syscall, pid 2 / M: a goid, b P, c handoff
  evPState,         // X pstate, pid 1 / P (or 2 / M): s name, a m (-1: none), b goid (-1: none)
  evSTW,            // X stw, pid 0 / 0: s reason, a by
  evGCPhase,        // X gc, pid 0 / 1: s name, a gc cycle, b heap bytes, c 0 heap_before / 1 heap_after / 2 none
};

// An event as the hooks build it and the flush reads it back. In the buffers it is encoded
// with only the fields its kind uses (traceFields), as varints, the time as the difference
// from the previous record of the same buffer: 15 to 25 bytes instead of 64. A traced
// ping-pong appends four records per round trip, and with 64-byte records faulting in and
// zeroing the fresh pages was about a fifth of a traced ping-pong's time (perf).
struct traceEv {
  int64_t ts;   // ticks since traceinit
  int64_t dur;  // ticks, spans only
  int64_t a, b, c, d;
  const char* s;
  int32_t tid;
  uint8_t pid;
  uint8_t kind;
  uint8_t why;  // evGoRun: a traceStop
};

// Which fields of traceEv a kind uses (ts, tid, pid and why always are).
enum : uint8_t { fDur = 1, fA = 2, fB = 4, fC = 8, fD = 16, fS = 32 };
constexpr uint8_t traceFields[] = {
    fDur | fA | fB | fC | fS,  // evGoRun
    fA | fB | fC,              // evCreate
    fA | fB | fC | fS,         // evUnblock
    fA | fB | fC | fD,         // evSteal
    fA | fS,                   // evPreemptReq
    fA | fB | fS,              // evHandoff
    fA | fB | fC,              // evStackGrow
    fA | fB,                   // evGomaxprocs
    fDur | fA | fB | fC,       // evSyscall
    fDur | fA | fB | fS,       // evPState
    fDur | fA | fS,            // evSTW
    fDur | fA | fB | fC | fS,  // evGCPhase
};
constexpr uint32_t MaxRecord = 3 + 5 + 8 * 10;  // kind, pid|why, tid, 8 varints of 64 bits

constexpr uint32_t ChunkBytes = (1 << 20) - 64;  // about 1 MiB per chunk with its header
struct traceChunk {
  std::atomic<traceChunk*> next{nullptr};
  std::atomic<uint32_t> n{0};  // bytes published
  uint8_t data[ChunkBytes];
};

struct traceBuf {
  std::atomic<traceChunk*> head{nullptr};  // published for the flush
  traceChunk* cur = nullptr;               // the writer's
  traceBuf* alllink = nullptr;             // M buffers: the list traceMBufs
  int64_t lastTs = 0;                      // the writer's: ts of its previous record
};

// String pointers (wait reasons, why) are encoded relative to this one, in the same
// read-only data as most of them: 3 or 4 bytes instead of 8.
const char traceAnchor[] = "";

inline uint8_t* putu(uint8_t* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = uint8_t(v) | 0x80;
    v >>= 7;
  }
  *p++ = uint8_t(v);
  return p;
}
inline uint8_t* putz(uint8_t* p, int64_t v) { return putu(p, (uint64_t(v) << 1) ^ uint64_t(v >> 63)); }
inline const uint8_t* getu(const uint8_t* p, uint64_t& v) {
  v = 0;
  for (int sh = 0;; sh += 7) {
    uint8_t b = *p++;
    v |= uint64_t(b & 0x7f) << sh;
    if (b < 0x80) return p;
  }
}
inline const uint8_t* getz(const uint8_t* p, int64_t& v) {
  uint64_t u;
  p = getu(p, u);
  v = int64_t(u >> 1) ^ -int64_t(u & 1);
  return p;
}

// Open spans of one P. Atomics because the flush (and, for idle and in syscall, another M)
// reads them; -1: no span open.
struct tracePState {
  traceBuf buf;
  std::atomic<int64_t> runStart{-1};  // the current G's run (owner)
  int64_t runGoid = 0, runFlow = 0, runM = 0;
  std::atomic<int64_t> idleStart{-1};     // on sched.pidle since (under sched.lock)
  std::atomic<int64_t> syscallStart{-1};  // Psyscall since: whoever takes the P out closes it
  std::atomic<int64_t> syscallM{-1}, syscallGoid{-1};
};

tracePState traceP[MaxGomaxprocs + 1];

// Per-M (per-thread) state: the M's own buffer and its open spans.
struct traceMState {
  traceBuf* buf = nullptr;
  int64_t flowgen = 0;  // flow ids: unique per thread, see newflow
  int64_t syscallStart = -1, syscallGoid = 0, syscallP = -1;
  bool syscallBlock = false;
  int64_t spinStart = -1;
  int64_t stopTs = -1;  // the end of this M's last run, until traceSchedWait or the next run
  bool stealRunnext = false;  // runqgrab took a runnext: for this M's next traceSteal
};
__thread traceMState traceM __attribute__((tls_model("initial-exec")));

std::atomic<traceBuf*> traceMBufs{nullptr};  // every M buffer, pushed by CAS
std::atomic<int64_t> traceThreadGen{0};  // numbers the threads for newflow
std::atomic<uint64_t> traceBytes{0};   // chunk memory so far
std::atomic<uint64_t> traceDropped{0};  // events lost to the memory cap
constexpr uint64_t TraceMaxBytes = uint64_t(2) << 30;  // stop recording past 2 GiB of records
int64_t traceStart = 0;     // nanotime() at traceinit: ts 0
int64_t traceStartTick = 0;  // ticks() at traceinit
const char* tracePath = nullptr;
std::atomic<bool> traceFlushed{false};

// Records carry ticks since traceinit: the TSC on x86-64 when Linux itself uses it as its
// clocksource (then it is constant and synchronised across CPUs), converted to nanoseconds at
// the flush with the rate measured over the whole run. rdtsc is cheaper than clock_gettime's
// vDSO call, and a traced ping-pong reads the clock three times per switch. Else nanotime.
bool traceTSC = false;  // set by traceinit
inline int64_t ticks() {
#if defined(__x86_64__)
  if (traceTSC) return int64_t(__builtin_ia32_rdtsc());
#endif
  return nanotime();
}

bool clocksourceIsTSC() {
  int fd = ::open("/sys/devices/system/clocksource/clocksource0/current_clocksource", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char b[16] = {};
  ssize_t n = ::read(fd, b, sizeof b - 1);
  ::close(fd);
  return n >= 3 && std::strncmp(b, "tsc\n", 4) == 0;
}
inline int64_t tnow() { return ticks() - traceStartTick; }

// Nanoseconds per tick, measured from traceinit to now.
double tickrate() {
  int64_t dt = ticks() - traceStartTick, dn = nanotime() - traceStart;
  return dt > 0 ? double(dn) / double(dt) : 1.0;
}

// A flow (arrow) id unique in the trace without a shared counter: the thread's number in the
// high bits (ids stay below 2^53, exact in JSON readers' doubles).
inline int64_t newflow() {
  if (traceM.flowgen == 0) traceM.flowgen = (traceThreadGen.fetch_add(1, std::memory_order_relaxed) + 1) << 32;
  return ++traceM.flowgen;
}

[[gnu::noinline]] traceChunk* newchunk() {
  if (traceBytes.fetch_add(sizeof(traceChunk), std::memory_order_relaxed) + sizeof(traceChunk) > TraceMaxBytes) {
    return nullptr;
  }
  // MAP_POPULATE: the pages are faulted in here, in one go, rather than one fault per 4 KiB
  // in the middle of the hooks.
  void* v = mmap(nullptr, sizeof(traceChunk), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (v == MAP_FAILED) return nullptr;
  return new (v) traceChunk();
}

traceBuf* mbuf() {
  if (traceM.buf == nullptr) {
    void* v = mmap(nullptr, sizeof(traceBuf), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (v == MAP_FAILED) return nullptr;
    auto* b = new (v) traceBuf();
    b->alllink = traceMBufs.load(std::memory_order_relaxed);
    while (!traceMBufs.compare_exchange_weak(b->alllink, b, std::memory_order_release, std::memory_order_relaxed)) {
    }
    traceM.buf = b;
  }
  return traceM.buf;
}

// The buffer this thread may append to: its P's if it owns one, else its own.
inline traceBuf* curbuf() {
  g* gp = getg();
  if (m* mp = gp != nullptr ? gp->m : nullptr) {
    p* pp = mp->p;
    if (pp != nullptr && __atomic_load_n(&pp->m, __ATOMIC_RELAXED) == mp) return &traceP[pp->id].buf;
  }
  return mbuf();
}

void emit(const traceEv& e) {
  traceBuf* b = curbuf();
  if (b == nullptr) return;
  traceChunk* c = b->cur;
  uint32_t n = c != nullptr ? c->n.load(std::memory_order_relaxed) : ChunkBytes;
  if (n > ChunkBytes - MaxRecord) {
    traceChunk* nc = newchunk();
    if (nc == nullptr) {
      traceDropped.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (c != nullptr) {
      c->next.store(nc, std::memory_order_release);
    } else {
      b->head.store(nc, std::memory_order_release);
    }
    b->cur = c = nc;
    n = 0;
  }
  uint8_t* q = c->data + n;
  *q++ = e.kind;
  *q++ = uint8_t(e.pid | e.why << 2);
  q = putu(q, uint32_t(e.tid));
  q = putz(q, e.ts - b->lastTs);
  b->lastTs = e.ts;
  uint8_t f = traceFields[e.kind];
  if (f & fDur) q = putz(q, e.dur);
  if (f & fA) q = putz(q, e.a);
  if (f & fB) q = putz(q, e.b);
  if (f & fC) q = putz(q, e.c);
  if (f & fD) q = putz(q, e.d);
  if (f & fS) {  // 0: null; else 1 + the zigzag of the offset from traceAnchor
    int64_t off = intptr_t(e.s) - intptr_t(traceAnchor);
    q = putu(q, e.s != nullptr ? ((uint64_t(off) << 1) ^ uint64_t(off >> 63)) + 1 : 0);
  }
  c->n.store(uint32_t(q - c->data), std::memory_order_release);
}

// Decodes the record at p (written by emit into a buffer whose previous record had time
// lastTs) into e; returns the next record.
const uint8_t* decode(const uint8_t* p, int64_t& lastTs, traceEv& e) {
  e = traceEv{};
  e.kind = *p++;
  e.pid = *p & 3;
  e.why = *p++ >> 2;
  uint64_t u;
  p = getu(p, u);
  e.tid = int32_t(uint32_t(u));
  int64_t d;
  p = getz(p, d);
  e.ts = lastTs += d;
  uint8_t f = e.kind < sizeof traceFields ? traceFields[e.kind] : 0;
  if (f & fDur) p = getz(p, e.dur);
  if (f & fA) p = getz(p, e.a);
  if (f & fB) p = getz(p, e.b);
  if (f & fC) p = getz(p, e.c);
  if (f & fD) p = getz(p, e.d);
  if (f & fS) {
    p = getu(p, u);
    if (u != 0) {
      u--;
      e.s = reinterpret_cast<const char*>(intptr_t(traceAnchor) + (int64_t(u >> 1) ^ -int64_t(u & 1)));
    }
  }
  return p;
}

inline traceEv ev(traceKind k, uint8_t pid, int32_t tid, int64_t ts) {
  traceEv e{};
  e.kind = k;
  e.pid = pid;
  e.tid = tid;
  e.ts = ts;
  return e;
}

// The lane of events that happen "here": this M's P, or the M itself without one.
inline void herelane(traceEv& e) {
  m* mp = getg()->m;
  if (p* pp = mp->p; pp != nullptr) {
    e.pid = 1;
    e.tid = pp->id;
  } else {
    e.pid = 2;
    e.tid = int32_t(mp->id);
  }
}

// The goid of the goroutine calling a hook, 0 on g0 (the runtime).
inline int64_t selfgoid() {
  g* gp = getg();
  return gp != nullptr && gp->m != nullptr && gp != gp->m->g0 ? gp->goid : 0;
}

}  // namespace

// ---- hooks ----

void traceinit() {
  const char* path = gogetenv("GOLTRACE");
  if (path == nullptr || *path == 0) return;
  tracePath = path;
#if defined(__x86_64__)
  traceTSC = clocksourceIsTSC();
#endif
  traceStart = nanotime();
  traceStartTick = ticks();
  traceEnabled.store(true, std::memory_order_relaxed);
}

// tnow for events that may put a G in this M's runnext (ready, newproc1: from a timer
// function run by schedule itself, say): the next run that reuses stopTs must not start
// before them.
inline int64_t tnowRunnext() {
  int64_t now = tnow();
  if (traceM.stopTs >= 0) traceM.stopTs = now;
  return now;
}

void traceGoCreate(g* newg) {
  traceEv e = ev(evCreate, 1, 0, tnowRunnext());
  herelane(e);
  e.a = newg->goid;
  e.b = selfgoid();
  e.c = int64_t(newg->startpc);
  emit(e);
}

void traceSchedWait() { traceM.stopTs = -1; }

void traceGoStart(g* gp, bool inheritTime) {
  m* mp = getg()->m;
  tracePState& ps = traceP[mp->p->id];
  int64_t now = inheritTime && traceM.stopTs >= 0 ? traceM.stopTs : tnow();
  traceM.stopTs = -1;
  // A P that went Psyscall and was taken by stopTheWorld (no hook there): close it here.
  if (int64_t s = ps.syscallStart.load(std::memory_order_relaxed) >= 0 ? ps.syscallStart.exchange(-1) : -1; s >= 0) {
    traceEv e = ev(evPState, 1, mp->p->id, s);
    e.dur = now - s;
    e.s = "in syscall";
    e.a = ps.syscallM.load(std::memory_order_relaxed);
    e.b = ps.syscallGoid.load(std::memory_order_relaxed);
    emit(e);
  }
  ps.runGoid = gp->goid;
  ps.runFlow = gp->traceflow;
  ps.runM = mp->id;
  gp->traceflow = 0;
  ps.runStart.store(now, std::memory_order_release);
}

void traceGoStop(g* gp, traceStop why) {
  m* mp = getg()->m;
  if (mp->p == nullptr) return;
  tracePState& ps = traceP[mp->p->id];
  int64_t s = ps.runStart.load(std::memory_order_relaxed);  // only the P's owner writes it
  if (s < 0) return;
  ps.runStart.store(-1, std::memory_order_relaxed);
  traceEv e = ev(evGoRun, 1, mp->p->id, s);
  int64_t now = tnow();
  // A system call's G comes back through exitsyscall, not this M's next schedule pass.
  traceM.stopTs = why != traceStopSyscall ? now : -1;
  e.dur = now - s;
  e.a = ps.runGoid;
  e.b = ps.runFlow;
  e.c = ps.runM;
  e.why = why;
  e.s = gp->waitreason;
  emit(e);
}

void traceGoUnblock(g* gp) {
  traceEv e = ev(evUnblock, 0, 0, tnowRunnext());
  herelane(e);
  e.a = gp->goid;
  e.b = selfgoid();
  e.c = newflow();
  e.s = gp->waitreason;
  gp->traceflow = e.c;  // published with the G (runqput's release)
  emit(e);
}

void tracePIdle(p* pp, bool idle) {
  tracePState& ps = traceP[pp->id];
  if (idle) {
    ps.idleStart.store(tnow(), std::memory_order_relaxed);
    return;
  }
  int64_t s = ps.idleStart.load(std::memory_order_relaxed);  // under sched.lock
  if (s < 0) return;
  ps.idleStart.store(-1, std::memory_order_relaxed);
  traceEv e = ev(evPState, 1, pp->id, s);
  e.dur = tnow() - s;
  e.s = "idle";
  e.a = e.b = -1;
  emit(e);
}

void traceSpinning(bool on) {
  if (on) {
    if (traceM.spinStart < 0) traceM.spinStart = tnow();
    return;
  }
  int64_t s = traceM.spinStart;
  if (s < 0) return;
  traceM.spinStart = -1;
  traceEv e = ev(evPState, 1, 0, s);
  herelane(e);
  e.dur = tnow() - s;
  e.s = "spinning";
  e.a = getg()->m->id;
  e.b = -1;
  emit(e);
}

void traceStealRunnext() { traceM.stealRunnext = true; }

void traceSteal(p* thief, p* victim, uint32_t n) {
  traceEv e = ev(evSteal, 1, thief->id, tnow());
  e.why = traceM.stealRunnext;
  traceM.stealRunnext = false;
  e.a = victim->id;
  e.b = thief->id;
  e.c = n;
  e.d = newflow();
  emit(e);
}

void traceHandoff(p* pp, m* to, const char* why) {
  traceM.stopTs = -1;  // startlockedm: this M gives its P away and sleeps
  int64_t now = tnow();
  tracePState& ps = traceP[pp->id];
  int64_t from = getg()->m->id;
  if (int64_t s = ps.syscallStart.exchange(-1); s >= 0) {  // retake: the P leaves Psyscall
    from = ps.syscallM.load(std::memory_order_relaxed);
    traceEv e = ev(evPState, 1, pp->id, s);
    e.dur = now - s;
    e.s = "in syscall";
    e.a = from;
    e.b = ps.syscallGoid.load(std::memory_order_relaxed);
    emit(e);
  }
  traceEv e = ev(evHandoff, 1, pp->id, now);
  e.a = from;
  e.b = to != nullptr ? to->id : -2;
  e.s = why;
  emit(e);
}

void tracePreemptRequest(p* pp, g* gp) {
  traceEv e = ev(evPreemptReq, 1, pp->id, tnow());
  e.a = gp->goid;
  e.s = sched.gcwaiting.load(std::memory_order_relaxed) != 0 ? "stw" : "sysmon";
  emit(e);
}

void traceGomaxprocs(int32_t old, int32_t nprocs) {
  if (old == 0 || old == nprocs) return;  // schedinit's, or a start of the world without a change
  traceEv e = ev(evGomaxprocs, 0, 0, tnow());
  e.a = old;
  e.b = nprocs;
  emit(e);
}

void traceSyscallEnter(g* gp, p* pp, bool block) {
  traceGoStop(gp, traceStopSyscall);
  int64_t now = tnow();
  m* mp = getg()->m;
  traceM.syscallStart = now;
  traceM.syscallGoid = gp->goid;
  traceM.syscallP = pp->id;
  traceM.syscallBlock = block;
  if (!block) {
    tracePState& ps = traceP[pp->id];
    ps.syscallM.store(mp->id, std::memory_order_relaxed);
    ps.syscallGoid.store(gp->goid, std::memory_order_relaxed);
    ps.syscallStart.store(now, std::memory_order_release);  // before the P goes Psyscall
  }
}

void traceSyscallExit(g* gp) {
  int64_t s = traceM.syscallStart;
  if (s < 0) return;
  traceM.syscallStart = -1;
  m* mp = getg()->m;
  traceEv e = ev(evSyscall, 2, int32_t(mp->id), s);
  e.dur = tnow() - s;
  e.a = gp->goid;
  e.b = traceM.syscallP;
  p* pp = mp->p;
  e.c = traceM.syscallBlock || pp == nullptr || pp->syscalltick.load(std::memory_order_relaxed) != mp->syscalltick;
  emit(e);
}

namespace {
int64_t stwStart = -1;  // guarded by worldsema
const char* stwReason = nullptr;
}  // namespace

void traceSTWStart(const char* reason) {
  stwStart = tnow();
  stwReason = reason;
}

void traceSTWEnd() {
  if (stwStart < 0) return;
  traceEv e = ev(evSTW, 0, 0, stwStart);
  e.dur = tnow() - stwStart;
  e.s = stwReason;
  e.a = selfgoid();
  stwStart = -1;
  emit(e);
}

namespace {
// The open sweep span of the last cycle: set by traceGC (world stopped), closed once by the
// first traceSweepDone or by the flush.
std::atomic<int64_t> sweepStart{-1};
uint32_t sweepCycle = 0;  // written with sweepStart, world stopped
}  // namespace

void traceGC(uint32_t n, int64_t sweepTerm, int64_t mark, int64_t markTerm, uint64_t heapBefore, uint64_t marked) {
  double rate = tickrate();  // the phase starts are nanotime()s: to ticks
  auto tk = [&](int64_t ns) { return int64_t(double(ns - traceStart) / rate); };
  traceEv e = ev(evGCPhase, 0, 1, tk(sweepTerm));
  e.dur = tk(mark) - e.ts;
  e.s = "GC sweep termination";
  e.a = n;
  e.b = -1;
  e.c = 2;
  emit(e);
  e.ts = tk(mark);
  e.dur = tk(markTerm) - e.ts;
  e.s = "GC mark";
  e.b = int64_t(heapBefore);
  e.c = 0;
  emit(e);
  int64_t now = tnow();
  e.ts = tk(markTerm);
  e.dur = now - e.ts;
  e.s = "GC mark termination";
  e.b = int64_t(marked);
  e.c = 1;
  emit(e);
  // gcMarkTermination has set up this cycle's sweep (done already when no span is in use).
  if (!sweepDone()) {
    sweepCycle = n;
    sweepStart.store(now, std::memory_order_release);
  }
}

void traceSweepDone() {
  int64_t s = sweepStart.exchange(-1, std::memory_order_acquire);
  if (s < 0) return;
  traceEv e = ev(evGCPhase, 0, 1, s);
  e.dur = tnow() - s;
  e.s = "GC sweep";
  e.a = sweepCycle;
  e.b = -1;
  e.c = 2;
  emit(e);
}

void traceStackGrow(g* gp, uintptr_t oldsize, uintptr_t newsize) {
  traceEv e = ev(evStackGrow, 1, 0, tnow());
  herelane(e);
  e.a = gp->goid;
  e.b = int64_t(oldsize);
  e.c = int64_t(newsize);
  emit(e);
}

// ---- writing the file ----

namespace {

// A buffered writer on a file descriptor.
struct jsonOut {
  int fd = -1;
  double rate = 1.0;  // ns per tick
  char buf[1 << 16];
  size_t n = 0;
  uint64_t total = 0;
  void flush() {
    const char* b = buf;
    while (n > 0) {
      ssize_t w = ::write(fd, b, n);
      if (w <= 0) break;
      b += w;
      n -= size_t(w);
    }
    n = 0;
  }
  void put(const char* s, size_t len) {
    total += len;
    if (n + len > sizeof buf) flush();
    if (len > sizeof buf) {
      std::memcpy(buf, s, sizeof buf);  // never: names are short
      len = sizeof buf;
    }
    std::memcpy(buf + n, s, len);
    n += len;
  }
  void s(const char* str) { put(str, std::strlen(str)); }
  void str(const char* v) {  // a JSON string: quotes, with " and \ escaped
    put("\"", 1);
    const char* q = v != nullptr ? v : "";
    while (*q) {
      size_t k = std::strcspn(q, "\"\\");  // runs without a character to escape
      put(q, k);
      q += k;
      if (*q) {
        put("\\", 1);
        put(q++, 1);
      }
    }
    put("\"", 1);
  }
  void field(const char* key, int64_t v) {  // ,"key":v
    put(",\"", 2);
    s(key);
    put("\":", 2);
    i(v);
  }
  void i(int64_t v) {
    char t[24];
    int k = 0;
    uint64_t u = v < 0 ? uint64_t(-(v + 1)) + 1 : uint64_t(v);
    do {
      t[k++] = char('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (v < 0) t[k++] = '-';
    char r[24];
    for (int j = 0; j < k; j++) r[j] = t[k - 1 - j];
    put(r, size_t(k));
  }
  int64_t ns(int64_t t) const {  // ticks to ns
    int64_t v = int64_t(double(t) * rate + 0.5);
    return v < 0 ? 0 : v;
  }
  void us(int64_t t) { usns(ns(t)); }  // ticks, as microseconds with exactly three decimals (FORMAT.md §2)
  // A span's duration: the difference of its rounded end and start, so that a span that ends
  // at the tick the next one starts (a run after a run, after "in syscall") does not overlap
  // it by a rounding nanosecond.
  void dur(int64_t ts, int64_t d) { usns(ns(ts + d) - ns(ts)); }
  void usns(int64_t ns) {
    if (ns < 0) ns = 0;
    i(ns / 1000);
    char d[4] = {'.', char('0' + ns / 100 % 10), char('0' + ns / 10 % 10), char('0' + ns % 10)};
    put(d, 4);
  }
};

void* mmapz(size_t n) {
  void* v = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return v == MAP_FAILED ? nullptr : v;
}

// A map from non-zero int64 keys to int64 values: open addressing in mmap'd memory (no
// libstdc++ in programs). get returns 0 for a missing key.
struct i64map {
  struct slot {
    int64_t k, v;
  };
  slot* t = nullptr;
  uint64_t cap = 0, n = 0;
  static uint64_t hash(int64_t k) { return uint64_t(k) * 0x9e3779b97f4a7c15ull; }
  void put(int64_t k, int64_t v) {
    if (2 * (n + 1) > cap) grow();
    if (t == nullptr) return;
    for (uint64_t i = hash(k) & (cap - 1);; i = (i + 1) & (cap - 1)) {
      if (t[i].k == k) {
        t[i].v = v;
        return;
      }
      if (t[i].k == 0) {
        t[i] = {k, v};
        n++;
        return;
      }
    }
  }
  int64_t get(int64_t k) const {
    if (t == nullptr) return 0;
    for (uint64_t i = hash(k) & (cap - 1);; i = (i + 1) & (cap - 1)) {
      if (t[i].k == k) return t[i].v;
      if (t[i].k == 0) return 0;
    }
  }
  void grow() {
    slot* old = t;
    uint64_t oldcap = cap;
    cap = cap == 0 ? 1024 : cap * 2;
    t = static_cast<slot*>(mmapz(cap * sizeof(slot)));
    n = 0;
    if (t == nullptr) return;
    for (uint64_t i = 0; i < oldcap; i++) {
      if (old[i].k != 0) put(old[i].k, old[i].v);
    }
    if (old != nullptr) munmap(old, oldcap * sizeof(slot));
  }
};

struct flusher {
  jsonOut out;
  bool first = true;
  i64map startpc;  // goid -> start function (create events)
  i64map names;    // pc -> const char* name
  char arena[1 << 16];  // names made here (runtime functions)
  size_t arenaUsed = 0;

  // The name of gp's start function: a Gol function's symbol is its Go name (main.worker); a
  // runtime (C++) function's is mangled, and becomes runtime.<its last name component>.
  const char* fnname(int64_t goid) {
    if (goid == 1) return "main.main";  // runtime_main, which runs main.main
    uintptr_t pc = uintptr_t(startpc.get(goid));
    if (pc == 0) return nullptr;
    if (int64_t v = names.get(int64_t(pc))) return reinterpret_cast<const char*>(v);
    const char* n = retfuncname(pc + 1);
    if (n == nullptr) n = "?";
    if (std::strncmp(n, "_Z", 2) == 0) {
      const char* last = "?";
      int lastlen = 1;
      for (const char* q = n + 2; *q && *q != 'E';) {  // the nested name: <len><id>... E
        if (*q < '0' || *q > '9') {
          q++;
          continue;
        }
        int len = 0;
        while (*q >= '0' && *q <= '9') len = len * 10 + (*q++ - '0');
        if (int(std::strlen(q)) < len) break;
        last = q;
        lastlen = len;
        q += len;
      }
      int k = std::snprintf(arena + arenaUsed, sizeof arena - arenaUsed, "runtime.%.*s", lastlen, last);
      if (k > 0 && arenaUsed + size_t(k) + 1 < sizeof arena) {
        n = arena + arenaUsed;
        arenaUsed += size_t(k) + 1;
      }
    }
    names.put(int64_t(pc), reinterpret_cast<int64_t>(n));
    return n;
  }

  void begin(const char* ph, const char* cat, const char* name, int pid, int64_t tid, int64_t ts) {
    out.s(first ? "\n{\"ph\":\"" : ",\n{\"ph\":\"");
    first = false;
    out.s(ph);
    if (ph[0] == 'i') out.s("\",\"s\":\"t");
    if (cat != nullptr) {
      out.s("\",\"cat\":\"");
      out.s(cat);
    }
    out.s("\",\"name\":");
    out.str(name);
    out.field("pid", pid);
    if (tid >= 0) {
      out.field("tid", tid);
    }
    if (ts >= 0) {
      out.s(",\"ts\":");
      out.us(ts);
    }
  }
  void meta(const char* what, int pid, int64_t tid, const char* key, const char* sval, int64_t ival) {
    begin("M", nullptr, what, pid, tid, -1);
    out.s(",\"args\":{\"");
    out.s(key);
    out.s("\":");
    if (sval != nullptr) {
      out.str(sval);
    } else {
      out.i(ival);
    }
    out.s("}}");
  }
  void flow(const char* name, int64_t id, int pid, int64_t tid, int64_t ts, bool end) {
    begin(end ? "f" : "s", "flow", name, pid, tid, ts);
    out.field("id", id);
    out.s(end ? ",\"bp\":\"e\"}" : "}");
  }

  void gorun(int64_t p, int64_t ts, int64_t dur, int64_t goid, int64_t flowid, int64_t mid, const char* reason,
             const char* waitreason) {
    const char* fn = fnname(goid);
    char name[256];
    std::snprintf(name, sizeof name, fn != nullptr ? "G%lld %s" : "G%lld", (long long)goid, fn);
    if (flowid != 0) flow("unblock", flowid, 1, p, ts, true);
    begin("X", "g", name, 1, p, ts);
    out.s(",\"dur\":");
    out.dur(ts, dur);
    out.s(",\"args\":{\"goid\":");
    out.i(goid);
    if (fn != nullptr) {
      out.s(",\"fn\":");
      out.str(fn);
    }
    out.field("m", mid);
    out.s(",\"reason\":");
    if (waitreason != nullptr) {
      char r[256];
      std::snprintf(r, sizeof r, "%s%s", reason, waitreason);
      out.str(r);
    } else {
      out.str(reason);
    }
    out.s("}}");
  }

  void event(const traceEv& e) {
    switch (e.kind) {
      case evGoRun: {
        static const char* const why[] = {"blocked: ", "preempted", "gosched", "syscall", "exit"};
        gorun(e.tid, e.ts, e.dur, e.a, e.b, e.c, why[e.why], e.why == traceStopBlocked ? (e.s ? e.s : "?") : nullptr);
        break;
      }
      case evCreate: {
        begin("i", "g", "create", e.pid, e.tid, e.ts);
        out.s(",\"args\":{\"goid\":");
        out.i(e.a);
        out.field("parent", e.b);
        if (const char* fn = fnname(e.a)) {
          out.s(",\"fn\":");
          out.str(fn);
        }
        out.s("}}");
        break;
      }
      case evUnblock:
        begin("i", "g", "unblock", e.pid, e.tid, e.ts);
        out.s(",\"args\":{\"goid\":");
        out.i(e.a);
        out.field("by", e.b);
        if (e.s != nullptr) {
          out.s(",\"reason\":");
          out.str(e.s);
        }
        out.s("}}");
        if (unblocked.get(e.c) != 0) flow("unblock", e.c, e.pid, e.tid, e.ts, false);
        break;
      case evSteal:
        begin("i", "sched", "steal", 1, e.tid, e.ts);
        out.s(",\"args\":{\"from\":");
        out.i(e.a);
        out.field("to", e.b);
        out.field("count", e.c);
        out.s(e.why ? ",\"runnext\":true}}" : ",\"runnext\":false}}");
        flow("steal", e.d, 1, e.a, e.ts, false);
        flow("steal", e.d, 1, e.b, e.ts, true);
        break;
      case evPreemptReq:
        begin("i", "sched", "preempt request", 1, e.tid, e.ts);
        out.s(",\"args\":{\"goid\":");
        out.i(e.a);
        out.s(",\"by\":");
        out.str(e.s);
        out.s("}}");
        break;
      case evHandoff:
        begin("i", "sched", "handoff", 1, e.tid, e.ts);
        out.s(",\"args\":{\"from_m\":");
        out.i(e.a);
        if (e.b != -2) {
          out.field("to_m", e.b);
        }
        out.s(",\"why\":");
        out.str(e.s);
        out.s("}}");
        break;
      case evStackGrow:
        begin("i", "stack", "stack growth", e.pid, e.tid, e.ts);
        out.s(",\"args\":{\"goid\":");
        out.i(e.a);
        out.field("old_size", e.b);
        out.field("new_size", e.c);
        out.s("}}");
        break;
      case evGomaxprocs:
        begin("i", "sched", "gomaxprocs", 0, 0, e.ts);
        out.s(",\"args\":{\"old\":");
        out.i(e.a);
        out.field("new", e.b);
        out.s("}}");
        break;
      case evSyscall:
        begin("X", "syscall", "syscall", 2, e.tid, e.ts);
        out.s(",\"dur\":");
        out.dur(e.ts, e.dur);
        out.s(",\"args\":{\"goid\":");
        out.i(e.a);
        out.field("p", e.b);
        out.s(e.c ? ",\"handoff\":true}}" : ",\"handoff\":false}}");
        break;
      case evPState:
        begin("X", "pstate", e.s, e.pid, e.tid, e.ts);
        out.s(",\"dur\":");
        out.dur(e.ts, e.dur);
        if (e.a >= 0) {
          out.s(",\"args\":{\"m\":");
          out.i(e.a);
          if (e.b >= 0) {
            out.field("goid", e.b);
          }
          out.s("}");
        }
        out.s("}");
        break;
      case evSTW: {
        char name[256];
        std::snprintf(name, sizeof name, "STW: %s", e.s ? e.s : "?");
        begin("X", "stw", name, 0, 0, e.ts);
        out.s(",\"dur\":");
        out.dur(e.ts, e.dur);
        out.s(",\"args\":{\"reason\":");
        out.str(e.s);
        out.field("by", e.a);
        out.s("}}");
        break;
      }
      case evGCPhase:
        begin("X", "gc", e.s, 0, 1, e.ts);
        out.s(",\"dur\":");
        out.dur(e.ts, e.dur);
        out.s(",\"args\":{\"gc\":");
        out.i(e.a);
        if (e.c != 2) {  // 2: no heap figure
          out.s(e.c == 0 ? ",\"heap_before\":" : ",\"heap_after\":");
          out.i(e.b);
        }
        out.s("}}");
        break;
      default: break;
    }
  }

  // Flow ids whose `f` will be written (the unblocked G ran again): an `s` without its `f`
  // would break FORMAT.md §9 rule 4, so unblocks of Gs that never ran again get no arrow.
  i64map unblocked;

  uint64_t recordBytes = 0;  // the encoded records, summed by forEachEvent

  template <typename F>
  void forEachEvent(F f) {
    recordBytes = 0;
    auto walk = [&](traceBuf* b) {
      int64_t lastTs = 0;
      traceEv e;
      for (traceChunk* c = b->head.load(std::memory_order_acquire); c != nullptr;
           c = c->next.load(std::memory_order_acquire)) {
        uint32_t n = c->n.load(std::memory_order_acquire);
        recordBytes += n;
        for (const uint8_t* p = c->data; p < c->data + n;) {
          p = decode(p, lastTs, e);
          f(e);
        }
      }
    };
    for (auto& ps : traceP) walk(&ps.buf);
    for (traceBuf* b = traceMBufs.load(std::memory_order_acquire); b != nullptr; b = b->alllink) walk(b);
  }

  void run() {
    int64_t end = tnow();
    out.rate = tickrate();
    int64_t writeStart = nanotime();
    out.fd = ::open(tracePath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out.fd < 0) {
      print("runtime: GOLTRACE: cannot create ", tracePath, "\n");
      return;
    }
    // Pass 1: start functions and the unblocks whose G ran again.
    uint64_t nev = 0;
    forEachEvent([&](const traceEv& e) {
      nev++;
      if (e.kind == evCreate) startpc.put(e.a, e.c);
      if (e.kind == evGoRun && e.b != 0) unblocked.put(e.b, 1);
    });
    for (auto& ps : traceP) {
      if (ps.runStart.load(std::memory_order_acquire) >= 0 && ps.runFlow != 0) unblocked.put(ps.runFlow, 1);
    }
    out.s("{\"traceEvents\":[");
    // Metadata: every lane that may be used.
    const char* const procs[] = {"Runtime", "Ps", "Ms"};
    for (int pid = 0; pid < 3; pid++) {
      meta("process_name", pid, -1, "name", procs[pid], 0);
      meta("process_sort_index", pid, -1, "sort_index", nullptr, pid);
    }
    meta("thread_name", 0, 0, "name", "STW", 0);
    meta("thread_name", 0, 1, "name", "GC", 0);
    for (int32_t i = 0; i < MaxGomaxprocs; i++) {
      if (allp[i].load(std::memory_order_acquire) == nullptr) continue;
      char n[32];
      std::snprintf(n, sizeof n, "P%d", i);
      meta("thread_name", 1, i, "name", n, 0);
      meta("thread_sort_index", 1, i, "sort_index", nullptr, i);
    }
    for (m* mp = allm.load(std::memory_order_acquire); mp != nullptr; mp = mp->alllink) {
      char n[32];
      std::snprintf(n, sizeof n, "M%lld", (long long)mp->id);
      meta("thread_name", 2, mp->id, "name", n, 0);
      meta("thread_sort_index", 2, mp->id, "sort_index", nullptr, mp->id);
    }
    forEachEvent([&](const traceEv& e) { event(e); });
    // What is still open.
    for (int32_t i = 0; i < MaxGomaxprocs; i++) {
      tracePState& ps = traceP[i];
      if (int64_t s = ps.runStart.load(std::memory_order_acquire); s >= 0) {
        gorun(i, s, end - s, ps.runGoid, ps.runFlow, ps.runM, "trace end", nullptr);
      }
      if (int64_t s = ps.idleStart.load(std::memory_order_relaxed); s >= 0) {
        traceEv e = ev(evPState, 1, i, s);
        e.dur = end - s;
        e.s = "idle";
        e.a = e.b = -1;
        event(e);
      }
    }
    if (int64_t s = sweepStart.load(std::memory_order_acquire); s >= 0) {  // the sweep still runs
      traceEv e = ev(evGCPhase, 0, 1, s);
      e.dur = end - s;
      e.s = "GC sweep";
      e.a = sweepCycle;
      e.c = 2;
      event(e);
    }
    out.s("\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"gol_trace_version\":1,\"program\":");
    char exe[256];
    ssize_t k = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[k > 0 ? k : 0] = 0;
    const char* base = std::strrchr(exe, '/');
    out.str(base != nullptr ? base + 1 : exe);
    out.field("gomaxprocs", gomaxprocs.load());
    out.s(",\"clock\":\"CLOCK_MONOTONIC, ts 0 = runtime start\",\"events\":");
    out.i(int64_t(nev));
    out.field("dropped_events", int64_t(traceDropped.load()));
    out.field("record_bytes", int64_t(recordBytes));
    out.field("traced_ns", int64_t(double(end) * out.rate));
    out.field("write_ns", nanotime() - writeStart);
    out.s("}}\n");
    out.flush();
    ::close(out.fd);
  }
};

void* flushMain(void*) {
  void* v = mmapz(sizeof(flusher));
  if (v == nullptr) return nullptr;
  auto* f = new (v) flusher();
  f->run();
  return nullptr;
}

}  // namespace

void traceFlush() {
  if (tracePath == nullptr || traceFlushed.exchange(true)) return;
  traceEnabled.store(false, std::memory_order_relaxed);
  // A full-sized stack: exit() may run on a goroutine's.
  pthread_t t;
  if (pthread_create(&t, nullptr, flushMain, nullptr) == 0) {
    pthread_join(t, nullptr);
  } else {
    flushMain(nullptr);
  }
}

}  // namespace gol::rt
