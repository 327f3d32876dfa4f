// The version of the library as built, so a program can compare it with the
// MESOS_ACTOR_VERSION_STRING of the headers it was compiled against.
#include "mesos_actor/version.hpp"

namespace mesos_actor {

const char* version() noexcept {
  return MESOS_ACTOR_VERSION_STRING;
}

} // namespace mesos_actor
