#include "conformance/scenarios.hpp"

#include <map>
#include <memory>
#include <stdexcept>
#include <thread>

#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/codec/message_codec.hpp"

namespace conformance {

namespace {

using namespace std::chrono_literals;
using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;
using mesos_actor::content_type;

std::string media(content_type ct) { return std::string{mesos_actor::media_type(ct)}; }

mesos::v1::FrameworkInfo framework(const std::string& name) {
  mesos::v1::FrameworkInfo info;
  info.set_user("root");
  info.set_name(name);
  return info;
}

// A v4 UUID's 16 bytes (fixed: transcripts do not show them).
std::string uuid_v4() {
  std::string b = "0123456789abcdef";
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  return b;
}

// One framework over the wire: its subscription stream(s) and its calls, every answer
// and event appended to the scenario's transcript.
class session {
public:
  session(transcript& t, std::string master, content_type ct)
    : t_(t), master_(std::move(master)), ct_(ct) {}

  const std::string& framework_id() const { return framework_id_; }
  const std::string& stream_id() const { return stream_id_; }
  event_stream& stream() { return *stream_; }

  /// SUBSCRIBE on a new connection; records the answer's head (and body unless 200).
  int subscribe(const mesos::v1::FrameworkInfo& info, const std::string& label = "SUBSCRIBE",
                const std::vector<std::string>& suppressed_roles = {}) {
    Call call;
    call.set_type(Call::SUBSCRIBE);
    *call.mutable_subscribe()->mutable_framework_info() = info;
    for (auto& r : suppressed_roles)
      call.mutable_subscribe()->add_suppressed_roles(r);
    if (info.has_id())
      *call.mutable_framework_id() = info.id();
    http_request req;
    req.headers = {{"Content-Type", media(ct_)}, {"Accept", media(ct_)}};
    req.body = mesos_actor::encode(call, ct_);
    old_stream_ = std::move(stream_);
    stream_ = std::make_unique<event_stream>(master_, req);
    t_.steps.push_back(call_step(label, stream_->head()));
    if (auto id = stream_->head().get("Mesos-Stream-Id"))
      stream_id_ = *id;
    return stream_->head().status;
  }

  /// Reads events of `s` (recording each) until one of `type`; throws after `timeout`.
  Event expect(Event::Type type, std::chrono::milliseconds timeout = 30s, event_stream* s = nullptr) {
    s = s ? s : stream_.get();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      auto rec = left.count() > 0 ? s->next(left) : std::nullopt;
      if (!rec)
        throw std::runtime_error(t_.scenario + ": no " + Event::Type_Name(type) + " event"
                                 + (s->ended() ? " before the stream ended" : " in time"));
      Event e;
      if (auto err = mesos_actor::decode(*rec, ct_, e))
        throw std::runtime_error(t_.scenario + ": an event that does not decode");
      // HEARTBEATs are left out: whether the first comes before or after the first
      // OFFERS varies from run to run on a real master (the interval is compared in
      // SUBSCRIBED; the library tests watch heartbeats).
      bool periodic = e.type() == Event::HEARTBEAT;
      if (e.type() == Event::SUBSCRIBED)
        framework_id_ = e.subscribed().framework_id().value();
      if (!periodic)
        t_.steps.push_back(event_step(e, Event::Type_Name(e.type())));
      if (e.type() == type)
        return e;
    }
  }

  /// Waits for the end of the stream (recording the events before it) and records it.
  void expect_end(const std::string& label, event_stream* s = nullptr,
                  std::chrono::milliseconds timeout = 20s) {
    s = s ? s : stream_.get();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!s->ended() || s->next(0ms)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        throw std::runtime_error(t_.scenario + ": " + label + " did not end");
      auto rec = s->next(std::min<std::chrono::milliseconds>(left, 500ms));
      if (!rec)
        continue;
      Event e;
      if (!mesos_actor::decode(*rec, ct_, e) && e.type() != Event::HEARTBEAT)
        t_.steps.push_back(event_step(e, Event::Type_Name(e.type())));
    }
    step end;
    end.kind = "end";
    end.what = label;
    t_.steps.push_back(end);
  }

