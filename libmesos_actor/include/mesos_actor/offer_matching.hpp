#pragma once
// Offer matching: place tasks into the offers of an OFFERS event, many tasks per offer,
// under constraints on the agents' hostnames and attributes (Marathon's UNIQUE, CLUSTER,
// LIKE, UNLIKE, MAX_PER), assign port numbers, and turn the result into ACCEPT calls
// (LAUNCH / LAUNCH_GROUP, RESERVE and CREATE before them) while every offer not used is
// declined. It sits on top of the scheduler layer: it only builds calls for a
// scheduler_context.
//
//   auto group = placement_group::make({{"hostname", constraint::op::unique}});
//   offer_plan plan(offers.offers());
//   while (auto p = plan.place(need, &*group, next_task_id()))
//     plan.launch(*p, command_task(p->task_id, "web", p->agent_id, "serve", {}));
//   plan.finish(ctx, refuse_filters(5));   // ACCEPTs + one DECLINE for the rest

#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <mesos/v1/mesos.pb.h>

#include "mesos_actor/resources.hpp"

namespace mesos_actor {

class scheduler_context;

/// A rule on the agent a task may run on, as Marathon states them. `field` is
/// "hostname" or the name of an agent attribute (its value as text: a TEXT attribute's
/// text, a SCALAR's number as resources print it, RANGES "[1-2]", SET "{a, b}").
struct constraint {
  /// The operator, as Marathon names them.
  enum class op {
    unique,  ///< every task of the group on a different value of `field`
    cluster, ///< all on agents whose `field` is `value` (empty value: the first placement's)
    like,    ///< `field` present and fully matching the regular expression `value`
    unlike,  ///< `field` absent or not fully matching `value`
    max_per, ///< at most `value` (a number > 0) tasks of the group per value of `field`
  };
  /// "hostname" or an attribute name.
  std::string field;
  /// The operator.
  op kind = op::unique;
  /// CLUSTER's value, LIKE/UNLIKE's regular expression, MAX_PER's number; unused by UNIQUE.
  std::string value;
};

/// The value of `field` ("hostname" or an attribute) on the offer's agent; nullopt
/// when the agent has no such attribute.
std::optional<std::string> agent_field(const mesos::v1::Offer& offer, const std::string& field);

/// A group of tasks that share constraints (an application, in Marathon's words). It
/// remembers where its tasks were placed so that UNIQUE/CLUSTER/MAX_PER hold across
/// offer rounds: call forget() when a task has ended for good.
class placement_group {
public:
  /// An error (errc::bad_option) names a bad constraint: empty field, a regular
  /// expression that does not compile, MAX_PER without a positive number.
  static caf::expected<placement_group> make(std::vector<constraint> constraints);

  /// The constraints allow one more task of the group on the offer's agent.
  bool allows(const mesos::v1::Offer& offer) const;
  /// Records a task placed on the offer's agent.
  void placed(const std::string& task_id, const mesos::v1::Offer& offer);
  /// Forgets a task (it ended, or its launch failed); unknown ids are ignored.
  void forget(const std::string& task_id);
  /// Tasks currently recorded.
  std::size_t size() const { return tasks_.size(); }

private:
  struct rule {
    constraint c;
    std::optional<std::regex> pattern; // like / unlike
    std::size_t max = 0;               // max_per
  };
  explicit placement_group(std::vector<rule> rules) : rules_(std::move(rules)) {}
  std::size_t count(const std::string& field, const std::string& value) const;

  std::vector<rule> rules_;
  // task id -> the value of every constrained field where it runs
  std::map<std::string, std::map<std::string, std::string>> tasks_;
};

/// What one task needs from an offer.
struct task_requirements {
  /// Scalar amounts (cpus, mem, disk, gpus, ...) written unreserved: they are taken
  /// from whatever of the offer `role` may use, reserved ones first.
  resources scalars;
  /// How many port numbers to assign from the offered "ports".
  std::size_t ports = 0;
  /// The role whose resources the task uses (the offer's allocation role for
  /// MULTI_ROLE frameworks).
  std::string role = "*";
  /// Revocable resources may be used too.
  bool allow_revocable = false;
};

/// One task's place in an offer.
struct placement {
  std::size_t offer_index = 0; ///< into the offers the plan was made from
  /// The id given to place().
  std::string task_id;
  /// The offer's agent.
  mesos::v1::AgentID agent_id;
  /// The offer's hostname.
  std::string hostname;
  /// Exactly what the TaskInfo must carry (reservations and allocation info kept).
  resources taken;
  /// The port numbers assigned (also inside `taken`), ascending.
  std::vector<std::uint64_t> ports;
};

/// How place() chooses among the offers that fit.
enum class placement_strategy {
  first_fit, ///< the first offer in event order (packs agents)
  spread,    ///< the offer with the fewest tasks placed in this plan so far
};

/// The use of one OFFERS event's offers: placements, operations per offer, then the
/// calls. Nothing is sent until finish() (or the caller sends accepts()/unused()).
class offer_plan {
public:
  /// A plan over `offers` (kept by reference: they must outlive the plan).
  explicit offer_plan(const google::protobuf::RepeatedPtrField<mesos::v1::Offer>& offers,
                      placement_strategy strategy = placement_strategy::first_fit);

