// The agent's executor endpoint (PROTOCOL.md section 5, "Executor endpoint"): the
// checks in Mesos's order, then SUBSCRIBE (a stream), UPDATE and MESSAGE.
#include "agent_executor.hpp"

#include <algorithm>
#include <set>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/task_state.hpp"

namespace mesos_actor::sim {

namespace {

using mesos::v1::executor::Call;
using Event = mesos::v1::executor::Event;

constexpr std::size_t max_remembered_uuids = 4096;
constexpr auto stream_slice = std::chrono::milliseconds(100);

void reply(httplib::Response& res, int status, const std::string& body = {}) {
  res.status = status;
  if (!body.empty())
    res.set_content(body, "text/plain; charset=utf-8");
}

/// Mesos's validation::executor::call::validate; nullopt when valid.
std::optional<std::string> validate(const Call& call) {
  if (!call.has_type() || call.type() == Call::UNKNOWN)
    return "Expecting 'type' to be present";
  if (call.executor_id().value().empty())
    return "Expecting 'executor_id' to be present";
  if (call.framework_id().value().empty())
    return "Expecting 'framework_id' to be present";
  switch (call.type()) {
    case Call::SUBSCRIBE:
      if (!call.has_subscribe())
        return "Expecting 'subscribe' to be present";
      return std::nullopt;
    case Call::UPDATE: {
      if (!call.has_update())
        return "Expecting 'update' to be present";
      const auto& s = call.update().status();
      if (s.uuid().size() != 16)
        return "'TaskStatus.uuid' must be 16 bytes";
      if (s.source() != mesos::v1::TaskStatus::SOURCE_EXECUTOR)
        return "Received Call from executor with invalid source, expecting 'SOURCE_EXECUTOR'";
      if (s.state() == mesos::v1::TASK_STAGING)
        return "Received TASK_STAGING from executor which is not allowed";
      if (s.has_executor_id() && s.executor_id().value() != call.executor_id().value())
        return "ExecutorID in Call: " + call.executor_id().value()
               + " does not match ExecutorID in TaskStatus: " + s.executor_id().value();
      return std::nullopt;
    }
    case Call::MESSAGE:
      if (!call.has_message())
        return "Expecting 'message' to be present";
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::string bearer_token(const httplib::Request& req) {
  auto h = req.get_header_value("Authorization");
  static const std::string prefix = "Bearer ";
  return h.compare(0, prefix.size(), prefix) == 0 ? h.substr(prefix.size()) : std::string{};
}

} // namespace

void agent_executors::handle(const httplib::Request& req, httplib::Response& res) {
  request_record trace;
  trace.time = std::chrono::steady_clock::now();
  trace.server = server_kind::agent;
  trace.server_index = services_.agent_index();
  trace.method = req.method;
  trace.path = req.path;
  for (const auto& [name, value] : req.headers)
    trace.headers.emplace_back(name, strcasecmp(name.c_str(), "Authorization") == 0
                                       ? std::string{"<redacted>"}
                                       : value);
  auto agent = facts();
  effects fx;
  Call call;
  [&] {
    const auto& settings = services_.options().executors;
    std::string token;
    if (settings.authenticate) {
      token = bearer_token(req);
      std::lock_guard<std::mutex> lk(mu_);
      bool known = !token.empty()
                   && std::any_of(executors_.begin(), executors_.end(),
                                  [&](const auto& e) { return e.second->token == token; });
      if (!known) {
        res.set_header("WWW-Authenticate", "Bearer realm=\"mesos-agent-executor\"");
        return reply(res, 401);
      }
    }
    if (req.method != "POST")
      return reply(res, 405);
    if (!req.has_header("Content-Type"))
      return reply(res, 400, "Expecting 'Content-Type' to be present");
    auto type = parse_content_type(req.get_header_value("Content-Type"));
    if (!type)
      return reply(res, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    trace.body_type = *type;
    if (auto err = decode(req.body, *type, call))
      return reply(res, 400, "Failed to parse body into Call: " + err->message);
    trace.executor_call = call;
    if (auto invalid = validate(call))
      return reply(res, 400, *invalid);
    if (settings.authenticate) {
      std::lock_guard<std::mutex> lk(mu_);
      auto rec = find(call.framework_id().value(), call.executor_id().value());
      if (call.type() != Call::HEARTBEAT && (!rec || rec->token != token))
        return reply(res, 403, "Authenticated principal does not match the call's executor");
    }
    res.status = handle_call(req, res, call, agent, fx);
  }();
  trace.status = res.status;
  run(fx);
  services_.record_request(std::move(trace));
}

int agent_executors::handle_call(const httplib::Request& req, httplib::Response& res,
                                 const Call& call, const agent_facts& agent, effects& fx) {
  std::optional<content_type> accept;
  if (call.type() == Call::SUBSCRIBE) {
    accept = negotiate_accept(req.get_header_value("Accept"));
    if (!accept) {
      reply(res, 406, "Expecting 'Accept' to allow application/json or application/x-protobuf");
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
  switch (call.type()) {
    case Call::SUBSCRIBE:
      subscribe(rec, call, *accept, agent, res, fx);
      return 200;
    case Call::UPDATE:
    case Call::MESSAGE:
      if (rec->state != phase::subscribed) {
        reply(res, 403, "Executor is not subscribed");
        return 403;
      }
      if (call.type() == Call::UPDATE) {
        take_update(rec, call.update().status(), fx);
      } else {
        auto eid = rec->executor_id;
        auto data = call.message().data();
        fx.push_back([this, fid, eid, data] { services_.send_framework_message(fid, eid, data); });
      }
      return 202;
    default:
      reply(res, 501);
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
    [&services, fid, eid, agent_index](const Event& e) {
      services.record_executor_event(
        executor_event_record{std::chrono::steady_clock::now(), agent_index, fid, eid, e});
    });
  auto media = std::string{media_type(encoding)};
  res.status = 200;
  res.set_chunked_content_provider(
    media, [stream](std::size_t, httplib::DataSink& sink) { return stream->provide(sink, stream_slice); },
    [this, rec, stream](bool) { stream_ended(rec, stream); });

  if (rec->state == phase::terminating) {
    // The agent is done with this executor: SHUTDOWN and the end of the stream.
    Event e;
    e.set_type(Event::SHUTDOWN);
    stream->push(e);
    stream->close();
    return;
  }
  bool again = rec->state == phase::disconnected;
  rec->stream = stream;
  rec->state = phase::subscribed;
  rec->registration_deadline.reset();
  rec->next_heartbeat = std::chrono::steady_clock::now() + services_.options().executors.heartbeat_interval;

  Event subscribed;
  subscribed.set_type(Event::SUBSCRIBED);
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
    Event e;
    e.set_type(Event::ACKNOWLEDGED);
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
