#include "stopper.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>

namespace supervisor::detail {

namespace {

/// Fires when a graceful stop took too long; stale generations are ignored.
using stop_timeout_atom = caf::atom_constant<caf::atom("sup_stopto")>;

struct stopper_state {
  std::vector<stop_order> orders;
  std::vector<caf::error> reasons;
  std::size_t current = 0;
  uint64_t generation = 0;
  caf::response_promise promise;
  static inline const char* name = "supervisor_stopper";
};

using stopper_actor = caf::stateful_actor<stopper_state>*;

void stop_next(stopper_actor self) {
  auto& st = self->state;
  if (st.current == st.orders.size()) {
    st.promise.deliver(std::move(st.reasons));
    self->quit();
    return;
  }
  auto& order = st.orders[st.current];
  ++st.generation;
  // Monitoring an actor that already ended yields its DOWN at once.
  self->monitor(order.child);
  switch (order.shutdown.mode) {
    case shutdown_mode::brutal_kill:
      self->send_exit(order.child, caf::exit_reason::kill);
      break;
    case shutdown_mode::timeout:
      self->send_exit(order.child, caf::exit_reason::user_shutdown);
      self->delayed_send(self, order.shutdown.timeout, stop_timeout_atom::value, st.generation);
      break;
    case shutdown_mode::infinity:
      self->send_exit(order.child, caf::exit_reason::user_shutdown);
      break;
  }
}

// (The orders come as a spawn argument, which also keeps CAF 0.17.6's
// init_fun_factory from dereferencing a null argument tuple, an UBSan error.)
caf::behavior stopper(stopper_actor self, std::vector<stop_order> orders) {
  self->state.orders = std::move(orders);
  self->set_down_handler([=](caf::down_msg& msg) {
    auto& st = self->state;
    if (st.current >= st.orders.size() || msg.source != st.orders[st.current].child.address())
      return;
    st.reasons.push_back(std::move(msg.reason));
    ++st.current;
    stop_next(self);
  });
  return {
    [=](stop_atom) {
      auto& st = self->state;
      st.promise = self->make_response_promise();
      stop_next(self);
      return st.promise;
    },
    [=](stop_timeout_atom, uint64_t generation) {
      auto& st = self->state;
      if (generation == st.generation && st.current < st.orders.size())
        self->send_exit(st.orders[st.current].child, caf::exit_reason::kill);
    },
  };
}

} // namespace

caf::actor spawn_stopper(caf::actor_system& sys, std::vector<stop_order> orders) {
  return sys.spawn(stopper, std::move(orders));
}

} // namespace supervisor::detail
