#include "chaos/checker.hpp"

#include <functional>

#include <mesos_actor/task_state.hpp>

namespace chaos {

namespace {

using mesos::v1::TaskState;
constexpr std::size_t max_kept_violations = 200;

std::string update_key(const std::string& framework_id, const std::string& uuid) {
  return framework_id + "/" + uuid;
}

std::string describe(const std::string& key, const std::string& task, int state) {
  auto slash = key.find('/');
  return "update " + hex(key.substr(slash + 1)) + " (framework " + key.substr(0, slash) +
         ", task " + task + ", " + state_name(state) + ")";
}

} // namespace

std::string state_name(int state) {
  if (!mesos::v1::TaskState_IsValid(state))
    return "state " + std::to_string(state);
  return mesos::v1::TaskState_Name(static_cast<TaskState>(state));
}

std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

checker::checker(std::chrono::milliseconds retire_after, std::size_t table_slots)
  : retire_after_(retire_after), retired_(table_slots, 0) {}

mesos_actor::sim::trace_observer checker::observer() {
  mesos_actor::sim::trace_observer o;
  o.request = [this](const mesos_actor::sim::request_record& r) { on_request(r); };
  o.event = [this](const mesos_actor::sim::event_record& r) { on_event(r); };
  o.executor_event = [this](const mesos_actor::sim::executor_event_record& r) {
    on_executor_event(r);
  };
  return o;
}

void checker::violation(std::string what) {
  ++violation_count_;
  if (violations_.size() < max_kept_violations)
    violations_.push_back(std::move(what));
}

void checker::on_request(const mesos_actor::sim::request_record& r) {
  using mesos_actor::sim::server_kind;
  if (r.server == server_kind::agent && r.executor_call) {
    const auto& call = *r.executor_call;
    std::lock_guard<std::mutex> lk(mu_);
    if (call.type() == mesos::v1::executor::Call::UPDATE && r.status == 202)
      sent(call.framework_id().value(), call.update().status());
    else if (call.type() == mesos::v1::executor::Call::SUBSCRIBE && r.status == 200)
      for (const auto& u : call.subscribe().unacknowledged_updates())
        sent(call.framework_id().value(), u.status());
    return;
  }
  if (r.server == server_kind::master && r.call &&
      r.call->type() == mesos::v1::scheduler::Call::ACKNOWLEDGE && r.status == 202) {
    auto key = update_key(r.call->framework_id().value(), r.call->acknowledge().uuid());
    auto now = clock_type::now(); // after the master processed it
    std::lock_guard<std::mutex> lk(mu_);
    if (is_retired("u:" + key))
      return;
    auto& u = updates_[key];
    if (!u.acked) {
      u.acked = now;
      ++totals_.acknowledged;
    }
  }
}

void checker::sent(const std::string& framework_id, const mesos::v1::TaskStatus& status) {
  if (status.uuid().size() != 16)
    return;
  auto key = update_key(framework_id, status.uuid());
  if (is_retired("u:" + key))
    return; // an executor resending what was acknowledged long ago: harmless
  auto& u = updates_[key];
  if (u.sent)
    return;
  u.sent = true;
  u.task = status.task_id().value();
  u.state = status.state();
  ++totals_.updates_sent;
}

void checker::on_event(const mesos_actor::sim::event_record& r) {
  if (r.event.type() != mesos::v1::scheduler::Event::UPDATE)
    return;
  const auto& status = r.event.update().status();
  if (status.uuid().size() != 16)
    return;
  auto key = update_key(r.framework_id, status.uuid());
  std::lock_guard<std::mutex> lk(mu_);
  ++totals_.copies_written;
  if (is_retired("u:" + key)) {
    violation("S: the master wrote a copy of " + describe(key, status.task_id().value(), status.state()) +
              " after it was acknowledged and retired");
    return;
  }
  auto& u = updates_[key];
  ++u.writes;
  if (!u.sent && status.source() == mesos::v1::TaskStatus::SOURCE_AGENT) {
    // The agent's own update ("Task launched during agent restart": a LAUNCH lost with
    // the executor's connection). No executor sends it or gets ACKNOWLEDGED for it; it
    // must still reach the scheduler and be acknowledged.
    u.sent = true;
    u.executor_acked = true;
    u.task = status.task_id().value();
    u.state = status.state();
    ++totals_.agent_updates;
  }
  if (u.acked && r.queued > *u.acked) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(r.queued - *u.acked).count();
    violation("S: the master queued a copy of " + describe(key, status.task_id().value(), status.state()) +
              " " + std::to_string(ms) + " ms after its ACKNOWLEDGE was answered 202 (stream " +
              r.stream_id + ")");
  }
}

