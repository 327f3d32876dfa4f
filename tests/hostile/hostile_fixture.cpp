#include "hostile/hostile_fixture.hpp"

namespace hostile {

namespace {

void finish(peer_connection& c, then ending) {
  switch (ending) {
    case then::hold:
      c.wait_closed(30s); // until the client gives up (or the peer stops)
      return;
    case then::fin:
      c.fin();
      c.wait_closed(30s);
      return;
    case then::rst:
      c.rst();
      return;
  }
}

} // namespace

script master(content_type ct, std::string after, then ending, double heartbeat_seconds) {
  return [=](peer_connection& c) {
    while (auto r = c.read_request()) {
      if (scheduler_call(*r) != mesos::v1::scheduler::Call::SUBSCRIBE) {
        if (!c.write(call_answer()))
          return;
        continue;
      }
      c.write(stream_head(ct) + chunk(record(subscribed(heartbeat_seconds), ct)) + after);
      finish(c, ending);
      return;
    }
  };
}

script answer_with(std::string bytes, then ending) {
  return [=](peer_connection& c) {
    if (!c.read_request())
      return;
    c.write(bytes);
    finish(c, ending);
  };
}

std::map<std::string, std::string> agent_environment(const scripted_peer& peer) {
  return {
    {"MESOS_FRAMEWORK_ID", "fw-hostile"},
    {"MESOS_EXECUTOR_ID", "exec-hostile"},
    {"MESOS_SLAVE_ID", "agent-hostile"},
    {"MESOS_SLAVE_PID", "slave(1)@" + peer.address()},
    {"MESOS_AGENT_ENDPOINT", peer.address()},
    {"MESOS_DIRECTORY", "/tmp"},
    {"MESOS_CHECKPOINT", "1"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "100ms"},
    {"MESOS_RECOVERY_TIMEOUT", "1500ms"},
    {"MESOS_SUBSCRIPTION_BACKOFF_MAX", "100ms"},
  };
}

std::vector<std::chrono::milliseconds> gaps(const std::vector<steady::time_point>& ts) {
  std::vector<std::chrono::milliseconds> out;
  for (std::size_t i = 1; i < ts.size(); ++i)
    out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(ts[i] - ts[i - 1]));
  return out;
}

} // namespace hostile
