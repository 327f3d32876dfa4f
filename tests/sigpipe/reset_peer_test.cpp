// Peers that reset the connection (SO_LINGER 0) while a large response is being written
// must not kill the process with SIGPIPE (the test main runs with SIGPIPE at its default
// disposition, so a SIGPIPE here ends the test binary): the Prometheus endpoint drops
// the scrape and keeps serving, the simulator drops the subscriber.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "mesos_actor/sim/cluster.hpp"
#include "metrics/exporter.hpp"

using namespace std::chrono_literals;

namespace {

// A loopback connection with a tiny receive buffer, so the server's writes of a large
// body block (are in progress) instead of landing in kernel buffers at once.
int connect_small_window(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

void send_all(int fd, const std::string& data) {
  REQUIRE(::send(fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size()));
}

// Reads until `want` bytes arrived, EOF or `limit`.
std::string read_some(int fd, std::size_t want, std::chrono::milliseconds limit) {
  std::string got;
  auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  while (got.size() < want) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      break;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

// Close with SO_LINGER 0: the kernel sends RST instead of FIN and drops unread data.
void reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

} // namespace

TEST_CASE("prometheus endpoint: a scraper resetting during a large response is dropped, the "
          "endpoint keeps serving") {
  std::atomic<bool> large{true};
  mesos_actor::metrics::prometheus_options opts;
  opts.port = 0;
  auto exporter = mesos_actor::detail::prometheus_exporter::start(opts, [&] {
    // 16 MiB: far more than loopback buffers take, so the worker is still writing.
    return large ? std::string(16u << 20, '#') + "\n" : std::string("up 1\n");
  });
  REQUIRE(exporter);
  auto port = (*exporter)->port();
  const std::string scrape = "GET " + opts.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  // Resets at different points: right after the request, and after part of the body.
  for (int round = 0; round < 12; ++round) {
    int fd = connect_small_window(port);
    send_all(fd, scrape);
    if (round % 3 != 0)
      CHECK(read_some(fd, 4096u * static_cast<std::size_t>(round), 10s).rfind("HTTP/1.1 200", 0) == 0);
    else
      std::this_thread::sleep_for(20ms); // the worker renders and starts writing
    reset(fd);
  }
  // Still alive and answering.
  large = false;
  int fd = connect_small_window(port);
  send_all(fd, scrape);
  auto answer = read_some(fd, 1u << 20, 20s);
  ::close(fd);
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.find("\r\n\r\nup 1\n") != std::string::npos);
  (*exporter)->stop();
}

TEST_CASE("simulator: a subscriber resetting during a large event burst is dropped") {
  mesos_actor::sim::cluster_options opts;
  opts.agents = 200; // one OFFERS event with 200 offers: a large burst
  opts.heartbeat_interval = 100ms;
  mesos_actor::sim::cluster sim(opts);
  sim.start();
  auto url = sim.master_urls().at(0);
  auto port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  const std::string body =
    R"({"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"tester","name":"reset-peer"}}})";
  int fd = connect_small_window(port);
  send_all(fd, "POST /api/v1/scheduler HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Content-Type: application/json\r\nAccept: application/json\r\n"
               "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  CHECK(read_some(fd, 1, 5s).rfind("HTTP/1.1 200", 0) == 0);
  REQUIRE(sim.wait_for([&] { return !sim.offers().empty(); }, 10s));
  auto fid = sim.frameworks().at(0).id;
  REQUIRE(sim.framework(fid));
  CHECK(sim.framework(fid)->subscribed);
  reset(fd);
  // The next write (the rest of the burst, or a heartbeat) fails: the stream is dropped.
  // With no failover_timeout the master may also remove the framework at once.
  CHECK(sim.wait_for([&] {
    auto f = sim.framework(fid);
    return !f || !f->subscribed;
  }, 10s));
  sim.stop();
}
