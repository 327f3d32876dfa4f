#include "host/detector_pool.hpp"

#include <caf/send.hpp>

#include "scheduler/zk_masters.hpp"

namespace mesos_actor::detail {

caf::error detector_pool::share(caf::actor_system& sys, scheduler_options& opts,
                                const logging_options& host_log) {
  if (opts.master_detector || !uses_zookeeper(opts.master_hosts) || opts.master_hosts.size() != 1)
    return caf::none;
  const auto& url = opts.master_hosts.front();
  std::lock_guard<std::mutex> guard{mtx_};
  if (auto it = detectors_.find(url); it != detectors_.end()) {
    opts.master_detector = it->second;
    return caf::none;
  }
  auto dopts = opts.zookeeper;
  if (!dopts.logging.sink && !dopts.logging.min_level) {
    dopts.logging = host_log;
    dopts.logging.framework_ref.clear(); // shared: belongs to no single framework
  }
  auto spawned = spawn_master_detector(sys, url, std::move(dopts));
  if (!spawned)
    return std::move(spawned.error());
  detectors_.emplace(url, *spawned);
  opts.master_detector = std::move(*spawned);
  return caf::none;
}

void detector_pool::stop_all() {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [url, detector] : detectors_)
    caf::anon_send_exit(detector, caf::exit_reason::user_shutdown);
  detectors_.clear();
}

} // namespace mesos_actor::detail
