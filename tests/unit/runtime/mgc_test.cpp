// mgc_test.cpp: the garbage collector (runtime/mgc.cpp, mgcmark.cpp, mgcsweep.cpp): roots on
// parked stacks and in registers, freeing and reuse, linked structures under many collections
// from many goroutines, parallel against single-threaded marking, gcstress, bounded memory.
//
// Everything a test keeps alive lives where the collector looks: goroutine stacks and
// registers, package-level (static) variables, heap objects. Never in std::vector or other
// malloc'd memory, and never on the test thread's own stack across runMain.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <cstring>

#include "runtime/abi.h"
#include "runtime/export_test.h"
#include "runtime/mgc.h"
#include "runtime/mheap.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

// struct node { left, right *node; val, check int64 }
struct node {
  node* left;
  node* right;
  int64_t val;
  int64_t check;
};
const uint8_t nodeBits[] = {0b0011};
const gol_type nodeType = {32, 16, 0x6e6f6465, 0, 8, 8, KindStruct, nullptr, nodeBits, "main.node"};
// *node, for arrays of pointers
const uint8_t ptrBits[] = {0b1};
const gol_type ptrType = {8, 8, 0x2a6e6f64, 0, 8, 8, KindPointer, nullptr, ptrBits, "*main.node"};

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }

node* newnode(node* l, node* r, int64_t v) {
  auto* n = static_cast<node*>(mallocgc(sizeof(node), &nodeType, true));
  n->left = l;
  n->right = r;
  n->val = v;
  n->check = v * 31 + 7;
  return n;
}

node* maketree(int depth, int64_t v) {
  if (depth == 0) return newnode(nullptr, nullptr, v);
  return newnode(maketree(depth - 1, 2 * v), maketree(depth - 1, 2 * v + 1), v);
}

// Sum of vals; -1 if any node is corrupt.
int64_t checktree(node* n) {
  if (n == nullptr) return 0;
  if (n->check != n->val * 31 + 7) return -1;
  int64_t l = checktree(n->left), r = checktree(n->right);
  if (l < 0 || r < 0) return -1;
  return n->val + l + r;
}

int64_t treesum(int depth, int64_t v) {
  if (depth == 0) return v;
  return v + treesum(depth - 1, 2 * v) + treesum(depth - 1, 2 * v + 1);
}

// An object is live in the heap's eyes: in an in-use span, in an allocated slot.
bool allocated(uintptr_t p) {
  mspan* s;
  uintptr_t idx;
  return findObject(p, &s, &idx) == p && !s->isFree(idx);
}

void garbage(uintptr_t bytes) {
  for (uintptr_t n = 0; n < bytes; n += 64) {
    node* g = newnode(nullptr, nullptr, 1);
    asm volatile("" : : "r"(g) : "memory");
  }
}

GolMemStats memstats() {
  static GolMemStats ms;  // 4 KiB of pause arrays: not on a goroutine's small frame budget
  gol_readmemstats(&ms);
  return ms;
}

std::atomic<int> failures{0};
std::atomic<int> done{0};

}  // namespace

TEST_CASE("gc: objects reachable only from a parked goroutine's stack survive, the rest is freed") {
  static void* ch;
  static std::atomic<uint64_t> freesBefore, freesAfter;
  failures = 0;
  done = 0;
  int n = testing::runMain(
      [] {
        setGCPercent(-1);  // only the collections this test asks for
        ch = gol_makechan(nullptr, 8, 0);
        gol_newproc(
            [](void*) {
              node* head = nullptr;
              for (int i = 0; i < 5000; i++) head = newnode(head, nullptr, i);
              int64_t token;
              gol_chanrecv1(ch, &token);  // parked: head is only on this stack (or its saved registers)
              int64_t i = 4999;
              for (node* n = head; n != nullptr; n = n->left, i--) {
                if (n->val != i || n->check != i * 31 + 7) failures++;
              }
              if (i != -1) failures++;
              done++;
            },
            nullptr, 0);
        gol_runtime_Gosched();  // let it build and park
        freesBefore = memstats().Frees;
        garbage(8 << 20);
        for (int i = 0; i < 3; i++) gol_runtime_GC();
        freesAfter = memstats().Frees;
        garbage(8 << 20);  // reuses what was freed: would overwrite the list if it had been
        int64_t token = 1;
        gol_chansend1(ch, &token);
        while (done.load() == 0) gol_runtime_Gosched();
        setGCPercent(100);
      },
      2);
  CHECK(n == 0);
  CHECK(failures == 0);
  CHECK(freesAfter - freesBefore >= (8 << 20) / 64 - 1000);  // the garbage was freed
}

