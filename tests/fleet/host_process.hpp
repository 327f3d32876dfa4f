#pragma once
// A test_fleet_host child process (testkit::child_process: it ends with the test),
// its stdout read line by line on a thread so the test can await lines.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "support/child_process.hpp"

namespace fleet_test {

class host_process {
public:
  explicit host_process(std::vector<std::string> args)
    : proc_(std::move(args), testkit::child_output{"", true, true}) {
    reader_ = std::thread([this, fd = proc_.read_fd()] {
      std::string pending;
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) > 0) {
        pending.append(buf, static_cast<std::size_t>(n));
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
          std::lock_guard<std::mutex> lk(mtx_);
          lines_.push_back(pending.substr(0, nl));
          pending.erase(0, nl + 1);
          cv_.notify_all();
        }
      }
      std::lock_guard<std::mutex> lk(mtx_);
      eof_ = true;
      cv_.notify_all();
    });
  }

  ~host_process() {
    proc_.kill(); // the pipe closes, so the reader ends
    if (reader_.joinable())
      reader_.join();
  }

  testkit::child_process& process() { return proc_; }

  /// Waits for a line containing `needle` at index >= from.
  std::optional<std::string> wait_line(const std::string& needle, std::chrono::milliseconds limit,
                                       std::size_t from = 0) {
    std::unique_lock<std::mutex> lk(mtx_);
    std::optional<std::string> found;
    cv_.wait_for(lk, limit, [&] {
      for (auto i = from; i < lines_.size(); ++i)
        if (lines_[i].find(needle) != std::string::npos) {
          found = lines_[i];
          return true;
        }
      return eof_;
    });
    return found;
  }

  std::size_t line_count() {
    std::lock_guard<std::mutex> lk(mtx_);
    return lines_.size();
  }

  /// Every line from index `from` containing `needle`.
  std::vector<std::string> lines_with(const std::string& needle, std::size_t from = 0) {
    std::lock_guard<std::mutex> lk(mtx_);
    std::vector<std::string> out;
    for (auto i = from; i < lines_.size(); ++i)
      if (lines_[i].find(needle) != std::string::npos)
        out.push_back(lines_[i]);
    return out;
  }

  std::string output() {
    std::lock_guard<std::mutex> lk(mtx_);
    std::string out;
    for (auto& l : lines_)
      out += l + "\n";
    return out;
  }

private:
  testkit::child_process proc_;
  std::thread reader_;
  std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

} // namespace fleet_test
