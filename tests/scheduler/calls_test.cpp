// Every call type reaches the master with the right fields, the current stream id and
// framework id; outcomes (accepted, 400, 503) reach continuations or call_failed;
// calls made while disconnected fail fast or wait, by option.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "support/scheduler_fixture.hpp"

using namespace test;
using mesos_actor::action;
using mesos_actor::call_outcome;
using mesos_actor::content_type;
using mesos_actor::errc;
namespace sim = mesos_actor::sim;

namespace {

template <class T>
T with_value(const std::string& v) {
  T x;
  x.set_value(v);
  return x;
}

// Sends one call of every type (except TEARDOWN) with recognisable fields.
void send_every_call(recording_scheduler::ctx_t& ctx) {
  using mesos::v1::AgentID;
  using mesos::v1::ExecutorID;
  using mesos::v1::OfferID;
  using mesos::v1::OperationID;
  using mesos::v1::TaskID;
  ctx.accept({with_value<OfferID>("o-accept")}, {mesos_actor::launch({})},
             mesos_actor::refuse_filters(7));
  ctx.decline({with_value<OfferID>("o-decline")}, mesos_actor::refuse_filters(8));
  ctx.accept_inverse_offers({with_value<OfferID>("io-accept")});
  ctx.decline_inverse_offers({with_value<OfferID>("io-decline")}, mesos_actor::refuse_filters(9));
  ctx.revive({"role-r"});
  ctx.suppress({"role-s"});
  mesos::v1::KillPolicy policy;
  policy.mutable_grace_period()->set_nanoseconds(1000);
  ctx.kill(with_value<TaskID>("t-kill"), with_value<AgentID>("a-kill"), policy);
  ctx.shutdown(with_value<ExecutorID>("e-shut"), with_value<AgentID>("a-shut"));
  ctx.acknowledge(with_value<AgentID>("a-ack"), with_value<TaskID>("t-ack"),
                  std::string(16, 'u'));
  ctx.acknowledge_operation_status(with_value<AgentID>("a-opack"), nullptr, std::string(16, 'v'),
                                   with_value<OperationID>("op-ack"));
  ctx.reconcile_tasks({{with_value<TaskID>("t-rec"), with_value<AgentID>("a-rec")}});
  mesos::v1::scheduler::Call::ReconcileOperations::Operation op;
  *op.mutable_operation_id() = with_value<OperationID>("op-rec");
  ctx.reconcile_operations({op});
  ctx.message(with_value<AgentID>("a-msg"), with_value<ExecutorID>("e-msg"), "hello");
  mesos::v1::Request req;
  *req.mutable_agent_id() = with_value<AgentID>("a-req");
  ctx.request({req});
  auto info = ctx.framework_info();
  info.set_name("renamed");
  ctx.update_framework(info);
}

} // namespace

