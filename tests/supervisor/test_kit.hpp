#pragma once

// Plain test actors and a thread-safe recorder for the supervisor tests. Tests
// wait on recorded events with bounded waits, never on sleeps.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "supervisor/supervisor.hpp"

namespace test_kit {

using namespace std::chrono_literals;

/// "a, b, c" for readable failure output.
inline std::string joined(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out;
}

/// Generous bound for anything that should happen "soon".
constexpr auto wait_bound = std::chrono::seconds(30); // a bound, not a pause: generous for TSan

/// Request: (quit_with_atom, caf::error reason) makes a test worker exit with reason.
using quit_with_atom = caf::atom_constant<caf::atom("t_quitwith")>;
/// Request: (ping_atom) -> ping_atom, to check a worker is alive and responsive.
using ping_atom = caf::atom_constant<caf::atom("t_ping")>;

/// Thread-safe log of "start:x" / "exit:x" lines and supervisor events.
class recorder {
public:
  void log(std::string line) {
    std::lock_guard<std::mutex> guard{mtx_};
    lines_.push_back(std::move(line));
    cv_.notify_all();
  }

  void event(const supervisor::supervisor_event& ev) {
    std::lock_guard<std::mutex> guard{mtx_};
    events_.push_back(ev);
    cv_.notify_all();
  }

  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> guard{mtx_};
    return lines_;
  }

  std::vector<supervisor::supervisor_event> events() {
    std::lock_guard<std::mutex> guard{mtx_};
    return events_;
  }

  /// Lines logged from position `from` on.
  std::vector<std::string> lines_since(std::size_t from) {
    std::lock_guard<std::mutex> guard{mtx_};
    return {lines_.begin() + std::min(from, lines_.size()), lines_.end()};
  }

  /// Waits until `pred(lines)` holds; false after wait_bound.
  bool wait_lines(const std::function<bool(const std::vector<std::string>&)>& pred) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, wait_bound, [&] { return pred(lines_); });
  }

  /// Number of events of this kind (for this child id, unless empty).
  std::size_t count(supervisor::event_kind kind, const std::string& id = {},
                    const std::string& sup = {}) {
    std::lock_guard<std::mutex> guard{mtx_};
    return count_locked(kind, id, sup);
  }

  /// Waits until at least n events of this kind (and child id) were seen.
  bool wait_event(supervisor::event_kind kind, const std::string& id, std::size_t n = 1,
                  const std::string& sup = {}) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, wait_bound, [&] { return count_locked(kind, id, sup) >= n; });
  }

  /// Waits until line appears at least n times.
  bool wait_line(const std::string& line, std::size_t n = 1) {
    return wait_lines([&](const std::vector<std::string>& ls) {
      return static_cast<std::size_t>(std::count(ls.begin(), ls.end(), line)) >= n;
    });
  }

  /// How often line was logged.
  std::size_t occurrences(const std::string& line) {
    std::lock_guard<std::mutex> guard{mtx_};
    return static_cast<std::size_t>(std::count(lines_.begin(), lines_.end(), line));
  }

  /// A listener for sup_flags::on_event.
  supervisor::event_listener listener() {
    return [this](const supervisor::supervisor_event& ev) { event(ev); };
  }

private:
  std::size_t count_locked(supervisor::event_kind kind, const std::string& id,
                           const std::string& sup) {
    std::size_t n = 0;
    for (auto& ev : events_)
      if (ev.kind == kind && (id.empty() || ev.child_id == id)
          && (sup.empty() || ev.supervisor == sup))
        ++n;
    return n;
  }

  std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  std::vector<supervisor::supervisor_event> events_;
};

/// How a test worker behaves.
struct worker_options {
  /// Trap exits and ignore user_shutdown (only kill stops it).
  bool ignore_shutdown = false;
};

/// Logs "exit:<name>" when the worker ends. CAF destroys actor state before it
/// sends DOWN messages (attach_functor callbacks may run after them), so the
/// log order is the order in which the supervisor saw its children end.
struct worker_state {
  std::shared_ptr<recorder> rec;
  std::string name;
  ~worker_state() {
    if (rec)
      rec->log("exit:" + name);
  }
};

