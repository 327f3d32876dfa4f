#include "chaos/framework.hpp"

#include <functional>
#include <stdexcept>
#include <utility>

#include <mesos_actor/scheduler/operations.hpp>

namespace chaos {

namespace {

using mesos_actor::action;
using mesos_actor::scheduler_context;
using namespace std::chrono_literals;

/// A task that saw no terminal state for this long no longer blocks the next one
/// (the checker reports it if it never ends).
constexpr auto stuck_after = 30s;

std::uint64_t mix(std::uint64_t x) { // splitmix64: a run time per (seed, task number)
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

bool terminal(mesos::v1::TaskState s) {
  return s == mesos::v1::TASK_FINISHED || s == mesos::v1::TASK_FAILED ||
         s == mesos::v1::TASK_KILLED || s == mesos::v1::TASK_LOST || s == mesos::v1::TASK_ERROR ||
         s == mesos::v1::TASK_DROPPED || s == mesos::v1::TASK_GONE ||
         s == mesos::v1::TASK_GONE_BY_OPERATOR;
}

class chaos_framework : public mesos_actor::scheduler {
public:
  chaos_framework(std::shared_ptr<journal> j, run_settings& s, checker& c)
    : j_(std::move(j)), settings_(s), check_(c) {}

  caf::expected<mesos::v1::FrameworkInfo>
  init(const std::optional<std::string>& previous_id) override {
    {
      std::lock_guard<std::mutex> lk(j_->mu);
      ++j_->inits;
    }
    auto info = scheduler::init(previous_id);
    if (info) {
      info->set_name(j_->ref);
      info->set_failover_timeout(3600); // a restart is a failover, the tasks stay
      info->set_checkpoint(true);       // executors survive agent restarts
    }
    return info;
  }

  action registered(scheduler_context& ctx, const Event::Subscribed& s) override {
    subscribed(s, false);
    ctx.reconcile(); // learn the state of a task launched by a previous behaviour
    return action::keep;
  }

  action reregistered(scheduler_context& ctx, const Event::Subscribed& s) override {
    subscribed(s, true);
    ctx.reconcile();
    return action::keep;
  }

  action disconnected(scheduler_context&) override {
    std::lock_guard<std::mutex> lk(j_->mu);
    ++j_->disconnected;
    return action::keep;
  }

  action resource_offers(scheduler_context& ctx, const Event::Offers& offers) override {
    for (const auto& offer : offers.offers()) {
      if (offer.url().address().port() != j_->agent_port) {
        ctx.decline({offer.id()}, mesos_actor::refuse_filters(60)); // not our agent
        continue;
      }
      auto task = next_task();
      if (!task) {
        ctx.decline({offer.id()}, mesos_actor::refuse_filters(0.5));
        continue;
      }
      auto info = mesos_actor::command_task(*task, *task, offer.agent_id(), "",
                                            {mesos_actor::scalar_resource("cpus", 0.01),
                                             mesos_actor::scalar_resource("mem", 8)});
      info.clear_command();
      info.set_data("builtin:sleep=" + std::to_string(run_time_ms(*task)));
      info.mutable_executor()->mutable_executor_id()->set_value("chaos-executor");
      info.mutable_executor()->mutable_command()->set_value(settings_.executor_path);
      auto j = j_;
      auto id = *task;
      ctx.accept({offer.id()}, {mesos_actor::launch({info})}, mesos_actor::refuse_filters(0.5),
                 [j, id](scheduler_context&, const mesos_actor::call_outcome& out) {
                   if (!out.ok()) {
                     std::lock_guard<std::mutex> lk(j->mu);
                     ++j->accepts_failed;
                     if (j->live_task == id)
                       j->live_task.reset();
                   }
                   return action::keep;
                 });
    }
    return action::keep;
  }

  action status_update(scheduler_context& ctx, const Event::Update& u) override {
    const auto& status = u.status();
    check_.delivered(ctx.framework_id(), status);
    bool throw_now = false;
    {
      std::lock_guard<std::mutex> lk(j_->mu);
      if (terminal(status.state()) && j_->live_task == status.task_id().value())
        j_->live_task.reset();
      if (status.uuid().size() == 16)
        throw_now = std::exchange(j_->throw_in_next_update, false);
    }
    if (throw_now) // before the automatic ACKNOWLEDGE: Mesos must send it again
      throw std::runtime_error("chaos: status_update throws (injected)");
    return action::keep;
  }

  action handle_info(scheduler_context&, caf::message& msg) override {
    if (msg.match_elements<std::string>() && msg.get_as<std::string>(0) == throw_request)
      throw std::runtime_error("chaos: handle_info throws (injected)");
    return action::keep;
  }

private:
  void subscribed(const Event::Subscribed& s, bool again) {
    std::lock_guard<std::mutex> lk(j_->mu);
    const auto& id = s.framework_id().value();
    if (j_->first_id.empty())
      j_->first_id = id;
    j_->ids.insert(id);
    ++(again ? j_->reregistered : j_->registered);
  }

  std::optional<std::string> next_task() {
    if (settings_.draining.load())
      return std::nullopt;
    auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lk(j_->mu);
    if (j_->live_task && now - j_->live_since < stuck_after)
      return std::nullopt;
    auto id = j_->ref + "-t" + std::to_string(++j_->next_task);
    j_->live_task = id;
    j_->live_since = now;
    return id;
  }

  long long run_time_ms(const std::string& task) const {
    auto lo = settings_.task_min.count(), hi = settings_.task_max.count();
    auto r = mix(j_->seed ^ std::hash<std::string>{}(task));
    return lo + static_cast<long long>(r % static_cast<std::uint64_t>(hi - lo + 1));
  }

  std::shared_ptr<journal> j_;
  run_settings& settings_;
  checker& check_;
};

} // namespace

std::string journal::current_id() const {
  std::lock_guard<std::mutex> lk(mu);
  return first_id;
}

std::unique_ptr<mesos_actor::scheduler> make_framework(std::shared_ptr<journal> j,
                                                       run_settings& settings, checker& check) {
  return std::make_unique<chaos_framework>(std::move(j), settings, check);
}

} // namespace chaos
