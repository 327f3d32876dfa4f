#pragma once
// The scheduler behaviour (erl_mesos_scheduler in C++): override the callbacks that
// matter; each returns action::keep or action::stop ({ok,State} / {stop,State}).
// User state lives in the derived object and is only touched by the scheduler actor,
// so no locks are needed. A callback that throws stops the scheduler with
// errc::callback_exception (what() as detail); the process never crashes.

#include <optional>
#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/message.hpp>

#include <mesos/v1/mesos.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/action.hpp"
#include "mesos_actor/scheduler/call_outcome.hpp"
#include "mesos_actor/scheduler/context.hpp"

namespace mesos_actor {

/// The scheduler behaviour: override the callbacks of the events you handle (all default to action::keep).
struct scheduler {
  /// The Mesos v1 scheduler event.
  using Event = mesos::v1::scheduler::Event;

  virtual ~scheduler() = default;

  /// The FrameworkInfo to subscribe with, or an error to not start (exit reason).
  /// `previous_id`: the framework id known from a previous run (options.framework_id),
  /// to set in FrameworkInfo.id for a failover. Default: a framework named
  /// "mesos-actor" run as $USER (or "nobody"), with previous_id.
  virtual caf::expected<mesos::v1::FrameworkInfo> init(const std::optional<std::string>& previous_id);

  /// First SUBSCRIBED of this actor.
  virtual action registered(scheduler_context&, const Event::Subscribed&) { return action::keep; }
  /// Every later SUBSCRIBED (after a disconnection).
  virtual action reregistered(scheduler_context&, const Event::Subscribed&) { return action::keep; }
  /// The subscription was lost (stream ended, heartbeats missing); resubscription follows.
  virtual action disconnected(scheduler_context&) { return action::keep; }

  /// OFFERS: resources to accept or decline.
  virtual action resource_offers(scheduler_context&, const Event::Offers&) { return action::keep; }
  /// INVERSE_OFFERS: maintenance asks for resources back.
  virtual action inverse_offers(scheduler_context&, const Event::InverseOffers&) { return action::keep; }
  /// RESCIND: an offer is no longer valid.
  virtual action offer_rescinded(scheduler_context&, const Event::Rescind&) { return action::keep; }
  /// RESCIND_INVERSE_OFFER: an inverse offer is no longer valid.
  virtual action inverse_offer_rescinded(scheduler_context&, const Event::RescindInverseOffer&) {
    return action::keep;
  }
  /// With auto_acknowledge (default) the update is acknowledged after this returns
  /// if it carries a uuid and was not acknowledged through the context already.
  virtual action status_update(scheduler_context&, const Event::Update&) { return action::keep; }
  /// UPDATE_OPERATION_STATUS: an offer operation changed state.
  virtual action operation_status_update(scheduler_context&, const Event::UpdateOperationStatus&) {
    return action::keep;
  }
  /// MESSAGE: data sent by one of the framework's executors.
  virtual action framework_message(scheduler_context&, const Event::Message&) { return action::keep; }
  /// FAILURE without executor_id (erl_mesos slave_lost).
  virtual action agent_lost(scheduler_context&, const Event::Failure&) { return action::keep; }
  /// FAILURE with executor_id.
  virtual action executor_lost(scheduler_context&, const Event::Failure&) { return action::keep; }
  /// ERROR event. The stream is dead afterwards (Mesos semantics): the actor stops
  /// after this callback with framework_failed_over / subscription_refused / master_error.
  virtual action error(scheduler_context&, const Event::Error&) { return action::keep; }
  /// Any other message sent to the actor, and events of unknown type (as the
  /// raw mesos::v1::scheduler::Event). Not const, as for the executor: CAF 0.17's
  /// message::apply needs a mutable message.
  virtual action handle_info(scheduler_context&, caf::message&) { return action::keep; }
  /// A call without continuation did not succeed.
  virtual action call_failed(scheduler_context&, const call_outcome&) { return action::keep; }
  /// Last callback; `reason` is the actor's exit reason (empty = normal).
  virtual void terminate(scheduler_context&, const caf::error& /*reason*/) {}
};

} // namespace mesos_actor
