// mesos_actor::resources against the behaviour Mesos documents for resources
// (attributes-resources, reservation, persistent-volume, shared-resources, multiple roles).
#include <doctest/doctest.h>

#include "toolkit/resource_helpers.hpp"

using mesos_actor::resources;
using toolkit_test::R;
using Resource = mesos::v1::Resource;

TEST_CASE("resources: scalars are fixed point with three decimals") {
  // Mesos rounds every scalar to the nearest thousandth and compares thousandths.
  CHECK(R("cpus:0.1") + R("cpus:0.2") == R("cpus:0.3"));
  CHECK(*(R("cpus:0.1") + R("cpus:0.2")).scalar_total("cpus") == 0.3);
  CHECK(R("cpus:1.0004") == R("cpus:1"));
  CHECK(R("cpus:1.0005") == R("cpus:1.001"));
  CHECK(R("mem:0.0004").empty()); // rounds to 0: no resource at all
  CHECK(R("cpus:3").contains(R("cpus:2.9996")));
  CHECK_FALSE(R("cpus:3").contains(R("cpus:3.0006")));
  resources sum;
  for (int i = 0; i < 10; ++i)
    sum += R("cpus:0.1");
  CHECK(sum == R("cpus:1"));
  CHECK(sum.to_string() == "cpus(*):1");
}

TEST_CASE("resources: large scalars print and parse back exactly, up to max_scalar_value") {
  // A double holds every thousandth only below 2^42: 4444444444444.44 once printed as
  // ...442 and parsed back as ...444 (found by fuzz_resource_text). The limit keeps every
  // accepted value, and every sum, where the text round trip is exact.
  CHECK(mesos_actor::max_scalar_value < 4398046511104.0);
  for (const char* text : {"p(*):999999999999.999", "p(*):4398046511.103", "p(*):1000000000000",
                           "p(*):123456789012.345"}) {
    auto once = R(text);
    CHECK(once.to_string() == text);
    CHECK(R(once.to_string()) == once);
  }
  auto over = resources::parse("p:4444444444444.44");
  REQUIRE_FALSE(over);
  CHECK(mesos_actor::error_detail(over.error()).find("above 1000000000000") != std::string::npos);
  // Sums saturate at the maximum, so what is printed still parses.
  auto big = R("p:900000000000");
  auto sum = big + big + big;
  CHECK(sum.to_string() == "p(*):1000000000000");
  CHECK(R(sum.to_string()) == sum);
  CHECK(*(sum - big).scalar_total("p") == 100000000000.0);
}

TEST_CASE("resources: addition merges like resources, subtraction never goes below zero") {
  auto a = R("cpus:2;mem:1024;ports:[31000-31010]");
  auto b = R("cpus:1;mem:512;ports:[31011-31020];gpus:1");
  auto sum = a + b;
  CHECK(sum.size() == 4);
  CHECK(*sum.scalar_total("cpus") == 3);
  CHECK(*sum.scalar_total("mem") == 1536);
  CHECK(sum.ranges_total("ports") ==
        std::vector<std::pair<std::uint64_t, std::uint64_t>>{{31000, 31020}});
  CHECK(sum - b == a);
  // Taking more than there is leaves nothing of it (Mesos drops a negative result).
  CHECK((R("cpus:1;mem:10") - R("cpus:2")) == R("mem:10"));
  // Subtracting what is absent changes nothing.
  CHECK((R("cpus:1") - R("mem:5")) == R("cpus:1"));
  CHECK_FALSE(R("cpus:1").scalar_total("mem"));
}

TEST_CASE("resources: ranges are coalesced and cut") {
  CHECK(R("ports:[1-2, 3-4]").ranges_total("ports") ==
        std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 4}});
  CHECK(R("ports:[5-10, 1-6]").to_string() == "ports(*):[1-10]");
  auto cut = R("ports:[31000-32000]") - R("ports:[31005-31005, 31990-32010]");
  CHECK(cut.to_string() == "ports(*):[31000-31004, 31006-31989]");
  CHECK(R("ports:[31000-32000]").contains(R("ports:[31000-31000, 31500-31600]")));
  CHECK_FALSE(R("ports:[31000-32000]").contains(R("ports:[30999-31000]")));
  CHECK((R("ports:[1-5]") - R("ports:[1-5]")).empty());
  CHECK(R("ports:[0-18446744073709551615]").contains(R("ports:[18446744073709551615-18446744073709551615]")));
}

