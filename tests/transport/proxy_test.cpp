// HTTP proxies in our client: proxy URLs and their masking, NO_PROXY matching, the
// precedence of options over the environment, and the connection's side against
// scripted loopback proxies: CONNECT (refusals, silence, cancel), absolute form.
#include <doctest/doctest.h>

#include <cstdlib>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/transport/proxy_options.hpp"
#include "transport/http_connection.hpp"
#include "transport/proxy_route.hpp"
#include "support/scoped_env.hpp"
#include "transport/test_peer.hpp"
#include "support/text.hpp"

using namespace std::chrono_literals;
using mesos_actor::endpoint;
using mesos_actor::error_detail;
using mesos_actor::mask_proxy_credentials;
using mesos_actor::proxy_options;
using mesos_actor::transport::choose_proxy;
using mesos_actor::transport::connection_cancel;
using mesos_actor::transport::format_post;
using mesos_actor::transport::http_connection;
using mesos_actor::transport::http_response_parser;
using mesos_actor::transport::http_settings;
using mesos_actor::transport::io_failure;
using mesos_actor::transport::no_proxy_matches;
using mesos_actor::transport::parse_proxy_url;
using namespace transport_test;
using test::scoped_env;
using clock_type = std::chrono::steady_clock;

namespace {

using testkit::contains;

endpoint target(std::string scheme, std::string host, std::uint16_t port = 5050) {
  endpoint ep;
  ep.scheme = std::move(scheme);
  ep.host = std::move(host);
  ep.port = port;
  ep.path = "/api/v1/scheduler";
  return ep;
}

// An environment made of a map, for choose_proxy.
auto env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string{} : it->second;
  };
}

std::string proxy_of(const proxy_options& o, const endpoint& t, std::map<std::string, std::string> env) {
  auto choice = choose_proxy(o, t, env_of(std::move(env)));
  REQUIRE(choice.error.empty());
  return choice.route ? choice.route->display : "direct";
}

http_settings settings_via(std::string scheme, std::uint16_t proxy_port, const std::string& userinfo = "") {
  http_settings h;
  h.target = target(std::move(scheme), "127.0.0.1");
  h.connect_timeout = 2000ms;
  h.read_timeout = 5000ms;
  h.write_timeout = 5000ms;
  h.proxy.url = "http://" + userinfo + "127.0.0.1:" + std::to_string(proxy_port);
  return h;
}

const char* secret = "pr0xy-s3cret";

} // namespace

TEST_CASE("proxy URL: host, port, credentials, and the masked form") {
  auto r = parse_proxy_url("http://alice:p%40ss%3Aword@proxy.example:3128/");
  REQUIRE(r);
  CHECK(r->proxy.host == "proxy.example");
  CHECK(r->proxy.port == 3128);
  CHECK(r->authorization == "Basic YWxpY2U6cEBzczp3b3Jk"); // alice:p@ss:word
  CHECK(r->display == "http://***@proxy.example:3128");
  auto bare = parse_proxy_url("proxy.example");
  REQUIRE(bare);
  CHECK(bare->proxy.port == 80);
  CHECK(bare->authorization.empty());
  CHECK(bare->display == "http://proxy.example:80");
  auto v6 = parse_proxy_url("http://[::1]:8080");
  REQUIRE(v6);
  CHECK(v6->proxy.host == "::1");
  CHECK(mask_proxy_credentials("http://u:p/w@h:1") == "http://***@h:1");
  CHECK(mask_proxy_credentials("u:p@w@h:1") == "***@h:1");
  CHECK(mask_proxy_credentials("http://h:1") == "http://h:1");
}

