#pragma once
// The Prometheus endpoint of a host: a cpp-httplib server on its own thread answering
// GET <path> with the text exposition made by `render` (called on the server thread).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "mesos_actor/metrics/options.hpp"

namespace mesos_actor::detail {

class prometheus_exporter {
public:
  using render_function = std::function<std::string()>;

  /// Binds and starts serving; errc::bad_option / errc::transport_error when it cannot.
  static caf::expected<std::unique_ptr<prometheus_exporter>>
  start(const metrics::prometheus_options& opts, render_function render);

  /// stop().
  ~prometheus_exporter();

  /// Stops serving and joins the server thread. Idempotent.
  void stop();

  /// The bound port.
  std::uint16_t port() const { return port_; }

  class server;

private:
  prometheus_exporter() = default;
  std::unique_ptr<server> server_;
  std::uint16_t port_ = 0;
};

} // namespace mesos_actor::detail
