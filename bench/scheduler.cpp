// Scheduler benchmarks, all over real loopback HTTP:
//  1. events/s through the whole path (socket -> RecordIO -> decode -> actor ->
//     callback) for a stream of small UPDATE events and of large OFFERS events, served
//     by a minimal in-bench master that streams pre-encoded events as fast as it can;
//     beside the codec-only figure (RecordIO + decode of the same bytes, in the piece
//     sizes cpp-httplib handed out in the http-only run, measured in the same run) as
//     the limit, and their ratio
//     (target: >= 50%), and the events/s cpp-httplib alone delivers from the same
//     server (http-only: bytes counted, nothing decoded), the transport's ceiling.
//     Auto-acknowledgement is off: the path under test is events in.
//  2. offer -> accept latency against the simulator: from the OFFERS event written
//     to the stream to the ACCEPT read by the master's connection (both from the
//     simulator's trace: event_record::time, request_record::received): p50, p99 and
//     max per offer, and per OFFERS event the time until the ACCEPTs of all its offers
//     were at the master (target: p99 < 1 ms); beside it, the time until the simulator
//     began to handle the last of them (request_record::time: it handles the requests
//     of a connection one after another, each behind the cluster's state lock).
//     Measured with the call connection pipelined (max_pipelined_calls 64, the default)
//     and one call
//     at a time (max_pipelined_calls 1, as before pipelining) in the same run, and
//     pipelined with direct_calls false (the channel's thread writes every call: the
//     baseline of the actor writing its calls itself while the channel sleeps); with
//     --hog, also while a CPU hog spins on every core at normal priority. Beside each
//     run, the floor the kernel sets for such a path: a token passed round four bare
//     threads over pipes (four thread hand-overs, as event -> stream worker -> scheduler
//     actor -> call channel -> master), under the same conditions.
//  3. leader change -> SUBSCRIBED on the new leader (target: 50 ms + configured backoff).
//  4. ACKNOWLEDGE calls per second from one framework against the simulator, keeping
//     up to 4096 unanswered (target: >= 50,000/s), pipelined and one at a time, and
//     pipelined with direct_calls false.
//
// usage: bench_scheduler [--only=LIST] [--hog] [events per throughput run, default 200000]
//                        [latency samples, default 2000]
//                        [CAF options, e.g. --work-stealing.moderate-poll-attempts=0; --help lists them]
//   --only=LIST  comma-separated parts to run: throughput,latency,leader,acks (default: all)
//   --hog        part 2 also runs with a busy-looping thread per core (normal priority)
// The stream worker and the call channel have threads of their own; the scheduler actor
// runs in CAF's worker pool (see spawn.cpp for why not detached), so the pool's wake-up
// options (an idle pooled worker polls with 50 us sleeps for a while) touch the
// event -> callback hand-over: the CAF options above compare them.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include <httplib.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "support/sample_messages.hpp"
#include "support/scripted_master.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"
#include "mesos_actor/scheduler.hpp"
#include "mesos_actor/sim/cluster.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;
using mesos_actor::action;
using mesos_actor::content_type;
using mesos_actor::scheduler_context;

void quiet(mesos_actor::scheduler_options& o) {
  o.logging.min_level = mesos_actor::log_level::error; // the default sink: stderr
}

void stop_and_wait(caf::actor_system& sys, const caf::actor& a) {
  caf::scoped_actor self{sys};
  self->send_exit(a, caf::exit_reason::user_shutdown);
  self->wait_for(a);
}

// --- 1. throughput ----------------------------------------------------------------

// The in-bench master (test::scripted_master) writes SUBSCRIBED, then the pre-encoded
// stream as fast as the socket takes it, and holds it open; it sends no heartbeats, so
// its SUBSCRIBED announces an interval longer than a run.
const test::scripted_master_options flood{"bench-fw", 15};

