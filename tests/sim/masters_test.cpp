// Several masters, leadership, master restarts, framework failover and failover_timeout.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "sim_client.hpp"

using namespace simtest;
using mesos_actor::sim::cluster;

TEST_CASE("non-leading masters answer 307 with a protocol-relative long-path Location") {
  auto opts = fast_options();
  opts.masters = 3;
  cluster sim(opts);
  sim.start();
  auto urls = sim.master_urls();
  REQUIRE(urls.size() == 3);
  REQUIRE(sim.leader() == 0u);
  auto body = mesos_actor::encode(subscribe_call(), content_type::json);
  auto r = post_raw(urls[1], body, {{"Content-Type", "application/json"}});
  CHECK(r.status == 307);
  CHECK(r.header("Location") == "//127.0.0.1:" + std::to_string(port_of(urls[0])) +
                                  "/master/api/v1/scheduler");
  // Even a GET is redirected first (leadership is checked before the method).
  CHECK(post_raw(urls[2], "", {}, scheduler_path, "GET").status == 307);

  sim.faults().no_leader();
  CHECK(sim.leader() == std::nullopt);
  for (auto& u : urls)
    CHECK(post_raw(u, body, {{"Content-Type", "application/json"}}).status == 503);

  sim.faults().set_leader(2);
  CHECK(post_raw(urls[0], body, {{"Content-Type", "application/json"}}).status == 307);
  subscription sub(urls[2], subscribe_call());
  CHECK(sub.status() == 200);
}

TEST_CASE("a leader change closes streams; the framework subscribes again with its id on the new leader") {
  auto opts = fast_options();
  opts.masters = 2;
  cluster sim(opts);
  sim.start();
  auto urls = sim.master_urls();
  auto s = std::make_unique<session>(urls[0], subscribe_call("lc", {}, {}, 3600));
  auto fid = s->fid;
  auto old_sid = s->sid;
  REQUIRE(sim.wait_for([&] { return !sim.events(fid).empty(); }, 2s));
  auto first = sim.events(fid).at(0).event.subscribed().master_info();
  sim.faults().set_leader(1);
  CHECK(s->sub.wait_end());
  CHECK(sim.wait_for([&] { return !sim.framework(fid).value().subscribed; }, 2s));
  // The old stream id is useless and the framework is not subscribed.
  CHECK(post_call(urls[1], call_of(Call::REVIVE, fid), content_type::json, old_sid).status == 403);
  session again(urls[1], subscribe_call("lc", fid, {}, 3600));
  CHECK(again.fid == fid);
  CHECK(again.sid != old_sid);
  mesos::v1::MasterInfo info;
  REQUIRE(sim.wait_for([&] {
    for (auto& e : sim.events(fid))
      if (e.event.type() == Event::SUBSCRIBED && e.stream_id == again.sid) {
        info = e.event.subscribed().master_info();
        return true;
      }
    return false;
  }, 2s));
  CHECK(info.port() == static_cast<unsigned>(port_of(urls[1])));
  CHECK(info.id() != first.id());
}

TEST_CASE("restart_master ends streams; frameworks resubscribe and get new stream ids") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  session s(url, subscribe_call("rm", {}, {}, 3600));
  sim.faults().restart_master(0);
  CHECK(s.sub.wait_end());
  REQUIRE(sim.wait_for([&] {
    return post_raw(url, "", {}, scheduler_path, "GET").status == 405;
  }, 5s));
  CHECK(sim.master_urls()[0] == url); // same port
  session again(url, subscribe_call("rm", s.fid, {}, 3600));
  CHECK(again.fid == s.fid);
  CHECK(again.sid != s.sid);
}

TEST_CASE("failover with the same id: the old stream gets ERROR 'Framework failed over' and ends") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  session one(url, subscribe_call("fo", {}, {}, 60));
  REQUIRE(!one.fid.empty());
  session two(url, subscribe_call("fo", one.fid, {}, 60));
  CHECK(two.fid == one.fid);
  CHECK(two.sid != one.sid);
  auto err = one.sub.next(Event::ERROR);
  REQUIRE(err);
  CHECK(err->error().message() == "Framework failed over");
  CHECK(one.sub.wait_end());
  // Only the new stream id is valid now.
  CHECK(post_call(url, call_of(Call::REVIVE, one.fid), content_type::json, one.sid).status == 400);
  CHECK(two.send(call_of(Call::REVIVE, one.fid)).status == 202);
}

