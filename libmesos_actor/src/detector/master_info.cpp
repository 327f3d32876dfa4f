#include "mesos_actor/detector/master_info.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <cstdint>
#include <limits>

#include <mesos/v1/mesos.pb.h>

#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

// "json.info_0000000042" -> 42; nullopt for another label or a bad sequence.
std::optional<std::int64_t> sequence_of(const std::string& name) {
  auto underscore = name.rfind('_');
  if (underscore == std::string::npos || std::string_view{name}.substr(0, underscore) != master_node_label)
    return std::nullopt;
  const char* first = name.data() + underscore + 1;
  const char* last = name.data() + name.size();
  std::int64_t seq = 0;
  auto [end, ec] = std::from_chars(first, last, seq);
  if (first == last || ec != std::errc{} || end != last || seq < 0
      || seq > std::numeric_limits<std::int32_t>::max())
    return std::nullopt;
  return seq;
}

std::uint16_t checked_port(std::int64_t port) {
  return port > 0 && port <= 65535 ? static_cast<std::uint16_t>(port) : 0;
}

} // namespace

std::optional<std::string> pick_leader_node(const std::vector<std::string>& children) {
  std::optional<std::string> best;
  std::int64_t best_seq = 0;
  for (auto& child : children) {
    auto seq = sequence_of(child);
    if (seq && (!best || *seq < best_seq)) {
      best = child;
      best_seq = *seq;
    }
  }
  return best;
}

caf::expected<master_address> parse_master_info(std::string_view json) {
  mesos::v1::MasterInfo info;
  json_read_options opts;
  opts.check_required = false; // older or partial writers: judged by the address below
  if (auto err = from_json(json, info, opts))
    return make_error(errc::protocol_error, "master node data is not JSON MasterInfo: "
                                              + err->message);
  master_address out;
  out.id = info.id();
  std::int64_t port = info.port(); // proto default 5050 when absent
  if (info.has_address() && (!info.address().hostname().empty() || !info.address().ip().empty())) {
    const auto& a = info.address();
    out.host = !a.hostname().empty() ? a.hostname() : a.ip();
    if (a.has_port())
      port = a.port();
  } else if (!info.hostname().empty()) {
    out.host = info.hostname();
  } else if (info.has_ip() && info.ip() != 0) {
    in_addr addr{};
    addr.s_addr = info.ip(); // network byte order (MESOS-1201)
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &addr, text, sizeof text);
    out.host = text;
  } else {
    return make_error(errc::protocol_error, "master node data names no address, hostname or ip");
  }
  out.port = checked_port(port);
  if (out.port == 0)
    return make_error(errc::protocol_error,
                      "master node data has port " + std::to_string(port) + " (not 1-65535)");
  return out;
}

} // namespace mesos_actor
