// Planted secrets (a Basic password, bearer tokens, a secret file's content, a private
// key's content) must not show up anywhere the library reports: log lines, error
// and exit-reason texts, call outcomes, validation messages, which_schedulers().
#include <doctest/doctest.h>

#include <fstream>
#include <future>
#include <sstream>

#include "auth/auth_fixture.hpp"
#include "support/pki.hpp"
#include "codec/base64.hpp"
#include "mesos_actor/host.hpp"

using namespace authtest;
using mesos_actor::credentials;
using mesos_actor::describe;

namespace {

const std::string password = "PW-zebra-7731";
const std::string token = "TOK-quokka-4410";
const std::string sourced_token = "TOK-source-8812";
const std::string file_secret = "FILE-ibis-5501";

std::string second_line(const std::string& path) {
  std::ifstream in{path};
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  return line;
}

} // namespace

TEST_CASE("secrets never appear in logs, errors, exit reasons or which_schedulers()") {
  test_pki pki;
  auto sim_log = std::make_shared<captured_lines>();
  auto sched_log = std::make_shared<captured_lines>();
  auto copts = cluster_logging_to(sim_log);
  copts.credentials = {{"fw-principal", "the-right-one"}};
  copts.tls = mesos_actor::sim::tls_files{pki.server_cert(), pki.server_key(), {}};
  test::sim_fixture f{1, copts};
  std::vector<std::string> reported; // every text the library handed back

  auto secret_file = pki.path("secret.txt");
  std::ofstream{secret_file} << file_secret << "\n";
  auto key_line = second_line(pki.untrusted_key());
  REQUIRE(key_line.size() > 20);
  std::string basic_value;
  mesos_actor::detail::base64_append(basic_value, "fw-principal:" + password);

  auto base = [&] {
    auto o = scheduler_logging_to(f, sched_log);
    o.tls.ca_file = pki.ca_cert();
    o.max_num_subscribe = 2;
    o.max_auth_failures = 2;
    return o;
  };
  std::vector<mesos_actor::scheduler_options> runs;
  auto add = [&](credentials c) {
    auto o = base();
    o.auth = std::move(c);
    runs.push_back(o);
  };
  add(credentials::basic("fw-principal", password));
  add(credentials::bearer(token));
  add(credentials::bearer([] { return sourced_token; }));
  add(credentials::basic_from_file("fw-principal", secret_file));
  {
    auto o = base();
    o.auth = credentials::basic("fw-principal", password);
    o.tls.cert_file = pki.client_cert();
    o.tls.key_file = pki.untrusted_key(); // does not match: the TLS set-up fails
    runs.push_back(o);
  }
  for (auto& o : runs) {
    reported.push_back(o.auth.describe());
    reported.push_back(to_string(o.auth));
    std::ostringstream streamed;
    streamed << o.auth;
    reported.push_back(streamed.str());
    auto a = f.spawn(f.behaviour(), o);
    auto reason = test::wait_exit(f.sys, a);
    REQUIRE(reason);
    CHECK(*reason); // each run fails
    reported.push_back(describe(*reason));
    reported.push_back(f.sys.render(*reason));
  }
  // Validation messages of bad secrets.
  reported.push_back(describe(mesos_actor::validate([&] {
    auto o = base();
    o.auth = credentials::basic("fw-principal", password + "\n");
    return o;
  }())));
  reported.push_back(describe(mesos_actor::validate([&] {
    auto o = base();
    o.auth = credentials::bearer(token + "\r\n");
    return o;
  }())));

  // The same through a host: its log and which_schedulers().
  auto host_log = std::make_shared<captured_lines>();
  std::promise<void> ended;
  auto ended_future = ended.get_future();
  auto once = std::make_shared<std::once_flag>();
  mesos_actor::host_options hopts;
  hopts.logging.min_level = mesos_actor::log_level::debug;
  hopts.logging.sink = [host_log](const mesos_actor::log_entry& e) {
    host_log->add(mesos_actor::format_log_line(e));
  };
  hopts.on_event = [&ended, once](const mesos_actor::host_event& e) {
    if (e.what == mesos_actor::host_event_kind::exited)
      std::call_once(*once, [&] { ended.set_value(); });
  };
  {
    mesos_actor::host h{f.sys, hopts};
    auto o = base();
    o.auth = credentials::basic("fw-principal", password);
    o.logging = {}; // the host's sink
    auto started = h.start_scheduler("secret-test", [&] { return f.behaviour(); }, o,
                                     {supervisor::restart_type::temporary});
    REQUIRE(started);
    REQUIRE(ended_future.wait_for(10s) == std::future_status::ready);
    auto rows = h.which_schedulers();
    REQUIRE(rows.size() == 1);
    for (auto& row : rows) {
      reported.push_back(row.ref + " " + row.framework_id + " " + describe(row.last_exit_reason));
      CHECK(contains(describe(row.last_exit_reason), "401"));
    }
  }

  // The captures did capture: the failures are in them.
  CHECK(sched_log->any_contains("HTTP 401"));
  CHECK(host_log->any_contains("401"));
  CHECK(sim_log->any_contains("401"));

  const std::string needles[] = {password, token, sourced_token, file_secret, key_line,
                                 basic_value, "Bearer " + token};
  auto everything = sched_log->all();
  for (auto& l : host_log->all())
    everything.push_back(l);
  for (auto& l : sim_log->all())
    everything.push_back(l);
  for (auto& r : reported)
    everything.push_back(r);
  for (auto& r : f.cluster.requests())
    for (auto& [name, value] : r.headers)
      everything.push_back(name + ": " + value);
  REQUIRE(everything.size() > 20);
  for (auto& line : everything)
    for (auto& needle : needles) {
      CAPTURE(line);
      CHECK_FALSE(contains(line, needle));
    }
}
