// The master's HTTP front: status codes and headers in Mesos's check order.
#include <doctest/doctest.h>

#include <regex>

#include "sim_client.hpp"

using namespace simtest;
using mesos_actor::sim::cluster;

namespace {
const std::string json = "application/json";
const std::string proto = "application/x-protobuf";

httplib::Headers ct_json() { return {{"Content-Type", json}}; }
} // namespace

TEST_CASE("SUBSCRIBE without Accept gets a JSON stream with SUBSCRIBED then HEARTBEAT") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls().at(0);
  subscription sub(url, subscribe_call("front"));
  REQUIRE(sub.status() == 200);
  CHECK(sub.header("Content-Type") == json);
  CHECK(sub.header("Transfer-Encoding") == "chunked");
  CHECK(sub.header("Content-Length").empty());
  CHECK(std::regex_match(sub.stream_id(),
                         std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  auto first = sub.next();
  REQUIRE(first);
  REQUIRE(first->type() == Event::SUBSCRIBED);
  const auto& s = first->subscribed();
  CHECK(!s.framework_id().value().empty());
  CHECK(s.heartbeat_interval_seconds() == doctest::Approx(0.2));
  CHECK(s.master_info().port() == static_cast<unsigned>(port_of(url)));
  CHECK(s.master_info().address().ip() == "127.0.0.1");
  CHECK(s.master_info().address().port() == port_of(url));
  CHECK(!s.master_info().id().empty());
  CHECK(s.master_info().hostname() == "127.0.0.1");
  CHECK(s.master_info().version() == "1.12.0");
  auto second = sub.next();
  REQUIRE(second);
  CHECK(second->type() == Event::HEARTBEAT);
  // Then periodically.
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(sub.next(Event::HEARTBEAT, 2s));
  REQUIRE(sub.next(Event::HEARTBEAT, 2s));
  CHECK(std::chrono::steady_clock::now() - t0 >= 300ms);
  auto fw = sim.framework(s.framework_id().value());
  REQUIRE(fw);
  CHECK(fw->subscribed);
  CHECK(fw->stream_id == sub.stream_id());
  CHECK(fw->roles == std::vector<std::string>{"*"});
}

TEST_CASE("Accept chooses the event encoding independently of Content-Type") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls().at(0);
  subscription a(url, subscribe_call("a"), content_type::json, proto);
  REQUIRE(a.status() == 200);
  CHECK(a.header("Content-Type") == proto);
  auto e = a.next();
  REQUIRE(e);
  CHECK(e->type() == Event::SUBSCRIBED);
  // Mesos tries JSON first: any acceptable JSON wins, whatever the q-values.
  subscription b(url, subscribe_call("b"), content_type::protobuf, "application/json;q=0.5, application/x-protobuf;q=0.9");
  REQUIRE(b.status() == 200);
  CHECK(b.header("Content-Type") == json);
  subscription d(url, subscribe_call("d"), content_type::json, "application/x-protobuf, application/json;q=0");
  REQUIRE(d.status() == 200);
  CHECK(d.header("Content-Type") == proto);
  subscription c(url, subscribe_call("c"), content_type::protobuf, "*/*");
  REQUIRE(c.status() == 200);
  CHECK(c.header("Content-Type") == json);
  REQUIRE(c.next(Event::SUBSCRIBED));
  auto evs = sim.events();
  bool saw_proto = false;
  for (auto& r : evs)
    saw_proto |= r.encoding == content_type::protobuf;
  CHECK(saw_proto);
}

TEST_CASE("the long path /master/api/v1/scheduler is the same endpoint") {
  cluster sim(fast_options());
  sim.start();
  subscription sub(sim.master_urls()[0], subscribe_call(), content_type::json, std::nullopt, {},
                   "/master/api/v1/scheduler");
  REQUIRE(sub.status() == 200);
  CHECK(sub.next(Event::SUBSCRIBED));
}

