// The Prometheus exposition: label escaping, and a scrape of a host's endpoint over
// loopback HTTP whose every line is checked (well-formed samples, expected names and
// labels, cumulative histogram buckets ending with +Inf == _count).

#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <httplib.h>

#include "mesos_actor/metrics/prometheus.hpp"
#include "observability/obs_fixture.hpp"

using namespace obs_test;

namespace {

struct sample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string value;
};

// Parses `{k="v",...}` with the exposition format's escapes; false when malformed.
bool parse_labels(const std::string& text, std::map<std::string, std::string>& out) {
  std::size_t i = 0;
  static const std::regex key_re{"[a-zA-Z_][a-zA-Z0-9_]*"};
  while (i < text.size()) {
    auto eq = text.find('=', i);
    if (eq == std::string::npos || !std::regex_match(text.substr(i, eq - i), key_re))
      return false;
    auto key = text.substr(i, eq - i);
    i = eq + 1;
    if (i >= text.size() || text[i] != '"')
      return false;
    ++i;
    std::string value;
    bool closed = false;
    while (i < text.size()) {
      char c = text[i++];
      if (c == '\\') {
        if (i >= text.size())
          return false;
        char e = text[i++];
        if (e == 'n')
          value += '\n';
        else if (e == '\\' || e == '"')
          value += e;
        else
          return false;
      } else if (c == '"') {
        closed = true;
        break;
      } else if (c == '\n') {
        return false;
      } else {
        value += c;
      }
    }
    if (!closed || out.count(key))
      return false;
    out[key] = value;
    if (i < text.size()) {
      if (text[i] != ',')
        return false;
      ++i;
    }
  }
  return true;
}

