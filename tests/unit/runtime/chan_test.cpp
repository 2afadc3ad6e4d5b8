// chan_test.cpp: channels (runtime/chan.cpp) with real goroutines: hand-off, buffering, FIFO
// order of waiters, close, the non-blocking forms, Go's panics (in child processes, since a
// panic exits 2), and a ping-pong stress. Cases run with GOMAXPROCS 1, 2 and 4.
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

}  // namespace

// ---- hand-off and buffering ----

namespace {
constexpr int64_t HandoffN = 2000;
hchan* handoffChan;
std::atomic<int64_t> outOfOrder{0}, lastRecv{-1};

void countingSender(void*) {
  for (int64_t i = 0; i < HandoffN; i++) gol_chansend1(handoffChan, &i);
}
}  // namespace

TEST_CASE("chan: unbuffered values arrive in the order they were sent") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    outOfOrder = 0;
    int n = testing::runMain(
        [] {
          handoffChan = newchan(sizeof(int64_t), 0);
          gol_newproc(countingSender, nullptr, 0);
          for (int64_t i = 0; i < HandoffN; i++) {
            int64_t v = -1;
            gol_chanrecv1(handoffChan, &v);
            if (v != i) outOfOrder++;
            lastRecv = v;
          }
        },
        procs);
    CHECK(n == 0);
    CHECK(outOfOrder == 0);
    CHECK(lastRecv == HandoffN - 1);
  }
}

namespace {
std::atomic<int64_t> receivedBeforeSendReturned{0};
std::atomic<int64_t> handedOff{0};
hchan* syncChan;

void recordingReceiver(void*) {
  int64_t v = 0;
  gol_chanrecv1(syncChan, &v);
  handedOff = v;
}
}  // namespace

TEST_CASE("chan: an unbuffered send returns only after a receiver took the value") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    handedOff = 0;
    int n = testing::runMain(
        [] {
          syncChan = newchan(sizeof(int64_t), 0);
          int64_t v = 77;
          gol_newproc(recordingReceiver, nullptr, 0);
          gol_chansend1(syncChan, &v);  // blocks until the receiver is there
          CHECK(gol_chanlen(syncChan) == 0);
          CHECK(gol_chancap(syncChan) == 0);
          yieldUntil([] { return handedOff == 77; });
        },
        procs);
    CHECK(n == 0);
    CHECK(handedOff == 77);
  }
}

TEST_CASE("chan: a buffered channel is a FIFO queue, len and cap") {
  int n = testing::runMain([] {
    hchan* c = newchan(sizeof(int32_t), 5);
    CHECK(gol_chancap(c) == 5);
    for (int32_t round = 0; round < 3; round++) {  // wrap around the ring more than once
      for (int32_t i = 0; i < 5; i++) {
        int32_t v = round * 10 + i;
        gol_chansend1(c, &v);
        CHECK(gol_chanlen(c) == i + 1);
      }
      int32_t extra = 99;
      CHECK_FALSE(gol_selectnbsend(c, &extra));  // full
      for (int32_t i = 0; i < 5; i++) {
        int32_t v = -1;
        CHECK(gol_chanrecv2(c, &v));
        CHECK(v == round * 10 + i);
      }
      CHECK(gol_chanlen(c) == 0);
      int32_t v = -1;
      CHECK_FALSE(gol_selectnbrecv(&v, c));  // empty
      CHECK(v == -1);
    }
  });
  CHECK(n == 0);
}

TEST_CASE("chan: values of size 0 and of odd sizes are copied whole") {
  int n = testing::runMain([] {
    hchan* z = newchan(0, 0);
    CHECK(gol_chancap(z) == 0);
    hchan* zb = newchan(0, 3);
    char dummy = 0;
    gol_chansend1(zb, &dummy);
    gol_chansend1(zb, &dummy);
    CHECK(gol_chanlen(zb) == 2);
    gol_chanrecv1(zb, nullptr);
    CHECK(gol_chanlen(zb) == 1);
    (void)z;

    struct odd {
      char b[37];
    };
    hchan* c = newchan(sizeof(odd), 2);
    odd in{}, out{};
    for (int i = 0; i < 37; i++) in.b[i] = char('a' + i % 26);
    gol_chansend1(c, &in);
    gol_chanrecv1(c, &out);
    CHECK(std::memcmp(&in, &out, sizeof in) == 0);
  });
  CHECK(n == 0);
}

