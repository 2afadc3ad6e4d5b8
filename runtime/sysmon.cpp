// sysmon.cpp: the system monitor (Go 1.5's sysmon, retake, preemptall, preemptone and
// schedtrace, from proc1.go).
//
// sysmon runs on an M of its own, without a P, so it works even when every P is busy in a
// goroutine that never yields. Each round it sleeps (20 µs at first, doubling after 50
// rounds in which it woke nobody, up to 10 ms), then:
//   - retake: a P whose M has sat in a system call since the previous round, while there is
//     other work, is handed off to another M (handoffp); a G that has run for more than
//     ForcePreemptNS (10 ms) without rescheduling is asked to yield (preemptone);
//   - starts an M for a timer that is overdue while no M sleeps or spins for timers;
//   - calls the collector's and the scavenger's hooks when their periods elapse;
//   - prints the schedtrace line with GODEBUG=schedtrace=MS.
// When every P is idle (or the world is stopped) there is nothing to watch: sysmon sleeps on
// sched.sysmonnote until startm, exitsyscall or startTheWorld wakes it, or until the next
// timer or the forced-GC period.
//
// Retake's clocks: p.schedtick counts the time slices a P started (execute), p.syscalltick
// the system calls it left. sysmon remembers each in pdesc with the time it first saw the
// value; a value that has not changed for a whole period means the same G has been running,
// or the same system call blocking, all along.
#include "runtime.h"
#include "trace.h"
#include "timer.h"

namespace gol::rt {

std::atomic<bool> sysmonStarted{false};

namespace {

struct pdescT {
  uint32_t schedtick;
  int64_t schedwhen;
  uint32_t syscalltick;
  int64_t syscallwhen;
};
pdescT pdesc[MaxGomaxprocs];  // sysmon's own: only it reads or writes these

}  // namespace

void startsysmon() {
  bool no = false;
  if (sysmonStarted.compare_exchange_strong(no, true)) newm(sysmon, nullptr);
}

// The hooks' defaults: nothing to do until the collector (mgc*.cpp) and the scavenger define
// their own (strong symbols win over these weak ones at link time).
__attribute__((weak)) void gcForceHook(int64_t) {}
__attribute__((weak)) void scavengeHook(int64_t) {}

// ---- Gol: timers under busy Ps (HACKING.md "Timers and the scheduler", site 6) ----
// Go 1.5 fires timers from a timer goroutine, which runs only when some P schedules it: with
// every P in a long-running G, a 1 ms time.Sleep wakes up to a time slice plus a sysmon round
// late (Go 1.19 measures ~40 ms on the preempt benchmark). Gol bounds that by sysmon's reaction
// time: sysmon sleeps no longer than until the earliest timer, addtimer wakes it early when it
// arms a timer before sysmon's wake-up, and preemptForTimers asks the G on a P with an overdue
// timer to yield, so that P's schedule() runs the timer.

namespace {

// sysmonWakeAt: while sysmon sleeps in a round, the nanotime it will wake at; 0 otherwise. A
// waker must win the CAS wakeAt → 0 before its notewakeup, so each round gets at most one.
std::atomic<int64_t> sysmonWakeAt{0};
note sysmonRoundNote;

void sysmonRoundSleep(uint32_t us) {
  noteclear(&sysmonRoundNote);
  int64_t ns = int64_t(us) * 1000;
  sysmonWakeAt.store(nanotime() + ns);
  notetsleep(&sysmonRoundNote, ns);
  // A waker that won the CAS is committed to its notewakeup: take it, or it would land on the
  // next round's note after that round's noteclear.
  if (sysmonWakeAt.exchange(0) == 0) notesleep(&sysmonRoundNote);
}

}  // namespace

void wakeSysmonForTimer(int64_t when) {
  if (sched.npidle.load() != 0) return;  // an idle M takes care of it (wakeTimerSleeper)
  int64_t at = sysmonWakeAt.load();
  if (at != 0 && when < at && sysmonWakeAt.compare_exchange_strong(at, 0)) notewakeup(&sysmonRoundNote);
}

namespace {

// No longer than until the earliest timer (at least 20 µs, sysmon's shortest round).
uint32_t sleepBeforeTimer(uint32_t delay) {
  int64_t next = nextTimerWhen();
  if (next == 0) return delay;
  int64_t until = (next - nanotime()) / 1000;
  if (until < 20) until = 20;
  return until < int64_t(delay) ? uint32_t(until) : delay;
}

// Preempts the running G of every P with an overdue timer, when no P is idle (with an idle P,
// the startm above gives the timer an M). True if it asked some G to yield.
bool preemptForTimers(int64_t now) {
  if (sched.npidle.load() != 0) return false;
  bool res = false;
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    p* pp = allp[i].load(std::memory_order_acquire);
    if (pp == nullptr || pp->status.load() != Prunning) continue;
    int64_t when = timerWhen(pp);
    if (when != 0 && when <= now && preemptone(pp)) res = true;
  }
  return res;
}

}  // namespace

