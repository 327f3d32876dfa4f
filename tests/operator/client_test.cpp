// The operator API client against the simulator over loopback HTTP: the GET_* calls
// answered from the simulator's state (protobuf and JSON), redirects to the leader,
// moving on from an unreachable master, the maintenance and quota calls, and errors.
#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/operator/calls.hpp"
#include "mesos_actor/operator/client.hpp"
#include "operator_fixture.hpp"

using namespace simtest;
using namespace optest;
using namespace mesos_actor;
using mesos::v1::master::Response;
using MasterCall = mesos::v1::master::Call;

namespace {

Response call(caf::actor_system& sys, const caf::actor& client, const MasterCall& c) {
  auto r = operator_api::call_master(sys, client, c, call_timeout);
  REQUIRE_MESSAGE(r, describe(r.error()));
  return *r;
}

std::size_t operator_requests(const sim::cluster& s, std::size_t master, int status) {
  std::size_t n = 0;
  for (const auto& r : s.requests())
    if (r.server == sim::server_kind::master && r.path.find("/api/v1") != std::string::npos
        && r.path.find("scheduler") == std::string::npos && r.server_index == master
        && r.status == status)
      ++n;
  return n;
}

} // namespace

TEST_CASE_FIXTURE(system_fixture, "GET_HEALTH, GET_VERSION, GET_FLAGS and GET_MASTER in both encodings") {
  sim::cluster s(fast_options());
  s.start();
  for (auto enc : {content_type::protobuf, content_type::json}) {
    CAPTURE(content_type_name(enc));
    auto client = client_for(sys, {s.master_urls()[0]}, enc);
    auto health = call(sys, client, operator_api::master_call(MasterCall::GET_HEALTH));
    CHECK(health.type() == Response::GET_HEALTH);
    CHECK(health.get_health().healthy());
    auto version = call(sys, client, operator_api::master_call(MasterCall::GET_VERSION));
    CHECK(version.get_version().version_info().version() == "1.12.0");
    auto flags = call(sys, client, operator_api::master_call(MasterCall::GET_FLAGS));
    bool has_port = false;
    for (const auto& f : flags.get_flags().flags())
      has_port = has_port || (f.name() == "port" && f.value() == std::to_string(port_of(s.master_urls()[0])));
    CHECK(has_port);
    auto master = call(sys, client, operator_api::master_call(MasterCall::GET_MASTER));
    CHECK(static_cast<int>(master.get_master().master_info().port()) == port_of(s.master_urls()[0]));
    caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
  }
}

