// The simulated agent's executor endpoint, call by call over raw HTTP, against
// PROTOCOL.md section 5 ("Executor endpoint"), plus the agent's re-subscription
// rule for STAGING tasks and its registration timeout and Bearer authentication.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <thread>

#include <httplib.h>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"
#include "executor/sim_fixture.hpp"

using namespace test;
using namespace mesos_actor;
using mesos::v1::executor::Call;
using ExecEvent = mesos::v1::executor::Event;

namespace {

struct endpoint_fixture : sim_fixture {
  std::unique_ptr<httplib::Client> cli;
  std::string token; ///< set when executors authenticate
  std::string body;  ///< of the last answer

  /// Starts the cluster and an agent-launched executor process that never subscribes
  /// ("sleep"): the test speaks for it over HTTP.
  void start_idle_executor(bool checkpoint, sim::cluster_options opts = test_options(),
                           const std::string& token_file = {}) {
    start(checkpoint, opts);
    std::string cmd = "exec sleep 60";
    if (!token_file.empty())
      cmd = "printf %s \"$MESOS_EXECUTOR_AUTHENTICATION_TOKEN\" > " + token_file + "; " + cmd;
    launch(executor_info("idle", cmd), {{"t1", "run"}});
    REQUIRE(cluster->wait_for([&] { return cluster->task("t1").has_value(); }, 10s));
    cli = std::make_unique<httplib::Client>("127.0.0.1", cluster->agents()[0].port);
    cli->set_read_timeout(5, 0);
  }

  Call call(Call::Type type, const std::string& executor = "idle") {
    Call c;
    c.set_type(type);
    c.mutable_executor_id()->set_value(executor);
    c.mutable_framework_id()->set_value(framework_id);
    return c;
  }

  Call update(mesos::v1::TaskState state) {
    auto c = call(Call::UPDATE);
    auto* s = c.mutable_update()->mutable_status();
    s->mutable_task_id()->set_value("t1");
    s->set_state(state);
    s->set_source(mesos::v1::TaskStatus::SOURCE_EXECUTOR);
    std::string uuid(16, 'u');
    uuid[6] = 0x4f; // RFC 4122 version 4: Mesos refuses other bytes ("Not a valid UUID")
    s->set_uuid(uuid);
    return c;
  }

  int post(const std::string& body, const std::string& content_type,
           const std::string& accept = "application/x-protobuf",
           const std::string& path = "/api/v1/executor", std::string method = "POST",
           httplib::Headers* answer = nullptr) {
    httplib::Request req;
    req.method = std::move(method);
    req.path = path;
    if (!content_type.empty())
      req.set_header("Content-Type", content_type);
    if (!accept.empty())
      req.set_header("Accept", accept);
    if (!token.empty())
      req.set_header("Authorization", "Bearer " + token);
    req.body = body;
    auto res = cli->send(req);
    REQUIRE(res);
    if (answer)
      *answer = res->headers;
    this->body = res->body;
    return res->status;
  }

  int post(const Call& c, httplib::Headers* answer = nullptr) {
    return post(encode(c, content_type::protobuf), "application/x-protobuf", "application/x-protobuf",
                "/api/v1/executor", "POST", answer);
  }
};

/// An executor subscription opened by the test: reads events on its own thread.
struct raw_stream {
  std::thread reader;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<ExecEvent> events;
  int status = 0;
  std::string stream_id_header = "absent";
  std::atomic<bool> stop{false};
  httplib::Client client;

