// Offers: contents, DECLINE filters, REVIVE, SUPPRESS, rescinds, UPDATE_FRAMEWORK.
#include <doctest/doctest.h>

#include "sim_client.hpp"

using namespace simtest;
using mesos_actor::sim::cluster;

TEST_CASE("offers carry the agent's unreserved resources, url, hostname and role") {
  auto opts = fast_options();
  opts.agents = 2;
  cluster sim(opts);
  sim.start();
  session s(sim.master_urls()[0], subscribe_call("offers", {}, {"web"}));
  REQUIRE(!s.fid.empty());
  std::vector<mesos::v1::Offer> offers;
  while (offers.size() < 2) {
    auto e = s.sub.next(Event::OFFERS, 5s);
    REQUIRE(e);
    for (auto& o : e->offers().offers())
      offers.push_back(o);
  }
  auto agents = sim.agents();
  REQUIRE(agents.size() == 2);
  for (auto& o : offers) {
    CHECK(o.framework_id().value() == s.fid);
    CHECK(!o.id().value().empty());
    CHECK(o.hostname() == "127.0.0.1");
    CHECK(o.allocation_info().role() == "web");
    CHECK(o.url().scheme() == "http");
    CHECK(o.url().address().ip() == "127.0.0.1");
    CHECK(o.url().path() == "/slave(1)");
    bool agent_known = false;
    for (auto& a : agents)
      agent_known |= a.id == o.agent_id().value() && a.port == o.url().address().port();
    CHECK(agent_known);
    std::map<std::string, mesos::v1::Resource> by_name;
    for (auto& r : o.resources()) {
      by_name[r.name()] = r;
      CHECK(r.allocation_info().role() == "web");
      CHECK(r.reservations_size() == 0);
    }
    CHECK(by_name["cpus"].scalar().value() == doctest::Approx(4));
    CHECK(by_name["mem"].scalar().value() == doctest::Approx(7168));
    CHECK(by_name["disk"].scalar().value() == doctest::Approx(10240));
    REQUIRE(by_name["ports"].type() == mesos::v1::Value::RANGES);
    REQUIRE(by_name["ports"].ranges().range_size() == 1);
    CHECK(by_name["ports"].ranges().range(0).begin() == 31000);
    CHECK(by_name["ports"].ranges().range(0).end() == 32000);
  }
  CHECK(sim.offers(s.fid).size() == 2);
}

TEST_CASE("DECLINE with refuse_seconds keeps the agent away until the filter expires; REVIVE clears it") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto e = s.sub.next(Event::OFFERS);
  REQUIRE(e);
  auto offer = e->offers().offers(0);
  Call decline;
  decline.set_type(Call::DECLINE);
  *decline.mutable_decline()->add_offer_ids() = offer.id();
  decline.mutable_decline()->mutable_filters()->set_refuse_seconds(0.8);
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(s.send(decline).status == 202);
  CHECK(sim.wait_for([&] { return sim.offers(s.fid).empty(); }, 2s));
  // Not re-offered within 0.5 s (allocation runs every 100 ms)...
  CHECK(!s.sub.next(Event::OFFERS, 500ms));
  // ...but after the filter expires.
  auto again = s.sub.next(Event::OFFERS, 3s);
  REQUIRE(again);
  CHECK(std::chrono::steady_clock::now() - t0 >= 700ms);
  CHECK(again->offers().offers(0).id().value() != offer.id().value());

  // Decline for a long time, then REVIVE brings the offer back at once.
  decline.mutable_decline()->clear_offer_ids();
  *decline.mutable_decline()->add_offer_ids() = again->offers().offers(0).id();
  decline.mutable_decline()->mutable_filters()->set_refuse_seconds(3600);
  REQUIRE(s.send(decline).status == 202);
  CHECK(!s.sub.next(Event::OFFERS, 400ms));
  REQUIRE(s.send(call_of(Call::REVIVE, s.fid)).status == 202);
  CHECK(s.sub.next(Event::OFFERS, 2s));
}

TEST_CASE("SUPPRESS stops offers for the role; REVIVE of that role resumes them") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call("sup", {}, {"a"}));
  auto e = s.sub.next(Event::OFFERS);
  REQUIRE(e);
  Call sup = call_of(Call::SUPPRESS, s.fid);
  sup.mutable_suppress()->add_roles("a");
  REQUIRE(s.send(sup).status == 202);
  auto fw = sim.framework(s.fid);
  REQUIRE(fw);
  CHECK(fw->suppressed_roles == std::vector<std::string>{"a"});
  Call decline = call_of(Call::DECLINE, s.fid);
  *decline.mutable_decline()->add_offer_ids() = e->offers().offers(0).id();
  decline.mutable_decline()->mutable_filters()->set_refuse_seconds(0);
  REQUIRE(s.send(decline).status == 202);
  CHECK(!s.sub.next(Event::OFFERS, 500ms));
  Call rev = call_of(Call::REVIVE, s.fid);
  rev.mutable_revive()->add_roles("a");
  REQUIRE(s.send(rev).status == 202);
  CHECK(s.sub.next(Event::OFFERS, 2s));
  CHECK(sim.framework(s.fid).value().suppressed_roles.empty());
}

