// load_scheduler_config / load_host_config: the shipped files hold the defaults,
// values are applied, and every kind of bad input is a bad_option naming file:line.
#include <doctest/doctest.h>

#include <string>

#include "mesos_actor/config_file.hpp"
#include "mesos_actor/errors.hpp"
#include "support/temp_file.hpp"

using namespace mesos_actor;
using namespace std::chrono_literals;

namespace {

const std::string config_dir = std::string{MESOS_ACTOR_TEST_DATA} + "/../../config/";

// A file in the temp dir holding `text`, removed at the end of the test.
struct temp_ini : testkit::temp_file {
  explicit temp_ini(const std::string& text) : temp_file(text, "mesos_actor_config") {}
};

std::string scheduler_error(const std::string& text) {
  temp_ini f{text};
  scheduler_options o;
  auto err = load_scheduler_config(f.path, o);
  REQUIRE(err);
  CHECK(error_code(err) == errc::bad_option);
  auto msg = describe(err);
  CHECK(msg.find(f.path) != std::string::npos);
  return msg;
}

} // namespace

TEST_CASE("config/scheduler.ini holds exactly the scheduler defaults") {
  scheduler_options loaded;
  loaded.master_hosts = {"changed:1"};
  loaded.max_redirects = 99;
  loaded.tls.verify_peer = false;
  loaded.zookeeper.retry_max = 1ms;
  loaded.proxy.url = "none";
  loaded.proxy.no_proxy = "*";
  REQUIRE_FALSE(load_scheduler_config(config_dir + "scheduler.ini", loaded));
  const scheduler_options d;
  CHECK(loaded.master_hosts == d.master_hosts);
  CHECK(loaded.content == d.content);
  CHECK(loaded.heartbeat_timeout_window == d.heartbeat_timeout_window);
  CHECK(loaded.subscribe_timeout == d.subscribe_timeout);
  CHECK(loaded.init_timeout == d.init_timeout);
  CHECK(loaded.max_num_subscribe == d.max_num_subscribe);
  CHECK(loaded.max_num_resubscribe == d.max_num_resubscribe);
  CHECK(loaded.resubscribe_interval == d.resubscribe_interval);
  CHECK(loaded.resubscription == d.resubscription);
  CHECK(loaded.min_stable_subscription == d.min_stable_subscription);
  CHECK(loaded.backoff_initial == d.backoff_initial);
  CHECK(loaded.backoff_max == d.backoff_max);
  CHECK(loaded.backoff_jitter == d.backoff_jitter);
  CHECK(loaded.max_redirects == d.max_redirects);
  CHECK(loaded.connect_timeout == d.connect_timeout);
  CHECK(loaded.request_timeout == d.request_timeout);
  CHECK(loaded.stream_read_timeout == d.stream_read_timeout);
  CHECK(loaded.extra_headers == d.extra_headers);
  CHECK(loaded.max_auth_failures == d.max_auth_failures);
  CHECK(loaded.max_record_size == d.max_record_size);
  CHECK(loaded.max_error_body == d.max_error_body);
  CHECK(loaded.calls_while_disconnected == d.calls_while_disconnected);
  CHECK(loaded.max_queued_calls == d.max_queued_calls);
  CHECK(loaded.max_calls_in_flight == d.max_calls_in_flight);
  CHECK(loaded.max_pipelined_calls == d.max_pipelined_calls);
  CHECK(loaded.direct_calls == d.direct_calls);
  CHECK(loaded.auto_acknowledge == d.auto_acknowledge);
  CHECK(loaded.framework_id == d.framework_id);
  CHECK(loaded.logging.min_level == d.logging.min_level);
  CHECK(loaded.tls.verify_peer == d.tls.verify_peer);
  CHECK(loaded.tls.verify_hostname == d.tls.verify_hostname);
  CHECK(loaded.tls.ca_file == d.tls.ca_file);
  CHECK(loaded.tls.ca_dir == d.tls.ca_dir);
  CHECK(loaded.tls.cert_file == d.tls.cert_file);
  CHECK(loaded.tls.key_file == d.tls.key_file);
  CHECK(loaded.zookeeper.session_timeout == d.zookeeper.session_timeout);
  CHECK(loaded.zookeeper.connect_timeout == d.zookeeper.connect_timeout);
  CHECK(loaded.zookeeper.retry_initial == d.zookeeper.retry_initial);
  CHECK(loaded.zookeeper.retry_max == d.zookeeper.retry_max);
  CHECK(loaded.zookeeper.master_scheme == d.zookeeper.master_scheme);
  CHECK(loaded.http_limits.max_header_line == d.http_limits.max_header_line);
  CHECK(loaded.http_limits.max_header_count == d.http_limits.max_header_count);
  CHECK(loaded.http_limits.max_head_size == d.http_limits.max_head_size);
  CHECK(loaded.http_limits.max_call_response_body == d.http_limits.max_call_response_body);
  CHECK(loaded.proxy.url == d.proxy.url);
  CHECK(loaded.proxy.no_proxy == d.proxy.no_proxy);
}

