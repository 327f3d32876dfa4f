#include "scheduler/zk_masters.hpp"

#include <algorithm>

#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor {

bool uses_zookeeper(const std::vector<std::string>& hosts) {
  return std::any_of(hosts.begin(), hosts.end(), [](const std::string& h) { return is_zk_url(h); });
}

caf::error validate_zookeeper_masters(const scheduler_options& opts) {
  if (!uses_zookeeper(opts.master_hosts))
    return caf::none;
  if (opts.master_hosts.size() != 1)
    return make_error(errc::bad_option,
                      "master_hosts: a zk:// URL must be the only entry (ZooKeeper names the "
                      "leader; got " + std::to_string(opts.master_hosts.size()) + " entries)");
  auto url = parse_zk_url(opts.master_hosts.front());
  if (!url)
    return make_error(errc::bad_option, "master_hosts: " + error_detail(url.error()));
  if (auto err = validate(opts.zookeeper))
    return err;
  if (opts.zookeeper.master_scheme != "http" && opts.zookeeper.master_scheme != "https")
    return make_error(errc::bad_option, "zookeeper.master_scheme must be http or https");
  return caf::none;
}

} // namespace mesos_actor
