// JSON -> protobuf by reflection with Mesos's reading rules (stout protobuf.hpp,
// PROTOCOL.md section 8): the reference reader, and the one that words every error.
#include "codec/json_paths.hpp"

#include <cmath>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "codec/base64.hpp"
#include "codec/json_numbers.hpp"
#include "codec/json_scanner.hpp"

namespace mesos_actor {

namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;
using detail::parse_double;
using detail::parse_integer;

class message_reader {
public:
  message_reader(std::string_view json, const pb::Descriptor* root, const json_read_options& opts)
    : scanner_(json, opts.max_depth), root_(root), opts_(opts) {}

  std::optional<codec_error> read(pb::Message& out) {
    if (scanner_.peek() != '{')
      return codec_error{root_->full_name() + ": the top level must be a JSON object"};
    if (!read_object(out))
      return codec_error{std::move(error_)};
    if (!scanner_.at_end()) {
      scanner_.fail("trailing characters after the object");
      syntax_error();
      return codec_error{std::move(error_)};
    }
    return std::nullopt;
  }

private:
  std::string path() const {
    std::string p;
    for (const auto& seg : path_) {
      if (seg.is_index) {
        p += '[' + std::to_string(seg.index) + ']';
        continue;
      }
      if (!p.empty())
        p += '.';
      p += seg.name;
    }
    return p;
  }

  bool field_error(std::string what) {
    if (error_.empty()) {
      error_ = root_->full_name();
      if (!path_.empty())
        error_ += ": field '" + path() + "'";
      error_ += ": " + what;
    }
    return false;
  }

  bool syntax_error() {
    return field_error(scanner_.error());
  }

  bool read_object(pb::Message& msg) {
    if (!scanner_.consume('{'))
      return field_error("expected an object");
    if (!scanner_.enter())
      return syntax_error();
    const auto* d = msg.GetDescriptor();
    if (!scanner_.consume('}')) {
      std::string key;
      do {
        if (!scanner_.read_string(key) || !scanner_.consume(':'))
          return scanner_.fail("expected '\"key\":'"), syntax_error();
        const FD* f = d->FindFieldByName(key);
        if (f == nullptr) {
          if (!opts_.ignore_unknown_fields) {
            path_.push_back({key});
            return field_error("unknown field in " + d->full_name());
          }
          if (!scanner_.skip_value())
            return syntax_error();
          continue;
        }
        path_.push_back({f->name()});
        if (!read_field(msg, f))
          return false;
        path_.pop_back();
      } while (scanner_.consume(','));
      if (!scanner_.consume('}'))
        return scanner_.fail("expected ',' or '}'"), syntax_error();
    }
    scanner_.leave();
    return true;
  }

  bool read_field(pb::Message& msg, const FD* f) {
    const char c = scanner_.peek();
    if (c == 'n') // null means unset
      return scanner_.read_literal("null") || syntax_error();
    if (f->is_map())
      return read_map(msg, f);
    if (!f->is_repeated()) {
      if (c == '[')
        return field_error("an array for a singular field");
      return read_element(msg, f, false);
    }
    if (c != '[') // a single value where an array is expected is one element
      return read_element(msg, f, true);
    scanner_.consume('[');
    if (!scanner_.enter())
      return syntax_error();
    if (!scanner_.consume(']')) {
      std::size_t index = 0;
      do {
        path_.push_back({{}, index++, true});
        if (scanner_.peek() == 'n')
          return field_error("null inside an array");
        if (!read_element(msg, f, true))
          return false;
        path_.pop_back();
      } while (scanner_.consume(','));
      if (!scanner_.consume(']'))
        return scanner_.fail("expected ',' or ']'"), syntax_error();
    }
    scanner_.leave();
    return true;
  }

  bool read_map(pb::Message& msg, const FD* f) {
    if (!scanner_.consume('{'))
      return field_error("expected an object for a map");
    if (!scanner_.enter())
      return syntax_error();
    const auto* r = msg.GetReflection();
    const FD* key_field = f->message_type()->map_key();
    const FD* value_field = f->message_type()->map_value();
    if (!scanner_.consume('}')) {
      std::string key;
      do {
        if (!scanner_.read_string(key) || !scanner_.consume(':'))
          return scanner_.fail("expected '\"key\":'"), syntax_error();
        path_.push_back({key});
        if (scanner_.peek() == 'n') {
          if (!scanner_.read_literal("null"))
            return syntax_error();
        } else {
          pb::Message* entry = r->AddMessage(&msg, f);
          if (!set_from_text(*entry, key_field, key, false) || !read_element(*entry, value_field, false))
            return false;
        }
        path_.pop_back();
      } while (scanner_.consume(','));
      if (!scanner_.consume('}'))
        return scanner_.fail("expected ',' or '}'"), syntax_error();
    }
    scanner_.leave();
    return true;
  }

  // The text of a number: a JSON number token or, as Mesos accepts, a JSON string.
  bool read_number_text(std::string_view& text) {
    if (scanner_.peek() == '"') {
      if (!scanner_.read_string(string_))
        return syntax_error();
      text = string_;
      return true;
    }
    const char c = scanner_.peek();
    if (c != '-' && (c < '0' || c > '9'))
      return field_error("expected a number");
    return scanner_.read_number(text) || syntax_error();
  }

  template <class T>
  using reflection_setter = void (pb::Reflection::*)(pb::Message*, const FD*, T) const;

  // One integer type: parse, then Set or Add through the matching Reflection member.
  template <class T>
  bool put_integer(pb::Message& msg, const FD* f, std::string_view text, bool repeated,
                   reflection_setter<T> set, reflection_setter<T> add) {
    T v = 0;
    std::string why;
    if (!parse_integer(text, v, why))
      return field_error(why);
    (msg.GetReflection()->*(repeated ? add : set))(&msg, f, v);
    return true;
  }