TEST_CASE_FIXTURE(system_fixture, "GET_STATE, GET_TASKS, GET_FRAMEWORKS, GET_AGENTS and GET_ROLES report the running task") {
  auto opts = fast_options();
  opts.agents = 2;
  sim::cluster s(opts);
  s.start();
  running_task fw(s.master_urls()[0]);
  auto client = client_for(sys, {s.master_urls()[0]}, content_type::json);

  auto state = call(sys, client, operator_api::master_call(MasterCall::GET_STATE));
  REQUIRE(state.type() == Response::GET_STATE);
  const auto& st = state.get_state();
  REQUIRE(st.get_tasks().tasks_size() == 1);
  const auto& task = st.get_tasks().tasks(0);
  CHECK(task.task_id().value() == "t1");
  CHECK(task.framework_id().value() == fw.s.fid);
  CHECK(task.state() == mesos::v1::TASK_RUNNING);
  CHECK(task.agent_id().value() == s.task("t1")->agent_id);
  REQUIRE(st.get_frameworks().frameworks_size() == 1);
  const auto& f = st.get_frameworks().frameworks(0);
  CHECK(f.framework_info().id().value() == fw.s.fid);
  CHECK(f.framework_info().name() == "op-test");
  CHECK(f.active());
  CHECK(f.connected());
  CHECK(f.allocated_resources_size() > 0);
  CHECK(st.get_agents().agents_size() == 2);
  for (const auto& a : st.get_agents().agents()) {
    CHECK(a.active());
    CHECK(a.version() == "1.12.0");
    CHECK(a.total_resources_size() > 0);
  }

  auto tasks = call(sys, client, operator_api::master_call(MasterCall::GET_TASKS));
  CHECK(tasks.get_tasks().tasks_size() == 1);
  auto agents = call(sys, client, operator_api::master_call(MasterCall::GET_AGENTS));
  CHECK(agents.get_agents().agents_size() == 2);
  auto frameworks = call(sys, client, operator_api::master_call(MasterCall::GET_FRAMEWORKS));
  CHECK(frameworks.get_frameworks().frameworks_size() == 1);
  auto roles = call(sys, client, operator_api::master_call(MasterCall::GET_ROLES));
  REQUIRE(roles.get_roles().roles_size() == 1);
  CHECK(roles.get_roles().roles(0).name() == "*");
  REQUIRE(roles.get_roles().roles(0).frameworks_size() == 1);
  CHECK(roles.get_roles().roles(0).frameworks(0).value() == fw.s.fid);
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(system_fixture, "a call to a non-leading master follows the 307 to the leader") {
  auto opts = fast_options();
  opts.masters = 2;
  sim::cluster s(opts);
  s.start();
  s.faults().set_leader(1);
  REQUIRE(s.wait_for([&] { return s.leader() == std::optional<std::size_t>{1}; }, std::chrono::seconds(5)));
  auto client = client_for(sys, {s.master_urls()[0]});
  auto master = call(sys, client, operator_api::master_call(MasterCall::GET_MASTER));
  CHECK(static_cast<int>(master.get_master().master_info().port()) == port_of(s.master_urls()[1]));
  CHECK(operator_requests(s, 0, 307) == 1);
  CHECK(operator_requests(s, 1, 200) == 1);
  // The leader is remembered: the next call goes there directly.
  call(sys, client, operator_api::master_call(MasterCall::GET_HEALTH));
  CHECK(operator_requests(s, 0, 307) == 1);
  CHECK(operator_requests(s, 1, 200) == 2);
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(system_fixture, "a master that cannot be reached hands the call to the next one") {
  sim::cluster s(fast_options());
  s.start();
  // A port nothing listens on: bound, then closed.
  int closed_port = 0;
  {
    sim::cluster gone(fast_options());
    gone.start();
    closed_port = port_of(gone.master_urls()[0]);
  }
  auto client = client_for(sys, {"127.0.0.1:" + std::to_string(closed_port), s.master_urls()[0]});
  auto health = call(sys, client, operator_api::master_call(MasterCall::GET_HEALTH));
  CHECK(health.get_health().healthy());
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(system_fixture, "maintenance: schedule, start, status, stop") {
  sim::cluster s(fast_options());
  s.start();
  auto client = client_for(sys, {s.master_urls()[0]}, content_type::json);
  auto m1 = operator_api::machine("host-a", "10.0.0.1");
  auto m2 = operator_api::machine("host-b");

  // A machine outside the schedule cannot go down.
  auto refused = operator_api::call_master(sys, client, operator_api::start_maintenance({m1}), call_timeout);
  REQUIRE_FALSE(refused);
  CHECK(error_code(refused.error()) == errc::rejected);
  CHECK(error_detail(refused.error()).find("HTTP 400") != std::string::npos);

  mesos::v1::maintenance::Schedule schedule;
  auto* w = schedule.add_windows();
  *w->add_machine_ids() = m1;
  *w->add_machine_ids() = m2;
  w->mutable_unavailability()->mutable_start()->set_nanoseconds(1000000000);
  auto updated = call(sys, client, operator_api::update_maintenance_schedule(schedule));
  CHECK_FALSE(updated.has_type()); // 200 without a body
  auto got = call(sys, client, operator_api::master_call(MasterCall::GET_MAINTENANCE_SCHEDULE));
  REQUIRE(got.get_maintenance_schedule().schedule().windows_size() == 1);
  CHECK(got.get_maintenance_schedule().schedule().windows(0).machine_ids_size() == 2);

  call(sys, client, operator_api::start_maintenance({m1}));
  auto status = call(sys, client, operator_api::master_call(MasterCall::GET_MAINTENANCE_STATUS));
  const auto& cs = status.get_maintenance_status().status();
  REQUIRE(cs.down_machines_size() == 1);
  CHECK(cs.down_machines(0).hostname() == "host-a");
  REQUIRE(cs.draining_machines_size() == 1);
  CHECK(cs.draining_machines(0).id().hostname() == "host-b");

  call(sys, client, operator_api::stop_maintenance({m1}));
  status = call(sys, client, operator_api::master_call(MasterCall::GET_MAINTENANCE_STATUS));
  CHECK(status.get_maintenance_status().status().down_machines_size() == 0);
  got = call(sys, client, operator_api::master_call(MasterCall::GET_MAINTENANCE_SCHEDULE));
  REQUIRE(got.get_maintenance_schedule().schedule().windows_size() == 1);
  CHECK(got.get_maintenance_schedule().schedule().windows(0).machine_ids_size() == 1);
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(system_fixture, "quota: UPDATE_QUOTA then GET_QUOTA and GET_ROLES") {
  sim::cluster s(fast_options());
  s.start();
  auto client = client_for(sys, {s.master_urls()[0]});
  mesos::v1::quota::QuotaConfig q;
  q.set_role("analytics");
  (*q.mutable_guarantees())["cpus"].set_value(2);
  (*q.mutable_limits())["cpus"].set_value(4);
  call(sys, client, operator_api::update_quota({q}));
  auto quota = call(sys, client, operator_api::master_call(MasterCall::GET_QUOTA));
  REQUIRE(quota.get_quota().status().configs_size() == 1);
  CHECK(quota.get_quota().status().configs(0).role() == "analytics");
  CHECK(quota.get_quota().status().configs(0).limits().at("cpus").value() == 4);
  auto roles = call(sys, client, operator_api::master_call(MasterCall::GET_ROLES));
  REQUIRE(roles.get_roles().roles_size() == 1);
  CHECK(roles.get_roles().roles(0).name() == "analytics");

  (*q.mutable_guarantees())["cpus"].set_value(8); // above its limit
  auto refused = operator_api::call_master(sys, client, operator_api::update_quota({q}), call_timeout);
  REQUIRE_FALSE(refused);
  CHECK(error_code(refused.error()) == errc::rejected);
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(system_fixture, "errors: 401 is unauthorized (secret not in the text), an unimplemented call is rejected") {
  auto opts = fast_options();
  opts.credentials = {{"ops", "right-secret"}};
  sim::cluster s(opts);
  s.start();
  auto wrong = client_for(sys, {s.master_urls()[0]}, content_type::protobuf,
                          credentials::basic("ops", "wrong-secret"));
  auto r = operator_api::call_master(sys, wrong, operator_api::master_call(MasterCall::GET_HEALTH), call_timeout);
  REQUIRE_FALSE(r);
  CHECK(error_code(r.error()) == errc::unauthorized);
  CHECK(describe(r.error()).find("wrong-secret") == std::string::npos);
  caf::anon_send_exit(wrong, caf::exit_reason::user_shutdown);

  auto right = client_for(sys, {s.master_urls()[0]}, content_type::protobuf,
                          credentials::basic("ops", "right-secret"));
  CHECK(call(sys, right, operator_api::master_call(MasterCall::GET_HEALTH)).get_health().healthy());
  auto unimplemented = operator_api::call_master(
    sys, right, operator_api::master_call(MasterCall::GET_OPERATIONS), call_timeout);
  REQUIRE_FALSE(unimplemented);
  CHECK(error_code(unimplemented.error()) == errc::rejected);
  CHECK(error_detail(unimplemented.error()).find("GET_OPERATIONS: HTTP 501") == 0);
  caf::anon_send_exit(right, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(system_fixture, "bad options are refused before any actor starts") {
  operator_api::client_options opts;
  auto none = operator_api::spawn_client(sys, opts);
  REQUIRE_FALSE(none);
  CHECK(error_code(none.error()) == errc::bad_option);
  opts.targets = {"zk://127.0.0.1:2181/mesos", "127.0.0.1:5050"};
  auto mixed = operator_api::spawn_client(sys, opts);
  REQUIRE_FALSE(mixed);
  CHECK(error_detail(mixed.error()).find("zk://") != std::string::npos);
  opts.targets = {"127.0.0.1:5050"};
  opts.request_timeout = std::chrono::milliseconds(0);
  CHECK_FALSE(operator_api::spawn_client(sys, opts));
}
