#pragma once
// A small JSON tokenizer shared by the two Mesos JSON readers (the reflection reader and
// the transcoder to protobuf wire format): strings are unescaped, numbers are handed out
// as their exact source text (so 64-bit integers keep every digit), and nesting depth is
// bounded so hostile input cannot exhaust the stack. Both readers take their syntax
// from here, so they accept exactly the same texts.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mesos_actor::detail {

/// Equality of two short byte ranges, inline (a library memcmp call costs more than
/// comparing a field name): overlapping word loads, no byte loop, no read outside
/// either range.
inline bool bytes_equal(const char* a, const char* b, std::size_t n) {
  auto word8 = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  auto word4 = [](const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (word8(a + i) != word8(b + i))
        return false;
    return word8(a + n - 8) == word8(b + n - 8);
  }
  if (n >= 4)
    return word4(a) == word4(b) && word4(a + n - 4) == word4(b + n - 4);
  return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

/// The end of the run of string bytes that need no unescaping, from `pos`: the first
/// quote, backslash or control character, or the end of `text`. `high` is or-ed with
/// whether the run holds a byte >= 0x80 (a string without one is valid UTF-8).
/// Inline, 16 bytes at a time where SSE2 is there: it is the inner loop of every
/// key and string value.
inline std::size_t plain_run_end(std::string_view text, std::size_t pos, bool& high) {
  const char* const data = text.data();
  const std::size_t size = text.size();
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1f);
  while (size - pos >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    // A control byte c <= 0x1f is the one whose unsigned max with 0x1f is 0x1f.
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                      _mm_cmpeq_epi8(_mm_max_epu8(v, below_space), below_space));
    const auto stops = static_cast<unsigned>(_mm_movemask_epi8(stop));
    const auto highs = static_cast<unsigned>(_mm_movemask_epi8(v));
    if (stops != 0) {
      const unsigned before = stops & (0u - stops); // the lowest stop's bit
      high |= (highs & (before - 1)) != 0;
      return pos + static_cast<std::size_t>(__builtin_ctz(stops));
    }
    high |= highs != 0;
    pos += 16;
  }
#else
  // Eight bytes at a time while none is a quote, a backslash or a control byte (a
  // word with one goes to the byte loop below, which finds it).
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t highs = 0x8080808080808080ull;
  while (size - pos >= 8) {
    std::uint64_t w;
    std::memcpy(&w, data + pos, 8);
    const std::uint64_t quote = w ^ (ones * '"');
    const std::uint64_t backslash = w ^ (ones * '\\');
    const std::uint64_t hit = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)
                              | ((w - ones * 0x20) & ~w);
    if (hit & highs)
      break;
    high |= (w & highs) != 0;
    pos += 8;
  }
#endif
  for (; pos < size; ++pos) {
    const auto c = static_cast<unsigned char>(data[pos]);
    if (c == '"' || c == '\\' || c < 0x20)
      break;
    high |= c >= 0x80;
  }
  return pos;
}

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
    if (pos_ < text_.size() && text_[pos_] == c) { // no whitespace: the usual case
      ++pos_;
      return true;
    }
    skip_whitespace();
    if (pos_ >= text_.size() || text_[pos_] != c)
      return false;
    ++pos_;
    return true;
  }
  /// Consumes `raw` if the text at the current position is exactly it (no whitespace
  /// is skipped, no escape read): the fast way to match a known `"key":`.
  bool consume_raw(std::string_view raw) {
    if (text_.size() - pos_ < raw.size() || !bytes_equal(text_.data() + pos_, raw.data(), raw.size()))
      return false;
    pos_ += raw.size();
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
  /// unescaped copy in `scratch`. The plain case is inline (keys and most values).
  bool read_string(std::string_view& out, std::string& scratch) {
    if (!consume('"'))
      return fail("expected a string");
    const std::size_t start = pos_;
    bool high = false;
    pos_ = plain_run_end(text_, pos_, high);
    if (pos_ < text_.size() && text_[pos_] == '"') {
      out = text_.substr(start, pos_ - start);
      ++pos_;
      last_string_ascii_ = !high;
      return true;
    }
    return read_escaped_string(start, out, scratch);
  }
  /// Whether the last string read_string(out, scratch) gave had only ASCII bytes
  /// (then it needs no UTF-8 check).
  bool last_string_ascii() const { return last_string_ascii_; }
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
      const auto c = static_cast<unsigned char>(text_[pos_]);
      // One compare for the common case: all four whitespace bytes are <= ' '.
      if (c > ' ' || (c != ' ' && c != '\t' && c != '\n' && c != '\r'))
        return;
      ++pos_;
    }
  }
  bool fail_too_deep();
  bool read_hex4(unsigned& value);
  bool unescape_rest(std::size_t start, std::string& out);
  bool read_escaped_string(std::size_t start, std::string_view& out, std::string& scratch);
  bool skip_object();
  bool skip_array();

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t max_depth_;
  std::string error_;
  bool last_string_ascii_ = false;
  std::string skip_scratch_; // escaped strings inside skipped values
};

} // namespace mesos_actor::detail
