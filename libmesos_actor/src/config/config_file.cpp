// Maps the keys of config/scheduler.ini and config/host.ini onto the option structs.
#include "mesos_actor/config_file.hpp"

#include <charconv>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "config/ini_reader.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/fleet.hpp"

namespace mesos_actor {

namespace {

using config::ini_entry;
using config::ini_value;
using millis = std::chrono::milliseconds;

// Every section either loader knows; a file may mix both kinds.
const std::set<std::string> scheduler_sections{"scheduler", "scheduler.tls", "scheduler.proxy",
                                               "scheduler.zookeeper", "scheduler.http-limits"};
const std::set<std::string> host_sections{"logging", "metrics", "prometheus", "fleet"};

// Reads one entry's value into an option; returns an error text or "".
using setter = std::function<std::string(const ini_value&)>;

std::string want(const char* what) {
  return std::string{"expected "} + what;
}

bool parse_unsigned(const ini_value& v, std::uint64_t& out) {
  if (v.type != ini_value::kind::number)
    return false;
  auto first = v.text.data();
  auto last = first + v.text.size();
  auto [end, ec] = std::from_chars(first, last, out);
  return ec == std::errc{} && end == last;
}

bool parse_real(const ini_value& v, double& out) {
  if (v.type != ini_value::kind::number)
    return false;
  auto first = v.text.data();
  auto last = first + v.text.size();
  auto [end, ec] = std::from_chars(first, last, out);
  return ec == std::errc{} && end == last;
}

setter milliseconds(millis& target) {
  return [&target](const ini_value& v) -> std::string {
    std::uint64_t n = 0;
    if (!parse_unsigned(v, n) || n > static_cast<std::uint64_t>(std::numeric_limits<millis::rep>::max()))
      return want("a whole number of milliseconds >= 0");
    target = millis{static_cast<millis::rep>(n)};
    return {};
  };
}

template <class T>
setter count(T& target) {
  return [&target](const ini_value& v) -> std::string {
    std::uint64_t n = 0;
    if (!parse_unsigned(v, n) || n > std::numeric_limits<T>::max())
      return want("a whole number >= 0 in range");
    target = static_cast<T>(n);
    return {};
  };
}

setter real(double& target) {
  return [&target](const ini_value& v) -> std::string {
    if (!parse_real(v, target))
      return want("a number");
    return {};
  };
}

setter flag(bool& target) {
  return [&target](const ini_value& v) -> std::string {
    if (v.type != ini_value::kind::boolean)
      return want("true or false");
    target = v.text == "true";
    return {};
  };
}

setter text(std::string& target) {
  return [&target](const ini_value& v) -> std::string {
    if (v.type != ini_value::kind::string)
      return want("a quoted string");
    target = v.text;
    return {};
  };
}

setter text_list(std::vector<std::string>& target) {
  return [&target](const ini_value& v) -> std::string {
    if (v.type != ini_value::kind::list)
      return want("a [list] of quoted strings");
    std::vector<std::string> out;
    for (auto& item : v.items) {
      if (item.type != ini_value::kind::string)
        return want("a [list] of quoted strings");
      out.push_back(item.text);
    }
    target = std::move(out);
    return {};
  };
}

setter real_list(std::vector<double>& target) {
  return [&target](const ini_value& v) -> std::string {
    if (v.type != ini_value::kind::list)
      return want("a [list] of numbers");
    std::vector<double> out;
    for (auto& item : v.items) {
      double d = 0;
      if (!parse_real(item, d))
        return want("a [list] of numbers");
      out.push_back(d);
    }
    target = std::move(out);
    return {};
  };
}

// "Name: value" strings; the values are never echoed (they may be credentials).
setter header_list(std::vector<std::pair<std::string, std::string>>& target) {
  return [&target](const ini_value& v) -> std::string {
    const char* shape = "a [list] of \"Name: value\" strings";
    if (v.type != ini_value::kind::list)
      return want(shape);
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& item : v.items) {
      auto colon = item.text.find(':');
      if (item.type != ini_value::kind::string || colon == 0 || colon == std::string::npos)
        return want(shape);
      auto value = item.text.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out.emplace_back(item.text.substr(0, colon), std::move(value));
    }
    target = std::move(out);
    return {};
  };
}

setter log_level_of(std::optional<log_level>& target) {
  return [&target](const ini_value& v) -> std::string {
    auto level = v.type == ini_value::kind::string ? parse_log_level(v.text) : std::nullopt;
    if (!level)
      return want("\"debug\", \"info\", \"warning\", \"error\" or \"off\"");
    target = level;
    return {};
  };
}

// Applies the entries of `sections` through `setters` (keyed "section/key"); skips the
// sections of the other loader; anything else unknown is an error.
caf::error apply(const std::string& path, const std::vector<ini_entry>& entries,
                 const std::set<std::string>& sections, const std::set<std::string>& others,
                 const std::map<std::string, setter>& setters) {
  for (auto& e : entries) {
    auto where = path + ":" + std::to_string(e.line) + ": ";
    if (others.count(e.section))
      continue;
    if (!sections.count(e.section))
      return make_error(errc::bad_option,
                        where + (e.section.empty() ? std::string{"key outside any section"}
                                                   : "unknown section [" + e.section + "]"));
    auto it = setters.find(e.section + "/" + e.key);
    if (it == setters.end())
      return make_error(errc::bad_option,
                        where + "unknown key '" + e.key + "' in [" + e.section + "]");
    if (auto why = it->second(e.value); !why.empty())
      return make_error(errc::bad_option, where + "[" + e.section + "] " + e.key + ": " + why);
  }
  return caf::none;
}

caf::error with_path(const std::string& path, caf::error err) {
  if (!err)
    return err;
  return make_error(errc::bad_option, path + ": " + describe(err));
}

} // namespace

