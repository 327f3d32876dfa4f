#include "mesos_actor/transport/http_limits.hpp"

#include <string>

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

caf::error validate(const http_limits& limits, std::string_view prefix) {
  auto bad = [&](const std::string& what) {
    return make_error(errc::bad_option, std::string{prefix} + "." + what);
  };
  if (limits.max_header_line == 0)
    return bad("max_header_line must be positive");
  if (limits.max_header_count == 0)
    return bad("max_header_count must be positive");
  if (limits.max_head_size == 0)
    return bad("max_head_size must be positive");
  if (limits.max_header_line > limits.max_head_size)
    return bad("max_header_line must not exceed max_head_size");
  if (limits.max_call_response_body == 0)
    return bad("max_call_response_body must be positive");
  return caf::none;
}

} // namespace mesos_actor
