// The text form of resources: printing one resource the way Mesos writes it, and
// parsing Mesos's `--resources` syntax extended with that notation (see resources.hpp).
#include <cerrno>
#include <cstdlib>
#include <string_view>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/resources.hpp"
#include "text/trim.hpp"
#include "toolkit/resource_values.hpp"

namespace mesos_actor {

using mesos::v1::Resource;
using mesos::v1::Value;
using source_type = Resource::DiskInfo::Source;

// --- Printing ---------------------------------------------------------------------

namespace {

std::string source_text(const Resource::DiskInfo::Source& s) {
  switch (s.type()) {
    case source_type::PATH:
      return s.path().has_root() ? "PATH:" + s.path().root() : "PATH";
    case source_type::MOUNT:
      return s.mount().has_root() ? "MOUNT:" + s.mount().root() : "MOUNT";
    case source_type::BLOCK:
      return "BLOCK";
    case source_type::RAW:
      return "RAW";
    default:
      return "UNKNOWN";
  }
}

std::string disk_text(const Resource::DiskInfo& d) {
  std::string out;
  if (d.has_source())
    out = source_text(d.source());
  if (d.has_persistence())
    out += (d.has_source() ? "," : "") + d.persistence().id();
  if (d.has_volume())
    out += ":" + d.volume().container_path() + (d.volume().mode() == mesos::v1::Volume::RO ? ":RO" : ":RW");
  return out;
}

std::string value_text(const Resource& r) {
  switch (r.type()) {
    case Value::SCALAR:
      return toolkit::fixed_to_string(toolkit::to_fixed(r.scalar().value()));
    case Value::RANGES: {
      std::string out = "[";
      for (const auto& range : r.ranges().range()) {
        if (out.size() > 1)
          out += ", ";
        out += std::to_string(range.begin()) + "-" + std::to_string(range.end());
      }
      return out + "]";
    }
    case Value::SET: {
      std::string out = "{";
      for (const auto& item : r.set().item()) {
        if (out.size() > 1)
          out += ", ";
        out += item;
      }
      return out + "}";
    }
    default:
      return "?";
  }
}

} // namespace

std::string to_string(const Resource& input) {
  Resource r = input;
  normalize_resource(r); // legacy fields print like the new ones; a conflict prints as is
  std::string out = r.name();
  const auto& res = r.reservations();
  if (res.empty()) {
    out += "(*)";
  } else if (res.size() == 1 && res[0].type() == Resource::ReservationInfo::STATIC &&
             !res[0].has_principal() && !res[0].has_labels()) {
    out += "(" + res[0].role() + ")";
  } else {
    out += "(reservations: [";
    for (int i = 0; i < res.size(); ++i) {
      out += i > 0 ? ",(" : "(";
      out += Resource::ReservationInfo::Type_Name(res[i].type()) + "," + res[i].role();
      if (res[i].has_principal())
        out += "," + res[i].principal();
      out += ")";
    }
    out += "])";
  }
  if (r.has_allocation_info())
    out += "(allocated: " + r.allocation_info().role() + ")";
  if (r.has_disk())
    out += "[" + disk_text(r.disk()) + "]";
  if (r.has_revocable())
    out += "{REV}";
  if (r.has_shared())
    out += "<SHARED>";
  return out + ":" + value_text(r);
}

// --- Parsing ----------------------------------------------------------------------

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_word_char(char c) {
  if (is_blank(c) || static_cast<unsigned char>(c) < 0x20)
    return false;
  switch (c) {
    case ',': case ';': case ':': case '(': case ')': case '[': case ']':
    case '{': case '}': case '<': case '>':
      return false;
    default:
      return true;
  }
}

bool is_source_keyword(std::string_view w) {
  return w == "PATH" || w == "MOUNT" || w == "BLOCK" || w == "RAW";
}

// A cursor over one resource's text; every parse_* sets `error` on failure.
class reader {
public:
  explicit reader(std::string_view text) : text_(text) {}

