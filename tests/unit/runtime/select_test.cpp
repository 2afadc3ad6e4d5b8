// select_test.cpp: select (runtime/select.cpp): fairness among ready cases, default, blocking
// until a case is ready, close, selects pairing with selects, repeated channels, and a stress
// mix. Cases run with GOMAXPROCS 1, 2 and 4.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>

#include "rtchild.h"
#include "runtime/abi.h"
#include "rttest.h"
#include "runtime/chan.h"
#include "runtime/export_test.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

constexpr int32_t Procs[] = {1, 2, 4};

using rttest::yieldUntil;

using rttest::queued;

using rttest::newchan;

gol_scase recvCase(hchan* c, void* elem) { return {c, elem, GOL_CASE_RECV}; }
gol_scase sendCase(hchan* c, const void* elem) { return {c, const_cast<void*>(elem), GOL_CASE_SEND}; }

}  // namespace

// ---- choosing among ready cases ----

namespace {
constexpr int FairCases = 4;
constexpr int FairRounds = 40000;
int64_t hits[FairCases + 2];
}  // namespace

TEST_CASE("select: among ready cases each is chosen with equal probability") {
  for (int64_t& h : hits) h = 0;
  int n = testing::runMain([] {
    // Channels that are always ready: buffered ones kept full for receiving, and one kept
    // empty for sending. A nil channel's case never fires.
    hchan* full[3];
    for (auto& c : full) {
      c = newchan(sizeof(int64_t), 1);
      int64_t v = 1;
      gol_chansend1(c, &v);
    }
    hchan* empty = newchan(sizeof(int64_t), 1);
    int64_t in = 0, out = 7;
    gol_scase cases[FairCases + 1] = {recvCase(full[0], &in), recvCase(full[1], &in), recvCase(full[2], &in),
                                      sendCase(empty, &out), recvCase(nullptr, &in)};
    for (int i = 0; i < FairRounds; i++) {
      bool ok = false;
      int64_t k = gol_selectgo(cases, FairCases + 1, &ok, false);
      hits[k + 1]++;
      // Refill what the case used.
      if (k < 3) {
        CHECK(ok);
        int64_t v = 1;
        gol_chansend1(full[k], &v);
      } else if (k == 3) {
        gol_chanrecv1(empty, nullptr);
      }
    }
  });
  CHECK(n == 0);
  CHECK(hits[0] == 0);           // never default: there is none
  CHECK(hits[FairCases + 1] == 0);  // never the nil channel
  // Each case expects 10000 hits, standard deviation about 87: a bound of ±2000 is over 20
  // standard deviations, so this never fails by chance.
  for (int i = 1; i <= FairCases; i++) {
    CAPTURE(i);
    CHECK(hits[i] > FairRounds / FairCases - 2000);
    CHECK(hits[i] < FairRounds / FairCases + 2000);
  }
}

TEST_CASE("select: with a default, runs a ready case if there is one, else the default") {
  int n = testing::runMain([] {
    hchan* a = newchan(sizeof(int64_t), 1);
    hchan* b = newchan(sizeof(int64_t), 0);
    int64_t v = 0, w = 5;
    gol_scase cases[] = {recvCase(a, &v), sendCase(b, &w)};
    bool ok = true;
    CHECK(gol_selectgo(cases, 2, &ok, true) == -1);
    CHECK(gol_selectgo(cases, 0, &ok, true) == -1);  // select { default: }
    int64_t x = 42;
    gol_chansend1(a, &x);
    CHECK(gol_selectgo(cases, 2, &ok, true) == 0);
    CHECK(ok);
    CHECK(v == 42);
    CHECK(gol_selectgo(cases, 2, &ok, true) == -1);
    gol_closechan(a);
    v = 9;
    CHECK(gol_selectgo(cases, 2, &ok, true) == 0);  // closed: ready, zero value
    CHECK_FALSE(ok);
    CHECK(v == 0);
  });
  CHECK(n == 0);
}

TEST_CASE("select: more cases than fit in selectgo's frame") {
  int n = testing::runMain([] {
    constexpr int N = 300;
    static gol_scase cases[N];
    static hchan* chans[N];
    int64_t v = 0;
    for (int i = 0; i < N; i++) {
      chans[i] = newchan(sizeof(int64_t), 1);
      cases[i] = recvCase(chans[i], &v);
    }
    for (int round = 0; round < 3; round++) {
      int target = (round * 97 + 13) % N;
      int64_t x = target;
      gol_chansend1(chans[target], &x);
      bool ok = false;
      CHECK(gol_selectgo(cases, N, &ok, false) == target);
      CHECK(v == target);
    }
    bool ok = false;
    CHECK(gol_selectgo(cases, N, &ok, true) == -1);
  });
  CHECK(n == 0);
}

// ---- blocking ----

