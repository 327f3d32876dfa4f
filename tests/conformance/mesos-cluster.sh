#!/usr/bin/env bash
# mesos-cluster.sh: one real Mesos master and one agent on 127.0.0.1, from an existing
# Mesos build (this project never builds Mesos; $MESOS_BUILD_DIR names a build directory
# with src/mesos-master and src/mesos-agent in it).
#
#   mesos-cluster.sh start DIR         DIR (new or empty) gets the work dirs, logs, pids and
#                                      DIR/cluster.env (MASTER=127.0.0.1:PORT, AGENT=...);
#                                      returns once the agent is active on the master
#   mesos-cluster.sh stop DIR          stops everything of the cluster and removes DIR
#   mesos-cluster.sh stop-master DIR   SIGKILL to the master (a crash); start-master DIR
#                                      starts it again on the same port (in-memory registry:
#                                      it comes back empty and the agent re-registers once
#                                      it misses the master's pings: an agent given a fixed
#                                      --master waits for that, 75 s with Mesos's defaults;
#                                      this master pings every 3 s and gives up after 5
#                                      misses, so 15 s; an agent restart must fit in them)
#   mesos-cluster.sh stop-agent DIR    SIGKILL to the agent only: its executors live on
#                                      (checkpointing); start-agent DIR recovers them
#   mesos-cluster.sh wait-agent DIR    waits until the master lists the agent as active
#
# Every process of the cluster (master, agent, executors and tasks the agent launched)
# carries MESOS_CONFORMANCE_CLUSTER=DIR in its environment and runs with its cwd inside
# DIR; `stop` kills exactly those (the recorded pids' process groups first, then any
# process with the marker or a cwd below DIR), so a crashed test leaves nothing behind.
# Master and agent start in their own sessions (setsid) and their pids are recorded in
# DIR/master.pid and DIR/agent.pid. Waits are bounded by MESOS_CONFORMANCE_START_TIMEOUT
# seconds (default 60). Requires bash, python3 (free ports), curl and jq.
set -euo pipefail

die() { echo "mesos-cluster: $*" >&2; exit 1; }

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: mesos-cluster.sh start|stop|stop-master|start-master|stop-agent|start-agent|wait-agent DIR"
timeout_s=${MESOS_CONFORMANCE_START_TIMEOUT:-60}

# A free TCP port on 127.0.0.1 (bound and released; good enough on a test machine).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

load_env() {
  [ -f "$dir/cluster.env" ] || die "$dir/cluster.env: no cluster there"
  # shellcheck disable=SC1091
  . "$dir/cluster.env"
}

# Processes of this cluster: the marker in their environment or their cwd below $dir.
cluster_pids() {
  python3 - "$dir" "$$" <<'PY'
import os, sys
root, me = sys.argv[1], sys.argv[2]
real = os.path.realpath(root)
marker = ("MESOS_CONFORMANCE_CLUSTER=" + root).encode()
for pid in filter(str.isdigit, os.listdir("/proc")):
    if pid == me or pid == str(os.getpid()):
        continue
    try:
        if marker in open("/proc/%s/environ" % pid, "rb").read().split(b"\0"):
            print(pid); continue
        cwd = os.readlink("/proc/%s/cwd" % pid)
        if cwd == real or cwd.startswith(real + "/"):
            print(pid)
    except OSError:
        pass
PY
}

# SIGKILL to a recorded pid's process group (it is a session leader) and the pid itself.
kill_recorded() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  rm -f "$file"
}

start_master() {
  load_env
  ( cd "$dir/master" && exec setsid env MESOS_CONFORMANCE_CLUSTER="$dir" TMPDIR="$dir/tmp" \
      "$MESOS_BUILD_DIR/src/mesos-master" --ip=127.0.0.1 --port="$MASTER_PORT" \
      --hostname=localhost --work_dir="$dir/master/work" --registry=in_memory \
      --agent_ping_timeout=3secs --max_agent_ping_timeouts=5 \
      --quiet >> "$dir/master.log" 2>&1 < /dev/null ) &
  echo $! > "$dir/master.pid"
  local deadline=$(( $(date +%s) + timeout_s ))
  until curl -sf -m 2 "http://$MASTER/health" > /dev/null; do
    kill -0 "$(cat "$dir/master.pid")" 2>/dev/null || die "the master exited; see $dir/master.log"
    [ "$(date +%s)" -lt "$deadline" ] || die "the master did not answer within ${timeout_s}s"
    sleep 0.2
  done
}

