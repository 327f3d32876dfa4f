// RecordIO framing: "<decimal length>\n<payload>" (PROTOCOL.md section 4).
#include "mesos_actor/codec/recordio.hpp"

#include <algorithm>
#include <limits>

namespace mesos_actor {

namespace {

// A buffer that once held a huge record is released rather than kept for the
// lifetime of the stream.
constexpr std::size_t retained_buffer_limit = 1u << 20;

std::string describe_byte(unsigned char c) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s = "byte 0x";
  s += hex[c >> 4];
  s += hex[c & 0xf];
  if (c >= 0x20 && c < 0x7f) {
    s += " ('";
    s += static_cast<char>(c);
    s += "')";
  }
  return s;
}

} // namespace

std::string recordio_error::message() const {
  std::string what;
  switch (code) {
    case recordio_errc::non_digit_in_length:
      what = "non-digit in record length: ";
      break;
    case recordio_errc::empty_length:
      what = "empty record length";
      break;
    case recordio_errc::length_too_long:
      what = "record length has more than 20 digits";
      break;
    case recordio_errc::record_too_large:
      what = "record too large: ";
      break;
    case recordio_errc::truncated:
      what = "stream ended inside a record: ";
      break;
  }
  what += detail;
  return "record " + std::to_string(record_index) + " at byte " + std::to_string(byte_offset)
         + ": " + what;
}

recordio_decoder::recordio_decoder(std::size_t max_record_size)
  : max_record_size_(max_record_size) {}

std::optional<recordio_error> recordio_decoder::fail(recordio_errc code, std::string detail) {
  error_ = recordio_error{code, records_, offset_, std::move(detail)};
  partial_.clear();
  partial_.shrink_to_fit();
  pending_.clear();
  pending_.shrink_to_fit();
  return error_;
}

std::optional<recordio_error> recordio_decoder::feed(std::string_view bytes,
                                                     const record_handler& on_record) {
  if (error_)
    return error_;
  if (pending_.empty())
    return decode(bytes, on_record);
  // A handler stopped earlier: what it left undelivered comes before the new bytes.
  std::string resumed = std::move(pending_);
  pending_.clear();
  resumed.append(bytes.data(), bytes.size());
  return decode(resumed, on_record);
}

std::optional<recordio_error> recordio_decoder::decode(std::string_view bytes,
                                                       const record_handler& on_record) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p != end) {
    if (in_header_) {
      // Length digits; offset_ advances byte by byte so errors point at the culprit.
      while (p != end) {
        const auto c = static_cast<unsigned char>(*p);
        if (c == '\n')
          break;
        if (c < '0' || c > '9')
          return fail(recordio_errc::non_digit_in_length, describe_byte(c));
        if (digits_ == max_length_digits)
          return fail(recordio_errc::length_too_long, "");
        const std::uint64_t digit = c - '0';
        if (length_ > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
          length_overflow_ = true;
        else
          length_ = length_ * 10 + digit;
        ++digits_;
        ++offset_;
        ++p;
      }
      if (p == end)
        break;
      if (digits_ == 0)
        return fail(recordio_errc::empty_length, "");
      if (length_overflow_ || length_ > max_record_size_) {
        std::string claimed = length_overflow_ ? std::string("more than 2^64-1")
                                               : std::to_string(length_);
        return fail(recordio_errc::record_too_large,
                    "length " + claimed + " exceeds the maximum record size "
                      + std::to_string(max_record_size_));
      }
      ++offset_;
      ++p; // the '\n'
      in_header_ = false;
      digits_ = 0;
      const auto available = static_cast<std::size_t>(end - p);
      if (available >= length_) {
        // Wholly inside this piece: handed out without copying.
        std::string_view record(p, static_cast<std::size_t>(length_));
        p += length_;
        if (!deliver(record, on_record)) {
          pending_.assign(p, static_cast<std::size_t>(end - p));
          return std::nullopt;
        }
        continue;
      }
      // Split over pieces: gather what has arrived; the length is already bounded.
      // (Cleared here too in case a handler threw while the last one was delivered.)
      partial_.clear();
      partial_.reserve(static_cast<std::size_t>(length_));
      continue;
    }
    const std::size_t missing = static_cast<std::size_t>(length_) - partial_.size();
    const std::size_t take = std::min(missing, static_cast<std::size_t>(end - p));
    partial_.append(p, take);
    p += take;
    if (partial_.size() < length_) {
      offset_ += take;
      break;
    }
    offset_ -= partial_.size() - take; // deliver() counts the whole record again
    const bool go_on = deliver(partial_, on_record);
    partial_.clear();
    if (partial_.capacity() > retained_buffer_limit)
      partial_.shrink_to_fit();
    if (!go_on) {
      pending_.assign(p, static_cast<std::size_t>(end - p));
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool recordio_decoder::deliver(std::string_view record, const record_handler& on_record) {
  offset_ += record.size();
  ++records_;
  in_header_ = true;
  length_ = 0;
  length_overflow_ = false;
  return on_record(record);
}

std::optional<recordio_error> recordio_decoder::finish() {
  if (error_)
    return error_;
  if (!pending_.empty())
    return fail(recordio_errc::truncated,
                std::to_string(pending_.size())
                  + " bytes were not delivered because a handler stopped decoding");
  if (!in_header_)
    return fail(recordio_errc::truncated,
                "got " + std::to_string(partial_.size()) + " of " + std::to_string(length_)
                  + " payload bytes");
  if (digits_ != 0)
    return fail(recordio_errc::truncated, "inside the record length");
  return std::nullopt;
}

void recordio_append(std::string& out, std::string_view payload) {
  out += std::to_string(payload.size());
  out += '\n';
  out.append(payload.data(), payload.size());
}

std::string recordio_encode(std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 21);
  recordio_append(out, payload);
  return out;
}

} // namespace mesos_actor
