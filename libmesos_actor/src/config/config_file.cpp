// Maps the keys of config/scheduler.ini, config/host.ini and config/frameworks.ini onto
// the option structs.
#include "mesos_actor/config_file.hpp"

#include <algorithm>
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
    if (e.key.empty())
      continue; // the section line
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

namespace {

// The values of the scheduler keys that are read as text first, then checked.
struct scheduler_texts {
  std::string content;
  std::string policy;
  std::string resubscription;
  std::string framework_id;
  bool has_framework_id = false;
};

// The scheduler keys, one spelling for every file: "<base>/key", "<base>.tls/key"...
// (base "scheduler" in scheduler.ini, "framework.REF" in a frameworks file).
std::map<std::string, setter> scheduler_setters(const std::string& base, scheduler_options& opts,
                                               scheduler_texts& t) {
  t.content = std::string{content_type_name(opts.content)};
  t.policy = opts.calls_while_disconnected == disconnected_call_policy::queue ? "queue" : "fail_fast";
  t.resubscription = to_string(opts.resubscription);
  t.framework_id = opts.framework_id.value_or("");
  std::map<std::string, setter> s{
    {"/master-hosts", text_list(opts.master_hosts)},
    {"/content-type", text(t.content)},
    {"/heartbeat-timeout-window-ms", milliseconds(opts.heartbeat_timeout_window)},
    {"/subscribe-timeout-ms", milliseconds(opts.subscribe_timeout)},
    {"/init-timeout-ms", milliseconds(opts.init_timeout)},
    {"/max-num-subscribe", count(opts.max_num_subscribe)},
    {"/max-num-resubscribe", count(opts.max_num_resubscribe)},
    {"/resubscribe-interval-ms", milliseconds(opts.resubscribe_interval)},
    {"/resubscribe-mode", text(t.resubscription)},
    {"/min-stable-subscription-ms", milliseconds(opts.min_stable_subscription)},
    {"/backoff-initial-ms", milliseconds(opts.backoff_initial)},
    {"/backoff-max-ms", milliseconds(opts.backoff_max)},
    {"/backoff-jitter", real(opts.backoff_jitter)},
    {"/max-redirects", count(opts.max_redirects)},
    {"/connect-timeout-ms", milliseconds(opts.connect_timeout)},
    {"/request-timeout-ms", milliseconds(opts.request_timeout)},
    {"/stream-read-timeout-ms", milliseconds(opts.stream_read_timeout)},
    {"/extra-headers", header_list(opts.extra_headers)},
    {"/max-auth-failures", count(opts.max_auth_failures)},
    {"/max-record-size", count(opts.max_record_size)},
    {"/max-error-body", count(opts.max_error_body)},
    {"/calls-while-disconnected", text(t.policy)},
    {"/max-queued-calls", count(opts.max_queued_calls)},
    {"/max-calls-in-flight", count(opts.max_calls_in_flight)},
    {"/max-pipelined-calls", count(opts.max_pipelined_calls)},
    {"/direct-calls", flag(opts.direct_calls)},
    {"/auto-acknowledge", flag(opts.auto_acknowledge)},
    {"/framework-id",
     [&t](const ini_value& v) {
       t.has_framework_id = true;
       return text(t.framework_id)(v);
     }},
    {"/log-level", log_level_of(opts.logging.min_level)},
    {".tls/verify-peer", flag(opts.tls.verify_peer)},
    {".tls/verify-hostname", flag(opts.tls.verify_hostname)},
    {".tls/ca-file", text(opts.tls.ca_file)},
    {".tls/ca-dir", text(opts.tls.ca_dir)},
    {".tls/cert-file", text(opts.tls.cert_file)},
    {".tls/key-file", text(opts.tls.key_file)},
    {".proxy/url", text(opts.proxy.url)},
    {".proxy/no-proxy", text(opts.proxy.no_proxy)},
    {".zookeeper/session-timeout-ms", milliseconds(opts.zookeeper.session_timeout)},
    {".zookeeper/connect-timeout-ms", milliseconds(opts.zookeeper.connect_timeout)},
    {".zookeeper/retry-initial-ms", milliseconds(opts.zookeeper.retry_initial)},
    {".zookeeper/retry-max-ms", milliseconds(opts.zookeeper.retry_max)},
    {".zookeeper/master-scheme", text(opts.zookeeper.master_scheme)},
    {".http-limits/max-header-line", count(opts.http_limits.max_header_line)},
    {".http-limits/max-header-count", count(opts.http_limits.max_header_count)},
    {".http-limits/max-head-size", count(opts.http_limits.max_head_size)},
    {".http-limits/max-call-response-body", count(opts.http_limits.max_call_response_body)},
  };
  std::map<std::string, setter> out;
  for (auto& [suffix, set] : s)
    out.emplace(base + suffix, std::move(set));
  return out;
}

// The section names of scheduler_setters(base, ...).
std::set<std::string> scheduler_section_names(const std::string& base) {
  return {base, base + ".tls", base + ".proxy", base + ".zookeeper", base + ".http-limits"};
}

// Checks the text values and stores them; `base` names the section in errors.
caf::error finish_scheduler(const std::string& path, const std::string& base,
                            scheduler_options& opts, const scheduler_texts& t) {
  auto bad = [&](const char* key, const char* expected) {
    return make_error(errc::bad_option, path + ": [" + base + "] " + key + ": expected " + expected);
  };
  auto type = content_type_from_name(t.content);
  if (!type)
    return bad("content-type", "\"protobuf\" or \"json\"");
  opts.content = *type;
  if (t.policy != "fail_fast" && t.policy != "queue")
    return bad("calls-while-disconnected", "\"fail_fast\" or \"queue\"");
  opts.calls_while_disconnected = t.policy == "queue" ? disconnected_call_policy::queue
                                                      : disconnected_call_policy::fail_fast;
  if (t.resubscription != "backoff" && t.resubscription != "per_master")
    return bad("resubscribe-mode", "\"backoff\" or \"per_master\"");
  opts.resubscription = t.resubscription == "per_master" ? resubscribe_mode::per_master
                                                         : resubscribe_mode::backoff;
  if (t.has_framework_id)
    opts.framework_id = t.framework_id.empty() ? std::nullopt : std::optional{t.framework_id};
  return with_path(path, validate(opts));
}

} // namespace