struct counting_scheduler : mesos_actor::scheduler {
  counting_scheduler(std::size_t expected, std::promise<double>* done)
    : expected(expected), done(done) {}
  std::size_t expected;
  std::promise<double>* done;
  std::size_t seen = 0;
  clock_type::time_point start;

  action registered(scheduler_context&, const Event::Subscribed&) override {
    start = clock_type::now();
    return action::keep;
  }
  void count() {
    if (++seen == expected)
      done->set_value(std::chrono::duration<double>(clock_type::now() - start).count());
  }
  action status_update(scheduler_context&, const Event::Update&) override {
    count();
    return action::keep;
  }
  action resource_offers(scheduler_context&, const Event::Offers&) override {
    count();
    return action::keep;
  }
};

// Events/s of RecordIO + decode over `stream` cut into `pieces` (sizes in order, the
// last one stretched to the end), best of 3 passes.
double codec_only(const std::string& stream, content_type ct, std::size_t events,
                  const std::vector<std::size_t>& pieces) {
  double best = 0;
  for (int pass = 0; pass < 3; ++pass) {
    Event event;
    mesos_actor::recordio_decoder dec;
    std::size_t n = 0;
    auto start = clock_type::now();
    std::size_t at = 0;
    for (std::size_t i = 0; at < stream.size(); ++i) {
      auto size = i + 1 < pieces.size() ? pieces[i] : stream.size() - at;
      dec.feed(std::string_view(stream).substr(at, size), [&](std::string_view r) {
        if (!mesos_actor::decode(r, ct, event))
          ++n;
        return true;
      });
      at += size;
    }
    double s = std::chrono::duration<double>(clock_type::now() - start).count();
    if (n != events) {
      std::fprintf(stderr, "codec-only pass decoded %zu of %zu events\n", n, events);
      std::exit(1);
    }
    best = std::max(best, static_cast<double>(n) / s);
  }
  return best;
}

// Events/s that cpp-httplib alone delivers from the same server (bytes counted, no
// RecordIO, no decode): the transport's own ceiling (best of 3). `pieces` gets the sizes
// of the pieces it handed out (last pass), for codec_only to cut the same way.
double http_only(const std::string& stream, content_type ct, std::size_t events,
                 std::vector<std::size_t>& pieces) {
  double best = 0;
  for (int pass = 0; pass < 3; ++pass) {
    test::scripted_master master{ct, stream, flood};
    httplib::Client cli{master.url()};
    cli.set_read_timeout(std::chrono::seconds(30));
    Call sub;
    sub.set_type(Call::SUBSCRIBE);
    httplib::Request req;
    req.method = "POST";
    req.path = "/api/v1/scheduler";
    req.set_header("Content-Type", std::string{mesos_actor::media_type(ct)});
    req.body = mesos_actor::encode(sub, ct);
    std::size_t received = 0;
    pieces.clear();
    clock_type::time_point start;
    double seconds = 0;
    req.response_handler = [&](const httplib::Response&) {
      start = clock_type::now();
      return true;
    };
    req.content_receiver = [&](const char*, size_t n, uint64_t, uint64_t) {
      received += n;
      pieces.push_back(n);
      if (received < stream.size())
        return true;
      seconds = std::chrono::duration<double>(clock_type::now() - start).count();
      return false;
    };
    httplib::Response res;
    httplib::Error err;
    cli.send(req, res, err);
    if (seconds > 0)
      best = std::max(best, static_cast<double>(events) / seconds);
  }
  return best;
}

double whole_path(caf::actor_system& sys, const std::string& stream, content_type ct,
                  std::size_t events) {
  double best = 0;
  for (int pass = 0; pass < 3; ++pass) {
    test::scripted_master master{ct, stream, flood};
    std::promise<double> done;
    auto fut = done.get_future();
    mesos_actor::scheduler_options o;
    o.master_hosts = {master.url()};
    o.content = ct;
    o.auto_acknowledge = false;
    quiet(o);
    auto a = mesos_actor::spawn_scheduler(sys, std::make_unique<counting_scheduler>(events, &done), o);
    if (fut.wait_for(120s) != std::future_status::ready) {
      std::fprintf(stderr, "whole path: timeout\n");
      std::exit(1);
    }
    best = std::max(best, static_cast<double>(events) / fut.get());
    stop_and_wait(sys, a);
  }
  return best;
}

