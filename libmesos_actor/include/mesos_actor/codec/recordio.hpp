#pragma once
// RecordIO framing of the Mesos event streams: "<decimal length>\n<payload>", no
// delimiter after the payload (PROTOCOL.md section 4). Pure: no I/O; the only memory
// held is the one record being assembled (bounded by max_record_size) and, after a
// handler paused decoding, the rest of the piece it was given.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mesos_actor {

/// Why a RecordIO stream is broken.
enum class recordio_errc {
  non_digit_in_length,  ///< a byte other than 0-9 before the '\n' of a length
  empty_length,         ///< a '\n' with no digits before it
  length_too_long,      ///< more than 20 digits in a length
  record_too_large,     ///< a length above the decoder's max_record_size
  truncated,            ///< the stream ended inside a length or a record
};

/// A broken stream: what went wrong, at which record (0-based) and byte offset.
struct recordio_error {
  /// What went wrong.
  recordio_errc code;
  /// The record (0-based) being read when it went wrong.
  std::uint64_t record_index = 0;
  /// Bytes of the stream consumed before the fault.
  std::uint64_t byte_offset = 0;
  std::string detail;  ///< e.g. the offending length
  /// One line for a human: "record 3 at byte 120: length 99999999999 exceeds ...".
  std::string message() const;
};

/// Incremental decoder: takes bytes in any pieces and yields every complete record
/// once. After an error it stays broken and yields nothing more.
class recordio_decoder {
public:
  /// Largest record accepted unless told otherwise (64 MiB).
  static constexpr std::size_t default_max_record_size = 64u * 1024u * 1024u;
  /// Most digits a length may have (enough for any 64-bit number).
  static constexpr std::size_t max_length_digits = 20;

  /// Called once per complete record. The view is only valid during the call.
  /// Returning false stops decoding of the current piece (not an error): the rest of
  /// the piece is kept and decoded first by the next feed() (an empty piece resumes).
  /// An exception from the handler propagates; that record counts as delivered.
  using record_handler = std::function<bool(std::string_view record)>;

  /// A decoder refusing records longer than `max_record_size` bytes.
  explicit recordio_decoder(std::size_t max_record_size = default_max_record_size);

  /// Feeds the next piece of the stream. Records wholly inside `bytes` are handed
  /// out without copying. Returns the error that broke the stream, if any.
  std::optional<recordio_error> feed(std::string_view bytes, const record_handler& on_record);

  /// Declares the end of the stream: an error if it ended inside a record, or if
  /// bytes kept after a handler stopped were never fed on.
  std::optional<recordio_error> finish();

  /// True once an error broke the stream.
  bool broken() const { return error_.has_value(); }
  /// The error that broke the stream, if any.
  const std::optional<recordio_error>& error() const { return error_; }
  /// Records handed out so far.
  std::uint64_t records_decoded() const { return records_; }
  /// Bytes of the stream decoded so far.
  std::uint64_t bytes_consumed() const { return offset_; }
  /// The limit given to the constructor.
  std::size_t max_record_size() const { return max_record_size_; }

private:
  std::optional<recordio_error> fail(recordio_errc code, std::string detail);
  std::optional<recordio_error> decode(std::string_view bytes, const record_handler& on_record);
  bool deliver(std::string_view record, const record_handler& on_record);

  std::size_t max_record_size_;
  bool in_header_ = true;
  std::uint64_t length_ = 0;       // length being parsed, then the record's length
  std::size_t digits_ = 0;         // digits seen in the current header
  bool length_overflow_ = false;   // the digits exceed 2^64-1 (reported at the '\n')
  std::string partial_;            // a record split over pieces
  std::string pending_;            // bytes left undelivered when a handler stopped
  std::uint64_t records_ = 0;
  std::uint64_t offset_ = 0;       // bytes consumed so far
  std::optional<recordio_error> error_;
};

/// Appends one framed record to `out`.
void recordio_append(std::string& out, std::string_view payload);
/// One framed record.
std::string recordio_encode(std::string_view payload);

} // namespace mesos_actor
