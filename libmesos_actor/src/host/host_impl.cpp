#include "host/host_impl.hpp"

#include <algorithm>
#include <stdexcept>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <supervisor/messages.hpp>

#include "log/logger.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/executor/external_call.hpp"
#include "mesos_actor/executor/spawn.hpp"
#include "mesos_actor/metrics/prometheus.hpp"
#include "mesos_actor/scheduler/external_call.hpp"
#include "mesos_actor/scheduler/spawn.hpp"

namespace mesos_actor::detail {

namespace {

caf::error check_policy(const restart_policy &p) {
  if (p.max_restarts < 0)
    return make_error(errc::bad_option, "restart policy: max_restarts must be >= 0");
  if (p.period.count() <= 0)
    return make_error(errc::bad_option, "restart policy: period must be > 0");
  if (p.shutdown_timeout.count() < 0)
    return make_error(errc::bad_option, "restart policy: shutdown_timeout must be >= 0");
  switch (p.restart) {
  case supervisor::restart_type::permanent:
  case supervisor::restart_type::transient:
  case supervisor::restart_type::temporary:
    return caf::none;
  }
  return make_error(errc::bad_option, "restart policy: unknown restart type");
}

// Stands in for a framework whose restart raced with stop_*: acknowledges the init
// request and does nothing until the imminent stop ends it, so no new subscription is
// made for a ref being stopped. (It takes an argument: CAF 0.17.6 dereferences a null
// argument tuple when a function actor takes none, which UBSan reports.)
caf::behavior stand_in(caf::event_based_actor *self, const std::string & /*ref*/) {
  self->set_default_handler(caf::drop);
  return {[](supervisor::init_atom) { return caf::ok_atom::value; }};
}

// A fresh behaviour from the user's factory; a throwing or empty factory is a start
// failure the supervisor reports, never a crash.
template <class Behaviour>
caf::expected<std::unique_ptr<Behaviour>>
make_behaviour(const std::function<std::unique_ptr<Behaviour>()> &factory) {
  std::unique_ptr<Behaviour> behaviour;
  try {
    behaviour = factory();
  } catch (const std::exception &e) {
    return make_error(errc::init_failed, std::string{"behaviour factory threw: "} + e.what());
  } catch (...) {
    return make_error(errc::init_failed, "behaviour factory threw");
  }
  if (!behaviour)
    return make_error(errc::init_failed, "behaviour factory returned no behaviour");
  return behaviour;
}

// The start function of a scheduler's or an executor's supervisor: a stand-in while
// the ref is being stopped, else `spawn(sys, behaviour)` with a fresh behaviour from
// `factory` (spawn starts the actor with init_ack).
template <class Behaviour, class Spawn>
supervisor::start_function start_function_of(std::shared_ptr<framework_slot> slot,
                                             std::function<std::unique_ptr<Behaviour>()> factory,
                                             Spawn spawn) {
  return [slot, factory, spawn](caf::actor_system &sys,
                                const caf::message &) -> caf::expected<caf::actor> {
    if (slot->stopping())
      return sys.spawn(stand_in, slot->ref());
    auto behaviour = make_behaviour(factory);
    if (!behaviour)
      return behaviour.error();
    return spawn(sys, std::move(*behaviour));
  };
}

} // namespace

void framework_table::erase(const std::string &ref) {
  entries.erase(ref);
  order.erase(std::remove(order.begin(), order.end(), ref), order.end());
}

host_impl::host_impl(caf::actor_system *borrowed, host_options opts) : opts_(std::move(opts)) {
  for (auto err : {metrics::validate(opts_.metrics), metrics::validate(opts_.prometheus)})
    if (err)
      throw std::runtime_error("mesos_actor::host: " + describe(err));
  if (opts_.prometheus.enabled) {
    auto exporter = detail::prometheus_exporter::start(
        opts_.prometheus, [this] { return metrics::render_prometheus(metrics()); });
    if (!exporter)
      throw std::runtime_error("mesos_actor::host: " + describe(exporter.error()));
    exporter_ = std::move(*exporter);
  }
  if (borrowed != nullptr) {
    sys_ = borrowed;
  } else {
    cfg_ = std::make_unique<caf::actor_system_config>();
    add_error_category(*cfg_);
    supervisor::add_error_category(*cfg_);
    if (opts_.scheduler_threads > 0)
      cfg_->set("scheduler.max-threads", opts_.scheduler_threads);
    owned_ = std::make_unique<caf::actor_system>(*cfg_);
    sys_ = owned_.get();
  }
  supervisor::sup_flags sub;
  sub.max_restarts = 0; // its children are temporary: it never restarts any
  sub.name = "schedulers";
  auto schedulers = supervisor::supervisor_child_spec("schedulers", sub, {});
  sub.name = "executors";
  auto executors = supervisor::supervisor_child_spec("executors", sub, {});
  supervisor::sup_flags root;
  root.name = "host";
  auto started =
      supervisor::start_supervisor(*sys_, root, {schedulers, executors}, opts_.call_timeout);
  if (!started && exporter_)
    exporter_->stop();
  if (!started)
    throw std::runtime_error("mesos_actor::host: cannot start its supervisor: " +
                             supervisor::describe(started.error()));
  root_ = *started;
  if (opts_.fleet.enabled()) {
    auto joined = fleet::membership::start(*sys_, opts_.fleet, fleet_ops());
    if (!joined) {
      supervisor::stop_supervisor(*sys_, root_, opts_.call_timeout);
      if (exporter_)
        exporter_->stop();
      throw std::runtime_error("mesos_actor::host: " + describe(joined.error()));
    }
    fleet_ = std::move(*joined);
  }
}

host_impl::~host_impl() {
  shutdown();
}

caf::actor_system &host_impl::system() {
  return *sys_;
}

caf::expected<caf::actor> host_impl::start(
    framework_kind kind, const std::string &ref, const restart_policy &policy,
    std::chrono::milliseconds init_timeout, std::shared_ptr<metrics::framework_metrics> counters,
    std::function<supervisor::start_function(std::shared_ptr<framework_slot>)> make_start) {
  if (auto err = check_policy(policy))
    return err;
  auto &t = table_of(kind);
  auto slot = std::make_shared<framework_slot>(kind, ref, opts_.on_event, opts_.logging,
                                               std::move(counters));
  bool replace = false;
  {
    std::unique_lock<std::mutex> lock{mtx_};
    cv_.wait(lock, [&] {
      auto i = t.entries.find(ref);
      return i == t.entries.end() || !i->second.starting;
    });
    if (shut_)
      return make_error(errc::stopped, "the host is shut down");
    auto i = t.entries.find(ref);
    if (i != t.entries.end()) {
      if (!i->second.slot->ended())
        return supervisor::make_error(supervisor::sup_error::already_started,
                                      i->second.slot->actor());
      replace = true;
      t.erase(ref);
    }
    t.entries[ref] = framework_table::entry{slot, policy, true};
  }
  auto subtree = subtree_of(kind);
  if (replace && subtree)
    supervisor::terminate_child(*sys_, *subtree, ref, opts_.call_timeout);
  caf::expected<caf::actor> result{caf::error{}};
  if (!subtree) {
    result = subtree.error();
  } else {
    supervisor::child_spec worker;
    worker.id = to_string(kind);
    worker.start = make_start(slot);
    worker.restart = policy.restart;
    worker.shutdown = supervisor::shutdown_after(policy.shutdown_timeout);
    worker.init_ack = true;
    worker.start_timeout = init_timeout;
    supervisor::sup_flags flags;
    flags.max_restarts = policy.max_restarts;
    flags.period = policy.period;
    flags.name = std::string{to_string(kind)} + ":" + ref;
    flags.on_event = [slot](const supervisor::supervisor_event &ev) {
      slot->on_supervisor_event(ev);
    };
    auto spec = supervisor::supervisor_child_spec(ref, std::move(flags), {std::move(worker)},
                                                  supervisor::restart_type::temporary);
    auto sup = supervisor::start_child(*sys_, *subtree, std::move(spec), opts_.call_timeout);
    if (!sup)
      result = unwrap_start_failure(sup.error(), kind, init_timeout);
    else
      result = slot->actor();
  }
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = t.entries.find(ref);
  if (i != t.entries.end() && i->second.slot == slot) {
    if (result) {
      i->second.starting = false;
      t.order.push_back(ref);
    } else {
      t.erase(ref);
    }
  }
  cv_.notify_all();
  return result;
}

caf::error host_impl::stop(framework_kind kind, const std::string &ref, stop_options how) {
  auto &t = table_of(kind);
  std::shared_ptr<framework_slot> slot;
  restart_policy policy;
  {
    std::unique_lock<std::mutex> lock{mtx_};
    cv_.wait(lock, [&] {
      auto i = t.entries.find(ref);
      return i == t.entries.end() || !i->second.starting;
    });
    auto i = t.entries.find(ref);
    if (i == t.entries.end())
      return supervisor::make_error(supervisor::sup_error::not_found, ref);
    slot = i->second.slot;
    policy = i->second.policy;
    t.erase(ref);
  }
  slot->mark_stopping();
  if (how.teardown && kind == framework_kind::scheduler)
    teardown(slot->actor(), policy.shutdown_timeout);
  auto subtree = subtree_of(kind);
  if (!subtree)
    return subtree.error();
  auto err = supervisor::terminate_child(*sys_, *subtree, ref, opts_.call_timeout);
  // not_found: its supervisor gave up already; the ref is gone either way.
  if (err && !supervisor::is(err, supervisor::sup_error::not_found))
    return err;
  return caf::none;
}

std::vector<framework_row> host_impl::which(framework_kind kind) const {
  std::vector<framework_row> rows;
  std::lock_guard<std::mutex> guard{mtx_};
  auto &t = kind == framework_kind::scheduler ? schedulers_ : executors_;
  for (auto &ref : t.order) {
    auto i = t.entries.find(ref);
    if (i != t.entries.end() && !i->second.starting)
      rows.push_back(i->second.slot->row());
  }
  return rows;
}

caf::expected<caf::actor> host_impl::running_actor(framework_kind kind, const std::string &ref,
                                                   const std::string &what) const {
  std::lock_guard<std::mutex> guard{mtx_};
  if (shut_)
    return make_error(errc::stopped, what + ": the host is shut down");
  auto &t = kind == framework_kind::scheduler ? schedulers_ : executors_;
  auto i = t.entries.find(ref);
  if (i == t.entries.end())
    return supervisor::make_error(supervisor::sup_error::not_found, ref);
  auto actor = i->second.slot->actor();
  if (!actor)
    return make_error(errc::stopped, what + ": " + to_string(kind) + " " + ref +
                                         " is not running (" +
                                         to_string(i->second.slot->row().status) + ")");
  return actor;
}

std::vector<detail::metrics_source> host_impl::metric_sources() const {
  std::vector<detail::metrics_source> out;
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto *t : {&schedulers_, &executors_})
    for (auto &ref : t->order)
      if (auto i = t->entries.find(ref); i != t->entries.end() && !i->second.starting)
        out.push_back({i->second.slot->row(), i->second.slot->metrics()});
  return out;
}

