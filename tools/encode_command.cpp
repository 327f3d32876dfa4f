// `mesos-actor encode`: reads Mesos JSON, one message per line, and writes the
// RecordIO stream a master or agent would send.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.hpp"
#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"
#include "tool_support.hpp"

namespace mesos_actor::tool {

namespace {

constexpr char usage[] =
  "usage: mesos-actor encode --message <full proto name> [--format protobuf|json]\n"
  "                          [--max-record-size N] [FILE]\n"
  "\n"
  "Reads JSON lines (one <full proto name> object per line, blank lines skipped) from\n"
  "FILE or stdin and writes them to stdout as a RecordIO stream.\n"
  "  --format           encoding of the records written (default protobuf)\n"
  "  --max-record-size  longest input line accepted, in bytes (default 67108864)\n"
  "Exit status: 0 ok, 1 invalid input line, 2 usage error.\n";

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

} // namespace

int encode_command(int argc, char** argv) {
  codec_command cmd;
  if (auto status = prepare_codec_command("encode", usage, argc, argv, cmd))
    return *status;
  const auto& opts = cmd.opts;
  auto& message = cmd.message;
  auto& in = *cmd.in;

  std::string line;
  std::string frame;
  std::string payload;
  std::uint64_t line_number = 0;
  std::string failure;
  bool at_eof = false;
  while (failure.empty() && !at_eof) {
    line.clear();
    int c = 0;
    while ((c = std::fgetc(in.get())) != EOF && c != '\n') {
      if (line.size() == opts.max_record_size) {
        failure = "line " + std::to_string(line_number + 1) + " is longer than "
                  + std::to_string(opts.max_record_size) + " bytes";
        break;
      }
      line += static_cast<char>(c);
    }
    at_eof = c == EOF;
    if (!failure.empty())
      break;
    if (at_eof && std::ferror(in.get())) {
      failure = std::string("read error: ") + std::strerror(errno);
      break;
    }
    ++line_number;
    if (blank(line))
      continue;
    if (auto err = from_json(line, *message)) {
      failure = "line " + std::to_string(line_number) + ": " + err->message;
      break;
    }
    payload.clear();
    encode_append(payload, *message, opts.format);
    frame.clear();
    recordio_append(frame, payload);
    if (!write_stdout(frame))
      failure = "cannot write to stdout";
  }
  if (std::fflush(stdout) != 0 && failure.empty())
    failure = "cannot write to stdout";
  if (!failure.empty()) {
    std::fprintf(stderr, "mesos-actor encode: %s\n", failure.c_str());
    return 1;
  }
  return 0;
}

} // namespace mesos_actor::tool
