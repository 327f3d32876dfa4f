// Offer matching on hand-made offers: constraints, splitting, ports, reservations,
// volumes, and the ACCEPT/DECLINE it makes.
#include <doctest/doctest.h>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/offer_matching.hpp"
#include "toolkit/resource_helpers.hpp"

using namespace mesos_actor;
using mesos::v1::Offer;
using toolkit_test::R;

namespace {

Offer make_offer(const std::string& id, const std::string& host, const std::string& res,
                 std::vector<std::pair<std::string, std::string>> text_attributes = {},
                 const std::string& allocated_role = "*") {
  Offer o;
  o.mutable_id()->set_value(id);
  o.mutable_framework_id()->set_value("fw");
  o.mutable_agent_id()->set_value("agent-" + host);
  o.set_hostname(host);
  auto parsed = R(res).allocate(allocated_role);
  REQUIRE(parsed);
  *o.mutable_resources() = parsed->to_proto();
  for (auto& [k, v] : text_attributes) {
    auto* a = o.add_attributes();
    a->set_name(k);
    a->set_type(mesos::v1::Value::TEXT);
    a->mutable_text()->set_value(v);
  }
  return o;
}

google::protobuf::RepeatedPtrField<Offer> offers(std::vector<Offer> list) {
  google::protobuf::RepeatedPtrField<Offer> out;
  for (auto& o : list)
    *out.Add() = std::move(o);
  return out;
}

task_requirements need(const std::string& scalars, std::size_t ports = 0) {
  task_requirements t;
  t.scalars = R(scalars);
  t.ports = ports;
  return t;
}

placement_group group(std::vector<constraint> cs) {
  auto g = placement_group::make(std::move(cs));
  REQUIRE(g);
  return std::move(*g);
}

} // namespace

TEST_CASE("offer matching: one offer split across tasks, ports assigned lowest first") {
  auto list = offers({make_offer("o1", "h1", "cpus:2;mem:1024;ports:[31000-31002, 31010-31020]")});
  offer_plan plan(list);
  std::vector<placement> placed;
  for (int i = 0; i < 10; ++i)
    if (auto p = plan.place(need("cpus:0.5;mem:128", 2), "t" + std::to_string(i)))
      placed.push_back(*p);
  REQUIRE(placed.size() == 4); // cpus run out after four
  CHECK(placed[0].ports == std::vector<std::uint64_t>{31000, 31001});
  CHECK(placed[1].ports == std::vector<std::uint64_t>{31002, 31010});
  CHECK(placed[0].taken.to_string() ==
        "cpus(*)(allocated: *):0.5; mem(*)(allocated: *):128; ports(*)(allocated: *):[31000-31001]");
  CHECK(plan.remaining(0).scalar_total("mem") == 512);
  CHECK(plan.remaining(0).ranges_total("ports") ==
        std::vector<std::pair<std::uint64_t, std::uint64_t>>{{31015, 31020}});
  CHECK_FALSE(plan.place(need("cpus:0.001"), "t-more"));
  // Not enough ports is no placement either.
  offer_plan few(offers({make_offer("o2", "h2", "cpus:1;ports:[1-2]")}));
  CHECK_FALSE(few.place(need("cpus:0.1", 3), "x"));
}

TEST_CASE("offer matching: reserved resources of the role are used first") {
  auto list = offers({make_offer("o1", "h1", "cpus:1;cpus(web):0.5;mem(web):64", {}, "web")});
  task_requirements t = need("cpus:1;mem:64");
  t.role = "web";
  offer_plan plan(list);
  auto p = plan.place(t, "t1");
  REQUIRE(p);
  CHECK(p->taken.to_string() == "cpus(web)(allocated: web):0.5; cpus(*)(allocated: web):0.5; "
                                "mem(web)(allocated: web):64");
  // Another role may not use web's reservation, nor resources allocated to web.
  task_requirements other = need("cpus:0.1");
  other.role = "ops";
  CHECK_FALSE(offer_plan(list).place(other, "t2"));
}

TEST_CASE("offer matching: revocable resources only when allowed") {
  Offer o = make_offer("o1", "h1", "mem:64");
  auto* rev = o.add_resources();
  *rev = R("cpus:1").to_proto()[0];
  rev->mutable_allocation_info()->set_role("*");
  rev->mutable_revocable();
  auto list = offers({o});
  CHECK_FALSE(offer_plan(list).place(need("cpus:0.5"), "t"));
  auto t = need("cpus:0.5");
  t.allow_revocable = true;
  auto p = offer_plan(list).place(t, "t");
  REQUIRE(p);
  CHECK(p->taken.revocable() == p->taken);
}

