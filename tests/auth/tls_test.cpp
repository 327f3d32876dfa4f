// The scheduler over https:// against the simulator serving TLS with throw-away
// certificates: verification of chain, host name and validity, client certificates,
// clear errors, and never a fallback to plain HTTP.
#include <doctest/doctest.h>

#include <httplib.h>

#include "auth/auth_fixture.hpp"
#include "support/pki.hpp"

using namespace authtest;
using mesos_actor::errc;
using mesos_actor::error_code;
using mesos_actor::error_detail;

namespace {

// Generated once per test run; removed at exit.
const test_pki& pki() {
  static const test_pki instance;
  return instance;
}

mesos_actor::sim::cluster_options tls_cluster(std::shared_ptr<captured_lines> sim_log,
                                              const std::string& cert, const std::string& key,
                                              const std::string& client_ca = {}) {
  auto o = cluster_logging_to(std::move(sim_log));
  o.tls = mesos_actor::sim::tls_files{cert, key, client_ca};
  return o;
}

struct tls_case {
  std::shared_ptr<captured_lines> sim_log = std::make_shared<captured_lines>();
  std::shared_ptr<captured_lines> sched_log = std::make_shared<captured_lines>();
};

// A scheduler that gives up after two attempts; returns its exit reason.
caf::error failed_run(test::sim_fixture& f, mesos_actor::scheduler_options o) {
  o.max_num_subscribe = 2;
  auto a = f.spawn(f.behaviour(), std::move(o));
  auto reason = test::wait_exit(f.sys, a);
  REQUIRE(reason);
  return *reason;
}

// The simulator saw no request at all, and no client spoke plain HTTP to its TLS port.
void check_no_plain_http(test::sim_fixture& f, const captured_lines& sim_log) {
  CHECK(f.cluster.requests().empty());
  CHECK(sim_log.any_contains("TLS handshake failed"));
  CHECK_FALSE(sim_log.any_contains("http request"));
}

} // namespace

TEST_CASE("TLS: subscribe and calls succeed when the server's CA is configured") {
  tls_case t;
  test::sim_fixture f{1, tls_cluster(t.sim_log, pki().server_cert(), pki().server_key())};
  REQUIRE(f.cluster.master_urls()[0].rfind("https://", 0) == 0);
  auto o = scheduler_logging_to(f, t.sched_log);
  o.tls.ca_file = pki().ca_cert();
  auto b = f.behaviour();
  b->on_registered = [](auto& ctx, auto&) {
    ctx.revive();
    return mesos_actor::action::keep;
  };
  f.spawn(std::move(b), o);
  REQUIRE(f.log->wait("registered"));
  auto revive = test::wait_call(f.cluster, Call::REVIVE);
  REQUIRE(revive);
  CHECK(revive->status == 202);
  CHECK_FALSE(t.sim_log.get()->any_contains("TLS handshake failed"));
}

TEST_CASE("TLS: the system store is the default and does not trust a private CA") {
  tls_case t;
  test::sim_fixture f{1, tls_cluster(t.sim_log, pki().server_cert(), pki().server_key())};
  auto reason = failed_run(f, scheduler_logging_to(f, t.sched_log));
  CHECK(error_code(reason) == errc::no_master_reachable);
  auto detail = error_detail(reason);
  CHECK(contains(detail, "TLS handshake with " + f.cluster.master_urls()[0] + " failed: certificate verify failed ("));
  CHECK(contains(detail, "local issuer"));
  check_no_plain_http(f, *t.sim_log);
}

TEST_CASE("TLS: an untrusted (self-signed) certificate fails clearly, without a plain-HTTP fallback") {
  tls_case t;
  test::sim_fixture f{1, tls_cluster(t.sim_log, pki().untrusted_cert(), pki().untrusted_key())};
  auto o = scheduler_logging_to(f, t.sched_log);
  o.tls.ca_file = pki().ca_cert();
  auto reason = failed_run(f, o);
  CHECK(error_code(reason) == errc::no_master_reachable);
  auto detail = error_detail(reason);
  INFO(detail);
  CHECK(contains(detail, "certificate verify failed (self"));
  CHECK(t.sched_log->any_contains("certificate verify failed"));
  check_no_plain_http(f, *t.sim_log);

  // The check above can see a plain-HTTP client: speak plain HTTP to the TLS port.
  auto url = f.cluster.master_urls()[0];
  httplib::Client raw{"http://" + url.substr(std::string{"https://"}.size())};
  raw.set_connection_timeout(std::chrono::seconds(2));
  raw.set_read_timeout(std::chrono::seconds(2));
  CHECK_FALSE(raw.Post("/api/v1/scheduler", "{}", "application/json"));
  CHECK(f.cluster.wait_for([&] { return t.sim_log->any_contains("http request"); }, 5s));
}

