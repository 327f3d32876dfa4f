#include "transport/http_response_parser.hpp"
#include "text/iequals.hpp"
#include "text/trim.hpp"

#include <algorithm>

namespace mesos_actor::transport {

namespace {

bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9')
    return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
    return true;
  return std::string_view{"!#$%&'*+-.^_`|~"}.find(static_cast<char>(c)) != std::string_view::npos;
}

// Control characters other than HTAB are refused in values and reasons.
bool is_bad_ctl(unsigned char c) {
  return (c < 0x20 && c != '\t') || c == 0x7f;
}

// A peer's bytes quoted in an error: at most 40 of them, non-printables escaped.
std::string quoted(std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (s.size() > 40)
    out += "...";
  return out + "'";
}

std::string bytes(std::size_t n) {
  return std::to_string(n) + " bytes";
}

// Digits only, no sign, no overflow.
std::optional<std::uint64_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 19)
    return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

// Whether a comma-separated header value holds `token`.
bool has_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    auto comma = value.find(',');
    if (text::iequals(text::trim(value.substr(0, comma), text::http_blanks), token))
      return true;
    if (comma == std::string_view::npos)
      break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

} // namespace

std::string http_response_head::get(std::string_view name) const {
  for (auto& [n, v] : headers)
    if (text::iequals(n, name))
      return v;
  return {};
}

http_response_parser::http_response_parser(const http_limits& limits, std::uint64_t max_body,
                                           bool unbounded_200, std::string body_limit_name)
  : limits_(limits), max_body_(max_body), unbounded_200_(unbounded_200),
    body_limit_name_(std::move(body_limit_name)) {
}

std::size_t http_response_parser::fail(std::string text) {
  state_ = state::failed;
  error_ = std::move(text);
  line_.clear();
  line_.shrink_to_fit();
  return 0;
}

bool http_response_parser::reusable() const {
  return complete() && !close_after_;
}

// Lines end with CRLF; the CR is not stored. Returns true once a line is complete.
bool http_response_parser::line_byte(char c) {
  if (saw_cr_) {
    saw_cr_ = false;
    if (c != '\n')
      fail("CR without LF in the response (lines must end with CRLF)");
    return c == '\n';
  }
  if (c == '\r') {
    saw_cr_ = true;
    return false;
  }
  if (c == '\n') {
    fail("bare LF in the response (lines must end with CRLF)");
    return false;
  }
  if (line_.size() >= limits_.max_header_line) {
    const char* what = state_ == state::status_line     ? "response status line"
                       : state_ == state::header_lines  ? "response header line"
                       : state_ == state::chunk_size    ? "chunk-size line"
                                                        : "trailer line";
    fail(std::string{what} + " exceeds max_header_line (" + bytes(limits_.max_header_line) + ")");
    return false;
  }
  line_ += c;
  return false;
}

std::size_t http_response_parser::feed(std::string_view data, const body_callback& on_body) {
  std::size_t i = 0;
  auto deliver = [&](std::size_t n) {
    auto piece = data.substr(i, n);
    i += n;
    consumed_ += n;
    body_size_ += n;
    return !on_body || n == 0 || on_body(piece);
  };
  while (i < data.size()) {
    switch (state_) {
      case state::status_line:
      case state::header_lines: {
        char c = data[i++];
        ++consumed_;
        if (++head_bytes_ > limits_.max_head_size) {
          fail("response head exceeds max_head_size (" + bytes(limits_.max_head_size) + ")");
          return i;
        }
        if (!line_byte(c))
          break;
        bool ok = state_ == state::status_line ? take_status_line() : take_header_line();
        if (!ok || head_done_)
          return i; // pause after the head so the caller can look at it
        break;
      }
      case state::body_length:
      case state::chunk_data: {
        auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - i));
        remaining_ -= n;
        if (remaining_ == 0)
          state_ = state_ == state::body_length ? state::complete : state::chunk_data_end;
        bool more = deliver(n);
        if (state_ == state::complete || !more)
          return i;
        break;
      }
      case state::body_until_close: {
        // Up to the bound, so that every way of feeding ends at the same byte.
        auto n = data.size() - i;
        auto room = max_body_ == 0 ? n : static_cast<std::size_t>(std::min<std::uint64_t>(n, max_body_ - body_size_));
        bool more = deliver(room);
        if (room < n)
          check_body_room(n - room);
        if (!more || failed())
          return i;
        break;
      }
      case state::chunk_data_end: {
        char c = data[i++];
        ++consumed_;
        if (!saw_cr_ && c == '\r') {
          saw_cr_ = true;
        } else if (saw_cr_ && c == '\n') {
          saw_cr_ = false;
          state_ = state::chunk_size;
        } else {
          fail("missing CRLF after the data of a chunk");
          return i;
        }
        break;
      }
      case state::chunk_size: {
        char c = data[i++];
        ++consumed_;
        if (line_byte(c) && !take_chunk_size())
          return i;
        if (failed())
          return i;
        break;
      }
      case state::trailer_lines: {
        char c = data[i++];
        ++consumed_;
        if (++trailer_bytes_ > limits_.max_head_size) {
          fail("response trailer exceeds max_head_size (" + bytes(limits_.max_head_size) + ")");
          return i;
        }
        if (!line_byte(c)) {
          if (failed())
            return i;
          break;
        }
        if (!take_trailer_line() || complete())
          return i;
        break;
      }
      case state::complete:
      case state::failed:
        return i;
    }
    if (failed())
      return i;
  }
  return i;
}

