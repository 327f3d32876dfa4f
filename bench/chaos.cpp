// bench_chaos: a soak under random faults. N frameworks in ONE host, each keeping a
// task running on a checkpointing custom executor (example_executor), against a
// simulated cluster of 3 masters registered in a real ZooKeeper and A agents. A seeded
// schedule injects faults: clean and abrupt stream closes, silent partitions, 503
// bursts, leader changes, master restarts, agent restarts, a ZooKeeper restart, and
// framework callbacks that throw. At the end (faults stopped, no new tasks, a bounded
// drain) it checks the invariants printed below, prints the trend of RSS, open file
// descriptors and threads, and exits non-zero when an invariant broke.
//
//   bench_chaos                                  # 30 min, 100 frameworks
//   bench_chaos --duration 2m --frameworks 20 --agents 2 --seed 42
//   options: --seed N  --duration D (90s, 2m, 1h; plain number = seconds)
//            --frameworks N  --agents N  --fault-interval SECONDS (mean, default 3)
//            --executor PATH  --log-level debug|info|warning|error (default info)
//            --log-dump PATH (the last log lines, written when an invariant breaks)
//            --log-lines N (how many of the last lines are kept for it, default 4000)
//            --work-dir DIR (the simulator's agents' sandboxes, kept after the run)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <caf/send.hpp>

#include <mesos_actor/errors.hpp>
#include <mesos_actor/host.hpp>
#include <mesos_actor/sim/cluster.hpp>

#include "chaos/checker.hpp"
#include "chaos/framework.hpp"
#include "chaos/log_ring.hpp"
#include "chaos/resources.hpp"
#include "support/zk_server.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using mesos_actor::sim::close_mode;

struct settings {
  std::uint64_t seed = 0;
  std::chrono::seconds duration = 30min;
  std::size_t frameworks = 100;
  std::size_t agents = 4;
  double fault_interval_s = 3;
  std::string executor = CHAOS_EXECUTOR;
  mesos_actor::log_level level = mesos_actor::log_level::info;
  std::string log_dump;
  std::size_t log_lines = 4000;
  std::string work_dir; ///< empty: a temporary one, removed at the end
};

std::optional<std::chrono::seconds> parse_duration(const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || v <= 0)
    return std::nullopt;
  std::string unit = end;
  double s = unit.empty() || unit == "s" ? v : unit == "m" ? v * 60 : unit == "h" ? v * 3600 : -1;
  if (s < 1)
    return std::nullopt;
  return std::chrono::seconds(static_cast<long long>(s));
}

bool parse(int argc, char** argv, settings& s) {
  s.seed = std::random_device{}();
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc)
      return false;
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--seed") {
      s.seed = std::strtoull(v.c_str(), nullptr, 10);
    } else if (a == "--duration") {
      auto d = parse_duration(v);
      if (!d)
        return false;
      s.duration = *d;
    } else if (a == "--frameworks" || a == "--agents" || a == "--log-lines") {
      long n = std::atol(v.c_str());
      if (n <= 0)
        return false;
      auto& count = a == "--frameworks" ? s.frameworks : a == "--agents" ? s.agents : s.log_lines;
      count = static_cast<std::size_t>(n);
    } else if (a == "--fault-interval") {
      s.fault_interval_s = std::atof(v.c_str());
      if (s.fault_interval_s <= 0)
        return false;
    } else if (a == "--executor") {
      s.executor = v;
    } else if (a == "--log-level") {
      auto l = mesos_actor::parse_log_level(v);
      if (!l)
        return false;
      s.level = *l;
    } else if (a == "--log-dump") {
      s.log_dump = v;
    } else if (a == "--work-dir") {
      s.work_dir = v;

    } else {
      return false;
    }
  }
  if (s.log_dump.empty())
    s.log_dump = "bench_chaos-" + std::to_string(s.seed) + ".log";
  return true;
}

double since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// --- faults -------------------------------------------------------------------------

