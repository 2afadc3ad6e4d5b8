// mgcmark.cpp: marking (Go's mgcmark.go and mgcwork.go): the roots, the grey work lists
// shared by parallel workers, and the scan of heap objects.
//
// Roots, all scanned conservatively (any word that points into an allocated heap object,
// interior pointers included, greys that object):
//
//   data      the main executable's writable PT_LOAD segments (dl_iterate_phdr): .data, .bss,
//             .got, and with them every package-level variable of the program and every
//             static of the runtime (the runtime's own heap metadata is mmap'd, not there).
//             Precise root tables from the compiler can replace this later.
//   stacks    every goroutine that is not dead: from its saved stack pointer to the top of its
//             stack. The asm backend saves the callee-saved registers on the stack just above
//             gobuf.sp (context.h), so they are inside that range; the ucontext backend keeps
//             them in g.sched.uc, and the SP in the saved RSP, so the g itself is scanned too
//             (every g is: its param and gobuf are runtime-held words).
//   self      the goroutine running the collection: from the frame of gcStart, whose caller
//             spilled the callee-saved registers into a local array first (gcStart).
//   Ms        every m struct (m.waitlock may point into a channel being parked on).
//   timers    the per-P timer heaps, arrays of heap timers in malloc'd memory (time.cpp).
//
// Not roots, and why: sudogs (persistent memory) point at a channel and at the value being
// passed, but a parked goroutine's own stack holds both for as long as the sudog is queued;
// hchan's ring buffer is part of the channel's heap object; idle Ms' g0 stacks hold only
// scheduler state (they are stopped in gcstopm). Code that keeps the only reference to a heap
// object in malloc'd or other non-heap memory must add a root here.
//
// Heap objects are scanned precisely: only words the heap pointer bitmap marks (set by
// mallocgc from the type descriptor; every word for a null type) are read. Objects in noscan
// spans are never scanned. Large objects are scanned in oblets of 128 KiB, so one huge array
// spreads over every worker.
//
// Work lists (Go's gcWork): each worker greys objects into two private buffers of 255
// entries (an object and its span) and trades full buffers for empty ones with the global
// lists (a mutex; a buffer holds hundreds of objects, so the lock is rare). A worker whose
// buffers run dry takes a full one (stealing another worker's overflow); when the global list
// is empty while others wait, a busy worker gives half its work away (balance). Termination
// is Go 1.5's getfull: a worker with nothing counts itself in nwait and waits; when
// nwait == nproc the mark is done.
#include <link.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <cstring>

#include "mgc.h"
#include "runtime.h"
#include "timer.h"

