#pragma once
// What the host knows about one framework ref, kept up to date by the events of the
// ref's own supervisor (on actor threads) and read by which_* (on caller threads).

#include <memory>
#include <mutex>
#include <string>

#include <supervisor/events.hpp>

#include "log/logger.hpp"
#include "mesos_actor/host.hpp"
#include "mesos_actor/metrics/framework_metrics.hpp"

namespace mesos_actor::detail {

class framework_slot {
public:
  framework_slot(framework_kind kind, std::string ref, host_listener listener,
                 const logging_options& host_logging,
                 std::shared_ptr<metrics::framework_metrics> metrics)
    : kind_(kind), ref_(std::move(ref)), listener_(std::move(listener)),
      log_(inherit_logging({}, host_logging, ref_), "host"), metrics_(std::move(metrics)) {}

  /// Applies one event of the ref's supervisor and tells the host's listener.
  void on_supervisor_event(const supervisor::supervisor_event& ev);

  const std::string& ref() const { return ref_; }
  /// The framework's counters, kept across its restarts.
  const std::shared_ptr<metrics::framework_metrics>& metrics() const { return metrics_; }
  framework_row row() const;
  caf::actor actor() const;
  bool ended() const; ///< stopped or failed: the ref may be reused

  std::string framework_id() const;
  void set_framework_id(const std::string& id);

  /// Set by stop_*: exits are expected now, a restart must not start a framework.
  void mark_stopping();
  bool stopping() const;

private:
  void notify(host_event_kind what, const caf::actor& actor, const caf::error& reason,
              std::size_t restarts) const;
  /// The host's one log entry per supervisor event of this ref.
  void log_event(const supervisor::supervisor_event& ev, bool stopping) const;

  const framework_kind kind_;
  const std::string ref_;
  const host_listener listener_;
  const logger log_;
  const std::shared_ptr<metrics::framework_metrics> metrics_;
  mutable std::mutex mtx_;
  std::string framework_id_;
  caf::actor actor_;
  framework_status status_ = framework_status::running;
  std::size_t restarts_ = 0;
  caf::error last_exit_;
  bool stopping_ = false;
};

} // namespace mesos_actor::detail
