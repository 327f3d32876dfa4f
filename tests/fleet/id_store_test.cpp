// scheduler_options::store_framework_id, the asynchronous store a fleet host records a
// new framework id with (docs/fleet.md "Failover"): against the simulator, the
// scheduler holds SUBSCRIBED until the store answers; a store that fails or does not
// answer in time stops the framework (errc::framework_id_not_stored) before its
// behaviour hears of the id, so it never runs on as an unrecorded framework.
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include <caf/send.hpp>

#include "support/fast_options.hpp"
#include "support/recording_scheduler.hpp"
#include "support/wait.hpp"

using namespace test;
namespace sim = mesos_actor::sim;
using mesos_actor::errc;

namespace {

using done_fn = std::function<void(caf::error)>;

// What the store saw; the test answers through `done` when it wants to.
struct store_probe {
  std::mutex mtx;
  std::vector<std::string> ids;
  std::promise<done_fn> first;
  std::atomic<int> calls{0};

  auto hook() {
    return [this](const std::string& id, done_fn done) {
      {
        std::lock_guard<std::mutex> guard{mtx};
        ids.push_back(id);
      }
      if (calls++ == 0)
        first.set_value(std::move(done));
    };
  }
};

// A simulator, an actor system, and the schedulers a test case spawns on them: they
// end with the test case on every way out (a failed REQUIRE included), so that the
// actor system's destructor does not wait for them forever.
struct rig {
  sim::cluster cluster{fast_cluster()};
  system_config cfg;
  caf::actor_system sys{cfg};
  std::vector<caf::actor> spawned;

  rig() { cluster.start(); }
  ~rig() {
    for (auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::kill);
  }
  mesos_actor::scheduler_options options() { return fast_options(cluster.master_urls()); }
  caf::actor spawn(std::shared_ptr<event_log> log, const std::string& name,
                   mesos_actor::scheduler_options opts, double failover_timeout = 0) {
    auto behaviour = std::make_unique<recording_scheduler>(std::move(log));
    behaviour->info_template.set_name(name);
    if (failover_timeout > 0)
      behaviour->info_template.set_failover_timeout(failover_timeout);
    auto a = mesos_actor::spawn_scheduler(sys, std::move(behaviour), std::move(opts));
    spawned.push_back(a);
    return a;
  }
};

std::size_t index_of(const std::vector<entry>& log, const std::string& name) {
  for (std::size_t i = 0; i < log.size(); ++i)
    if (log[i].name == name)
      return i;
  return log.size();
}

} // namespace

TEST_CASE("store_framework_id: SUBSCRIBED and the events after it wait for the store") {
  rig r;
  store_probe probe;
  std::atomic<bool> answered{false};
  std::atomic<bool> hook_before_answer{false};
  auto log = std::make_shared<event_log>();
  auto opts = r.options();
  opts.store_framework_id = probe.hook();
  opts.on_framework_id = [&](const std::string&) {
    if (!answered)
      hook_before_answer = true;
  };
  auto actor = r.spawn(log, "id-store-ok", opts);
  auto pending = probe.first.get_future();
  REQUIRE(pending.wait_for(10s) == std::future_status::ready);
  auto done = pending.get();
  // The master sent SUBSCRIBED (the store was asked) and offers follow at once; none
  // of it reaches the behaviour while the id is not stored.
  CHECK_FALSE(log->wait("registered", 300ms));
  CHECK(log->count("resource_offers") == 0);
  answered = true;
  done(caf::none);
  auto reg = log->wait("registered");
  REQUIRE(reg);
  REQUIRE(log->wait("resource_offers"));
  auto entries = log->snapshot();
  CHECK(index_of(entries, "registered") < index_of(entries, "resource_offers"));
  CHECK_FALSE(hook_before_answer);
  {
    std::lock_guard<std::mutex> guard{probe.mtx};
    REQUIRE(probe.ids.size() == 1);
    CHECK(probe.ids[0] == reg->detail);
  }
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  REQUIRE(log->wait("terminate"));
}

TEST_CASE("store_framework_id: a store that fails stops the framework before registered") {
  rig r;
  store_probe probe;
  auto log = std::make_shared<event_log>();
  auto opts = r.options();
  opts.store_framework_id = probe.hook();
  r.spawn(log, "id-store-fails", opts);
  auto pending = probe.first.get_future();
  REQUIRE(pending.wait_for(10s) == std::future_status::ready);
  pending.get()(mesos_actor::make_error(errc::transport_error, "ZooKeeper said no"));
  auto end = log->wait("terminate");
  REQUIRE(end);
  CHECK(mesos_actor::error_code(end->reason) == errc::framework_id_not_stored);
  CHECK(end->detail.find("ZooKeeper said no") != std::string::npos);
  CHECK(log->count("registered") == 0);
  CHECK(log->count("resource_offers") == 0);
  CHECK(calls_of(r.cluster, Call::ACCEPT).empty());
}

TEST_CASE("store_framework_id: no answer within framework_id_store_timeout stops it") {
  rig r;
  store_probe probe;
  done_fn kept; // never called: the store hangs
  auto log = std::make_shared<event_log>();
  auto opts = r.options();
  opts.store_framework_id = probe.hook();
  opts.framework_id_store_timeout = 300ms;
  r.spawn(log, "id-store-hangs", opts);
  auto pending = probe.first.get_future();
  REQUIRE(pending.wait_for(10s) == std::future_status::ready);
  kept = pending.get();
  auto end = log->wait("terminate", 5s);
  REQUIRE(end);
  CHECK(mesos_actor::error_code(end->reason) == errc::framework_id_not_stored);
  CHECK(end->detail.find("no answer") != std::string::npos);
  CHECK(log->count("registered") == 0);
  // A late answer changes nothing.
  kept(caf::none);
  CHECK_FALSE(log->wait("registered", 200ms));
}

TEST_CASE("store_framework_id: an id the scheduler started with is not stored again") {
  rig r;
  std::string id;
  {
    auto log = std::make_shared<event_log>();
    auto actor = r.spawn(log, "id-store-known", r.options(), 3600);
    auto reg = log->wait("registered");
    REQUIRE(reg);
    id = reg->detail;
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    REQUIRE(log->wait("terminate"));
  }
  store_probe probe;
  auto log = std::make_shared<event_log>();
  auto opts = r.options();
  opts.framework_id = id;
  opts.store_framework_id = probe.hook();
  auto actor = r.spawn(log, "id-store-known", opts, 3600);
  auto reg = log->wait("registered");
  REQUIRE(reg);
  CHECK(reg->detail == id);
  CHECK(probe.calls == 0);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  REQUIRE(log->wait("terminate"));
}
