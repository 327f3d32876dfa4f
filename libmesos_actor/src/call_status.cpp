#include "mesos_actor/call_status.hpp"

namespace mesos_actor {

const char *to_string(call_status s) {
  switch (s) {
  case call_status::accepted:
    return "accepted";
  case call_status::rejected:
    return "rejected";
  case call_status::transport_error:
    return "transport_error";
  case call_status::not_sent:
    return "not_sent";
  }
  return "unknown";
}

} // namespace mesos_actor
