#pragma once
// The master's operator event stream (SUBSCRIBE on /api/v1) as an actor with
// callbacks: SUBSCRIBED with the whole state, then TASK_ADDED, TASK_UPDATED,
// AGENT_ADDED, AGENT_REMOVED, FRAMEWORK_ADDED/UPDATED/REMOVED and HEARTBEAT.
//
//   operator_api::subscriber_options opts;
//   opts.connection.targets = {"master1:5050", "master2:5050"};
//   operator_api::event_callbacks cb;
//   cb.task_updated = [](const mesos::v1::master::Event::TaskUpdated& u) { ... };
//   auto sub = operator_api::spawn_subscriber(sys, opts, cb);
//
// When the stream breaks, `disconnected` is called and the actor subscribes again
// (the leader, via 307s, the next master or ZooKeeper) after an exponential backoff;
// after max_resubscribe failed attempts in a row it exits with
// errc::resubscribe_exhausted (errc::unauthorized when the last answer was 401/403),
// so a supervisor can decide what follows. A SUBSCRIBED resets the count. Callbacks run
// in the actor: they must not block. Stop it with an exit message.

#include <chrono>
#include <cstddef>
#include <functional>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <mesos/v1/master/master.pb.h>

#include "mesos_actor/operator/options.hpp"

namespace mesos_actor::operator_api {

/// What a subscriber does with each event; unset callbacks are skipped.
struct event_callbacks {
  /// The master's event type.
  using Event = mesos::v1::master::Event;
  /// The (re)subscription is open: the master's whole state.
  std::function<void(const Event::Subscribed&)> subscribed;
  /// A task was launched.
  std::function<void(const Event::TaskAdded&)> task_added;
  /// A task's state changed.
  std::function<void(const Event::TaskUpdated&)> task_updated;
  /// An agent registered.
  std::function<void(const Event::AgentAdded&)> agent_added;
  /// An agent left.
  std::function<void(const Event::AgentRemoved&)> agent_removed;
  /// A framework subscribed.
  std::function<void(const Event::FrameworkAdded&)> framework_added;
  /// A framework changed (resubscribed, disconnected, updated).
  std::function<void(const Event::FrameworkUpdated&)> framework_updated;
  /// A framework was torn down.
  std::function<void(const Event::FrameworkRemoved&)> framework_removed;
  /// A HEARTBEAT.
  std::function<void()> heartbeat;
  /// The stream ended or could not be opened (why); a new attempt follows unless the
  /// policy is exhausted.
  std::function<void(const caf::error&)> disconnected;
};

/// Options of an operator event subscriber.
struct subscriber_options {
  /// Where and how to connect (targets, encoding, TLS, authentication, redirects,
  /// ZooKeeper); request_timeout and max_response_body do not apply to the stream.
  client_options connection;
  /// The stream is declared dead after this long without a byte (Mesos sends a
  /// HEARTBEAT every 15 s).
  std::chrono::milliseconds stream_read_timeout{60000};
  /// Writing the SUBSCRIBE request.
  std::chrono::milliseconds write_timeout{10000};
  /// Failed attempts in a row (no SUBSCRIBED) before the actor gives up.
  std::size_t max_resubscribe = 10;
  /// Backoff between attempts: initial * 2^(n-1), capped at backoff_max.
  std::chrono::milliseconds backoff_initial{100};
  /// Upper bound of the backoff.
  std::chrono::milliseconds backoff_max{15000};
  /// Fraction of each backoff removed at random (0..1).
  double backoff_jitter = 0.5;
  /// Largest RecordIO record accepted (SUBSCRIBED carries the whole state).
  std::size_t max_record_size = 64u * 1024u * 1024u;
};

/// errc::bad_option naming the first bad member, or none.
caf::error validate(const subscriber_options& opts);

/// Spawns a subscriber; it subscribes at once. errc::bad_option for bad options.
caf::expected<caf::actor> spawn_subscriber(caf::actor_system& sys, subscriber_options opts,
                                           event_callbacks callbacks);

} // namespace mesos_actor::operator_api
