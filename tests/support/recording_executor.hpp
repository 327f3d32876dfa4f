#pragma once
// An executor behaviour that records every callback into a log the test thread awaits
// with timeouts, with hooks to act inside callbacks (on the actor's thread).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/executor.hpp"
#include "support/fast_options.hpp"
#include "support/recording_log.hpp"

namespace test {

using namespace std::chrono_literals;

struct callback_entry {
  std::string name;    ///< "registered", "launch_task", "terminate", ...
  std::string detail;  ///< task id, message data, error text ...
  caf::error reason;   ///< call_failed / terminate
  mesos::v1::executor::Call call;  ///< call_failed
  mesos_actor::call_status result = mesos_actor::call_status::accepted;  ///< call_failed
  int http_status = 0;             ///< call_failed: the agent's answer, 0 = none
};

using callback_log = recording_log<callback_entry>;

struct recording_executor : mesos_actor::executor {
  using ctx_t = mesos_actor::executor_context;
  using action = mesos_actor::action;

  explicit recording_executor(std::shared_ptr<callback_log> log) : log(std::move(log)) {}

  std::shared_ptr<callback_log> log;
  std::function<action(ctx_t&, const event::Launch&)> on_launch;
  std::function<action(ctx_t&, const event::LaunchGroup&)> on_launch_group;
  std::function<action(ctx_t&, const event::Kill&)> on_kill;
  std::function<action(ctx_t&, const event::Message&)> on_message;
  std::function<action(ctx_t&, const event::Subscribed&)> on_registered;
  std::function<action(ctx_t&)> on_shutdown;
  std::function<action(ctx_t&)> on_disconnected;
  std::function<action(ctx_t&, caf::message&)> on_info;
  std::function<action(ctx_t&, call::Subscribe&)> on_init;

  action init(ctx_t& ctx, call::Subscribe& s) override;
  action registered(ctx_t& ctx, const event::Subscribed& s) override;
  action reregistered(ctx_t& ctx, const event::Subscribed& s) override;
  action disconnected(ctx_t& ctx) override;
  action reregister(ctx_t& ctx, call::Subscribe& s) override;
  action launch_task(ctx_t& ctx, const event::Launch& l) override;
  action launch_task_group(ctx_t& ctx, const event::LaunchGroup& l) override;
  action kill_task(ctx_t& ctx, const event::Kill& k) override;
  action acknowledged(ctx_t& ctx, const event::Acknowledged& a) override;
  action framework_message(ctx_t& ctx, const event::Message& m) override;
  std::function<action(ctx_t&, const event::Error&)> on_error;
  action error(ctx_t& ctx, const event::Error& e) override;
  action shutdown(ctx_t& ctx) override;
  action handle_info(ctx_t& ctx, caf::message& msg) override;
  action call_failed(ctx_t& ctx, const mesos_actor::executor_call_outcome& o) override;
  void terminate(ctx_t& ctx, const caf::error& reason) override;
};

/// An actor system with the "mesos" error category, plus a way to await an actor's end.
struct system_fixture {
  system_config cfg;
  std::unique_ptr<caf::actor_system> sys = std::make_unique<caf::actor_system>(cfg);

  /// Waits for `a` to end; nullopt on timeout, else its exit reason.
  std::optional<caf::error> wait_down(const caf::actor& a, std::chrono::milliseconds timeout);
};

/// A TaskStatus for `task` in `state`.
mesos::v1::TaskStatus status_of(const std::string& task, mesos::v1::TaskState state);
/// A TaskInfo with id `task`.
mesos::v1::TaskInfo task_info(const std::string& task);

} // namespace test
