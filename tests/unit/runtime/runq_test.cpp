// runq_test.cpp: the local and global run queues (runtime/runq.cpp). The first two cases
// are the seed's own testSchedLocalQueue and testSchedLocalQueueSteal, restated.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "runtime/export_test.h"
#include "runtime/runtime.h"

using namespace gol::rt;

namespace {

std::unique_ptr<g[]> makeGs(size_t n) { return std::unique_ptr<g[]>(new g[n]()); }

// Takes every G off the global queue (sched.lock held by the caller).
int32_t drainGlobal() {
  int32_t n = 0;
  while (sched.runqhead != nullptr) {
    sched.runqhead = sched.runqhead->schedlink;
    n++;
  }
  sched.runqtail = nullptr;
  sched.runqsize.store(0);
  return n;
}

}  // namespace

TEST_CASE("runq: put then get returns each G once, in FIFO order, at every fill level") {
  auto pp = std::make_unique<p>();
  auto gs = makeGs(RunqSize);
  for (uint32_t i = 0; i < RunqSize; i++) {
    REQUIRE(runqget(pp.get()).first == nullptr);
    for (uint32_t j = 0; j < i; j++) runqput(pp.get(), &gs[j], false);
    for (uint32_t j = 0; j < i; j++) {
      auto [gp, inheritTime] = runqget(pp.get());
      REQUIRE(gp == &gs[j]);
      REQUIRE_FALSE(inheritTime);
    }
    REQUIRE(runqget(pp.get()).first == nullptr);
    REQUIRE(runqempty(pp.get()));
  }
}

TEST_CASE("runq: steal takes half of the victim's queue") {
  auto p1 = std::make_unique<p>();
  auto p2 = std::make_unique<p>();
  auto gs = makeGs(RunqSize);
  for (uint32_t i = 0; i < RunqSize; i++) {
    std::vector<int> seen(i, 0);
    auto mark = [&](g* gp) { seen.at(size_t(gp - &gs[0]))++; };
    for (uint32_t j = 0; j < i; j++) runqput(p1.get(), &gs[j], false);

    uint32_t stolen = 0;
    if (g* gp = runqsteal(p2.get(), p1.get(), true)) {
      stolen++;
      mark(gp);
    }
    while (g* gp = runqget(p2.get()).first) {
      stolen++;
      mark(gp);
    }
    while (g* gp = runqget(p1.get()).first) mark(gp);

    for (uint32_t j = 0; j < i; j++) REQUIRE(seen[j] == 1);  // every G exactly once
    REQUIRE((stolen == i / 2 || stolen == i / 2 + 1));
  }
}

TEST_CASE("runq: runnext is taken first and inherits the time slice") {
  auto pp = std::make_unique<p>();
  auto gs = makeGs(3);
  runqput(pp.get(), &gs[0], false);
  runqput(pp.get(), &gs[1], true);
  runqput(pp.get(), &gs[2], true);  // kicks gs[1] out of runnext to the tail

  auto [first, inherit] = runqget(pp.get());
  CHECK(first == &gs[2]);
  CHECK(inherit);
  CHECK(runqget(pp.get()).first == &gs[0]);
  CHECK(runqget(pp.get()).first == &gs[1]);
  CHECK(runqempty(pp.get()));
}

TEST_CASE("runq: steal may take runnext only when asked to") {
  auto p1 = std::make_unique<p>();
  auto p2 = std::make_unique<p>();
  auto gs = makeGs(1);
  runqput(p1.get(), &gs[0], true);
  CHECK_FALSE(runqempty(p1.get()));
  CHECK(runqsteal(p2.get(), p1.get(), false) == nullptr);
  CHECK(runqsteal(p2.get(), p1.get(), true) == &gs[0]);
  CHECK(runqempty(p1.get()));
  CHECK(runqempty(p2.get()));
}

