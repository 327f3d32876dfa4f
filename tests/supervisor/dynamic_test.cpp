// simple_one_for_one: many children of one template spec, keyed by id and
// started at run time with arguments.

#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;

namespace {

// Template whose start function takes its worker name from the arguments.
child_spec named_template(std::shared_ptr<recorder> rec,
                          restart_type restart = restart_type::permanent) {
  child_spec spec;
  spec.id = "template";
  spec.restart = restart;
  spec.start = [rec](caf::actor_system& sys, const caf::message& args) -> caf::expected<caf::actor> {
    if (!args.match_elements<std::string>())
      return caf::make_error(caf::sec::invalid_argument, std::string{"want one string"});
    return worker_start(rec, args.get_as<std::string>(0))(sys, args);
  };
  return spec;
}

} // namespace

TEST_CASE_FIXTURE(fixture, "simple_one_for_one starts children by id with their arguments") {
  auto sup = start(flags(strategy::simple_one_for_one), {named_template(rec)});
  REQUIRE(sup);
  CHECK(rec->lines().empty()); // the template is not a child
  auto x = start_child(sys, sup, "x", caf::make_message(std::string{"xname"}), wait_bound);
  REQUIRE(x);
  auto y = start_child(sys, sup, "y", caf::make_message(std::string{"yname"}), wait_bound);
  REQUIRE(y);
  CHECK(joined(rec->lines()) == "start:xname, start:yname");
  auto again = start_child(sys, sup, "x", caf::make_message(std::string{"other"}), wait_bound);
  REQUIRE_FALSE(again);
  CHECK(is(again.error(), sup_error::already_started));
  CHECK(running_child(again.error()) == *x);
  auto bad = start_child(sys, sup, "z", caf::make_message(42), wait_bound);
  REQUIRE_FALSE(bad);
  CHECK(describe(bad.error()).find("want one string") != std::string::npos);
  auto empty_id = start_child(sys, sup, "", caf::make_message(std::string{"e"}), wait_bound);
  REQUIRE_FALSE(empty_id);
  CHECK(is(empty_id.error(), sup_error::invalid_child_id));
  auto kids = which_children(sys, sup, wait_bound);
  REQUIRE(kids);
  REQUIRE(kids->size() == 2);
  CHECK((*kids)[0].id == "x");
  CHECK((*kids)[1].id == "y");
}

TEST_CASE_FIXTURE(fixture, "simple_one_for_one restarts a crashed child with the same arguments") {
  auto sup = start(flags(strategy::simple_one_for_one), {named_template(rec)});
  REQUIRE(sup);
  auto x = start_child(sys, sup, "x", caf::make_message(std::string{"xname"}), wait_bound);
  REQUIRE(x);
  auto y = start_child(sys, sup, "y", caf::make_message(std::string{"yname"}), wait_bound);
  REQUIRE(y);
  make_exit(*x, crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "x"));
  CHECK(rec->occurrences("start:xname") == 2);
  CHECK(child(sup, "y") == *y); // one_for_one semantics
}

TEST_CASE_FIXTURE(fixture, "simple_one_for_one: terminate_child removes the child; restart/delete are refused") {
  auto sup = start(flags(strategy::simple_one_for_one), {named_template(rec)});
  REQUIRE(sup);
  REQUIRE(start_child(sys, sup, "x", caf::make_message(std::string{"xname"}), wait_bound));
  auto r = restart_child(sys, sup, "x", wait_bound);
  REQUIRE_FALSE(r);
  CHECK(is(r.error(), sup_error::simple_one_for_one));
  CHECK(is(delete_child(sys, sup, "x", wait_bound), sup_error::simple_one_for_one));
  auto s = start_child(sys, sup, worker_spec(rec, "static"), wait_bound);
  REQUIRE_FALSE(s);
  CHECK(is(s.error(), sup_error::simple_one_for_one));
  CHECK_FALSE(terminate_child(sys, sup, "x", wait_bound));
  CHECK(rec->occurrences("exit:xname") == 1);
  auto counts = count_children(sys, sup, wait_bound);
  REQUIRE(counts);
  CHECK(counts->specs == 0);
  // The id is free again.
  CHECK(start_child(sys, sup, "x", caf::make_message(std::string{"xname"}), wait_bound));
}

TEST_CASE_FIXTURE(fixture, "start_child with arguments needs a simple_one_for_one supervisor") {
  auto sup = start(flags(), {});
  REQUIRE(sup);
  auto res = start_child(sys, sup, "x", caf::make_message(std::string{"x"}), wait_bound);
  REQUIRE_FALSE(res);
  CHECK(is(res.error(), sup_error::not_simple_one_for_one));
}

TEST_CASE_FIXTURE(fixture, "simple_one_for_one with transient children: a normal exit removes nothing and restarts nothing") {
  auto sup = start(flags(strategy::simple_one_for_one), {named_template(rec, restart_type::transient)});
  REQUIRE(sup);
  auto x = start_child(sys, sup, "x", caf::make_message(std::string{"xname"}), wait_bound);
  REQUIRE(x);
  make_exit(*x, {});
  REQUIRE(rec->wait_event(event_kind::child_exited, "x"));
  auto xi = info(sup, "x");
  REQUIRE(xi);
  CHECK(xi->status == child_status::stopped);
  auto again = start_child(sys, sup, "x", caf::make_message(std::string{"xname"}), wait_bound);
  REQUIRE_FALSE(again);
  CHECK(is(again.error(), sup_error::already_present));
  CHECK_FALSE(terminate_child(sys, sup, "x", wait_bound)); // and now it is gone
  CHECK(start_child(sys, sup, "x", caf::make_message(std::string{"xname"}), wait_bound));
}

TEST_CASE_FIXTURE(fixture, "simple_one_for_one children stop in reverse start order") {
  auto sup = start(flags(strategy::simple_one_for_one), {named_template(rec)});
  REQUIRE(sup);
  for (auto name : {"1", "2", "3"})
    REQUIRE(start_child(sys, sup, name, caf::make_message(std::string{name}), wait_bound));
  auto mark = rec->lines().size();
  CHECK(stop_supervisor(sys, sup, wait_bound) == caf::exit_reason::user_shutdown);
  CHECK(joined(rec->lines_since(mark)) == "exit:3, exit:2, exit:1");
}
