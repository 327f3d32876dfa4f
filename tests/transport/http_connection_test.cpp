// Our HTTP/1.1 client connection against scripted loopback peers: the request on the
// wire, keep-alive, resets while writing (no SIGPIPE, with its default disposition),
// total and idle deadlines against slow peers, cancel from another thread, limits,
// and TLS through our MSG_NOSIGNAL BIO.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <string>
#include <thread>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "support/pki.hpp"
#include "transport/http_connection.hpp"
#include "transport/test_peer.hpp"
#include "support/text.hpp"

using namespace std::chrono_literals;
using mesos_actor::http_limits;
using mesos_actor::transport::connection_cancel;
using mesos_actor::transport::format_post;
using mesos_actor::transport::http_connection;
using mesos_actor::transport::http_response_parser;
using mesos_actor::transport::http_settings;
using mesos_actor::transport::io_failure;
using namespace transport_test;
using clock_type = std::chrono::steady_clock;

namespace {

using testkit::contains;

bool sigpipe_is_default(const struct sigaction& action) {
  return action.sa_handler == SIG_DFL;
}

http_settings settings_for(std::uint16_t port, std::string scheme = "http") {
  http_settings h;
  h.target.scheme = std::move(scheme);
  h.target.host = "127.0.0.1";
  h.target.port = port;
  h.target.path = "/api/v1/scheduler";
  h.connect_timeout = 2000ms;
  h.read_timeout = 5000ms;
  h.write_timeout = 5000ms;
  return h;
}

std::string request_for(const http_connection& conn, std::string_view body, bool keep_alive = true) {
  const auto& h = conn.settings();
  return format_post(h.target, h.encoding, conn.headers(), body, keep_alive);
}

struct exchange {
  mesos_actor::transport::io_result result;
  int status = 0;
  std::string body;
  bool reusable = false;
};

exchange round_trip(http_connection& conn, std::string_view body, std::chrono::milliseconds total = 5000ms,
                    std::chrono::milliseconds idle = 0ms, std::uint64_t max_body = 1 << 20) {
  exchange out;
  if ((out.result = conn.open()))
    return out;
  auto deadline = clock_type::now() + total;
  if ((out.result = conn.write(request_for(conn, body), deadline)))
    return out;
  http_response_parser parser{conn.settings().limits, max_body};
  out.result = conn.read_response(parser, deadline, idle, nullptr, [&](std::string_view piece) {
    out.body.append(piece);
    return true;
  });
  out.status = parser.head_complete() ? parser.head().status : 0;
  out.reusable = parser.reusable();
  return out;
}

const char* ok_response = "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok";

} // namespace

TEST_CASE("connection: the request on the wire, the answer, keep-alive reuse") {
  std::string seen[2];
  test_peer peer{[&](int fd, int) {
    for (auto& s : seen) {
      s = read_request(fd);
      if (s.empty())
        return;
      send_text(fd, ok_response);
    }
  }};
  auto h = settings_for(peer.port());
  h.encoding = mesos_actor::content_type::json;
  h.extra_headers = {{"X-Team", "blue"}};
  h.auth = mesos_actor::credentials::basic("principal", "secret");
  http_connection conn{h};
  REQUIRE(conn.setup_failure().empty());
  for (int i = 0; i < 2; ++i) {
    CAPTURE(i);
    CHECK((i == 0 || conn.idle_and_usable()));
    auto x = round_trip(conn, "{\"type\":\"REVIVE\"}");
    REQUIRE_FALSE(x.result);
    CHECK(x.status == 202);
    CHECK(x.body == "ok");
    CHECK(x.reusable);
  }
  CHECK(peer.accepted() == 1);
  const auto& req = seen[0];
  CHECK(req.rfind("POST /api/v1/scheduler HTTP/1.1\r\n", 0) == 0);
  CHECK(contains(req, "\r\nHost: 127.0.0.1:" + std::to_string(peer.port()) + "\r\n"));
  CHECK(contains(req, "\r\nContent-Type: application/json\r\n"));
  CHECK(contains(req, "\r\nAccept: application/json\r\n"));
  CHECK(contains(req, "\r\nX-Team: blue\r\n"));
  CHECK(contains(req, "\r\nAuthorization: Basic "));
  CHECK(contains(req, "\r\nContent-Length: 17\r\n"));
  CHECK_FALSE(contains(req, "Connection: close"));
  CHECK(contains(req, "\r\n\r\n{\"type\":\"REVIVE\"}"));
  CHECK(seen[1] == seen[0]);
}

