// Every callback fires with the right data, including events the simulator does not
// produce (scripted master), and the behaviour contract: stop, throw, handle_info,
// terminate, exit requests.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "support/scripted_master.hpp"
#include "support/scheduler_fixture.hpp"

using namespace test;
using mesos_actor::action;
using mesos_actor::content_type;
using mesos_actor::errc;
using mesos_actor::error_code;
namespace sim = mesos_actor::sim;

namespace {

// Options for a scripted_master: its cpp-httplib 0.11 server drops the requests that
// follow the first in one read (pipelined), so calls go out one at a time.
mesos_actor::scheduler_options scripted_options(const std::string& url, content_type ct) {
  auto o = fast_options({url}, ct);
  o.max_pipelined_calls = 1;
  return o;
}

std::vector<Event> scripted_events() {
  std::vector<Event> out;
  Event e;
  e.set_type(Event::INVERSE_OFFERS);
  auto* io = e.mutable_inverse_offers()->add_inverse_offers();
  io->mutable_id()->set_value("io-1");
  io->mutable_framework_id()->set_value("fake-fw");
  io->mutable_unavailability()->mutable_start()->set_nanoseconds(1);
  out.push_back(e);
  e.Clear();
  e.set_type(Event::RESCIND_INVERSE_OFFER);
  e.mutable_rescind_inverse_offer()->mutable_inverse_offer_id()->set_value("io-1");
  out.push_back(e);
  e.Clear();
  e.set_type(Event::MESSAGE);
  e.mutable_message()->mutable_agent_id()->set_value("a-1");
  e.mutable_message()->mutable_executor_id()->set_value("e-1");
  e.mutable_message()->set_data(std::string("bin\0ary", 7));
  out.push_back(e);
  e.Clear();
  e.set_type(Event::FAILURE);
  e.mutable_failure()->mutable_agent_id()->set_value("a-1");
  e.mutable_failure()->mutable_executor_id()->set_value("e-1");
  e.mutable_failure()->set_status(137);
  out.push_back(e);
  e.Clear();
  e.set_type(Event::FAILURE);
  e.mutable_failure()->mutable_agent_id()->set_value("a-2");
  out.push_back(e);
  e.Clear();
  e.set_type(Event::UPDATE_OPERATION_STATUS);
  auto* st = e.mutable_update_operation_status()->mutable_status();
  st->mutable_operation_id()->set_value("op-1");
  st->set_state(mesos::v1::OPERATION_FINISHED);
  st->mutable_uuid()->set_value(std::string(16, 'o'));
  st->mutable_agent_id()->set_value("a-1");
  out.push_back(e);
  e.Clear();
  e.set_type(Event::UPDATE_OPERATION_STATUS); // no uuid: never acknowledged
  e.mutable_update_operation_status()->mutable_status()->mutable_operation_id()->set_value("op-2");
  e.mutable_update_operation_status()->mutable_status()->set_state(mesos::v1::OPERATION_PENDING);
  out.push_back(e);
  e.Clear();
  e.set_type(Event::UPDATE);
  auto* ts = e.mutable_update()->mutable_status();
  ts->mutable_task_id()->set_value("t-1");
  ts->set_state(mesos::v1::TASK_RUNNING);
  ts->set_uuid(std::string(16, 't'));
  ts->mutable_agent_id()->set_value("a-1");
  out.push_back(e);
  e.Clear();
  e.set_type(Event::UNKNOWN); // a future type: reaches handle_info raw
  out.push_back(e);
  e.Clear();
  e.set_type(Event::RESCIND);
  e.mutable_rescind()->mutable_offer_id()->set_value("o-9");
  out.push_back(e);
  return out;
}

} // namespace

TEST_CASE("scripted events reach their callbacks; updates with a uuid are acknowledged once") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    scripted_master master{ct, scripted_events()};
    system_config cfg;
    caf::actor_system sys{cfg};
    auto log = std::make_shared<event_log>();
    auto opts = scripted_options(master.url(), ct);
    auto actor = mesos_actor::spawn_scheduler(sys, std::make_unique<recording_scheduler>(log), opts);
    REQUIRE(log->wait("offer_rescinded"));
    CHECK(log->wait("registered")->detail == "fake-fw");
    auto io = log->wait("inverse_offers");
    REQUIRE(io);
    CHECK(io->event.inverse_offers().inverse_offers(0).id().value() == "io-1");
    CHECK(log->wait("inverse_offer_rescinded")->detail == "io-1");
    CHECK(log->wait("framework_message")->detail == std::string("bin\0ary", 7));
    CHECK(log->wait("executor_lost")->detail == "e-1");
    CHECK(log->wait("agent_lost")->detail == "a-2");
    CHECK(log->wait("operation_status_update", 1s, "op-1"));
    CHECK(log->wait("operation_status_update", 1s, "op-2"));
    CHECK(log->wait("status_update")->detail == "t-1 TASK_RUNNING");
    auto info = log->wait("handle_info");
    REQUIRE(info);
    CHECK(info->event.type() == Event::UNKNOWN);
    CHECK(log->wait("offer_rescinded")->detail == "o-9");
    // Exactly two acknowledgements: the task update and op-1 (op-2 has no uuid).
    REQUIRE(master.wait_calls(2, 5s));
    auto calls = master.calls();
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].type() == Call::ACKNOWLEDGE_OPERATION_STATUS);
    CHECK(calls[0].acknowledge_operation_status().operation_id().value() == "op-1");
    CHECK(calls[0].acknowledge_operation_status().uuid() == std::string(16, 'o'));
    CHECK(calls[0].framework_id().value() == "fake-fw");
    CHECK(calls[1].type() == Call::ACKNOWLEDGE);
    CHECK(calls[1].acknowledge().uuid() == std::string(16, 't'));
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    auto reason = wait_exit(sys, actor);
    REQUIRE(reason);
    CHECK(*reason == caf::exit_reason::user_shutdown);
    CHECK(log->wait("terminate"));
  }
}

