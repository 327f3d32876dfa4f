#include "support/recording_scheduler.hpp"

#include <caf/all.hpp>

namespace test {

namespace {

entry make_entry(std::string name, std::string detail = {}) {
  entry e;
  e.name = std::move(name);
  e.detail = std::move(detail);
  return e;
}

} // namespace

using action = mesos_actor::action;
using ctx_t = mesos_actor::scheduler_context;

caf::expected<mesos::v1::FrameworkInfo>
recording_scheduler::init(const std::optional<std::string>& previous) {
  seen_previous_id = previous;
  auto info = info_template;
  if (!info.has_user())
    info.set_user("tester");
  if (!info.has_name())
    info.set_name("scheduler-test");
  if (previous)
    info.mutable_id()->set_value(*previous);
  log->push(make_entry("init", previous.value_or("")));
  return info;
}

action recording_scheduler::registered(ctx_t& ctx, const Event::Subscribed& s) {
  auto e = make_entry("registered", s.framework_id().value());
  e.event.set_type(Event::SUBSCRIBED);
  *e.event.mutable_subscribed() = s;
  log->push(std::move(e));
  return on_registered ? on_registered(ctx, s) : action::keep;
}

action recording_scheduler::reregistered(ctx_t& ctx, const Event::Subscribed& s) {
  auto e = make_entry("reregistered", s.framework_id().value());
  e.event.set_type(Event::SUBSCRIBED);
  *e.event.mutable_subscribed() = s;
  log->push(std::move(e));
  return on_reregistered ? on_reregistered(ctx, s) : action::keep;
}

action recording_scheduler::disconnected(ctx_t& ctx) {
  log->push(make_entry("disconnected", ctx.framework_id()));
  return on_disconnected ? on_disconnected(ctx) : action::keep;
}

action recording_scheduler::resource_offers(ctx_t& ctx, const Event::Offers& o) {
  auto e = make_entry("resource_offers", o.offers_size() > 0 ? o.offers(0).id().value() : "");
  e.event.set_type(Event::OFFERS);
  *e.event.mutable_offers() = o;
  log->push(std::move(e));
  return on_offers ? on_offers(ctx, o) : action::keep;
}

action recording_scheduler::inverse_offers(ctx_t&, const Event::InverseOffers& o) {
  auto e = make_entry("inverse_offers");
  e.event.set_type(Event::INVERSE_OFFERS);
  *e.event.mutable_inverse_offers() = o;
  log->push(std::move(e));
  return action::keep;
}

action recording_scheduler::offer_rescinded(ctx_t&, const Event::Rescind& r) {
  log->push(make_entry("offer_rescinded", r.offer_id().value()));
  return action::keep;
}

action recording_scheduler::inverse_offer_rescinded(ctx_t&, const Event::RescindInverseOffer& r) {
  log->push(make_entry("inverse_offer_rescinded", r.inverse_offer_id().value()));
  return action::keep;
}

action recording_scheduler::status_update(ctx_t& ctx, const Event::Update& u) {
  auto e = make_entry("status_update", u.status().task_id().value() + " "
                                         + mesos::v1::TaskState_Name(u.status().state()));
  e.event.set_type(Event::UPDATE);
  *e.event.mutable_update() = u;
  log->push(std::move(e));
  return on_update ? on_update(ctx, u) : action::keep;
}

action recording_scheduler::operation_status_update(ctx_t&, const Event::UpdateOperationStatus& u) {
  auto e = make_entry("operation_status_update", u.status().operation_id().value());
  e.event.set_type(Event::UPDATE_OPERATION_STATUS);
  *e.event.mutable_update_operation_status() = u;
  log->push(std::move(e));
  return action::keep;
}

action recording_scheduler::framework_message(ctx_t&, const Event::Message& m) {
  log->push(make_entry("framework_message", m.data()));
  return action::keep;
}

action recording_scheduler::agent_lost(ctx_t&, const Event::Failure& f) {
  log->push(make_entry("agent_lost", f.agent_id().value()));
  return action::keep;
}

action recording_scheduler::executor_lost(ctx_t&, const Event::Failure& f) {
  log->push(make_entry("executor_lost", f.executor_id().value()));
  return action::keep;
}

action recording_scheduler::error(ctx_t&, const Event::Error& err) {
  log->push(make_entry("error", err.message()));
  return action::keep;
}

action recording_scheduler::handle_info(ctx_t& ctx, caf::message& msg) {
  auto e = make_entry("handle_info", caf::to_string(msg));
  if (msg.match_elements<Event>())
    e.event = msg.get_as<Event>(0);
  log->push(std::move(e));
  return on_info ? on_info(ctx, msg) : action::keep;
}

action recording_scheduler::call_failed(ctx_t&, const mesos_actor::call_outcome& o) {
  auto e = make_entry("call_failed", Call::Type_Name(o.type) + " " + mesos_actor::describe(o.error));
  e.outcome = o;
  log->push(std::move(e));
  return action::keep;
}

void recording_scheduler::terminate(ctx_t&, const caf::error& reason) {
  auto e = make_entry("terminate", mesos_actor::describe(reason));
  e.reason = reason;
  log->push(std::move(e));
}

} // namespace test
