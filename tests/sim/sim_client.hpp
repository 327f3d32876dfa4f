#pragma once
// A plain cpp-httplib client for the simulator tests: single calls, and a
// subscription reader that strips RecordIO itself (not our scheduler library).

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"
#include "mesos_actor/sim/cluster.hpp"

namespace simtest {

using namespace std::chrono_literals;
using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;
using mesos_actor::content_type;

inline constexpr const char* scheduler_path = "/api/v1/scheduler";

struct reply {
  int status = 0; ///< 0 = transport error
  httplib::Headers headers;
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

std::unique_ptr<httplib::Client> make_client(const std::string& url);

/// POSTs a raw body with exactly these headers (nothing added but Host etc.).
reply post_raw(const std::string& url, const std::string& body, const httplib::Headers& headers,
               const std::string& path = scheduler_path, const std::string& method = "POST");

/// POSTs `call` encoded as `type` with matching Content-Type (and Accept).
reply post_call(const std::string& url, const Call& call, content_type type = content_type::json,
                const std::string& stream_id = {}, httplib::Headers extra = {});

/// A SUBSCRIBE call for a new (or, with `id`, failing-over) framework.
Call subscribe_call(const std::string& name = "test", const std::string& id = {},
                    std::vector<std::string> roles = {}, double failover_timeout = 0,
                    bool partition_aware = false);

/// A non-SUBSCRIBE call of `type` for framework `fid`.
Call call_of(Call::Type type, const std::string& fid);

/// An open SUBSCRIBE stream read on its own thread.
class subscription {
public:
  subscription(const std::string& url, const Call& subscribe,
               content_type body_type = content_type::json,
               std::optional<std::string> accept = std::nullopt, httplib::Headers extra = {},
               const std::string& path = scheduler_path);
  ~subscription();
  subscription(const subscription&) = delete;
  subscription& operator=(const subscription&) = delete;

  /// Waits for the response headers; the HTTP status (0 on transport error).
  int status(std::chrono::milliseconds timeout = 5s);
  std::string header(const std::string& name);
  std::string stream_id() { return header("Mesos-Stream-Id"); }
  /// The framework id from SUBSCRIBED (waits for it).
  std::string framework_id(std::chrono::milliseconds timeout = 5s);

  /// Next event (any type) or nullopt on timeout / end.
  std::optional<Event> next(std::chrono::milliseconds timeout = 5s);
  /// Next event of `type`, skipping others.
  std::optional<Event> next(Event::Type type, std::chrono::milliseconds timeout = 5s);
  /// Waits for the end of the stream; true if it ended.
  bool wait_end(std::chrono::milliseconds timeout = 5s);
  /// The transport outcome once ended: httplib::Error::Success for a clean end.
  httplib::Error transport_error();
  std::optional<mesos_actor::recordio_error> framing_error();
  std::size_t decode_failures();
  std::size_t events_received();
  /// Closes the connection from the client side.
  void close();

private:
  std::unique_ptr<httplib::Client> cli_;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool have_headers_ = false;
  int status_ = 0;
  httplib::Headers headers_;
  std::deque<Event> events_;
  std::size_t received_ = 0;
  std::size_t decode_failures_ = 0;
  std::optional<mesos_actor::recordio_error> framing_error_;
  bool ended_ = false;
  httplib::Error error_ = httplib::Error::Success;
  std::string framework_id_;
};

/// Cluster options for fast tests.
mesos_actor::sim::cluster_options fast_options();

/// Raw TCP exchange: sends `request` bytes, reads until `done(received)` or timeout.
std::string raw_exchange(int port, const std::string& request,
                         const std::function<bool(const std::string&)>& done,
                         std::chrono::milliseconds timeout = 5s);

int port_of(const std::string& url);

} // namespace simtest

namespace simtest {

/// A subscribed framework: its stream plus helpers to send calls on it.
struct session {
  session(const std::string& url, const Call& subscribe,
          content_type type = content_type::json)
    : url(url), type(type), sub(url, subscribe, type, std::string(mesos_actor::media_type(type))) {
    fid = sub.framework_id();
    sid = sub.stream_id();
  }
  /// Sends a call of this framework (framework id filled in).
  reply send(Call c) {
    c.mutable_framework_id()->set_value(fid);
    return post_call(url, c, type, sid);
  }
  std::string url;
  content_type type;
  subscription sub;
  std::string fid;
  std::string sid;
};

/// The first offer of the next OFFERS event on `s` (fails the test when none comes).
mesos::v1::Offer first_offer(session& s);

/// ACCEPT of `offer` launching one command task using `resources` ("cpus:1;mem:32").
Call launch_call(const mesos::v1::Offer& offer, const std::string& task_id,
                 const std::string& command, double cpus = 0.1, double mem = 32,
                 std::optional<double> refuse_seconds = std::nullopt);
/// ACKNOWLEDGE of an UPDATE's status.
Call ack_call(const mesos::v1::TaskStatus& status);

} // namespace simtest
