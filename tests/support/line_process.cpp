#include "support/line_process.hpp"

#include <algorithm>

#include <sys/wait.h>
#include <unistd.h>

namespace testkit {

line_process::line_process(std::vector<std::string> args, bool merge_stderr)
  : proc_(std::move(args), child_output{"", true, merge_stderr}) {
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

line_process::~line_process() {
  proc_.kill();
  if (reader_.joinable())
    reader_.join();
}

std::optional<std::string> line_process::wait_line(const std::string& needle,
                                                   std::chrono::milliseconds limit,
                                                   std::size_t from, std::size_t* at) {
  std::unique_lock<std::mutex> lk(mtx_);
  std::optional<std::string> found;
  cv_.wait_for(lk, limit, [&] {
    for (auto i = from; i < lines_.size(); ++i)
      if (lines_[i].find(needle) != std::string::npos) {
        found = lines_[i];
        if (at)
          *at = i;
        return true;
      }
    return eof_;
  });
  return found;
}

std::size_t line_process::line_count() {
  std::lock_guard<std::mutex> lk(mtx_);
  return lines_.size();
}

std::vector<std::string> line_process::lines_with(const std::string& needle, std::size_t from) {
  std::lock_guard<std::mutex> lk(mtx_);
  std::vector<std::string> out;
  for (auto i = from; i < lines_.size(); ++i)
    if (lines_[i].find(needle) != std::string::npos)
      out.push_back(lines_[i]);
  return out;
}

std::string line_process::output() {
  std::lock_guard<std::mutex> lk(mtx_);
  std::string out;
  for (auto& l : lines_)
    out += l + "\n";
  return out;
}

int line_process::wait_exit(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  {
    std::unique_lock<std::mutex> lk(mtx_);
    cv_.wait_until(lk, deadline, [&] { return eof_; }); // stdout closes at exit
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
    deadline - std::chrono::steady_clock::now());
  auto status = proc_.wait(std::max(left, std::chrono::milliseconds(0)));
  return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

} // namespace testkit
