// Builders for real-looking Mesos v1 messages (field names from mesos-v1-wire.tsv).
#include "support/sample_messages.hpp"

#include <limits>
#include <string>

namespace samples {

namespace v1 = mesos::v1;
using SEvent = mesos::v1::scheduler::Event;
using SCall = mesos::v1::scheduler::Call;
using ECall = mesos::v1::executor::Call;
using EEvent = mesos::v1::executor::Event;

namespace {

const char* const framework_id = "8c0a2e3b-5f1d-4d7e-9a6b-3c2f1e0d9b8a-0001";

std::string agent_id(int n) {
  return "5d3e8f7a-1b2c-4d5e-8f9a-0b1c2d3e4f5a-S" + std::to_string(n);
}

std::string uuid_bytes(int n) {
  std::string u(16, '\0');
  for (int i = 0; i < 16; ++i)
    u[i] = static_cast<char>((n * 37 + i * 11) & 0xff); // includes 0x00 and '\n'
  u[3] = '\n';
  return u;
}

v1::Resource scalar(const std::string& name, double value, const std::string& role = "") {
  v1::Resource r;
  r.set_name(name);
  r.set_type(v1::Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  if (!role.empty())
    r.mutable_allocation_info()->set_role(role);
  return r;
}

v1::Resource ports(std::uint64_t begin, std::uint64_t end, std::uint64_t begin2, std::uint64_t end2) {
  v1::Resource r;
  r.set_name("ports");
  r.set_type(v1::Value::RANGES);
  auto* a = r.mutable_ranges()->add_range();
  a->set_begin(begin);
  a->set_end(end);
  auto* b = r.mutable_ranges()->add_range();
  b->set_begin(begin2);
  b->set_end(end2);
  r.mutable_allocation_info()->set_role("analytics");
  return r;
}

v1::Resource reserved_disk(double mb) {
  v1::Resource r = scalar("disk", mb, "analytics");
  auto* res = r.add_reservations();
  res->set_type(v1::Resource::ReservationInfo::DYNAMIC);
  res->set_role("analytics");
  res->set_principal("analytics-principal");
  auto* label = res->mutable_labels()->add_labels();
  label->set_key("owner");
  label->set_value("team-ä"); // non-ASCII UTF-8
  r.mutable_disk()->mutable_persistence()->set_id("volume-" + std::to_string(static_cast<int>(mb)));
  auto* volume = r.mutable_disk()->mutable_volume();
  volume->set_container_path("data");
  volume->set_mode(v1::Volume::RW);
  return r;
}

v1::Attribute text_attribute(const std::string& name, const std::string& value) {
  v1::Attribute a;
  a.set_name(name);
  a.set_type(v1::Value::TEXT);
  a.mutable_text()->set_value(value);
  return a;
}

v1::Attribute scalar_attribute(const std::string& name, double value) {
  v1::Attribute a;
  a.set_name(name);
  a.set_type(v1::Value::SCALAR);
  a.mutable_scalar()->set_value(value);
  return a;
}

v1::Attribute set_attribute(const std::string& name, std::initializer_list<const char*> items) {
  v1::Attribute a;
  a.set_name(name);
  a.set_type(v1::Value::SET);
  for (const char* item : items)
    a.mutable_set()->add_item(item);
  return a;
}

v1::Offer offer(int n) {
  v1::Offer o;
  o.mutable_id()->set_value(std::string(framework_id) + "-O" + std::to_string(n));
  o.mutable_framework_id()->set_value(framework_id);
  o.mutable_agent_id()->set_value(agent_id(n % 7));
  o.set_hostname("agent-" + std::to_string(n % 7) + ".dc1.example.com");
  auto* url = o.mutable_url();
  url->set_scheme("http");
  url->mutable_address()->set_hostname(o.hostname());
  url->mutable_address()->set_ip("10.0.3." + std::to_string(n % 7 + 10));
  url->mutable_address()->set_port(5051);
  url->set_path("/slave(1)");
  auto* fd = o.mutable_domain()->mutable_fault_domain();
  fd->mutable_region()->set_name("eu-west-1");
  fd->mutable_zone()->set_name("eu-west-1" + std::string(1, static_cast<char>('a' + n % 3)));
  *o.add_resources() = scalar("cpus", 8 - (n % 4) * 0.5, "analytics");
  *o.add_resources() = scalar("mem", 15872.0 + n, "analytics");
  *o.add_resources() = scalar("disk", 102400.0, "analytics");
  *o.add_resources() = ports(31000, 31999 - n % 100, 32100, 32767);
  if (n % 3 == 0)
    *o.add_resources() = reserved_disk(2048);
  *o.add_attributes() = text_attribute("rack", "r" + std::to_string(n % 12));
  *o.add_attributes() = scalar_attribute("generation", 3);
  *o.add_attributes() = set_attribute("features", {"ssd", "avx2", "10gbe"});
  if (n % 2 == 0)
    o.add_executor_ids()->set_value("executor-" + std::to_string(n));
  o.mutable_allocation_info()->set_role("analytics");
  return o;
}

v1::Labels labels() {
  v1::Labels l;
  auto* a = l.add_labels();
  a->set_key("team");
  a->set_value("analytics");
  auto* b = l.add_labels();
  b->set_key("note");
  b->set_value("quote \" backslash \\ tab \t newline \n end");
  return l;
}

v1::ExecutorInfo executor_info() {
  v1::ExecutorInfo e;
  e.set_type(v1::ExecutorInfo::CUSTOM);
  e.mutable_executor_id()->set_value("worker-executor-1");
  e.mutable_framework_id()->set_value(framework_id);
  e.mutable_command()->set_value("/opt/worker/bin/executor --verbose");
  auto* uri = e.mutable_command()->add_uris();
  uri->set_value("https://artifacts.example.com/worker-1.2.3.tar.gz");
  uri->set_cache(true);
  *e.add_resources() = scalar("cpus", 0.1);
  *e.add_resources() = scalar("mem", 32);
  e.set_name("worker executor");
  e.set_data(std::string("\x00\x01\x02\n\xff", 5));
  e.mutable_shutdown_grace_period()->set_nanoseconds(5000000000);
  *e.mutable_labels() = labels();
  return e;
}

v1::AgentInfo agent_info() {
  v1::AgentInfo a;
  a.set_hostname("agent-3.dc1.example.com");
  a.set_port(5051);
  *a.add_resources() = scalar("cpus", 16);
  *a.add_resources() = ports(31000, 32000, 33000, 34000);
  *a.add_attributes() = text_attribute("rack", "r3");
  a.mutable_id()->set_value(agent_id(3));
  return a;
}


v1::Offer::Operation launch_operation(int n) {
  v1::Offer::Operation op;
  op.set_type(v1::Offer::Operation::LAUNCH);
  op.mutable_id()->set_value("op-launch-" + std::to_string(n));
  *op.mutable_launch()->add_task_infos() = task_info(n);
  *op.mutable_launch()->add_task_infos() = task_info(n + 1);
  return op;
}

v1::Offer::Operation reserve_operation() {
  v1::Offer::Operation op;
  op.set_type(v1::Offer::Operation::RESERVE);
  *op.mutable_reserve()->add_resources() = reserved_disk(4096);
  return op;
}

mesos::v1::scheduler::OfferConstraints offer_constraints() {
  mesos::v1::scheduler::OfferConstraints c;
  auto& role = (*c.mutable_role_constraints())["analytics"];
  auto* ac = role.add_groups()->add_attribute_constraints();
  ac->mutable_selector()->set_attribute_name("rack");
  ac->mutable_predicate()->mutable_text_matches()->set_regex("r[0-9]+");
  auto* host = role.add_groups()->add_attribute_constraints();
  host->mutable_selector()->set_pseudoattribute_type(
    mesos::v1::scheduler::AttributeConstraint::Selector::HOSTNAME);
  host->mutable_predicate()->mutable_exists();
  return c;
}

v1::Filters filters(double refuse) {
  v1::Filters f;
  f.set_refuse_seconds(refuse);
  return f;
}

} // namespace

v1::FrameworkInfo framework_info() {
  v1::FrameworkInfo f;
  f.set_user("analytics");
  f.set_name("analytics-framework (mesos-actor)");
  f.mutable_id()->set_value(framework_id);
  f.set_failover_timeout(604800);
  f.set_checkpoint(true);
  f.add_roles("analytics");
  f.add_roles("analytics/batch");
  f.set_hostname("scheduler-1.dc1.example.com");
  f.set_principal("analytics-principal");
  f.set_webui_url("http://scheduler-1.dc1.example.com:8080/");
  f.add_capabilities()->set_type(v1::FrameworkInfo::Capability::MULTI_ROLE);
  f.add_capabilities()->set_type(v1::FrameworkInfo::Capability::PARTITION_AWARE);
  f.add_capabilities()->set_type(v1::FrameworkInfo::Capability::TASK_KILLING_STATE);
  *f.mutable_labels() = labels();
  auto& of = (*f.mutable_offer_filters())["analytics"];
  auto& q = (*of.mutable_min_allocatable_resources()->add_quantities()->mutable_quantities())["cpus"];
  q.set_value(0.5);
  return f;
}

v1::TaskInfo task_info(int n) {
  v1::TaskInfo t;
  t.set_name("analytics-task-" + std::to_string(n));
  t.mutable_task_id()->set_value("analytics-task-" + std::to_string(n) + "-7f3a");
  t.mutable_agent_id()->set_value(agent_id(n % 7));
  *t.add_resources() = scalar("cpus", 1.5, "analytics");
  *t.add_resources() = scalar("mem", 2048, "analytics");
  t.mutable_command()->set_value("./run-job --shard=" + std::to_string(n));
  auto* var = t.mutable_command()->mutable_environment()->add_variables();
  var->set_name("SHARD");
  var->set_value(std::to_string(n));
  t.mutable_command()->add_arguments("--fast");
  auto* hc = t.mutable_health_check();
  hc->set_type(v1::HealthCheck::HTTP);
  hc->mutable_http()->set_port(8080);
  hc->mutable_http()->set_path("/health");
  hc->mutable_http()->add_statuses(200);
  t.mutable_kill_policy()->mutable_grace_period()->set_nanoseconds(30000000000);
  t.set_data(std::string("payload\n\x00\x01\xfe\xff", 12));
  *t.mutable_labels() = labels();
  (*t.mutable_limits())["cpus"].set_value(2);
  (*t.mutable_limits())["mem"].set_value(4096);
  t.mutable_max_completion_time()->set_nanoseconds(3600000000000);
  return t;
}

v1::TaskStatus task_status(int n) {
  v1::TaskStatus s;
  s.mutable_task_id()->set_value("analytics-task-" + std::to_string(n) + "-7f3a");
  s.set_state(n % 4 == 3 ? v1::TASK_FAILED : v1::TASK_RUNNING);
  s.set_message(n % 4 == 3 ? "Command exited with status 1" : "");
  s.set_source(v1::TaskStatus::SOURCE_EXECUTOR);
  if (n % 4 == 3)
    s.set_reason(v1::TaskStatus::REASON_COMMAND_EXECUTOR_FAILED);
  std::string data = "progress=" + std::to_string(n % 100) + "\n";
  data += std::string("\x00\x01\x02\x7f\x80\xff", 6);
  s.set_data(data);
  s.mutable_agent_id()->set_value(agent_id(n % 7));
  s.mutable_executor_id()->set_value("executor-" + std::to_string(n));
  s.set_timestamp(1764028800.123456 + n);
  s.set_uuid(uuid_bytes(n));
  s.set_healthy(true);
  s.mutable_container_status()->mutable_container_id()->set_value("c0ffee-" + std::to_string(n));
  s.mutable_container_status()->set_executor_pid(4242 + n);
  return s;
}

SEvent subscribed() {
  SEvent e;
  e.set_type(SEvent::SUBSCRIBED);
  auto* s = e.mutable_subscribed();
  s->mutable_framework_id()->set_value(framework_id);
  s->set_heartbeat_interval_seconds(15);
  auto* m = s->mutable_master_info();
  m->set_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
  m->set_ip(16777343); // 127.0.0.1 in network order
  m->set_port(5050);
  m->set_pid("master@10.0.1.5:5050");
  m->set_hostname("master-1.dc1.example.com");
  m->set_version("1.12.0");
  m->mutable_address()->set_hostname("master-1.dc1.example.com");
  m->mutable_address()->set_ip("10.0.1.5");
  m->mutable_address()->set_port(5050);
  m->add_capabilities()->set_type(v1::MasterInfo::Capability::AGENT_UPDATE);
  m->add_capabilities()->set_type(v1::MasterInfo::Capability::QUOTA_V2);
  return e;
}

SEvent offers(int first_offer, int count) {
  SEvent e;
  e.set_type(SEvent::OFFERS);
  for (int i = 0; i < count; ++i)
    *e.mutable_offers()->add_offers() = offer(first_offer + i);
  return e;
}

SEvent inverse_offers() {
  SEvent e;
  e.set_type(SEvent::INVERSE_OFFERS);
  auto* io = e.mutable_inverse_offers()->add_inverse_offers();
  io->mutable_id()->set_value("inverse-offer-1");
  io->mutable_framework_id()->set_value(framework_id);
  io->mutable_agent_id()->set_value(agent_id(2));
  io->mutable_unavailability()->mutable_start()->set_nanoseconds(1764028800000000000);
  io->mutable_unavailability()->mutable_duration()->set_nanoseconds(7200000000000);
  *io->add_resources() = scalar("cpus", 4);
  return e;
}

SEvent rescind(int offer_number) {
  SEvent e;
  e.set_type(SEvent::RESCIND);
  e.mutable_rescind()->mutable_offer_id()->set_value(std::string(framework_id) + "-O"
                                                      + std::to_string(offer_number));
  return e;
}

SEvent rescind_inverse_offer() {
  SEvent e;
  e.set_type(SEvent::RESCIND_INVERSE_OFFER);
  e.mutable_rescind_inverse_offer()->mutable_inverse_offer_id()->set_value("inverse-offer-1");
  return e;
}

SEvent update(int n) {
  SEvent e;
  e.set_type(SEvent::UPDATE);
  *e.mutable_update()->mutable_status() = task_status(n);
  return e;
}

SEvent update_operation_status() {
  SEvent e;
  e.set_type(SEvent::UPDATE_OPERATION_STATUS);
  auto* s = e.mutable_update_operation_status()->mutable_status();
  s->mutable_operation_id()->set_value("op-reserve-7");
  s->set_state(v1::OPERATION_FINISHED);
  s->set_message("reserved");
  *s->add_converted_resources() = reserved_disk(4096);
  s->mutable_uuid()->set_value(uuid_bytes(7));
  s->mutable_agent_id()->set_value(agent_id(1));
  return e;
}

SEvent message() {
  SEvent e;
  e.set_type(SEvent::MESSAGE);
  e.mutable_message()->mutable_agent_id()->set_value(agent_id(4));
  e.mutable_message()->mutable_executor_id()->set_value("executor-4");
  e.mutable_message()->set_data(std::string("\x89PNG\r\n\x1a\n\x00\x00", 10));
  return e;
}

SEvent small_message(std::size_t i) {
  SEvent e;
  e.set_type(SEvent::MESSAGE);
  auto& m = *e.mutable_message();
  m.mutable_agent_id()->set_value("agent-" + std::to_string(i % 8));
  m.mutable_executor_id()->set_value("executor-" + std::to_string(i % 64));
  m.set_data("tick " + std::to_string(i));
  return e;
}

SEvent failure() {
  SEvent e;
  e.set_type(SEvent::FAILURE);
  e.mutable_failure()->mutable_agent_id()->set_value(agent_id(5));
  e.mutable_failure()->mutable_executor_id()->set_value("executor-5");
  e.mutable_failure()->set_status(-9);
  return e;
}

SEvent error() {
  SEvent e;
  e.set_type(SEvent::ERROR);
  e.mutable_error()->set_message("Framework has been removed: \"analytics\" (failover timeout)");
  return e;
}

SEvent heartbeat() {
  SEvent e;
  e.set_type(SEvent::HEARTBEAT);
  return e;
}

std::vector<SEvent> every_scheduler_event() {
  return {subscribed(), offers(0, 3), inverse_offers(), rescind(1), rescind_inverse_offer(),
          update(3), update_operation_status(), message(), failure(), error(), heartbeat()};
}

std::vector<SCall> every_scheduler_call() {
  std::vector<SCall> calls;
  auto call = [&](SCall::Type type) -> SCall& {
    SCall& c = calls.emplace_back();
    c.set_type(type);
    c.mutable_framework_id()->set_value(framework_id);
    return c;
  };
  {
    SCall& c = calls.emplace_back();
    c.set_type(SCall::SUBSCRIBE);
    *c.mutable_subscribe()->mutable_framework_info() = framework_info();
    c.mutable_subscribe()->add_suppressed_roles("analytics/batch");
    *c.mutable_subscribe()->mutable_offer_constraints() = offer_constraints();
  }
  call(SCall::TEARDOWN);
  {
    auto& a = *call(SCall::ACCEPT).mutable_accept();
    a.add_offer_ids()->set_value(std::string(framework_id) + "-O1");
    a.add_offer_ids()->set_value(std::string(framework_id) + "-O2");
    *a.add_operations() = launch_operation(10);
    *a.add_operations() = reserve_operation();
    *a.mutable_filters() = filters(30);
  }
  {
    auto& d = *call(SCall::DECLINE).mutable_decline();
    d.add_offer_ids()->set_value(std::string(framework_id) + "-O3");
    *d.mutable_filters() = filters(std::numeric_limits<double>::infinity());
  }
  {
    auto& a = *call(SCall::ACCEPT_INVERSE_OFFERS).mutable_accept_inverse_offers();
    a.add_inverse_offer_ids()->set_value("inverse-offer-1");
    *a.mutable_filters() = filters(60);
  }
  call(SCall::DECLINE_INVERSE_OFFERS).mutable_decline_inverse_offers()->add_inverse_offer_ids()->set_value("inverse-offer-2");
  call(SCall::REVIVE).mutable_revive()->add_roles("analytics");
  {
    auto& k = *call(SCall::KILL).mutable_kill();
    k.mutable_task_id()->set_value("analytics-task-3-7f3a");
    k.mutable_agent_id()->set_value(agent_id(3));
    k.mutable_kill_policy()->mutable_grace_period()->set_nanoseconds(10000000000);
  }
  {
    auto& s = *call(SCall::SHUTDOWN).mutable_shutdown();
    s.mutable_executor_id()->set_value("executor-3");
    s.mutable_agent_id()->set_value(agent_id(3));
  }
  {
    auto& a = *call(SCall::ACKNOWLEDGE).mutable_acknowledge();
    a.mutable_agent_id()->set_value(agent_id(3));
    a.mutable_task_id()->set_value("analytics-task-3-7f3a");
    a.set_uuid(uuid_bytes(3));
  }
  {
    auto& a = *call(SCall::ACKNOWLEDGE_OPERATION_STATUS).mutable_acknowledge_operation_status();
    a.mutable_agent_id()->set_value(agent_id(1));
    a.set_uuid(uuid_bytes(7));
    a.mutable_operation_id()->set_value("op-reserve-7");
  }
  {
    auto& r = *call(SCall::RECONCILE).mutable_reconcile();
    auto* t = r.add_tasks();
    t->mutable_task_id()->set_value("analytics-task-3-7f3a");
    t->mutable_agent_id()->set_value(agent_id(3));
    r.add_tasks()->mutable_task_id()->set_value("analytics-task-4-7f3a");
  }
  {
    auto& r = *call(SCall::RECONCILE_OPERATIONS).mutable_reconcile_operations();
    auto* op = r.add_operations();
    op->mutable_operation_id()->set_value("op-reserve-7");
    op->mutable_agent_id()->set_value(agent_id(1));
  }
  {
    auto& m = *call(SCall::MESSAGE).mutable_message();
    m.mutable_agent_id()->set_value(agent_id(4));
    m.mutable_executor_id()->set_value("executor-4");
    m.set_data(std::string("hello\x00\n\xff", 8));
  }
  {
    auto* req = call(SCall::REQUEST).mutable_request()->add_requests();
    req->mutable_agent_id()->set_value(agent_id(2));
    *req->add_resources() = scalar("cpus", 2);
  }
  call(SCall::SUPPRESS).mutable_suppress()->add_roles("analytics/batch");
  {
    auto& u = *call(SCall::UPDATE_FRAMEWORK).mutable_update_framework();
    *u.mutable_framework_info() = framework_info();
    u.mutable_framework_info()->set_failover_timeout(3600);
    *u.mutable_offer_constraints() = offer_constraints();
  }
  return calls;
}

std::vector<ECall> every_executor_call() {
  std::vector<ECall> calls;
  auto call = [&](ECall::Type type) -> ECall& {
    ECall& c = calls.emplace_back();
    c.set_type(type);
    c.mutable_executor_id()->set_value("worker-executor-1");
    c.mutable_framework_id()->set_value(framework_id);
    return c;
  };
  {
    auto& s = *call(ECall::SUBSCRIBE).mutable_subscribe();
    *s.add_unacknowledged_tasks() = task_info(5);
    *s.add_unacknowledged_updates()->mutable_status() = task_status(5);
  }
  *call(ECall::UPDATE).mutable_update()->mutable_status() = task_status(6);
  call(ECall::MESSAGE).mutable_message()->set_data(std::string("\x00\x01\n", 3));
  call(ECall::HEARTBEAT);
  return calls;
}

std::vector<EEvent> every_executor_event() {
  std::vector<EEvent> events;
  auto event = [&](EEvent::Type type) -> EEvent& {
    EEvent& e = events.emplace_back();
    e.set_type(type);
    return e;
  };
  {
    auto& s = *event(EEvent::SUBSCRIBED).mutable_subscribed();
    *s.mutable_executor_info() = executor_info();
    *s.mutable_framework_info() = framework_info();
    *s.mutable_agent_info() = agent_info();
    s.mutable_container_id()->set_value("c0ffee-1");
    s.mutable_container_id()->mutable_parent()->set_value("c0ffee-0");
  }
  *event(EEvent::LAUNCH).mutable_launch()->mutable_task() = task_info(7);
  {
    auto& g = *event(EEvent::LAUNCH_GROUP).mutable_launch_group()->mutable_task_group();
    *g.add_tasks() = task_info(8);
    *g.add_tasks() = task_info(9);
  }
  {
    auto& k = *event(EEvent::KILL).mutable_kill();
    k.mutable_task_id()->set_value("analytics-task-7-7f3a");
    k.mutable_kill_policy()->mutable_grace_period()->set_nanoseconds(2000000000);
  }
  {
    auto& a = *event(EEvent::ACKNOWLEDGED).mutable_acknowledged();
    a.mutable_task_id()->set_value("analytics-task-7-7f3a");
    a.set_uuid(uuid_bytes(7));
  }
  event(EEvent::MESSAGE).mutable_message()->set_data(std::string("\xff\x00 framework says hi", 20));
  event(EEvent::ERROR).mutable_error()->set_message("Executor is not subscribed");
  event(EEvent::SHUTDOWN);
  event(EEvent::HEARTBEAT);
  return events;
}

std::vector<SEvent> event_stream(int offers_events, int updates_per_offer) {
  std::vector<SEvent> events{subscribed()};
  int task = 0;
  for (int i = 0; i < offers_events; ++i) {
    events.push_back(offers(i * 4, 2 + i % 4));
    for (int u = 0; u < updates_per_offer; ++u)
      events.push_back(update(task++));
    if (i % 3 == 2)
      events.push_back(heartbeat());
  }
  return events;
}

} // namespace samples
