#pragma once
// A simulator and helpers shared by the host tests: a scheduler behaviour that records
// its life in a shared journal, and a recorder of host events with bounded waits.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <mesos_actor/host.hpp>
#include <mesos_actor/sim/cluster.hpp>

#include "support/fast_options.hpp"
#include "support/wait.hpp"

namespace host_test {

using namespace std::chrono_literals;

using test::waitable;

/// What every behaviour made by one factory lived through.
struct journal : waitable {
  int inits = 0;
  int registered = 0;
  int reregistered = 0;
  int terminated = 0;
  std::vector<std::optional<std::string>> previous_ids; ///< init's argument, per start
  std::vector<caf::error> terminate_reasons;
};

/// Messages the test sends to a scheduler actor (handled in handle_info).
inline const std::string throw_now = "throw";
inline const std::string stop_now = "stop";

class journaling_scheduler : public mesos_actor::scheduler {
public:
  explicit journaling_scheduler(std::shared_ptr<journal> j) : j_(std::move(j)) {}

  caf::expected<mesos::v1::FrameworkInfo>
  init(const std::optional<std::string>& previous_id) override {
    j_->update([&] {
      ++j_->inits;
      j_->previous_ids.push_back(previous_id);
    });
    auto info = scheduler::init(previous_id);
    if (info)
      info->set_failover_timeout(3600); // the master keeps the framework for a failover
    return info;
  }
  mesos_actor::action registered(mesos_actor::scheduler_context&,
                                 const Event::Subscribed&) override {
    j_->update([&] { ++j_->registered; });
    return mesos_actor::action::keep;
  }
  mesos_actor::action reregistered(mesos_actor::scheduler_context&,
                                   const Event::Subscribed&) override {
    j_->update([&] { ++j_->reregistered; });
    return mesos_actor::action::keep;
  }
  mesos_actor::action handle_info(mesos_actor::scheduler_context&,
                                  caf::message& msg) override {
    if (msg.match_elements<std::string>()) {
      auto& what = msg.get_as<std::string>(0);
      if (what == throw_now)
        throw std::runtime_error("deliberate failure");
      if (what == stop_now)
        return mesos_actor::action::stop;
    }
    return mesos_actor::action::keep;
  }
  void terminate(mesos_actor::scheduler_context&, const caf::error& reason) override {
    j_->update([&] {
      ++j_->terminated;
      j_->terminate_reasons.push_back(reason);
    });
  }

private:
  std::shared_ptr<journal> j_;
};

inline mesos_actor::scheduler_factory factory_for(std::shared_ptr<journal> j) {
  return [j] { return std::make_unique<journaling_scheduler>(j); };
}

/// Host events, in order.
struct event_recorder : waitable {
  std::vector<mesos_actor::host_event> events;

  mesos_actor::host_listener listener() {
    return [this](const mesos_actor::host_event& ev) { update([&] { events.push_back(ev); }); };
  }
  std::size_t count(const std::string& ref, mesos_actor::host_event_kind what) {
    std::size_t n = 0;
    for (auto& ev : events)
      if (ev.ref == ref && ev.what == what)
        ++n;
    return n;
  }
  bool wait_count(const std::string& ref, mesos_actor::host_event_kind what, std::size_t n,
                  std::chrono::milliseconds timeout = 10s) {
    return wait_for([&] { return count(ref, what) >= n; }, timeout);
  }
};

/// The common fast options without agents and with a 100 ms heartbeat.
inline mesos_actor::sim::cluster_options fast_cluster() {
  auto o = test::fast_cluster();
  o.agents = 0;
  o.heartbeat_interval = 100ms;
  return o;
}

using test::fast_options;
using test::fast_policy;

/// The row of `ref` in rows, if any.
inline std::optional<mesos_actor::framework_row>
row_of(const std::vector<mesos_actor::framework_row>& rows, const std::string& ref) {
  for (auto& r : rows)
    if (r.ref == ref)
      return r;
  return std::nullopt;
}

struct fixture {
  fixture() { cluster.start(); }
  mesos_actor::sim::cluster cluster{fast_cluster()};
  event_recorder events;

  mesos_actor::host_options host_opts() {
    mesos_actor::host_options o;
    o.on_event = events.listener();
    o.logging.min_level = mesos_actor::log_level::off; // the host's own entries too
    return o;
  }
  mesos_actor::scheduler_options options() { return fast_options(cluster.master_urls()); }

  /// Waits until the host reports a framework id for ref and the simulator shows it
  /// subscribed; returns that id (empty on timeout).
  std::string wait_subscribed(mesos_actor::host& h, const std::string& ref,
                              std::chrono::milliseconds timeout = 10s) {
    std::string id;
    cluster.wait_for(
      [&] {
        auto row = row_of(h.which_schedulers(), ref);
        if (!row || row->framework_id.empty())
          return false;
        auto fw = cluster.framework(row->framework_id);
        if (fw && fw->subscribed)
          id = row->framework_id;
        return !id.empty();
      },
      timeout);
    return id;
  }

  /// Heartbeats the simulator has written to framework `id`'s streams so far.
  std::size_t heartbeats(const std::string& id) {
    std::size_t n = 0;
    for (auto& ev : cluster.events(id))
      if (ev.event.type() == mesos::v1::scheduler::Event::HEARTBEAT)
        ++n;
    return n;
  }
};

} // namespace host_test
