// Structured logging: the line format, the state changes a scheduler logs through a
// disconnection and a restart by its supervisor, level filtering, and that the
// default sink writes to stderr, never stdout.

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <caf/send.hpp>

#include "observability/obs_fixture.hpp"

using namespace obs_test;
using mesos_actor::log_entry;
using mesos_actor::log_level;

namespace {

std::vector<std::string> events_of(const std::vector<log_entry>& es) {
  std::vector<std::string> out;
  for (auto& e : es)
    out.push_back(e.event);
  return out;
}

std::string joined(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ",") + x;
  return out;
}

std::string field_or_empty(const log_entry& e, const char* key) {
  auto* v = e.field(key);
  return v ? *v : std::string{};
}

} // namespace

TEST_CASE("a log line is one logfmt line with time, level, ref, component, event and fields") {
  log_entry e;
  e.time = std::chrono::system_clock::time_point{std::chrono::milliseconds{1764125701123}};
  e.level = log_level::warning;
  e.framework = "analytics";
  e.component = "scheduler";
  e.event = "disconnected";
  e.message = "stream ended: eof\nnext \"line\"";
  e.fields = {{"reason", "a=b c\\d"}, {"attempt", "2"}};
  auto line = mesos_actor::format_log_line(e);
  CHECK(line == "time=2025-11-26T02:55:01.123Z level=warning ref=analytics component=scheduler "
                "event=disconnected msg=\"stream ended: eof\\nnext \\\"line\\\"\" "
                "reason=\"a=b c\\\\d\" attempt=2");
  CHECK(line.find('\n') == std::string::npos);
  e.framework.clear();
  CHECK(mesos_actor::format_log_line(e).find("ref=") == std::string::npos);
}

TEST_CASE("log levels print and parse") {
  for (auto l : {log_level::debug, log_level::info, log_level::warning, log_level::error,
                 log_level::off})
    CHECK(mesos_actor::parse_log_level(mesos_actor::to_string(l)) == l);
  CHECK(mesos_actor::parse_log_level("warn") == log_level::warning);
  CHECK_FALSE(mesos_actor::parse_log_level("loud"));
  CHECK_FALSE(mesos_actor::parse_log_level(""));
}

TEST_CASE("a scheduler logs each state change once: subscribe, disconnect, resubscribe, stop") {
  mesos_actor::sim::cluster cluster{fast_cluster()};
  cluster.start();
  capture_sink cap;
  mesos_actor::host_options ho;
  ho.logging.sink = cap.sink();
  ho.logging.min_level = log_level::info;
  auto s = std::make_shared<steered_scheduler::shared>();
  {
    mesos_actor::host h{ho};
    auto opts = fast_options(cluster.master_urls());
    opts.extra_headers = {{"X-Secret-Token", "hunter2-never-logged"}};
    // The stream is cut right after SUBSCRIBED: the path of an established subscription
    // that breaks (an early break logs attempt_failed instead; tests/hostile covers it).
    opts.min_stable_subscription = std::chrono::milliseconds{0};
    REQUIRE(h.start_scheduler("alpha", steered(s), opts, fast_policy()));
    // registered() runs after the "subscribed" entry: wait for the id it records.
    REQUIRE(wait_until(*s, [&] { return !s->framework_id.empty(); }));
    std::string id;
    {
      std::lock_guard<std::mutex> guard{s->mtx};
      id = s->framework_id;
    }
    cluster.faults().close_stream(id, mesos_actor::sim::close_mode::abrupt);
    REQUIRE(cap.wait_count("scheduler", "subscribed", 2));
    REQUIRE_FALSE(h.stop_scheduler("alpha"));
    REQUIRE(cap.wait_count("scheduler", "stopped", 1));
  }
  auto sched = cap.of("scheduler");
  CHECK(joined(events_of(sched))
        == "subscribing,subscribed,disconnected,resubscribing,subscribed,stopped");
  REQUIRE(sched.size() == 6);
  for (auto& e : sched) {
    CHECK(e.framework == "alpha");
    CHECK(e.level != log_level::debug);
  }
  CHECK(field_or_empty(sched[0], "attempt") == "1");
  CHECK(sched[1].level == log_level::info);
  CHECK_FALSE(field_or_empty(sched[1], "framework_id").empty());
  CHECK(sched[2].level == log_level::warning);
  CHECK(field_or_empty(sched[2], "reason").find("stream") != std::string::npos);
  CHECK(field_or_empty(sched[3], "attempt") == "1");
  CHECK(field_or_empty(sched[3], "backoff_ms") == "0");
  CHECK(field_or_empty(sched[3], "from") == "disconnected");
  CHECK(field_or_empty(sched[4], "framework_id") == field_or_empty(sched[1], "framework_id"));
  CHECK(field_or_empty(sched[5], "from") == "subscribed");
  // The host logged the framework's start and its stop, nothing about restarts.
  CHECK(joined(events_of(cap.of("host"))) == "started,stopped");
  for (auto& e : cap.entries()) {
    auto line = mesos_actor::format_log_line(e);
    CHECK(line.find("hunter2") == std::string::npos);
  }
}

