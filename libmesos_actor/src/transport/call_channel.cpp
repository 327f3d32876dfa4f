#include "transport/call_channel.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <optional>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/after.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "mesos_actor/message_types.hpp"
#include "transport/call_door.hpp"
#include "transport/exit_reason.hpp"
#include "transport/http_connection.hpp"

namespace mesos_actor::transport {

namespace {

using clock = http_connection::clock;

// The channel's actor. A non-normal exit signal cancels the exchanges in flight at once
// (enqueue runs on the sender's thread) and ends the channel with that reason, with no
// call_result for the calls it cut short or had not sent (a linked owner sees the exit);
// its owner's normal exit arrives after the calls the owner sent before it, so those
// still go out, and then ends the channel too.
//
// One thread does the rest (the owner's writes through the door aside): it writes the
// waiting calls (up to max_pipelined unanswered), then reads the oldest answer. A
// call_request that arrives during that read signals wake_ (see enqueue), which ends the
// wait so the call is written at once; the read then resumes with the same parser.
//
// While it sleeps (idle, or reading with room for more calls) it opens its door, if it
// has one: the owner may then write calls itself (call_door.hpp). It closes the door
// and takes those calls as soon as it wakes, before anything else.
class call_channel_actor : public caf::blocking_actor {
public:
  call_channel_actor(caf::actor_config& actor_cfg, caf::actor owner, call_channel_config cfg,
                     std::shared_ptr<call_door> door)
    : caf::blocking_actor(actor_cfg), owner_(std::move(owner)), cfg_(std::move(cfg)),
      depth_(std::max<std::size_t>(cfg_.max_pipelined, 1)), door_(std::move(door)) {
  }

  void enqueue(caf::mailbox_element_ptr x, caf::execution_unit* host) override {
    if (x && x->content().match_elements<caf::exit_msg>()
        && x->content().get_as<caf::exit_msg>(0).reason)
      cancel_->cancel();
    caf::blocking_actor::enqueue(std::move(x), host);
    // Only while the channel reads with room for more calls: one syscall, not one per call.
    if (armed_.exchange(false))
      wake_->signal();
  }

  void act() override {
    conn_ = std::make_unique<http_connection>(cfg_.http, cancel_); // TLS set-up; Authorization
    conn_->set_wake(wake_);
    conn_->set_before_wait([this] { flush_results(); });
    // A forward proxy (requests in absolute form) parses each request itself, and not
    // every proxy keeps pipelined requests: one call at a time through it. A CONNECT
    // tunnel passes the bytes through to the master, which does.
    if (conn_->absolute_form())
      depth_ = 1;
    bool idle = false;
    auto on_request = [&](call_request& req) { waiting_.push_back(std::move(req)); };
    auto on_requests = [&](call_requests& reqs) {
      for (auto& req : reqs)
        waiting_.push_back(std::move(req));
    };
    auto on_stop = [&](stop_atom) { closing_ = true; };
    auto on_door_used = [&](door_used_atom) {}; // take_door() follows every wake-up
    auto on_exit = [&](caf::exit_msg& m) {
      if (m.reason) {
        fail_state(linkable_exit_reason(m.reason)); // linked actors see why it ended
        ended_ = true;
      } else if (m.source == owner_.address()) {
        closing_ = true;
      }
    };
    caf::behavior poll{on_request, on_requests, on_stop, on_exit, on_door_used,
                       caf::after(std::chrono::seconds(0)) >> [&] { idle = true; }};
    caf::behavior block{on_request, on_requests, on_stop, on_exit, on_door_used};
    // Takes what the mailbox holds, without waiting; true when anything came.
    auto drain = [&] {
      bool got = false;
      while (!closing_ && !ended_ && !mailbox().empty()) {
        idle = false;
        receive(poll);
        if (idle)
          break;
        got = true;
      }
      return got;
    };
    while (!ended_) {
      if (!closing_ && waiting_.empty() && sent_.empty()) {
        flush_results();
        open_door(true);
        receive(block);
        take_door();
      }
      drain();
      if (ended_)
        break;
      if (!tail_.empty())
        write_tail();
      if (waiting_.empty() && sent_.empty()) {
        if (closing_)
          break;
        continue;
      }
      // Answers already received are taken first (no system call), so the calls that
      // arrive meanwhile leave together in one write once none is left.
      if (sent_.empty() || !conn_->has_unread())
        send_some();
      if (sent_.empty())
        continue;
      // With room for more calls, a call arriving now ends the read's wait (enqueue),
      // so it goes out at once; one that came before the arming is taken here.
      bool wakeable = !closing_ && sent_.size() < depth_;
      if (wakeable) {
        armed_.store(true);
        if (drain()) {
          disarm();
          continue;
        }
      }
      read_one(wakeable);
      if (wakeable)
        disarm();
    }
    if (door_)
      door_->retire();
    flush_results();
  }

private:
  struct sent_call {
    std::uint64_t call_id;
    clock::time_point deadline;  // from its write to the end of its answer
  };

