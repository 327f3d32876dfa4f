// The agents' operator API on the simulator, over the library's operator client and raw
// HTTP: every GET_* call in protobuf and JSON, checked against a task launched through a
// scheduler, and the rejections (405, 415, 400, 406, 401, 501) in Mesos's words.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include <caf/send.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/operator/calls.hpp"
#include "mesos_actor/operator/client.hpp"
#include "operator_fixture.hpp"

using namespace simtest;
using namespace optest;
using namespace mesos_actor;
using AgentCall = mesos::v1::agent::Call;
using AgentResponse = mesos::v1::agent::Response;

namespace {

AgentResponse call(caf::actor_system& sys, const caf::actor& client, const AgentCall& c) {
  auto r = operator_api::call_agent(sys, client, c, call_timeout);
  REQUIRE_MESSAGE(r, describe(r.error()));
  return *r;
}

AgentCall get_metrics() {
  auto c = operator_api::agent_call(AgentCall::GET_METRICS);
  c.mutable_get_metrics();
  return c;
}

sim::agent_endpoint agent_by_id(const sim::cluster& s, const std::string& id) {
  for (const auto& a : s.agents())
    if (a.id == id)
      return a;
  FAIL("no agent " << id);
  return {};
}

std::map<std::string, std::string> flags_of(const AgentResponse& r) {
  std::map<std::string, std::string> out;
  for (const auto& f : r.get_flags().flags())
    out[f.name()] = f.value();
  return out;
}

std::map<std::string, double> metrics_of(const AgentResponse& r) {
  std::map<std::string, double> out;
  for (const auto& m : r.get_metrics().metrics())
    out[m.name()] = m.value();
  return out;
}

// A call posted as-is to the agent's operator endpoint.
reply post_agent(const std::string& url, const std::string& body, const httplib::Headers& headers,
                 const std::string& method = "POST", const std::string& path = "/api/v1") {
  return post_raw(url, body, headers, path, method);
}

std::string json_call(AgentCall::Type type) {
  return encode(operator_api::agent_call(type), content_type::json);
}

} // namespace

TEST_CASE_FIXTURE(system_fixture, "the agent's GET_HEALTH, GET_VERSION, GET_FLAGS, GET_METRICS, GET_LOGGING_LEVEL and GET_AGENT in both encodings") {
  auto opts = fast_options();
  opts.resources.attributes = {{"rack", "r1"}};
  sim::cluster s(opts);
  s.start();
  auto agent = s.agents().at(0);
  for (auto enc : {content_type::protobuf, content_type::json}) {
    CAPTURE(content_type_name(enc));
    auto client = client_for(sys, {agent.url}, enc);
    auto health = call(sys, client, operator_api::agent_call(AgentCall::GET_HEALTH));
    CHECK(health.type() == AgentResponse::GET_HEALTH);
    CHECK(health.get_health().healthy());
    auto version = call(sys, client, operator_api::agent_call(AgentCall::GET_VERSION));
    CHECK(version.get_version().version_info().version() == "1.12.0");
    auto flags = flags_of(call(sys, client, operator_api::agent_call(AgentCall::GET_FLAGS)));
    CHECK(flags["port"] == std::to_string(agent.port));
    CHECK(flags["attributes"] == "rack:r1");
    CHECK(flags["authenticate_http_readwrite"] == "false");
    CHECK(flags["master"] == "127.0.0.1:" + std::to_string(port_of(s.master_urls()[0])));
    auto metrics = metrics_of(call(sys, client, get_metrics()));
    CHECK(metrics["slave/registered"] == 1);
    CHECK(metrics["slave/cpus_total"] == opts.resources.cpus);
    CHECK(metrics["slave/cpus_used"] == 0);
    CHECK(metrics["slave/tasks_running"] == 0);
    auto level = call(sys, client, operator_api::agent_call(AgentCall::GET_LOGGING_LEVEL));
    CHECK(level.type() == AgentResponse::GET_LOGGING_LEVEL);
    CHECK(level.get_logging_level().level() == 0);
    auto info = call(sys, client, operator_api::agent_call(AgentCall::GET_AGENT));
    REQUIRE(info.type() == AgentResponse::GET_AGENT);
    CHECK(info.get_agent().agent_info().id().value() == agent.id);
    CHECK(info.get_agent().agent_info().port() == agent.port);
    CHECK(info.get_agent().agent_info().attributes_size() == 1);
    auto operations = call(sys, client, operator_api::agent_call(AgentCall::GET_OPERATIONS));
    CHECK(operations.type() == AgentResponse::GET_OPERATIONS);
    CHECK(operations.get_operations().operations_size() == 0);
    auto providers = call(sys, client, operator_api::agent_call(AgentCall::GET_RESOURCE_PROVIDERS));
    CHECK(providers.type() == AgentResponse::GET_RESOURCE_PROVIDERS);
    caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
  }
}

