// fleet: one host of a fleet (docs/fleet.md). Start it several times, on one machine
// or several, with the same --zk and --path: the hosts share the declared frameworks,
// and when one dies (kill -9) the others start its frameworks again with the same
// framework ids, so Mesos sees a failover and the tasks keep running.
//
// Every host registers the factory "keeper": a framework that launches one long task
// ("sleep 3600" unless --task-command) and keeps it. Its FrameworkInfo has a
// failover_timeout, so Mesos keeps the task while the framework moves. After a move it
// asks the master about its task (explicit reconciliation) and launches it again only
// if the task is gone.
//
//   fleet --zk zk://127.0.0.1:2181/x --name a [--path /mesos-actor/fleet]
//         [--master 127.0.0.1:5050] [--capacity N] [--session-timeout-ms T]
//         [--declare N] [--prefix demo] [--prefer HOST,HOST] [--task-command CMD]
//   fleet --config host.ini [flags]   # its [fleet] section (config/host.ini); flags win
//
// --declare N declares frameworks PREFIX-0 .. PREFIX-N-1 to the fleet (any host may;
// ones already declared are kept as they are). Output, one line each, prefixed by
// the host's name:
//   a: ready (fleet /mesos-actor/fleet, 3 framework(s) declared)
//   a: acquired demo-1
//   a: demo-1 subscribed as 5c1e...-0001 (new framework)
//   a: demo-1 subscribed as 5c1e...-0001 (failover: same framework id)
//   a: demo-1 task demo-1-task TASK_RUNNING
// Runs until SIGINT/SIGTERM (a clean stop: the others take its frameworks at once).
// Exit codes: 0 after a signal, 1 when the host could not start, 2 on usage errors.
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <mesos_actor/config_file.hpp>
#include <mesos_actor/host.hpp>
#include <mesos_actor/scheduler.hpp>
#include <mesos_actor/scheduler/operations.hpp>

namespace {

using mesos_actor::action;
using mesos_actor::scheduler_context;

std::mutex print_mtx;

template <class... Ts>
void say(const Ts&... xs) {
  std::lock_guard<std::mutex> guard{print_mtx};
  (std::cout << ... << xs) << std::endl;
}

bool terminal(mesos::v1::TaskState s) {
  switch (s) {
    case mesos::v1::TASK_STAGING:
    case mesos::v1::TASK_STARTING:
    case mesos::v1::TASK_RUNNING:
    case mesos::v1::TASK_KILLING:
    case mesos::v1::TASK_UNREACHABLE:
      return false;
    default:
      return true;
  }
}

// Launches one long task and keeps it running, across moves between hosts.
class keeper : public mesos_actor::scheduler {
public:
  keeper(mesos_actor::fleet_context c, std::string command)
    : ctx_(std::move(c)), command_(std::move(command)), task_id_(ctx_.ref + "-task") {}

  caf::expected<mesos::v1::FrameworkInfo>
  init(const std::optional<std::string>& previous_id) override {
    auto info = scheduler::init(previous_id);
    if (info) {
      info->set_name(ctx_.ref);
      // Mesos keeps the framework and its tasks this long after its host died.
      info->set_failover_timeout(3600);
    }
    // After a move the task most likely still runs: ask before launching it again.
    state_ = previous_id ? state::asking : state::to_launch;
    return info;
  }

  action registered(scheduler_context& s, const Event::Subscribed& e) override {
    say(ctx_.host_name, ": ", ctx_.ref, " subscribed as ", e.framework_id().value(),
        state_ == state::asking ? " (failover: same framework id)" : " (new framework)");
    if (state_ == state::asking) {
      mesos::v1::TaskID id;
      id.set_value(task_id_);
      s.reconcile_tasks({{id, std::nullopt}});
    }
    return action::keep;
  }

  action reregistered(scheduler_context& s, const Event::Subscribed& e) override {
    return registered(s, e);
  }

  action resource_offers(scheduler_context& s, const Event::Offers& e) override {
    for (auto& offer : e.offers()) {
      if (state_ != state::to_launch) {
        // Short while asking, long once the task runs: few offers for an idle framework.
        s.decline({offer.id()}, mesos_actor::refuse_filters(state_ == state::asking ? 1 : 3600));
        continue;
      }
      state_ = state::launched;
      s.accept({offer.id()},
                {mesos_actor::launch({mesos_actor::command_task(
                  task_id_, task_id_, offer.agent_id(), command_,
                  {mesos_actor::scalar_resource("cpus", 0.01),
                   mesos_actor::scalar_resource("mem", 8)})})},
                mesos_actor::refuse_filters(3600));
    }
    return action::keep;
  }

  action status_update(scheduler_context& s, const Event::Update& e) override {
    auto& st = e.status();
    if (st.task_id().value() != task_id_)
      return action::keep;
    say(ctx_.host_name, ": ", ctx_.ref, " task ", task_id_, " ",
        mesos::v1::TaskState_Name(st.state()));
    if (terminal(st.state()) && state_ != state::to_launch) {
      // Gone (or never launched before the previous host died): launch it again.
      state_ = state::to_launch;
      s.revive();
    } else if (!terminal(st.state())) {
      state_ = state::launched;
    }
    return action::keep;
  }

private:
  enum class state { to_launch, asking, launched };
  mesos_actor::fleet_context ctx_;
  std::string command_;
  std::string task_id_;
  state state_ = state::to_launch;
};

volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }

