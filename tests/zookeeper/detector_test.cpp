// The master detector against a real ZooKeeper server.
#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include "mesos_actor/detector/detector.hpp"
#include "zookeeper/leader_probe.hpp"
#include "zookeeper/zk_client.hpp"
#include "support/zk_server.hpp"

using namespace mesos_actor;
using namespace std::chrono_literals;
using zk_test::master_info_json;

namespace {

const int ephemeral_seq = ZOO_EPHEMERAL | ZOO_SEQUENCE;

struct detector_fixture {
  zk_test::zk_server server;
  zk_test::zk_client masters{server.address()};
  zk_test::test_system_config cfg;
  caf::actor_system sys{cfg};
  zk_test::captured_log log;
  caf::actor detector;

  detector_fixture() { masters.ensure("/mesos"); }

  ~detector_fixture() {
    if (detector)
      caf::anon_send_exit(detector, caf::exit_reason::user_shutdown);
  }

  std::string add_master(std::uint16_t port, const std::string& id) {
    return masters.create("/mesos/json.info_", master_info_json("127.0.0.1", port, id), ephemeral_seq);
  }

  void start_detector(detector_options o = {}) {
    o.logging = log.hook();
    auto d = spawn_master_detector(sys, server.url("/mesos"), o);
    REQUIRE(d);
    detector = *d;
  }
};

} // namespace

TEST_CASE_FIXTURE(detector_fixture, "leader found, other children ignored, leader change") {
  masters.create("/mesos/log_replicas", "");
  auto first = add_master(5101, "m1");
  add_master(5102, "m2");
  start_detector();
  zk_test::leader_probe probe{sys, detector};
  REQUIRE(probe.wait_port(5101));
  CHECK(probe.seen().back().master_id == "m1");
  CHECK(probe.seen().back().host == "127.0.0.1");
  CHECK(probe.seen().back().node == first.substr(first.rfind('/') + 1));
  // A later subscriber gets the current leader at once.
  zk_test::leader_probe late{sys, detector};
  REQUIRE(late.wait_port(5101, 5s));
  // The leader's node goes: the next in sequence leads.
  masters.remove(first);
  REQUIRE(probe.wait_port(5102));
  CHECK(late.wait_port(5102));
  CHECK(log.contains("leading master: 127.0.0.1:5102"));
}