void checker::on_executor_event(const mesos_actor::sim::executor_event_record& r) {
  using Event = mesos::v1::executor::Event;
  std::lock_guard<std::mutex> lk(mu_);
  auto launched = [&](const mesos::v1::TaskInfo& task) {
    auto key = r.framework_id + "/" + task.task_id().value();
    ++totals_.tasks_launched;
    if (is_retired("t:" + key)) {
      violation("T: task " + key + " launched again after it finished");
      return;
    }
    if (++tasks_[key].launches == 2)
      violation("T: task " + key + " launched twice (executor " + r.executor_id + ")");
  };
  if (r.event.type() == Event::LAUNCH) {
    launched(r.event.launch().task());
  } else if (r.event.type() == Event::LAUNCH_GROUP) {
    for (const auto& t : r.event.launch_group().task_group().tasks())
      launched(t);
  } else if (r.event.type() == Event::ACKNOWLEDGED) {
    auto key = update_key(r.framework_id, r.event.acknowledged().uuid());
    if (!is_retired("u:" + key))
      updates_[key].executor_acked = true;
  }
}

void checker::delivered(const std::string& framework_id, const mesos::v1::TaskStatus& status) {
  auto now = clock_type::now();
  std::lock_guard<std::mutex> lk(mu_);
  int state = status.state();
  if (mesos_actor::is_terminal(status.state())) {
    auto& t = tasks_[framework_id + "/" + status.task_id().value()];
    if (t.terminal_state < 0) {
      t.terminal_state = state;
      t.terminal_at = now;
      if (state == mesos::v1::TASK_FINISHED)
        ++totals_.tasks_finished;
    }
  }
  if (status.uuid().size() != 16)
    return; // master-generated or a reconciliation answer: nothing to acknowledge
  auto key = update_key(framework_id, status.uuid());
  ++totals_.copies_delivered;
  if (is_retired("u:" + key)) {
    violation("D: the behaviour was handed " + describe(key, status.task_id().value(), state) +
              " again long after it was acknowledged (retired)");
    return;
  }
  auto& u = updates_[key];
  ++u.deliveries;
  if (u.acked && now > *u.acked)
    ++totals_.in_flight_after_ack;
  else if (u.deliveries > 1)
    ++totals_.redelivered;
}

bool checker::complete(const update_record& u) const {
  return u.sent && u.deliveries > 0 && u.acked && u.executor_acked;
}

void checker::check_closed(const std::string& key, const update_record& u) {
  if (!u.sent)
    violation("U: " + describe(key, u.task, u.state) + " was written or delivered (" +
              std::to_string(u.writes) + " copies written) but no executor sent it");
  if (u.deliveries > u.writes)
    violation("D: the library handed " + describe(key, u.task, u.state) + " to the behaviour " +
              std::to_string(u.deliveries) + " times but the masters wrote it " +
              std::to_string(u.writes) + " times");
}