  // Sets (or adds) a scalar from its text form; used for numbers and map keys.
  bool set_from_text(pb::Message& msg, const FD* f, std::string_view text, bool repeated) {
    const auto* r = msg.GetReflection();
    std::string why;
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT32:
        return put_integer<std::int32_t>(msg, f, text, repeated, &pb::Reflection::SetInt32,
                                         &pb::Reflection::AddInt32);
      case FD::CPPTYPE_INT64:
        return put_integer<std::int64_t>(msg, f, text, repeated, &pb::Reflection::SetInt64,
                                         &pb::Reflection::AddInt64);
      case FD::CPPTYPE_UINT32:
        return put_integer<std::uint32_t>(msg, f, text, repeated, &pb::Reflection::SetUInt32,
                                          &pb::Reflection::AddUInt32);
      case FD::CPPTYPE_UINT64:
        return put_integer<std::uint64_t>(msg, f, text, repeated, &pb::Reflection::SetUInt64,
                                          &pb::Reflection::AddUInt64);
      case FD::CPPTYPE_DOUBLE: {
        double v = 0;
        if (!parse_double(text, v, why))
          return field_error(why);
        repeated ? r->AddDouble(&msg, f, v) : r->SetDouble(&msg, f, v);
        return true;
      }
      case FD::CPPTYPE_FLOAT: {
        double v = 0;
        if (!parse_double(text, v, why))
          return field_error(why);
        if (!detail::fits_float(v))
          return field_error("number " + std::string(text) + " is out of range for a float");
        const auto fv = static_cast<float>(v);
        repeated ? r->AddFloat(&msg, f, fv) : r->SetFloat(&msg, f, fv);
        return true;
      }
      case FD::CPPTYPE_BOOL: {
        if (text != "true" && text != "false")
          return field_error("expected true or false, got '" + std::string(text) + "'");
        repeated ? r->AddBool(&msg, f, text == "true") : r->SetBool(&msg, f, text == "true");
        return true;
      }
      case FD::CPPTYPE_STRING:
        repeated ? r->AddString(&msg, f, std::string(text)) : r->SetString(&msg, f, std::string(text));
        return true;
      default:
        return field_error("unsupported key type");
    }
  }

  bool read_element(pb::Message& msg, const FD* f, bool repeated) {
    const auto* r = msg.GetReflection();
    switch (f->cpp_type()) {
      case FD::CPPTYPE_MESSAGE: {
        if (scanner_.peek() != '{')
          return field_error("expected an object");
        pb::Message* sub = nullptr;
        if (repeated) {
          sub = r->AddMessage(&msg, f);
        } else {
          r->ClearField(&msg, f);
          sub = r->MutableMessage(&msg, f);
        }
        return read_object(*sub);
      }
      case FD::CPPTYPE_ENUM: {
        if (scanner_.peek() != '"')
          return field_error("an enum must be given by name");
        if (!scanner_.read_string(string_))
          return syntax_error();
        const auto* value = f->enum_type()->FindValueByName(string_);
        if (value == nullptr) {
          if (f->is_required())
            return field_error("unknown " + f->enum_type()->full_name() + " name '" + string_ + "'");
          return true; // an unknown name in an optional enum is dropped, as Mesos does
        }
        repeated ? r->AddEnum(&msg, f, value) : r->SetEnum(&msg, f, value);
        return true;
      }
      case FD::CPPTYPE_STRING: {
        if (scanner_.peek() != '"')
          return field_error("expected a string");
        if (!scanner_.read_string(string_))
          return syntax_error();
        if (f->type() == FD::TYPE_BYTES) {
          std::string decoded;
          if (!detail::base64_decode_lenient(string_, decoded))
            return field_error("invalid base64");
          repeated ? r->AddString(&msg, f, std::move(decoded)) : r->SetString(&msg, f, std::move(decoded));
          return true;
        }
        repeated ? r->AddString(&msg, f, string_) : r->SetString(&msg, f, string_);
        return true;
      }
      case FD::CPPTYPE_BOOL: {
        const char c = scanner_.peek();
        if (c == 't' || c == 'f') {
          const bool v = c == 't';
          if (!scanner_.read_literal(v ? "true" : "false"))
            return syntax_error();
          repeated ? r->AddBool(&msg, f, v) : r->SetBool(&msg, f, v);
          return true;
        }
        if (c != '"')
          return field_error("expected true or false");
        if (!scanner_.read_string(string_))
          return syntax_error();
        return set_from_text(msg, f, string_, repeated);
      }
      default: {
        std::string_view text;
        if (!read_number_text(text))
          return false;
        return set_from_text(msg, f, text, repeated);
      }
    }
  }

  detail::json_scanner scanner_;
  const pb::Descriptor* root_;
  const json_read_options& opts_;
  // Where the reader is, for error messages. Names view the descriptor or a key that
  // outlives the segment (errors are formatted before the stack unwinds).
  struct path_segment {
    std::string_view name;
    std::size_t index = 0;
    bool is_index = false;
  };
  std::vector<path_segment> path_;
  std::string string_; // scratch for string tokens
  std::string error_;
};

} // namespace

std::optional<codec_error> detail::from_json_by_reflection(std::string_view json,
                                                           google::protobuf::Message& out,
                                                           const json_read_options& opts) {
  out.Clear();
  message_reader reader(json, out.GetDescriptor(), opts);
  return reader.read(out);
}

} // namespace mesos_actor
