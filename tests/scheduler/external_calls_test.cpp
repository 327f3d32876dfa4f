// Calls made from outside the callbacks: from another actor with the request protocol
// (scheduler_call_atom) and from a plain thread (call_scheduler). They reach the
// master, follow the disconnected-call policy, keep their order, and a stopped
// scheduler answers at once.
#include <doctest/doctest.h>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "mesos_actor/scheduler/external_call.hpp"
#include "support/scheduler_fixture.hpp"

using namespace test;
using mesos_actor::call_outcome;
using mesos_actor::content_type;
using mesos_actor::errc;
using mesos_actor::scheduler_call_atom;
namespace sim = mesos_actor::sim;

namespace {

Call revive(const std::string& role) {
  Call call;
  call.set_type(Call::REVIVE);
  call.mutable_revive()->add_roles(role);
  return call;
}

// What a requesting actor got back.
struct answer : waitable {
  bool done = false;
  std::optional<call_outcome> outcome;
  caf::error error;
};

// Another actor makes `call` through `scheduler` and records the answer.
void request_from_actor(caf::actor_system& sys, const caf::actor& scheduler, Call call,
                        std::shared_ptr<answer> out) {
  // The state goes in as spawn arguments: CAF 0.17 dereferences a null argument tuple when a
  // function actor gets none (UBSan reports it).
  sys.spawn(
    [](caf::event_based_actor* self, const caf::actor& scheduler, const Call& call,
       const std::shared_ptr<answer>& out) {
      self->request(scheduler, std::chrono::seconds(10), scheduler_call_atom::value, call)
        .then([out](call_outcome& o) { out->update([&] { out->outcome = o; out->done = true; }); },
              [out](caf::error& e) { out->update([&] { out->error = e; out->done = true; }); });
    },
    scheduler, std::move(call), std::move(out));
}

// Drops the subscription and keeps the scheduler disconnected (no leader).
void disconnect(sim_fixture& f, const std::string& framework_id) {
  f.cluster.faults().no_leader();
  f.cluster.faults().close_stream(framework_id, sim::close_mode::clean);
  REQUIRE(f.log->wait("disconnected"));
}

} // namespace

TEST_CASE("a call from another actor reaches the master and the outcome is the answer") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  auto got = std::make_shared<answer>();
  request_from_actor(f.sys, a, revive("from-actor"), got);
  REQUIRE(got->wait_for([&] { return got->done; }));
  REQUIRE(got->outcome);
  CHECK(got->outcome->ok());
  CHECK(got->outcome->type == Call::REVIVE);
  CHECK(got->outcome->http_status == 202);
  auto seen = wait_call(f.cluster, Call::REVIVE);
  REQUIRE(seen);
  CHECK(seen->call->revive().roles(0) == "from-actor");
  CHECK(seen->call->framework_id().value() == reg->detail); // filled in like a callback's
  CHECK(seen->header("Mesos-Stream-Id") == calls_of(f.cluster, Call::SUBSCRIBE).back().stream_id);
  CHECK(f.log->count("call_failed") == 0);
}

TEST_CASE("a call from a thread is answered with its outcome, or the master's rejection") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::json));
  REQUIRE(f.log->wait("registered"));
  auto ok = mesos_actor::call_scheduler(f.sys, a, revive("from-thread"), std::chrono::seconds(10));
  REQUIRE(ok);
  CHECK(ok->http_status == 202);
  REQUIRE(calls_of(f.cluster, Call::REVIVE).size() == 1);

  f.cluster.faults().fail_next_calls(1, 400);
  auto rejected = mesos_actor::call_scheduler(f.sys, a, revive("refused"), std::chrono::seconds(10));
  REQUIRE_FALSE(rejected);
  CHECK(mesos_actor::error_code(rejected.error()) == errc::rejected);
  CHECK(mesos_actor::error_detail(rejected.error()).find("400") != std::string::npos);
  // Answered to the caller, not reported to call_failed.
  CHECK(f.log->count("call_failed") == 0);
}

TEST_CASE("outside calls are checked like callback calls: UNKNOWN and SUBSCRIBE are not sent") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
  REQUIRE(f.log->wait("registered"));
  Call unknown;
  unknown.set_type(Call::UNKNOWN);
  auto r1 = mesos_actor::call_scheduler(f.sys, a, unknown, std::chrono::seconds(10));
  REQUIRE_FALSE(r1);
  CHECK(mesos_actor::error_code(r1.error()) == errc::bad_option);
  Call subscribe;
  subscribe.set_type(Call::SUBSCRIBE);
  auto r2 = mesos_actor::call_scheduler(f.sys, a, subscribe, std::chrono::seconds(10));
  REQUIRE_FALSE(r2);
  CHECK(mesos_actor::error_code(r2.error()) == errc::bad_option);
  CHECK(calls_of(f.cluster, Call::UNKNOWN).empty());
  CHECK(calls_of(f.cluster, Call::SUBSCRIBE).size() == 1);
}

TEST_CASE("an outside call while disconnected fails fast with not_subscribed by default") {
  sim_fixture f;
  auto opts = f.options(content_type::protobuf);
  opts.max_num_resubscribe = 1000;
  auto a = f.spawn(f.behaviour(), opts);
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  disconnect(f, reg->detail);
  auto got = std::make_shared<answer>();
  request_from_actor(f.sys, a, revive("while-down"), got);
  REQUIRE(got->wait_for([&] { return got->done; }));
  CHECK_FALSE(got->outcome);
  CHECK(mesos_actor::error_code(got->error) == errc::not_subscribed);
  auto from_thread = mesos_actor::call_scheduler(f.sys, a, revive("while-down"),
                                                 std::chrono::seconds(10));
  REQUIRE_FALSE(from_thread);
  CHECK(mesos_actor::error_code(from_thread.error()) == errc::not_subscribed);
  CHECK(calls_of(f.cluster, Call::REVIVE).empty());
}

