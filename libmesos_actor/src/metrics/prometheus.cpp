#include "mesos_actor/metrics/prometheus.hpp"

#include <charconv>
#include <cmath>
#include <functional>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/metrics/options.hpp"

namespace mesos_actor::metrics {

caf::error validate(const prometheus_options& opts) {
  if (!opts.enabled)
    return caf::none;
  if (opts.address.empty())
    return make_error(errc::bad_option, "prometheus.address must not be empty");
  if (opts.path.empty() || opts.path.front() != '/')
    return make_error(errc::bad_option, "prometheus.path must start with '/'");
  return caf::none;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string number(double v) {
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v))
    return "NaN";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string number(std::uint64_t v) {
  return std::to_string(v);
}

using labels = std::vector<std::pair<std::string, std::string>>;

class writer {
public:
  void family(const char* name, const char* type, const char* help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void sample(const std::string& name, const labels& ls, const std::string& value) {
    out_ += name;
    if (!ls.empty()) {
      out_ += '{';
      bool first = true;
      for (auto& [k, v] : ls) {
        if (!first)
          out_ += ',';
        first = false;
        out_ += k;
        out_ += "=\"";
        out_ += escape_label_value(v);
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
    out_ += value;
    out_ += '\n';
  }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

labels base(const framework_snapshot& f) {
  return {{"framework", f.ref}, {"kind", f.kind}};
}

labels with(labels ls, std::string key, std::string value) {
  ls.emplace_back(std::move(key), std::move(value));
  return ls;
}

using per_framework = std::function<void(const framework_snapshot&)>;

} // namespace

std::string render_prometheus(const host_snapshot& snap) {
  writer w;
  auto each = [&](const per_framework& f) {
    for (auto& fw : snap.frameworks)
      f(fw);
  };
  auto counter = [&](const char* name, const char* help,
                     std::uint64_t framework_snapshot::*field) {
    w.family(name, "counter", help);
    each([&](const framework_snapshot& f) { w.sample(name, base(f), number(f.*field)); });
  };

  // A host-wide family: one sample, no labels.
  auto one = [&](const char* name, const char* type, const char* help, std::string value) {
    w.family(name, type, help);
    w.sample(name, {}, value);
  };
  one("mesos_actor_host_frameworks", "gauge", "Frameworks known to the host.",
      number(snap.totals.frameworks));
  one("mesos_actor_host_frameworks_running", "gauge",
      "Frameworks of the host whose actor is running.", number(snap.totals.running));

  if (snap.fleet) {
    // The host's fleet membership (docs/fleet.md).
    auto& fl = *snap.fleet;
    one("mesos_actor_fleet_acquired_total", "counter", "Fleet refs this host claimed and started.",
        number(fl.acquired));
    one("mesos_actor_fleet_lost_total", "counter",
        "Fleet refs stopped here because another host owns them.", number(fl.lost));
    one("mesos_actor_fleet_fenced_total", "counter",
        "Fleet refs stopped here because the ZooKeeper lease ran out.", number(fl.fenced));
    one("mesos_actor_fleet_taken_over_total", "counter",
        "Fleet refs handed over to a preferred host.", number(fl.taken_over));
    one("mesos_actor_fleet_malformed_nodes_total", "counter",
        "Malformed nodes found under the fleet path (skipped).", number(fl.malformed_nodes));
    one("mesos_actor_fleet_zookeeper_requests_total", "counter",
        "ZooKeeper requests sent by the fleet (reads, writes, pings).", number(fl.zk_requests));
    one("mesos_actor_fleet_zookeeper_writes_total", "counter",
        "ZooKeeper writes (create, set, delete) sent by the fleet.", number(fl.zk_writes));
    one("mesos_actor_fleet_owned_refs", "gauge", "Fleet refs this host runs now.",
        number(fl.owned_refs));
    one("mesos_actor_fleet_live_hosts", "gauge", "Live hosts in the last read of the fleet.",
        number(fl.live_hosts));
    one("mesos_actor_fleet_session_timeout_seconds", "gauge",
        "The ZooKeeper session timeout in use (negotiated with the server).",
        number(fl.session_timeout_seconds));
  }

  w.family("mesos_actor_events_received_total", "counter", "Events received, by type.");
  each([&](const framework_snapshot& f) {
    for (auto& [type, n] : f.events_received)
      w.sample("mesos_actor_events_received_total", with(base(f), "type", type), number(n));
  });
  w.family("mesos_actor_calls_total", "counter", "Calls made, by type and outcome.");
  each([&](const framework_snapshot& f) {
    for (auto& c : f.calls)
      w.sample("mesos_actor_calls_total", with(with(base(f), "type", c.type), "outcome", c.outcome),
               number(c.count));
  });
  w.family("mesos_actor_call_rejections_total", "counter",
           "Calls the other side rejected, by type and HTTP status.");
  each([&](const framework_snapshot& f) {
    for (auto& r : f.rejections)
      w.sample("mesos_actor_call_rejections_total",
               with(with(base(f), "type", r.type), "status", std::to_string(r.status)),
               number(r.count));
  });
  counter("mesos_actor_bytes_received_total", "Bytes of event records received.",
          &framework_snapshot::bytes_in);
  counter("mesos_actor_decode_errors_total",
          "Event streams ended by a record that did not decode or by bad framing.",
          &framework_snapshot::decode_errors);
  counter("mesos_actor_subscribe_attempts_total", "SUBSCRIBE requests made.",
          &framework_snapshot::subscribe_attempts);
  counter("mesos_actor_disconnections_total", "Subscriptions lost.",
          &framework_snapshot::disconnections);
  counter("mesos_actor_reconnects_total", "Successful resubscriptions after a disconnection.",
          &framework_snapshot::reconnects);
  counter("mesos_actor_restarts_total", "Restarts by the host's supervisor.",
          &framework_snapshot::restarts);

  w.family("mesos_actor_framework_state", "gauge", "1 for the framework's current state.");
  each([&](const framework_snapshot& f) {
    w.sample("mesos_actor_framework_state", with(base(f), "state", f.state), "1");
  });
  w.family("mesos_actor_seconds_since_last_event", "gauge",
           "Seconds since the last event was received.");
  each([&](const framework_snapshot& f) {
    if (f.seconds_since_last_event)
      w.sample("mesos_actor_seconds_since_last_event", base(f), number(*f.seconds_since_last_event));
  });
  w.family("mesos_actor_seconds_since_last_heartbeat", "gauge",
           "Seconds since the last HEARTBEAT event was received.");
  each([&](const framework_snapshot& f) {
    if (f.seconds_since_last_heartbeat)
      w.sample("mesos_actor_seconds_since_last_heartbeat", base(f),
               number(*f.seconds_since_last_heartbeat));
  });

  w.family("mesos_actor_call_latency_seconds", "histogram",
           "Time from a call being sent to its answer (or transport error).");
  each([&](const framework_snapshot& f) {
    auto& h = f.call_latency;
    for (std::size_t i = 0; i < h.bounds.size() && i < h.cumulative.size(); ++i)
      w.sample("mesos_actor_call_latency_seconds_bucket", with(base(f), "le", number(h.bounds[i])),
               number(h.cumulative[i]));
    w.sample("mesos_actor_call_latency_seconds_bucket", with(base(f), "le", "+Inf"),
             number(h.count));
    w.sample("mesos_actor_call_latency_seconds_sum", base(f), number(h.sum));
    w.sample("mesos_actor_call_latency_seconds_count", base(f), number(h.count));
  });
  return w.take();
}

} // namespace mesos_actor::metrics
