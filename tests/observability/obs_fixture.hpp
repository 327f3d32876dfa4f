#pragma once
// Shared by the observability tests: a scheduler the test steers through handle_info,
// and the fast options they run a simulator + host with.

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

#include "support/capture_sink.hpp"
#include "support/fast_options.hpp"

namespace obs_test {

using namespace std::chrono_literals;

using test::capture_sink;

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
                                  caf::message& msg) override {
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

/// The common fast options with `agents` agents and a 100 ms heartbeat.
inline mesos_actor::sim::cluster_options fast_cluster(std::size_t agents = 0) {
  auto o = test::fast_cluster();
  o.agents = agents;
  o.heartbeat_interval = 100ms;
  return o;
}

/// The common fast options, logging at the library's default level (the cases
/// capture what it logs).
inline mesos_actor::scheduler_options fast_options(const std::vector<std::string>& masters) {
  auto o = test::fast_options(masters);
  o.logging.min_level.reset();
  return o;
}

using test::fast_policy;

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