namespace {
hchan *ca, *cb, *cc, *selDone;
std::atomic<int64_t> chosen{-2}, gotValue{0};
std::atomic<bool> gotOK{false};

// select { case v = <-ca: ...; case v, ok = <-cb: ...; case cc <- 99: ... }
void blockingSelect(void*) {
  int64_t v = -1, out = 99;
  gol_scase cases[] = {recvCase(ca, &v), recvCase(cb, &v), sendCase(cc, &out)};
  bool ok = false;
  chosen = gol_selectgo(cases, 3, &ok, false);
  gotValue = v;
  gotOK = ok;
  gol_chansend1(selDone, nullptr);
}

void setupBlocked() {
  ca = newchan(sizeof(int64_t), 0);
  cb = newchan(sizeof(int64_t), 0);
  cc = newchan(sizeof(int64_t), 0);
  selDone = newchan(0, 0);
  gol_newproc(blockingSelect, nullptr, 0);
  yieldUntil([] { return queued(ca, &hchan::recvq) == 1 && queued(cb, &hchan::recvq) == 1 && queued(cc, &hchan::sendq) == 1; });
}

// Every sudog of the finished select is gone from every queue.
bool queuesEmpty() {
  return queued(ca, &hchan::recvq) + queued(cb, &hchan::recvq) + queued(cc, &hchan::sendq) +
             queued(ca, &hchan::sendq) + queued(cb, &hchan::sendq) + queued(cc, &hchan::recvq) ==
         0;
}
}  // namespace

TEST_CASE("select: blocks until a case is ready, runs only that one, and leaves no sudogs behind") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    chosen = -2;
    gotValue = 0;
    static bool reasonOK, emptyAfter;
    int n = testing::runMain(
        [] {
          setupBlocked();
          reasonOK = std::strcmp(ca->recvq.first->g->waitreason, "select") == 0;
          int64_t v = 1234;
          gol_chansend1(cb, &v);
          gol_chanrecv1(selDone, nullptr);
          emptyAfter = queuesEmpty();
        },
        procs);
    CHECK(n == 0);
    CHECK(reasonOK);
    CHECK(chosen == 1);
    CHECK(gotValue == 1234);
    CHECK(gotOK);
    CHECK(emptyAfter);
  }
}

TEST_CASE("select: a blocked send case delivers to a receiver that comes later") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    chosen = -2;
    static int64_t received;
    static bool emptyAfter;
    int n = testing::runMain(
        [] {
          setupBlocked();
          gol_chanrecv1(cc, &received);
          gol_chanrecv1(selDone, nullptr);
          emptyAfter = queuesEmpty();
        },
        procs);
    CHECK(n == 0);
    CHECK(chosen == 2);
    CHECK(received == 99);
    CHECK(emptyAfter);
  }
}

TEST_CASE("select: close of one channel wakes a blocked select with recvOK=false") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    chosen = -2;
    gotOK = true;
    int n = testing::runMain(
        [] {
          setupBlocked();
          gol_closechan(ca);
          gol_chanrecv1(selDone, nullptr);
        },
        procs);
    CHECK(n == 0);
    CHECK(chosen == 0);
    CHECK_FALSE(gotOK);
    CHECK(gotValue == 0);
  }
}

CHILD_CASE("select child: close wakes a blocked send case and it panics") {
  testing::runMain([] {
    setupBlocked();
    gol_closechan(cc);
    gol_chanrecv1(selDone, nullptr);
  });
}
CHILD_CASE("select child: send case on a closed channel panics") {
  testing::runMain([] {
    hchan* c = newchan(8, 1);
    gol_closechan(c);
    int64_t v = 1;
    gol_scase cases[] = {sendCase(c, &v)};
    gol_selectgo(cases, 1, nullptr, true);
  });
}
CHILD_CASE("select child: select with no cases blocks forever") {
  testing::runMain([] { gol_block(); });
}
CHILD_CASE("select child: select over nil channels blocks forever") {
  testing::runMain([] {
    gol_scase cases[] = {recvCase(nullptr, nullptr), sendCase(nullptr, nullptr)};
    gol_selectgo(cases, 2, nullptr, false);
  });
}

TEST_CASE("select: a send case on a closed channel panics, blocked or not") {
  for (const char* child : {"select child: close wakes a blocked send case and it panics",
                            "select child: send case on a closed channel panics"}) {
    CAPTURE(child);
    auto r = rtchild::runChild(child);
    CHECK(r.status == 2);
    CHECK(rtchild::firstLine(r.err) == "panic: send on closed channel");
  }
}

TEST_CASE("select: select {} and a select of nil channels block forever with their wait reasons") {
  auto r = rtchild::runChild("select child: select with no cases blocks forever");
  CHECK(r.status == 2);
  CHECK(rtchild::firstLine(r.err) == "fatal error: all goroutines are asleep - deadlock!");
  CHECK(r.err.find("[select (no cases)]") != std::string::npos);
  r = rtchild::runChild("select child: select over nil channels blocks forever");
  CHECK(r.status == 2);
  CHECK(r.err.find("[select]") != std::string::npos);
}

// ---- selects meeting selects, repeated channels ----