TEST_CASE("every call reaches the master with its fields, framework id and stream id") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    sim_fixture f;
    auto b = f.behaviour();
    b->info_template.add_roles("role-r");
    b->info_template.add_roles("role-s");
    b->info_template.add_capabilities()->set_type(mesos::v1::FrameworkInfo::Capability::MULTI_ROLE);
    b->on_registered = [](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
      send_every_call(ctx);
      return action::keep;
    };
    f.spawn(std::move(b), f.options(ct));
    auto reg = f.log->wait("registered");
    REQUIRE(reg);
    const auto fid = reg->detail;
    REQUIRE(wait_call(f.cluster, Call::UPDATE_FRAMEWORK));
    auto stream = calls_of(f.cluster, Call::SUBSCRIBE).back().stream_id;

    auto one = [&](Call::Type t) {
      auto list = calls_of(f.cluster, t);
      REQUIRE(list.size() == 1);
      CHECK(list[0].call->framework_id().value() == fid);
      CHECK(list[0].header("Mesos-Stream-Id") == stream);
      CHECK(list[0].header("Content-Type") == std::string{mesos_actor::media_type(ct)});
      return *list[0].call;
    };
    auto accept = one(Call::ACCEPT);
    CHECK(accept.accept().offer_ids(0).value() == "o-accept");
    CHECK(accept.accept().filters().refuse_seconds() == 7);
    CHECK(accept.accept().operations(0).type() == mesos::v1::Offer::Operation::LAUNCH);
    auto decline = one(Call::DECLINE);
    CHECK(decline.decline().offer_ids(0).value() == "o-decline");
    CHECK(decline.decline().filters().refuse_seconds() == 8);
    CHECK(one(Call::ACCEPT_INVERSE_OFFERS).accept_inverse_offers().inverse_offer_ids(0).value()
          == "io-accept");
    auto dio = one(Call::DECLINE_INVERSE_OFFERS);
    CHECK(dio.decline_inverse_offers().inverse_offer_ids(0).value() == "io-decline");
    CHECK(dio.decline_inverse_offers().filters().refuse_seconds() == 9);
    CHECK(one(Call::REVIVE).revive().roles(0) == "role-r");
    CHECK(one(Call::SUPPRESS).suppress().roles(0) == "role-s");
    auto kill = one(Call::KILL);
    CHECK(kill.kill().task_id().value() == "t-kill");
    CHECK(kill.kill().agent_id().value() == "a-kill");
    CHECK(kill.kill().kill_policy().grace_period().nanoseconds() == 1000);
    auto shut = one(Call::SHUTDOWN);
    CHECK(shut.shutdown().executor_id().value() == "e-shut");
    CHECK(shut.shutdown().agent_id().value() == "a-shut");
    auto ack = one(Call::ACKNOWLEDGE);
    CHECK(ack.acknowledge().agent_id().value() == "a-ack");
    CHECK(ack.acknowledge().task_id().value() == "t-ack");
    CHECK(ack.acknowledge().uuid() == std::string(16, 'u'));
    auto opack = one(Call::ACKNOWLEDGE_OPERATION_STATUS);
    CHECK(opack.acknowledge_operation_status().agent_id().value() == "a-opack");
    CHECK(opack.acknowledge_operation_status().uuid() == std::string(16, 'v'));
    CHECK(opack.acknowledge_operation_status().operation_id().value() == "op-ack");
    auto rec = one(Call::RECONCILE);
    CHECK(rec.reconcile().tasks(0).task_id().value() == "t-rec");
    CHECK(rec.reconcile().tasks(0).agent_id().value() == "a-rec");
    CHECK(one(Call::RECONCILE_OPERATIONS).reconcile_operations().operations(0).operation_id().value()
          == "op-rec");
    auto msg = one(Call::MESSAGE);
    CHECK(msg.message().agent_id().value() == "a-msg");
    CHECK(msg.message().executor_id().value() == "e-msg");
    CHECK(msg.message().data() == "hello");
    CHECK(one(Call::REQUEST).request().requests(0).agent_id().value() == "a-req");
    auto upd = one(Call::UPDATE_FRAMEWORK);
    CHECK(upd.update_framework().framework_info().name() == "renamed");
    CHECK(upd.update_framework().framework_info().id().value() == fid);
    // Calls went out in the order they were made.
    std::vector<Call::Type> order;
    for (auto& r : f.cluster.requests())
      if (r.call && r.call->type() != Call::SUBSCRIBE && r.call->type() != Call::DECLINE)
        order.push_back(r.call->type());
    REQUIRE(order.size() >= 2);
    CHECK(order.front() == Call::ACCEPT);
    CHECK(order.back() == Call::UPDATE_FRAMEWORK);
  }
}

TEST_CASE("a call rejected with 400 reaches its continuation, or call_failed without one") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    sim_fixture f;
    auto b = f.behaviour();
    auto outcomes = std::make_shared<event_log>();
    b->on_registered = [outcomes](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
      mesos::v1::AgentID agent;
      agent.set_value("a");
      mesos::v1::TaskID task;
      task.set_value("t");
      // A uuid that is not 16 bytes: Mesos answers 400.
      ctx.acknowledge(agent, task, "short", [outcomes](recording_scheduler::ctx_t&,
                                                       const call_outcome& o) {
        entry e;
        e.name = "continuation";
        e.outcome = o;
        outcomes->push(e);
        return action::keep;
      });
      ctx.acknowledge(agent, task, "short");
      return action::keep;
    };
    f.spawn(std::move(b), f.options(ct));
    auto cont = outcomes->wait("continuation");
    REQUIRE(cont);
    CHECK(cont->outcome.result == call_outcome::status::rejected);
    CHECK(cont->outcome.http_status == 400);
    CHECK(cont->outcome.type == Call::ACKNOWLEDGE);
    CHECK_FALSE(cont->outcome.body.empty());
    CHECK(mesos_actor::error_code(cont->outcome.error) == errc::rejected);
    auto failed = f.log->wait("call_failed");
    REQUIRE(failed);
    CHECK(failed->outcome.http_status == 400);
    CHECK(failed->outcome.id == cont->outcome.id + 1);
    CHECK(f.log->count("call_failed") == 1); // the continuation took the first
  }
}

