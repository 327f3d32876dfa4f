#include "transport/http_connection.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "mesos_actor/errors.hpp"
#include "transport/tls_setup.hpp"

namespace mesos_actor::transport {

namespace {

constexpr std::size_t read_buffer_size = 16u * 1024u;

std::string ms_text(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

std::string host_header(const endpoint& target) {
  auto host = target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host;
  bool default_port = target.port == (target.tls() ? 443 : 80);
  return default_port ? host : host + ":" + std::to_string(target.port);
}

// "host:port" as CONNECT names it (the port always; IPv6 bracketed).
std::string tunnel_authority(const endpoint& target) {
  auto host = target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host;
  return host + ":" + std::to_string(target.port);
}

// 407: the proxy wants (other) credentials; 502/504: it could not reach the target.
// A Mesos master or agent never answers these itself.
bool is_proxy_refusal(int status) {
  return status == 407 || status == 502 || status == 504;
}

} // namespace

// --- connection_cancel -----------------------------------------------------------------

connection_cancel::connection_cancel() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
}

connection_cancel::~connection_cancel() {
  if (fd_ >= 0)
    ::close(fd_);
}

void connection_cancel::cancel() {
  if (cancelled_.exchange(true) || fd_ < 0)
    return;
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one); // non-blocking; the flag is the truth
}

// --- connection_wake -------------------------------------------------------------------

connection_wake::connection_wake() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
}

connection_wake::~connection_wake() {
  if (fd_ >= 0)
    ::close(fd_);
}

void connection_wake::signal() {
  std::uint64_t one = 1;
  if (fd_ >= 0)
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one); // non-blocking; a counter
}

void connection_wake::clear() {
  std::uint64_t count = 0;
  if (fd_ >= 0)
    [[maybe_unused]] auto n = ::read(fd_, &count, sizeof count); // EAGAIN when not signalled
}

// --- request -------------------------------------------------------------------------

std::string format_post(const endpoint& target, content_type encoding, const header_list& headers,
                        std::string_view body, bool keep_alive, bool absolute_form) {
  std::string media{media_type(encoding)};
  std::string out;
  out.reserve(256 + body.size());
  out += "POST " + (absolute_form ? target.url() : target.path) + " HTTP/1.1\r\n";
  out += "Host: " + host_header(target) + "\r\n";
  out += "Content-Type: " + media + "\r\n";
  out += "Accept: " + media + "\r\n";
  for (auto& [name, value] : headers)
    out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!keep_alive)
    out += "Connection: close\r\n";
  out += "User-Agent: mesos-actor\r\n\r\n";
  out += body;
  return out;
}

// --- http_connection -------------------------------------------------------------------

http_connection::http_connection(http_settings http, std::shared_ptr<connection_cancel> cancel)
  : http_(std::move(http)), cancel_(std::move(cancel)), base_url_(http_.target.base_url()) {
  auto proxy = choose_proxy(http_.proxy, http_.target);
  if (!proxy.error.empty()) {
    setup_failure_ = "proxy for " + base_url_ + ": " + proxy.error;
    return;
  }
  route_ = std::move(proxy.route);
  if (route_)
    base_url_ += " via proxy " + route_->display;
  headers_ = http_.extra_headers;
  if (!http_.auth.empty()) {
    auto value = http_.auth.authorization();
    if (!value) {
      setup_failure_ = "credentials: " + error_detail(value.error());
      return;
    }
    headers_.emplace_back("Authorization", std::move(*value));
  }
  if (absolute_form() && !route_->authorization.empty())
    headers_.emplace_back("Proxy-Authorization", route_->authorization);
  for (auto& [name, value] : headers_)
    if (name.empty() || name.find_first_of(":\r\n") != std::string::npos
        || value.find_first_of("\r\n") != std::string::npos) {
      setup_failure_ = "request header '" + (name == "Authorization" ? name : name.substr(0, 64))
                       + "' has a bad name or a line break in its value";
      return;
    }
  if (http_.target.tls()) {
    tls_ = std::make_unique<tls_client>(http_);
    setup_failure_ = tls_->failure();
  }
}

http_connection::~http_connection() {
  close();
}

void http_connection::close() {
  if (ssl_) {
    ERR_clear_error();
    SSL_shutdown(ssl_); // one non-blocking close_notify through our MSG_NOSIGNAL BIO
    SSL_free(ssl_);
    ERR_clear_error();
    ssl_ = nullptr;
  }
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  begin_ = end_ = 0;
}

io_failure http_connection::failed(io_failure::kind what, std::string text) {
  return io_failure{what, std::move(text)};
}

