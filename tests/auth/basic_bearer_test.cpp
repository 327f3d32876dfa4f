// Framework authentication against the simulator: HTTP Basic from options, a file
// or the environment; bearer tokens fixed or from a source asked per connection;
// 401/403 reported with the master's answer and retried only with backoff, bounded
// by max_auth_failures.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>
#include <fstream>

#include "auth/auth_fixture.hpp"

using namespace authtest;
using mesos_actor::credentials;
using mesos_actor::errc;
using mesos_actor::error_code;
using mesos_actor::error_detail;

namespace {

mesos_actor::sim::cluster_options basic_cluster(std::shared_ptr<captured_lines> sim_log) {
  auto o = cluster_logging_to(std::move(sim_log));
  o.credentials = {{"fw-principal", "right-secret"}, {"mallory", "mallory-secret"}};
  o.bearer_tokens = {{"token-user", "tok-2"}, {"token-user", "tok-3"}, {"token-user", "tok-4"},
                     {"token-user", "fixed-token"}};
  o.forbidden_principals = {"mallory"};
  return o;
}

struct auth_case {
  std::shared_ptr<captured_lines> sim_log = std::make_shared<captured_lines>();
  std::shared_ptr<captured_lines> sched_log = std::make_shared<captured_lines>();
  test::sim_fixture f{1, basic_cluster(sim_log)};

  mesos_actor::scheduler_options options(credentials auth) {
    auto o = scheduler_logging_to(f, sched_log);
    o.auth = std::move(auth);
    return o;
  }

  // Registers, sends REVIVE, waits for the master to accept it (the call channel
  // authenticates too); returns the framework id.
  std::string run_until_revive(mesos_actor::scheduler_options o) {
    auto b = f.behaviour();
    b->on_registered = [](auto& ctx, auto&) {
      ctx.revive();
      return mesos_actor::action::keep;
    };
    f.spawn(std::move(b), std::move(o));
    auto reg = f.log->wait("registered");
    REQUIRE(reg);
    auto revive = test::wait_call(f.cluster, Call::REVIVE);
    REQUIRE(revive);
    CHECK(revive->status == 202);
    CHECK(revive->header("Authorization").rfind("<redacted>") != std::string::npos);
    return reg->detail;
  }

  std::string temp_file(const std::string& name, const std::string& content) {
    auto path = std::filesystem::temp_directory_path()
                / ("mesos-actor-auth-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream{path.string()} << content;
    files.push_back(path);
    return path.string();
  }

  ~auth_case() {
    std::error_code ec;
    for (auto& p : files)
      std::filesystem::remove(p, ec);
  }

  std::vector<std::filesystem::path> files;
};

} // namespace

TEST_CASE("Basic: the right principal and secret subscribe and call") {
  auth_case t;
  auto fid = t.run_until_revive(t.options(credentials::basic("fw-principal", "right-secret")));
  auto fw = t.f.cluster.framework(fid);
  REQUIRE(fw);
  CHECK(fw->info.principal() == "fw-principal");
}

TEST_CASE("Basic: a wrong secret gets 401s spaced by backoff, then unauthorized") {
  auth_case t;
  auto o = t.options(credentials::basic("fw-principal", "wrong-secret"));
  o.backoff_initial = 100ms;
  o.backoff_max = 1000ms;
  o.backoff_jitter = 0;
  o.max_num_subscribe = 10;
  o.max_auth_failures = 3;
  auto a = t.f.spawn(t.f.behaviour(), o);
  auto reason = test::wait_exit(t.f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::unauthorized);
  auto detail = error_detail(*reason);
  INFO(detail);
  CHECK(contains(detail, "HTTP 401"));
  CHECK(contains(detail, "principal 'fw-principal'"));
  CHECK(contains(detail, "3 authentication failure(s) in a row (max_auth_failures 3)"));
  auto attempts = answered(t.f.cluster, 401);
  REQUIRE(attempts.size() == 3);
  CHECK(t.f.cluster.requests().size() == 3);
  // Exponential backoff without jitter: >= 100 ms, then >= 200 ms between attempts.
  auto gap = [&](std::size_t i) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(attempts[i].time
                                                                 - attempts[i - 1].time);
  };
  CHECK(gap(1) >= 100ms);
  CHECK(gap(2) >= 200ms);
  CHECK(t.sched_log->any_contains("HTTP 401"));
}