namespace gol::rt {

uintptr_t gcHeapLo = 0, gcHeapHi = 0;

namespace {

constexpr uintptr_t ObletBytes = 128 << 10;     // large objects are scanned in pieces this big
constexpr uintptr_t RootChunkBytes = 256 << 10;  // data segments are split into jobs this big

// ---- global work lists ----

struct {
  mutex lock;
  workbuf* full = nullptr;   // guarded by lock
  workbuf* empty = nullptr;  // guarded by lock
  std::atomic<int32_t> nfull{0};
  std::atomic<uint32_t> nwait{0};  // workers with nothing to do (getfull)
  uint32_t nproc = 1;              // workers in this mark
} work;

workbuf* getempty() {
  lock(&work.lock);
  workbuf* b = work.empty;
  if (b != nullptr) work.empty = b->next;
  unlock(&work.lock);
  if (b == nullptr) b = static_cast<workbuf*>(persistentalloc(sizeof(workbuf), 64));
  b->next = nullptr;
  b->nobj = 0;
  return b;
}

void putempty(workbuf* b) {
  lock(&work.lock);
  b->next = work.empty;
  work.empty = b;
  unlock(&work.lock);
}

void putfull(workbuf* b) {
  lock(&work.lock);
  b->next = work.full;
  work.full = b;
  work.nfull.fetch_add(1, std::memory_order_release);
  unlock(&work.lock);
}

workbuf* trygetfull() {
  if (work.nfull.load(std::memory_order_acquire) == 0) return nullptr;
  lock(&work.lock);
  workbuf* b = work.full;
  if (b != nullptr) {
    work.full = b->next;
    work.nfull.fetch_sub(1, std::memory_order_relaxed);
  }
  unlock(&work.lock);
  return b;
}

// Go 1.5's getfull: a full buffer, or null once every worker is out of work.
workbuf* getfull() {
  if (workbuf* b = trygetfull()) return b;
  work.nwait.fetch_add(1);
  for (int i = 0;; i++) {
    if (work.nfull.load(std::memory_order_acquire) != 0) {
      work.nwait.fetch_sub(1);
      if (workbuf* b = trygetfull()) return b;
      work.nwait.fetch_add(1);
    }
    if (work.nwait.load() == work.nproc) return nullptr;
    if (i < 10) {
#if defined(__x86_64__)
      for (int k = 0; k < 20; k++) __builtin_ia32_pause();
#endif
    } else if (i < 20) {
      sched_yield();
    } else {
      usleep(50);
    }
  }
}

// ---- roots ----

struct rootRange {
  uintptr_t lo, hi;
};

struct {
  rootRange* r = nullptr;  // the jobs of this cycle; built by gcMarkPrepare
  uint32_t n = 0;
  uint32_t cap = 0;
  std::atomic<uint32_t> next{0};  // the next job to take
  bool timersDone = false;
  std::atomic<uint32_t> timersTaken{0};
} roots;

void addroot(uintptr_t lo, uintptr_t hi) {
  lo = (lo + 7) & ~uintptr_t(7);
  if (hi <= lo) return;
  if (roots.n == roots.cap) {
    uint32_t ncap = roots.cap == 0 ? 256 : 2 * roots.cap;
    auto* nr = static_cast<rootRange*>(persistentalloc(sizeof(rootRange) * ncap, 64));
    if (roots.n != 0) std::memcpy(nr, roots.r, sizeof(rootRange) * roots.n);
    roots.r = nr;  // the old array is leaked: roots grow rarely and stay small
    roots.cap = ncap;
  }
  roots.r[roots.n++] = rootRange{lo, hi};
}

// The main executable's writable segments, found once.
struct {
  bool found = false;
  rootRange seg[8];
  int n = 0;
} datasegs;

int phdrCallback(dl_phdr_info* info, size_t, void*) {
  // The first object is the main program; its name is empty.
  for (int i = 0; i < info->dlpi_phnum && datasegs.n < 8; i++) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W)) continue;
    uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
    datasegs.seg[datasegs.n++] = rootRange{lo, lo + ph.p_memsz};
  }
  return 1;  // stop after the main program
}

void addDataRoots() {
  if (!datasegs.found) {
    dl_iterate_phdr(phdrCallback, nullptr);
    datasegs.found = true;
  }
  for (int i = 0; i < datasegs.n; i++) {
    for (uintptr_t lo = datasegs.seg[i].lo; lo < datasegs.seg[i].hi; lo += RootChunkBytes) {
      addroot(lo, std::min(lo + RootChunkBytes, datasegs.seg[i].hi));
    }
  }
}

// The saved stack pointer of a goroutine that is not running.
uintptr_t savedsp(g* gp) {
#if GOL_CONTEXT_UCONTEXT && defined(__x86_64__)
  return uintptr_t(gp->sched.uc.uc_mcontext.gregs[REG_RSP]);
#elif GOL_CONTEXT_UCONTEXT && defined(__aarch64__)
  return uintptr_t(gp->sched.uc.uc_mcontext.sp);
#else
  return gp->sched.sp;
#endif
}

// A G in a system call (Gsyscall): the SP entersyscall saved, or 0. (Written with `requires`
// so this file builds whether or not g.syscallsp exists yet: it arrives with syscall.cpp.)
template <class G>
uintptr_t syscallsp(G* gp) {
  if constexpr (requires { gp->syscallsp; }) {
    return gp->syscallsp;
  } else {
    return 0;
  }
}

struct stackRootsArg {
  g* self;
  uintptr_t selfsp;
};

