// mgc.cpp: the garbage collector (Go's mgc.go): a mark-sweep collector that stops the world
// for the mark, marks in parallel, and sweeps lazily once the world runs again.
//
// The tri-colour invariant (Dijkstra, Lamport, Martin, Scholten and Steffens, "On-the-fly
// garbage collection: an exercise in cooperation", CACM 1978):
//
//   white  not marked (yet): garbage unless something marked points to it
//   grey   marked, on a work list, not scanned yet
//   black  marked and scanned (or in a noscan span: nothing to scan)
//
//   A black object never points to a white one.
//
// Marking starts with every root grey and ends when no object is grey; by the invariant every
// object reachable from a root is then black, and white objects are garbage. The mutators are
// stopped for the whole mark, so none can store a pointer to a white object into a black one:
// no write barrier is needed. (A concurrent mark, later, needs Go's hybrid barrier.)
//
// Phases of a cycle (gcStart, on the goroutine whose allocation crossed the trigger, or that
// called runtime.GC):
//
//   0. with the world still running, this goroutine finishes the previous cycle's sweep
//      (so sweeping never lengthens the pause) and waits for the background sweeper
//   1. stop the world (preempt.cpp's stopTheWorld: every P stops at a safe point)
//   2. sweep termination: finishsweep (whatever another goroutine's allocation left, usually
//      nothing) and flush every mcache, so every span is swept and none is being allocated from
//   3. mark (mgcmark.cpp): roots, then grey objects until none is left, on gcprocs() workers:
//      this goroutine and up to GOMAXPROCS-1 helper threads (Go 1.5's helpgc/gchelper)
//   4. mark termination: the heap goal for the next cycle, sweepgen += 2 (every span now
//      needs sweeping), the snapshot of spans to sweep, statistics
//   5. start the world; the sweep runs lazily and in the background (mgcsweep.cpp), then the
//      scavenger returns pages above the next goal to the OS
//
// Pacing (GOGC, Go's gcController): heapLive is the bytes marked by the last cycle plus the
// bytes handed out since (a refilled span's free slots, large objects: gcHeapLiveAdd). A cycle
// starts when heapLive reaches the goal, marked × (1 + GOGC/100), at least 4 MiB. GOGC=off
// turns the trigger off (runtime.GC still collects). mallocgc tests one flag per allocation.
//
// GODEBUG keys: gctrace=1 prints Go's line per cycle (printGCTrace has the fields);
// gcstress=N (Gol only, after clox's DEBUG_STRESS_GC) collects at every N-th allocation;
// gcprocs=N (Gol only) caps the marking threads.
//
// Helper threads are not Ms: they run no Go code, take runtime locks only as non-M threads
// may (lock_futex.cpp), and sleep on a note between jobs. Go 1.5 borrows idle Ms instead (mget
// in helpgc, gchelper in stopm); separate threads keep the scheduler's stopm untouched and
// also serve as the background sweeper.
#include "mgc.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <cstring>

#include "abi.h"
#include "runtime.h"
#include "trace.h"

