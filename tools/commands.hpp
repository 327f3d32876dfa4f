#pragma once
// The subcommands of the `mesos-actor` command-line tool. Each lives in its own file
// (tools/<name>_command.cpp) and is registered in the table in tools/main.cpp.

namespace mesos_actor::tool {

/// A subcommand's entry point: argv[0] is the subcommand name. Returns the exit status:
/// 0 success, 1 bad input (e.g. a broken stream), 2 usage error.
using command_main = int (*)(int argc, char** argv);

/// `mesos-actor decode`: RecordIO stream -> one JSON object per line.
int decode_command(int argc, char** argv);
/// `mesos-actor encode`: JSON lines -> RecordIO stream.
int encode_command(int argc, char** argv);
/// `mesos-actor sim`: a simulated Mesos cluster until SIGINT/SIGTERM.
int sim_command(int argc, char** argv);
/// `mesos-actor state`: the master's (or an agent's) GET_STATE operator answer as JSON.
int state_command(int argc, char** argv);

/// `mesos-actor fleet`: a fleet's live hosts and refs, read from ZooKeeper.
int fleet_command(int argc, char** argv);

} // namespace mesos_actor::tool
