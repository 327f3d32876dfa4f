#pragma once
// The test_fleet_host children of the fleet tests: their command line, and who owns
// which ref according to their output.

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fleet/host_process.hpp"
#include "support/zk_server.hpp"

namespace fleet_test {

/// test_fleet_host's command line: host `name` of the fleet at /fleet on `zk`, session
/// timeout `t`, frameworks subscribing to `master`; `extra` flags appended.
inline std::vector<std::string> host_args(const zk_test::zk_server& zk, const std::string& master,
                                          const std::string& name, std::chrono::milliseconds t,
                                          std::vector<std::string> extra = {}) {
  std::vector<std::string> args{std::string{MESOS_ACTOR_BUILD_DIR} + "/tests/test_fleet_host",
                                "--zk", zk.url("/unused"), "--path", "/fleet", "--name", name,
                                "--master", master, "--session-timeout-ms",
                                std::to_string(t.count())};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// ref -> host, from the hosts' "SUBSCRIBED <ref> <id> <host>" lines from index `from`
/// (the newest wins).
inline std::map<std::string, std::string> owners(const std::vector<host_process*>& hosts,
                                                 std::size_t from = 0) {
  std::map<std::string, std::string> out;
  for (auto* h : hosts)
    for (auto& line : h->lines_with("SUBSCRIBED ", from)) {
      std::istringstream in{line};
      std::string tag, ref, id, host;
      in >> tag >> ref >> id >> host;
      out[ref] = host;
    }
  return out;
}

} // namespace fleet_test
