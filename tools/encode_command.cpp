// `mesos-actor encode`: reads Mesos JSON documents (one per line, or pretty-printed
// over several lines as Mesos's docs show them) and writes the RecordIO stream a
// master or agent would send.
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
  "Reads JSON documents (each one <full proto name> object, on one line or spread\n"
  "over several; white space between them is skipped) from FILE or stdin and writes\n"
  "them to stdout as a RecordIO stream.\n"
  "  --format           encoding of the records written (default protobuf)\n"
  "  --max-record-size  longest input document accepted, in bytes (default 67108864)\n"
  "Exit status: 0 ok, 1 invalid input document, 2 usage error.\n";

// Cuts a character stream into top-level JSON documents: an object or array ends
// when its brackets balance (outside strings); anything else ends at a newline, so
// that a stray scalar still gets the codec's own error.
class document_reader {
public:
  document_reader(std::FILE* in, std::size_t max_size) : in_(in), max_size_(max_size) {}

  enum class result { document, end, error };

  /// The next document into `doc`; `first_line` is the line it starts on.
  result next(std::string& doc, std::uint64_t& first_line, std::string& failure) {
    doc.clear();
    int c = skip_space();
    if (c == EOF)
      return std::ferror(in_) ? read_failed(failure) : result::end;
    first_line = line_;
    const bool bracketed = c == '{' || c == '[';
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (;; c = get()) {
      if (c == EOF) {
        if (std::ferror(in_))
          return read_failed(failure);
        return result::document; // unbalanced: the codec names the problem
      }
      if (!bracketed && c == '\n')
        return result::document;
      if (doc.size() == max_size_) {
        failure = "the document starting on line " + std::to_string(first_line)
                  + " is longer than " + std::to_string(max_size_) + " bytes";
        return result::error;
      }
      doc += static_cast<char>(c);
      if (!bracketed)
        continue;
      if (in_string) {
        if (escaped)
          escaped = false;
        else if (c == '\\')
          escaped = true;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return result::document;
      }
    }
  }

private:
  int get() {
    int c = std::fgetc(in_);
    if (c == '\n')
      ++line_;
    return c;
  }
  int skip_space() {
    int c = get();
    while (c == ' ' || c == '\t' || c == '\r' || c == '\n')
      c = get();
    return c;
  }
  result read_failed(std::string& failure) {
    failure = std::string("read error: ") + std::strerror(errno);
    return result::error;
  }

  std::FILE* in_;
  std::size_t max_size_;
  std::uint64_t line_ = 1;
};

} // namespace

int encode_command(int argc, char** argv) {
  codec_command cmd;
  if (auto status = prepare_codec_command("encode", usage, argc, argv, cmd))
    return *status;
  const auto& opts = cmd.opts;
  auto& message = cmd.message;
  auto& in = *cmd.in;

  document_reader reader{in.get(), opts.max_record_size};
  std::string doc;
  std::string frame;
  std::string payload;
  std::uint64_t first_line = 0;
  std::string failure;
  for (;;) {
    auto got = reader.next(doc, first_line, failure);
    if (got != document_reader::result::document)
      break;
    if (auto err = from_json(doc, *message)) {
      failure = "line " + std::to_string(first_line) + ": " + err->message;
      break;
    }
    payload.clear();
    encode_append(payload, *message, opts.format);
    frame.clear();
    recordio_append(frame, payload);
    if (!write_stdout(frame)) {
      failure = "cannot write to stdout";
      break;
    }
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