TEST_CASE("an update acknowledged by the callback is not acknowledged again") {
  std::vector<Event> events(1);
  events[0].set_type(Event::UPDATE);
  auto* ts = events[0].mutable_update()->mutable_status();
  ts->mutable_task_id()->set_value("t-1");
  ts->set_state(mesos::v1::TASK_RUNNING);
  ts->set_uuid(std::string(16, 'x'));
  ts->mutable_agent_id()->set_value("a-1");
  scripted_master master{content_type::protobuf, events};
  system_config cfg;
  caf::actor_system sys{cfg};
  auto log = std::make_shared<event_log>();
  auto b = std::make_unique<recording_scheduler>(log);
  b->on_update = [](recording_scheduler::ctx_t& ctx, const Event::Update& u) {
    ctx.acknowledge(u.status());
    return action::keep;
  };
  b->on_info = [](recording_scheduler::ctx_t& ctx, const caf::message&) {
    ctx.revive();
    return action::keep;
  };
  auto actor = mesos_actor::spawn_scheduler(sys, std::move(b),
                                            scripted_options(master.url(), content_type::protobuf));
  REQUIRE(log->wait("status_update"));
  // Calls go out in order: a REVIVE made after the update's callback comes right
  // after every acknowledgement the update caused.
  caf::anon_send(actor, std::string{"marker"});
  REQUIRE(master.wait_calls(2, 5s));
  auto calls = master.calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].type() == Call::ACKNOWLEDGE);
  CHECK(calls[1].type() == Call::REVIVE);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  CHECK(wait_exit(sys, actor));
}

TEST_CASE("without auto_acknowledge nothing is acknowledged") {
  std::vector<Event> events(1);
  events[0].set_type(Event::UPDATE);
  auto* ts = events[0].mutable_update()->mutable_status();
  ts->mutable_task_id()->set_value("t-1");
  ts->set_state(mesos::v1::TASK_RUNNING);
  ts->set_uuid(std::string(16, 'x'));
  ts->mutable_agent_id()->set_value("a-1");
  scripted_master master{content_type::json, events};
  system_config cfg;
  caf::actor_system sys{cfg};
  auto log = std::make_shared<event_log>();
  auto b = std::make_unique<recording_scheduler>(log);
  b->on_info = [](recording_scheduler::ctx_t& ctx, const caf::message&) {
    ctx.revive();
    return action::keep;
  };
  auto opts = scripted_options(master.url(), content_type::json);
  opts.auto_acknowledge = false;
  auto actor = mesos_actor::spawn_scheduler(sys, std::move(b), opts);
  REQUIRE(log->wait("status_update"));
  caf::anon_send(actor, std::string{"revive"});
  REQUIRE(master.wait_calls(1, 5s));
  auto calls = master.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].type() == Call::REVIVE);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  CHECK(wait_exit(sys, actor));
}

TEST_CASE("a callback that throws stops the scheduler with callback_exception") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    sim_fixture f;
    auto b = f.behaviour();
    b->on_offers = [](recording_scheduler::ctx_t&, const Event::Offers&) -> action {
      throw std::runtime_error("boom in offers");
    };
    auto a = f.spawn(std::move(b), f.options(ct));
    auto reason = wait_exit(f.sys, a);
    REQUIRE(reason);
    CHECK(error_code(*reason) == errc::callback_exception);
    CHECK(mesos_actor::error_detail(*reason).find("boom in offers") != std::string::npos);
    CHECK(mesos_actor::error_detail(*reason).find("resource_offers") != std::string::npos);
    auto term = f.log->wait("terminate");
    REQUIRE(term);
    CHECK(term->reason == *reason);
  }
}

TEST_CASE("action::stop from a callback ends the actor normally after terminate") {
  sim_fixture f;
  auto b = f.behaviour();
  b->on_registered = [](recording_scheduler::ctx_t&, const Event::Subscribed&) {
    return action::stop;
  };
  auto a = f.spawn(std::move(b), f.options(content_type::protobuf));
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK_FALSE(*reason);
  CHECK(f.log->wait("terminate")->detail == "normal");
}