void sysmon() {
  // If we go two minutes without a garbage collection, force one to run.
  int64_t forcegcperiod = ForceGCPeriod;
  // If a heap span goes unused for 5 minutes after a garbage collection, we hand it back to
  // the operating system.
  int64_t scavengelimit = int64_t(5) * 60 * 1000000000;
  if (debug.scavenge > 0) {
    // Scavenge-a-lot for testing.
    forcegcperiod = 10 * 1000000;
    scavengelimit = 20 * 1000000;
  }
  int64_t lastscavenge = nanotime();

  // Make wake-up period small enough for the sampling to be correct.
  int64_t maxsleep = forcegcperiod / 2;
  if (scavengelimit < forcegcperiod) maxsleep = scavengelimit / 2;

  int64_t lasttrace = 0;
  int idle = 0;  // how many cycles in succession we had not woken up somebody
  uint32_t delay = 0;
  m* mp = getg()->m;
  for (;;) {
    if (idle == 0) {  // start with 20us sleep...
      delay = 20;
    } else if (idle > 50) {  // start doubling the sleep after 1ms...
      delay *= 2;
    }
    if (delay > 10 * 1000) delay = 10 * 1000;  // up to 10ms
    sysmonRoundSleep(sleepBeforeTimer(delay));
    if (debug.schedtrace <= 0 &&
        (sched.gcwaiting.load() != 0 || sched.npidle.load() == uint32_t(gomaxprocs.load()))) {
      lock(&sched.lock);
      if (sched.gcwaiting.load() != 0 || sched.npidle.load() == uint32_t(gomaxprocs.load())) {
        // Gol sleeps no longer than until the next timer (Go 1.14's timeSleepUntil), so an
        // overdue timer is noticed even when no M is left to sleep for it.
        int64_t sleep = maxsleep;
        if (int64_t next = nextTimerWhen(); next != 0) {
          int64_t d = next - nanotime();
          if (d < sleep) sleep = d < 0 ? 0 : d;
        }
        sched.sysmonwait.store(1);
        unlock(&sched.lock);
        mp->blocked = true;
        notetsleep(&sched.sysmonnote, sleep);
        mp->blocked = false;
        lock(&sched.lock);
        // A waker clears sysmonwait before its notewakeup, under sched.lock: the note is
        // cleared here only once that wake-up has happened.
        sched.sysmonwait.store(0);
        noteclear(&sched.sysmonnote);
        idle = 0;
        delay = 20;
      }
      unlock(&sched.lock);
    }
    // (The seed polls the network here if nobody did for 10 ms: no netpoller yet.)
    int64_t now = nanotime();

    // retake P's blocked in syscalls and preempt long running G's
    if (retake(now) != 0) {
      idle = 0;
    } else {
      idle++;
    }

    // A due timer no M is going to fire: every M is busy running Gs or asleep in stopm.
    // Start one (it finds the timer in findrunnable) if a P is idle (timer site 5).
    if (int64_t next = nextTimerWhen(); next != 0 && next <= now && sched.nmspinning.load() == 0 &&
                                        !timerSleeperActive() && sched.npidle.load() != 0) {
      startm(nullptr, false);
      idle = 0;
    }

    // A due timer on a P whose G keeps running: no scheduler will look at that heap before the
    // G's time slice ends (up to ForcePreemptNS and a sysmon round later), so ask the G to yield
    // now; schedule() runs its P's timers first thing.
    if (preemptForTimers(now)) idle = 0;

    // check if we need to force a GC: the collector knows when it last ran, so the hook
    // decides (Go's test: last GC more than forcegcperiod ago, forcegc goroutine idle)
    gcForceHook(now);
    // scavenge heap once in a while
    if (lastscavenge + scavengelimit / 2 < now) {
      scavengeHook(now);
      lastscavenge = now;
    }
    if (debug.schedtrace > 0 && lasttrace + int64_t(debug.schedtrace) * 1000000 <= now) {
      lasttrace = now;
      schedtrace(debug.scheddetail > 0);
    }
  }
}

