#include "transport/event_stream.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>

#include "mesos_actor/codec/recordio.hpp"
#include "transport/tls_setup.hpp"

namespace mesos_actor::transport {

void stream_control::stop() {
  std::lock_guard<std::mutex> guard{mtx_};
  stop_requested_ = true;
  // Not httplib's Client::stop(): it waits for a pending connect.
  if (socket_ >= 0)
    ::shutdown(socket_, SHUT_RDWR);
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
    httplib::Client cli{http.target.base_url()};
    connection_security security{cli, http}; // TLS set-up; this attempt's Authorization
    cli.set_connection_timeout(http.connect_timeout);
    cli.set_read_timeout(http.read_timeout);
    cli.set_write_timeout(http.write_timeout);
    cli.set_tcp_nodelay(true);
    cli.set_keep_alive(false);
    cli.set_follow_location(false);
    cli.set_socket_options([this](socket_t sock) { watch_socket(sock); });

    httplib::Request req;
    req.method = "POST";
    req.path = http.target.path;
    auto media = std::string{media_type(http.encoding)};
    req.set_header("Content-Type", media);
    req.set_header("Accept", media);
    for (auto& [name, value] : security.headers())
      req.set_header(name, value);
    req.body = cfg_.body;
    req.response_handler = [&](const httplib::Response& res) { return on_headers(res); };
    req.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
      return on_bytes(std::string_view{data, size});
    };

    if (ctl_->stop_requested())
      return;
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    bool ok = security.failure().empty() && cli.send(req, res, err);
    unwatch_socket();
    finish(ok, err, security.explain(err));
  }

private:
  // Called by httplib on a new socket, before it connects.
  void watch_socket(socket_t sock) {
    std::lock_guard<std::mutex> guard{ctl_->mtx_};
    if (ctl_->socket_ >= 0)
      ::close(ctl_->socket_);
    ctl_->socket_ = ::fcntl(sock, F_DUPFD_CLOEXEC, 0);
    if (ctl_->stop_requested_)
      ::shutdown(sock, SHUT_RDWR);
  }

  void unwatch_socket() {
    std::lock_guard<std::mutex> guard{ctl_->mtx_};
    if (ctl_->socket_ >= 0)
      ::close(ctl_->socket_);
    ctl_->socket_ = -1;
  }

  bool on_headers(const httplib::Response& res) {
    if (ctl_->stop_requested())
      return false;
    response_.generation = cfg_.generation;
    response_.status = res.status;
    response_.stream_id = res.get_header_value("Mesos-Stream-Id");
    response_.content_type = res.get_header_value("Content-Type");
    response_.location = res.get_header_value("Location");
    got_headers_ = true;
    if (res.status != 200)
      return true; // read the (bounded) body, report it at the end
    auto type = parse_content_type(response_.content_type);
    if (!type) {
      end_ = stream_end::protocol_error;
      end_detail_ = "unsupported Content-Type of the events: '" + response_.content_type + "'";
      open_ = true;
      sink_->on_response(response_);
      return false;
    }
    encoding_ = *type;
    {
      std::lock_guard<std::mutex> guard{ctl_->mtx_}; // no on_response once stop() returned
      if (ctl_->stop_requested_)
        return false;
    }
    open_ = true;
    sink_->on_response(response_);
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

  void finish(bool ok, httplib::Error err, const std::string& why) {
    if (!open_) {
      if (ctl_->stop_requested())
        return;
      if (!got_headers_ || !ok) {
        // No (complete) HTTP answer: refused, reset, timed out.
        response_ = stream_response{};
        response_.generation = cfg_.generation;
        response_.transport_error = why;
        response_.timed_out = err == httplib::Error::ConnectionTimeout
                              || err == httplib::Error::Read;
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
    } else if (!ok) {
      closed.kind = stream_end::transport_error;
      closed.detail = why;
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
  bool got_headers_ = false;
  bool open_ = false;
  std::optional<stream_end> end_;
  std::string end_detail_;
};

std::shared_ptr<stream_control> start_event_stream(caf::actor_system& sys, stream_config cfg,
                                                   std::shared_ptr<stream_sink> sink) {
  auto ctl = std::make_shared<stream_control>();
  auto worker = std::make_shared<stream_worker>(std::move(cfg), std::move(sink), ctl);
  // A blocking actor runs on its own thread; the actor system waits for it. The worker
  // goes in as an argument: CAF 0.17 dereferences a null argument tuple when a function
  // actor takes none (UBSan "reference binding to null pointer").
  sys.spawn([](caf::blocking_actor*, const std::shared_ptr<stream_worker>& w) { w->run(); },
            worker);
  return ctl;
}

} // namespace mesos_actor::transport
