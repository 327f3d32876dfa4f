#pragma once
// The environment a Mesos agent gives the executor it launches (PROTOCOL.md section 10),
// read by pure functions: the variables come through a lookup so tests and embedders
// need not touch the process environment.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mesos_actor {

/// Where the agent's executor endpoint is.
struct agent_address {
  /// Host name or address of the agent.
  std::string host;
  /// TCP port of the agent.
  int port = 0;
  /// Path of the endpoint: "/slave(1)/api/v1/executor" when MESOS_SLAVE_PID names the
  /// agent's process (what the official library uses), else "/api/v1/executor".
  std::string path = "/api/v1/executor";
};

/// Everything the agent told the executor, resolved and checked.
struct executor_environment {
  std::string framework_id;  ///< MESOS_FRAMEWORK_ID
  std::string executor_id;   ///< MESOS_EXECUTOR_ID
  std::string agent_id;      ///< MESOS_SLAVE_ID
  agent_address agent;      ///< MESOS_SLAVE_PID, else MESOS_AGENT_ENDPOINT
  std::string directory;     ///< MESOS_DIRECTORY: the sandbox path on the host
  std::string sandbox;       ///< MESOS_SANDBOX: the sandbox as the container sees it (defaults to directory)
  bool checkpoint = false;   ///< MESOS_CHECKPOINT == "1"
  bool http_command_executor = false;  ///< MESOS_HTTP_COMMAND_EXECUTOR == "1"
  /// MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: how long a SHUTDOWN may take.
  std::chrono::nanoseconds shutdown_grace_period{std::chrono::seconds{5}};
  /// MESOS_RECOVERY_TIMEOUT (required with checkpointing): how long one outage may last.
  std::chrono::nanoseconds recovery_timeout{std::chrono::minutes{15}};
  /// MESOS_SUBSCRIPTION_BACKOFF_MAX (required with checkpointing): upper bound of the
  /// uniform random wait before each re-subscription attempt.
  std::chrono::nanoseconds subscription_backoff_max{std::chrono::seconds{2}};
  /// MESOS_EXECUTOR_AUTHENTICATION_TOKEN, sent as "Authorization: Bearer <token>".
  /// A secret: never logged, never part of an error message.
  std::optional<std::string> authentication_token;
};

/// The first problem found in the environment: which variable, and why.
/// `message()` never contains the value of MESOS_EXECUTOR_AUTHENTICATION_TOKEN.
struct environment_error {
  /// The variable at fault, e.g. "MESOS_RECOVERY_TIMEOUT".
  std::string variable;
  /// What is wrong with it (never its value when it is a secret).
  std::string reason;
  /// "MESOS_RECOVERY_TIMEOUT: '15minutes' is not a duration (...)"
  std::string message() const { return variable + ": " + reason; }
};

/// Values that replace what the environment says (for embedding, tests, or running an
/// executor by hand). A set override makes the variable optional.
struct executor_environment_overrides {
  /// Replaces MESOS_FRAMEWORK_ID.
  std::optional<std::string> framework_id;
  /// Replaces MESOS_EXECUTOR_ID.
  std::optional<std::string> executor_id;
  /// Replaces MESOS_SLAVE_ID.
  std::optional<std::string> agent_id;
  /// Replaces MESOS_SLAVE_PID / MESOS_AGENT_ENDPOINT.
  std::optional<agent_address> agent;
  /// Replaces MESOS_DIRECTORY.
  std::optional<std::string> directory;
  /// Replaces MESOS_SANDBOX.
  std::optional<std::string> sandbox;
  /// Replaces MESOS_CHECKPOINT.
  std::optional<bool> checkpoint;
  /// Replaces MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD.
  std::optional<std::chrono::nanoseconds> shutdown_grace_period;
  /// Replaces MESOS_RECOVERY_TIMEOUT.
  std::optional<std::chrono::nanoseconds> recovery_timeout;
  /// Replaces MESOS_SUBSCRIPTION_BACKOFF_MAX.
  std::optional<std::chrono::nanoseconds> subscription_backoff_max;
  /// Replaces MESOS_EXECUTOR_AUTHENTICATION_TOKEN (a secret).
  std::optional<std::string> authentication_token;
  /// The agent serves the executor API on a Unix domain socket (MESOS_DOMAIN_SOCKET),
  /// which this library cannot speak. By default that is a start error; set this to use
  /// the TCP endpoint instead (works when the executor shares the agent's network).
  bool ignore_domain_socket = false;
};

