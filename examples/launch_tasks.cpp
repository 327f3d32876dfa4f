// launch_tasks: a scheduler that runs N command tasks across the offers it gets,
// prints each task's state changes, reconciles once, and tears the framework down
// when every task has finished. Exits 0 when all tasks finished, 1 otherwise.
//
// Build and run from the repository root (the README's first command does this):
//   cmake -S . -B build && cmake --build build --target launch_tasks && build/examples/launch_tasks --tasks 5
//
//   launch_tasks                          # against an embedded simulated cluster
//   launch_tasks --master 10.0.0.1:5050   # against a real Mesos master (or several, comma-separated)
//   options: --tasks N  --command CMD  --content-type json|protobuf  --timeout SECONDS
//            --executor PATH  run the tasks with a custom executor (e.g. example_executor),
//                             which gets CMD in TaskInfo.data; with a real master, PATH is
//                             on the agent (relative: to the task's sandbox)
//   TLS and authentication (https:// masters, --authenticate_http_frameworks):
//            --ca-file PEM    trust this CA for https:// masters (default: the system store)
//            --principal NAME --secret-file FILE   HTTP Basic (secret = the file's first
//                             line); without them MESOS_ACTOR_PRINCIPAL and
//                             MESOS_ACTOR_SECRET[_FILE] or MESOS_ACTOR_BEARER_TOKEN are used
//            --sim-cert PEM --sim-key PEM   the embedded simulator serves TLS with these
//            --sim-require-auth             ... and requires the --principal/--secret-file
//   ZooKeeper (several masters, the leader named in ZooKeeper):
//            --master zk://[user:password@]HOST:PORT[,...]/PATH   follow the leader there
//            --zk-https       reach the masters ZooKeeper names over https
//            --sim-masters N  the embedded simulator runs N masters
//            --sim-zookeeper zk://HOST:PORT/PATH   ... which register there like Mesos
//                             masters; the scheduler then finds its master through it
//            --sim-control    the embedded simulator serves its fault endpoint
//                             (POST <master>/sim/faults/set_leader?master=I ...)
//            --failover-timeout SECONDS   FrameworkInfo.failover_timeout (default 0),
//                             so tasks survive a move to another master
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "mesos_actor/scheduler.hpp"
#include "mesos_actor/sim/cluster.hpp"
#include "mesos_actor/task_state.hpp"

namespace {

using namespace std::chrono_literals;
using mesos_actor::action;
using mesos_actor::scheduler_context;
using Event = mesos::v1::scheduler::Event;

struct settings {
  std::vector<std::string> masters;  // empty: embedded simulator
  int tasks = 3;
  std::string command = "sleep 0.1; echo done";
  mesos_actor::content_type content = mesos_actor::content_type::protobuf;
  std::chrono::seconds timeout{60};
  std::string executor;  // empty: command tasks
  std::string ca_file;
  std::string principal;
  std::string secret_file;
  std::string sim_cert;  // with sim_key: the embedded simulator serves TLS
  std::string sim_key;
  bool sim_require_auth = false;
  std::size_t sim_masters = 1;
  std::string sim_zookeeper;  // the embedded simulator's masters register there
  bool sim_control = false;
  bool zk_https = false;
  double failover_timeout = 0;
};

class launcher : public mesos_actor::scheduler {
public:
  launcher(const settings& s, std::shared_ptr<bool> all_finished)
    : settings_(s), all_finished_(std::move(all_finished)) {
  }

  caf::expected<mesos::v1::FrameworkInfo> init(const std::optional<std::string>& previous) override {
    auto info = scheduler::init(previous);
    if (info) {
      info->set_name("launch_tasks");
      if (settings_.failover_timeout > 0)
        info->set_failover_timeout(settings_.failover_timeout);
    }
    return info;
  }

  action reregistered(scheduler_context& ctx, const Event::Subscribed& s) override {
    std::cout << "reregistered as framework " << s.framework_id().value() << " on "
              << ctx.master_url() << std::endl;
    return action::keep;
  }

  action registered(scheduler_context& ctx, const Event::Subscribed& s) override {
    std::cout << "registered as framework " << s.framework_id().value() << " on "
              << ctx.master_url() << std::endl;
    ctx.reconcile(); // once, implicitly: nothing of ours is running yet
    return action::keep;
  }