namespace {
hchan* meet;
std::atomic<int64_t> meetGot{0};
void selectSender(void*) {
  int64_t v = 555;
  gol_scase cases[] = {sendCase(meet, &v)};
  gol_selectgo(cases, 1, nullptr, false);
  gol_chansend1(selDone, nullptr);
}
void selectReceiver(void*) {
  int64_t v = 0;
  hchan* never = newchan(8, 0);
  gol_scase cases[] = {recvCase(never, &v), recvCase(meet, &v)};
  bool ok = false;
  if (gol_selectgo(cases, 2, &ok, false) == 1 && ok) meetGot = v;
  gol_chansend1(selDone, nullptr);
}
}  // namespace

TEST_CASE("select: a blocked select is found by another select") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    meetGot = 0;
    int n = testing::runMain(
        [] {
          meet = newchan(8, 0);
          selDone = newchan(0, 0);
          gol_newproc(selectSender, nullptr, 0);
          yieldUntil([] { return queued(meet, &hchan::sendq) == 1; });
          gol_newproc(selectReceiver, nullptr, 0);
          gol_chanrecv1(selDone, nullptr);
          gol_chanrecv1(selDone, nullptr);
        },
        procs);
    CHECK(n == 0);
    CHECK(meetGot == 555);
  }
}

namespace {
std::atomic<int64_t> bothChosen{-2};
// select { case same <- 1: ...; case <-same: ...; case <-same: ... } on an unbuffered channel.
void sendAndRecvSame(void*) {
  int64_t out = 1, in = 0;
  gol_scase cases[] = {sendCase(meet, &out), recvCase(meet, &in), recvCase(meet, &in)};
  bothChosen = gol_selectgo(cases, 3, nullptr, false);
  gol_chansend1(selDone, nullptr);
}
}  // namespace

TEST_CASE("select: a channel in several cases is locked once, and a select never pairs with itself") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    bothChosen = -2;
    static int64_t got;
    int n = testing::runMain(
        [] {
          meet = newchan(8, 0);
          selDone = newchan(0, 0);
          gol_newproc(sendAndRecvSame, nullptr, 0);
          // Both queues hold its sudogs: the one exception to hchan's invariant.
          yieldUntil([] { return queued(meet, &hchan::sendq) == 1 && queued(meet, &hchan::recvq) == 2; });
          gol_chanrecv1(meet, &got);
          gol_chanrecv1(selDone, nullptr);
        },
        procs);
    CHECK(n == 0);
    CHECK(bothChosen == 0);
    CHECK(got == 1);
  }
}

// ---- stress ----

namespace {
constexpr int Chans = 3, Senders = 6, Receivers = 6;
constexpr int64_t PerSender = 2000;
hchan* lanes[Chans];
hchan* quit;
hchan* sums;
hchan* sendersDone;

// Sends 1..PerSender, each value on whichever lane is ready first.
void laneSender(void*) {
  for (int64_t i = 1; i <= PerSender; i++) {
    gol_scase cases[Chans];
    for (int k = 0; k < Chans; k++) cases[k] = sendCase(lanes[k], &i);
    gol_selectgo(cases, Chans, nullptr, false);
  }
  gol_chansend1(sendersDone, nullptr);
}

// Receives from any lane until quit is closed and nothing is left, then reports its sum.
void laneReceiver(void*) {
  int64_t sum = 0;
  for (;;) {
    int64_t v = 0;
    gol_scase cases[Chans + 1];
    for (int k = 0; k < Chans; k++) cases[k] = recvCase(lanes[k], &v);
    cases[Chans] = recvCase(quit, nullptr);
    bool ok = false;
    int64_t k = gol_selectgo(cases, Chans + 1, &ok, false);
    if (k < Chans) {
      sum += v;
      continue;
    }
    // quit is closed: drain what is still buffered, without blocking.
    bool any = true;
    while (any) {
      any = false;
      for (int j = 0; j < Chans; j++) {
        if (gol_selectnbrecv(&v, lanes[j])) {
          sum += v;
          any = true;
        }
      }
    }
    break;
  }
  gol_chansend1(sums, &sum);
}
}  // namespace

TEST_CASE("select: stress: senders and receivers selecting over shared channels lose nothing") {
  for (int32_t procs : Procs) {
    for (int64_t cap : {0, 4}) {
      CAPTURE(procs);
      CAPTURE(cap);
      static int64_t capArg, total;
      capArg = cap;
      total = 0;
      int n = testing::runMain(
          [] {
            for (auto& c : lanes) c = newchan(8, capArg);
            quit = newchan(0, 0);
            sums = newchan(8, 0);
            sendersDone = newchan(0, 0);
            for (int i = 0; i < Receivers; i++) gol_newproc(laneReceiver, nullptr, 0);
            for (int i = 0; i < Senders; i++) gol_newproc(laneSender, nullptr, 0);
            for (int i = 0; i < Senders; i++) gol_chanrecv1(sendersDone, nullptr);
            gol_closechan(quit);
            for (int i = 0; i < Receivers; i++) {
              int64_t s = 0;
              gol_chanrecv1(sums, &s);
              total += s;
            }
          },
          procs);
      CHECK(n == 0);
      CHECK(total == Senders * PerSender * (PerSender + 1) / 2);
    }
  }
}
