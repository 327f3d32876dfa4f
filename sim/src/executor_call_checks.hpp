#pragma once
// What the agent's executor endpoint checks in a call before it looks anything up, with
// Mesos's texts (common/validation.cpp validateExecutorCall), and the 403 texts of its
// check of the executor's token against the call (slave/http.cpp verifyExecutorClaims).

#include <optional>
#include <string>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::sim {

/// The reason `call` is invalid, nullopt when it is valid. The endpoint answers 400
/// "Failed to validate Executor::Call: <reason>".
std::optional<std::string> validate_executor_call(const mesos::v1::executor::Call& call);

/// What an executor's token stands for: the ids Mesos writes into its claims.
struct executor_claims {
  std::string framework_id;
  std::string executor_id;
  std::string container_id;
};

/// Why the holder of `claims` may not make `call` for the executor running in
/// `container_id` (Mesos's 403 text, naming the claims, never the token); nullopt when
/// it may.
std::optional<std::string> verify_executor_claims(const executor_claims& claims,
                                                  const mesos::v1::executor::Call& call,
                                                  const std::string& container_id);

} // namespace mesos_actor::sim
