#pragma once
// One ZooKeeper master detector per distinct zk:// URL, shared by all frameworks of a
// host that use that URL. Detectors live until the host shuts down.

#include <map>
#include <mutex>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>

#include "mesos_actor/log.hpp"
#include "mesos_actor/scheduler/options.hpp"

namespace mesos_actor::detail {

class detector_pool {
public:
  /// With a zk:// master and no detector given: sets opts.master_detector to the
  /// host's detector for that URL (spawned on first use, with these options and the
  /// host's logging unless the options name their own). Errors are bad_option.
  caf::error share(caf::actor_system& sys, scheduler_options& opts, const logging_options& host_log);
  /// Stops every detector (host shutdown).
  void stop_all();

private:
  std::mutex mtx_;
  std::map<std::string, caf::actor> detectors_; // by URL (credentials included: never logged)
};

} // namespace mesos_actor::detail
