#include "fleet/read_batch.hpp"

#include <deque>
#include <mutex>
#include <utility>

namespace mesos_actor::fleet {

struct read_batch::state {
  struct answer {
    int watch_rc = ZOK; ///< of the exists watch, if any
    int rc = ZOPERATIONTIMEOUT;
    std::string data;
    bool done = false;
  };
  std::mutex mu;
  std::deque<answer> answers; // a deque: completions hold pointers into it
  std::size_t pending = 0;
  std::function<void()> done; // set by then(); run (and cleared) by the last answer
};

namespace {

// One completion's context: keeps the batch alive and names its answer.
struct request {
  std::shared_ptr<read_batch::state> batch;
  read_batch::state::answer* slot;
};

// Called with the lock held, by an answer that settled its slot: the last one takes
// the batch's `done` (run after the lock is released).
std::function<void()> last_answer(read_batch::state& b) {
  if (--b.pending == 0)
    return std::move(b.done);
  return {};
}

void run(const std::function<void()>& done) {
  if (done)
    done();
}

void watch_done(int rc, const Stat*, const void* data) {
  std::unique_ptr<const request> req{static_cast<const request*>(data)};
  std::lock_guard<std::mutex> g{req->batch->mu};
  req->slot->watch_rc = rc;
}

void get_done(int rc, const char* value, int len, const Stat*, const void* data) {
  std::unique_ptr<const request> req{static_cast<const request*>(data)};
  auto& b = *req->batch;
  std::function<void()> done;
  {
    std::lock_guard<std::mutex> g{b.mu};
    auto& a = *req->slot;
    // A failed watch (not a missing node) makes the read a failure: no watch is set.
    a.rc = a.watch_rc != ZOK && a.watch_rc != ZNONODE ? a.watch_rc : rc;
    if (rc == ZOK && value != nullptr && len > 0)
      a.data.assign(value, static_cast<std::size_t>(len));
    a.done = true;
    done = last_answer(b);
  }
  run(done);
}

void create_done(int rc, const char*, const void* data) {
  std::unique_ptr<const request> req{static_cast<const request*>(data)};
  auto& b = *req->batch;
  std::function<void()> done;
  {
    std::lock_guard<std::mutex> g{b.mu};
    req->slot->rc = rc;
    req->slot->done = true;
    done = last_answer(b);
  }
  run(done);
}

} // namespace

read_batch::read_batch(zhandle_t* zh, watcher_fn watcher, void* watcher_ctx)
    : zh_(zh), watcher_(watcher), watcher_ctx_(watcher_ctx), state_(std::make_shared<state>()) {}

namespace {

// A new answer slot and its index; a null slot (failed already) when there is no session.
std::pair<std::size_t, read_batch::state::answer*> add_slot(read_batch::state& s, zhandle_t* zh) {
  std::lock_guard<std::mutex> g{s.mu};
  auto& slot = s.answers.emplace_back();
  auto index = s.answers.size() - 1;
  if (zh == nullptr) {
    slot.rc = ZINVALIDSTATE;
    slot.done = true;
    return {index, nullptr};
  }
  ++s.pending;
  return {index, &slot};
}

// After an asynchronous call: one the client refused (rc) fails its slot at once, since
// no completion will come. Returns whether it was sent.
bool settle(read_batch::state& s, read_batch::state::answer& slot, int rc, request* r) {
  if (rc == ZOK)
    return true;
  delete r;
  std::lock_guard<std::mutex> g{s.mu};
  slot.rc = rc;
  slot.done = true;
  --s.pending;
  return false;
}

} // namespace

// The lock is not held while sending: the client may run a completion before returning.
std::size_t read_batch::get(const std::string& path, bool watch) {
  auto [index, slot] = add_slot(*state_, zh_);
  if (slot == nullptr)
    return index;
  if (watch) {
    auto* w = new request{state_, slot};
    if (zoo_awexists(zh_, path.c_str(), watcher_, watcher_ctx_, watch_done, w) != ZOK)
      delete w; // the get below fails the same way
    else
      ++sent_;
  }
  auto* r = new request{state_, slot};
  sent_ += settle(*state_, *slot, zoo_aget(zh_, path.c_str(), 0, get_done, r), r);
  return index;
}

std::size_t read_batch::create(const std::string& path, const std::string& value,
                               const ACL_vector* acl, int flags) {
  auto [index, slot] = add_slot(*state_, zh_);
  if (slot == nullptr)
    return index;
  auto* r = new request{state_, slot};
  int rc = zoo_acreate(zh_, path.c_str(), value.data(), static_cast<int>(value.size()), acl, flags,
                       create_done, r);
  sent_ += settle(*state_, *slot, rc, r);
  return index;
}

void read_batch::then(std::function<void(const read_batch&)> done) {
  // The copy of this batch in `done` shares the state: a cycle, broken when it runs.
  std::function<void()> run_done = [batch = *this, done = std::move(done)] { done(batch); };
  {
    std::lock_guard<std::mutex> g{state_->mu};
    if (state_->pending > 0) {
      state_->done = std::move(run_done);
      return;
    }
  }
  run_done();
}

int read_batch::rc(std::size_t index) const {
  std::lock_guard<std::mutex> g{state_->mu};
  const auto& a = state_->answers[index];
  return a.done ? a.rc : ZOPERATIONTIMEOUT;
}

const std::string& read_batch::data(std::size_t index) const {
  std::lock_guard<std::mutex> g{state_->mu};
  return state_->answers[index].data;
}

} // namespace mesos_actor::fleet
