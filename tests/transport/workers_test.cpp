// The event stream and call channel workers on our connection, against scripted
// loopback peers: a bad head fails the SUBSCRIBE attempt with the reason, a framing
// violation ends an open stream as protocol_error, stop() returns at once in a silent
// stream, and the call channel reuses its connection, replaces a closed one without
// ever sending a call twice. Both are actors in the full sense: an exit signal ends
// either at once (cutting its pending wait short) with that signal's reason, and the
// stream ends with its owner.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/after.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/message_types.hpp"
#include "transport/call_channel.hpp"
#include "transport/event_stream.hpp"
#include "transport/test_peer.hpp"
#include "support/text.hpp"

using namespace std::chrono_literals;
using namespace mesos_actor::transport;
using namespace transport_test;
using clock_type = std::chrono::steady_clock;

namespace {

using testkit::contains;

http_settings worker_settings(std::uint16_t port) {
  http_settings h;
  h.target.host = "127.0.0.1";
  h.target.port = port;
  h.target.path = "/api/v1/scheduler";
  h.encoding = mesos_actor::content_type::json;
  h.read_timeout = 10000ms;
  return h;
}

// Records what a stream reports; waits for its end.
class recording_sink : public stream_sink {
public:
  void on_response(stream_response r) override {
    std::lock_guard<std::mutex> g{mtx_};
    response = std::move(r);
    cv_.notify_all();
  }
  std::optional<std::string> on_record(std::string_view record, mesos_actor::content_type,
                                       std::uint64_t) override {
    std::lock_guard<std::mutex> g{mtx_};
    records.emplace_back(record);
    cv_.notify_all();
    return std::nullopt;
  }
  void on_closed(stream_closed c) override {
    std::lock_guard<std::mutex> g{mtx_};
    closed = std::move(c);
    cv_.notify_all();
  }
  bool wait(std::function<bool()> done, std::chrono::milliseconds bound = 10s) {
    std::unique_lock<std::mutex> g{mtx_};
    return cv_.wait_for(g, bound, done);
  }

  std::optional<stream_response> response;
  std::vector<std::string> records;
  std::optional<stream_closed> closed;

private:
  std::mutex mtx_;
  std::condition_variable cv_;
};

struct workers_system_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
};

} // namespace

TEST_CASE("stream: an oversized head fails the attempt with status 0 and the limit named") {
  workers_system_fixture f;
  test_peer p{[](int fd, int) {
    read_request(fd);
    send_text(fd, "HTTP/1.1 200 OK\r\nX-Long: " + std::string(10000, 'a') + "\r\n\r\n");
    wait_client_close(fd, 10s);
  }};
  auto sink = std::make_shared<recording_sink>();
  stream_config cfg;
  cfg.http = worker_settings(p.port());
  cfg.body = "{}";
  auto ctl = spawn_event_stream(f.sys, {}, cfg, sink).control;
  REQUIRE(sink->wait([&] { return sink->response.has_value(); }));
  CHECK(sink->response->status == 0);
  CHECK(sink->response->transport_error
        == "bad response from http://127.0.0.1:" + std::to_string(p.port())
             + ": response header line exceeds max_header_line (8192 bytes)");
  CHECK_FALSE(sink->closed);
}

TEST_CASE("stream: records flow, then a bad chunk ends the stream as protocol_error") {
  workers_system_fixture f;
  std::mutex request_mtx;
  std::string request;
  test_peer p{[&](int fd, int) {
    auto seen = read_request(fd);
    {
      std::lock_guard<std::mutex> g{request_mtx};
      request = seen;
    }
    send_text(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMesos-Stream-Id: s-1\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n"
                  "6\r\n4\n{}{}\r\n-2\r\n");
    wait_client_close(fd, 10s);
  }};
  auto sink = std::make_shared<recording_sink>();
  stream_config cfg;
  cfg.http = worker_settings(p.port());
  cfg.body = "{\"type\":\"SUBSCRIBE\"}";
  auto ctl = spawn_event_stream(f.sys, {}, cfg, sink).control;
  REQUIRE(sink->wait([&] { return sink->closed.has_value(); }));
  REQUIRE(sink->response);
  CHECK(sink->response->status == 200);
  CHECK(sink->response->stream_id == "s-1");
  CHECK(sink->records == std::vector<std::string>{"{}{}"});
  CHECK(sink->closed->kind == stream_end::protocol_error);
  CHECK(contains(sink->closed->detail, "malformed chunk size '-2'"));
  std::lock_guard<std::mutex> g{request_mtx};
  CHECK(contains(request, "\r\nConnection: close\r\n"));
  CHECK(contains(request, "\r\nContent-Type: application/json\r\n"));
  CHECK(contains(request, "\r\nAccept: application/json\r\n"));
}