void addStackRoots(g* gp, void* argp) {
  auto* a = static_cast<stackRootsArg*>(argp);
  uint32_t status = readgstatus(gp) & ~Gscan;
  if (status == Gdead || status == Gidle) return;
  uintptr_t g0 = reinterpret_cast<uintptr_t>(gp);
  addroot(g0, g0 + sizeof(g));  // param, the gobuf (ucontext: the saved registers)
  uintptr_t sp;
  if (gp == a->self) {
    sp = a->selfsp;
  } else {
    GOL_ASSERT(status != Grunning, "gc: a goroutine is running while the world is stopped", " goid=", gp->goid);
    // Gsyscall: the SP saved at entersyscall; the callee-saved registers it saved are in
    // the g (g.syscallregs), scanned above.
    sp = status == Gsyscall && syscallsp(gp) != 0 ? syscallsp(gp) : savedsp(gp);
  }
  if (sp < gp->stack.lo || sp > gp->stack.hi) {
    print("runtime: gc: goroutine ", gp->goid, " sp=", reinterpret_cast<void*>(sp), " stack=[",
          reinterpret_cast<void*>(gp->stack.lo), ", ", reinterpret_cast<void*>(gp->stack.hi), ")\n");
    gothrow("gc: saved stack pointer outside the goroutine's stack");
  }
  // A stack is a chain of segments (stack.h): g.stack is only the current one.
  forEachStackSegment(gp, sp, [](uintptr_t lo, uintptr_t hi, void*) { addroot(lo, hi); }, nullptr);
}

void addMRoots() {
  for (m* mp = allm.load(std::memory_order_acquire); mp != nullptr; mp = mp->alllink) {
    uintptr_t lo = reinterpret_cast<uintptr_t>(mp);
    addroot(lo, lo + sizeof(m));
  }
}

// ---- marking ----

// The arena index, read once per cycle by gcMarkPrepare: no arena is added while the world is
// stopped, so the workers' lookups below need neither a call nor an atomic acquire.
std::atomic<heapArena*>* gcArenas = nullptr;

// spanOf, inlined for the mark: the in-use span whose objects cover v, or null. The caller has
// checked gcHeapLo <= v < gcHeapHi, so v indexes the arena index.
[[gnu::always_inline]] inline mspan* markSpanOf(uintptr_t v) {
  heapArena* ha = gcArenas[v >> LogHeapArenaBytes].load(std::memory_order_relaxed);
  if (ha == nullptr) return nullptr;
  mspan* s = ha->spans[(v >> PageShift) & (PagesPerArena - 1)].load(std::memory_order_relaxed);
  if (s == nullptr || s->state.load(std::memory_order_relaxed) != MSpanInUse) return nullptr;
  if (v < s->startAddr || v >= s->limit) return nullptr;  // stale entry, or tail waste
  return s;
}

[[gnu::always_inline]] inline void greyobject(uintptr_t obj, mspan* s, uintptr_t idx, gcWork* w) {
  if (s->isMarked(idx)) return;
  if (!s->setMarked(idx)) return;
  w->bytesMarked += s->elemsize;
  if (s->noscan()) return;  // black at once: nothing to scan
  w->put(obj, s);
}

// Greys the object v points into, if v points into an allocated object. A conservative word
// (roots) may point into a free slot, which holds no object; a precise one (a pointer field
// of a live heap object) cannot: its target was reachable at the last mark, so the sweep kept
// it, or was allocated since. The precise path skips that test and its cache line.
template <bool Conservative = true>
[[gnu::always_inline]] inline void markword(uintptr_t v, gcWork* w) {
  if (v - gcHeapLo >= gcHeapHi - gcHeapLo) return;
  mspan* s = markSpanOf(v);
  if (s == nullptr) return;
  uintptr_t idx = s->objIndex(v);
  if (Conservative && s->isFree(idx)) return;
  greyobject(s->startAddr + idx * s->elemsize, s, idx, w);
}

