#include "http_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <csignal>
#include <stdexcept>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace mesos_actor::sim {

namespace {

constexpr int poll_slice_ms = 50;          // how often blocked I/O looks at stopping_
constexpr std::size_t max_header_bytes = 64 * 1024;

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 202: return "Accepted";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

// Reads and writes one socket, plain or TLS, with a buffer that survives between
// requests (pipelined requests stay in it).
class conn_io {
public:
  conn_io(int fd, SSL* ssl, const std::atomic<bool>& stopping)
    : fd_(fd), ssl_(ssl), stopping_(stopping) {}

  // Ensures at least one more byte is buffered; false on EOF/error/stop.
  bool fill() {
    char buf[16384];
    while (!stopping_) {
      if (!(ssl_ && SSL_pending(ssl_) > 0)) {
        pollfd p{fd_, POLLIN, 0};
        int r = ::poll(&p, 1, poll_slice_ms);
        if (r < 0 && errno != EINTR)
          return false;
        if (r <= 0)
          continue;
      }
      ssize_t n = ssl_ ? SSL_read(ssl_, buf, sizeof buf) : ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        if (!ssl_ && n < 0 && (errno == EINTR || errno == EAGAIN))
          continue;
        if (ssl_ && n < 0) {
          int e = SSL_get_error(ssl_, static_cast<int>(n));
          if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
            continue;
        }
        return false;
      }
      buf_.append(buf, static_cast<std::size_t>(n));
      last_fill_ = std::chrono::steady_clock::now();
      return true;
    }
    return false;
  }

  // A line ending in CRLF (returned without it); nullopt on EOF or oversize.
  std::optional<std::string> line(std::size_t limit) {
    while (true) {
      auto pos = buf_.find("\r\n");
      if (pos != std::string::npos) {
        auto l = buf_.substr(0, pos);
        buf_.erase(0, pos + 2);
        return l;
      }
      if (buf_.size() > limit || !fill())
        return std::nullopt;
    }
  }

  bool take(std::size_t n, std::string& out) {
    while (buf_.size() < n)
      if (!fill())
        return false;
    out.append(buf_, 0, n);
    buf_.erase(0, n);
    return true;
  }

  bool write(const char* data, std::size_t len) {
    while (len > 0) {
      if (stopping_)
        return false;
      ssize_t n = ssl_ ? SSL_write(ssl_, data, static_cast<int>(len))
                       : ::send(fd_, data, len, MSG_NOSIGNAL);
      if (n <= 0) {
        if (!ssl_ && n < 0 && errno == EINTR)
          continue;
        return false;
      }
      data += n;
      len -= static_cast<std::size_t>(n);
    }
    return true;
  }
  bool write(const std::string& s) { return write(s.data(), s.size()); }

  // When the last read that added bytes returned: a request parsed now was complete
  // by then (at the latest).
  std::chrono::steady_clock::time_point last_fill() const { return last_fill_; }

  // Bytes of a next request are here already (buffered, or readable on the socket).
  bool has_input() const {
    if (!buf_.empty() || (ssl_ && SSL_pending(ssl_) > 0))
      return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
  }

  // The peer closed its side (or the server is stopping).
  bool peer_gone() const {
    if (stopping_)
      return true;
    pollfd p{fd_, POLLRDHUP, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
  }

private:
  int fd_;
  SSL* ssl_;
  const std::atomic<bool>& stopping_;
  std::string buf_;
  std::chrono::steady_clock::time_point last_fill_{};
};

// Reads one request; false when the connection should close without answering.
// `error_status` is set for malformed requests that deserve an answer.
bool read_request(conn_io& io, std::size_t max_body, httplib::Request& req, int& error_status) {
  error_status = 0;
  auto request_line = io.line(max_header_bytes);
  while (request_line && request_line->empty()) // tolerate stray CRLFs between requests
    request_line = io.line(max_header_bytes);
  if (!request_line)
    return false;
  auto sp1 = request_line->find(' ');
  auto sp2 = request_line->rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) {
    error_status = 400;
    return true;
  }
  req.method = request_line->substr(0, sp1);
  req.target = request_line->substr(sp1 + 1, sp2 - sp1 - 1);
  req.version = request_line->substr(sp2 + 1);
  auto q = req.target.find('?');
  req.path = req.target.substr(0, q);
  std::size_t header_bytes = 0;
  while (true) {
    auto h = io.line(max_header_bytes);
    if (!h)
      return false;
    if (h->empty())
      break;
    header_bytes += h->size();
    if (header_bytes > max_header_bytes) {
      error_status = 400;
      return true;
    }
    auto colon = h->find(':');
    if (colon == std::string::npos)
      continue;
    auto value = h->substr(colon + 1);
    auto b = value.find_first_not_of(" \t");
    auto e = value.find_last_not_of(" \t");
    req.headers.emplace(h->substr(0, colon),
                        b == std::string::npos ? std::string{} : value.substr(b, e - b + 1));
  }
  if (req.get_header_value("Expect") == "100-continue")
    io.write("HTTP/1.1 100 Continue\r\n\r\n");
  auto te = req.get_header_value("Transfer-Encoding");
  if (strcasecmp(te.c_str(), "chunked") == 0) {
    while (true) {
      auto size_line = io.line(1024);
      if (!size_line)
        return false;
      std::size_t size = 0;
      try {
        size = std::stoul(size_line->substr(0, size_line->find(';')), nullptr, 16);
      } catch (...) {
        error_status = 400;
        return true;
      }
      if (size == 0)
        break;
      if (req.body.size() + size > max_body) {
        error_status = 413;
        return true;
      }
      std::string crlf;
      if (!io.take(size, req.body) || !io.take(2, crlf))
        return false;
    }
    while (true) { // trailers
      auto t = io.line(max_header_bytes);
      if (!t)
        return false;
      if (t->empty())
        break;
    }
  } else if (req.has_header("Content-Length")) {
    std::size_t len = 0;
    try {
      len = std::stoul(req.get_header_value("Content-Length"));
    } catch (...) {
      error_status = 400;
      return true;
    }
    if (len > max_body) {
      error_status = 413;
      return true;
    }
    if (!io.take(len, req.body))
      return false;
  }
  return true;
}

