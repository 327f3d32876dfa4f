#pragma once
// A small JSON tokenizer for the Mesos JSON reader: strings are unescaped, numbers
// are handed out as their exact source text (so 64-bit integers keep every digit),
// and nesting depth is bounded so hostile input cannot exhaust the stack.

#include <cstddef>
#include <string>
#include <string_view>

namespace mesos_actor::detail {

class json_scanner {
public:
  json_scanner(std::string_view text, std::size_t max_depth)
    : text_(text), max_depth_(max_depth) {}

  /// The next non-whitespace byte without consuming it; '\0' at the end.
  char peek();
  /// Consumes `c` (after whitespace) if it is next.
  bool consume(char c);
  /// True when only whitespace is left.
  bool at_end();

  /// Reads a string (the next token must be one), unescaping it into `out`.
  bool read_string(std::string& out);
  /// Reads a number token per RFC 8259; `token` views the source text.
  bool read_number(std::string_view& token);
  /// Reads the literal `word` ("true", "false", "null").
  bool read_literal(std::string_view word);
  /// Skips any value, checking its syntax.
  bool skip_value();

  /// Nesting bookkeeping for objects and arrays; false past the limit.
  bool enter();
  void leave() { --depth_; }

  /// Records a syntax error at the current position; always returns false.
  bool fail(std::string what);
  const std::string& error() const { return error_; }
  std::size_t position() const { return pos_; }

private:
  void skip_whitespace();
  bool read_hex4(unsigned& value);

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t max_depth_;
  std::string error_;
};

} // namespace mesos_actor::detail
