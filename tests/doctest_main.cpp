// The one doctest main of all test binaries.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>

#include <pthread.h>

namespace {

// The library must survive peers that reset connections without anyone ignoring or
// blocking SIGPIPE for it: a test process that did so (or inherited it) would hide
// exactly the writes that would kill a real program, so it refuses to run.
bool sigpipe_is_default() {
  struct sigaction current {};
  sigset_t blocked;
  if (::sigaction(SIGPIPE, nullptr, &current) != 0
      || ::pthread_sigmask(SIG_BLOCK, nullptr, &blocked) != 0)
    return false;
  return current.sa_handler == SIG_DFL && !(current.sa_flags & SA_SIGINFO)
         && !::sigismember(&blocked, SIGPIPE);
}

} // namespace

int main(int argc, char** argv) {
  if (!sigpipe_is_default()) {
    std::fprintf(stderr, "SIGPIPE is ignored, handled or blocked in this test process: the "
                         "tests need its default disposition (see tests/doctest_main.cpp)\n");
    return 2;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
