#pragma once
// The reason a transport worker (event stream, call channel) ends with after an exit
// signal. CAF 0.17 makes an actor die of exit_reason::kill from a linked actor whatever
// its exit handler, so a killed worker would take its framework actor with it; Erlang
// turns kill into a trappable `killed` for linked processes, and so do we: a killed
// worker ends with sec::runtime_error "killed (exit_reason::kill)".

#include <caf/error.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>

namespace mesos_actor::transport {

inline caf::error linkable_exit_reason(const caf::error& signal) {
  if (signal == caf::make_error(caf::exit_reason::kill))
    return caf::make_error(caf::sec::runtime_error, "killed (exit_reason::kill)");
  return signal;
}

} // namespace mesos_actor::transport