TEST_CASE("offer matching: UNIQUE, CLUSTER, LIKE, UNLIKE, MAX_PER") {
  auto list = offers({
    make_offer("o1", "h1", "cpus:8;mem:8192", {{"rack", "r1"}, {"zone", "a"}}),
    make_offer("o2", "h2", "cpus:8;mem:8192", {{"rack", "r1"}, {"zone", "b"}}),
    make_offer("o3", "h3", "cpus:8;mem:8192", {{"rack", "r2"}, {"zone", "b"}}),
    make_offer("o4", "h4", "cpus:8;mem:8192"), // no attributes
  });
  auto place_all = [&](placement_group& g, placement_strategy s = placement_strategy::first_fit) {
    offer_plan plan(list, s);
    std::vector<std::string> hosts;
    for (int i = 0; i < 10; ++i)
      if (auto p = plan.place(need("cpus:1;mem:128"), "t" + std::to_string(i), &g))
        hosts.push_back(p->hostname);
    return hosts;
  };
  auto unique_host = group({{"hostname", constraint::op::unique, ""}});
  CHECK(place_all(unique_host) == std::vector<std::string>{"h1", "h2", "h3", "h4"});
  auto unique_rack = group({{"rack", constraint::op::unique, ""}});
  CHECK(place_all(unique_rack) == std::vector<std::string>{"h1", "h3"}); // h4 has no rack
  auto cluster_r2 = group({{"rack", constraint::op::cluster, "r2"}});
  CHECK(place_all(cluster_r2) == std::vector<std::string>(8, "h3"));
  auto cluster_any = group({{"zone", constraint::op::cluster, ""}});
  auto zone_hosts = place_all(cluster_any);
  CHECK(zone_hosts.size() == 8); // zone a is h1 only, and h1 has 8 cpus
  CHECK(std::all_of(zone_hosts.begin(), zone_hosts.end(), [](auto& h) { return h == "h1"; }));
  auto like = group({{"zone", constraint::op::like, "b"}, {"hostname", constraint::op::unique, ""}});
  CHECK(place_all(like) == std::vector<std::string>{"h2", "h3"});
  auto unlike = group({{"rack", constraint::op::unlike, "r1"}, {"hostname", constraint::op::unique, ""}});
  CHECK(place_all(unlike) == std::vector<std::string>{"h3", "h4"}); // no rack passes UNLIKE
  auto max_per = group({{"rack", constraint::op::max_per, "3"}});
  auto mp = place_all(max_per);
  CHECK(std::count(mp.begin(), mp.end(), "h1") + std::count(mp.begin(), mp.end(), "h2") == 3);
  CHECK(std::count(mp.begin(), mp.end(), "h3") == 3);
  CHECK(mp.size() == 6);
  // Spread evens the offers out.
  auto spread_group = group({});
  auto spread = place_all(spread_group, placement_strategy::spread);
  CHECK(std::count(spread.begin(), spread.end(), "h4") == 2);
  CHECK(std::count(spread.begin(), spread.end(), "h1") == 3);
}

TEST_CASE("offer matching: groups remember placements across offer rounds") {
  auto g = group({{"hostname", constraint::op::unique, ""}});
  auto round = offers({make_offer("o1", "h1", "cpus:4"), make_offer("o2", "h2", "cpus:4")});
  {
    offer_plan plan(round);
    CHECK(plan.place(need("cpus:1"), "a", &g));
    CHECK(plan.place(need("cpus:1"), "b", &g));
    CHECK_FALSE(plan.place(need("cpus:1"), "c", &g));
  }
  offer_plan next(round);
  CHECK_FALSE(next.place(need("cpus:1"), "c", &g));
  g.forget("a");
  auto p = next.place(need("cpus:1"), "c", &g);
  REQUIRE(p);
  CHECK(p->hostname == "h1");
  next.release(*p, &g);
  CHECK(next.remaining(0) == *R("cpus:4").allocate("*"));
  CHECK(g.size() == 1);
}

TEST_CASE("offer matching: bad constraints are refused") {
  CHECK_FALSE(placement_group::make({{"", constraint::op::unique, ""}}));
  auto bad_regex = placement_group::make({{"rack", constraint::op::like, "r[1"}});
  REQUIRE_FALSE(bad_regex);
  CHECK(error_detail(bad_regex.error()).find("regular expression") != std::string::npos);
  CHECK_FALSE(placement_group::make({{"rack", constraint::op::max_per, "0"}}));
  CHECK_FALSE(placement_group::make({{"rack", constraint::op::max_per, "-1"}}));
  CHECK_FALSE(placement_group::make({{"rack", constraint::op::max_per, "x"}}));
}

TEST_CASE("offer matching: attributes read as text") {
  Offer o = make_offer("o", "h", "cpus:1");
  auto* s = o.add_attributes();
  s->set_name("gen");
  s->set_type(mesos::v1::Value::SCALAR);
  s->mutable_scalar()->set_value(3.5);
  auto* set = o.add_attributes();
  set->set_name("disks");
  set->set_type(mesos::v1::Value::SET);
  set->mutable_set()->add_item("ssd");
  set->mutable_set()->add_item("hdd");
  CHECK(agent_field(o, "gen") == "3.5");
  CHECK(agent_field(o, "disks") == "{ssd, hdd}");
  CHECK(agent_field(o, "hostname") == "h");
  CHECK_FALSE(agent_field(o, "rack"));
}

