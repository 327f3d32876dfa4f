// Finding and keeping a master: 307 redirects, 503, refused connections, streams that
// end cleanly or abruptly, silent partitions, master restarts and leader changes.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/scheduler_fixture.hpp"

using namespace test;
using mesos_actor::content_type;
using mesos_actor::errc;
using mesos_actor::error_code;

namespace {

// A loopback port nobody listens on: bound (so the kernel picked it) and closed
// without listen(), so connecting is refused at once.
std::string refused_url() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

// SUBSCRIBE requests as the simulator saw them; those answered before the body was
// read (307, 503) have no decoded call, and no other call is made in these tests.
std::vector<mesos_actor::sim::request_record> subscribes(const mesos_actor::sim::cluster& sim) {
  std::vector<mesos_actor::sim::request_record> out;
  for (auto& r : sim.requests())
    if (r.server == mesos_actor::sim::server_kind::master && r.method == "POST"
        && (!r.call || r.call->type() == Call::SUBSCRIBE))
      out.push_back(r);
  return out;
}

// Waits for the n-th "reregistered" entry.
bool wait_reregistered(event_log& log, std::size_t n, std::chrono::milliseconds timeout = 10s) {
  return log.wait_until([n](const std::vector<entry>& es) {
    std::size_t k = 0;
    for (auto& e : es)
      k += e.name == "reregistered" ? 1 : 0;
    return k >= n;
  }, timeout);
}

} // namespace

TEST_CASE("a 307 from a non-leading master is followed to the leader") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    sim_fixture f{2};
    f.cluster.faults().set_leader(1);
    auto opts = f.options(ct);
    opts.master_hosts = {f.cluster.master_urls()[0]};
    f.spawn(f.behaviour(), opts);
    REQUIRE(f.log->wait("registered"));
    auto subs = subscribes(f.cluster);
    REQUIRE(subs.size() >= 2);
    CHECK(subs[0].server_index == 0);
    CHECK(subs[0].status == 307);
    CHECK(subs.back().server_index == 1);
    CHECK(subs.back().status == 200);
    // Calls follow the subscription to the leader.
    auto fid = f.log->wait("registered")->detail;
    CHECK(f.cluster.framework(fid).has_value());
  }
}

TEST_CASE("redirects beyond max_redirects count as a failed attempt") {
  sim_fixture f{2};
  f.cluster.faults().set_leader(1);
  auto opts = f.options(content_type::protobuf);
  opts.master_hosts = {f.cluster.master_urls()[0]};
  opts.max_redirects = 0;
  opts.max_num_subscribe = 2;
  auto a = f.spawn(f.behaviour(), opts);
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::no_master_reachable);
  CHECK(mesos_actor::error_detail(*reason).find("redirect") != std::string::npos);
  CHECK(f.log->count("registered") == 0);
}

TEST_CASE("503 (no leader) is retried with backoff until a leader appears") {
  sim_fixture f;
  f.cluster.faults().no_leader();
  auto opts = f.options(content_type::json);
  opts.max_num_subscribe = 1000;
  f.spawn(f.behaviour(), opts);
  REQUIRE(f.cluster.wait_for([&] { return subscribes(f.cluster).size() >= 3; }, 5s));
  for (auto& r : subscribes(f.cluster))
    CHECK(r.status == 503);
  f.cluster.faults().set_leader(0);
  REQUIRE(f.log->wait("registered"));
}

TEST_CASE("every master refusing or answering 503 ends with no_master_reachable") {
  sim_fixture f;
  f.cluster.faults().no_leader();
  auto opts = f.options(content_type::protobuf);
  opts.master_hosts = {refused_url(), f.cluster.master_urls()[0]};
  opts.max_num_subscribe = 4;
  auto a = f.spawn(f.behaviour(), opts);
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::no_master_reachable);
  CHECK(mesos_actor::error_detail(*reason).find("4 subscription attempts") != std::string::npos);
  // Two attempts went to the simulated master, two to the refused port.
  CHECK(subscribes(f.cluster).size() == 2);
  auto term = f.log->wait("terminate");
  REQUIRE(term);
  CHECK(error_code(term->reason) == errc::no_master_reachable);
}

TEST_CASE("a refused connection moves on to the next master") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    sim_fixture f;
    auto opts = f.options(ct);
    opts.master_hosts = {refused_url(), f.cluster.master_urls()[0]};
    f.spawn(f.behaviour(), opts);
    REQUIRE(f.log->wait("registered"));
    CHECK(subscribes(f.cluster).size() == 1);
  }
}