metrics::host_snapshot host_impl::metrics() const {
  auto snap = detail::collect_host_metrics(metric_sources());
  if (fleet_)
    snap.fleet = fleet_->metrics();
  return snap;
}

std::uint16_t host_impl::metrics_port() const {
  return exporter_ ? exporter_->port() : 0;
}

void host_impl::shutdown() {
  std::vector<std::string> execs;
  std::vector<std::string> scheds;
  // The coordinator first (no more claims or starts), the fleet's frameworks with the
  // others below, and the ZooKeeper session last: our owner nodes vanish only once
  // nothing of ours can subscribe any more.
  if (fleet_)
    fleet_->halt();
  {
    std::unique_lock<std::mutex> lock{mtx_};
    if (shut_)
      return;
    shut_ = true;
    // Starts in progress finish first, so nothing is left half started.
    cv_.wait(lock, [&] { return no_start_pending(); });
    execs.assign(executors_.order.rbegin(), executors_.order.rend());
    scheds.assign(schedulers_.order.rbegin(), schedulers_.order.rend());
  }
  if (exporter_)
    exporter_->stop();
  for (auto &ref : execs)
    stop(framework_kind::executor, ref, {});
  for (auto &ref : scheds)
    stop(framework_kind::scheduler, ref, {});
  supervisor::stop_supervisor(*sys_, root_, opts_.call_timeout);
  root_ = nullptr;
  if (fleet_)
    fleet_->close();
  detectors_.stop_all();
  if (owned_)
    owned_->await_all_actors_done(); // stream threads included
}

