// What the master advertises and the format of offered resources per framework
// capabilities, as Mesos 1.12 does it: MasterInfo capabilities; allocation_info only for
// MULTI_ROLE frameworks, the pre-refinement format (Resource.role) for frameworks
// without RESERVATION_REFINEMENT; ACCEPT upgrades what it gets, injects the offer's
// role, and refuses resources that cannot come from the offer with Mesos's texts.
#include <doctest/doctest.h>

#include <set>

#include <mesos/v1/master/master.pb.h>

#include "sim_client.hpp"

using namespace simtest;
using mesos::v1::Resource;
using mesos::v1::TaskStatus;
using mesos_actor::sim::cluster;
using Cap = mesos::v1::FrameworkInfo::Capability;

namespace {

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// Resource.role is deprecated, and exactly what the pre-refinement format is about.
bool has_legacy_role(const Resource& r) { return r.has_role(); }
std::string legacy_role(const Resource& r) { return r.role(); }
void set_legacy_role(Resource& r, const std::string& role) { r.set_role(role); }
#pragma GCC diagnostic pop

// A framework (single role "*", or MULTI_ROLE with `roles`) with these capabilities.
Call subscribe_with(const std::string& name, bool multi_role, bool refinement,
                    std::vector<std::string> roles = {"web"}) {
  auto c = subscribe_call(name, {}, multi_role ? roles : std::vector<std::string>{});
  if (refinement)
    c.mutable_subscribe()->mutable_framework_info()->add_capabilities()->set_type(
      Cap::RESERVATION_REFINEMENT);
  return c;
}

// The offer's resource `name` with `value` (a scalar), every other field as offered:
// what a framework that copies offered resources into its task sends.
Resource take(const mesos::v1::Offer& offer, const std::string& name, double value) {
  for (const auto& r : offer.resources())
    if (r.name() == name) {
      auto out = r;
      out.mutable_scalar()->set_value(value);
      return out;
    }
  FAIL("no " << name << " in the offer");
  return {};
}

// A LAUNCH of one command task with exactly `resources`.
Call launch_with(const mesos::v1::Offer& offer, const std::string& task_id,
                 std::vector<Resource> resources) {
  auto c = launch_call(offer, task_id, "true");
  auto* t = c.mutable_accept()->mutable_operations(0)->mutable_launch()->mutable_task_infos(0);
  t->clear_resources();
  for (auto& r : resources)
    *t->add_resources() = r;
  return c;
}

// The first UPDATE of `task` (acknowledged when it has a uuid).
std::optional<TaskStatus> update_of(session& s, const std::string& task) {
  for (int i = 0; i < 20; ++i) {
    auto e = s.sub.next(Event::UPDATE);
    if (!e)
      return std::nullopt;
    const auto& st = e->update().status();
    if (st.has_uuid())
      REQUIRE(s.send(ack_call(st)).status == 202);
    if (st.task_id().value() == task)
      return st;
  }
  return std::nullopt;
}

// An operator API call answered 200, decoded.
mesos::v1::master::Response operator_call(const std::string& url,
                                          mesos::v1::master::Call::Type type) {
  mesos::v1::master::Call call;
  call.set_type(type);
  auto r = post_raw(url, mesos_actor::encode(call, content_type::json),
                    {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
                    "/api/v1");
  REQUIRE(r.status == 200);
  mesos::v1::master::Response out;
  REQUIRE(!mesos_actor::decode(r.body, content_type::json, out));
  return out;
}

std::multiset<std::string> capability_names(const mesos::v1::MasterInfo& info) {
  std::multiset<std::string> out;
  for (const auto& c : info.capabilities())
    out.insert(mesos::v1::MasterInfo::Capability::Type_Name(c.type()));
  return out;
}

const std::multiset<std::string> mesos_1_12_capabilities{"AGENT_UPDATE", "AGENT_DRAINING",
                                                         "QUOTA_V2"};

} // namespace

TEST_CASE("MasterInfo carries Mesos 1.12's capabilities in SUBSCRIBED and GET_MASTER") {
  cluster sim(fast_options());
  sim.start();
  subscription sub(sim.master_urls()[0], subscribe_call());
  auto e = sub.next(Event::SUBSCRIBED);
  REQUIRE(e);
  CHECK(capability_names(e->subscribed().master_info()) == mesos_1_12_capabilities);
  auto got = operator_call(sim.master_urls()[0], mesos::v1::master::Call::GET_MASTER);
  CHECK(capability_names(got.get_master().master_info()) == mesos_1_12_capabilities);
}

TEST_CASE("offers are formatted per MULTI_ROLE / RESERVATION_REFINEMENT, and each format launches") {
  struct variant {
    bool multi_role;
    bool refinement;
  };
  for (auto v : {variant{false, false}, variant{true, false}, variant{false, true},
                 variant{true, true}}) {
    CAPTURE(v.multi_role);
    CAPTURE(v.refinement);
    cluster sim(fast_options());
    sim.start();
    session s(sim.master_urls()[0], subscribe_with("fmt", v.multi_role, v.refinement));
    REQUIRE(!s.fid.empty());
    auto offer = first_offer(s);
    auto role = v.multi_role ? std::string("web") : std::string("*");

    // Mesos strips allocation_info for pre-MULTI_ROLE frameworks (MESOS-8237).
    CHECK(offer.has_allocation_info() == v.multi_role);
    REQUIRE(offer.resources_size() == 4);
    for (const auto& r : offer.resources()) {
      CAPTURE(r.name());
      CHECK(r.has_allocation_info() == v.multi_role);
      if (v.multi_role)
        CHECK(r.allocation_info().role() == role);
      CHECK(r.reservations_size() == 0);
      CHECK(!r.has_reservation());
      // Pre-refinement format: unreserved resources are role "*".
      CHECK(has_legacy_role(r) == !v.refinement);
      if (!v.refinement)
        CHECK(legacy_role(r) == "*");
    }
    // The master keeps its own format whatever the framework was sent.
    auto kept = sim.offers(s.fid);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].allocation_info().role() == role);
    for (const auto& r : kept[0].resources()) {
      CHECK(r.allocation_info().role() == role);
      CHECK(!has_legacy_role(r));
    }

