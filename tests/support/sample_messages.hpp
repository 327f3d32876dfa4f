#pragma once
// Real-looking Mesos v1 messages built programmatically, shared by the codec tests,
// the codec and event benchmarks and the fuzz corpus generator.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

namespace samples {

mesos::v1::FrameworkInfo framework_info();
mesos::v1::TaskInfo task_info(int n);
mesos::v1::TaskStatus task_status(int n);

// Scheduler events, one per type.
mesos::v1::scheduler::Event subscribed();
mesos::v1::scheduler::Event offers(int first_offer, int count);
mesos::v1::scheduler::Event inverse_offers();
mesos::v1::scheduler::Event rescind(int offer);
mesos::v1::scheduler::Event rescind_inverse_offer();
mesos::v1::scheduler::Event update(int n); // binary data with '\n' bytes, 16-byte uuid
mesos::v1::scheduler::Event update_operation_status();
mesos::v1::scheduler::Event message();
/// The i-th small MESSAGE event of the benchmarks' streams (agent, executor, "tick i").
mesos::v1::scheduler::Event small_message(std::size_t i);
mesos::v1::scheduler::Event failure();
mesos::v1::scheduler::Event error();
mesos::v1::scheduler::Event heartbeat();

/// Every scheduler Event type (except UNKNOWN), realistic contents.
std::vector<mesos::v1::scheduler::Event> every_scheduler_event();
/// Every scheduler Call type (except UNKNOWN), realistic contents.
std::vector<mesos::v1::scheduler::Call> every_scheduler_call();
/// Every executor Call type (except UNKNOWN).
std::vector<mesos::v1::executor::Call> every_executor_call();
/// Every executor Event type (except UNKNOWN).
std::vector<mesos::v1::executor::Event> every_executor_event();

/// A subscription as a master sends it: SUBSCRIBED, then OFFERS, UPDATEs and
/// HEARTBEATs mixed; `updates_per_offer` UPDATEs follow each OFFERS event.
std::vector<mesos::v1::scheduler::Event> event_stream(int offers_events, int updates_per_offer);

} // namespace samples