// ---- FIFO order of blocked Gs ----

namespace {
constexpr int Waiters = 6;
hchan* fifoChan;
std::atomic<int> order[Waiters];
std::atomic<int> orderN{0};
hchan* fifoDone;

void blockedSender(void* arg) {
  int64_t id = *static_cast<int*>(arg);
  gol_chansend1(fifoChan, &id);
  gol_chansend1(fifoDone, nullptr);
}

void blockedReceiver(void* arg) {
  int id = *static_cast<int*>(arg);
  int64_t v = 0;
  gol_chanrecv1(fifoChan, &v);
  order[v] = id;  // the v-th value went to receiver id
  gol_chansend1(fifoDone, nullptr);
}
}  // namespace

TEST_CASE("chan: blocked senders deliver in the order they blocked") {
  for (int32_t procs : Procs) {
    for (int64_t cap : {0, 2}) {
      CAPTURE(procs);
      CAPTURE(cap);
      int bad = 0;
      static int64_t capArg;
      capArg = cap;
      static int* badp;
      badp = &bad;
      int n = testing::runMain(
          [] {
            fifoChan = newchan(sizeof(int64_t), capArg);
            fifoDone = newchan(0, Waiters);
            // Fill the buffer first, so that the senders below block.
            for (int64_t i = 0; i < capArg; i++) {
              int64_t v = 100 + i;
              gol_chansend1(fifoChan, &v);
            }
            for (int i = 0; i < Waiters; i++) {
              gol_newproc(blockedSender, &i, sizeof i);
              yieldUntil([i] { return queued(fifoChan, &hchan::sendq) == i + 1; });
            }
            for (int64_t i = 0; i < capArg; i++) {
              int64_t v = -1;
              gol_chanrecv1(fifoChan, &v);
              if (v != 100 + i) ++*badp;
            }
            for (int64_t i = 0; i < Waiters; i++) {
              int64_t v = -1;
              gol_chanrecv1(fifoChan, &v);
              if (v != i) ++*badp;
            }
            for (int i = 0; i < Waiters; i++) gol_chanrecv1(fifoDone, nullptr);
          },
          procs);
      CHECK(n == 0);
      CHECK(bad == 0);
    }
  }
}

TEST_CASE("chan: blocked receivers are served in the order they blocked") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    for (auto& o : order) o = -1;
    int n = testing::runMain(
        [] {
          fifoChan = newchan(sizeof(int64_t), 0);
          fifoDone = newchan(0, Waiters);
          for (int i = 0; i < Waiters; i++) {
            gol_newproc(blockedReceiver, &i, sizeof i);
            yieldUntil([i] { return queued(fifoChan, &hchan::recvq) == i + 1; });
          }
          for (int64_t i = 0; i < Waiters; i++) gol_chansend1(fifoChan, &i);
          for (int i = 0; i < Waiters; i++) gol_chanrecv1(fifoDone, nullptr);
        },
        procs);
    CHECK(n == 0);
    for (int i = 0; i < Waiters; i++) CHECK(order[i] == i);
  }
}

// ---- close ----

TEST_CASE("chan: receive from a closed channel drains the buffer, then gives zero and false") {
  int n = testing::runMain([] {
    hchan* c = newchan(sizeof(int64_t), 3);
    int64_t v = 5;
    gol_chansend1(c, &v);
    v = 6;
    gol_chansend1(c, &v);
    gol_closechan(c);
    CHECK(gol_chanlen(c) == 2);
    v = -1;
    CHECK(gol_chanrecv2(c, &v));
    CHECK(v == 5);
    CHECK(gol_chanrecv2(c, &v));
    CHECK(v == 6);
    for (int i = 0; i < 3; i++) {
      v = -1;
      CHECK_FALSE(gol_chanrecv2(c, &v));
      CHECK(v == 0);
    }
    bool received = true;
    v = -1;
    CHECK(gol_selectnbrecv2(&v, &received, c));  // a closed channel is always ready
    CHECK_FALSE(received);
    CHECK(v == 0);
  });
  CHECK(n == 0);
}

namespace {
hchan* closeChan;
hchan* closeDone;
std::atomic<int> closedOK{0}, closedZero{0};

void closeWaiter(void*) {
  int64_t v = 12345;
  bool ok = gol_chanrecv2(closeChan, &v);
  if (!ok) closedOK++;
  if (v == 0) closedZero++;
  gol_chansend1(closeDone, nullptr);
}
}  // namespace

