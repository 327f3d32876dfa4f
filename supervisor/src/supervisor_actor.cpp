// The supervisor actor. It reads top to bottom like OTP's supervisor.erl:
// state, reporting, starting children, stopping children, restart policy,
// then the behavior (init, API requests, child exits, shutdown).
//
// Every step that waits (a child's init handshake, the stopper's
// reply) makes the supervisor "busy": it pushes a behavior that matches
// nothing, and the default handler skips (keeps) every ordinary message until
// the reply has been handled. Child DOWNs and exit requests are turned into
// ordinary self-messages, so they too wait until the current step is complete:
// the child table only changes in one place at a time, like OTP's synchronous
// supervisor. (request().await would do the same but also holds back system
// messages, which would make a busy supervisor immune to exit_reason::kill.)

#include "supervisor_actor.hpp"

#include <algorithm>
#include <exception>
#include <optional>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/response_promise.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>

#include "child_table.hpp"
#include "stopper.hpp"
#include "supervisor/errors.hpp"
#include "supervisor/messages.hpp"
#include "supervisor/restart_intensity.hpp"
#include "supervisor/validate.hpp"

namespace supervisor::detail {

namespace {

/// Self-message made from a child's DOWN: (child_exited_atom, source, reason).
using child_exited_atom = caf::atom_constant<caf::atom("sup_down")>;
/// Self-message retrying a failed restart: (retry_atom, child id, generation).
using retry_atom = caf::atom_constant<caf::atom("sup_retry")>;
/// Self-message made from an exit request: (shutdown_atom, reason).
using shutdown_atom = caf::atom_constant<caf::atom("sup_shut")>;

struct sup_state {
  sup_flags flags;
  child_table children;
  std::optional<child_spec> template_spec; // simple_one_for_one only
  std::optional<restart_intensity> intensity;
  bool initialized = false;
  bool stopping = false;
  uint64_t last_generation = 0;
  int busy_depth = 0;                    // > 0 while a step waits for a reply
  caf::actor starting;                  // a child in its init handshake
  caf::actor stopper;                   // the stopper at work, if any
  std::vector<caf::actor> being_stopped; // children handed to it
  static inline const char* name = "supervisor";