caf::error load_scheduler_config(const std::string& path, scheduler_options& opts) {
  auto entries = config::read_ini_file(path);
  if (!entries)
    return std::move(entries.error());
  scheduler_texts t;
  auto setters = scheduler_setters("scheduler", opts, t);
  if (auto err = apply(path, *entries, scheduler_sections, host_sections, setters))
    return err;
  return finish_scheduler(path, "scheduler", opts, t);
}

namespace {

constexpr std::string_view framework_prefix = "framework.";

// Splits "framework.REF[.part]" into REF and ".part" ("" for the framework's own
// section); nullopt for a section of another kind.
std::optional<std::pair<std::string, std::string>> framework_section(const std::string& section) {
  if (section.compare(0, framework_prefix.size(), framework_prefix) != 0)
    return std::nullopt;
  auto rest = section.substr(framework_prefix.size());
  for (const char* part : {".tls", ".proxy", ".zookeeper", ".http-limits", ".restart", ".app"}) {
    std::string_view p{part};
    if (rest.size() > p.size() && rest.compare(rest.size() - p.size(), p.size(), p) == 0)
      return std::pair{rest.substr(0, rest.size() - p.size()), std::string{p}};
  }
  return std::pair{rest, std::string{}};
}

std::map<std::string, setter> restart_setters(const std::string& base, restart_policy& policy,
                                              std::string& restart) {
  return {
    {base + ".restart/restart", text(restart)},
    {base + ".restart/max-restarts", count(policy.max_restarts)},
    {base + ".restart/period-ms", milliseconds(policy.period)},
    {base + ".restart/shutdown-timeout-ms", milliseconds(policy.shutdown_timeout)},
  };
}

std::optional<supervisor::restart_type> restart_type_from_name(const std::string& name) {
  if (name == "permanent")
    return supervisor::restart_type::permanent;
  if (name == "transient")
    return supervisor::restart_type::transient;
  if (name == "temporary")
    return supervisor::restart_type::temporary;
  return std::nullopt;
}

const char* restart_type_name(supervisor::restart_type t) {
  switch (t) {
    case supervisor::restart_type::permanent: return "permanent";
    case supervisor::restart_type::temporary: return "temporary";
    default: return "transient";
  }
}

// One framework of the file: the shared [scheduler...] entries, then its own.
caf::expected<framework_config> load_framework(const std::string& path, const std::string& ref,
                                               const std::vector<ini_entry>& entries,
                                               const scheduler_options& defaults) {
  framework_config fw;
  fw.ref = ref;
  fw.options = defaults;
  auto base = std::string{framework_prefix} + ref;
  scheduler_texts t;
  auto shared = scheduler_setters("scheduler", fw.options, t);
  auto own = scheduler_setters(base, fw.options, t);
  std::string restart = restart_type_name(fw.policy.restart);
  auto policy = restart_setters(base, fw.policy, restart);
  own.insert(policy.begin(), policy.end());
  auto own_sections = scheduler_section_names(base);
  own_sections.insert(base + ".restart");
  // Pass 1: the shared sections (skipping everything else); pass 2: its own sections.
  std::vector<ini_entry> shared_entries, own_entries;
  for (const auto& e : entries) {
    if (scheduler_sections.count(e.section))
      shared_entries.push_back(e);
    else if (own_sections.count(e.section))
      own_entries.push_back(e);
    else if (e.section == base + ".app" && !e.key.empty())
      fw.app.emplace(e.key, framework_config::app_value{e.value.text, e.line});
  }
  if (auto err = apply(path, shared_entries, scheduler_sections, {}, shared))
    return err;
  if (auto err = apply(path, own_entries, own_sections, {}, own))
    return err;
  auto type = restart_type_from_name(restart);
  if (!type)
    return make_error(errc::bad_option, path + ": [" + base + ".restart] restart: expected "
                                          "\"permanent\", \"transient\" or \"temporary\"");
  fw.policy.restart = *type;
  if (auto err = finish_scheduler(path, base, fw.options, t))
    return err;
  return fw;
}

} // namespace