void throughput(caf::actor_system& sys, std::size_t n) {
  struct kind {
    const char* name;
    std::size_t count;
    std::function<Event(std::size_t)> make;
  };
  std::vector<kind> kinds{
    {"small UPDATE", n, [](std::size_t i) { return samples::update(static_cast<int>(i % 1000)); }},
    {"large OFFERS (10 offers)", std::max<std::size_t>(n / 20, 1000),
     [](std::size_t i) { return samples::offers(static_cast<int>(i % 1000), 10); }},
  };
  std::printf("%-26s %-9s %10s %14s %14s %14s %7s\n", "stream", "encoding", "bytes/evt",
              "http-only/s", "codec-only/s", "whole-path/s", "ratio");
  for (auto& k : kinds) {
    for (auto ct : {content_type::protobuf, content_type::json}) {
      std::string stream;
      for (std::size_t i = 0; i < k.count; ++i)
        mesos_actor::recordio_append(stream, mesos_actor::encode(k.make(i), ct));
      std::vector<std::size_t> pieces;
      double http = http_only(stream, ct, k.count, pieces);
      double codec = codec_only(stream, ct, k.count, pieces);
      double whole = whole_path(sys, stream, ct, k.count);
      std::printf("%-26s %-9s %10zu %14.0f %14.0f %14.0f %6.0f%%\n", k.name,
                  std::string{mesos_actor::content_type_name(ct)}.c_str(), stream.size() / k.count,
                  http, codec, whole, 100.0 * whole / codec);
    }
  }
}

// --- 2. offer -> accept latency ----------------------------------------------------

struct accepting_scheduler : mesos_actor::scheduler {
  // `seen`: offer id -> when resource_offers began (read after the actor ended).
  accepting_scheduler(std::atomic<std::size_t>* accepted,
                      std::unordered_map<std::string, clock_type::time_point>* seen)
    : accepted(accepted), seen(seen) {}
  std::atomic<std::size_t>* accepted;
  std::unordered_map<std::string, clock_type::time_point>* seen;
  action resource_offers(scheduler_context& ctx, const Event::Offers& offers) override {
    auto now = clock_type::now();
    for (auto& offer : offers.offers()) {
      seen->emplace(offer.id().value(), now);
      // ACCEPT with no operation: the resources come back at the next allocation.
      ctx.accept({offer.id()}, {}, mesos_actor::refuse_filters(0));
      ++*accepted;
    }
    return action::keep;
  }
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[idx];
}

// A busy loop on every core at normal priority while it lives (the "both cores busy"
// condition of a shared build machine).
class cpu_hog {
public:
  cpu_hog() {
    auto n = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i)
      threads_.emplace_back([this] {
        std::uint64_t x = 0;
        while (!stop_.load(std::memory_order_relaxed))
          x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        sink_.fetch_add(x, std::memory_order_relaxed);
      });
  }
  ~cpu_hog() {
    stop_ = true;
    for (auto& t : threads_)
      t.join();
  }
  std::size_t threads() const { return threads_.size(); }

private:
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> sink_{0};
  std::vector<std::thread> threads_;
};

