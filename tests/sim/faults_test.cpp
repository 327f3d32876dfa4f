// Fault injection on streams and responses, checked on the wire.
#include <doctest/doctest.h>

#include <future>

#include "sim_client.hpp"

using namespace simtest;
using mesos_actor::sim::chunking;
using mesos_actor::sim::close_mode;
using mesos_actor::sim::cluster;

namespace {
std::string subscribe_request() {
  auto body = mesos_actor::encode(subscribe_call("raw"), content_type::json);
  return "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Subscribes over a raw socket in the background; returns the bytes once `done`.
std::future<std::string> raw_subscription(cluster& sim,
                                          std::function<bool(const std::string&)> done) {
  auto port = port_of(sim.master_urls()[0]);
  auto fut = std::async(std::launch::async, [port, done] {
    return raw_exchange(port, subscribe_request(), done, 5s);
  });
  REQUIRE(sim.wait_for([&] {
    auto f = sim.frameworks();
    return !f.empty() && f[0].subscribed && !sim.events(f[0].id).empty();
  }, 5s));
  return fut;
}

// Without agents a stream carries only SUBSCRIBED and HEARTBEATs: predictable bytes.
mesos_actor::sim::cluster_options heartbeats_only() {
  auto o = fast_options();
  o.agents = 0;
  return o;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
} // namespace

TEST_CASE("close_stream clean ends with the terminating chunk") {
  cluster sim(heartbeats_only());
  sim.start();
  auto fut = raw_subscription(sim, [](const std::string& s) { return ends_with(s, "0\r\n\r\n"); });
  sim.faults().close_stream({}, close_mode::clean);
  auto got = fut.get();
  CHECK(ends_with(got, "\r\n0\r\n\r\n"));

  subscription sub(sim.master_urls()[0], subscribe_call());
  REQUIRE(sub.next(Event::SUBSCRIBED));
  sim.faults().close_stream(sub.framework_id(), close_mode::clean);
  CHECK(sub.wait_end());
  CHECK(sub.transport_error() == httplib::Error::Success);
  CHECK(sim.wait_for([&] { return !sim.framework(sub.framework_id()).value().subscribed; }, 2s));
}

TEST_CASE("close_stream abrupt cuts the connection inside a chunk and a record") {
  cluster sim(heartbeats_only());
  sim.start();
  std::string got;
  auto fut = raw_subscription(sim, [](const std::string&) { return false; });
  sim.faults().close_stream({}, close_mode::abrupt);
  got = fut.get();
  CHECK(ends_with(got, "10\r\n7\n{\"ty"));
  CHECK(got.find("0\r\n\r\n") == std::string::npos);

  subscription sub(sim.master_urls()[0], subscribe_call());
  REQUIRE(sub.next(Event::SUBSCRIBED));
  sim.faults().close_stream({}, close_mode::abrupt);
  CHECK(sub.wait_end());
  CHECK(sub.transport_error() != httplib::Error::Success);
}

TEST_CASE("pause_stream is a silent partition: no heartbeats, connection open; resume delivers") {
  cluster sim(fast_options());
  sim.start();
  subscription sub(sim.master_urls()[0], subscribe_call());
  auto fid = sub.framework_id();
  REQUIRE(sub.next(Event::HEARTBEAT));
  sim.faults().pause_stream(fid);
  while (sub.next(50ms)) {
  } // drain what was already in flight
  CHECK(!sub.next(700ms));
  CHECK(sim.framework(fid).value().subscribed);
  sim.faults().resume_stream(fid);
  CHECK(sub.next(Event::HEARTBEAT, 1s));
}

TEST_CASE("byte_per_chunk delivers every byte in its own chunk; clients still decode") {
  cluster sim(heartbeats_only());
  sim.start();
  auto fut = raw_subscription(sim, [](const std::string& s) {
    return s.find("1\r\nH\r\n1\r\nE\r\n1\r\nA\r\n") != std::string::npos;
  });
  sim.faults().set_chunking({}, chunking::byte_per_chunk);
  auto got = fut.get();
  CHECK(got.find("1\r\n2\r\n1\r\n0\r\n1\r\n\n\r\n1\r\n{\r\n") != std::string::npos);

  subscription sub(sim.master_urls()[0], subscribe_call());
  REQUIRE(sub.next(Event::SUBSCRIBED));
  sim.faults().set_chunking(sub.framework_id(), chunking::byte_per_chunk);
  CHECK(sub.next(Event::HEARTBEAT, 2s));
  CHECK(sub.next(Event::HEARTBEAT, 2s));
  CHECK(sub.decode_failures() == 0);
}

TEST_CASE("split_next_record cuts the next record at the given offsets") {
  cluster sim(heartbeats_only());
  sim.start();
  auto fut = raw_subscription(sim, [](const std::string& s) {
    return s.find("12\r\ntype\":\"HEARTBEAT\"}\r\n") != std::string::npos;
  });
  sim.faults().split_next_record({}, {1, 5});
  auto got = fut.get();
  // "20\n{"type":"HEARTBEAT"}" cut after byte 1 and byte 5.
  CHECK(got.find("1\r\n2\r\n4\r\n0\n{\"\r\n12\r\ntype\":\"HEARTBEAT\"}\r\n") != std::string::npos);
}

TEST_CASE("corrupt_next_record keeps framing but the payload does not decode") {
  cluster sim(fast_options());
  sim.start();
  subscription sub(sim.master_urls()[0], subscribe_call());
  REQUIRE(sub.next(Event::SUBSCRIBED));
  sim.faults().corrupt_next_record(sub.framework_id());
  CHECK(sim.wait_for([&] { return sub.decode_failures() == 1; }, 3s));
  CHECK(!sub.framing_error());
  CHECK(sub.next(Event::HEARTBEAT, 2s)); // later records are fine
}

TEST_CASE("send_oversized_length breaks the RecordIO framing") {
  cluster sim(fast_options());
  sim.start();
  subscription sub(sim.master_urls()[0], subscribe_call());
  REQUIRE(sub.next(Event::SUBSCRIBED));
  sim.faults().send_oversized_length(sub.framework_id());
  CHECK(sim.wait_for([&] { return sub.framing_error().has_value(); }, 3s));
  auto err = sub.framing_error();
  REQUIRE(err);
  CHECK((err->code == mesos_actor::recordio_errc::record_too_large ||
         err->code == mesos_actor::recordio_errc::length_too_long));
}

TEST_CASE("fail_next_calls answers the next N calls with the given status") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  session s(url, subscribe_call());
  sim.faults().fail_next_calls(2, 503);
  CHECK(s.send(call_of(Call::REVIVE, s.fid)).status == 503);
  CHECK(s.send(call_of(Call::REVIVE, s.fid)).status == 503);
  CHECK(s.send(call_of(Call::REVIVE, s.fid)).status == 202);
  sim.faults().fail_next_calls(1, 500);
  CHECK(s.send(call_of(Call::REVIVE, s.fid)).status == 500);
  sim.faults().fail_next_calls(1, 401);
  auto r = s.send(call_of(Call::REVIVE, s.fid));
  CHECK(r.status == 401);
  CHECK(r.header("WWW-Authenticate") == "Basic realm=\"mesos-master-scheduler\"");
  CHECK_THROWS_AS(sim.faults().fail_next_calls(1, 200), std::invalid_argument);
}

TEST_CASE("delay_responses holds every answer back") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  sim.faults().delay_responses(300ms);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(s.send(call_of(Call::REVIVE, s.fid)).status == 202);
  CHECK(std::chrono::steady_clock::now() - t0 >= 300ms);
  sim.faults().delay_responses(0ms);
  t0 = std::chrono::steady_clock::now();
  CHECK(s.send(call_of(Call::REVIVE, s.fid)).status == 202);
  CHECK(std::chrono::steady_clock::now() - t0 < 300ms);
}

