#pragma once
// A thread-safe log of named entries that a recording behaviour (scheduler or executor)
// appends to on its actor's thread and the test thread awaits with bounded waits.
// Entry is any struct with `std::string name` and `std::string detail`.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace test {

template <class Entry>
class recording_log {
public:
  void push(Entry e) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      entries_.push_back(std::move(e));
    }
    cv_.notify_all();
  }

  /// Waits until an entry named `name` (whose detail contains `detail_part`) exists at
  /// or after index `from`; returns it, nullopt on timeout.
  std::optional<Entry> wait(const std::string& name,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10),
                            const std::string& detail_part = {}, std::size_t from = 0) {
    std::unique_lock<std::mutex> lock{mtx_};
    std::optional<Entry> found;
    cv_.wait_for(lock, timeout, [&] {
      for (std::size_t i = from; i < entries_.size(); ++i)
        if (entries_[i].name == name && entries_[i].detail.find(detail_part) != std::string::npos) {
          found = entries_[i];
          return true;
        }
      return false;
    });
    return found;
  }

  /// Waits until `pred(entries)` holds.
  bool wait_until(const std::function<bool(const std::vector<Entry>&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock{mtx_};
    return cv_.wait_for(lock, timeout, [&] { return pred(entries_); });
  }

  std::size_t count(const std::string& name) const {
    std::lock_guard<std::mutex> guard{mtx_};
    std::size_t n = 0;
    for (auto& e : entries_)
      n += e.name == name ? 1 : 0;
    return n;
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return entries_.size();
  }

  std::vector<Entry> snapshot() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return entries_;
  }

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<Entry> entries_;
};

} // namespace test
