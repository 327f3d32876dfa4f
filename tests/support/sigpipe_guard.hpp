#pragma once
// Test code that writes through Debian's cpp-httplib client (send flags 0, SSL_write)
// to a server that may already have closed the connection: SIGPIPE is blocked in the
// calling thread for the guard's life, a SIGPIPE raised meanwhile is consumed, and the
// old mask comes back, so the write fails with EPIPE instead of killing the test and
// the process-wide disposition stays the default (tests/doctest_main.cpp checks it).

#include <csignal>
#include <ctime>

#include <pthread.h>

namespace testkit {

class sigpipe_guard {
public:
  sigpipe_guard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~sigpipe_guard() {
    const timespec now{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &now) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  sigpipe_guard(const sigpipe_guard&) = delete;
  sigpipe_guard& operator=(const sigpipe_guard&) = delete;

private:
  sigset_t pipe_;
  sigset_t old_;
};

} // namespace testkit
