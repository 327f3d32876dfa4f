#pragma once
// A simulator + actor system per test; every scheduler spawned through it is shut
// down (bounded) before the system and the simulator go away.

#include <memory>
#include <string>
#include <vector>

#include <caf/send.hpp>

#include "mesos_actor/codec/content_type.hpp"
#include "support/fast_options.hpp"
#include "support/recording_scheduler.hpp"
#include "support/wait.hpp"

namespace test {

// The name of an encoding ("json", "protobuf"), for CAPTURE in cases run per encoding.
inline std::string encoding_name(mesos_actor::content_type ct) {
  return std::string{mesos_actor::content_type_name(ct)};
}

struct sim_fixture {
  explicit sim_fixture(std::size_t masters = 1,
                       mesos_actor::sim::cluster_options copts = fast_cluster())
    : cluster([&] {
        copts.masters = masters;
        return copts;
      }()) {
    cluster.start();
  }

  ~sim_fixture() {
    for (auto& a : spawned) {
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
      wait_exit(sys, a, std::chrono::seconds(5));
    }
  }

  std::unique_ptr<recording_scheduler> behaviour(std::shared_ptr<event_log> l = nullptr,
                                                 double failover_timeout = 3600) {
    auto b = std::make_unique<recording_scheduler>(l ? l : log);
    b->info_template.set_failover_timeout(failover_timeout);
    return b;
  }

  mesos_actor::scheduler_options options(mesos_actor::content_type ct) {
    return fast_options(cluster.master_urls(), ct);
  }

  caf::actor spawn(std::unique_ptr<recording_scheduler> b, mesos_actor::scheduler_options o) {
    auto a = mesos_actor::spawn_scheduler(sys, std::move(b), std::move(o));
    spawned.push_back(a);
    return a;
  }

  mesos_actor::sim::cluster cluster;
  system_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<event_log> log = std::make_shared<event_log>();
  std::vector<caf::actor> spawned;
};

inline const mesos_actor::content_type both_content_types[] = {mesos_actor::content_type::protobuf,
                                                               mesos_actor::content_type::json};

} // namespace test
