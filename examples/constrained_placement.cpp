// constrained_placement: 100 tasks in three applications placed with offer matching
// (mesos_actor/offer_matching.hpp) on a simulated cluster of 10 agents that carry
// attributes, under Marathon-style constraints:
//   web    60 tasks  MAX_PER hostname 6           (six on every agent)
//   cache  10 tasks  UNIQUE hostname              (one per agent)
//   batch  30 tasks  UNLIKE zone b, MAX_PER rack 6 (zone a only: one agent per rack)
// Agents agent-0.sim ... agent-9.sim: rack r<i/2>, zone a for even i and b for odd i.
// Every task gets one port from the offer. The program waits until every task has
// finished, checks the constraints on where the tasks ran, prints one line per agent
// and exits 0 when all held (1 otherwise, or after --timeout SECONDS, default 90).
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "mesos_actor/offer_matching.hpp"
#include "mesos_actor/scheduler.hpp"
#include "mesos_actor/sim/cluster.hpp"
#include "mesos_actor/task_state.hpp"

namespace {

using namespace mesos_actor;
using Event = mesos::v1::scheduler::Event;

struct application {
  std::string name;
  int tasks;
  placement_group group;
  int next = 0; // next task index to place
};

struct where {
  std::string app, hostname, rack, zone;
  std::uint64_t port = 0;
};

struct outcome {
  std::map<std::string, where> placed; // task id -> where it ran
  int finished = 0;
  int failed = 0;
};

placement_group make_group(std::vector<constraint> cs) {
  auto g = placement_group::make(std::move(cs));
  if (!g) {
    std::cerr << describe(g.error()) << std::endl;
    std::exit(2);
  }
  return std::move(*g);
}

class placer : public scheduler {
public:
  explicit placer(std::shared_ptr<outcome> out) : out_(std::move(out)) {
    apps_.push_back({"web", 60, make_group({{"hostname", constraint::op::max_per, "6"}})});
    apps_.push_back({"cache", 10, make_group({{"hostname", constraint::op::unique, ""}})});
    apps_.push_back({"batch", 30, make_group({{"zone", constraint::op::unlike, "b"},
                                              {"rack", constraint::op::max_per, "6"}})});
    need_.scalars = *resources::parse("cpus:0.05;mem:16");
    need_.ports = 1;
  }

  action resource_offers(scheduler_context& ctx, const Event::Offers& offers) override {
    offer_plan plan(offers.offers(), placement_strategy::spread);
    for (const auto& e : plan.errors())
      std::cerr << "unusable offer: " << e << std::endl;
    for (auto& app : apps_) {
      while (app.next < app.tasks) {
        auto id = app.name + "-" + std::to_string(app.next);
        auto p = plan.place(need_, id, &app.group);
        if (!p)
          break; // the rest waits for the next offers
        const auto& offer = offers.offers(static_cast<int>(p->offer_index));
        out_->placed[id] = {app.name, p->hostname, agent_field(offer, "rack").value_or("?"),
                            agent_field(offer, "zone").value_or("?"), p->ports.at(0)};
        plan.launch(*p, command_task(id, app.name, p->agent_id, "true", {}));
        ++app.next;
      }
    }
    // What is left over is refused for a second; once all is placed, for longer.
    plan.finish(ctx, refuse_filters(1), refuse_filters(all_placed() ? 3600 : 1));
    return action::keep;
  }

  action status_update(scheduler_context& ctx, const Event::Update& u) override {
    const auto& s = u.status();
    if (!is_terminal(s.state()) || !ended_.insert(s.task_id().value()).second)
      return action::keep;
    if (s.state() == mesos::v1::TASK_FINISHED) {
      ++out_->finished;
    } else {
      ++out_->failed;
      std::cerr << s.task_id().value() << ": " << mesos::v1::TaskState_Name(s.state()) << " "
                << s.message() << std::endl;
    }
    if (static_cast<int>(ended_.size()) == total())
      ctx.teardown();
    return action::keep;
  }

private:
  int total() const {
    int n = 0;
    for (const auto& a : apps_)
      n += a.tasks;
    return n;
  }
  bool all_placed() const {
    for (const auto& a : apps_)
      if (a.next < a.tasks)
        return false;
    return true;
  }