  raw_stream(int port, const Call& subscribe) : client{"127.0.0.1", port} {
    client.set_read_timeout(10, 0);
    reader = std::thread{[this, body = encode(subscribe, content_type::protobuf)] {
      auto& c = client;
      recordio_decoder decoder;
      httplib::Request req;
      req.method = "POST";
      req.path = "/slave(1)/api/v1/executor";
      req.set_header("Content-Type", "application/x-protobuf");
      req.set_header("Accept", "application/x-protobuf");
      req.body = body;
      req.response_handler = [&](const httplib::Response& r) {
        std::lock_guard<std::mutex> lk(mu);
        status = r.status;
        if (r.has_header("Mesos-Stream-Id"))
          stream_id_header = r.get_header_value("Mesos-Stream-Id");
        cv.notify_all();
        return true;
      };
      req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
        decoder.feed({data, n}, [&](std::string_view rec) {
          ExecEvent e;
          if (!decode(rec, content_type::protobuf, e)) {
            std::lock_guard<std::mutex> lk(mu);
            events.push_back(e);
            cv.notify_all();
          }
          return true;
        });
        return !stop.load();
      };
      httplib::Response res;
      httplib::Error err;
      c.send(req, res, err);
      std::lock_guard<std::mutex> lk(mu);
      cv.notify_all();
    }};
  }
  ~raw_stream() {
    stop = true;
    client.stop(); // shuts the socket down under a blocked read
    reader.join();
  }
  bool wait_event(ExecEvent::Type type, std::size_t n = 1) {
    std::unique_lock<std::mutex> lk(mu);
    return cv.wait_for(lk, 10s, [&] {
      return std::count_if(events.begin(), events.end(),
                           [&](const ExecEvent& e) { return e.type() == type; })
             >= static_cast<long>(n);
    });
  }
};

} // namespace

