// The executor endpoint's call validation and token claims (executor_call_checks.hpp).
#include "executor_call_checks.hpp"

#include "call_validation.hpp"

namespace mesos_actor::sim {

namespace {

using ExecutorCall = mesos::v1::executor::Call;

std::optional<std::string> validate_update(const ExecutorCall& call) {
  if (!call.has_update())
    return "Expecting 'update' to be present";
  const auto& status = call.update().status();
  if (!status.has_uuid())
    return "Expecting 'uuid' to be present";
  if (!valid_uuid(status.uuid()))
    return "Not a valid UUID";
  const auto& eid = call.executor_id().value();
  const auto& fid = call.framework_id().value();
  if (status.has_executor_id() && status.executor_id().value() != eid)
    return "ExecutorID in Call: " + eid
           + " does not match ExecutorID in TaskStatus: " + status.executor_id().value();
  if (status.source() != mesos::v1::TaskStatus::SOURCE_EXECUTOR)
    return "Received Call from executor " + eid + " of framework " + fid
           + " with invalid source, expecting 'SOURCE_EXECUTOR'";
  if (status.state() == mesos::v1::TASK_STAGING)
    return "Received TASK_STAGING from executor " + eid + " of framework " + fid
           + " which is not allowed";
  return std::nullopt;
}

// The principal as libprocess prints one that has claims only: its JSON.
std::string principal_text(const executor_claims& claims) {
  return "{\"claims\":{\"cid\":\"" + claims.container_id + "\",\"eid\":\"" + claims.executor_id
         + "\",\"fid\":\"" + claims.framework_id + "\"}}";
}

} // namespace

std::optional<std::string> validate_executor_call(const ExecutorCall& call) {
  // Required fields (ids, a status's task id and state) are checked by the decoder.
  if (!call.has_type())
    return "Expecting 'type' to be present";
  switch (call.type()) {
    case ExecutorCall::SUBSCRIBE:
      if (!call.has_subscribe())
        return "Expecting 'subscribe' to be present";
      return std::nullopt;
    case ExecutorCall::UPDATE:
      return validate_update(call);
    case ExecutorCall::MESSAGE:
      if (!call.has_message())
        return "Expecting 'message' to be present";
      return std::nullopt;
    default: // HEARTBEAT, and UNKNOWN (answered 501 after the lookups)
      return std::nullopt;
  }
}

std::optional<std::string> verify_executor_claims(const executor_claims& claims, const ExecutorCall& call,
                                                  const std::string& container_id) {
  auto who = "Authenticated principal '" + principal_text(claims) + "' does not contain ";
  if (claims.framework_id != call.framework_id().value())
    return who + "an 'fid' claim with the framework ID " + call.framework_id().value()
           + ", which is set in the call";
  if (claims.executor_id != call.executor_id().value())
    return who + "an 'eid' claim with the executor ID " + call.executor_id().value()
           + ", which is set in the call";
  if (claims.container_id != container_id)
    return who + "a 'cid' claim with the correct active ContainerID";
  return std::nullopt;
}

} // namespace mesos_actor::sim
