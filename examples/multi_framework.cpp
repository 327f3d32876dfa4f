// multi_framework: one mesos_actor::host running every framework listed in a config
// file, each under its own restart policy. It shows OTP-style isolation: the
// deliberately misbehaving framework of config/frameworks.ini ("flaky") throws from
// a callback, is restarted with a fresh behaviour and the SAME framework id (Mesos
// sees a failover), and is finally given up when it exceeds its restart intensity,
// while the other frameworks keep their subscription (same stream, heartbeats and
// offers flowing). Restarts are printed as they happen; a table at the end.
//
// Build and run from the repository root:
//   cmake --build build --target multi_framework && build/examples/multi_framework
//
//   multi_framework                                   # config/frameworks.ini, embedded simulator
//   multi_framework --config FILE --duration SECONDS  # default 8 s
//   multi_framework --master HOST:PORT[,HOST:PORT]    # a real cluster for entries without master-hosts
//
// Exits 0 after the bounded run when the config was valid and every framework that
// was not meant to misbehave is still running; 1 otherwise, 2 on usage errors.
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include <mesos_actor/config_file.hpp>
#include <mesos_actor/errors.hpp>
#include <mesos_actor/host.hpp>
#include <mesos_actor/sim/cluster.hpp>
#include <supervisor/errors.hpp>

#ifndef MESOS_ACTOR_SOURCE_DIR
#define MESOS_ACTOR_SOURCE_DIR "."
#endif

namespace {

using namespace std::chrono_literals;
using mesos_actor::action;
using mesos_actor::scheduler_context;

std::mutex print_mtx;

template <class... Ts>
void say(const Ts&... xs) {
  std::lock_guard<std::mutex> guard{print_mtx};
  (std::cout << ... << xs) << std::endl;
}

const std::string misbehave = "misbehave";

// Declines every offer; optionally throws a while after each subscription.
class demo_scheduler : public mesos_actor::scheduler {
public:
  demo_scheduler(std::string ref, std::string role, double failover_timeout,
                 std::chrono::milliseconds throw_after)
    : ref_(std::move(ref)), role_(std::move(role)), failover_timeout_(failover_timeout),
      throw_after_(throw_after) {}

  caf::expected<mesos::v1::FrameworkInfo>
  init(const std::optional<std::string>& previous_id) override {
    auto info = scheduler::init(previous_id);
    if (info) {
      info->set_name("multi_framework/" + ref_);
      info->add_roles(role_);
      info->add_capabilities()->set_type(mesos::v1::FrameworkInfo::Capability::MULTI_ROLE);
      info->set_failover_timeout(failover_timeout_);
    }
    return info;
  }
  action registered(scheduler_context& s, const Event::Subscribed& e) override {
    say("[", ref_, "] subscribed as ", e.framework_id().value());
    arm(s);
    return action::keep;
  }
  action reregistered(scheduler_context& s, const Event::Subscribed& e) override {
    say("[", ref_, "] resubscribed as ", e.framework_id().value());
    arm(s);
    return action::keep;
  }
  action resource_offers(scheduler_context& s, const Event::Offers& e) override {
    std::vector<mesos::v1::OfferID> ids;
    for (auto& o : e.offers())
      ids.push_back(o.id());
    mesos::v1::Filters f;
    f.set_refuse_seconds(1);
    s.decline(ids, f);
    return action::keep;
  }
  action handle_info(scheduler_context&, caf::message& msg) override {
    if (msg.match_elements<std::string>() && msg.get_as<std::string>(0) == misbehave)
      throw std::runtime_error("simulated bug in " + ref_);
    return action::keep;
  }

private:
  void arm(scheduler_context& s) {
    if (throw_after_.count() > 0)
      caf::delayed_anon_send(caf::actor_cast<caf::actor>(s.self()), throw_after_, misbehave);
  }

  std::string ref_;
  std::string role_;
  double failover_timeout_;
  std::chrono::milliseconds throw_after_;
};

// The demo's own settings of a framework: its [framework.REF.app] keys.
struct demo_settings {
  std::string role = "*";
  double failover_timeout_s = 3600;
  std::chrono::milliseconds throw_after{0};
};

// Reads `fw.app`; an error names the file, line and key.
std::string read_demo_settings(const std::string& path, const mesos_actor::framework_config& fw,
                               demo_settings& out) {
  for (const auto& [key, value] : fw.app) {
    auto where = path + ":" + std::to_string(value.line) + ": [framework." + fw.ref + ".app] " + key;
    const auto& text = value.text;
    long long n = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    bool whole = ec == std::errc{} && end == text.data() + text.size() && n >= 0;
    if (key == "role") {
      if (text.empty())
        return where + ": must not be empty";
      out.role = text;
    } else if (key == "failover-timeout-s") {
      if (!whole)
        return where + ": expected whole seconds >= 0";
      out.failover_timeout_s = static_cast<double>(n);
    } else if (key == "throw-after-ms") {
      if (!whole)
        return where + ": expected milliseconds >= 0";
      out.throw_after = std::chrono::milliseconds{n};
    } else {
      return where + ": unknown key (role, failover-timeout-s, throw-after-ms)";
    }
  }
  return {};
}

struct cli {
  std::string config = MESOS_ACTOR_SOURCE_DIR "/config/frameworks.ini";
  std::vector<std::string> masters;
  std::chrono::seconds duration{8};
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= s.size()) {
    auto e = s.find(',', b);
    if (e == std::string::npos)
      e = s.size();
    if (e > b)
      out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

bool parse_cli(int argc, char** argv, cli& c) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc)
      return false;
    std::string v = argv[++i];
    if (a == "--config") {
      c.config = v;
    } else if (a == "--master") {
      c.masters = split(v);
    } else if (a == "--duration") {
      char* end = nullptr;
      auto n = std::strtol(v.c_str(), &end, 10);
      if (*end != '\0' || n <= 0 || n > 3600)
        return false;
      c.duration = std::chrono::seconds{n};
    } else {
      return false;
    }
  }
  return true;
}

} // namespace

