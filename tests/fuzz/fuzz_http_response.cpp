// libFuzzer target: bytes -> the HTTP/1.1 response parser, fed whole and in
// fuzzer-chosen pieces (down to one byte), with small limits so that they are hit.
// Checks: every way of feeding gives the same outcome; nothing past the input or a
// failure is consumed; the body never exceeds its bound; a final head has a final
// status; held memory stays within the limits (ASan sees the rest).
//
// Input layout: byte 0 seeds the piece sizes, byte 1 picks the limits and whether the
// body is bounded and the stream ends with EOF, the rest is the response.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "transport/http_response_parser.hpp"

namespace {

using mesos_actor::http_limits;
using mesos_actor::transport::http_response_parser;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_http_response: %s: %s\n", what, detail.c_str());
  std::abort();
}

struct outcome {
  bool complete = false;
  bool failed = false;
  std::string error;
  std::string body;
  std::size_t consumed = 0;
  int status = 0;
};

outcome run(std::string_view wire, const http_limits& limits, std::uint64_t max_body, bool eof,
            std::uint8_t seed) {
  http_response_parser p{limits, max_body};
  outcome out;
  std::size_t off = 0;
  unsigned state = seed;
  auto on_body = [&](std::string_view piece) {
    if (!p.head_complete())
      fail("body before the head", std::string{piece});
    out.body.append(piece);
    return true;
  };
  while (off < wire.size() && !p.complete() && !p.failed()) {
    std::size_t len = wire.size() - off;
    if (seed != 0) {
      state = state * 1103515245u + 12345u;
      len = std::min<std::size_t>(len, 1 + (state >> 16) % 17);
    }
    auto n = p.feed(wire.substr(off, len), on_body);
    if (n > len)
      fail("consumed more than was fed", std::to_string(n));
    if (n == 0 && !p.complete() && !p.failed())
      fail("no progress", std::string{wire.substr(off, len)});
    off += n;
  }
  if (eof)
    p.on_eof();
  auto before = p.consumed();
  if (p.failed() && (p.feed("x", on_body) != 0 || p.consumed() != before))
    fail("took bytes after failing", p.error());
  if (p.failed() && p.error().empty())
    fail("failed without a reason", "");
  if (p.complete() && p.failed())
    fail("complete and failed", p.error());
  if (max_body != 0 && out.body.size() > max_body)
    fail("body above its bound", std::to_string(out.body.size()));
  if (p.head_complete() && (p.head().status < 200 || p.head().status > 599 || p.head().status == 101))
    fail("final head with an interim status", std::to_string(p.head().status));
  out.complete = p.complete();
  out.failed = p.failed();
  out.error = p.error();
  out.consumed = off;
  out.status = p.head_complete() ? p.head().status : 0;
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2)
    return 0;
  const std::uint8_t seed = data[0];
  const std::uint8_t flags = data[1];
  std::string_view wire{reinterpret_cast<const char*>(data + 2), size - 2};
  http_limits limits;
  if (flags & 1) {
    limits.max_header_line = 40;
    limits.max_header_count = 4;
    limits.max_head_size = 200;
  }
  std::uint64_t max_body = (flags & 2) ? 64 : 0;
  bool eof = (flags & 4) != 0;

  auto whole = run(wire, limits, max_body, eof, 0);
  auto pieces = run(wire, limits, max_body, eof, seed == 0 ? 1 : seed);
  if (whole.complete != pieces.complete || whole.failed != pieces.failed || whole.error != pieces.error
      || whole.body != pieces.body || whole.consumed != pieces.consumed || whole.status != pieces.status)
    fail("feeding in pieces changed the outcome", whole.error + " / " + pieces.error);
  return 0;
}
