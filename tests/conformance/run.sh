#!/usr/bin/env bash
# run.sh: the conformance suite against a real Mesos master and agent.
#
#   MESOS_BUILD_DIR=/path/to/mesos/build tests/conformance/run.sh [BUILD] [--record]
#
# BUILD is this project's CMake build directory (default: build); the suite needs its
# test_conformance, launch_tasks, example_executor, tour and multi_framework targets.
# MESOS_BUILD_DIR names an existing Mesos build (src/mesos-master, src/mesos-agent);
# this project does not build Mesos. Without it the suite is skipped (exit 0).
# --record rewrites tests/conformance/transcripts/ from what the real cluster answered
# (the simulator test compares the simulator with them).
#
# Steps: the examples against one cluster (each must succeed and leave no framework
# active on the master), then test_conformance, whose cases start a fresh cluster each
# through mesos-cluster.sh. Only one master+agent pair runs at a time. Every cluster
# lives in a private temp dir that is stopped and removed on exit, failure or signal.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=build
record=0
for arg in "$@"; do
  case "$arg" in
    --record) record=1 ;;
    -*) echo "usage: run.sh [BUILD] [--record]" >&2; exit 2 ;;
    *) build=$arg ;;
  esac
done
case "$build" in /*) ;; *) build="$root/$build" ;; esac

if [ -z "${MESOS_BUILD_DIR:-}" ]; then
  echo "conformance: MESOS_BUILD_DIR is not set: skipped (it must name an existing Mesos 1.12 build directory)"
  exit 0
fi
export MESOS_BUILD_DIR
for t in tests/test_conformance examples/launch_tasks examples/example_executor examples/tour \
         examples/multi_framework; do
  [ -x "$build/$t" ] || { echo "conformance: $build/$t is not built" >&2; exit 1; }
done

cluster="$here/mesos-cluster.sh"
base=$(mktemp -d "${TMPDIR:-/tmp}/mesos-conformance.XXXXXX")
cleanup() {
  local d
  for d in "$base"/*/; do
    [ -f "$d/cluster.env" ] && "$cluster" stop "$d" || true
  done
  rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

started=$(date +%s)
step() { echo; echo "=== conformance [$(( $(date +%s) - started ))s] $*"; }

# No framework left active on the master (TEARDOWN or failover_timeout 0 ended them).
no_active_framework() {
  local n
  n=$(curl -sf -m 5 "http://$MASTER/master/frameworks" | jq '.frameworks | length')
  [ "$n" = 0 ] || { echo "conformance: $n framework(s) still active on the master after $1" >&2; return 1; }
}

# example NAME EXPECTED_TEXT COMMAND...: runs an example with a bound, checks its exit
# status and that its output has the text.
example() {
  local name=$1 expect=$2 out
  shift 2
  step "$name"
  if ! out=$(timeout -k 5 180 "$@" 2>&1); then
    echo "$out" | tail -40
    echo "conformance: $name failed" >&2
    return 1
  fi
  echo "$out" | grep -v ' level=' | tail -20
  echo "$out" | grep -qF "$expect" || { echo "conformance: $name: no '$expect' in its output" >&2; return 1; }
}

step "examples against a real master and agent (Mesos at $MESOS_BUILD_DIR)"
"$cluster" start "$base/examples"
# shellcheck disable=SC1091
. "$base/examples/cluster.env"
echo "master $MASTER, agent $AGENT, Mesos $(curl -sf "http://$MASTER/version" | jq -r .version)"
example "launch_tasks, protobuf" "success" \
  "$build/examples/launch_tasks" --master "$MASTER" --tasks 3 --content-type protobuf --timeout 120
no_active_framework "launch_tasks (protobuf)"
example "launch_tasks, JSON" "success" \
  "$build/examples/launch_tasks" --master "$MASTER" --tasks 3 --content-type json --timeout 120
no_active_framework "launch_tasks (JSON)"
example "launch_tasks, custom executor started by the agent" "success" \
  "$build/examples/launch_tasks" --master "$MASTER" --tasks 2 --timeout 120 \
  --executor "$build/examples/example_executor"
no_active_framework "launch_tasks (executor)"
example "tour" "hello: TASK_FINISHED" "$build/examples/tour" "$MASTER"
no_active_framework "tour"
example "multi_framework (flaky restarted with its framework id, then given up)" \
  "flaky: failed, restarts 3, framework id" \
  "$build/examples/multi_framework" --master "$MASTER" --duration 10
"$cluster" stop "$base/examples"

step "test_conformance (a fresh cluster per case)"
export MESOS_CONFORMANCE_CLUSTER_SCRIPT="$cluster"
export MESOS_CONFORMANCE_BASE="$base"
export MESOS_CONFORMANCE_EXECUTOR="$build/examples/example_executor"
[ "$record" = 1 ] && export MESOS_CONFORMANCE_RECORD="$here/transcripts"
"$build/tests/test_conformance"

step "done: conformance passed"
