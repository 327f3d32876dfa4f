#pragma once
// One HTTP/1.1 client connection to a master or agent: a blocking API over a
// non-blocking socket, every wait a poll() with a deadline, so no peer can hold a
// caller longer than its timeouts, and a cancel from another thread ends any wait at
// once. Writing a request and reading a response are separate steps, so a pipelining
// client (the call channel) writes several requests before reading their responses,
// and a connection_wake lets it leave a read to write more and come back to it.
//
// No signal is ever raised or masked: plain writes use send(MSG_NOSIGNAL), TLS writes
// go through a BIO that does the same (tls_setup.hpp). Sockets are CLOEXEC with
// TCP_NODELAY. Host names are resolved with getaddrinfo(), which cannot be cancelled
// (a stop waits for the resolver's own timeout at worst).
//
// Through an HTTP proxy (proxy_route.hpp), an https target is reached by a CONNECT
// tunnel, then TLS with the target itself (SNI and certificate check name the
// target, never the proxy); an http target by requests in absolute form
// ("POST http://host:port/path"), which any forward proxy accepts, where CONNECT to a
// port other than 443 is refused by common defaults (squid's SSL_ports). Every text
// names the proxy with its credentials masked.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "transport/http_response_parser.hpp"
#include "transport/http_settings.hpp"
#include "transport/proxy_route.hpp"

typedef struct ssl_st SSL;

namespace mesos_actor::transport {

class tls_client;

/// Ends the waits of the connections that share it, from any thread, without
/// blocking (an eventfd every poll() watches).
class connection_cancel {
public:
  connection_cancel();
  ~connection_cancel();
  connection_cancel(const connection_cancel&) = delete;
  connection_cancel& operator=(const connection_cancel&) = delete;
  /// Idempotent.
  void cancel();
  bool cancelled() const { return cancelled_.load(); }
  int fd() const { return fd_; }

private:
  std::atomic<bool> cancelled_{false};
  int fd_ = -1;
};

/// Lets another thread end a read_response() wait early so its caller can do other
/// work (write more requests) and resume the read later: an eventfd that signal()
/// makes readable until clear().
class connection_wake {
public:
  connection_wake();
  ~connection_wake();
  connection_wake(const connection_wake&) = delete;
  connection_wake& operator=(const connection_wake&) = delete;
  /// From any thread; never blocks.
  void signal();
  /// Drops the pending signal, if any.
  void clear();
  int fd() const { return fd_; }

private:
  int fd_ = -1;
};

/// Why a step failed.
struct io_failure {
  enum class kind {
    setup,      ///< credentials or TLS context: no request can be sent
    connect,    ///< resolve, connect or TLS handshake
    timeout,    ///< a deadline or the idle timeout passed
    cancelled,  ///< connection_cancel::cancel()
    closed,     ///< reset, or closed before the response was complete
    protocol,   ///< the response broke HTTP/1.1 or a limit (the parser's text)
    stopped,    ///< the caller's on_head/on_body asked to stop
    woken,      ///< connection_wake::signal() during a read: not a failure, the read
                ///< may be resumed with the same parser (nothing was lost)
  };
  kind what = kind::closed;
  std::string text;
  bool timed_out() const { return what == kind::timeout; }
};

using io_result = std::optional<io_failure>;  ///< nullopt: the step succeeded

/// "POST <path> HTTP/1.1" (with `absolute_form`: "POST http://host:port<path>", for a
/// proxy) with Host, Content-Type and Accept of `encoding`, the given headers in
/// order, Content-Length, and "Connection: close" unless `keep_alive`.
std::string format_post(const endpoint& target, content_type encoding, const header_list& headers,
                        std::string_view body, bool keep_alive, bool absolute_form = false);

class http_connection {
public:
  using clock = std::chrono::steady_clock;
  using head_callback = std::function<bool(const http_response_head&)>;

