// HTTP Basic authentication of frameworks and serving over TLS.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "sim_client.hpp"

using namespace simtest;
using mesos_actor::sim::cluster;

namespace {
std::string basic(const std::string& principal, const std::string& secret) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = principal + ":" + secret, out;
  unsigned val = 0;
  int bits = -6;
  for (unsigned char c : in) {
    val = ((val << 8) + c) & 0xffffffu;
    bits += 8;
    while (bits >= 0) {
      out.push_back(tbl[(val >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6)
    out.push_back(tbl[((val << 8) >> (bits + 8)) & 0x3F]);
  while (out.size() % 4)
    out.push_back('=');
  return "Basic " + out;
}
} // namespace

TEST_CASE("with credentials configured, frameworks must authenticate with HTTP Basic") {
  auto opts = fast_options();
  opts.credentials = {{"alice", "s3cret-value"}};
  cluster sim(opts);
  sim.start();
  auto url = sim.master_urls()[0];
  auto body = mesos_actor::encode(subscribe_call(), content_type::json);
  auto none = post_raw(url, body, {{"Content-Type", "application/json"}});
  CHECK(none.status == 401);
  CHECK(none.header("WWW-Authenticate") == "Basic realm=\"mesos-master-scheduler\"");
  auto wrong = post_raw(url, body, {{"Content-Type", "application/json"},
                                    {"Authorization", basic("alice", "nope")}});
  CHECK(wrong.status == 401);

  httplib::Headers auth{{"Authorization", basic("alice", "s3cret-value")}};
  subscription sub(url, subscribe_call("authed"), content_type::json, std::nullopt, auth);
  REQUIRE(sub.status() == 200);
  auto fid = sub.framework_id();
  REQUIRE(!fid.empty());
  auto fw = sim.framework(fid);
  REQUIRE(fw);
  CHECK(fw->info.principal() == "alice"); // filled in from the authenticated principal
  CHECK(post_call(url, call_of(Call::REVIVE, fid), content_type::json, sub.stream_id(), auth).status == 202);
  CHECK(post_call(url, call_of(Call::REVIVE, fid), content_type::json, sub.stream_id()).status == 401);

  // UPDATE_FRAMEWORK may omit the principal the master filled in, not change it.
  Call upd = call_of(Call::UPDATE_FRAMEWORK, fid);
  auto* ui = upd.mutable_update_framework()->mutable_framework_info();
  *ui = subscribe_call("authed").subscribe().framework_info();
  ui->mutable_id()->set_value(fid);
  CHECK(post_call(url, upd, content_type::json, sub.stream_id(), auth).status == 200);
  ui->set_principal("mallory");
  CHECK(post_call(url, upd, content_type::json, sub.stream_id(), auth).status == 400);

  // A FrameworkInfo.principal that differs from the authenticated one: 400.
  auto other = subscribe_call("other");
  other.mutable_subscribe()->mutable_framework_info()->set_principal("bob");
  CHECK(post_call(url, other, content_type::json, {}, auth).status == 400);

  // The secret never reaches the trace.
  for (auto& r : sim.requests())
    for (auto& [k, v] : r.headers)
      CHECK(v.find(basic("alice", "s3cret-value").substr(6)) == std::string::npos);
}

TEST_CASE("serves over TLS from a certificate and key") {
  auto dir = std::filesystem::temp_directory_path() / ("sim-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto cert = (dir / "cert.pem").string();
  auto key = (dir / "key.pem").string();
  auto cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
             key + " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto opts = fast_options();
  opts.tls = mesos_actor::sim::tls_files{cert, key, {}};
  cluster sim(opts);
  sim.start();
  auto url = sim.master_urls()[0];
  CHECK(url.rfind("https://", 0) == 0);
  subscription sub(url, subscribe_call("tls"));
  REQUIRE(sub.status() == 200);
  auto e = sub.next(Event::SUBSCRIBED);
  REQUIRE(e);
  auto r = post_call(url, call_of(Call::REVIVE, e->subscribed().framework_id().value()),
                     content_type::json, sub.stream_id());
  CHECK(r.status == 202);
  auto offers = sub.next(Event::OFFERS);
  REQUIRE(offers);
  CHECK(offers->offers().offers(0).url().scheme() == "https");
  sub.close();
  sim.stop();

  auto bad = fast_options();
  bad.tls = mesos_actor::sim::tls_files{(dir / "missing.pem").string(), key, {}};
  cluster broken(bad);
  CHECK_THROWS_AS(broken.start(), std::runtime_error);
  std::filesystem::remove_all(dir);
}
