// load_frameworks_config: config/frameworks.ini loads as the multi_framework example
// reads it; shared [scheduler] sections, per-framework sections, restart policies and
// the program's own [framework.REF.app] keys; every bad input a bad_option naming
// file:line.
#include <doctest/doctest.h>

#include <string>

#include "mesos_actor/config_file.hpp"
#include "mesos_actor/errors.hpp"
#include "support/temp_file.hpp"

using namespace mesos_actor;
using namespace std::chrono_literals;

namespace {

const std::string frameworks_config_dir = std::string{MESOS_ACTOR_TEST_DATA} + "/../../config/";

// A file in the temp dir holding `text`, removed at the end of the test.
struct temp_frameworks_ini : testkit::temp_file {
  explicit temp_frameworks_ini(const std::string& text) : temp_file(text, "mesos_actor_frameworks") {}
};

scheduler_options with_master() {
  scheduler_options o;
  o.master_hosts = {"127.0.0.1:5050"};
  return o;
}

std::string frameworks_error(const std::string& text) {
  temp_frameworks_ini f{text};
  auto loaded = load_frameworks_config(f.path, with_master());
  REQUIRE_FALSE(loaded);
  CHECK(error_code(loaded.error()) == errc::bad_option);
  auto msg = describe(loaded.error());
  CHECK(msg.find(f.path) != std::string::npos);
  return msg;
}

} // namespace

TEST_CASE("config/frameworks.ini loads: three frameworks in file order") {
  auto loaded = load_frameworks_config(frameworks_config_dir + "frameworks.ini", with_master());
  REQUIRE(loaded);
  REQUIRE(loaded->size() == 3);
  const auto& analytics = (*loaded)[0];
  const auto& billing = (*loaded)[1];
  const auto& flaky = (*loaded)[2];
  CHECK(analytics.ref == "analytics");
  CHECK(billing.ref == "billing");
  CHECK(flaky.ref == "flaky");
  CHECK(analytics.policy.restart == supervisor::restart_type::permanent);
  CHECK(analytics.options.content == content_type::protobuf);
  CHECK(billing.options.content == content_type::json);
  CHECK(billing.policy.restart == supervisor::restart_type::transient);
  CHECK(flaky.policy.max_restarts == 3);
  CHECK(flaky.policy.period == 60000ms);
  CHECK(analytics.options.master_hosts == std::vector<std::string>{"127.0.0.1:5050"});
  CHECK(analytics.app.at("role").text == "analytics");
  CHECK(flaky.app.at("throw-after-ms").text == "1500");
  CHECK(flaky.app.at("throw-after-ms").line > 0);
}

TEST_CASE("shared [scheduler] sections apply to all; a framework's own sections win") {
  temp_frameworks_ini f{R"([scheduler]
max-redirects=7
content-type="json"
[scheduler.tls]
verify-hostname=false

[framework.a]
[framework.b]
content-type="protobuf"
master-hosts=["other:5050"]
[framework.b.http-limits]
max-header-count=50
[framework.b.restart]
restart="temporary"
max-restarts=0
period-ms=1000
shutdown-timeout-ms=250
[framework.c.app]
anything="goes"
)"};
  auto loaded = load_frameworks_config(f.path, with_master());
  REQUIRE_MESSAGE(loaded, describe(loaded.error()));
  REQUIRE(loaded->size() == 3);
  const auto& a = (*loaded)[0];
  const auto& b = (*loaded)[1];
  const auto& c = (*loaded)[2];
  CHECK(a.ref == "a"); // a section without keys still names a framework
  CHECK(a.options.max_redirects == 7);
  CHECK(a.options.content == content_type::json);
  CHECK_FALSE(a.options.tls.verify_hostname);
  CHECK(a.options.master_hosts == std::vector<std::string>{"127.0.0.1:5050"}); // the defaults
  CHECK(a.policy.restart == restart_policy{}.restart);
  CHECK(b.options.max_redirects == 7);
  CHECK(b.options.content == content_type::protobuf);
  CHECK(b.options.master_hosts == std::vector<std::string>{"other:5050"});
  CHECK(b.options.http_limits.max_header_count == 50);
  CHECK(a.options.http_limits.max_header_count == http_limits{}.max_header_count);
  CHECK_FALSE(b.options.tls.verify_hostname);
  CHECK(b.policy.restart == supervisor::restart_type::temporary);
  CHECK(b.policy.max_restarts == 0);
  CHECK(b.policy.period == 1000ms);
  CHECK(b.policy.shutdown_timeout == 250ms);
  CHECK(c.ref == "c");
  CHECK(c.app.at("anything").text == "goes");
  CHECK(c.options.content == content_type::json);
}

TEST_CASE("bad frameworks files are bad_option errors naming file and line") {
  CHECK(frameworks_error("[scheduler]\nmax-redirects=3\n").find("no [framework.REF] section")
        != std::string::npos);
  CHECK(frameworks_error("[framework.a]\n[other]\nx=1\n").find(":2: unknown section [other]")
        != std::string::npos);
  CHECK(frameworks_error("[framework.a]\nmax-redirect=3\n").find(":2: unknown key 'max-redirect'")
        != std::string::npos);
  CHECK(frameworks_error("[framework.a.restart]\nrestart=\"sometimes\"\n").find("restart: expected")
        != std::string::npos);
  CHECK(frameworks_error("[framework.a.restart]\nmax-restarts=-1\n").find(":2:") != std::string::npos);
  CHECK(frameworks_error("[framework.a.restart]\nlimit=1\n").find("unknown key 'limit'")
        != std::string::npos);
  CHECK(frameworks_error("[framework.a.app]\nroles=[\"x\"]\n").find(":2: [framework.a.app] roles")
        != std::string::npos);
  CHECK(frameworks_error("[framework.a]\ncontent-type=\"xml\"\n").find("[framework.a] content-type")
        != std::string::npos);
  CHECK(frameworks_error("[framework.]\n").find("names no framework") != std::string::npos);
  CHECK(frameworks_error("[scheduler]\nbackoff-jitter=7\n[framework.a]\n").find("backoff")
        != std::string::npos); // the shared section fails validation in each framework
}

TEST_CASE("a framework's options are validated: no masters is an error") {
  temp_frameworks_ini f{"[framework.a]\nmaster-hosts=[]\n"};
  auto loaded = load_frameworks_config(f.path);
  REQUIRE_FALSE(loaded);
  CHECK(describe(loaded.error()).find(f.path) != std::string::npos);
}

TEST_CASE("a missing frameworks file is an error") {
  auto loaded = load_frameworks_config("/nonexistent/frameworks.ini", with_master());
  REQUIRE_FALSE(loaded);
  CHECK(error_code(loaded.error()) == errc::bad_option);
}
