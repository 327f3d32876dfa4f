// Per-message-type tables for the fast JSON reader.
#include "codec/json_plan.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <typeinfo>
#include <unordered_map>

#include <google/protobuf/descriptor.pb.h> // MessageOptions::map_entry
#include <google/protobuf/message.h>

namespace mesos_actor::detail {

namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

value_kind kind_of(const FD* f) {
  switch (f->type()) {
    case FD::TYPE_INT32: return value_kind::int32;
    case FD::TYPE_INT64: return value_kind::int64;
    case FD::TYPE_UINT32: return value_kind::uint32;
    case FD::TYPE_UINT64: return value_kind::uint64;
    case FD::TYPE_SINT32: return value_kind::sint32;
    case FD::TYPE_SINT64: return value_kind::sint64;
    case FD::TYPE_FIXED32: return value_kind::fixed32;
    case FD::TYPE_SFIXED32: return value_kind::sfixed32;
    case FD::TYPE_FIXED64: return value_kind::fixed64;
    case FD::TYPE_SFIXED64: return value_kind::sfixed64;
    case FD::TYPE_FLOAT: return value_kind::float_;
    case FD::TYPE_DOUBLE: return value_kind::double_;
    case FD::TYPE_BOOL: return value_kind::bool_;
    case FD::TYPE_ENUM: return value_kind::enum_;
    case FD::TYPE_STRING: return value_kind::string;
    case FD::TYPE_BYTES: return value_kind::bytes;
    case FD::TYPE_MESSAGE: return value_kind::message;
    case FD::TYPE_GROUP: return value_kind::unsupported;
  }
  return value_kind::unsupported;
}

class registry {
public:
  const message_plan* get(const pb::Descriptor* d) {
    std::lock_guard<std::mutex> lock(mutex_);
    return build(d);
  }

private:
  message_plan* build(const pb::Descriptor* d) {
    auto& slot = messages_[d];
    if (slot)
      return slot.get(); // built, or being built further up (recursive types)
    slot = std::make_unique<message_plan>();
    message_plan* p = slot.get();
    p->descriptor = d;
    if (const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(d))
      p->reflection = prototype->GetReflection();
    std::vector<std::string_view> names;
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      field_plan fp;
      fp.descriptor = f;
      fp.name = f->name();
      fp.number = static_cast<std::uint32_t>(f->number());
      fp.index = static_cast<std::uint32_t>(i);
      fp.kind = kind_of(f);
      fp.repeated = f->is_repeated();
      fp.map = f->is_map();
      fp.required = f->is_required();
      fp.json_key = '"' + f->name() + "\":"; // proto names are plain identifiers
      fp.write_default = !fp.repeated && f->has_default_value() && !f->options().deprecated()
                         && f->containing_oneof() == nullptr;
      if (fp.kind == value_kind::message) {
        fp.message = build(f->message_type());
        p->message_fields.push_back(static_cast<std::uint32_t>(i));
      }
      if (fp.kind == value_kind::enum_)
        fp.enums = build(f->enum_type());
      names.push_back(fp.name);
      p->fields.push_back(std::move(fp));
      if (d->options().map_entry()) {
        if (f->number() == 1)
          p->key_index = static_cast<std::size_t>(i);
        else if (f->number() == 2)
          p->value_index = static_cast<std::size_t>(i);
      }
    }
    p->by_name.build(names);
    return p;
  }

  const enum_plan* build(const pb::EnumDescriptor* d) {
    auto& slot = enums_[d];
    if (slot)
      return slot.get();
    slot = std::make_unique<enum_plan>();
    enum_plan* p = slot.get();
    p->descriptor = d;
    std::vector<std::string_view> names;
    for (int i = 0; i < d->value_count(); ++i) {
      names.push_back(d->value(i)->name());
      p->numbers.push_back(d->value(i)->number());
    }
    p->by_name.build(names);
    return p;
  }

