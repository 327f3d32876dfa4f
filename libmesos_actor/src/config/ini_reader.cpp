#include "config/ini_reader.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "mesos_actor/errors.hpp"
#include "text/trim.hpp"

namespace mesos_actor::config {

namespace {

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
         || c == '_' || c == '.';
}

// Reads one value at `pos` of `s`, advancing `pos`; returns an error text or "".
class value_parser {
public:
  explicit value_parser(std::string_view s) : s_(s) {}

  std::string parse(ini_value& out, bool in_list) {
    skip_spaces();
    if (pos_ >= s_.size())
      return "a value is missing";
    char c = s_[pos_];
    if (c == '"')
      return parse_string(out);
    if (c == '[') {
      if (in_list)
        return "lists cannot be nested";
      return parse_list(out);
    }
    auto start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != ']' && s_[pos_] != ' '
           && s_[pos_] != '\t')
      ++pos_;
    auto word = s_.substr(start, pos_ - start);
    if (word == "true" || word == "false") {
      out.type = ini_value::kind::boolean;
      out.text = std::string{word};
      return {};
    }
    if (!word.empty() && (word[0] == '-' || word[0] == '+' || word[0] == '.'
                          || (word[0] >= '0' && word[0] <= '9'))) {
      out.type = ini_value::kind::number;
      out.text = std::string{word};
      return {};
    }
    return "expected a quoted string, a number, true/false or a [list], got '"
           + std::string{word} + "'";
  }

  bool at_end() {
    skip_spaces();
    return pos_ >= s_.size();
  }

private:
  void skip_spaces() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r'))
      ++pos_;
  }

  std::string parse_string(ini_value& out) {
    out.type = ini_value::kind::string;
    ++pos_; // opening quote
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"')
        return {};
      if (c == '\\') {
        if (pos_ >= s_.size())
          break;
        char e = s_[pos_++];
        switch (e) {
          case '"': out.text += '"'; break;
          case '\\': out.text += '\\'; break;
          case 'n': out.text += '\n'; break;
          case 't': out.text += '\t'; break;
          default: return std::string{"unknown escape '\\"} + e + "' in a string";
        }
        continue;
      }
      out.text += c;
    }
    return "unterminated string";
  }

  std::string parse_list(ini_value& out) {
    out.type = ini_value::kind::list;
    ++pos_; // '['
    skip_spaces();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return {};
    }
    while (true) {
      ini_value item;
      if (auto err = parse(item, true); !err.empty())
        return err;
      out.items.push_back(std::move(item));
      skip_spaces();
      if (pos_ >= s_.size())
        return "unterminated list (lists must be on one line)";
      char c = s_[pos_++];
      if (c == ']')
        return {};
      if (c != ',')
        return std::string{"expected ',' or ']' in a list, got '"} + c + "'";
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

} // namespace

caf::expected<std::vector<ini_entry>> parse_ini(std::string_view text, const std::string& origin) {
  std::vector<ini_entry> out;
  std::set<std::pair<std::string, std::string>> seen;
  std::string section;
  std::size_t line_no = 0;
  auto fail = [&](const std::string& why) {
    return make_error(errc::bad_option, origin + ":" + std::to_string(line_no) + ": " + why);
  };
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    auto line = text::trim(raw, text::line_blanks);
    if (line.empty() || line.front() == ';' || line.front() == '#')
      continue;
    if (line.front() == '[') {
      if (line.back() != ']')
        return fail("a section line must end with ']'");
      auto name = text::trim(line.substr(1, line.size() - 2), text::line_blanks);
      if (name.empty())
        return fail("empty section name");
      for (char c : name)
        if (!is_key_char(c))
          return fail("bad character in section name '" + std::string{name} + "'");
      section = std::string{name};
      ini_entry header; // so that a section without keys is still seen
      header.section = section;
      header.line = line_no;
      out.push_back(std::move(header));
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return fail("expected 'key=value', '[section]' or a comment");
    auto key = text::trim(line.substr(0, eq), text::line_blanks);
    if (key.empty())
      return fail("a key is missing before '='");
    for (char c : key)
      if (!is_key_char(c))
        return fail("bad character in key '" + std::string{key} + "'");
    ini_entry entry;
    entry.section = section;
    entry.key = std::string{key};
    entry.line = line_no;
    value_parser values{line.substr(eq + 1)};
    if (auto err = values.parse(entry.value, false); !err.empty())
      return fail(entry.key + ": " + err);
    if (!values.at_end())
      return fail(entry.key + ": unexpected text after the value");
    if (!seen.emplace(section, entry.key).second)
      return fail(entry.key + ": given twice in [" + section + "]");
    out.push_back(std::move(entry));
  }
  return out;
}

caf::expected<std::vector<ini_entry>> read_ini_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::bad_option, "cannot read config file '" + path + "'");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad())
    return make_error(errc::bad_option, "cannot read config file '" + path + "'");
  return parse_ini(buf.str(), path);
}

} // namespace mesos_actor::config