  /// The offers that could not be read (invalid resources), with why; they are never
  /// used and finish() declines them.
  const std::vector<std::string>& errors() const { return errors_; }
  /// What is still free in offer `index`.
  const resources& remaining(std::size_t index) const { return offers_.at(index).remaining; }
  /// Number of offers.
  std::size_t offer_count() const { return offers_.size(); }

  /// Finds an offer with room for the task that `group`'s constraints (if any) allow,
  /// takes the resources and records the task in the group; nullopt when none fits.
  std::optional<placement> place(const task_requirements& need, const std::string& task_id,
                                 placement_group* group = nullptr);
  /// Gives a placement's resources back (when the caller decides not to launch it).
  void release(const placement& p, placement_group* group = nullptr);

  /// LAUNCH of `task` with the placement's agent id and resources.
  void launch(const placement& p, mesos::v1::TaskInfo task);
  /// LAUNCH_GROUP of tasks placed in the same offer (resources and agent ids filled in
  /// from their placements, which must all be in one offer: errc::bad_option otherwise).
  caf::error launch_group(const std::vector<placement>& ps, mesos::v1::ExecutorInfo executor,
                          std::vector<mesos::v1::TaskInfo> tasks);
  /// RESERVE in offer `index`: `reserved` (resources with their new reservation) are
  /// taken from what is free there and become free as reserved resources. An error
  /// when they are not a reservation of free resources.
  caf::error reserve(std::size_t index, const resources& reserved);
  /// CREATE in offer `index`: persistent volumes made from free reserved disk, which
  /// the same ACCEPT may then launch tasks with.
  caf::error create(std::size_t index, const resources& volumes);

  /// One ACCEPT per offer with operations (operations in the order they were added).
  struct accept_call {
    /// The offer used.
    mesos::v1::OfferID offer_id;
    /// Its operations, in order.
    std::vector<mesos::v1::Offer::Operation> operations;
  };
  /// The ACCEPT calls finish() would send.
  std::vector<accept_call> accepts() const;
  /// Offers with no operations.
  std::vector<mesos::v1::OfferID> unused() const;
  /// Sends the ACCEPTs (with `accept_filters`: Mesos declines what an ACCEPT leaves
  /// over for that long) and one DECLINE of the unused offers with `decline_filters`.
  void finish(scheduler_context& ctx, const std::optional<mesos::v1::Filters>& accept_filters,
              const std::optional<mesos::v1::Filters>& decline_filters);

private:
  struct offer_state {
    const mesos::v1::Offer* offer = nullptr;
    resources remaining;
    bool usable = false;
    std::size_t placed = 0;
    std::vector<mesos::v1::Offer::Operation> operations;
  };
  std::optional<resources> take(offer_state& o, const task_requirements& need,
                                std::vector<std::uint64_t>& ports) const;

  placement_strategy strategy_;
  std::vector<offer_state> offers_;
  std::vector<std::string> errors_;
};

/// Offer::Operation RESERVE of resources carrying their new reservation.
mesos::v1::Offer::Operation reserve_operation(const resources& reserved);
/// Offer::Operation CREATE of persistent volumes.
mesos::v1::Offer::Operation create_operation(const resources& volumes);
/// A persistent volume made of reserved disk `disk` (one scalar "disk" resource with a
/// reservation): persistence id `id`, mounted at `container_path`; `shared` makes it a
/// shared volume. An error when `disk` is not reserved disk or the id is empty.
caf::expected<resources> persistent_volume(const resources& disk, const std::string& id,
                                           const std::string& container_path,
                                           const std::string& principal = {},
                                           bool read_only = false, bool shared = false);

} // namespace mesos_actor