// A pointer field's value v, found in an object of span s (whose bounds the caller holds in
// registers: base, len = limit - base, div = divMul). A pointer into s itself (a list's next
// cell was usually allocated next to it) needs no page-map lookup and no span-header loads;
// its target is in a scan span (s is being scanned), so it goes to the sink (a gcWork, or the
// drain's FIFO) with s. `marked` is the caller's running count of bytes greyed here.
template <class Sink>
[[gnu::always_inline]] inline void markfield(uintptr_t v, mspan* s, uintptr_t base, uintptr_t len, uint64_t div,
                                             uintptr_t elemsize, uint64_t& marked, Sink& sink, gcWork* w) {
  if (v - base < len) [[likely]] {
    uintptr_t idx = uintptr_t((uint64_t(v - base) * div) >> 32);
    if (s->isMarked(idx) || !s->setMarked(idx)) return;
    marked += elemsize;
    sink.put(base + idx * elemsize, s);
  } else {
    markword<false>(v, w);
  }
}

// Scans [b, b+n), which lies in span s, reading only the words the heap bitmap marks as
// pointers. Large objects' oblets and small objects that straddle an arena boundary.
void scanPrecise(uintptr_t b, uintptr_t n, mspan* s, gcWork* w) {
  const uintptr_t base = s->startAddr;
  const uintptr_t len = s->limit - base;
  const uint64_t div = s->divMul;
  const uintptr_t elemsize = s->elemsize;
  uint64_t marked = 0;
  w->scanned += n;
  while (n > 0) {
    heapArena* ha = gcArenas[b >> LogHeapArenaBytes].load(std::memory_order_relaxed);
    uintptr_t arenaEnd = (b | (HeapArenaBytes - 1)) + 1;
    uintptr_t chunk = std::min(n, arenaEnd - b);
    uintptr_t w0 = (b & (HeapArenaBytes - 1)) / 8;
    uintptr_t nw = chunk / 8;
    for (uintptr_t i = 0; i < nw;) {
      uintptr_t wi = w0 + i;
      uintptr_t take = std::min<uintptr_t>(64 - wi % 64, nw - i);
      uint64_t bits = ha->ptrbits[wi / 64] >> (wi % 64);
      if (take < 64) bits &= (uint64_t(1) << take) - 1;
      while (bits != 0) {
        uintptr_t t = uintptr_t(__builtin_ctzll(bits));
        bits &= bits - 1;
        markfield(*reinterpret_cast<uintptr_t*>(b + (i + t) * 8), s, base, len, div, elemsize, marked, *w, w);
      }
      i += take;
    }
    b += chunk;
    n -= chunk;
  }
  w->bytesMarked += marked;
}

// Objects whose pointer bits fit one 64-bit value. Large spans' objects are all bigger than
// this (> 32 KiB), so elemsize alone tells a small object's span from a large one's.
constexpr uintptr_t SmallScanBytes = 64 * 8;
static_assert(SmallScanBytes < MaxSmallSize);

// Grey objects are scanned through a small FIFO of prefetched addresses (Boehm's and Cho et
// al.'s prefetch-on-grey): an object is prefetched when it enters the FIFO and scanned
// PrefetchDepth objects later, when its cache line has arrived. Without it a linked list is
// marked one cache miss at a time (each next pointer is found only by scanning the cell
// before it); with it, the FIFO interleaves up to PrefetchDepth lists' misses. An object
// greyed while scanning goes straight into the FIFO when it has room (a list's next cell
// does: its predecessor just left), else onto the work buffers. The FIFO is private and at
// most PrefetchDepth objects long: getfull runs only once it is empty, so the termination
// protocol sees every grey object.
constexpr uint32_t PrefetchDepth = 16;

struct drainer {
  struct entry {
    uintptr_t obj;
    mspan* span;
    const uint64_t* ptrbits;  // the heap bitmap's word for obj's first word
  };
  entry fifo[PrefetchDepth];
  uint32_t head = 0, nfifo = 0;
  uint64_t marked = 0, scanned = 0;  // this drain's share of w's counters, kept in registers
  gcWork* w;

  explicit drainer(gcWork* w_) : w(w_) {}