TEST_CASE("config/host.ini holds exactly the host defaults") {
  host_options loaded;
  loaded.prometheus.enabled = true;
  loaded.prometheus.port = 9;
  loaded.metrics.latency_buckets = {1.0};
  REQUIRE_FALSE(load_host_config(config_dir + "host.ini", loaded));
  const host_options d;
  CHECK(loaded.logging.min_level == std::optional{log_level::info});
  CHECK(loaded.metrics.latency_buckets == d.metrics.latency_buckets);
  CHECK(loaded.prometheus.enabled == d.prometheus.enabled);
  CHECK(loaded.prometheus.address == d.prometheus.address);
  CHECK(loaded.prometheus.port == d.prometheus.port);
  CHECK(loaded.prometheus.path == d.prometheus.path);
  CHECK(loaded.fleet.zookeeper == d.fleet.zookeeper);
  CHECK(loaded.fleet.path == d.fleet.path);
  CHECK(loaded.fleet.host_name == d.fleet.host_name);
  CHECK(loaded.fleet.capacity == d.fleet.capacity);
  CHECK(loaded.fleet.session_timeout == d.fleet.session_timeout);
}

TEST_CASE("[fleet] in host.ini: values are read and validated") {
  temp_ini good{"[fleet]\nzookeeper=\"zk://127.0.0.1:2181/x\"\npath=\"/fleet\"\n"
                "host-name=\"node-a\"\ncapacity=7\nsession-timeout-ms=2000\n"};
  host_options o;
  REQUIRE_FALSE(load_host_config(good.path, o));
  CHECK(o.fleet.enabled());
  CHECK(o.fleet.path == "/fleet");
  CHECK(o.fleet.host_name == "node-a");
  CHECK(o.fleet.capacity == 7);
  CHECK(o.fleet.session_timeout == std::chrono::milliseconds{2000});
  temp_ini bad{"[fleet]\nzookeeper=\"zk://127.0.0.1:2181/x\"\npath=\"/fleet\"\n"
               "host-name=\"a b\"\n"};
  host_options b;
  auto err = load_host_config(bad.path, b);
  REQUIRE(err);
  CHECK(describe(err).find("host_name") != std::string::npos);
}

TEST_CASE("values in a file override, absent keys keep what the caller set") {
  temp_ini f{"; a comment\n"
             "# another\n"
             "[scheduler]\n"
             "master-hosts = [\"m1:5050\", \"https://m2:5050\"]\n"
             "content-type=\"json\"\n"
             "heartbeat-timeout-window-ms=250\n"
             "backoff-jitter=0.25\n"
             "calls-while-disconnected=\"queue\"\n"
             "resubscribe-mode=\"per_master\"\n"
             "init-timeout-ms=1500\n"
             "auto-acknowledge=false\n"
             "framework-id=\"abc-0001\"\n"
             "log-level=\"debug\"\n"
             "extra-headers=[\"X-Team: blue\"]\n"
             "\n"
             "[scheduler.tls]\n"
             "verify-hostname=false\n"
             "[scheduler.proxy]\n"
             "url=\"http://fw:pw@proxy:3128\"\n"
             "no-proxy=\".mesos.internal\"\n"
             "[scheduler.zookeeper]\n"
             "master-scheme=\"https\"\n"
             "[scheduler.http-limits]\n"
             "max-header-count=7\n"
             "[prometheus]\n"
             "enabled=true\n"
             "port=9100\n"};
  scheduler_options o;
  o.max_redirects = 7; // not in the file: kept
  REQUIRE_FALSE(load_scheduler_config(f.path, o));
  CHECK(o.master_hosts == std::vector<std::string>{"m1:5050", "https://m2:5050"});
  CHECK(o.content == content_type::json);
  CHECK(o.heartbeat_timeout_window == 250ms);
  CHECK(o.backoff_jitter == 0.25);
  CHECK(o.calls_while_disconnected == disconnected_call_policy::queue);
  CHECK(o.resubscription == resubscribe_mode::per_master);
  CHECK(o.init_timeout == 1500ms);
  CHECK_FALSE(o.auto_acknowledge);
  CHECK(o.framework_id == std::optional<std::string>{"abc-0001"});
  CHECK(o.logging.min_level == std::optional{log_level::debug});
  REQUIRE(o.extra_headers.size() == 1);
  CHECK(o.extra_headers[0].first == "X-Team");
  CHECK(o.extra_headers[0].second == "blue");
  CHECK_FALSE(o.tls.verify_hostname);
  CHECK(o.proxy.url == "http://fw:pw@proxy:3128");
  CHECK(o.proxy.no_proxy == ".mesos.internal");
  CHECK(o.zookeeper.master_scheme == "https");
  CHECK(o.http_limits.max_header_count == 7);
  CHECK(o.max_redirects == 7);

  // The same file for a host: the scheduler sections are skipped.
  host_options h;
  REQUIRE_FALSE(load_host_config(f.path, h));
  CHECK(h.prometheus.enabled);
  CHECK(h.prometheus.port == 9100);
}