TEST_CASE("proxy URL: every refusal is clear and never shows the credentials") {
  struct bad_case {
    std::string url;
    std::string says;
  };
  for (auto& c : std::vector<bad_case>{
         {"https://bob:" + std::string{secret} + "@h:3128", "TLS to the proxy (https://) is not supported"},
         {"socks5://bob:" + std::string{secret} + "@h:1080", "unsupported scheme 'socks5'"},
         {"http://bob:" + std::string{secret} + "@h:99999", "bad port '99999'"},
         {"http://bob:" + std::string{secret} + "@h:3128/path", "no path"},
         {"http://bob:" + std::string{secret} + "%zz@h:3128", "%-escape"},
         {"http://:" + std::string{secret} + "@h:3128", "without a user name"},
         {"http://bob:" + std::string{secret} + "@:3128", "no host"},
         {"http://bob:" + std::string{secret} + "@h :3128", "space"},
         {"http://bob:/" + std::string{secret} + "@h:3128", "no path"},
       }) {
    CAPTURE(c.says);
    proxy_options o;
    o.url = c.url;
    auto err = validate(o, "proxy");
    REQUIRE(err);
    auto text = error_detail(err);
    CHECK(contains(text, "proxy.url: bad proxy URL '"));
    CHECK(contains(text, c.says));
    CHECK_FALSE(contains(text, secret));
  }
  proxy_options fine;
  CHECK_FALSE(validate(fine, "proxy"));
  fine.url = "none";
  CHECK_FALSE(validate(fine, "proxy"));
  fine.url = "http://u:p@h:3128";
  fine.no_proxy = "localhost, .example.com";
  CHECK_FALSE(validate(fine, "proxy"));
}

TEST_CASE("NO_PROXY: hosts, domains, addresses, blocks, ports and *") {
  auto http = [](std::string host, std::uint16_t port = 5050) { return target("http", host, port); };
  CHECK(no_proxy_matches("master1", http("master1")));
  CHECK(no_proxy_matches("MASTER1", http("master1.")));
  CHECK_FALSE(no_proxy_matches("master1", http("master10")));
  CHECK(no_proxy_matches("example.com", http("a.b.example.com")));
  CHECK(no_proxy_matches(".example.com", http("example.com")));
  CHECK(no_proxy_matches("*.example.com", http("m.example.com")));
  CHECK_FALSE(no_proxy_matches("example.com", http("badexample.com")));
  CHECK(no_proxy_matches(" other , master1 ", http("master1")));
  CHECK(no_proxy_matches("*", http("anything")));
  CHECK_FALSE(no_proxy_matches("*.", http("anything")));
  CHECK(no_proxy_matches("10.1.2.3", http("10.1.2.3")));
  CHECK_FALSE(no_proxy_matches("0.1.2.3", http("10.1.2.3"))); // no suffix match on addresses
  CHECK(no_proxy_matches("10.0.0.0/8", http("10.200.3.4")));
  CHECK_FALSE(no_proxy_matches("10.0.0.0/8", http("11.0.0.1")));
  CHECK_FALSE(no_proxy_matches("10.0.0.0/8", http("ten.example")));
  CHECK(no_proxy_matches("fd00::/8", http("fd12::1")));
  CHECK(no_proxy_matches("::1", http("0:0::1")));
  CHECK(no_proxy_matches("[::1]:5050", http("::1")));
  CHECK_FALSE(no_proxy_matches("[::1]:5051", http("::1")));
  CHECK(no_proxy_matches("master1:5050", http("master1")));
  CHECK_FALSE(no_proxy_matches("master1:5051", http("master1")));
  CHECK_FALSE(no_proxy_matches("", http("master1")));
  CHECK_FALSE(no_proxy_matches(",,", http("master1")));
}

