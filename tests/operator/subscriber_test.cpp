// The operator event subscriber against the simulator: SUBSCRIBED with the state, the
// events of a task's life and of an agent's loss, resubscription after the master
// restarts, and giving up after max_resubscribe failed attempts.
#include <doctest/doctest.h>

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/operator/subscriber.hpp"
#include "sim/sim_client.hpp"
#include "support/wait.hpp"

using namespace simtest;
using namespace mesos_actor;
using OpEvent = mesos::v1::master::Event;

namespace {

// What the callbacks saw, awaited by the test thread.
struct seen {
  std::size_t subscribed = 0;
  std::size_t agents_in_state = 0;
  std::size_t heartbeats = 0;
  std::vector<std::string> tasks_added;
  std::vector<mesos::v1::TaskState> task_states;
  std::vector<std::string> agents_removed;
  std::vector<std::string> frameworks_added;
  std::vector<caf::error> disconnections;
};

operator_api::event_callbacks record(test::waitable& w, seen& s) {
  operator_api::event_callbacks cb;
  cb.subscribed = [&](const OpEvent::Subscribed& e) {
    w.update([&] {
      ++s.subscribed;
      s.agents_in_state = static_cast<std::size_t>(e.get_state().get_agents().agents_size());
    });
  };
  cb.heartbeat = [&] { w.update([&] { ++s.heartbeats; }); };
  cb.task_added = [&](const OpEvent::TaskAdded& e) {
    w.update([&] { s.tasks_added.push_back(e.task().task_id().value()); });
  };
  cb.task_updated = [&](const OpEvent::TaskUpdated& e) {
    w.update([&] { s.task_states.push_back(e.state()); });
  };
  cb.agent_removed = [&](const OpEvent::AgentRemoved& e) {
    w.update([&] { s.agents_removed.push_back(e.agent_id().value()); });
  };
  cb.framework_added = [&](const OpEvent::FrameworkAdded& e) {
    w.update([&] { s.frameworks_added.push_back(e.framework().framework_info().id().value()); });
  };
  cb.disconnected = [&](const caf::error& e) { w.update([&] { s.disconnections.push_back(e); }); };
  return cb;
}

operator_api::subscriber_options options_for(std::vector<std::string> targets) {
  operator_api::subscriber_options o;
  o.connection.targets = std::move(targets);
  o.connection.connect_timeout = std::chrono::milliseconds(500);
  o.backoff_initial = std::chrono::milliseconds(20);
  o.backoff_max = std::chrono::milliseconds(100);
  return o;
}

} // namespace

TEST_CASE("the subscriber sees SUBSCRIBED, heartbeats, a task's life and an agent's loss") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto opts = fast_options();
  opts.agents = 2;
  sim::cluster s(opts);
  s.start();
  test::waitable w;
  seen got;
  for (auto enc : {content_type::json, content_type::protobuf}) {
    CAPTURE(content_type_name(enc));
    w.update([&] { got = seen{}; });
    auto o = options_for({s.master_urls()[0]});
    o.connection.encoding = enc;
    auto sub = operator_api::spawn_subscriber(sys, o, record(w, got));
    REQUIRE(sub);
    REQUIRE(w.wait_for([&] { return got.subscribed == 1 && got.heartbeats >= 2; }));
    auto agents = s.agents();
    auto running = std::count_if(agents.begin(), agents.end(), [](const auto& a) { return a.running; });
    CHECK(w.read([&] { return got.agents_in_state; }) == static_cast<std::size_t>(running));
    if (enc == content_type::json) {
      session fw(s.master_urls()[0], subscribe_call("op-sub"));
      REQUIRE(w.wait_for([&] { return got.frameworks_added.size() == 1; }));
      CHECK(w.read([&] { return got.frameworks_added[0]; }) == fw.fid);
      auto offers = fw.sub.next(Event::OFFERS);
      REQUIRE(offers);
      REQUIRE(fw.send(launch_call(offers->offers().offers(0), "t1", "sleep 30")).status == 202);
      REQUIRE(w.wait_for([&] {
        return !got.tasks_added.empty() &&
               std::count(got.task_states.begin(), got.task_states.end(), mesos::v1::TASK_RUNNING) > 0;
      }));
      CHECK(w.read([&] { return got.tasks_added[0]; }) == "t1");
      auto agent = s.task("t1")->agent_id;
      for (std::size_t i = 0; i < s.agents().size(); ++i)
        if (s.agents()[i].id == agent)
          s.faults().kill_agent(i);
      REQUIRE(w.wait_for([&] { return !got.agents_removed.empty(); }));
      CHECK(w.read([&] { return got.agents_removed[0]; }) == agent);
      REQUIRE(w.wait_for([&] {
        return std::count(got.task_states.begin(), got.task_states.end(), mesos::v1::TASK_LOST) > 0;
      }));
    }
    CHECK(w.read([&] { return got.disconnections.size(); }) == 0);
    caf::anon_send_exit(*sub, caf::exit_reason::user_shutdown);
    CHECK(test::wait_exit(sys, *sub).has_value());
  }
}

TEST_CASE("the subscriber subscribes again when its master restarts") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  sim::cluster s(fast_options());
  s.start();
  test::waitable w;
  seen got;
  auto sub = operator_api::spawn_subscriber(sys, options_for({s.master_urls()[0]}), record(w, got));
  REQUIRE(sub);
  REQUIRE(w.wait_for([&] { return got.subscribed == 1; }));
  s.faults().restart_master(0);
  REQUIRE(w.wait_for([&] { return got.subscribed == 2; }));
  CHECK(w.read([&] { return got.disconnections.size(); }) >= 1);
  caf::anon_send_exit(*sub, caf::exit_reason::user_shutdown);
  CHECK(test::wait_exit(sys, *sub).has_value());
}

TEST_CASE("the subscriber gives up after max_resubscribe failed attempts") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  int closed_port = 0;
  {
    sim::cluster gone(fast_options());
    gone.start();
    closed_port = port_of(gone.master_urls()[0]);
  }
  test::waitable w;
  seen got;
  auto o = options_for({"127.0.0.1:" + std::to_string(closed_port)});
  o.max_resubscribe = 2;
  auto sub = operator_api::spawn_subscriber(sys, o, record(w, got));
  REQUIRE(sub);
  auto reason = test::wait_exit(sys, *sub);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::resubscribe_exhausted);
  CHECK(w.read([&] { return got.disconnections.size(); }) == 3);
  CHECK(error_code(w.read([&] { return got.disconnections[0]; })) == errc::transport_error);
}
