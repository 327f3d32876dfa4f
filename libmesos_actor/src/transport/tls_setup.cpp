#include "transport/tls_setup.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

namespace mesos_actor::transport {

namespace {

// --- a BIO over our non-blocking socket --------------------------------------------
// OpenSSL's socket BIO writes with write()/send(..., 0): a peer that closed would
// raise SIGPIPE. Ours passes MSG_NOSIGNAL; "would block" becomes a retry, which
// SSL_read/SSL_write report as WANT_READ/WANT_WRITE to the poll() loop.

int socket_of(BIO* bio) {
  return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
}

bool would_block(int err) {
  return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

int bio_write(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  auto n = ::send(socket_of(bio), data, static_cast<std::size_t>(len), MSG_NOSIGNAL);
  if (n < 0 && would_block(errno))
    BIO_set_retry_write(bio);
  return static_cast<int>(n);
}

int bio_read(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  auto n = ::recv(socket_of(bio), out, static_cast<std::size_t>(len), 0);
  if (n < 0 && would_block(errno))
    BIO_set_retry_read(bio);
  return static_cast<int>(n);
}

long bio_ctrl(BIO*, int cmd, long, void*) {
  return cmd == BIO_CTRL_FLUSH ? 1 : 0; // send() does not buffer; nothing else applies
}

int bio_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

BIO_METHOD* nosignal_socket_method() {
  static BIO_METHOD* const method = [] {
    auto* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "mesos_actor socket");
    if (m) {
      BIO_meth_set_write(m, bio_write);
      BIO_meth_set_read(m, bio_read);
      BIO_meth_set_ctrl(m, bio_ctrl);
      BIO_meth_set_create(m, bio_create);
    }
    return m;
  }();
  return method;
}

// --- context set-up ------------------------------------------------------------------

// An encrypted key would otherwise make OpenSSL prompt on the terminal.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

bool is_ip_address(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

} // namespace

std::string take_openssl_reason() {
  unsigned long first = ERR_get_error();
  while (ERR_get_error() != 0) {
  }
  if (first == 0)
    return {};
  if (const char* reason = ERR_reason_error_string(first))
    return reason;
  char buf[256];
  ERR_error_string_n(first, buf, sizeof buf);
  return buf;
}

tls_client::tls_client(const http_settings& http)
  : base_url_(http.target.base_url()), host_(http.target.host) {
  ERR_clear_error();
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (!ctx_) {
    failure_ = "TLS for " + base_url_ + ": cannot create a TLS context: " + take_openssl_reason();
    return;
  }
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_default_passwd_cb(ctx_, no_passphrase);
  const auto& tls = http.tls;
  if (tls.verify_peer) {
    int loaded = tls.ca_file.empty() && tls.ca_dir.empty()
                   ? SSL_CTX_set_default_verify_paths(ctx_)
                   : SSL_CTX_load_verify_locations(ctx_,
                                                   tls.ca_file.empty() ? nullptr : tls.ca_file.c_str(),
                                                   tls.ca_dir.empty() ? nullptr : tls.ca_dir.c_str());
    if (loaded != 1) {
      failure_ = "TLS for " + base_url_ + ": cannot load the trusted CAs ("
                 + (tls.ca_file.empty() && tls.ca_dir.empty()
                      ? std::string{"system store"}
                      : "ca_file '" + tls.ca_file + "', ca_dir '" + tls.ca_dir + "'")
                 + "): " + take_openssl_reason();
      return;
    }
    if (tls.verify_hostname) {
      auto* param = SSL_CTX_get0_param(ctx_);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      int named = is_ip_address(host_) ? X509_VERIFY_PARAM_set1_ip_asc(param, host_.c_str())
                                       : X509_VERIFY_PARAM_set1_host(param, host_.c_str(), host_.size());
      if (named != 1) {
        failure_ = "TLS for " + base_url_ + ": cannot check certificates against host '" + host_ + "'";
        return;
      }
    }
    // No callback: OpenSSL stops at the first failed check and keeps it as the
    // session's verify result, which explain_handshake() names.
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  }
  client_cert_ = !tls.cert_file.empty();
  if (client_cert_) {
    if (SSL_CTX_use_certificate_chain_file(ctx_, tls.cert_file.c_str()) != 1
        || SSL_CTX_use_PrivateKey_file(ctx_, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1
        || SSL_CTX_check_private_key(ctx_) != 1) {
      failure_ = "TLS for " + base_url_ + ": cannot use client certificate '" + tls.cert_file
                 + "' with key '" + tls.key_file + "': " + take_openssl_reason();
      return;
    }
  }
  if (!nosignal_socket_method())
    failure_ = "TLS for " + base_url_ + ": cannot create the socket BIO: " + take_openssl_reason();
}

tls_client::~tls_client() {
  SSL_CTX_free(ctx_);
}

SSL* tls_client::new_session(int fd, std::string& why) {
  ERR_clear_error();
  SSL* ssl = SSL_new(ctx_);
  BIO* bio = ssl ? BIO_new(nosignal_socket_method()) : nullptr;
  if (!bio) {
    why = "TLS for " + base_url_ + ": cannot create a session: " + take_openssl_reason();
    SSL_free(ssl);
    return nullptr;
  }
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(fd)));
  SSL_set_bio(ssl, bio, bio); // the session owns the BIO (one reference each way)
  if (!is_ip_address(host_))
    SSL_set_tlsext_host_name(ssl, host_.c_str());
  SSL_set_connect_state(ssl);
  return ssl;
}

std::string tls_client::explain_handshake(SSL* ssl, const std::string& io_reason) {
  auto reason = take_openssl_reason();
  long verdict = ssl && (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) ? SSL_get_verify_result(ssl)
                                                                 : X509_V_OK;
  if (verdict != X509_V_OK) {
    std::string text = "TLS handshake with " + base_url_ + " failed: certificate verify failed ("
                       + X509_verify_cert_error_string(verdict);
    if (verdict == X509_V_ERR_HOSTNAME_MISMATCH || verdict == X509_V_ERR_IP_ADDRESS_MISMATCH)
      text += ": the certificate does not name the host we connected to";
    return text + ")";
  }
  if (reason.empty())
    reason = io_reason.empty() ? "the connection closed during the handshake" : io_reason;
  return "TLS handshake with " + base_url_ + " failed: " + reason;
}

std::string tls_client::explain_io(const std::string& what, const std::string& io_reason) {
  auto reason = take_openssl_reason();
  if (!reason.empty())
    return what + " failed (TLS: " + reason + ")";
  // With TLS 1.3 a server refusing our certificate (or its absence) closes the
  // connection after the handshake, so this is where that shows.
  return what + " failed: " + (io_reason.empty() ? std::string{"the connection closed"} : io_reason)
         + " (" + base_url_ + " closed the TLS connection"
         + (client_cert_ ? std::string{")"}
                         : "; if it requires a client certificate, set tls.cert_file and tls.key_file)");
}

} // namespace mesos_actor::transport
