#include "conformance/real_cluster.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "support/child_process.hpp"
#include "conformance/wire_client.hpp"

#ifndef MESOS_ACTOR_CONFORMANCE_DIR
#error "MESOS_ACTOR_CONFORMANCE_DIR (tests/conformance) must be defined"
#endif

namespace conformance {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// KEY=value from cluster.env (values without quotes there).
std::string read_env_value(const std::string& file, const std::string& key) {
  std::ifstream in{file};
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key + "=", 0) == 0)
      return line.substr(key.size() + 1);
  throw std::runtime_error(file + ": no " + key);
}

} // namespace

std::optional<std::string> real_cluster::unavailable() {
  if (env_or("MESOS_BUILD_DIR", "").empty())
    return "MESOS_BUILD_DIR is not set (it names an existing Mesos build; see tests/conformance/README)";
  return std::nullopt;
}

real_cluster::real_cluster(const std::string& name) {
  auto base = env_or("MESOS_CONFORMANCE_BASE", "");
  if (base.empty()) {
    std::string tmpl = env_or("TMPDIR", "/tmp") + "/mesos-conformance.XXXXXX";
    if (!::mkdtemp(tmpl.data()))
      throw std::runtime_error("mkdtemp failed in " + env_or("TMPDIR", "/tmp"));
    base_ = base = tmpl;
  }
  static int counter = 0;
  dir_ = base + "/" + name + "-" + std::to_string(++counter);
  try {
    script("start");
    master_ = read_env_value(dir_ + "/cluster.env", "MASTER");
    agent_ = read_env_value(dir_ + "/cluster.env", "AGENT");
  } catch (...) {
    if (!base_.empty())
      ::rmdir(base_.c_str());
    throw;
  }
}

real_cluster::~real_cluster() {
  try {
    script("stop");
  } catch (...) {
    // run.sh's trap stops what is left under the base directory
  }
  if (!base_.empty())
    ::rmdir(base_.c_str());
}

void real_cluster::script(const std::string& command) const {
  std::string path = std::string{MESOS_ACTOR_CONFORMANCE_DIR} + "/mesos-cluster.sh";
  testkit::child_process p{{path, command, dir_}, testkit::child_output{"", true, true}};
  auto out = p.read_all(std::chrono::seconds(150));
  auto status = p.wait(std::chrono::seconds(30));
  if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0)
    throw std::runtime_error("mesos-cluster.sh " + command + " " + dir_ + " failed: " + out);
}

void real_cluster::stop_master() { script("stop-master"); }
void real_cluster::start_master() { script("start-master"); }
void real_cluster::stop_agent() { script("stop-agent"); }
void real_cluster::start_agent() { script("start-agent"); }

std::string real_cluster::get(const std::string& path) const {
  http_request req;
  req.method = "GET";
  req.path = path;
  auto a = send_request(master_, req);
  if (a.status != 200)
    throw std::runtime_error("GET " + path + ": " + std::to_string(a.status));
  return a.body;
}

int real_cluster::active_frameworks() const {
  google::protobuf::Struct doc;
  auto st = google::protobuf::util::JsonStringToMessage(get("/master/frameworks"), &doc);
  if (!st.ok())
    throw std::runtime_error("/master/frameworks: not JSON");
  auto it = doc.fields().find("frameworks");
  return it == doc.fields().end() ? 0 : it->second.list_value().values_size();
}

} // namespace conformance