caf::expected<std::vector<framework_config>>
load_frameworks_config(const std::string& path, const scheduler_options& defaults) {
  auto entries = config::read_ini_file(path);
  if (!entries)
    return std::move(entries.error());
  std::vector<std::string> refs; // in the order of their first section
  for (const auto& e : *entries) {
    auto where = path + ":" + std::to_string(e.line) + ": ";
    if (scheduler_sections.count(e.section) || host_sections.count(e.section))
      continue;
    auto fw = framework_section(e.section);
    if (!fw)
      return make_error(errc::bad_option,
                        where + (e.section.empty() ? std::string{"key outside any section"}
                                                   : "unknown section [" + e.section + "]"));
    if (fw->first.empty())
      return make_error(errc::bad_option, where + "[" + e.section + "] names no framework");
    if (fw->second == ".app" && e.value.type == ini_value::kind::list)
      return make_error(errc::bad_option, where + "[" + e.section + "] " + e.key
                                            + ": expected a string, a number or true/false");
    if (std::find(refs.begin(), refs.end(), fw->first) == refs.end())
      refs.push_back(fw->first);
  }
  if (refs.empty())
    return make_error(errc::bad_option, path + ": no [framework.REF] section");
  std::vector<framework_config> out;
  for (const auto& ref : refs) {
    auto fw = load_framework(path, ref, *entries, defaults);
    if (!fw)
      return std::move(fw.error());
    out.push_back(std::move(*fw));
  }
  return out;
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
