// The strict HTTP/1.1 response parser: good responses in every framing, every limit,
// every malformed form; each fed whole and in pieces down to one byte at a time.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "transport/http_response_parser.hpp"
#include "support/text.hpp"

using mesos_actor::http_limits;
using mesos_actor::transport::http_response_parser;

namespace {

struct outcome {
  bool head = false;
  bool complete = false;
  bool failed = false;
  bool reusable = false;
  std::string error;
  int status = 0;
  std::string body;
  std::size_t consumed = 0;  // of the wire bytes
};

// Feeds `wire` in pieces of `piece` bytes (0 = all at once), then EOF if asked.
outcome parse(std::string_view wire, std::size_t piece, bool eof = false, http_limits limits = {},
              std::uint64_t max_body = 0) {
  http_response_parser p{limits, max_body};
  outcome out;
  std::size_t off = 0;
  auto body = [&](std::string_view b) {
    CHECK(p.head_complete()); // never a body byte before the head is complete
    out.body.append(b);
    return true;
  };
  while (off < wire.size() && !p.complete() && !p.failed()) {
    auto len = piece == 0 ? wire.size() - off : std::min(piece, wire.size() - off);
    auto n = p.feed(wire.substr(off, len), body);
    off += n;
    if (n == 0 && !p.complete() && !p.failed())
      FAIL("no progress");
  }
  if (eof)
    p.on_eof();
  out.head = p.head_complete();
  out.complete = p.complete();
  out.failed = p.failed();
  out.reusable = p.reusable();
  out.error = p.error();
  out.status = p.head_complete() ? p.head().status : 0;
  out.consumed = off;
  return out;
}

const std::size_t pieces[] = {0, 1, 2, 3, 7, 64};

// Every way of feeding gives the same result.
outcome parse_all_ways(std::string_view wire, bool eof = false, http_limits limits = {},
                       std::uint64_t max_body = 0) {
  auto whole = parse(wire, 0, eof, limits, max_body);
  for (auto piece : pieces) {
    CAPTURE(piece);
    auto o = parse(wire, piece, eof, limits, max_body);
    CHECK(o.complete == whole.complete);
    CHECK(o.failed == whole.failed);
    CHECK(o.error == whole.error);
    CHECK(o.status == whole.status);
    CHECK(o.body == whole.body);
    CHECK(o.consumed == whole.consumed);
  }
  return whole;
}

std::string refusal(std::string_view wire, bool eof = false, http_limits limits = {},
                    std::uint64_t max_body = 0) {
  auto o = parse_all_ways(wire, eof, limits, max_body);
  CHECK(o.failed);
  CHECK_FALSE(o.complete);
  return o.error;
}

using testkit::contains;

} // namespace

TEST_CASE("parser: a Content-Length body") {
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  spaced value \t\r\n\r\nhello";
  auto o = parse_all_ways(wire);
  CHECK(o.complete);
  CHECK(o.status == 200);
  CHECK(o.body == "hello");
  CHECK(o.reusable);
  CHECK(o.consumed == wire.size());

  http_response_parser p{http_limits{}};
  // The first feed stops right after the head, before the body.
  auto head_len = wire.size() - 5;
  CHECK(p.feed(wire) == head_len);
  REQUIRE(p.head_complete());
  CHECK(p.head().get("x-a") == "spaced value");
  CHECK(p.head().get("content-LENGTH") == "5");
  CHECK(p.head().get("missing").empty());
  CHECK(p.head().reason == "OK");
  CHECK(p.head().minor_version == 1);
  CHECK(p.feed(std::string_view{wire}.substr(head_len)) == 5);
  CHECK(p.complete());
}

TEST_CASE("parser: a chunked body with extensions, upper-case hex and a trailer") {
  std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                     "5\r\nhello\r\n006 ; name=value\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n";
  auto o = parse_all_ways(wire);
  CHECK(o.complete);
  CHECK(o.body == "hello world0123456789");
  CHECK(o.reusable);
  CHECK(o.consumed == wire.size());
}