TEST_CASE("failover_timeout 0 tears the framework down at disconnect, killing its tasks") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  std::string fid;
  int pid = 0;
  {
    session s(url, subscribe_call("ft0"));
    fid = s.fid;
    auto e = s.sub.next(Event::OFFERS);
    REQUIRE(e);
    REQUIRE(s.send(launch_call(e->offers().offers(0), "t", "sleep 30")).status == 202);
    REQUIRE(sim.wait_for([&] { auto t = sim.task("t"); return t && t->pid > 0; }, 5s));
    pid = sim.task("t")->pid;
  }
  CHECK(sim.wait_for([&] { return !sim.framework(fid); }, 5s));
  CHECK(sim.wait_for([&] { return ::kill(pid, 0) != 0; }, 5s));
}

TEST_CASE("a framework that comes back within failover_timeout keeps its tasks") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  std::string fid;
  {
    session s(url, subscribe_call("ft", {}, {}, 30));
    fid = s.fid;
    auto e = s.sub.next(Event::OFFERS);
    REQUIRE(e);
    REQUIRE(s.send(launch_call(e->offers().offers(0), "keep", "sleep 30")).status == 202);
    REQUIRE(sim.wait_for([&] { auto t = sim.task("keep"); return t && t->pid > 0; }, 5s));
  }
  REQUIRE(sim.wait_for([&] { auto f = sim.framework(fid); return f && !f->subscribed; }, 5s));
  session back(url, subscribe_call("ft", fid, {}, 30));
  CHECK(back.fid == fid);
  auto t = sim.task("keep");
  REQUIRE(t);
  CHECK(t->pid > 0);
  // The unacknowledged updates are resent on the new stream.
  auto u = back.sub.next(Event::UPDATE, 3s);
  REQUIRE(u);
  CHECK(u->update().status().task_id().value() == "keep");
}

namespace {
// Inode of the socket listening on 127.0.0.1:port (from /proc/net/tcp); 0 = none.
unsigned long listening_inode(int port) {
  std::ifstream tcp{"/proc/net/tcp"};
  std::string line;
  std::getline(tcp, line); // header
  char local[64];
  while (std::getline(tcp, line)) {
    unsigned st = 0;
    unsigned long inode = 0;
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (std::sscanf(line.c_str(), " %*s %63s %*s %x %*s %*s %*s %*s %*s %lu", local, &st, &inode) != 3)
      continue;
    auto colon = std::strchr(local, ':');
    if (st == 0x0A && colon && std::strtol(colon + 1, nullptr, 16) == port)
      return inode;
  }
  return 0;
}
} // namespace

TEST_CASE("restart_master and restart_agent keep their listening sockets: the port is never free") {
  // Freed, an ephemeral port can be handed to any outgoing connection of the host, and
  // the master or agent could then not come back on it (seen in bench_chaos).
  auto o = fast_options();
  o.masters = 2;
  o.agents = 1;
  cluster sim(o);
  sim.start();
  auto master_port = port_of(sim.master_urls()[1]);
  auto agent_port = sim.agents()[0].port;
  auto master_socket = listening_inode(master_port);
  auto agent_socket = listening_inode(agent_port);
  REQUIRE(master_socket != 0);
  REQUIRE(agent_socket != 0);
  for (int i = 0; i < 3; ++i) {
    sim.faults().restart_master(1);
    sim.faults().restart_agent(0);
    REQUIRE(sim.wait_for([&] {
      return post_raw(sim.master_urls()[1], "", {}, scheduler_path, "GET").status == 307 &&
             sim.agents()[0].running;
    }, 5s));
    CHECK(listening_inode(master_port) == master_socket);
    CHECK(listening_inode(agent_port) == agent_socket);
  }
}