namespace gol::rt {

gcDebug gcdebug;
std::atomic<uint32_t> gcphase{GCoff};
std::atomic<uint32_t> gcwant{0};

namespace {

constexpr uint64_t HeapMinimum = 4 << 20;          // Go's heapMinimum: the smallest goal
constexpr int64_t forcegcperiod = 120'000'000'000;  // Go's: 2 minutes
constexpr uint32_t MaxGcproc = 32;                  // Go 1.5's _MaxGcproc
constexpr uint64_t SmallHeap = 4 << 20;             // below this, one marker and no background sweep

struct {
  std::atomic<bool> inited{false};
  mutex initlock;
  std::atomic<int32_t> gcpercent{100};
  std::atomic<uint64_t> heapLive{0};  // bytes marked last cycle + handed out since
  std::atomic<uint64_t> trigger{HeapMinimum};
  uint64_t heapMarked = 0;  // bytes marked by the last cycle
  std::atomic<uint32_t> numgc{0};
  uint32_t numforced = 0;
  std::atomic<uint64_t> pauseTotal{0};
  std::atomic<uint64_t> lastPause{0};
  std::atomic<int64_t> lastgc{0};  // nanotime at the end of the last cycle
  uint64_t lastgcWall = 0;         // wall clock of the same, for MemStats.LastGC
  uint64_t pauseNs[256]{};         // Go's circular MemStats.PauseNs / PauseEnd
  uint64_t pauseEnd[256]{};
  int64_t initTime = 0;
  double cpuTotal = 0;  // ns of CPU the collector used, for the gctrace utilisation
  std::atomic<uint64_t> nalloc{0};  // gcstress: allocations counted
  std::atomic<bool> forcePending{false};  // gcForceHook asked for a cycle
} gcController;

// ---- GOGC and GODEBUG ----

int32_t readgogc() {
  const char* s = gogetenv("GOGC");
  if (s == nullptr || *s == 0) return 100;
  if (std::strcmp(s, "off") == 0) return -1;
  return int32_t(atoi(s));
}

// GODEBUG is key=value pairs separated by commas.
void gcparsedebug() {
  const char* s = gogetenv("GODEBUG");
  for (; s != nullptr && *s != 0;) {
    const char* end = std::strchr(s, ',');
    size_t len = end != nullptr ? size_t(end - s) : std::strlen(s);
    auto key = [&](const char* k, int32_t* v) {
      size_t kl = std::strlen(k);
      if (len > kl && std::strncmp(s, k, kl) == 0 && s[kl] == '=') {
        char buf[24];
        size_t n = std::min(len - kl - 1, sizeof buf - 1);
        std::memcpy(buf, s + kl + 1, n);
        buf[n] = 0;
        *v = int32_t(atoi(buf));
      }
    };
    key("gctrace", &gcdebug.gctrace);
    key("gcstress", &gcdebug.gcstress);
    key("gcprocs", &gcdebug.gcprocs);
    s = end != nullptr ? end + 1 : nullptr;
  }
}

void setTrigger() {
  int32_t pct = gcController.gcpercent.load();
  uint64_t goal = pct < 0 ? ~uint64_t(0) : gcController.heapMarked + gcController.heapMarked * uint64_t(pct) / 100;
  gcController.trigger.store(std::max(goal, HeapMinimum));
  bool want = gcdebug.gcstress > 0 || gcController.forcePending.load() ||
              (pct >= 0 && gcController.heapLive.load() >= gcController.trigger.load());
  gcwant.store(want ? 1 : 0);
}

// Go's runtimeInitTime, the origin of gctrace's `@`: when the program was loaded.
[[gnu::constructor]] void gcinittime() { gcController.initTime = nanotime(); }

void gcinit() {
  if (gcController.inited.load(std::memory_order_acquire)) return;
  lock(&gcController.initlock);
  if (!gcController.inited.load(std::memory_order_relaxed)) {
    if (gcController.initTime == 0) gcController.initTime = nanotime();
    gcController.gcpercent.store(readgogc());
    gcparsedebug();
    setTrigger();
    gcController.inited.store(true, std::memory_order_release);
  }
  unlock(&gcController.initlock);
}

// ---- helper threads ----

enum helperJob : uint32_t { jobNone, jobMark, jobSweep };

struct alignas(64) gchelper {
  note wake;
  std::atomic<uint32_t> job{jobNone};
  std::atomic<bool> busy{false};
  gcWork w;
};

gchelper helpers[MaxGcproc];
uint32_t nhelpers = 0;  // threads started (helpers[0, nhelpers)); only grows; world stopped

void* helperMain(void* arg) {
  auto* h = static_cast<gchelper*>(arg);
  for (;;) {
    notesleep(&h->wake);
    noteclear(&h->wake);
    switch (h->job.load(std::memory_order_acquire)) {
      case jobMark: gcMarkWorker(&h->w); break;
      case jobSweep:
        bgsweep();
        if (sweepDone()) scavengeTo(gcController.trigger.load() + gcController.trigger.load() / 10);
        break;
      default: break;
    }
    h->job.store(jobNone, std::memory_order_relaxed);
    h->busy.store(false, std::memory_order_release);
  }
  return nullptr;
}

void starthelpers(uint32_t n) {
  for (; nhelpers < n; nhelpers++) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 << 10);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t tid;
    int err = pthread_create(&tid, &attr, helperMain, &helpers[nhelpers]);
    pthread_attr_destroy(&attr);
    if (err != 0) break;  // mark with fewer threads
  }
}