enum class fault {
  close_clean, close_abrupt, partition, burst_503, leader_change, master_restart,
  agent_restart, zk_restart, callback_throws, update_throws, count_
};
constexpr std::size_t fault_kinds = static_cast<std::size_t>(fault::count_);
const char* fault_names[fault_kinds] = {
  "stream_close_clean", "stream_close_abrupt", "silent_partition", "burst_503",
  "leader_change", "master_restart", "agent_restart", "zookeeper_restart",
  "handle_info_throws", "status_update_throws"};
// Relative frequencies after the first round (which has every kind once).
const double fault_weights[fault_kinds] = {3, 3, 2, 3, 1, 1, 1, 0.3, 1.5, 1};

struct chaos_run {
  settings& s;
  chaos::log_ring& logs;
  zk_test::zk_server& zk;
  mesos_actor::sim::cluster& sim;
  mesos_actor::host& host;
  std::vector<std::shared_ptr<chaos::journal>>& journals;
  std::mt19937_64 rng;
  std::size_t counts[fault_kinds] = {};
  std::vector<std::pair<clock_type::time_point, std::string>> paused; ///< resume at, framework
  clock_type::time_point t0 = clock_type::now();
  std::vector<std::string> recent; ///< the last faults, printed when an invariant breaks

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

  void note(const std::string& what) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "t=%.1fs ", since(t0));
    logs.add(std::string(buf) + "FAULT " + what);
    recent.push_back(std::string(buf) + what);
    if (recent.size() > 40)
      recent.erase(recent.begin());
  }

  void inject(fault f) {
    auto& j = *journals[pick(journals.size())];
    auto fid = j.current_id();
    auto name = std::string(fault_names[static_cast<std::size_t>(f)]);
    bool on_stream = f == fault::close_clean || f == fault::close_abrupt || f == fault::partition;
    if (on_stream && fid.empty())
      return; // an empty id would hit every stream
    ++counts[static_cast<std::size_t>(f)];
    switch (f) {
      case fault::close_clean:
      case fault::close_abrupt:
        note(name + " " + j.ref + " (" + fid + ")");
        sim.faults().close_stream(fid, f == fault::close_clean ? close_mode::clean : close_mode::abrupt);
        break;
      case fault::partition: {
        auto ms = static_cast<long long>(uniform(1500, 4000));
        note(name + " " + j.ref + " (" + fid + ") for " + std::to_string(ms) + " ms");
        sim.faults().pause_stream(fid);
        paused.emplace_back(clock_type::now() + std::chrono::milliseconds(ms), fid);
        break;
      }
      case fault::burst_503: {
        auto n = 3 + pick(20);
        note(name + " next " + std::to_string(n) + " calls");
        sim.faults().fail_next_calls(n, 503);
        break;
      }
      case fault::leader_change: {
        auto leader = sim.leader();
        auto k = pick(sim.master_urls().size());
        if (leader && k == *leader)
          k = (k + 1) % sim.master_urls().size();
        note(name + " to master " + std::to_string(k));
        sim.faults().set_leader(k);
        break;
      }
      case fault::master_restart: {
        auto k = pick(sim.master_urls().size());
        note(name + " master " + std::to_string(k));
        sim.faults().restart_master(k);
        break;
      }
      case fault::agent_restart: {
        auto a = pick(s.agents);
        note(name + " agent " + std::to_string(a));
        sim.faults().restart_agent(a);
        break;
      }
      case fault::zk_restart: {
        auto down = std::chrono::milliseconds(static_cast<long long>(uniform(500, 3000)));
        note(name + " (down " + std::to_string(down.count()) + " ms)");
        zk.kill();
        std::this_thread::sleep_for(down); // the outage itself
        for (int attempt = 1;; ++attempt) {
          try {
            zk.start();
            break;
          } catch (const std::exception& e) {
            note(std::string("zookeeper did not come back: ") + e.what());
            if (attempt == 3)
              throw;
          }
        }
        note("zookeeper back");
        break;
      }
      case fault::callback_throws: {
        note(name + " " + j.ref);
        for (const auto& row : host.which_schedulers())
          if (row.ref == j.ref && row.actor)
            caf::anon_send(row.actor, chaos::throw_request);
        break;
      }
      case fault::update_throws: {
        note(name + " " + j.ref + " (its next status update)");
        std::lock_guard<std::mutex> lk(j.mu);
        j.throw_in_next_update = true;
        break;
      }
      case fault::count_:
        break;
    }
  }

  void resume_due(bool all) {
    auto now = clock_type::now();
    for (auto it = paused.begin(); it != paused.end();) {
      if (all || it->first <= now) {
        sim.faults().resume_stream(it->second);
        it = paused.erase(it);
      } else {
        ++it;
      }
    }
  }

  /// The fault schedule for `duration`: every kind once (shuffled), then by weight.
  void run(std::chrono::seconds duration, chaos::checker& check) {
    std::vector<fault> first;
    for (std::size_t k = 0; k < fault_kinds; ++k)
      first.push_back(static_cast<fault>(k));
    std::shuffle(first.begin(), first.end(), rng);
    std::discrete_distribution<std::size_t> by_weight(std::begin(fault_weights), std::end(fault_weights));
    auto end = clock_type::now() + duration;
    auto next_fault = clock_type::now() + std::chrono::milliseconds(static_cast<long long>(
                                            uniform(0.5, 1.5) * s.fault_interval_s * 1000));
    auto next_retire = clock_type::now() + 5s;
    auto next_progress = clock_type::now() + 60s;
    std::size_t n = 0;
    while (clock_type::now() < end) {
      std::this_thread::sleep_for(50ms); // the schedule's tick
      resume_due(false);
      auto now = clock_type::now();
      if (now >= next_fault) {
        inject(n < first.size() ? first[n] : static_cast<fault>(by_weight(rng)));
        ++n;
        next_fault = clock_type::now() + std::chrono::milliseconds(static_cast<long long>(
                                           uniform(0.5, 1.5) * s.fault_interval_s * 1000));
      }
      if (now >= next_retire) {
        check.retire();
        next_retire = now + 5s;
      }
      if (now >= next_progress) {
        auto t = check.totals();
        auto r = chaos::sample_now([&check] { return check.held_kib(); });
        auto [open_updates, open_tasks] = check.open_records();
        std::printf("  t=%5.0fs faults=%zu updates=%llu tasks finished=%llu violations=%zu"
                    " rss=%.0f KiB heap=%.0f KiB (checker %.0f KiB: %zu updates, %zu tasks open)"
                    " fds=%.0f threads=%.0f\n",
                    since(t0), n, static_cast<unsigned long long>(t.updates_sent),
                    static_cast<unsigned long long>(t.tasks_finished), check.violation_count(),
                    r.rss_kib, r.heap_kib, r.checker_kib, open_updates, open_tasks, r.fds, r.threads);
        std::fflush(stdout);
        next_progress = now + 60s;
      }
    }
    resume_due(true);
  }
};