TEST_CASE_FIXTURE(system_fixture, "the agent that runs a task lists it, its framework, executor and container; the other agent nothing") {
  auto opts = fast_options();
  opts.agents = 2;
  sim::cluster s(opts);
  s.start();
  running_task fw(s.master_urls()[0]);
  auto here = agent_by_id(s, fw.agent_id);
  auto task = s.task("t1");
  REQUIRE(task);
  CHECK(task->agent_id == fw.agent_id);

  for (auto enc : {content_type::protobuf, content_type::json}) {
    CAPTURE(content_type_name(enc));
    auto client = client_for(sys, {here.url}, enc);
    // GET_AGENT names the agent the offer came from.
    auto info = call(sys, client, operator_api::agent_call(AgentCall::GET_AGENT));
    CHECK(info.get_agent().agent_info().id().value() == fw.agent_id);

    auto tasks = call(sys, client, operator_api::agent_call(AgentCall::GET_TASKS));
    REQUIRE(tasks.type() == AgentResponse::GET_TASKS);
    REQUIRE(tasks.get_tasks().launched_tasks_size() == 1);
    const auto& t = tasks.get_tasks().launched_tasks(0);
    CHECK(t.task_id().value() == "t1");
    CHECK(t.framework_id().value() == fw.s.fid);
    CHECK(t.agent_id().value() == fw.agent_id);
    CHECK(t.state() == mesos::v1::TASK_RUNNING);
    CHECK(tasks.get_tasks().completed_tasks_size() == 0);

    auto frameworks = call(sys, client, operator_api::agent_call(AgentCall::GET_FRAMEWORKS));
    REQUIRE(frameworks.get_frameworks().frameworks_size() == 1);
    CHECK(frameworks.get_frameworks().frameworks(0).framework_info().id().value() == fw.s.fid);
    CHECK(frameworks.get_frameworks().frameworks(0).framework_info().name() == "op-test");

    // A command task runs under its own command executor, named after the task.
    auto executors = call(sys, client, operator_api::agent_call(AgentCall::GET_EXECUTORS));
    REQUIRE(executors.get_executors().executors_size() == 1);
    const auto& e = executors.get_executors().executors(0).executor_info();
    CHECK(e.executor_id().value() == "t1");
    CHECK(e.framework_id().value() == fw.s.fid);
    CHECK(e.name() == "Command Executor (Task: t1) (Command: sh -c 'sleep 30')");

    auto containers = call(sys, client, operator_api::agent_call(AgentCall::GET_CONTAINERS));
    REQUIRE(containers.get_containers().containers_size() == 1);
    const auto& c = containers.get_containers().containers(0);
    CHECK(c.executor_id().value() == "t1");
    CHECK(c.framework_id().value() == fw.s.fid);
    CHECK_FALSE(c.container_id().value().empty());
    CHECK(static_cast<int>(c.container_status().executor_pid()) == task->pid);

    auto state = call(sys, client, operator_api::agent_call(AgentCall::GET_STATE));
    REQUIRE(state.type() == AgentResponse::GET_STATE);
    CHECK(state.get_state().get_tasks().launched_tasks_size() == 1);
    CHECK(state.get_state().get_executors().executors_size() == 1);
    CHECK(state.get_state().get_frameworks().frameworks_size() == 1);

    auto metrics = metrics_of(call(sys, client, get_metrics()));
    CHECK(metrics["slave/tasks_running"] == 1);
    CHECK(metrics["slave/executors_running"] == 1);
    CHECK(metrics["slave/cpus_used"] == doctest::Approx(0.1));
    caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
  }

  for (const auto& other : s.agents()) {
    if (other.id == fw.agent_id)
      continue;
    auto client = client_for(sys, {other.url});
    auto state = call(sys, client, operator_api::agent_call(AgentCall::GET_STATE));
    CHECK(state.get_state().get_tasks().launched_tasks_size() == 0);
    CHECK(state.get_state().get_executors().executors_size() == 0);
    CHECK(state.get_state().get_frameworks().frameworks_size() == 0);
    caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
  }
}

