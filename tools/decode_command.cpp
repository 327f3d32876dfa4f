// `mesos-actor decode`: reads a RecordIO stream of Mesos messages (a captured event
// stream, say) and prints each record as one line of Mesos JSON.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"
#include "tool_support.hpp"

namespace mesos_actor::tool {

namespace {

constexpr char usage[] =
  "usage: mesos-actor decode --message <full proto name> [--format protobuf|json]\n"
  "                          [--max-record-size N] [FILE]\n"
  "\n"
  "Reads a RecordIO stream of <full proto name> messages (e.g. mesos.v1.scheduler.Event)\n"
  "from FILE or stdin and prints one JSON object per record, in Mesos's JSON dialect.\n"
  "  --format           encoding of the records (default protobuf)\n"
  "  --max-record-size  largest record accepted, in bytes (default 67108864)\n"
  "Exit status: 0 ok, 1 broken stream or undecodable record, 2 usage error.\n";

constexpr std::size_t read_size = 64 * 1024;

} // namespace

int decode_command(int argc, char** argv) {
  codec_command cmd;
  if (auto status = prepare_codec_command("decode", usage, argc, argv, cmd))
    return *status;
  const auto& opts = cmd.opts;
  auto& message = cmd.message;
  auto& in = *cmd.in;

  recordio_decoder decoder(opts.max_record_size);
  std::string failure;
  std::string line;
  auto on_record = [&](std::string_view record) {
    if (auto err = decode(record, opts.format, *message)) {
      failure = "record " + std::to_string(decoder.records_decoded() - 1) + " at byte "
                + std::to_string(decoder.bytes_consumed() - record.size()) + ": " + err->message;
      return false;
    }
    line.clear();
    append_json(line, *message);
    line += '\n';
    if (!write_stdout(line)) {
      failure = "cannot write to stdout";
      return false;
    }
    return true;
  };

  std::vector<char> buffer(read_size);
  while (failure.empty()) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), in.get());
    if (n > 0)
      if (auto err = decoder.feed(std::string_view(buffer.data(), n), on_record)) {
        failure = err->message();
        break;
      }
    if (n < buffer.size()) {
      if (std::ferror(in.get()))
        failure = std::string("read error: ") + std::strerror(errno);
      break;
    }
  }
  if (failure.empty())
    if (auto err = decoder.finish())
      failure = err->message();
  if (std::fflush(stdout) != 0 && failure.empty())
    failure = "cannot write to stdout";
  if (!failure.empty()) {
    std::fprintf(stderr, "mesos-actor decode: %s\n", failure.c_str());
    return 1;
  }
  return 0;
}

} // namespace mesos_actor::tool
