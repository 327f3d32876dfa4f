#include "transport/call_door.hpp"

#include <algorithm>

namespace mesos_actor::transport {

void append_call(std::string& out, const call_request& req, const endpoint& target,
                 content_type encoding, const header_list& headers, bool absolute_form) {
  if (req.stream_id.empty()) {
    out += format_post(target, encoding, headers, req.body, true, absolute_form);
    return;
  }
  auto with_stream = headers;
  with_stream.emplace_back("Mesos-Stream-Id", req.stream_id);
  out += format_post(target, encoding, with_stream, req.body, true, absolute_form);
}

call_door::outcome call_door::try_write(std::vector<call_request>& reqs) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (!open_ || reqs.empty())
    return outcome::none;
  auto* conn = room_.conn;
  bool first = written_.calls.empty();
  // An idle connection the peer closed (or wrote to unasked) takes no call: the channel
  // replaces it, as it does before its own writes.
  if (room_.idle && first && !conn->idle_and_usable()) {
    open_ = false;
    return outcome::none;
  }
  auto n = std::min(reqs.size(), room_.calls);
  bytes_.clear();
  std::vector<std::size_t> ends;
  ends.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    append_call(bytes_, reqs[i], *room_.target, room_.encoding, conn->headers(), false);
    ends.push_back(bytes_.size());
  }
  auto taken = conn->write_now(bytes_);
  if (taken == 0) { // full socket buffer or a broken connection: the channel finds out
    open_ = false;
    return outcome::none;
  }
  // Every call with a byte on the wire is sent; the rest of the last one is the
  // channel's to write before anything else, so the door stays shut until then.
  std::size_t went = 0;
  std::size_t begin = 0;
  while (went < n && begin < taken)
    begin = ends[went++];
  auto deadline = clock::now() + room_.read_timeout;
  for (std::size_t i = 0; i < went; ++i)
    written_.calls.push_back(written::call{reqs[i].call_id, deadline});
  if (taken < ends[went - 1]) {
    written_.tail = bytes_.substr(taken, ends[went - 1] - taken);
    open_ = false;
  }
  room_.calls -= went;
  if (room_.calls == 0)
    open_ = false;
  reqs.erase(reqs.begin(), reqs.begin() + static_cast<std::ptrdiff_t>(went));
  return room_.idle && first ? outcome::written_wake : outcome::written;
}

call_door::written call_door::close() {
  std::lock_guard<std::mutex> guard{mtx_};
  open_ = false;
  written out;
  std::swap(out, written_);
  return out;
}

void call_door::retire() {
  std::lock_guard<std::mutex> guard{mtx_};
  open_ = false;
  retired_ = true;
}

} // namespace mesos_actor::transport