caf::expected<caf::actor> host_impl::start_scheduler(const std::string &ref,
                                                     scheduler_factory factory,
                                                     scheduler_options opts,
                                                     restart_policy policy) {
  if (!factory)
    return make_error(errc::bad_option, "start_scheduler(" + ref + "): no behaviour factory");
  if (auto err = validate(opts))
    return err;
  opts.logging = detail::inherit_logging(std::move(opts.logging), opts_.logging, ref);
  if (auto err = detectors_.share(*sys_, opts, opts_.logging))
    return err;
  if (!opts.metrics)
    opts.metrics = std::make_shared<metrics::framework_metrics>(
        metrics::framework_kind_tag::scheduler, opts_.metrics);
  auto counters = opts.metrics;
  auto init_timeout = opts.init_timeout;
  auto make_start = [factory = std::move(factory),
                     opts = std::move(opts)](std::shared_ptr<framework_slot> slot) {
    return start_function_of(
        slot, factory, [slot, opts](caf::actor_system &sys, std::unique_ptr<scheduler> behaviour) {
          auto o = opts;
          // A restart keeps the framework id it had, so the master sees a failover.
          if (auto id = slot->framework_id(); !id.empty())
            o.framework_id = id;
          o.on_framework_id = [slot, user_hook = opts.on_framework_id](const std::string &id) {
            slot->set_framework_id(id);
            if (user_hook)
              user_hook(id);
          };
          return spawn_scheduler_init_ack(sys, std::move(behaviour), std::move(o));
        });
  };
  return start(framework_kind::scheduler, ref, policy, init_timeout, std::move(counters),
               std::move(make_start));
}

