#!/bin/sh
# End-to-end test of `mesos-actor encode` and `decode`: JSON lines -> RecordIO ->
# JSON lines is the identity in both encodings; broken streams exit 1 with a one-line
# error naming the record and byte offset; usage errors exit 2.
# usage: codec_tool_test.sh <path to mesos-actor> <tests/data/codec dir>
set -u
tool=$1
data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_status <status> <description> -- command...
expect_status() {
  want=$1; what=$2; shift 3
  "$@" >"$work/out" 2>"$work/err"
  got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit status $got, expected $want ($(cat "$work/err"))"
}

for pair in scheduler_events:mesos.v1.scheduler.Event scheduler_calls:mesos.v1.scheduler.Call \
            executor_events:mesos.v1.executor.Event executor_calls:mesos.v1.executor.Call; do
  file=${pair%%:*}
  type=${pair#*:}
  for format in protobuf json; do
    if ! "$tool" encode --message "$type" --format "$format" "$data/$file.jsonl" >"$work/stream"; then
      fail "encode $file as $format"
      continue
    fi
    if ! "$tool" decode --message "$type" --format "$format" <"$work/stream" >"$work/decoded"; then
      fail "decode $file as $format"
      continue
    fi
    cmp -s "$data/$file.jsonl" "$work/decoded" || fail "$file $format round trip differs"
  done
done

# A JSON stream is readable as text: the first record starts with its length.
"$tool" encode --message mesos.v1.scheduler.Event --format json "$data/scheduler_events.jsonl" |
  head -c 40 | grep -q '^[0-9]*{"type":"SUBSCRIBED"' || fail "JSON stream framing"

# Broken streams: exit 1, one line on stderr naming record index and byte offset.
printf '20\n{"type":"HEARTBEAT"}3x\nabc' >"$work/bad"
expect_status 1 "non-digit in length" -- "$tool" decode --message mesos.v1.scheduler.Event --format json "$work/bad"
grep -q '^mesos-actor decode: record 1 at byte 24: non-digit in record length' "$work/err" ||
  fail "non-digit error text: $(cat "$work/err")"
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "error is not one line"

printf '20\n{"type":"HEARTBEAT"}99\n{"ty' >"$work/truncated"
expect_status 1 "truncated stream" -- "$tool" decode --message mesos.v1.scheduler.Event --format json "$work/truncated"
grep -q '^mesos-actor decode: record 1 at byte 30: stream ended inside a record' "$work/err" ||
  fail "truncated error text: $(cat "$work/err")"
grep -q '"HEARTBEAT"' "$work/out" || fail "records before the break are still printed"

printf '100\n' >"$work/big"
expect_status 1 "record above --max-record-size" -- "$tool" decode --message mesos.v1.scheduler.Event --max-record-size 10 "$work/big"
grep -q 'record 0 at byte 3: record too large' "$work/err" || fail "too large text: $(cat "$work/err")"

printf '3\nabc' >"$work/garbage"
expect_status 1 "undecodable record" -- "$tool" decode --message mesos.v1.scheduler.Event --format json "$work/garbage"
grep -q '^mesos-actor decode: record 0 at byte 2: mesos.v1.scheduler.Event: the top level must be a JSON object' "$work/err" ||
  fail "undecodable record text: $(cat "$work/err")"

printf '{"type":"HEARTBEAT"}\n{"type":5}\n' >"$work/badjson"
expect_status 1 "invalid JSON line" -- "$tool" encode --message mesos.v1.scheduler.Event "$work/badjson"
grep -q "^mesos-actor encode: line 2: mesos.v1.scheduler.Event: field 'type'" "$work/err" ||
  fail "encode error text: $(cat "$work/err")"

# Pretty-printed documents (as Mesos's docs show them) encode like the same documents on
# one line each; braces inside strings do not end a document; errors name the line a
# document starts on.
cat >"$work/pretty" <<'JSON'
{
  "type": "HEARTBEAT"
}

{"type": "MESSAGE",
 "message": {"agent_id": {"value": "a}{1"}, "executor_id": {"value": "e\\\"]"},
             "data": "aGk="}}
JSON
printf '{"type":"HEARTBEAT"}\n{"type":"MESSAGE","message":{"agent_id":{"value":"a}{1"},"executor_id":{"value":"e\\\\\\"]"},"data":"aGk="}}\n' >"$work/flat"
"$tool" encode --message mesos.v1.scheduler.Event "$work/pretty" >"$work/pretty.out" || fail "encode pretty-printed JSON"
"$tool" encode --message mesos.v1.scheduler.Event "$work/flat" >"$work/flat.out" || fail "encode the same JSON on one line each"
cmp -s "$work/pretty.out" "$work/flat.out" || fail "pretty-printed and one-line documents encode differently"
[ "$("$tool" decode --message mesos.v1.scheduler.Event <"$work/pretty.out" | wc -l)" -eq 2 ] ||
  fail "pretty-printed input did not give two records"

printf '{"type":"HEARTBEAT"}\n\n{\n  "type": 5\n}\n' >"$work/badpretty"
expect_status 1 "invalid pretty-printed document" -- "$tool" encode --message mesos.v1.scheduler.Event "$work/badpretty"
grep -q "^mesos-actor encode: line 3: mesos.v1.scheduler.Event: field 'type'" "$work/err" ||
  fail "pretty-printed error text: $(cat "$work/err")"

printf '{\n  "type": "HEARTBEAT"\n}\n' >"$work/long"
expect_status 1 "document above --max-record-size" -- "$tool" encode --message mesos.v1.scheduler.Event --max-record-size 8 "$work/long"
grep -q "^mesos-actor encode: the document starting on line 1 is longer than 8 bytes" "$work/err" ||
  fail "oversized document text: $(cat "$work/err")"

# Usage errors: exit 2 with the usage text.
expect_status 2 "no command" -- "$tool"
expect_status 2 "unknown command" -- "$tool" frobnicate
expect_status 2 "missing --message" -- "$tool" decode
grep -q 'usage: mesos-actor decode' "$work/err" || fail "usage text missing"
expect_status 2 "unknown message type" -- "$tool" decode --message mesos.v1.Nope
expect_status 2 "bad format" -- "$tool" encode --message mesos.v1.scheduler.Call --format xml
expect_status 2 "bad max record size" -- "$tool" decode --message mesos.v1.scheduler.Event --max-record-size -3
expect_status 0 "--help" -- "$tool" --help
grep -q 'decode' "$work/out" || fail "--help lists the commands"
expect_status 0 "decode --help" -- "$tool" decode --help
expect_status 1 "missing file" -- "$tool" decode --message mesos.v1.scheduler.Event "$work/does-not-exist"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "codec tool: all checks passed"