# The executors' whole environment (Mesos adds its MESOS_* variables): the marker, a
# private TMPDIR, PATH, and leak-check's marker when running under it.
executor_environment() {
  jq -cn --arg dir "$dir" --arg lc "${MESOS_ACTOR_LEAK_CHECK:-}" \
    '{PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      TMPDIR: ($dir + "/tmp"), MESOS_CONFORMANCE_CLUSTER: $dir}
     + (if $lc == "" then {} else {MESOS_ACTOR_LEAK_CHECK: $lc} end)'
}

start_agent() {
  load_env
  ( cd "$dir/agent" && exec setsid env MESOS_CONFORMANCE_CLUSTER="$dir" TMPDIR="$dir/tmp" \
      MESOS_LAUNCHER_DIR="$MESOS_BUILD_DIR/src" \
      "$MESOS_BUILD_DIR/src/mesos-agent" --master="$MASTER" --ip=127.0.0.1 --port="$AGENT_PORT" \
      --hostname=localhost --work_dir="$dir/agent/work" --runtime_dir="$dir/agent/run" \
      --fetcher_cache_dir="$dir/agent/fetch" --launcher_dir="$MESOS_BUILD_DIR/src" \
      --launcher=posix --isolation=posix/cpu,posix/mem --no-systemd_enable_support \
      --no-switch_user --resources="cpus:2;mem:4096;disk:10000;ports:[31000-32000]" \
      --executor_registration_timeout=30secs \
      --executor_environment_variables="$(executor_environment)" \
      >> "$dir/agent.log" 2>&1 < /dev/null ) &
  echo $! > "$dir/agent.pid"
}

wait_agent() {
  load_env
  local deadline=$(( $(date +%s) + timeout_s )) active
  while :; do
    active=$(curl -sf -m 2 "http://$MASTER/master/slaves" 2>/dev/null \
             | jq '[.slaves[] | select(.active)] | length' 2>/dev/null || echo 0)
    [ "${active:-0}" -ge 1 ] && return 0
    if [ -f "$dir/agent.pid" ] && ! kill -0 "$(cat "$dir/agent.pid")" 2>/dev/null; then
      die "the agent exited; see $dir/agent.log"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || die "no active agent within ${timeout_s}s"
    sleep 0.2
  done
}

stop_all() {
  local left
  kill_recorded "$dir/agent.pid"
  kill_recorded "$dir/master.pid"
  # Executors and tasks of the agent (their own sessions, maybe orphaned by now).
  for _ in $(seq 50); do
    left=$(cluster_pids)
    [ -z "$left" ] && break
    kill -KILL $left 2>/dev/null || true
    sleep 0.1
  done
  [ -z "$(cluster_pids)" ] || echo "mesos-cluster: processes of $dir survive SIGKILL: $(cluster_pids)" >&2
  rm -rf "$dir"
}

case "$cmd" in
  start)
    [ -n "${MESOS_BUILD_DIR:-}" ] || die "MESOS_BUILD_DIR is not set"
    for b in mesos-master mesos-agent; do
      [ -x "$MESOS_BUILD_DIR/src/$b" ] || die "$MESOS_BUILD_DIR/src/$b: not found (MESOS_BUILD_DIR must be a Mesos build directory)"
    done
    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    dir=$(cd "$dir" && pwd -P)
    trap 'rc=$?; [ $rc -eq 0 ] || stop_all; exit $rc' EXIT
    mkdir -p "$dir/master/work" "$dir/agent/work" "$dir/agent/run" "$dir/agent/fetch" "$dir/tmp"
    master_port=$(free_port)
    agent_port=$(free_port)
    while [ "$agent_port" = "$master_port" ]; do agent_port=$(free_port); done
    cat > "$dir/cluster.env" <<ENV
MESOS_BUILD_DIR='$MESOS_BUILD_DIR'
MASTER_PORT=$master_port
AGENT_PORT=$agent_port
MASTER=127.0.0.1:$master_port
AGENT=127.0.0.1:$agent_port
ENV
    start_master
    start_agent
    wait_agent
    ;;
  stop)         [ -d "$dir" ] || exit 0; dir=$(cd "$dir" && pwd -P); stop_all ;;
  stop-master)  dir=$(cd "$dir" && pwd -P); kill_recorded "$dir/master.pid" ;;
  start-master) dir=$(cd "$dir" && pwd -P); start_master ;;
  stop-agent)   dir=$(cd "$dir" && pwd -P); kill_recorded "$dir/agent.pid" ;;
  start-agent)  dir=$(cd "$dir" && pwd -P); start_agent; wait_agent ;;
  wait-agent)   dir=$(cd "$dir" && pwd -P); wait_agent ;;
  *) die "unknown command '$cmd'" ;;
esac
