#include "fork_thread.hpp"

#include <condition_variable>
#include <csignal>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace mesos_actor::sim {

namespace {

class fork_thread {
public:
  pid_t run(const std::function<pid_t()>& job) {
    std::packaged_task<pid_t()> task(job);
    auto result = task.get_future();
    {
      std::lock_guard<std::mutex> lk(mu_);
      jobs_.push_back(std::move(task));
    }
    cv_.notify_one();
    return result.get();
  }

  static fork_thread& instance() {
    // Never destroyed: the thread must outlive every child it forked, i.e. run until exit.
    static auto* the = new fork_thread;
    return *the;
  }

private:
  fork_thread() {
    // All signals blocked: a signal meant for the process is never handled here, and
    // children start with this mask restored to empty before exec (spawn_command).
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    std::thread([this] { loop(); }).detach();
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }

  [[noreturn]] void loop() {
    while (true) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return !jobs_.empty(); });
      auto job = std::move(jobs_.front());
      jobs_.pop_front();
      lk.unlock();
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<pid_t()>> jobs_;
};

} // namespace

pid_t run_on_fork_thread(const std::function<pid_t()>& fork_and_exec) {
  return fork_thread::instance().run(fork_and_exec);
}

} // namespace mesos_actor::sim
