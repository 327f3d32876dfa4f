#pragma once
// master_hosts given as one zk:// URL: the scheduler then learns its master from a
// ZooKeeper master detector instead of rotating over a static list.

#include <string>
#include <vector>

#include <caf/error.hpp>

#include "mesos_actor/scheduler/options.hpp"

namespace mesos_actor {

/// True when some entry of `hosts` is a zk:// URL.
bool uses_zookeeper(const std::vector<std::string>& hosts);

/// With zk://: exactly one entry, a valid URL and valid detector options
/// (errc::bad_option naming the problem, never the password). none otherwise.
caf::error validate_zookeeper_masters(const scheduler_options& opts);

} // namespace mesos_actor
