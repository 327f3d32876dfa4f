#include "mesos_actor/operator/options.hpp"

#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/transport/endpoint.hpp"

namespace mesos_actor::operator_api {

caf::error validate(const client_options& o) {
  auto bad = [](std::string what) { return make_error(errc::bad_option, std::move(what)); };
  if (o.targets.empty())
    return bad("targets: give a master (or agent) address or one zk:// URL");
  bool zk = false;
  for (const auto& t : o.targets)
    zk = zk || is_zk_url(t);
  if (zk) {
    if (o.targets.size() != 1)
      return bad("targets: a zk:// URL must be the only entry (ZooKeeper names the leader)");
    auto url = parse_zk_url(o.targets.front());
    if (!url)
      return bad("targets: " + error_detail(url.error()));
    if (auto err = validate(o.detector))
      return err;
    if (o.detector.master_scheme != "http" && o.detector.master_scheme != "https")
      return bad("detector.master_scheme must be http or https");
  } else {
    for (const auto& t : o.targets)
      if (auto e = parse_endpoint(t, operator_api_path); !e)
        return bad("targets: " + error_detail(e.error()));
  }
  if (o.connect_timeout.count() <= 0)
    return bad("connect_timeout must be positive");
  if (o.request_timeout.count() <= 0)
    return bad("request_timeout must be positive");
  if (o.leader_timeout.count() <= 0)
    return bad("leader_timeout must be positive");
  if (o.max_response_body == 0)
    return bad("max_response_body must be positive");
  if (auto err = o.auth.check("auth"))
    return err;
  if (auto err = validate(o.tls, "tls"))
    return err;
  return validate(o.limits, "limits");
}

} // namespace mesos_actor::operator_api
