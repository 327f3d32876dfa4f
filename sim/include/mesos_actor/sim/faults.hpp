#pragma once
// Fault injection. Faults that target a subscription take a framework id; an empty
// id means "every open subscription" (on the leading master).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mesos_actor::sim {

/// How a stream ends.
enum class close_mode {
  clean,  ///< terminating zero-length chunk, then the connection closes
  abrupt, ///< the socket closes in the middle of a chunk (and of a record)
};

/// How a stream's records are cut into HTTP chunks.
enum class chunking {
  per_record,     ///< one chunk per record (what Mesos usually does)
  byte_per_chunk, ///< every byte in its own chunk
};

class cluster;

/// Handle returned by cluster::faults(); every call takes effect at once and is
/// thread-safe.
class fault_injector {
public:
  /// Faults for cluster `c` (use cluster::faults()).
  explicit fault_injector(cluster& c) : cluster_(c) {}

  // --- subscription streams -------------------------------------------------
  /// Ends the framework's subscription stream, cleanly or abruptly.
  void close_stream(const std::string& framework_id, close_mode mode);
  /// Stops all events (heartbeats included) while the connection stays open: a
  /// silent partition. resume_stream delivers what was held back.
  void pause_stream(const std::string& framework_id);
  /// Ends a pause_stream and delivers the held-back events.
  void resume_stream(const std::string& framework_id);
  /// How the framework's stream is cut into HTTP chunks from now on.
  void set_chunking(const std::string& framework_id, chunking mode);
  /// The next record is written in pieces cut at these byte offsets of the framed
  /// record ("<len>\n<payload>"), each piece its own chunk.
  void split_next_record(const std::string& framework_id, std::vector<std::size_t> offsets);
  /// The next record's payload is garbled (same length, so framing stays intact).
  void corrupt_next_record(const std::string& framework_id);
  /// Writes a length prefix larger than any sane limit (20 digits) and then nothing.
  void send_oversized_length(const std::string& framework_id);

  // --- HTTP responses -------------------------------------------------------
  /// Every master response (streams: their headers) is delayed by `d` (0 = off).
  void delay_responses(std::chrono::milliseconds d);
  /// The next `n` scheduler calls, on any master, are answered with `status`
  /// (503, 500 or 401; 401 carries the WWW-Authenticate header).
  void fail_next_calls(std::size_t n, int status);

  // --- cluster ----------------------------------------------------------------
  /// Rescinds every outstanding offer of the framework (empty = of all frameworks).
  void rescind_offers(const std::string& framework_id = {});
  /// The agent disappears: its server stops, its task processes are killed,
  /// frameworks get FAILURE + TASK_LOST/TASK_UNREACHABLE, its offers are rescinded.
  void kill_agent(std::size_t agent);
  /// The agent goes away and comes back on the same port. With checkpointing
  /// (cluster_options::agent_checkpoint) its tasks keep running; without, they are
  /// killed and reported TASK_GONE (partition-aware) / TASK_LOST with
  /// REASON_AGENT_RESTARTED.
  void restart_agent(std::size_t agent);
  /// Makes `master` the leader (streams on the old leader close; frameworks must
  /// subscribe again on the new leader).
  void set_leader(std::size_t master);
  /// No master leads: every master answers 503.
  void no_leader();
  /// The master restarts on the same port: streams close, subscriptions and failover
  /// timers are forgotten, frameworks must subscribe again (and get new stream ids).
  void restart_master(std::size_t master);

private:
  cluster& cluster_;
};

} // namespace mesos_actor::sim