int usage(const std::string& why, std::ostream& out = std::cerr, int code = 2) {
  out << "fleet: " << why << "\n"
      << "usage: fleet [--config HOST_INI] --zk zk://HOST:PORT[,HOST:PORT]/x --name NAME [--path P]\n"
         "             [--master HOST:PORT] [--capacity N] [--session-timeout-ms T]\n"
         "             [--declare N] [--prefix P] [--prefer HOST,HOST] [--task-command CMD]\n";
  return code;
}

bool parse_size(const std::string& text, std::size_t& out) {
  auto end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && p == end;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

} // namespace

int main(int argc, char** argv) {
  mesos_actor::host_options o;
  o.fleet.path = "/mesos-actor/fleet"; // unless the file or --path says otherwise
  std::string master = "127.0.0.1:5050";
  std::string prefix = "demo";
  std::string command = "sleep 3600";
  std::size_t declare = 0;
  std::vector<std::string> prefer;
  // --config first: a host.ini-style file's [fleet] (and [logging]...) sections, then
  // the other flags override it, wherever they are.
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string{argv[i]} == "--config")
      if (auto err = mesos_actor::load_host_config(argv[i + 1], o))
        return usage(mesos_actor::describe(err));
  for (int i = 1; i < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--help" || k == "-h")
      return usage("a host of a fleet of framework hosts (docs/fleet.md)", std::cout, 0);
    if (i + 1 >= argc)
      return usage(k + " needs a value");
    std::string v = argv[i + 1];
    std::size_t n = 0;
    if (k == "--config")
      continue; // applied above
    if (k == "--zk")
      o.fleet.zookeeper = v;
    else if (k == "--path")
      o.fleet.path = v;
    else if (k == "--name")
      o.fleet.host_name = v;
    else if (k == "--master")
      master = v;
    else if (k == "--prefix")
      prefix = v;
    else if (k == "--task-command")
      command = v;
    else if (k == "--prefer")
      prefer = split(v);
    else if (k == "--capacity" || k == "--session-timeout-ms" || k == "--declare") {
      if (!parse_size(v, n))
        return usage(k + " needs a number, not '" + v + "'");
      if (k == "--capacity")
        o.fleet.capacity = n;
      else if (k == "--declare")
        declare = n;
      else
        o.fleet.session_timeout = std::chrono::milliseconds(n);
    } else
      return usage("unknown option " + k);
  }
  if (o.fleet.path.empty())
    o.fleet.path = "/mesos-actor/fleet";
  if (o.fleet.zookeeper.empty() || o.fleet.host_name.empty())
    return usage("--zk and --name are required (or zookeeper and host-name in --config's [fleet])");
  if (auto err = mesos_actor::validate(o.fleet))
    return usage(mesos_actor::describe(err));

  const auto name = o.fleet.host_name;
  // Warnings and errors, the join and the ZooKeeper connection news;
  // acquired/lost/fenced/taken_over come as host events below.
  o.logging.min_level = mesos_actor::log_level::info;
  o.logging.sink = [name](const mesos_actor::log_entry& e) {
    bool zk_news = e.component == "fleet" && e.event.rfind("zk_", 0) == 0;
    if (e.level < mesos_actor::log_level::warning && e.event != "fleet_joined" && !zk_news)
      return;
    say(name, ": [", e.component, "] ", e.event, ": ", e.message);
  };
  o.on_event = [name](const mesos_actor::host_event& e) {
    using k = mesos_actor::host_event_kind;
    if (e.what == k::acquired || e.what == k::lost || e.what == k::fenced
        || e.what == k::taken_over)
      say(name, ": ", mesos_actor::to_string(e.what), " ", e.ref);
  };
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  try {
    mesos_actor::host h{o};
    // This host's own options for the factory: where the masters are (credentials and
    // TLS would go here too; they never reach ZooKeeper).
    mesos_actor::scheduler_options base;
    base.master_hosts = split(master);
    base.backoff_max = std::chrono::seconds(1);
    auto err = h.register_scheduler_factory(
      "keeper",
      [command](const mesos_actor::fleet_context& c) { return std::make_unique<keeper>(c, command); },
      base);
    if (err) {
      std::cerr << name << ": register_scheduler_factory: " << mesos_actor::describe(err) << "\n";
      return 1;
    }
    mesos_actor::restart_policy policy;
    policy.restart = supervisor::restart_type::permanent;
    policy.max_restarts = 10;
    for (std::size_t i = 0; i < declare; ++i) {
      auto ref = prefix + "-" + std::to_string(i);
      if (auto e = h.start_scheduler(ref, "keeper", {}, policy, prefer)) {
        auto text = mesos_actor::describe(e);
        if (text.find("already declared") == std::string::npos) {
          std::cerr << name << ": declaring " << ref << ": " << text << "\n";
          return 1;
        }
      }
    }
    say(name, ": ready (fleet ", o.fleet.path, ", ", declare, " framework(s) declared)");
    while (stop_requested == 0)
      ::usleep(50000); // a signal handler may only set a flag
    say(name, ": stopping");
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