  // Before a sleep: the owner may write calls itself, while the connection is open,
  // plain and not proxied (absolute form), with room for them, and no call of ours
  // waits to be written (it must go first).
  void open_door(bool idle) {
    if (!door_ || closing_ || ended_ || !waiting_.empty() || !tail_.empty()
        || sent_.size() >= depth_ || cancel_->cancelled() || !conn_->is_open() || !conn_->plain()
        || conn_->absolute_form())
      return;
    call_door::room r;
    r.conn = conn_.get();
    r.target = &cfg_.http.target;
    r.encoding = cfg_.http.encoding;
    r.read_timeout = cfg_.http.read_timeout;
    r.calls = depth_ - sent_.size();
    r.idle = idle;
    door_->open(r, [this] { return mailbox().empty(); });
  }

  // After a sleep: what the owner wrote is on the wire behind every call sent before.
  void take_door() {
    if (!door_)
      return;
    auto w = door_->close();
    for (auto& c : w.calls)
      sent_.push_back(sent_call{c.call_id, c.deadline});
    tail_ = std::move(w.tail);
  }

  // The rest of a call the owner's write left unfinished: it goes before anything else.
  void write_tail() {
    auto tail = std::move(tail_);
    tail_.clear();
    if (auto f = conn_->write(tail, sent_.back().deadline))
      fail_sent(*f);
  }

  void disarm() {
    if (!armed_.exchange(false))
      wake_->clear(); // a sender disarmed it and signalled
  }

  // Outcomes wait in ready_ until the thread would block (flush_results), so a burst
  // of answers read at once reaches the owner as one message.
  void report(call_result r) {
    ready_.push_back(std::move(r));
  }

  void flush_results() {
    if (ready_.empty())
      return;
    // After an exit signal cut them short, the owner learns of it from the exit.
    if (cancel_->cancelled()) {
      ready_.clear();
    } else if (ready_.size() == 1) {
      caf::anon_send(owner_, std::move(ready_.front()));
      ready_.clear();
    } else {
      caf::anon_send(owner_, std::move(ready_));
      ready_ = call_results{};
    }
  }

  call_result result_for(std::uint64_t call_id) const {
    call_result out;
    out.generation = cfg_.generation;
    out.call_id = call_id;
    return out;
  }

  // The first `n` waiting calls fail with `f` before any byte of theirs was written.
  void fail_waiting(std::size_t n, const io_failure& f) {
    for (std::size_t i = 0; i < n && !waiting_.empty(); ++i) {
      auto r = result_for(waiting_.front().call_id);
      r.transport_error = f.text;
      r.timed_out = f.timed_out();
      waiting_.pop_front();
      report(std::move(r));
    }
  }

  // The connection is gone: every call written and not answered fails, in order. The
  // first one's error is what happened; those behind it were cut short with it. None is
  // resent: each may or may not have reached the peer.
  void fail_sent(const io_failure& f) {
    conn_->close();
    tail_.clear();
    parser_.reset();
    body_.clear();
    bool first = true;
    for (auto& s : sent_) {
      auto r = result_for(s.call_id);
      r.transport_error = first ? f.text
                                : f.text + " (the connection ended while this call, sent behind an "
                                           "earlier one, was unanswered)";
      r.timed_out = first && f.timed_out();
      first = false;
      report(std::move(r));
    }
    sent_.clear();
  }