void http_response_parser::on_eof() {
  switch (state_) {
    case state::complete:
    case state::failed:
      return;
    case state::body_until_close:
      state_ = state::complete;
      return;
    case state::status_line:
    case state::header_lines:
      fail(consumed_ == 0 ? "the connection closed before any response"
                          : "the connection closed inside the response head");
      return;
    case state::body_length:
      fail("the connection closed after " + std::to_string(body_size_) + " of "
           + std::to_string(body_size_ + remaining_) + " body bytes");
      return;
    default:
      fail("the connection closed inside the chunked body");
      return;
  }
}

bool http_response_parser::take_status_line() {
  std::string_view l = line_;
  // "HTTP/1.x DDD" then the end or " reason"
  if (l.size() < 12 || l.substr(0, 7) != "HTTP/1." || l[7] < '0' || l[7] > '9' || l[8] != ' '
      || l[9] < '1' || l[9] > '5' || l[10] < '0' || l[10] > '9' || l[11] < '0' || l[11] > '9'
      || (l.size() > 12 && l[12] != ' ')) {
    fail("malformed response status line " + quoted(l));
    return false;
  }
  auto reason = l.size() > 12 ? l.substr(13) : std::string_view{};
  for (char c : reason)
    if (is_bad_ctl(static_cast<unsigned char>(c))) {
      fail("control character in the response status line " + quoted(l));
      return false;
    }
  head_ = http_response_head{};
  head_.minor_version = l[7] - '0';
  head_.status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
  head_.reason = std::string{reason};
  if (head_.status == 101) {
    fail("unexpected 101 Switching Protocols (no upgrade was asked for)");
    return false;
  }
  line_.clear();
  state_ = state::header_lines;
  return true;
}

bool http_response_parser::take_header_line() {
  if (line_.empty())
    return end_of_head();
  std::string_view l = line_;
  if (l.front() == ' ' || l.front() == '\t') {
    fail("obsolete line folding in the response head (a header line starts with whitespace)");
    return false;
  }
  auto colon = l.find(':');
  auto name = l.substr(0, colon);
  if (colon == std::string_view::npos || name.empty()
      || !std::all_of(name.begin(), name.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); })) {
    fail("malformed response header line " + quoted(l));
    return false;
  }
  auto value = text::trim(l.substr(colon + 1), text::http_blanks);
  for (char c : value)
    if (is_bad_ctl(static_cast<unsigned char>(c))) {
      fail("control character in the value of response header " + quoted(name));
      return false;
    }
  if (++header_count_ > limits_.max_header_count) {
    fail("response head has more than max_header_count (" + std::to_string(limits_.max_header_count)
         + ") header fields");
    return false;
  }
  head_.headers.emplace_back(std::string{name}, std::string{value});
  line_.clear();
  return true;
}

bool http_response_parser::end_of_head() {
  if (head_.status < 200) {
    // An interim answer (100 Continue, 103 Early Hints): the real one follows. Its
    // bytes and fields stay counted, so endless interim answers hit the limits.
    state_ = state::status_line;
    head_ = http_response_head{};
    return true;
  }
  head_done_ = true;
  line_.shrink_to_fit();
  return choose_framing();
}