// Four threads pass a byte round a ring of pipes; the time from the first write to the
// byte's return is four wake-ups of blocked threads and nothing else.
void handover_floor(std::size_t samples, bool hog) {
  constexpr int hops = 4;
  int fds[hops][2];
  for (auto& p : fds)
    if (::pipe(p) != 0) {
      std::perror("pipe");
      return;
    }
  std::optional<cpu_hog> hogs;
  if (hog)
    hogs.emplace();
  std::vector<std::thread> relays;
  for (int i = 1; i < hops; ++i)
    relays.emplace_back([&fds, i] {
      char c;
      while (::read(fds[i - 1][0], &c, 1) == 1)
        if (::write(fds[i][1], &c, 1) != 1)
          break;
      ::close(fds[i][1]);
    });
  std::vector<double> micros;
  for (std::size_t n = 0; n < samples; ++n) {
    char c = 'x';
    auto t0 = clock_type::now();
    if (::write(fds[0][1], &c, 1) != 1 || ::read(fds[hops - 1][0], &c, 1) != 1)
      break;
    micros.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
    std::this_thread::sleep_for(500us); // the threads go back to sleep, as between offers
  }
  ::close(fds[0][1]);
  for (auto& t : relays)
    t.join();
  for (auto& p : fds) // the write ends: fds[0] here, the others by their relays
    ::close(p[0]);
  hogs.reset();
  if (micros.empty())
    return;
  std::printf("kernel floor (%s): %d thread hand-overs over pipes, %zu samples: p50 %.0f us, "
              "p99 %.0f us, max %.0f us\n",
              hog ? "CPU hog on every core" : "no hog", hops, micros.size(),
              percentile(micros, 0.5), percentile(micros, 0.99), percentile(micros, 1.0));
  std::fflush(stdout);
}