void runhelper(gchelper* h, helperJob job) {
  h->busy.store(true, std::memory_order_relaxed);
  h->job.store(job, std::memory_order_release);
  notewakeup(&h->wake);
}

// Spins a little, then sleeps in short naps rather than sched_yield: a woken helper may be
// queued behind a thread that never blocks (a goroutine computing), and under real-time
// priority (chrt -f, as the benchmarks run) sched_yield only lets threads queued on this CPU
// run, so a yielding waiter could keep the helper off both CPUs for seconds. A sleeping one
// leaves its CPU idle, and the kernel moves the helper there.
void waithelpers() {
  for (uint32_t i = 0; i < nhelpers; i++) {
    for (int k = 0; helpers[i].busy.load(std::memory_order_acquire); k++) {
      if (k < 1000) {
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
      } else {
        usleep(20);
      }
    }
  }
}

// How many threads mark (Go's gcprocs): GOMAXPROCS, at most the CPUs and MaxGcproc.
uint32_t gcprocs() {
  uint32_t n = uint32_t(gomaxprocs.load());
  n = std::min(n, uint32_t(ncpu));
  n = std::min(n, MaxGcproc);
  if (gcdebug.gcprocs > 0) n = std::min(n, uint32_t(gcdebug.gcprocs));
  return std::max(n, uint32_t(1));
}

// ---- the mark, on this thread and nproc-1 helpers (world stopped) ----

struct markResult {
  uint64_t bytes = 0;
  int64_t cpuNs = 0;
  uint32_t nproc = 1;
};

markResult gcMark(g* self, uintptr_t sp, const uintptr_t* regs, uintptr_t nregs, uint32_t nproc) {
  gcphase.store(GCmark);
  gcMarkPrepare(self, sp, regs, nregs);
  starthelpers(nproc - 1);
  nproc = std::min(nproc, nhelpers + 1);
  gcMarkSetWorkers(nproc);
  for (uint32_t i = 0; i + 1 < nproc; i++) {
    helpers[i].w = gcWork{};
    runhelper(&helpers[i], jobMark);
  }
  gcWork w0;
  gcMarkWorker(&w0);
  waithelpers();
  markResult r{w0.bytesMarked, w0.cpuNs, nproc};
  for (uint32_t i = 0; i + 1 < nproc; i++) {
    r.bytes += helpers[i].w.bytesMarked;
    r.cpuNs += helpers[i].w.cpuNs;
  }
  gcphase.store(GCmarktermination);
  return r;
}

// ---- gctrace ----

// Go's itoaDiv: val / 10^dec with dec decimals.
const char* itoaDiv(char* buf, size_t n, uint64_t val, int dec) {
  char* p = buf + n;
  *--p = 0;
  int i = 0;
  do {
    if (dec > 0 && i == dec) *--p = '.';
    *--p = char('0' + val % 10);
    val /= 10;
    i++;
  } while (val != 0 || i <= dec);
  return p;
}

// Go's fmtNSAsMS: milliseconds, two significant digits, at most three decimals.
const char* fmtNSAsMS(char* buf, size_t n, uint64_t ns) {
  if (ns >= 10'000'000) return itoaDiv(buf, n, ns / 1'000'000, 0);
  uint64_t x = ns / 1000;
  if (x == 0) return "0";
  int dec = 3;
  while (x >= 100) {
    x /= 10;
    dec--;
  }
  return itoaDiv(buf, n, x, dec);
}

struct cycleTimes {
  int64_t sweepTerm, mark, markTerm, end;  // phase starts and the end (nanotime)
  uint64_t heap0, heap1, heap2, goal;
  int64_t markCpu;
  uint32_t procs;
  bool forced;
};

