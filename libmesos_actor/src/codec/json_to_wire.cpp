// JSON -> protobuf wire format -> the generated parser: the fast way of from_json.
// Follows the reflection reader's rules step by step (json_reader.cpp) and gives up
// wherever that reader would fail or where the wire format would not give the same
// message (a singular message field given twice: the reflection reader keeps the last
// whole, the parser would merge them).
#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>

#include "codec/base64.hpp"
#include "codec/json_numbers.hpp"
#include "codec/json_paths.hpp"
#include "codec/json_plan.hpp"
#include "codec/json_scanner.hpp"

namespace mesos_actor::detail {

namespace {

// Buffers that once held a huge message are released rather than kept per thread.
constexpr std::size_t retained_buffer_limit = 1u << 20;

enum wire_type : std::uint32_t { varint = 0, i64 = 1, len = 2, i32 = 5 };

// Strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), as
// protobuf checks string fields; the generated parser would log about anything else,
// where the reflection reader stores it silently.
bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // ASCII eight bytes at a time.
    if (n - i >= 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    auto cont = [&](std::size_t k) {
      return i + k < n && (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
    };
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    if (c >= 0xc2 && c <= 0xdf) {
      if (!cont(1))
        return false;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      if (!cont(1) || !cont(2))
        return false;
      if ((c == 0xe0 && byte(1) < 0xa0) || (c == 0xed && byte(1) > 0x9f))
        return false;
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (!cont(1) || !cont(2) || !cont(3))
        return false;
      if ((c == 0xf0 && byte(1) < 0x90) || (c == 0xf4 && byte(1) > 0x8f))
        return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

// The wire bytes being built: a std::string used as a growable array whose first
// size() bytes are the message (the rest is room, kept between uses).
class wire_buffer {
public:
  explicit wire_buffer(std::string& bytes) : bytes_(bytes) {}

  std::size_t size() const { return size_; }

  void varint(std::uint64_t v) {
    char* p = room(10);
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    size_ = static_cast<std::size_t>(p - bytes_.data());
  }
  void tag(std::uint32_t number, wire_type type) { varint(std::uint64_t{number} << 3 | type); }
  void fixed(std::uint64_t v, int bytes) {
    char* p = room(8);
    for (int i = 0; i < bytes; ++i)
      p[i] = static_cast<char>(v >> (8 * i));
    size_ += static_cast<std::size_t>(bytes);
  }
  void raw(std::string_view s) {
    std::memcpy(room(s.size()), s.data(), s.size());
    size_ += s.size();
  }

  // A length-delimited value whose length is known only after it is written: two
  // bytes are kept for the length, which is written there as a two-byte varint (padded
  // with a zero continuation below 128, which every protobuf parser takes) so that
  // nearly no value has to move; one of 16 KiB or more moves along to make room.
  std::size_t open() {
    room(2);
    size_ += 2;
    return size_ - 2;
  }
  void close(std::size_t at) {
    const std::size_t n = size_ - at - 2;
    char* p = &bytes_[at];
    if (n < (1u << 14)) {
      p[0] = static_cast<char>(n | 0x80);
      p[1] = static_cast<char>(n >> 7);
      return;
    }
    std::size_t width = 1;
    for (std::size_t v = n >> 7; v != 0; v >>= 7)
      ++width;
    room(width - 2);
    std::memmove(&bytes_[at + width], &bytes_[at + 2], n);
    size_ += width - 2;
    std::size_t v = n;
    p = &bytes_[at];
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p = static_cast<char>(v);
  }

private:
  char* room(std::size_t n) {
    if (bytes_.size() - size_ < n)
      bytes_.resize(std::max(bytes_.size() * 2, size_ + n + 256));
    return &bytes_[size_];
  }

  std::string& bytes_;
  std::size_t size_ = 0;
};

class transcoder {
public:
  transcoder(std::string_view json, const json_read_options& opts, std::string& wire)
    : scanner_(json, opts.max_depth), opts_(opts), out_(wire) {}

  bool run(const message_plan& root) {
    return scanner_.peek() == '{' && object(root) && scanner_.at_end();
  }
  std::size_t size() const { return out_.size(); }

private:
  bool object(const message_plan& plan) {
    if (!scanner_.consume('{') || !scanner_.enter())
      return false;
    std::uint64_t singular_messages_seen = 0;
    std::size_t hint = 0; // the field after the last one found
    if (!scanner_.consume('}')) {
      std::string_view key;
      do {
        // Keys mostly come in declaration order, unset fields left out: try the next
        // few fields' `"name":` against the text before reading the key as a string.
        const field_plan* f = nullptr;
        for (std::size_t i = hint, end = std::min(hint + 4, plan.fields.size()); i < end; ++i)
          if (scanner_.consume_raw(plan.fields[i].json_key)) {
            f = &plan.fields[i];
            break;
          }
        if (f == nullptr) {
          if (!scanner_.read_string(key, key_scratch_) || !scanner_.consume(':'))
            return false;
          f = plan.find(key);
        }
        if (f == nullptr) {
          if (!opts_.ignore_unknown_fields || !scanner_.skip_value())
            return false;
          continue;
        }
        if (f->kind == value_kind::message && !f->repeated) {
          // Given twice, the reflection reader keeps the last one whole.
          if (f->index >= 64 || (singular_messages_seen >> f->index & 1) != 0)
            return false;
          singular_messages_seen |= std::uint64_t{1} << f->index;
        }
        hint = f->index + 1;
        if (!field(*f))
          return false;
      } while (scanner_.consume(','));
      if (!scanner_.consume('}'))
        return false;
    }
    scanner_.leave();
    return true;
  }

  bool field(const field_plan& f) {
    const char c = scanner_.peek();
    if (c == 'n') // null means unset
      return scanner_.read_literal("null");
    if (f.map)
      return map(f);
    if (!f.repeated)
      return c != '[' && element(f);
    if (c != '[') // a single value where an array is expected is one element
      return element(f);
    scanner_.consume('[');
    if (!scanner_.enter())
      return false;
    if (!scanner_.consume(']')) {
      do {
        if (scanner_.peek() == 'n' || !element(f))
          return false;
      } while (scanner_.consume(','));
      if (!scanner_.consume(']'))
        return false;
    }
    scanner_.leave();
    return true;
  }

  bool map(const field_plan& f) {
    if (!scanner_.consume('{') || !scanner_.enter())
      return false;
    const message_plan& entry = *f.message;
    if (!scanner_.consume('}')) {
      std::string_view key;
      do {
        if (!scanner_.read_string(key, key_scratch_) || !scanner_.consume(':'))
          return false;
        if (scanner_.peek() == 'n') {
          if (!scanner_.read_literal("null"))
            return false;
          continue;
        }
        out_.tag(f.number, len);
        const std::size_t at = out_.open();
        if (!from_text(entry.map_key(), key) || !element(entry.map_value()))
          return false;
        out_.close(at);
      } while (scanner_.consume(','));
      if (!scanner_.consume('}'))
        return false;
    }
    scanner_.leave();
    return true;
  }

  bool element(const field_plan& f) {
    switch (f.kind) {
      case value_kind::message: {
        if (scanner_.peek() != '{')
          return false;
        out_.tag(f.number, len);
        const std::size_t at = out_.open();
        if (!object(*f.message))
          return false;
        out_.close(at);
        return true;
      }
      case value_kind::enum_: {
        std::string_view name;
        if (scanner_.peek() != '"' || !scanner_.read_string(name, scratch_))
          return false;
        int number = 0;
        if (!f.enums->number_of(name, number))
          return !f.required; // an unknown name in an optional enum is dropped, as Mesos does
        out_.tag(f.number, varint);
        out_.varint(static_cast<std::uint64_t>(static_cast<std::int64_t>(number)));
        return true;
      }
      case value_kind::string:
      case value_kind::bytes: {
        std::string_view text;
        if (scanner_.peek() != '"' || !scanner_.read_string(text, scratch_))
          return false;
        if (f.kind == value_kind::bytes) {
          if (!base64_decode_lenient(text, bytes_))
            return false;
          text = bytes_;
        } else if (!scanner_.last_string_ascii() && !is_utf8(text)) {
          return false;
        }
        out_.tag(f.number, len);
        out_.varint(text.size());
        out_.raw(text);
        return true;
      }
      case value_kind::bool_: {
        const char c = scanner_.peek();
        if (c == 't' || c == 'f') {
          const bool v = c == 't';
          if (!scanner_.read_literal(v ? "true" : "false"))
            return false;
          out_.tag(f.number, varint);
          out_.varint(v ? 1 : 0);
          return true;
        }
        std::string_view text;
        return c == '"' && scanner_.read_string(text, scratch_) && from_text(f, text);
      }
      case value_kind::unsupported:
        return false;
      default: {
        // A number: a JSON number token or, as Mesos accepts, a JSON string.
        std::string_view text;
        const char c = scanner_.peek();
        if (c == '"') {
          if (!scanner_.read_string(text, scratch_))
            return false;
        } else if (c != '-' && (c < '0' || c > '9')) {
          return false;
        } else if (!scanner_.read_number(text)) {
          return false;
        }
        return from_text(f, text);
      }
    }
  }

  template <class T>
  bool integer(std::string_view text, T& v) {
    return parse_integer(text, v, why_);
  }

  // A scalar from its text form (numbers, and map keys), as the reflection reader's
  // set_from_text.
  bool from_text(const field_plan& f, std::string_view text) {
    switch (f.kind) {
      case value_kind::int32:
      case value_kind::sint32:
      case value_kind::sfixed32: {
        std::int32_t v = 0;
        if (!integer(text, v))
          return false;
        if (f.kind == value_kind::sfixed32) {
          out_.tag(f.number, i32);
          out_.fixed(static_cast<std::uint32_t>(v), 4);
          return true;
        }
        out_.tag(f.number, varint);
        out_.varint(f.kind == value_kind::sint32
                      ? (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31)
                      : static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
        return true;
      }
      case value_kind::int64:
      case value_kind::sint64:
      case value_kind::sfixed64: {
        std::int64_t v = 0;
        if (!integer(text, v))
          return false;
        if (f.kind == value_kind::sfixed64) {
          out_.tag(f.number, i64);
          out_.fixed(static_cast<std::uint64_t>(v), 8);
          return true;
        }
        out_.tag(f.number, varint);
        out_.varint(f.kind == value_kind::sint64
                      ? (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)
                      : static_cast<std::uint64_t>(v));
        return true;
      }
      case value_kind::uint32:
      case value_kind::fixed32: {
        std::uint32_t v = 0;
        if (!integer(text, v))
          return false;
        if (f.kind == value_kind::fixed32) {
          out_.tag(f.number, i32);
          out_.fixed(v, 4);
        } else {
          out_.tag(f.number, varint);
          out_.varint(v);
        }
        return true;
      }
      case value_kind::uint64:
      case value_kind::fixed64: {
        std::uint64_t v = 0;
        if (!integer(text, v))
          return false;
        if (f.kind == value_kind::fixed64) {
          out_.tag(f.number, i64);
          out_.fixed(v, 8);
        } else {
          out_.tag(f.number, varint);
          out_.varint(v);
        }
        return true;
      }
      case value_kind::double_: {
        double v = 0;
        if (!parse_double(text, v, why_))
          return false;
        std::uint64_t bits;
        std::memcpy(&bits, &v, 8);
        out_.tag(f.number, i64);
        out_.fixed(bits, 8);
        return true;
      }
      case value_kind::float_: {
        double v = 0;
        if (!parse_double(text, v, why_) || !fits_float(v))
          return false;
        const auto fv = static_cast<float>(v);
        std::uint32_t bits;
        std::memcpy(&bits, &fv, 4);
        out_.tag(f.number, i32);
        out_.fixed(bits, 4);
        return true;
      }
      case value_kind::bool_:
        if (text != "true" && text != "false")
          return false;
        out_.tag(f.number, varint);
        out_.varint(text == "true" ? 1 : 0);
        return true;
      case value_kind::string:
        if (!is_utf8(text))
          return false;
        out_.tag(f.number, len);
        out_.varint(text.size());
        out_.raw(text);
        return true;
      default:
        return false;
    }
  }

  json_scanner scanner_;
  const json_read_options& opts_;
  wire_buffer out_;
  std::string key_scratch_; // keys with escapes
  std::string scratch_;     // values with escapes
  std::string bytes_;       // decoded base64
  std::string why_;         // unused: the reflection reader words the error
};

} // namespace

bool from_json_by_wire(std::string_view json, google::protobuf::Message& out,
                       const json_read_options& opts) {
  // A generated message (nearly always) without a descriptor look-up; a dynamic message
  // of a generated type through its descriptor.
  const message_plan* plan = generated_plan_for(out);
  if (plan == nullptr)
    plan = plan_for(out.GetDescriptor());
  if (plan == nullptr)
    return false;
  thread_local std::string wire;
  transcoder t(json, opts, wire);
  const bool ok = t.run(*plan) && t.size() <= static_cast<std::size_t>(INT_MAX)
                  && out.ParsePartialFromArray(wire.data(), static_cast<int>(t.size()));
  if (wire.size() > retained_buffer_limit)
    std::string().swap(wire);
  return ok;
}

} // namespace mesos_actor::detail
