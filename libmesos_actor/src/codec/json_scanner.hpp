#pragma once
// A small JSON tokenizer shared by the two Mesos JSON readers (the reflection reader and
// the transcoder to protobuf wire format): strings are unescaped, numbers are handed out
// as their exact source text (so 64-bit integers keep every digit), and nesting depth is
// bounded so hostile input cannot exhaust the stack. Both readers take their syntax
// from here, so they accept exactly the same texts.

#include <cstddef>
#include <string>
#include <string_view>

namespace mesos_actor::detail {

class json_scanner {
public:
  json_scanner(std::string_view text, std::size_t max_depth)
    : text_(text), max_depth_(max_depth) {}

  /// The next non-whitespace byte without consuming it; '\0' at the end.
  char peek() {
    skip_whitespace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  /// Consumes `c` (after whitespace) if it is next.
  bool consume(char c) {
    skip_whitespace();
    if (pos_ >= text_.size() || text_[pos_] != c)
      return false;
    ++pos_;
    return true;
  }
  /// True when only whitespace is left.
  bool at_end() {
    skip_whitespace();
    return pos_ == text_.size();
  }

  /// Reads a string (the next token must be one), unescaping it into `out`.
  bool read_string(std::string& out);
  /// Reads a string: `out` views the source text when it has no escapes, else the
  /// unescaped copy in `scratch`.
  bool read_string(std::string_view& out, std::string& scratch);
  /// Reads a number token per RFC 8259; `token` views the source text.
  bool read_number(std::string_view& token);
  /// Reads the literal `word` ("true", "false", "null").
  bool read_literal(std::string_view word);
  /// Skips any value, checking its syntax.
  bool skip_value();

  /// Nesting bookkeeping for objects and arrays; false past the limit.
  bool enter() {
    if (depth_ >= max_depth_)
      return fail_too_deep();
    ++depth_;
    return true;
  }
  void leave() { --depth_; }

  /// Records a syntax error at the current position; always returns false.
  bool fail(std::string what);
  const std::string& error() const { return error_; }
  std::size_t position() const { return pos_; }

private:
  void skip_whitespace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        return;
      ++pos_;
    }
  }
  bool fail_too_deep();
  bool read_hex4(unsigned& value);
  bool unescape_rest(std::size_t start, std::string& out);
  bool skip_object();
  bool skip_array();

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t max_depth_;
  std::string error_;
  std::string skip_scratch_; // escaped strings inside skipped values
};

} // namespace mesos_actor::detail
