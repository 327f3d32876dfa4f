#pragma once
// The TLS side of our HTTP client connections: an SSL_CTX configured from
// tls_options (chain, host name and validity checked by OpenSSL itself, so a failure
// can be explained), sessions on our own non-blocking sockets through a BIO whose
// writes use send(MSG_NOSIGNAL) (a peer closing mid-write is an error, never SIGPIPE,
// with no signal mask touched), and the texts that explain what went wrong.

#include <memory>
#include <string>

#include "transport/http_settings.hpp"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace mesos_actor::transport {

class tls_client {
public:
  /// Builds the context for `http.target` from `http.tls`; failure() says why not.
  explicit tls_client(const http_settings& http);
  ~tls_client();
  tls_client(const tls_client&) = delete;
  tls_client& operator=(const tls_client&) = delete;

  /// Why no TLS connection can be made (CAs, client certificate); empty when fine.
  const std::string& failure() const { return failure_; }

  /// A client session on the connected non-blocking socket `fd` (SNI set for host
  /// names); nullptr with the reason in `why`. The caller frees it (SSL_free).
  SSL* new_session(int fd, std::string& why);

  /// Text for a failed handshake: the certificate check that failed ("TLS handshake
  /// with https://h:p failed: certificate verify failed (self-signed certificate)")
  /// or OpenSSL's reason. Takes this thread's OpenSSL error queue.
  std::string explain_handshake(SSL* ssl, const std::string& io_reason);
  /// Text for a failed read or write after the handshake: `what` ("reading the
  /// response from https://h:p") plus OpenSSL's reason, or a hint that the server
  /// closed the connection (how a refused client certificate shows with TLS 1.3).
  std::string explain_io(const std::string& what, const std::string& io_reason);

private:
  std::string base_url_;
  std::string host_;
  bool client_cert_ = false;
  std::string failure_;
  SSL_CTX* ctx_ = nullptr;
};

/// The earliest reason on this thread's OpenSSL error queue (the cause; later entries
/// are consequences), and an empty queue afterwards.
std::string take_openssl_reason();

} // namespace mesos_actor::transport
