#include "mesos_actor/fleet.hpp"

#include "fleet/nodes.hpp"
#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace fleet {

std::optional<std::string> path_problem(const std::string& path) {
  if (path.size() < 2 || path[0] != '/' || path.back() == '/'
      || path.find("//") != std::string::npos)
    return "path must be an absolute ZooKeeper path like /mesos-actor/fleet (given '" + path
           + "')";
  for (std::size_t start = 1; start < path.size();) {
    auto slash = path.find('/', start);
    auto seg = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!valid_name(seg))
      return "path segment '" + seg + "' is not [A-Za-z0-9._-]+";
    if (slash == std::string::npos)
      break;
    start = slash + 1;
  }
  return std::nullopt;
}

} // namespace fleet

caf::error validate(const fleet_options& o) {
  if (!o.enabled())
    return caf::none;
  auto bad = [](const std::string& what) { return make_error(errc::bad_option, "fleet: " + what); };
  auto url = parse_zk_url(o.zookeeper);
  if (!url)
    return bad(error_detail(url.error()));
  if (auto problem = fleet::path_problem(o.path))
    return bad(*problem);
  if (!fleet::valid_name(o.host_name))
    return bad("host_name must be 1..128 of [A-Za-z0-9._-] (given '" + o.host_name + "')");
  if (o.capacity == 0)
    return bad("capacity must be >= 1");
  if (o.session_timeout < std::chrono::milliseconds{300}
      || o.session_timeout > std::chrono::milliseconds{INT32_MAX})
    return bad("session_timeout must be >= 300 ms");
  return caf::none;
}

} // namespace mesos_actor
