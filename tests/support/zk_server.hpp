#pragma once
// A real ZooKeeper server (Debian's zookeeper package) for the tests and bench_chaos: java with
// ZooKeeperServerMain and a generated zoo.cfg on 127.0.0.1 and a free port, a temp
// data dir, no admin server. Killed and its dir removed by the destructor (also when
// a test fails: REQUIRE throws and the fixture unwinds); the JVM also dies with the
// test process when that is killed (testkit::child_process).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace zk_test {

class zk_server {
public:
  /// Starts the server and waits (bounded) until it answers "ruok". Throws
  /// std::runtime_error when it does not come up. Sessions get a timeout in
  /// [200 ms, max_session_timeout] whatever the client asks for.
  explicit zk_server(std::chrono::milliseconds max_session_timeout = std::chrono::seconds(60));
  ~zk_server();
  zk_server(const zk_server&) = delete;
  zk_server& operator=(const zk_server&) = delete;

  std::uint16_t port() const { return port_; }
  /// "127.0.0.1:PORT"
  std::string address() const;
  /// "zk://127.0.0.1:PORT" + path
  std::string url(const std::string& path) const;

  /// Kills the server (SIGKILL: no clean shutdown, like a crash).
  void kill();
  /// Starts it again on the same port with the same data dir (so the sessions and
  /// nodes it had survive); waits until it answers.
  void start();
  /// SIGSTOP / SIGCONT.
  void pause();
  void resume();

  /// Sends a four-letter command and returns the answer ("" when unreachable).
  std::string four_letter(const std::string& cmd) const;
  /// Session ids of the connected clients (from "cons").
  std::vector<std::int64_t> session_ids() const;

private:
  void wait_until_ready(std::chrono::milliseconds limit);

  std::string dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<testkit::child_process> java_;
};

/// ZooKeeper's session password for a session id: the server derives it as
/// java.util.Random(id ^ 0xB3415C00).nextBytes(16 bytes), so a test can take over a
/// session it only knows the id of (to close it: a real session expiry for its owner).
std::string session_password(std::int64_t session_id);

} // namespace zk_test
