// Content-Type matching and Accept negotiation as the Mesos master and agent do them
// (PROTOCOL.md section 2).
#include "mesos_actor/codec/content_type.hpp"
#include "text/iequals.hpp"
#include "text/trim.hpp"

#include <charconv>
#include <vector>

namespace mesos_actor {

namespace {

// One entry of an Accept header: "type/subtype;q=0.5".
struct media_range {
  std::string_view type;
  std::string_view subtype;
  double quality = 1.0;
};

// Malformed entries are ignored rather than failing the whole header.
std::optional<media_range> parse_media_range(std::string_view entry) {
  media_range r;
  auto semi = entry.find(';');
  auto full = text::trim(entry.substr(0, semi), text::http_blanks);
  auto slash = full.find('/');
  if (slash == std::string_view::npos)
    return std::nullopt;
  r.type = text::trim(full.substr(0, slash), text::http_blanks);
  r.subtype = text::trim(full.substr(slash + 1), text::http_blanks);
  if (r.type.empty() || r.subtype.empty())
    return std::nullopt;
  while (semi != std::string_view::npos) {
    entry.remove_prefix(semi + 1);
    semi = entry.find(';');
    auto param = text::trim(entry.substr(0, semi), text::http_blanks);
    auto eq = param.find('=');
    if (eq == std::string_view::npos
        || !text::iequals(text::trim(param.substr(0, eq), text::http_blanks), "q"))
      continue;
    auto value = text::trim(param.substr(eq + 1), text::http_blanks);
    double q = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
    if (ec != std::errc{} || end != value.data() + value.size() || q < 0 || q > 1)
      return std::nullopt;
    r.quality = q;
  }
  return r;
}

// The quality the header gives `media` under its most specific matching range
// (exact beats "type/*" beats "*/*"); 0 when nothing matches.
double quality_of(const std::vector<media_range>& ranges, std::string_view media) {
  const auto slash = media.find('/');
  const auto type = media.substr(0, slash);
  const auto subtype = media.substr(slash + 1);
  int best_specificity = -1;
  double best_quality = 0;
  for (const auto& r : ranges) {
    int specificity = -1;
    if (text::iequals(r.type, type) && text::iequals(r.subtype, subtype))
      specificity = 2;
    else if (text::iequals(r.type, type) && r.subtype == "*")
      specificity = 1;
    else if (r.type == "*" && r.subtype == "*")
      specificity = 0;
    if (specificity > best_specificity) {
      best_specificity = specificity;
      best_quality = r.quality;
    }
  }
  return best_quality;
}

} // namespace

std::optional<content_type> parse_content_type(std::string_view header) {
  if (header == json_media_type)
    return content_type::json;
  if (header == protobuf_media_type)
    return content_type::protobuf;
  return std::nullopt;
}

std::optional<content_type> negotiate_accept(std::string_view accept) {
  if (text::trim(accept, text::http_blanks).empty())
    return content_type::json;
  std::vector<media_range> ranges;
  std::size_t start = 0;
  while (start <= accept.size()) {
    auto comma = accept.find(',', start);
    auto entry = accept.substr(start, comma == std::string_view::npos ? accept.npos : comma - start);
    if (auto r = parse_media_range(entry))
      ranges.push_back(*r);
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  // Mesos asks "is JSON acceptable?" first and only then "is protobuf acceptable?":
  // q-values decide acceptability, not the order of preference.
  if (quality_of(ranges, json_media_type) > 0)
    return content_type::json;
  if (quality_of(ranges, protobuf_media_type) > 0)
    return content_type::protobuf;
  return std::nullopt;
}

std::optional<content_type> content_type_from_name(std::string_view name) {
  if (name == "protobuf")
    return content_type::protobuf;
  if (name == "json")
    return content_type::json;
  return std::nullopt;
}

std::string_view content_type_name(content_type t) {
  return t == content_type::protobuf ? "protobuf" : "json";
}

} // namespace mesos_actor
