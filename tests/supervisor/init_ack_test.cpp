// Workers that acknowledge their init (child_spec::init_ack, OTP proc_lib:init_ack):
// start_child returns init's error, keeps no spec and restarts nothing; a restart
// whose init fails is a failed restart; a mute child is bounded by start_timeout.

#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;
using namespace std::chrono_literals;

namespace {

/// How an acking worker's init ends, each time it is asked.
struct init_script {
  std::mutex mtx;
  int inits = 0;
  int failures_left = 0; ///< the next inits that fail
};

// Runs "init" when the supervisor asks, then either answers with the failure (and
// exits with it) or becomes an ordinary test worker.
caf::behavior acking_worker(caf::stateful_actor<worker_state>* self,
                            std::shared_ptr<recorder> rec, std::string name,
                            std::shared_ptr<init_script> script) {
  self->state.rec = rec;
  self->state.name = name;
  self->set_default_handler(caf::skip); // nothing but the init request before init
  return {[=](init_atom) -> caf::result<caf::ok_atom> {
    bool fail = false;
    {
      std::lock_guard<std::mutex> guard{script->mtx};
      ++script->inits;
      if (script->failures_left > 0) {
        --script->failures_left;
        fail = true;
      }
    }
    if (fail) {
      rec->log("initfail:" + name);
      auto reason = caf::make_error(caf::sec::runtime_error, "init of " + name + " declined");
      self->quit(reason);
      return reason;
    }
    rec->log("init:" + name);
    self->become(caf::behavior{
      [=](quit_with_atom, caf::error& reason) { self->quit(std::move(reason)); },
      [=](ping_atom) { return ping_atom::value; },
    });
    return caf::ok_atom::value;
  }};
}

child_spec acking_spec(std::shared_ptr<recorder> rec, std::string id,
                       std::shared_ptr<init_script> script,
                       restart_type restart = restart_type::transient) {
  child_spec spec;
  spec.id = id;
  spec.restart = restart;
  spec.init_ack = true;
  spec.start = [rec, id, script](caf::actor_system& sys, const caf::message&) -> caf::expected<caf::actor> {
    rec->log("start:" + id);
    return sys.spawn(acking_worker, rec, id, script);
  };
  return spec;
}

// Never answers the init request (keeps it in its mailbox).
caf::behavior mute_worker(caf::stateful_actor<worker_state>* self, std::shared_ptr<recorder> rec) {
  self->state.rec = std::move(rec);
  self->state.name = "mute";
  self->set_default_handler(caf::skip);
  return {[](ping_atom) { return ping_atom::value; }};
}

std::shared_ptr<init_script> failing(int n) {
  auto s = std::make_shared<init_script>();
  s->failures_left = n;
  return s;
}

} // namespace

TEST_CASE_FIXTURE(fixture, "start_child of an init_ack worker returns init's error and restarts nothing") {
  auto sup = start(flags(), {});
  REQUIRE(sup);
  auto script = failing(1);
  auto res = start_child(sys, sup, acking_spec(rec, "w", script, restart_type::permanent), wait_bound);
  REQUIRE_FALSE(res);
  CHECK(is(res.error(), sup_error::start_failed));
  auto text = describe(res.error());
  CHECK(text.find("'w'") != std::string::npos);
  CHECK(text.find("init of w declined") != std::string::npos);
  REQUIRE(rec->wait_line("exit:w"));
  // No spec kept (OTP keeps none of a child that never started), nothing restarted.
  CHECK_FALSE(info(sup, "w"));
  CHECK(rec->count(event_kind::child_start_failed, "w") == 1);
  CHECK(rec->count(event_kind::child_started, "w") == 0);
  CHECK(rec->count(event_kind::child_restarted, "w") == 0);
  CHECK(rec->occurrences("start:w") == 1);
  {
    std::lock_guard<std::mutex> guard{script->mtx};
    CHECK(script->inits == 1);
  }

  // The same id starts once init succeeds; the answer comes after init ran.
  auto again = start_child(sys, sup, acking_spec(rec, "w", script), wait_bound);
  REQUIRE(again);
  CHECK(rec->occurrences("init:w") == 1);
  CHECK(child(sup, "w") == *again);
  caf::scoped_actor self{sys};
  bool pong = false;
  self->request(*again, wait_bound, ping_atom::value).receive([&](ping_atom) { pong = true; },
                                                              [&](caf::error&) {});
  CHECK(pong);
}

TEST_CASE_FIXTURE(fixture, "start_supervisor fails with the init error of an initial init_ack child") {
  auto res = start_supervisor(sys, flags(),
                              {worker_spec(rec, "a"), acking_spec(rec, "b", failing(1))}, wait_bound);
  REQUIRE_FALSE(res);
  CHECK(describe(res.error()).find("init of b declined") != std::string::npos);
  // The child started before it is stopped again.
  REQUIRE(rec->wait_line("exit:a"));
  REQUIRE(rec->wait_line("exit:b"));
}

TEST_CASE_FIXTURE(fixture, "a restart whose init fails is a failed restart: retried, counted, then given up") {
  auto script = std::make_shared<init_script>();
  auto f = flags(strategy::one_for_one, 3);
  auto sup = start(f, {acking_spec(rec, "w", script, restart_type::permanent)});
  REQUIRE(sup);
  auto first = child(sup, "w");
  REQUIRE(first);
  {
    std::lock_guard<std::mutex> guard{script->mtx};
    script->failures_left = 100; // every init from now on declines
  }
  make_exit(first, caf::make_error(caf::sec::runtime_error, "crash"));
  // 1 crash + 3 failed restarts exceed max_restarts = 3: the supervisor gives up.
  REQUIRE(rec->wait_event(event_kind::intensity_reached, "w"));
  CHECK(rec->count(event_kind::child_start_failed, "w") == 3);
  CHECK(rec->count(event_kind::child_restarted, "w") == 0);
  CHECK(rec->occurrences("initfail:w") == 3);
  CHECK(wait_down(sup).has_value());
}

TEST_CASE_FIXTURE(fixture, "an init_ack worker that never acknowledges is bounded by start_timeout and killed") {
  auto sup = start(flags(), {});
  REQUIRE(sup);
  child_spec spec;
  spec.id = "mute";
  spec.init_ack = true;
  spec.start_timeout = 100ms;
  spec.start = [this](caf::actor_system& s, const caf::message&) -> caf::expected<caf::actor> {
    return s.spawn(mute_worker, rec);
  };
  auto res = start_child(sys, sup, spec, wait_bound);
  REQUIRE_FALSE(res);
  auto text = describe(res.error());
  CHECK(text.find("'mute'") != std::string::npos);
  CHECK(text.find("request_timeout") != std::string::npos);
  REQUIRE(rec->wait_line("exit:mute"));
  CHECK_FALSE(info(sup, "mute"));
}