uint32_t retake(int64_t now) {
  uint32_t n = 0;
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    p* pp = allp[i].load(std::memory_order_acquire);
    if (pp == nullptr) continue;
    pdescT* pd = &pdesc[i];
    uint32_t s = pp->status.load();
    if (s == Psyscall) {
      // Retake P from syscall if it's there for more than 1 sysmon tick (at least 20us).
      uint32_t t = pp->syscalltick.load();
      if (pd->syscalltick != t) {
        pd->syscalltick = t;
        pd->syscallwhen = now;
        continue;
      }
      // On the one hand we don't want to retake Ps if there is no other work to do, but on
      // the other hand we want to retake them eventually because they can prevent the
      // sysmon thread from deep sleep.
      if (runqempty(pp) && sched.nmspinning.load() + sched.npidle.load() > 0 && pd->syscallwhen + 10 * 1000 * 1000 > now) {
        continue;
      }
      // Need to decrement number of idle locked M's (pretending that one more is running)
      // before the CAS. Otherwise the M from which we retake can exit the syscall,
      // increment nmidle and report deadlock.
      incidlelocked(-1);
      if (pp->status.compare_exchange_strong(s, Pidle)) {
        if (traceEnabled) [[unlikely]] traceHandoff(pp, nullptr, "syscall");
        n++;
        pp->syscalltick++;
        handoffp(pp);
      }
      incidlelocked(1);
    } else if (s == Prunning) {
      // Preempt G if it's running for too long.
      uint32_t t = __atomic_load_n(&pp->schedtick, __ATOMIC_RELAXED);
      if (pd->schedtick != t) {
        pd->schedtick = t;
        pd->schedwhen = now;
        continue;
      }
      // Gol: a G that others wait behind on its own P gets a shorter slice. Without it, a G
      // chosen by schedule's 1-in-61 global-queue check makes the sleeper its timer just put
      // in runnext wait a whole slice (time.Sleep 10+ ms late under busy loops).
      int64_t slice = runqempty(pp) ? ForcePreemptNS : ForcePreemptWaitingNS;
      if (pd->schedwhen + slice > now) continue;
      preemptone(pp);
    }
  }
  return n;
}

// Tell all goroutines that they have been preempted and they should stop. This function is
// purely best-effort. It can fail to inform a goroutine if a processor just started running
// it. No locks need to be held. Returns true if preemption request was issued to at least
// one goroutine.
bool preemptall() {
  bool res = false;
  for (int32_t i = 0; i < gomaxprocs.load(); i++) {
    p* pp = allp[i].load(std::memory_order_acquire);
    if (pp == nullptr || pp->status.load() != Prunning) continue;
    if (preemptone(pp)) res = true;
  }
  return res;
}

// Tell the goroutine running on processor P to stop. This function is purely best-effort.
// It can incorrectly fail to inform the goroutine. It can inform the wrong goroutine. Even
// if it informs the correct goroutine, that goroutine might ignore the request if it is
// simultaneously executing gopreempt. No lock needs to be held. Returns true if preemption
// request was issued. The actual preemption will happen at some point in the future and
// will be indicated by the gp->status no longer being Grunning.
//
// Ms, Ps and Gs are never freed, so the racy reads below cannot fault; at worst they target
// a G that has just stopped running, which then yields once for nothing.
bool preemptone(p* pp) {
  m* mp = __atomic_load_n(&pp->m, __ATOMIC_RELAXED);
  g* self = getg();
  if (mp == nullptr || (self != nullptr && mp == self->m)) return false;
  g* gp = __atomic_load_n(&mp->curg, __ATOMIC_RELAXED);
  if (gp == nullptr || gp == mp->g0) return false;

  __atomic_store_n(&gp->preempt, true, __ATOMIC_RELAXED);

  // Every call in a goroutine checks for stack overflow by comparing the current stack
  // pointer to gp->stackguard0 (and every loop back-edge without calls polls it). Setting
  // gp->stackguard0 to StackPreempt folds preemption into the normal stack overflow check.
  setstackguard(gp, StackPreempt);
  if (traceEnabled) [[unlikely]] tracePreemptRequest(pp, gp);
  return true;
}