TEST_CASE("TLS: a certificate for another host fails unless host-name checks are off") {
  tls_case t;
  test::sim_fixture f{1, tls_cluster(t.sim_log, pki().wrong_host_cert(), pki().server_key())};
  auto o = scheduler_logging_to(f, t.sched_log);
  o.tls.ca_file = pki().ca_cert();
  auto reason = failed_run(f, o);
  CHECK(error_code(reason) == errc::no_master_reachable);
  INFO(error_detail(reason));
  CHECK(contains(error_detail(reason), "certificate verify failed (IP address mismatch"));
  check_no_plain_http(f, *t.sim_log);

  o.tls.verify_hostname = false;
  f.spawn(f.behaviour(), o);
  CHECK(f.log->wait("registered"));
}

TEST_CASE("TLS: an expired certificate fails") {
  tls_case t;
  test::sim_fixture f{1, tls_cluster(t.sim_log, pki().expired_cert(), pki().server_key())};
  auto o = scheduler_logging_to(f, t.sched_log);
  o.tls.ca_file = pki().ca_cert();
  auto reason = failed_run(f, o);
  INFO(error_detail(reason));
  CHECK(contains(error_detail(reason), "certificate verify failed (certificate has expired)"));
  check_no_plain_http(f, *t.sim_log);
}

TEST_CASE("TLS: a master requiring a client certificate accepts ours and refuses no certificate") {
  tls_case t;
  test::sim_fixture f{1, tls_cluster(t.sim_log, pki().server_cert(), pki().server_key(),
                                     pki().ca_cert())};
  auto o = scheduler_logging_to(f, t.sched_log);
  o.tls.ca_file = pki().ca_cert();

  auto without = failed_run(f, o);
  CHECK(error_code(without) == errc::no_master_reachable);
  INFO(error_detail(without));
  // Depending on timing the refusal shows on the write (no alert read yet) or the read.
  CHECK((contains(error_detail(without), "alert certificate required")
         || contains(error_detail(without), "closed the TLS connection; if it requires a client certificate")));
  CHECK(t.sim_log->any_contains("peer did not return a certificate"));
  CHECK(f.cluster.requests().empty());

  o.tls.cert_file = pki().client_cert();
  o.tls.key_file = pki().client_key();
  auto b = f.behaviour();
  b->on_registered = [](auto& ctx, auto&) {
    ctx.revive();
    return mesos_actor::action::keep;
  };
  f.spawn(std::move(b), o);
  REQUIRE(f.log->wait("registered"));
  auto revive = test::wait_call(f.cluster, Call::REVIVE);
  REQUIRE(revive);
  CHECK(revive->status == 202);
}

TEST_CASE("TLS: missing or unreadable files are bad options, found before any connection") {
  tls_case t;
  test::sim_fixture f{1, tls_cluster(t.sim_log, pki().server_cert(), pki().server_key())};
  struct bad_case {
    const char* what;
    std::function<void(mesos_actor::tls_options&)> set;
    const char* expected;
  };
  const bad_case cases[] = {
    {"ca_file", [](auto& tls) { tls.ca_file = pki().path("nope.pem"); }, "tls.ca_file"},
    {"ca_dir", [](auto& tls) { tls.ca_dir = pki().path("no-dir"); }, "tls.ca_dir"},
    {"cert without key", [](auto& tls) { tls.cert_file = pki().client_cert(); }, "tls.cert_file is set without key_file"},
    {"key without cert", [](auto& tls) { tls.key_file = pki().client_key(); }, "tls.key_file is set without cert_file"},
    {"key file", [](auto& tls) {
       tls.cert_file = pki().client_cert();
       tls.key_file = pki().path("missing.key");
     }, "tls.key_file"},
  };
  for (auto& c : cases) {
    CAPTURE(c.what);
    auto o = scheduler_logging_to(f, t.sched_log);
    c.set(o.tls);
    auto err = mesos_actor::validate(o);
    CHECK(error_code(err) == errc::bad_option);
    CHECK(contains(error_detail(err), c.expected));
    auto a = f.spawn(f.behaviour(), o);
    auto reason = test::wait_exit(f.sys, a);
    REQUIRE(reason);
    CHECK(error_code(*reason) == errc::bad_option);
  }
  CHECK(f.cluster.requests().empty());
}

TEST_CASE("TLS: a client key that does not match its certificate fails the attempt with the reason") {
  tls_case t;
  test::sim_fixture f{1, tls_cluster(t.sim_log, pki().server_cert(), pki().server_key())};
  auto o = scheduler_logging_to(f, t.sched_log);
  o.tls.ca_file = pki().ca_cert();
  o.tls.cert_file = pki().client_cert();
  o.tls.key_file = pki().server_key();
  auto reason = failed_run(f, o);
  INFO(error_detail(reason));
  CHECK(contains(error_detail(reason), "cannot use client certificate '" + pki().client_cert() + "'"));
  CHECK(f.cluster.requests().empty());
}