  // Enters a grey object into the FIFO (which has room) and starts its cache misses.
  [[gnu::always_inline]] void enter(uintptr_t b, mspan* s) {
    // Two lines: a small object often straddles a line boundary (48-byte objects do half
    // the time), and a larger one continues into the next line.
    __builtin_prefetch(reinterpret_cast<void*>(b));
    __builtin_prefetch(reinterpret_cast<void*>(b + 64));
    // And the object's word of the heap pointer bitmap, which scan reads first.
    heapArena* ha = gcArenas[b >> LogHeapArenaBytes].load(std::memory_order_relaxed);
    const uint64_t* pb = &ha->ptrbits[(b & (HeapArenaBytes - 1)) / 8 / 64];
    __builtin_prefetch(pb);
    fifo[(head + nfifo) % PrefetchDepth] = entry{b, s, pb};
    nfifo++;
  }

  // The sink of markfield.
  [[gnu::always_inline]] void put(uintptr_t b, mspan* s) {
    if (nfifo < PrefetchDepth) {
      enter(b, s);
    } else {
      w->put(b, s);
    }
  }

  // Scans the grey object (or oblet of a large object) e. Objects of up to 64 words inside
  // one arena (every small object but a rare one at an arena's end) take the inlined path:
  // their pointer bits are one shift of one or two bitmap words.
  [[gnu::always_inline]] void scan(const entry& e) {
    const uintptr_t b = e.obj;
    mspan* const s = e.span;
    const uintptr_t elemsize = s->elemsize;
    const uintptr_t off = b & (HeapArenaBytes - 1);
    if (elemsize <= SmallScanBytes && off + elemsize <= HeapArenaBytes) [[likely]] {
      scanned += elemsize;
      const uintptr_t nw = elemsize / 8;
      const uintptr_t sh = (off / 8) % 64;
      uint64_t bits = e.ptrbits[0] >> sh;
      // The object's bits continue in the next bitmap word (inside this arena's: the object is).
      if (sh + nw > 64) bits |= e.ptrbits[1] << (64 - sh);
      if (nw < 64) bits &= (uint64_t(1) << nw) - 1;
      if (bits == 0) return;
      const uintptr_t base = s->startAddr;
      const uintptr_t len = s->limit - base;
      const uint64_t div = s->divMul;
      do {
        uintptr_t t = uintptr_t(__builtin_ctzll(bits));
        bits &= bits - 1;
        markfield(*reinterpret_cast<uintptr_t*>(b + t * 8), s, base, len, div, elemsize, marked, *this, w);
      } while (bits != 0);
      return;
    }
    if (s->sizeclass() != 0) {
      scanPrecise(b, elemsize, s, w);
      return;
    }
    uintptr_t end = s->startAddr + elemsize;
    if (b == s->startAddr && elemsize > ObletBytes) {
      // Queue every further oblet; they are grey pieces of this (already marked) object.
      for (uintptr_t o = b + ObletBytes; o < end; o += ObletBytes) w->put(o, s);
    }
    scanPrecise(b, std::min(end - b, ObletBytes), s, w);
  }

  void run() {
    uint32_t n = 0;
    for (;;) {
      while (nfifo < PrefetchDepth) {
        greyobj g = w->tryGet();
        if (g.obj == 0) break;
        enter(g.obj, g.span);
      }
      if (nfifo == 0) {
        workbuf* f = getfull();
        if (f == nullptr) break;
        if (w->wbuf1 != nullptr) putempty(w->wbuf1);
        w->wbuf1 = f;
        continue;
      }
      entry e = fifo[head];
      head = (head + 1) % PrefetchDepth;
      nfifo--;
      scan(e);
      // Others are idle and nothing is on the global list: give them part of ours.
      if (++n % 16 == 0 && work.nfull.load(std::memory_order_relaxed) == 0 &&
          work.nwait.load(std::memory_order_relaxed) != 0) {
        workbuf* b1 = w->wbuf1;
        if (w->wbuf2 != nullptr && w->wbuf2->nobj != 0) {
          putfull(w->wbuf2);
          w->wbuf2 = nullptr;
        } else if (b1 != nullptr && b1->nobj > 4) {
          workbuf* half = getempty();
          uintptr_t k = b1->nobj / 2;
          std::memcpy(half->obj, b1->obj + (b1->nobj - k), k * sizeof(greyobj));
          half->nobj = k;
          b1->nobj -= k;
          putfull(half);
        }
      }
    }
    w->bytesMarked += marked;
    w->scanned += scanned;
  }
};

