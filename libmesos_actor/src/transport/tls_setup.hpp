#pragma once
// The security part of one HTTP client, in one place for the event stream and the
// call channel: certificate verification, client certificate and host-name check for
// https targets (done in OpenSSL directly, so a failure can be explained), and the
// Authorization header of this connection (fresh per subscription attempt, since a
// bearer-token source is asked each time).

#include <memory>
#include <string>

#include <httplib.h>

#include "transport/http_settings.hpp"

namespace mesos_actor::transport {

class connection_security {
public:
  /// Configures `cli` for `http` (TLS for https targets) and resolves the headers of
  /// every request. Construct it right after the client, before any request.
  connection_security(httplib::Client& cli, const http_settings& http);
  ~connection_security();
  connection_security(const connection_security&) = delete;
  connection_security& operator=(const connection_security&) = delete;

  /// Why no request may be sent (credentials or TLS set-up failed); empty when fine.
  const std::string& failure() const { return failure_; }
  /// extra_headers plus Authorization: what every request carries.
  const header_list& headers() const { return headers_; }
  /// Text for a failed request: failure() when set; for a TLS target the reason
  /// OpenSSL gave ("TLS handshake with https://h:p failed: certificate verify
  /// failed (self-signed certificate)"); otherwise httplib's error name.
  std::string explain(httplib::Error err);

  /// What the verify callback saw during the last handshake (shared with OpenSSL).
  struct verify_record;

private:
  httplib::Client& cli_;
  std::string base_url_;
  bool tls_ = false;
  bool client_cert_ = false;
  std::string failure_;
  header_list headers_;
  std::unique_ptr<verify_record> verify_;
};

} // namespace mesos_actor::transport
