// RecordIO framing: encoder, incremental decoder in arbitrary pieces, every bad input.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "mesos_actor/codec/recordio.hpp"

using mesos_actor::recordio_decoder;
using mesos_actor::recordio_errc;

namespace {

struct collected {
  std::vector<std::string> records;
  std::optional<mesos_actor::recordio_error> error;
};

// Feeds `stream` in pieces of `piece` bytes, then finishes.
collected decode_in_pieces(std::string_view stream, std::size_t piece,
                           std::size_t max = recordio_decoder::default_max_record_size) {
  collected out;
  recordio_decoder dec(max);
  for (std::size_t at = 0; at < stream.size() && !out.error; at += piece)
    out.error = dec.feed(stream.substr(at, piece), [&](std::string_view r) {
      out.records.emplace_back(r);
      return true;
    });
  if (!out.error)
    out.error = dec.finish();
  return out;
}

} // namespace

TEST_CASE("recordio: encoder writes '<length>\\n<payload>' with nothing after") {
  CHECK(mesos_actor::recordio_encode(R"({"type":"HEARTBEAT"})") == "20\n{\"type\":\"HEARTBEAT\"}");
  CHECK(mesos_actor::recordio_encode("") == "0\n");
  std::string out = "x";
  mesos_actor::recordio_append(out, std::string("a\nb\0", 4));
  CHECK(out == std::string("x4\na\nb\0", 7));
}

TEST_CASE("recordio: one byte at a time, many records per piece, payloads with newlines") {
  const std::vector<std::string> payloads{"{\"type\":\"HEARTBEAT\"}", std::string("\n\n\0\n", 4), "",
                                          std::string(300, 'x'), "last"};
  std::string stream;
  for (const auto& p : payloads)
    mesos_actor::recordio_append(stream, p);
  for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                            std::size_t{64}, stream.size()}) {
    CAPTURE(piece);
    auto got = decode_in_pieces(stream, piece);
    CHECK_FALSE(got.error);
    CHECK(got.records == payloads);
  }
}

TEST_CASE("recordio: a record wholly inside a piece is handed out without copying") {
  const std::string stream = "5\nhello3\nabc";
  recordio_decoder dec;
  std::vector<const char*> starts;
  CHECK_FALSE(dec.feed(stream, [&](std::string_view r) {
    starts.push_back(r.data());
    return true;
  }));
  REQUIRE(starts.size() == 2);
  CHECK(starts[0] == stream.data() + 2);
  CHECK(starts[1] == stream.data() + 9);
  CHECK(dec.records_decoded() == 2);
  CHECK(dec.bytes_consumed() == stream.size());
  CHECK_FALSE(dec.finish());
}

TEST_CASE("recordio: a handler returning false pauses; the rest is decoded on the next feed") {
  recordio_decoder dec;
  std::vector<std::string> got;
  auto stop_after_one = [&](std::string_view r) {
    got.emplace_back(r);
    return false;
  };
  CHECK_FALSE(dec.feed("1\na1\nb1\nc", stop_after_one));
  CHECK(got == std::vector<std::string>{"a"});
  CHECK(dec.finish()); // undelivered bytes at the end are not silently dropped
  recordio_decoder dec2;
  got.clear();
  CHECK_FALSE(dec2.feed("1\na1\nb1\nc", stop_after_one));
  CHECK_FALSE(dec2.feed("", [&](std::string_view r) {
    got.emplace_back(r);
    return true;
  }));
  CHECK(got == std::vector<std::string>{"a", "b", "c"});
  CHECK_FALSE(dec2.finish());
}

TEST_CASE("recordio: a non-digit in the length breaks the stream, naming record and offset") {
  for (std::size_t piece : {std::size_t{1}, std::size_t{100}}) {
    auto got = decode_in_pieces("2\nok1x\nz", piece);
    REQUIRE(got.error);
    CHECK(got.error->code == recordio_errc::non_digit_in_length);
    CHECK(got.error->record_index == 1);
    CHECK(got.error->byte_offset == 5);
    CHECK(got.records == std::vector<std::string>{"ok"});
    CHECK(got.error->message() == "record 1 at byte 5: non-digit in record length: byte 0x78 ('x')");
  }
  for (std::string bad : {"0x1A\n", "-1\n", " 5\n", "5\r\nhello", "+5\nhello"}) {
    CAPTURE(bad);
    auto got = decode_in_pieces(bad, 1);
    REQUIRE(got.error);
    CHECK(got.error->code == recordio_errc::non_digit_in_length);
  }
}