  /// A call with this framework's id and stream id (unless the call names its own).
  http_answer call(Call c, const std::string& label, bool with_stream_id = true) {
    if (!c.has_framework_id() && !framework_id_.empty())
      c.mutable_framework_id()->set_value(framework_id_);
    http_request req;
    req.headers = {{"Content-Type", media(ct_)}, {"Accept", media(ct_)}};
    if (with_stream_id)
      req.headers.emplace_back("Mesos-Stream-Id", stream_id_);
    req.body = mesos_actor::encode(c, ct_);
    return raw(req, label);
  }

  /// Any request, recorded.
  http_answer raw(const http_request& req, const std::string& label) {
    auto a = send_request(master_, req);
    t_.steps.push_back(call_step(label, a));
    return a;
  }

  /// Acknowledges an update that carries a uuid.
  void acknowledge(const Event::Update& u) {
    if (!u.status().has_uuid())
      return;
    Call c;
    c.set_type(Call::ACKNOWLEDGE);
    *c.mutable_acknowledge()->mutable_agent_id() = u.status().agent_id();
    *c.mutable_acknowledge()->mutable_task_id() = u.status().task_id();
    c.mutable_acknowledge()->set_uuid(u.status().uuid());
    call(c, "ACKNOWLEDGE");
  }

  void teardown() {
    Call c;
    c.set_type(Call::TEARDOWN);
    call(c, "TEARDOWN");
  }

  std::unique_ptr<event_stream> take_old_stream() { return std::move(old_stream_); }

private:
  transcript& t_;
  std::string master_;
  content_type ct_;
  std::unique_ptr<event_stream> stream_;
  std::unique_ptr<event_stream> old_stream_;
  std::string framework_id_;
  std::string stream_id_;
};

void subscribe_scenario(transcript& t, const std::string& master) {
  session s{t, master, content_type::json};
  s.subscribe(framework("conformance-subscribe"));
  s.expect(Event::SUBSCRIBED);
  auto offers = s.expect(Event::OFFERS);
  Call decline;
  decline.set_type(Call::DECLINE);
  for (auto& o : offers.offers().offers())
    *decline.mutable_decline()->add_offer_ids() = o.id();
  decline.mutable_decline()->mutable_filters()->set_refuse_seconds(3600);
  s.call(decline, "DECLINE");
  s.teardown();
  s.expect_end("subscription");
}

void launch_scenario(transcript& t, const std::string& master) {
  session s{t, master, content_type::protobuf};
  auto info = framework("conformance-launch");
  s.subscribe(info);
  s.expect(Event::SUBSCRIBED);
  auto offers = s.expect(Event::OFFERS);
  const auto& offer = offers.offers().offers(0);
  Call accept;
  accept.set_type(Call::ACCEPT);
  *accept.mutable_accept()->add_offer_ids() = offer.id();
  accept.mutable_accept()->mutable_filters()->set_refuse_seconds(3600);
  auto* op = accept.mutable_accept()->add_operations();
  op->set_type(mesos::v1::Offer::Operation::LAUNCH);
  auto* task = op->mutable_launch()->add_task_infos();
  task->set_name("t1");
  task->mutable_task_id()->set_value("t1");
  *task->mutable_agent_id() = offer.agent_id();
  task->mutable_command()->set_value("sleep 1");
  for (auto [name, amount] : {std::pair{"cpus", 0.1}, std::pair{"mem", 32.0}}) {
    auto* r = task->add_resources();
    r->set_name(name);
    r->set_type(mesos::v1::Value::SCALAR);
    r->mutable_scalar()->set_value(amount);
  }
  s.call(accept, "ACCEPT");
  for (auto state = mesos::v1::TASK_STAGING; state != mesos::v1::TASK_FINISHED;) {
    auto u = s.expect(Event::UPDATE);
    state = u.update().status().state();
    s.acknowledge(u.update());
    if (state != mesos::v1::TASK_STARTING && state != mesos::v1::TASK_RUNNING
        && state != mesos::v1::TASK_FINISHED)
      throw std::runtime_error("launch: t1 ended in " + mesos::v1::TaskState_Name(state));
  }
  for (std::string id : {"t1", "no-such-task"}) {
    Call rec;
    rec.set_type(Call::RECONCILE);
    auto* rt = rec.mutable_reconcile()->add_tasks();
    rt->mutable_task_id()->set_value(id);
    *rt->mutable_agent_id() = offer.agent_id();
    s.call(rec, "RECONCILE " + id);
    s.expect(Event::UPDATE);
  }
  s.teardown();
  s.expect_end("subscription");
  // The id of a framework torn down is refused: 200, ERROR, end.
  info.mutable_id()->set_value(s.framework_id());
  s.subscribe(info, "SUBSCRIBE removed framework");
  s.expect(Event::ERROR);
  s.expect_end("refused subscription");
}