/// Looks a variable up; nullopt when it is not set.
using environment_lookup = std::function<std::optional<std::string>(std::string_view name)>;

/// A lookup over the process environment (getenv).
environment_lookup process_environment();
/// A lookup over a fixed map (tests, embedding).
environment_lookup environment_from(std::map<std::string, std::string> vars);

/// Reads and checks every MESOS_* variable the executor needs. Required unless overridden:
/// MESOS_FRAMEWORK_ID, MESOS_EXECUTOR_ID, MESOS_SLAVE_ID, MESOS_DIRECTORY, MESOS_CHECKPOINT,
/// MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD, MESOS_SLAVE_PID or MESOS_AGENT_ENDPOINT, and with
/// checkpointing MESOS_RECOVERY_TIMEOUT and MESOS_SUBSCRIPTION_BACKOFF_MAX. A variable
/// that is set must be well formed even when it is optional.
std::variant<executor_environment, environment_error>
read_executor_environment(const environment_lookup& lookup,
                          const executor_environment_overrides& overrides = {});

/// Parses a libprocess PID "slave(1)@10.0.0.1:5051" into an endpoint with path
/// "/slave(1)/api/v1/executor"; nullopt when malformed.
std::optional<agent_address> parse_agent_pid(std::string_view pid);
/// Parses "10.0.0.1:5051" (or "[::1]:5051"); nullopt when malformed.
std::optional<agent_address> parse_agent_address(std::string_view address);

/// The names of the variables, as the agent spells them.
namespace env_var {
/// The framework the executor belongs to.
inline constexpr std::string_view framework_id = "MESOS_FRAMEWORK_ID";
/// The executor's own id.
inline constexpr std::string_view executor_id = "MESOS_EXECUTOR_ID";
/// The agent's "host:port".
inline constexpr std::string_view agent_endpoint = "MESOS_AGENT_ENDPOINT";
/// The agent's libprocess PID, "slave(1)@host:port".
inline constexpr std::string_view slave_pid = "MESOS_SLAVE_PID";
/// The agent's id.
inline constexpr std::string_view slave_id = "MESOS_SLAVE_ID";
/// The sandbox path on the host.
inline constexpr std::string_view directory = "MESOS_DIRECTORY";
/// The sandbox path as the container sees it.
inline constexpr std::string_view sandbox = "MESOS_SANDBOX";
/// "1" when the framework checkpoints (the executor may outlive an agent restart).
inline constexpr std::string_view checkpoint = "MESOS_CHECKPOINT";
/// "1" for the agent's built-in HTTP command executor.
inline constexpr std::string_view http_command_executor = "MESOS_HTTP_COMMAND_EXECUTOR";
/// How long a SHUTDOWN may take (a duration such as "5secs").
inline constexpr std::string_view shutdown_grace_period = "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD";
/// How long an agent outage may last with checkpointing.
inline constexpr std::string_view recovery_timeout = "MESOS_RECOVERY_TIMEOUT";
/// Upper bound of the wait before each re-subscription.
inline constexpr std::string_view subscription_backoff_max = "MESOS_SUBSCRIPTION_BACKOFF_MAX";
/// Bearer token for the executor API (a secret).
inline constexpr std::string_view authentication_token = "MESOS_EXECUTOR_AUTHENTICATION_TOKEN";
/// A Unix domain socket the agent serves the executor API on (not supported).
inline constexpr std::string_view domain_socket = "MESOS_DOMAIN_SOCKET";
} // namespace env_var

} // namespace mesos_actor
