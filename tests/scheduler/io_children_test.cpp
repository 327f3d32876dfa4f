// The scheduler actor's I/O children, the event stream worker and the call channel, are
// linked to it: which_children lists them, one that dies is replaced per policy (a dead
// stream is a lost connection, a dead channel fails its calls in flight), and the
// scheduler's end takes both down.
#include <doctest/doctest.h>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <supervisor/messages.hpp>

#include "mesos_actor/scheduler/external_call.hpp"
#include "support/io_children.hpp"
#include "support/scheduler_fixture.hpp"

using namespace test;
using namespace std::chrono_literals;
using mesos_actor::call_outcome;
using mesos_actor::content_type;
using mesos_actor::scheduler_call_atom;

namespace {

// The row of child `id`; fails the test when there is none.
supervisor::child_info child(caf::actor_system& sys, const caf::actor& a, const std::string& id) {
  auto row = child_of(sys, a, id);
  REQUIRE(row);
  return *row;
}

struct io_answer : waitable {
  bool sent = false; // the scheduler has handed the call to its channel
  bool done = false;
  std::optional<call_outcome> outcome;
  caf::error error;
};

// REVIVE from another actor; the answer lands in `out`. A which_children request
// follows it from the same actor: once that is answered, the scheduler has handled the
// REVIVE (messages from one sender arrive in order) and sent it to its call channel.
void revive_from_actor(caf::actor_system& sys, const caf::actor& scheduler,
                       std::shared_ptr<io_answer> out) {
  Call call;
  call.set_type(Call::REVIVE);
  // The state goes in as spawn arguments: CAF 0.17 dereferences a null argument tuple
  // when a function actor gets none.
  sys.spawn(
    [](caf::event_based_actor* self, const caf::actor& scheduler, const Call& call,
       const std::shared_ptr<io_answer>& out) {
      self->request(scheduler, std::chrono::seconds(30), scheduler_call_atom::value, call)
        .then([out](call_outcome& o) { out->update([&] { out->outcome = o; out->done = true; }); },
              [out](caf::error& e) { out->update([&] { out->error = e; out->done = true; }); });
      self->request(scheduler, std::chrono::seconds(30), supervisor::which_children_atom::value)
        .then([out](std::vector<supervisor::child_info>&) { out->update([&] { out->sent = true; }); },
              [](caf::error&) {});
    },
    scheduler, std::move(call), std::move(out));
}

} // namespace

TEST_CASE("which_children lists the stream worker and the call channel, running") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
  REQUIRE(f.log->wait("registered"));
  auto stream = child(f.sys, a, "event_stream");
  auto channel = child(f.sys, a, "call_channel");
  CHECK(stream.status == supervisor::child_status::running);
  CHECK(channel.status == supervisor::child_status::running);
  CHECK(stream.actor);
  CHECK(channel.actor);
  CHECK(stream.actor != channel.actor);
  CHECK(channel.restart_count == 0);
}

TEST_CASE("a killed call channel fails its call in flight at once and is replaced") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
  REQUIRE(f.log->wait("registered"));
  auto old = child(f.sys, a, "call_channel").actor;
  // The master answers late: the REVIVE is still in flight when its channel dies.
  f.cluster.faults().delay_responses(5s);
  auto first = std::make_shared<io_answer>();
  revive_from_actor(f.sys, a, first);
  REQUIRE(first->wait_for([&] { return first->sent; }, 10s));
  auto killed_at = std::chrono::steady_clock::now();
  caf::anon_send_exit(old, caf::exit_reason::kill);
  REQUIRE(first->wait_for([&] { return first->done; }, 10s));
  CHECK(std::chrono::steady_clock::now() - killed_at < 3s); // not after the master's answer
  REQUIRE(first->error);
  CHECK(mesos_actor::describe(first->error).find("the call channel ended") != std::string::npos);
  auto row = wait_replaced(f.sys, a, "call_channel", old);
  REQUIRE(row);
  CHECK(row->restart_count == 1);
  CHECK(mesos_actor::describe(row->last_exit_reason).find("killed") != std::string::npos);
  f.cluster.faults().delay_responses(0ms);
  auto second = std::make_shared<io_answer>();
  revive_from_actor(f.sys, a, second);
  REQUIRE(second->wait_for([&] { return second->done; }, 10s));
  REQUIRE(second->outcome);
  CHECK(second->outcome->ok());
  CHECK(f.log->count("disconnected") == 0); // the subscription was never in question
}

TEST_CASE("a killed stream worker is a lost connection: the scheduler resubscribes") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::json));
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  auto old = child(f.sys, a, "event_stream").actor;
  caf::anon_send_exit(old, caf::exit_reason::user_shutdown);
  auto lost = f.log->wait("disconnected", 10s);
  REQUIRE(lost);
  auto again = f.log->wait("reregistered", 10s);
  REQUIRE(again);
  CHECK(again->detail == reg->detail); // the same framework id
  auto row = child(f.sys, a, "event_stream");
  CHECK(row.actor != old);
  CHECK(row.status == supervisor::child_status::running);
}

TEST_CASE("the scheduler's end takes its children down, also when it is killed") {
  for (auto reason : {caf::exit_reason::user_shutdown, caf::exit_reason::kill}) {
    CAPTURE(caf::to_string(reason));
    sim_fixture f;
    auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
    REQUIRE(f.log->wait("registered"));
    auto stream = child(f.sys, a, "event_stream").actor;
    auto channel = child(f.sys, a, "call_channel").actor;
    caf::anon_send_exit(a, reason);
    CHECK(wait_exit(f.sys, stream, 3s).has_value());
    CHECK(wait_exit(f.sys, channel, 3s).has_value());
  }
}
