// Consumer check: the installed headers and the linked library agree on the version,
// and the installed supervisor library accepts default flags and rejects a bad period.
#include <chrono>
#include <cstring>
#include <iostream>

#include <mesos_actor/version.hpp>
#include <supervisor/validate.hpp>

int main() {
  std::cout << "headers " << MESOS_ACTOR_VERSION_STRING << ", library " << mesos_actor::version()
            << std::endl;
  if (std::strcmp(MESOS_ACTOR_VERSION_STRING, mesos_actor::version()) != 0)
    return 1;
  supervisor::sup_flags flags;
  if (auto err = supervisor::check_flags(flags)) {
    std::cerr << "default supervisor flags rejected" << std::endl;
    return 1;
  }
  flags.period = std::chrono::milliseconds(0);
  if (!supervisor::check_flags(flags)) {
    std::cerr << "a zero restart period was accepted" << std::endl;
    return 1;
  }
  return 0;
}