void print_definitions() {
  std::printf(
    "invariants:\n"
    "  U1 every status update an executor sent (UPDATE answered 202, or listed in a\n"
    "     re-SUBSCRIBE's unacknowledged_updates) reached its framework's behaviour at\n"
    "     least once (by uuid); so did every update an agent made itself (SOURCE_AGENT);\n"
    "  U2 ...and was acknowledged: a master answered 202 to an ACKNOWLEDGE with its\n"
    "     uuid, its executor got ACKNOWLEDGED, and no master holds it unacknowledged;\n"
    "  D  the library never hands an update to the behaviour more often than the\n"
    "     masters wrote it (it neither invents nor repeats copies); copies after the\n"
    "     acknowledgement are allowed only if queued before it (in flight; Mesos\n"
    "     retries until the ack arrives), and are counted;\n"
    "  S  no master queues a copy of an update after it answered 202 to its\n"
    "     ACKNOWLEDGE (the status-update manager stops retrying once acknowledged);\n"
    "  T  every task an executor got LAUNCH for was launched once and ended\n"
    "     TASK_FINISHED at its scheduler (not lost, failed, dropped, or duplicated);\n"
    "  F  every framework is subscribed at the end with the id it started with\n"
    "     (SUBSCRIBED never gave it another id), and no framework was given up;\n"
    "  C  no crash (the run reached this report).\n");
}

