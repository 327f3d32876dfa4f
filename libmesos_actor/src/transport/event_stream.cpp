#include "transport/event_stream.hpp"

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/system_messages.hpp>

#include "mesos_actor/codec/recordio.hpp"
#include "transport/exit_reason.hpp"

namespace mesos_actor::transport {

void stream_control::stop() {
  std::lock_guard<std::mutex> guard{mtx_};
  stop_requested_ = true;
  cancel_->cancel();
}

bool stream_control::stop_requested() const {
  return stop_requested_.load();
}

class stream_worker {
public:
  stream_worker(stream_config cfg, std::shared_ptr<stream_sink> sink,
                std::shared_ptr<stream_control> ctl)
    : cfg_(std::move(cfg)), sink_(std::move(sink)), ctl_(std::move(ctl)),
      decoder_(cfg_.max_record_size) {
  }

  void run() {
    const auto& http = cfg_.http;
    http_connection conn{http, ctl_->cancel_}; // TLS set-up; this attempt's Authorization
    if (ctl_->stop_requested())
      return;
    // A 200's body is the stream (its records bounded by the decoder); any other
    // answer's body is an error text, bounded like a call's.
    http_response_parser parser{http.limits, http.limits.max_call_response_body, true};
    auto outcome = conn.open();
    if (!outcome) {
      auto request = format_post(http.target, http.encoding, conn.headers(), cfg_.body, false,
                                 conn.absolute_form());
      outcome = conn.write(request, http_connection::clock::now() + http.write_timeout);
    }
    if (!outcome)
      outcome = conn.read_response(
        parser, http_connection::clock::time_point::max(), http.read_timeout,
        [&](const http_response_head& head) { return on_head(head); },
        [&](std::string_view bytes) { return on_bytes(bytes); });
    conn.close();
    finish(outcome);
  }

private:
  bool on_head(const http_response_head& head) {
    if (ctl_->stop_requested())
      return false;
    response_.generation = cfg_.generation;
    response_.status = head.status;
    response_.stream_id = head.get("Mesos-Stream-Id");
    response_.content_type = head.get("Content-Type");
    response_.location = head.get("Location");
    got_head_ = true;
    if (head.status != 200)
      return true; // read the (bounded) body, report it at the end
    auto type = parse_content_type(response_.content_type);
    std::lock_guard<std::mutex> guard{ctl_->mtx_}; // no on_response once stop() returned
    if (ctl_->stop_requested_)
      return false;
    open_ = true;
    sink_->on_response(response_);
    if (!type) {
      end_ = stream_end::protocol_error;
      end_detail_ = "unsupported Content-Type of the events: '" + response_.content_type + "'";
      return false;
    }
    encoding_ = *type;
    return true;
  }

  bool on_bytes(std::string_view bytes) {
    if (ctl_->stop_requested())
      return false;
    if (!open_) {
      auto room = cfg_.http.max_error_body - std::min(cfg_.http.max_error_body, response_.body.size());
      response_.body.append(bytes.substr(0, room));
      return true;
    }
    auto err = decoder_.feed(bytes, [&](std::string_view record) {
      if (ctl_->stop_requested())
        return false;
      auto index = records_++;
      if (auto problem = sink_->on_record(record, encoding_, index)) {
        end_ = stream_end::decode_error;
        end_detail_ = "record " + std::to_string(index) + ": " + *problem;
        return false;
      }
      return true;
    });
    sink_->on_piece_end();
    if (err) {
      end_ = stream_end::recordio_error;
      end_detail_ = err->message();
      return false;
    }
    return !end_ && !ctl_->stop_requested();
  }

  void finish(const io_result& outcome) {
    if (!open_) {
      std::lock_guard<std::mutex> guard{ctl_->mtx_}; // no on_response once stop() returned
      if (ctl_->stop_requested_)
        return;
      if (!got_head_ || outcome) {
        // No (complete, acceptable) HTTP answer: refused, reset, timed out, or a head
        // or error body that broke HTTP or a limit.
        response_ = stream_response{};
        response_.generation = cfg_.generation;
        response_.transport_error = outcome ? outcome->text : "no response";
        response_.timed_out = outcome && outcome->timed_out();
      }
      sink_->on_response(std::move(response_));
      return;
    }
    stream_closed closed;
    closed.generation = cfg_.generation;
    closed.records = records_;
    if (end_) {
      closed.kind = *end_;
      closed.detail = end_detail_;
    } else if (ctl_->stop_requested()) {
      closed.kind = stream_end::stopped;
    } else if (outcome && outcome->what == io_failure::kind::protocol) {
      closed.kind = stream_end::protocol_error;
      closed.detail = outcome->text;
    } else if (outcome) {
      closed.kind = stream_end::transport_error;
      closed.detail = outcome->text;
    } else if (auto trunc = decoder_.finish()) {
      closed.kind = stream_end::recordio_error;
      closed.detail = trunc->message();
    } else {
      closed.kind = stream_end::eof;
    }
    sink_->on_closed(std::move(closed));
  }

  stream_config cfg_;
  std::shared_ptr<stream_sink> sink_;
  std::shared_ptr<stream_control> ctl_;
  recordio_decoder decoder_;
  content_type encoding_ = content_type::protobuf;
  stream_response response_;
  std::uint64_t records_ = 0;
  bool got_head_ = false;
  bool open_ = false;
  std::optional<stream_end> end_;
  std::string end_detail_;
};

namespace {

// The worker's actor: run() on its own thread. An exit signal is acted on when it is
// delivered (enqueue runs on the sender's thread), since run() never reads the mailbox.
class stream_worker_actor : public caf::blocking_actor {
public:
  stream_worker_actor(caf::actor_config& cfg, std::shared_ptr<stream_worker> worker,
                      std::shared_ptr<stream_control> control, caf::actor_addr owner)
    : caf::blocking_actor(cfg), worker_(std::move(worker)), control_(std::move(control)),
      owner_(std::move(owner)) {
  }

  void enqueue(caf::mailbox_element_ptr x, caf::execution_unit* host) override {
    if (x && x->content().match_elements<caf::exit_msg>()) {
      const auto& m = x->content().get_as<caf::exit_msg>(0);
      if (m.reason || (owner_ && m.source == owner_)) {
        {
          std::lock_guard<std::mutex> guard{reason_mtx_};
          if (!exit_reason_)
            exit_reason_ = linkable_exit_reason(m.reason);
        }
        control_->stop();
      }
    }
    caf::blocking_actor::enqueue(std::move(x), host);
  }

  void act() override {
    worker_->run();
    std::lock_guard<std::mutex> guard{reason_mtx_};
    if (exit_reason_)
      fail_state(exit_reason_); // linked actors see why it ended
  }

private:
  std::shared_ptr<stream_worker> worker_;
  std::shared_ptr<stream_control> control_;
  caf::actor_addr owner_;
  std::mutex reason_mtx_;
  caf::error exit_reason_;
};

} // namespace

event_stream spawn_event_stream(caf::actor_system& sys, const caf::actor_addr& owner,
                                stream_config cfg, std::shared_ptr<stream_sink> sink) {
  auto ctl = std::make_shared<stream_control>();
  auto worker = std::make_shared<stream_worker>(std::move(cfg), std::move(sink), ctl);
  // A blocking actor runs on its own thread; the actor system waits for it.
  return {sys.spawn<stream_worker_actor>(std::move(worker), ctl, owner), ctl};
}

} // namespace mesos_actor::transport
