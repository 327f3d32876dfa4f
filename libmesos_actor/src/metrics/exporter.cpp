#include "metrics/exporter.hpp"

#include <csignal>
#include <future>
#include <pthread.h>
#include <thread>

#include <httplib.h>

#include "mesos_actor/errors.hpp"

namespace mesos_actor::detail {

namespace {

// Scrapes are small and rare: two workers, one request per connection (so a stop
// never waits for an idle keep-alive connection), short socket timeouts.
constexpr int worker_threads = 2;
constexpr int socket_timeout_seconds = 2;

// Debian's cpp-httplib writes responses with send(..., 0): a scraper that resets the
// connection while a large response is written would raise SIGPIPE, which kills the
// process by default. The workers are created with SIGPIPE blocked (threads inherit the
// creator's mask) and keep it blocked for their whole life, so such a write fails with
// EPIPE and the scrape is dropped; the process-wide disposition is left alone.
httplib::TaskQueue* new_sigpipe_blocked_pool() {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  auto* pool = new httplib::ThreadPool(worker_threads);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return pool;
}

} // namespace

class prometheus_exporter::server {
public:
  httplib::Server http;
  std::thread thread;
  std::future<void> done;
};

caf::expected<std::unique_ptr<prometheus_exporter>>
prometheus_exporter::start(const metrics::prometheus_options& opts, render_function render) {
  if (auto err = validate(opts))
    return err;
  std::unique_ptr<prometheus_exporter> self{new prometheus_exporter};
  self->server_ = std::make_unique<server>();
  auto& http = self->server_->http;
  http.new_task_queue = [] { return new_sigpipe_blocked_pool(); };
  // SO_REUSEADDR only: cpp-httplib's default SO_REUSEPORT would let a second host
  // share a port already in use instead of failing.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http.set_keep_alive_max_count(1);
  http.set_read_timeout(socket_timeout_seconds, 0);
  http.set_write_timeout(socket_timeout_seconds, 0);
  http.Get(opts.path, [render = std::move(render)](const httplib::Request&,
                                                   httplib::Response& res) {
    try {
      res.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(std::string{"cannot render the metrics: "} + e.what(), "text/plain");
    }
  });
  int port = opts.port;
  if (port == 0)
    port = http.bind_to_any_port(opts.address);
  else if (!http.bind_to_port(opts.address, port))
    port = -1;
  if (port <= 0)
    return make_error(errc::transport_error, "prometheus endpoint: cannot listen on "
                                               + opts.address + ":" + std::to_string(opts.port));
  self->port_ = static_cast<std::uint16_t>(port);
  std::promise<void> finished;
  self->server_->done = finished.get_future();
  self->server_->thread = std::thread([&http, finished = std::move(finished)]() mutable {
    http.listen_after_bind();
    finished.set_value();
  });
  return self;
}

prometheus_exporter::~prometheus_exporter() {
  stop();
}

void prometheus_exporter::stop() {
  if (!server_ || !server_->thread.joinable())
    return;
  // Server::stop() does nothing until listen_after_bind has started running, so it is
  // repeated until the server thread reports its end.
  do {
    server_->http.stop();
  } while (server_->done.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready);
  server_->thread.join();
}

} // namespace mesos_actor::detail
