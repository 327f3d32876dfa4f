#pragma once
// The invariants of bench_chaos, fed from two sides: the simulator's trace observer
// (what executors sent, what the masters wrote and were acknowledged, what executors
// were told) and the frameworks' own records (what each behaviour was handed).
//
// Memory stays bounded over a long run: a status update whose story is complete
// (sent, delivered, acknowledged at the master and to the executor) is checked and
// retired after `retire_after`, leaving only a 64-bit hash in a fixed-size table, so
// a late copy of it is still caught. Finished tasks are retired the same way.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <mesos/v1/mesos.pb.h>

#include <mesos_actor/sim/trace.hpp>

namespace chaos {

using clock_type = std::chrono::steady_clock;

/// What the checker counted; printed at the end.
struct checker_totals {
  std::uint64_t updates_sent = 0;        ///< distinct uuids executors sent (UPDATE 202 / SUBSCRIBE)
  std::uint64_t agent_updates = 0;       ///< distinct uuids agents made (SOURCE_AGENT, e.g. LOST)
  std::uint64_t copies_written = 0;      ///< UPDATE events with a uuid the masters wrote
  std::uint64_t copies_delivered = 0;    ///< UPDATEs with a uuid handed to behaviours
  std::uint64_t redelivered = 0;         ///< deliveries beyond the first, before the ack
  std::uint64_t in_flight_after_ack = 0; ///< deliveries after the ack, of copies queued before it
  std::uint64_t acknowledged = 0;        ///< uuids whose ACKNOWLEDGE a master answered 202
  std::uint64_t tasks_launched = 0;      ///< LAUNCH events executors got
  std::uint64_t tasks_finished = 0;      ///< TASK_FINISHED delivered to the scheduler
  std::uint64_t retired = 0;             ///< records checked and retired during the run
};

class checker {
public:
  /// `retire_after`: age of a complete record (since its acknowledgement) before it is
  /// retired; `table_slots`: size of the retired-hash table (power of two).
  checker(std::chrono::milliseconds retire_after, std::size_t table_slots);

  /// The simulator's trace observer feeding this checker.
  mesos_actor::sim::trace_observer observer();

  /// A behaviour of framework `framework_id` was handed `status` (from an UPDATE event).
  void delivered(const std::string& framework_id, const mesos::v1::TaskStatus& status);

  /// Checks and retires complete records older than retire_after (call now and then).
  void retire();

  /// Final check after the drain: every open record must be complete. Appends the
  /// violations found (also those seen during the run).
  void finish(std::vector<std::string>& violations);

  /// True when nothing is still open: every sent update delivered and acknowledged at
  /// the master and to the executor, and every launched task finished.
  bool settled() const;
  /// Counts so far.
  checker_totals totals() const;
  /// Violations seen so far (at most a few hundred kept; `violation_count` counts all).
  std::size_t violation_count() const;
  /// Records still open (updates, tasks), for the progress lines.
  std::pair<std::size_t, std::size_t> open_records() const;
  /// What the checker holds on the heap, in KiB (an estimate from its containers and
  /// strings, the retired-hash table included), so the run's memory trend can be read
  /// without it.
  double held_kib() const;

private:
  struct update_record {
    std::string task;
    int state = -1;                 ///< TaskState the executor sent
    bool sent = false;              ///< an executor sent it (accepted by the agent), or an agent made it
    std::uint32_t writes = 0;       ///< copies the masters wrote
    std::uint32_t deliveries = 0;   ///< copies handed to the behaviour
    std::optional<clock_type::time_point> acked;  ///< first ACKNOWLEDGE answered 202
    bool executor_acked = false;    ///< ACKNOWLEDGED written to the executor
  };
  struct task_record {
    std::uint32_t launches = 0;     ///< LAUNCH events written to executors
    int terminal_state = -1;        ///< first terminal state delivered to the scheduler
    std::optional<clock_type::time_point> terminal_at;
  };

  void violation(std::string what);
  void on_request(const mesos_actor::sim::request_record& r);
  void on_event(const mesos_actor::sim::event_record& r);
  void on_executor_event(const mesos_actor::sim::executor_event_record& r);
  void sent(const std::string& framework_id, const mesos::v1::TaskStatus& status);
  bool complete(const update_record& u) const;
  void check_closed(const std::string& key, const update_record& u);

  bool is_retired(const std::string& key) const;
  void mark_retired(const std::string& key);

  const std::chrono::milliseconds retire_after_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, update_record> updates_; ///< "<framework>/<uuid bytes>"
  std::unordered_map<std::string, task_record> tasks_;     ///< "<framework>/<task id>"
  std::vector<std::uint64_t> retired_;                     ///< open addressing, 0 = empty
  std::size_t retired_count_ = 0;
  std::vector<std::string> violations_;
  std::size_t violation_count_ = 0;
  checker_totals totals_;
};

/// "TASK_FINISHED" for a TaskState number.
std::string state_name(int state);
/// Hex of a uuid's bytes (for messages).
std::string hex(const std::string& bytes);

} // namespace chaos