caf::expected<caf::actor> host_impl::start_executor(const std::string &ref,
                                                    executor_factory factory, executor_options opts,
                                                    restart_policy policy) {
  if (!factory)
    return make_error(errc::bad_option, "start_executor(" + ref + "): no behaviour factory");
  auto env = resolve_executor_environment(opts);
  if (!env)
    return env.error();
  opts.logging = detail::inherit_logging(std::move(opts.logging), opts_.logging, ref);
  if (!opts.metrics)
    opts.metrics = std::make_shared<metrics::framework_metrics>(
        metrics::framework_kind_tag::executor, opts_.metrics);
  auto counters = opts.metrics;
  auto init_timeout = opts.init_timeout;
  auto framework_id = env->framework_id;
  auto make_start = [factory = std::move(factory), opts = std::move(opts),
                     framework_id](std::shared_ptr<framework_slot> slot) {
    slot->set_framework_id(framework_id);
    return start_function_of(slot, factory,
                             [opts](caf::actor_system &sys, std::unique_ptr<executor> behaviour) {
                               return spawn_executor_init_ack(sys, std::move(behaviour), opts);
                             });
  };
  return start(framework_kind::executor, ref, policy, init_timeout, std::move(counters),
               std::move(make_start));
}

caf::error host_impl::stop_scheduler(const std::string &ref, stop_options how) {
  if (fleet_ && (is_fleet_ref(ref) || !has_local(ref)))
    return undeclare(ref);
  return stop(framework_kind::scheduler, ref, how);
}

std::vector<framework_row> host_impl::which_schedulers() const {
  auto rows = which(framework_kind::scheduler);
  add_fleet_rows(rows);
  return rows;
}

caf::expected<call_outcome> host_impl::call_scheduler(const std::string &ref,
                                                      mesos::v1::scheduler::Call call,
                                                      std::chrono::milliseconds timeout) const {
  auto actor = running_actor(framework_kind::scheduler, ref,
                             mesos::v1::scheduler::Call::Type_Name(call.type()));
  if (!actor)
    return actor.error();
  return mesos_actor::call_scheduler(*sys_, *actor, std::move(call), timeout);
}

caf::expected<std::string> host_impl::update_executor(const std::string &ref,
                                                      mesos::v1::TaskStatus status,
                                                      std::chrono::milliseconds timeout) const {
  auto actor = running_actor(framework_kind::executor, ref, "UPDATE");
  if (!actor)
    return actor.error();
  return mesos_actor::update_executor(*sys_, *actor, std::move(status), timeout);
}

caf::error host_impl::message_executor(const std::string &ref, std::string data,
                                       std::chrono::milliseconds timeout) const {
  auto actor = running_actor(framework_kind::executor, ref, "MESSAGE");
  if (!actor)
    return actor.error();
  return mesos_actor::message_executor(*sys_, *actor, std::move(data), timeout);
}

