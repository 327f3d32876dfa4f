// The wire scenarios (scenarios.hpp) against a real master and agent. With
// MESOS_CONFORMANCE_RECORD=DIR (run.sh --record) the transcripts are written there
// (tests/conformance/transcripts/ is what the simulator test compares with); without it
// they are compared with the stored ones, so a Mesos that answers differently shows.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "conformance/real_cluster.hpp"
#include "conformance/scenarios.hpp"

using conformance::real_cluster;

TEST_CASE("wire scenarios against a real master: recorded, or compared with the stored transcripts") {
  if (auto why = real_cluster::unavailable()) {
    MESSAGE("skipped: " << *why);
    return;
  }
  real_cluster cluster{"wire"};
  const char* record_dir = std::getenv("MESOS_CONFORMANCE_RECORD");
  for (auto& name : conformance::scenario_names()) {
    CAPTURE(name);
    auto actual = conformance::run_scenario(name, cluster.master());
    for (auto& s : actual.steps)
      CHECK_MESSAGE(s.kind != "failed", s.what);
    std::string path = std::string{MESOS_ACTOR_CONFORMANCE_DIR} + "/transcripts/" + name + ".json";
    if (record_dir && *record_dir) {
      std::ofstream out{std::string{record_dir} + "/" + name + ".json"};
      out << conformance::to_json(actual);
      CHECK(out.good());
      MESSAGE("recorded " << name << ": " << actual.steps.size() << " steps");
      continue;
    }
    std::ifstream in{path};
    REQUIRE_MESSAGE(in.good(), "no stored transcript " << path << " (run.sh --record)");
    std::stringstream text;
    text << in.rdbuf();
    auto expected = conformance::from_json(text.str());
    for (auto& d : conformance::compare(expected, actual))
      CHECK_MESSAGE(false, conformance::describe(expected, d));
  }
}
