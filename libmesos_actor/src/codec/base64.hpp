#pragma once
// Base64 as Mesos uses it for `bytes` fields in JSON: standard alphabet (+/) with
// padding when writing; lenient when reading (PROTOCOL.md section 8).

#include <string>
#include <string_view>

namespace mesos_actor::detail {

/// Appends the padded standard base64 of `bytes`.
void base64_append(std::string& out, std::string_view bytes);

/// Decodes like stout: whitespace is skipped, padding is optional and decoding stops
/// at the first '='. False (and `out` unspecified) on any other non-alphabet byte.
bool base64_decode_lenient(std::string_view text, std::string& out);

} // namespace mesos_actor::detail