void checker::retire() {
  auto now = clock_type::now();
  std::lock_guard<std::mutex> lk(mu_);
  for (auto it = updates_.begin(); it != updates_.end();) {
    auto& u = it->second;
    if (complete(u) && now - *u.acked > retire_after_) {
      check_closed(it->first, u);
      mark_retired("u:" + it->first);
      ++totals_.retired;
      it = updates_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    auto& t = it->second;
    if (t.terminal_at && now - *t.terminal_at > retire_after_) {
      if (t.launches > 0 && t.terminal_state != mesos::v1::TASK_FINISHED)
        violation("T: task " + it->first + " lost: launched, ended " + state_name(t.terminal_state));
      if (t.launches > 0)
        mark_retired("t:" + it->first);
      it = tasks_.erase(it);
    } else {
      ++it;
    }
  }
}

bool checker::settled() const {
  std::lock_guard<std::mutex> lk(mu_);
  // Every record seen at all, not only those known as sent: the simulator reports a
  // request (UPDATE 202, ACKNOWLEDGE 202) after acting on it, so an update can be
  // written, delivered and dropped from the simulator's unacknowledged list before the
  // checker has heard of its UPDATE or its ACKNOWLEDGE.
  for (const auto& [key, u] : updates_)
    if ((u.sent || u.writes > 0 || u.deliveries > 0) && !complete(u))
      return false;
  for (const auto& [key, t] : tasks_)
    if (t.launches > 0 && t.terminal_state < 0)
      return false;
  return true;
}

void checker::finish(std::vector<std::string>& out) {
  std::lock_guard<std::mutex> lk(mu_);
  for (const auto& [key, u] : updates_) {
    if (u.sent) {
      if (u.deliveries == 0)
        violation("U1: " + describe(key, u.task, u.state) + " never reached the scheduler (" +
                  std::to_string(u.writes) + " copies written)");
      if (!u.acked)
        violation("U2: " + describe(key, u.task, u.state) + " never acknowledged (delivered " +
                  std::to_string(u.deliveries) + " times)");
      else if (!u.executor_acked)
        violation("U2: " + describe(key, u.task, u.state) +
                  " acknowledged at the master but its executor never got ACKNOWLEDGED");
    }
    if (u.sent || u.writes > 0 || u.deliveries > 0)
      check_closed(key, u);
  }
  for (const auto& [key, t] : tasks_) {
    if (t.launches == 0)
      continue;
    if (t.terminal_state < 0)
      violation("T: task " + key + " lost: launched, no terminal state reached the scheduler");
    else if (t.terminal_state != mesos::v1::TASK_FINISHED)
      violation("T: task " + key + " lost: launched, ended " + state_name(t.terminal_state));
  }
  if (retired_count_ * 10 > retired_.size() * 7)
    violation("(checker) the retired-hash table filled up; late duplicates may go unseen");
  out.insert(out.end(), violations_.begin(), violations_.end());
  if (violation_count_ > violations_.size())
    out.push_back("... and " + std::to_string(violation_count_ - violations_.size()) + " more");
}

checker_totals checker::totals() const {
  std::lock_guard<std::mutex> lk(mu_);
  return totals_;
}

std::size_t checker::violation_count() const {
  std::lock_guard<std::mutex> lk(mu_);
  return violation_count_;
}

std::pair<std::size_t, std::size_t> checker::open_records() const {
  std::lock_guard<std::mutex> lk(mu_);
  return {updates_.size(), tasks_.size()};
}

double checker::held_kib() const {
  // A string's body is on the heap beyond the 15 characters kept inline; a map node
  // holds its value, the next link and the cached hash.
  auto body = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  constexpr std::size_t node_links = 2 * sizeof(void*);
  std::lock_guard<std::mutex> lk(mu_);
  std::size_t bytes = retired_.capacity() * sizeof(std::uint64_t) +
                      (updates_.bucket_count() + tasks_.bucket_count()) * sizeof(void*) +
                      violations_.capacity() * sizeof(std::string);
  for (const auto& [key, u] : updates_)
    bytes += sizeof(std::pair<const std::string, update_record>) + node_links + body(key) + body(u.task);
  for (const auto& [key, t] : tasks_)
    bytes += sizeof(std::pair<const std::string, task_record>) + node_links + body(key);
  for (const auto& v : violations_)
    bytes += body(v);
  return static_cast<double>(bytes) / 1024.0;
}

bool checker::is_retired(const std::string& key) const {
  auto h = std::hash<std::string>{}(key) | 1u;
  auto mask = retired_.size() - 1;
  for (auto i = h & mask;; i = (i + 1) & mask) {
    if (retired_[i] == 0)
      return false;
    if (retired_[i] == h)
      return true;
  }
}

void checker::mark_retired(const std::string& key) {
  if (retired_count_ * 10 > retired_.size() * 7)
    return; // full: finish() reports it
  auto h = std::hash<std::string>{}(key) | 1u;
  auto mask = retired_.size() - 1;
  for (auto i = h & mask;; i = (i + 1) & mask) {
    if (retired_[i] == h)
      return;
    if (retired_[i] == 0) {
      retired_[i] = h;
      ++retired_count_;
      return;
    }
  }
}

} // namespace chaos