  /// Resolves the Authorization header, the proxy (options, then environment) and,
  /// for https, builds the TLS context; a problem shows in setup_failure(). `cancel`
  /// may be null.
  explicit http_connection(http_settings http, std::shared_ptr<connection_cancel> cancel = nullptr);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  const http_settings& settings() const { return http_; }
  /// Why no request can be sent (credentials, TLS set-up); empty when fine.
  const std::string& setup_failure() const { return setup_failure_; }
  /// extra_headers plus Authorization (and Proxy-Authorization in absolute form):
  /// what every request carries. Never logged.
  const header_list& headers() const { return headers_; }
  /// Requests go to an HTTP proxy, so they name the target in absolute form.
  bool absolute_form() const { return route_ && !route_->tunnel; }
  /// The proxy carrying this connection, if any.
  const std::optional<proxy_route>& route() const { return route_; }

  bool is_open() const { return fd_ >= 0; }
  /// Whether an open, idle connection may still carry a request: the peer has not
  /// closed it and sent nothing unasked. Never blocks.
  bool idle_and_usable();
  /// Connects (getaddrinfo, each address in turn) to the target or its proxy within
  /// connect_timeout; through a proxy to an https target, asks for a CONNECT tunnel
  /// within connect_timeout again (any non-2xx answer fails, naming the proxy); then
  /// does the TLS handshake (https) within connect_timeout again. No-op when open.
  io_result open();
  /// Writes all of `bytes` before `deadline`. bytes_written() tells how much the
  /// kernel took before a failure (0: nothing of the request left this host).
  io_result write(std::string_view bytes, clock::time_point deadline);
  std::size_t bytes_written() const { return written_; }
  /// No TLS: the bytes go to the socket as they are.
  bool plain() const { return ssl_ == nullptr; }
  /// Plain connections only: writes what the kernel takes now without waiting and
  /// returns how much that was (0 also when the connection is broken: the next step
  /// finds out). Touches nothing but the socket, so another thread may call it while
  /// this connection's user sleeps in read_response() (see call_door.hpp).
  std::size_t write_now(std::string_view bytes) const;
  /// Reads one response into `parser` until it is complete. `deadline` bounds the
  /// whole read, `idle` (zero: none) each silence. `on_head` sees the final head
  /// once, before any body byte; body bytes go to `on_body`; either returning false
  /// ends the read with kind::stopped. Bytes after the response stay buffered. In
  /// absolute form a 407, 502 or 504 head is the proxy's own refusal: kind::connect,
  /// on_head is not called.
  io_result read_response(http_response_parser& parser, clock::time_point deadline,
                          std::chrono::milliseconds idle, const head_callback& on_head,
                          const http_response_parser::body_callback& on_body);
  /// From now on read_response() returns kind::woken when `wake` is signalled while it
  /// waits for bytes (null: never). Writes and the TLS handshake are not woken.
  void set_wake(std::shared_ptr<connection_wake> wake) { wake_ = std::move(wake); }
  /// Runs on this thread each time a step is about to wait for the socket (what the
  /// caller collected can leave before the thread sleeps). Empty: nothing.
  void set_before_wait(std::function<void()> f) { before_wait_ = std::move(f); }
  /// Bytes received beyond the last response.
  bool has_unread() const { return begin_ != end_; }
  void close();

private:
  enum class wait_result { ready, timeout, cancelled, failed, woken };
  // `wakeable`: wake_ may end the wait (only reads of a response).
  wait_result wait(short events, clock::time_point until, bool wakeable = false);
  io_result connect_socket(clock::time_point deadline);
  io_result open_tunnel(clock::time_point deadline);
  // The proxy's refusal of `what` ("CONNECT host:port", "POST url") as kind::connect.
  io_failure proxy_refused(const http_response_head& head, const std::string& what);
  io_result handshake(clock::time_point deadline);
  // >0 bytes read, 0 end of stream, or a failure.
  io_result read_some(clock::time_point deadline, std::chrono::milliseconds idle, std::size_t& got);
  io_failure failed(io_failure::kind what, std::string text);

  http_settings http_;
  std::shared_ptr<connection_cancel> cancel_;
  std::shared_ptr<connection_wake> wake_;
  std::function<void()> before_wait_;
  bool reading_ = false;  // read_response() runs: waits for bytes may be woken
  std::string base_url_;
  std::string setup_failure_;
  header_list headers_;
  std::optional<proxy_route> route_;
  std::unique_ptr<tls_client> tls_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::size_t written_ = 0;
  std::unique_ptr<char[]> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

} // namespace mesos_actor::transport
