#pragma once
// HTTP Basic and bearer-token authentication of frameworks (realm "mesos-master-scheduler").

#include <optional>
#include <string>
#include <vector>

#include "mesos_actor/sim/options.hpp"

namespace mesos_actor::sim {

inline constexpr const char* scheduler_realm = "mesos-master-scheduler";

/// The authenticated principal of an Authorization header, or nullopt when it is
/// missing, malformed or does not match any credential.
std::optional<std::string> authenticate_basic(const std::string& authorization,
                                              const std::vector<credential>& credentials);

/// The principal of a "Bearer <token>" Authorization header whose token is one of
/// `tokens` (credential::secret), or nullopt.
std::optional<std::string> authenticate_bearer(const std::string& authorization,
                                               const std::vector<credential>& tokens);

/// The Authorization value with its credentials hidden, for logs and traces.
std::string redact_authorization(const std::string& authorization);

} // namespace mesos_actor::sim