void drain(gcWork* w) {
  drainer d(w);
  d.run();
}

}  // namespace

// ---- gcWork ----

void gcWork::putSlow(uintptr_t obj, mspan* s) {
  workbuf* b = wbuf1;
  if (b == nullptr || b->nobj == WorkbufEntries) {
    std::swap(wbuf1, wbuf2);
    b = wbuf1;
    if (b == nullptr) {
      b = wbuf1 = getempty();
    } else if (b->nobj == WorkbufEntries) {
      putfull(b);
      b = wbuf1 = getempty();
    }
  }
  b->obj[b->nobj++] = greyobj{obj, s};
}

greyobj gcWork::tryGet() {
  workbuf* b = wbuf1;
  if (b == nullptr || b->nobj == 0) {
    std::swap(wbuf1, wbuf2);
    b = wbuf1;
    if (b == nullptr || b->nobj == 0) return greyobj{0, nullptr};
  }
  return b->obj[--b->nobj];
}

void gcWork::dispose() {
  for (workbuf** bp : {&wbuf1, &wbuf2}) {
    if (*bp == nullptr) continue;
    if ((*bp)->nobj != 0) {
      putfull(*bp);
    } else {
      putempty(*bp);
    }
    *bp = nullptr;
  }
}

// Not instrumented by ThreadSanitizer: a conservative scan reads every word of a block,
// including words other threads may be writing (a G in a system call above its saved sp, a GC
// helper's note in the data segment); a word is only a candidate pointer.
__attribute__((no_sanitize("thread"))) void scanblock(uintptr_t lo, uintptr_t hi, gcWork* w) {
  w->scanned += hi - lo;
  for (uintptr_t p = lo; p + 8 <= hi; p += 8) markword(*reinterpret_cast<uintptr_t*>(p), w);
}

void gcMarkSetWorkers(uint32_t nproc) {
  work.nproc = nproc;
  work.nwait.store(0);
}

// World stopped, one thread: the heap's bounds and this cycle's root jobs.
void gcMarkPrepare(g* self, uintptr_t selfsp, const uintptr_t* regs, uintptr_t nregs) {
  // The arenas' range, not the in-use spans' (a loop over every span struct, one cache miss
  // each, would cost a millisecond of the pause at 200 MB): it only filters conservative
  // words cheaply; markSpanOf rejects the rest.
  lock(&mheap_.lock);
  gcHeapLo = mheap_.arenaLo;
  gcHeapHi = mheap_.arenaHi;
  unlock(&mheap_.lock);
  gcArenas = arenaIndex();

  roots.n = 0;
  roots.next.store(0);
  roots.timersTaken.store(0);
  addDataRoots();
  stackRootsArg a{self, selfsp};
  forEachG(addStackRoots, &a);
  if (regs != nullptr) {
    uintptr_t r = reinterpret_cast<uintptr_t>(regs);
    addroot(r, r + nregs * sizeof(uintptr_t));
  }
  addMRoots();
  GOL_ASSERT(work.nfull.load() == 0, "gc: work left from the last cycle");
}

// The CPU time of the calling thread: a worker's share in gctrace is what it ran, not the
// time it spent descheduled on a loaded machine.
static int64_t threadCpuNs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void gcMarkWorker(gcWork* w) {
  int64_t t0 = threadCpuNs();
  for (uint32_t i; (i = roots.next.fetch_add(1)) < roots.n;) scanblock(roots.r[i].lo, roots.r[i].hi, w);
  if (roots.timersTaken.exchange(1) == 0) {
    forEachTimerArray([](uintptr_t lo, uintptr_t hi, void* arg) { scanblock(lo, hi, static_cast<gcWork*>(arg)); }, w);
  }
  drain(w);
  w->dispose();
  w->cpuNs += threadCpuNs() - t0;
}

}  // namespace gol::rt
