// The scheduler with a zk:// master: it follows the leader the detector names, over
// real loopback HTTP to simulated masters and a real ZooKeeper server.
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>

#include <caf/send.hpp>

#include "mesos_actor/host.hpp"
#include "mesos_actor/scheduler/spawn.hpp"
#include "mesos_actor/sim/cluster.hpp"
#include "support/fast_options.hpp"
#include "support/recording_scheduler.hpp"
#include "support/wait.hpp"
#include "zookeeper/leader_probe.hpp"
#include "zookeeper/zk_client.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using mesos_actor::action;

namespace {

// Where each (re)registration happened, from the scheduler's own context.
struct registrations {
  std::mutex mtx;
  std::condition_variable cv;
  std::vector<std::string> urls;

  void hook(test::recording_scheduler& s) {
    s.info_template.set_failover_timeout(60); // survives moving between masters
    s.on_registered = [this](auto& ctx, auto&) { add(ctx.master_url()); return action::keep; };
    s.on_reregistered = [this](auto& ctx, auto&) { add(ctx.master_url()); return action::keep; };
  }
  void add(const std::string& url) {
    std::lock_guard<std::mutex> lk(mtx);
    urls.push_back(url);
    cv.notify_all();
  }
  /// Waits until the n-th (1-based) registration happened on the master at `port`.
  bool wait_nth(std::size_t n, const std::string& port, std::chrono::milliseconds limit = 15s) {
    std::unique_lock<std::mutex> lk(mtx);
    cv.wait_for(lk, limit, [&] { return urls.size() >= n; });
    return urls.size() >= n && urls[n - 1].find(":" + port + "/") != std::string::npos;
  }
};

std::string port_of(const std::string& url) {
  return url.substr(url.rfind(':') + 1);
}

} // namespace

TEST_CASE("zk:// master_hosts: only one entry, a valid URL, and the password never shows") {
  auto o = test::fast_options({"zk://u:Zk-Pa55word@127.0.0.1:2181/mesos", "127.0.0.1:5050"},
                              mesos_actor::content_type::protobuf);
  auto err = mesos_actor::validate(o);
  REQUIRE(err);
  CHECK(mesos_actor::describe(err).find("only entry") != std::string::npos);
  CHECK(mesos_actor::describe(err).find("Zk-Pa55word") == std::string::npos);
  o.master_hosts = {"zk://u:Zk-Pa55word@127.0.0.1:2181/"};
  err = mesos_actor::validate(o);
  REQUIRE(err);
  CHECK(mesos_actor::describe(err).find("Zk-Pa55word") == std::string::npos);
  o.master_hosts = {"zk://u:Zk-Pa55word@127.0.0.1:2181/mesos"};
  CHECK_FALSE(mesos_actor::validate(o));
  o.zookeeper.master_scheme = "ftp";
  CHECK(mesos_actor::validate(o));
}

TEST_CASE("a leader change in ZooKeeper moves the scheduler at once, not at the heartbeat timeout") {
  // Two separate one-master clusters: the old master never closes the stream and keeps
  // sending heartbeats, so only the detector can tell the scheduler to move.
  zk_test::zk_server zk;
  zk_test::zk_client masters{zk.address()};
  masters.ensure("/mesos");
  auto copts = test::fast_cluster(1);
  copts.heartbeat_interval = 200ms;
  mesos_actor::sim::cluster a{copts}, b{copts};
  a.start();
  b.start();
  auto url_a = a.master_urls()[0], url_b = b.master_urls()[0];
  auto node_a = masters.create("/mesos/json.info_",
                               zk_test::master_info_json("127.0.0.1", std::stoi(port_of(url_a)), "a"),
                               ZOO_EPHEMERAL | ZOO_SEQUENCE);
  masters.create("/mesos/json.info_",
                 zk_test::master_info_json("127.0.0.1", std::stoi(port_of(url_b)), "b"),
                 ZOO_EPHEMERAL | ZOO_SEQUENCE);

  test::system_config cfg;
  caf::actor_system sys{cfg};
  auto log = std::make_shared<test::event_log>();
  auto behaviour = std::make_unique<test::recording_scheduler>(log);
  registrations regs;
  regs.hook(*behaviour);
  auto o = test::fast_options({zk.url("/mesos")}, mesos_actor::content_type::protobuf);
  o.heartbeat_timeout_window = 30s; // the watchdog would take 30 s: far beyond the waits below
  o.stream_read_timeout = 60s;
  auto sched = mesos_actor::spawn_scheduler(sys, std::move(behaviour), o);
  REQUIRE(regs.wait_nth(1, port_of(url_a)));

  auto moved_at = std::chrono::steady_clock::now();
  masters.remove(node_a);
  REQUIRE(regs.wait_nth(2, port_of(url_b), 10s));
  CHECK(std::chrono::steady_clock::now() - moved_at < 5s);
  CHECK(log->count("disconnected") == 1);
  caf::anon_send_exit(sched, caf::exit_reason::user_shutdown);
  CHECK(test::wait_exit(sys, sched, 10s));
}

