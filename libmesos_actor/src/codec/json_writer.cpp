// Protobuf -> JSON in Mesos's dialect (stout jsonify, PROTOCOL.md section 8), by reflection.
#include "mesos_actor/codec/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/reflection.h>

#include "codec/base64.hpp"
#include "codec/json_paths.hpp"
#include "codec/json_plan.hpp"

namespace mesos_actor {

namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

void append_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xf];
    }
  }
  // Bytes >= 0x80 pass through unchanged, as Mesos writes them: lossless round trips.
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

template <class T>
void append_integer(std::string& out, T v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

template <class T>
void append_floating(std::string& out, T v) {
  // Mesos writes infinities as quoted strings; a NaN would be the invalid bare token
  // NaN there, so it is quoted too to keep the output valid JSON.
  if (std::isnan(v)) {
    out += "\"NaN\"";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v); // shortest exact form
  (void)ec;
  out.append(buf, end);
}

void append_message(std::string& out, const pb::Message& msg);

// One value of a singular field (index < 0) or one element of a repeated field; `r` is
// msg's reflection. Both writers below use it for every value but nested messages.
void append_value(std::string& out, const pb::Message& msg, const pb::Reflection* r, const FD* f,
                  int index) {
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32:
      append_integer(out, rep ? r->GetRepeatedInt32(msg, f, index) : r->GetInt32(msg, f));
      break;
    case FD::CPPTYPE_INT64:
      append_integer(out, rep ? r->GetRepeatedInt64(msg, f, index) : r->GetInt64(msg, f));
      break;
    case FD::CPPTYPE_UINT32:
      append_integer(out, rep ? r->GetRepeatedUInt32(msg, f, index) : r->GetUInt32(msg, f));
      break;
    case FD::CPPTYPE_UINT64:
      append_integer(out, rep ? r->GetRepeatedUInt64(msg, f, index) : r->GetUInt64(msg, f));
      break;
    case FD::CPPTYPE_DOUBLE:
      append_floating(out, rep ? r->GetRepeatedDouble(msg, f, index) : r->GetDouble(msg, f));
      break;
    case FD::CPPTYPE_FLOAT:
      append_floating(out, rep ? r->GetRepeatedFloat(msg, f, index) : r->GetFloat(msg, f));
      break;
    case FD::CPPTYPE_BOOL:
      out += (rep ? r->GetRepeatedBool(msg, f, index) : r->GetBool(msg, f)) ? "true" : "false";
      break;
    case FD::CPPTYPE_ENUM: {
      const auto* v = rep ? r->GetRepeatedEnum(msg, f, index) : r->GetEnum(msg, f);
      append_string(out, v->name());
      break;
    }
    case FD::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s = rep ? r->GetRepeatedStringReference(msg, f, index, &scratch)
                                 : r->GetStringReference(msg, f, &scratch);
      if (f->type() == FD::TYPE_BYTES) {
        out += '"';
        detail::base64_append(out, s);
        out += '"';
      } else {
        append_string(out, s);
      }
      break;
    }
    case FD::CPPTYPE_MESSAGE:
      append_message(out, rep ? r->GetRepeatedMessage(msg, f, index) : r->GetMessage(msg, f));
      break;
  }
}

// A map key as Mesos stringifies it.
std::string map_key_text(const pb::Message& entry, const FD* key) {
  const auto* r = entry.GetReflection();
  std::string text;
  switch (key->cpp_type()) {
    case FD::CPPTYPE_STRING: text = r->GetString(entry, key); break;
    case FD::CPPTYPE_INT32: text = std::to_string(r->GetInt32(entry, key)); break;
    case FD::CPPTYPE_INT64: text = std::to_string(r->GetInt64(entry, key)); break;
    case FD::CPPTYPE_UINT32: text = std::to_string(r->GetUInt32(entry, key)); break;
    case FD::CPPTYPE_UINT64: text = std::to_string(r->GetUInt64(entry, key)); break;
    case FD::CPPTYPE_BOOL: text = r->GetBool(entry, key) ? "true" : "false"; break;
    default: break; // protobuf allows no other key types
  }
  return text;
}