TEST_CASE_FIXTURE(system_fixture, "a finished task moves to the agent's completed tasks, its framework to completed_frameworks") {
  sim::cluster s(fast_options());
  s.start();
  session fw(s.master_urls()[0], subscribe_call("op-done"));
  auto offers = fw.sub.next(Event::OFFERS);
  REQUIRE(offers);
  REQUIRE(fw.send(launch_call(offers->offers().offers(0), "quick", "true")).status == 202);
  for (;;) {
    auto e = fw.sub.next(Event::UPDATE);
    REQUIRE(e);
    const auto& st = e->update().status();
    if (st.has_uuid())
      REQUIRE(fw.send(ack_call(st)).status == 202);
    if (st.state() == mesos::v1::TASK_FINISHED)
      break;
  }
  auto agent = agent_by_id(s, offers->offers().offers(0).agent_id().value());
  auto client = client_for(sys, {agent.url}, content_type::json);
  // The acknowledgement settles the task; wait for the master to have taken it.
  REQUIRE(s.wait_for([&] { return s.unacknowledged_updates().empty(); }, std::chrono::seconds(5)));
  auto tasks = call(sys, client, operator_api::agent_call(AgentCall::GET_TASKS));
  CHECK(tasks.get_tasks().launched_tasks_size() == 0);
  CHECK(tasks.get_tasks().terminated_tasks_size() == 0);
  REQUIRE(tasks.get_tasks().completed_tasks_size() == 1);
  CHECK(tasks.get_tasks().completed_tasks(0).task_id().value() == "quick");
  CHECK(tasks.get_tasks().completed_tasks(0).state() == mesos::v1::TASK_FINISHED);
  auto frameworks = call(sys, client, operator_api::agent_call(AgentCall::GET_FRAMEWORKS));
  CHECK(frameworks.get_frameworks().frameworks_size() == 0);
  REQUIRE(frameworks.get_frameworks().completed_frameworks_size() == 1);
  CHECK(frameworks.get_frameworks().completed_frameworks(0).framework_info().id().value() == fw.fid);
  auto executors = call(sys, client, operator_api::agent_call(AgentCall::GET_EXECUTORS));
  CHECK(executors.get_executors().executors_size() == 0);
  auto metrics = metrics_of(call(sys, client, get_metrics()));
  CHECK(metrics["slave/tasks_finished"] == 1);
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
}