// Writes a response; false when the connection must close afterwards.
bool write_response(conn_io& io, const httplib::Request& req, httplib::Response& res) {
  if (res.status < 0)
    res.status = 200;
  const bool streaming = static_cast<bool>(res.content_provider_);
  const bool framed_by_us = streaming && res.is_chunked_content_provider_;
  const bool has_length = !streaming || res.content_length_ > 0;
  if (framed_by_us)
    res.set_header("Transfer-Encoding", "chunked");
  if (!streaming && !res.has_header("Content-Length"))
    res.set_header("Content-Length", std::to_string(res.body.size()));
  if (streaming && res.content_length_ > 0)
    res.set_header("Content-Length", std::to_string(res.content_length_));
  std::string head = "HTTP/1.1 " + std::to_string(res.status) + " " + reason_phrase(res.status) + "\r\n";
  for (const auto& [k, v] : res.headers)
    head += k + ": " + v + "\r\n";
  head += "\r\n";
  if (!io.write(head))
    return false;
  if (!streaming)
    return req.method == "HEAD" || io.write(res.body);

  bool ok = true;
  bool done = false;
  std::size_t offset = 0;
  httplib::DataSink sink;
  sink.write = [&](const char* d, std::size_t n) {
    if (!ok)
      return false;
    if (framed_by_us) {
      char h[32];
      int hn = std::snprintf(h, sizeof h, "%zx\r\n", n);
      ok = n == 0 || (io.write(h, static_cast<std::size_t>(hn)) && io.write(d, n) && io.write("\r\n", 2));
    } else {
      ok = io.write(d, n);
    }
    offset += n;
    return ok;
  };
  sink.done = [&] { done = true; };
  sink.is_writable = [&] { return ok && !io.peer_gone(); };
  while (ok && !done) {
    bool more = res.content_provider_(
      offset, res.content_length_ > 0 ? res.content_length_ - offset : 0, sink);
    if (!more) {
      ok = false;
      break;
    }
    if (res.content_length_ > 0 && offset >= res.content_length_)
      done = true;
  }
  res.content_provider_success_ = ok && done;
  if (!ok)
    return false;
  if (framed_by_us)
    return io.write("0\r\n\r\n", 5);
  // A body without length or chunking ends with the connection, unless the handler
  // wrote the chunked coding itself (Transfer-Encoding set by the handler).
  return has_length || strcasecmp(res.get_header_value("Transfer-Encoding").c_str(), "chunked") == 0;
}

} // namespace

http_server::http_server(const cluster_options& opts, route_setup setup)
  : opts_(opts), setup_(std::move(setup)) {}

http_server::~http_server() {
  stop();
  if (ssl_ctx_)
    SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
}

