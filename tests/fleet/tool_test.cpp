// `mesos-actor fleet` against a real ZooKeeper with two fleet hosts running (child
// processes), and its errors: bad URL, unreachable server, no fleet at the path.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include <sys/wait.h>

#include <mesos_actor/sim/cluster.hpp>

#include "fleet/fleet_hosts.hpp"
#include "fleet/zk_client.hpp"
#include "support/child_process.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using fleet_test::host_args;
using fleet_test::host_process;

namespace {

struct tool_run {
  int status = -1; // exit status; -1 when it did not end by itself
  std::string output; // stdout and stderr
};

tool_run run_tool(std::vector<std::string> args) {
  args.insert(args.begin(), std::string{MESOS_ACTOR_BUILD_DIR} + "/tools/mesos-actor");
  testkit::child_process p{args, testkit::child_output{"", true, true}};
  tool_run r;
  r.output = p.read_all(30s);
  auto st = p.wait(10s);
  if (st && WIFEXITED(*st))
    r.status = WEXITSTATUS(*st);
  return r;
}

} // namespace

TEST_CASE("mesos-actor fleet lists the live hosts and the refs, as a table and as JSON") {
  zk_test::zk_server zk;
  mesos_actor::sim::cluster_options so;
  so.agents = 1;
  so.heartbeat_interval = 1s;
  mesos_actor::sim::cluster sim{so};
  sim.start();
  auto master = sim.master_urls()[0];
  host_process b{host_args(zk, master, "b", 2000ms, {"--capacity", "7"})};
  REQUIRE(b.wait_line("fleet_joined", 20s));
  host_process a{host_args(zk, master, "a", 2000ms, {"--capacity", "7", "--declare", "2", "--prefer", "pinned=b,a"})};
  CAPTURE(a.output());
  REQUIRE(a.wait_line("READY", 20s));
  REQUIRE(sim.wait_for([&] {
    auto fws = sim.frameworks();
    return fws.size() == 3
           && std::all_of(fws.begin(), fws.end(), [](auto& f) { return f.subscribed; });
  }, 60s));
  std::map<std::string, std::string> ids; // ref (= framework name) -> framework id
  for (auto& f : sim.frameworks())
    ids[f.info.name()] = f.id;
  // The ids are written before the behaviours hear of SUBSCRIBED: wait for those lines.
  REQUIRE(b.wait_line("SUBSCRIBED pinned", 10s));
  REQUIRE(sim.wait_for(
    [&] { return a.lines_with("SUBSCRIBED ").size() + b.lines_with("SUBSCRIBED ").size() >= 3; },
    10s));
  // A declared ref nobody can run, and a malformed node: listed / reported, not fatal.
  fleet_test::zk_client raw{zk.address()};
  REQUIRE(raw.create("/fleet/refs/orphan", "") == 0);
  REQUIRE(raw.create("/fleet/refs/orphan/spec",
                     "{\"factory\":\"nobody-has-it\",\"master_hosts\":[],\"params\":[],"
                     "\"preference\":[],\"policy\":{\"restart\":\"permanent\",\"max_restarts\":3,"
                     "\"period_ms\":5000,\"shutdown_timeout_ms\":1000}}")
          == 0);
  REQUIRE(raw.create("/fleet/hosts/zz-bogus", "{not json") == 0);

  // Credentials in the URL are used (open ACLs here) and never printed.
  auto url = "zk://alice:s3cret-pw@" + zk.address() + "/unused";
  auto table = run_tool({"fleet", "--zk", url, "--path", "/fleet"});
  INFO(table.output);
  CHECK(table.status == 0);
  CHECK(table.output.find("s3cret-pw") == std::string::npos);
  CHECK(table.output.find("HOST") != std::string::npos);
  CHECK(table.output.find("a     7         sleeper") != std::string::npos);
  CHECK(table.output.find("b     7         sleeper") != std::string::npos);
  CHECK(table.output.find("/fleet/hosts/zz-bogus") != std::string::npos); // the warning
  for (auto& [ref, id] : ids) {
    CAPTURE(ref);
    auto at = table.output.find("\n" + ref + " ");
    REQUIRE(at != std::string::npos);
    auto line = table.output.substr(at + 1, table.output.find('\n', at + 1) - at - 1);
    CHECK(line.find(id) != std::string::npos);
    CHECK(line.find("sleeper") != std::string::npos);
    CHECK((line.find(" a ") != std::string::npos || line.find(" b ") != std::string::npos));
  }
  CHECK(table.output.find("pinned") != std::string::npos);
  CHECK(table.output.find("b,a") != std::string::npos);
  auto orphan = table.output.find("\norphan ");
  REQUIRE(orphan != std::string::npos);
  auto orphan_line = table.output.substr(orphan + 1, table.output.find('\n', orphan + 1) - orphan - 1);
  CHECK(orphan_line.find("nobody-has-it") != std::string::npos);
  CHECK(orphan_line.find("(none)") != std::string::npos);

  auto json = run_tool({"fleet", "--zk", zk.url("/x"), "--path", "/fleet", "--json"});
  INFO(json.output);
  CHECK(json.status == 0);
  CHECK(json.output.find("{\"name\":\"a\",\"capacity\":7,\"factories\":[\"sleeper\"]}")
        != std::string::npos);
  CHECK(json.output.find("\"ref\":\"fw-0\",\"factory\":\"sleeper\"") != std::string::npos);
  CHECK(json.output.find("\"framework_id\":\"" + ids["fw-0"] + "\"") != std::string::npos);
  CHECK(json.output.find("\"ref\":\"orphan\",\"factory\":\"nobody-has-it\",\"owner\":null,"
                         "\"framework_id\":null,\"preference\":[]")
        != std::string::npos);
  CHECK(json.output.find("\"preference\":[\"b\",\"a\"]") != std::string::npos);
  CHECK(json.output.find("\"problems\":[\"/fleet/hosts/zz-bogus") != std::string::npos);
}

