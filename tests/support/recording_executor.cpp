#include "support/recording_executor.hpp"

#include "support/wait.hpp"

namespace test {

using mesos_actor::action;

action recording_executor::init(ctx_t& ctx, call::Subscribe& s) {
  log->push({"init", ctx.executor_id(), {}, {}});
  return on_init ? on_init(ctx, s) : action::keep;
}

action recording_executor::registered(ctx_t& ctx, const event::Subscribed& s) {
  log->push({"registered", s.agent_info().id().value(), {}, {}});
  return on_registered ? on_registered(ctx, s) : action::keep;
}

action recording_executor::reregistered(ctx_t&, const event::Subscribed& s) {
  log->push({"reregistered", s.agent_info().id().value(), {}, {}});
  return action::keep;
}

action recording_executor::disconnected(ctx_t& ctx) {
  log->push({"disconnected", {}, {}, {}});
  return on_disconnected ? on_disconnected(ctx) : action::keep;
}

action recording_executor::reregister(ctx_t&, call::Subscribe& s) {
  log->push({"reregister",
             std::to_string(s.unacknowledged_tasks_size()) + " tasks, "
               + std::to_string(s.unacknowledged_updates_size()) + " updates",
             {}, {}});
  return action::keep;
}

action recording_executor::launch_task(ctx_t& ctx, const event::Launch& l) {
  log->push({"launch_task", l.task().task_id().value(), {}, {}});
  return on_launch ? on_launch(ctx, l) : action::keep;
}

action recording_executor::launch_task_group(ctx_t& ctx, const event::LaunchGroup& l) {
  std::string ids;
  for (auto& t : l.task_group().tasks())
    ids += t.task_id().value() + " ";
  log->push({"launch_task_group", ids, {}, {}});
  return on_launch_group ? on_launch_group(ctx, l) : action::keep;
}

action recording_executor::kill_task(ctx_t& ctx, const event::Kill& k) {
  log->push({"kill_task", k.task_id().value(), {}, {}});
  return on_kill ? on_kill(ctx, k) : mesos_actor::executor::kill_task(ctx, k);
}

action recording_executor::acknowledged(ctx_t&, const event::Acknowledged& a) {
  log->push({"acknowledged", a.task_id().value(), {}, {}});
  return action::keep;
}

action recording_executor::framework_message(ctx_t& ctx, const event::Message& m) {
  log->push({"framework_message", m.data(), {}, {}});
  return on_message ? on_message(ctx, m) : action::keep;
}

action recording_executor::error(ctx_t& ctx, const event::Error& e) {
  log->push({"error", e.message(), {}, {}});
  return on_error ? on_error(ctx, e) : action::keep;
}

action recording_executor::shutdown(ctx_t& ctx) {
  log->push({"shutdown", {}, {}, {}});
  return on_shutdown ? on_shutdown(ctx) : action::stop;
}

action recording_executor::handle_info(ctx_t& ctx, caf::message& msg) {
  log->push({"handle_info", caf::to_string(msg), {}, {}});
  return on_info ? on_info(ctx, msg) : action::keep;
}

action recording_executor::call_failed(ctx_t&, const mesos_actor::executor_call_outcome& o) {
  log->push({"call_failed", mesos_actor::describe(o.error), o.error, o.call, o.result, o.http_status});
  return action::keep;
}

void recording_executor::terminate(ctx_t&, const caf::error& reason) {
  log->push({"terminate", mesos_actor::describe(reason), reason, {}});
}

std::optional<caf::error> system_fixture::wait_down(const caf::actor& a,
                                                    std::chrono::milliseconds timeout) {
  return wait_exit(*sys, a, timeout);
}

mesos::v1::TaskStatus status_of(const std::string& task, mesos::v1::TaskState state) {
  mesos::v1::TaskStatus s;
  s.mutable_task_id()->set_value(task);
  s.set_state(state);
  return s;
}

mesos::v1::TaskInfo task_info(const std::string& task) {
  mesos::v1::TaskInfo t;
  t.set_name(task);
  t.mutable_task_id()->set_value(task);
  t.mutable_agent_id()->set_value("agent-1");
  return t;
}

} // namespace test