// gc N @T s P%: A+B+C ms clock, D+E/F/G+H ms cpu, X->Y->Z MB, W MB goal, Q P
//   A, D  sweep termination (stop the world, finish sweeping, flush mcaches): clock, cpu
//   B     mark, clock; E assist (0: no assists in a stop-the-world mark), F mark workers'
//         cpu, G idle marking (0)
//   C, H  mark termination (pacing, sweep set-up, start the world): clock, cpu
//   X->Y->Z  heap at the start, at the end of mark (= X: nobody allocates), marked (live)
//   W  the goal this cycle started against; Q  GOMAXPROCS
void printGCTrace(uint32_t n, const cycleTimes& t) {
  char b[8][32];
  int64_t a = t.mark - t.sweepTerm, bb = t.markTerm - t.mark, c = t.end - t.markTerm;
  double cpu = double(a) * t.procs + double(t.markCpu) + double(c) * t.procs;
  gcController.cpuTotal += cpu;
  double elapsed = double(t.end - gcController.initTime) * t.procs;
  int util = elapsed > 0 ? int(gcController.cpuTotal * 100 / elapsed) : 0;
  print("gc ", n, " @", itoaDiv(b[0], 32, uint64_t(t.sweepTerm - gcController.initTime) / 1'000'000, 3), "s ",
        util, "%: ", fmtNSAsMS(b[1], 32, uint64_t(a)), "+", fmtNSAsMS(b[2], 32, uint64_t(bb)), "+",
        fmtNSAsMS(b[3], 32, uint64_t(c)), " ms clock, ", fmtNSAsMS(b[4], 32, uint64_t(a) * t.procs), "+0/",
        fmtNSAsMS(b[5], 32, uint64_t(t.markCpu)), "/0+", fmtNSAsMS(b[6], 32, uint64_t(c) * t.procs),
        " ms cpu, ", t.heap0 >> 20, "->", t.heap1 >> 20, "->", t.heap2 >> 20, " MB, ", t.goal >> 20,
        " MB goal, ", t.procs, " P", t.forced ? " (forced)" : "", "\n");
}

// ---- the cycle ----

// Mark termination's bookkeeping (world stopped): the next goal, sweepgen, statistics.
void gcMarkTermination(uint64_t marked) {
  gcController.heapMarked = marked;
  gcController.heapLive.store(marked);
  std::atomic_ref<uint32_t>(mheap_.sweepgen).fetch_add(2, std::memory_order_release);
  gcSweepPrepare();
  setTrigger();
}

void recordPause(int64_t pauseStart, int64_t end) {
  uint64_t pause = uint64_t(end - pauseStart);
  uint32_t n = gcController.numgc.load();  // after the increment
  gcController.pauseNs[(n + 255) % 256] = pause;
  gcController.pauseEnd[(n + 255) % 256] = uint64_t(gol_walltime_ns());
  gcController.lastgcWall = uint64_t(gol_walltime_ns());
  gcController.pauseTotal.fetch_add(pause);
  gcController.lastPause.store(pause);
  gcController.lastgc.store(end);
}

// The cycle itself, world stopped; sp and regs describe the caller's stack.
void gcRun(gcTriggerKind kind, int64_t pauseStart, uintptr_t sp, const uintptr_t* regs, uintptr_t nregs) {
  cycleTimes t{};
  t.sweepTerm = pauseStart;
  t.procs = uint32_t(gomaxprocs.load());
  t.forced = kind == gcTriggerCycle;
  t.goal = gcController.trigger.load();
  finishsweep();
  waithelpers();  // the background sweeper and scavenger
  flushallmcaches();
  t.heap0 = t.heap1 = gcController.heapLive.load();
  t.mark = nanotime();
  // A small heap is marked faster than a helper thread wakes up.
  uint32_t nproc = t.heap0 < SmallHeap ? 1 : gcprocs();
  markResult r = gcMark(getg(), sp, regs, nregs, nproc);
  t.markCpu = r.cpuNs;
  t.markTerm = nanotime();
  t.heap2 = r.bytes;
  gcController.forcePending.store(false);
  gcMarkTermination(r.bytes);
  uint32_t n = gcController.numgc.fetch_add(1) + 1;
  if (kind == gcTriggerCycle) gcController.numforced++;
  if (traceEnabled) [[unlikely]] traceGC(n, t.sweepTerm, t.mark, t.markTerm, t.heap0, r.bytes);
  gcphase.store(GCoff);
  startTheWorld();
  t.end = nanotime();
  recordPause(pauseStart, t.end);
  if (gcdebug.gctrace > 0) printGCTrace(n, t);
}