TEST_CASE("stream: stop() in a silent stream returns at once and ends it as stopped") {
  workers_system_fixture f;
  test_peer p{[](int fd, int) {
    read_request(fd);
    send_text(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    wait_client_close(fd, 10s);
  }};
  auto sink = std::make_shared<recording_sink>();
  stream_config cfg;
  cfg.http = worker_settings(p.port());
  cfg.http.read_timeout = 60000ms;
  auto ctl = spawn_event_stream(f.sys, {}, cfg, sink).control;
  REQUIRE(sink->wait([&] { return sink->response.has_value(); }));
  auto started = clock_type::now();
  ctl->stop();
  CHECK(clock_type::now() - started < 1s);
  REQUIRE(sink->wait([&] { return sink->closed.has_value(); }, 3s));
  CHECK(sink->closed->kind == stream_end::stopped);
}

TEST_CASE("call channel: keep-alive reuse, a closed idle connection replaced, no call sent twice") {
  workers_system_fixture f;
  std::atomic<int> requests{0};
  std::atomic<bool> first_closed{false};
  test_peer p{[&](int fd, int index) {
    // The first connection answers two calls and closes while idle; the later ones
    // answer one call each with "Connection: close".
    for (int i = 0; i < (index == 0 ? 2 : 1); ++i) {
      if (read_request(fd).empty())
        return;
      ++requests;
      send_text(fd, index == 0 ? "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"
                               : "HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    }
    if (index == 0) {
      ::shutdown(fd, SHUT_RDWR);
      first_closed = true;
    }
  }};
  caf::scoped_actor self{f.sys};
  call_channel_config cfg;
  cfg.http = worker_settings(p.port());
  cfg.generation = 7;
  auto channel = spawn_call_channel(f.sys, self, cfg);
  for (std::uint64_t id = 1; id <= 4; ++id) {
    CAPTURE(id);
    if (id == 3) {
      auto until = clock_type::now() + 5s;
      while (!first_closed && clock_type::now() < until)
        std::this_thread::yield();
      std::this_thread::sleep_for(50ms); // the FIN crosses loopback
    }
    self->send(channel, call_request{id, "{}", "s-1"});
    self->receive(
      [&](call_result& r) {
        CHECK(r.call_id == id);
        CHECK(r.generation == 7);
        CHECK(r.status == 202);
        CHECK(r.transport_error.empty());
      },
      caf::after(10s) >> [] { FAIL("no call_result"); });
  }
  CHECK(requests.load() == 4);
  CHECK(p.accepted() == 3);
  self->send(channel, mesos_actor::stop_atom::value);
}

TEST_CASE("call channel: a reset after the request was written is the call's error, not a resend") {
  workers_system_fixture f;
  std::atomic<int> requests{0};
  test_peer p{[&](int fd, int) {
    if (read_request(fd).empty())
      return;
    ++requests;
    linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  }};
  caf::scoped_actor self{f.sys};
  call_channel_config cfg;
  cfg.http = worker_settings(p.port());
  auto channel = spawn_call_channel(f.sys, self, cfg);
  self->send(channel, call_request{1, "{}", ""});
  self->receive(
    [&](call_result& r) {
      CHECK(r.status == 0);
      CHECK(contains(r.transport_error, "reading the response from http://127.0.0.1:"));
      CHECK_FALSE(r.timed_out);
    },
    caf::after(10s) >> [] { FAIL("no call_result"); });
  CHECK(requests.load() == 1);
  self->send(channel, mesos_actor::stop_atom::value);
}

namespace {

// A peer that answers SUBSCRIBE with an open, silent stream.
void silent_stream(int fd, int) {
  read_request(fd);
  send_text(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  wait_client_close(fd, 10s);
}

// Waits (bounded) for the down_msg of `watched`; returns its reason.
std::optional<caf::error> down_reason(caf::scoped_actor& self, std::chrono::milliseconds bound) {
  std::optional<caf::error> out;
  self->receive([&](caf::down_msg& m) { out = m.reason; }, caf::after(bound) >> [] {});
  return out;
}

} // namespace

TEST_CASE("stream: an exit signal ends a silent stream at once, with the signal's reason") {
  workers_system_fixture f;
  test_peer p{silent_stream};
  auto sink = std::make_shared<recording_sink>();
  stream_config cfg;
  cfg.http = worker_settings(p.port());
  cfg.http.read_timeout = 60000ms;
  auto stream = spawn_event_stream(f.sys, {}, cfg, sink);
  REQUIRE(sink->wait([&] { return sink->response.has_value(); }));
  caf::scoped_actor self{f.sys};
  self->monitor(stream.worker);
  auto sent = clock_type::now();
  caf::anon_send_exit(stream.worker, caf::exit_reason::user_shutdown);
  auto reason = down_reason(self, 3s);
  REQUIRE(reason);
  CHECK(clock_type::now() - sent < 1s);
  CHECK(*reason == caf::make_error(caf::exit_reason::user_shutdown));
  REQUIRE(sink->wait([&] { return sink->closed.has_value(); }, 3s));
  CHECK(sink->closed->kind == stream_end::stopped);
}

TEST_CASE("stream: its owner's normal exit ends it; another actor's normal exit does not") {
  workers_system_fixture f;
  test_peer p{silent_stream};
  auto sink = std::make_shared<recording_sink>();
  stream_config cfg;
  cfg.http = worker_settings(p.port());
  cfg.http.read_timeout = 60000ms;
  caf::scoped_actor watcher{f.sys};
  event_stream stream;
  {
    caf::scoped_actor owner{f.sys};
    stream = spawn_event_stream(f.sys, owner->address(), cfg, sink);
    REQUIRE(sink->wait([&] { return sink->response.has_value(); }));
    watcher->monitor(stream.worker);
    // A normal exit from someone else is not a reason to stop.
    caf::anon_send(stream.worker, caf::exit_msg{watcher->address(), caf::error{}});
    CHECK_FALSE(down_reason(watcher, 200ms));
    owner->link_to(stream.worker);
  } // the owner ends normally
  auto reason = down_reason(watcher, 3s);
  REQUIRE(reason);
  CHECK_FALSE(*reason); // a normal end, like its owner's
  REQUIRE(sink->wait([&] { return sink->closed.has_value(); }, 3s));
  CHECK(sink->closed->kind == stream_end::stopped);
}

TEST_CASE("call channel: a kill cuts the call in flight short and ends it with that reason") {
  workers_system_fixture f;
  std::atomic<bool> got_request{false};
  test_peer p{[&](int fd, int) {
    read_request(fd);
    got_request = true;
    wait_client_close(fd, 10s); // never answers
  }};
  caf::scoped_actor self{f.sys};
  call_channel_config cfg;
  cfg.http = worker_settings(p.port());
  cfg.http.read_timeout = 60000ms;
  auto channel = spawn_call_channel(f.sys, self, cfg);
  self->monitor(channel);
  self->send(channel, call_request{1, "{}", ""});
  auto until = clock_type::now() + 5s;
  while (!got_request && clock_type::now() < until)
    std::this_thread::yield();
  REQUIRE(got_request.load());
  auto sent = clock_type::now();
  caf::anon_send_exit(channel, caf::exit_reason::kill);
  bool result = false;
  std::optional<caf::error> reason;
  for (int i = 0; i < 2 && !reason; ++i) // the down_msg, and no call_result before it
    self->receive([&](call_result&) { result = true; },
                  [&](caf::down_msg& m) { reason = m.reason; }, caf::after(3s) >> [] {});
  REQUIRE(reason);
  CHECK(clock_type::now() - sent < 1s);
  // Reported as killed: a kill from a linked worker would be fatal to its owner.
  CHECK(mesos_actor::describe(*reason).find("killed (exit_reason::kill)") != std::string::npos);
  CHECK_FALSE(result);
}
