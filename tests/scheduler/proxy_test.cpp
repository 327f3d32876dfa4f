// The scheduler through an HTTP proxy (tests/support's loopback proxy) against the
// simulator: subscription, launches and calls in absolute form over HTTP and through
// a CONNECT tunnel over TLS, redirects to the leader, the bypass list, a refused
// password that never shows, and the proxy option beating the environment.
#include <doctest/doctest.h>

#include <cstdlib>
#include <mutex>
#include <optional>

#include "mesos_actor/task_state.hpp"
#include "support/scoped_env.hpp"
#include "support/loopback_proxy.hpp"
#include "support/pki.hpp"
#include "support/scheduler_fixture.hpp"
#include "support/text.hpp"

using namespace test;
using mesos_actor::content_type;
using mesos_actor::errc;
using mesos_actor::error_code;
using mesos_actor::error_detail;

namespace {

const std::string secret = "pr0xy-pa55word";

using testkit::contains;

// Every log line of a scheduler, formatted as the default sink would print it.
struct log_lines {
  std::mutex mtx;
  std::vector<std::string> lines;
  bool any_contains(const std::string& part) {
    std::lock_guard<std::mutex> guard{mtx};
    for (auto& l : lines)
      if (contains(l, part))
        return true;
    return false;
  }
};

mesos_actor::scheduler_options logging_to(mesos_actor::scheduler_options o, std::shared_ptr<log_lines> out) {
  o.logging.min_level = mesos_actor::log_level::debug;
  o.logging.sink = [out](const mesos_actor::log_entry& e) {
    std::lock_guard<std::mutex> guard{out->mtx};
    out->lines.push_back(mesos_actor::format_log_line(e));
  };
  return o;
}

// A behaviour that launches one "true" task on the first offer.
std::unique_ptr<recording_scheduler> launching(sim_fixture& f) {
  auto b = f.behaviour();
  auto launched = std::make_shared<bool>(false);
  b->on_offers = [launched](recording_scheduler::ctx_t& ctx, const Event::Offers& o) {
    if (*launched || o.offers_size() == 0)
      return mesos_actor::action::keep;
    *launched = true;
    const auto& offer = o.offers(0);
    ctx.accept({offer.id()}, {mesos_actor::launch({mesos_actor::command_task(
                               "t1", "t1", offer.agent_id(), "true",
                               {mesos_actor::scalar_resource("cpus", 0.1),
                                mesos_actor::scalar_resource("mem", 32)})})});
    return mesos_actor::action::keep;
  };
  return b;
}

std::size_t count_method(const loopback_proxy& p, const std::string& method) {
  std::size_t n = 0;
  for (auto& r : p.requests())
    n += r.method == method ? 1 : 0;
  return n;
}

const authtest::test_pki& pki() {
  static const authtest::test_pki instance;
  return instance;
}

} // namespace

TEST_CASE("proxy: a scheduler subscribes, launches and acknowledges through an HTTP proxy") {
  loopback_proxy proxy;
  proxy.require_credentials("fw", secret);
  sim_fixture f;
  auto lines = std::make_shared<log_lines>();
  auto o = logging_to(f.options(content_type::protobuf), lines);
  o.proxy.url = proxy.url_with("fw", secret);
  f.spawn(launching(f), o);
  REQUIRE(f.log->wait("registered"));
  REQUIRE(f.log->wait("status_update", 30s, "t1 TASK_FINISHED")); // a loaded machine forks slowly
  REQUIRE(wait_call(f.cluster, Call::ACKNOWLEDGE));
  auto master = f.cluster.master_urls()[0]; // "http://127.0.0.1:<port>"
  auto seen = proxy.requests();
  REQUIRE(seen.size() >= 3); // SUBSCRIBE, ACCEPT, ACKNOWLEDGE at least
  for (auto& r : seen) {
    CHECK(r.method == "POST");
    CHECK(r.target == master + "/api/v1/scheduler");
    CHECK(r.host_header == master.substr(7));
    CHECK_FALSE(r.refused);
  }
  CHECK(calls_of(f.cluster, Call::ACCEPT).size() == 1);
  CHECK_FALSE(lines->any_contains(secret));
}

TEST_CASE("proxy: an https master is reached through a CONNECT tunnel with TLS to the master") {
  loopback_proxy proxy;
  proxy.require_credentials("fw", secret);
  auto copts = fast_cluster();
  copts.tls = mesos_actor::sim::tls_files{pki().server_cert(), pki().server_key(), ""};
  sim_fixture f{1, copts};
  auto master = f.cluster.master_urls()[0];
  REQUIRE(master.rfind("https://", 0) == 0);
  auto lines = std::make_shared<log_lines>();
  auto o = logging_to(f.options(content_type::protobuf), lines);
  o.tls.ca_file = pki().ca_cert(); // the master's certificate names 127.0.0.1, as its URL
  o.proxy.url = proxy.url_with("fw", secret);
  f.spawn(launching(f), o);
  REQUIRE(f.log->wait("registered"));
  REQUIRE(f.log->wait("status_update", 30s, "t1 TASK_FINISHED")); // a loaded machine forks slowly
  auto seen = proxy.requests();
  REQUIRE(seen.size() >= 2); // the stream's tunnel and the call channel's
  for (auto& r : seen) {
    CHECK(r.method == "CONNECT");
    CHECK(r.target == master.substr(8));
    CHECK_FALSE(r.refused);
  }
  CHECK(calls_of(f.cluster, Call::ACCEPT).size() == 1);
  CHECK_FALSE(lines->any_contains(secret));
}