namespace {
int64_t starttime = 0;
}

// GODEBUG=schedtrace=MS[,scheddetail=1]: the seed's lines, character for character.
void schedtrace(bool detailed) {
  int64_t now = nanotime();
  if (starttime == 0) starttime = now;

  lock(&sched.lock);
  int32_t procs = gomaxprocs.load();
  print("SCHED ", (now - starttime) / 1000000, "ms: gomaxprocs=", procs, " idleprocs=", sched.npidle.load(),
        " threads=", sched.mcount, " spinningthreads=", sched.nmspinning.load(), " idlethreads=", sched.nmidle,
        " runqueue=", sched.runqsize.load());
  if (detailed) {
    print(" gcwaiting=", sched.gcwaiting.load(), " nmidlelocked=", sched.nmidlelocked, " stopwait=", sched.stopwait.load(),
          " sysmonwait=", sched.sysmonwait.load(), "\n");
  }
  // We must be careful while reading data from P's, M's and G's. Even if we hold schedlock,
  // most data can be changed concurrently. E.g. (p->m ? p->m->id : -1) can crash if p->m
  // changes from non-nil to nil.
  for (int32_t i = 0; i < procs; i++) {
    p* pp = allp[i].load(std::memory_order_acquire);
    if (pp == nullptr) continue;
    m* mp = __atomic_load_n(&pp->m, __ATOMIC_RELAXED);
    uint32_t h = pp->runqhead.load();
    uint32_t t = pp->runqtail.load();
    if (detailed) {
      int64_t id = -1;
      if (mp != nullptr) id = mp->id;
      print("  P", i, ": status=", pp->status.load(), " schedtick=", __atomic_load_n(&pp->schedtick, __ATOMIC_RELAXED),
            " syscalltick=", pp->syscalltick.load(), " m=", id, " runqsize=", t - h, " gfreecnt=", pp->gfreecnt.load(), "\n");
    } else {
      // In non-detailed mode format lengths of per-P run queues as: [len1 len2 len3 len4]
      print(" ");
      if (i == 0) print("[");
      print(t - h);
      if (i == procs - 1) print("]\n");
    }
  }

  if (!detailed) {
    unlock(&sched.lock);
    return;
  }

  for (m* mp = allm.load(std::memory_order_acquire); mp != nullptr; mp = mp->alllink) {
    p* pp = __atomic_load_n(&mp->p, __ATOMIC_RELAXED);
    g* gp = __atomic_load_n(&mp->curg, __ATOMIC_RELAXED);
    g* lockedg = __atomic_load_n(&mp->lockedg, __ATOMIC_RELAXED);
    int32_t id1 = pp != nullptr ? pp->id : -1;
    int64_t id2 = gp != nullptr ? gp->goid : -1;
    int64_t id3 = lockedg != nullptr ? lockedg->goid : -1;
    // helpgc is always 0: Gol's collector has no helper Ms (Go 1.5's gchelper).
    print("  M", mp->id, ": p=", id1, " curg=", id2, " mallocing=", mp->mallocing, " throwing=", mp->throwing,
          " preemptoff=", mp->preemptoff != nullptr ? mp->preemptoff : "", " locks=", mp->locks, " dying=", mp->dying,
          " helpgc=", 0, " spinning=", mp->spinning, " blocked=", getg()->m->blocked, " lockedg=", id3, "\n");
  }

  forEachG(
      [](g* gp, void*) {
        m* mp = __atomic_load_n(&gp->m, __ATOMIC_RELAXED);
        m* lockedm = __atomic_load_n(&gp->lockedm, __ATOMIC_RELAXED);
        int64_t id1 = mp != nullptr ? mp->id : -1;
        int64_t id2 = lockedm != nullptr ? lockedm->id : -1;
        const char* why = loadRelaxed(gp->waitreason);
        print("  G", gp->goid, ": status=", readgstatus(gp), "(", why != nullptr ? why : "",
              ") m=", id1, " lockedm=", id2, "\n");
      },
      nullptr);
  unlock(&sched.lock);
}

}  // namespace gol::rt
