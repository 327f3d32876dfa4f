#pragma once
// How the library talks TLS to https:// masters: the server's certificate is verified
// (chain and host name) unless told otherwise; a client certificate is optional.
// A failed verification fails the connection attempt; there is never a fallback to
// plain HTTP.

#include <string>
#include <string_view>

#include <caf/error.hpp>

namespace mesos_actor {

/// TLS settings for https:// masters: peer and host name verification, trusted CAs, client certificate.
struct tls_options {
  /// Verify the server's certificate chain. Turning this off accepts any server
  /// (a man in the middle too); only for experiments.
  bool verify_peer = true;
  /// Check that the certificate names the host we connect to (DNS name or IP
  /// address in subjectAltName).
  bool verify_hostname = true;
  /// Trusted CAs: a PEM file and/or an OpenSSL hashed directory. Both empty = the
  /// system's default store (OpenSSL's default verify paths).
  std::string ca_file;
  /// An OpenSSL hashed directory of trusted CA certificates.
  std::string ca_dir;
  /// Client certificate (PEM, may hold the chain) and its private key (PEM, not
  /// encrypted), for masters that require one. Both or neither.
  std::string cert_file;
  /// The client certificate's private key (PEM, not encrypted).
  std::string key_file;
};

/// The first problem with `o` as errc::bad_option ("<prefix>.ca_file ..."): a file
/// or directory that is missing or unreadable, a certificate without a key. Only
/// names paths, never file contents.
caf::error validate(const tls_options& o, std::string_view prefix = "tls");

} // namespace mesos_actor
