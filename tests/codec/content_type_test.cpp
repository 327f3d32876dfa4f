// Content-Type is exact; Accept is negotiated as the Mesos master does it.
#include <doctest/doctest.h>

#include "mesos_actor/codec/content_type.hpp"

using mesos_actor::content_type;
using mesos_actor::negotiate_accept;
using mesos_actor::parse_content_type;

TEST_CASE("content type: the two media types, compared byte for byte") {
  CHECK(mesos_actor::media_type(content_type::json) == "application/json");
  CHECK(mesos_actor::media_type(content_type::protobuf) == "application/x-protobuf");
  CHECK(parse_content_type("application/json") == content_type::json);
  CHECK(parse_content_type("application/x-protobuf") == content_type::protobuf);
  CHECK_FALSE(parse_content_type("application/json; charset=utf-8"));
  CHECK_FALSE(parse_content_type("Application/JSON"));
  CHECK_FALSE(parse_content_type(" application/json"));
  CHECK_FALSE(parse_content_type(""));
  CHECK_FALSE(parse_content_type("application/recordio"));
}

TEST_CASE("content type: Accept negotiation") {
  CHECK(negotiate_accept("") == content_type::json);
  CHECK(negotiate_accept("  ") == content_type::json);
  CHECK(negotiate_accept("*/*") == content_type::json);
  CHECK(negotiate_accept("application/*") == content_type::json);
  CHECK(negotiate_accept("application/json") == content_type::json);
  CHECK(negotiate_accept("application/x-protobuf") == content_type::protobuf);
  CHECK(negotiate_accept("APPLICATION/X-PROTOBUF") == content_type::protobuf);
  CHECK(negotiate_accept("text/html, application/x-protobuf;q=0.5") == content_type::protobuf);
  // JSON is asked first: acceptable at any q means JSON.
  CHECK(negotiate_accept("application/x-protobuf, application/json;q=0.1") == content_type::json);
  // q=0 excludes; the most specific range decides.
  CHECK(negotiate_accept("application/json;q=0, */*") == content_type::protobuf);
  CHECK(negotiate_accept("application/*;q=0, application/x-protobuf") == content_type::protobuf);
  CHECK(negotiate_accept("*/*;q=0, application/json ; q=0.3") == content_type::json);
  CHECK_FALSE(negotiate_accept("text/html"));
  CHECK_FALSE(negotiate_accept("*/*;q=0"));
  CHECK_FALSE(negotiate_accept("application/json;q=0, application/x-protobuf;q=0.000"));
  // Malformed entries are ignored.
  CHECK_FALSE(negotiate_accept("garbage"));
  CHECK(negotiate_accept("garbage, application/x-protobuf") == content_type::protobuf);
  CHECK(negotiate_accept("application/json;q=abc, application/x-protobuf") == content_type::protobuf);
  CHECK(negotiate_accept("application/json;q=2, application/x-protobuf") == content_type::protobuf);
  CHECK(negotiate_accept("application/json;level=1;q=0.5") == content_type::json);
}

TEST_CASE("content type: names") {
  CHECK(mesos_actor::content_type_from_name("json") == content_type::json);
  CHECK(mesos_actor::content_type_from_name("protobuf") == content_type::protobuf);
  CHECK_FALSE(mesos_actor::content_type_from_name("JSON"));
  CHECK(mesos_actor::content_type_name(content_type::json) == "json");
  CHECK(mesos_actor::content_type_name(content_type::protobuf) == "protobuf");
}