  // Writes the waiting calls that fit (max_pipelined unanswered), in one write.
  //
  // A call is never sent twice if it may have reached the peer. So a connection is
  // replaced without a word only before any byte of the requests left this host: when
  // the idle connection is seen closed (or holding bytes nobody asked for) before the
  // write, or when the kernel took nothing of them on a reused idle connection. Once a
  // byte of a call was written, every failure is that call's transport error; calls
  // whose first byte was not written stay queued for the next connection.
  void send_some() {
    if (waiting_.empty() || sent_.size() >= depth_)
      return;
    auto n = std::min(waiting_.size(), depth_ - sent_.size());
    bool reused = conn_->is_open();
    if (reused && sent_.empty() && !conn_->idle_and_usable()) {
      conn_->close();
      reused = false;
    }
    if (auto f = conn_->open())
      return fail_waiting(n, *f);
    const auto& headers = conn_->headers();
    std::string bytes;
    std::vector<std::size_t> starts;
    starts.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      starts.push_back(bytes.size());
      append_call(bytes, waiting_[i], cfg_.http.target, cfg_.http.encoding, headers,
                  conn_->absolute_form());
    }
    // Each exchange has one deadline: a peer dribbling bytes cannot stretch it.
    auto deadline = clock::now() + cfg_.http.read_timeout;
    bool was_idle = sent_.empty();
    auto written = conn_->write(bytes, deadline);
    if (written && reused && was_idle && conn_->bytes_written() == 0
        && written->what == io_failure::kind::closed) {
      conn_->close(); // the peer closed the idle connection first; nothing was sent
      if (auto f = conn_->open())
        return fail_waiting(n, *f);
      written = conn_->write(bytes, deadline);
    }
    std::size_t went = n;
    if (written) {
      // Calls with a byte on the wire may have arrived; at least one call takes the
      // failure, so a peer that breaks every connection cannot keep the channel busy.
      auto sent_bytes = conn_->bytes_written();
      went = static_cast<std::size_t>(
        std::count_if(starts.begin(), starts.end(), [&](std::size_t at) { return at < sent_bytes; }));
      went = std::max<std::size_t>(went, 1);
    }
    for (std::size_t i = 0; i < went; ++i) {
      sent_.push_back(sent_call{waiting_.front().call_id, deadline});
      waiting_.pop_front();
    }
    if (written)
      fail_sent(*written);
  }

  // Reads (part of) the oldest call's answer; a wake leaves the parser to resume.
  // `door`: the owner may write more calls meanwhile.
  void read_one(bool door) {
    const auto& limits = cfg_.http.limits;
    if (!parser_)
      parser_.emplace(limits, limits.max_call_response_body);
    if (door)
      open_door(false);
    auto read = conn_->read_response(*parser_, sent_.front().deadline, std::chrono::milliseconds{0},
                                     nullptr, [&](std::string_view piece) {
                                       auto room = cfg_.http.max_error_body
                                                   - std::min(cfg_.http.max_error_body, body_.size());
                                       body_.append(piece.substr(0, room));
                                       return true;
                                     });
    if (door)
      take_door();
    if (read && read->what == io_failure::kind::woken)
      return;
    if (read)
      return fail_sent(*read);
    auto out = result_for(sent_.front().call_id);
    out.status = parser_->head().status;
    out.body = std::move(body_);
    bool reusable = parser_->reusable();
    sent_.pop_front();
    parser_.reset();
    body_.clear();
    report(std::move(out));
    if (!reusable) // "Connection: close", or a body ended by the close
      fail_sent(io_failure{io_failure::kind::closed,
                           "the peer closed the connection after answering an earlier call"});
    else if (sent_.empty() && conn_->has_unread())
      conn_->close(); // bytes nobody asked for
  }

  caf::actor owner_;
  call_channel_config cfg_;
  std::size_t depth_;
  std::shared_ptr<connection_cancel> cancel_ = std::make_shared<connection_cancel>();
  std::shared_ptr<connection_wake> wake_ = std::make_shared<connection_wake>();
  std::shared_ptr<call_door> door_;  // null: the owner only sends messages
  std::string tail_;                 // the unwritten rest of a call the owner began
  std::atomic<bool> armed_{false};
  std::unique_ptr<http_connection> conn_;
  call_results ready_;                // outcomes not sent to the owner yet, in order
  std::deque<call_request> waiting_;  // received, not written yet
  std::deque<sent_call> sent_;        // written, oldest first, not answered yet
  std::optional<http_response_parser> parser_;  // of sent_.front()'s answer
  std::string body_;                            // of sent_.front()'s answer (bounded)
  bool closing_ = false;  // stop_atom or the owner's normal exit: finish what came before
  bool ended_ = false;    // a non-normal exit: end at once
};

} // namespace

caf::actor spawn_call_channel(caf::actor_system& sys, caf::actor owner, call_channel_config cfg,
                              std::shared_ptr<call_door> door) {
  return sys.spawn<call_channel_actor>(std::move(owner), std::move(cfg), std::move(door));
}

} // namespace mesos_actor::transport