TEST_CASE("bad scheduler files are bad_option errors naming file and line") {
  CHECK(scheduler_error("[scheduler]\nmax-redirect=5\n").find(":2: unknown key 'max-redirect'")
        != std::string::npos);
  CHECK(scheduler_error("[schedular]\nmax-redirects=5\n").find(":1: unknown section [schedular]")
        != std::string::npos);
  CHECK(scheduler_error("max-redirects=5\n").find("outside any section") != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nmax-redirects=\"5\"\n").find(":2: [scheduler] max-redirects")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nmax-redirects=-1\n").find("whole number") != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nmax-redirects=1.5\n").find("whole number") != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nauto-acknowledge=yes\n").find("got 'yes'")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nauto-acknowledge=1\n").find("true or false")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\ncontent-type=\"xml\"\n").find("content-type") != std::string::npos);
  CHECK(scheduler_error("[scheduler]\ncalls-while-disconnected=\"drop\"\n").find("fail_fast")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nresubscribe-mode=\"eager\"\n").find("per_master")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\ninit-timeout-ms=0\n").find("init_timeout")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nlog-level=\"loud\"\n").find("log-level") != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nmaster-hosts=[\"a:1\"\n").find("unterminated list")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nframework-id=\"abc\n").find("unterminated string")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nmaster-hosts=[[\"a\"]]\n").find("nested") != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nmax-redirects=5 ; note\n").find("after the value")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nmax-redirects=5\nmax-redirects=6\n").find(":3: max-redirects: given twice")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler\n").find(":1: a section line") != std::string::npos);
  CHECK(scheduler_error("[scheduler]\njust words\n").find(":2: expected 'key=value'")
        != std::string::npos);
  // validate() runs on the result: a zero jitter range is fine, a negative one is not.
  CHECK(scheduler_error("[scheduler]\nbackoff-jitter=-0.5\n").find("backoff") != std::string::npos);
  CHECK(scheduler_error("[scheduler]\nmaster-hosts=[]\n").find("master") != std::string::npos);
  CHECK(scheduler_error("[scheduler.http-limits]\nmax-head-size=0\n").find("http_limits.max_head_size must be positive")
        != std::string::npos);
  CHECK(scheduler_error("[scheduler.http-limits]\nmax-header-line=70000\n")
          .find("http_limits.max_header_line must not exceed max_head_size") != std::string::npos);
}

TEST_CASE("a bad proxy URL in a file is an error that hides its password") {
  auto msg = scheduler_error("[scheduler.proxy]\nurl=\"socks5://fw:hunter2@proxy:1080\"\n");
  CHECK(msg.find("proxy.url: bad proxy URL 'socks5://***@proxy:1080'") != std::string::npos);
  CHECK(msg.find("hunter2") == std::string::npos);
}

TEST_CASE("header values are never echoed in errors") {
  auto msg = scheduler_error("[scheduler]\nextra-headers=[\"Authorization Basic c2VjcmV0\"]\n");
  CHECK(msg.find("extra-headers") != std::string::npos);
  CHECK(msg.find("c2VjcmV0") == std::string::npos);
}

TEST_CASE("a missing file and bad host values are errors") {
  scheduler_options o;
  auto err = load_scheduler_config("/nonexistent/scheduler.ini", o);
  REQUIRE(err);
  CHECK(describe(err).find("cannot read config file '/nonexistent/scheduler.ini'") != std::string::npos);

  temp_ini port{"[prometheus]\nport=70000\n"};
  host_options h;
  REQUIRE(load_host_config(port.path, h));
  temp_ini buckets{"[metrics]\nlatency-buckets=[0.5, 0.1]\n"};
  auto bad = load_host_config(buckets.path, h);
  REQUIRE(bad);
  CHECK(describe(bad).find(buckets.path) != std::string::npos);
  temp_ini level{"[logging]\nlevel=\"chatty\"\n"};
  REQUIRE(load_host_config(level.path, h));
}