TEST_CASE("connection: a closed idle keep-alive connection is seen before writing") {
  test_peer peer{[&](int fd, int) {
    if (!read_request(fd).empty())
      send_text(fd, ok_response);
  }}; // closes after one answer
  http_connection conn{settings_for(peer.port())};
  REQUIRE_FALSE(round_trip(conn, "a").result);
  REQUIRE(conn.is_open());
  auto until = clock_type::now() + 5s;
  while (conn.idle_and_usable() && clock_type::now() < until)
    std::this_thread::sleep_for(5ms); // the peer's FIN arrives asynchronously
  CHECK_FALSE(conn.idle_and_usable());
}

TEST_CASE("connection: Connection: close and a body ended by the close are not reusable") {
  test_peer peer{[&](int fd, int index) {
    if (read_request(fd).empty())
      return;
    send_text(fd, index == 0 ? "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"
                             : "HTTP/1.1 200 OK\r\n\r\nuntil close");
  }};
  http_connection conn{settings_for(peer.port())};
  auto x = round_trip(conn, "a");
  REQUIRE_FALSE(x.result);
  CHECK_FALSE(x.reusable);
  conn.close();
  x = round_trip(conn, "b");
  REQUIRE_FALSE(x.result);
  CHECK(x.body == "until close");
  CHECK_FALSE(x.reusable);
}

TEST_CASE("connection: refused, and a setup failure sends nothing") {
  int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(probe); // nobody listens there now
  http_connection conn{settings_for(ntohs(addr.sin_port))};
  auto f = conn.open();
  REQUIRE(f);
  CHECK(f->what == io_failure::kind::connect);
  CHECK(f->text == "connecting to http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port))
                     + " failed: Connection refused");

  auto h = settings_for(1);
  h.extra_headers = {{"X-Bad", "a\r\nInjected: yes"}};
  http_connection bad{h};
  CHECK(contains(bad.setup_failure(), "line break"));
  CHECK_FALSE(contains(bad.setup_failure(), "Injected"));
  auto g = bad.open();
  REQUIRE(g);
  CHECK(g->what == io_failure::kind::setup);
}

TEST_CASE("connection: a peer resetting while a large body is written is an error, not SIGPIPE") {
  // The process keeps SIGPIPE's default disposition (which would kill it) and this
  // thread does not block it: only MSG_NOSIGNAL keeps us alive.
  struct sigaction current{};
  REQUIRE(::sigaction(SIGPIPE, nullptr, &current) == 0);
  REQUIRE(sigpipe_is_default(current));
  sigset_t mask;
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  REQUIRE_FALSE(sigismember(&mask, SIGPIPE));

  test_peer peer{[&](int fd, int) {
    char buf[4096];
    ::recv(fd, buf, sizeof buf, 0); // the request has begun
    linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard); // close() sends RST
  }};
  http_connection conn{settings_for(peer.port())};
  REQUIRE_FALSE(conn.open());
  std::string body(64u << 20, 'x');
  auto started = clock_type::now();
  auto f = conn.write(request_for(conn, body), clock_type::now() + 10s);
  REQUIRE(f);
  CHECK(f->what == io_failure::kind::closed);
  CHECK(contains(f->text, "writing the request to http://127.0.0.1:"));
  CHECK((contains(f->text, "Connection reset by peer") || contains(f->text, "Broken pipe")));
  CHECK(clock_type::now() - started < 5s);
  CHECK(conn.bytes_written() < body.size());
  REQUIRE(::sigaction(SIGPIPE, nullptr, &current) == 0);
  CHECK(sigpipe_is_default(current));
}