TEST_CASE("chan: close wakes every blocked receiver with the zero value and ok=false") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    closedOK = closedZero = 0;
    int n = testing::runMain(
        [] {
          closeChan = newchan(sizeof(int64_t), 0);
          closeDone = newchan(0, 0);
          for (int i = 0; i < 20; i++) gol_newproc(closeWaiter, nullptr, 0);
          yieldUntil([] { return queued(closeChan, &hchan::recvq) == 20; });
          CHECK(std::strcmp(closeChan->recvq.first->g->waitreason, "chan receive") == 0);
          gol_closechan(closeChan);
          for (int i = 0; i < 20; i++) gol_chanrecv1(closeDone, nullptr);
        },
        procs);
    CHECK(n == 0);
    CHECK(closedOK == 20);
    CHECK(closedZero == 20);
  }
}

namespace {
void foreverSender(void*) {
  int64_t v = 1;
  gol_chansend1(closeChan, &v);
}
}  // namespace

CHILD_CASE("chan child: close wakes blocked senders and they panic") {
  testing::runMain([] {
    closeChan = newchan(sizeof(int64_t), 0);
    for (int i = 0; i < 3; i++) gol_newproc(foreverSender, nullptr, 0);
    yieldUntil([] { return queued(closeChan, &hchan::sendq) == 3; });
    if (std::strcmp(closeChan->sendq.first->g->waitreason, "chan send") != 0) std::abort();
    gol_closechan(closeChan);
    gol_chanrecv1(newchan(0, 0), nullptr);  // wait for the senders to panic
  });
}

TEST_CASE("chan: close wakes blocked senders, which panic with Go's message") {
  for (const char* procs : {"1", "4"}) {
    CAPTURE(procs);
    auto r = rtchild::runChild("chan child: close wakes blocked senders and they panic", procs);
    CHECK(r.status == 2);
    CHECK(rtchild::firstLine(r.err) == "panic: send on closed channel");
    CHECK(r.err.find("\ngoroutine ") != std::string::npos);
  }
}

CHILD_CASE("chan child: send on closed channel") {
  testing::runMain([] {
    hchan* c = newchan(8, 1);
    gol_closechan(c);
    int64_t v = 1;
    gol_chansend1(c, &v);
  });
}
CHILD_CASE("chan child: close of closed channel") {
  testing::runMain([] {
    hchan* c = newchan(8, 1);
    gol_closechan(c);
    gol_closechan(c);
  });
}
CHILD_CASE("chan child: close of nil channel") {
  testing::runMain([] { gol_closechan(nullptr); });
}
CHILD_CASE("chan child: makechan size out of range") {
  testing::runMain([] { gol_makechan(nullptr, 8, -1); });
}
CHILD_CASE("chan child: makechan size too large") {
  testing::runMain([] { gol_makechan(nullptr, 1 << 12, int64_t(1) << 50); });
}
CHILD_CASE("chan child: send on nil channel blocks forever") {
  testing::runMain([] {
    int64_t v = 1;
    gol_chansend1(nullptr, &v);
  });
}
CHILD_CASE("chan child: receive from nil channel blocks forever") {
  testing::runMain([] { gol_chanrecv1(nullptr, nullptr); });
}

TEST_CASE("chan: misuse panics with Go's messages and exits 2") {
  struct {
    const char* child;
    const char* first;
  } cases[] = {
      {"chan child: send on closed channel", "panic: send on closed channel"},
      {"chan child: close of closed channel", "panic: close of closed channel"},
      {"chan child: close of nil channel", "panic: close of nil channel"},
      {"chan child: makechan size out of range", "panic: makechan: size out of range"},
      {"chan child: makechan size too large", "panic: makechan: size out of range"},
  };
  for (auto& tc : cases) {
    CAPTURE(tc.child);
    auto r = rtchild::runChild(tc.child);
    CHECK(r.status == 2);
    CHECK(rtchild::firstLine(r.err) == tc.first);
  }
}

TEST_CASE("chan: a nil channel blocks forever: deadlock, with Go's wait reasons in the dump") {
  auto r = rtchild::runChild("chan child: send on nil channel blocks forever");
  CHECK(r.status == 2);
  CHECK(rtchild::firstLine(r.err) == "fatal error: all goroutines are asleep - deadlock!");
  CHECK(r.err.find("[chan send (nil chan)]") != std::string::npos);
  r = rtchild::runChild("chan child: receive from nil channel blocks forever");
  CHECK(r.status == 2);
  CHECK(r.err.find("[chan receive (nil chan)]") != std::string::npos);
}