  // A supervisor that ends without its orderly shutdown (killed) takes its
  // children along, including those its stopper is still waiting for, so
  // nothing outlives it unsupervised.
  ~sup_state() {
    for (auto& e : children.entries())
      if (e.actor)
        caf::anon_send_exit(e.actor, caf::exit_reason::kill);
    for (auto& child : being_stopped)
      caf::anon_send_exit(child, caf::exit_reason::kill);
    if (starting)
      caf::anon_send_exit(starting, caf::exit_reason::kill);
    if (stopper)
      caf::anon_send_exit(stopper, caf::exit_reason::kill);
  }
};

using sup_actor = caf::stateful_actor<sup_state>*;
using done_fn = std::function<void(caf::error)>;

/// Never sent: the only handler of the busy behavior.
using busy_atom = caf::atom_constant<caf::atom("sup_busy")>;

// --- busy steps ------------------------------------------------------------------

// Sends a request and calls on_reply / on_error with the answer, holding back
// all other ordinary messages meanwhile. A continuation may start the next
// step at once; messages held back stay held back until no step is waiting.
template <class Reply, class Handle, class OnReply, class OnError, class... Ts>
void busy_request(sup_actor self, const Handle& dest, caf::duration timeout, OnReply on_reply,
                  OnError on_error, Ts&&... xs) {
  auto& st = self->state;
  if (st.busy_depth++ == 0)
    self->become(caf::keep_behavior, caf::behavior{[](busy_atom) {}});
  auto leave = [self] {
    if (--self->state.busy_depth == 0)
      self->unbecome();
  };
  self->request(dest, timeout, std::forward<Ts>(xs)...)
    .then(
      // Leave first: the continuation may quit, which clears the behavior stack.
      [=](Reply& reply) mutable {
        leave();
        on_reply(reply);
      },
      [=](caf::error& err) mutable {
        leave();
        on_error(err);
      });
}

// --- reporting ---------------------------------------------------------------

void emit(sup_actor self, event_kind kind, const std::string& id = {}, caf::actor child = {},
          caf::error reason = {}) {
  auto& st = self->state;
  if (!st.flags.on_event)
    return;
  std::size_t restarts = 0;
  if (auto e = st.children.find(id))
    restarts = e->restart_count;
  // A faulty observer must not take the tree down; its exceptions are dropped.
  try {
    st.flags.on_event(
      supervisor_event{st.flags.name, kind, id, std::move(child), std::move(reason), restarts});
  } catch (...) {
  }
}

bool is_shutdown_reason(const caf::error& reason) {
  return !reason || reason == caf::exit_reason::user_shutdown;
}

std::vector<std::string> reversed(std::vector<std::string> ids) {
  std::reverse(ids.begin(), ids.end());
  return ids;
}

// --- starting children ---------------------------------------------------------

caf::expected<caf::actor> call_start(sup_actor self, const child_entry& e) {
  try {
    auto res = e.spec.start(self->system(), e.args);
    if (res && !*res)
      return make_error(sup_error::start_returned_no_actor);
    return res;
  } catch (const std::exception& ex) {
    return caf::make_error(caf::sec::runtime_error, std::string{ex.what()});
  } catch (...) {
    return caf::make_error(caf::sec::runtime_error, std::string{"unknown exception"});
  }
}

void mark_running(sup_actor self, const std::string& id, const caf::actor& child) {
  if (auto e = self->state.children.find(id)) {
    e->actor = child;
    e->status = child_status::running;
  }
}

// Starts one child; done gets start_failed(id, reason) on failure.
void start_child_entry(sup_actor self, const std::string& id, done_fn done) {
  auto e = self->state.children.find(id);
  if (!e) {
    done(make_error(sup_error::not_found, id));
    return;
  }
  auto fail = [=](caf::error reason) {
    emit(self, event_kind::child_start_failed, id, {}, reason);
    done(make_error(sup_error::start_failed, id, std::move(reason)));
  };
  auto res = call_start(self, *e);
  if (!res) {
    fail(std::move(res.error()));
    return;
  }
  auto child = std::move(*res);
  self->monitor(child);
  if (e->spec.kind != child_kind::supervisor && !e->spec.init_ack) {
    mark_running(self, id, child);
    done({});
    return;
  }
  self->state.starting = child;
  busy_request<caf::ok_atom>(
    self, child, caf::duration{e->spec.start_timeout},
    [=](caf::ok_atom) {
      self->state.starting = nullptr;
      mark_running(self, id, child);
      done({});
    },
    [=](caf::error& err) {
      self->state.starting = nullptr;
      // A child whose init failed has exited already; one that timed out is killed.
      self->send_exit(child, caf::exit_reason::kill);
      fail(std::move(err));
    },
    init_atom::value);
}

using step_fn = std::function<void(std::size_t, done_fn)>;
using finish_fn = std::function<void(caf::error, std::size_t)>;

// Runs step(i) for i = from..n-1 in order; each step reports an error (stop)
// or none (next), at once or later (after a handshake). finish gets the first
// error and its index, or none and n. Loops while steps complete at once, so a
// long list of workers needs no deep stack.
void for_each_step(std::size_t from, std::size_t n, step_fn step, finish_fn finish) {
  for (auto i = from; i < n; ++i) {
    auto at_once = std::make_shared<std::optional<caf::error>>();
    auto in_loop = std::make_shared<bool>(true);
    step(i, [=](caf::error err) {
      if (*in_loop) {
        *at_once = std::move(err);
        return;
      }
      if (err)
        finish(std::move(err), i);
      else
        for_each_step(i + 1, n, step, finish);
    });
    *in_loop = false;
    if (!*at_once)
      return; // the step continues the loop when it completes
    if (**at_once) {
      finish(std::move(**at_once), i);
      return;
    }
  }
  finish({}, n);
}

// Starts ids in order; done gets the first failure and its index.
void start_in_order(sup_actor self, std::vector<std::string> ids, finish_fn done) {
  auto n = ids.size();
  for_each_step(
    0, n,
    [=](std::size_t i, done_fn next) { start_child_entry(self, ids[i], std::move(next)); },
    std::move(done));
}

// --- stopping children ---------------------------------------------------------

// Stops the running children among ids, in the given order, then calls done.
// All listed children end up stopped (a queued retry for them is cancelled).
void stop_children(sup_actor self, const std::vector<std::string>& ids, std::function<void()> done) {
  std::vector<stop_order> orders;
  std::vector<std::string> stopped_ids;
  for (auto& id : ids) {
    auto e = self->state.children.find(id);
    if (!e)
      continue;
    if (e->actor) {
      orders.push_back(stop_order{e->actor, effective_shutdown(e->spec)});
      stopped_ids.push_back(id);
    }
    // From here on the child's DOWN no longer matches it, so it is not taken for a crash.
    e->actor = nullptr;
    e->status = child_status::stopped;
    e->retry_generation = 0;
  }
  if (orders.empty()) {
    done();
    return;
  }
  auto& st = self->state;
  for (auto& order : orders)
    st.being_stopped.push_back(order.child);
  st.stopper = spawn_stopper(self->system(), std::move(orders));
  auto finished = [=] {
    self->state.stopper = nullptr;
    self->state.being_stopped.clear();
  };
  busy_request<std::vector<caf::error>>(
    self, st.stopper, caf::infinite,
    [=](std::vector<caf::error>& reasons) {
      finished();
      for (std::size_t i = 0; i < stopped_ids.size() && i < reasons.size(); ++i) {
        if (auto e = self->state.children.find(stopped_ids[i]))
          e->last_exit_reason = reasons[i];
        emit(self, event_kind::child_stopped, stopped_ids[i], {}, reasons[i]);
      }
      done();
    },
    [=](caf::error&) {
      finished();
      done();
    },
    stop_atom::value);
}

// Stops every child in reverse start order and exits with reason.
void shutdown(sup_actor self, caf::error reason) {
  auto& st = self->state;
  if (st.stopping)
    return;
  st.stopping = true;
  emit(self, event_kind::supervisor_stopping, {}, {}, reason);
  stop_children(self, reversed(st.children.ids()), [=] { self->quit(reason); });
}

// --- restart policy ------------------------------------------------------------

void restart(sup_actor self, const std::string& id);

// A restart failed at ids[failed]: the rest wait for a retry sent to self, so
// that requests already queued (a shutdown, say) are served first.
void schedule_retry(sup_actor self, const std::vector<std::string>& ids, std::size_t failed) {
  auto gen = ++self->state.last_generation;
  for (std::size_t i = failed; i < ids.size(); ++i)
    if (auto e = self->state.children.find(ids[i])) {
      e->status = child_status::restarting;
      e->retry_generation = gen;
    }
  self->send(self, retry_atom::value, ids[failed], gen);
}

// Restarts ids in order; a failure leaves it and the rest to a retry.
void restart_in_order(sup_actor self, std::vector<std::string> ids) {
  auto n = ids.size();
  for_each_step(
    0, n,
    [=](std::size_t i, done_fn next) {
      auto id = ids[i];
      start_child_entry(self, id, [=](caf::error err) {
        if (!err)
          if (auto e = self->state.children.find(id)) {
            ++e->restart_count;
            emit(self, event_kind::child_restarted, id, e->actor);
          }
        next(std::move(err));
      });
    },
    [=](caf::error err, std::size_t failed) {
      if (err)
        schedule_retry(self, ids, failed);
    });
}

// The children a restart of id concerns, in start order.
std::vector<std::string> affected_by(sup_actor self, const std::string& id) {
  auto& st = self->state;
  switch (st.flags.strategy) {
    case strategy::one_for_all:
      return st.children.ids();
    case strategy::rest_for_one:
      return st.children.ids_from(st.children.index_of(id).value_or(0));
    default:
      return {id};
  }
}

void restart(sup_actor self, const std::string& id) {
  auto& st = self->state;
  if (!st.intensity->add_restart()) {
    emit(self, event_kind::intensity_reached, id);
    shutdown(self, make_error(sup_error::reached_max_restart_intensity, st.flags.name));
    return;
  }
  auto affected = affected_by(self, id);
  stop_children(self, reversed(affected), [=] {
    // Temporary siblings are never restarted; their specs go (OTP del_child).
    std::vector<std::string> to_start;
    for (auto& aid : affected) {
      auto e = self->state.children.find(aid);
      if (!e)
        continue;
      if (e->spec.restart == restart_type::temporary)
        self->state.children.erase(aid);
      else
        to_start.push_back(aid);
    }
    restart_in_order(self, to_start);
  });
}

void on_child_exit(sup_actor self, const caf::actor_addr& source, caf::error reason) {
  auto& st = self->state;
  if (st.stopping)
    return;
  auto e = st.children.find_by_actor(source);
  if (!e)
    return; // an actor we stopped on purpose, or a stale DOWN
  auto id = e->spec.id;
  auto child = e->actor;
  e->actor = nullptr;
  e->status = child_status::stopped;
  e->last_exit_reason = reason;
  emit(self, event_kind::child_exited, id, child, reason);
  if (e->spec.restart == restart_type::temporary) {
    st.children.erase(id);
    return;
  }
  if (e->spec.restart == restart_type::transient && is_shutdown_reason(reason))
    return;
  restart(self, id);
}

// --- behavior ------------------------------------------------------------------

caf::response_promise reply_now(sup_actor self, caf::error err) {
  auto rp = self->make_response_promise();
  rp.deliver(std::move(err));
  return rp;
}

// Adds a child record and starts it, answering rp with its actor or the error.
void add_and_start(sup_actor self, child_spec spec, caf::message args,
                   caf::response_promise rp) {
  auto id = spec.id;
  self->state.children.add(std::move(spec), std::move(args));
  start_child_entry(self, id, [=](caf::error err) mutable {
    if (err) {
      self->state.children.erase(id); // OTP keeps no spec of a child that never started
      rp.deliver(std::move(err));
      return;
    }
    auto e = self->state.children.find(id);
    emit(self, event_kind::child_started, id, e->actor);
    rp.deliver(e->actor);
  });
}

// An existing id: already_started with the actor, or already_present.
caf::error existing_child_error(const child_entry& e) {
  if (e.status == child_status::running)
    return make_error(sup_error::already_started, e.actor);
  return make_error(sup_error::already_present, e.spec.id);
}

// restart_child and delete_child act only on a stopped child of a static spec (OTP).
caf::error stopped_child_error(sup_state& st, const std::string& id) {
  if (st.template_spec)
    return make_error(sup_error::simple_one_for_one);
  auto e = st.children.find(id);
  if (!e)
    return make_error(sup_error::not_found, id);
  if (e->status == child_status::running)
    return make_error(sup_error::running, id);
  if (e->status == child_status::restarting)
    return make_error(sup_error::restarting, id);
  return {};
}

caf::behavior supervisor_actor(sup_actor self, sup_flags flags, std::vector<child_spec> specs) {
  auto& st = self->state;
  st.intensity.emplace(flags.max_restarts, flags.period);
  if (flags.strategy == strategy::simple_one_for_one)
    st.template_spec = std::move(specs.front());
  else
    for (auto& spec : specs)
      st.children.add(std::move(spec));
  st.flags = std::move(flags);
  // While busy, ordinary messages wait in the mailbox; otherwise unknown ones are refused.
  self->set_default_handler([=](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
    if (self->state.busy_depth > 0)
      return caf::skip;
    return caf::make_error(caf::sec::unexpected_message);
  });
  // A stray asynchronous error message must not end the supervisor (CAF's
  // default error handler would quit with it); it concerns no child.
  self->set_error_handler([](caf::error&) {});
  self->set_down_handler([=](caf::down_msg& msg) {
    self->send(self, child_exited_atom::value, msg.source, std::move(msg.reason));
  });
  // Trapping exits: a non-normal exit request from anyone (normally the parent)
  // means an orderly shutdown with that reason.
  self->set_exit_handler([=](caf::exit_msg& msg) {
    if (msg.reason)
      self->send(self, shutdown_atom::value, std::move(msg.reason));
  });
  return {
    [=](init_atom) {
      auto rp = self->make_response_promise();
      if (self->state.initialized) {
        rp.deliver(caf::ok_atom::value);
        return rp;
      }
      auto ids = self->state.children.ids();
      start_in_order(self, ids, [=](caf::error err, std::size_t failed) mutable {
        if (!err) {
          self->state.initialized = true;
          for (auto& id : ids)
            if (auto e = self->state.children.find(id))
              emit(self, event_kind::child_started, id, e->actor);
          rp.deliver(caf::ok_atom::value);
          return;
        }
        // OTP init_children: stop the ones started so far, report, exit.
        ids.resize(failed);
        self->state.stopping = true;
        stop_children(self, reversed(ids), [=]() mutable {
          rp.deliver(err);
          self->quit(err);
        });
      });
      return rp;
    },
    [=](start_child_atom, child_spec& spec) {
      auto& st = self->state;
      if (st.template_spec)
        return reply_now(self, make_error(sup_error::simple_one_for_one));
      if (auto err = check_child_spec(spec))
        return reply_now(self, std::move(err));
      if (auto e = st.children.find(spec.id))
        return reply_now(self, existing_child_error(*e));
      auto rp = self->make_response_promise();
      add_and_start(self, std::move(spec), {}, rp);
      return rp;
    },
    [=](start_child_atom, std::string& id, caf::message& args) {
      auto& st = self->state;
      if (!st.template_spec)
        return reply_now(self, make_error(sup_error::not_simple_one_for_one));
      if (id.empty())
        return reply_now(self, make_error(sup_error::invalid_child_id));
      if (auto e = st.children.find(id))
        return reply_now(self, existing_child_error(*e));
      auto spec = *st.template_spec;
      spec.id = std::move(id);
      auto rp = self->make_response_promise();
      add_and_start(self, std::move(spec), std::move(args), rp);
      return rp;
    },
    [=](terminate_child_atom, std::string& id) {
      auto rp = self->make_response_promise();
      if (!self->state.children.find(id)) {
        rp.deliver(make_error(sup_error::not_found, id));
        return rp;
      }
      stop_children(self, {id}, [=]() mutable {
        auto& st = self->state;
        if (auto e = st.children.find(id))
          if (e->spec.restart == restart_type::temporary || st.template_spec)
            st.children.erase(id);
        rp.deliver(caf::ok_atom::value);
      });
      return rp;
    },
    [=](restart_child_atom, std::string& id) {
      if (auto err = stopped_child_error(self->state, id))
        return reply_now(self, std::move(err));
      auto rp = self->make_response_promise();
      start_child_entry(self, id, [=](caf::error err) mutable {
        if (err) {
          rp.deliver(std::move(err));
          return;
        }
        auto e = self->state.children.find(id);
        emit(self, event_kind::child_started, id, e->actor);
        rp.deliver(e->actor);
      });
      return rp;
    },
    [=](delete_child_atom, std::string& id) {
      if (auto err = stopped_child_error(self->state, id))
        return reply_now(self, std::move(err));
      self->state.children.erase(id);
      auto rp = self->make_response_promise();
      rp.deliver(caf::ok_atom::value);
      return rp;
    },
    [=](which_children_atom) { return self->state.children.info(); },
    [=](count_children_atom) { return self->state.children.counts(); },
    [=](child_exited_atom, caf::actor_addr& source, caf::error& reason) {
      on_child_exit(self, source, std::move(reason));
    },
    [=](retry_atom, std::string& id, uint64_t generation) {
      auto e = self->state.children.find(id);
      if (self->state.stopping || !e || e->status != child_status::restarting
          || e->retry_generation != generation)
        return; // cancelled by terminate_child or a newer restart
      restart(self, id);
    },
    [=](shutdown_atom, caf::error& reason) { shutdown(self, std::move(reason)); },
  };
}

} // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, sup_flags flags,
                            std::vector<child_spec> specs) {
  return sys.spawn(supervisor_actor, std::move(flags), std::move(specs));
}

} // namespace supervisor::detail
