#pragma once
// Shared by the TLS and authentication tests: a simulator + actor system (the
// scheduler tests' fixture), with every log line of the scheduler and of the
// simulator captured so tests can assert on them (and scan them for secrets).

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mesos_actor/log.hpp"
#include "support/scheduler_fixture.hpp"
#include "support/text.hpp"

namespace authtest {

using namespace std::chrono_literals;
using test::Call;

/// Lines from any thread, in arrival order.
class captured_lines {
public:
  void add(std::string line) {
    std::lock_guard<std::mutex> guard{mtx_};
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> all() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return lines_;
  }
  bool any_contains(const std::string& needle) const {
    for (auto& line : all())
      if (line.find(needle) != std::string::npos)
        return true;
    return false;
  }

private:
  mutable std::mutex mtx_;
  std::vector<std::string> lines_;
};

/// Fast simulator options whose log lines go to `sink`.
inline mesos_actor::sim::cluster_options cluster_logging_to(std::shared_ptr<captured_lines> sink) {
  auto o = test::fast_cluster();
  o.log = [sink](std::string_view line) { sink->add(std::string{line}); };
  return o;
}

/// Fast scheduler options for the fixture's masters, logging everything (debug
/// included) into `sink`.
inline mesos_actor::scheduler_options scheduler_logging_to(test::sim_fixture& f,
                                                           std::shared_ptr<captured_lines> sink) {
  auto o = f.options(mesos_actor::content_type::protobuf);
  o.logging.min_level = mesos_actor::log_level::debug;
  o.logging.sink = [sink](const mesos_actor::log_entry& e) {
    sink->add(mesos_actor::format_log_line(e));
  };
  return o;
}

/// Master requests answered with `status` (any call, decoded or not).
inline std::vector<mesos_actor::sim::request_record> answered(const mesos_actor::sim::cluster& sim,
                                                              int status) {
  std::vector<mesos_actor::sim::request_record> out;
  for (auto& r : sim.requests())
    if (r.server == mesos_actor::sim::server_kind::master && r.status == status)
      out.push_back(r);
  return out;
}

using testkit::contains;

} // namespace authtest
