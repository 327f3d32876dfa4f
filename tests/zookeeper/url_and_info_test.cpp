// zk:// URL parsing and reading MasterInfo node data: no server needed.
#include <doctest/doctest.h>

#include <caf/actor_system.hpp>

#include "mesos_actor/detector/detector.hpp"
#include "mesos_actor/detector/master_info.hpp"
#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"
#include "zookeeper/leader_probe.hpp"

using namespace mesos_actor;

TEST_CASE("zk:// URLs: servers, path, digest credentials") {
  auto u = parse_zk_url("zk://alice:pw@zk1:2181,zk2:2182/mesos/prod");
  REQUIRE(u);
  CHECK(u->servers == std::vector<std::string>{"zk1:2181", "zk2:2182"});
  CHECK(u->connect_string() == "zk1:2181,zk2:2182");
  CHECK(u->path == "/mesos/prod");
  CHECK(u->user == "alice");
  CHECK(u->password == "pw");
  CHECK(u->redacted() == "zk://***@zk1:2181,zk2:2182/mesos/prod");
  auto plain = parse_zk_url("zk://127.0.0.1:2181/mesos");
  REQUIRE(plain);
  CHECK(plain->user.empty());
  CHECK(plain->redacted() == "zk://127.0.0.1:2181/mesos");
  // A password may contain '@' and ':'.
  auto odd = parse_zk_url("zk://bob:p@ss:w@zk:1/m");
  REQUIRE(odd);
  CHECK(odd->user == "bob");
  CHECK(odd->password == "p@ss:w");
  CHECK(is_zk_url("zk://x"));
  CHECK_FALSE(is_zk_url("http://zk:1/m"));
}

TEST_CASE("bad zk:// URLs are bad_option errors that never show the password") {
  const std::string secret = "Sup3rSecretPw";
  const std::vector<std::string> bad = {
    "http://zk:2181/mesos",
    "zk://zk:2181",
    "zk://zk:2181/",
    "zk:///mesos",
    "zk://user:" + secret + "@/mesos",
    "zk://user:" + secret + "@zk/mesos",
    "zk://user:" + secret + "@zk:99999/mesos",
    "zk://user:" + secret + "@zk:2181,/mesos",
    "zk://user:" + secret + "@zk:21x1/mesos",
    "zk://" + secret + "@zk:2181/mesos",
    "zk://:" + secret + "@zk:2181/mesos",
    "zk://user:@zk:2181/mesos",
    "zk://user:" + secret + "@zk:2181/mesos/",
    "zk://user:" + secret + "@zk:2181/me//sos",
    "zk://user:" + secret + "@zk:2181/mesos?x=1",
  };
  zk_test::test_system_config cfg;
  caf::actor_system sys{cfg};
  for (auto& url : bad) {
    CAPTURE(url);
    auto parsed = parse_zk_url(url);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == make_error(errc::bad_option));
    auto text = describe(parsed.error());
    CHECK(text.find("zk:// URL") != std::string::npos);
    CHECK(text.find(secret) == std::string::npos);
    auto spawned = spawn_master_detector(sys, url);
    REQUIRE_FALSE(spawned);
    CHECK(describe(spawned.error()).find(secret) == std::string::npos);
  }
}

TEST_CASE("detector options are validated") {
  zk_test::test_system_config cfg;
  caf::actor_system sys{cfg};
  detector_options o;
  o.session_timeout = std::chrono::milliseconds{0};
  auto d = spawn_master_detector(sys, "zk://127.0.0.1:1/mesos", o);
  REQUIRE_FALSE(d);
  CHECK(describe(d.error()).find("session_timeout") != std::string::npos);
  o = {};
  o.retry_max = std::chrono::milliseconds{1};
  CHECK(validate(o));
  CHECK_FALSE(validate(detector_options{}));
}

TEST_CASE("the leader is the json.info_ child with the lowest sequence") {
  CHECK(pick_leader_node({"json.info_0000000003", "json.info_0000000001", "json.info_0000000002"})
        == "json.info_0000000001");
  CHECK(pick_leader_node({"log_replicas", "json.info_0000000007", "info_0000000001",
                          "json.info_x", "json.info_", "json.info_-1", "0000000000"})
        == "json.info_0000000007");
  CHECK_FALSE(pick_leader_node({"log_replicas", "info_0000000001"}));
  CHECK_FALSE(pick_leader_node({}));
}

TEST_CASE("MasterInfo JSON: address first, then hostname/port, then the legacy ip") {
  auto full = parse_master_info(
    R"({"id":"m1","ip":16777343,"port":5050,"hostname":"h-top","address":{"hostname":"h-addr","ip":"10.0.0.1","port":5051}})");
  REQUIRE(full);
  CHECK(full->host == "h-addr");
  CHECK(full->port == 5051);
  CHECK(full->id == "m1");
  auto ip_only_address = parse_master_info(R"({"id":"m","address":{"ip":"10.0.0.2","port":6000}})");
  REQUIRE(ip_only_address);
  CHECK(ip_only_address->host == "10.0.0.2");
  CHECK(ip_only_address->port == 6000);
  auto top = parse_master_info(R"({"id":"m","hostname":"h-top","port":5055,"ip":16777343})");
  REQUIRE(top);
  CHECK(top->host == "h-top");
  CHECK(top->port == 5055);
  // Only the legacy integer: network byte order (16777343 = 127.0.0.1), port default 5050.
  auto legacy = parse_master_info(R"({"id":"m","ip":16777343})");
  REQUIRE(legacy);
  CHECK(legacy->host == "127.0.0.1");
  CHECK(legacy->port == 5050);
  CHECK_FALSE(parse_master_info("not json"));
  CHECK_FALSE(parse_master_info(R"({"id":"m"})"));
  CHECK_FALSE(parse_master_info(R"({"id":"m","hostname":"h","port":70000})"));
  CHECK_FALSE(parse_master_info(R"([1,2])"));
  auto err = parse_master_info("{");
  REQUIRE_FALSE(err);
  CHECK(err.error() == make_error(errc::protocol_error));
}