namespace {

// Hidden (xor-ed) addresses of objects nothing references: garbage for the collector.
constexpr int NHidden = 1000;
constexpr uintptr_t HideMask = uintptr_t(1) << 63;  // out of the heap: no conservative root
uintptr_t hidden[NHidden];
[[gnu::noinline]] void makeHidden() {
  for (auto& h : hidden) h = addr(newnode(nullptr, nullptr, 17)) ^ HideMask;
}

// Keeps p only in r12 (a callee-saved register) across the collection, where the compiler
// must preserve it; the hidden objects must go. (A conservative scan may keep a few hidden
// ones through stale stack words: most, not all, must be freed.)
[[gnu::noinline]] void registerHeld(bool* survived, bool* hiddenFreed) {
#if defined(__x86_64__)
  register uintptr_t r12 asm("r12") = addr(newnode(nullptr, nullptr, 4242));
  asm volatile("" : "+r"(r12));
  makeHidden();
  gol_runtime_GC();
  asm volatile("" : "+r"(r12));
  int freed = 0;
  for (uintptr_t h : hidden) freed += !allocated(h ^ HideMask);
  garbage(4 << 20);
  auto* p = reinterpret_cast<node*>(r12);
  *survived = allocated(r12) && p->val == 4242 && p->check == 4242 * 31 + 7;
  *hiddenFreed = freed >= NHidden - 10;
#else
  *survived = *hiddenFreed = true;
#endif
}

}  // namespace

TEST_CASE("gc: an object held only in a callee-saved register survives, a hidden one is freed") {
  static bool survived, hiddenFreed;
  int n = testing::runMain([] {
    setGCPercent(-1);
    registerHeld(&survived, &hiddenFreed);
    setGCPercent(100);
  });
  CHECK(n == 0);
  CHECK(survived);
  CHECK(hiddenFreed);
}

TEST_CASE("gc: an object held in a parked goroutine's callee-saved register survives") {
  static void* ch;
  static bool ok;
  int n = testing::runMain(
      [] {
        setGCPercent(-1);
        ch = gol_makechan(nullptr, 8, 0);
        gol_newproc(
            [](void*) {
#if defined(__x86_64__)
              register uintptr_t r13 asm("r13") = addr(newnode(nullptr, nullptr, 99));
              asm volatile("" : "+r"(r13));
              int64_t token;
              gol_chanrecv1(ch, &token);  // the switch saves r13 with the context (or a callee spills it)
              asm volatile("" : "+r"(r13));
              ok = allocated(r13) && reinterpret_cast<node*>(r13)->val == 99;
#else
              int64_t token;
              gol_chanrecv1(ch, &token);
              ok = true;
#endif
              done++;
            },
            nullptr, 0);
        done = 0;
        gol_runtime_Gosched();
        garbage(4 << 20);
        gol_runtime_GC();
        garbage(4 << 20);
        gol_runtime_GC();
        int64_t token = 1;
        gol_chansend1(ch, &token);
        while (done.load() == 0) gol_runtime_Gosched();
        setGCPercent(100);
      },
      2);
  CHECK(n == 0);
  CHECK(ok);
}

