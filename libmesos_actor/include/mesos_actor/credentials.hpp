#pragma once
// How a framework authenticates to the master (PROTOCOL.md section 11): HTTP Basic
// with a principal and a secret, or a bearer token. The secret is held here and is
// put only into the Authorization header: describe(), to_string() and operator<<
// never show it, and no error built here contains it.
//
// Environment variables read by credentials::from_environment():
//   MESOS_ACTOR_PRINCIPAL    principal for HTTP Basic
//   MESOS_ACTOR_SECRET       its secret, or
//   MESOS_ACTOR_SECRET_FILE  a file whose first line is the secret
//   MESOS_ACTOR_BEARER_TOKEN a bearer token (when no principal is set)

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace mesos_actor {

/// Environment variable with the HTTP Basic principal.
inline constexpr const char* principal_env_var = "MESOS_ACTOR_PRINCIPAL";
/// Environment variable with the principal's secret.
inline constexpr const char* secret_env_var = "MESOS_ACTOR_SECRET";
/// Environment variable naming a file whose first line is the secret.
inline constexpr const char* secret_file_env_var = "MESOS_ACTOR_SECRET_FILE";
/// Environment variable with a bearer token.
inline constexpr const char* bearer_token_env_var = "MESOS_ACTOR_BEARER_TOKEN";

/// Supplies a bearer token. Called on a transport thread (not an actor's), once per
/// subscription attempt and once per call connection, so token-based setups hand
/// out a fresh one each time; it may block. Must be thread-safe. An empty result or
/// an exception fails that attempt.
using token_source = std::function<std::string()>;

/// How a framework authenticates: none, HTTP Basic or a bearer token; the secret never leaves the Authorization header.
class credentials {
public:
  /// The authentication scheme.
  enum class kind { none, basic, bearer };

  /// No authentication.
  credentials() = default;

  /// HTTP Basic with a secret given directly.
  static credentials basic(std::string principal, std::string secret);
  /// HTTP Basic with the secret in the first line of `secret_file` (the line end is
  /// dropped). The file is read for every connection, so it may be rotated.
  static credentials basic_from_file(std::string principal, std::string secret_file);
  /// A fixed bearer token.
  static credentials bearer(std::string token);
  /// A bearer token fetched from `source` for every connection.
  static credentials bearer(token_source source);
  /// From the MESOS_ACTOR_* variables above (from `vars` when given, else the process
  /// environment): Basic when MESOS_ACTOR_PRINCIPAL is set (with MESOS_ACTOR_SECRET or
  /// MESOS_ACTOR_SECRET_FILE, else errc::bad_option), bearer when only
  /// MESOS_ACTOR_BEARER_TOKEN is set, none when nothing is set.
  static caf::expected<credentials>
  from_environment(const std::optional<std::map<std::string, std::string>>& vars = std::nullopt);

  /// The scheme.
  kind type() const { return kind_; }
  /// True for no authentication.
  bool empty() const { return kind_ == kind::none; }
  /// The Basic principal (empty otherwise); not a secret.
  const std::string& principal() const { return principal_; }

  /// The Authorization header value for one connection ("Basic ..." / "Bearer ...");
  /// reads the secret file or asks the token source. Errors (errc::bad_option) say
  /// what failed without the secret. Empty string for kind::none.
  caf::expected<std::string> authorization() const;

  /// The first configuration problem (errc::bad_option naming `prefix`): empty
  /// principal, ':' in the principal, empty secret or token, an unreadable secret
  /// file, no token source. Does not call the token source.
  caf::error check(const std::string& prefix = "credentials") const;

  /// For logs: "none", "basic (principal 'ops', secret from file /run/s)",
  /// "bearer (token source)" ... never the secret itself.
  std::string describe() const;

private:
  kind kind_ = kind::none;
  std::string principal_;
  std::string secret_;       // Basic secret or fixed bearer token
  std::string secret_file_;
  // Shared so that copies (one per connection) call the same source.
  std::shared_ptr<const token_source> source_;
};

/// Same as describe(): safe to log.
std::string to_string(const credentials& c);
/// Writes describe(): safe to log.
std::ostream& operator<<(std::ostream& out, const credentials& c);

} // namespace mesos_actor