void offer_latency_run(caf::actor_system& sys, std::size_t samples_wanted, content_type ct,
                       std::size_t pipelined, bool direct, bool hog) {
  mesos_actor::sim::cluster_options copts;
  copts.allocation_interval = 1ms;
  copts.agents = 4;
  copts.max_trace_entries = 4 * samples_wanted + 1000;
  mesos_actor::sim::cluster sim{copts};
  sim.start();
  std::atomic<std::size_t> accepted{0};
  mesos_actor::scheduler_options o;
  o.master_hosts = sim.master_urls();
  o.content = ct;
  o.max_pipelined_calls = pipelined;
  o.direct_calls = direct;
  quiet(o);
  std::optional<cpu_hog> hogs;
  if (hog)
    hogs.emplace();
  std::unordered_map<std::string, clock_type::time_point> seen;
  auto a = mesos_actor::spawn_scheduler(sys, std::make_unique<accepting_scheduler>(&accepted, &seen), o);
  sim.wait_for([&] { return accepted.load() >= samples_wanted + 100; }, 120s);
  stop_and_wait(sys, a);
  hogs.reset();
  // Offer id -> (when the OFFERS event carrying it was written, that event's index).
  struct origin {
    clock_type::time_point time;
    std::size_t event;
  };
  std::unordered_map<std::string, origin> offered;
  std::size_t index = 0;
  for (auto& e : sim.events())
    if (e.event.type() == Event::OFFERS) {
      for (auto& offer : e.event.offers().offers())
        offered.emplace(offer.id().value(), origin{e.time, index});
      ++index;
    }
  std::vector<double> micros;
  std::vector<double> to_callback;  // event written -> resource_offers began
  std::vector<double> to_master;    // resource_offers began -> ACCEPT at the master
  std::unordered_map<std::size_t, double> event_last; // OFFERS event -> its last ACCEPT read
  std::unordered_map<std::size_t, double> event_last_handled; // ... and handled
  std::unordered_map<std::size_t, std::size_t> event_offers;
  for (auto& [id, o] : offered)
    ++event_offers[o.event];
  std::unordered_map<std::size_t, std::size_t> event_accepted;
  auto micros_between = [](clock_type::time_point from, clock_type::time_point to) {
    return std::chrono::duration<double, std::micro>(to - from).count();
  };
  for (auto& r : sim.requests())
    if (r.call && r.call->type() == Call::ACCEPT)
      for (auto& id : r.call->accept().offer_ids())
        if (auto it = offered.find(id.value()); it != offered.end()) {
          double us = micros_between(it->second.time, r.received);
          double handled = micros_between(it->second.time, r.time);
          micros.push_back(us);
          if (auto cb = seen.find(id.value()); cb != seen.end()) {
            to_callback.push_back(micros_between(it->second.time, cb->second));
            to_master.push_back(micros_between(cb->second, r.received));
          }
          auto& last = event_last[it->second.event];
          last = std::max(last, us);
          auto& last_handled = event_last_handled[it->second.event];
          last_handled = std::max(last_handled, handled);
          ++event_accepted[it->second.event];
        }
  // Per OFFERS event (all of its offers accepted), in event order, warm-up dropped.
  std::vector<std::pair<std::size_t, double>> events;
  std::size_t multi = 0;
  for (auto& [ev, last] : event_last)
    if (event_accepted[ev] == event_offers[ev]) {
      events.emplace_back(ev, last);
      multi += event_offers[ev] > 1;
    }
  std::sort(events.begin(), events.end());
  std::vector<double> per_event;
  std::vector<double> per_event_handled;
  for (std::size_t i = std::min<std::size_t>(events.size(), 25); i < events.size(); ++i) {
    per_event.push_back(events[i].second);
    per_event_handled.push_back(event_last_handled[events[i].first]);
  }
  std::size_t complete = events.size();
  for (auto* v : {&micros, &to_callback, &to_master})
    if (v->size() > 100) // drop the warm-up
      v->erase(v->begin(), v->begin() + 100);
  std::string label = std::string{mesos_actor::content_type_name(ct)} + ", max_pipelined_calls "
                      + std::to_string(pipelined) + (direct ? "" : ", direct_calls false");
  if (hog)
    label += ", CPU hog on " + std::to_string(std::max(1u, std::thread::hardware_concurrency()))
             + " cores";
  if (micros.empty() || per_event.empty()) {
    std::printf("offer->accept (%s): no samples\n", label.c_str());
    return;
  }
  std::printf("offer->accept (%s):\n  per offer (%zu): p50 %.0f us, p99 %.0f us, max %.0f us\n"
              "  all ACCEPTs of one OFFERS event at the master (%zu events, %zu of %zu with >1 offer):"
              " p50 %.0f us, p99 %.0f us, max %.0f us\n",
              label.c_str(), micros.size(), percentile(micros, 0.5), percentile(micros, 0.99),
              percentile(micros, 1.0), per_event.size(), multi, complete, percentile(per_event, 0.5),
              percentile(per_event, 0.99), percentile(per_event, 1.0));
  std::printf("  ... until the simulator began to handle the last of them (one request of a "
              "connection at a time): p50 %.0f us, p99 %.0f us, max %.0f us\n",
              percentile(per_event_handled, 0.5), percentile(per_event_handled, 0.99),
              percentile(per_event_handled, 1.0));
  if (!to_callback.empty())
    std::printf("  where: event written -> resource_offers p50 %.0f / p99 %.0f us; resource_offers -> "
                "ACCEPT at the master p50 %.0f / p99 %.0f us\n",
                percentile(to_callback, 0.5), percentile(to_callback, 0.99), percentile(to_master, 0.5),
                percentile(to_master, 0.99));
  std::fflush(stdout);
}

void offer_latency(caf::actor_system& sys, std::size_t samples_wanted, bool hog) {
  for (bool busy : {false, true}) {
    if (busy && !hog)
      continue;
    handover_floor(samples_wanted, busy);
    for (auto ct : {content_type::protobuf, content_type::json}) {
      for (std::size_t pipelined : {std::size_t{1}, std::size_t{64}})
        offer_latency_run(sys, samples_wanted, ct, pipelined, true, busy);
      // The baseline of the call door: the channel's thread writes every call.
      offer_latency_run(sys, samples_wanted, ct, 64, false, busy);
    }
  }
}

// --- 4. ACKNOWLEDGE calls per second -----------------------------------------------------

// Once subscribed, sends `total` ACKNOWLEDGE calls, keeping `window` unanswered: each
// answer sends the next. The simulator answers 202 and ignores acknowledgements that
// match no pending update, as Mesos does, so no tasks are needed.
struct ack_tally {  // outlives the behaviour (destroyed with its actor)
  std::size_t failed = 0;
  std::string first_error;
};

