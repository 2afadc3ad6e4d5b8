// abi.h: the contract between compiled Gol code and the runtime (DESIGN §3).
//
// Everything compiled code calls is declared here, with C linkage and a `gol_` prefix, or with
// the Go-level symbol name of a standard-library function (`runtime.Gosched`) given through an
// asm label, so tracebacks print Go's names. compiler/lower_rt.cpp mirrors this list in one place:
// change both together.
//
// Value layouts (LLVM types in brackets):
//   int, uint, uintptr = 64 bits; rune = int32; byte = uint8; bool = i1 in registers, i8 in memory
//   string  = { const uint8_t* ptr; int64_t len }                 [{ptr, i64}]
//   slice   = { void* ptr; int64_t len; int64_t cap }             [{ptr, i64, i64}]
//   closure = pointer to { fn, captured... }; the context is a hidden first parameter
//   map, chan = pointers to runtime objects
// Strings are passed to runtime functions as two scalar arguments (ptr, len) and returned as a
// GoString, which the SysV x86-64 and AAPCS64 ABIs return in two registers, exactly like an LLVM
// function returning {ptr, i64}.
//
// Symbols compiled code defines (one program = package main):
//   "main.main"   func main()
//   "main.init"   the package initialiser: package-level variables in dependency order, then
//                 every func init() in source order. Always emitted, possibly empty.
// A Gol function `f` of package main is the symbol "main.f"; a method is "main.T.M" or
// "main.(*T).M", as Go spells them in tracebacks.
#pragma once
#include <cstdint>