TEST_CASE("proxy: a 307 to the leader goes through the proxy too") {
  loopback_proxy proxy;
  sim_fixture f{2};
  f.cluster.faults().set_leader(1);
  auto o = f.options(content_type::protobuf);
  o.master_hosts = {f.cluster.master_urls()[0]};
  o.proxy.url = proxy.url();
  f.spawn(f.behaviour(), o);
  REQUIRE(f.log->wait("registered"));
  auto seen = proxy.requests();
  REQUIRE(seen.size() >= 2);
  CHECK(seen[0].target == f.cluster.master_urls()[0] + "/api/v1/scheduler");
  bool leader_seen = false;
  for (auto& r : seen) // the Location's path: "/master/api/v1/scheduler", as Mesos sends it
    leader_seen = leader_seen || r.target.rfind(f.cluster.master_urls()[1] + "/", 0) == 0;
  CHECK(leader_seen);
}

TEST_CASE("proxy: masters in no_proxy are reached directly") {
  loopback_proxy proxy;
  sim_fixture f;
  auto o = f.options(content_type::protobuf);
  o.proxy.url = proxy.url();
  o.proxy.no_proxy = "master.example, 127.0.0.0/8";
  f.spawn(launching(f), o);
  REQUIRE(f.log->wait("registered"));
  REQUIRE(wait_call(f.cluster, Call::ACCEPT));
  CHECK(proxy.requests().empty());
}

TEST_CASE("proxy: a refused password ends the attempts with an error naming the proxy, never the password") {
  loopback_proxy proxy;
  proxy.require_credentials("fw", "the-right-one");
  sim_fixture f;
  auto lines = std::make_shared<log_lines>();
  auto o = logging_to(f.options(content_type::protobuf), lines);
  o.proxy.url = proxy.url_with("fw", secret);
  o.max_num_subscribe = 2;
  auto a = f.spawn(f.behaviour(), o);
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::no_master_reachable);
  auto detail = error_detail(*reason);
  CHECK(contains(detail, "proxy http://***@127.0.0.1:" + std::to_string(proxy.port()) + " answered POST "
                           + f.cluster.master_urls()[0] + "/api/v1/scheduler with 407"));
  CHECK(contains(detail, "refused the credentials"));
  CHECK_FALSE(contains(detail, secret));
  CHECK(lines->any_contains("407"));
  CHECK_FALSE(lines->any_contains(secret));
  CHECK(f.cluster.requests().empty()); // nothing reached the master
  REQUIRE_FALSE(proxy.requests().empty());
  CHECK(proxy.requests()[0].refused);
}

TEST_CASE("proxy: the environment's HTTP_PROXY carries a master unless the option names another") {
  // The master goes by a name only the proxies know: a proxy from the environment
  // never carries loopback addresses.
  loopback_proxy from_env;
  loopback_proxy from_option;
  scoped_env lower{"http_proxy", nullptr};
  scoped_env upper{"HTTP_PROXY", from_env.url().c_str()};
  scoped_env no_lower{"no_proxy", nullptr};
  scoped_env no_upper{"NO_PROXY", nullptr};
  for (bool use_option : {false, true}) {
    CAPTURE(use_option);
    sim_fixture f;
    auto port = f.cluster.master_urls()[0].substr(f.cluster.master_urls()[0].rfind(':') + 1);
    from_env.alias("master.proxy-test", "127.0.0.1");
    from_option.alias("master.proxy-test", "127.0.0.1");
    auto o = f.options(content_type::protobuf);
    o.master_hosts = {"http://master.proxy-test:" + port};
    if (use_option)
      o.proxy.url = from_option.url();
    auto before_env = from_env.requests().size();
    f.spawn(f.behaviour(), o);
    REQUIRE(f.log->wait("registered"));
    auto& used = use_option ? from_option : from_env;
    CHECK(count_method(used, "POST") >= 1);
    CHECK(used.requests().back().target == "http://master.proxy-test:" + port + "/api/v1/scheduler");
    if (use_option)
      CHECK(from_env.requests().size() == before_env);
  }
}

TEST_CASE("proxy: proxy = none ignores the environment") {
  loopback_proxy from_env;
  from_env.alias("master.proxy-test", "127.0.0.1");
  scoped_env lower{"http_proxy", nullptr};
  scoped_env upper{"HTTP_PROXY", from_env.url().c_str()};
  scoped_env no_lower{"no_proxy", nullptr};
  scoped_env no_upper{"NO_PROXY", nullptr};
  sim_fixture f;
  auto o = f.options(content_type::protobuf);
  o.master_hosts = {"http://master.proxy-test:5050"}; // only the proxy knows the name
  o.proxy.url = "none";
  o.max_num_subscribe = 1;
  auto a = f.spawn(f.behaviour(), o);
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(contains(error_detail(*reason), "cannot resolve 'master.proxy-test'")); // went direct
  CHECK(from_env.requests().empty());
}

TEST_CASE("proxy: a bad proxy URL is a validate() error without the password") {
  auto o = fast_options({"127.0.0.1:5050"});
  o.proxy.url = "socks5://fw:" + secret + "@proxy:1080";
  auto err = mesos_actor::validate(o);
  REQUIRE(err);
  CHECK(error_code(err) == errc::bad_option);
  CHECK(contains(error_detail(err), "proxy.url: bad proxy URL 'socks5://***@proxy:1080'"));
  CHECK_FALSE(contains(error_detail(err), secret));
  o.proxy.url = "http://proxy:3128";
  o.extra_headers = {{"Proxy-Authorization", "Basic eA=="}};
  err = mesos_actor::validate(o);
  REQUIRE(err);
  CHECK(contains(error_detail(err), "extra_headers sets Proxy-Authorization"));
}