int main(int argc, char** argv) {
  cli args;
  if (!parse_cli(argc, argv, args)) {
    std::cerr << "usage: multi_framework [--config FILE] [--master HOST:PORT[,...]] "
                 "[--duration SECONDS]\n";
    return 2;
  }
  // The embedded simulator serves every framework without master-hosts.
  std::unique_ptr<mesos_actor::sim::cluster> sim;
  mesos_actor::scheduler_options defaults;
  defaults.master_hosts = args.masters;
  defaults.logging.min_level = mesos_actor::log_level::off;
  if (defaults.master_hosts.empty()) {
    mesos_actor::sim::cluster_options so;
    so.heartbeat_interval = 1s;
    so.allocation_interval = 200ms;
    sim = std::make_unique<mesos_actor::sim::cluster>(so);
    sim->start();
    defaults.master_hosts = sim->master_urls();
    say("embedded simulator at ", defaults.master_hosts[0]);
  }
  auto frameworks = mesos_actor::load_frameworks_config(args.config, defaults);
  if (!frameworks) {
    std::cerr << "multi_framework: " << mesos_actor::describe(frameworks.error()) << '\n';
    return 1;
  }
  std::vector<demo_settings> settings(frameworks->size());
  for (std::size_t i = 0; i < frameworks->size(); ++i) {
    if (auto err = read_demo_settings(args.config, (*frameworks)[i], settings[i]); !err.empty()) {
      std::cerr << "multi_framework: " << err << '\n';
      return 1;
    }
  }

  mesos_actor::host_options ho;
  ho.on_event = [](const mesos_actor::host_event& ev) {
    using k = mesos_actor::host_event_kind;
    switch (ev.what) {
      case k::exited:
        say("[", ev.ref, "] exited: ", mesos_actor::describe(ev.reason));
        break;
      case k::restarted:
        say("[", ev.ref, "] RESTARTED (restart #", ev.restarts, ")");
        break;
      case k::start_failed:
        say("[", ev.ref, "] restart failed: ", supervisor::describe(ev.reason));
        break;
      case k::gave_up:
        say("[", ev.ref, "] GIVEN UP: restart intensity exceeded");
        break;
      case k::started:
      case k::stopped:
      case k::acquired: // the fleet kinds: this example runs no fleet, but say them all
      case k::lost:
      case k::fenced:
      case k::taken_over:
        say("[", ev.ref, "] ", mesos_actor::to_string(ev.what));
        break;
    }
  };
  mesos_actor::host host{ho};

  bool ok = true;
  for (std::size_t i = 0; i < frameworks->size(); ++i) {
    const auto& fw = (*frameworks)[i];
    auto factory = [ref = fw.ref, demo = settings[i]] {
      return std::make_unique<demo_scheduler>(ref, demo.role, demo.failover_timeout_s, demo.throw_after);
    };
    auto started = host.start_scheduler(fw.ref, factory, fw.options, fw.policy);
    if (!started) {
      say("[", fw.ref, "] not started: ", supervisor::describe(started.error()));
      ok = false;
    }
  }

  std::this_thread::sleep_for(args.duration); // the demo's run time, not a synchronisation

  say("--- after ", args.duration.count(), " s ---");
  for (auto& row : host.which_schedulers()) {
    say(row.ref, ": ", mesos_actor::to_string(row.status), ", restarts ", row.restarts,
        ", framework id ", row.framework_id.empty() ? "-" : row.framework_id,
        ", last exit ", row.last_exit_reason ? mesos_actor::describe(row.last_exit_reason) : "-");
    bool meant_to_fail = false;
    for (std::size_t i = 0; i < frameworks->size(); ++i)
      if ((*frameworks)[i].ref == row.ref && settings[i].throw_after.count() > 0)
        meant_to_fail = true;
    if (!meant_to_fail && row.status != mesos_actor::framework_status::running)
      ok = false;
  }
  auto t0 = std::chrono::steady_clock::now();
  host.shutdown();
  say("host stopped in ",
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
        .count(),
      " ms");
  return ok ? 0 : 1;
}