TEST_CASE("proxy choice: the option beats the environment; none ignores it") {
  auto http = target("http", "m.example");
  auto https = target("https", "m.example");
  std::map<std::string, std::string> env{{"http_proxy", "http://lower:1"}, {"HTTP_PROXY", "http://upper:2"},
                                         {"HTTPS_PROXY", "http://secure:3"}};
  proxy_options from_env;
  CHECK(proxy_of(from_env, http, env) == "http://lower:1");   // lower case first
  CHECK(proxy_of(from_env, https, env) == "http://secure:3"); // https targets: HTTPS_PROXY
  CHECK(proxy_of(from_env, http, {{"HTTP_PROXY", "http://upper:2"}}) == "http://upper:2");
  CHECK(proxy_of(from_env, https, {{"http_proxy", "http://lower:1"}}) == "direct"); // no fallback
  CHECK(proxy_of(from_env, http, {}) == "direct");
  // A proxy from the environment never carries loopback targets; the option does.
  CHECK(proxy_of(from_env, target("http", "127.0.0.1"), env) == "direct");
  CHECK(proxy_of(from_env, target("http", "localhost"), env) == "direct");
  CHECK(proxy_of(from_env, target("http", "::1"), env) == "direct");
  proxy_options explicit_proxy;
  explicit_proxy.url = "http://u:pw@chosen:4";
  CHECK(proxy_of(explicit_proxy, http, env) == "http://***@chosen:4");
  CHECK(proxy_of(explicit_proxy, https, env) == "http://***@chosen:4");
  CHECK(proxy_of(explicit_proxy, target("http", "127.0.0.1"), env) == "http://***@chosen:4");
  proxy_options none;
  none.url = "none";
  CHECK(proxy_of(none, http, env) == "direct");
  CHECK(proxy_of(none, https, env) == "direct");
  // NO_PROXY from the environment applies to the option's proxy too; the option's
  // own no_proxy replaces it.
  auto with_bypass = env;
  with_bypass["NO_PROXY"] = ".example";
  CHECK(proxy_of(explicit_proxy, http, with_bypass) == "direct");
  CHECK(proxy_of(from_env, http, with_bypass) == "direct");
  with_bypass["no_proxy"] = "other.example";
  CHECK(proxy_of(from_env, http, with_bypass) == "http://lower:1"); // lower case first
  explicit_proxy.no_proxy = "elsewhere";
  CHECK(proxy_of(explicit_proxy, http, {{"NO_PROXY", "*"}}) == "http://***@chosen:4");
  // The tunnel is for https targets only.
  CHECK(choose_proxy(explicit_proxy, https, env_of({})).route->tunnel);
  CHECK_FALSE(choose_proxy(explicit_proxy, http, env_of({})).route->tunnel);
}

TEST_CASE("proxy choice: a bad URL in the environment names the variable, masked") {
  auto choice = choose_proxy(proxy_options{}, target("https", "m.example"),
                             env_of({{"https_proxy", std::string{"socks5://u:"} + secret + "@h:1"}}));
  CHECK_FALSE(choice.route);
  CHECK(contains(choice.error, "https_proxy: bad proxy URL 'socks5://***@h:1'"));
  CHECK_FALSE(contains(choice.error, secret));
  // A bypassed target never looks at it.
  auto bypassed = choose_proxy(proxy_options{}, target("https", "m.example"),
                               env_of({{"https_proxy", "socks5://h:1"}, {"no_proxy", "m.example"}}));
  CHECK(bypassed.error.empty());
  CHECK_FALSE(bypassed.route);
  // The connection refuses to start, with that text.
  http_settings h;
  h.target = target("http", "m.example");
  h.proxy.url = std::string{"ftp://u:"} + secret + "@h:1";
  http_connection conn{h};
  CHECK(contains(conn.setup_failure(),
                 "proxy for http://m.example:5050: proxy.url: bad proxy URL 'ftp://***@h:1'"));
  auto f = conn.open();
  REQUIRE(f);
  CHECK(f->what == io_failure::kind::setup);
  CHECK_FALSE(contains(f->text, secret));
}