TEST_CASE("gc: freed memory is reused: the heap does not grow for garbage") {
  static uint64_t sys0, sys1, frees0, frees1, numgc0, numgc1;
  int n = testing::runMain([] {
    setGCPercent(-1);
    gol_runtime_GC();
    GolMemStats a = memstats();
    sys0 = a.HeapSys;
    frees0 = a.Frees;
    numgc0 = a.NumGC;
    for (int round = 0; round < 20; round++) {
      garbage(16 << 20);
      void* big = mallocgc(1 << 20, &gol_type_noscan, true);  // large objects too
      asm volatile("" : : "r"(big) : "memory");
      gol_runtime_GC();
    }
    GolMemStats b = memstats();
    sys1 = b.HeapSys;
    frees1 = b.Frees;
    numgc1 = b.NumGC;
    setGCPercent(100);
  });
  CHECK(n == 0);
  CHECK(numgc1 - numgc0 == 20);
  CHECK(frees1 - frees0 >= 20 * ((16 << 20) / 64) * 99 / 100);  // conservative roots may keep a few
  CHECK(sys1 - sys0 <= (64 << 20));  // one arena's worth of slack at most, not 320 MiB
}

namespace {

constexpr int Builders = 8;
constexpr int TreeDepth = 10;
constexpr int Rounds = 12;
void* treech;  // chan *node, shared by builders and checkers

void builder(void* arg) {
  int id = *static_cast<int*>(arg);
  for (int r = 0; r < Rounds; r++) {
    node* t = maketree(TreeDepth, id * 1000 + r + 1);
    garbage(256 << 10);
    gol_chansend1(treech, &t);
  }
}

void checker(void*) {
  for (;;) {
    node* t;
    if (!gol_chanrecv2(treech, &t)) break;
    garbage(128 << 10);
    if (checktree(t) != treesum(TreeDepth, t->val)) failures++;
    done++;
  }
}

}  // namespace

TEST_CASE("gc: trees built by many goroutines and passed over channels survive many collections") {
  for (int32_t procs : {1, 4}) {
    CAPTURE(procs);
    static uint32_t gcs;
    failures = 0;
    done = 0;
    int n = testing::runMain(
        [] {
          setGCPercent(20);  // collect often
          uint32_t gc0 = gcNumGC();
          treech = gol_makechan(&ptrType, 8, 4);
          for (int i = 0; i < 3; i++) gol_newproc(checker, nullptr, 0);
          for (int id = 0; id < Builders; id++) gol_newproc(builder, &id, sizeof id);
          for (int last = 0; done.load() < Builders * Rounds;) {
            gol_runtime_Gosched();
            if (done.load() / 16 != last) {
              last = done.load() / 16;
              gol_runtime_GC();
            }
          }
          gol_closechan(treech);
          treech = nullptr;
          for (int i = 0; i < 100; i++) gol_runtime_Gosched();
          gcs = gcNumGC() - gc0;
          setGCPercent(100);
        },
        procs);
    CHECK(n == 0);
    CHECK(failures == 0);
    CHECK(gcs >= 5);
  }
}

namespace {
node* forest[64];  // a package-level variable: a root
}

TEST_CASE("gc: marking in parallel finds exactly what single-threaded marking finds") {
  static testing::markCounts one, four, two;
  int n = testing::runMain(
      [] {
        setGCPercent(-1);
        for (int i = 0; i < 64; i++) forest[i] = maketree(9, i);
        garbage(4 << 20);
        one = testing::gcMarkOnly(1);
        four = testing::gcMarkOnly(4);
        two = testing::gcMarkOnly(2);
        bool ok = true;
        for (int i = 0; i < 64; i++) ok &= checktree(forest[i]) == treesum(9, i);
        if (!ok) failures++;
        for (auto& t : forest) t = nullptr;
        setGCPercent(100);
      },
      4);
  CHECK(n == 0);
  CHECK(one.objects >= 64 * 1023);
  CHECK(one.objects == four.objects);
  CHECK(one.bytes == four.bytes);
  CHECK(one.objects == two.objects);
}

