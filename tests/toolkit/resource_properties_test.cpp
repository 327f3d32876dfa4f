// The algebra's laws on random resources (fixed seeds: a failure replays).
#include <random>

#include <doctest/doctest.h>

#include "toolkit/resource_helpers.hpp"

using mesos_actor::resources;
using toolkit_test::R;

namespace {

// Random resources over a small universe so that collisions (merges) are frequent.
class generator {
public:
  explicit generator(unsigned seed) : rng_(seed) {}

  resources any(bool scalars_only = false) {
    std::string text;
    int n = pick(0, 4);
    for (int i = 0; i < n; ++i)
      text += one(scalars_only) + ";";
    return R(text);
  }

private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string role_part() {
    switch (pick(0, 5)) {
      case 0: return "(*)";
      case 1: return "(eng)";
      case 2: return "(reservations: [(DYNAMIC,eng,p)])";
      case 3: return "(reservations: [(DYNAMIC,eng),(DYNAMIC,eng/web)])";
      case 4: return "(*)(allocated: eng)";
      default: return "";
    }
  }

  std::string scalar() {
    return std::to_string(pick(0, 4000) / 1000.0 + pick(0, 3)); // thousandths and more
  }

  std::string one(bool scalars_only) {
    int kind = scalars_only ? pick(0, 2) : pick(0, 6);
    switch (kind) {
      case 0: return "cpus" + role_part() + (pick(0, 4) == 0 ? "{REV}" : "") + ":" + scalar();
      case 1: return "mem" + role_part() + ":" + scalar();
      case 2: {
        if (pick(0, 2) != 0)
          return "disk" + role_part() + ":" + scalar();
        std::string id = pick(0, 1) ? "v1" : "v2";
        return "disk(reservations: [(DYNAMIC,db,p)])[" + id + ":data:RW]" +
               (pick(0, 1) ? "<SHARED>" : "") + ":" + (id == "v1" ? "64" : "32");
      }
      case 3:
      case 4: {
        int b = pick(0, 40);
        return "ports" + role_part() + ":[" + std::to_string(b) + "-" + std::to_string(b + pick(0, 10)) + "]";
      }
      default: {
        const char* items[] = {"a", "b", "c", "d"};
        return std::string("zones") + role_part() + ":{" + items[pick(0, 1)] + "," + items[pick(2, 3)] + "}";
      }
    }
  }

  std::mt19937 rng_;
};

constexpr int rounds = 3000;

} // namespace

TEST_CASE("resource properties: addition") {
  generator gen(17);
  for (int i = 0; i < rounds; ++i) {
    auto a = gen.any();
    auto b = gen.any();
    auto sum = a + b;
    CHECK_MESSAGE(sum.contains(a), a.to_string(), " + ", b.to_string());
    CHECK_MESSAGE(sum.contains(b), a.to_string(), " + ", b.to_string());
    CHECK_MESSAGE(sum == b + a, a.to_string(), " + ", b.to_string());
    CHECK(a + resources{} == a);
    auto c = gen.any();
    CHECK_MESSAGE((a + b) + c == a + (b + c), a.to_string(), " | ", b.to_string(), " | ", c.to_string());
  }
}

TEST_CASE("resource properties: subtraction") {
  generator gen(4711);
  for (int i = 0; i < rounds; ++i) {
    auto a = gen.any();
    auto b = gen.any();
    CHECK(a.contains(a - b));
    CHECK((a - a).empty());
    CHECK(a - resources{} == a);
    // What is contained can be taken away and put back.
    CHECK_MESSAGE((a + b) - b + b == a + b, a.to_string(), " | ", b.to_string());
    if (a.contains(b))
      CHECK_MESSAGE((a - b) + b == a, a.to_string(), " | ", b.to_string());
    // With scalars only, subtraction undoes addition exactly (fixed point).
    auto x = gen.any(true);
    auto y = gen.any(true);
    CHECK_MESSAGE((x + y) - y == x, x.to_string(), " | ", y.to_string());
  }
}

TEST_CASE("resource properties: text and protobuf round trips, flatten keeps amounts") {
  generator gen(99);
  for (int i = 0; i < rounds; ++i) {
    auto a = gen.any();
    CHECK_MESSAGE(R(a.to_string()) == a, a.to_string());
    CHECK(R(a.to_string()).to_string() == a.to_string());
    auto back = resources::from_proto(a.to_proto());
    REQUIRE(back);
    CHECK(*back == a);
    for (const char* name : {"cpus", "mem", "disk"})
      CHECK(a.flatten().scalar_total(name) == a.scalar_total(name));
    CHECK(a.flatten().ranges_total("ports") == a.ranges_total("ports"));
    CHECK(a.reserved() + a.unreserved() == a);
    CHECK(a.revocable() + a.non_revocable() == a);
  }
}