TEST_CASE("simulated masters in ZooKeeper: the scheduler follows two leader changes and no leader") {
  zk_test::zk_server zk;
  auto copts = test::fast_cluster(3);
  copts.zookeeper = zk.url("/mesos");
  mesos_actor::sim::cluster sim{copts};
  sim.start();
  auto urls = sim.master_urls();
  REQUIRE(sim.leader() == std::optional<std::size_t>{0});

  test::system_config cfg;
  caf::actor_system sys{cfg};
  auto log = std::make_shared<test::event_log>();
  auto behaviour = std::make_unique<test::recording_scheduler>(log);
  registrations regs;
  regs.hook(*behaviour);
  auto sched = mesos_actor::spawn_scheduler(
    sys, std::move(behaviour), test::fast_options({zk.url("/mesos")}, mesos_actor::content_type::json));
  REQUIRE(regs.wait_nth(1, port_of(urls[0])));

  // Leader change 1: master 0 withdraws in favour of 2 (ZooKeeper decides, the sim follows).
  sim.faults().set_leader(2);
  REQUIRE(regs.wait_nth(2, port_of(urls[2])));
  CHECK(sim.leader() == std::optional<std::size_t>{2});

  // No leader at all (every node withdrawn), then master 1 leads: waited out, not fatal.
  sim.faults().no_leader();
  REQUIRE(log->wait("disconnected", 10s));
  sim.faults().set_leader(1);
  REQUIRE(regs.wait_nth(3, port_of(urls[1])));
  CHECK(sim.leader() == std::optional<std::size_t>{1});
  CHECK(log->count("terminate") == 0);
  auto fw = sim.frameworks();
  REQUIRE(fw.size() == 1);
  CHECK(fw[0].subscribed);
  caf::anon_send_exit(sched, caf::exit_reason::user_shutdown);
  CHECK(test::wait_exit(sys, sched, 10s));
}

TEST_CASE("a host shares one detector among its frameworks on the same zk:// URL") {
  zk_test::zk_server zk;
  auto copts = test::fast_cluster(2);
  copts.zookeeper = zk.url("/mesos");
  mesos_actor::sim::cluster sim{copts};
  sim.start();
  auto sessions_before = zk.session_ids().size(); // the simulator's own session
  mesos_actor::host_options hopts;
  hopts.logging.min_level = mesos_actor::log_level::off;
  mesos_actor::host host{hopts};
  auto log = std::make_shared<test::event_log>();
  auto factory = [log] { return std::make_unique<test::recording_scheduler>(log); };
  auto o = test::fast_options({zk.url("/mesos")}, mesos_actor::content_type::protobuf);
  REQUIRE(host.start_scheduler("one", factory, o));
  REQUIRE(host.start_scheduler("two", factory, o));
  REQUIRE(log->wait_until([](const std::vector<test::entry>& es) {
    return std::count_if(es.begin(), es.end(), [](auto& e) { return e.name == "registered"; }) == 2;
  }, 10s));
  CHECK(zk.session_ids().size() == sessions_before + 1);
  sim.faults().set_leader(1);
  CHECK(log->wait_until([](const std::vector<test::entry>& es) {
    return std::count_if(es.begin(), es.end(), [](auto& e) { return e.name == "reregistered"; }) == 2;
  }, 10s));
  host.shutdown();
}

