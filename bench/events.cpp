// Small-event streaming cost through our scheduler client, protobuf and JSON side by
// side in one run: a fake master on loopback answers SUBSCRIBE with SUBSCRIBED, then
// N small MESSAGE events (the same events in either encoding), then one OFFERS event;
// the framework declines the offer. Reported: the time from the first MESSAGE written
// to the DECLINE received by the master, per event (target for JSON: <= 0.55 us/event;
// issue 15, item 4). Each encoding runs several passes; the best is reported. Beside the
// wall time, the CPU time of the whole process over the same interval (client and fake
// master, all threads) and of the codec-only loop, per event: on a shared machine the
// wall figure also counts the time other processes had the cores.
//
// usage: bench_events [events, default 100000] [passes, default 3]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include <httplib.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"
#include "mesos_actor/scheduler.hpp"
#include "support/sample_messages.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;
using mesos_actor::action;
using mesos_actor::content_type;
using mesos_actor::scheduler_context;

double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// One pass: wall and process CPU seconds from the first event to the DECLINE.
struct timing {
  double wall = 0;
  double cpu = 0;
};

Event one_offer() {
  Event e;
  e.set_type(Event::OFFERS);
  auto& o = *e.mutable_offers()->add_offers();
  o.mutable_id()->set_value("offer-1");
  o.mutable_framework_id()->set_value("bench-fw");
  o.mutable_agent_id()->set_value("agent-1");
  o.set_hostname("host-1");
  auto& r = *o.add_resources();
  r.set_name("cpus");
  r.set_type(mesos::v1::Value::SCALAR);
  r.mutable_scalar()->set_value(4);
  return e;
}