bool host_impl::is_fleet_ref(const std::string &ref) const {
  std::lock_guard<std::mutex> guard{fleet_mtx_};
  return fleet_refs_.count(ref) > 0;
}

bool host_impl::has_local(const std::string &ref) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return schedulers_.entries.count(ref) > 0;
}

caf::error host_impl::register_fleet_factory(const std::string &name, fleet_scheduler_factory make,
                                             scheduler_options base) {
  if (!fleet_)
    return make_error(errc::bad_option, "register_scheduler_factory(" + name +
                                            "): this host has no fleet (host_options::fleet)");
  if (!fleet::valid_name(name))
    return make_error(errc::bad_option, "register_scheduler_factory: bad name '" + name +
                                            "' (1..128 of [A-Za-z0-9._-])");
  if (!make)
    return make_error(errc::bad_option, "register_scheduler_factory(" + name + "): no factory");
  if (auto err = validate(base))
    return err;
  std::vector<std::string> names;
  {
    std::lock_guard<std::mutex> guard{fleet_mtx_};
    fleet_factories_[name] = fleet_factory_entry{std::move(make), std::move(base)};
    for (auto &kv : fleet_factories_)
      names.push_back(kv.first);
  }
  fleet_->set_factories(std::move(names));
  return caf::none;
}

caf::error host_impl::declare(const std::string &ref, const std::string &factory_name,
                              fleet_scheduler_options opts, restart_policy policy,
                              std::vector<std::string> preference) {
  if (!fleet_)
    return make_error(errc::bad_option, "start_scheduler(" + ref + ", " + factory_name +
                                            "): this host has no fleet (host_options::fleet)");
  if (!fleet::valid_name(ref))
    return make_error(errc::bad_option,
                      "start_scheduler: bad fleet ref '" + ref + "' (1..128 of [A-Za-z0-9._-])");
  if (!fleet::valid_name(factory_name))
    return make_error(errc::bad_option,
                      "start_scheduler(" + ref + "): bad factory name '" + factory_name + "'");
  for (auto &h : preference)
    if (!fleet::valid_name(h))
      return make_error(errc::bad_option, "start_scheduler(" + ref +
                                              "): bad host name in the preference list '" + h +
                                              "'");
  if (auto err = check_policy(policy))
    return err;
  fleet::ref_spec spec;
  spec.factory = factory_name;
  spec.master_hosts = std::move(opts.master_hosts);
  spec.params = std::move(opts.params);
  spec.preference = std::move(preference);
  spec.policy = policy;
  return fleet_->declare(ref, spec, opts_.call_timeout);
}

caf::error host_impl::undeclare(const std::string &ref) {
  return fleet_->undeclare(ref, opts_.call_timeout);
}

void host_impl::add_fleet_rows(std::vector<framework_row> &rows) const {
  if (!fleet_)
    return;
  for (auto &r : rows)
    if (is_fleet_ref(r.ref)) {
      r.fleet = true;
      r.owner_host = fleet_->host_name();
    }
  auto snap = fleet_->last_snapshot();
  if (!snap)
    return;
  for (auto &e : snap->refs) {
    if (!e.spec || e.owner == fleet_->host_name())
      continue;
    framework_row r;
    r.ref = e.ref;
    r.fleet = true;
    r.owner_host = e.owner;
    r.status = e.owner.empty() ? framework_status::unowned : framework_status::elsewhere;
    r.framework_id = e.framework_id;
    rows.push_back(std::move(r));
  }
}

