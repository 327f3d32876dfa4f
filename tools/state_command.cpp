// `mesos-actor state`: the master's (or with --agent, an agent's) GET_STATE as JSON, like
// `curl -X POST -H 'Content-Type: application/json' -d '{"type":"GET_STATE"}' master/api/v1`.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include "commands.hpp"
#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/operator/calls.hpp"
#include "mesos_actor/operator/client.hpp"
#include "tool_support.hpp"

namespace mesos_actor::tool {

namespace {

constexpr const char* usage =
  "usage: mesos-actor state --master HOST:PORT [--master ...] [--timeout S] [--ca-file F]\n"
  "       mesos-actor state --agent HOST:PORT [--timeout S] [--ca-file F]\n"
  "\n"
  "Prints the leading master's GET_STATE operator answer (tasks, executors, frameworks,\n"
  "agents) as one JSON object, as Mesos's POST /api/v1 writes it; with --agent, that\n"
  "agent's GET_STATE (its tasks, executors and frameworks).\n"
  "  --master    a master: HOST:PORT or http(s)://HOST:PORT; repeat for several (a\n"
  "              non-leader redirects to the leader), or one zk://HOST:PORT/PATH URL\n"
  "  --agent     an agent instead: HOST:PORT or http(s)://HOST:PORT\n"
  "  --timeout   seconds to wait for the answer (default 30)\n"
  "  --ca-file   CA certificates for https masters\n"
  "Authentication comes from the environment: MESOS_ACTOR_PRINCIPAL with\n"
  "MESOS_ACTOR_SECRET or MESOS_ACTOR_SECRET_FILE, or MESOS_ACTOR_BEARER_TOKEN.\n"
  "Exit status: 0 printed, 1 the call failed, 2 usage error.\n";

int fail(const std::string& text, int status) {
  std::fprintf(stderr, "mesos-actor state: %s\n", text.c_str());
  return status;
}

} // namespace

int state_command(int argc, char** argv) {
  operator_api::client_options opts;
  opts.encoding = content_type::json;
  long timeout_s = 30;
  std::vector<std::string> agents;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    }
    if (a != "--master" && a != "--agent" && a != "--timeout" && a != "--ca-file")
      return fail("unknown option " + std::string(a) + "\n\n" + usage, 2);
    if (i + 1 >= argc)
      return fail("missing value for " + std::string(a), 2);
    std::string v = argv[++i];
    if (a == "--master") {
      opts.targets.push_back(v);
    } else if (a == "--agent") {
      agents.push_back(v);
    } else if (a == "--ca-file") {
      opts.tls.ca_file = v;
    } else {
      try {
        timeout_s = std::stol(v);
      } catch (const std::exception&) {
        timeout_s = 0;
      }
      if (timeout_s <= 0)
        return fail("--timeout needs a positive number of seconds", 2);
    }
  }
  if (!agents.empty() && !opts.targets.empty())
    return fail("give --master or --agent, not both", 2);
  if (agents.size() > 1)
    return fail("--agent names one agent", 2);
  bool agent = !agents.empty();
  if (agent)
    opts.targets = agents;
  if (opts.targets.empty())
    return fail(std::string("--master or --agent is required\n\n") + usage, 2);
  auto auth = credentials::from_environment();
  if (!auth)
    return fail(describe(auth.error()), 2);
  opts.auth = std::move(*auth);
  opts.request_timeout = std::chrono::seconds(timeout_s);
  if (auto err = operator_api::validate(opts))
    return fail(describe(err), 2);

  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto client = operator_api::spawn_client(sys, opts);
  if (!client)
    return fail(describe(client.error()), 2);
  // Either Response, or why there is none, as JSON text.
  auto as_json = [](auto state) -> caf::expected<std::string> {
    if (!state)
      return std::move(state.error());
    return to_json(*state);
  };
  auto timeout = std::chrono::seconds(timeout_s);
  auto agent_state = operator_api::agent_call(mesos::v1::agent::Call::GET_STATE);
  auto master_state = operator_api::master_call(mesos::v1::master::Call::GET_STATE);
  auto json = agent ? as_json(operator_api::call_agent(sys, *client, agent_state, timeout))
                    : as_json(operator_api::call_master(sys, *client, master_state, timeout));
  caf::anon_send_exit(*client, caf::exit_reason::user_shutdown);
  if (!json)
    return fail(describe(json.error()), 1);
  return write_stdout(*json + "\n") ? 0 : 1;
}

} // namespace mesos_actor::tool
