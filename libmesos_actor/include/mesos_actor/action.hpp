#pragma once
// What a behaviour callback (scheduler or executor) asks the library to do next:
// the C++ form of erl_mesos's {ok, State} | {stop, State}.

namespace mesos_actor {

/// What a callback asks for next: keep handling events or stop.
enum class action {
  keep,  ///< go on handling events
  stop,  ///< end the actor normally (terminate runs first)
};

} // namespace mesos_actor
