// How a host merges reads of changed refs with its own claims and releases
// (src/fleet/ref_cache.hpp), without ZooKeeper: a read sent before this host's claim or
// release of a ref must never undo it in the host's view.
#include <doctest/doctest.h>

#include "fleet/ref_cache.hpp"

using namespace mesos_actor::fleet;

namespace {

ref_entry cache_row(const std::string& name, const std::string& owner = {},
                    const std::string& framework_id = {}) {
  ref_entry e;
  e.ref = name;
  e.owner = owner;
  e.framework_id = framework_id;
  e.spec = ref_spec{};
  e.spec->factory = "f";
  return e;
}

std::string owner_in(const ref_cache& c, const std::string& ref) {
  const auto* e = c.find(ref);
  REQUIRE(e != nullptr);
  return e->owner;
}

} // namespace

TEST_CASE("a read of some refs keeps the others' entries and drops refs no longer listed") {
  ref_cache c{"a"};
  c.apply(1, {"r1", "r2", "r3"}, {cache_row("r1", "b"), cache_row("r2"), cache_row("r3", "c")});
  c.apply(2, {"r1", "r2"}, {cache_row("r2", "c")}); // r3 removed, r2 changed, r1 not read
  CHECK(owner_in(c, "r1") == "b");
  CHECK(owner_in(c, "r2") == "c");
  CHECK(c.find("r3") == nullptr);
  CHECK(c.clean_except({"r2"}) == std::vector<std::string>{"r1"});
}

TEST_CASE("a read sent before this host's claim does not make the ref unowned or another's") {
  ref_cache c{"a"};
  c.apply(1, {"r1", "r2"}, {cache_row("r1", "b"), cache_row("r2", "b")});
  // Host b is gone; read 2 is under way when the claims of r1 and r2 are answered.
  c.claimed("r1", "fw-1", 3);
  c.claimed("r2", "", 3);
  c.apply(2, {"r1", "r2"}, {cache_row("r1"), cache_row("r2", "b")}); // older than the claims
  CHECK(owner_in(c, "r1") == "a");
  CHECK(owner_in(c, "r2") == "a");
  CHECK(c.find("r1")->framework_id == "fw-1");
  // Read 3 was sent after the claims: it has the last word.
  c.apply(3, {"r1", "r2"}, {cache_row("r1", "a", "fw-1"), cache_row("r2", "c")});
  CHECK(owner_in(c, "r1") == "a");
  CHECK(owner_in(c, "r2") == "c");
}

TEST_CASE("a read sent before this host's release does not give the ref back to it") {
  ref_cache c{"a"};
  c.apply(1, {"r1"}, {cache_row("r1", "a")});
  c.released("r1", 3);
  CHECK(owner_in(c, "r1").empty());
  c.apply(2, {"r1"}, {cache_row("r1", "a")});
  CHECK(owner_in(c, "r1").empty());
  // Nor does an older listing without it remove the entry.
  c.apply(2, {}, {});
  CHECK(c.find("r1") != nullptr);
  c.apply(3, {"r1"}, {cache_row("r1", "b")});
  CHECK(owner_in(c, "r1") == "b");
}

TEST_CASE("an owner gone with its session leaves the ref unowned, never one of ours") {
  ref_cache c{"a"};
  c.apply(1, {"r1", "r2"}, {cache_row("r1", "b"), cache_row("r2", "a")});
  c.owner_gone("r1");
  c.owner_gone("r2");
  CHECK(owner_in(c, "r1").empty());
  CHECK(owner_in(c, "r2") == "a");
}