TEST_CASE("resources: sets") {
  auto zones = R("zones:{a, b}") + R("zones:{b, c}");
  CHECK(zones.set_total("zones") == std::set<std::string>{"a", "b", "c"});
  CHECK(zones.contains(R("zones:{c, a}")));
  CHECK_FALSE(zones.contains(R("zones:{d}")));
  CHECK((zones - R("zones:{b}")).set_total("zones") == std::set<std::string>{"a", "c"});
  CHECK(R("zones:{a, b}") == R("zones:{b, a}"));
}

TEST_CASE("resources: types and names keep resources apart") {
  CHECK_FALSE(R("cpus:1").contains(R("mem:1")));
  auto mixed = R("cpus:1;mem:1;disk:1;ports:[1-1];zones:{x}");
  CHECK(mixed.names() == std::set<std::string>{"cpus", "disk", "mem", "ports", "zones"});
  CHECK(mixed.named("mem") == R("mem:1"));
  CHECK(mixed.scalar_quantities() == R("cpus:1;mem:1;disk:1"));
}

TEST_CASE("resources: static and dynamic reservations (reservation docs)") {
  // An agent started with --resources="cpus:4;cpus(ads):2" offers both, apart.
  auto agent = R("cpus:4;cpus(ads):2");
  CHECK(agent.size() == 2);
  CHECK(agent.unreserved() == R("cpus:4"));
  CHECK(agent.reserved("ads") == R("cpus(ads):2"));
  CHECK(agent.statically_reserved() == R("cpus(ads):2"));
  CHECK(agent.reserved("ads").to_string() == "cpus(ads):2");
  CHECK(*agent.scalar_total("cpus") == 6);
  CHECK_FALSE(agent.unreserved().contains(R("cpus:5")));
  CHECK(agent.flatten().contains(R("cpus:5")));

  // RESERVE by a framework of role "ads", principal "ops": a DYNAMIC reservation.
  Resource::ReservationInfo dyn;
  dyn.set_type(Resource::ReservationInfo::DYNAMIC);
  dyn.set_role("ads");
  dyn.set_principal("ops");
  auto reserved = R("cpus:1;mem:512").push_reservation(dyn);
  REQUIRE(reserved);
  CHECK(reserved->dynamically_reserved() == *reserved);
  CHECK(reserved->to_string() ==
        "cpus(reservations: [(DYNAMIC,ads,ops)]):1; mem(reservations: [(DYNAMIC,ads,ops)]):512");
  // A dynamic reservation is a different resource from a static one to the same role.
  CHECK_FALSE(R("cpus(ads):1").contains(reserved->named("cpus")));
  // UNRESERVE gives the unreserved resources back.
  auto unreserved = reserved->pop_reservation();
  REQUIRE(unreserved);
  CHECK(*unreserved == R("cpus:1;mem:512"));
  CHECK_FALSE(R("cpus:1").pop_reservation());
}

TEST_CASE("resources: refined reservations and hierarchical roles (reservation docs)") {
  Resource::ReservationInfo eng;
  eng.set_type(Resource::ReservationInfo::DYNAMIC);
  eng.set_role("eng");
  auto for_eng = R("cpus:2").push_reservation(eng);
  REQUIRE(for_eng);
  // eng/backend may use eng's reservation, and refine it to itself.
  CHECK(for_eng->allocatable_to("eng/backend") == *for_eng);
  CHECK(for_eng->allocatable_to("eng") == *for_eng);
  CHECK(for_eng->allocatable_to("ops").empty());
  CHECK(for_eng->allocatable_to("engineering").empty()); // a prefix is not a parent
  auto backend = eng;
  backend.set_role("eng/backend");
  auto refined = for_eng->push_reservation(backend);
  REQUIRE(refined);
  CHECK(refined->with_refined_reservations() == *refined);
  CHECK(refined->reserved("eng/backend") == *refined);
  CHECK(refined->reserved("eng").empty());
  // eng cannot use what was refined to its child.
  CHECK(refined->allocatable_to("eng").empty());
  CHECK(refined->to_string() == "cpus(reservations: [(DYNAMIC,eng),(DYNAMIC,eng/backend)]):2");
  // Popping the refinement gives eng's reservation back.
  CHECK(*refined->pop_reservation() == *for_eng);
  // A refinement must go to a sub-role, and only the first reservation may be STATIC.
  auto ops = eng;
  ops.set_role("ops");
  CHECK_FALSE(for_eng->push_reservation(ops));
  auto stat = backend;
  stat.set_type(Resource::ReservationInfo::STATIC);
  CHECK_FALSE(for_eng->push_reservation(stat));
  auto star = eng;
  star.set_role("*");
  CHECK_FALSE(R("cpus:1").push_reservation(star));
}