std::shared_ptr<fleet::host_ops> host_impl::fleet_ops() {
  auto ops = std::make_shared<fleet::host_ops>();
  ops->start = [this](const std::string &ref, const fleet::ref_spec &spec,
                      const std::string &framework_id, fleet::start_hooks hooks) -> caf::error {
    fleet_factory_entry entry;
    {
      std::lock_guard<std::mutex> lock{fleet_mtx_};
      auto i = fleet_factories_.find(spec.factory);
      if (i == fleet_factories_.end())
        return make_error(errc::init_failed, "no factory '" + spec.factory + "' on this host");
      entry = i->second;
      fleet_refs_.insert(ref);
    }
    auto o = entry.base;
    if (!spec.master_hosts.empty())
      o.master_hosts = spec.master_hosts;
    if (!framework_id.empty())
      o.framework_id = framework_id;
    o.subscribe_guard = [fence = std::move(hooks.guard), user_guard = o.subscribe_guard]() {
      if (auto err = fence())
        return err;
      return user_guard ? user_guard() : caf::error{};
    };
    // The fleet's store first (bounded by T); a store of the factory's own options
    // after it, with its own bound added.
    o.framework_id_store_timeout = o.store_framework_id
                                     ? hooks.store_timeout + o.framework_id_store_timeout
                                     : hooks.store_timeout;
    o.store_framework_id = [fleet_store = std::move(hooks.store), user_store = o.store_framework_id](
                             const std::string &id, std::function<void(caf::error)> done) {
      if (!user_store) {
        fleet_store(id, std::move(done));
        return;
      }
      fleet_store(id, [user_store, id, done](caf::error err) {
        if (err)
          done(std::move(err));
        else
          user_store(id, done);
      });
    };
    fleet_context ctx{ref, opts_.fleet.host_name, spec.params};
    auto make = entry.make;
    auto started = start_scheduler(
        ref, [make, ctx]() { return make(ctx); }, std::move(o), spec.policy);
    if (!started) {
      std::lock_guard<std::mutex> lock{fleet_mtx_};
      fleet_refs_.erase(ref);
      return started.error();
    }
    return caf::none;
  };
  ops->stop = [this](const std::string &ref) {
    (void)stop(framework_kind::scheduler, ref, {}); // not_found: it ended already
    std::lock_guard<std::mutex> lock{fleet_mtx_};
    fleet_refs_.erase(ref);
  };
  ops->notify = [this](host_event_kind what, const std::string &ref, const caf::error &reason) {
    if (!opts_.on_event)
      return;
    host_event ev;
    ev.kind = framework_kind::scheduler;
    ev.ref = ref;
    ev.what = what;
    ev.reason = reason;
    try {
      opts_.on_event(ev);
    } catch (...) {
      // A faulty observer must not take the coordinator down.
    }
  };
  ops->log = [log = std::make_shared<detail::logger>(opts_.logging, "fleet"),
              name = opts_.fleet.host_name](log_level level, const char *event,
                                            const std::string &text) {
    (*log)(level, event, text, {{"fleet_host", name}});
  };
  return ops;
}

bool host_impl::no_start_pending() const {
  for (auto *t : {&schedulers_, &executors_})
    for (auto &kv : t->entries)
      if (kv.second.starting)
        return false;
  return true;
}

framework_table &host_impl::table_of(framework_kind kind) {
  return kind == framework_kind::scheduler ? schedulers_ : executors_;
}

caf::expected<caf::actor> host_impl::subtree_of(framework_kind kind) {
  auto children = supervisor::which_children(*sys_, root_, opts_.call_timeout);
  if (!children)
    return children.error();
  std::string id = kind == framework_kind::scheduler ? "schedulers" : "executors";
  for (auto &c : *children)
    if (c.id == id && c.actor)
      return c.actor;
  return make_error(errc::stopped, "the host's " + id + " supervisor is not running");
}

caf::error host_impl::unwrap_start_failure(caf::error err, framework_kind kind,
                                           std::chrono::milliseconds init_timeout) {
  for (int depth = 0; depth < 2; ++depth) {
    if (!supervisor::is(err, supervisor::sup_error::start_failed))
      break;
    auto &ctx = err.context();
    if (ctx.size() == 2 && ctx.match_element<caf::error>(1))
      err = ctx.get_as<caf::error>(1);
    else
      break;
  }
  if (err == caf::sec::request_timeout)
    return make_error(errc::timeout,
                      std::string{"the "} + to_string(kind) + "'s init did not finish within " +
                          std::to_string(init_timeout.count()) + " ms (init_timeout)");
  return err;
}

void host_impl::teardown(const caf::actor &scheduler_actor, std::chrono::milliseconds timeout) {
  if (!scheduler_actor)
    return;
  mesos::v1::scheduler::Call call;
  call.set_type(mesos::v1::scheduler::Call::TEARDOWN);
  // Whatever the outcome, the framework is stopped next.
  (void)mesos_actor::call_scheduler(*sys_, scheduler_actor, std::move(call),
                                    std::max(timeout, std::chrono::milliseconds{1}));
}

} // namespace mesos_actor::detail
