// The init handshake of supervisor children: a stuck one is bounded by its
// start_timeout, and a parent killed meanwhile takes it along.

#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;
using namespace std::chrono_literals;

namespace {

// Claims to be a supervisor but never answers the init request.
caf::behavior mute_supervisor(caf::event_based_actor* self, int) {
  self->set_default_handler(caf::skip);
  return {[](ping_atom) {}};
}

child_spec mute_spec(std::shared_ptr<recorder> rec, std::string id,
                     std::chrono::milliseconds start_timeout) {
  child_spec spec;
  spec.id = id;
  spec.kind = child_kind::supervisor;
  spec.start_timeout = start_timeout;
  spec.start = [rec, id](caf::actor_system& sys, const caf::message&) -> caf::expected<caf::actor> {
    rec->log("start:" + id);
    auto a = sys.spawn(mute_supervisor, 0);
    a->attach_functor([rec, id](const caf::error&) { rec->log("exit:" + id); });
    return a;
  };
  return spec;
}

} // namespace

TEST_CASE_FIXTURE(fixture, "a supervisor child that does not finish its init within start_timeout fails to start and is killed") {
  auto res = start_supervisor(sys, flags(), {worker_spec(rec, "a"), mute_spec(rec, "mute", 100ms)},
                              wait_bound);
  REQUIRE_FALSE(res);
  auto text = describe(res.error());
  CHECK(text.find("'mute'") != std::string::npos);
  CHECK(text.find("request_timeout") != std::string::npos);
  REQUIRE(rec->wait_line("exit:mute"));
  REQUIRE(rec->wait_line("exit:a"));
}

TEST_CASE_FIXTURE(fixture, "a supervisor killed while waiting for a child's init takes that child along") {
  auto sub = supervisor_child_spec("sub", flags(), {worker_spec(rec, "s1"), mute_spec(rec, "mute", 60s)});
  auto res = start_supervisor(sys, flags(), {worker_spec(rec, "a"), sub}, 300ms);
  REQUIRE_FALSE(res);
  CHECK(res.error() == caf::sec::request_timeout);
  // start_supervisor killed the root; root kills sub (in its handshake), sub kills mute and s1.
  REQUIRE(rec->wait_line("exit:mute"));
  REQUIRE(rec->wait_line("exit:s1"));
  REQUIRE(rec->wait_line("exit:a"));
}
