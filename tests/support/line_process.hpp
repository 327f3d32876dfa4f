#pragma once
// A child process (testkit::child_process: it ends with the test) whose stdout is read
// line by line on a thread, so a test can await lines with a bounded wait. Used for
// the example runs (tests/zookeeper) and the fleet's test_fleet_host processes.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"

namespace testkit {

class line_process {
public:
  /// Starts `args`; `merge_stderr` reads stderr with stdout.
  explicit line_process(std::vector<std::string> args, bool merge_stderr = false);
  /// Kills the process; the pipe closes, so the reader ends.
  ~line_process();
  line_process(const line_process&) = delete;
  line_process& operator=(const line_process&) = delete;

  child_process& process() { return proc_; }

  /// The first line at index `from` or later containing `needle` (its index into *at),
  /// or none once `limit` passed or the output ended without one.
  std::optional<std::string> wait_line(const std::string& needle, std::chrono::milliseconds limit,
                                       std::size_t from = 0, std::size_t* at = nullptr);
  /// Lines read so far.
  std::size_t line_count();
  /// Every line from index `from` containing `needle`.
  std::vector<std::string> lines_with(const std::string& needle, std::size_t from = 0);
  /// Everything read so far, one line each.
  std::string output();
  /// Waits (bounded) for the exit; the exit code, or -1.
  int wait_exit(std::chrono::milliseconds limit);

private:
  child_process proc_;
  std::thread reader_;
  std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

} // namespace testkit