TEST_CASE("recordio: empty length, too many digits, too large, truncated") {
  auto empty = decode_in_pieces("\nabc", 1);
  REQUIRE(empty.error);
  CHECK(empty.error->code == recordio_errc::empty_length);
  CHECK(empty.error->byte_offset == 0);

  auto digits20 = decode_in_pieces("00000000000000000003\nabc", 4);
  CHECK_FALSE(digits20.error);
  CHECK(digits20.records == std::vector<std::string>{"abc"});
  auto digits21 = decode_in_pieces("000000000000000000003\nabc", 4);
  REQUIRE(digits21.error);
  CHECK(digits21.error->code == recordio_errc::length_too_long);
  CHECK(digits21.error->byte_offset == 20);

  auto huge = decode_in_pieces("99999999999999999999\n", 3); // above 2^64-1
  REQUIRE(huge.error);
  CHECK(huge.error->code == recordio_errc::record_too_large);
  CHECK(huge.error->message().find("more than 2^64-1") != std::string::npos);

  auto too_large = decode_in_pieces("3\nabc11\nhello world", 2, 10);
  REQUIRE(too_large.error);
  CHECK(too_large.error->code == recordio_errc::record_too_large);
  CHECK(too_large.error->record_index == 1);
  CHECK(too_large.error->byte_offset == 7);
  CHECK(too_large.error->message()
        == "record 1 at byte 7: record too large: length 11 exceeds the maximum record size 10");
  auto at_max = decode_in_pieces("10\n0123456789", 2, 10);
  CHECK_FALSE(at_max.error);

  auto in_payload = decode_in_pieces("3\nabc10\nhalf", 3);
  REQUIRE(in_payload.error);
  CHECK(in_payload.error->code == recordio_errc::truncated);
  CHECK(in_payload.error->record_index == 1);
  CHECK(in_payload.error->byte_offset == 12);
  CHECK(in_payload.error->message().find("got 4 of 10 payload bytes") != std::string::npos);

  auto in_length = decode_in_pieces("3\nabc12", 3);
  REQUIRE(in_length.error);
  CHECK(in_length.error->code == recordio_errc::truncated);

  auto after_newline = decode_in_pieces("3\n", 1);
  REQUIRE(after_newline.error);
  CHECK(after_newline.error->code == recordio_errc::truncated);
}

TEST_CASE("recordio: a broken stream stays broken and yields nothing more") {
  recordio_decoder dec;
  int records = 0;
  auto count = [&](std::string_view) {
    ++records;
    return true;
  };
  auto err = dec.feed("1\na?", count);
  REQUIRE(err);
  CHECK(dec.broken());
  auto again = dec.feed("1\nb", count);
  REQUIRE(again);
  CHECK(again->byte_offset == err->byte_offset);
  CHECK(records == 1);
  CHECK(dec.finish());
}

TEST_CASE("recordio: a claimed length is never allocated beyond the maximum") {
  // A hostile length just under the limit with only a few bytes behind it: memory
  // grows only with what arrives (bounded by max), and the end of stream is reported.
  recordio_decoder dec(1024);
  CHECK_FALSE(dec.feed("1024\nabc", [](std::string_view) { return true; }));
  auto err = dec.finish();
  REQUIRE(err);
  CHECK(err->code == recordio_errc::truncated);
  CHECK(dec.max_record_size() == 1024);
}

TEST_CASE("recordio: a handler that throws leaves the decoder usable") {
  recordio_decoder dec;
  std::vector<std::string> got;
  bool throw_next = true;
  auto handler = [&](std::string_view r) {
    if (throw_next) {
      throw_next = false;
      throw std::runtime_error("handler failed");
    }
    got.emplace_back(r);
    return true;
  };
  CHECK_THROWS(dec.feed("5\nhel", handler) ? void() : (void)dec.feed("lo", handler));
  CHECK(dec.records_decoded() == 1);
  CHECK_FALSE(dec.feed("3\nab", handler));
  CHECK_FALSE(dec.feed("c", handler));
  CHECK(got == std::vector<std::string>{"abc"});
  CHECK_FALSE(dec.finish());
}
