#pragma once
// Entries of the GET_FLAGS and GET_METRICS answers, for the master's and the agents'
// operator fronts (their Response messages differ, their Flag and Metric do not).

#include <string>

namespace mesos_actor::sim {

template <class GetFlags>
void add_flag(GetFlags& out, const std::string& name, const std::string& value) {
  auto* f = out.add_flags();
  f->set_name(name);
  f->set_value(value);
}

template <class GetMetrics>
void add_metric(GetMetrics& out, const std::string& name, double value) {
  auto* m = out.add_metrics();
  m->set_name(name);
  m->set_value(value);
}

} // namespace mesos_actor::sim
