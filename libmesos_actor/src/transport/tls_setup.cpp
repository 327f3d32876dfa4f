#include "transport/tls_setup.hpp"

#include <arpa/inet.h>
#include <pthread.h>
#include <csignal>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "mesos_actor/errors.hpp"

namespace mesos_actor::transport {

struct connection_security::verify_record {
  int error = X509_V_OK;
  int depth = 0;
};

namespace {

// Where a client's SSL_CTX points at its verify_record.
int record_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// Keeps OpenSSL's verdict and the first error so explain() can name it.
int on_verify(int ok, X509_STORE_CTX* store) {
  if (ok == 1)
    return 1;
  auto* ssl = static_cast<SSL*>(
    X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* record = ssl ? static_cast<connection_security::verify_record*>(
                         SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), record_index()))
                     : nullptr;
  if (record && record->error == X509_V_OK) {
    record->error = X509_STORE_CTX_get_error(store);
    record->depth = X509_STORE_CTX_get_error_depth(store);
  }
  return 0;
}

// An encrypted key would otherwise make OpenSSL prompt on the terminal.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

bool is_ip_address(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// The earliest reason on this thread's OpenSSL error queue (the cause; later entries
// are consequences), and an empty queue afterwards.
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

} // namespace

connection_security::connection_security(httplib::Client& cli, const http_settings& http)
  : cli_(cli), base_url_(http.target.base_url()), tls_(http.target.tls()),
    verify_(std::make_unique<verify_record>()) {
  headers_ = http.extra_headers;
  if (!http.auth.empty()) {
    auto value = http.auth.authorization();
    if (!value) {
      failure_ = "credentials: " + error_detail(value.error());
      return;
    }
    headers_.emplace_back("Authorization", std::move(*value));
  }
  if (!tls_)
    return;
  // SSL_write cannot pass MSG_NOSIGNAL: a server closing during a write would raise
  // SIGPIPE and kill the process. This thread is the connection's own (a detached
  // actor), so blocking the signal here turns that into a write error.
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);
  ERR_clear_error();
  SSL_CTX* ctx = cli_.ssl_context();
  if (!ctx) {
    failure_ = "TLS for " + base_url_ + ": the HTTP client has no TLS context";
    return;
  }
  // httplib would reset the verify mode of every connection to its own check, which
  // cannot say why it failed: verification is done by OpenSSL as configured here.
  cli_.enable_server_certificate_verification(false);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
  const auto& tls = http.tls;
  if (tls.verify_peer) {
    int loaded = tls.ca_file.empty() && tls.ca_dir.empty()
                   ? SSL_CTX_set_default_verify_paths(ctx)
                   : SSL_CTX_load_verify_locations(ctx,
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
      auto* param = SSL_CTX_get0_param(ctx);
      const auto& host = http.target.host;
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      int named = is_ip_address(host) ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                      : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
      if (named != 1) {
        failure_ = "TLS for " + base_url_ + ": cannot check certificates against host '" + host + "'";
        return;
      }
    }
    SSL_CTX_set_ex_data(ctx, record_index(), verify_.get());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, on_verify);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  client_cert_ = !tls.cert_file.empty();
  if (client_cert_) {
    if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1
        || SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1
        || SSL_CTX_check_private_key(ctx) != 1) {
      failure_ = "TLS for " + base_url_ + ": cannot use client certificate '" + tls.cert_file
                 + "' with key '" + tls.key_file + "': " + take_openssl_reason();
      return;
    }
  }
}

connection_security::~connection_security() {
  if (tls_)
    if (SSL_CTX* ctx = cli_.ssl_context())
      SSL_CTX_set_ex_data(ctx, record_index(), nullptr);
}

std::string connection_security::explain(httplib::Error err) {
  if (!failure_.empty())
    return failure_;
  std::string name = httplib::to_string(err);
  if (!tls_)
    return name;
  auto reason = take_openssl_reason();
  if (verify_->error != X509_V_OK) {
    std::string text = "TLS handshake with " + base_url_ + " failed: certificate verify failed ("
                       + X509_verify_cert_error_string(verify_->error);
    if (verify_->error == X509_V_ERR_HOSTNAME_MISMATCH
        || verify_->error == X509_V_ERR_IP_ADDRESS_MISMATCH)
      text += ": the certificate does not name the host we connected to";
    text += ")";
    *verify_ = verify_record{};
    return text;
  }
  if (err == httplib::Error::SSLConnection || err == httplib::Error::SSLServerVerification
      || err == httplib::Error::SSLLoadingCerts)
    return "TLS handshake with " + base_url_ + " failed: "
           + (reason.empty() ? std::string{"the connection closed during the handshake"} : reason);
  if (!reason.empty())
    return name + " (TLS: " + reason + ")";
  if (err == httplib::Error::Write || err == httplib::Error::Read)
    // With TLS 1.3 a server refusing our certificate (or its absence) closes the
    // connection after the handshake, so this is where that shows.
    return name + " (" + base_url_ + " closed the TLS connection"
           + (client_cert_ ? std::string{")"}
                           : "; if it requires a client certificate, set tls.cert_file and tls.key_file)");
  return name;
}

} // namespace mesos_actor::transport