TEST_CASE("a call answered 503 is reported as rejected with the status") {
  sim_fixture f;
  auto b = f.behaviour();
  b->on_registered = [&f](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
    f.cluster.faults().fail_next_calls(1, 503);
    ctx.revive();
    return action::keep;
  };
  f.spawn(std::move(b), f.options(content_type::protobuf));
  auto failed = f.log->wait("call_failed");
  REQUIRE(failed);
  CHECK(failed->outcome.type == Call::REVIVE);
  CHECK(failed->outcome.http_status == 503);
  CHECK(f.log->count("disconnected") == 0);
}

TEST_CASE("a call of type UNKNOWN is never sent (a real Mesos 1.12 master aborts on it)") {
  sim_fixture f;
  auto b = f.behaviour();
  b->on_registered = [](recording_scheduler::ctx_t& ctx, const Event::Subscribed&) {
    Call call;
    call.set_type(Call::UNKNOWN);
    ctx.send(call);
    ctx.revive(); // sent after it: the UNKNOWN call was not on the wire before
    return action::keep;
  };
  f.spawn(std::move(b), f.options(content_type::protobuf));
  auto failed = f.log->wait("call_failed");
  REQUIRE(failed);
  CHECK(failed->outcome.type == Call::UNKNOWN);
  CHECK(failed->outcome.result == call_outcome::status::not_sent);
  CHECK(mesos_actor::error_code(failed->outcome.error) == errc::bad_option);
  REQUIRE(wait_call(f.cluster, Call::REVIVE));
  CHECK(calls_of(f.cluster, Call::UNKNOWN).empty());
}

TEST_CASE("calls while disconnected fail fast with not_subscribed by default") {
  sim_fixture f;
  auto b = f.behaviour();
  b->on_disconnected = [](recording_scheduler::ctx_t& ctx) {
    CHECK_FALSE(ctx.subscribed());
    CHECK(ctx.stream_id().empty());
    ctx.revive();
    return action::keep;
  };
  auto opts = f.options(content_type::protobuf);
  opts.max_num_resubscribe = 1000;
  f.spawn(std::move(b), opts);
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  f.cluster.faults().no_leader();
  f.cluster.faults().close_stream(reg->detail, sim::close_mode::clean);
  auto failed = f.log->wait("call_failed");
  REQUIRE(failed);
  CHECK(failed->outcome.type == Call::REVIVE);
  CHECK(failed->outcome.result == call_outcome::status::not_sent);
  CHECK(mesos_actor::error_code(failed->outcome.error) == errc::not_subscribed);
  CHECK(calls_of(f.cluster, Call::REVIVE).empty());
}

TEST_CASE("calls while disconnected are queued (bounded) and sent after resubscribing") {
  for (auto ct : both_content_types) {
    CAPTURE(encoding_name(ct));
    sim_fixture f;
    auto b = f.behaviour();
    b->on_disconnected = [](recording_scheduler::ctx_t& ctx) {
      ctx.revive({"r1"});
      ctx.suppress({"r2"});
      ctx.revive({"over the limit"});
      return action::keep;
    };
    auto opts = f.options(ct);
    opts.max_num_resubscribe = 1000;
    opts.calls_while_disconnected = mesos_actor::disconnected_call_policy::queue;
    opts.max_queued_calls = 2;
    f.spawn(std::move(b), opts);
    auto reg = f.log->wait("registered");
    REQUIRE(reg);
    f.cluster.faults().no_leader();
    f.cluster.faults().close_stream(reg->detail, sim::close_mode::clean);
    auto full = f.log->wait("call_failed");
    REQUIRE(full);
    CHECK(mesos_actor::error_code(full->outcome.error) == errc::queue_full);
    CHECK(calls_of(f.cluster, Call::REVIVE).empty());
    f.cluster.faults().set_leader(0);
    REQUIRE(f.log->wait("reregistered"));
    auto revive = wait_call(f.cluster, Call::REVIVE);
    REQUIRE(revive);
    REQUIRE(wait_call(f.cluster, Call::SUPPRESS));
    CHECK(revive->call->revive().roles(0) == "r1");
    CHECK(revive->status == 202);
    CHECK(revive->header("Mesos-Stream-Id") == calls_of(f.cluster, Call::SUBSCRIBE).back().stream_id);
    CHECK(calls_of(f.cluster, Call::REVIVE).size() == 1);
  }
}