http_connection::wait_result http_connection::wait(short events, clock::time_point until,
                                                   bool wakeable) {
  if (before_wait_)
    before_wait_();
  int cancel_fd = cancel_ ? cancel_->fd() : -1;
  int wake_fd = wakeable && wake_ ? wake_->fd() : -1;
  pollfd fds[3] = {{fd_, events, 0}, {cancel_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  for (;;) {
    if (cancel_ && cancel_->cancelled())
      return wait_result::cancelled;
    auto now = clock::now();
    if (now >= until)
      return wait_result::timeout;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
    if (cancel_ && cancel_fd < 0)
      left = std::min<decltype(left)>(left, 100); // no eventfd: look at the flag often
    int r = ::poll(fds, 3, static_cast<int>(std::min<decltype(left)>(left, INT_MAX)));
    if (r < 0 && errno != EINTR)
      return wait_result::failed;
    if (r > 0 && fds[1].revents)
      return wait_result::cancelled;
    if (r > 0 && fds[2].revents && !fds[0].revents)
      return wait_result::woken; // bytes that are already here are read first
    if (r > 0 && fds[0].revents)
      return wait_result::ready; // POLLERR/POLLHUP too: the next I/O call says what happened
  }
}

bool http_connection::idle_and_usable() {
  if (fd_ < 0 || has_unread() || (ssl_ && SSL_pending(ssl_) > 0))
    return false;
  // An idle keep-alive connection has nothing to read; anything readable is the
  // peer's close, a reset, or bytes nobody asked for.
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

io_result http_connection::open() {
  if (is_open())
    return std::nullopt;
  if (!setup_failure_.empty())
    return failed(io_failure::kind::setup, setup_failure_);
  if (cancel_ && cancel_->cancelled())
    return failed(io_failure::kind::cancelled, "stopped");
  if (auto f = connect_socket(clock::now() + http_.connect_timeout)) {
    close();
    return f;
  }
  if (route_ && route_->tunnel)
    if (auto f = open_tunnel(clock::now() + http_.connect_timeout)) {
      close();
      return f;
    }
  if (tls_)
    if (auto f = handshake(clock::now() + http_.connect_timeout)) {
      close();
      return f;
    }
  return std::nullopt;
}

io_result http_connection::connect_socket(clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const auto& peer = route_ ? route_->proxy : http_.target;
  auto port = std::to_string(peer.port);
  if (int rc = ::getaddrinfo(peer.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return failed(io_failure::kind::connect,
                  "cannot resolve '" + peer.host + "'" + (route_ ? " (" + base_url_ + ")" : "")
                    + ": " + ::gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses{found, ::freeaddrinfo};
  std::string last_error = "no address";
  for (auto* ai = found; ai; ai = ai->ai_next) {
    fd_ = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd_ < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, ai->ai_addr, ai->ai_addrlen) == 0)
      return std::nullopt;
    if (errno == EINPROGRESS) {
      switch (wait(POLLOUT, deadline)) {
        case wait_result::timeout:
          return failed(io_failure::kind::timeout, "connecting to " + base_url_ + " timed out after "
                                                     + ms_text(http_.connect_timeout));
        case wait_result::cancelled:
          return failed(io_failure::kind::cancelled, "stopped");
        default:
          break;
      }
      int err = 0;
      socklen_t len = sizeof err;
      if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
        return std::nullopt;
      last_error = std::strerror(err ? err : errno);
    } else {
      last_error = std::strerror(errno);
    }
    close();
  }
  return failed(io_failure::kind::connect, "connecting to " + base_url_ + " failed: " + last_error);
}

io_failure http_connection::proxy_refused(const http_response_head& head, const std::string& what) {
  auto text = "proxy " + route_->display + " answered " + what + " with " + std::to_string(head.status);
  if (!head.reason.empty())
    text += " " + head.reason.substr(0, 80);
  if (head.status == 407)
    text += route_->authorization.empty()
              ? " (it wants credentials: put them in the proxy URL, http://user:password@host:port)"
              : " (it refused the credentials in the proxy URL)";
  return failed(io_failure::kind::connect, std::move(text));
}

io_result http_connection::open_tunnel(clock::time_point deadline) {
  auto authority = tunnel_authority(http_.target);
  auto what = "CONNECT " + authority;
  std::string request = what + " HTTP/1.1\r\nHost: " + authority + "\r\n";
  if (!route_->authorization.empty())
    request += "Proxy-Authorization: " + route_->authorization + "\r\n";
  request += "User-Agent: mesos-actor\r\n\r\n";
  if (auto f = write(request, deadline))
    return f;
  if (!buf_)
    buf_ = std::make_unique<char[]>(read_buffer_size);
  // Only the head: a 2xx answer to CONNECT has no body, the tunnel follows it.
  http_response_parser parser{http_.limits, http_.limits.max_call_response_body};
  begin_ = end_ = 0;
  while (!parser.head_complete()) {
    if (begin_ == end_) {
      std::size_t got = 0;
      if (auto f = read_some(deadline, std::chrono::milliseconds{0}, got)) {
        if (f->timed_out())
          f->text = "proxy " + route_->display + " did not answer " + what + " within "
                    + ms_text(http_.connect_timeout) + " (connect_timeout)";
        return f;
      }
      if (got == 0)
        return failed(io_failure::kind::connect,
                      "proxy " + route_->display + " closed the connection instead of answering " + what);
      begin_ = 0;
      end_ = got;
    }
    begin_ += parser.feed(std::string_view{buf_.get() + begin_, end_ - begin_});
    if (parser.failed())
      return failed(io_failure::kind::protocol,
                    "bad answer from proxy " + route_->display + " to " + what + ": " + parser.error());
  }
  if (parser.head().status < 200 || parser.head().status > 299)
    return proxy_refused(parser.head(), what);
  if (begin_ != end_)
    return failed(io_failure::kind::protocol, "proxy " + route_->display + " sent bytes after its answer to "
                                                + what + ", before the TLS handshake");
  begin_ = end_ = 0;
  return std::nullopt;
}

io_result http_connection::handshake(clock::time_point deadline) {
  std::string why;
  ssl_ = tls_->new_session(fd_, why);
  if (!ssl_)
    return failed(io_failure::kind::connect, why);
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int r = SSL_connect(ssl_);
    int saved = errno;
    if (r == 1)
      return std::nullopt;
    int e = SSL_get_error(ssl_, r);
    short events = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (!events)
      return failed(io_failure::kind::connect,
                    tls_->explain_handshake(ssl_, saved ? std::strerror(saved) : ""));
    switch (wait(events, deadline)) {
      case wait_result::timeout:
        return failed(io_failure::kind::timeout, "TLS handshake with " + base_url_ + " timed out after "
                                                   + ms_text(http_.connect_timeout));
      case wait_result::cancelled:
        return failed(io_failure::kind::cancelled, "stopped");
      default:
        break;
    }
  }
}

std::size_t http_connection::write_now(std::string_view bytes) const {
  if (fd_ < 0 || ssl_)
    return 0;
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR)
      continue;
    else
      break; // full (EAGAIN) or broken: the caller leaves the rest to the connection's user
  }
  return done;
}

io_result http_connection::write(std::string_view bytes, clock::time_point deadline) {
  written_ = 0;
  if (!is_open())
    return failed(io_failure::kind::closed, "writing the request to " + base_url_ + ": not connected");
  const std::string what = "writing the request to " + base_url_;
  while (written_ < bytes.size()) {
    auto rest = bytes.substr(written_);
    short events = POLLOUT;
    if (ssl_) {
      ERR_clear_error();
      errno = 0;
      int r = SSL_write(ssl_, rest.data(), static_cast<int>(std::min<std::size_t>(rest.size(), INT_MAX)));
      int saved = errno;
      if (r > 0) {
        written_ += static_cast<std::size_t>(r);
        continue;
      }
      int e = SSL_get_error(ssl_, r);
      if (e == SSL_ERROR_WANT_READ)
        events = POLLIN;
      else if (e != SSL_ERROR_WANT_WRITE)
        return failed(io_failure::kind::closed, tls_->explain_io(what, saved ? std::strerror(saved) : ""));
    } else {
      auto n = ::send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
      if (n >= 0) {
        written_ += static_cast<std::size_t>(n);
        continue;
      }
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        return failed(io_failure::kind::closed, what + " failed: " + std::strerror(errno));
    }
    switch (wait(events, deadline)) {
      case wait_result::timeout:
        return failed(io_failure::kind::timeout, what + " timed out (" + std::to_string(written_) + " of "
                                                   + std::to_string(bytes.size()) + " bytes written)");
      case wait_result::cancelled:
        return failed(io_failure::kind::cancelled, "stopped");
      case wait_result::failed:
        return failed(io_failure::kind::closed, what + " failed: poll: " + std::strerror(errno));
      case wait_result::ready:
      case wait_result::woken: // writes are not wakeable
        break;
    }
  }
  return std::nullopt;
}

io_result http_connection::read_some(clock::time_point deadline, std::chrono::milliseconds idle,
                                     std::size_t& got) {
  const std::string what = "reading the response from " + base_url_;
  auto until = idle.count() > 0 ? std::min(deadline, clock::now() + idle) : deadline;
  for (;;) {
    short events = POLLIN;
    if (ssl_) {
      ERR_clear_error();
      errno = 0;
      int r = SSL_read(ssl_, buf_.get(), static_cast<int>(read_buffer_size));
      int saved = errno;
      if (r > 0) {
        got = static_cast<std::size_t>(r);
        return std::nullopt;
      }
      int e = SSL_get_error(ssl_, r);
      if (e == SSL_ERROR_WANT_WRITE) {
        events = POLLOUT;
      } else if (e != SSL_ERROR_WANT_READ) {
        // close_notify, or a close without it (OpenSSL 3 calls that "unexpected eof"):
        // the end of the stream; an unfinished response is refused by the parser.
        bool eof = e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && saved == 0);
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
        eof = eof || (e == SSL_ERROR_SSL
                      && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING);
#endif
        if (eof) {
          ERR_clear_error();
          got = 0;
          return std::nullopt;
        }
        return failed(io_failure::kind::closed, tls_->explain_io(what, saved ? std::strerror(saved) : ""));
      }
    } else {
      auto n = ::recv(fd_, buf_.get(), read_buffer_size, 0);
      if (n >= 0) {
        got = static_cast<std::size_t>(n);
        return std::nullopt;
      }
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        return failed(io_failure::kind::closed, what + " failed: " + std::strerror(errno));
    }
    switch (wait(events, until, reading_)) {
      case wait_result::woken:
        return failed(io_failure::kind::woken, "woken");
      case wait_result::timeout:
        if (until < deadline)
          return failed(io_failure::kind::timeout, "no bytes from " + base_url_ + " for " + ms_text(idle));
        return failed(io_failure::kind::timeout, "no complete response from " + base_url_ + " within "
                                                   + ms_text(http_.read_timeout));
      case wait_result::cancelled:
        return failed(io_failure::kind::cancelled, "stopped");
      case wait_result::failed:
        return failed(io_failure::kind::closed, what + " failed: poll: " + std::strerror(errno));
      case wait_result::ready:
        break;
    }
  }
}