TEST_CASE("status codes of the scheduler endpoint") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  auto sub_body = mesos_actor::encode(subscribe_call(), content_type::json);

  SUBCASE("405 for methods other than POST") {
    auto r = post_raw(url, "", {}, scheduler_path, "GET");
    CHECK(r.status == 405);
    CHECK(post_raw(url, sub_body, ct_json(), scheduler_path, "PUT").status == 405);
  }
  SUBCASE("400 without Content-Type") {
    // Raw, because httplib's client adds a Content-Type of its own.
    auto got = raw_exchange(port_of(url),
                            "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                              std::to_string(sub_body.size()) + "\r\n\r\n" + sub_body,
                            [](const std::string& s) { return s.find("\r\n\r\n") != std::string::npos; });
    CHECK(got.rfind("HTTP/1.1 400 ", 0) == 0);
  }
  SUBCASE("415 for a Content-Type with parameters or another type") {
    CHECK(post_raw(url, sub_body, {{"Content-Type", "application/json; charset=utf-8"}}).status == 415);
    CHECK(post_raw(url, sub_body, {{"Content-Type", "text/plain"}}).status == 415);
  }
  SUBCASE("400 for a body that does not parse") {
    CHECK(post_raw(url, "{not json", ct_json()).status == 400);
    CHECK(post_raw(url, "\xff\xff\xff", {{"Content-Type", proto}}).status == 400);
    CHECK(post_raw(url, R"({"type":"SUBSCRIBE"})", ct_json()).status == 400); // no subscribe
    CHECK(post_raw(url, R"({"subscribe":{}})", ct_json()).status == 400);     // no type
  }
  SUBCASE("406 when Accept allows neither type") {
    auto r = post_raw(url, sub_body, {{"Content-Type", json}, {"Accept", "text/html"}});
    CHECK(r.status == 406);
  }
  SUBCASE("400 for SUBSCRIBE carrying Mesos-Stream-Id") {
    CHECK(post_raw(url, sub_body, {{"Content-Type", json}, {"Mesos-Stream-Id", "x"}}).status == 400);
  }
  SUBCASE("framework id mismatch in SUBSCRIBE is 400") {
    auto c = subscribe_call();
    c.mutable_framework_id()->set_value("other");
    CHECK(post_call(url, c).status == 400);
  }
  SUBCASE("non-SUBSCRIBE checks: unknown framework, stream id, UNKNOWN type, uuid size") {
    CHECK(post_call(url, call_of(Call::REVIVE, "nope")).status == 400);
    auto no_fid = call_of(Call::REVIVE, "x");
    no_fid.clear_framework_id();
    CHECK(post_call(url, no_fid).status == 400);

    subscription sub(url, subscribe_call());
    auto fid = sub.framework_id();
    REQUIRE(!fid.empty());
    auto revive = call_of(Call::REVIVE, fid);
    CHECK(post_call(url, revive).status == 400);                    // no stream id
    CHECK(post_call(url, revive, content_type::json, "wrong").status == 400);
    auto ok = post_call(url, revive, content_type::json, sub.stream_id());
    CHECK(ok.status == 202);
    CHECK(ok.body.empty());
    CHECK(post_call(url, revive, content_type::protobuf, sub.stream_id()).status == 202);
    CHECK(post_call(url, call_of(Call::UNKNOWN, fid), content_type::json, sub.stream_id()).status == 501);

    auto ack = call_of(Call::ACKNOWLEDGE, fid);
    ack.mutable_acknowledge()->mutable_agent_id()->set_value("a");
    ack.mutable_acknowledge()->mutable_task_id()->set_value("t");
    ack.mutable_acknowledge()->set_uuid("short");
    CHECK(post_call(url, ack, content_type::json, sub.stream_id()).status == 400);
    ack.mutable_acknowledge()->set_uuid(std::string(16, 'u')); // version nibble 7: not a UUID
    CHECK(post_call(url, ack, content_type::json, sub.stream_id()).status == 400);
    ack.mutable_acknowledge()->set_uuid(std::string("\x01\x02\x03\x04\x05\x06\x47\x08\x89\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16)); // version 4
    CHECK(post_call(url, ack, content_type::json, sub.stream_id()).status == 202);
  }
}

TEST_CASE("403 for a known framework whose stream is closed; 400 after it is removed") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  std::string fid, sid;
  {
    subscription sub(url, subscribe_call("x", {}, {}, 3600));
    fid = sub.framework_id();
    sid = sub.stream_id();
    REQUIRE(!fid.empty());
  }
  REQUIRE(sim.wait_for([&] { auto f = sim.framework(fid); return f && !f->subscribed; }, 5s));
  CHECK(post_call(url, call_of(Call::REVIVE, fid), content_type::json, sid).status == 403);
}