TEST_CASE("proxy, environment: HTTP_PROXY set in the process carries an http target") {
  std::string seen;
  test_peer proxy{[&](int fd, int) {
    seen = read_request(fd);
    send_text(fd, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
  }};
  scoped_env lower{"http_proxy", nullptr};
  scoped_env upper{"HTTP_PROXY", ("http://127.0.0.1:" + std::to_string(proxy.port())).c_str()};
  scoped_env no_lower{"no_proxy", nullptr};
  scoped_env no_upper{"NO_PROXY", nullptr};
  http_settings h;
  h.target = target("http", "master.invalid"); // only the proxy would resolve it
  http_connection conn{h};
  REQUIRE(conn.setup_failure().empty());
  REQUIRE(conn.absolute_form());
  REQUIRE_FALSE(conn.open());
  auto deadline = clock_type::now() + 5s;
  REQUIRE_FALSE(conn.write(format_post(h.target, h.encoding, conn.headers(), "x", true, conn.absolute_form()),
                           deadline));
  http_response_parser parser{h.limits};
  REQUIRE_FALSE(conn.read_response(parser, deadline, 0ms, nullptr, nullptr));
  CHECK(parser.head().status == 202);
  CHECK(seen.rfind("POST http://master.invalid:5050/api/v1/scheduler HTTP/1.1\r\n", 0) == 0);
  CHECK(contains(seen, "\r\nHost: master.invalid:5050\r\n"));
  CHECK_FALSE(contains(seen, "Proxy-Authorization"));
  {
    scoped_env bypass{"NO_PROXY", "master.invalid"};
    http_connection direct{h};
    CHECK_FALSE(direct.route());
  }
}

TEST_CASE("proxy, absolute form: the request names the target, credentials go to the proxy") {
  std::string seen;
  test_peer proxy{[&](int fd, int) {
    seen = read_request(fd);
    send_text(fd, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
  }};
  auto h = settings_via("http", proxy.port(), std::string{"bob:"} + secret + "@");
  h.auth = mesos_actor::credentials::basic("principal", "master-secret");
  http_connection conn{h};
  REQUIRE(conn.setup_failure().empty());
  REQUIRE_FALSE(conn.open());
  auto deadline = clock_type::now() + 5s;
  REQUIRE_FALSE(conn.write(format_post(h.target, h.encoding, conn.headers(), "x", true, true), deadline));
  http_response_parser parser{h.limits};
  REQUIRE_FALSE(conn.read_response(parser, deadline, 0ms, nullptr, nullptr));
  CHECK(parser.head().status == 202);
  CHECK(seen.rfind("POST http://127.0.0.1:5050/api/v1/scheduler HTTP/1.1\r\n", 0) == 0);
  CHECK(contains(seen, "\r\nHost: 127.0.0.1:5050\r\n"));
  CHECK(contains(seen, "\r\nAuthorization: Basic "));
  CHECK(contains(seen, "\r\nProxy-Authorization: Basic Ym9iOnByMHh5LXMzY3JldA==\r\n")); // bob:pr0xy-s3cret
}

TEST_CASE("proxy, absolute form: 407, 502 and 504 are the proxy's refusals, named") {
  for (std::string status : {"407 Proxy Authentication Required", "502 Bad Gateway", "504 Gateway Timeout"}) {
    CAPTURE(status);
    test_peer proxy{[&](int fd, int) {
      if (!read_request(fd).empty())
        send_text(fd, "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n");
    }};
    auto h = settings_via("http", proxy.port(), std::string{"bob:"} + secret + "@");
    http_connection conn{h};
    REQUIRE_FALSE(conn.open());
    auto deadline = clock_type::now() + 5s;
    REQUIRE_FALSE(conn.write(format_post(h.target, h.encoding, conn.headers(), "x", true, true), deadline));
    http_response_parser parser{h.limits};
    bool head_seen = false;
    auto f = conn.read_response(parser, deadline, 0ms, [&](auto&) { return head_seen = true; }, nullptr);
    REQUIRE(f);
    CHECK(f->what == io_failure::kind::connect);
    CHECK_FALSE(head_seen);
    CHECK(contains(f->text, "proxy http://***@127.0.0.1:" + std::to_string(proxy.port())
                              + " answered POST http://127.0.0.1:5050/api/v1/scheduler with " + status));
    CHECK_FALSE(contains(f->text, secret));
  }
}

TEST_CASE("proxy, CONNECT: the tunnel request, and a 407 names the proxy without its password") {
  std::string seen;
  test_peer proxy{[&](int fd, int) {
    seen = read_request(fd);
    send_text(fd, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n"
                  "Content-Length: 5\r\n\r\nnope!");
  }};
  auto h = settings_via("https", proxy.port(), std::string{"bob:"} + secret + "@");
  h.tls.verify_peer = false; // never reached
  http_connection conn{h};
  REQUIRE(conn.setup_failure().empty());
  auto f = conn.open();
  REQUIRE(f);
  CHECK(f->what == io_failure::kind::connect);
  CHECK(contains(f->text, "proxy http://***@127.0.0.1:" + std::to_string(proxy.port())
                            + " answered CONNECT 127.0.0.1:5050 with 407 Proxy Authentication Required"
                              " (it refused the credentials in the proxy URL)"));
  CHECK_FALSE(contains(f->text, secret));
  CHECK_FALSE(conn.is_open());
  CHECK(seen.rfind("CONNECT 127.0.0.1:5050 HTTP/1.1\r\nHost: 127.0.0.1:5050\r\n", 0) == 0);
  CHECK(contains(seen, "\r\nProxy-Authorization: Basic Ym9iOnByMHh5LXMzY3JldA==\r\n"));
}

TEST_CASE("proxy, CONNECT: no credentials, a refusal, bytes before TLS, a closed proxy") {
  struct answer_case {
    std::string answer;
    std::string says;
  };
  for (auto& c : std::vector<answer_case>{
         {"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n",
          "with 407 Proxy Authentication Required (it wants credentials: put them in the proxy URL"},
         {"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
          "answered CONNECT 127.0.0.1:5050 with 403 Forbidden"},
         {"HTTP/1.1 200 OK\r\n\r\nsurprise", "sent bytes after its answer to CONNECT 127.0.0.1:5050"},
         {"HTTP/1.1 200 OK\r\nbroken header\r\n\r\n", "bad answer from proxy"},
         {"", "closed the connection instead of answering CONNECT 127.0.0.1:5050"},
       }) {
    CAPTURE(c.says);
    test_peer proxy{[&](int fd, int) {
      if (!read_request(fd).empty() && !c.answer.empty())
        send_text(fd, c.answer);
    }};
    auto h = settings_via("https", proxy.port());
    http_connection conn{h};
    auto f = conn.open();
    REQUIRE(f);
    CHECK(contains(f->text, c.says));
    CHECK(contains(f->text, "proxy http://127.0.0.1:" + std::to_string(proxy.port())));
  }
}

TEST_CASE("proxy, CONNECT: a silent proxy is bounded by connect_timeout") {
  test_peer proxy{[&](int fd, int) {
    read_request(fd);
    wait_client_close(fd, 10s);
  }};
  auto h = settings_via("https", proxy.port());
  h.connect_timeout = 300ms;
  http_connection conn{h};
  auto start = clock_type::now();
  auto f = conn.open();
  auto took = clock_type::now() - start;
  REQUIRE(f);
  CHECK(f->timed_out());
  CHECK(contains(f->text, "did not answer CONNECT 127.0.0.1:5050 within 300 ms (connect_timeout)"));
  CHECK(took < 3s);
}

TEST_CASE("proxy, CONNECT: a cancel from another thread ends the wait for the proxy") {
  std::promise<void> asked;
  test_peer proxy{[&](int fd, int) {
    read_request(fd);
    asked.set_value(); // the client now waits for our answer
    wait_client_close(fd, 10s);
  }};
  auto h = settings_via("https", proxy.port());
  h.connect_timeout = 20s;
  auto cancel = std::make_shared<connection_cancel>();
  http_connection conn{h, cancel};
  std::thread stopper{[&] {
    if (asked.get_future().wait_for(10s) == std::future_status::ready)
      cancel->cancel();
  }};
  auto start = clock_type::now();
  auto f = conn.open();
  auto took = clock_type::now() - start;
  stopper.join();
  REQUIRE(f);
  CHECK(f->what == io_failure::kind::cancelled);
  CHECK(took < 5s);
}

TEST_CASE("proxy: an unreachable proxy is named in the connect error") {
  auto h = settings_via("http", 1, std::string{"bob:"} + secret + "@"); // port 1: refused
  http_connection conn{h};
  auto f = conn.open();
  REQUIRE(f);
  CHECK(f->what == io_failure::kind::connect);
  CHECK(contains(f->text, "connecting to http://127.0.0.1:5050 via proxy http://***@127.0.0.1:1 failed"));
  CHECK_FALSE(contains(f->text, secret));
}
