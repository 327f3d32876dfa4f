// The typed calls of scheduler_context: each builds one Call and hands it to send().
#include "mesos_actor/scheduler/context.hpp"

namespace mesos_actor {

using mesos::v1::scheduler::Call;

namespace {

template <class Ids, class Field>
void add_ids(const Ids& ids, Field* field) {
  for (auto& id : ids)
    *field->Add() = id;
}

} // namespace

call_id scheduler_context::teardown(call_continuation k) {
  Call call;
  call.set_type(Call::TEARDOWN);
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::accept(const std::vector<mesos::v1::OfferID>& offer_ids,
                                  const std::vector<mesos::v1::Offer::Operation>& operations,
                                  const std::optional<mesos::v1::Filters>& filters,
                                  call_continuation k) {
  Call call;
  call.set_type(Call::ACCEPT);
  auto* body = call.mutable_accept();
  add_ids(offer_ids, body->mutable_offer_ids());
  add_ids(operations, body->mutable_operations());
  if (filters)
    *body->mutable_filters() = *filters;
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::decline(const std::vector<mesos::v1::OfferID>& offer_ids,
                                   const std::optional<mesos::v1::Filters>& filters,
                                   call_continuation k) {
  Call call;
  call.set_type(Call::DECLINE);
  auto* body = call.mutable_decline();
  add_ids(offer_ids, body->mutable_offer_ids());
  if (filters)
    *body->mutable_filters() = *filters;
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::accept_inverse_offers(const std::vector<mesos::v1::OfferID>& ids,
                                                 const std::optional<mesos::v1::Filters>& filters,
                                                 call_continuation k) {
  Call call;
  call.set_type(Call::ACCEPT_INVERSE_OFFERS);
  auto* body = call.mutable_accept_inverse_offers();
  add_ids(ids, body->mutable_inverse_offer_ids());
  if (filters)
    *body->mutable_filters() = *filters;
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::decline_inverse_offers(const std::vector<mesos::v1::OfferID>& ids,
                                                  const std::optional<mesos::v1::Filters>& filters,
                                                  call_continuation k) {
  Call call;
  call.set_type(Call::DECLINE_INVERSE_OFFERS);
  auto* body = call.mutable_decline_inverse_offers();
  add_ids(ids, body->mutable_inverse_offer_ids());
  if (filters)
    *body->mutable_filters() = *filters;
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::revive(const std::vector<std::string>& roles, call_continuation k) {
  Call call;
  call.set_type(Call::REVIVE);
  auto* body = call.mutable_revive();
  add_ids(roles, body->mutable_roles());
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::suppress(const std::vector<std::string>& roles, call_continuation k) {
  Call call;
  call.set_type(Call::SUPPRESS);
  auto* body = call.mutable_suppress();
  add_ids(roles, body->mutable_roles());
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::kill(const mesos::v1::TaskID& task_id,
                                const std::optional<mesos::v1::AgentID>& agent_id,
                                const std::optional<mesos::v1::KillPolicy>& kill_policy,
                                call_continuation k) {
  Call call;
  call.set_type(Call::KILL);
  auto* body = call.mutable_kill();
  *body->mutable_task_id() = task_id;
  if (agent_id)
    *body->mutable_agent_id() = *agent_id;
  if (kill_policy)
    *body->mutable_kill_policy() = *kill_policy;
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::shutdown(const mesos::v1::ExecutorID& executor_id,
                                    const mesos::v1::AgentID& agent_id, call_continuation k) {
  Call call;
  call.set_type(Call::SHUTDOWN);
  auto* body = call.mutable_shutdown();
  *body->mutable_executor_id() = executor_id;
  *body->mutable_agent_id() = agent_id;
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::acknowledge(const mesos::v1::AgentID& agent_id,
                                       const mesos::v1::TaskID& task_id, const std::string& uuid,
                                       call_continuation k) {
  Call call;
  call.set_type(Call::ACKNOWLEDGE);
  auto* body = call.mutable_acknowledge();
  *body->mutable_agent_id() = agent_id;
  *body->mutable_task_id() = task_id;
  body->set_uuid(uuid);
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::acknowledge(const mesos::v1::TaskStatus& status, call_continuation k) {
  // Updates without uuid (reconciliation answers, some master-made updates) must
  // not be acknowledged (PROTOCOL.md section 12).
  if (!status.has_uuid() || !status.has_agent_id())
    return 0;
  return acknowledge(status.agent_id(), status.task_id(), status.uuid(), std::move(k));
}

call_id scheduler_context::acknowledge_operation_status(
  const mesos::v1::AgentID& agent_id, const mesos::v1::ResourceProviderID* resource_provider_id,
  const std::string& uuid, const mesos::v1::OperationID& operation_id, call_continuation k) {
  Call call;
  call.set_type(Call::ACKNOWLEDGE_OPERATION_STATUS);
  auto* body = call.mutable_acknowledge_operation_status();
  *body->mutable_agent_id() = agent_id;
  if (resource_provider_id != nullptr)
    *body->mutable_resource_provider_id() = *resource_provider_id;
  body->set_uuid(uuid);
  *body->mutable_operation_id() = operation_id;
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::reconcile(const std::vector<Call::Reconcile::Task>& tasks,
                                     call_continuation k) {
  Call call;
  call.set_type(Call::RECONCILE);
  auto* body = call.mutable_reconcile();
  add_ids(tasks, body->mutable_tasks());
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::reconcile_tasks(
  const std::vector<std::pair<mesos::v1::TaskID, std::optional<mesos::v1::AgentID>>>& tasks,
  call_continuation k) {
  std::vector<Call::Reconcile::Task> list;
  for (auto& [task_id, agent_id] : tasks) {
    Call::Reconcile::Task t;
    *t.mutable_task_id() = task_id;
    if (agent_id)
      *t.mutable_agent_id() = *agent_id;
    list.push_back(std::move(t));
  }
  return reconcile(list, std::move(k));
}

call_id scheduler_context::reconcile_operations(
  const std::vector<Call::ReconcileOperations::Operation>& ops, call_continuation k) {
  Call call;
  call.set_type(Call::RECONCILE_OPERATIONS);
  auto* body = call.mutable_reconcile_operations();
  add_ids(ops, body->mutable_operations());
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::message(const mesos::v1::AgentID& agent_id,
                                   const mesos::v1::ExecutorID& executor_id,
                                   const std::string& data, call_continuation k) {
  Call call;
  call.set_type(Call::MESSAGE);
  auto* body = call.mutable_message();
  *body->mutable_agent_id() = agent_id;
  *body->mutable_executor_id() = executor_id;
  body->set_data(data);
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::request(const std::vector<mesos::v1::Request>& requests,
                                   call_continuation k) {
  Call call;
  call.set_type(Call::REQUEST);
  add_ids(requests, call.mutable_request()->mutable_requests());
  return send(std::move(call), std::move(k));
}

call_id scheduler_context::update_framework(const mesos::v1::FrameworkInfo& info,
                                            const std::vector<std::string>& suppressed_roles,
                                            call_continuation k) {
  Call call;
  call.set_type(Call::UPDATE_FRAMEWORK);
  auto* body = call.mutable_update_framework();
  *body->mutable_framework_info() = info;
  if (!info.has_id() && !framework_id().empty())
    body->mutable_framework_info()->mutable_id()->set_value(framework_id());
  add_ids(suppressed_roles, body->mutable_suppressed_roles());
  return send(std::move(call), std::move(k));
}

} // namespace mesos_actor
