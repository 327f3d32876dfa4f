#include "mesos_actor/transport/messages.hpp"

namespace mesos_actor::transport {

const char* to_string(stream_end e) {
  switch (e) {
    case stream_end::eof: return "end of stream";
    case stream_end::transport_error: return "transport error";
    case stream_end::recordio_error: return "RecordIO error";
    case stream_end::decode_error: return "decode error";
    case stream_end::protocol_error: return "protocol error";
    case stream_end::stopped: return "stopped";
  }
  return "unknown";
}

} // namespace mesos_actor::transport
