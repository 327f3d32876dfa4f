#pragma once
// The last N log lines of the run (frameworks, host and simulator), kept in memory so
// a long run's log costs bounded memory; written to a file when an invariant breaks.

#include <deque>
#include <fstream>
#include <mutex>
#include <string>

namespace chaos {

class log_ring {
public:
  explicit log_ring(std::size_t capacity) : capacity_(capacity) {}

  void add(std::string line) {
    std::lock_guard<std::mutex> lk(mu_);
    if (lines_.size() >= capacity_)
      lines_.pop_front();
    lines_.push_back(std::move(line));
    ++total_;
  }

  /// Writes the kept lines to `path`; false when it cannot be written.
  bool dump(const std::string& path) const {
    std::lock_guard<std::mutex> lk(mu_);
    std::ofstream out{path};
    if (total_ > lines_.size())
      out << "(" << total_ - lines_.size() << " earlier lines dropped)\n";
    for (const auto& l : lines_)
      out << l << '\n';
    return static_cast<bool>(out);
  }

private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::deque<std::string> lines_;
  std::size_t total_ = 0;
};

} // namespace chaos