// SUBSCRIBED, then the events, then nothing until destroyed; DECLINE stops the clock.
class streaming_master {
public:
  streaming_master(content_type ct, const std::string& events, std::promise<timing>& done)
    : events_(events), done_(done) {
    Event sub;
    sub.set_type(Event::SUBSCRIBED);
    sub.mutable_subscribed()->mutable_framework_id()->set_value("bench-fw");
    sub.mutable_subscribed()->set_heartbeat_interval_seconds(15);
    head_ = mesos_actor::recordio_encode(mesos_actor::encode(sub, ct));
    server_.Post("/api/v1/scheduler", [this, ct](const httplib::Request& req, httplib::Response& res) {
      Call call;
      if (mesos_actor::decode(req.body, ct, call)) {
        res.status = 400;
        return;
      }
      if (call.type() == Call::DECLINE) {
        const double s = std::chrono::duration<double>(clock_type::now() - start_).count();
        const double cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start_;
        if (!declined_.exchange(true))
          done_.set_value({s, cpu});
      }
      if (call.type() != Call::SUBSCRIBE) {
        res.status = 202;
        return;
      }
      res.set_header("Mesos-Stream-Id", "bench-stream");
      res.set_chunked_content_provider(std::string{mesos_actor::media_type(ct)},
                                       [this](size_t offset, httplib::DataSink& sink) {
        if (offset == 0) {
          sink.write(head_.data(), head_.size());
          std::this_thread::sleep_for(50ms); // SUBSCRIBED handled before the clock starts
          start_ = clock_type::now();
          cpu_start_ = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
          constexpr std::size_t piece = 64 * 1024;
          for (std::size_t at = 0; at < events_.size(); at += piece)
            if (!sink.write(events_.data() + at, std::min(piece, events_.size() - at)))
              return false;
          return true;
        }
        std::this_thread::sleep_for(10ms);
        if (stopping_) {
          sink.done();
          return true;
        }
        return sink.is_writable();
      });
    });
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~streaming_master() {
    stopping_ = true;
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
  const std::string& events_;
  std::promise<timing>& done_;
  std::string head_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  clock_type::time_point start_;
  double cpu_start_ = 0;
  std::atomic<bool> declined_{false};
  std::atomic<bool> stopping_{false};
};

struct declining_scheduler : mesos_actor::scheduler {
  std::size_t messages = 0;
  action framework_message(scheduler_context&, const Event::Message&) override {
    ++messages;
    return action::keep;
  }
  action resource_offers(scheduler_context& ctx, const Event::Offers& offers) override {
    for (const auto& offer : offers.offers())
      ctx.decline({offer.id()}, mesos_actor::refuse_filters(0));
    return action::keep;
  }
};

void stop_and_wait(caf::actor_system& sys, const caf::actor& a) {
  caf::scoped_actor self{sys};
  self->send_exit(a, caf::exit_reason::user_shutdown);
  self->wait_for(a);
}

// Seconds of RecordIO + decode of the whole stream (wall and this thread's CPU), best
// of `passes`.
timing codec_only(const std::string& stream, content_type ct, int passes) {
  timing best;
  for (int pass = 0; pass < passes; ++pass) {
    Event event;
    mesos_actor::recordio_decoder dec;
    const auto start = clock_type::now();
    const double cpu_start = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    constexpr std::size_t piece = 64 * 1024;
    for (std::size_t at = 0; at < stream.size(); at += piece)
      dec.feed(std::string_view(stream).substr(at, piece), [&](std::string_view r) {
        if (mesos_actor::decode(r, ct, event)) {
          std::fprintf(stderr, "bench_events: decode failed\n");
          std::exit(1);
        }
        return true;
      });
    const double s = std::chrono::duration<double>(clock_type::now() - start).count();
    const double cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
    best.wall = pass == 0 ? s : std::min(best.wall, s);
    best.cpu = pass == 0 ? cpu : std::min(best.cpu, cpu);
  }
  return best;
}

// Best seconds over `passes` for the whole stream in one encoding.
double run(caf::actor_system& sys, content_type ct, std::size_t n, int passes) {
  std::string stream;
  for (std::size_t i = 0; i < n; ++i)
    mesos_actor::recordio_append(stream, mesos_actor::encode(samples::small_message(i), ct));
  mesos_actor::recordio_append(stream, mesos_actor::encode(one_offer(), ct));
  timing best;
  for (int pass = 0; pass < passes; ++pass) {
    std::promise<timing> done;
    auto fut = done.get_future();
    streaming_master master{ct, stream, done};
    mesos_actor::scheduler_options o;
    o.master_hosts = {master.url()};
    o.content = ct;
    o.auto_acknowledge = false;
    o.logging.min_level = mesos_actor::log_level::error;
    auto a = mesos_actor::spawn_scheduler(sys, std::make_unique<declining_scheduler>(), o);
    if (fut.wait_for(120s) != std::future_status::ready) {
      std::fprintf(stderr, "bench_events: no DECLINE within 120 s (%s)\n",
                   std::string{mesos_actor::content_type_name(ct)}.c_str());
      std::exit(1);
    }
    const timing t = fut.get();
    best.wall = pass == 0 ? t.wall : std::min(best.wall, t.wall);
    best.cpu = pass == 0 ? t.cpu : std::min(best.cpu, t.cpu);
    stop_and_wait(sys, a);
  }
  const timing codec = codec_only(stream, ct, passes);
  const double per = 1e6 / static_cast<double>(n);
  std::printf("  %-9s %8zu B/event %8.3f us/event %10.0f events/s   cpu %.3f us/event   codec only %.3f us/event, "
              "cpu %.3f\n",
              std::string{mesos_actor::content_type_name(ct)}.c_str(), stream.size() / (n + 1), best.wall * per,
              static_cast<double>(n) / best.wall, best.cpu * per, codec.wall * per, codec.cpu * per);
  return best.wall;
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  const int passes = argc > 2 ? std::atoi(argv[2]) : 3;
  if (n == 0 || passes <= 0) {
    std::fprintf(stderr, "usage: bench_events [events > 0] [passes > 0]\n");
    return 2;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::printf("%zu small MESSAGE events then one OFFERS event, declined; first event -> DECLINE at the master, best of %d\n"
              "(cpu: the whole process's CPU time over that interval, client and fake master; codec only: one thread)\n",
              n, passes);
  const double pb = run(sys, content_type::protobuf, n, passes);
  const double js = run(sys, content_type::json, n, passes);
  std::printf("ratio json/protobuf: %.2fx (target: json <= 0.55 us/event)\n", js / pb);
  return 0;
}
