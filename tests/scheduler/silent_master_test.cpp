// Stopping a scheduler whose master accepted the connection and never answers the
// SUBSCRIBE: the stream worker must end at once, not when its read timeout expires,
// so the actor system shuts down promptly.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <caf/send.hpp>

#include "support/fast_options.hpp"
#include "support/recording_scheduler.hpp"
#include "support/wait.hpp"

using namespace test;
using namespace std::chrono_literals;

namespace {

// Listens on a loopback port, takes one connection, reads what comes, answers nothing.
class silent_master {
public:
  silent_master() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener_, 4) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
  }
  ~silent_master() {
    if (conn_ >= 0)
      ::close(conn_);
    ::close(listener_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// Waits for a connection and the end of its request headers.
  bool wait_request(std::chrono::milliseconds timeout) {
    if (!readable(listener_, timeout))
      return false;
    conn_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    std::string got;
    while (got.find("\r\n\r\n") == std::string::npos) {
      char buf[4096];
      if (!readable(conn_, timeout))
        return false;
      auto n = ::recv(conn_, buf, sizeof buf, 0);
      if (n <= 0)
        return false;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got.rfind("POST /api/v1/scheduler", 0) == 0;
  }

  /// Waits until the client closed the connection (the rest of the request is skipped).
  bool wait_closed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      if (!readable(conn_, left))
        return false;
      char buf[4096];
      auto n = ::recv(conn_, buf, sizeof buf, 0);
      if (n <= 0)
        return true;
    }
    return false;
  }

private:
  static bool readable(int fd, std::chrono::milliseconds timeout) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
  }

  int listener_ = -1;
  int conn_ = -1;
  int port_ = 0;
};

} // namespace

TEST_CASE("stopping while the master never answers SUBSCRIBE ends the stream at once") {
  silent_master master;
  auto opts = fast_options({master.url()}, mesos_actor::content_type::protobuf);
  // Far beyond the test's bounds: only stopping can end the wait.
  opts.subscribe_timeout = 60s;
  opts.stream_read_timeout = 60s;
  auto log = std::make_shared<event_log>();
  std::chrono::steady_clock::time_point stop_sent;
  {
    system_config cfg;
    caf::actor_system sys{cfg};
    auto a = mesos_actor::spawn_scheduler(sys, std::make_unique<recording_scheduler>(log), opts);
    REQUIRE(master.wait_request(5s));
    stop_sent = std::chrono::steady_clock::now();
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    REQUIRE(wait_exit(sys, a, 5s));
    // The worker gives up the connection before the system goes (not at 60 s).
    CHECK(master.wait_closed(5s));
  } // the actor system waits for the stream worker here
  auto shutdown = std::chrono::steady_clock::now() - stop_sent;
  CHECK(shutdown < 5s);
  CHECK(log->count("registered") == 0);
}