TEST_CASE("an outside call while disconnected waits in the queue policy's queue") {
  sim_fixture f;
  auto opts = f.options(content_type::protobuf);
  opts.max_num_resubscribe = 1000;
  opts.calls_while_disconnected = mesos_actor::disconnected_call_policy::queue;
  opts.max_queued_calls = 1;
  auto a = f.spawn(f.behaviour(), opts);
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  disconnect(f, reg->detail);
  // One sender: the scheduler takes the requests in this order.
  caf::scoped_actor self{f.sys};
  auto queued = self->request(a, std::chrono::seconds(20), scheduler_call_atom::value,
                              revive("queued"));
  auto over = self->request(a, std::chrono::seconds(10), scheduler_call_atom::value,
                            revive("over"));
  caf::error over_error;
  over.receive([&](call_outcome&) { FAIL("the second call should not fit the queue"); },
               [&](caf::error& e) { over_error = e; });
  CHECK(mesos_actor::error_code(over_error) == errc::queue_full);
  CHECK(calls_of(f.cluster, Call::REVIVE).empty());
  f.cluster.faults().set_leader(0);
  std::optional<call_outcome> sent;
  queued.receive([&](call_outcome& o) { sent = o; },
                 [&](caf::error& e) { FAIL("queued call failed: " << mesos_actor::describe(e)); });
  REQUIRE(sent);
  CHECK(sent->http_status == 202);
  auto list = calls_of(f.cluster, Call::REVIVE);
  REQUIRE(list.size() == 1);
  CHECK(list[0].call->revive().roles(0) == "queued");
  CHECK(f.log->count("reregistered") == 1);
}

TEST_CASE("a queued outside call is answered stopped when the scheduler ends") {
  sim_fixture f;
  auto opts = f.options(content_type::protobuf);
  opts.max_num_resubscribe = 1000;
  opts.calls_while_disconnected = mesos_actor::disconnected_call_policy::queue;
  auto a = f.spawn(f.behaviour(), opts);
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  disconnect(f, reg->detail);
  caf::scoped_actor self{f.sys};
  auto never = self->request(a, std::chrono::seconds(10), scheduler_call_atom::value,
                             revive("never"));
  // Answered at once: the first request was taken (and queued) before it.
  Call unknown;
  unknown.set_type(Call::UNKNOWN);
  self->request(a, std::chrono::seconds(10), scheduler_call_atom::value, unknown)
    .receive([&](call_outcome&) { FAIL("UNKNOWN must not be sent"); }, [](caf::error&) {});
  auto asked = std::chrono::steady_clock::now();
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  caf::error why;
  never.receive([&](call_outcome&) { FAIL("the queued call must not be sent"); },
                [&](caf::error& e) { why = e; });
  CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(5));
  CHECK(mesos_actor::error_code(why) == errc::stopped);
  CHECK(calls_of(f.cluster, Call::REVIVE).empty());
}

TEST_CASE("a call to a stopped or missing scheduler is an error at once, never a hang") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
  REQUIRE(f.log->wait("registered"));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  REQUIRE(wait_exit(f.sys, a));
  auto started = std::chrono::steady_clock::now();
  auto r = mesos_actor::call_scheduler(f.sys, a, revive("late"), std::chrono::seconds(30));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == errc::stopped);

  auto got = std::make_shared<answer>();
  request_from_actor(f.sys, a, revive("late"), got);
  REQUIRE(got->wait_for([&] { return got->done; }, std::chrono::seconds(5)));
  CHECK(got->error == caf::sec::request_receiver_down);

  auto none = mesos_actor::call_scheduler(f.sys, caf::actor{}, revive("nobody"),
                                          std::chrono::seconds(30));
  REQUIRE_FALSE(none);
  CHECK(mesos_actor::error_code(none.error()) == errc::stopped);
  CHECK(calls_of(f.cluster, Call::REVIVE).empty());
}

TEST_CASE("calls issued in sequence from one thread reach the master in that order") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
  REQUIRE(f.log->wait("registered"));
  constexpr int n = 40;
  // Issued without waiting for each other's outcome; answered afterwards.
  caf::scoped_actor self{f.sys};
  using handle = decltype(self->request(a, std::chrono::seconds(10), scheduler_call_atom::value,
                                       Call{}));
  std::vector<handle> handles;
  for (int i = 0; i < n; ++i)
    handles.push_back(self->request(a, std::chrono::seconds(10), scheduler_call_atom::value,
                                    revive("r" + std::to_string(i))));
  int accepted = 0;
  for (auto& h : handles)
    h.receive([&](call_outcome& o) { accepted += o.ok() ? 1 : 0; },
              [&](caf::error& e) { FAIL("call failed: " << mesos_actor::describe(e)); });
  CHECK(accepted == n);
  // And blocking calls one after the other.
  for (int i = n; i < n + 5; ++i)
    REQUIRE(mesos_actor::call_scheduler(f.sys, a, revive("r" + std::to_string(i)),
                                        std::chrono::seconds(10)));
  auto list = calls_of(f.cluster, Call::REVIVE);
  REQUIRE(list.size() == n + 5);
  for (int i = 0; i < n + 5; ++i)
    CHECK(list[i].call->revive().roles(0) == "r" + std::to_string(i));
}
