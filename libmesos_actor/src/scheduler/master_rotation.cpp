#include "scheduler/master_rotation.hpp"

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

master_rotation::master_rotation(std::vector<endpoint> masters, std::size_t max_redirects)
  : masters_(std::move(masters)), max_redirects_(max_redirects) {
  if (!masters_.empty())
    current_ = masters_.front();
}

caf::error master_rotation::redirect(const std::string& location) {
  if (hops_ >= max_redirects_)
    return make_error(errc::redirect_limit, "more than " + std::to_string(max_redirects_)
                                              + " redirects, last to " + location);
  auto target = resolve_location(current_, location);
  if (!target)
    return std::move(target.error());
  ++hops_;
  current_ = std::move(*target);
  return caf::none;
}

void master_rotation::advance() {
  hops_ = 0;
  if (masters_.empty())
    return;
  index_ = (index_ + 1) % masters_.size();
  current_ = masters_[index_];
}

void master_rotation::follow(endpoint master) {
  masters_.assign(1, master);
  index_ = 0;
  hops_ = 0;
  current_ = std::move(master);
}

void master_rotation::succeeded() {
  hops_ = 0;
}

} // namespace mesos_actor