TEST_CASE("gc: gcstress collects every few allocations and loses nothing") {
  static uint32_t gcs;
  failures = 0;
  int n = testing::runMain(
      [] {
        setGCPercent(100);  // reads GOGC/GODEBUG first, so what we set below stays
        uint32_t gc0 = gcNumGC();
        gcdebug.gcstress = 50;
        gcwant.store(1);
        node* keep = nullptr;
        for (int i = 0; i < 20000; i++) {
          keep = newnode(keep, nullptr, i);
          if (i % 3 == 0) garbage(64);
        }
        int64_t i = 19999;
        for (node* p = keep; p != nullptr; p = p->left, i--) {
          if (p->val != i || p->check != i * 31 + 7) failures++;
        }
        if (i != -1) failures++;
        gcdebug.gcstress = 0;
        setGCPercent(100);  // recomputes gcwant
        gcs = gcNumGC() - gc0;
      },
      2);
  CHECK(n == 0);
  CHECK(failures == 0);
  CHECK(gcs >= 20000 * 4 / 3 / 50 - 5);
}

TEST_CASE("gc: 2 GB allocated with 50 MB live stays in bounded memory") {
  static uint64_t heapSys, numgc, totalAlloc;
  failures = 0;
  int n = testing::runMain(
      [] {
        setGCPercent(100);
        constexpr int NBig = 5000;      // 5000 x 8 KiB = 40 MiB
        constexpr int NSmall = 320000;  // 320000 x 32 B = 10 MiB
        auto** big = static_cast<uint64_t**>(mallocgc(NBig * 8, &ptrType, true));
        auto** small = static_cast<node**>(mallocgc(NSmall * 8, &ptrType, true));
        uint64_t total = 0;
        GolMemStats a = memstats();
        for (uint64_t i = 0; total < (uint64_t(2) << 30); i++) {
          auto* b = static_cast<uint64_t*>(mallocgc(8192, &gol_type_noscan, true));
          b[0] = i;
          b[1023] = ~i;
          big[i % NBig] = b;
          for (int k = 0; k < 4; k++) {
            uint64_t j = (i * 4 + k) % NSmall;
            small[j] = newnode(nullptr, nullptr, int64_t(j));
          }
          total += 8192 + 4 * sizeof(node);
        }
        for (int i = 0; i < NBig; i++) {
          if (big[i] == nullptr || big[i][0] % NBig != uint64_t(i) || big[i][1023] != ~big[i][0]) failures++;
        }
        for (int j = 0; j < NSmall; j++) {
          if (small[j] == nullptr || small[j]->val != j) failures++;
        }
        GolMemStats b = memstats();
        heapSys = b.HeapSys;
        numgc = b.NumGC - a.NumGC;
        totalAlloc = b.TotalAlloc - a.TotalAlloc;
      },
      2);
  std::printf("gc bounded-memory test: %llu MB allocated, %u collections, HeapSys %llu MB (live ~50 MB)\n",
              (unsigned long long)(totalAlloc >> 20), unsigned(numgc), (unsigned long long)(heapSys >> 20));
  CHECK(n == 0);
  CHECK(failures == 0);
  CHECK(totalAlloc >= (uint64_t(2) << 30));
  CHECK(numgc >= 10);
  CHECK(heapSys < uint64_t(150) << 20);
}

TEST_CASE("gc: GOGC off: no collection starts by itself, runtime.GC still collects") {
  static uint32_t auto0, auto1, forced;
  int n = testing::runMain([] {
    setGCPercent(-1);
    auto0 = gcNumGC();
    garbage(32 << 20);
    auto1 = gcNumGC();
    gol_runtime_GC();
    forced = gcNumGC();
    setGCPercent(100);
  });
  CHECK(n == 0);
  CHECK(auto1 == auto0);
  CHECK(forced == auto1 + 1);
}