TEST_CASE("Basic: the secret from a file (first line, line end dropped)") {
  auth_case t;
  auto file = t.temp_file("secret", "right-secret\r\nsecond line ignored\n");
  t.run_until_revive(t.options(credentials::basic_from_file("fw-principal", file)));
}

TEST_CASE("Basic: an unreadable or empty secret file is a bad option naming the file") {
  auth_case t;
  auto empty = t.temp_file("empty", "\n");
  for (auto path : {t.temp_file("gone", "x") + ".missing", empty}) {
    CAPTURE(path);
    auto o = t.options(credentials::basic_from_file("fw-principal", path));
    auto err = mesos_actor::validate(o);
    CHECK(error_code(err) == errc::bad_option);
    CHECK(contains(error_detail(err), "auth: secret_file '" + path + "'"));
    auto a = t.f.spawn(t.f.behaviour(), o);
    auto reason = test::wait_exit(t.f.sys, a);
    REQUIRE(reason);
    CHECK(error_code(*reason) == errc::bad_option);
  }
  CHECK(t.f.cluster.requests().empty());
}

TEST_CASE("Basic: from the environment (MESOS_ACTOR_PRINCIPAL + MESOS_ACTOR_SECRET[_FILE])") {
  auth_case t;
  auto file = t.temp_file("env-secret", "right-secret\n");
  auto from_map = credentials::from_environment(std::map<std::string, std::string>{
    {"MESOS_ACTOR_PRINCIPAL", "fw-principal"}, {"MESOS_ACTOR_SECRET_FILE", file}});
  REQUIRE(from_map);
  CHECK(from_map->type() == credentials::kind::basic);

  ::setenv("MESOS_ACTOR_PRINCIPAL", "fw-principal", 1);
  ::setenv("MESOS_ACTOR_SECRET", "right-secret", 1);
  auto from_env = credentials::from_environment();
  ::unsetenv("MESOS_ACTOR_PRINCIPAL");
  ::unsetenv("MESOS_ACTOR_SECRET");
  REQUIRE(from_env);
  CHECK(from_env->principal() == "fw-principal");
  t.run_until_revive(t.options(*from_env));

  auto none = credentials::from_environment(std::map<std::string, std::string>{});
  REQUIRE(none);
  CHECK(none->empty());
  auto token = credentials::from_environment(
    std::map<std::string, std::string>{{"MESOS_ACTOR_BEARER_TOKEN", "fixed-token"}});
  REQUIRE(token);
  CHECK(token->type() == credentials::kind::bearer);
  auto half = credentials::from_environment(
    std::map<std::string, std::string>{{"MESOS_ACTOR_PRINCIPAL", "fw-principal"}});
  CHECK(error_code(half.error()) == errc::bad_option);
  CHECK(contains(error_detail(half.error()), "MESOS_ACTOR_SECRET"));
}

TEST_CASE("bearer: a fixed token") {
  auth_case t;
  auto fid = t.run_until_revive(t.options(credentials::bearer(std::string{"fixed-token"})));
  auto fw = t.f.cluster.framework(fid);
  REQUIRE(fw);
  CHECK(fw->info.principal() == "token-user");
}

TEST_CASE("bearer: the token source is asked once per attempt and per call connection") {
  auth_case t;
  auto asked = std::make_shared<std::atomic<int>>(0);
  // tok-1 is refused (401); the next attempt gets tok-2, the call connection tok-3.
  auto o = t.options(credentials::bearer([asked] { return "tok-" + std::to_string(++*asked); }));
  t.run_until_revive(o);
  auto refused = answered(t.f.cluster, 401);
  CHECK(refused.size() == 1);
  CHECK(test::calls_of(t.f.cluster, Call::SUBSCRIBE).size() == 1); // the 200 one (401s are not decoded)
  CHECK(asked->load() == 3);
}

