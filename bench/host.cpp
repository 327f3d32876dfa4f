// bench_host: N frameworks subscribed to a simulated master from ONE host process.
// Per N it reports the time until all are SUBSCRIBED, the resident memory per
// framework beyond the process baseline, the CPU used while idle (heartbeats only),
// and the time host.shutdown() takes. The simulator runs in a child process, so the
// figures are the client's alone; each N runs in a fresh client process, so one
// round's heap does not flatter the next.
//
//   bench_host                      # N = 10, 100, 1000
//   bench_host --n 1000 --heartbeat 15      # Mesos's default heartbeat interval
//   options: --n N  --heartbeat SECONDS (default 1)  --idle SECONDS (default max(5, heartbeat))
//
// Targets (issue 5): 1,000 frameworks in one process, < 256 KiB RSS each beyond the
// baseline, all subscribed within 10 s, idle CPU < 5% of one core.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <mesos_actor/errors.hpp>
#include <mesos_actor/host.hpp>
#include <mesos_actor/sim/cluster.hpp>

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

struct settings {
  std::vector<int> sizes{10, 100, 1000};
  int heartbeat_s = 1;
  int idle_s = 0; ///< 0 = max(5 s, one heartbeat interval)
};

long rss_kib() {
  std::ifstream statm{"/proc/self/statm"};
  long pages_total = 0;
  long pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// "Threads:" of /proc/self/status: what each framework costs in threads.
long thread_count() {
  std::ifstream status{"/proc/self/status"};
  std::string key;
  while (status >> key) {
    if (key == "Threads:") {
      long n = 0;
      status >> n;
      return n;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

double since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// Counts SUBSCRIBED across all frameworks of a round.
class counting_scheduler : public mesos_actor::scheduler {
public:
  explicit counting_scheduler(std::atomic<int>& subscribed) : subscribed_(subscribed) {}
  mesos_actor::action registered(mesos_actor::scheduler_context&,
                                 const Event::Subscribed&) override {
    ++subscribed_;
    return mesos_actor::action::keep;
  }

private:
  std::atomic<int>& subscribed_;
};

// The simulator process: prints its master URL on `out`, serves until `in` closes.
[[noreturn]] void run_simulator(int in, int out, const settings& s) {
  mesos_actor::sim::cluster_options o;
  o.agents = 0;
  o.heartbeat_interval = std::chrono::seconds(s.heartbeat_s);
  o.max_trace_entries = 0;
  o.server_threads = 4096;
  mesos_actor::sim::cluster sim{o};
  sim.start();
  auto url = sim.master_urls()[0] + "\n";
  if (write(out, url.data(), url.size()) < 0)
    std::_Exit(1);
  char c;
  while (read(in, &c, 1) > 0) {
  }
  sim.stop();
  std::_Exit(0);
}

// One round in a fresh process; returns its exit status (0 = targets measured).
int run_round(const std::string& master, int n, const settings& s) {
  mesos_actor::host_options ho;
  ho.logging.min_level = mesos_actor::log_level::warning; // not 3 lines per framework
  mesos_actor::host h{ho};
  std::atomic<int> subscribed{0};
  mesos_actor::scheduler_options o;
  o.master_hosts = {master};
  o.logging.min_level = mesos_actor::log_level::off;
  mesos_actor::restart_policy p;
  p.restart = supervisor::restart_type::transient;
  auto factory = [&] { return std::make_unique<counting_scheduler>(subscribed); };

  // One framework started and stopped first: the one-time costs (protobuf descriptor
  // pools, HTTP client and CAF first use) are then part of the baseline, and the
  // figure below is what each further framework costs.
  std::this_thread::sleep_for(200ms); // let the host's threads settle
  long bare = rss_kib();
  if (!h.start_scheduler("warm-up", factory, o, p))
    return 1;
  for (auto deadline = clock_type::now() + 10s; subscribed.load() < 1 && clock_type::now() < deadline;)
    std::this_thread::sleep_for(5ms);
  h.stop_scheduler("warm-up");
  subscribed = 0;
  std::this_thread::sleep_for(200ms);
  long base = rss_kib();
  long base_threads = thread_count();

  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i) {
    auto r = h.start_scheduler("fw-" + std::to_string(i), factory, o, p);
    if (!r) {
      std::printf("N=%d: start %d failed: %s\n", n, i, mesos_actor::describe(r.error()).c_str());
      return 1;
    }
  }
  double started = since(t0);
  auto deadline = t0 + 60s;
  while (subscribed.load() < n && clock_type::now() < deadline)
    std::this_thread::sleep_for(5ms); // polling a counter; the figure is the wall time
  double all_subscribed = since(t0);
  if (subscribed.load() < n) {
    std::printf("N=%d: only %d subscribed after 60 s\n", n, subscribed.load());
    return 1;
  }
  std::this_thread::sleep_for(500ms); // let in-flight allocations land
  long rss = rss_kib();
  long threads = thread_count() - base_threads;

  double cpu0 = cpu_seconds();
  auto i0 = clock_type::now();
  std::this_thread::sleep_for(std::chrono::seconds(s.idle_s)); // the measuring window
  double idle_cpu = (cpu_seconds() - cpu0) / since(i0) * 100.0;

  auto s0 = clock_type::now();
  h.shutdown();
  double stop = since(s0);

  double per_fw = static_cast<double>(rss - base) / n;
  std::printf("N=%-5d start_scheduler x N %6.2f s | all SUBSCRIBED %6.2f s%s | RSS base %ld KiB (bare host %ld),"
              " +%.1f KiB/framework%s | idle CPU %.2f%% of one core (heartbeat %d s)%s |"
              " shutdown %.2f s | +%ld threads\n",
              n, started, all_subscribed, all_subscribed < 10 ? "" : " (MISS: > 10 s)", base, bare,
              per_fw, per_fw < 256 ? "" : " (MISS: >= 256)", idle_cpu, s.heartbeat_s,
              idle_cpu < 5 ? "" : " (MISS: >= 5%)", stop, threads);
  std::fflush(stdout);
  return 0;
}

bool parse(int argc, char** argv, settings& s) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    int v = std::atoi(argv[i + 1]);
    if (v <= 0)
      return false;
    if (a == "--n")
      s.sizes = {v};
    else if (a == "--heartbeat")
      s.heartbeat_s = v;
    else if (a == "--idle")
      s.idle_s = v;
    else
      return false;
  }
  if (s.idle_s == 0)
    s.idle_s = std::max(5, s.heartbeat_s); // at least one heartbeat per framework
  return argc % 2 == 1;
}

} // namespace