void bad_requests_scenario(transcript& t, const std::string& master) {
  session s{t, master, content_type::json};
  s.subscribe(framework("conformance-bad-requests"), "SUBSCRIBE", {"*"});
  s.expect(Event::SUBSCRIBED);
  auto json = [](std::string body, header_list headers = {{"Content-Type", "application/json"}}) {
    http_request r;
    r.headers = std::move(headers);
    r.body = std::move(body);
    return r;
  };
  auto fw = "{\"value\":\"" + s.framework_id() + "\"}";
  auto revive = "{\"type\":\"REVIVE\",\"framework_id\":" + fw + "}";
  http_request get;
  get.method = "GET";
  s.raw(get, "GET");
  s.raw(json(revive, {}), "no Content-Type");
  s.raw(json(revive, {{"Content-Type", "text/plain"}}), "Content-Type text/plain");
  s.raw(json(revive, {{"Content-Type", "application/json; charset=utf-8"}}),
        "Content-Type with parameters");
  s.raw(json("{not json"), "body not JSON");
  s.raw(json("{\"framework_id\":" + fw + "}"), "no type");
  s.raw(json("{\"type\":\"NO_SUCH_TYPE\",\"framework_id\":" + fw + "}"), "unknown type name");
  s.raw(json("{\"type\":\"REVIVE\"}"), "no framework_id");
  s.raw(json("{\"type\":\"SUBSCRIBE\"}"), "SUBSCRIBE without subscribe");
  s.raw(json("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\",\"name\":\"x\"}}}",
             {{"Content-Type", "application/json"}, {"Accept", "text/plain"}}),
        "SUBSCRIBE Accept text/plain");
  s.raw(json("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"root\",\"name\":\"x\"}}}",
             {{"Content-Type", "application/json"}, {"Mesos-Stream-Id", s.stream_id()}}),
        "SUBSCRIBE with Mesos-Stream-Id");
  s.raw(json(revive), "no Mesos-Stream-Id");
  s.raw(json(revive, {{"Content-Type", "application/json"},
                      {"Mesos-Stream-Id", "00000000-0000-4000-8000-000000000000"}}),
        "wrong Mesos-Stream-Id");
  s.raw(json("{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"no-such-framework\"}}",
             {{"Content-Type", "application/json"}, {"Mesos-Stream-Id", s.stream_id()}}),
        "unknown framework");
  Call c;
  c.set_type(Call::DECLINE);
  s.call(c, "DECLINE without decline");
  Call ack;
  ack.set_type(Call::ACKNOWLEDGE);
  ack.mutable_acknowledge()->mutable_agent_id()->set_value("a");
  ack.mutable_acknowledge()->mutable_task_id()->set_value("t");
  ack.mutable_acknowledge()->set_uuid("0123456789abcde");
  s.call(ack, "ACKNOWLEDGE 15-byte uuid");
  ack.mutable_acknowledge()->set_uuid(std::string(16, '\0')); // version nibble 0
  s.call(ack, "ACKNOWLEDGE 16 bytes, not a UUID");
  ack.mutable_acknowledge()->set_uuid(uuid_v4());
  s.call(ack, "ACKNOWLEDGE unknown task");
  // Not sent: an UNKNOWN call from a subscribed framework aborts a Mesos 1.12 master
  // (CHECK failure in its call metrics); the simulator answers 501.
  Call upd;
  upd.set_type(Call::UPDATE_FRAMEWORK);
  // Still suppressed: an UPDATE_FRAMEWORK without suppressed_roles revives every role, and
  // OFFERS would then race the TEARDOWN below (on the real master as on the simulator).
  upd.mutable_update_framework()->add_suppressed_roles("*");
  auto info = framework("conformance-bad-requests");
  info.mutable_id()->set_value(s.framework_id());
  info.set_user("someone-else");
  *upd.mutable_update_framework()->mutable_framework_info() = info;
  s.call(upd, "UPDATE_FRAMEWORK changing user");
  info.set_user("root");
  info.set_name("renamed");
  *upd.mutable_update_framework()->mutable_framework_info() = info;
  s.call(upd, "UPDATE_FRAMEWORK");
  s.teardown();
  s.expect_end("subscription");
}