TEST_CASE("request bodies may come chunked (JSON-only clients)") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  auto body = mesos_actor::encode(subscribe_call("chunky"), content_type::json);
  // Raw request: chunked body, no Accept header.
  std::string req = "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n";
  auto half = body.size() / 2;
  char head[32];
  std::snprintf(head, sizeof head, "%zx\r\n", half);
  req += head + body.substr(0, half) + "\r\n";
  std::snprintf(head, sizeof head, "%zx\r\n", body.size() - half);
  req += head + body.substr(half) + "\r\n0\r\n\r\n";
  auto got = raw_exchange(port_of(url), req, [](const std::string& s) {
    return s.find("HEARTBEAT\"}\r\n") != std::string::npos;
  });
  CHECK(got.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(got.find("Mesos-Stream-Id: ") != std::string::npos);
  CHECK(got.find("\"SUBSCRIBED\"") != std::string::npos);
  // RecordIO inside chunks: a chunk holding "<len>\n{"type":"HEARTBEAT"}".
  CHECK(got.find("\r\n17\r\n20\n{\"type\":\"HEARTBEAT\"}\r\n") != std::string::npos);
}

TEST_CASE("pipelined calls on one connection are all answered in order") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  subscription sub(url, subscribe_call());
  auto fid = sub.framework_id();
  REQUIRE(!fid.empty());
  auto body = mesos_actor::encode(call_of(Call::REVIVE, fid), content_type::protobuf);
  std::string one = "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                    "Accept: application/x-protobuf\r\nMesos-Stream-Id: " + sub.stream_id() +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string req;
  for (int i = 0; i < 8; ++i)
    req += one;
  auto got = raw_exchange(port_of(url), req, [](const std::string& s) {
    std::size_t n = 0;
    for (auto p = s.find("HTTP/1.1 202"); p != std::string::npos; p = s.find("HTTP/1.1 202", p + 1))
      ++n;
    return n == 8;
  });
  std::size_t n = 0;
  for (auto p = got.find("HTTP/1.1 202"); p != std::string::npos; p = got.find("HTTP/1.1 202", p + 1))
    ++n;
  CHECK(n == 8);
  // All eight came in one write, so all were received before the first was handled; the
  // server handles them one after another.
  std::vector<mesos_actor::sim::request_record> revives;
  for (auto& r : sim.requests())
    if (r.call && r.call->type() == Call::REVIVE)
      revives.push_back(r);
  REQUIRE(revives.size() == 8);
  for (std::size_t i = 0; i < revives.size(); ++i) {
    CAPTURE(i);
    CHECK(revives[i].received != std::chrono::steady_clock::time_point{});
    CHECK(revives[i].received <= revives[i].time);
    CHECK(revives[i].received <= revives[0].time);
    if (i > 0)
      CHECK(revives[i].time >= revives[i - 1].time);
  }
}

TEST_CASE("invalid FrameworkInfo: 200, one ERROR event, then the stream ends") {
  cluster sim(fast_options());
  sim.start();
  auto c = subscribe_call("bad", {}, {"ok", ""});
  subscription sub(sim.master_urls()[0], c);
  REQUIRE(sub.status() == 200);
  auto e = sub.next();
  REQUIRE(e);
  CHECK(e->type() == Event::ERROR);
  CHECK(!e->error().message().empty());
  CHECK(sub.wait_end());
  CHECK(sim.frameworks().empty());

  auto sup = subscribe_call("bad2", {}, {"a"});
  sup.mutable_subscribe()->add_suppressed_roles("b");
  subscription sub2(sim.master_urls()[0], sup);
  REQUIRE(sub2.status() == 200);
  auto e2 = sub2.next();
  REQUIRE(e2);
  CHECK(e2->type() == Event::ERROR);
  CHECK(sub2.wait_end());
}

TEST_CASE("the trace records requests with the decoded call and the status") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  subscription sub(url, subscribe_call("traced"), content_type::protobuf, proto);
  auto fid = sub.framework_id();
  REQUIRE(post_call(url, call_of(Call::SUPPRESS, fid), content_type::json, sub.stream_id()).status == 202);
  REQUIRE(sim.wait_for([&] { return sim.requests().size() >= 2; }, 5s));
  auto reqs = sim.requests();
  CHECK(reqs[0].method == "POST");
  CHECK(reqs[0].path == scheduler_path);
  CHECK(reqs[0].status == 200);
  REQUIRE(reqs[0].call);
  CHECK(reqs[0].call->type() == Call::SUBSCRIBE);
  CHECK(reqs[0].body_type == content_type::protobuf);
  CHECK(reqs[0].stream_id == sub.stream_id());
  CHECK(reqs[1].status == 202);
  REQUIRE(reqs[1].call);
  CHECK(reqs[1].call->type() == Call::SUPPRESS);
  CHECK(reqs[1].header("mesos-stream-id") == sub.stream_id());
  auto evs = sim.events(fid);
  REQUIRE(!evs.empty());
  CHECK(evs[0].event.type() == Event::SUBSCRIBED);
  CHECK(evs[0].stream_id == sub.stream_id());
}
