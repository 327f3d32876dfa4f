#pragma once
// A scheduler behaviour that records every callback into a log the test thread awaits
// with timeouts, with hooks to act inside callbacks (on the actor's thread).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/scheduler.hpp"
#include "support/recording_log.hpp"

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

using event_log = recording_log<entry>;

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
  action handle_info(ctx_t& ctx, caf::message& msg) override;
  action call_failed(ctx_t& ctx, const mesos_actor::call_outcome& o) override;
  void terminate(ctx_t& ctx, const caf::error& reason) override;
};

} // namespace test
