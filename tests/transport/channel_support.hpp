#pragma once
// What the call channel's tests share: an actor system, a channel configuration for a
// loopback peer, bounded peer reads, a 202 answer, and the outcomes an owner receives.

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/scoped_actor.hpp>

#include "transport/call_channel.hpp"

namespace transport_test {

struct system_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
};

inline mesos_actor::transport::call_channel_config config_for(std::uint16_t port,
                                                              std::size_t pipelined) {
  using namespace std::chrono_literals;
  mesos_actor::transport::call_channel_config cfg;
  cfg.http.target.host = "127.0.0.1";
  cfg.http.target.port = port;
  cfg.http.target.path = "/api/v1/scheduler";
  cfg.http.encoding = mesos_actor::content_type::json;
  cfg.http.read_timeout = 10000ms;
  cfg.max_pipelined = pipelined;
  return cfg;
}

// A peer never waits on the client unbounded: a read gives up after 5 s.
inline void bound_reads(int fd) {
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

inline const char* accepted = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";

// The next `n` outcomes, alone or in bursts (fewer when none comes for 10 s).
inline std::vector<mesos_actor::transport::call_result> results(caf::scoped_actor& self,
                                                               std::size_t n) {
  using namespace mesos_actor::transport;
  std::vector<call_result> out;
  while (out.size() < n) {
    bool got = false;
    self->receive([&](call_result& r) { out.push_back(std::move(r)), got = true; },
                  [&](call_results& rs) {
                    for (auto& r : rs)
                      out.push_back(std::move(r));
                    got = true;
                  },
                  caf::after(std::chrono::seconds(10)) >> [] {});
    if (!got)
      break;
  }
  return out;
}

} // namespace transport_test