io_result http_connection::read_response(http_response_parser& parser, clock::time_point deadline,
                                         std::chrono::milliseconds idle, const head_callback& on_head,
                                         const http_response_parser::body_callback& on_body) {
  if (!buf_)
    buf_ = std::make_unique<char[]>(read_buffer_size);
  struct reading_scope { // waits for bytes may be woken only while a response is read
    bool& flag;
    ~reading_scope() { flag = false; }
  } scope{reading_};
  reading_ = true;
  bool head_seen = parser.head_complete();
  bool stop = false;
  auto body = [&](std::string_view piece) {
    if (on_body && !on_body(piece))
      stop = true;
    return !stop;
  };
  for (;;) {
    while (begin_ < end_ && !parser.complete() && !parser.failed()) {
      begin_ += parser.feed(std::string_view{buf_.get() + begin_, end_ - begin_}, body);
      if (!head_seen && parser.head_complete()) {
        head_seen = true;
        if (absolute_form() && is_proxy_refusal(parser.head().status))
          return proxy_refused(parser.head(), "POST " + http_.target.url());
        if (on_head && !on_head(parser.head()))
          stop = true;
      }
      if (stop)
        return failed(io_failure::kind::stopped, "stopped");
    }
    if (parser.failed())
      return failed(io_failure::kind::protocol, "bad response from " + base_url_ + ": " + parser.error());
    if (parser.complete())
      return std::nullopt;
    if (!is_open())
      return failed(io_failure::kind::closed, "reading the response from " + base_url_ + ": not connected");
    begin_ = end_ = 0;
    std::size_t got = 0;
    if (auto f = read_some(deadline, idle, got))
      return f;
    if (got > 0) {
      end_ = got;
      continue;
    }
    bool silent = parser.consumed() == 0;
    parser.on_eof();
    if (parser.complete())
      return std::nullopt;
    if (ssl_ && silent)
      return failed(io_failure::kind::closed,
                    tls_->explain_io("reading the response from " + base_url_, parser.error()));
    return failed(io_failure::kind::closed, "reading the response from " + base_url_ + ": " + parser.error());
  }
}

} // namespace mesos_actor::transport
