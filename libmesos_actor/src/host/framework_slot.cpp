#include "host/framework_slot.hpp"

#include "mesos_actor/errors.hpp"

namespace mesos_actor::detail {

using supervisor::event_kind;

void framework_slot::on_supervisor_event(const supervisor::supervisor_event& ev) {
  // Events about the supervisor itself carry no child id, except intensity.
  bool stopping = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping = stopping_;
    switch (ev.kind) {
      case event_kind::child_started:
      case event_kind::child_restarted:
        actor_ = ev.child;
        status_ = framework_status::running;
        restarts_ = ev.restart_count;
        break;
      case event_kind::child_exited:
        actor_ = nullptr;
        last_exit_ = ev.reason;
        if (status_ != framework_status::failed)
          status_ = framework_status::stopped; // a restart event follows if any
        break;
      case event_kind::child_start_failed:
        actor_ = nullptr;
        if (status_ != framework_status::failed)
          status_ = framework_status::restarting;
        break;
      case event_kind::intensity_reached:
        actor_ = nullptr;
        status_ = framework_status::failed;
        break;
      case event_kind::child_stopped:
        actor_ = nullptr;
        if (status_ != framework_status::failed)
          status_ = framework_status::stopped;
        break;
      case event_kind::supervisor_stopping:
        return;
    }
  }
  log_event(ev, stopping);
  switch (ev.kind) {
    case event_kind::child_started:
      notify(host_event_kind::started, ev.child, {}, ev.restart_count);
      break;
    case event_kind::child_restarted:
      if (!stopping)
        notify(host_event_kind::restarted, ev.child, {}, ev.restart_count);
      break;
    case event_kind::child_exited:
      notify(host_event_kind::exited, ev.child, ev.reason, ev.restart_count);
      break;
    case event_kind::child_start_failed:
      notify(host_event_kind::start_failed, nullptr, ev.reason, ev.restart_count);
      break;
    case event_kind::intensity_reached:
      notify(host_event_kind::gave_up, nullptr, ev.reason, ev.restart_count);
      break;
    case event_kind::child_stopped:
      notify(host_event_kind::stopped, ev.child, ev.reason, ev.restart_count);
      break;
    case event_kind::supervisor_stopping:
      break;
  }
}

void framework_slot::notify(host_event_kind what, const caf::actor& actor,
                            const caf::error& reason, std::size_t restarts) const {
  if (!listener_)
    return;
  host_event ev;
  ev.kind = kind_;
  ev.ref = ref_;
  ev.what = what;
  ev.actor = actor;
  ev.reason = reason;
  ev.restarts = restarts;
  try {
    listener_(ev);
  } catch (...) {
    // A faulty observer must not take the framework's supervisor down.
  }
}

void framework_slot::log_event(const supervisor::supervisor_event& ev, bool stopping) const {
  auto kind = std::string{to_string(kind_)};
  auto restarts = log_field{"restarts", std::to_string(ev.restart_count)};
  auto reason = log_field{"reason", describe(ev.reason)};
  switch (ev.kind) {
    case event_kind::child_started:
      log_(log_level::info, "started", kind + " started", {{"kind", kind}});
      break;
    case event_kind::child_restarted:
      if (!stopping)
        log_(log_level::info, "restarted",
             kind + " restarted by its supervisor (restart " + restarts.value + ")",
             {{"kind", kind}, restarts});
      break;
    case event_kind::child_exited:
      log_(ev.reason ? log_level::warning : log_level::info, "exited",
           kind + " exited: " + reason.value, {{"kind", kind}, reason});
      break;
    case event_kind::child_start_failed:
      log_(log_level::warning, "start_failed", kind + " failed to start: " + reason.value,
           {{"kind", kind}, reason, restarts});
      break;
    case event_kind::intensity_reached:
      log_(log_level::error, "gave_up",
           kind + " restarted too often: given up (" + reason.value + ")",
           {{"kind", kind}, reason, restarts});
      break;
    case event_kind::child_stopped:
      log_(log_level::info, "stopped", kind + " stopped", {{"kind", kind}});
      break;
    case event_kind::supervisor_stopping:
      break;
  }
}

framework_row framework_slot::row() const {
  std::lock_guard<std::mutex> guard{mtx_};
  framework_row r;
  r.ref = ref_;
  r.actor = actor_;
  r.status = status_;
  r.restarts = restarts_;
  r.last_exit_reason = last_exit_;
  r.framework_id = framework_id_;
  return r;
}

caf::actor framework_slot::actor() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return actor_;
}

bool framework_slot::ended() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return status_ == framework_status::stopped || status_ == framework_status::failed;
}

std::string framework_slot::framework_id() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return framework_id_;
}

void framework_slot::set_framework_id(const std::string& id) {
  std::lock_guard<std::mutex> guard{mtx_};
  framework_id_ = id;
}

void framework_slot::mark_stopping() {
  std::lock_guard<std::mutex> guard{mtx_};
  stopping_ = true;
}

bool framework_slot::stopping() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return stopping_;
}

} // namespace mesos_actor::detail
