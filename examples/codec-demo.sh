#!/bin/sh
# Codec demo: writes a few scheduler events as JSON lines, frames them into the
# RecordIO stream a Mesos master sends (binary protobuf and JSON), and reads the
# streams back with `mesos-actor decode`.
# usage: examples/codec-demo.sh [path/to/mesos-actor]
#        (default: $MESOS_ACTOR_TOOL, else build/tools/mesos-actor under the repo)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tool=${1:-${MESOS_ACTOR_TOOL:-$here/../build/tools/mesos-actor}}
if [ ! -x "$tool" ]; then
  echo "codec-demo: no mesos-actor tool at $tool; build it first:" >&2
  echo "  cmake -S . -B build && cmake --build build --target mesos-actor" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/events.jsonl" <<'JSON'
{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"demo-framework-0001"},"heartbeat_interval_seconds":15,"master_info":{"id":"master-1","ip":16777343,"port":5050,"hostname":"localhost"}}}
{"type":"OFFERS","offers":{"offers":[{"id":{"value":"offer-1"},"framework_id":{"value":"demo-framework-0001"},"agent_id":{"value":"agent-1"},"hostname":"agent-1.local","resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":4}},{"name":"mem","type":"SCALAR","scalar":{"value":8192}},{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]}}],"attributes":[{"name":"rack","type":"TEXT","text":{"value":"r1"}}]}]}}
{"type":"UPDATE","update":{"status":{"task_id":{"value":"task-1"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR","data":"aGVsbG8KAP8=","uuid":"AAECAwQFBgcICQoLDA0ODw==","timestamp":1764028800.5}}}
{"type":"HEARTBEAT"}
JSON

echo "== 4 scheduler events, as JSON lines:"
cat "$work/events.jsonl"

for format in protobuf json; do
  "$tool" encode --message mesos.v1.scheduler.Event --format "$format" "$work/events.jsonl" >"$work/stream.$format"
  echo
  echo "== as a RecordIO stream of $format records ($(wc -c <"$work/stream.$format") bytes), first 64 bytes:"
  od -A d -c "$work/stream.$format" | head -n 4
  echo "== decoded back:"
  "$tool" decode --message mesos.v1.scheduler.Event --format "$format" "$work/stream.$format"
done

echo
echo "== a broken stream is reported with the record and byte offset:"
printf '20\n{"type":"HEARTBEAT"}9x\n' | "$tool" decode --message mesos.v1.scheduler.Event --format json || true
