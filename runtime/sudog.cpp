// sudog.cpp: the sudog cache (Go's acquireSudog/releaseSudog, proc.go).
//
// Blocking on a channel or a semaphore needs a sudog for a short while; a cache per P makes
// that an array push/pop with no lock. A P's cache is refilled from, and spills half of itself
// to, a central list under sudoglock. The cache is indexed by P id rather than stored in
// struct p, so the scheduler's structs stay as they are; a P that procresize retires keeps its
// slot for when it comes back. sudogs are never freed (Go's are garbage collected).
#include "runtime.h"
#include "sudog.h"

namespace gol::rt {
namespace {

constexpr int SudogCacheSize = 128;

// Owned by the M holding the P whose id indexes it. Aligned to a cache line: unaligned, one
// P's count shared a line with the next P's first slots, and on sieve with GOMAXPROCS=2 that
// false sharing made acquireSudog and releaseSudog 30 % of all cycles (Go's: 8 %).
struct alignas(64) sudogcache {
  sudog* buf[SudogCacheSize];
  int n;
};
sudogcache sudogcaches[MaxGomaxprocs];

mutex sudoglock;
sudog* sudogfree = nullptr;  // guarded by sudoglock, linked by next

}  // namespace

sudog* acquireSudog() {
  m* mp = getg()->m;
  mp->locks++;  // keep our P while we use its cache
  p* pp = mp->p;
  sudog* s = nullptr;
  if (pp != nullptr) {
    sudogcache& c = sudogcaches[pp->id];
    if (c.n == 0) {
      // First, try to grab a batch from the central cache.
      lock(&sudoglock);
      while (c.n < SudogCacheSize / 2 && sudogfree != nullptr) {
        sudog* t = sudogfree;
        sudogfree = t->next;
        t->next = nullptr;
        c.buf[c.n++] = t;
      }
      unlock(&sudoglock);
    }
    if (c.n > 0) s = c.buf[--c.n];
  }
  if (s == nullptr) s = persistentnew<sudog>();
  mp->locks--;
  GOL_ASSERT(s->elem == nullptr && s->next == nullptr && s->prev == nullptr && s->waitlink == nullptr &&
                 s->c == nullptr && s->selectdone == nullptr,
             "acquireSudog: found sudog in use");
  return s;
}

void releaseSudog(sudog* s) {
  GOL_ASSERT(s->elem == nullptr, "runtime: sudog with non-nil elem");
  GOL_ASSERT(!s->isSelect, "runtime: sudog with non-false isSelect");
  GOL_ASSERT(s->next == nullptr && s->prev == nullptr, "runtime: sudog with non-nil next or prev");
  GOL_ASSERT(s->waitlink == nullptr, "runtime: sudog with non-nil waitlink");
  GOL_ASSERT(s->c == nullptr, "runtime: sudog with non-nil c");
  s->g = nullptr;
  s->selectdone = nullptr;
  s->ticket = 0;
  s->waittail = nullptr;
  s->success = false;
  m* mp = getg()->m;
  mp->locks++;
  p* pp = mp->p;
  if (pp == nullptr) {
    lock(&sudoglock);
    s->next = sudogfree;
    sudogfree = s;
    unlock(&sudoglock);
    mp->locks--;
    return;
  }
  sudogcache& c = sudogcaches[pp->id];
  if (c.n == SudogCacheSize) {
    // Transfer half of the local cache to the central cache.
    sudog* first = nullptr;
    sudog* last = nullptr;
    while (c.n > SudogCacheSize / 2) {
      sudog* t = c.buf[--c.n];
      if (first == nullptr) {
        first = t;
      } else {
        last->next = t;
      }
      last = t;
    }
    lock(&sudoglock);
    last->next = sudogfree;
    sudogfree = first;
    unlock(&sudoglock);
  }
  c.buf[c.n++] = s;
  mp->locks--;
}

}  // namespace gol::rt