// Every line: a comment (# HELP name text / # TYPE name type) or a sample.
std::vector<sample> parse_exposition(const std::string& text) {
  std::vector<sample> out;
  std::set<std::string> typed;
  static const std::regex help_re{"# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+"};
  static const std::regex type_re{"# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)"};
  static const std::regex sample_re{
    R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|\+Inf|-Inf|NaN))"};
  static const std::regex number_re{R"(-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|\+Inf|-Inf|NaN)"};
  REQUIRE(!text.empty());
  REQUIRE(text.back() == '\n');
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line)) {
    CAPTURE(line);
    std::smatch m;
    if (std::regex_match(line, m, help_re))
      continue;
    if (std::regex_match(line, m, type_re)) {
      CHECK(typed.insert(m[1]).second); // one TYPE per family
      continue;
    }
    REQUIRE(std::regex_match(line, m, sample_re));
    sample s;
    s.name = m[1];
    s.value = m[4];
    CHECK(std::regex_match(s.value, number_re));
    REQUIRE(parse_labels(m[3], s.labels));
    // Its family was typed before it.
    std::string family = s.name;
    for (auto suffix : {"_bucket", "_sum", "_count"})
      if (!typed.count(family) && family.size() > std::strlen(suffix)
          && family.compare(family.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
        family = family.substr(0, family.size() - std::strlen(suffix));
    CHECK(typed.count(family) == 1);
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace

TEST_CASE("label values are escaped: backslash, double quote, newline") {
  CHECK(mesos_actor::metrics::escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  mesos_actor::metrics::host_snapshot snap;
  mesos_actor::metrics::framework_snapshot f;
  f.ref = "we\"ird\\ref\nx";
  f.kind = "scheduler";
  f.state = "subscribed";
  f.events_received["HEARTBEAT"] = 3;
  f.call_latency.bounds = {0.1, 1};
  f.call_latency.cumulative = {1, 2};
  f.call_latency.count = 3;
  f.call_latency.sum = 2.5;
  snap.frameworks.push_back(f);
  auto samples = parse_exposition(mesos_actor::metrics::render_prometheus(snap));
  bool found = false;
  for (auto& s : samples)
    if (s.name == "mesos_actor_events_received_total") {
      CHECK(s.labels["framework"] == f.ref);
      CHECK(s.value == "3");
      found = true;
    }
  CHECK(found);
}

TEST_CASE("the host serves its metrics in the Prometheus text format on loopback") {
  mesos_actor::sim::cluster cluster{fast_cluster(1)};
  cluster.start();
  auto s = std::make_shared<steered_scheduler::shared>();
  mesos_actor::host_options ho;
  ho.logging.min_level = mesos_actor::log_level::off;
  ho.prometheus.enabled = true; // 127.0.0.1, ephemeral port
  mesos_actor::host h{ho};
  auto port = h.metrics_port();
  REQUIRE(port != 0);
  REQUIRE(h.start_scheduler("alpha", steered(s), fast_options(cluster.master_urls()),
                            fast_policy()));
  REQUIRE(wait_until(*s, [&] {
    auto snap = h.metrics();
    return snap.frameworks.size() == 1 && snap.frameworks[0].calls_with("DECLINE", "accepted") >= 1
           && snap.frameworks[0].seconds_since_last_heartbeat.has_value();
  }));

  httplib::Client cli{"127.0.0.1", port};
  cli.set_connection_timeout(2, 0);
  cli.set_read_timeout(5, 0);
  auto res = cli.Get("/metrics");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type").find("text/plain; version=0.0.4") == 0);
  auto samples = parse_exposition(res->body);

  std::set<std::string> names;
  for (auto& smp : samples)
    names.insert(smp.name);
  for (auto name : {"mesos_actor_host_frameworks", "mesos_actor_host_frameworks_running",
                    "mesos_actor_events_received_total", "mesos_actor_calls_total",
                    "mesos_actor_bytes_received_total", "mesos_actor_decode_errors_total",
                    "mesos_actor_subscribe_attempts_total", "mesos_actor_reconnects_total",
                    "mesos_actor_restarts_total", "mesos_actor_framework_state",
                    "mesos_actor_seconds_since_last_event",
                    "mesos_actor_seconds_since_last_heartbeat",
                    "mesos_actor_call_latency_seconds_bucket",
                    "mesos_actor_call_latency_seconds_sum",
                    "mesos_actor_call_latency_seconds_count"}) {
    CAPTURE(name);
    CHECK(names.count(name) == 1);
  }

  std::vector<std::pair<std::string, double>> buckets; // (le, count), in order
  double count = -1;
  bool heartbeat_seen = false;
  bool decline_seen = false;
  for (auto& smp : samples) {
    if (smp.name.rfind("mesos_actor_host_", 0) == 0) {
      CHECK(smp.labels.empty());
      continue;
    }
    CHECK(smp.labels["framework"] == "alpha");
    CHECK(smp.labels["kind"] == "scheduler");
    if (smp.name == "mesos_actor_events_received_total" && smp.labels["type"] == "HEARTBEAT")
      heartbeat_seen = std::stod(smp.value) >= 1;
    if (smp.name == "mesos_actor_calls_total" && smp.labels["type"] == "DECLINE"
        && smp.labels["outcome"] == "accepted")
      decline_seen = std::stod(smp.value) >= 1;
    if (smp.name == "mesos_actor_framework_state")
      CHECK(smp.labels["state"] == "subscribed");
    if (smp.name == "mesos_actor_call_latency_seconds_bucket")
      buckets.emplace_back(smp.labels["le"], std::stod(smp.value));
    if (smp.name == "mesos_actor_call_latency_seconds_count")
      count = std::stod(smp.value);
  }
  CHECK(heartbeat_seen);
  CHECK(decline_seen);
  REQUIRE(buckets.size() == mesos_actor::metrics::default_latency_buckets().size() + 1);
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    CHECK(buckets[i].second >= buckets[i - 1].second);
    if (i + 1 < buckets.size())
      CHECK(std::stod(buckets[i].first) > std::stod(buckets[i - 1].first));
  }
  CHECK(buckets.back().first == "+Inf");
  CHECK(buckets.back().second == count);
  CHECK(count >= 1);

  // Other paths are not served; after shutdown the port is closed.
  auto other = cli.Get("/");
  REQUIRE(other);
  CHECK(other->status == 404);
  h.shutdown();
  CHECK(h.metrics_port() == port);
  httplib::Client after{"127.0.0.1", port};
  after.set_connection_timeout(1, 0);
  CHECK_FALSE(after.Get("/metrics"));
}

TEST_CASE("a host whose Prometheus port is taken does not start") {
  mesos_actor::host_options first;
  first.logging.min_level = mesos_actor::log_level::off;
  first.prometheus.enabled = true;
  mesos_actor::host a{first};
  REQUIRE(a.metrics_port() != 0);
  auto second = first;
  second.prometheus.port = a.metrics_port();
  CHECK_THROWS_AS(mesos_actor::host{second}, std::runtime_error);
  auto bad = first;
  bad.prometheus.path = "metrics";
  CHECK_THROWS_AS(mesos_actor::host{bad}, std::runtime_error);
}
