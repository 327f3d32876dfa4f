#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace std::chrono_literals;

namespace {

child_spec valid_spec(std::string id) {
  child_spec spec;
  spec.id = std::move(id);
  spec.start = [](caf::actor_system&, const caf::message&) -> caf::expected<caf::actor> {
    return caf::make_error(caf::sec::runtime_error);
  };
  return spec;
}

} // namespace

TEST_CASE("check_flags: defaults are valid; bad intensity, period or strategy are named") {
  sup_flags f;
  CHECK_FALSE(check_flags(f));
  f.max_restarts = -1;
  CHECK(is(check_flags(f), sup_error::invalid_intensity));
  f.max_restarts = 0;
  CHECK_FALSE(check_flags(f));
  f.period = 0ms;
  CHECK(is(check_flags(f), sup_error::invalid_period));
  f.period = -5ms;
  CHECK(is(check_flags(f), sup_error::invalid_period));
  f.period = 1ms;
  f.strategy = static_cast<strategy>(42);
  CHECK(is(check_flags(f), sup_error::invalid_strategy));
}

TEST_CASE("check_child_spec: every field is checked") {
  CHECK_FALSE(check_child_spec(valid_spec("a")));
  auto s = valid_spec("");
  CHECK(is(check_child_spec(s), sup_error::invalid_child_id));
  s = valid_spec("a");
  s.start = nullptr;
  CHECK(is(check_child_spec(s), sup_error::missing_start_function));
  s = valid_spec("a");
  s.restart = static_cast<restart_type>(9);
  CHECK(is(check_child_spec(s), sup_error::invalid_restart_type));
  s = valid_spec("a");
  s.kind = static_cast<child_kind>(9);
  CHECK(is(check_child_spec(s), sup_error::invalid_child_kind));
  s = valid_spec("a");
  s.shutdown = shutdown_after(-1ms);
  CHECK(is(check_child_spec(s), sup_error::invalid_shutdown));
  s.shutdown = shutdown_spec{static_cast<shutdown_mode>(7), 0ms};
  CHECK(is(check_child_spec(s), sup_error::invalid_shutdown));
  s.shutdown = shutdown_after(0ms); // zero grace: stop request then kill at once
  CHECK_FALSE(check_child_spec(s));
  s.start_timeout = 0ms;
  CHECK(is(check_child_spec(s), sup_error::invalid_start_timeout));
}

TEST_CASE("check_child_specs: duplicate ids and simple_one_for_one template count") {
  sup_flags f;
  CHECK_FALSE(check_child_specs(f, {}));
  CHECK_FALSE(check_child_specs(f, {valid_spec("a"), valid_spec("b")}));
  auto err = check_child_specs(f, {valid_spec("a"), valid_spec("b"), valid_spec("a")});
  REQUIRE(is(err, sup_error::duplicate_child_id));
  CHECK(describe(err).find("'a'") != std::string::npos);
  CHECK(is(check_child_specs(f, {valid_spec("a"), valid_spec("")}), sup_error::invalid_child_id));
  f.strategy = strategy::simple_one_for_one;
  CHECK(is(check_child_specs(f, {}), sup_error::invalid_simple_one_for_one));
  CHECK(is(check_child_specs(f, {valid_spec("t"), valid_spec("u")}),
           sup_error::invalid_simple_one_for_one));
  CHECK_FALSE(check_child_specs(f, {valid_spec("t")}));
}

TEST_CASE("effective_shutdown: OTP defaults per kind, explicit value wins") {
  auto s = valid_spec("a");
  CHECK(effective_shutdown(s).mode == shutdown_mode::timeout);
  CHECK(effective_shutdown(s).timeout == 5000ms);
  s.kind = child_kind::supervisor;
  CHECK(effective_shutdown(s).mode == shutdown_mode::infinity);
  s.shutdown = brutal_kill();
  CHECK(effective_shutdown(s).mode == shutdown_mode::brutal_kill);
}

TEST_CASE_FIXTURE(test_kit::fixture, "start_supervisor rejects invalid flags and specs before spawning") {
  auto f = flags();
  f.max_restarts = -3;
  auto res = start_supervisor(sys, f, {});
  REQUIRE_FALSE(res);
  CHECK(is(res.error(), sup_error::invalid_intensity));
  res = start_supervisor(sys, flags(),
                         {test_kit::worker_spec(rec, "a"), test_kit::worker_spec(rec, "a")});
  REQUIRE_FALSE(res);
  CHECK(is(res.error(), sup_error::duplicate_child_id));
  CHECK(rec->lines().empty()); // nothing was started
}