TEST_CASE("runq: a full ring moves its older half and the new G to the global queue") {
  CHECK(testing::runMain([] {}) == 0);  // boots the runtime: sched and gomaxprocs are set
  auto pp = std::make_unique<p>();
  auto gs = makeGs(RunqSize + 1);
  lock(&sched.lock);
  int32_t before = drainGlobal();
  unlock(&sched.lock);
  REQUIRE(before == 0);

  for (uint32_t i = 0; i <= RunqSize; i++) runqput(pp.get(), &gs[i], false);

  lock(&sched.lock);
  CHECK(sched.runqsize.load() == int32_t(RunqSize / 2 + 1));
  g* gp = sched.runqhead;
  for (uint32_t i = 0; i < RunqSize / 2; i++, gp = gp->schedlink) REQUIRE(gp == &gs[i]);
  CHECK(gp == &gs[RunqSize]);
  CHECK(gp == sched.runqtail);
  drainGlobal();
  unlock(&sched.lock);

  for (uint32_t i = RunqSize / 2; i < RunqSize; i++) REQUIRE(runqget(pp.get()).first == &gs[i]);
  CHECK(runqempty(pp.get()));
}

TEST_CASE("globrunq: globrunqget returns one G and moves a fair share to the local queue") {
  // Four Ps, whatever GOMAXPROCS says: with one P the fair share is the whole queue.
  CHECK(testing::runMain([] {}, 4) == 0);
  auto pp = std::make_unique<p>();
  constexpr int32_t n = 40;
  auto gs = makeGs(n);
  lock(&sched.lock);
  for (int32_t i = 0; i < n; i++) globrunqput(&gs[i]);
  int32_t share = n / gomaxprocs.load() + 1;
  CHECK(globrunqget(pp.get(), 0) == &gs[0]);
  CHECK(sched.runqsize.load() == n - share);
  CHECK(globrunqget(pp.get(), 1) == &gs[share]);  // max 1: nothing moves
  CHECK(drainGlobal() == n - share - 1);
  unlock(&sched.lock);
  for (int32_t i = 1; i < share; i++) REQUIRE(runqget(pp.get()).first == &gs[i]);
  CHECK(runqempty(pp.get()));
}

TEST_CASE("runq: concurrent puts, gets and steals on 2-8 threads take every G exactly once") {
  constexpr uint32_t Total = 20000;
  auto gs = makeGs(Total);
  for (int threads : {2, 4, 8}) {
    CAPTURE(threads);
    auto owner = std::make_unique<p>();
    std::vector<std::unique_ptr<p>> thieves;
    for (int i = 1; i < threads; i++) thieves.push_back(std::make_unique<p>());
    std::unique_ptr<std::atomic<int>[]> taken(new std::atomic<int>[Total]());
    std::atomic<bool> producing{true};
    auto mark = [&](g* gp) { taken[size_t(gp - &gs[0])]++; };

    std::vector<std::thread> ts;
    for (auto& tp : thieves) {
      ts.emplace_back([&, pp = tp.get()] {
        for (uint32_t round = 0; producing || !runqempty(owner.get()); round++) {
          if (g* gp = runqsteal(pp, owner.get(), round % 8 == 0)) mark(gp);
          while (g* gp = runqget(pp).first) mark(gp);
        }
      });
    }
    // The owner never lets its ring fill (no spill to the global queue, which belongs to
    // the live runtime): it takes work itself when the ring is nearly full.
    for (uint32_t i = 0; i < Total; i++) {
      while (owner->runqtail.load() - owner->runqhead.load() >= RunqSize - 2) {
        if (g* gp = runqget(owner.get()).first) mark(gp);
      }
      runqput(owner.get(), &gs[i], i % 5 == 0);
      if (i % 3 == 0) {
        if (g* gp = runqget(owner.get()).first) mark(gp);
      }
    }
    producing = false;
    while (g* gp = runqget(owner.get()).first) mark(gp);
    for (auto& t : ts) t.join();

    uint32_t bad = 0;
    for (uint32_t i = 0; i < Total; i++) bad += taken[i] != 1;
    CHECK(bad == 0);
  }
}
