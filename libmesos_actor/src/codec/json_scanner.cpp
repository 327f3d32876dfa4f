// JSON tokenizer used by the Mesos JSON readers.
#include "codec/json_scanner.hpp"


namespace mesos_actor::detail {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

} // namespace

bool json_scanner::fail(std::string what) {
  if (error_.empty())
    error_ = "invalid JSON at byte " + std::to_string(pos_) + ": " + what;
  return false;
}

bool json_scanner::fail_too_deep() {
  return fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
}

bool json_scanner::read_hex4(unsigned& value) {
  if (text_.size() - pos_ < 4)
    return fail("truncated \\u escape");
  value = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = text_[pos_++];
    value <<= 4;
    if (is_digit(c))
      value |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      value |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      value |= static_cast<unsigned>(c - 'A' + 10);
    else
      return fail("bad hex digit in \\u escape");
  }
  return true;
}

// read_string(out, scratch) past a plain run that did not end the string.
bool json_scanner::read_escaped_string(std::size_t start, std::string_view& out, std::string& scratch) {
  last_string_ascii_ = false; // escapes may give any code point
  scratch.clear();
  if (!unescape_rest(start, scratch))
    return false;
  out = scratch;
  return true;
}

bool json_scanner::read_string(std::string& out) {
  out.clear();
  if (!consume('"'))
    return fail("expected a string");
  return unescape_rest(pos_, out);
}

// Continues a string whose plain part runs from `start` (the opening quote is
// consumed); appends the unescaped text to `out`.
bool json_scanner::unescape_rest(std::size_t start, std::string& out) {
  pos_ = start;
  while (true) {
    // Copy the plain run up to the next quote, backslash or end in one go.
    const std::size_t run = pos_;
    bool high = false;
    pos_ = plain_run_end(text_, pos_, high);
    out.append(text_.data() + run, pos_ - run);
    if (pos_ == text_.size())
      return fail("unterminated string");
    const char c = text_[pos_++];
    if (c == '"')
      return true;
    if (c != '\\') {
      --pos_;
      return fail("control character in string");
    }
    if (pos_ == text_.size())
      return fail("unterminated string");
    const char e = text_[pos_++];
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned cp = 0;
        if (!read_hex4(cp))
          return false;
        if (cp >= 0xdc00 && cp <= 0xdfff)
          return fail("unpaired low surrogate in \\u escape");
        if (cp >= 0xd800 && cp <= 0xdbff) {
          unsigned low = 0;
          if (text_.substr(pos_, 2) != "\\u")
            return fail("unpaired high surrogate in \\u escape");
          pos_ += 2;
          if (!read_hex4(low))
            return false;
          if (low < 0xdc00 || low > 0xdfff)
            return fail("unpaired high surrogate in \\u escape");
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        append_utf8(out, cp);
        break;
      }
      default:
        --pos_;
        return fail("invalid escape in string");
    }
  }
}

bool json_scanner::read_number(std::string_view& token) {
  skip_whitespace();
  const std::size_t start = pos_;
  auto digits = [&] {
    const std::size_t from = pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_]))
      ++pos_;
    return pos_ > from;
  };
  if (pos_ < text_.size() && text_[pos_] == '-')
    ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '0')
    ++pos_;
  else if (!digits())
    return fail("expected a number");
  if (pos_ < text_.size() && text_[pos_] == '.') {
    ++pos_;
    if (!digits())
      return fail("expected digits after '.'");
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-'))
      ++pos_;
    if (!digits())
      return fail("expected digits in exponent");
  }
  token = text_.substr(start, pos_ - start);
  return true;
}

bool json_scanner::read_literal(std::string_view word) {
  skip_whitespace();
  if (text_.substr(pos_, word.size()) != word)
    return fail("expected '" + std::string(word) + "'");
  pos_ += word.size();
  return true;
}

bool json_scanner::skip_object() {
  if (!enter())
    return false;
  ++pos_;
  if (!consume('}')) {
    std::string_view key;
    do {
      if (!read_string(key, skip_scratch_) || !consume(':'))
        return fail("expected '\"key\":'");
      if (!skip_value())
        return false;
    } while (consume(','));
    if (!consume('}'))
      return fail("expected ',' or '}'");
  }
  leave();
  return true;
}

bool json_scanner::skip_array() {
  if (!enter())
    return false;
  ++pos_;
  if (!consume(']')) {
    do {
      if (!skip_value())
        return false;
    } while (consume(','));
    if (!consume(']'))
      return fail("expected ',' or ']'");
  }
  leave();
  return true;
}

bool json_scanner::skip_value() {
  std::string_view token;
  switch (peek()) {
    case '"':
      return read_string(token, skip_scratch_);
    case '{':
      return skip_object();
    case '[':
      return skip_array();
    case 't':
      return read_literal("true");
    case 'f':
      return read_literal("false");
    case 'n':
      return read_literal("null");
    case '\0':
      if (pos_ == text_.size())
        return fail("unexpected end of input");
      return fail("unexpected byte");
    default:
      return read_number(token);
  }
}

} // namespace mesos_actor::detail
