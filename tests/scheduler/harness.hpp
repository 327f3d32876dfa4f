#pragma once
// Test support for the scheduler tests: a behaviour that records every callback into
// a thread-safe log the test thread awaits with timeouts, hooks to act inside
// callbacks, and an actor system + simulator fixture.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/scheduler.hpp"
#include "mesos_actor/sim/cluster.hpp"

namespace test {

using namespace std::chrono_literals;
using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;

/// One callback as seen by the test thread.
struct entry {
  std::string name;     ///< "registered", "status_update", "terminate", ...
  std::string detail;   ///< a key datum (framework id, task id + state, error text...)
  Event event;          ///< the event, where there is one
  mesos_actor::call_outcome outcome;  ///< for call_failed / continuations
  caf::error reason;    ///< for terminate
};

class event_log {
public:
  void push(entry e);
  /// Waits until an entry named `name` (whose detail contains `detail_part`) exists
  /// at or after index `from`; returns it.
  std::optional<entry> wait(const std::string& name, std::chrono::milliseconds timeout = 10s,
                            const std::string& detail_part = {}, std::size_t from = 0);
  /// Waits until `pred(entries)` holds.
  bool wait_until(const std::function<bool(const std::vector<entry>&)>& pred,
                  std::chrono::milliseconds timeout = 10s);
  std::size_t count(const std::string& name) const;
  std::size_t size() const;
  std::vector<entry> snapshot() const;

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<entry> entries_;
};

/// Records every callback; the hooks let a test act inside callbacks (on the actor).
struct recording_scheduler : mesos_actor::scheduler {
  using ctx_t = mesos_actor::scheduler_context;
  using action = mesos_actor::action;

  explicit recording_scheduler(std::shared_ptr<event_log> log) : log(std::move(log)) {}

  std::shared_ptr<event_log> log;
  mesos::v1::FrameworkInfo info_template;   ///< user/name/failover_timeout used by init
  std::optional<std::string> seen_previous_id;
  std::function<action(ctx_t&, const Event::Subscribed&)> on_registered;
  std::function<action(ctx_t&, const Event::Subscribed&)> on_reregistered;
  std::function<action(ctx_t&, const Event::Offers&)> on_offers;
  std::function<action(ctx_t&, const Event::Update&)> on_update;
  std::function<action(ctx_t&, const caf::message&)> on_info;
  std::function<action(ctx_t&)> on_disconnected;

  caf::expected<mesos::v1::FrameworkInfo> init(const std::optional<std::string>& previous) override;
  action registered(ctx_t& ctx, const Event::Subscribed& s) override;
  action reregistered(ctx_t& ctx, const Event::Subscribed& s) override;
  action disconnected(ctx_t& ctx) override;
  action resource_offers(ctx_t& ctx, const Event::Offers& o) override;
  action inverse_offers(ctx_t& ctx, const Event::InverseOffers& o) override;
  action offer_rescinded(ctx_t& ctx, const Event::Rescind& r) override;
  action inverse_offer_rescinded(ctx_t& ctx, const Event::RescindInverseOffer& r) override;
  action status_update(ctx_t& ctx, const Event::Update& u) override;
  action operation_status_update(ctx_t& ctx, const Event::UpdateOperationStatus& u) override;
  action framework_message(ctx_t& ctx, const Event::Message& m) override;
  action agent_lost(ctx_t& ctx, const Event::Failure& f) override;
  action executor_lost(ctx_t& ctx, const Event::Failure& f) override;
  action error(ctx_t& ctx, const Event::Error& e) override;
  action handle_info(ctx_t& ctx, const caf::message& msg) override;
  action call_failed(ctx_t& ctx, const mesos_actor::call_outcome& o) override;
  void terminate(ctx_t& ctx, const caf::error& reason) override;
};

struct system_config : caf::actor_system_config {
  system_config();
};

/// Options that make tests fast: small timeouts and backoff, quiet logs.
mesos_actor::scheduler_options fast_options(std::vector<std::string> masters,
                                            mesos_actor::content_type ct);

/// Sim options with a short heartbeat and fast allocation.
mesos_actor::sim::cluster_options fast_cluster(std::size_t masters = 1);

/// Waits (bounded) for `actor` to exit; returns its exit reason, nullopt on timeout.
std::optional<caf::error> wait_exit(caf::actor_system& sys, const caf::actor& actor,
                                    std::chrono::milliseconds timeout = 10s);

/// The master requests (non-SUBSCRIBE or SUBSCRIBE) of a given call type.
std::vector<mesos_actor::sim::request_record> calls_of(const mesos_actor::sim::cluster& sim,
                                                       Call::Type type);

/// Waits until the simulator saw a call of `type` (answered); returns the last one.
std::optional<mesos_actor::sim::request_record>
wait_call(const mesos_actor::sim::cluster& sim, Call::Type type, std::chrono::milliseconds timeout = 10s,
          std::size_t min_count = 1);

} // namespace test