TEST_CASE("a restart by the supervisor is logged by the host, and the new scheduler fails over") {
  mesos_actor::sim::cluster cluster{fast_cluster()};
  cluster.start();
  capture_sink cap;
  mesos_actor::host_options ho;
  ho.logging.sink = cap.sink();
  auto s = std::make_shared<steered_scheduler::shared>();
  {
    mesos_actor::host h{ho};
    auto a = h.start_scheduler("beta", steered(s), fast_options(cluster.master_urls()),
                               fast_policy());
    REQUIRE(a);
    REQUIRE(cap.wait_count("scheduler", "subscribed", 1));
    caf::anon_send(*a, throw_now);
    REQUIRE(cap.wait_count("host", "restarted", 1));
    REQUIRE(cap.wait_count("scheduler", "subscribed", 2));
  }
  auto host = cap.of("host");
  auto evs = events_of(host);
  REQUIRE(evs.size() >= 3);
  CHECK(joined({evs[0], evs[1], evs[2]}) == "started,exited,restarted");
  CHECK(host[1].level == log_level::warning);
  CHECK(field_or_empty(host[1], "reason").find("deliberate failure") != std::string::npos);
  CHECK(field_or_empty(host[2], "restarts") == "1");
  CHECK(host[2].framework == "beta");
  // The first scheduler stopped because its callback threw; the second one subscribed
  // with the id the first one had.
  auto sched = cap.of("scheduler");
  auto sevs = events_of(sched);
  REQUIRE(sevs.size() >= 5);
  CHECK(joined({sevs.begin(), sevs.begin() + 5})
        == "subscribing,subscribed,stopped,subscribing,subscribed");
  CHECK(field_or_empty(sched[3], "framework_id") == field_or_empty(sched[1], "framework_id"));
  CHECK(field_or_empty(sched[4], "framework_id") == field_or_empty(sched[1], "framework_id"));
}

TEST_CASE("per-event entries exist only at debug level") {
  mesos_actor::sim::cluster cluster{fast_cluster()};
  cluster.start();
  for (auto level : {log_level::info, log_level::debug}) {
    CAPTURE(mesos_actor::to_string(level));
    capture_sink cap;
    mesos_actor::host_options ho;
    ho.logging.sink = cap.sink();
    ho.logging.min_level = log_level::info;
    auto s = std::make_shared<steered_scheduler::shared>();
    {
      mesos_actor::host h{ho};
      auto opts = fast_options(cluster.master_urls());
      opts.logging.min_level = level; // the framework's own level wins over the host's
      REQUIRE(h.start_scheduler("gamma", steered(s), opts, fast_policy()));
      REQUIRE(cap.wait_count("scheduler", "subscribed", 1));
      // Heartbeats come every 100 ms: wait for a few to have been received.
      if (level == log_level::debug)
        REQUIRE(cap.wait_count("scheduler", "event", 3));
      else
        REQUIRE(wait_until(*s, [&] {
          auto m = h.metrics();
          return !m.frameworks.empty() && m.frameworks[0].events("HEARTBEAT") >= 2;
        }));
    }
    std::size_t debug_entries = 0;
    for (auto& e : cap.entries())
      if (e.level == log_level::debug)
        ++debug_entries;
    if (level == log_level::info) {
      CHECK(debug_entries == 0);
      CHECK(cap.count("scheduler", "event") == 0);
    } else {
      CHECK(cap.count("scheduler", "event") >= 3);
      CHECK(cap.count("scheduler", "subscribe_request") >= 1);
    }
  }
}

namespace {

// Runs f with fd 1 and fd 2 redirected to two temporary files; returns what each got.
template <class F>
std::pair<std::string, std::string> capture_stdio(F&& f) {
  std::fflush(stdout);
  std::fflush(stderr);
  FILE* out = std::tmpfile();
  FILE* err = std::tmpfile();
  REQUIRE(out);
  REQUIRE(err);
  int saved_out = ::dup(1);
  int saved_err = ::dup(2);
  ::dup2(::fileno(out), 1);
  ::dup2(::fileno(err), 2);
  f();
  std::fflush(stdout);
  std::fflush(stderr);
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  ::close(saved_out);
  ::close(saved_err);
  auto slurp = [](FILE* file) {
    std::string text;
    std::rewind(file);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, file)) > 0)
      text.append(buf, n);
    std::fclose(file);
    return text;
  };
  return {slurp(out), slurp(err)};
}

} // namespace

TEST_CASE("the default sink writes one line per entry to stderr and nothing to stdout") {
  log_entry e;
  e.time = std::chrono::system_clock::now();
  e.component = "scheduler";
  e.event = "subscribed";
  e.message = "two\nlines";
  auto [out, err] = capture_stdio([&] { mesos_actor::stderr_log_sink()(e); });
  CHECK(out.empty());
  CHECK(err == mesos_actor::format_log_line(e) + "\n");
}

TEST_CASE("a scheduler with default logging writes its state changes to stderr only") {
  mesos_actor::sim::cluster cluster{fast_cluster()};
  cluster.start();
  auto s = std::make_shared<steered_scheduler::shared>();
  bool subscribed = false;
  auto [out, err] = capture_stdio([&] {
    mesos_actor::host h;
    if (h.start_scheduler("delta", steered(s), fast_options(cluster.master_urls()),
                          fast_policy()))
      subscribed = wait_until(*s, [&] { return !s->framework_id.empty(); });
    h.shutdown();
  });
  REQUIRE(subscribed);
  CHECK(out.empty());
  CHECK(err.find("level=info ref=delta component=scheduler event=subscribed") != std::string::npos);
  CHECK(err.find("component=host event=started") != std::string::npos);
  CHECK(err.find("level=debug") == std::string::npos);
}
