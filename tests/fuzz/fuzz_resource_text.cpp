// libFuzzer target: bytes -> resources::parse (the resource text form). Checks that
// what parses prints and parses back to the same resources and the same text, and
// that the algebra's laws hold on it (a + a contains a, a - a is empty, taking away
// what is contained and putting it back gives the same resources). A bad text must
// fail with a non-empty reason.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/resources.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_resource_text: %s: %s\n", what, detail.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = mesos_actor::resources::parse(text);
  if (!parsed) {
    if (mesos_actor::error_detail(parsed.error()).empty())
      fail("an error without a reason", std::string(text));
    return 0;
  }
  const auto& a = *parsed;
  auto printed = a.to_string();
  auto again = mesos_actor::resources::parse(printed);
  if (!again)
    fail("printed text does not parse", printed + " -> " + mesos_actor::error_detail(again.error()));
  if (!(*again == a))
    fail("printed text parses to other resources", printed + " -> " + again->to_string());
  if (again->to_string() != printed)
    fail("printing is not stable", printed + " -> " + again->to_string());
  auto proto = mesos_actor::resources::from_proto(a.to_proto());
  if (!proto || !(*proto == a))
    fail("protobuf round trip", printed);
  auto twice = a + a;
  if (!twice.contains(a))
    fail("a + a does not contain a", printed);
  if (!(a - a).empty())
    fail("a - a is not empty", printed);
  if (!((twice - a) + a == twice))
    fail("(a + a) - a + a != a + a", printed);
  return 0;
}
