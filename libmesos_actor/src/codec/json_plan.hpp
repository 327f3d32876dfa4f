#pragma once
// Per-message-type tables for the fast JSON reader (json_to_wire.cpp): every field's
// name, number and wire encoding, looked up by name without going through protobuf's descriptor pool or reflection. Built once per
// message type on first use and kept for the life of the program (types are few and
// fixed: only the generated pool's descriptors get a plan).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "codec/json_scanner.hpp" // bytes_equal

namespace mesos_actor::detail {

/// How a field's values are written in protobuf wire format.
enum class value_kind : std::uint8_t {
  int32, int64, uint32, uint64, sint32, sint64, // varint
  fixed32, sfixed32, fixed64, sfixed64,
  float_, double_, bool_, enum_,
  string, bytes, message,
  unsupported, // groups: left to the reflection paths
};

/// Name -> small index, open addressing; names are views of descriptor strings. A
/// name is keyed by its length and its first and last eight bytes, which are the whole
/// name up to 16 bytes (nearly every field name), so most look-ups need no memcmp.
class name_index {
public:
  void build(const std::vector<std::string_view>& names);
  /// The index of `name`, or -1.
  int find(std::string_view name) const;

private:
  struct key {
    std::uint64_t head = 0, tail = 0;
    std::size_t size = 0;
  };
  static key key_of(std::string_view name);

  struct slot {
    key k;
    std::int32_t index = -1; // -1: empty
  };
  std::vector<std::string_view> names_;
  std::vector<slot> slots_;
  std::size_t mask_ = 0;
};

/// An enum's values by name.
struct enum_plan {
  const google::protobuf::EnumDescriptor* descriptor = nullptr;
  name_index by_name;
  std::vector<int> numbers; // parallel to the names given to by_name

  /// The number of the value called `name`; false when there is none.
  bool number_of(std::string_view name, int& number) const {
    const int i = by_name.find(name);
    if (i < 0)
      return false;
    number = numbers[static_cast<std::size_t>(i)];
    return true;
  }
};

struct message_plan;

/// One field of a message type.
struct field_plan {
  const google::protobuf::FieldDescriptor* descriptor = nullptr;
  std::string_view name;
  std::uint32_t number = 0;
  std::uint32_t index = 0;  // declaration order
  value_kind kind = value_kind::unsupported;
  bool repeated = false;
  bool map = false;
  bool required = false;
  const message_plan* message = nullptr; // message fields and maps (the entry type)
  const enum_plan* enums = nullptr;      // enum fields
  // For the writer (json_writer.cpp): the key as written, `"name":`, and whether an
  // unset singular field is written with its proto default (one that has a default
  // and is neither deprecated nor in a oneof, as Mesos writes them).
  std::string json_key;
  bool write_default = false;
};

/// One message type.
struct message_plan {
  const google::protobuf::Descriptor* descriptor = nullptr;
  /// The reflection of the generated class of this type: every message nested in a
  /// generated message is generated too, so a walk that started on one need not ask
  /// each submessage for its reflection (a virtual call and a once-check each).
  const google::protobuf::Reflection* reflection = nullptr;
  /// Indexes of the message-typed fields (maps included), for walks over submessages.
  std::vector<std::uint32_t> message_fields;
  std::vector<field_plan> fields; // declaration order
  name_index by_name;

  const field_plan* find(std::string_view name) const {
    const int i = by_name.find(name);
    return i < 0 ? nullptr : &fields[static_cast<std::size_t>(i)];
  }
  /// find(), trying first the few fields declared from `hint` on: JSON written by
  /// Mesos (and by us) has its keys in declaration order, unset fields left out.
  const field_plan* find(std::string_view name, std::size_t hint) const {
    for (std::size_t i = hint, end = std::min(hint + 3, fields.size()); i < end; ++i)
      if (fields[i].name.size() == name.size() && bytes_equal(fields[i].name.data(), name.data(), name.size()))
        return &fields[i];
    return find(name);
  }
  /// Map entry types: the key and the value field.
  const field_plan& map_key() const { return fields[key_index]; }
  const field_plan& map_value() const { return fields[value_index]; }
  std::size_t key_index = 0;
  std::size_t value_index = 0;
};

/// The plan of `d`, built on first use; nullptr when `d` is not from the generated
/// descriptor pool (the reflection paths then handle it).
const message_plan* plan_for(const google::protobuf::Descriptor* d);

/// The plan of `msg`'s type when `msg` is of the generated class of that type (so that
/// the plan's reflection is its own), else nullptr. Kept per thread for the last few
/// classes seen: GetDescriptor() and GetReflection() cost a once-check in protobuf each
/// time.
const message_plan* generated_plan_for(const google::protobuf::Message& msg);

} // namespace mesos_actor::detail
