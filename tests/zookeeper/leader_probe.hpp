#pragma once
// A subscriber for detector tests: a scoped actor that collects master_leader
// messages, and bounded waits for the one a test expects.

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "mesos_actor/detector/detector.hpp"
#include "mesos_actor/errors.hpp"

namespace zk_test {

struct test_system_config : caf::actor_system_config {
  test_system_config() { mesos_actor::add_error_category(*this); }
};

/// Log lines of a detector, kept for assertions.
struct captured_log {
  std::mutex mtx;
  std::vector<std::string> lines;
  mesos_actor::logging_options hook() {
    mesos_actor::logging_options o;
    o.min_level = mesos_actor::log_level::debug;
    o.sink = [this](const mesos_actor::log_entry& e) {
      std::lock_guard<std::mutex> lk(mtx);
      lines.push_back(mesos_actor::format_log_line(e));
    };
    return o;
  }
  bool contains(const std::string& needle) {
    std::lock_guard<std::mutex> lk(mtx);
    for (auto& l : lines)
      if (l.find(needle) != std::string::npos)
        return true;
    return false;
  }
  std::string all() {
    std::lock_guard<std::mutex> lk(mtx);
    std::string out;
    for (auto& l : lines)
      out += l + "\n";
    return out;
  }
};

class leader_probe {
public:
  leader_probe(caf::actor_system& sys, const caf::actor& detector) : self_(sys) {
    self_->send(detector, mesos_actor::detector_subscribe_atom::value,
                caf::actor_cast<caf::actor>(self_));
  }

  /// Receives messages until one satisfies `pred` (true) or `limit` passes (false).
  /// Every message received is kept in seen().
  bool wait(const std::function<bool(const mesos_actor::master_leader&)>& pred,
            std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    bool found = false;
    while (!found) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        return false;
      bool timed_out = false;
      self_->receive([&](const mesos_actor::master_leader& l) {
                       seen_.push_back(l);
                       found = pred(l);
                     },
                     caf::after(left) >> [&] { timed_out = true; });
      if (timed_out)
        return false;
    }
    return true;
  }
  bool wait_port(std::uint16_t port, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    return wait([port](const mesos_actor::master_leader& l) { return l.has_leader && l.port == port; },
                limit);
  }
  bool wait_none(std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    return wait([](const mesos_actor::master_leader& l) { return !l.has_leader; }, limit);
  }
  /// True when no message arrives within `quiet`.
  bool silent_for(std::chrono::milliseconds quiet) {
    bool got = false;
    self_->receive([&](const mesos_actor::master_leader& l) {
                     seen_.push_back(l);
                     got = true;
                   },
                   caf::after(quiet) >> [] {});
    return !got;
  }
  const std::vector<mesos_actor::master_leader>& seen() const { return seen_; }

private:
  caf::scoped_actor self_;
  std::vector<mesos_actor::master_leader> seen_;
};

} // namespace zk_test