TEST_CASE("destruction with open streams and running tasks is prompt") {
  auto t0 = std::chrono::steady_clock::now();
  {
    cluster sim(fast_options());
    sim.start();
    session s(sim.master_urls()[0], subscribe_call());
    auto e = s.sub.next(Event::OFFERS);
    REQUIRE(e);
    REQUIRE(s.send(launch_call(e->offers().offers(0), "t", "sleep 60")).status == 202);
    REQUIRE(sim.wait_for([&] { auto t = sim.task("t"); return t && t->pid > 0; }, 5s));
    // An idle keep-alive connection from another client must not hold stop() up.
    auto idle = make_client(sim.master_urls()[0]);
    idle->set_keep_alive(true);
    idle->Get("/nothing");
    sim.stop();
  }
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

TEST_CASE("the control endpoint applies faults over HTTP and reports state") {
  auto opts = fast_options();
  opts.control_endpoint = true;
  opts.masters = 2;
  cluster sim(opts);
  sim.start();
  auto url = sim.master_urls()[0];
  session s(url, subscribe_call());
  auto r = post_raw(url, "", {}, "/sim/faults/kill_agent?agent=0");
  CHECK(r.status == 202);
  CHECK(s.sub.next(Event::FAILURE, 3s));
  CHECK(post_raw(url, "", {}, "/sim/faults/kill_agent", "GET").status == 405);
  auto state = post_raw(url, "", {}, "/sim/state", "GET");
  CHECK(state.status == 200);
  CHECK(state.body.find("leader: 0") != std::string::npos);
  CHECK(state.body.find("framework " + s.fid) != std::string::npos);
  // restart_master on the master serving the request itself.
  CHECK(post_raw(url, "", {}, "/sim/faults/restart_master?master=0").status == 202);
  CHECK(s.sub.wait_end());
  REQUIRE(sim.wait_for([&] { return post_raw(url, "", {}, "/sim/state", "GET").status == 200; }, 5s));
  CHECK(post_raw(url, "", {}, "/sim/faults/set_leader?master=1").status == 202);
  CHECK(sim.wait_for([&] { return sim.leader() == 1u; }, 3s));
  // Without the option there is no such endpoint.
  cluster plain(fast_options());
  plain.start();
  CHECK(post_raw(plain.master_urls()[0], "", {}, "/sim/faults/no_leader").status == 404);
}
