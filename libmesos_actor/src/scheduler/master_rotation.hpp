#pragma once
// Which master the next subscription attempt goes to: the configured list in
// order (round robin), 307 redirects followed up to a limit, and attempt counting.

#include <cstddef>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "mesos_actor/transport/endpoint.hpp"

namespace mesos_actor {

class master_rotation {
public:
  master_rotation(std::vector<endpoint> masters, std::size_t max_redirects);

  /// Where the current attempt goes (a redirect target or a configured master).
  const endpoint& current() const { return current_; }
  /// Follows a 307: errc::redirect_limit past max_redirects, protocol_error for a
  /// bad Location.
  caf::error redirect(const std::string& location);
  /// The attempt failed: the next configured master is tried next.
  void advance();
  /// Only `master` from now on (the leader a master detector named); hops reset.
  void follow(endpoint master);
  /// The current endpoint worked: remember it, forget redirect hops.
  void succeeded();
  std::size_t size() const { return masters_.size(); }

private:
  std::vector<endpoint> masters_;
  std::size_t max_redirects_;
  std::size_t index_ = 0;
  std::size_t hops_ = 0;
  endpoint current_;
};

} // namespace mesos_actor
