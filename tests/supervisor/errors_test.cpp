#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;

TEST_CASE("sup_error: every code has a name and converts to a caf::error of its category") {
  for (int i = 1; i <= static_cast<int>(sup_error::reached_max_restart_intensity); ++i) {
    auto code = static_cast<sup_error>(i);
    CHECK(to_string(code) != "unknown_supervisor_error");
    caf::error err = make_error(code);
    CHECK(err.category() == sup_error_category);
    CHECK(err.code() == i);
    CHECK(is(err, code));
  }
  caf::error implicit = sup_error::not_found; // has_make_error: enum converts implicitly
  CHECK(is(implicit, sup_error::not_found));
}

TEST_CASE("describe renders nested reasons readably") {
  auto inner = caf::make_error(caf::sec::runtime_error, std::string{"boom"});
  auto err = make_error(sup_error::start_failed, std::string{"db"}, inner);
  auto text = describe(err);
  CHECK(text.find("supervisor: start_failed") == 0);
  CHECK(text.find("'db'") != std::string::npos);
  CHECK(text.find("runtime_error") != std::string::npos);
  CHECK(text.find("boom") != std::string::npos);
  CHECK(describe(caf::error{}) == "normal");
  CHECK(describe(caf::make_error(caf::exit_reason::user_shutdown)) == "exit: user_shutdown");
}

TEST_CASE_FIXTURE(test_kit::fixture, "add_error_category makes actor_system::render use describe") {
  auto err = make_error(sup_error::reached_max_restart_intensity, std::string{"root"});
  auto text = sys.render(err);
  CHECK(text.find("reached_max_restart_intensity") != std::string::npos);
  CHECK(text.find("'root'") != std::string::npos);
}

TEST_CASE("running_child extracts the actor of already_started only") {
  CHECK_FALSE(running_child(make_error(sup_error::not_found)));
  CHECK_FALSE(running_child(caf::error{}));
}

TEST_CASE("exit_reason::normal converted to an error is empty, so it counts as a normal exit") {
  caf::error normal = caf::make_error(caf::exit_reason::normal);
  CHECK_FALSE(normal);
}