// Spills the callee-saved registers into regs (their values in the caller's frames may be
// the only references to some objects).
[[gnu::always_inline]] inline uintptr_t saveregs(uintptr_t* regs) {
#if defined(__x86_64__)
  asm volatile(
      "movq %%rbx, 0(%0)\n\tmovq %%rbp, 8(%0)\n\tmovq %%r12, 16(%0)\n\t"
      "movq %%r13, 24(%0)\n\tmovq %%r14, 32(%0)\n\tmovq %%r15, 40(%0)"
      :
      : "r"(regs)
      : "memory");
  return 6;
#else
  __builtin_unwind_init();  // every callee-saved register is saved in this frame
  regs[0] = 0;
  return 1;
#endif
}

bool canStartGC(m* mp, g* gp) {
  return gp == mp->curg && mp->locks == 0 && mp->p != nullptr && mp->dying == 0 && mp->throwing == 0 &&
         panicking.load(std::memory_order_relaxed) == 0;
}

}  // namespace

void gcHeapLiveAdd(uint64_t bytes) {
  gcinit();
  uint64_t v = gcController.heapLive.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (v >= gcController.trigger.load(std::memory_order_relaxed) && gcController.gcpercent.load() >= 0) {
    gcwant.store(1, std::memory_order_relaxed);
  }
}

void gcAllocCheck() {
  gcinit();
  if (int32_t n = gcdebug.gcstress; n > 0) {
    if ((gcController.nalloc.fetch_add(1, std::memory_order_relaxed) + 1) % uint64_t(n) == 0) {
      gcStart(gcTriggerStress);
      return;
    }
  }
  if (gcController.forcePending.load()) {
    gcStart(gcTriggerTime);
    return;
  }
  if (gcController.gcpercent.load() >= 0 && gcController.heapLive.load() >= gcController.trigger.load()) {
    gcStart(gcTriggerHeap);
  }
}

[[gnu::noinline]] void gcStart(gcTriggerKind kind) {
  gcinit();
  g* gp = getg();
  if (gp == nullptr || !canStartGC(gp->m, gp)) return;
  uint32_t n0 = gcController.numgc.load();
  // Finish the last cycle's sweep (and let the background sweeper and scavenger stop) before
  // the world stops, as Go's gcStart does: sweep termination in the pause is then only the
  // mcache flush, whatever the heap's size.
  while (sweepone() >= 0) {
  }
  waithelpers();
  int64_t pauseStart = nanotime();
  stopTheWorld("GC");
  // Another goroutine may have collected while we waited to stop the world: that cycle
  // serves every trigger but runtime.GC's (which wants one that started after the call).
  if (kind != gcTriggerCycle && gcController.numgc.load() != n0) {
    startTheWorld();
    return;
  }
  uintptr_t regs[16];
  uintptr_t nregs = saveregs(regs);
  gcRun(kind, pauseStart, getsp(), regs, nregs);
  // Sweep in the background; a small heap is left to the mutators' lazy sweeping.
  if (kind != gcTriggerCycle && !sweepDone() && gcController.heapMarked >= SmallHeap) {
    starthelpers(1);
    if (nhelpers > 0 && !helpers[0].busy.load()) runhelper(&helpers[0], jobSweep);
  }
  asm volatile("" : : "r"(regs) : "memory");  // regs stays live (and in this frame) until here
}