struct acking_scheduler : mesos_actor::scheduler {
  acking_scheduler(std::size_t total, std::size_t window, std::promise<double>* done, ack_tally* tally)
    : total(total), window(window), done(done), tally(tally) {}
  std::size_t total;
  std::size_t window;
  std::promise<double>* done;
  ack_tally* tally;
  std::size_t sent = 0;
  std::size_t answered = 0;
  clock_type::time_point start;

  void send_one(scheduler_context& ctx) {
    Call c;
    c.set_type(Call::ACKNOWLEDGE);
    auto* ack = c.mutable_acknowledge();
    ack->mutable_agent_id()->set_value("bench-agent");
    ack->mutable_task_id()->set_value("bench-task-" + std::to_string(sent));
    std::string uuid(16, '\0');
    for (std::size_t i = 0; i < 6; ++i)
      uuid[i] = static_cast<char>((sent >> (8 * i)) & 0xff);
    uuid[6] = 0x40; // version 4, as a master checks
    uuid[8] = static_cast<char>(0x80);
    ack->set_uuid(uuid);
    ++sent;
    ctx.send(std::move(c), [this](scheduler_context& ctx, const mesos_actor::call_outcome& o) {
      if (!o.ok() && tally->failed++ == 0)
        tally->first_error = mesos_actor::describe(o.error);
      if (++answered == total)
        done->set_value(std::chrono::duration<double>(clock_type::now() - start).count());
      else if (sent < total)
        send_one(ctx);
      return action::keep;
    });
  }
  action registered(scheduler_context& ctx, const Event::Subscribed&) override {
    start = clock_type::now();
    for (std::size_t i = 0; i < window && sent < total; ++i)
      send_one(ctx);
    return action::keep;
  }
};

void ack_rate(caf::actor_system& sys, std::size_t total) {
  struct variant {
    std::size_t pipelined;
    bool direct;  // false: the channel's thread writes every call (the door's baseline)
  };
  for (auto ct : {content_type::protobuf, content_type::json})
    for (auto [pipelined, direct] : {variant{1, true}, variant{64, true}, variant{64, false}}) {
      mesos_actor::sim::cluster_options copts;
      copts.max_trace_entries = 0;
      copts.log = nullptr;
      mesos_actor::sim::cluster sim{copts};
      sim.start();
      std::promise<double> done;
      auto fut = done.get_future();
      mesos_actor::scheduler_options o;
      o.master_hosts = sim.master_urls();
      o.content = ct;
      o.max_pipelined_calls = pipelined;
      o.direct_calls = direct;
      quiet(o);
      ack_tally tally;
      auto a = mesos_actor::spawn_scheduler(
        sys, std::make_unique<acking_scheduler>(total, 4096, &done, &tally), o);
      if (fut.wait_for(300s) != std::future_status::ready) {
        std::fprintf(stderr, "acks: timeout\n");
        std::exit(1);
      }
      double seconds = fut.get();
      stop_and_wait(sys, a);
      std::printf("ACKNOWLEDGE from one framework (%s, max_pipelined_calls %zu%s): %zu calls in "
                  "%.3f s = %.0f calls/s, %zu not accepted%s%s\n",
                  std::string{mesos_actor::content_type_name(ct)}.c_str(), pipelined,
                  direct ? "" : ", direct_calls false", total,
                  seconds, static_cast<double>(total) / seconds, tally.failed,
                  tally.failed ? ", first: " : "", tally.first_error.c_str());
      std::fflush(stdout);
    }
}

// --- 3. leader change -> SUBSCRIBED ---------------------------------------------------