extern "C" {

struct GoString {
  const uint8_t* ptr;
  int64_t len;
};

// Returned through a hidden pointer (sret) by the C ABI, as 24-byte structs are.
struct GoSlice {
  void* ptr;
  int64_t len;
  int64_t cap;
};

// ---- program entry, defined by compiled code ----
void gol_main_main() __asm__("main.main");
void gol_main_init() __asm__("main.init");

// ---- goroutines (proc.cpp) ----
// `go f(a, b)`: the compiler packs the evaluated arguments into a struct and passes a pointer
// to it with its size; newproc copies the block onto the new goroutine's stack (the seed's
// newproc copies `siz` bytes of arguments the same way) and the goroutine runs fn(copy).
// When fn returns, the goroutine exits (goexit).
void gol_newproc(void (*fn)(void* args), const void* args, int64_t argsize);

// ---- channels (chan.cpp) and select (select.cpp) ----
// A chan value is a pointer to the runtime's hchan; nil is a nil channel. elem arguments
// point at a value of the channel's element type (elemsize bytes): the value to send, or
// where to store the received one (null: discard it).
//   make(chan T, n)   gol_makechan(&T's descriptor or null, sizeof(T), n)
//                     panics `makechan: size out of range` if n < 0 or too large
//   c <- v            gol_chansend1(c, &v)
//   v = <-c           gol_chanrecv1(c, &v)          <-c as a statement: gol_chanrecv1(c, null)
//   v, ok = <-c       ok = gol_chanrecv2(c, &v)     ok is false: c is closed and empty
//   close(c)          gol_closechan(c)
//   len(c), cap(c)    gol_chanlen(c), gol_chancap(c)  (0 for a nil channel)
// Sending on a closed channel panics `send on closed channel`; closing a closed or nil
// channel panics `close of closed channel` / `close of nil channel`. A nil channel blocks
// forever.
void* gol_makechan(const void* elemtype, int64_t elemsize, int64_t size);
void gol_chansend1(void* c, const void* elem);
void gol_chanrecv1(void* c, void* elem);
bool gol_chanrecv2(void* c, void* elem);
void gol_closechan(void* c);
int64_t gol_chanlen(void* c);
int64_t gol_chancap(void* c);

// A select with one case and a default is lowered without selectgo, as Go does:
//   select {                        if gol_selectnbsend(c, &v) {
//   case c <- v:                        ... foo
//     ... foo                       } else {
//   default:                            ... bar
//     ... bar                       }
//   }
//   select { case v = <-c: ... default: ... }       if gol_selectnbrecv(&v, c) { ... }
//   select { case v, ok = <-c: ... default: ... }   if gol_selectnbrecv2(&v, &ok, c) { ... }
// Each returns true if the case ran (it would not have blocked).
bool gol_selectnbsend(void* c, const void* elem);
bool gol_selectnbrecv(void* elem, void* c);
bool gol_selectnbrecv2(void* elem, bool* received, void* c);

// Every other select: the compiler builds an array of cases in source order (a send's elem
// points at the evaluated value, a receive's at its destination or null) and calls
//   int64_t i = gol_selectgo(cases, n, &recvOK, hasDefault);
// which runs one ready case, chosen uniformly at random among the ready ones, and returns its
// index; with none ready it returns -1 if hasDefault, else blocks until one is. recvOK is set
// for a receive case (false: the channel was closed). A case with a nil c never runs.
// `select {}` is gol_block(), which never returns.
enum { GOL_CASE_RECV = 1, GOL_CASE_SEND = 2 };
struct gol_scase {
  void* c;       // the channel, or null
  void* elem;    // send: the value; receive: where to store it, or null
  int64_t kind;  // GOL_CASE_RECV or GOL_CASE_SEND
};
int64_t gol_selectgo(gol_scase* cases, int64_t ncases, bool* recvOK, bool hasDefault);
[[noreturn]] void gol_block();

// ---- semaphores for package sync (sema.cpp) ----
// The Gol sync package (Mutex, RWMutex, WaitGroup, Once, Cond) is written in Gol, like Go's,
// spinning and CASing on its own words and calling these only to park and wake. A semaphore
// is a uint32 in the sync object; acquire waits until it is > 0 and decrements it, release
// increments it and wakes one waiter. The variants differ in the wait reason goroutine dumps
// show (Go's sync_runtime_Semacquire*); as in Go 1.19, all of them show `semacquire` for now
// (sema.cpp). lifo: queue first (a Mutex waiter that waited
// before); handoff: hand the count to the first waiter and yield to it (starvation mode).
void gol_semacquire(uint32_t* addr);
void gol_semrelease(uint32_t* addr);
void gol_semacquire_mutex(uint32_t* addr, bool lifo);
void gol_semrelease_mutex(uint32_t* addr, bool handoff);
void gol_semacquire_rwmutexR(uint32_t* addr, bool lifo);
void gol_semacquire_rwmutex(uint32_t* addr, bool lifo);
void gol_semacquire_waitgroup(uint32_t* addr);
// sync.Cond's notify list, a 32-byte struct embedded in the Cond (zero value ready):
// Wait is `t := notifyListAdd(&l); c.L.Unlock(); notifyListWait(&l, t); c.L.Lock()`, with the
// wait reason `sync.Cond.Wait`. notifyListCheck(size) throws unless size is 32 (call it from
// the sync package's init, as Go does).
uint32_t gol_notifyListAdd(void* l);
void gol_notifyListWait(void* l, uint32_t t);
void gol_notifyListNotifyAll(void* l);
void gol_notifyListNotifyOne(void* l);
void gol_notifyListCheck(int64_t size);
// sync.Mutex's spin policy (Go's sync_runtime_canSpin/doSpin): whether to spin for the
// i-th time (i from 0) before parking, and one round of spinning (30 pause instructions).
bool gol_sync_canSpin(int64_t i);
void gol_sync_doSpin();
// sync's fatal errors ("sync: unlock of unlocked mutex"): gothrow with the Gol string s.
[[noreturn]] void gol_sync_throw(const uint8_t* s, int64_t n);

// ---- time (time.cpp): the runtime half of package time ----
// Times are int64 nanoseconds: gol_nanotime is the monotonic clock (CLOCK_MONOTONIC) that
// every `when` below is on; gol_walltime_ns the wall clock (CLOCK_REALTIME, since the Unix
// epoch). time.Sleep(d) is gol_timeSleep(d): parks ("sleep") for at least d; d <= 0 returns.
// Timers for time.NewTimer/After/NewTicker/AfterFunc:
//   t := gol_newtimer(when, period, arg, kind)   armed at once; period 0: one-shot, else it
//                                                fires at when, when+period, ... (missed
//                                                ticks are skipped)
//     kind GOL_TIMER_CHAN: arg is a chan int64 with a buffer of 1; each firing sends the wall
//                          time without blocking (dropped if the buffer is full)
//     kind GOL_TIMER_FUNC: arg is a func() closure; each firing runs `go arg()`
//     kind GOL_TIMER_TIME: as GOL_TIMER_CHAN, but the element is package time's Time,
//                          {wall, mono int64}: the wall and monotonic clocks at the firing
//   gol_stoptimer(t)         Stop: true if t was pending (it will not fire), false if it had
//                            fired or been stopped already
//   gol_resettimer(t, when)  Reset: re-arm for when (same period); true if it was pending
//   gol_modtimer(t, when, period)  the same with a new period (Ticker.Reset)
// The timer object is the runtime's; the time package keeps the pointer.
int64_t gol_nanotime();
int64_t gol_walltime_ns();
void gol_timeSleep(int64_t ns);
enum { GOL_TIMER_CHAN = 0, GOL_TIMER_FUNC = 1, GOL_TIMER_TIME = 2 };
void* gol_newtimer(int64_t when, int64_t period, void* chan_or_fn, int64_t kind);
bool gol_stoptimer(void* t);
bool gol_resettimer(void* t, int64_t when);
bool gol_modtimer(void* t, int64_t when, int64_t period);

// ---- defer, recover (panic.cpp) ----
// `defer f(a, b)` evaluates f and its arguments at once and packs them into a record (in the
// frame, or on the heap for a defer in a loop) that starts with a gol_defer header (the packed
// call follows it); compiled code fills in fn and frame, pushes d on the running goroutine's
// defer chain (g._defer, at GOL_G_DEFER_OFFSET) and saves its context in d->ctx. Every return from a function containing defer statements first calls
// gol_deferreturn(frame): it pops and runs (d->fn(d)), newest first, the records at the top of
// the chain whose frame is this activation's (the address of a slot in its frame). A record
// is popped before its call runs, so a deferred call may defer. runtime.Goexit runs the
// goroutine's records before it exits.
//
// A panic runs the records left on the chain, newest first. If one of those calls recovers
// (below), the panic stops and execution resumes in the frame that deferred it, as if that
// frame's setjmp into d->ctx returned a second time, with 1: compiled code then runs its
// deferred calls and returns its result parameters' current values. The setjmp is inline asm
// (compiler/lower_go.cpp, emitDeferSetjmp; returns_twice): it saves the callee-saved
// registers, the stack pointer and the address after it (rbx, rbp, r12-r15, rsp, pc on
// x86-64) for that second return. If no deferred call recovers, the panic is printed
// (`panic: ...`, exit 2) after the chain is empty.
//
// recover() is gol_gorecover(frame), frame = the caller's frame address: it returns the
// current panic's value and marks the panic recovered when called directly by a deferred call
// while panicking (frame's saved rbp is the deferred call wrapper's frame, which gopanic ran),
// else nil {null, null}. Panic values: gol_gopanic's {type, data}. For gol_panicstring and the
// runtime errors the value is a string (or a runtime.Error) whose descriptor compiled code must
// recognise (x.(string)): descriptors of predeclared types are then shared between compiler
// and runtime, which is not settled yet (the compiler emits its own today).
struct gol_defer {
  gol_defer* link;           // the next older record (set by the push)
  void (*fn)(gol_defer* d);  // makes the deferred call from the fields after the header
  void* frame;               // the deferring activation (null: one that never calls gol_deferreturn)
  // Filled by the setjmp for the second return: rbx, rbp, r12-r15, rsp, the resume address
  // (x86-64). Not pointers into the heap (scanned anyway).
  uintptr_t ctx[8];
};
struct GoEface {  // an interface{} value, returned in two registers like a GoString
  const void* type;
  void* data;
};
// Where g._defer (the running G's defer chain) lies in a g: compiled code's open-coded returns
// pop their own records there (lower_stmt.cpp), and gol_deferproc pushes there. panic.cpp
// static_asserts it.
#define GOL_G_DEFER_OFFSET 48
void gol_deferreturn(void* frame);
GoEface gol_gorecover(void* frame);

// ---- system calls (syscall.cpp) ----
// Any code that blocks in the kernel brackets the call, in the same function:
//   gol_entersyscall(); r = read(...); gol_exitsyscall();
// so that the goroutine's P serves other goroutines meanwhile (sysmon retakes it after about
// 20 µs). gol_entersyscallblock() instead of gol_entersyscall() for calls known to block
// (hands the P off at once). The entry saves the caller's frame and registers for the collector.
// The wrappers below do this for the standard library. They return the result, or -errno
// (no retry on EINTR, like package syscall). Paths are Gol strings (ptr, len); O_CLOEXEC is
// always added, as Go's os package does.
void gol_entersyscall();
void gol_entersyscallblock();
void gol_exitsyscall();
int64_t gol_sys_read(int64_t fd, void* p, int64_t n);
int64_t gol_sys_write(int64_t fd, const void* p, int64_t n);
int64_t gol_sys_open(const uint8_t* path, int64_t pathlen, int64_t flags, int64_t mode);
int64_t gol_sys_close(int64_t fd);
int64_t gol_sys_pipe2(int32_t* fds, int64_t flags);  // fds[0] read end, fds[1] write end

// ---- print/println builtins (print.cpp): stderr, Go's formats, never allocate ----
// println(a, b) lowers to: printlock; print a; printsp; print b; printnl; printunlock.
void gol_printlock();
void gol_printunlock();
void gol_printbool(bool v);
void gol_printint(int64_t v);
void gol_printuint(uint64_t v);
void gol_printfloat(double v);         // Go's print format: +1.500000e+000
void gol_printstring(const uint8_t* p, int64_t n);
void gol_printpointer(const void* p);  // 0xc000012345
void gol_printsp();
void gol_printnl();

// ---- strings (string.cpp) ----
GoString gol_concatstrings(const GoString* parts, int64_t n);  // n >= 2
int64_t gol_cmpstring(const uint8_t* a, int64_t alen, const uint8_t* b, int64_t blen);  // -1, 0, +1
GoString gol_intstring(int64_t v);  // string(rune(v)): UTF-8 of v, "\uFFFD" if v is not a valid rune
// Conversions between strings and byte/rune slices; each result owns new memory.
GoString gol_slicebytetostring(const uint8_t* p, int64_t n);   // string(b)
GoSlice gol_stringtoslicebyte(const uint8_t* p, int64_t n);    // []byte(s)
GoString gol_slicerunetostring(const int32_t* p, int64_t n);   // string(r)
GoSlice gol_stringtoslicerune(const uint8_t* p, int64_t n);    // []rune(s)
// for i, r := range s: compiled code decodes ASCII itself (s[k] < 0x80) and calls this for
// anything else: the rune starting at s[k] (0xFFFD for an invalid encoding, which then
// counts as one byte) and the index just after it. Returned in two registers like a GoString.
struct GoRuneAndPos {
  int32_t rune;
  int64_t pos;
};
GoRuneAndPos gol_decoderune(const uint8_t* p, int64_t n, int64_t k);

// ---- slices (slice.cpp) ----
// make([]T, len, cap): a zeroed array of cap elements of elemsize bytes. Panics as Go's
// makeslice does: `runtime error: makeslice: len out of range` when len < 0 or len * elemsize
// is too large, else `runtime error: makeslice: cap out of range` when cap < len or
// cap * elemsize is too large. make([]T, n) passes cap = len.
void* gol_makeslice(const void* elemtype, int64_t elemsize, int64_t len, int64_t cap);
// append, when the new length exceeds the capacity (Go's growslice): a new backing array with
// Go's growth rule (double below 256 elements, then about 1.25x, rounded up to a size
// class), holding the first newlen - num elements of oldptr and zeros after them. Returns
// {new array, newlen, new capacity}; the caller stores the num appended elements.
GoSlice gol_growslice(const void* oldptr, int64_t newlen, int64_t oldcap, int64_t num,
                      const void* elemtype, int64_t elemsize);

// ---- maps (map.cpp; layouts in map.h) ----
// A map value is a pointer to the runtime's gol_hmap; nil is the nil map. maptype is the map
// type's descriptor (gol_maptype: key/elem descriptors, hasher, sizes); key and the returned
// element pointers point at values of the key and element types.
//   make(map[K]V, hint)  gol_makemap(&maptype, hint)     (hint <= 0: none)
//   m[k]                 *gol_mapaccess1(&maptype, m, &k) (a pointer to a zero value if absent)
//   v, ok := m[k]        p = gol_mapaccess2(&maptype, m, &k, &ok)
//   m[k] = v             *gol_mapassign(&maptype, m, &k) = v; panics `assignment to entry in
//                        nil map` for a nil m
//   delete(m, k)         gol_mapdelete(&maptype, m, &k)
//   len(m)               gol_maplen(m)
//   clear(m)             gol_mapclear(&maptype, m)
//   for k, v := range m  gol_mapiterinit(&maptype, m, &it) with it GOL_HITER_WORDS words on the
//                        stack; while it.key != null: use *it.key, *it.elem; gol_mapiternext(&it)
// Element pointers are valid until the next write to the map. Hashing a key whose dynamic
// type is incomparable panics `runtime error: hash of unhashable type T`.
// Hashers (gol_maptype.hasher) the compiler uses for keys: uintptr_t(const void* key, seed).
void* gol_makemap(const void* maptype, int64_t hint);
void* gol_mapaccess1(const void* maptype, void* m, const void* key);
void* gol_mapaccess2(const void* maptype, void* m, const void* key, bool* ok);
void* gol_mapassign(const void* maptype, void* m, const void* key);
void gol_mapdelete(const void* maptype, void* m, const void* key);
int64_t gol_maplen(void* m);
void gol_mapclear(const void* maptype, void* m);
void gol_mapiterinit(const void* maptype, void* m, void* it);
void gol_mapiternext(void* it);
uintptr_t gol_memhash(const void* p, uintptr_t seed, uintptr_t n);
uintptr_t gol_memhash8(const void* p, uintptr_t seed);
uintptr_t gol_memhash16(const void* p, uintptr_t seed);
uintptr_t gol_memhash32(const void* p, uintptr_t seed);
uintptr_t gol_memhash64(const void* p, uintptr_t seed);
uintptr_t gol_strhash(const void* p, uintptr_t seed);    // p: a string {ptr, len}
uintptr_t gol_f32hash(const void* p, uintptr_t seed);    // +0 == -0; NaN random
uintptr_t gol_f64hash(const void* p, uintptr_t seed);
uintptr_t gol_c64hash(const void* p, uintptr_t seed);
uintptr_t gol_c128hash(const void* p, uintptr_t seed);
uintptr_t gol_nilinterhash(const void* p, uintptr_t seed);  // p: interface{} {type, data}
uintptr_t gol_interhash(const void* p, uintptr_t seed);     // p: {itab, data}, itab+8 = type

// ---- memory (malloc.cpp) ----
// The one allocation entry point. `type` is the compiler's type descriptor (may be null until
// descriptors exist). The memory is zeroed when needzero is true.
void* gol_mallocgc(int64_t size, const void* type, bool needzero);

// ---- the garbage collector (mgc.cpp) ----
// runtime.ReadMemStats(&m): fills a struct laid out like Go's runtime.MemStats up to DebugGC
// (Go's BySize array, which follows, is not filled: give the runtime a GolMemStats, or Go's
// MemStats, which starts the same). Stops the world while it reads, as Go does. Fields Gol
// does not track (Lookups, stack, span and mcache figures, GCCPUFraction) are 0.
struct GolMemStats {
  uint64_t Alloc, TotalAlloc, Sys, Lookups, Mallocs, Frees;
  uint64_t HeapAlloc, HeapSys, HeapIdle, HeapInuse, HeapReleased, HeapObjects;
  uint64_t StackInuse, StackSys, MSpanInuse, MSpanSys, MCacheInuse, MCacheSys;
  uint64_t BuckHashSys, GCSys, OtherSys;
  uint64_t NextGC, LastGC;
  uint64_t PauseTotalNs;
  uint64_t PauseNs[256];   // circular: the most recent pause is PauseNs[(NumGC+255)%256]
  uint64_t PauseEnd[256];  // wall-clock ns at the end of each pause
  uint32_t NumGC, NumForcedGC;
  double GCCPUFraction;
  bool EnableGC, DebugGC;
};
void gol_readmemstats(void* out);

// ---- runtime errors (panic.cpp): recoverable panics with Go's messages ----
[[noreturn]] void gol_panicdivide();                      // integer divide by zero
[[noreturn]] void gol_panicshift();                       // negative shift amount
[[noreturn]] void gol_panicmem();                         // invalid memory address or nil pointer dereference
[[noreturn]] void gol_panicIndex(int64_t x, int64_t len); // index out of range [x] with length len
[[noreturn]] void gol_panicSliceAlen(int64_t x, int64_t len); // slice bounds out of range [:x] with length len
[[noreturn]] void gol_panicSliceAcap(int64_t x, int64_t cap); // slice bounds out of range [:x] with capacity cap
[[noreturn]] void gol_panicSliceB(int64_t x, int64_t y);      // slice bounds out of range [x:y]
[[noreturn]] void gol_panicSlice3Alen(int64_t x, int64_t len); // slice bounds out of range [::x] with length len
[[noreturn]] void gol_panicSlice3Acap(int64_t x, int64_t cap); // slice bounds out of range [::x] with capacity cap
[[noreturn]] void gol_panicSlice3B(int64_t x, int64_t y);      // slice bounds out of range [:x:y]
[[noreturn]] void gol_panicSlice3C(int64_t x, int64_t y);      // slice bounds out of range [x:y:]
[[noreturn]] void gol_panicstring(const uint8_t* p, int64_t n); // panic("...") with a string value
// Failed type assertions (Go's panicdottypeE / assertE2I), descriptors from typedesc.h:
//   x.(T), T concrete:  "interface conversion: interface {} is string, not int", or
//                       "interface conversion: interface is nil, not main.T" (have null);
//                       iface is x's static interface type ("interface {}", "main.I")
//   x.(I), I interface: "interface conversion: main.T is not main.I: missing method M"
//                       (missing: M's NUL-terminated name), or with have null
//                       "interface conversion: interface is nil, not main.I"
// Both are runtime.Error panics (`panic: ` + message, recoverable).
[[noreturn]] void gol_panicdottypeE(const void* have, const void* want, const void* iface);
[[noreturn]] void gol_panicdottypeI(const void* have, const void* want, const void* iface, const char* missing);
// A value method called through a nil pointer by a compiler-made wrapper ((*T).M, an itab
// slot of *T): msg is Go's "value method main.T.M called using nil *T pointer" (NUL-terminated).
[[noreturn]] void gol_panicwrap(const char* msg);
// == on interfaces holding the same incomparable dynamic type:
// "runtime error: comparing uncomparable type []int"
[[noreturn]] void gol_panicuncomparable(const void* type);
// panic(v) for any v but a plain string (gol_panicstring) or an error (the compiler calls
// v.Error() and uses gol_panicstring): v as an interface{} {type, data}. Printed as Go's
// printpanicval: bools, numbers and strings as print() shows them ("panic: 5"); named types
// of those kinds as `main.T(5)` / `main.S("x")`; anything else as `(main.T) 0xc000012345`
// (data); a nil interface (type null) as Go 1.19's "nil".
[[noreturn]] void gol_gopanic(const void* type, void* data);
// panic(v) for a v whose dynamic type implements error: the value is v itself ({type, data},
// what recover returns); error_fn is its Error method (the itab slot, called as error_fn(data)),
// which prints it if the panic is not recovered.
[[noreturn]] void gol_gopanicerror(const void* type, void* data, const void* error_fn);

// ---- package runtime, as Gol programs see it ----
void gol_runtime_Gosched() __asm__("runtime.Gosched");
void gol_runtime_Goexit() __asm__("runtime.Goexit");
int64_t gol_runtime_NumGoroutine() __asm__("runtime.NumGoroutine");
int64_t gol_runtime_GOMAXPROCS(int64_t n) __asm__("runtime.GOMAXPROCS");
int64_t gol_runtime_NumCPU() __asm__("runtime.NumCPU");
void gol_runtime_GC() __asm__("runtime.GC");  // a full collection, blocking (mgc.cpp)
void gol_runtime_LockOSThread() __asm__("runtime.LockOSThread");
void gol_runtime_UnlockOSThread() __asm__("runtime.UnlockOSThread");

}  // extern "C"
