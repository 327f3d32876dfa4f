#include "mesos_actor/scheduler/options.hpp"

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
  if (o.framework_id_store_timeout <= milliseconds{0})
    return bad("framework_id_store_timeout must be positive");
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
  if (auto err = validate(static_cast<const connection_options&>(o)))
    return err;
  if (o.stream_read_timeout <= o.heartbeat_timeout_window)
    return bad("stream_read_timeout must exceed heartbeat_timeout_window");
  if (o.max_auth_failures == 0)
    return bad("max_auth_failures must be at least 1");
  if (o.max_queued_calls == 0)
    return bad("max_queued_calls must be positive");
  if (o.max_calls_in_flight == 0)
    return bad("max_calls_in_flight must be positive");
  if (o.framework_id && o.framework_id->empty())
    return bad("framework_id is set but empty");
  return caf::none;
}

} // namespace mesos_actor
