#include "support/zk_server.hpp"
#include "owned_temp_dir.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace zk_test {

namespace {

constexpr auto start_limit = std::chrono::seconds(20);

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
      || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0)
      ::close(fd);
    throw std::runtime_error("zk_server: no free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

} // namespace

zk_server::zk_server(std::chrono::milliseconds max_session_timeout) {
  dir_ = mesos_actor::sim::make_owned_temp_dir("mesos-actor-zk");
  port_ = free_port();
  std::filesystem::create_directories(dir_ + "/data");
  std::ofstream cfg(dir_ + "/zoo.cfg");
  // A short tick lets tests use short session timeouts (min = 2 ticks).
  cfg << "tickTime=100\n"
      << "dataDir=" << dir_ << "/data\n"
      << "clientPort=" << port_ << "\n"
      << "clientPortAddress=127.0.0.1\n"
      << "admin.enableServer=false\n"
      // srvr: bench_fleet counts writes by the server's zxid.
      << "4lw.commands.whitelist=ruok,cons,srvr\n"
      << "minSessionTimeout=200\n"
      << "maxSessionTimeout=" << max_session_timeout.count() << "\n";
  cfg.close();
  try {
    start();
  } catch (...) {
    kill();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

zk_server::~zk_server() {
  kill();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string zk_server::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

std::string zk_server::url(const std::string& path) const {
  return "zk://" + address() + path;
}

void zk_server::start() {
  if (java_)
    return;
  // zookeeper.jar's manifest names its dependencies; slf4j-nop silences logging.
  java_ = std::make_unique<testkit::child_process>(
    std::vector<std::string>{"java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                             // No /tmp/hsperfdata_USER: the JVM writes it to /tmp whatever TMPDIR says.
                             "-XX:-UsePerfData",
                             "-cp", "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar",
                             "org.apache.zookeeper.server.ZooKeeperServerMain", dir_ + "/zoo.cfg"},
    testkit::child_output{dir_ + "/server.log"});
  wait_until_ready(start_limit);
}

void zk_server::wait_until_ready(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (four_letter("ruok") == "imok")
      return;
    if (java_->try_wait()) {
      java_.reset();
      throw std::runtime_error("zk_server: java exited; see " + dir_ + "/server.log");
    }
    // Polling is the only way to learn that a separate JVM listens; 50 ms steps.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("zk_server: no answer to ruok within "
                           + std::to_string(limit.count()) + " ms");
}

void zk_server::kill() {
  java_.reset(); // SIGKILL to the group and reap
}

void zk_server::pause() {
  if (java_)
    java_->signal_group(SIGSTOP);
}

void zk_server::resume() {
  if (java_)
    java_->signal_group(SIGCONT);
}

std::string zk_server::four_letter(const std::string& cmd) const {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return {};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port_);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0
      && ::send(fd, cmd.data(), cmd.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(cmd.size())) {
    char buf[4096];
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 2000) > 0) {
      auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0)
        break;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

std::vector<std::int64_t> zk_server::session_ids() const {
  std::vector<std::int64_t> out;
  auto text = four_letter("cons");
  std::size_t pos = 0;
  while ((pos = text.find("sid=0x", pos)) != std::string::npos) {
    pos += 6;
    out.push_back(static_cast<std::int64_t>(std::strtoull(text.c_str() + pos, nullptr, 16)));
  }
  return out;
}

std::string session_password(std::int64_t session_id) {
  // java.util.Random: 48-bit LCG, seed scrambled with 0x5DEECE66D.
  constexpr std::uint64_t mult = 0x5DEECE66DULL, mask = (1ULL << 48) - 1;
  std::uint64_t seed = (static_cast<std::uint64_t>(session_id ^ 0xB3415C00LL) ^ mult) & mask;
  auto next_int = [&] {
    seed = (seed * mult + 0xBULL) & mask;
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(seed >> 16));
  };
  std::string out(16, '\0');
  for (std::size_t i = 0; i < out.size();) {
    auto rnd = next_int();
    for (int n = 0; n < 4 && i < out.size(); ++n, rnd >>= 8)
      out[i++] = static_cast<char>(rnd);
  }
  return out;
}

} // namespace zk_test
