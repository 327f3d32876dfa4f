// Issue 7's "done when", combined: the example scheduler (examples/launch_tasks)
// finds its master through zk:// among three simulated masters registered in a real
// ZooKeeper, and talks to it over TLS (throw-away CA) with HTTP Basic authentication
// (secret in a file); every task finishes and the secret is never printed.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "support/pki.hpp"
#include "support/child_process.hpp"
#include "support/zk_server.hpp"

TEST_CASE("example launch_tasks via zk:// over TLS with Basic authentication: all tasks finish") {
  zk_test::zk_server zk;
  authtest::test_pki pki;
  std::string example = std::string{MESOS_ACTOR_BUILD_DIR} + "/examples/launch_tasks";
  REQUIRE(::access(example.c_str(), X_OK) == 0);
  const std::string secret = "zk-tls-secret-" + std::to_string(::getpid());
  auto secret_file = pki.path("secret");
  std::ofstream{secret_file} << secret << "\n";

  // A child that ends with the test; stderr (the library's log) is read too, both bounded.
  testkit::child_process run({example, "--tasks", "3", "--timeout", "100", "--sim-masters", "3",
                              "--sim-zookeeper", zk.url("/mesos-tls"), "--sim-cert",
                              pki.server_cert(), "--sim-key", pki.server_key(),
                              "--sim-require-auth", "--ca-file", pki.ca_cert(), "--principal",
                              "zk-tls-framework", "--secret-file", secret_file},
                             testkit::child_output{"", true, true});
  std::string out = run.read_all(std::chrono::seconds(120));
  auto exit_status = run.wait(std::chrono::seconds(5));
  CAPTURE(out);
  REQUIRE(exit_status);
  int status = *exit_status;
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(out.find("simulated Mesos cluster at https://127.0.0.1:") != std::string::npos);
  CHECK(out.find("registered as framework") != std::string::npos);
  CHECK(out.find("on https://127.0.0.1:") != std::string::npos);
  CHECK(out.find("authenticating with basic (principal 'zk-tls-framework'") != std::string::npos);
  CHECK(out.find("all 3 task(s) ended, 0 failed") != std::string::npos);
  CHECK(out.find(secret) == std::string::npos);
}