  std::shared_ptr<outcome> out_;
  std::vector<application> apps_;
  task_requirements need_;
  std::set<std::string> ended_;
};

// The constraints, checked on where the tasks ran; returns the violations.
std::vector<std::string> check(const outcome& out) {
  std::vector<std::string> bad;
  std::map<std::string, std::map<std::string, int>> per_host, per_rack;
  std::set<std::uint64_t> ports_seen;
  for (const auto& [id, w] : out.placed) {
    ++per_host[w.app][w.hostname];
    ++per_rack[w.app][w.rack];
    if (w.app == "batch" && w.zone == "b")
      bad.push_back(id + " ran in zone b");
  }
  for (const auto& [host, n] : per_host["web"])
    if (n > 6)
      bad.push_back("web has " + std::to_string(n) + " tasks on " + host);
  for (const auto& [host, n] : per_host["cache"])
    if (n > 1)
      bad.push_back("cache has " + std::to_string(n) + " tasks on " + host);
  for (const auto& [rack, n] : per_rack["batch"])
    if (n > 6)
      bad.push_back("batch has " + std::to_string(n) + " tasks in rack " + rack);
  return bad;
}

} // namespace

int main(int argc, char** argv) {
  auto timeout = std::chrono::seconds{90};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--timeout" && i + 1 < argc && std::atoi(argv[i + 1]) > 0) {
      timeout = std::chrono::seconds{std::atoi(argv[++i])};
    } else {
      std::cerr << "usage: constrained_placement [--timeout SECONDS]" << std::endl;
      return 2;
    }
  }

  sim::cluster_options copts;
  copts.agents = 10;
  copts.allocation_interval = std::chrono::milliseconds(200);
  for (std::size_t i = 0; i < copts.agents; ++i) {
    sim::agent_resources a;
    a.hostname = "agent-" + std::to_string(i) + ".sim";
    a.attributes = {{"rack", "r" + std::to_string(i / 2)}, {"zone", i % 2 == 0 ? "a" : "b"}};
    copts.agent_overrides.push_back(a);
  }
  sim::cluster cluster(copts);
  cluster.start();

  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  scheduler_options opts;
  opts.master_hosts = cluster.master_urls();
  auto out = std::make_shared<outcome>();
  auto started = start_scheduler_actor(sys, std::make_unique<placer>(out), opts);
  if (!started) {
    std::cerr << "cannot start: " << describe(started.error()) << std::endl;
    return 1;
  }
  caf::scoped_actor self{sys};
  self->monitor(*started);
  bool ended = false;
  self->receive(
    [&](caf::down_msg& down) {
      ended = !down.reason;
      if (down.reason)
        std::cerr << "scheduler exited: " << describe(down.reason) << std::endl;
    },
    caf::after(timeout) >> [&] {
      std::cerr << "timeout after " << timeout.count() << " s" << std::endl;
      self->send_exit(*started, caf::exit_reason::user_shutdown);
      self->wait_for(*started);
    });

  std::map<std::string, std::map<std::string, int>> table; // host -> app -> tasks
  std::map<std::string, std::string> labels;
  for (const auto& [id, w] : out->placed) {
    ++table[w.hostname][w.app];
    labels[w.hostname] = "rack " + w.rack + ", zone " + w.zone;
  }
  for (const auto& [host, apps] : table) {
    std::cout << host << " (" << labels[host] << "):";
    for (const auto& [app, n] : apps)
      std::cout << " " << app << " " << n;
    std::cout << "\n";
  }
  auto violations = check(*out);
  for (const auto& v : violations)
    std::cout << "violation: " << v << "\n";
  std::cout << out->placed.size() << " placed, " << out->finished << " finished, " << out->failed
            << " failed" << std::endl;
  bool ok = ended && out->finished == 100 && out->failed == 0 && violations.empty();
  std::cout << (ok ? "success" : "failure") << std::endl;
  return ok ? 0 : 1;
}