  bool parse(Resource& out, const std::string& default_role) {
    skip_blanks();
    out.set_name(word());
    if (out.name().empty())
      return fail("a resource name");
    bool role_given = false;
    while (true) {
      skip_blanks();
      if (at('(')) {
        if (!parse_parenthesis(out, role_given))
          return false;
      } else if (at('[')) {
        if (out.has_disk())
          return fail("one disk part");
        if (!parse_disk(*out.mutable_disk()))
          return false;
      } else if (take("{REV}")) {
        out.mutable_revocable();
      } else if (take("<SHARED>")) {
        out.mutable_shared();
      } else {
        break;
      }
    }
    if (!take(":"))
      return fail("':' before the value");
    if (!role_given && default_role != "*") {
      auto* res = out.add_reservations();
      res->set_type(Resource::ReservationInfo::STATIC);
      res->set_role(default_role);
    }
    if (!parse_value(out))
      return false;
    skip_blanks();
    return pos_ == text_.size() || fail("the end of the resource");
  }

  const std::string& error() const { return error_; }

private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  bool take(std::string_view s) {
    if (text_.substr(pos_, s.size()) != s)
      return false;
    pos_ += s.size();
    return true;
  }

  bool expect(char c) {
    skip_blanks();
    if (!at(c))
      return fail(std::string("'") + c + "'");
    ++pos_;
    skip_blanks();
    return true;
  }

  void skip_blanks() {
    while (pos_ < text_.size() && is_blank(text_[pos_]))
      ++pos_;
  }