struct timing_scheduler : mesos_actor::scheduler {
  std::mutex* mtx;
  std::vector<clock_type::time_point>* subscribed_at;
  timing_scheduler(std::mutex* m, std::vector<clock_type::time_point>* v) : mtx(m), subscribed_at(v) {}
  action mark() {
    std::lock_guard<std::mutex> guard{*mtx};
    subscribed_at->push_back(clock_type::now());
    return action::keep;
  }
  action registered(scheduler_context&, const Event::Subscribed&) override { return mark(); }
  action reregistered(scheduler_context&, const Event::Subscribed&) override { return mark(); }
};

void leader_change(caf::actor_system& sys) {
  mesos_actor::sim::cluster_options copts;
  copts.masters = 3;
  mesos_actor::sim::cluster sim{copts};
  sim.start();
  std::mutex mtx;
  std::vector<clock_type::time_point> subscribed_at;
  mesos_actor::scheduler_options o;
  o.master_hosts = sim.master_urls();
  quiet(o);
  auto b = std::make_unique<timing_scheduler>(&mtx, &subscribed_at);
  auto a = mesos_actor::spawn_scheduler(sys, std::move(b), o);
  auto count = [&] {
    std::lock_guard<std::mutex> guard{mtx};
    return subscribed_at.size();
  };
  sim.wait_for([&] { return count() == 1; }, 10s);
  std::vector<double> ms;
  for (int i = 0; i < 20; ++i) {
    auto before = count();
    auto t0 = clock_type::now();
    sim.faults().set_leader(static_cast<std::size_t>(i + 1) % 3);
    if (!sim.wait_for([&] { return count() > before; }, 10s)) {
      std::printf("leader change %d: no SUBSCRIBED within 10 s\n", i);
      break;
    }
    std::lock_guard<std::mutex> guard{mtx};
    ms.push_back(std::chrono::duration<double, std::milli>(subscribed_at.back() - t0).count());
  }
  stop_and_wait(sys, a);
  if (ms.empty())
    return;
  std::printf("leader change -> SUBSCRIBED on the new leader (%zu changes, resubscribe_interval 0, "
              "backoff initial %lld ms): median %.1f ms, max %.1f ms\n",
              ms.size(), static_cast<long long>(o.backoff_initial.count()), percentile(ms, 0.5),
              percentile(ms, 1.0));
}

} // namespace

int main(int argc, char** argv) {
  std::string only = "throughput,latency,leader,acks";
  bool hog = false;
  int first = 1;
  for (; first < argc; ++first) {
    std::string arg = argv[first];
    if (arg.rfind("--only=", 0) == 0)
      only = arg.substr(7);
    else if (arg == "--hog")
      hog = true;
    else
      break;
  }
  auto wanted = [&](const std::string& part) { return ("," + only + ",").find("," + part + ",") != std::string::npos; };
  std::size_t events = argc > first ? std::strtoull(argv[first], nullptr, 10) : 200000;
  std::size_t samples = argc > first + 1 ? std::strtoull(argv[first + 1], nullptr, 10) : 2000;
  if (events == 0 || samples == 0) {
    std::fprintf(stderr, "usage: bench_scheduler [--only=throughput,latency,leader,acks] [--hog] "
                         "[events] [latency samples] [CAF options]\n");
    return 2;
  }
  caf::actor_system_config cfg;
  mesos_actor::add_error_category(cfg);
  // Arguments after the two counts are CAF options, so scheduler settings can be compared,
  // e.g. --scheduler.policy=sharing or --work-stealing.moderate-poll-attempts=0.
  if (argc > first + 2) {
    if (auto err = cfg.parse(caf::actor_system_config::string_list(argv + first + 2, argv + argc))) {
      std::fprintf(stderr, "bad CAF option: %s\n", cfg.render(err).c_str());
      return 2;
    }
    if (cfg.cli_helptext_printed) // --help lists the CAF options
      return 0;
  }
  caf::actor_system sys{cfg};
  if (wanted("throughput"))
    throughput(sys, events);
  if (wanted("latency"))
    offer_latency(sys, samples, hog);
  if (wanted("leader"))
    leader_change(sys);
  if (wanted("acks"))
    ack_rate(sys, events / 2);
  return 0;
}