TEST_CASE("bearer: a failing token source fails the attempt with its reason") {
  auth_case t;
  auto o = t.options(credentials::bearer([]() -> std::string { throw std::runtime_error("vault is sealed"); }));
  o.max_num_subscribe = 2;
  auto a = t.f.spawn(t.f.behaviour(), o);
  auto reason = test::wait_exit(t.f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::no_master_reachable);
  CHECK(contains(error_detail(*reason), "the bearer token source threw: vault is sealed"));
  CHECK(t.f.cluster.requests().empty());
}

TEST_CASE("403: a principal the master does not allow is reported with the master's message") {
  auth_case t;
  auto o = t.options(credentials::basic("mallory", "mallory-secret"));
  o.max_auth_failures = 2;
  auto a = t.f.spawn(t.f.behaviour(), o);
  auto reason = test::wait_exit(t.f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::unauthorized);
  INFO(error_detail(*reason));
  CHECK(contains(error_detail(*reason), "HTTP 403: Principal 'mallory' is not authorized"));
  CHECK(answered(t.f.cluster, 403).size() == 2);
}

TEST_CASE("calls answered 401 or 403 reach the continuation and call_failed with status and body") {
  auth_case t;
  auto o = t.options(credentials::basic("fw-principal", "right-secret"));
  auto b = t.f.behaviour();
  auto* sim = &t.f.cluster;
  // Written by the continuation before the second call; read after call_failed.
  auto first = std::make_shared<mesos_actor::call_outcome>();
  b->on_registered = [sim, first](auto& ctx, auto&) {
    sim->faults().fail_next_calls(1, 401);
    ctx.revive({}, [sim, first](mesos_actor::scheduler_context& c, const mesos_actor::call_outcome& o) {
      *first = o;
      sim->faults().fail_next_calls(1, 403);
      c.revive(); // no continuation: call_failed
      return mesos_actor::action::keep;
    });
    return mesos_actor::action::keep;
  };
  t.f.spawn(std::move(b), o);
  auto failed = t.f.log->wait("call_failed");
  REQUIRE(failed);
  CHECK(failed->outcome.http_status == 403);
  CHECK(error_code(failed->outcome.error) == errc::rejected);
  CHECK(contains(error_detail(failed->outcome.error), "HTTP 403: injected failure"));
  CHECK(first->http_status == 401);
  CHECK(error_code(first->error) == errc::rejected);
  CHECK(contains(first->body, "injected failure"));
  CHECK(answered(t.f.cluster, 401).size() == 1);
}

TEST_CASE("bad credentials are bad options") {
  auth_case t;
  const std::pair<credentials, const char*> cases[] = {
    {credentials::basic("", "x"), "principal is empty"},
    {credentials::basic("a:b", "x"), "contains ':'"},
    {credentials::basic("fw", ""), "secret of 'fw' is empty"},
    {credentials::bearer(std::string{}), "bearer token is empty"},
    {credentials::bearer(mesos_actor::token_source{}), "token source is empty"},
  };
  for (auto& [c, expected] : cases) {
    CAPTURE(expected);
    auto err = mesos_actor::validate(t.options(c));
    CHECK(error_code(err) == errc::bad_option);
    CHECK(contains(error_detail(err), expected));
  }
  auto both = t.options(credentials::basic("fw-principal", "right-secret"));
  both.extra_headers = {{"authorization", "Basic eA=="}};
  CHECK(contains(error_detail(mesos_actor::validate(both)), "extra_headers sets Authorization"));
  auto zero = t.options({});
  zero.max_auth_failures = 0;
  CHECK(error_code(mesos_actor::validate(zero)) == errc::bad_option);
}