// The texts are Mesos 1.12's (slave/http.cpp Http::executor, validateExecutorCall).
TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: method, media type and body errors") {
  start_idle_executor(false);
  auto hb = encode(call(Call::HEARTBEAT), content_type::protobuf);
  httplib::Headers answer;
  CHECK(post(hb, "application/x-protobuf", "", "/api/v1/executor", "GET", &answer) == 405);
  CHECK(answer.find("Allow") != answer.end());
  CHECK(body == "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
  CHECK(post("", "") == 400); // no Content-Type (httplib adds one to non-empty bodies)
  CHECK(body == "Expecting 'Content-Type' to be present");
  CHECK(post(hb, "application/json; charset=utf-8") == 415);
  CHECK(body == "Expecting 'Content-Type' of application/json or application/x-protobuf");
  CHECK(post("not a protobuf", "application/x-protobuf") == 400);
  CHECK(body == "Failed to parse body into Call protobuf");
  CHECK(post("{\"type\":", "application/json") == 400);
  CHECK(body.rfind("Failed to parse body into JSON: ", 0) == 0);
  CHECK(post("{\"type\":\"HEARTBEAT\"}", "application/json") == 400); // no ids
  CHECK(body.rfind("Failed to convert JSON into Call protobuf: Missing required fields: ", 0) == 0);
  CHECK(body.find("executor_id") != std::string::npos);
  // The same on the long path the official library uses.
  CHECK(post(hb, "text/plain", "", "/slave(1)/api/v1/executor") == 415);
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: call validation") {
  start_idle_executor(false);
  auto rejected = [&](const Call& c, const std::string& why) {
    CHECK(post(c) == 400);
    CHECK(body == "Failed to validate Executor::Call: " + why);
  };
  auto no_uuid = update(mesos::v1::TASK_RUNNING);
  no_uuid.mutable_update()->mutable_status()->clear_uuid();
  rejected(no_uuid, "Expecting 'uuid' to be present");
  auto bad_uuid = update(mesos::v1::TASK_RUNNING);
  bad_uuid.mutable_update()->mutable_status()->set_uuid("short");
  rejected(bad_uuid, "Not a valid UUID");
  auto not_a_version = update(mesos::v1::TASK_RUNNING);
  not_a_version.mutable_update()->mutable_status()->set_uuid(std::string(16, 'u')); // version 7
  rejected(not_a_version, "Not a valid UUID");
  auto bad_source = update(mesos::v1::TASK_RUNNING);
  bad_source.mutable_update()->mutable_status()->set_source(mesos::v1::TaskStatus::SOURCE_AGENT);
  rejected(bad_source, "Received Call from executor idle of framework " + framework_id
                         + " with invalid source, expecting 'SOURCE_EXECUTOR'");
  rejected(update(mesos::v1::TASK_STAGING),
           "Received TASK_STAGING from executor idle of framework " + framework_id
             + " which is not allowed");
  auto other = update(mesos::v1::TASK_RUNNING);
  other.mutable_update()->mutable_status()->mutable_executor_id()->set_value("someone-else");
  rejected(other, "ExecutorID in Call: idle does not match ExecutorID in TaskStatus: someone-else");
  Call untyped = call(Call::HEARTBEAT);
  untyped.clear_type();
  rejected(untyped, "Expecting 'type' to be present");
  rejected(call(Call::SUBSCRIBE), "Expecting 'subscribe' to be present");
  rejected(call(Call::MESSAGE), "Expecting 'message' to be present");
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: lookups, 406, heartbeat, UNKNOWN, 403 before SUBSCRIBE") {
  start_idle_executor(false);
  auto hb = call(Call::HEARTBEAT);
  hb.mutable_executor_id()->set_value("unused");
  hb.mutable_framework_id()->set_value("unused");
  CHECK(post(hb) == 202); // before any lookup, as Mesos's own library relies on
  auto stranger = update(mesos::v1::TASK_RUNNING);
  stranger.mutable_framework_id()->set_value("no-such-framework");
  CHECK(post(stranger) == 400);
  CHECK(body == "Framework cannot be found");
  auto unknown_exec = call(Call::MESSAGE, "no-such-executor");
  unknown_exec.mutable_message()->set_data("x");
  CHECK(post(unknown_exec) == 400);
  CHECK(body == "Executor cannot be found");
  auto msg = call(Call::MESSAGE);
  msg.mutable_message()->set_data("x");
  CHECK(post(msg) == 403); // not subscribed yet
  CHECK(body == "Executor is not subscribed");
  auto sub = call(Call::SUBSCRIBE);
  sub.mutable_subscribe();
  CHECK(post(encode(sub, content_type::protobuf), "application/x-protobuf", "text/html") == 406);
  CHECK(body == "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
  // UNKNOWN passes validation (its type is present) and is answered after the lookups
  // (501 once subscribed: see the SUBSCRIBE test).
  CHECK(post(call(Call::UNKNOWN, "no-such-executor")) == 400);
  CHECK(post(call(Call::UNKNOWN)) == 403);
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: an executor whose stream broke may still send updates") {
  // Mesos keeps such an executor RUNNING until it re-subscribes (or its
  // re-registration times out): only one still registering is refused.
  auto lines = std::make_shared<std::pair<std::mutex, std::vector<std::string>>>();
  auto opts = test_options();
  opts.log = [lines](std::string_view line) {
    std::lock_guard<std::mutex> lk(lines->first);
    lines->second.emplace_back(line);
  };
  start_idle_executor(true, opts); // checkpointing: the agent waits for it to come back
  auto sub = call(Call::SUBSCRIBE);
  sub.mutable_subscribe();
  {
    raw_stream stream{cluster->agents()[0].port, sub};
    REQUIRE(stream.wait_event(ExecEvent::LAUNCH));
  }
  REQUIRE(cluster->wait_for([&] {
    std::lock_guard<std::mutex> lk(lines->first);
    return std::any_of(lines->second.begin(), lines->second.end(), [](const std::string& l) {
      return l.find("executor idle disconnected") != std::string::npos;
    });
  }, 10s));
  CHECK(post(update(mesos::v1::TASK_RUNNING)) == 202);
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: SUBSCRIBE stream, queued LAUNCH, UPDATE and MESSAGE") {
  start_idle_executor(false);
  auto sub = call(Call::SUBSCRIBE);
  sub.mutable_subscribe();
  raw_stream stream{cluster->agents()[0].port, sub};
  REQUIRE(stream.wait_event(ExecEvent::LAUNCH));
  {
    std::lock_guard<std::mutex> lk(stream.mu);
    CHECK(stream.status == 200);
    CHECK(stream.stream_id_header == "absent");
    REQUIRE(stream.events.size() >= 2);
    CHECK(stream.events[0].type() == ExecEvent::SUBSCRIBED);
    const auto& s = stream.events[0].subscribed();
    CHECK(s.executor_info().executor_id().value() == "idle");
    CHECK(s.framework_info().id().value() == framework_id);
    CHECK(s.agent_info().id().value() == agent_id());
    CHECK(s.has_container_id());
    CHECK(stream.events[1].launch().task().task_id().value() == "t1");
  }
  CHECK(post(update(mesos::v1::TASK_RUNNING)) == 202);
  REQUIRE(stream.wait_event(ExecEvent::ACKNOWLEDGED));
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
  // The same uuid again is a duplicate: acknowledged, not forwarded twice.
  CHECK(post(update(mesos::v1::TASK_RUNNING)) == 202);
  REQUIRE(stream.wait_event(ExecEvent::ACKNOWLEDGED, 2));
  CHECK(view->count("t1", mesos::v1::TASK_RUNNING) == 1);
  auto msg = call(Call::MESSAGE);
  msg.mutable_message()->set_data("from-executor");
  CHECK(post(msg) == 202);
  REQUIRE(view->wait([&] { return !view->messages.empty(); }));
  CHECK(view->messages[0] == "from-executor");
  CHECK(post(call(Call::UNKNOWN)) == 501);
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: an executor's record keeps max_completed_tasks ended tasks") {
  // A long-lived executor runs task after task: the agent remembers the updates of
  // its last max_completed_tasks ended tasks only (a resent copy of an older one is
  // forwarded again, as Mesos's agent does once the task left its history).
  auto opts = test_options();
  opts.executors.max_completed_tasks = 1;
  start_idle_executor(false, opts);
  auto sub = call(Call::SUBSCRIBE);
  sub.mutable_subscribe();
  raw_stream stream{cluster->agents()[0].port, sub};
  REQUIRE(stream.wait_event(ExecEvent::LAUNCH));
  launch(executor_info("idle", "exec sleep 60"), {{"t2", "run"}});
  REQUIRE(stream.wait_event(ExecEvent::LAUNCH, 2));
  auto finished = [&](const std::string& task, char tag) {
    auto c = call(Call::UPDATE);
    auto* s = c.mutable_update()->mutable_status();
    s->mutable_task_id()->set_value(task);
    s->set_state(mesos::v1::TASK_FINISHED);
    s->set_source(mesos::v1::TaskStatus::SOURCE_EXECUTOR);
    std::string uuid(16, tag);
    uuid[6] = static_cast<char>(0x40 | (tag & 0x0f)); // RFC 4122 version 4
    uuid[8] = static_cast<char>(0x80 | (tag & 0x3f)); // and variant
    s->set_uuid(uuid);
    return c;
  };
  auto all_acknowledged = [&] { return cluster->unacknowledged_updates().empty(); };
  CHECK(post(finished("t1", 'a')) == 202);
  REQUIRE(wait_state("t1", mesos::v1::TASK_FINISHED));
  CHECK(post(finished("t2", 'b')) == 202); // t1 leaves the history
  REQUIRE(wait_state("t2", mesos::v1::TASK_FINISHED));
  REQUIRE(cluster->wait_for(all_acknowledged, 10s));
  // Resent in this order, the copies (if forwarded) reach the scheduler in this order.
  CHECK(post(finished("t2", 'b')) == 202); // still remembered: acknowledged only
  CHECK(post(finished("t1", 'a')) == 202); // forgotten: forwarded again
  REQUIRE(stream.wait_event(ExecEvent::ACKNOWLEDGED, 4));
  REQUIRE(view->wait([&] { return view->count("t1", mesos::v1::TASK_FINISHED) == 2; }));
  std::lock_guard<std::mutex> lk(view->mu);
  CHECK(view->count("t2", mesos::v1::TASK_FINISHED) == 1);
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: after a restart, 503 until re-subscription; unlisted STAGING task lost") {
  start_idle_executor(true);
  auto sub = call(Call::SUBSCRIBE);
  sub.mutable_subscribe();
  {
    raw_stream stream{cluster->agents()[0].port, sub};
    REQUIRE(stream.wait_event(ExecEvent::LAUNCH));
    cluster->faults().restart_agent(0);
  }
  REQUIRE(cluster->wait_for([&] { return cluster->agents()[0].running; }, 10s));
  cli = std::make_unique<httplib::Client>("127.0.0.1", cluster->agents()[0].port);
  auto msg = call(Call::MESSAGE);
  msg.mutable_message()->set_data("x");
  CHECK(post(msg) == 503);
  // Re-subscribe without listing t1, which never left STAGING: the agent declares it lost.
  raw_stream again{cluster->agents()[0].port, sub};
  REQUIRE(again.wait_event(ExecEvent::SUBSCRIBED));
  REQUIRE(wait_state("t1", mesos::v1::TASK_LOST));
  {
    std::lock_guard<std::mutex> lk(view->mu);
    auto it = std::find_if(view->updates.begin(), view->updates.end(), [](const auto& u) {
      return u.state() == mesos::v1::TASK_LOST;
    });
    REQUIRE(it != view->updates.end());
    CHECK(it->reason() == mesos::v1::TaskStatus::REASON_AGENT_RESTARTED);
  }
  CHECK(post(msg) == 202); // recovery over: every surviving executor is back
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: an executor that never subscribes hits the registration timeout") {
  auto opts = test_options();
  opts.executors.registration_timeout = 300ms;
  start(false, opts);
  launch(executor_info("silent", "exec sleep 60"), {{"t1", "run"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_FAILED));
  std::lock_guard<std::mutex> lk(view->mu);
  CHECK(view->updates.back().reason() == mesos::v1::TaskStatus::REASON_EXECUTOR_REGISTRATION_TIMEOUT);
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: Bearer authentication of executors") {
  auto file = std::filesystem::temp_directory_path() / ("exec_token_" + std::to_string(::getpid()));
  auto opts = test_options();
  opts.executors.authenticate = true;
  start_idle_executor(false, opts, file.string());
  std::string real;
  REQUIRE(cluster->wait_for([&] {
    std::ifstream in{file};
    real.assign(std::istreambuf_iterator<char>{in}, {});
    return !real.empty();
  }, 10s));
  std::filesystem::remove(file);
  auto msg = call(Call::MESSAGE);
  msg.mutable_message()->set_data("x");
  httplib::Headers answer;
  CHECK(post(encode(msg, content_type::protobuf), "application/x-protobuf", "", "/api/v1/executor",
             "POST", &answer) == 401);
  CHECK(answer.find("WWW-Authenticate") != answer.end());
  token = "forged";
  CHECK(post(msg) == 401);
  token = real;
  CHECK(post(msg) == 403); // authenticated, but not subscribed yet
  CHECK(body == "Executor is not subscribed");
  auto unknown = call(Call::MESSAGE, "another-executor");
  unknown.mutable_message()->set_data("x");
  CHECK(post(unknown) == 400); // looked up before the token's claims, as in Mesos
  // A second executor of the framework: the first one's token is not its own.
  launch(executor_info("second", "exec sleep 60"), {{"t2", "run"}});
  REQUIRE(cluster->wait_for([&] { return cluster->task("t2").has_value(); }, 10s));
  auto other = call(Call::MESSAGE, "second");
  other.mutable_message()->set_data("x");
  CHECK(post(other) == 403);
  CHECK(body.find("does not contain an 'eid' claim with the executor ID second, which is set in the call")
        != std::string::npos);
  CHECK(body.find(real) == std::string::npos);
  token = "two words";
  CHECK(post(msg, &answer) == 401);
  CHECK(answer.find("WWW-Authenticate")->second.find("Malformed 'Authorization' header") != std::string::npos);
  // The trace never shows the token.
  for (auto& r : cluster->requests())
    CHECK(r.header("Authorization").find(real) == std::string::npos);
}

TEST_CASE_FIXTURE(endpoint_fixture, "agent endpoint: the real executor process authenticates with its token") {
  auto opts = test_options();
  opts.executors.authenticate = true;
  start(false, opts);
  launch(executor_info("auth", test_process), {{"t1", "run"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
}