TEST_CASE("resources: allocation info of MULTI_ROLE offers") {
  auto a = R("cpus:1;mem:10").allocate("eng");
  auto b = R("cpus:2").allocate("ops");
  REQUIRE(a);
  REQUIRE(b);
  auto offered = *a + *b;
  // Resources allocated to different roles are not merged.
  CHECK(offered.size() == 3);
  CHECK_FALSE(a->contains(R("cpus:1"))); // allocated differs from unallocated
  auto by_role = offered.allocations();
  REQUIRE(by_role.size() == 2);
  CHECK(by_role["eng"] == *a);
  CHECK(by_role["ops"] == *b);
  CHECK(offered.unallocate() == R("cpus:3;mem:10"));
  CHECK(a->to_string() == "cpus(*)(allocated: eng):1; mem(*)(allocated: eng):10");
  CHECK_FALSE(R("cpus:1").allocate("-bad"));
}

namespace {
// disk(role, principal) with DiskInfo.persistence.id = id (a persistent volume).
Resource volume(const std::string& id, double mb, const std::string& path = "data",
                bool shared = false, const char* mount_root = nullptr) {
  Resource r;
  r.set_name("disk");
  r.set_type(mesos::v1::Value::SCALAR);
  r.mutable_scalar()->set_value(mb);
  auto* res = r.add_reservations();
  res->set_type(Resource::ReservationInfo::DYNAMIC);
  res->set_role("db");
  res->set_principal("alice");
  if (mount_root) {
    r.mutable_disk()->mutable_source()->set_type(Resource::DiskInfo::Source::MOUNT);
    r.mutable_disk()->mutable_source()->mutable_mount()->set_root(mount_root);
  }
  if (!id.empty()) {
    r.mutable_disk()->mutable_persistence()->set_id(id);
    r.mutable_disk()->mutable_volume()->set_container_path(path);
    r.mutable_disk()->mutable_volume()->set_mode(mesos::v1::Volume::RW);
  }
  if (shared)
    r.mutable_shared();
  return r;
}

resources of(const Resource& r) {
  auto out = resources::of(r);
  REQUIRE(out);
  return *out;
}
} // namespace

TEST_CASE("resources: persistent volumes stay whole and distinct (persistent-volume docs)") {
  auto v1 = of(volume("v1", 64));
  auto v2 = of(volume("v2", 64));
  auto both = v1 + v2;
  CHECK(both.size() == 2);
  CHECK(both.persistent_volumes() == both);
  // A volume is not merged with the plain reserved disk it was created from.
  auto plain = of(volume("", 64));
  CHECK((plain + v1).size() == 2);
  // Taking part of a volume takes nothing; taking the volume takes it whole.
  CHECK(v1 - of(volume("v1", 32)) == v1);
  CHECK((both - v1) == v2);
  CHECK_FALSE(v1.contains(of(volume("v1", 32))));
  // The same volume added twice is two entries (they are never merged), and
  // contains() needs one entry per copy asked for.
  auto twice = v1 + v1;
  CHECK(twice.size() == 2);
  CHECK(twice.contains(v1 + v1));
  CHECK_FALSE(v1.contains(v1 + v1));
  // Where the volume is mounted in the container does not make it another volume.
  CHECK(v1 == of(volume("v1", 64, "elsewhere")));
  CHECK(v1.to_string() == "disk(reservations: [(DYNAMIC,db,alice)])[v1:data:RW]:64");
}

TEST_CASE("resources: MOUNT disks are exclusive") {
  auto d1 = of(volume("", 100, "", false, "/mnt/d1"));
  auto d2 = of(volume("", 100, "", false, "/mnt/d2"));
  CHECK((d1 + d2).size() == 2);
  CHECK((d1 + d1).size() == 2); // even the same disk twice is not one bigger disk
  CHECK(d1 - of(volume("", 50, "", false, "/mnt/d1")) == d1); // no partial use
  CHECK((d1 - d1).empty());
  CHECK(d1.to_string() == "disk(reservations: [(DYNAMIC,db,alice)])[MOUNT:/mnt/d1]:100");
}

TEST_CASE("resources: shared persistent volumes are counted (shared-resources docs)") {
  auto shared = of(volume("v1", 64, "data", true));
  auto twice = shared + shared;
  CHECK(twice.size() == 1); // one entry, counted twice
  CHECK(twice.to_proto().size() == 2);
  CHECK(twice.contains(shared + shared));
  CHECK_FALSE(shared.contains(twice));
  CHECK(twice - shared == shared);
  CHECK((twice - shared - shared).empty());
  CHECK(twice.shared() == twice);
  CHECK(twice.non_shared().empty());
  // A shared volume is not the same resource as the unshared one.
  CHECK_FALSE(shared.contains(of(volume("v1", 64))));
  CHECK(*twice.scalar_total("disk") == 128);
  CHECK(shared.to_string() == "disk(reservations: [(DYNAMIC,db,alice)])[v1:data:RW]<SHARED>:64");
  // Only persistent volumes can be shared.
  auto bad = volume("", 64);
  bad.mutable_shared();
  CHECK_FALSE(resources::of(bad));
}