bool http_response_parser::choose_framing() {
  if (unbounded_200_ && head_.status == 200)
    max_body_ = 0;
  if (head_.minor_version == 0)
    close_after_ = true;
  std::vector<std::string_view> lengths, codings;
  for (auto& [name, value] : head_.headers) {
    if (text::iequals(name, "Connection") && has_token(value, "close"))
      close_after_ = true;
    else if (text::iequals(name, "Content-Length"))
      lengths.push_back(value);
    else if (text::iequals(name, "Transfer-Encoding"))
      codings.push_back(value);
  }
  if (head_.status == 204 || head_.status == 304) {
    state_ = state::complete;
    return true;
  }
  if (!codings.empty() && !lengths.empty()) {
    fail("the response has both Content-Length and Transfer-Encoding");
    return false;
  }
  if (!codings.empty()) {
    if (codings.size() > 1 || !text::iequals(codings.front(), "chunked")) {
      fail("unsupported Transfer-Encoding " + quoted(codings.size() > 1 ? "(several headers)" : codings.front())
           + " (only chunked is understood)");
      return false;
    }
    state_ = state::chunk_size;
    return true;
  }
  if (lengths.empty()) {
    close_after_ = true;
    state_ = state::body_until_close;
    return true;
  }
  auto length = parse_decimal(lengths.front());
  if (!length) {
    fail("malformed Content-Length " + quoted(lengths.front()));
    return false;
  }
  for (auto other : lengths)
    if (other != lengths.front()) {
      fail("conflicting Content-Length values " + quoted(lengths.front()) + " and " + quoted(other));
      return false;
    }
  if (max_body_ != 0 && *length > max_body_) {
    fail("response body of " + std::to_string(*length) + " bytes (Content-Length) exceeds "
         + body_limit_name_ + " (" + bytes(max_body_) + ")");
    return false;
  }
  remaining_ = *length;
  state_ = remaining_ == 0 ? state::complete : state::body_length;
  return true;
}

bool http_response_parser::check_body_room(std::uint64_t more) {
  if (max_body_ != 0 && (more > max_body_ || body_size_ > max_body_ - more)) {
    fail("response body exceeds " + body_limit_name_ + " (" + bytes(max_body_) + ")");
    return false;
  }
  return true;
}

bool http_response_parser::take_chunk_size() {
  std::string_view l = line_;
  std::size_t digits = 0;
  std::uint64_t size = 0;
  while (digits < l.size()) {
    char c = l[digits];
    int v = c >= '0' && c <= '9' ? c - '0'
            : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
    if (v < 0)
      break;
    if (++digits > 16) {
      fail("chunk size " + quoted(l) + " has more than 16 hex digits");
      return false;
    }
    size = size * 16 + static_cast<std::uint64_t>(v);
  }
  auto rest = l.substr(digits);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
    rest.remove_prefix(1);
  bool ext_ok = rest.empty() || rest.front() == ';';
  for (char c : rest)
    ext_ok = ext_ok && !is_bad_ctl(static_cast<unsigned char>(c));
  if (digits == 0 || !ext_ok) {
    fail("malformed chunk size " + quoted(l));
    return false;
  }
  line_.clear();
  if (size == 0) {
    state_ = state::trailer_lines;
    return true;
  }
  if (!check_body_room(size))
    return false;
  remaining_ = size;
  state_ = state::chunk_data;
  return true;
}

bool http_response_parser::take_trailer_line() {
  if (line_.empty()) {
    state_ = state::complete;
    line_.shrink_to_fit();
    return true;
  }
  std::string_view l = line_;
  auto colon = l.find(':');
  auto name = l.substr(0, colon);
  if (colon == std::string_view::npos || name.empty()
      || !std::all_of(name.begin(), name.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); })) {
    fail("malformed trailer line " + quoted(l));
    return false;
  }
  for (char c : l.substr(colon + 1))
    if (is_bad_ctl(static_cast<unsigned char>(c))) {
      fail("control character in the value of trailer field " + quoted(name));
      return false;
    }
  if (++trailer_count_ > limits_.max_header_count) {
    fail("response trailer has more than max_header_count (" + std::to_string(limits_.max_header_count)
         + ") fields");
    return false;
  }
  line_.clear();
  return true;
}

} // namespace mesos_actor::transport
