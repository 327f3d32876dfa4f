// Codec throughput on a realistic scheduler event stream (OFFERS with several offers,
// UPDATEs, HEARTBEATs):
//  - decode, fed in 16 KiB pieces as an HTTP client would get it: RecordIO + protobuf
//    and RecordIO + JSON, beside the bare Event::ParseFromArray loop over the same
//    records, which is the limit;
//  - encode of the same events into one RecordIO stream: protobuf and JSON, beside the
//    bare Event::AppendToString loop.
// Each measurement runs for >= the given seconds; the measurements are interleaved over
// several rounds and the best round of each is reported, so that other load on the
// machine distorts the ratios less. Rates are given per second of wall time and per
// second of this thread's CPU time: on a shared machine the wall figure also counts the
// time other processes had the core, the CPU figure is what the codec itself costs.
//
// Also: the same decode over a stream of small MESSAGE events (the bench_events stream,
// where the cost per event, not per byte, counts).
//
// usage: bench_codec [seconds per measurement, default 1] [rounds, default 3]
//                    [only: one measurement's name, e.g. json-decode (for a profiler)]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
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
  double cpu_mb_per_s = 0; // per second of this thread's CPU time
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Runs `pass` (which handles the whole stream once and returns the events seen)
// until `seconds` have passed.
rate measure(double seconds, std::size_t stream_bytes, const std::function<std::size_t()>& pass) {
  pass(); // warm-up
  std::size_t events = 0;
  std::size_t passes = 0;
  const auto start = clock_type::now();
  const double cpu_start = thread_cpu_seconds();
  double elapsed = 0;
  do {
    events += pass();
    ++passes;
    elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
  } while (elapsed < seconds);
  const double cpu = thread_cpu_seconds() - cpu_start;
  const double bytes = static_cast<double>(passes * stream_bytes);
  return {events / elapsed, bytes / elapsed / 1e6, cpu > 0 ? bytes / cpu / 1e6 : 0};
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
    if (auto err = mesos_actor::decode(record, type, event)) {
      std::fprintf(stderr, "bench_codec: decode failed: %s\n", err->message.c_str());
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

// Every event framed into one reused buffer, as a sender fills its output.
std::size_t encode_events(const std::vector<Event>& events, content_type type, std::string& out,
                          std::string& payload) {
  out.clear();
  for (const auto& e : events) {
    payload.clear();
    mesos_actor::encode_append(payload, e, type);
    mesos_actor::recordio_append(out, payload);
  }
  return events.size();
}

rate best(const rate& a, const rate& b) {
  return {std::max(a.events_per_s, b.events_per_s), std::max(a.mb_per_s, b.mb_per_s),
          std::max(a.cpu_mb_per_s, b.cpu_mb_per_s)};
}

struct measurement {
  const char* name;  // for the `only` argument
  const char* label; // as printed
  std::size_t bytes; // per pass
  std::function<std::size_t()> pass;
};

} // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  const std::string_view only = argc > 3 ? argv[3] : "";
  // 1000 OFFERS events (2-5 offers each), 2 UPDATEs after each, a HEARTBEAT every 3rd.
  const std::vector<Event> events = samples::event_stream(1000, 2);
  const encoded_stream pb = encode_stream(events, content_type::protobuf);
  const encoded_stream js = encode_stream(events, content_type::json);
  std::printf("stream: %zu events; protobuf %.2f MB (avg %zu B/record), json %.2f MB (avg %zu B/record)\n",
              events.size(), pb.bytes.size() / 1e6, pb.bytes.size() / events.size(),
              js.bytes.size() / 1e6, js.bytes.size() / events.size());
  std::printf("decode fed in %zu-byte pieces, one Event object reused; encode into one reused buffer;\n"
              ">= %.1f s per measurement, best of %d rounds\n",
              piece_size, seconds, rounds);

  std::vector<Event> small;
  for (std::size_t i = 0; i < 10000; ++i)
    small.push_back(samples::small_message(i));
  const encoded_stream small_pb = encode_stream(small, content_type::protobuf);
  const encoded_stream small_js = encode_stream(small, content_type::json);

  Event event;
  std::string out, payload;
  std::vector<measurement> ms{
    {"bare-decode", "bare Event::ParseFromArray (limit)", pb.bytes.size(),
     [&] {
       std::size_t n = 0;
       for (auto r : pb.records) {
         event.ParseFromArray(r.data(), static_cast<int>(r.size()));
         n += event.type() != Event::UNKNOWN;
       }
       return n;
     }},
    {"protobuf-decode", "RecordIO + protobuf decode", pb.bytes.size(),
     [&] { return decode_stream(pb.bytes, content_type::protobuf, event); }},
    {"json-decode", "RecordIO + JSON decode", js.bytes.size(),
     [&] { return decode_stream(js.bytes, content_type::json, event); }},
    {"bare-encode", "bare Event::AppendToString (limit)", pb.bytes.size(),
     [&] {
       out.clear();
       for (const auto& e : events)
         e.AppendToString(&out);
       return events.size();
     }},
    {"protobuf-encode", "protobuf encode + RecordIO", pb.bytes.size(),
     [&] { return encode_events(events, content_type::protobuf, out, payload); }},
    {"json-encode", "JSON encode + RecordIO", js.bytes.size(),
     [&] { return encode_events(events, content_type::json, out, payload); }},
    {"small-protobuf-decode", "small events: RecordIO + protobuf", small_pb.bytes.size(),
     [&] { return decode_stream(small_pb.bytes, content_type::protobuf, event); }},
    {"small-json-decode", "small events: RecordIO + JSON", small_js.bytes.size(),
     [&] { return decode_stream(small_js.bytes, content_type::json, event); }},
  };
  std::vector<rate> results(ms.size());
  bool any = false;
  for (int round = 0; round < rounds; ++round)
    for (std::size_t i = 0; i < ms.size(); ++i)
      if (only.empty() || only == ms[i].name) {
        results[i] = best(results[i], measure(seconds, ms[i].bytes, ms[i].pass));
        any = true;
      }
  if (!any) {
    std::fprintf(stderr, "bench_codec: no measurement named '%.*s'\n", static_cast<int>(only.size()),
                 only.data());
    return 2;
  }
  for (std::size_t i = 0; i < ms.size(); ++i)
    if (results[i].events_per_s > 0)
      std::printf("  %-36s %10.0f events/s %9.1f MB/s %9.1f MB/s of CPU time\n", ms[i].label,
                  results[i].events_per_s, results[i].mb_per_s, results[i].cpu_mb_per_s);
  if (!only.empty())
    return 0;
  // Ratios of CPU-time rates (events per CPU second), which other load disturbs least.
  auto ratio = [&](std::size_t a, std::size_t b) {
    return (results[a].cpu_mb_per_s / ms[a].bytes) / (results[b].cpu_mb_per_s / ms[b].bytes);
  };
  std::printf("decode ratio bare/protobuf: %.2fx (target <= 1.30x)\n", ratio(0, 1));
  std::printf("decode ratio protobuf/json: %.2fx (target <= 4x)\n", ratio(1, 2));
  std::printf("JSON decode: %.1f MB/s of CPU time (target >= 450)\n", results[2].cpu_mb_per_s);
  std::printf("encode ratio bare/protobuf: %.2fx\n", ratio(3, 4));
  std::printf("encode ratio protobuf/json: %.2fx\n", ratio(4, 5));
  // CPU microseconds per event: bytes per pass / (bytes per CPU microsecond) / events.
  auto us_per_event = [&](std::size_t i) {
    return static_cast<double>(ms[i].bytes) / results[i].cpu_mb_per_s / static_cast<double>(small.size());
  };
  std::printf("small events: protobuf %.3f us/event, JSON %.3f us/event of CPU time (%.2fx)\n",
              us_per_event(6), us_per_event(7), ratio(6, 7));
  return 0;
}
