#pragma once
// Throw-away certificates for the TLS tests, made with the openssl command line in a
// fresh temporary directory (removed by the destructor): a CA, a server certificate
// for 127.0.0.1/localhost, a client certificate, and the bad ones (self-signed,
// wrong host, expired).

#include <filesystem>
#include <string>

namespace authtest {

class test_pki {
public:
  /// Generates everything (EC keys: fast); throws std::runtime_error naming the
  /// openssl step that failed. Each step is bounded by `timeout 30`.
  test_pki();
  ~test_pki();
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  const std::filesystem::path& dir() const { return dir_; }

  std::string ca_cert() const { return path("ca.pem"); }
  /// Signed by the CA, subjectAltName IP:127.0.0.1, DNS:localhost.
  std::string server_cert() const { return path("server.pem"); }
  std::string server_key() const { return path("server.key"); }
  /// Signed by the CA, for client authentication.
  std::string client_cert() const { return path("client.pem"); }
  std::string client_key() const { return path("client.key"); }
  /// Self-signed (no CA vouches for it), otherwise like the server certificate.
  std::string untrusted_cert() const { return path("untrusted.pem"); }
  std::string untrusted_key() const { return path("untrusted.key"); }
  /// Signed by the CA for DNS:wrong.example only (key: server_key()).
  std::string wrong_host_cert() const { return path("wrong-host.pem"); }
  /// Signed by the CA, expired a day ago (key: server_key()).
  std::string expired_cert() const { return path("expired.pem"); }

private:
  void run(const std::string& what, const std::string& args);
  void sign(const std::string& csr, const std::string& out, const std::string& san, int days);

  std::filesystem::path dir_;
};

} // namespace authtest
