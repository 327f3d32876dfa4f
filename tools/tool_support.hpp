#pragma once
// What the codec subcommands share: option parsing, message type lookup, input.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "mesos_actor/codec/content_type.hpp"

namespace mesos_actor::tool {

/// Options of `decode` and `encode`.
struct codec_options {
  std::string message_name;
  content_type format = content_type::protobuf;
  std::size_t max_record_size = 64u * 1024u * 1024u;
  std::string file; ///< empty: stdin
  bool help = false;
};

/// Parses argv (argv[0] is the subcommand); on a usage error returns its text.
std::optional<std::string> parse_codec_options(int argc, char** argv, codec_options& out);

/// A fresh message of the named type from the generated descriptor pool, or nullptr.
std::unique_ptr<google::protobuf::Message> new_message(std::string_view full_name);

/// The names a user can pass to --message (the Call and Event types).
std::string known_message_names();

/// Opens the input: the file, or stdin when `path` is empty. Closes it when done.
struct input_file {
  explicit input_file(const std::string& path);
  ~input_file();
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  std::FILE* get() const { return file_; }
  std::FILE* file_ = nullptr;
  bool owned_ = false;
};

/// What `decode` and `encode` start from: their options, a message of the named type
/// and the opened input.
struct codec_command {
  codec_options opts;
  std::unique_ptr<google::protobuf::Message> message;
  std::unique_ptr<input_file> in;
};

/// Parses argv and prepares `out`. Returns the exit status when the command ends
/// here (--help: 0 after printing `usage`; usage error: 2; unreadable input: 1, each
/// with a message on stderr prefixed "mesos-actor <name>: "), nothing to go on.
std::optional<int> prepare_codec_command(const char* name, const char* usage, int argc,
                                         char** argv, codec_command& out);

/// Writes `text` to stdout; false if stdout failed (e.g. a closed pipe).
bool write_stdout(std::string_view text);

} // namespace mesos_actor::tool
