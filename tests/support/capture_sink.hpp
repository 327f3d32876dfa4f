#pragma once
// A log sink that records every entry of the library's structured logging, with
// bounded, event-driven waits for the test thread.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include <mesos_actor/log.hpp>

namespace test {

/// Records every entry; waits are bounded and event-driven.
class capture_sink {
public:
  mesos_actor::log_sink sink() {
    return [this](const mesos_actor::log_entry& e) {
      {
        std::lock_guard<std::mutex> guard{mtx_};
        entries_.push_back(e);
      }
      cv_.notify_all();
    };
  }
  std::vector<mesos_actor::log_entry> entries() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return entries_;
  }
  /// Entries of one component, in order.
  std::vector<mesos_actor::log_entry> of(const std::string& component) const {
    std::vector<mesos_actor::log_entry> out;
    for (auto& e : entries())
      if (e.component == component)
        out.push_back(e);
    return out;
  }
  std::size_t count(const std::string& component, const std::string& event) const {
    std::size_t n = 0;
    for (auto& e : entries())
      if (e.component == component && e.event == event)
        ++n;
    return n;
  }
  bool wait_count(const std::string& component, const std::string& event, std::size_t n,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock{mtx_};
    return cv_.wait_for(lock, timeout, [&] {
      std::size_t k = 0;
      for (auto& e : entries_)
        if (e.component == component && e.event == event)
          ++k;
      return k >= n;
    });
  }

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<mesos_actor::log_entry> entries_;
};

} // namespace test
