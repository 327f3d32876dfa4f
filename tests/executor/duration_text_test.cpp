#include <doctest/doctest.h>

#include <chrono>

#include "mesos_actor/executor/duration_text.hpp"

using namespace std::chrono;
using mesos_actor::format_duration_text;
using mesos_actor::parse_duration_text;

TEST_CASE("duration text: every stout unit parses") {
  CHECK(parse_duration_text("7ns") == nanoseconds{7});
  CHECK(parse_duration_text("3us") == microseconds{3});
  CHECK(parse_duration_text("250ms") == milliseconds{250});
  CHECK(parse_duration_text("2secs") == seconds{2});
  CHECK(parse_duration_text("15mins") == minutes{15});
  CHECK(parse_duration_text("4hrs") == hours{4});
  CHECK(parse_duration_text("2days") == hours{48});
  CHECK(parse_duration_text("1weeks") == hours{24 * 7});
  CHECK(parse_duration_text("0secs") == nanoseconds{0});
}

TEST_CASE("duration text: decimals are exact to the nanosecond") {
  CHECK(parse_duration_text("1.5secs") == milliseconds{1500});
  CHECK(parse_duration_text("0.29secs") == milliseconds{290});
  CHECK(parse_duration_text(".5mins") == seconds{30});
  CHECK(parse_duration_text("2.secs") == seconds{2});
  CHECK(parse_duration_text("0.001ms") == nanoseconds{1000});
}

TEST_CASE("duration text: malformed input is rejected") {
  for (const char* bad : {"", "secs", "15", "15 mins", "15minutes", "15m", "15s", "-1secs",
                          "+1secs", "1..5secs", "1.2.3secs", ".secs", "1e3ms", "15MINS",
                          "15mins ", " 15mins", "0x10ms", "1secs2"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_duration_text(bad).has_value());
  }
}

TEST_CASE("duration text: values beyond int64 nanoseconds are rejected") {
  CHECK_FALSE(parse_duration_text("100000weeks").has_value());
  CHECK_FALSE(parse_duration_text("99999999999999999999999999secs").has_value());
  CHECK(parse_duration_text("15000weeks").has_value());
}

TEST_CASE("duration text: formatting picks the largest unit like the agent") {
  CHECK(format_duration_text(minutes{15}) == "15mins");
  CHECK(format_duration_text(seconds{2}) == "2secs");
  CHECK(format_duration_text(milliseconds{1500}) == "1.5secs");
  CHECK(format_duration_text(milliseconds{250}) == "250ms");
  CHECK(format_duration_text(seconds{90}) == "1.5mins");
  CHECK(format_duration_text(hours{48}) == "2days");
  CHECK(format_duration_text(hours{24 * 14}) == "2weeks");
  CHECK(format_duration_text(nanoseconds{0}) == "0ns");
  CHECK(format_duration_text(nanoseconds{12}) == "12ns");
  CHECK(format_duration_text(microseconds{5}) == "5us");
  CHECK(format_duration_text(seconds{-3}) == "-3secs");
}

TEST_CASE("duration text: format then parse gives the same duration") {
  for (nanoseconds d : {nanoseconds{minutes{15}}, nanoseconds{milliseconds{2500}},
                        nanoseconds{microseconds{1}}, nanoseconds{hours{36}},
                        nanoseconds{123456789}}) {
    CAPTURE(d.count());
    CHECK(parse_duration_text(format_duration_text(d)) == d);
  }
}