TEST_CASE("rescind_offers sends RESCIND with the offer id") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto e = s.sub.next(Event::OFFERS);
  REQUIRE(e);
  sim.faults().rescind_offers(s.fid);
  auto r = s.sub.next(Event::RESCIND);
  REQUIRE(r);
  CHECK(r->rescind().offer_id().value() == e->offers().offers(0).id().value());
  CHECK(sim.wait_for([&] {
    for (auto& o : sim.offers(s.fid))
      if (o.id().value() == e->offers().offers(0).id().value())
        return false;
    return true;
  }, 2s));
}

TEST_CASE("UPDATE_FRAMEWORK answers 200, or 400 for changes Mesos refuses") {
  cluster sim(fast_options());
  sim.start();
  auto sub = subscribe_call("upd", {}, {"a", "b"});
  session s(sim.master_urls()[0], sub);
  REQUIRE(!s.fid.empty());
  Call u = call_of(Call::UPDATE_FRAMEWORK, s.fid);
  auto* info = u.mutable_update_framework()->mutable_framework_info();
  *info = sub.subscribe().framework_info();
  info->mutable_id()->set_value(s.fid);
  info->set_name("renamed");
  u.mutable_update_framework()->add_suppressed_roles("b");
  auto ok = s.send(u);
  CHECK(ok.status == 200);
  auto fw = sim.framework(s.fid);
  REQUIRE(fw);
  CHECK(fw->info.name() == "renamed");
  CHECK(fw->suppressed_roles == std::vector<std::string>{"b"});

  auto bad_user = u;
  bad_user.mutable_update_framework()->mutable_framework_info()->set_user("root");
  CHECK(s.send(bad_user).status == 400);
  auto bad_cp = u;
  bad_cp.mutable_update_framework()->mutable_framework_info()->set_checkpoint(true);
  CHECK(s.send(bad_cp).status == 400);
  auto bad_principal = u;
  bad_principal.mutable_update_framework()->mutable_framework_info()->set_principal("p");
  CHECK(s.send(bad_principal).status == 400);
  auto bad_sup = u;
  bad_sup.mutable_update_framework()->add_suppressed_roles("zzz");
  CHECK(s.send(bad_sup).status == 400);
  auto other_id = u;
  other_id.mutable_update_framework()->mutable_framework_info()->mutable_id()->set_value("x");
  CHECK(s.send(other_id).status == 400);
}

TEST_CASE("REQUEST, inverse-offer calls and operation calls are accepted") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  Call req = call_of(Call::REQUEST, s.fid);
  req.mutable_request()->add_requests();
  CHECK(s.send(req).status == 202);
  Call aio = call_of(Call::ACCEPT_INVERSE_OFFERS, s.fid);
  aio.mutable_accept_inverse_offers()->add_inverse_offer_ids()->set_value("io");
  CHECK(s.send(aio).status == 202);
  Call dio = call_of(Call::DECLINE_INVERSE_OFFERS, s.fid);
  dio.mutable_decline_inverse_offers()->add_inverse_offer_ids()->set_value("io");
  CHECK(s.send(dio).status == 202);
  Call aos = call_of(Call::ACKNOWLEDGE_OPERATION_STATUS, s.fid);
  aos.mutable_acknowledge_operation_status()->mutable_agent_id()->set_value(sim.agents()[0].id);
  aos.mutable_acknowledge_operation_status()->mutable_operation_id()->set_value("op");
  aos.mutable_acknowledge_operation_status()->set_uuid(std::string("\x01\x02\x03\x04\x05\x06\x47\x08\x89\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16));
  CHECK(s.send(aos).status == 202);
  aos.mutable_acknowledge_operation_status()->set_uuid("short");
  CHECK(s.send(aos).status == 400);

  Call ro = call_of(Call::RECONCILE_OPERATIONS, s.fid);
  auto* op = ro.mutable_reconcile_operations()->add_operations();
  op->mutable_operation_id()->set_value("op-1");
  op->mutable_agent_id()->set_value(sim.agents()[0].id);
  CHECK(s.send(ro).status == 202);
  auto e = s.sub.next(Event::UPDATE_OPERATION_STATUS);
  REQUIRE(e);
  CHECK(e->update_operation_status().status().operation_id().value() == "op-1");
  CHECK(e->update_operation_status().status().state() == mesos::v1::OPERATION_UNKNOWN);
  CHECK(!e->update_operation_status().status().has_uuid());
  // 406 applies to RECONCILE_OPERATIONS as well.
  ro.mutable_framework_id()->set_value(s.fid);
  auto r = post_raw(s.url, mesos_actor::encode(ro, content_type::json),
                    {{"Content-Type", "application/json"}, {"Accept", "text/plain"},
                     {"Mesos-Stream-Id", s.sid}});
  CHECK(r.status == 406);
}