// Entries are written sorted by key: protobuf keeps maps unordered, and the same
// message should always give the same text.
void append_map(std::string& out, const pb::Message& msg, const FD* f) {
  const auto* r = msg.GetReflection();
  const auto* key = f->message_type()->map_key();
  const auto* value = f->message_type()->map_value();
  const int n = r->FieldSize(msg, f);
  std::vector<std::pair<std::string, const pb::Message*>> entries;
  entries.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto& entry = r->GetRepeatedMessage(msg, f, i);
    entries.emplace_back(map_key_text(entry, key), &entry);
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  out += '{';
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0)
      out += ',';
    append_string(out, entries[i].first);
    out += ':';
    append_value(out, *entries[i].second, entries[i].second->GetReflection(), value, -1);
  }
  out += '}';
}

void append_message(std::string& out, const pb::Message& msg) {
  const auto* d = msg.GetDescriptor();
  const auto* r = msg.GetReflection();
  out += '{';
  bool first = true;
  auto key = [&](const FD* f) {
    if (!first)
      out += ',';
    first = false;
    out += '"';
    out += f->name(); // proto names are plain identifiers: nothing to escape
    out += "\":";
  };
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    if (f->is_repeated()) {
      const int n = r->FieldSize(msg, f);
      if (n == 0)
        continue;
      key(f);
      if (f->is_map()) {
        append_map(out, msg, f);
        continue;
      }
      out += '[';
      for (int k = 0; k < n; ++k) {
        if (k > 0)
          out += ',';
        append_value(out, msg, r, f, k);
      }
      out += ']';
      continue;
    }
    // Unset fields with a proto default are written with it, unless deprecated.
    if (!r->HasField(msg, f)
        && (!f->has_default_value() || f->options().deprecated() || f->containing_oneof()))
      continue;
    key(f);
    append_value(out, msg, r, f, -1);
  }
  out += '}';
}

// The same output through the field tables of json_plan.hpp, for generated messages:
// no descriptor walk, no per-message reflection look-up, keys written whole.
void append_planned(std::string& out, const pb::Message& msg, const detail::message_plan& plan);

void append_planned_value(std::string& out, const pb::Message& msg, const pb::Reflection* r,
                          const detail::field_plan& fp, int index) {
  if (fp.kind != detail::value_kind::message) {
    append_value(out, msg, r, fp.descriptor, index);
    return;
  }
  const FD* f = fp.descriptor;
  append_planned(out, index >= 0 ? r->GetRepeatedMessage(msg, f, index) : r->GetMessage(msg, f), *fp.message);
}

void append_planned(std::string& out, const pb::Message& msg, const detail::message_plan& plan) {
  // Nested messages of a generated message are generated: the plan's reflection is theirs.
  const pb::Reflection* r = plan.reflection != nullptr ? plan.reflection : msg.GetReflection();
  out += '{';
  bool first = true;
  for (const auto& fp : plan.fields) {
    const FD* f = fp.descriptor;
    if (fp.repeated) {
      const int n = r->FieldSize(msg, f);
      if (n == 0)
        continue;
      if (!first)
        out += ',';
      first = false;
      out += fp.json_key;
      if (fp.map) {
        append_map(out, msg, f);
        continue;
      }
      out += '[';
      for (int k = 0; k < n; ++k) {
        if (k > 0)
          out += ',';
        append_planned_value(out, msg, r, fp, k);
      }
      out += ']';
      continue;
    }
    if (!fp.write_default && !r->HasField(msg, f))
      continue;
    if (!first)
      out += ',';
    first = false;
    out += fp.json_key;
    append_planned_value(out, msg, r, fp, -1);
  }
  out += '}';
}

} // namespace

void append_json(std::string& out, const google::protobuf::Message& msg) {
  // The tables are for generated classes only (a dynamic message of the same type has
  // a reflection of its own): the walk below trusts the plan's reflection.
  if (const auto* plan = detail::generated_plan_for(msg)) {
    append_planned(out, msg, *plan);
    return;
  }
  append_message(out, msg);
}

std::string detail::to_json_by_reflection(const google::protobuf::Message& msg) {
  std::string out;
  append_message(out, msg);
  return out;
}

std::string to_json(const google::protobuf::Message& msg) {
  std::string out;
  append_json(out, msg);
  return out;
}

} // namespace mesos_actor