caf::error load_scheduler_config(const std::string& path, scheduler_options& opts) {
  auto entries = config::read_ini_file(path);
  if (!entries)
    return std::move(entries.error());
  std::string content = std::string{content_type_name(opts.content)};
  std::string policy = opts.calls_while_disconnected == disconnected_call_policy::queue
                         ? "queue" : "fail_fast";
  std::string resubscription = to_string(opts.resubscription);
  std::string framework_id = opts.framework_id.value_or("");
  bool has_framework_id = false;
  std::map<std::string, setter> s{
    {"scheduler/master-hosts", text_list(opts.master_hosts)},
    {"scheduler/content-type", text(content)},
    {"scheduler/heartbeat-timeout-window-ms", milliseconds(opts.heartbeat_timeout_window)},
    {"scheduler/subscribe-timeout-ms", milliseconds(opts.subscribe_timeout)},
    {"scheduler/init-timeout-ms", milliseconds(opts.init_timeout)},
    {"scheduler/max-num-subscribe", count(opts.max_num_subscribe)},
    {"scheduler/max-num-resubscribe", count(opts.max_num_resubscribe)},
    {"scheduler/resubscribe-interval-ms", milliseconds(opts.resubscribe_interval)},
    {"scheduler/resubscribe-mode", text(resubscription)},
    {"scheduler/min-stable-subscription-ms", milliseconds(opts.min_stable_subscription)},
    {"scheduler/backoff-initial-ms", milliseconds(opts.backoff_initial)},
    {"scheduler/backoff-max-ms", milliseconds(opts.backoff_max)},
    {"scheduler/backoff-jitter", real(opts.backoff_jitter)},
    {"scheduler/max-redirects", count(opts.max_redirects)},
    {"scheduler/connect-timeout-ms", milliseconds(opts.connect_timeout)},
    {"scheduler/request-timeout-ms", milliseconds(opts.request_timeout)},
    {"scheduler/stream-read-timeout-ms", milliseconds(opts.stream_read_timeout)},
    {"scheduler/extra-headers", header_list(opts.extra_headers)},
    {"scheduler/max-auth-failures", count(opts.max_auth_failures)},
    {"scheduler/max-record-size", count(opts.max_record_size)},
    {"scheduler/max-error-body", count(opts.max_error_body)},
    {"scheduler/calls-while-disconnected", text(policy)},
    {"scheduler/max-queued-calls", count(opts.max_queued_calls)},
    {"scheduler/max-calls-in-flight", count(opts.max_calls_in_flight)},
    {"scheduler/auto-acknowledge", flag(opts.auto_acknowledge)},
    {"scheduler/framework-id",
     [&](const ini_value& v) {
       has_framework_id = true;
       return text(framework_id)(v);
     }},
    {"scheduler/log-level", log_level_of(opts.logging.min_level)},
    {"scheduler.tls/verify-peer", flag(opts.tls.verify_peer)},
    {"scheduler.tls/verify-hostname", flag(opts.tls.verify_hostname)},
    {"scheduler.tls/ca-file", text(opts.tls.ca_file)},
    {"scheduler.tls/ca-dir", text(opts.tls.ca_dir)},
    {"scheduler.tls/cert-file", text(opts.tls.cert_file)},
    {"scheduler.tls/key-file", text(opts.tls.key_file)},
    {"scheduler.proxy/url", text(opts.proxy.url)},
    {"scheduler.proxy/no-proxy", text(opts.proxy.no_proxy)},
    {"scheduler.zookeeper/session-timeout-ms", milliseconds(opts.zookeeper.session_timeout)},
    {"scheduler.zookeeper/connect-timeout-ms", milliseconds(opts.zookeeper.connect_timeout)},
    {"scheduler.zookeeper/retry-initial-ms", milliseconds(opts.zookeeper.retry_initial)},
    {"scheduler.zookeeper/retry-max-ms", milliseconds(opts.zookeeper.retry_max)},
    {"scheduler.zookeeper/master-scheme", text(opts.zookeeper.master_scheme)},
    {"scheduler.http-limits/max-header-line", count(opts.http_limits.max_header_line)},
    {"scheduler.http-limits/max-header-count", count(opts.http_limits.max_header_count)},
    {"scheduler.http-limits/max-head-size", count(opts.http_limits.max_head_size)},
    {"scheduler.http-limits/max-call-response-body", count(opts.http_limits.max_call_response_body)},
  };
  if (auto err = apply(path, *entries, scheduler_sections, host_sections, s))
    return err;
  auto type = content_type_from_name(content);
  if (!type)
    return make_error(errc::bad_option, path + ": [scheduler] content-type: expected \"protobuf\" or \"json\"");
  opts.content = *type;
  if (policy != "fail_fast" && policy != "queue")
    return make_error(errc::bad_option, path
                      + ": [scheduler] calls-while-disconnected: expected \"fail_fast\" or \"queue\"");
  opts.calls_while_disconnected = policy == "queue" ? disconnected_call_policy::queue
                                                    : disconnected_call_policy::fail_fast;
  if (resubscription != "backoff" && resubscription != "per_master")
    return make_error(errc::bad_option, path
                      + ": [scheduler] resubscribe-mode: expected \"backoff\" or \"per_master\"");
  opts.resubscription = resubscription == "per_master" ? resubscribe_mode::per_master
                                                       : resubscribe_mode::backoff;
  if (has_framework_id)
    opts.framework_id = framework_id.empty() ? std::nullopt : std::optional{framework_id};
  return with_path(path, validate(opts));
}

