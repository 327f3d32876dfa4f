// The agents' operator API (agent_operator.hpp).
#include "agent_operator.hpp"

#include <cctype>
#include <map>
#include <set>

#include <google/protobuf/descriptor.h>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "agent_operator_views.hpp"
#include "cluster_impl.hpp"
#include "operator_response.hpp"
#include "request_checks.hpp"

namespace mesos_actor::sim {

namespace {

constexpr const char* agent_short_path = "/api/v1";
constexpr const char* agent_long_path = "/slave(1)/api/v1";
// Mesos serves the agent's /api/v1 in its read-write HTTP authentication realm.
constexpr const char* agent_operator_realm = "mesos-agent-readwrite";
// The agent also takes streaming requests (ATTACH_CONTAINER_INPUT), so its 415 names
// RecordIO too.
constexpr const char* recordio_media_type = "application/recordio";
constexpr const char* agent_media_types_text =
  "Expecting 'Content-Type' of application/json or application/x-protobuf or "
  "application/recordio";

using AgentCall = mesos::v1::agent::Call;
using AgentResponse = mesos::v1::agent::Response;

// Mesos's validation::agent::call::validate as far as the simulator reads calls: the
// type, and the argument (named after the type in lower case) of the call types that
// need one.
std::string invalid_call(const AgentCall& call) {
  if (!call.has_type())
    return "Expecting 'type' to be present";
  // By name: several of these types are deprecated in the proto.
  static const std::set<std::string> with_argument = {
    "GET_METRICS", "SET_LOGGING_LEVEL", "LIST_FILES", "READ_FILE", "LAUNCH_NESTED_CONTAINER",
    "WAIT_NESTED_CONTAINER", "KILL_NESTED_CONTAINER", "REMOVE_NESTED_CONTAINER",
    "LAUNCH_NESTED_CONTAINER_SESSION", "ATTACH_CONTAINER_INPUT", "ATTACH_CONTAINER_OUTPUT",
    "LAUNCH_CONTAINER", "WAIT_CONTAINER", "KILL_CONTAINER", "REMOVE_CONTAINER",
    "ADD_RESOURCE_PROVIDER_CONFIG", "UPDATE_RESOURCE_PROVIDER_CONFIG",
    "REMOVE_RESOURCE_PROVIDER_CONFIG", "MARK_RESOURCE_PROVIDER_GONE"};
  auto name = AgentCall::Type_Name(call.type());
  if (!with_argument.count(name))
    return ""; // no argument, or an optional one (GET_CONTAINERS, PRUNE_IMAGES)
  for (auto& ch : name)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto* field = AgentCall::descriptor()->FindFieldByName(name);
  if (field && !call.GetReflection()->HasField(call, field))
    return "Expecting '" + name + "' to be present";
  return "";
}

// Scalar resources by name ("cpus", "mem", "disk").
std::map<std::string, double> scalars(const resource_set& r) {
  google::protobuf::RepeatedPtrField<mesos::v1::Resource> list;
  r.to_proto(list);
  std::map<std::string, double> out;
  for (const auto& res : list)
    if (res.type() == mesos::v1::Value::SCALAR)
      out[res.name()] += res.scalar().value();
  return out;
}

} // namespace

void agent_operator_front::add_routes(std::size_t agent, http_routes& routes) {
  auto handler = [this, agent](const httplib::Request& req, httplib::Response& res) {
    handle(agent, req, res);
  };
  routes.handle(agent_short_path, handler);
  routes.handle(agent_long_path, handler);
}

void agent_operator_front::handle(std::size_t index, const httplib::Request& req,
                                  httplib::Response& res) {
  request_record rec = start_record(server_kind::agent, index, req);
  auto finish = [&](int status, const std::string& body) {
    finish_operator_request(c_, "agent " + std::to_string(index), req, res, rec, status, body);
  };
  auto& node = *c_.agents_.nodes.at(index);
  executor_manager* executors = node.executors.get(); // set before the server starts

  // 1. Authentication (libprocess, before the handler).
  auto who = authenticate_request(c_.opts_, req, res, agent_operator_realm);
  if (auto* rejected = std::get_if<request_rejection>(&who)) {
    finish(rejected->status, rejected->body);
    return;
  }
  // 2. Recovery, 3. method.
  if (executors && executors->recovering()) {
    finish(503, "Agent has not finished recovery");
    return;
  }
  if (auto rejected = require_post(req, res)) {
    finish(rejected->status, rejected->body);
    return;
  }

  // 4. Content-Type, and Message-Content-Type only for a streaming body.
  bool streaming = req.get_header_value("Content-Type") == recordio_media_type;
  content_type body_type = content_type::json;
  if (streaming) {
    if (!req.has_header("Message-Content-Type")) {
      finish(400, "Expecting 'Message-Content-Type' to be set for streaming requests");
      return;
    }
    if (!parse_content_type(req.get_header_value("Message-Content-Type"))) {
      finish(415, "Expecting 'Message-Content-Type' of application/json or "
                  "application/x-protobuf");
      return;
    }
  } else {
    auto checked = body_media_type(req, agent_media_types_text);
    if (auto* rejected = std::get_if<request_rejection>(&checked)) {
      finish(rejected->status, rejected->body);
      return;
    }
    body_type = std::get<content_type>(checked);
    rec.body_type = body_type;
    if (req.has_header("Message-Content-Type")) {
      finish(415, "Expecting 'Message-Content-Type' to be not set for non-streaming requests");
      return;
    }
  }

  // 5. Accept (before the body is read, as the agent does).
  auto accept = negotiate_accept(req.get_header_value("Accept"));
  if (!accept) {
    finish(406, "Expecting 'Accept' to allow application/json or application/x-protobuf or "
                "application/recordio");
    return;
  }
  if (req.has_header("Message-Accept")) {
    finish(406, "Expecting 'Message-Accept' to be not set for non-streaming responses");
    return;
  }
  // Only ATTACH_CONTAINER_INPUT streams its request, and the simulator has no containers.
  if (streaming) {
    finish(415, "Streaming 'Content-Type' application/recordio is not supported by the "
                "simulator (it does not implement ATTACH_CONTAINER_INPUT)");
    return;
  }

  // 6. Parsing and validation.
  AgentCall call;
  if (auto err = decode(req.body, body_type, call)) {
    finish(400, body_type == content_type::protobuf
                  ? std::string("Failed to parse body into a protobuf object")
                  : "Failed to parse body into JSON: " + err->message);
    return;
  }
  if (auto invalid = invalid_call(call); !invalid.empty()) {
    finish(400, "Failed to validate agent::Call: " + invalid);
    return;
  }

  // 7. The call, from the state (the manager is asked first: it must not be called
  // under mu_).
  auto custom = executors ? executors->executors() : std::vector<executor_view>{};
  AgentResponse response;
  outcome result;
  {
    cluster::impl::state_lock lk(c_);
    result = dispatch(node, std::move(custom), call, response);
  }
  if (result.first != 200) {
    finish(result.first, result.second);
    return;
  }
  res.set_content(encode(response, *accept), std::string(media_type(*accept)));
  finish(200, "");
}

agent_operator_front::outcome agent_operator_front::dispatch(const agent_node& agent,
                                                             std::vector<executor_view> executors,
                                                             const AgentCall& call, AgentResponse& out) {
  auto list = [&] { return agent_view_executor_list(c_, agent, std::move(executors)); };
  switch (call.type()) {
    case AgentCall::GET_HEALTH:
      out.set_type(AgentResponse::GET_HEALTH);
      out.mutable_get_health()->set_healthy(true);
      return {200, ""};
    case AgentCall::GET_VERSION:
      out.set_type(AgentResponse::GET_VERSION);
      out.mutable_get_version()->mutable_version_info()->set_version(c_.opts_.version);
      return {200, ""};
    case AgentCall::GET_FLAGS: {
      out.set_type(AgentResponse::GET_FLAGS);
      auto& flags = *out.mutable_get_flags();
      auto info = agent.info_locked();
      bool auth = !c_.opts_.credentials.empty() || !c_.opts_.bearer_tokens.empty();
      std::string attributes;
      for (const auto& [name, value] : agent.spec.attributes)
        attributes += (attributes.empty() ? "" : ";") + name + ":" + value;
      add_flag(flags, "attributes", attributes);
      add_flag(flags, "authenticate_http_readonly", auth ? "true" : "false");
      add_flag(flags, "authenticate_http_readwrite", auth ? "true" : "false");
      add_flag(flags, "hostname", info.hostname());
      add_flag(flags, "ip", c_.opts_.bind_address);
      std::size_t master = c_.leader_.value_or(0);
      add_flag(flags, "master",
               !c_.opts_.zookeeper.empty() ? "(set)" // a zk:// URL may carry a password
                                           : c_.opts_.bind_address + ":" +
                                               std::to_string(c_.masters_[master].info.port()));
      add_flag(flags, "port", std::to_string(agent.port));
      add_flag(flags, "resources", agent.total.to_string());
      add_flag(flags, "work_dir", c_.work_dir_ + "/agent-" + std::to_string(agent.index));
      return {200, ""};
    }
    case AgentCall::GET_METRICS: {
      out.set_type(AgentResponse::GET_METRICS);
      auto& m = *out.mutable_get_metrics();
      auto e = list();
      std::map<mesos::v1::TaskState, std::size_t> states;
      resource_set used;
      for (const auto& [key, t] : c_.state_.tasks)
        if (t.agent_id == agent.id) {
          ++states[t.latest.state()];
          if (!t.terminal())
            used.add(t.resources);
        }
      for (const auto& t : c_.state_.completed_task_records)
        if (t.agent_id().value() == agent.id)
          ++states[t.state()];
      auto count = [&](mesos::v1::TaskState s) { return static_cast<double>(states[s]); };
      add_metric(m, "slave/registered", 1);
      add_metric(m, "slave/frameworks_active",
                 static_cast<double>(agent_view_frameworks(c_, agent, e).frameworks_size()));
      add_metric(m, "slave/executors_running", static_cast<double>(e.custom.size() + e.command.size()));
      add_metric(m, "slave/tasks_staging", count(mesos::v1::TASK_STAGING));
      add_metric(m, "slave/tasks_starting", count(mesos::v1::TASK_STARTING));
      add_metric(m, "slave/tasks_running", count(mesos::v1::TASK_RUNNING));
      add_metric(m, "slave/tasks_killing", count(mesos::v1::TASK_KILLING));
      add_metric(m, "slave/tasks_finished", count(mesos::v1::TASK_FINISHED));
      add_metric(m, "slave/tasks_failed", count(mesos::v1::TASK_FAILED));
      add_metric(m, "slave/tasks_killed", count(mesos::v1::TASK_KILLED));
      add_metric(m, "slave/tasks_lost", count(mesos::v1::TASK_LOST));
      auto used_by_name = scalars(used);
      for (const auto& [name, total] : scalars(agent.total)) {
        add_metric(m, "slave/" + name + "_total", total);
        add_metric(m, "slave/" + name + "_used", used_by_name[name]);
      }
      return {200, ""};
    }
    case AgentCall::GET_LOGGING_LEVEL:
      out.set_type(AgentResponse::GET_LOGGING_LEVEL);
      out.mutable_get_logging_level()->set_level(0); // glog's default verbosity
      return {200, ""};
    case AgentCall::GET_STATE:
      out.set_type(AgentResponse::GET_STATE);
      *out.mutable_get_state() = agent_view_state(c_, agent, list());
      return {200, ""};
    case AgentCall::GET_CONTAINERS:
      out.set_type(AgentResponse::GET_CONTAINERS);
      *out.mutable_get_containers() = agent_view_containers(list());
      return {200, ""};
    case AgentCall::GET_FRAMEWORKS:
      out.set_type(AgentResponse::GET_FRAMEWORKS);
      *out.mutable_get_frameworks() = agent_view_frameworks(c_, agent, list());
      return {200, ""};
    case AgentCall::GET_EXECUTORS:
      out.set_type(AgentResponse::GET_EXECUTORS);
      *out.mutable_get_executors() = agent_view_executors(list());
      return {200, ""};
    case AgentCall::GET_TASKS:
      out.set_type(AgentResponse::GET_TASKS);
      *out.mutable_get_tasks() = agent_view_tasks(c_, agent);
      return {200, ""};
    case AgentCall::GET_AGENT:
      out.set_type(AgentResponse::GET_AGENT);
      *out.mutable_get_agent()->mutable_agent_info() = agent.info_locked();
      return {200, ""};
    case AgentCall::GET_OPERATIONS:
      out.set_type(AgentResponse::GET_OPERATIONS); // the simulator has no operator operations
      out.mutable_get_operations();
      return {200, ""};
    case AgentCall::GET_RESOURCE_PROVIDERS:
      out.set_type(AgentResponse::GET_RESOURCE_PROVIDERS); // nor resource providers
      out.mutable_get_resource_providers();
      return {200, ""};
    case AgentCall::UNKNOWN:
      return {501, ""}; // as Mesos: Not Implemented, no text
    default:
      return {501, "The simulator does not implement " + AgentCall::Type_Name(call.type())};
  }
}

} // namespace mesos_actor::sim
