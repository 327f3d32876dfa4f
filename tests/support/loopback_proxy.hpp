#pragma once
// A small HTTP forward proxy on a loopback ephemeral port for the proxy tests: it
// opens CONNECT tunnels and forwards absolute-form requests (one per connection,
// "Connection: close" upstream) to whatever they name, records what it saw, and can
// demand Basic credentials (407 otherwise). Stops and joins everything when destroyed.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test {

/// One request as the proxy received it.
struct proxy_request {
  std::string method;               ///< "CONNECT", "POST", ...
  std::string target;               ///< "host:port" (CONNECT) or "http://host:port/path"
  std::string host_header;          ///< the Host header
  std::string proxy_authorization;  ///< the Proxy-Authorization header, "" = none
  bool refused = false;             ///< answered 407 (or 400/502) instead of forwarded
};

class loopback_proxy {
public:
  loopback_proxy();
  ~loopback_proxy();
  loopback_proxy(const loopback_proxy&) = delete;
  loopback_proxy& operator=(const loopback_proxy&) = delete;

  /// From now on, requests without Basic credentials `user`:`password` get a 407.
  void require_credentials(const std::string& user, const std::string& password);

  /// From now on, requests for host `name` go to `address` (a master under a name
  /// only the proxy knows).
  void alias(const std::string& name, const std::string& address);

  std::uint16_t port() const { return port_; }
  /// "http://127.0.0.1:<port>".
  std::string url() const;
  /// "http://user:password@127.0.0.1:<port>" (no %-encoding: plain test values only).
  std::string url_with(const std::string& user, const std::string& password) const;

  std::vector<proxy_request> requests() const;
  /// Waits (bounded) until at least `n` requests were received.
  bool wait_requests(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

private:
  void accept_loop();
  void serve(int client);
  void record(proxy_request r);

  int listener_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  mutable std::mutex mtx_;
  mutable std::condition_variable cv_;
  std::string expected_authorization_;
  std::map<std::string, std::string> aliases_;
  std::vector<proxy_request> requests_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

} // namespace test