TEST_CASE("chan: the non-blocking forms on a nil channel never run") {
  int n = testing::runMain([] {
    int64_t v = 3;
    bool received = true;
    CHECK_FALSE(gol_selectnbsend(nullptr, &v));
    CHECK_FALSE(gol_selectnbrecv(&v, nullptr));
    CHECK_FALSE(gol_selectnbrecv2(&v, &received, nullptr));
    CHECK(gol_chanlen(nullptr) == 0);
    CHECK(gol_chancap(nullptr) == 0);
  });
  CHECK(n == 0);
}

// ---- stress ----

namespace {
constexpr int Pairs = 40;
constexpr int64_t Rounds = 500;
hchan* pingDone;
std::atomic<int> pingBad{0};
struct pingArgs {
  hchan* in;
  hchan* out;
};

void pinger(void* arg) {
  auto a = *static_cast<pingArgs*>(arg);
  for (int64_t i = 0; i < Rounds; i++) {
    gol_chansend1(a.out, &i);
    int64_t back = -1;
    gol_chanrecv1(a.in, &back);
    if (back != i + 1) pingBad++;
  }
  gol_closechan(a.out);
  gol_chansend1(pingDone, nullptr);
}

void ponger(void* arg) {
  auto a = *static_cast<pingArgs*>(arg);
  int64_t v;
  while (gol_chanrecv2(a.in, &v)) {
    v++;
    gol_chansend1(a.out, &v);
  }
  gol_chansend1(pingDone, nullptr);
}
}  // namespace

TEST_CASE("chan: stress: many goroutine pairs ping-pong over unbuffered channels") {
  for (int32_t procs : Procs) {
    CAPTURE(procs);
    pingBad = 0;
    int n = testing::runMain(
        [] {
          pingDone = newchan(0, 0);
          for (int i = 0; i < Pairs; i++) {
            pingArgs ping{newchan(8, 0), newchan(8, 0)};
            pingArgs pong{ping.out, ping.in};
            gol_newproc(pinger, &ping, sizeof ping);
            gol_newproc(ponger, &pong, sizeof pong);
          }
          for (int i = 0; i < 2 * Pairs; i++) gol_chanrecv1(pingDone, nullptr);
        },
        procs);
    CHECK(n == 0);
    CHECK(pingBad == 0);
  }
}

namespace {
constexpr int Producers = 8, Consumers = 8;
constexpr int64_t PerProducer = 3000;
hchan* work;
hchan* results;

void producer(void*) {
  for (int64_t i = 1; i <= PerProducer; i++) gol_chansend1(work, &i);
}
void consumer(void*) {
  int64_t sum = 0, v;
  while (gol_chanrecv2(work, &v)) sum += v;
  gol_chansend1(results, &sum);
}
}  // namespace

TEST_CASE("chan: stress: many producers and consumers on one buffered channel lose nothing") {
  for (int32_t procs : Procs) {
    for (int64_t cap : {0, 1, 16}) {
      CAPTURE(procs);
      CAPTURE(cap);
      static int64_t capArg, total;
      capArg = cap;
      total = 0;
      int n = testing::runMain(
          [] {
            work = newchan(8, capArg);
            results = newchan(8, 0);
            hchan* done = newchan(0, 0);
            struct wrap {
              hchan* done;
            } w{done};
            for (int i = 0; i < Consumers; i++) gol_newproc(consumer, nullptr, 0);
            for (int i = 0; i < Producers; i++) {
              gol_newproc(
                  [](void* a) {
                    producer(nullptr);
                    gol_chansend1(static_cast<wrap*>(a)->done, nullptr);
                  },
                  &w, sizeof w);
            }
            for (int i = 0; i < Producers; i++) gol_chanrecv1(done, nullptr);
            gol_closechan(work);
            for (int i = 0; i < Consumers; i++) {
              int64_t s = 0;
              gol_chanrecv1(results, &s);
              total += s;
            }
          },
          procs);
      CHECK(n == 0);
      CHECK(total == Producers * PerProducer * (PerProducer + 1) / 2);
    }
  }
}