TEST_CASE("parser: a body ended by the close, HTTP/1.0 and Connection: close") {
  auto o = parse_all_ways("HTTP/1.1 200 OK\r\n\r\nstream of bytes", true);
  CHECK(o.complete);
  CHECK(o.body == "stream of bytes");
  CHECK_FALSE(o.reusable);

  o = parse_all_ways("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
  CHECK(o.complete);
  CHECK_FALSE(o.reusable);

  o = parse_all_ways("HTTP/1.1 202 Accepted\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n");
  CHECK(o.complete);
  CHECK_FALSE(o.reusable);
}

TEST_CASE("parser: interim answers are skipped; 204 and 304 have no body; no reason is fine") {
  auto o = parse_all_ways("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                          "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
  CHECK(o.complete);
  CHECK(o.status == 202);
  o = parse_all_ways("HTTP/1.1 204 No Content\r\n\r\n");
  CHECK(o.complete);
  CHECK(o.reusable);
  o = parse_all_ways("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n");
  CHECK(o.complete);
  CHECK(o.body.empty());
  o = parse_all_ways("HTTP/1.1 599\r\nContent-Length: 0\r\n\r\n");
  CHECK(o.complete);
  CHECK(o.status == 599);
  o = parse_all_ways("HTTP/1.1 307 \r\nLocation: //m2:5050/api\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n");
  CHECK(o.complete);
}

TEST_CASE("parser: bytes after the response are left for the next one") {
  std::string first = "HTTP/1.1 202 Accepted\r\nContent-Length: 3\r\n\r\nabc";
  std::string second = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  auto o = parse(first + second, 0);
  CHECK(o.complete);
  CHECK(o.consumed == first.size());
  o = parse(first + second, 1);
  CHECK(o.consumed == first.size());
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n";
  o = parse(chunked + second, 0);
  CHECK(o.consumed == chunked.size());
}

TEST_CASE("parser: a body callback returning false stops the feed") {
  http_response_parser p{http_limits{}};
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
  auto n = p.feed(wire);
  int calls = 0;
  auto m = p.feed(std::string_view{wire}.substr(n, 4), [&](std::string_view) { return ++calls > 5; });
  CHECK(m == 4);
  CHECK(calls == 1);
  CHECK_FALSE(p.complete());
  CHECK(p.body_size() == 4);
}

TEST_CASE("parser: every limit, enforced as the bytes arrive") {
  http_limits small;
  small.max_header_line = 32;
  small.max_header_count = 3;
  small.max_head_size = 128;

  SUBCASE("max_header_line") {
    CHECK(refusal("HTTP/1.1 200 OK\r\nX: " + std::string(40, 'a') + "\r\n\r\n", false, small)
          == "response header line exceeds max_header_line (32 bytes)");
    CHECK(refusal("HTTP/1.1 200 " + std::string(40, 'a') + "\r\n\r\n", false, small)
          == "response status line exceeds max_header_line (32 bytes)");
    // An endless line is refused after max_header_line + 1 bytes of it.
    std::string head = "HTTP/1.1 200 OK\r\n";
    auto o = parse(head + std::string(1 << 20, 'a'), 0, false, small);
    CHECK(o.failed);
    CHECK(o.consumed == head.size() + small.max_header_line + 1);
  }
  SUBCASE("max_header_count") {
    std::string three = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nContent-Length: 0\r\n\r\n";
    CHECK(refusal(three, false, small) == "response head has more than max_header_count (3) header fields");
    small.max_header_count = 4;
    CHECK(parse_all_ways(three, false, small).complete);
  }
  SUBCASE("max_head_size") {
    std::string wire = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 10; ++i)
      wire += "H" + std::to_string(i) + ": 0123456789\r\n";
    small.max_header_count = 100;
    CHECK(refusal(wire + "\r\n", false, small) == "response head exceeds max_head_size (128 bytes)");
    // Endless interim answers count toward the head too.
    std::string interim;
    for (int i = 0; i < 20; ++i)
      interim += "HTTP/1.1 100 Continue\r\n\r\n";
    CHECK(refusal(interim, false, small) == "response head exceeds max_head_size (128 bytes)");
    auto o = parse(interim + interim, 0, false, small);
    CHECK(o.consumed == small.max_head_size + 1);
  }
  SUBCASE("max body: Content-Length, chunked, until close, lifted") {
    CHECK(refusal("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", false, {}, 4)
          == "response body of 10 bytes (Content-Length) exceeds max_call_response_body (4 bytes)");
    CHECK(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n", false, {}, 4)
          == "response body exceeds max_call_response_body (4 bytes)");
    CHECK(refusal("HTTP/1.1 200 OK\r\n\r\nabcde", true, {}, 4)
          == "response body exceeds max_call_response_body (4 bytes)");
    CHECK(parse("HTTP/1.1 200 OK\r\n\r\nabcde", 0, true, {}, 4).body == "abcd");
    CHECK(parse_all_ways("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd", false, {}, 4).complete);

    // The event stream: a 200's body is unbounded, any other answer's is bounded.
    std::string big = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    http_response_parser p{http_limits{}, 4, true};
    auto n = p.feed(big);
    p.feed(std::string_view{big}.substr(n));
    CHECK(p.complete());
    http_response_parser q{http_limits{}, 4, true};
    q.feed("HTTP/1.1 503 Unavailable\r\nContent-Length: 10\r\n\r\n");
    CHECK(q.failed());
    CHECK(contains(q.error(), "exceeds max_call_response_body (4 bytes)"));
  }
  SUBCASE("chunk-size line and trailer") {
    std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    CHECK(refusal(chunked + "1;" + std::string(40, 'e') + "\r\n", false, small)
          == "chunk-size line exceeds max_header_line (32 bytes)");
    CHECK(refusal(chunked + "0\r\nT: " + std::string(40, 'x') + "\r\n", false, small)
          == "trailer line exceeds max_header_line (32 bytes)");
    CHECK(refusal(chunked + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", false, small)
          == "response trailer has more than max_header_count (3) fields");
    small.max_header_count = 100;
    std::string trailer = chunked + "0\r\n";
    for (int i = 0; i < 10; ++i)
      trailer += "T" + std::to_string(i) + ": 0123456789\r\n";
    CHECK(refusal(trailer, false, small) == "response trailer exceeds max_head_size (128 bytes)");
  }
}

TEST_CASE("parser: malformed status lines") {
  const char* bad[] = {
    "HTTP/2 200 OK\r\n", "HTTP/1.1 20 OK\r\n", "HTTP/1.1 600 Nope\r\n", "HTTP/1.1 099 X\r\n",
    "http/1.1 200 OK\r\n", "HTTP/1.1  200 OK\r\n", "ICY 200 OK\r\n", "HTTP/1.1 200OK\r\n",
    "HTTP/1.x 200 OK\r\n", "\r\n",
  };
  for (auto* line : bad) {
    CAPTURE(line);
    CHECK(contains(refusal(line), "malformed response status line"));
  }
  CHECK(refusal("HTTP/1.1 200 O\x01K\r\n") == "control character in the response status line 'HTTP/1.1 200 O\\x01K'");
  CHECK(refusal("HTTP/1.1 101 Switching Protocols\r\n\r\n")
        == "unexpected 101 Switching Protocols (no upgrade was asked for)");
}

TEST_CASE("parser: malformed header lines and line ends") {
  std::string s = "HTTP/1.1 200 OK\r\n";
  CHECK(refusal("HTTP/1.1 200 OK\n") == "bare LF in the response (lines must end with CRLF)");
  CHECK(refusal(s + "A: 1\n\r\n") == "bare LF in the response (lines must end with CRLF)");
  CHECK(refusal("HTTP/1.1 200 OK\rX") == "CR without LF in the response (lines must end with CRLF)");
  CHECK(refusal(s + "A: 1\r\n folded\r\n\r\n")
        == "obsolete line folding in the response head (a header line starts with whitespace)");
  CHECK(refusal(s + "no colon\r\n\r\n") == "malformed response header line 'no colon'");
  CHECK(refusal(s + ": empty name\r\n\r\n") == "malformed response header line ': empty name'");
  CHECK(refusal(s + "Bad Name: x\r\n\r\n") == "malformed response header line 'Bad Name: x'");
  CHECK(refusal(s + "Name : x\r\n\r\n") == "malformed response header line 'Name : x'");
  CHECK(refusal(s + "N(x): y\r\n\r\n") == "malformed response header line 'N(x): y'");
  CHECK(refusal(s + "X: a\x01z\r\n\r\n") == "control character in the value of response header 'X'");
  CHECK(refusal(s + "X: a" + std::string(1, '\0') + "z\r\n\r\n")
        == "control character in the value of response header 'X'");
  // Long peer bytes are cut in the error text.
  auto e = refusal(s + std::string(100, 'z') + "\r\n\r\n");
  CHECK(e.size() < 100);
  CHECK(contains(e, "...'"));
}

TEST_CASE("parser: framing conflicts and malformed lengths") {
  std::string s = "HTTP/1.1 200 OK\r\n";
  CHECK(refusal(s + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
        == "the response has both Content-Length and Transfer-Encoding");
  CHECK(refusal(s + "Transfer-Encoding: gzip, chunked\r\n\r\n")
        == "unsupported Transfer-Encoding 'gzip, chunked' (only chunked is understood)");
  CHECK(contains(refusal(s + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
                 "unsupported Transfer-Encoding"));
  CHECK(refusal(s + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n")
        == "conflicting Content-Length values '3' and '4'");
  const char* lengths[] = {"-1", "+5", "1a", "", "3, 3", "0x10", "99999999999999999999", " 1 2"};
  for (auto* l : lengths) {
    CAPTURE(l);
    CHECK(contains(refusal(s + "Content-Length: " + l + "\r\n\r\n"), "malformed Content-Length"));
  }
}

TEST_CASE("parser: malformed chunks") {
  std::string s = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(refusal(s + "-2\r\n") == "malformed chunk size '-2'");
  const char* sizes[] = {"", "g", "1 2", "0x10", " 5", "5 x", "+5"};
  for (auto* z : sizes) {
    CAPTURE(z);
    CHECK(contains(refusal(s + z + "\r\n"), "malformed chunk size"));
  }
  CHECK(refusal(s + "ffffffffffffffff0\r\n") == "chunk size 'ffffffffffffffff0' has more than 16 hex digits");
  CHECK(refusal(s + "10000000000000000\r\n") == "chunk size '10000000000000000' has more than 16 hex digits");
  // 16 digits is the largest size: waiting for the data, unless a body limit refuses it.
  auto o = parse(s + "ffffffffffffffff\r\nabc", 0);
  CHECK_FALSE(o.failed);
  CHECK(o.body == "abc");
  CHECK(refusal(s + "ffffffffffffffff\r\n", false, {}, 100)
        == "response body exceeds max_call_response_body (100 bytes)");
  CHECK(refusal(s + "5\r\nhelloX\r\n") == "missing CRLF after the data of a chunk");
  CHECK(refusal(s + "5\r\nhello\rX") == "missing CRLF after the data of a chunk");
  CHECK(refusal(s + "5\r\nhello\n") == "missing CRLF after the data of a chunk");
  CHECK(refusal(s + "0\r\nno colon\r\n\r\n") == "malformed trailer line 'no colon'");
  CHECK(refusal(s + "0\r\nX: \x02\r\n\r\n") == "control character in the value of trailer field 'X'");
}

TEST_CASE("parser: the connection closing early") {
  CHECK(refusal("", true) == "the connection closed before any response");
  CHECK(refusal("HTTP/1.1 200 OK\r\nContent-Le", true) == "the connection closed inside the response head");
  CHECK(refusal("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", true)
        == "the connection closed after 2 of 5 body bytes");
  CHECK(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", true)
        == "the connection closed inside the chunked body");
  CHECK(refusal("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", true)
        == "the connection closed inside the chunked body");
}

TEST_CASE("parser: after a failure nothing more is taken") {
  http_response_parser p{http_limits{}};
  p.feed("HTTP/9");
  p.feed(".1 200 OK\r\n");
  REQUIRE(p.failed());
  auto before = p.consumed();
  CHECK(p.feed("more") == 0);
  p.on_eof();
  CHECK(p.consumed() == before);
  CHECK(contains(p.error(), "malformed response status line"));
}
