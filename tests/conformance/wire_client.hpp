#pragma once
// A raw HTTP/1.1 client for the conformance scenarios: it sends exactly the bytes a
// scenario asks for (any method, any or no Content-Type, extra headers) so a master's
// answers to bad requests can be recorded too, and reads a SUBSCRIBE stream's
// RecordIO records in a thread of its own. Loopback, plain HTTP, bounded waits.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace conformance {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// A request as the scenario wants it on the wire.
struct http_request {
  std::string method = "POST";
  std::string path = "/api/v1/scheduler";
  header_list headers;  ///< sent as given (Host, Content-Length and Connection are added)
  std::string body;
};

/// A complete answer (or the head of a stream, body empty).
struct http_answer {
  int status = 0;
  header_list headers;
  std::string body;
  /// The first header of this name (case-insensitive), or nullopt.
  std::optional<std::string> get(const std::string& name) const;
};

/// Sends `req` to host:port on a new connection and reads the whole answer. Throws
/// std::runtime_error (naming what failed) on connect/read errors or after `timeout`.
http_answer send_request(const std::string& host_port, const http_request& req,
                     std::chrono::milliseconds timeout = std::chrono::seconds(15));

/// A streaming answer (SUBSCRIBE): the head once it arrived, then its RecordIO records
/// as a reader thread decodes them.
class event_stream {
public:
  /// Connects, sends `req` and waits up to `timeout` for the head. Throws like send_request.
  event_stream(const std::string& host_port, const http_request& req,
               std::chrono::milliseconds timeout = std::chrono::seconds(15));
  ~event_stream();
  event_stream(const event_stream&) = delete;
  event_stream& operator=(const event_stream&) = delete;

  /// The answer's status and headers; for a non-200 answer its body too.
  const http_answer& head() const { return head_; }
  /// The next record's payload; nullopt after `timeout`, or once the stream ended and
  /// every record was taken.
  std::optional<std::string> next(std::chrono::milliseconds timeout);
  /// True once the peer ended the stream (EOF or a final chunk) or it broke.
  bool ended() const;
  /// Waits up to `timeout` for the end of the stream; whether it ended.
  bool wait_end(std::chrono::milliseconds timeout);
  /// Closes the connection (the peer sees the subscription go away).
  void close();

private:
  void read_loop();

  int fd_ = -1;
  int wake_[2] = {-1, -1};
  http_answer head_;
  std::string leftover_;  // bytes read with the head
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<std::string> records_;
  bool ended_ = false;
  std::thread reader_;
};

} // namespace conformance
