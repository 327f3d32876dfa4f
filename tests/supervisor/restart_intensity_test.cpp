#include <doctest/doctest.h>

#include "supervisor/flags.hpp"
#include "supervisor/restart_intensity.hpp"

using supervisor::restart_intensity;
using namespace std::chrono_literals;

namespace {

// A clock the test moves by hand.
struct fake_clock {
  restart_intensity::clock::time_point now{};
  restart_intensity::now_function fn() {
    return [this] { return now; };
  }
};

} // namespace

TEST_CASE("restart_intensity: max_restarts restarts within the period are allowed, one more is not") {
  fake_clock clk;
  restart_intensity ri{3, 5000ms, clk.fn()};
  CHECK(ri.add_restart());
  clk.now += 1s;
  CHECK(ri.add_restart());
  clk.now += 1s;
  CHECK(ri.add_restart());
  CHECK(ri.restarts_in_window() == 3);
  clk.now += 1s;
  CHECK_FALSE(ri.add_restart());
}

TEST_CASE("restart_intensity: restarts older than the period drop out of the window") {
  fake_clock clk;
  restart_intensity ri{1, 5000ms, clk.fn()};
  CHECK(ri.add_restart());
  clk.now += 5001ms;
  CHECK(ri.add_restart()); // the first one is out of the window
  CHECK(ri.restarts_in_window() == 1);
  clk.now += 4999ms;
  CHECK_FALSE(ri.add_restart()); // two within 5 s
}

TEST_CASE("restart_intensity: a restart exactly `period` old still counts (OTP: >= now - period)") {
  fake_clock clk;
  restart_intensity ri{1, 5000ms, clk.fn()};
  CHECK(ri.add_restart());
  clk.now += 5000ms;
  CHECK_FALSE(ri.add_restart());
}

TEST_CASE("restart_intensity: max_restarts 0 gives up on the first restart") {
  fake_clock clk;
  restart_intensity ri{0, 5000ms, clk.fn()};
  CHECK_FALSE(ri.add_restart());
}

TEST_CASE("restart_intensity: OTP defaults allow one restart in 5 s") {
  supervisor::sup_flags defaults;
  fake_clock clk;
  restart_intensity ri{defaults.max_restarts, defaults.period, clk.fn()};
  CHECK(defaults.max_restarts == 1);
  CHECK(defaults.period == 5000ms);
  CHECK(ri.add_restart());
  CHECK_FALSE(ri.add_restart());
}

TEST_CASE("restart_intensity: the real steady clock is used by default") {
  restart_intensity ri{2, 60000ms};
  CHECK(ri.add_restart());
  CHECK(ri.add_restart());
  CHECK_FALSE(ri.add_restart());
}
