// The standalone simulator's control endpoint: every fault_injector call over HTTP
// (POST /sim/faults/<fault>?args) and a plain-text state summary (GET /sim/state).
#include "cluster_impl.hpp"

#include <sstream>

namespace mesos_actor::sim {

namespace {

using args = std::map<std::string, std::string>;

args query_of(const httplib::Request& req) {
  args out;
  auto q = req.target.find('?');
  if (q == std::string::npos)
    return out;
  std::stringstream ss(req.target.substr(q + 1));
  std::string kv;
  while (std::getline(ss, kv, '&')) {
    auto eq = kv.find('=');
    out[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  return out;
}

std::size_t number(const args& a, const std::string& key) {
  auto it = a.find(key);
  if (it == a.end())
    throw std::invalid_argument("missing argument '" + key + "'");
  return std::stoul(it->second);
}

std::string text(const args& a, const std::string& key) {
  auto it = a.find(key);
  return it == a.end() ? std::string{} : it->second;
}

using fault_fn = std::function<void(fault_injector&, const args&)>;

const std::map<std::string, fault_fn>& faults_table() {
  static const std::map<std::string, fault_fn> table = {
    {"close_stream", [](fault_injector& f, const args& a) {
       f.close_stream(text(a, "framework"),
                      text(a, "mode") == "abrupt" ? close_mode::abrupt : close_mode::clean);
     }},
    {"pause_stream", [](fault_injector& f, const args& a) { f.pause_stream(text(a, "framework")); }},
    {"resume_stream", [](fault_injector& f, const args& a) { f.resume_stream(text(a, "framework")); }},
    {"chunking", [](fault_injector& f, const args& a) {
       f.set_chunking(text(a, "framework"),
                      text(a, "mode") == "byte" ? chunking::byte_per_chunk : chunking::per_record);
     }},
    {"split_next_record", [](fault_injector& f, const args& a) {
       std::vector<std::size_t> offsets;
       std::stringstream ss(text(a, "offsets"));
       std::string o;
       while (std::getline(ss, o, ','))
         offsets.push_back(std::stoul(o));
       f.split_next_record(text(a, "framework"), offsets);
     }},
    {"corrupt_next_record", [](fault_injector& f, const args& a) { f.corrupt_next_record(text(a, "framework")); }},
    {"oversized_length", [](fault_injector& f, const args& a) { f.send_oversized_length(text(a, "framework")); }},
    {"delay_responses", [](fault_injector& f, const args& a) {
       f.delay_responses(std::chrono::milliseconds(number(a, "ms")));
     }},
    {"fail_next_calls", [](fault_injector& f, const args& a) {
       f.fail_next_calls(number(a, "n"), static_cast<int>(number(a, "status")));
     }},
    {"rescind_offers", [](fault_injector& f, const args& a) { f.rescind_offers(text(a, "framework")); }},
    {"kill_agent", [](fault_injector& f, const args& a) { f.kill_agent(number(a, "agent")); }},
    {"restart_agent", [](fault_injector& f, const args& a) { f.restart_agent(number(a, "agent")); }},
    {"set_leader", [](fault_injector& f, const args& a) { f.set_leader(number(a, "master")); }},
    {"no_leader", [](fault_injector& f, const args&) { f.no_leader(); }},
    {"restart_master", [](fault_injector& f, const args& a) { f.restart_master(number(a, "master")); }},
  };
  return table;
}

} // namespace

void cluster::impl::setup_control_routes(http_routes& routes) {
  for (const auto& [name, fn] : faults_table()) {
    routes.handle("/sim/faults/" + name, [this, fn = fn](const httplib::Request& req,
                                                         httplib::Response& res) {
      if (req.method != "POST") {
        res.status = 405;
        return;
      }
      // Applied by the timer thread: a fault such as restart_master stops the very
      // server this handler runs on, which must not wait for its own request.
      auto a = query_of(req);
      run_soon([this, fn, a, target = req.target] {
        try {
          fn(owner_->faults(), a);
        } catch (const std::exception& e) {
          log("control " + target + " failed: " + e.what());
        }
      });
      res.status = 202;
    });
  }
  routes.handle("/sim/state", [this](const httplib::Request&, httplib::Response& res) {
    std::ostringstream os;
    auto leader = owner_->leader();
    os << "leader: " << (leader ? std::to_string(*leader) : std::string("none")) << "\n";
    for (const auto& a : owner_->agents())
      os << "agent " << a.id << " port " << a.port << (a.running ? " running" : " down") << "\n";
    for (const auto& f : owner_->frameworks())
      os << "framework " << f.id << " '" << f.info.name() << "' "
         << (f.subscribed ? "subscribed stream " + f.stream_id : std::string("disconnected")) << "\n";
    for (const auto& t : owner_->tasks())
      os << "task " << t.task_id << " of " << t.framework_id << " "
         << mesos::v1::TaskState_Name(t.state) << "\n";
    os << "offers outstanding: " << owner_->offers().size() << "\n";
    res.set_content(os.str(), "text/plain");
  });
}

} // namespace mesos_actor::sim