void failover_scenario(transcript& t, const std::string& master) {
  session s{t, master, content_type::json};
  auto info = framework("conformance-failover");
  info.set_failover_timeout(60);
  s.subscribe(info, "SUBSCRIBE", {"*"});
  s.expect(Event::SUBSCRIBED);
  info.mutable_id()->set_value(s.framework_id());
  s.subscribe(info, "SUBSCRIBE again with the id", {"*"});
  auto first = s.take_old_stream();
  s.expect(Event::ERROR, 20s, first.get());
  s.expect_end("first subscription", first.get());
  s.expect(Event::SUBSCRIBED);
  // The framework disconnects: its calls are refused until it subscribes again.
  auto stream_id = s.stream_id();
  s.stream().close();
  Call revive;
  revive.set_type(Call::REVIVE);
  revive.mutable_framework_id()->set_value(s.framework_id());
  http_request req;
  req.headers = {{"Content-Type", "application/json"}, {"Mesos-Stream-Id", stream_id}};
  req.body = mesos_actor::encode(revive, content_type::json);
  // The master learns of the closed connection asynchronously.
  for (int i = 0; i < 50 && send_request(master, req).status == 202; ++i)
    std::this_thread::sleep_for(100ms);
  s.raw(req, "REVIVE while disconnected");
  s.subscribe(info, "SUBSCRIBE after disconnection", {"*"});
  s.expect(Event::SUBSCRIBED);
  s.teardown();
  s.expect_end("subscription");
}

void refused_subscribe_scenario(transcript& t, const std::string& master) {
  session s{t, master, content_type::json};
  auto info = framework("conformance-refused");
  info.add_roles("a"); // roles without the MULTI_ROLE capability
  s.subscribe(info, "SUBSCRIBE roles without MULTI_ROLE");
  s.expect(Event::ERROR);
  s.expect_end("refused subscription");
  auto huge = framework("conformance-refused");
  huge.set_failover_timeout(1e300); // not a Duration
  s.subscribe(huge, "SUBSCRIBE failover_timeout out of range");
  s.expect(Event::ERROR);
  s.expect_end("refused subscription");
  // A negative failover_timeout is a valid Duration: Mesos 1.12 accepts it.
  auto negative = framework("conformance-refused");
  negative.set_failover_timeout(-1);
  s.subscribe(negative, "SUBSCRIBE negative failover_timeout", {"*"});
  s.expect(Event::SUBSCRIBED);
  s.teardown();
  s.expect_end("subscription");
}

void run_steps(transcript& t, const std::string& name, const std::string& master);

} // namespace

const std::vector<std::string>& scenario_names() {
  static const std::vector<std::string> names = {"subscribe", "launch", "bad_requests", "failover",
                                                 "refused_subscribe"};
  return names;
}

transcript run_scenario(const std::string& name, const std::string& master) {
  transcript t;
  t.scenario = name;
  try {
    run_steps(t, name, master);
  } catch (const std::exception& e) {
    step failed;
    failed.kind = "failed";
    failed.what = normalise_text(e.what());
    t.steps.push_back(failed);
  }
  return t;
}

namespace {

void run_steps(transcript& t, const std::string& name, const std::string& master) {
  if (name == "subscribe")
    subscribe_scenario(t, master);
  else if (name == "launch")
    launch_scenario(t, master);
  else if (name == "bad_requests")
    bad_requests_scenario(t, master);
  else if (name == "failover")
    failover_scenario(t, master);
  else if (name == "refused_subscribe")
    refused_subscribe_scenario(t, master);
  else
    throw std::runtime_error("no scenario named " + name);
}

} // namespace

} // namespace conformance
