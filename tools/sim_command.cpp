// `mesos-actor sim`: runs a simulated Mesos cluster until SIGINT/SIGTERM, logging to
// stderr; faults are injected through the masters' control endpoint.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <mutex>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "mesos_actor/sim/cluster.hpp"

namespace mesos_actor::tool {

namespace {

constexpr char usage[] =
  "usage: mesos-actor sim [--port P] [--masters N] [--agents N] [--cpus X] [--mem MB]\n"
  "                       [--disk MB] [--ports B-E] [--heartbeat-interval S]\n"
  "                       [--credentials PRINCIPAL:SECRETFILE] [--tls-cert F --tls-key F]\n"
  "                       [--bind ADDR] [--work-dir DIR] [--no-checkpoint] [--threads N]\n"
  "                       [--update-retry S] [--zookeeper zk://HOST:PORT/PATH]\n"
  "\n"
  "Runs simulated Mesos 1.12 masters and agents speaking the v1 HTTP API until\n"
  "interrupted. Master i listens on P+i (P=0: ephemeral ports; default 5050).\n"
  "The URLs are printed on stdout, one per line; a log goes to stderr.\n"
  "  --credentials       frameworks must authenticate (HTTP Basic) as PRINCIPAL with\n"
  "                      the secret in SECRETFILE (first line)\n"
  "  --heartbeat-interval  seconds between HEARTBEAT events (default 15)\n"
  "  --update-retry      first status-update retry, seconds (default 10)\n"
  "  --zookeeper         the masters register in ZooKeeper like Mesos masters (json.info_\n"
  "                      nodes); the leader is whoever ZooKeeper names, and set_leader /\n"
  "                      no_leader / restart_master act on the nodes\n"
  "Faults: POST <master>/sim/faults/<fault>?<args>, e.g.\n"
  "  close_stream?framework=ID&mode=clean|abrupt   pause_stream?framework=ID\n"
  "  resume_stream  chunking?mode=byte|record  split_next_record?offsets=1,5\n"
  "  corrupt_next_record  oversized_length  delay_responses?ms=N\n"
  "  fail_next_calls?n=N&status=503  rescind_offers  kill_agent?agent=I\n"
  "  restart_agent?agent=I  set_leader?master=I  no_leader  restart_master?master=I\n"
  "(an empty framework means every subscription). GET <master>/sim/state summarizes.\n";

std::mutex log_mu;

void log_line(std::string_view line) {
  std::lock_guard<std::mutex> lk(log_mu);
  auto now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", std::localtime(&now));
  std::fprintf(stderr, "%s sim: %.*s\n", stamp, static_cast<int>(line.size()), line.data());
}

// Parses the options into `o`; returns a usage error or an empty string.
std::string parse(int argc, char** argv, sim::cluster_options& o, int& port, bool& help) {
  auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc)
      throw std::invalid_argument(std::string("missing value for ") + argv[i]);
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") help = true;
    else if (a == "--port") port = std::stoi(value(i));
    else if (a == "--masters") o.masters = std::stoul(value(i));
    else if (a == "--agents") o.agents = std::stoul(value(i));
    else if (a == "--cpus") o.resources.cpus = std::stod(value(i));
    else if (a == "--mem") o.resources.mem = std::stod(value(i));
    else if (a == "--disk") o.resources.disk = std::stod(value(i));
    else if (a == "--ports") {
      auto v = value(i);
      auto dash = v.find('-');
      if (dash == std::string::npos)
        return "--ports needs B-E";
      o.resources.ports_begin = std::stoull(v.substr(0, dash));
      o.resources.ports_end = std::stoull(v.substr(dash + 1));
    } else if (a == "--heartbeat-interval") {
      o.heartbeat_interval = std::chrono::milliseconds(
        static_cast<long long>(std::stod(value(i)) * 1000));
    } else if (a == "--update-retry") {
      o.update_retry_initial = std::chrono::milliseconds(
        static_cast<long long>(std::stod(value(i)) * 1000));
    } else if (a == "--credentials") {
      auto v = value(i);
      auto colon = v.find(':');
      if (colon == std::string::npos)
        return "--credentials needs PRINCIPAL:SECRETFILE";
      std::ifstream in(v.substr(colon + 1));
      std::string secret;
      if (!in || !std::getline(in, secret) || secret.empty())
        return "cannot read a secret from '" + v.substr(colon + 1) + "'";
      o.credentials.push_back({v.substr(0, colon), secret});
    } else if (a == "--tls-cert") {
      if (!o.tls) o.tls = sim::tls_files{};
      o.tls->cert_file = value(i);
    } else if (a == "--tls-key") {
      if (!o.tls) o.tls = sim::tls_files{};
      o.tls->key_file = value(i);
    } else if (a == "--bind") o.bind_address = value(i);
    else if (a == "--work-dir") o.work_dir = value(i);
    else if (a == "--no-checkpoint") o.agent_checkpoint = false;
    else if (a == "--threads") o.server_threads = std::stoul(value(i));
    else if (a == "--zookeeper") o.zookeeper = value(i);
    else return "unknown option '" + std::string(a) + "'";
  }
  if (o.tls && (o.tls->cert_file.empty() || o.tls->key_file.empty()))
    return "--tls-cert and --tls-key go together";
  if (o.masters == 0)
    return "--masters must be at least 1";
  return {};
}

} // namespace

int sim_command(int argc, char** argv) {
  sim::cluster_options opts;
  opts.control_endpoint = true;
  opts.log = log_line;
  int port = 5050;
  bool help = false;
  std::string err;
  try {
    err = parse(argc, argv, opts, port, help);
  } catch (const std::exception& e) {
    err = std::string("bad option value: ") + e.what();
  }
  if (!err.empty()) {
    std::fprintf(stderr, "mesos-actor sim: %s\n\n%s", err.c_str(), usage);
    return 2;
  }
  if (help) {
    std::fputs(usage, stdout);
    return 0;
  }
  if (port < 0 || port + static_cast<int>(opts.masters) > 65536) {
    std::fprintf(stderr, "mesos-actor sim: bad --port %d\n", port);
    return 2;
  }
  if (port != 0)
    for (std::size_t i = 0; i < opts.masters; ++i)
      opts.master_ports.push_back(static_cast<std::uint16_t>(port + static_cast<int>(i)));

  // Block the stop signals before any thread starts, then wait for them here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  sim::cluster cluster(opts);
  try {
    cluster.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mesos-actor sim: cannot start: %s\n", e.what());
    return 1;
  }
  for (const auto& url : cluster.master_urls())
    std::printf("master %s\n", url.c_str());
  for (const auto& a : cluster.agents())
    std::printf("agent %s %s\n", a.id.c_str(), a.url.c_str());
  std::fflush(stdout);
  log_line("running; SIGINT or SIGTERM stops");
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log_line(std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
  cluster.stop();
  return 0;
}

} // namespace mesos_actor::tool
