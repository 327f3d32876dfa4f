#include <doctest/doctest.h>

#include <map>
#include <string>
#include <variant>

#include "mesos_actor/executor/environment.hpp"

using namespace std::chrono;
using namespace mesos_actor;

namespace {

// What a Mesos 1.12 agent sets for a checkpointing framework.
std::map<std::string, std::string> agent_env() {
  return {
    {"MESOS_FRAMEWORK_ID", "fw-1"},
    {"MESOS_EXECUTOR_ID", "exec-1"},
    {"MESOS_SLAVE_ID", "agent-1"},
    {"MESOS_SLAVE_PID", "slave(1)@10.0.0.7:5051"},
    {"MESOS_AGENT_ENDPOINT", "10.0.0.7:5051"},
    {"MESOS_DIRECTORY", "/var/lib/mesos/sandbox"},
    {"MESOS_SANDBOX", "/mnt/mesos/sandbox"},
    {"MESOS_CHECKPOINT", "1"},
    {"MESOS_HTTP_COMMAND_EXECUTOR", "0"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs"},
    {"MESOS_RECOVERY_TIMEOUT", "15mins"},
    {"MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs"},
  };
}

std::variant<executor_environment, environment_error>
read(const std::map<std::string, std::string>& vars,
     const executor_environment_overrides& overrides = {}) {
  return read_executor_environment(environment_from(vars), overrides);
}

environment_error error_of(const std::map<std::string, std::string>& vars,
                           const executor_environment_overrides& overrides = {}) {
  auto result = read(vars, overrides);
  REQUIRE(std::holds_alternative<environment_error>(result));
  return std::get<environment_error>(result);
}

} // namespace

TEST_CASE("environment: a full agent environment is read") {
  auto result = read(agent_env());
  REQUIRE(std::holds_alternative<executor_environment>(result));
  const auto& e = std::get<executor_environment>(result);
  CHECK(e.framework_id == "fw-1");
  CHECK(e.executor_id == "exec-1");
  CHECK(e.agent_id == "agent-1");
  CHECK(e.agent.host == "10.0.0.7");
  CHECK(e.agent.port == 5051);
  CHECK(e.agent.path == "/slave(1)/api/v1/executor");
  CHECK(e.directory == "/var/lib/mesos/sandbox");
  CHECK(e.sandbox == "/mnt/mesos/sandbox");
  CHECK(e.checkpoint);
  CHECK_FALSE(e.http_command_executor);
  CHECK(e.shutdown_grace_period == seconds{5});
  CHECK(e.recovery_timeout == minutes{15});
  CHECK(e.subscription_backoff_max == seconds{2});
  CHECK_FALSE(e.authentication_token.has_value());
}

TEST_CASE("environment: without checkpointing the recovery variables are optional") {
  auto vars = agent_env();
  vars["MESOS_CHECKPOINT"] = "0";
  vars.erase("MESOS_RECOVERY_TIMEOUT");
  vars.erase("MESOS_SUBSCRIPTION_BACKOFF_MAX");
  auto result = read(vars);
  REQUIRE(std::holds_alternative<executor_environment>(result));
  CHECK_FALSE(std::get<executor_environment>(result).checkpoint);
}

TEST_CASE("environment: only MESOS_AGENT_ENDPOINT gives the short endpoint path") {
  auto vars = agent_env();
  vars.erase("MESOS_SLAVE_PID");
  auto result = read(vars);
  REQUIRE(std::holds_alternative<executor_environment>(result));
  const auto& e = std::get<executor_environment>(result);
  CHECK(e.agent.host == "10.0.0.7");
  CHECK(e.agent.port == 5051);
  CHECK(e.agent.path == "/api/v1/executor");
}

TEST_CASE("environment: MESOS_SANDBOX defaults to MESOS_DIRECTORY") {
  auto vars = agent_env();
  vars.erase("MESOS_SANDBOX");
  auto result = read(vars);
  REQUIRE(std::holds_alternative<executor_environment>(result));
  CHECK(std::get<executor_environment>(result).sandbox == "/var/lib/mesos/sandbox");
}

TEST_CASE("environment: each missing required variable is named") {
  for (const char* name : {"MESOS_FRAMEWORK_ID", "MESOS_EXECUTOR_ID", "MESOS_SLAVE_ID",
                           "MESOS_DIRECTORY", "MESOS_CHECKPOINT",
                           "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "MESOS_RECOVERY_TIMEOUT",
                           "MESOS_SUBSCRIPTION_BACKOFF_MAX"}) {
    CAPTURE(name);
    auto vars = agent_env();
    vars.erase(name);
    auto e = error_of(vars);
    CHECK(e.variable == name);
    CHECK(e.message().find(name) == 0);
    CHECK(e.message().find("not set") != std::string::npos);
  }
}

TEST_CASE("environment: no agent address at all names MESOS_SLAVE_PID") {
  auto vars = agent_env();
  vars.erase("MESOS_SLAVE_PID");
  vars.erase("MESOS_AGENT_ENDPOINT");
  auto e = error_of(vars);
  CHECK(e.variable == "MESOS_SLAVE_PID");
  CHECK(e.reason.find("MESOS_AGENT_ENDPOINT") != std::string::npos);
}

TEST_CASE("environment: each malformed variable is named with its value") {
  struct bad_case {
    const char* name;
    const char* value;
  };
  for (auto [name, value] : {
         bad_case{"MESOS_FRAMEWORK_ID", ""},
         bad_case{"MESOS_EXECUTOR_ID", ""},
         bad_case{"MESOS_SLAVE_ID", ""},
         bad_case{"MESOS_DIRECTORY", ""},
         bad_case{"MESOS_CHECKPOINT", "true"},
         bad_case{"MESOS_CHECKPOINT", ""},
         bad_case{"MESOS_HTTP_COMMAND_EXECUTOR", "yes"},
         bad_case{"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5"},
         bad_case{"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5 secs"},
         bad_case{"MESOS_RECOVERY_TIMEOUT", "15minutes"},
         bad_case{"MESOS_SUBSCRIPTION_BACKOFF_MAX", "-2secs"},
         bad_case{"MESOS_SLAVE_PID", "10.0.0.7:5051"},
         bad_case{"MESOS_SLAVE_PID", "slave(1)@10.0.0.7"},
         bad_case{"MESOS_SLAVE_PID", "slave(1)@10.0.0.7:0"},
         bad_case{"MESOS_SLAVE_PID", "slave(1)@10.0.0.7:99999"},
         bad_case{"MESOS_SLAVE_PID", "@10.0.0.7:5051"},
         bad_case{"MESOS_AGENT_ENDPOINT", "10.0.0.7"},
         bad_case{"MESOS_AGENT_ENDPOINT", "10.0.0.7:port"},
         bad_case{"MESOS_AGENT_ENDPOINT", ":5051"},
         bad_case{"MESOS_AGENT_ENDPOINT", "::1:5051"},
         bad_case{"MESOS_EXECUTOR_AUTHENTICATION_TOKEN", ""},
       }) {
    CAPTURE(name);
    CAPTURE(value);
    auto vars = agent_env();
    vars[name] = value;
    auto e = error_of(vars);
    CHECK(e.variable == name);
    CHECK(e.message().find(name) == 0);
    if (*value != '\0') {
      CHECK(e.reason.find(value) != std::string::npos);
    }
  }
}

TEST_CASE("environment: an optional duration that is set must be well formed") {
  auto vars = agent_env();
  vars["MESOS_CHECKPOINT"] = "0";
  vars["MESOS_RECOVERY_TIMEOUT"] = "soon";
  CHECK(error_of(vars).variable == "MESOS_RECOVERY_TIMEOUT");
}

TEST_CASE("environment: a Unix domain socket is a clear start error unless ignored") {
  auto vars = agent_env();
  vars["MESOS_DOMAIN_SOCKET"] = "/run/mesos/agent.sock";
  auto e = error_of(vars);
  CHECK(e.variable == "MESOS_DOMAIN_SOCKET");
  CHECK(e.reason.find("not support") != std::string::npos);

  executor_environment_overrides overrides;
  overrides.ignore_domain_socket = true;
  auto result = read(vars, overrides);
  REQUIRE(std::holds_alternative<executor_environment>(result));
  CHECK(std::get<executor_environment>(result).agent.port == 5051);
}

TEST_CASE("environment: the authentication token is read but never shown") {
  auto vars = agent_env();
  vars["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = "s3cr3t.jwt.token";
  auto result = read(vars);
  REQUIRE(std::holds_alternative<executor_environment>(result));
  CHECK(std::get<executor_environment>(result).authentication_token == "s3cr3t.jwt.token");
  // An error elsewhere in the same environment does not leak the token.
  vars.erase("MESOS_FRAMEWORK_ID");
  CHECK(error_of(vars).message().find("s3cr3t") == std::string::npos);
}

TEST_CASE("environment: overrides replace variables and make them optional") {
  std::map<std::string, std::string> vars; // nothing at all
  executor_environment_overrides o;
  o.framework_id = "fw-o";
  o.executor_id = "exec-o";
  o.agent_id = "agent-o";
  o.agent = agent_address{"127.0.0.1", 1234, "/api/v1/executor"};
  o.directory = "/tmp/x";
  o.checkpoint = true;
  o.shutdown_grace_period = milliseconds{300};
  o.recovery_timeout = seconds{3};
  o.subscription_backoff_max = milliseconds{100};
  o.authentication_token = "t";
  auto result = read(vars, o);
  REQUIRE(std::holds_alternative<executor_environment>(result));
  const auto& e = std::get<executor_environment>(result);
  CHECK(e.framework_id == "fw-o");
  CHECK(e.agent.port == 1234);
  CHECK(e.sandbox == "/tmp/x");
  CHECK(e.checkpoint);
  CHECK(e.shutdown_grace_period == milliseconds{300});
  CHECK(e.recovery_timeout == seconds{3});
  CHECK(e.subscription_backoff_max == milliseconds{100});

  // An override wins over a malformed variable of the same name.
  auto bad = agent_env();
  bad["MESOS_RECOVERY_TIMEOUT"] = "never";
  executor_environment_overrides only_timeout;
  only_timeout.recovery_timeout = seconds{9};
  auto fixed = read(bad, only_timeout);
  REQUIRE(std::holds_alternative<executor_environment>(fixed));
  CHECK(std::get<executor_environment>(fixed).recovery_timeout == seconds{9});
}

TEST_CASE("environment: agent PIDs and addresses") {
  auto pid = parse_agent_pid("slave(1)@127.0.0.1:5051");
  REQUIRE(pid);
  CHECK(pid->path == "/slave(1)/api/v1/executor");
  auto v6 = parse_agent_address("[::1]:5051");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 5051);
  CHECK_FALSE(parse_agent_address("[::1]5051"));
  CHECK_FALSE(parse_agent_address("host:65536"));
  CHECK_FALSE(parse_agent_pid("slave(1)@"));
  CHECK_FALSE(parse_agent_pid("a/b@127.0.0.1:1"));
}
