// Pure pieces of the scheduler: endpoint parsing, Location resolution, master
// rotation with redirects, backoff, option validation, error rendering.
#include <doctest/doctest.h>

#include <random>

#include <caf/sec.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/scheduler/options.hpp"
#include "mesos_actor/transport/endpoint.hpp"
#include "scheduler/backoff.hpp"
#include "scheduler/master_rotation.hpp"

using namespace mesos_actor;
using namespace std::chrono_literals;

TEST_CASE("parse_endpoint accepts the forms users write") {
  auto a = parse_endpoint("m1:5051", scheduler_api_path);
  REQUIRE(a);
  CHECK(a->scheme == "http");
  CHECK(a->host == "m1");
  CHECK(a->port == 5051);
  CHECK(a->path == "/api/v1/scheduler");
  CHECK(a->url() == "http://m1:5051/api/v1/scheduler");

  auto b = parse_endpoint("m2", scheduler_api_path);
  REQUIRE(b);
  CHECK(b->port == 5050);

  auto c = parse_endpoint("https://m3", scheduler_api_path);
  REQUIRE(c);
  CHECK(c->tls());
  CHECK(c->port == 5050);
  CHECK(c->base_url() == "https://m3:5050");

  auto d = parse_endpoint("http://m4:8080/master/api/v1/scheduler", scheduler_api_path);
  REQUIRE(d);
  CHECK(d->path == "/master/api/v1/scheduler");

  auto e = parse_endpoint("http://m5:1/", scheduler_api_path);
  REQUIRE(e);
  CHECK(e->path == "/api/v1/scheduler");

  auto v6 = parse_endpoint("[::1]:5050", scheduler_api_path);
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->base_url() == "http://[::1]:5050");
}

TEST_CASE("parse_endpoint rejects bad input with bad_option naming it") {
  for (const char* bad : {"", "ftp://m:1", "m:", "m:0", "m:70000", "m:12ab", "::1:5050",
                          "[::1", "http://", "user:pw@m:5050"}) {
    CAPTURE(bad);
    auto ep = parse_endpoint(bad, scheduler_api_path);
    REQUIRE_FALSE(ep);
    CHECK(error_code(ep.error()) == errc::bad_option);
  }
  auto creds = parse_endpoint("http://user:secret@m:5050", scheduler_api_path);
  REQUIRE_FALSE(creds);
  CHECK(describe(creds.error()).find("secret") == std::string::npos);
}

TEST_CASE("resolve_location handles Mesos's protocol-relative and other forms") {
  auto current = *parse_endpoint("https://m1:5050", scheduler_api_path);
  auto rel = resolve_location(current, "//leader:5055/master/api/v1/scheduler");
  REQUIRE(rel);
  CHECK(rel->scheme == "https");
  CHECK(rel->host == "leader");
  CHECK(rel->port == 5055);
  CHECK(rel->path == "/master/api/v1/scheduler");

  auto abs = resolve_location(current, "http://other:7000/api/v1/scheduler");
  REQUIRE(abs);
  CHECK(abs->scheme == "http");
  CHECK(abs->url() == "http://other:7000/api/v1/scheduler");

  auto no_path = resolve_location(current, "//leader:5056");
  REQUIRE(no_path);
  CHECK(no_path->path == "/api/v1/scheduler");

  auto path_only = resolve_location(current, "/master/api/v1/scheduler");
  REQUIRE(path_only);
  CHECK(path_only->host == "m1");
  CHECK(path_only->path == "/master/api/v1/scheduler");

  for (const char* bad : {"", "leader:5050", "//", "//h:99999/x"}) {
    CAPTURE(bad);
    auto r = resolve_location(current, bad);
    REQUIRE_FALSE(r);
    CHECK(error_code(r.error()) == errc::protocol_error);
  }
}

TEST_CASE("master_rotation follows redirects up to the limit and rotates") {
  std::vector<endpoint> masters{*parse_endpoint("a:1", scheduler_api_path),
                                *parse_endpoint("b:2", scheduler_api_path)};
  master_rotation rot{masters, 2};
  CHECK(rot.current().host == "a");
  CHECK_FALSE(rot.redirect("//c:3/master/api/v1/scheduler"));
  CHECK(rot.current().host == "c");
  CHECK_FALSE(rot.redirect("//d:4/master/api/v1/scheduler"));
  auto err = rot.redirect("//e:5/master/api/v1/scheduler");
  CHECK(error_code(err) == errc::redirect_limit);
  CHECK(rot.current().host == "d");
  rot.advance();
  CHECK(rot.current().host == "b");
  CHECK_FALSE(rot.redirect("//c:3/x")); // hops were reset
  rot.advance();
  CHECK(rot.current().host == "a");
}

TEST_CASE("backoff doubles up to the cap and jitter only shortens") {
  std::mt19937_64 rng{42};
  backoff_policy exact{100ms, 1000ms, 0.0};
  CHECK(backoff_delay(exact, 0, rng) == 0ms);
  CHECK(backoff_delay(exact, 1, rng) == 100ms);
  CHECK(backoff_delay(exact, 2, rng) == 200ms);
  CHECK(backoff_delay(exact, 4, rng) == 800ms);
  CHECK(backoff_delay(exact, 5, rng) == 1000ms);
  CHECK(backoff_delay(exact, 1000000, rng) == 1000ms);
  backoff_policy jittered{100ms, 1000ms, 0.5};
  bool varied = false;
  auto first = backoff_delay(jittered, 3, rng);
  for (int i = 0; i < 50; ++i) {
    auto d = backoff_delay(jittered, 3, rng);
    CHECK(d >= 200ms);
    CHECK(d <= 400ms);
    varied = varied || d != first;
  }
  CHECK(varied);
}

TEST_CASE("validate names the bad option") {
  CHECK_FALSE(validate(scheduler_options{}));
  auto expect_bad = [](scheduler_options o, const std::string& name) {
    auto err = validate(o);
    REQUIRE(err);
    CHECK(error_code(err) == errc::bad_option);
    CHECK(error_detail(err).find(name) != std::string::npos);
  };
  scheduler_options o;
  o.master_hosts.clear();
  expect_bad(o, "master_hosts");
  o = {};
  o.master_hosts = {"ok:1", "bad:"};
  expect_bad(o, "master_hosts");
  o = {};
  o.backoff_initial = 2000ms;
  o.backoff_max = 1000ms;
  expect_bad(o, "backoff_initial");
  o = {};
  o.backoff_jitter = 1.5;
  expect_bad(o, "backoff_jitter");
  o = {};
  o.stream_read_timeout = 1000ms;
  expect_bad(o, "stream_read_timeout");
  o = {};
  o.extra_headers = {{"X-Bad\r\nInjected", "v"}};
  expect_bad(o, "extra_headers");
  o = {};
  o.max_record_size = 0;
  expect_bad(o, "max_record_size");
  o = {};
  o.framework_id = "";
  expect_bad(o, "framework_id");
  o = {};
  o.max_num_subscribe = 0;
  expect_bad(o, "max_num_subscribe");
}

TEST_CASE("errors render with their category and detail") {
  auto err = make_error(errc::resubscribe_exhausted, "5 attempts");
  CHECK(error_code(err) == errc::resubscribe_exhausted);
  CHECK(error_detail(err) == "5 attempts");
  CHECK(describe(err) == "mesos: resubscribe_exhausted (5 attempts)");
  CHECK(describe(make_error(errc::timeout)) == "mesos: timeout");
  CHECK(describe(caf::error{}) == "normal");
  CHECK_FALSE(error_code(caf::make_error(caf::sec::unexpected_message)));
}