TEST_CASE_FIXTURE(detector_fixture, "all masters gone, then back; a missing path appears later") {
  auto a = add_master(5201, "a");
  start_detector();
  zk_test::leader_probe probe{sys, detector};
  REQUIRE(probe.wait_port(5201));
  masters.remove(a);
  REQUIRE(probe.wait_none());
  CHECK(probe.seen().back().why.find("no json.info_ node") != std::string::npos);
  add_master(5202, "b");
  REQUIRE(probe.wait_port(5202));

  // A detector on a path that does not exist yet waits for it.
  detector_options o;
  o.logging = log.hook();
  auto other = spawn_master_detector(sys, server.url("/other/mesos"), o);
  REQUIRE(other);
  zk_test::leader_probe p2{sys, *other};
  REQUIRE(p2.wait([](const master_leader& l) {
    return !l.has_leader && l.why.find("does not exist") != std::string::npos;
  }));
  masters.ensure("/other/mesos");
  masters.create("/other/mesos/json.info_", master_info_json("127.0.0.1", 5203, "c"), ephemeral_seq);
  CHECK(p2.wait_port(5203));
  caf::anon_send_exit(*other, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(detector_fixture, "malformed leader data: reported, no leader until it is fixed or gone") {
  auto bad = masters.create("/mesos/json.info_", "this is not json", ephemeral_seq);
  add_master(5302, "good");
  start_detector();
  zk_test::leader_probe probe{sys, detector};
  // The rule: the lowest node is the leader; unreadable data means no usable leader.
  REQUIRE(probe.wait([](const master_leader& l) {
    return !l.has_leader && l.why.find("not JSON MasterInfo") != std::string::npos;
  }));
  CHECK(log.contains("not JSON MasterInfo"));
  // The leader rewrites its data: detected through the data watch.
  masters.set(bad, master_info_json("127.0.0.1", 5301, "fixed"));
  REQUIRE(probe.wait_port(5301));
  // Data without any address is malformed too; then the node goes and the next leads.
  masters.set(bad, R"({"id":"x"})");
  REQUIRE(probe.wait_none());
  CHECK(probe.seen().back().why.find("no address") != std::string::npos);
  masters.remove(bad);
  CHECK(probe.wait_port(5302));
}

TEST_CASE_FIXTURE(detector_fixture, "session expiry: a new session, the group read again") {
  add_master(5401, "m");
  start_detector();
  zk_test::leader_probe probe{sys, detector};
  REQUIRE(probe.wait_port(5401));
  // The detector's session is the one that is not ours.
  std::int64_t victim = 0;
  for (auto id : server.session_ids())
    if (id != masters.session_id())
      victim = id;
  REQUIRE(victim != 0);
  CAPTURE(log.all());
  // Joining the session and closing it ends it on the server; the detector's handle
  // then learns that its session expired. Joining moves the session's connection to
  // the joiner, and the detector may win it back before our close goes out (the close
  // is then lost): so try again, a bounded number of times.
  bool expired = false;
  for (int attempt = 0; attempt < 5 && !expired; ++attempt) {
    try {
      zk_test::zk_client thief{server.address(), victim, zk_test::session_password(victim), 2s};
      thief.close();
    } catch (const std::exception&) {
      // lost the tug of war before connecting (its close may still have ended it)
    }
    expired = probe.wait_none(3s);
  }
  REQUIRE(expired);
  CHECK(probe.seen().back().why == "ZooKeeper session expired");
  REQUIRE(probe.wait_port(5401));
  CHECK(log.contains("session expired"));
  // The new session watches again.
  add_master(5402, "m2");
  auto ids = server.session_ids();
  CHECK(std::find(ids.begin(), ids.end(), victim) == ids.end());
}

TEST_CASE_FIXTURE(detector_fixture, "ZooKeeper restart: the detector waits, keeps its leader, then follows changes") {
  auto first = add_master(5501, "m1");
  add_master(5502, "m2");
  detector_options o;
  // Both outlive the restart, also a slow one (a JVM start on a loaded machine): the
  // same session continues and the detector never gives up on the connection.
  o.session_timeout = 30s;
  o.connect_timeout = 30s;
  start_detector(o);
  zk_test::leader_probe probe{sys, detector};
  REQUIRE(probe.wait_port(5501));
  auto known = probe.seen().size();
  server.kill();
  // Connection loss is waited out: no "no leader" meanwhile.
  CHECK(probe.silent_for(300ms));
  server.start();
  // Our own client also reconnects to the restarted server (same session).
  REQUIRE(masters.wait_connected());
  masters.remove(first);
  REQUIRE(probe.wait_port(5502));
  for (auto i = known; i < probe.seen().size(); ++i) {
    CAPTURE(probe.seen()[i].why);
    CHECK(probe.seen()[i].has_leader);
  }
  CHECK(log.contains("connection to ZooKeeper lost"));
}

TEST_CASE("no ZooKeeper at all: no leader, retries, and exit stays prompt") {
  zk_test::test_system_config cfg;
  caf::actor_system sys{cfg};
  zk_test::captured_log log;
  detector_options o;
  o.connect_timeout = 300ms;
  o.retry_initial = 50ms;
  o.retry_max = 200ms;
  o.logging = log.hook();
  // A port nobody listens on (taken from a server that is gone).
  std::string url;
  {
    zk_test::zk_server gone;
    url = gone.url("/mesos");
  }
  auto d = spawn_master_detector(sys, url, o);
  REQUIRE(d);
  zk_test::leader_probe probe{sys, *d};
  REQUIRE(probe.wait([](const master_leader& l) {
    return !l.has_leader && l.why == "ZooKeeper unreachable";
  }, 5s));
  auto started = std::chrono::steady_clock::now();
  caf::anon_send_exit(*d, caf::exit_reason::user_shutdown);
  caf::scoped_actor self{sys};
  self->wait_for(*d);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE_FIXTURE(detector_fixture, "a change right before a ZooKeeper restart is seen after it") {
  auto first = add_master(5601, "m1");
  add_master(5602, "m2");
  detector_options o;
  o.session_timeout = 20s;
  start_detector(o);
  zk_test::leader_probe probe{sys, detector};
  REQUIRE(probe.wait_port(5601));
  masters.remove(first);
  server.kill();
  server.start();
  CHECK(probe.wait_port(5602));
}

TEST_CASE_FIXTURE(detector_fixture, "digest credentials in the URL: used, never logged") {
  add_master(5701, "m1");
  const std::string secret = "S3cret-Zk-pw";
  detector_options o;
  o.logging = log.hook();
  auto d = spawn_master_detector(sys, "zk://alice:" + secret + "@" + server.address() + "/mesos", o);
  REQUIRE(d);
  detector = *d;
  zk_test::leader_probe probe{sys, detector};
  REQUIRE(probe.wait_port(5701));
  CHECK(log.contains("zk://***@" + server.address() + "/mesos"));
  CHECK(log.all().find(secret) == std::string::npos);
  for (auto& l : probe.seen())
    CHECK(l.why.find(secret) == std::string::npos);
}
