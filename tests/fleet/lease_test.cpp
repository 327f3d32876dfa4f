// The fencing clock (src/fleet/lease.cpp): valid for T/2 after the send time of the
// newest answered request.
#include <doctest/doctest.h>

#include "fleet/lease.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/fleet.hpp"

using namespace std::chrono_literals;
using mesos_actor::fleet::lease;

TEST_CASE("the lease is invalid until renewed, valid for T/2, and revocable") {
  lease l{2000ms};
  auto t0 = lease::clock::now();
  CHECK_FALSE(l.valid(t0));
  l.renewed(t0);
  CHECK(l.valid(t0 + 999ms));
  CHECK_FALSE(l.valid(t0 + 1000ms));
  // An older answer arriving late does not shorten it.
  l.renewed(t0 - 500ms);
  CHECK(l.valid(t0 + 999ms));
  l.renewed(t0 + 600ms);
  CHECK(l.valid(t0 + 1500ms));
  l.revoke();
  CHECK_FALSE(l.valid(t0 + 601ms));
}

TEST_CASE("the negotiated session timeout replaces the requested one in the lease") {
  lease l{2000ms};
  CHECK(l.session_timeout() == 2000ms);
  CHECK(l.requested() == 2000ms);
  auto t0 = lease::clock::now();
  l.renewed(t0);
  // A server whose maxSessionTimeout is 1 s: the session lives 1 s, so fence at 500 ms.
  CHECK(l.negotiated(1000ms));
  CHECK(l.session_timeout() == 1000ms);
  CHECK(l.validity() == 500ms);
  CHECK(l.requested() == 2000ms);
  CHECK(l.valid(t0 + 499ms));
  CHECK_FALSE(l.valid(t0 + 500ms));
  // The same answer again is no change; nonsense is ignored.
  CHECK_FALSE(l.negotiated(1000ms));
  CHECK_FALSE(l.negotiated(0ms));
  CHECK_FALSE(l.negotiated(-5ms));
  CHECK(l.session_timeout() == 1000ms);
  // A server whose minimum is above the request lengthens it.
  CHECK(l.negotiated(4000ms));
  CHECK(l.valid(t0 + 1999ms));
  CHECK_FALSE(l.valid(t0 + 2000ms));
}

TEST_CASE("fleet options are validated with the field at fault") {
  mesos_actor::fleet_options o;
  CHECK_FALSE(validate(o)); // disabled
  o.zookeeper = "zk://127.0.0.1:2181/x";
  o.path = "/mesos-actor/fleet";
  o.host_name = "a";
  CHECK_FALSE(validate(o));
  auto bad = [](mesos_actor::fleet_options x) {
    auto err = validate(x);
    REQUIRE(err);
    CHECK(mesos_actor::error_code(err) == mesos_actor::errc::bad_option);
    return mesos_actor::describe(err);
  };
  auto p = o;
  p.path = "relative";
  CHECK(bad(p).find("path") != std::string::npos);
  p.path = "/a//b";
  CHECK(bad(p).find("path") != std::string::npos);
  auto h = o;
  h.host_name = "a b";
  CHECK(bad(h).find("host_name") != std::string::npos);
  auto c = o;
  c.capacity = 0;
  CHECK(bad(c).find("capacity") != std::string::npos);
  auto t = o;
  t.session_timeout = 100ms;
  CHECK(bad(t).find("session_timeout") != std::string::npos);
  auto u = o;
  u.zookeeper = "zk://user:s3cret@127.0.0.1/x";
  CHECK(bad(u).find("s3cret") == std::string::npos);
}