  action resource_offers(scheduler_context& ctx, const Event::Offers& offers) override {
    for (auto& offer : offers.offers()) {
      double cpus = mesos_actor::scalar_amount(offer.resources(), "cpus");
      double mem = mesos_actor::scalar_amount(offer.resources(), "mem");
      std::vector<mesos::v1::TaskInfo> batch;
      while (launched_ < settings_.tasks && cpus >= task_cpus && mem >= task_mem) {
        auto id = "task-" + std::to_string(++launched_);
        batch.push_back(mesos_actor::command_task(
          id, id, offer.agent_id(), settings_.command,
          {mesos_actor::scalar_resource("cpus", task_cpus),
           mesos_actor::scalar_resource("mem", task_mem)}));
        if (!settings_.executor.empty()) {
          // A task has a CommandInfo or an ExecutorInfo, never both: the command
          // travels in data for the custom executor to run.
          auto& task = batch.back();
          task.clear_command();
          task.set_data(settings_.command);
          task.mutable_executor()->mutable_executor_id()->set_value("launch_tasks-executor");
          task.mutable_executor()->mutable_command()->set_value(settings_.executor);
        }
        cpus -= task_cpus;
        mem -= task_mem;
        states_[id] = "TASK_STAGING";
      }
      if (batch.empty()) {
        ctx.decline({offer.id()}, mesos_actor::refuse_filters(1));
        continue;
      }
      std::cout << "launching " << batch.size() << " task(s) on agent "
                << offer.agent_id().value() << std::endl;
      ctx.accept({offer.id()}, {mesos_actor::launch(batch)}, mesos_actor::refuse_filters(1));
    }
    return action::keep;
  }

  action status_update(scheduler_context& ctx, const Event::Update& update) override {
    const auto& status = update.status();
    const auto& id = status.task_id().value();
    auto state = mesos::v1::TaskState_Name(status.state());
    if (states_.count(id) == 0)
      return action::keep; // e.g. a reconciliation answer about someone else's task
    std::cout << id << ": " << state;
    if (status.has_message())
      std::cout << " (" << status.message() << ")";
    std::cout << std::endl;
    states_[id] = state;
    if (mesos_actor::is_terminal(status.state())) {
      ++ended_;
      if (status.state() != mesos::v1::TASK_FINISHED)
        ++failed_;
    }
    if (ended_ == settings_.tasks && !tearing_down_) {
      tearing_down_ = true;
      *all_finished_ = failed_ == 0;
      std::cout << "all " << settings_.tasks << " task(s) ended, " << failed_
                << " failed; tearing down" << std::endl;
      ctx.teardown(); // the scheduler stops once the master accepted it
    }
    return action::keep;
  }

  action error(scheduler_context&, const Event::Error& e) override {
    std::cerr << "master error: " << e.message() << std::endl;
    return action::keep;
  }

  action call_failed(scheduler_context&, const mesos_actor::call_outcome& o) override {
    std::cerr << "call " << mesos::v1::scheduler::Call::Type_Name(o.type)
              << " failed: " << mesos_actor::describe(o.error) << std::endl;
    return action::keep;
  }

  void terminate(scheduler_context&, const caf::error& reason) override {
    if (reason)
      std::cerr << "scheduler stopped: " << mesos_actor::describe(reason) << std::endl;
  }

private:
  static constexpr double task_cpus = 0.1;
  static constexpr double task_mem = 32;
  settings settings_;
  std::shared_ptr<bool> all_finished_;
  int launched_ = 0;
  int ended_ = 0;
  int failed_ = 0;
  bool tearing_down_ = false;
  std::map<std::string, std::string> states_;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in{text};
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty())
      out.push_back(item);
  return out;
}

std::optional<settings> parse_args(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc)
        return std::nullopt;
      return std::string{argv[++i]};
    };
    std::optional<std::string> v;
    if (arg == "--help" || arg == "-h") {
      return std::nullopt;
    } else if (arg == "--master" && (v = value())) {
      s.masters = split(*v, ',');
    } else if (arg == "--tasks" && (v = value())) {
      s.tasks = std::atoi(v->c_str());
      if (s.tasks <= 0)
        return std::nullopt;
    } else if (arg == "--command" && (v = value())) {
      s.command = *v;
    } else if (arg == "--executor" && (v = value())) {
      s.executor = *v;
    } else if (arg == "--ca-file" && (v = value())) {
      s.ca_file = *v;
    } else if (arg == "--principal" && (v = value())) {
      s.principal = *v;
    } else if (arg == "--secret-file" && (v = value())) {
      s.secret_file = *v;
    } else if (arg == "--sim-cert" && (v = value())) {
      s.sim_cert = *v;
    } else if (arg == "--sim-key" && (v = value())) {
      s.sim_key = *v;
    } else if (arg == "--sim-require-auth") {
      s.sim_require_auth = true;
    } else if (arg == "--sim-masters" && (v = value())) {
      s.sim_masters = static_cast<std::size_t>(std::atoi(v->c_str()));
      if (s.sim_masters == 0)
        return std::nullopt;
    } else if (arg == "--sim-zookeeper" && (v = value())) {
      s.sim_zookeeper = *v;
    } else if (arg == "--sim-control") {
      s.sim_control = true;
    } else if (arg == "--zk-https") {
      s.zk_https = true;
    } else if (arg == "--failover-timeout" && (v = value())) {
      s.failover_timeout = std::atof(v->c_str());
      if (s.failover_timeout < 0)
        return std::nullopt;
    } else if (arg == "--content-type" && (v = value())) {
      auto ct = mesos_actor::content_type_from_name(*v);
      if (!ct)
        return std::nullopt;
      s.content = *ct;
    } else if (arg == "--timeout" && (v = value())) {
      s.timeout = std::chrono::seconds{std::atoi(v->c_str())};
      if (s.timeout.count() <= 0)
        return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (s.principal.empty() != s.secret_file.empty() || s.sim_cert.empty() != s.sim_key.empty()
      || (s.sim_require_auth && s.principal.empty()))
    return std::nullopt;
  return s;
}