TEST_CASE("offer matching: RESERVE then CREATE then LAUNCH with the volume in one ACCEPT") {
  auto list = offers({make_offer("o1", "h1", "cpus:2;mem:256;disk:1000", {}, "db"),
                      make_offer("o2", "h2", "cpus:1")});
  offer_plan plan(list);
  mesos::v1::Resource::ReservationInfo res;
  res.set_type(mesos::v1::Resource::ReservationInfo::DYNAMIC);
  res.set_role("db");
  res.set_principal("alice");
  auto free_disk = plan.remaining(0).named("disk");
  auto wanted_disk = free_disk - *R("disk:900").allocate("db"); // 100 MB of it
  auto reserved = wanted_disk.push_reservation(res);
  REQUIRE(reserved);
  CHECK_FALSE(plan.reserve(0, *reserved));
  CHECK(plan.remaining(0).reserved("db").scalar_total("disk") == 100);
  auto volume = persistent_volume(*reserved, "data-1", "data", "alice");
  REQUIRE(volume);
  CHECK_FALSE(plan.create(0, *volume));
  CHECK(plan.remaining(0).persistent_volumes() == *volume);
  // Creating it again fails: the reserved disk is used up.
  CHECK(plan.create(0, *volume));
  // Reserving what is not free fails.
  CHECK(plan.reserve(0, *(*R("cpus:5").allocate("db")).push_reservation(res)));
  auto db_task = need("cpus:1;mem:128");
  db_task.role = "db";
  auto p = plan.place(db_task, "db-1");
  REQUIRE(p);
  auto with_volume = *p;
  with_volume.taken += *volume; // the task mounts the volume
  mesos::v1::TaskInfo task;
  task.set_name("db");
  task.mutable_task_id()->set_value("db-1");
  plan.launch(with_volume, task);
  auto calls = plan.accepts();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].offer_id.value() == "o1");
  REQUIRE(calls[0].operations.size() == 3);
  CHECK(calls[0].operations[0].type() == Offer::Operation::RESERVE);
  CHECK(calls[0].operations[1].type() == Offer::Operation::CREATE);
  CHECK(calls[0].operations[2].type() == Offer::Operation::LAUNCH);
  const auto& launched = calls[0].operations[2].launch().task_infos(0);
  CHECK(launched.agent_id().value() == "agent-h1");
  CHECK(resources::from_proto(launched.resources())->persistent_volumes() == *volume);
  auto rest = plan.unused();
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].value() == "o2");
  // A volume needs reserved disk.
  CHECK_FALSE(persistent_volume(R("disk:10"), "x", "data"));
  CHECK_FALSE(persistent_volume(*reserved, "", "data"));
}

TEST_CASE("offer matching: LAUNCH_GROUP of tasks placed in one offer") {
  auto list = offers({make_offer("o1", "h1", "cpus:2;mem:256"), make_offer("o2", "h2", "cpus:2;mem:256")});
  offer_plan plan(list);
  auto a = plan.place(need("cpus:1"), "a");
  auto b = plan.place(need("cpus:1"), "b");
  auto c = plan.place(need("cpus:1"), "c");
  REQUIRE((a && b && c));
  mesos::v1::ExecutorInfo exec;
  exec.set_type(mesos::v1::ExecutorInfo::DEFAULT);
  mesos::v1::TaskInfo ta, tb;
  ta.mutable_task_id()->set_value("a");
  tb.mutable_task_id()->set_value("b");
  CHECK_FALSE(plan.launch_group({*a, *b}, exec, {ta, tb}));
  CHECK(plan.launch_group({*a, *c}, exec, {ta, tb})); // c is in o2
  CHECK(plan.launch_group({*a}, exec, {ta, tb}));     // counts differ
  auto calls = plan.accepts();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].operations[0].launch_group().task_group().tasks_size() == 2);
  CHECK(plan.unused().size() == 1); // o2: c was placed but nothing launched there
}

TEST_CASE("offer matching: an offer with invalid resources is never used") {
  Offer bad = make_offer("bad", "h1", "cpus:4");
  bad.mutable_resources(0)->mutable_scalar()->set_value(-1);
  auto list = offers({bad, make_offer("ok", "h2", "cpus:1")});
  offer_plan plan(list);
  REQUIRE(plan.errors().size() == 1);
  CHECK(plan.errors()[0].find("offer bad:") == 0);
  auto p = plan.place(need("cpus:1"), "t");
  REQUIRE(p);
  CHECK(p->hostname == "h2");
  CHECK(plan.unused().size() == 2);
}
