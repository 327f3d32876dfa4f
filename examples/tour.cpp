// tour: the README's five-minute tour, a complete framework. It launches one shell task,
// prints its state changes and tears the framework down when the task has ended.
//   tour                 # against an embedded simulated cluster (loopback, ephemeral ports)
//   tour HOST:5050       # against a real Mesos master
#include <iostream>
#include <caf/all.hpp>
#include <mesos_actor/scheduler.hpp>
#include <mesos_actor/sim/cluster.hpp>
#include <mesos_actor/task_state.hpp>
using namespace mesos_actor;

struct hello : scheduler {
  bool launched = false;
  action resource_offers(scheduler_context& ctx, const Event::Offers& offers) override {
    for (const auto& offer : offers.offers()) {
      if (launched) { ctx.decline({offer.id()}); continue; }
      ctx.accept({offer.id()}, {launch({command_task("hello", "hello", offer.agent_id(),
        "echo hello", {scalar_resource("cpus", 0.1), scalar_resource("mem", 32)})})});
      launched = true;
    }
    return action::keep;
  }
  action status_update(scheduler_context& ctx, const Event::Update& u) override {
    std::cout << "hello: " << mesos::v1::TaskState_Name(u.status().state()) << std::endl;
    if (is_terminal(u.status().state())) ctx.teardown(); // the actor then ends normally
    return action::keep;
  }
};

int main(int argc, char** argv) {
  sim::cluster cluster; // a simulated Mesos; not needed against a real one
  cluster.start();
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  scheduler_options opts;
  opts.master_hosts = argc > 1 ? std::vector<std::string>{argv[1]} : cluster.master_urls();
  caf::scoped_actor self{sys};
  self->wait_for(spawn_scheduler(sys, std::make_unique<hello>(), opts)); // until it ends
}
