// The fleet's node contents (src/fleet/nodes.cpp): round trips and clear errors.
#include <doctest/doctest.h>

#include "fleet/nodes.hpp"
#include "mesos_actor/errors.hpp"

using namespace mesos_actor::fleet;

TEST_CASE("host nodes round-trip and bad ones say what is wrong") {
  host_info h{"node-a", 7, {"analytics", "batch"}};
  auto back = decode_host(encode_host(h));
  REQUIRE(back);
  CHECK(back->name == "node-a");
  CHECK(back->capacity == 7);
  CHECK(back->factories == std::vector<std::string>{"analytics", "batch"});

  auto not_json = decode_host("{{");
  REQUIRE_FALSE(not_json);
  CHECK(mesos_actor::error_code(not_json.error()) == mesos_actor::errc::decode_error);
  auto no_capacity = decode_host(R"({"name":"a"})");
  REQUIRE_FALSE(no_capacity);
  CHECK(mesos_actor::describe(no_capacity.error()).find("capacity") != std::string::npos);
  auto zero = decode_host(R"({"name":"a","capacity":0})");
  REQUIRE_FALSE(zero);
  auto bad_name = decode_host(R"({"name":"a/b","capacity":1})");
  REQUIRE_FALSE(bad_name);
  CHECK(mesos_actor::describe(bad_name.error()).find("a/b") != std::string::npos);
}

TEST_CASE("spec nodes round-trip without anything but what the spec holds") {
  ref_spec s;
  s.factory = "analytics";
  s.master_hosts = {"10.0.0.1:5050"};
  s.params = {{"queue", "q1"}};
  s.preference = {"node-b", "node-a"};
  s.policy.restart = supervisor::restart_type::permanent;
  s.policy.max_restarts = 5;
  s.policy.period = std::chrono::milliseconds{30000};
  s.policy.shutdown_timeout = std::chrono::milliseconds{700};
  auto json = encode_spec(s);
  CHECK(json.find("password") == std::string::npos);
  auto back = decode_spec(json);
  REQUIRE(back);
  CHECK(back->factory == "analytics");
  CHECK(back->master_hosts == s.master_hosts);
  CHECK(back->params == s.params);
  CHECK(back->preference == s.preference);
  CHECK(back->policy.restart == supervisor::restart_type::permanent);
  CHECK(back->policy.max_restarts == 5);
  CHECK(back->policy.period.count() == 30000);
  CHECK(back->policy.shutdown_timeout.count() == 700);
}

TEST_CASE("malformed spec nodes are errors, never crashes") {
  for (auto text : {"", "null", "[]", "{\"factory\":\"\"}", "{\"factory\":\"x y\"}",
                    "{\"factory\":\"f\",\"policy\":{\"restart\":\"sometimes\"}}",
                    "{\"factory\":\"f\",\"preference\":[\"../x\"]}",
                    "{\"factory\":\"f\",\"policy\":{\"period_ms\":0}}"}) {
    CAPTURE(text);
    auto s = decode_spec(text);
    CHECK_FALSE(s);
  }
}

TEST_CASE("names: what a host name, ref or factory may be") {
  CHECK(valid_name("node-a.example_1"));
  CHECK_FALSE(valid_name(""));
  CHECK_FALSE(valid_name("."));
  CHECK_FALSE(valid_name(".."));
  CHECK_FALSE(valid_name("a/b"));
  CHECK_FALSE(valid_name("a b"));
  CHECK_FALSE(valid_name(std::string(129, 'a')));
}

TEST_CASE("the layout under the fleet root") {
  layout l{"/fleet"};
  CHECK(l.host("a") == "/fleet/hosts/a");
  CHECK(l.spec("r") == "/fleet/refs/r/spec");
  CHECK(l.owner("r") == "/fleet/refs/r/owner");
  CHECK(l.framework_id("r") == "/fleet/refs/r/framework_id");
}