  std::string word() {
    auto start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_]))
      ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  bool fail(const std::string& wanted) {
    if (error_.empty())
      error_ = "expected " + wanted + " at offset " + std::to_string(pos_);
    return false;
  }

  // "(*)", "(role)", "(allocated: role)" or "(reservations: [(TYPE,role[,principal]),...])".
  bool parse_parenthesis(Resource& out, bool& role_given) {
    ++pos_;
    skip_blanks();
    if (take("allocated:")) {
      skip_blanks();
      if (out.has_allocation_info())
        return fail("one allocation");
      auto role = word();
      if (role.empty())
        return fail("an allocation role");
      out.mutable_allocation_info()->set_role(role);
      return expect(')');
    }
    if (role_given)
      return fail("one role or reservations part");
    role_given = true;
    if (take("reservations:")) {
      if (!expect('['))
        return false;
      do {
        if (!parse_reservation(*out.add_reservations()))
          return false;
        skip_blanks();
      } while (take(","));
      if (!expect(']'))
        return false;
      return expect(')');
    }
    auto role = word();
    if (role.empty())
      return fail("a role");
    if (role != "*") {
      auto* res = out.add_reservations();
      res->set_type(Resource::ReservationInfo::STATIC);
      res->set_role(role);
    }
    return expect(')');
  }

  bool parse_reservation(Resource::ReservationInfo& res) {
    if (!expect('('))
      return false;
    auto type = word();
    Resource::ReservationInfo::Type t;
    if (type == "UNKNOWN" || !Resource::ReservationInfo::Type_Parse(type, &t))
      return fail("STATIC or DYNAMIC");
    res.set_type(t);
    if (!expect(','))
      return false;
    auto role = word();
    if (role.empty())
      return fail("a reservation role");
    res.set_role(role);
    skip_blanks();
    if (take(",")) {
      skip_blanks();
      auto principal = word();
      if (principal.empty())
        return fail("a principal");
      res.set_principal(principal);
    }
    return expect(')');
  }

  // "[SOURCE[:root][,id[:path:RW|RO]]]" or "[id[:path:RW|RO]]".
  bool parse_disk(Resource::DiskInfo& disk) {
    ++pos_;
    skip_blanks();
    auto first = word();
    std::string id;
    if (is_source_keyword(first)) {
      auto* source = disk.mutable_source();
      if (first == "PATH" || first == "MOUNT") {
        source->set_type(first == "PATH" ? source_type::PATH : source_type::MOUNT);
        if (take(":")) {
          auto root = word();
          if (root.empty())
            return fail("a source root");
          if (first == "PATH")
            source->mutable_path()->set_root(root);
          else
            source->mutable_mount()->set_root(root);
        }
      } else {
        source->set_type(first == "BLOCK" ? source_type::BLOCK : source_type::RAW);
      }
      skip_blanks();
      if (take(",")) {
        skip_blanks();
        id = word();
        if (id.empty())
          return fail("a persistence id");
      }
    } else {
      id = first;
    }
    if (!id.empty()) {
      if (is_source_keyword(id))
        return fail("a persistence id that is not a source type");
      disk.mutable_persistence()->set_id(id);
      if (take(":")) {
        auto path = word();
        if (path.empty() || !take(":"))
          return fail("a volume 'path:RW' or 'path:RO'");
        auto mode = word();
        if (mode != "RW" && mode != "RO")
          return fail("RW or RO");
        disk.mutable_volume()->set_container_path(path);
        disk.mutable_volume()->set_mode(mode == "RW" ? mesos::v1::Volume::RW : mesos::v1::Volume::RO);
      }
    } else if (!disk.has_source()) {
      return fail("a disk source or persistence id");
    }
    return expect(']');
  }

  bool parse_number(std::uint64_t& out) {
    auto start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
      ++pos_;
    if (pos_ == start || pos_ - start > 20)
      return fail("an unsigned integer");
    std::string digits(text_.substr(start, pos_ - start));
    errno = 0;
    out = std::strtoull(digits.c_str(), nullptr, 10);
    return errno == 0 || fail("an integer below 2^64");
  }

  bool parse_value(Resource& out) {
    skip_blanks();
    if (take("[")) {
      out.set_type(Value::RANGES);
      auto* ranges = out.mutable_ranges();
      skip_blanks();
      if (take("]"))
        return true;
      do {
        skip_blanks();
        std::uint64_t b = 0, e = 0;
        if (!parse_number(b) || !expect('-') || !parse_number(e))
          return false;
        auto* r = ranges->add_range();
        r->set_begin(b);
        r->set_end(e);
        skip_blanks();
      } while (take(","));
      return expect(']');
    }
    if (take("{")) {
      out.set_type(Value::SET);
      auto* set = out.mutable_set();
      skip_blanks();
      if (take("}"))
        return true;
      do {
        skip_blanks();
        auto item = word();
        if (item.empty())
          return fail("a set item");
        set->add_item(item);
        skip_blanks();
      } while (take(","));
      return expect('}');
    }
    out.set_type(Value::SCALAR);
    auto start = pos_;
    while (pos_ < text_.size() && ((text_[pos_] >= '0' && text_[pos_] <= '9') || text_[pos_] == '.' ||
                                   text_[pos_] == 'e' || text_[pos_] == 'E' || text_[pos_] == '+' ||
                                   text_[pos_] == '-'))
      ++pos_;
    std::string number(text_.substr(start, pos_ - start));
    if (number.empty())
      return fail("a scalar, '[' or '{'");
    char* end = nullptr;
    double v = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size())
      return fail("a decimal number");
    out.mutable_scalar()->set_value(v);
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

// The start of a bad token, for the error text (input may be arbitrarily long).
std::string excerpt(std::string_view token) {
  constexpr std::size_t max = 60;
  return token.size() <= max ? std::string(token) : std::string(token.substr(0, max)) + "...";
}

} // namespace

caf::expected<resources> resources::parse(std::string_view text, const std::string& default_role) {
  if (auto err = validate_role(default_role); !err.empty())
    return make_error(errc::decode_error, "default role: " + err);
  if (text::trim(text, text::ascii_spaces) == "{}")
    return resources{};
  std::vector<Resource> list;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto semicolon = text.find(';', start);
    auto token = text.substr(start, semicolon == std::string_view::npos ? std::string_view::npos
                                                                        : semicolon - start);
    if (auto trimmed = text::trim(token, text::ascii_spaces); !trimmed.empty()) {
      Resource r;
      reader in(token);
      if (!in.parse(r, default_role))
        return make_error(errc::decode_error,
                          "resource '" + excerpt(trimmed) + "': " + in.error());
      list.push_back(std::move(r));
    }
    if (semicolon == std::string_view::npos)
      break;
    start = semicolon + 1;
  }
  return build(std::move(list));
}

} // namespace mesos_actor
