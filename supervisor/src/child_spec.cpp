#include "supervisor/child_spec.hpp"

namespace supervisor {

shutdown_spec effective_shutdown(const child_spec& spec) {
  if (spec.shutdown)
    return *spec.shutdown;
  // OTP defaults: a worker gets 5 s to finish, a supervisor as long as its own children need.
  return spec.kind == child_kind::supervisor ? shutdown_infinity() : shutdown_spec{};
}

} // namespace supervisor
