// Pipelined calls through the whole scheduler against the simulator: a burst reaches
// the master in send order, and a master restart in the middle of a pipelined burst
// gives every call exactly one outcome (answered, or failed), none lost, none twice.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "support/scheduler_fixture.hpp"

using namespace test;
using namespace std::chrono_literals;
using mesos_actor::action;
using mesos_actor::call_outcome;
using mesos_actor::content_type;

namespace {

// Outcomes by call id; how many arrived for each.
struct outcome_book {
  std::mutex mtx;
  std::map<mesos_actor::call_id, int> seen;
  std::map<call_outcome::status, int> kinds;
  std::atomic<int> total{0};

  mesos_actor::call_continuation record() {
    return [this](mesos_actor::scheduler_context&, const call_outcome& o) {
      std::lock_guard<std::mutex> g{mtx};
      ++seen[o.id];
      ++kinds[o.result];
      ++total;
      return action::keep;
    };
  }
};

Call kill_call(int i) {
  Call c;
  c.set_type(Call::KILL);
  c.mutable_kill()->mutable_task_id()->set_value("t-" + std::to_string(i));
  return c;
}

} // namespace

TEST_CASE("a burst of pipelined calls reaches the master in send order") {
  // direct_calls: the actor writes while the channel sleeps, or the channel writes all.
  for (auto [ct, direct] : {std::pair{content_type::protobuf, true},
                            std::pair{content_type::json, true},
                            std::pair{content_type::protobuf, false}}) {
    CAPTURE(std::string{mesos_actor::content_type_name(ct)});
    CAPTURE(direct);
    sim_fixture f;
    outcome_book book;
    auto b = f.behaviour();
    b->on_registered = [&](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
      for (int i = 0; i < 200; ++i)
        ctx.send(kill_call(i), book.record());
      return action::keep;
    };
    auto o = f.options(ct);
    o.max_pipelined_calls = 16;
    o.direct_calls = direct;
    f.spawn(std::move(b), o);
    REQUIRE(f.cluster.wait_for([&] { return book.total.load() == 200; }, 20s));
    std::vector<std::string> order;
    std::size_t pipelined = 0;
    for (auto& r : f.cluster.requests())
      if (r.call && r.call->type() == Call::KILL) {
        order.push_back(r.call->kill().task_id().value());
        pipelined += r.pipelined;
      }
    REQUIRE(order.size() == 200);
    CHECK(pipelined > 0); // calls went out before the earlier answers came
    for (int i = 0; i < 200; ++i)
      CHECK(order[static_cast<std::size_t>(i)] == "t-" + std::to_string(i));
    std::lock_guard<std::mutex> g{book.mtx};
    CHECK(book.kinds[call_outcome::status::accepted] == 200);
  }
}

TEST_CASE("with max_pipelined_calls = 1 each call waits for the previous answer") {
  sim_fixture f;
  outcome_book book;
  auto b = f.behaviour();
  b->on_registered = [&](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
    for (int i = 0; i < 50; ++i)
      ctx.send(kill_call(i), book.record());
    return action::keep;
  };
  auto o = f.options(content_type::protobuf);
  o.max_pipelined_calls = 1;
  f.spawn(std::move(b), o);
  REQUIRE(f.cluster.wait_for([&] { return book.total.load() == 50; }, 20s));
  auto kills = calls_of(f.cluster, Call::KILL);
  REQUIRE(kills.size() == 50);
  for (auto& r : kills)
    CHECK_FALSE(r.pipelined); // the simulator saw no request before the previous answer
}

TEST_CASE("a master restart amid pipelined calls gives every call exactly one outcome") {
  sim_fixture f;
  outcome_book book;
  constexpr int calls = 40;
  auto b = f.behaviour();
  bool first = true;
  b->on_registered = [&](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
    if (!first)
      return action::keep;
    first = false;
    for (int i = 0; i < calls; ++i)
      ctx.send(kill_call(i), book.record());
    return action::keep;
  };
  auto o = f.options(content_type::protobuf);
  o.max_pipelined_calls = 64;
  f.cluster.faults().delay_responses(20ms); // the calls pile up unanswered
  f.spawn(std::move(b), o);
  REQUIRE(f.cluster.wait_for([&] { return book.total.load() >= 3; }, 20s));
  f.cluster.faults().restart_master(0);
  REQUIRE(f.cluster.wait_for([&] { return book.total.load() >= calls; }, 30s));
  REQUIRE(f.log->wait("disconnected"));
  std::lock_guard<std::mutex> g{book.mtx};
  CHECK(book.seen.size() == static_cast<std::size_t>(calls));
  for (auto& [id, n] : book.seen) {
    CAPTURE(id);
    CHECK(n == 1);
  }
  CHECK(book.kinds[call_outcome::status::accepted] >= 3);
  CHECK(book.kinds[call_outcome::status::accepted] < calls);
  CHECK(book.total.load() == calls);
}

TEST_CASE("the calls one callback makes leave together, after it returns") {
  sim_fixture f;
  outcome_book book;
  std::chrono::steady_clock::time_point callback_done;
  auto b = f.behaviour();
  b->on_registered = [&](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
    ctx.send(kill_call(0), book.record());
    // Sent one by one, the first call would reach the master while this callback runs.
    // Held for the callback's batch, it cannot: the wait runs out (bounded, 300 ms).
    wait_call(f.cluster, Call::KILL, 300ms);
    for (int i = 1; i < 4; ++i)
      ctx.send(kill_call(i), book.record());
    callback_done = std::chrono::steady_clock::now();
    return action::keep;
  };
  auto o = f.options(content_type::protobuf);
  o.max_pipelined_calls = 16;
  f.spawn(std::move(b), o);
  REQUIRE(f.cluster.wait_for([&] { return book.total.load() == 4; }, 20s));
  auto kills = calls_of(f.cluster, Call::KILL);
  REQUIRE(kills.size() == 4);
  for (std::size_t i = 0; i < kills.size(); ++i) {
    CAPTURE(i);
    CHECK(kills[i].call->kill().task_id().value() == "t-" + std::to_string(i));
    CHECK(kills[i].time >= callback_done);
    if (i > 0)
      CHECK(kills[i].pipelined); // in the same write as the first
  }
}