// The simulator's copy of the framework's secret (first line of the file).
std::optional<std::string> read_secret(const std::string& path) {
  std::ifstream in{path};
  std::string line;
  if (!in || !std::getline(in, line) || line.empty())
    return std::nullopt;
  return line;
}

} // namespace

int main(int argc, char** argv) {
  auto parsed = parse_args(argc, argv);
  if (!parsed) {
    std::cerr << "usage: launch_tasks [--master HOST:PORT[,HOST:PORT...]] [--tasks N] "
                 "[--command CMD] [--executor PATH] [--content-type json|protobuf] "
                 "[--timeout SECONDS] [--ca-file PEM] [--principal NAME --secret-file FILE] "
                 "[--sim-cert PEM --sim-key PEM] [--sim-require-auth] [--zk-https] "
                 "[--sim-masters N] [--sim-zookeeper zk://HOST:PORT/PATH] [--sim-control] "
                 "[--failover-timeout SECONDS]\n";
    return 2;
  }
  auto s = *parsed;

  std::unique_ptr<mesos_actor::sim::cluster> sim;
  if (s.masters.empty()) {
    // The agent runs the executor in its sandbox, as Mesos does: a relative path given
    // here means this directory, which the embedded agent shares.
    if (!s.executor.empty() && std::filesystem::path{s.executor}.is_relative())
      s.executor = std::filesystem::absolute(s.executor).string();
    mesos_actor::sim::cluster_options copts;
    copts.allocation_interval = 100ms;
    copts.default_refuse = 1s;
    if (!s.sim_cert.empty())
      copts.tls = mesos_actor::sim::tls_files{s.sim_cert, s.sim_key, {}};
    if (s.sim_require_auth) {
      auto secret = read_secret(s.secret_file);
      if (!secret) {
        std::cerr << "cannot read a secret from " << s.secret_file << std::endl;
        return 2;
      }
      copts.credentials = {{s.principal, *secret}};
    }
    copts.masters = s.sim_masters;
    copts.zookeeper = s.sim_zookeeper;
    copts.control_endpoint = s.sim_control;
    sim = std::make_unique<mesos_actor::sim::cluster>(copts);
    try {
      sim->start();
    } catch (const std::exception& e) {
      std::cerr << "cannot start the simulator: " << e.what() << std::endl;
      return 1;
    }
    s.masters = sim->master_urls();
    std::cout << "started an embedded simulated Mesos cluster at " << s.masters.front()
              << std::endl;
    for (std::size_t i = 1; i < s.masters.size(); ++i)
      std::cout << "simulated master " << i << " at " << s.masters[i] << std::endl;
    if (!s.sim_zookeeper.empty())
      s.masters = {s.sim_zookeeper}; // found through ZooKeeper, like real masters
  }

  caf::actor_system_config cfg;
  mesos_actor::add_error_category(cfg);
  caf::actor_system sys{cfg};
  mesos_actor::scheduler_options opts;
  opts.master_hosts = s.masters;
  if (s.zk_https || !s.sim_cert.empty())
    opts.zookeeper.master_scheme = "https"; // ZooKeeper records no scheme
  opts.content = s.content;
  opts.tls.ca_file = s.ca_file;
  if (!s.principal.empty()) {
    opts.auth = mesos_actor::credentials::basic_from_file(s.principal, s.secret_file);
  } else if (auto from_env = mesos_actor::credentials::from_environment()) {
    opts.auth = *from_env;
  } else {
    std::cerr << mesos_actor::describe(from_env.error()) << std::endl;
    return 2;
  }
  if (!opts.auth.empty())
    std::cout << "authenticating with " << opts.auth << std::endl;
  auto all_finished = std::make_shared<bool>(false);
  auto started = mesos_actor::start_scheduler_actor(
    sys, std::make_unique<launcher>(s, all_finished), opts);
  if (!started) {
    std::cerr << "cannot start: " << mesos_actor::describe(started.error()) << std::endl;
    return 1;
  }
  auto scheduler = *started;

  caf::scoped_actor self{sys};
  self->monitor(scheduler);
  int code = 1;
  self->receive(
    [&](caf::down_msg& down) {
      if (down.reason)
        std::cerr << "scheduler exited: " << mesos_actor::describe(down.reason) << std::endl;
      code = !down.reason && *all_finished ? 0 : 1;
    },
    caf::after(s.timeout) >> [&] {
      std::cerr << "timeout after " << s.timeout.count() << " s" << std::endl;
      self->send_exit(scheduler, caf::exit_reason::user_shutdown);
      self->wait_for(scheduler);
    });
  std::cout << (code == 0 ? "success" : "failure") << std::endl;
  return code;
}