TEST_CASE("connection: a slow-loris peer cannot stretch a call past its total deadline") {
  std::atomic<bool> done{false};
  test_peer peer{[&](int fd, int) {
    read_request(fd);
    send_text(fd, "HTTP/1.1 200 OK\r\nX-Slow: ");
    while (!done) { // one byte every 20 ms, for ever
      send_text(fd, "a");
      std::this_thread::sleep_for(20ms);
    }
  }};
  http_connection conn{settings_for(peer.port())};
  auto started = clock_type::now();
  auto x = round_trip(conn, "a", 400ms, 0ms);
  auto took = clock_type::now() - started;
  done = true;
  REQUIRE(x.result);
  CHECK(x.result->timed_out());
  CHECK(contains(x.result->text, "no complete response from http://127.0.0.1:"));
  CHECK(took >= 400ms);
  CHECK(took < 3s);
}

TEST_CASE("connection: the idle timeout ends a silent stream") {
  std::atomic<bool> done{false};
  test_peer peer{[&](int fd, int) {
    read_request(fd);
    send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
    wait_client_close(fd, 5s);
    done = true;
  }};
  http_connection conn{settings_for(peer.port())};
  REQUIRE_FALSE(conn.open());
  REQUIRE_FALSE(conn.write(request_for(conn, "s", false), clock_type::now() + 2s));
  http_response_parser parser{http_limits{}};
  std::string body;
  bool head = false;
  auto started = clock_type::now();
  auto f = conn.read_response(parser, clock_type::time_point::max(), 300ms,
                              [&](const auto& h) { return head = h.status == 200; },
                              [&](std::string_view b) { body.append(b); return true; });
  REQUIRE(f);
  CHECK(f->timed_out());
  CHECK(f->text == "no bytes from http://127.0.0.1:" + std::to_string(peer.port()) + " for 300 ms");
  CHECK(head);
  CHECK(body == "abc");
  CHECK(clock_type::now() - started < 3s);
  conn.close();
}

TEST_CASE("connection: cancel from another thread ends a read and a write at once") {
  test_peer peer{[&](int fd, int) { wait_client_close(fd, 10s); }}; // reads nothing, says nothing
  auto cancel = std::make_shared<connection_cancel>();
  http_connection conn{settings_for(peer.port()), cancel};
  REQUIRE_FALSE(conn.open());
  // 64 MiB cannot fit the socket buffers of a peer that does not read: the write waits.
  // Built before the clock starts (slow under sanitizers on a loaded machine).
  auto request = request_for(conn, std::string(64u << 20, 'x'));
  std::thread stopper{[&] {
    std::this_thread::sleep_for(100ms);
    cancel->cancel();
  }};
  auto started = clock_type::now();
  auto f = conn.write(request, clock_type::now() + 30s);
  stopper.join();
  REQUIRE(f);
  CHECK(f->what == io_failure::kind::cancelled);
  CHECK(clock_type::now() - started < 3s);

  // A cancelled connection stays cancelled: the next wait ends at once too.
  http_response_parser parser{http_limits{}};
  started = clock_type::now();
  auto g = conn.read_response(parser, clock_type::now() + 30s, 0ms, nullptr, nullptr);
  REQUIRE(g);
  CHECK(g->what == io_failure::kind::cancelled);
  CHECK(clock_type::now() - started < 1s);
  conn.close();
}

TEST_CASE("connection: endless headers stop at max_head_size, a bad chunk is a protocol error") {
  std::atomic<bool> done{false};
  test_peer peer{[&](int fd, int index) {
    read_request(fd);
    if (index == 0) {
      send_text(fd, "HTTP/1.1 200 OK\r\n");
      while (!done)
        send_text(fd, "X-Flood: 0123456789012345678901234567890123456789\r\n");
    } else {
      send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\n");
      wait_client_close(fd, 5s);
    }
  }};
  auto h = settings_for(peer.port());
  h.limits.max_header_count = 1000000;
  http_connection conn{h};
  auto x = round_trip(conn, "a");
  done = true;
  REQUIRE(x.result);
  CHECK(x.result->what == io_failure::kind::protocol);
  CHECK(x.result->text == "bad response from http://127.0.0.1:" + std::to_string(peer.port())
                            + ": response head exceeds max_head_size (65536 bytes)");
  conn.close();
  x = round_trip(conn, "b");
  REQUIRE(x.result);
  CHECK(x.result->what == io_failure::kind::protocol);
  CHECK(contains(x.result->text, "malformed chunk size '-2'"));
}