TEST_CASE("resources: revocable resources are apart from the rest") {
  Resource rev;
  rev.set_name("cpus");
  rev.set_type(mesos::v1::Value::SCALAR);
  rev.mutable_scalar()->set_value(0.5);
  rev.mutable_revocable();
  auto mixed = R("cpus:1") + of(rev);
  CHECK(mixed.size() == 2);
  CHECK(mixed.revocable() == of(rev));
  CHECK(mixed.non_revocable() == R("cpus:1"));
  CHECK_FALSE(R("cpus:2").contains(of(rev)));
  CHECK(of(rev).to_string() == "cpus(*){REV}:0.5");
  CHECK(R("cpus(*){REV}:0.5") == of(rev));
}

TEST_CASE("resources: invalid resources are refused with a reason") {
  auto check_bad = [](const Resource& r, const std::string& words) {
    auto got = resources::of(r);
    REQUIRE_FALSE(got);
    CHECK(mesos_actor::error_detail(got.error()).find(words) != std::string::npos);
  };
  Resource r;
  r.set_type(mesos::v1::Value::SCALAR);
  r.mutable_scalar()->set_value(1);
  check_bad(r, "no name");
  r.set_name("cpus");
  r.mutable_scalar()->set_value(-1);
  check_bad(r, "negative");
  r.mutable_scalar()->set_value(std::numeric_limits<double>::quiet_NaN());
  check_bad(r, "not finite");
  r.mutable_scalar()->set_value(2e15);
  check_bad(r, "above");
  r.mutable_scalar()->set_value(1);
  r.mutable_ranges();
  check_bad(r, "nothing else");
  Resource ports;
  ports.set_name("ports");
  ports.set_type(mesos::v1::Value::RANGES);
  auto* range = ports.mutable_ranges()->add_range();
  range->set_begin(10);
  range->set_end(9);
  check_bad(ports, "begin is after its end");
  Resource set;
  set.set_name("zones");
  set.set_type(mesos::v1::Value::SET);
  set.mutable_set()->add_item("a");
  set.mutable_set()->add_item("a");
  check_bad(set, "twice");
  Resource cpus_disk = volume("v1", 1);
  cpus_disk.set_name("cpus");
  check_bad(cpus_disk, "not 'disk'");
  Resource bad_role = volume("", 1);
  bad_role.mutable_reservations(0)->set_role("a//b");
  check_bad(bad_role, "empty component");
  // The whole list fails and names the offending entry.
  mesos_actor::resource_list list;
  *list.Add() = volume("", 1);
  *list.Add() = ports;
  auto got = resources::from_proto(list);
  REQUIRE_FALSE(got);
  CHECK(mesos_actor::error_detail(got.error()).rfind("resource 1:", 0) == 0);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
TEST_CASE("resources: the pre-refinement role/reservation fields are read as reservations") {
  Resource legacy;
  legacy.set_name("cpus");
  legacy.set_type(mesos::v1::Value::SCALAR);
  legacy.mutable_scalar()->set_value(1);
  legacy.set_role("ads");
  CHECK(*resources::of(legacy) == R("cpus(ads):1")); // role alone: a static reservation
  legacy.mutable_reservation()->set_principal("ops");
  auto dyn = resources::of(legacy);
  REQUIRE(dyn);
  CHECK(dyn->to_string() == "cpus(reservations: [(DYNAMIC,ads,ops)]):1");
  CHECK_FALSE(dyn->to_proto()[0].has_role());
  legacy.clear_role();
  CHECK_FALSE(resources::of(legacy)); // a reservation without a role
}
#pragma GCC diagnostic pop

TEST_CASE("resources: role names follow Mesos's rules") {
  for (const char* good : {"*", "eng", "eng/web", "a.b", "team_1", "x-y"})
    CHECK_MESSAGE(mesos_actor::validate_role(good).empty(), good);
  for (const char* bad : {"", ".", "..", "-eng", "eng/", "/eng", "a//b", "a/./b", "a b", "a\\b", "eng/*"})
    CHECK_FALSE_MESSAGE(mesos_actor::validate_role(bad).empty(), bad);
  CHECK(mesos_actor::is_strict_subrole("eng/web", "eng"));
  CHECK_FALSE(mesos_actor::is_strict_subrole("eng", "eng"));
  CHECK_FALSE(mesos_actor::is_strict_subrole("engine", "eng"));
}
