// Decode throughput of a realistic scheduler event stream (OFFERS with several
// offers, UPDATEs, HEARTBEATs), fed in 16 KiB pieces as an HTTP client would get it:
// RecordIO + protobuf and RecordIO + JSON, beside the bare Event::ParseFromArray loop
// over the same records, which is the limit. Each measurement runs for >= 1 s; the
// three are interleaved over several rounds and the best round of each is reported,
// so that other load on the machine distorts the ratio less.
//
// usage: bench_codec [seconds per measurement, default 1] [rounds, default 3]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "support/sample_messages.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
using mesos::v1::scheduler::Event;
using mesos_actor::content_type;

constexpr std::size_t piece_size = 16 * 1024;

struct rate {
  double events_per_s = 0;
  double mb_per_s = 0;
};

// Runs `pass` (which handles the whole stream once and returns the events seen)
// until `seconds` have passed.
rate measure(double seconds, std::size_t stream_bytes, const std::function<std::size_t()>& pass) {
  pass(); // warm-up
  std::size_t events = 0;
  std::size_t passes = 0;
  const auto start = clock_type::now();
  double elapsed = 0;
  do {
    events += pass();
    ++passes;
    elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
  } while (elapsed < seconds);
  return {events / elapsed, static_cast<double>(passes * stream_bytes) / elapsed / 1e6};
}

struct encoded_stream {
  std::string bytes;                    // the RecordIO stream
  std::vector<std::string_view> records; // its payloads, for the bare loop
};

encoded_stream encode_stream(const std::vector<Event>& events, content_type type) {
  encoded_stream s;
  for (const auto& e : events)
    mesos_actor::recordio_append(s.bytes, mesos_actor::encode(e, type));
  // The payload views, recovered from the framing in one piece (zero-copy).
  mesos_actor::recordio_decoder dec;
  dec.feed(s.bytes, [&](std::string_view r) {
    s.records.push_back(r);
    return true;
  });
  return s;
}

// RecordIO decoder fed in 16 KiB pieces, each record decoded into one reused Event.
std::size_t decode_stream(const std::string& stream, content_type type, Event& event) {
  mesos_actor::recordio_decoder dec;
  std::size_t events = 0;
  auto on_record = [&](std::string_view record) {
    if (mesos_actor::decode(record, type, event)) {
      std::fprintf(stderr, "bench_codec: decode failed\n");
      std::exit(1);
    }
    events += event.type() != Event::UNKNOWN;
    return true;
  };
  for (std::size_t at = 0; at < stream.size(); at += piece_size)
    if (dec.feed(std::string_view(stream).substr(at, piece_size), on_record)) {
      std::fprintf(stderr, "bench_codec: broken stream\n");
      std::exit(1);
    }
  return events;
}

rate best(const rate& a, const rate& b) {
  return a.events_per_s >= b.events_per_s ? a : b;
}

void print(const char* what, const rate& r) {
  std::printf("  %-36s %10.0f events/s %9.1f MB/s\n", what, r.events_per_s, r.mb_per_s);
}

} // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  // 1000 OFFERS events (2-5 offers each), 2 UPDATEs after each, a HEARTBEAT every 3rd.
  const std::vector<Event> events = samples::event_stream(1000, 2);
  const encoded_stream pb = encode_stream(events, content_type::protobuf);
  const encoded_stream js = encode_stream(events, content_type::json);
  std::printf("stream: %zu events; protobuf %.2f MB (avg %zu B/record), json %.2f MB (avg %zu B/record)\n",
              events.size(), pb.bytes.size() / 1e6, pb.bytes.size() / events.size(),
              js.bytes.size() / 1e6, js.bytes.size() / events.size());
  std::printf("fed in %zu-byte pieces, one Event object reused, >= %.1f s per measurement, best of %d rounds\n",
              piece_size, seconds, rounds);

  Event event;
  auto bare_pass = [&] {
    std::size_t n = 0;
    for (auto r : pb.records) {
      event.ParseFromArray(r.data(), static_cast<int>(r.size()));
      n += event.type() != Event::UNKNOWN;
    }
    return n;
  };
  rate bare, pb_rate, js_rate;
  for (int round = 0; round < rounds; ++round) {
    bare = best(bare, measure(seconds, pb.bytes.size(), bare_pass));
    pb_rate = best(pb_rate, measure(seconds, pb.bytes.size(), [&] {
      return decode_stream(pb.bytes, content_type::protobuf, event);
    }));
    js_rate = best(js_rate, measure(seconds, js.bytes.size(), [&] {
      return decode_stream(js.bytes, content_type::json, event);
    }));
  }

  print("bare Event::ParseFromArray (limit)", bare);
  print("RecordIO + protobuf decode", pb_rate);
  print("RecordIO + JSON decode", js_rate);
  std::printf("ratio bare/protobuf: %.2fx (target <= 1.30x)\n", bare.events_per_s / pb_rate.events_per_s);
  std::printf("ratio bare/json:     %.2fx\n", bare.events_per_s / js_rate.events_per_s);
  return 0;
}
