#include "mesos_actor/scheduler/options.hpp"

#include <strings.h>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/transport/endpoint.hpp"
#include "scheduler/zk_masters.hpp"

namespace mesos_actor {

namespace {

caf::error bad(const std::string& what) {
  return make_error(errc::bad_option, what);
}

} // namespace

const char* to_string(resubscribe_mode m) {
  return m == resubscribe_mode::per_master ? "per_master" : "backoff";
}

caf::error validate(const scheduler_options& o) {
  using std::chrono::milliseconds;
  if (o.master_hosts.empty())
    return bad("master_hosts is empty");
  if (uses_zookeeper(o.master_hosts)) {
    if (auto err = validate_zookeeper_masters(o))
      return err;
  } else {
    for (auto& host : o.master_hosts)
      if (auto ep = parse_endpoint(host, scheduler_api_path); !ep)
        return bad("master_hosts: " + error_detail(ep.error()));
  }
  if (o.heartbeat_timeout_window < milliseconds{0})
    return bad("heartbeat_timeout_window must not be negative");
  if (o.subscribe_timeout <= milliseconds{0})
    return bad("subscribe_timeout must be positive");
  if (o.init_timeout <= milliseconds{0})
    return bad("init_timeout must be positive");
  if (o.max_num_subscribe == 0)
    return bad("max_num_subscribe must be at least 1");
  if (o.resubscribe_interval < milliseconds{0})
    return bad("resubscribe_interval must not be negative");
  if (o.resubscription != resubscribe_mode::backoff
      && o.resubscription != resubscribe_mode::per_master)
    return bad("resubscription must be backoff or per_master");
  if (o.min_stable_subscription < milliseconds{0})
    return bad("min_stable_subscription must not be negative");
  if (o.backoff_initial < milliseconds{0} || o.backoff_max < o.backoff_initial)
    return bad("backoff_initial must be >= 0 and <= backoff_max");
  if (!(o.backoff_jitter >= 0.0 && o.backoff_jitter <= 1.0))
    return bad("backoff_jitter must be in [0, 1]");
  if (o.connect_timeout <= milliseconds{0})
    return bad("connect_timeout must be positive");
  if (o.request_timeout <= milliseconds{0})
    return bad("request_timeout must be positive");
  if (o.stream_read_timeout <= o.heartbeat_timeout_window)
    return bad("stream_read_timeout must exceed heartbeat_timeout_window");
  for (auto& [name, value] : o.extra_headers) {
    if (name.empty() || name.find_first_of(":\r\n ") != std::string::npos)
      return bad("extra_headers: bad header name '" + name + "'");
    if (value.find_first_of("\r\n") != std::string::npos)
      return bad("extra_headers: the value of '" + name + "' contains a line break");
  }
  for (auto& header : o.extra_headers)
    if (!o.auth.empty() && ::strcasecmp(header.first.c_str(), "Authorization") == 0)
      return bad("extra_headers sets Authorization while auth is configured too; use one");
  for (auto& header : o.extra_headers)
    if (::strcasecmp(header.first.c_str(), "Proxy-Authorization") == 0)
      return bad("extra_headers sets Proxy-Authorization; give the proxy's credentials in "
                 "proxy.url (http://user:password@host:port), which sends them to the proxy only");
  if (auto err = validate(o.tls, "tls"))
    return err;
  if (auto err = validate(o.proxy, "proxy"))
    return err;
  if (auto err = o.auth.check("auth"))
    return err;
  if (o.max_auth_failures == 0)
    return bad("max_auth_failures must be at least 1");
  if (o.max_record_size == 0)
    return bad("max_record_size must be positive");
  if (auto err = validate(o.http_limits, "http_limits"))
    return err;
  if (o.max_queued_calls == 0)
    return bad("max_queued_calls must be positive");
  if (o.max_calls_in_flight == 0)
    return bad("max_calls_in_flight must be positive");
  if (o.max_pipelined_calls == 0)
    return bad("max_pipelined_calls must be positive");
  if (o.framework_id && o.framework_id->empty())
    return bad("framework_id is set but empty");
  return caf::none;
}

} // namespace mesos_actor
