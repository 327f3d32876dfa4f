#pragma once
// The two media types of the Mesos v1 HTTP APIs, spelled exactly as Mesos compares
// them (byte for byte: Mesos answers 415 to "application/json; charset=utf-8").

#include <optional>
#include <string_view>

namespace mesos_actor {

/// How Calls and Events are encoded on the wire.
enum class content_type { protobuf, json };

/// The Content-Type / Accept value for binary protobuf.
inline constexpr std::string_view protobuf_media_type = "application/x-protobuf";
/// The Content-Type / Accept value for Mesos JSON.
inline constexpr std::string_view json_media_type = "application/json";

/// The header value for an encoding.
constexpr std::string_view media_type(content_type t) {
  return t == content_type::protobuf ? protobuf_media_type : json_media_type;
}

/// Reads a Content-Type header the way Mesos does: exact string equality, nothing else.
std::optional<content_type> parse_content_type(std::string_view header);

/// Chooses the response encoding from an Accept header as Mesos does: media ranges and
/// q-values are honoured, JSON is preferred, a missing/empty header or */* means JSON;
/// nullopt when neither type is acceptable (Mesos answers 406).
std::optional<content_type> negotiate_accept(std::string_view accept);

/// Parses a name ("protobuf" or "json", as used in options and config files).
std::optional<content_type> content_type_from_name(std::string_view name);
/// "protobuf" or "json".
std::string_view content_type_name(content_type t);

} // namespace mesos_actor