void http_server::start(std::uint16_t port) {
  stop(true);
  if (listen_fd_ >= 0 && port != 0 && port != port_) {
    ::close(listen_fd_); // a different port than the one kept
    listen_fd_ = -1;
  }
  if (opts_.tls && !ssl_ctx_) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, opts_.tls->cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, opts_.tls->key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
      if (ctx)
        SSL_CTX_free(ctx);
      throw std::runtime_error("cannot serve TLS with certificate '" + opts_.tls->cert_file +
                               "' and key '" + opts_.tls->key_file + "'");
    }
    if (!opts_.tls->client_ca_file.empty()) {
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(opts_.tls->client_ca_file.c_str());
      if (!names || SSL_CTX_load_verify_locations(ctx, opts_.tls->client_ca_file.c_str(), nullptr) != 1) {
        if (names)
          sk_X509_NAME_pop_free(names, X509_NAME_free);
        SSL_CTX_free(ctx);
        throw std::runtime_error("cannot load client CA file '" + opts_.tls->client_ca_file + "'");
      }
      SSL_CTX_set_client_CA_list(ctx, names);
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
    ssl_ctx_ = ctx;
  }
  routes_ = http_routes{};
  setup_(routes_);
  if (listen_fd_ >= 0) { // kept by stop(true): serve on it again
    stopping_ = false;
    running_ = true;
    acceptor_ = std::thread([this] { accept_loop(); });
    return;
  }

  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port != 0 ? port : port_);
  if (inet_pton(AF_INET, opts_.bind_address.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    throw std::runtime_error("bind address must be an IPv4 address: " + opts_.bind_address);
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 1024) != 0) {
    auto err = std::string(std::strerror(errno));
    ::close(fd);
    throw std::runtime_error("cannot listen on " + opts_.bind_address + ":" +
                             std::to_string(port != 0 ? port : port_) + ": " + err);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen_fd_ = fd;
  stopping_ = false;
  running_ = true;
  acceptor_ = std::thread([this] { accept_loop(); });
}

void http_server::stop(bool keep_listening) {
  if (!running_) {
    if (!keep_listening && listen_fd_ >= 0) {
      ::close(listen_fd_);
      listen_fd_ = -1;
    }
    return;
  }
  stopping_ = true;
  if (acceptor_.joinable())
    acceptor_.join();
  if (keep_listening) {
    // Connections made to the old server are refused, as a restarted process's would be.
    pollfd p{listen_fd_, POLLIN, 0};
    while (::poll(&p, 1, 0) > 0) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0)
        break;
      ::close(fd);
    }
  } else {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  std::unique_lock<std::mutex> lk(conns_mu_);
  for (int fd : conns_)
    ::shutdown(fd, SHUT_RDWR);
  conns_cv_.wait(lk, [this] { return active_ == 0; });
  running_ = false;
}

void http_server::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, poll_slice_ms) <= 0)
      continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
      continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard<std::mutex> lk(conns_mu_);
    if (active_ >= (opts_.server_threads == 0 ? 1 : opts_.server_threads)) {
      static constexpr char busy[] =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!::send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    conns_.insert(fd);
    ++active_;
    std::thread([this, fd] { serve(fd); }).detach();
  }
}

namespace {
thread_local request_arrival handling; // see current_request_arrival()
} // namespace

const request_arrival& current_request_arrival() {
  return handling;
}

void http_server::serve(int fd) {
  // SSL_write cannot pass MSG_NOSIGNAL: block SIGPIPE in this connection thread so a
  // vanished TLS client shows up as a write error, not as a process-killing signal.
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);
  SSL* ssl = nullptr;
  bool ok = true;
  if (ssl_ctx_) {
    ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
    SSL_set_fd(ssl, fd);
    ok = SSL_accept(ssl) == 1;
    // Tests read this line: a client falling back to plain HTTP shows up as "http request".
    if (!ok && opts_.log) {
      unsigned long e = ERR_get_error();
      const char* reason = e ? ERR_reason_error_string(e) : nullptr;
      opts_.log(std::string("TLS handshake failed: ") + (reason ? reason : "connection closed"));
    }
    ERR_clear_error();
  }
  {
    conn_io io(fd, ssl, stopping_);
    bool next_pipelined = false; // the next request came before this answer was written
    while (ok && !stopping_) {
      httplib::Request req;
      int error_status = 0;
      if (!read_request(io, opts_.max_request_body, req, error_status))
        break;
      httplib::Response res;
      if (error_status) {
        res.status = error_status;
        res.set_header("Connection", "close");
        write_response(io, req, res);
        break;
      }
      const auto* h = routes_.find(req.path);
      handling = request_arrival{next_pipelined, io.last_fill()};
      if (h) {
        try {
          (*h)(req, res);
        } catch (const std::exception& e) {
          res = httplib::Response{};
          res.status = 500;
          res.set_content(e.what(), "text/plain");
        }
      } else {
        res.status = 404;
      }
      bool close = strcasecmp(req.get_header_value("Connection").c_str(), "close") == 0 ||
                   (req.version == "HTTP/1.0" &&
                    strcasecmp(req.get_header_value("Connection").c_str(), "keep-alive") != 0);
      next_pipelined = io.has_input();
      ok = write_response(io, req, res) && !close;
    }
  }
  if (ssl) {
    SSL_shutdown(ssl);
    SSL_free(ssl);
  }
  std::lock_guard<std::mutex> lk(conns_mu_);
  conns_.erase(fd);
  ::close(fd);
  --active_;
  conns_cv_.notify_all();
}

} // namespace mesos_actor::sim