int main(int argc, char** argv) {
  settings s;
  if (!parse(argc, argv, s)) {
    std::fprintf(stderr, "usage: bench_host [--n N] [--heartbeat SECONDS] [--idle SECONDS]\n");
    return 2;
  }
  // Fork before any thread exists in this process.
  int to_sim[2];
  int from_sim[2];
  if (pipe(to_sim) != 0 || pipe(from_sim) != 0)
    return 1;
  pid_t sim = fork();
  if (sim < 0)
    return 1;
  if (sim == 0) {
    close(to_sim[1]);
    close(from_sim[0]);
    run_simulator(to_sim[0], from_sim[1], s);
  }
  close(to_sim[0]);
  close(from_sim[1]);
  std::string master;
  char c;
  while (read(from_sim[0], &c, 1) == 1 && c != '\n')
    master += c;
  if (master.empty()) {
    std::fprintf(stderr, "bench_host: the simulator did not start\n");
    return 1;
  }
  std::printf("simulator (child process) at %s\n", master.c_str());
  std::fflush(stdout);

  int failures = 0;
  for (int n : s.sizes) {
    pid_t round = fork();
    if (round == 0)
      std::_Exit(run_round(master, n, s));
    int status = 0;
    waitpid(round, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      ++failures;
  }
  close(to_sim[1]); // the simulator exits when its pipe closes
  int status = 0;
  waitpid(sim, &status, 0);
  return failures == 0 ? 0 : 1;
}