TEST_CASE("mesos-actor fleet: usage errors, bad URL, unreachable ZooKeeper, no fleet at the path") {
  auto none = run_tool({"fleet"});
  CHECK(none.status == 2);
  CHECK(none.output.find("--zk and --path are required") != std::string::npos);
  auto help = run_tool({"fleet", "--help"});
  CHECK(help.status == 0);
  CHECK(help.output.find("usage: mesos-actor fleet") != std::string::npos);
  auto bad_url = run_tool({"fleet", "--zk", "http://u:s3cret-pw@h:1/x", "--path", "/f"});
  INFO(bad_url.output);
  CHECK(bad_url.status == 2);
  CHECK(bad_url.output.find("s3cret-pw") == std::string::npos);
  auto bad_path = run_tool({"fleet", "--zk", "zk://127.0.0.1:1/x", "--path", "fleet"});
  CHECK(bad_path.status == 2);
  CHECK(bad_path.output.find("absolute ZooKeeper path") != std::string::npos);
  auto bad_timeout = run_tool({"fleet", "--zk", "zk://127.0.0.1:1/x", "--path", "/f",
                               "--timeout", "soon"});
  CHECK(bad_timeout.status == 2);

  // Nothing listens on the port: a clear error within the timeout.
  auto t0 = std::chrono::steady_clock::now();
  zk_test::zk_server zk;
  auto dead = "zk://alice:s3cret-pw@127.0.0.1:" + std::to_string(zk.port()) + "/x";
  zk.kill();
  auto unreachable = run_tool({"fleet", "--zk", dead, "--path", "/fleet", "--timeout", "1"});
  INFO(unreachable.output);
  CHECK(unreachable.status == 1);
  CHECK(unreachable.output.find("no session within 1000 ms") != std::string::npos);
  CHECK(unreachable.output.find("zk://***@127.0.0.1:") != std::string::npos);
  CHECK(unreachable.output.find("s3cret-pw") == std::string::npos);
  zk.start();
  auto missing = run_tool({"fleet", "--zk", zk.url("/x"), "--path", "/no/fleet/here"});
  INFO(missing.output);
  CHECK(missing.status == 1);
  CHECK(missing.output.find("no fleet at /no/fleet/here") != std::string::npos);
  // The JVM start dominates; the tool itself is bounded by its timeout.
  CHECK(std::chrono::steady_clock::now() - t0 < 60s);
}
