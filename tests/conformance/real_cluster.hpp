#pragma once
// A real Mesos master and agent for one test case, through mesos-cluster.sh: started
// in a directory of their own (under $MESOS_CONFORMANCE_BASE, else $TMPDIR), stopped
// and removed by the destructor, whatever the test's outcome.

#include <chrono>
#include <optional>
#include <string>

namespace conformance {

class real_cluster {
public:
  /// Why no real cluster can be started here (MESOS_BUILD_DIR unset), or nullopt.
  static std::optional<std::string> unavailable();

  /// Starts master and agent (returns once the agent is active). Throws
  /// std::runtime_error with the script's output when that fails.
  explicit real_cluster(const std::string& name);
  ~real_cluster();
  real_cluster(const real_cluster&) = delete;
  real_cluster& operator=(const real_cluster&) = delete;

  /// "127.0.0.1:PORT" of the master / the agent.
  const std::string& master() const { return master_; }
  const std::string& agent() const { return agent_; }
  /// The cluster's directory (work dirs, logs).
  const std::string& dir() const { return dir_; }

  /// SIGKILL to the master; start_master() brings it back on the same port (in-memory
  /// registry: empty; the agent re-registers).
  void stop_master();
  void start_master();
  /// SIGKILL to the agent alone (its executors live on); start_agent() recovers them and
  /// returns once the agent is active again.
  void stop_agent();
  void start_agent();

  /// GET http://<master><path>: the body; throws unless 200.
  std::string get(const std::string& path) const;
  /// Number of frameworks the master lists as active (registered, connected or not).
  int active_frameworks() const;

private:
  void script(const std::string& command) const;

  std::string base_;  // our own temp dir when $MESOS_CONFORMANCE_BASE is unset
  std::string dir_;
  std::string master_;
  std::string agent_;
};

} // namespace conformance