TEST_CASE("context stop(reason) ends the actor with that reason once the callback returns") {
  sim_fixture f;
  auto b = f.behaviour();
  bool returned = false;
  b->on_registered = [&returned](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
    ctx.stop(mesos_actor::make_error(errc::init_failed, "quota gone"));
    ctx.stop(mesos_actor::make_error(errc::bad_option, "second call: ignored"));
    returned = ctx.state() == mesos_actor::scheduler_state::subscribed; // not ended yet
    return action::keep;
  };
  auto a = f.spawn(std::move(b), f.options(content_type::protobuf));
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::init_failed);
  CHECK(mesos_actor::error_detail(*reason) == "quota gone");
  CHECK(returned);
  auto term = f.log->wait("terminate");
  REQUIRE(term);
  CHECK(term->reason == *reason);
}

TEST_CASE("a restarted scheduler fails over with the persisted framework id") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    std::string persisted; // outlives the schedulers that write it
    std::mutex mtx;
    sim_fixture f;
    auto opts = f.options(ct);
    opts.on_framework_id = [&](const std::string& id) {
      std::lock_guard<std::mutex> guard{mtx};
      persisted = id;
    };
    auto first = f.spawn(f.behaviour(), opts);
    auto reg = f.log->wait("registered");
    REQUIRE(reg);
    caf::anon_send_exit(first, caf::exit_reason::user_shutdown);
    REQUIRE(wait_exit(f.sys, first));
    auto log2 = std::make_shared<event_log>();
    auto opts2 = f.options(ct);
    {
      std::lock_guard<std::mutex> guard{mtx};
      REQUIRE(persisted == reg->detail);
      opts2.framework_id = persisted;
    }
    f.spawn(f.behaviour(log2), opts2);
    auto init = log2->wait("init");
    REQUIRE(init);
    CHECK(init->detail == reg->detail);
    auto reg2 = log2->wait("registered");
    REQUIRE(reg2);
    CHECK(reg2->detail == reg->detail);
    auto sub = calls_of(f.cluster, Call::SUBSCRIBE).back();
    CHECK(sub.call->framework_id().value() == reg->detail);
    CHECK(sub.call->subscribe().framework_info().id().value() == reg->detail);
  }
}

TEST_CASE("a framework that another instance took over stops with framework_failed_over") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  auto log2 = std::make_shared<event_log>();
  auto opts2 = f.options(content_type::json);
  opts2.framework_id = reg->detail;
  f.spawn(f.behaviour(log2), opts2);
  REQUIRE(log2->wait("registered"));
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::framework_failed_over);
  CHECK(f.log->wait("error", 1s, "Framework failed over"));
  CHECK(f.log->count("disconnected") == 0); // it does not fight back
}

TEST_CASE("a refused subscription (200, ERROR, EOF) is reported and ends the actor") {
  sim_fixture f;
  auto b = f.behaviour();
  b->info_template.set_failover_timeout(1e300); // not a Duration: the master refuses in the stream
  auto a = f.spawn(std::move(b), f.options(content_type::json));
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::subscription_refused);
  auto err = f.log->wait("error");
  REQUIRE(err);
  CHECK(err->detail.find("failover_timeout") != std::string::npos);
  CHECK(f.log->count("registered") == 0);
}

TEST_CASE("failover_timeout 0: resubscribing is refused and the reason explains why") {
  sim_fixture f;
  auto opts = f.options(content_type::protobuf);
  // Mesos removes the framework from a timer that fires at once; leave it the time.
  opts.resubscribe_interval = 300ms;
  // The subscription is broken at once: count it as established (not a failed attempt).
  opts.min_stable_subscription = 0ms;
  auto a = f.spawn(f.behaviour(nullptr, 0), opts);
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  f.cluster.faults().close_stream(reg->detail, sim::close_mode::clean);
  auto reason = wait_exit(f.sys, a);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::subscription_refused);
  CHECK(mesos_actor::error_detail(*reason).find("failover_timeout is 0") != std::string::npos);
}

TEST_CASE("messages sent to the actor reach handle_info; bad options are refused") {
  sim_fixture f;
  auto a = f.spawn(f.behaviour(), f.options(content_type::protobuf));
  REQUIRE(f.log->wait("registered"));
  caf::anon_send(a, 42, std::string{"hello"});
  auto info = f.log->wait("handle_info");
  REQUIRE(info);
  CHECK(info->detail.find("hello") != std::string::npos);

  auto bad = f.options(content_type::protobuf);
  bad.master_hosts = {"nope:"};
  auto refused = mesos_actor::start_scheduler_actor(f.sys, f.behaviour(), bad);
  REQUIRE_FALSE(refused);
  CHECK(error_code(refused.error()) == errc::bad_option);
  auto spawned = f.spawn(f.behaviour(), bad);
  auto reason = wait_exit(f.sys, spawned);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::bad_option);
}
