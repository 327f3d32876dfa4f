#pragma once
// One HTTP(S) server of the simulator (a master or an agent) with its listening
// thread. Restartable on the same port (master/agent restart faults).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "mesos_actor/sim/options.hpp"

namespace mesos_actor::sim {

class http_server {
public:
  using route_setup = std::function<void(httplib::Server&)>;

  http_server(const cluster_options& opts, route_setup setup);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds (port 0 = ephemeral, else that port; a restart reuses the port it had)
  /// and starts serving. Throws std::runtime_error on failure.
  void start(std::uint16_t port);
  /// Stops accepting, waits for in-flight requests and streams to end. Idempotent.
  void stop();
  bool running() const { return running_; }
  std::uint16_t port() const { return port_; }

private:
  const cluster_options& opts_;
  route_setup setup_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

} // namespace mesos_actor::sim