TEST_CASE("the agent's operator endpoint rejects as Mesos's agent does") {
  sim::cluster s(fast_options());
  s.start();
  auto url = s.agents().at(0).url;
  httplib::Headers json = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};

  auto ok = post_agent(url, json_call(AgentCall::GET_HEALTH), json);
  CHECK(ok.status == 200);
  CHECK(ok.header("Content-Type") == "application/json");
  // The long path too.
  CHECK(post_agent(url, json_call(AgentCall::GET_HEALTH), json, "POST", "/slave(1)/api/v1").status == 200);

  auto get = post_agent(url, "", {}, "GET");
  CHECK(get.status == 405);
  CHECK(get.header("Allow") == "POST");

  // httplib would add a Content-Type to a body: this request goes out byte for byte.
  auto body = json_call(AgentCall::GET_HEALTH);
  auto no_type = raw_exchange(
    port_of(url),
    "POST /api/v1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body,
    [](const std::string& got) { return got.find("to be present") != std::string::npos; });
  CHECK(no_type.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(no_type.find("Expecting 'Content-Type' to be present") != std::string::npos);

  auto text = post_agent(url, json_call(AgentCall::GET_HEALTH), {{"Content-Type", "text/plain"}});
  CHECK(text.status == 415);
  CHECK(text.body == "Expecting 'Content-Type' of application/json or application/x-protobuf or "
                     "application/recordio");

  auto streaming = post_agent(url, "", {{"Content-Type", "application/recordio"}});
  CHECK(streaming.status == 400);
  CHECK(streaming.body == "Expecting 'Message-Content-Type' to be set for streaming requests");

  auto html = post_agent(url, json_call(AgentCall::GET_HEALTH),
                         {{"Content-Type", "application/json"}, {"Accept", "text/html"}});
  CHECK(html.status == 406);

  auto garbage = post_agent(url, "{not json", json);
  CHECK(garbage.status == 400);
  CHECK(garbage.body.rfind("Failed to parse body into JSON: ", 0) == 0);
  auto bad_proto = post_agent(url, "\xff\xff\xff",
                              {{"Content-Type", "application/x-protobuf"}, {"Accept", "application/json"}});
  CHECK(bad_proto.status == 400);
  CHECK(bad_proto.body == "Failed to parse body into a protobuf object");

  auto untyped = post_agent(url, "{}", json);
  CHECK(untyped.status == 400);
  CHECK(untyped.body == "Failed to validate agent::Call: Expecting 'type' to be present");
  auto no_argument = post_agent(url, json_call(AgentCall::GET_METRICS), json);
  CHECK(no_argument.status == 400);
  CHECK(no_argument.body == "Failed to validate agent::Call: Expecting 'get_metrics' to be present");

  auto unknown = post_agent(url, json_call(AgentCall::UNKNOWN), json);
  CHECK(unknown.status == 501);

  std::size_t rejected = 0;
  for (const auto& r : s.requests())
    rejected += r.server == sim::server_kind::agent && r.path == "/api/v1" && r.status >= 400;
  CHECK(rejected == 10);
}

TEST_CASE_FIXTURE(system_fixture, "with authentication on the agent wants credentials (realm mesos-agent-readwrite); an unimplemented call is 501") {
  auto opts = fast_options();
  opts.credentials = {{"ops", "right-secret"}};
  sim::cluster s(opts);
  s.start();
  auto url = s.agents().at(0).url;

  auto anonymous = post_agent(url, json_call(AgentCall::GET_HEALTH),
                              {{"Content-Type", "application/json"}});
  CHECK(anonymous.status == 401);
  CHECK(anonymous.header("WWW-Authenticate") == "Basic realm=\"mesos-agent-readwrite\"");

  auto wrong = client_for(sys, {url}, content_type::protobuf, credentials::basic("ops", "wrong-secret"));
  auto r = operator_api::call_agent(sys, wrong, operator_api::agent_call(AgentCall::GET_HEALTH), call_timeout);
  REQUIRE_FALSE(r);
  CHECK(error_code(r.error()) == errc::unauthorized);
  CHECK(describe(r.error()).find("wrong-secret") == std::string::npos);
  caf::anon_send_exit(wrong, caf::exit_reason::user_shutdown);

  auto right = client_for(sys, {url}, content_type::json, credentials::basic("ops", "right-secret"));
  CHECK(call(sys, right, operator_api::agent_call(AgentCall::GET_HEALTH)).get_health().healthy());
  auto flags = flags_of(call(sys, right, operator_api::agent_call(AgentCall::GET_FLAGS)));
  CHECK(flags["authenticate_http_readwrite"] == "true");
  auto logging = operator_api::agent_call(AgentCall::SET_LOGGING_LEVEL);
  logging.mutable_set_logging_level()->set_level(2);
  logging.mutable_set_logging_level()->mutable_duration()->set_nanoseconds(1000000000);
  auto unimplemented = operator_api::call_agent(sys, right, logging, call_timeout);
  REQUIRE_FALSE(unimplemented);
  CHECK(error_code(unimplemented.error()) == errc::rejected);
  CHECK(error_detail(unimplemented.error()).find("SET_LOGGING_LEVEL: HTTP 501") == 0);
  caf::anon_send_exit(right, caf::exit_reason::user_shutdown);
}
