// A fleet host as a process, for tests/fleet (so a test can kill -9 or SIGSTOP it):
// joins the fleet, registers factory "sleeper" (a framework that launches one long
// task on its first start and none after a failover), optionally declares refs, and
// prints one line per event on stdout until SIGTERM/SIGINT.
//
//   test_fleet_host --zk zk://127.0.0.1:PORT/x --path /fleet --name a --master URL
//                   [--capacity N] [--session-timeout-ms T] [--declare N] [--prefix fw]
//                   [--prefer REF=host1,host2]...
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include <unistd.h>

#include <mesos_actor/host.hpp>
#include <mesos_actor/scheduler.hpp>
#include <mesos_actor/scheduler/operations.hpp>

using namespace mesos_actor;

namespace {

std::mutex out_mtx;

void say(const std::string& line) {
  std::lock_guard<std::mutex> guard{out_mtx};
  std::cout << line << std::endl;
}

struct sleeper : scheduler {
  explicit sleeper(fleet_context c) : ctx_(std::move(c)) {}

  caf::expected<mesos::v1::FrameworkInfo> init(const std::optional<std::string>& previous) override {
    mesos::v1::FrameworkInfo info;
    info.set_user("nobody");
    info.set_name(ctx_.ref);
    info.set_failover_timeout(600);
    if (previous)
      info.mutable_id()->set_value(*previous);
    // A failover resumes the framework: its task already runs.
    launched_ = previous.has_value();
    return info;
  }

  action registered(scheduler_context&, const Event::Subscribed& s) override {
    say("SUBSCRIBED " + ctx_.ref + " " + s.framework_id().value() + " " + ctx_.host_name);
    return action::keep;
  }

  action reregistered(scheduler_context& ctx, const Event::Subscribed& s) override {
    return registered(ctx, s);
  }

  action resource_offers(scheduler_context& ctx, const Event::Offers& offers) override {
    for (auto& offer : offers.offers()) {
      if (launched_) {
        ctx.decline({offer.id()}, refuse_filters(600));
        continue;
      }
      launched_ = true;
      ctx.accept({offer.id()},
                 {launch({command_task(ctx_.ref + "-task", ctx_.ref, offer.agent_id(), "sleep 600",
                                       {scalar_resource("cpus", 0.01),
                                        scalar_resource("mem", 8)})})},
                 refuse_filters(600));
    }
    return action::keep;
  }

  fleet_context ctx_;
  bool launched_ = false;
};

volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }

} // namespace

int main(int argc, char** argv) {
  host_options o;
  std::string master;
  std::size_t declare = 0;
  std::string prefix = "fw";
  std::vector<std::pair<std::string, std::vector<std::string>>> prefer;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--zk")
      o.fleet.zookeeper = v;
    else if (k == "--path")
      o.fleet.path = v;
    else if (k == "--name")
      o.fleet.host_name = v;
    else if (k == "--capacity")
      o.fleet.capacity = std::stoul(v);
    else if (k == "--session-timeout-ms")
      o.fleet.session_timeout = std::chrono::milliseconds{std::stol(v)};
    else if (k == "--master")
      master = v;
    else if (k == "--declare")
      declare = std::stoul(v);
    else if (k == "--prefix")
      prefix = v;
    else if (k == "--prefer") {
      auto eq = v.find('=');
      std::vector<std::string> hosts;
      for (std::size_t s = eq + 1; s <= v.size();) {
        auto c = v.find(',', s);
        hosts.push_back(v.substr(s, c == std::string::npos ? std::string::npos : c - s));
        if (c == std::string::npos)
          break;
        s = c + 1;
      }
      prefer.emplace_back(v.substr(0, eq), hosts);
    } else {
      std::cerr << "unknown option " << k << "\n";
      return 2;
    }
  }
  o.logging.min_level = log_level::info;
  o.logging.sink = [](const log_entry& e) {
    if (e.component == "fleet" || e.event == "subscribe_refused")
      say("LOG " + e.event + " " + e.message);
  };
  o.on_event = [name = o.fleet.host_name](const host_event& e) {
    say("EVENT " + std::string{to_string(e.what)} + " " + e.ref + " " + name);
  };
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  try {
    host h{o};
    scheduler_options base;
    base.master_hosts = {master};
    base.backoff_max = std::chrono::milliseconds{1000};
    auto err = h.register_scheduler_factory(
      "sleeper", [](const fleet_context& c) { return std::make_unique<sleeper>(c); }, base);
    if (err) {
      std::cerr << "register: " << describe(err) << "\n";
      return 1;
    }
    restart_policy policy;
    policy.restart = supervisor::restart_type::permanent;
    policy.max_restarts = 10;
    for (std::size_t i = 0; i < declare; ++i) {
      auto ref = prefix + "-" + std::to_string(i);
      if (auto e = h.start_scheduler(ref, "sleeper", {}, policy)) {
        std::cerr << "declare " << ref << ": " << describe(e) << "\n";
        return 1;
      }
    }
    for (auto& [ref, hosts] : prefer)
      if (auto e = h.start_scheduler(ref, "sleeper", {}, policy, hosts)) {
        std::cerr << "declare " << ref << ": " << describe(e) << "\n";
        return 1;
      }
    say("READY " + o.fleet.host_name);
    while (stop_requested == 0)
      ::usleep(20000);
    say("STOPPING " + o.fleet.host_name);
  } catch (const std::exception& e) {
    std::cerr << "host: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
