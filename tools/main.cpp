// `mesos-actor`: dispatches argv[1] to a subcommand through the table below.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "commands.hpp"

namespace {

struct subcommand {
  std::string_view name;
  std::string_view summary;
  mesos_actor::tool::command_main run;
};

// To add a subcommand: write tools/<name>_command.cpp, declare its entry point in
// tools/commands.hpp and add one line here (tools/CMakeLists.txt picks up the file).
constexpr subcommand subcommands[] = {
  {"decode", "print a RecordIO stream of Mesos messages as JSON lines",
   mesos_actor::tool::decode_command},
  {"encode", "turn JSON lines into a RecordIO stream of Mesos messages",
   mesos_actor::tool::encode_command},
  {"fleet", "list a fleet's live hosts and refs (owner, framework id) from ZooKeeper",
   mesos_actor::tool::fleet_command},
  {"sim", "run a simulated Mesos cluster (masters + agents) until interrupted",
   mesos_actor::tool::sim_command},
  {"state", "print the master's or an agent's state (operator API GET_STATE) as JSON",
   mesos_actor::tool::state_command},
};

void print_usage(std::FILE* out) {
  std::fprintf(out, "usage: mesos-actor <command> [options]\n\ncommands:\n");
  for (const auto& c : subcommands)
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  std::fprintf(out, "\n'mesos-actor <command> --help' describes a command.\n");
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(stdout);
    return 0;
  }
  for (const auto& c : subcommands)
    if (c.name == name)
      return c.run(argc - 1, argv + 1);
  std::fprintf(stderr, "mesos-actor: unknown command '%s'\n\n", argv[1]);
  print_usage(stderr);
  return 2;
}
