// A whole framework life against the simulator over loopback HTTP, in both content
// types: SUBSCRIBE, offers, ACCEPT with a LAUNCH, status updates acknowledged once
// each (only those with a uuid), implicit reconciliation, TEARDOWN.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "support/fast_options.hpp"
#include "support/recording_scheduler.hpp"
#include "support/wait.hpp"

using namespace test;
using mesos_actor::content_type;
namespace sim = mesos_actor::sim;

namespace {

void run_lifecycle(content_type ct) {
  // Everything the scheduler's callbacks touch is declared before the actor system,
  // so it outlives the actor.
  bool launched = false;
  bool reconciled = false;
  std::string persisted_id;
  std::mutex id_mtx;
  sim::cluster cluster{fast_cluster()};
  cluster.start();
  system_config cfg;
  caf::actor_system sys{cfg};
  auto log = std::make_shared<event_log>();
  auto behaviour = std::make_unique<recording_scheduler>(log);
  behaviour->info_template.set_name("lifecycle");
  behaviour->on_offers = [&launched](recording_scheduler::ctx_t& ctx, const Event::Offers& o) {
    if (launched || o.offers_size() == 0)
      return mesos_actor::action::keep;
    launched = true;
    const auto& offer = o.offers(0);
    auto task = mesos_actor::command_task("t1", "t1", offer.agent_id(), "true",
                                          {mesos_actor::scalar_resource("cpus", 0.1),
                                           mesos_actor::scalar_resource("mem", 32)});
    ctx.accept({offer.id()}, {mesos_actor::launch({task})});
    return mesos_actor::action::keep;
  };
  behaviour->on_update = [&reconciled](recording_scheduler::ctx_t& ctx, const Event::Update& u) {
    if (u.status().state() == mesos::v1::TASK_FINISHED && !reconciled) {
      reconciled = true;
      ctx.reconcile();
    }
    return mesos_actor::action::keep;
  };
  behaviour->on_info = [](recording_scheduler::ctx_t& ctx, const caf::message& msg) {
    if (msg.match_elements<std::string>() && msg.get_as<std::string>(0) == "teardown please")
      ctx.teardown();
    return mesos_actor::action::keep;
  };
  auto opts = fast_options(cluster.master_urls(), ct);
  opts.on_framework_id = [&](const std::string& id) {
    std::lock_guard<std::mutex> guard{id_mtx};
    persisted_id = id;
  };
  auto actor = mesos_actor::spawn_scheduler(sys, std::move(behaviour), opts);

  auto reg = log->wait("registered");
  REQUIRE(reg);
  CHECK_FALSE(reg->detail.empty());
  CHECK(reg->event.subscribed().heartbeat_interval_seconds() == doctest::Approx(0.2));
  {
    std::lock_guard<std::mutex> guard{id_mtx};
    CHECK(persisted_id == reg->detail);
  }
  auto sub = wait_call(cluster, Call::SUBSCRIBE);
  REQUIRE(sub);
  CHECK(sub->call->subscribe().framework_info().name() == "lifecycle");
  CHECK(sub->header("Content-Type") == std::string{mesos_actor::media_type(ct)});
  CHECK(sub->header("Accept") == std::string{mesos_actor::media_type(ct)});

  REQUIRE(log->wait("resource_offers"));
  auto accept = wait_call(cluster, Call::ACCEPT);
  REQUIRE(accept);
  CHECK(accept->status == 202);
  CHECK(accept->call->framework_id().value() == reg->detail);
  CHECK(accept->header("Mesos-Stream-Id") == sub->stream_id);
  REQUIRE(accept->call->accept().operations_size() == 1);
  CHECK(accept->call->accept().operations(0).launch().task_infos(0).task_id().value() == "t1");

  auto finished = log->wait("status_update", 10s, "t1 TASK_FINISHED");
  REQUIRE(finished);
  // Every update with a uuid is acknowledged exactly once.
  auto acks_done = cluster.wait_for(
    [&] { return cluster.unacknowledged_updates(reg->detail).empty(); }, 5s);
  CHECK(acks_done);
  std::size_t with_uuid = 0;
  for (auto& e : log->snapshot())
    if (e.name == "status_update" && e.event.update().status().has_uuid())
      ++with_uuid;
  REQUIRE(wait_call(cluster, Call::ACKNOWLEDGE, 5s, with_uuid));
  auto acks = calls_of(cluster, Call::ACKNOWLEDGE);
  CHECK(acks.size() == with_uuid);
  for (auto& a : acks) {
    CHECK(a.status == 202);
    CHECK(a.call->acknowledge().uuid().size() == 16);
    CHECK(a.call->acknowledge().task_id().value() == "t1");
  }

  // Implicit reconciliation: answered by an update without uuid, never acknowledged.
  auto rec = wait_call(cluster, Call::RECONCILE);
  REQUIRE(rec);
  CHECK(rec->call->reconcile().tasks_size() == 0);
  REQUIRE(log->wait_until([](const std::vector<entry>& es) {
    for (auto& e : es)
      if (e.name == "status_update" && e.event.update().status().reason()
                                         == mesos::v1::TaskStatus::REASON_RECONCILIATION)
        return true;
    return false;
  }));
  CHECK(calls_of(cluster, Call::ACKNOWLEDGE).size() == with_uuid);

  // TEARDOWN through handle_info: the scheduler stops normally once it is accepted.
  caf::anon_send(actor, std::string{"teardown please"});
  auto reason = wait_exit(sys, actor);
  REQUIRE(reason);
  CHECK_FALSE(*reason);
  // The master closes the stream before its handler records the call, so the actor
  // may be gone first: wait for the record.
  REQUIRE(wait_call(cluster, Call::TEARDOWN, 5s));
  auto td = calls_of(cluster, Call::TEARDOWN);
  REQUIRE(td.size() == 1);
  CHECK(td[0].status == 202);
  REQUIRE(log->wait("terminate"));
}

} // namespace

TEST_CASE("lifecycle over protobuf") {
  run_lifecycle(content_type::protobuf);
}

TEST_CASE("lifecycle over json") {
  run_lifecycle(content_type::json);
}
