#include "mesos_actor/executor/behaviour.hpp"

namespace mesos_actor {

namespace {

void report(executor_context& ctx, const mesos::v1::TaskID& task, mesos::v1::TaskState state,
            const char* message) {
  mesos::v1::TaskStatus status;
  *status.mutable_task_id() = task;
  status.set_state(state);
  status.set_message(message);
  ctx.update(std::move(status));
}

} // namespace

action executor::init(executor_context&, call::Subscribe&) {
  return action::keep;
}

action executor::registered(executor_context&, const event::Subscribed&) {
  return action::keep;
}

action executor::reregistered(executor_context&, const event::Subscribed&) {
  return action::keep;
}

action executor::disconnected(executor_context&) {
  return action::keep;
}

action executor::reregister(executor_context&, call::Subscribe&) {
  return action::keep;
}

action executor::launch_task(executor_context& ctx, const event::Launch& launch) {
  report(ctx, launch.task().task_id(), mesos::v1::TASK_FAILED,
         "this executor does not implement launch_task");
  return action::keep;
}

action executor::launch_task_group(executor_context& ctx, const event::LaunchGroup& launch) {
  for (const auto& task : launch.task_group().tasks())
    report(ctx, task.task_id(), mesos::v1::TASK_FAILED,
           "this executor does not implement launch_task_group");
  return action::keep;
}

action executor::kill_task(executor_context& ctx, const event::Kill& kill) {
  report(ctx, kill.task_id(), mesos::v1::TASK_KILLED, "killed");
  return action::keep;
}

action executor::acknowledged(executor_context&, const event::Acknowledged&) {
  return action::keep;
}

action executor::framework_message(executor_context&, const event::Message&) {
  return action::keep;
}

action executor::error(executor_context&, const event::Error&) {
  return action::keep;
}

action executor::shutdown(executor_context&) {
  return action::stop;
}

action executor::handle_info(executor_context&, caf::message&) {
  return action::keep;
}

action executor::call_failed(executor_context&, const executor_call_outcome&) {
  return action::keep;
}

void executor::terminate(executor_context&, const caf::error&) {
  // Nothing to release by default.
}

} // namespace mesos_actor