/// A plain worker that ends on request. Its start is logged by worker_start.
inline caf::behavior test_worker(caf::stateful_actor<worker_state>* self,
                                 std::shared_ptr<recorder> rec, std::string name,
                                 worker_options opts) {
  self->state.rec = std::move(rec);
  self->state.name = std::move(name);
  if (opts.ignore_shutdown)
    self->set_exit_handler([](caf::exit_msg&) {});
  return {
    [=](quit_with_atom, caf::error& reason) { self->quit(std::move(reason)); },
    [=](ping_atom) { return ping_atom::value; },
  };
}

/// Start function for a test worker; fails while *failures > 0 (decrementing it).
inline supervisor::start_function
worker_start(std::shared_ptr<recorder> rec, std::string name, worker_options opts = {},
             std::shared_ptr<std::atomic<int>> failures = nullptr) {
  return [=](caf::actor_system& sys, const caf::message&) -> caf::expected<caf::actor> {
    if (failures && failures->load() > 0) {
      --*failures;
      rec->log("failstart:" + name);
      return caf::make_error(caf::sec::runtime_error, std::string{"refused to start " + name});
    }
    // Logged here, on the supervisor's thread, so the order is the start order.
    rec->log("start:" + name);
    return sys.spawn(test_worker, rec, name, opts);
  };
}

/// A worker child spec.
inline supervisor::child_spec
worker_spec(std::shared_ptr<recorder> rec, std::string id,
            supervisor::restart_type restart = supervisor::restart_type::permanent,
            worker_options opts = {}, std::shared_ptr<std::atomic<int>> failures = nullptr) {
  supervisor::child_spec spec;
  spec.id = id;
  spec.start = worker_start(rec, id, opts, std::move(failures));
  spec.restart = restart;
  return spec;
}

/// An actor system with a few scheduler threads (tests block in scoped actors).
struct fixture {
  static caf::actor_system_config& configured(caf::actor_system_config& cfg) {
    cfg.set("scheduler.max-threads", 4);
    supervisor::add_error_category(cfg);
    return cfg;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{configured(cfg)};
  std::shared_ptr<recorder> rec = std::make_shared<recorder>();
  /// Supervisors stopped (bounded) when the test ends, so the system can shut down.
  std::vector<caf::actor> started;

  ~fixture() {
    for (auto& sup : started)
      supervisor::stop_supervisor(sys, sup, std::chrono::seconds(10));
  }

  /// start_supervisor, remembered for clean-up; fails the test if it fails.
  caf::actor start(supervisor::sup_flags f, std::vector<supervisor::child_spec> specs) {
    auto sup = supervisor::start_supervisor(sys, std::move(f), std::move(specs), wait_bound);
    if (!sup)
      return {};
    started.push_back(*sup);
    return *sup;
  }

  /// Flags with a generous intensity so restarts never escalate by accident.
  supervisor::sup_flags flags(supervisor::strategy s = supervisor::strategy::one_for_one,
                              int max_restarts = 100) {
    supervisor::sup_flags f;
    f.strategy = s;
    f.max_restarts = max_restarts;
    f.period = std::chrono::minutes(10);
    f.on_event = rec->listener();
    return f;
  }

  /// The current actor of child id (invalid if unknown or not running).
  caf::actor child(const caf::actor& sup, const std::string& id) {
    auto kids = supervisor::which_children(sys, sup, wait_bound);
    if (!kids)
      return {};
    for (auto& k : *kids)
      if (k.id == id)
        return k.actor;
    return {};
  }

  /// The which_children row of id, if any.
  std::optional<supervisor::child_info> info(const caf::actor& sup, const std::string& id) {
    auto kids = supervisor::which_children(sys, sup, wait_bound);
    if (kids)
      for (auto& k : *kids)
        if (k.id == id)
          return k;
    return std::nullopt;
  }

  /// Makes the worker exit with reason.
  void make_exit(const caf::actor& worker, caf::error reason) {
    caf::anon_send(worker, quit_with_atom::value, std::move(reason));
  }

  /// Waits for actor a to end; its exit reason, or nullopt after wait_bound.
  std::optional<caf::error> wait_down(const caf::actor& a) {
    caf::scoped_actor self{sys};
    self->monitor(a);
    std::optional<caf::error> out;
    self->receive([&](caf::down_msg& msg) { out = std::move(msg.reason); },
                  caf::after(std::chrono::duration_cast<std::chrono::milliseconds>(wait_bound))
                    >> [] {});
    return out;
  }
};

/// An abnormal exit reason used by tests.
inline caf::error crash_reason() {
  return caf::make_error(caf::sec::runtime_error, std::string{"boom"});
}

} // namespace test_kit