TEST_CASE("no leader in ZooKeeper: the scheduler waits with backoff, bounded by max_num_subscribe") {
  zk_test::zk_server zk;
  test::system_config cfg;
  caf::actor_system sys{cfg};
  auto log = std::make_shared<test::event_log>();
  auto o = test::fast_options({zk.url("/empty")}, mesos_actor::content_type::protobuf);
  o.max_num_subscribe = 3;
  auto started = std::chrono::steady_clock::now();
  auto sched = mesos_actor::spawn_scheduler(sys, std::make_unique<test::recording_scheduler>(log), o);
  auto reason = test::wait_exit(sys, sched, 10s);
  REQUIRE(reason);
  CHECK(*reason == mesos_actor::make_error(mesos_actor::errc::no_master_reachable));
  CHECK(mesos_actor::describe(*reason).find("no leading master known in ZooKeeper") != std::string::npos);
  // Three attempts with backoff (10..50 ms): waited, not instant, and bounded.
  CHECK(std::chrono::steady_clock::now() - started >= 10ms);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("a master appearing in ZooKeeper ends the scheduler's wait at once") {
  zk_test::zk_server zk;
  auto copts = test::fast_cluster(1);
  mesos_actor::sim::cluster sim{copts};
  sim.start();
  test::system_config cfg;
  caf::actor_system sys{cfg};
  auto log = std::make_shared<test::event_log>();
  auto o = test::fast_options({zk.url("/mesos")}, mesos_actor::content_type::protobuf);
  o.backoff_initial = 1000ms; // waiting for a leader must not sit out the backoff
  o.backoff_max = 2000ms;
  o.backoff_jitter = 0; // the first attempt would come at exactly 1000 ms
  auto sched = mesos_actor::spawn_scheduler(sys, std::make_unique<test::recording_scheduler>(log), o);
  zk_test::zk_client masters{zk.address()};
  masters.ensure("/mesos");
  auto appeared = std::chrono::steady_clock::now();
  masters.create("/mesos/json.info_",
                 zk_test::master_info_json("127.0.0.1", std::stoi(port_of(sim.master_urls()[0])), "m"),
                 ZOO_EPHEMERAL | ZOO_SEQUENCE);
  REQUIRE(log->wait("registered", 10s));
  CHECK(std::chrono::steady_clock::now() - appeared < 900ms);
  caf::anon_send_exit(sched, caf::exit_reason::user_shutdown);
  CHECK(test::wait_exit(sys, sched, 10s));
}

TEST_CASE("the simulator's ZooKeeper session expires: its masters register again, same leader") {
  zk_test::zk_server zk;
  auto copts = test::fast_cluster(2);
  copts.zookeeper = zk.url("/mesos");
  mesos_actor::sim::cluster sim{copts};
  sim.start();
  auto ids = zk.session_ids();
  REQUIRE(ids.size() == 1); // the simulator's own session
  test::system_config cfg;
  caf::actor_system sys{cfg};
  auto det = mesos_actor::spawn_master_detector(sys, zk.url("/mesos"));
  REQUIRE(det);
  zk_test::leader_probe probe{sys, *det};
  auto port0 = static_cast<std::uint16_t>(std::stoi(port_of(sim.master_urls()[0])));
  REQUIRE(probe.wait_port(port0));
  // Joining and closing the session ends it (its ephemeral nodes go); the simulator
  // may win the connection back before the close goes out, so try a few times.
  bool gone = false;
  for (int attempt = 0; attempt < 5 && !gone; ++attempt) {
    try {
      zk_test::zk_client thief{zk.address(), ids[0], zk_test::session_password(ids[0]), 2s};
      thief.close();
    } catch (const std::exception&) {
      // lost the tug of war before connecting (its close may still have ended it)
    }
    gone = probe.wait_none(3s);
  }
  REQUIRE(gone);
  REQUIRE(probe.wait_port(port0));
  CHECK(sim.leader() == std::optional<std::size_t>{0});
  caf::anon_send_exit(*det, caf::exit_reason::user_shutdown);
}