void print_trend(const char* name, const chaos::trend& t, const char* unit) {
  std::printf("  %-8s slope %+10.1f %s/h | first %.0f last %.0f min %.0f max %.0f (%zu samples)\n",
              name, t.per_hour, unit, t.first, t.last, t.min, t.max, t.samples);
}

} // namespace

int run_bench(int argc, char** argv) {
  settings s;
  if (!parse(argc, argv, s)) {
    std::fprintf(stderr, "usage: bench_chaos [--seed N] [--duration D] [--frameworks N] [--agents N]"
                         " [--fault-interval SECONDS] [--executor PATH] [--log-level LEVEL]"
                         " [--log-dump PATH] [--log-lines N] [--work-dir DIR]\n");
    return 2;
  }
  std::printf("bench_chaos seed=%llu duration=%llds frameworks=%zu agents=%zu masters=3"
              " fault-interval=%.1fs\n  replay: bench_chaos --seed %llu --duration %llds"
              " --frameworks %zu --agents %zu --fault-interval %g\n",
              static_cast<unsigned long long>(s.seed), static_cast<long long>(s.duration.count()),
              s.frameworks, s.agents, s.fault_interval_s, static_cast<unsigned long long>(s.seed),
              static_cast<long long>(s.duration.count()), s.frameworks, s.agents, s.fault_interval_s);
  print_definitions();
  std::fflush(stdout);
  auto t_start = clock_type::now();

  chaos::log_ring logs{s.log_lines};
  zk_test::zk_server zk; // forks java before this process has threads
  // 64-bit hashes of retired records: 2^21 slots (16 MiB, touched now) hold ~1.4 M.
  chaos::checker check{30s, std::size_t{1} << 21};
  chaos::run_settings run;
  run.executor_path = s.executor;

  mesos_actor::sim::cluster_options co;
  co.masters = 3;
  co.agents = s.agents;
  co.zookeeper = zk.url("/mesos");
  co.zookeeper_session_timeout = 20s; // start() waits this long for ZooKeeper on a loaded machine
  co.heartbeat_interval = 500ms;
  co.allocation_interval = 100ms;
  co.default_refuse = 1s;
  co.update_retry_initial = 1s;
  co.update_retry_max = 8s;
  co.agent_checkpoint = true;
  co.executors.reregistration_timeout = 5s;
  co.executors.subscription_backoff_max = 500ms;
  co.executors.shutdown_grace_period = 1s;
  // Each framework's one executor lives the whole run, task after task; its agent's
  // history of ended tasks (Mesos keeps 200) fills within the warm-up at 50, so the
  // RSS trend after it is flat. Resent updates come within seconds: 50 tasks cover them.
  co.executors.max_completed_tasks = 50;
  co.max_trace_entries = 0; // the checker observes; nothing is kept
  co.max_completed_tasks = 500;
  co.work_dir = s.work_dir;
  co.observe = check.observer();
  co.log = [&logs](std::string_view line) { logs.add("sim: " + std::string(line)); };
  mesos_actor::sim::cluster sim{co};
  sim.start();

  mesos_actor::host_options ho;
  ho.logging.min_level = s.level;
  ho.logging.sink = [&logs](const mesos_actor::log_entry& e) { logs.add(mesos_actor::format_log_line(e)); };
  ho.call_timeout = 60s;
  mesos_actor::host host{ho};

  mesos_actor::scheduler_options so;
  so.master_hosts = {zk.url("/mesos")};
  so.heartbeat_timeout_window = 1500ms;
  so.subscribe_timeout = 5s;
  so.backoff_initial = 50ms;
  so.backoff_max = 2s;
  so.connect_timeout = 1s;
  so.request_timeout = 5s;
  so.stream_read_timeout = 10s;
  so.max_num_subscribe = 30;
  so.max_num_resubscribe = 30;
  mesos_actor::restart_policy policy;
  policy.restart = supervisor::restart_type::permanent;
  policy.max_restarts = 1000; // the faults make restarts; giving up is checked (F)
  policy.period = 60s;

  auto agents = sim.agents();
  std::vector<std::shared_ptr<chaos::journal>> journals;
  for (std::size_t i = 0; i < s.frameworks; ++i) {
    auto j = std::make_shared<chaos::journal>();
    j->ref = "chaos-" + std::to_string(i);
    j->agent_port = agents[i % agents.size()].port;
    j->seed = s.seed + i;
    journals.push_back(j);
    auto factory = [j, &run, &check] { return chaos::make_framework(j, run, check); };
    auto r = host.start_scheduler(j->ref, factory, so, policy);
    if (!r) {
      std::printf("start of %s failed: %s\nRESULT: FAIL\n", j->ref.c_str(),
                  mesos_actor::describe(r.error()).c_str());
      return 1;
    }
  }
  auto all_subscribed = [&] {
    for (auto& j : journals) {
      auto id = j->current_id();
      auto fw = id.empty() ? std::nullopt : sim.framework(id);
      if (!fw || !fw->subscribed)
        return false;
    }
    return true;
  };
  if (!sim.wait_for(all_subscribed, 60s)) {
    logs.dump(s.log_dump);
    std::printf("not every framework subscribed within 60 s (log: %s)\nRESULT: FAIL\n",
                s.log_dump.c_str());
    return 1;
  }
  std::printf("setup: ZooKeeper, 3 masters, %zu agents, %zu frameworks subscribed in %.1f s\n",
              s.agents, s.frameworks, since(t_start));
  std::fflush(stdout);

  // Samples every second in a short run, every 5 s in a long one.
  chaos::resource_sampler sampler{s.duration > 10min ? 5s : 1s, [&check] { return check.held_kib(); }};
  chaos_run schedule{s, logs, zk, sim, host, journals, std::mt19937_64{s.seed}, {}, {}, clock_type::now(), {}};
  schedule.run(s.duration, check);
  double chaos_s = since(schedule.t0);

  // Drain: no faults, no new tasks; wait until every story is complete.
  run.draining = true;
  auto d0 = clock_type::now();
  auto quiet = [&] {
    for (auto& j : journals) {
      std::lock_guard<std::mutex> lk(j->mu);
      if (j->live_task)
        return false;
    }
    return all_subscribed() && check.settled() && sim.unacknowledged_updates().empty();
  };
  bool drained = sim.wait_for(quiet, 120s);
  double drain_s = since(d0);
  check.retire();
  sampler.stop();
  // Warm-up: the first quarter of the chaos (at least 30 s) is left out of the fit.
  auto res = sampler.report(std::max(30.0, chaos_s / 4));

  std::vector<std::string> violations;
  if (!drained)
    violations.push_back("(drain) not quiet within 120 s after the faults stopped");
  check.finish(violations);
  for (const auto& u : sim.unacknowledged_updates())
    violations.push_back("U2: the simulator still holds an unacknowledged update of task " +
                         u.task_id + " (framework " + u.framework_id + ", " +
                         chaos::state_name(u.status.state()) + ", uuid " + chaos::hex(u.status.uuid()) +
                         ", " + std::to_string(u.attempts) + " attempts)");
  auto rows = host.which_schedulers();
  int inits = 0, reregs = 0, disconnects = 0;
  std::uint64_t accepts_failed = 0;
  for (auto& j : journals) {
    std::lock_guard<std::mutex> lk(j->mu);
    inits += j->inits;
    reregs += j->reregistered;
    disconnects += j->disconnected;
    accepts_failed += j->accepts_failed;
    if (j->ids.size() != 1)
      violations.push_back("F: " + j->ref + " was given " + std::to_string(j->ids.size()) +
                           " framework ids (first " + j->first_id + ")");
    auto fw = sim.framework(j->first_id);
    if (!fw || !fw->subscribed)
      violations.push_back("F: " + j->ref + " (" + j->first_id + ") is not subscribed at the end");
    auto row = std::find_if(rows.begin(), rows.end(), [&](auto& r) { return r.ref == j->ref; });
    if (row == rows.end() || row->status != mesos_actor::framework_status::running)
      violations.push_back("F: " + j->ref + " is not running at the end (" +
                           (row == rows.end() ? std::string("no row") : to_string(row->status)) + ")");
    else if (row->framework_id != j->first_id)
      violations.push_back("F: the host holds id " + row->framework_id + " for " + j->ref +
                           ", which started as " + j->first_id);
  }

  auto t = check.totals();
  std::printf("run: chaos %.0f s, drain %.1f s%s\n", chaos_s, drain_s, drained ? "" : " (NOT quiet)");
  std::printf("faults:");
  std::size_t total_faults = 0;
  for (std::size_t k = 0; k < fault_kinds; ++k) {
    std::printf(" %s=%zu", fault_names[k], schedule.counts[k]);
    total_faults += schedule.counts[k];
  }
  std::printf(" (total %zu)\n", total_faults);
  std::printf("frameworks: %d behaviour starts (%d restarts), %d re-subscriptions, %d disconnections,"
              " %llu ACCEPTs failed\n",
              inits, inits - static_cast<int>(s.frameworks), reregs, disconnects,
              static_cast<unsigned long long>(accepts_failed));
  std::printf("updates: %llu sent by executors, %llu made by agents, %llu copies written by masters, %llu"
              " copies handed to behaviours (%llu redelivered before the ack, %llu in flight after it), %llu"
              " acknowledged\n",
              static_cast<unsigned long long>(t.updates_sent),
              static_cast<unsigned long long>(t.agent_updates),
              static_cast<unsigned long long>(t.copies_written),
              static_cast<unsigned long long>(t.copies_delivered),
              static_cast<unsigned long long>(t.redelivered),
              static_cast<unsigned long long>(t.in_flight_after_ack),
              static_cast<unsigned long long>(t.acknowledged));
  std::printf("tasks: %llu launched on executors, %llu finished at their schedulers\n",
              static_cast<unsigned long long>(t.tasks_launched),
              static_cast<unsigned long long>(t.tasks_finished));
  std::printf("resources (this process: host + simulator + checker; fit after %.0f s of chaos):\n",
              res.warm_up_s);
  print_trend("RSS", res.rss_kib, "KiB");
  print_trend("fds", res.fds, "fds");
  print_trend("threads", res.threads, "threads");
  std::printf("  of the heap (malloc'd, not freed; RSS also holds code, stacks, free memory malloc keeps):\n");
  print_trend("heap", res.heap_kib, "KiB");
  print_trend("checker", res.checker_kib, "KiB");
  print_trend("others", res.others_kib, "KiB");
  std::printf("  (others = heap - checker: the host, its frameworks, the simulator, CAF)\n");

  if (!violations.empty())
    logs.dump(s.log_dump); // before the shutdown's own lines push the run's out
  auto shutdown0 = clock_type::now();
  host.shutdown();
  sim.stop();
  std::printf("shutdown: %.1f s\n", since(shutdown0));

  if (!violations.empty()) {
    std::printf("last faults:\n");
    for (const auto& f : schedule.recent)
      std::printf("  %s\n", f.c_str());
    std::printf("VIOLATIONS (%zu):\n", violations.size());
    for (const auto& v : violations)
      std::printf("  %s\n", v.c_str());
    std::printf("last log lines: %s\nRESULT: FAIL (seed %llu)\n", s.log_dump.c_str(),
                static_cast<unsigned long long>(s.seed));
    return 1;
  }
  std::printf("RESULT: PASS (U1 U2 D S T F C hold; seed %llu)\n",
              static_cast<unsigned long long>(s.seed));
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run_bench(argc, argv);
  } catch (const std::exception& e) { // setup failures (ZooKeeper, simulator) end here
    std::printf("bench_chaos: %s\nRESULT: FAIL (no run)\n", e.what());
    return 1;
  }
}