  std::mutex mutex_;
  std::unordered_map<const pb::Descriptor*, std::unique_ptr<message_plan>> messages_;
  std::unordered_map<const pb::EnumDescriptor*, std::unique_ptr<enum_plan>> enums_;
};

} // namespace

name_index::key name_index::key_of(std::string_view name) {
  // Fixed-size loads, overlapping where the name is short, instead of a memcpy of
  // variable length (a library call): for names up to 16 bytes the key still holds
  // every byte, so equal keys mean equal names.
  const char* p = name.data();
  const std::size_t n = name.size();
  key k;
  k.size = n;
  if (n >= 8) {
    std::memcpy(&k.head, p, 8);
    std::memcpy(&k.tail, p + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    k.head = std::uint64_t{hi} << 32 | lo;
  } else if (n > 0) {
    k.head = std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8
             | std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  }
  return k;
}

namespace {

std::size_t hash_key(std::uint64_t head, std::uint64_t tail, std::size_t size) {
  const std::uint64_t h = (head ^ (tail * 0x9e3779b97f4a7c15ull) ^ size) * 0xbf58476d1ce4e5b9ull;
  return static_cast<std::size_t>(h ^ (h >> 29));
}

} // namespace

void name_index::build(const std::vector<std::string_view>& names) {
  names_ = names;
  std::size_t size = 4;
  while (size < names.size() * 2)
    size *= 2;
  slots_.assign(size, slot{});
  mask_ = size - 1;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (find(names[i]) >= 0)
      continue; // a repeated name keeps its first index
    const key k = key_of(names[i]);
    std::size_t at = hash_key(k.head, k.tail, k.size) & mask_;
    while (slots_[at].index >= 0)
      at = (at + 1) & mask_;
    slots_[at] = slot{k, static_cast<std::int32_t>(i)};
  }
}

int name_index::find(std::string_view name) const {
  if (slots_.empty())
    return -1;
  const key k = key_of(name);
  std::size_t at = hash_key(k.head, k.tail, k.size) & mask_;
  while (true) {
    const slot& s = slots_[at];
    if (s.index < 0)
      return -1;
    if (s.k.head == k.head && s.k.tail == k.tail && s.k.size == k.size
        && (k.size <= 16 || names_[static_cast<std::size_t>(s.index)] == name))
      return s.index;
    at = (at + 1) & mask_;
  }
}

const message_plan* plan_for(const pb::Descriptor* d) {
  // A descriptor of another pool may be destroyed and its address reused.
  if (d->file()->pool() != pb::DescriptorPool::generated_pool())
    return nullptr;
  // Each thread mostly decodes one type (its Events): skip the lock for it.
  thread_local const pb::Descriptor* last_descriptor = nullptr;
  thread_local const message_plan* last_plan = nullptr;
  if (d == last_descriptor)
    return last_plan;
  // Never destroyed: decoding may still run on other threads while the program exits.
  static registry* plans = new registry;
  last_plan = plans->get(d);
  last_descriptor = d;
  return last_plan;
}

const message_plan* generated_plan_for(const pb::Message& msg) {
  // A class seen is the generated one of exactly one type; a DynamicMessage class serves
  // many types and is never kept (its reflection is not the prototype's).
  // A few classes per thread (its Events, the Calls it sends), replaced in turn.
  struct entry {
    const std::type_info* cls = nullptr;
    const message_plan* plan = nullptr;
  };
  thread_local entry seen[4];
  thread_local unsigned next = 0;
  const std::type_info* cls = &typeid(msg);
  for (const entry& e : seen)
    if (e.cls == cls)
      return e.plan;
  const message_plan* plan = plan_for(msg.GetDescriptor());
  if (plan == nullptr || plan->reflection == nullptr || plan->reflection != msg.GetReflection())
    return nullptr;
  seen[next++ % 4] = entry{cls, plan};
  return plan;
}

} // namespace mesos_actor::detail