caf::error load_host_config(const std::string& path, host_options& opts) {
  auto entries = config::read_ini_file(path);
  if (!entries)
    return std::move(entries.error());
  std::map<std::string, setter> s{
    {"logging/level", log_level_of(opts.logging.min_level)},
    {"metrics/latency-buckets", real_list(opts.metrics.latency_buckets)},
    {"prometheus/enabled", flag(opts.prometheus.enabled)},
    {"prometheus/address", text(opts.prometheus.address)},
    {"prometheus/port", count(opts.prometheus.port)},
    {"prometheus/path", text(opts.prometheus.path)},
    {"fleet/zookeeper", text(opts.fleet.zookeeper)},
    {"fleet/path", text(opts.fleet.path)},
    {"fleet/host-name", text(opts.fleet.host_name)},
    {"fleet/capacity", count(opts.fleet.capacity)},
    {"fleet/session-timeout-ms", milliseconds(opts.fleet.session_timeout)},
  };
  if (auto err = apply(path, *entries, host_sections, scheduler_sections, s))
    return err;
  if (auto err = validate(opts.fleet))
    return with_path(path, std::move(err));
  if (auto err = metrics::validate(opts.metrics))
    return with_path(path, std::move(err));
  return with_path(path, metrics::validate(opts.prometheus));
}

} // namespace mesos_actor
