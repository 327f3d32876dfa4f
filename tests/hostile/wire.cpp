#include "hostile/wire.hpp"

#include <cstdio>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace hostile {

using mesos_actor::content_type;

std::string stream_head(content_type ct, const std::string& stream_id) {
  std::string out = "HTTP/1.1 200 OK\r\nContent-Type: ";
  out += mesos_actor::media_type(ct);
  out += "\r\n";
  if (!stream_id.empty())
    out += "Mesos-Stream-Id: " + stream_id + "\r\n";
  out += "Transfer-Encoding: chunked\r\n\r\n";
  return out;
}

std::string chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string{size} + std::string{data} + "\r\n";
}

std::string call_answer(int status) {
  return "HTTP/1.1 " + std::to_string(status) + " Whatever\r\nContent-Length: 0\r\n\r\n";
}

std::string record(const google::protobuf::Message& event, content_type ct) {
  return mesos_actor::recordio_encode(mesos_actor::encode(event, ct));
}

mesos::v1::scheduler::Event subscribed(double heartbeat_seconds) {
  mesos::v1::scheduler::Event e;
  e.set_type(mesos::v1::scheduler::Event::SUBSCRIBED);
  e.mutable_subscribed()->mutable_framework_id()->set_value("hostile-fw");
  e.mutable_subscribed()->set_heartbeat_interval_seconds(heartbeat_seconds);
  return e;
}

mesos::v1::scheduler::Event heartbeat() {
  mesos::v1::scheduler::Event e;
  e.set_type(mesos::v1::scheduler::Event::HEARTBEAT);
  return e;
}

mesos::v1::executor::Event executor_subscribed() {
  mesos::v1::executor::Event e;
  e.set_type(mesos::v1::executor::Event::SUBSCRIBED);
  auto* s = e.mutable_subscribed();
  s->mutable_executor_info()->mutable_executor_id()->set_value("exec-hostile");
  s->mutable_executor_info()->mutable_framework_id()->set_value("fw-hostile");
  s->mutable_framework_info()->set_user("tester");
  s->mutable_framework_info()->set_name("hostile");
  s->mutable_framework_info()->mutable_id()->set_value("fw-hostile");
  s->mutable_agent_info()->set_hostname("localhost");
  s->mutable_agent_info()->mutable_id()->set_value("agent-hostile");
  return e;
}

namespace {

content_type request_type(const http_request& r) {
  auto ct = mesos_actor::parse_content_type(r.header("content-type"));
  return ct ? *ct : content_type::protobuf;
}

} // namespace

mesos::v1::scheduler::Call::Type scheduler_call(const http_request& r) {
  mesos::v1::scheduler::Call c;
  if (mesos_actor::decode(r.body, request_type(r), c))
    return mesos::v1::scheduler::Call::UNKNOWN;
  return c.type();
}

mesos::v1::executor::Call::Type executor_call(const http_request& r) {
  mesos::v1::executor::Call c;
  if (mesos_actor::decode(r.body, request_type(r), c))
    return mesos::v1::executor::Call::UNKNOWN;
  return c.type();
}

std::vector<steady::time_point> subscribes(const std::vector<http_request>& rs, bool executor) {
  std::vector<steady::time_point> out;
  for (auto& r : rs)
    if (executor ? executor_call(r) == mesos::v1::executor::Call::SUBSCRIBE
                 : scheduler_call(r) == mesos::v1::scheduler::Call::SUBSCRIBE)
      out.push_back(r.at);
  return out;
}

} // namespace hostile
