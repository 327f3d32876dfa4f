// Option parsing, message type lookup and input handling for the codec subcommands.
#include "tool_support.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>

#include <google/protobuf/descriptor.h>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

namespace mesos_actor::tool {

namespace {

// Referencing one type of each generated file keeps its object file (and so its
// descriptors) in the link: the pool is filled by static initialisers.
const google::protobuf::Descriptor* const linked_types[] = {
  mesos::v1::scheduler::Event::descriptor(), mesos::v1::scheduler::Call::descriptor(),
  mesos::v1::executor::Event::descriptor(), mesos::v1::executor::Call::descriptor(),
};

} // namespace

std::optional<std::string> parse_codec_options(int argc, char** argv, codec_options& out) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc)
        return std::nullopt;
      return std::string_view(argv[++i]);
    };
    if (arg == "--help" || arg == "-h") {
      out.help = true;
    } else if (arg == "--message") {
      auto v = value();
      if (!v)
        return std::string("--message needs a value");
      out.message_name = std::string(*v);
    } else if (arg == "--format") {
      auto v = value();
      if (!v)
        return std::string("--format needs a value");
      auto f = content_type_from_name(*v);
      if (!f)
        return "--format must be 'protobuf' or 'json', not '" + std::string(*v) + "'";
      out.format = *f;
    } else if (arg == "--max-record-size") {
      auto v = value();
      if (!v)
        return std::string("--max-record-size needs a value");
      std::size_t n = 0;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc{} || end != v->data() + v->size() || n == 0)
        return "--max-record-size must be a positive number of bytes, not '" + std::string(*v) + "'";
      out.max_record_size = n;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return "unknown option '" + std::string(arg) + "'";
    } else if (out.file.empty()) {
      out.file = std::string(arg);
    } else {
      return "only one input file may be given";
    }
  }
  if (!out.help && out.message_name.empty())
    return std::string("--message is required");
  return std::nullopt;
}

std::unique_ptr<google::protobuf::Message> new_message(std::string_view full_name) {
  (void)linked_types;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* descriptor = pool->FindMessageTypeByName(std::string(full_name));
  if (descriptor == nullptr)
    return nullptr;
  const auto* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
  if (prototype == nullptr)
    return nullptr;
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

std::string known_message_names() {
  std::string names;
  for (const auto* d : linked_types) {
    if (!names.empty())
      names += ", ";
    names += d->full_name();
  }
  return names + " (or any other mesos.v1 message)";
}

input_file::input_file(const std::string& path) {
  if (path.empty() || path == "-") {
    file_ = stdin;
    return;
  }
  file_ = std::fopen(path.c_str(), "rb");
  owned_ = file_ != nullptr;
}

input_file::~input_file() {
  if (owned_)
    std::fclose(file_);
}

bool write_stdout(std::string_view text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
}

std::optional<int> prepare_codec_command(const char* name, const char* usage, int argc,
                                         char** argv, codec_command& out) {
  if (auto err = parse_codec_options(argc, argv, out.opts)) {
    std::fprintf(stderr, "mesos-actor %s: %s\n\n%s", name, err->c_str(), usage);
    return 2;
  }
  if (out.opts.help) {
    std::fputs(usage, stdout);
    return 0;
  }
  out.message = new_message(out.opts.message_name);
  if (!out.message) {
    std::fprintf(stderr, "mesos-actor %s: unknown message type '%s'; try %s\n", name,
                 out.opts.message_name.c_str(), known_message_names().c_str());
    return 2;
  }
  out.in = std::make_unique<input_file>(out.opts.file);
  if (out.in->get() == nullptr) {
    std::fprintf(stderr, "mesos-actor %s: cannot open '%s': %s\n", name,
                 out.opts.file.c_str(), std::strerror(errno));
    return 1;
  }
  return std::nullopt;
}

} // namespace mesos_actor::tool