    // The offered resources, copied into a task as they came, launch.
    REQUIRE(s.send(launch_with(offer, "t", {take(offer, "cpus", 0.1), take(offer, "mem", 32)}))
              .status == 202);
    auto st = update_of(s, "t");
    REQUIRE(st);
    CHECK_MESSAGE(st->state() == mesos::v1::TASK_STARTING, st->message());

    // The master stored them upgraded and allocated to the offer's role.
    auto tasks = operator_call(sim.master_urls()[0], mesos::v1::master::Call::GET_TASKS);
    const auto& all = tasks.get_tasks();
    REQUIRE(all.tasks_size() + all.completed_tasks_size() == 1);
    const auto& task = all.tasks_size() ? all.tasks(0) : all.completed_tasks(0);
    REQUIRE(task.resources_size() == 2);
    for (const auto& r : task.resources()) {
      CHECK(r.allocation_info().role() == role);
      CHECK(!has_legacy_role(r));
      CHECK(r.reservations_size() == 0);
    }
  }
}

TEST_CASE("ACCEPT refusals read as Mesos's") {
  cluster sim(fast_options());
  sim.start();

  SUBCASE("another role's allocation_info from a framework without MULTI_ROLE") {
    session s(sim.master_urls()[0], subscribe_with("other-role", false, false));
    auto offer = first_offer(s);
    auto cpus = take(offer, "cpus", 0.1);
    auto mem = take(offer, "mem", 32);
    cpus.mutable_allocation_info()->set_role("other");
    mem.mutable_allocation_info()->set_role("other");
    REQUIRE(s.send(launch_with(offer, "t", {cpus, mem})).status == 202);
    auto st = update_of(s, "t");
    REQUIRE(st);
    CHECK(st->state() == mesos::v1::TASK_ERROR);
    CHECK(st->reason() == TaskStatus::REASON_TASK_INVALID);
    CHECK(st->source() == TaskStatus::SOURCE_MASTER);
    CHECK(st->message() ==
          "Total resources cpus(allocated: other):0.1; mem(allocated: other):32 required by "
          "task and its executor is more than available cpus(allocated: *):4; "
          "disk(allocated: *):10240; mem(allocated: *):7168; "
          "ports(allocated: *):[31000-32000]");
  }

  SUBCASE("resources allocated to two roles") {
    session s(sim.master_urls()[0], subscribe_with("two-roles", true, true));
    auto offer = first_offer(s);
    auto cpus = take(offer, "cpus", 0.1);
    cpus.mutable_allocation_info()->set_role("other");
    auto mem = take(offer, "mem", 32);
    mem.clear_allocation_info(); // the master gives it the offer's role, "web"
    REQUIRE(s.send(launch_with(offer, "t", {cpus, mem})).status == 202);
    auto st = update_of(s, "t");
    REQUIRE(st);
    CHECK(st->state() == mesos::v1::TASK_ERROR);
    CHECK(st->message() == "Invalid task resources: The resources have multiple allocation "
                           "roles ('web' and 'other') but only one allocation role is allowed");
  }

  SUBCASE("Resource.role contradicting Resource.reservations") {
    session s(sim.master_urls()[0], subscribe_with("mixed-format", true, true));
    auto offer = first_offer(s);
    auto cpus = take(offer, "cpus", 0.1);
    set_legacy_role(cpus, "web");
    auto* res = cpus.add_reservations();
    res->set_type(Resource::ReservationInfo::STATIC);
    res->set_role("other");
    REQUIRE(s.send(launch_with(offer, "t", {cpus, take(offer, "mem", 32)})).status == 202);
    auto st = update_of(s, "t");
    REQUIRE(st);
    CHECK(st->state() == mesos::v1::TASK_ERROR);
    CHECK(st->reason() == TaskStatus::REASON_TASK_INVALID);
    CHECK(st->message() ==
          "Resource 'cpus(allocated: web)(reservations: [(STATIC,other)]):0.1' is invalid: "
          "Invalid resource format: 'Resource.role' field with 'web' does not match the role "
          "'other' in 'Resource.reservations'");
  }

  SUBCASE("a pre-refinement reservation is upgraded, and not in the unreserved offer") {
    session s(sim.master_urls()[0], subscribe_with("reserved", false, false));
    auto offer = first_offer(s);
    auto cpus = take(offer, "cpus", 0.1);
    set_legacy_role(cpus, "web");
    REQUIRE(s.send(launch_with(offer, "t", {cpus})).status == 202);
    auto st = update_of(s, "t");
    REQUIRE(st);
    CHECK(st->state() == mesos::v1::TASK_ERROR);
    CHECK(st->message().rfind("Total resources cpus(allocated: *)(reservations: "
                              "[(STATIC,web)]):0.1 required by task and its executor is more "
                              "than available ",
                              0) == 0);
  }

  SUBCASE("LAUNCH_GROUP with another role's resources") {
    session s(sim.master_urls()[0], subscribe_with("group", true, true));
    auto offer = first_offer(s);
    Call c;
    c.set_type(Call::ACCEPT);
    *c.mutable_accept()->add_offer_ids() = offer.id();
    auto* op = c.mutable_accept()->add_operations();
    op->set_type(mesos::v1::Offer::Operation::LAUNCH_GROUP);
    auto* ex = op->mutable_launch_group()->mutable_executor();
    ex->set_type(mesos::v1::ExecutorInfo::DEFAULT);
    ex->mutable_executor_id()->set_value("e");
    *ex->add_resources() = take(offer, "cpus", 0.1);
    *ex->add_resources() = take(offer, "mem", 32);
    auto* t = op->mutable_launch_group()->mutable_task_group()->add_tasks();
    t->set_name("g");
    t->mutable_task_id()->set_value("g");
    *t->mutable_agent_id() = offer.agent_id();
    t->mutable_command()->set_value("true");
    auto cpus = take(offer, "cpus", 0.1);
    cpus.mutable_allocation_info()->set_role("other");
    *t->add_resources() = cpus;
    REQUIRE(s.send(c).status == 202);
    auto st = update_of(s, "g");
    REQUIRE(st);
    CHECK(st->state() == mesos::v1::TASK_ERROR);
    CHECK(st->reason() == TaskStatus::REASON_TASK_GROUP_INVALID);
    CHECK(st->message().rfind("Total resources cpus(allocated: other):0.1; cpus(allocated: "
                              "web):0.1; mem(allocated: web):32 required by task group and its "
                              "executor are more than available ",
                              0) == 0);
  }
}
