#include "sim/http_server.hpp"

#include <chrono>
#include <stdexcept>

namespace mesos_actor::sim {

namespace {
// Idle keep-alive connections are kept this long; also bounds how long stop() can
// wait for a client that keeps an idle connection open.
constexpr time_t keep_alive_seconds = 5;
} // namespace

http_server::http_server(const cluster_options& opts, route_setup setup)
  : opts_(opts), setup_(std::move(setup)) {}

http_server::~http_server() { stop(); }

void http_server::start(std::uint16_t port) {
  stop();
  if (opts_.tls) {
    auto ssl = std::make_unique<httplib::SSLServer>(opts_.tls->cert_file.c_str(),
                                                    opts_.tls->key_file.c_str());
    if (!ssl->is_valid())
      throw std::runtime_error("cannot serve TLS with certificate '" + opts_.tls->cert_file +
                               "' and key '" + opts_.tls->key_file + "'");
    server_ = std::move(ssl);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  auto threads = opts_.server_threads == 0 ? 1 : opts_.server_threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(opts_.max_request_body);
  // Mesos never closes a persistent connection after N requests; pipelining clients
  // send many calls over one connection.
  server_->set_keep_alive_max_count(static_cast<std::size_t>(-1) / 2);
  server_->set_keep_alive_timeout(keep_alive_seconds);
  setup_(*server_);
  int bound = 0;
  if (port == 0 && port_ == 0) {
    bound = server_->bind_to_any_port(opts_.bind_address);
  } else {
    auto p = port != 0 ? port : port_;
    bound = server_->bind_to_port(opts_.bind_address, p) ? p : -1;
  }
  if (bound <= 0) {
    server_.reset();
    throw std::runtime_error("cannot bind " + opts_.bind_address + ":" +
                             std::to_string(port != 0 ? port : port_));
  }
  port_ = static_cast<std::uint16_t>(bound);
  auto* svr = server_.get();
  listener_ = std::thread([svr] { svr->listen_after_bind(); });
  // stop() is a no-op until the listener runs; wait so a quick stop cannot be lost.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!svr->is_running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  running_ = true;
}

void http_server::stop() {
  if (!server_)
    return;
  server_->stop();
  if (listener_.joinable())
    listener_.join();
  server_.reset();
  running_ = false;
}

} // namespace mesos_actor::sim
