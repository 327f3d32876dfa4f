#pragma once
// Shared by the observability tests: a log sink that records entries with bounded
// waits, a scheduler the test steers through handle_info, and a simulator + host.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <mesos_actor/host.hpp>
#include <mesos_actor/log.hpp>
#include <mesos_actor/sim/cluster.hpp>

namespace obs_test {

using namespace std::chrono_literals;

/// Records every entry; waits are bounded and event-driven.
class capture_sink {
public:
  mesos_actor::log_sink sink() {
    return [this](const mesos_actor::log_entry& e) {
      {
        std::lock_guard<std::mutex> guard{mtx_};
        entries_.push_back(e);
      }
      cv_.notify_all();
    };
  }
  std::vector<mesos_actor::log_entry> entries() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return entries_;
  }
  /// Entries of one component, in order.
  std::vector<mesos_actor::log_entry> of(const std::string& component) const {
    std::vector<mesos_actor::log_entry> out;
    for (auto& e : entries())
      if (e.component == component)
        out.push_back(e);
    return out;
  }
  std::size_t count(const std::string& component, const std::string& event) const {
    std::size_t n = 0;
    for (auto& e : entries())
      if (e.component == component && e.event == event)
        ++n;
    return n;
  }
  bool wait_count(const std::string& component, const std::string& event, std::size_t n,
                  std::chrono::milliseconds timeout = 10s) {
    std::unique_lock<std::mutex> lock{mtx_};
    return cv_.wait_for(lock, timeout, [&] {
      std::size_t k = 0;
      for (auto& e : entries_)
        if (e.component == component && e.event == event)
          ++k;
      return k >= n;
    });
  }

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<mesos_actor::log_entry> entries_;
};

/// What the test asks the scheduler to do (sent as a std::string message).
inline const std::string throw_now = "throw";
inline const std::string revive_now = "revive";

/// Declines every offer, revives or throws on request; records the framework id.
class steered_scheduler : public mesos_actor::scheduler {
public:
  struct shared {
    std::mutex mtx;
    std::condition_variable cv;
    std::string framework_id;
    std::size_t revive_outcomes = 0;
    mesos_actor::metrics::framework_snapshot from_context;
    bool have_context_snapshot = false;
  };
  explicit steered_scheduler(std::shared_ptr<shared> s) : s_(std::move(s)) {}

  caf::expected<mesos::v1::FrameworkInfo>
  init(const std::optional<std::string>& previous_id) override {
    auto info = scheduler::init(previous_id);
    if (info)
      info->set_failover_timeout(3600); // the master keeps it across reconnections
    return info;
  }
  mesos_actor::action registered(mesos_actor::scheduler_context& c,
                                 const Event::Subscribed&) override {
    std::lock_guard<std::mutex> guard{s_->mtx};
    s_->framework_id = c.framework_id();
    s_->cv.notify_all();
    return mesos_actor::action::keep;
  }
  mesos_actor::action resource_offers(mesos_actor::scheduler_context& c,
                                      const Event::Offers& offers) override {
    std::vector<mesos::v1::OfferID> ids;
    for (auto& o : offers.offers())
      ids.push_back(o.id());
    c.decline(ids);
    return mesos_actor::action::keep;
  }
  mesos_actor::action handle_info(mesos_actor::scheduler_context& c,
                                  const caf::message& msg) override {
    if (!msg.match_elements<std::string>())
      return mesos_actor::action::keep;
    auto& what = msg.get_as<std::string>(0);
    if (what == throw_now)
      throw std::runtime_error("deliberate failure");
    if (what == revive_now) {
      auto s = s_;
      c.revive({}, [s](mesos_actor::scheduler_context& ctx, const mesos_actor::call_outcome&) {
        std::lock_guard<std::mutex> guard{s->mtx};
        ++s->revive_outcomes;
        s->from_context = ctx.metrics();
        s->have_context_snapshot = true;
        s->cv.notify_all();
        return mesos_actor::action::keep;
      });
    }
    return mesos_actor::action::keep;
  }

private:
  std::shared_ptr<shared> s_;
};

inline mesos_actor::sim::cluster_options fast_cluster(std::size_t agents = 0) {
  mesos_actor::sim::cluster_options o;
  o.agents = agents;
  o.heartbeat_interval = 100ms;
  o.allocation_interval = 50ms;
  return o;
}

inline mesos_actor::scheduler_options fast_options(const std::vector<std::string>& masters) {
  mesos_actor::scheduler_options o;
  o.master_hosts = masters;
  o.heartbeat_timeout_window = 500ms;
  o.subscribe_timeout = 2000ms;
  o.backoff_initial = 10ms;
  o.backoff_max = 50ms;
  o.connect_timeout = 500ms;
  o.request_timeout = 2000ms;
  o.stream_read_timeout = 5000ms;
  return o;
}

inline mesos_actor::restart_policy transient_policy() {
  mesos_actor::restart_policy p;
  p.restart = supervisor::restart_type::transient;
  p.max_restarts = 3;
  p.period = 60s;
  p.shutdown_timeout = 2s;
  return p;
}

/// A factory whose behaviours share `s`.
inline mesos_actor::scheduler_factory steered(std::shared_ptr<steered_scheduler::shared> s) {
  return [s] { return std::make_unique<steered_scheduler>(s); };
}

/// Waits (bounded) until pred() holds, re-checking whenever `s` is notified or every
/// 20 ms for conditions that are not signalled through it (e.g. metrics).
template <class Pred>
bool wait_until(steered_scheduler::shared& s, Pred pred, std::chrono::milliseconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock{s.mtx};
  while (true) {
    if (pred()) // under s.mtx: pred may read s's fields
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    s.cv.wait_for(lock, 20ms);
  }
}

} // namespace obs_test
