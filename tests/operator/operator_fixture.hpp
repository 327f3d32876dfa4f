#pragma once
// What the operator API tests share: an actor system with its clients, and a
// framework with one running command task on the simulator.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/credentials.hpp"
#include "mesos_actor/operator/client.hpp"
#include "sim/sim_client.hpp"

namespace optest {

inline constexpr auto call_timeout = std::chrono::seconds(10);

/// An actor system and the clients spawned in it. The clients are stopped when the
/// fixture goes, also after a failed REQUIRE (the system would wait for them forever).
struct system_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::vector<caf::actor> clients;

  ~system_fixture() {
    for (const auto& c : clients)
      caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  }

  /// A client for `targets` (masters, or one agent's address).
  caf::actor client_for(caf::actor_system& in, std::vector<std::string> targets,
                        mesos_actor::content_type encoding = mesos_actor::content_type::protobuf,
                        mesos_actor::credentials auth = {}) {
    mesos_actor::operator_api::client_options opts;
    opts.targets = std::move(targets);
    opts.encoding = encoding;
    opts.auth = std::move(auth);
    opts.connect_timeout = std::chrono::milliseconds(500);
    auto client = mesos_actor::operator_api::spawn_client(in, opts);
    REQUIRE(client);
    clients.push_back(*client);
    return *client;
  }
};

/// A framework with one running command task `t1` (until the object goes), launched on
/// the first offer's agent.
struct running_task {
  explicit running_task(const std::string& url, const std::string& command = "sleep 30")
    : s(url, simtest::subscribe_call("op-test")) {
    using simtest::Event;
    auto offers = s.sub.next(Event::OFFERS);
    REQUIRE(offers);
    agent_id = offers->offers().offers(0).agent_id().value();
    REQUIRE(s.send(simtest::launch_call(offers->offers().offers(0), "t1", command)).status == 202);
    for (;;) {
      auto e = s.sub.next(Event::UPDATE);
      REQUIRE(e);
      const auto& st = e->update().status();
      if (st.has_uuid())
        REQUIRE(s.send(simtest::ack_call(st)).status == 202);
      if (st.state() == mesos::v1::TASK_RUNNING)
        break;
    }
  }
  simtest::session s;
  std::string agent_id; ///< where t1 runs
};

} // namespace optest