TEST_CASE("connection: a peer closing before any answer") {
  test_peer peer{[&](int fd, int) { read_request(fd); }};
  http_connection conn{settings_for(peer.port())};
  auto x = round_trip(conn, "a");
  REQUIRE(x.result);
  CHECK(x.result->what == io_failure::kind::closed);
  CHECK(contains(x.result->text, "the connection closed before any response"));
}

// --- TLS -----------------------------------------------------------------------------

namespace {

const authtest::test_pki& pki() {
  static const authtest::test_pki instance;
  return instance;
}

// Runs a TLS server handshake on `fd` (blocking); nullptr when it failed.
SSL* accept_tls(SSL_CTX* ctx, int fd) {
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    SSL_free(ssl);
    ERR_clear_error();
    return nullptr;
  }
  return ssl;
}

SSL_CTX* server_ctx(const std::string& cert, const std::string& key) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  REQUIRE(SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) == 1);
  return ctx;
}

} // namespace

TEST_CASE("connection: TLS answers, verification failures are explained") {
  SSL_CTX* good = server_ctx(pki().server_cert(), pki().server_key());
  SSL_CTX* untrusted = server_ctx(pki().untrusted_cert(), pki().untrusted_key());
  std::atomic<SSL_CTX*> current{good};
  test_peer peer{[&](int fd, int) {
    SSL* ssl = accept_tls(current.load(), fd);
    if (!ssl)
      return;
    std::string req;
    char c;
    while (req.find("\r\n\r\nbody") == std::string::npos && SSL_read(ssl, &c, 1) == 1)
      req += c;
    std::string answer = ok_response;
    SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
    SSL_shutdown(ssl);
    SSL_free(ssl);
  }};
  auto h = settings_for(peer.port(), "https");
  h.tls.ca_file = pki().ca_cert();
  {
    http_connection conn{h};
    REQUIRE(conn.setup_failure().empty());
    auto x = round_trip(conn, "body");
    REQUIRE_FALSE(x.result);
    CHECK(x.status == 202);
    CHECK(x.body == "ok");
  }
  current = untrusted;
  {
    http_connection conn{h};
    auto f = conn.open();
    REQUIRE(f);
    CHECK(f->what == io_failure::kind::connect);
    CHECK(contains(f->text, "TLS handshake with https://127.0.0.1:" + std::to_string(peer.port())
                              + " failed: certificate verify failed (self"));
  }
  SSL_CTX_free(good);
  SSL_CTX_free(untrusted);
}

TEST_CASE("connection: a TLS peer resetting while a large body is written is an error, not SIGPIPE") {
  struct sigaction current{};
  REQUIRE(::sigaction(SIGPIPE, nullptr, &current) == 0);
  REQUIRE(sigpipe_is_default(current));
  SSL_CTX* ctx = server_ctx(pki().server_cert(), pki().server_key());
  test_peer peer{[&](int fd, int) {
    SSL* ssl = accept_tls(ctx, fd);
    if (!ssl)
      return;
    char buf[4096];
    SSL_read(ssl, buf, sizeof buf); // the request has begun
    linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    SSL_free(ssl); // no close_notify: the close() after this sends RST
  }};
  auto h = settings_for(peer.port(), "https");
  h.tls.ca_file = pki().ca_cert();
  http_connection conn{h};
  REQUIRE_FALSE(conn.open());
  auto f = conn.write(request_for(conn, std::string(64u << 20, 'x')), clock_type::now() + 10s);
  REQUIRE(f);
  CHECK(f->what == io_failure::kind::closed);
  CHECK(contains(f->text, "writing the request to https://127.0.0.1:"));
  REQUIRE(::sigaction(SIGPIPE, nullptr, &current) == 0);
  CHECK(sigpipe_is_default(current));
  conn.close();
  SSL_CTX_free(ctx);
}
