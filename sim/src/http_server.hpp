#pragma once
// The simulator's own small HTTP/1.1 server (plain or TLS), used by masters and
// agents instead of httplib::Server because Mesos clients pipeline requests on a
// persistent connection and httplib 0.11 drops pipelined bytes between requests.
// Requests and responses are httplib::Request/Response so handlers read as usual;
// streaming responses use Response's content providers (chunked or raw).
//
// One thread per connection (bounded by cluster_options::server_threads); stop()
// shuts every socket down and returns once all connection threads have ended.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <httplib.h>

#include "mesos_actor/sim/options.hpp"

namespace mesos_actor::sim {

using http_handler = std::function<void(const httplib::Request&, httplib::Response&)>;

/// Path -> handler (exact match; every method goes to the handler, which answers 405
/// itself as Mesos does). Unknown paths get 404.
class http_routes {
public:
  void handle(const std::string& path, http_handler h) { routes_[path] = std::move(h); }
  const http_handler* find(const std::string& path) const {
    auto it = routes_.find(path);
    return it == routes_.end() ? nullptr : &it->second;
  }

private:
  std::map<std::string, http_handler> routes_;
};

/// How the request being handled on this thread arrived.
struct request_arrival {
  /// Its first bytes were here before the answer to the previous request of its
  /// connection was written.
  bool pipelined = false;
  /// When the socket read that completed it returned (request_record::received).
  std::chrono::steady_clock::time_point received;
};
const request_arrival& current_request_arrival();

class http_server {
public:
  using route_setup = std::function<void(http_routes&)>;

  http_server(const cluster_options& opts, route_setup setup);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds (0 = ephemeral; after a stop, 0 reuses the previous port) and serves.
  /// Throws std::runtime_error when binding or the TLS files fail.
  void start(std::uint16_t port);
  /// Stops accepting, shuts down every connection, waits for their threads. Idempotent.
  /// `keep_listening` (a restart): the listening socket stays bound, and connections
  /// waiting in its backlog are dropped, so the next start() on the same port cannot
  /// fail because the kernel gave the freed port to some outgoing connection meanwhile.
  void stop(bool keep_listening = false);
  bool running() const { return running_; }
  std::uint16_t port() const { return port_; }

private:
  void accept_loop();
  void serve(int fd);

  const cluster_options& opts_;
  route_setup setup_;
  http_routes routes_;
  void* ssl_ctx_ = nullptr; // SSL_CTX*, kept opaque to spare includers OpenSSL
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  bool running_ = false;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;

  std::mutex conns_mu_;
  std::condition_variable conns_cv_;
  std::set<int> conns_;
  std::size_t active_ = 0;
};

} // namespace mesos_actor::sim
