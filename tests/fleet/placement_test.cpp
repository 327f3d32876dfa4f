// The fleet's ownership rule (src/fleet/placement.cpp), without ZooKeeper.
#include <doctest/doctest.h>

#include "fleet/placement.hpp"

using namespace mesos_actor::fleet;

namespace {

host_info host_row(const std::string& name, std::size_t capacity,
               std::vector<std::string> factories = {"f"}) {
  return host_info{name, capacity, std::move(factories)};
}

ref_entry ref(const std::string& name, const std::string& owner = {},
              std::vector<std::string> preference = {}, const std::string& factory = "f") {
  ref_entry e;
  e.ref = name;
  e.owner = owner;
  e.spec = ref_spec{};
  e.spec->factory = factory;
  e.spec->preference = std::move(preference);
  return e;
}

} // namespace

TEST_CASE("unowned refs go to the least loaded host with the factory, ties by name") {
  auto out = place({host_row("b", 10), host_row("a", 10), host_row("c", 10)},
                   {ref("r1"), ref("r2"), ref("r3"), ref("r4")});
  CHECK(out["r1"] == "a");
  CHECK(out["r2"] == "b");
  CHECK(out["r3"] == "c");
  CHECK(out["r4"] == "a");
}

TEST_CASE("load is relative to capacity and full hosts are skipped") {
  // a runs 1 of 2 (50%), b runs 1 of 4 (25%): b is less loaded.
  auto out = place({host_row("a", 2), host_row("b", 4)}, {ref("x", "a"), ref("y", "b"), ref("z")});
  CHECK(out["z"] == "b");
  auto full = place({host_row("a", 1)}, {ref("x", "a"), ref("z")});
  CHECK(full["z"].empty());
}

TEST_CASE("an owned ref stays where it is without a preference list (nothing moves needlessly)") {
  auto out = place({host_row("a", 10), host_row("b", 10), host_row("c", 10)},
                   {ref("r1", "c"), ref("r2", "c"), ref("r3", "c")});
  CHECK(out["r1"] == "c");
  CHECK(out["r2"] == "c");
  CHECK(out["r3"] == "c");
}

TEST_CASE("the preference list wins: the first live listed host with the factory") {
  auto hosts = std::vector<host_info>{host_row("a", 10), host_row("b", 10), host_row("c", 10, {"other"})};
  // c is preferred but lacks the factory; b is next.
  CHECK(place(hosts, {ref("r", {}, {"c", "b", "a"})})["r"] == "b");
  // Takeover: owned by a, b is listed before it and live.
  CHECK(place(hosts, {ref("r", "a", {"b", "a"})})["r"] == "b");
  // The preferred host is gone: the owner keeps it.
  CHECK(place(hosts, {ref("r", "a", {"z", "a"})})["r"] == "a");
  // Nobody listed is live and nobody owns it: least loaded.
  CHECK(place(hosts, {ref("r", {}, {"z"})})["r"] == "a");
}

TEST_CASE("refs without a live host able to run them are placed nowhere") {
  auto out = place({host_row("a", 10)}, {ref("r", {}, {}, "missing")});
  CHECK(out.count("r") == 1);
  CHECK(out["r"].empty());
}

TEST_CASE("an owner node whose host node is gone keeps the ref until it goes too") {
  auto out = place({host_row("a", 10)}, {ref("r", "dead")});
  CHECK(out["r"] == "dead");
}

TEST_CASE("refs without a spec are not placed") {
  ref_entry e;
  e.ref = "gone";
  auto out = place({host_row("a", 10)}, {e});
  CHECK(out.count("gone") == 0);
}
