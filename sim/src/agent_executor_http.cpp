// The agent's executor endpoint (PROTOCOL.md section 5, "Executor endpoint"): the
// checks in Mesos's order, then SUBSCRIBE (a stream), UPDATE and MESSAGE.
#include "agent_executor.hpp"

#include <algorithm>
#include <set>

#include "executor_call_checks.hpp"
#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/task_state.hpp"
#include "request_checks.hpp"

namespace mesos_actor::sim {

namespace {

using mesos::v1::executor::Call;
using ExecutorEvent = mesos::v1::executor::Event;

constexpr std::size_t max_remembered_uuids = 4096;
constexpr auto executor_stream_slice = std::chrono::milliseconds(100);

void reply(httplib::Response& res, int status, const std::string& body = {}) {
  res.status = status;
  if (!body.empty())
    res.set_content(body, "text/plain; charset=utf-8");
}

/// The body as a Call, or the 400 text Mesos gives: protobuf that does not parse
/// (required fields missing included), JSON that does not parse, or JSON that lacks a
/// required field.
std::optional<std::string> parse_call(const std::string& body, content_type type, Call& call) {
  if (type == content_type::protobuf)
    return decode(body, type, call) ? std::optional<std::string>{"Failed to parse body into Call protobuf"}
                                    : std::nullopt;
  json_read_options partial;
  partial.check_required = false;
  if (auto err = from_json(body, call, partial))
    return "Failed to parse body into JSON: " + err->message;
  if (!call.IsInitialized())
    return "Failed to convert JSON into Call protobuf: Missing required fields: "
           + call.InitializationErrorString();
  return std::nullopt;
}

/// The 401 of the executor realm, as libprocess's JWT authenticator answers it: error
/// details unless `description` is empty (no credentials at all: RFC 6750, 3.1).
request_rejection unauthorized(httplib::Response& res, const std::string& description) {
  static const std::string realm = "Bearer realm=\"mesos-agent-executor\"";
  res.set_header("WWW-Authenticate", description.empty()
                                       ? realm
                                       : realm + ", error=\"invalid_token\", error_description=\""
                                           + description + "\"");
  return request_rejection{401, ""};
}

/// The Authorization header split as libprocess's JWT authenticator splits it: the
/// token, or the 401 (WWW-Authenticate already set) it answers.
std::variant<std::string, request_rejection> bearer_token(const httplib::Request& req,
                                                          httplib::Response& res) {
  if (!req.has_header("Authorization"))
    return unauthorized(res, {});
  auto header = req.get_header_value("Authorization");
  auto space = header.find(' ');
  if (space == std::string::npos || header.find(' ', space + 1) != std::string::npos)
    return unauthorized(res, "Malformed 'Authorization' header");
  auto scheme = header.substr(0, space);
  if (scheme != "Bearer")
    return unauthorized(res, "Scheme '" + scheme + "' unsupported");
  return header.substr(space + 1);
}

} // namespace

void agent_executors::handle(const httplib::Request& req, httplib::Response& res) {
  auto trace = start_record(server_kind::agent, services_.agent_index(), req);
  auto agent = facts();
  effects fx;
  // Mesos's order (slave/http.cpp Http::executor): authentication, method, Content-Type,
  // body, validation; then handle_call.
  [&] {
    std::optional<executor_claims> claims;
    if (services_.options().executors.authenticate) {
      auto who = authenticate(req, res);
      if (auto* no = std::get_if<request_rejection>(&who))
        return reply(res, no->status, no->body);
      claims = std::get<executor_claims>(who);
    }
    if (auto no = require_post(req, res))
      return reply(res, no->status, no->body);
    auto media = body_media_type(req);
    if (auto* no = std::get_if<request_rejection>(&media))
      return reply(res, no->status, no->body);
    auto type = std::get<content_type>(media);
    trace.body_type = type;
    Call call;
    if (auto err = parse_call(req.body, type, call))
      return reply(res, 400, *err);
    trace.executor_call = call;
    if (auto invalid = validate_executor_call(call))
      return reply(res, 400, "Failed to validate Executor::Call: " + *invalid);
    res.status = handle_call(req, res, call, claims, agent, fx);
  }();
  trace.status = res.status;
  run(fx);
  services_.record_request(std::move(trace));
}

std::variant<executor_claims, request_rejection>
agent_executors::authenticate(const httplib::Request& req, httplib::Response& res) const {
  auto token = bearer_token(req, res);
  if (auto* no = std::get_if<request_rejection>(&token))
    return *no;
  const auto& presented = std::get<std::string>(token);
  std::lock_guard<std::mutex> lk(mu_);
  for (const auto& [k, rec] : executors_)
    if (!presented.empty() && rec->token == presented)
      return executor_claims{rec->framework_id, rec->executor_id, rec->container.value()};
  // Mesos's tokens are signed JWTs; the simulator's are random strings it remembers.
  return unauthorized(res, "Invalid JWT: unknown token");
}

int agent_executors::handle_call(const httplib::Request& req, httplib::Response& res,
                                 const Call& call, const std::optional<executor_claims>& claims,
                                 const agent_facts& agent, effects& fx) {
  std::optional<content_type> accept;
  if (call.type() == Call::SUBSCRIBE) {
    accept = negotiate_accept(req.get_header_value("Accept"));
    if (!accept) {
      reply(res, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
      return 406;
    }
  }
  // Answered before anything is looked up, with whatever ids it carries.
  if (call.type() == Call::HEARTBEAT)
    return 202;
  std::lock_guard<std::mutex> lk(mu_);
  if (recovering_ && call.type() != Call::SUBSCRIBE) {
    reply(res, 503, "Agent has not finished recovery");
    return 503;
  }
  const auto& fid = call.framework_id().value();
  bool framework_known = std::any_of(executors_.begin(), executors_.end(),
                                     [&](const auto& e) { return e.first.first == fid; });
  if (!framework_known) {
    reply(res, 400, "Framework cannot be found");
    return 400;
  }
  auto rec = find(fid, call.executor_id().value());
  if (!rec) {
    reply(res, 400, "Executor cannot be found");
    return 400;
  }
  if (claims) {
    if (auto forbidden = verify_executor_claims(*claims, call, rec->container.value())) {
      reply(res, 403, *forbidden);
      return 403;
    }
  }
  // Only an executor still registering is refused; one whose connection broke may
  // still send (Mesos keeps it RUNNING until it re-subscribes or times out).
  if (rec->state == phase::launching && call.type() != Call::SUBSCRIBE) {
    reply(res, 403, "Executor is not subscribed");
    return 403;
  }
  switch (call.type()) {
    case Call::SUBSCRIBE:
      subscribe(rec, call, *accept, agent, res, fx);
      return 200;
    case Call::UPDATE:
    case Call::MESSAGE:
      if (call.type() == Call::UPDATE) {
        take_update(rec, call.update().status(), fx);
      } else {
        auto eid = rec->executor_id;
        auto data = call.message().data();
        fx.push_back([this, fid, eid, data] { services_.send_framework_message(fid, eid, data); });
      }
      return 202;
    default: // UNKNOWN
      return 501;
  }
}

void agent_executors::subscribe(const record_ptr& rec, const Call& call, content_type encoding,
                                const agent_facts& agent, httplib::Response& res, effects& fx) {
  if (rec->stream) {
    // Mesos closes an older connection of the same executor.
    rec->stream->close();
    rec->stream.reset();
  }
  auto& services = services_;
  auto fid = rec->framework_id;
  auto eid = rec->executor_id;
  auto agent_index = services_.agent_index();
  auto stream = std::make_shared<executor_stream>(
    encoding, services_.options().max_queued_events,
    [&services, fid, eid, agent_index](const ExecutorEvent& e) {
      services.record_executor_event(
        executor_event_record{std::chrono::steady_clock::now(), agent_index, fid, eid, e});
    });
  auto media = std::string{media_type(encoding)};
  res.status = 200;
  res.set_chunked_content_provider(
    media, [stream](std::size_t, httplib::DataSink& sink) { return stream->provide(sink, executor_stream_slice); },
    [this, rec, stream](bool) { stream_ended(rec, stream); });

  if (rec->state == phase::terminating) {
    // The agent is done with this executor: SHUTDOWN and the end of the stream.
    ExecutorEvent e;
    e.set_type(ExecutorEvent::SHUTDOWN);
    stream->push(e);
    stream->close();
    return;
  }
  bool again = rec->state == phase::disconnected;
  rec->stream = stream;
  rec->state = phase::subscribed;
  rec->registration_deadline.reset();
  rec->next_heartbeat = std::chrono::steady_clock::now() + services_.options().executors.heartbeat_interval;

  ExecutorEvent subscribed;
  subscribed.set_type(ExecutorEvent::SUBSCRIBED);
  auto* s = subscribed.mutable_subscribed();
  *s->mutable_executor_info() = rec->info;
  *s->mutable_framework_info() = rec->framework;
  *s->mutable_agent_info() = agent.info;
  *s->mutable_container_id() = rec->container;
  push(rec, subscribed);

  // The listed updates go through the status-update path again (duplicates are
  // harmless), then a task sent to the executor, still STAGING and not listed was lost
  // on the way. Mesos's agent checks this on every SUBSCRIBE (Slave::subscribe), also
  // one from an executor it still counts as connected: the LAUNCH may have gone into a
  // connection the executor had already given up.
  for (const auto& u : call.subscribe().unacknowledged_updates())
    take_update(rec, u.status(), fx);
  std::set<std::string> listed;
  for (const auto& t : call.subscribe().unacknowledged_tasks())
    listed.insert(t.task_id().value());
  bool pa = partition_aware(rec->framework);
  std::vector<std::string> lost;
  for (auto& [tid, t] : rec->tasks) {
    if (!t.sent || t.state != mesos::v1::TASK_STAGING || listed.count(tid))
      continue;
    t.state = pa ? mesos::v1::TASK_DROPPED : mesos::v1::TASK_LOST;
    auto status = agent_status(*rec, tid, t.state, mesos::v1::TaskStatus::REASON_AGENT_RESTARTED,
                               "Task launched during agent restart"); // Mesos's text
    fx.push_back([this, fid, status] { services_.send_status_update(fid, status); });
    lost.push_back(tid);
  }
  for (const auto& tid : lost)
    task_ended(*rec, tid); // after the walk: it may drop records
  for (auto& [tasks, group] : rec->queued)
    if (!tasks.empty())
      send_launch(rec, tasks, group);
  rec->queued.clear();
  log(std::string{"executor "} + eid + (again ? " re-subscribed" : " subscribed"));

  if (recovering_ && std::none_of(executors_.begin(), executors_.end(), [](const auto& e) {
        return e.second->state == phase::disconnected;
      }))
    recovering_ = false; // every surviving executor is back
}

void agent_executors::take_update(const record_ptr& rec, const mesos::v1::TaskStatus& status,
                                  effects& fx) {
  const auto& uuid = status.uuid();
  auto fid = rec->framework_id;
  auto tid = status.task_id().value();
  if (!seen_before(*rec, status)) {
    auto it = rec->tasks.find(tid);
    if (it != rec->tasks.end() && !is_terminal(it->second.state)) {
      it->second.state = status.state();
      if (is_terminal(status.state()))
        task_ended(*rec, tid);
    }
    auto forwarded = status;
    if (!forwarded.has_agent_id() && !agent_id_.empty())
      forwarded.mutable_agent_id()->set_value(agent_id_);
    if (!forwarded.has_executor_id()) // as Mesos's agent does (Slave::statusUpdate)
      *forwarded.mutable_executor_id() = rec->info.executor_id();
    fx.push_back([this, fid, forwarded] { services_.send_status_update(fid, forwarded); });
  } else {
    log("update " + std::string(mesos::v1::TaskState_Name(status.state())) + " of task " + tid +
        " resent by its executor; taken before");
  }
  // Acknowledged to the executor once the agent has taken it (duplicates too, so the
  // executor stops resending).
  fx.push_back([this, rec, tid, uuid] {
    std::lock_guard<std::mutex> lk(mu_);
    ExecutorEvent e;
    e.set_type(ExecutorEvent::ACKNOWLEDGED);
    e.mutable_acknowledged()->mutable_task_id()->set_value(tid);
    e.mutable_acknowledged()->set_uuid(uuid);
    push(rec, e);
  });
}

bool agent_executors::seen_before(executor_record& rec, const mesos::v1::TaskStatus& status) const {
  const auto& uuid = status.uuid();
  auto task = rec.tasks.find(status.task_id().value());
  if (task != rec.tasks.end()) {
    auto& uuids = task->second.uuids;
    if (std::find(uuids.begin(), uuids.end(), uuid) != uuids.end())
      return true;
    uuids.push_back(uuid);
    return false;
  }
  auto& seen = rec.other_uuids;
  if (std::find(seen.begin(), seen.end(), uuid) != seen.end())
    return true;
  seen.push_back(uuid);
  if (seen.size() > max_remembered_uuids)
    seen.pop_front();
  return false;
}

} // namespace mesos_actor::sim