void GC() {
  gcStart(gcTriggerCycle);
  // Go's GC returns with the sweep done (heap profiles and MemStats are then exact).
  finishsweep();
  scavengeTo(gcController.trigger.load() + gcController.trigger.load() / 10);
}

int32_t setGCPercent(int32_t percent) {
  gcinit();
  lock(&gcController.initlock);
  int32_t old = gcController.gcpercent.exchange(percent < 0 ? -1 : percent);
  setTrigger();
  unlock(&gcController.initlock);
  return old;
}

uint32_t gcNumGC() { return gcController.numgc.load(); }
uint64_t gcPauseTotalNs() { return gcController.pauseTotal.load(); }
uint64_t gcLastPauseNs() { return gcController.lastPause.load(); }

bool gcForceDue(int64_t now) {
  if (!gcController.inited.load() || gcController.gcpercent.load() < 0) return false;
  int64_t last = gcController.lastgc.load();
  if (last == 0) last = gcController.initTime;
  return now - last > forcegcperiod;
}

void gcForceHook(int64_t now) {
  if (!gcForceDue(now) || gcController.forcePending.load()) return;
  gcController.forcePending.store(true);
  gcwant.store(1);
}

void scavengeHook(int64_t now) {
  (void)now;
  if (!gcController.inited.load() || !sweepDone()) return;
  scavengeTo(gcController.trigger.load() + gcController.trigger.load() / 10);
}

namespace testing {

markCounts gcMarkOnly(uint32_t nproc) {
  gcinit();
  stopTheWorld("GC test");
  finishsweep();
  waithelpers();
  flushallmcaches();
  uintptr_t regs[16];
  uintptr_t nregs = saveregs(regs);
  markResult r = gcMark(getg(), getsp(), regs, nregs, nproc);
  markCounts c{0, r.bytes};
  lock(&mheap_.lock);
  for (uintptr_t i = 0; i < mheap_.nallspans; i++) {
    mspan* s = mheap_.allspans[i];
    if (s->state.load() != MSpanInUse) continue;
    c.objects += s->countAlloc();
    std::memset(s->gcmarkBits, 0, MaxObjsPerSpan / 8);
  }
  unlock(&mheap_.lock);
  gcphase.store(GCoff);
  startTheWorld();
  asm volatile("" : : "r"(regs) : "memory");
  return c;
}

}  // namespace testing

}  // namespace gol::rt

// ---- the ABI (abi.h) ----
using namespace gol::rt;

void gol_runtime_GC() { GC(); }

void gol_readmemstats(void* out) {
  auto* ms = static_cast<GolMemStats*>(out);
  g* gp = getg();
  bool stw = gp != nullptr && canStartGC(gp->m, gp);
  if (stw) stopTheWorld("read mem stats");  // Go's ReadMemStats stops the world too
  MemStats s;
  readmemstats(&s);
  std::memset(ms, 0, sizeof *ms);
  ms->Alloc = s.Alloc;
  ms->TotalAlloc = s.TotalAlloc;
  ms->Sys = s.Sys;
  ms->Mallocs = s.Mallocs;
  ms->Frees = s.Frees;
  ms->HeapAlloc = s.HeapAlloc;
  ms->HeapSys = s.HeapSys;
  ms->HeapIdle = s.HeapIdle;
  ms->HeapInuse = s.HeapInuse;
  ms->HeapReleased = s.HeapReleased;
  ms->HeapObjects = s.HeapObjects;
  ms->GCSys = s.Sys - s.HeapSys;
  ms->NextGC = gcController.trigger.load();
  ms->LastGC = gcController.lastgcWall;
  ms->PauseTotalNs = gcController.pauseTotal.load();
  std::memcpy(ms->PauseNs, gcController.pauseNs, sizeof ms->PauseNs);
  std::memcpy(ms->PauseEnd, gcController.pauseEnd, sizeof ms->PauseEnd);
  ms->NumGC = gcController.numgc.load();
  ms->NumForcedGC = gcController.numforced;
  ms->GCCPUFraction = 0;
  ms->EnableGC = true;
  ms->DebugGC = gcdebug.gcstress > 0;
  if (stw) startTheWorld();
}