TEST_CASE("a stream that ends (cleanly or abruptly) leads to failover with the same id") {
  for (auto ct : both_content_types) {
    for (auto mode : {mesos_actor::sim::close_mode::clean, mesos_actor::sim::close_mode::abrupt}) {
      CAPTURE(encoding_name(ct));
      CAPTURE(static_cast<int>(mode));
      sim_fixture f;
      f.spawn(f.behaviour(), f.options(ct));
      auto reg = f.log->wait("registered");
      REQUIRE(reg);
      auto first_stream = subscribes(f.cluster).back().stream_id;
      f.cluster.faults().close_stream(reg->detail, mode);
      REQUIRE(f.log->wait("disconnected"));
      REQUIRE(wait_reregistered(*f.log, 1));
      auto rereg = f.log->wait("reregistered");
      CHECK(rereg->detail == reg->detail);
      auto subs = subscribes(f.cluster);
      REQUIRE(subs.size() == 2);
      CHECK(subs[1].call->framework_id().value() == reg->detail);
      CHECK(subs[1].call->subscribe().framework_info().id().value() == reg->detail);
      CHECK(subs[1].stream_id != first_stream);
      // Calls now carry the new stream id.
      auto fw = f.cluster.framework(reg->detail);
      REQUIRE(fw);
      CHECK(fw->subscribed);
      CHECK(fw->stream_id == subs[1].stream_id);
    }
  }
}

TEST_CASE("a silent partition (no heartbeats, socket open) is detected by the watchdog") {
  sim_fixture f;
  f.spawn(f.behaviour(), f.options(content_type::protobuf));
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  auto paused_at = std::chrono::steady_clock::now();
  f.cluster.faults().pause_stream(reg->detail);
  REQUIRE(f.log->wait("disconnected", 5s));
  auto detected = std::chrono::steady_clock::now() - paused_at;
  // heartbeat 200 ms + window 300 ms; not before, and not much later.
  CHECK(detected >= 400ms);
  CHECK(detected < 2000ms);
  REQUIRE(wait_reregistered(*f.log, 1));
  CHECK(f.log->wait("reregistered")->detail == reg->detail);
}

TEST_CASE("a master restart: disconnected, then subscribed again with the same id") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    sim_fixture f;
    f.spawn(f.behaviour(), f.options(ct));
    auto reg = f.log->wait("registered");
    REQUIRE(reg);
    f.cluster.faults().restart_master(0);
    REQUIRE(f.log->wait("disconnected"));
    REQUIRE(wait_reregistered(*f.log, 1));
    CHECK(f.log->wait("reregistered")->detail == reg->detail);
  }
}

TEST_CASE("a leader change moves the subscription to the new leader") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    sim_fixture f{2};
    f.spawn(f.behaviour(), f.options(ct));
    auto reg = f.log->wait("registered");
    REQUIRE(reg);
    f.cluster.faults().set_leader(1);
    REQUIRE(f.log->wait("disconnected"));
    REQUIRE(wait_reregistered(*f.log, 1));
    auto subs = subscribes(f.cluster);
    CHECK(subs.back().server_index == 1);
    CHECK(subs.back().status == 200);
    CHECK(subs.back().call->framework_id().value() == reg->detail);
  }
}

TEST_CASE("resubscription gives up after max_num_resubscribe with resubscribe_exhausted") {
  sim_fixture f;
  auto opts = f.options(content_type::protobuf);
  opts.max_num_resubscribe = 3;
  auto a = f.spawn(f.behaviour(), opts);
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  f.cluster.faults().no_leader();
  f.cluster.faults().close_stream(reg->detail, mesos_actor::sim::close_mode::clean);
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::resubscribe_exhausted);
  CHECK(mesos_actor::error_detail(*reason).find("503") != std::string::npos);
}

TEST_CASE("401 on SUBSCRIBE stops with unauthorized; extra_headers carry credentials") {
  auto copts = fast_cluster();
  copts.credentials = {{"principal-1", "s3cret"}};
  sim_fixture f{1, copts};
  auto opts = f.options(content_type::protobuf);
  auto a = f.spawn(f.behaviour(), opts);
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::unauthorized);
  CHECK(mesos_actor::error_detail(*reason).find("401") != std::string::npos);

  auto log2 = std::make_shared<event_log>();
  auto b = f.behaviour(log2);
  b->info_template.set_principal("principal-1");
  // "principal-1:s3cret" in base64.
  opts.extra_headers = {{"Authorization", "Basic cHJpbmNpcGFsLTE6czNjcmV0"}};
  f.spawn(std::move(b), opts);
  REQUIRE(log2->wait("registered"));
  auto sub = subscribes(f.cluster).back();
  CHECK(sub.status == 200);
  CHECK(sub.header("Authorization").find("s3cret") == std::string::npos); // redacted in the trace
}
