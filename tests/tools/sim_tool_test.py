#!/usr/bin/env python3
"""End-to-end test of `mesos-actor sim`: the standalone simulator starts on an
ephemeral port, prints its master URL, answers a JSON SUBSCRIBE (sent the way a
JSON-only client sends it: chunked body, no Accept header) with a RecordIO stream
whose first events are SUBSCRIBED and HEARTBEAT, refuses a wrong Content-Type with
415, and stops promptly on SIGTERM.  usage: sim_tool_test.py <path to mesos-actor>"""
import http.client, json, shutil, signal, subprocess, sys, tempfile, time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from tool_test_support import check, die_with_this_test, failures

tool = sys.argv[1]
# The simulator's work dir is ours, so it is removed even when the simulator is killed.
work = tempfile.mkdtemp(prefix="mesos-actor-sim-tool-")
proc = subprocess.Popen([tool, "sim", "--port", "0", "--heartbeat-interval", "1", "--work-dir", work],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                        preexec_fn=die_with_this_test)


def read_record(resp):
    length = b""
    while not length.endswith(b"\n"):
        c = resp.read(1)
        if not c:
            raise EOFError("stream ended inside a length")
        length += c
    return json.loads(resp.read(int(length)))

try:
    line = proc.stdout.readline().split()  # "master http://127.0.0.1:PORT"
    check(len(line) == 2 and line[0] == "master", "first output line names the master: %r" % line)
    hostport = line[1].split("//", 1)[1]
    host, port = hostport.rsplit(":", 1)

    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    body = json.dumps({"type": "SUBSCRIBE", "subscribe": {"framework_info": {"user": "test", "name": "sim-tool-test"}}})
    conn.request("POST", "/api/v1/scheduler", body=iter([body.encode()]),
                 headers={"Content-Type": "application/json"}, encode_chunked=True)
    resp = conn.getresponse()
    check(resp.status == 200, "SUBSCRIBE answered 200, got %d" % resp.status)
    check(resp.getheader("Content-Type") == "application/json", "events in JSON without Accept")
    check(bool(resp.getheader("Mesos-Stream-Id")), "Mesos-Stream-Id header present")
    first, second = read_record(resp), read_record(resp)
    check(first.get("type") == "SUBSCRIBED", "first event SUBSCRIBED, got %r" % first.get("type"))
    check(second.get("type") == "HEARTBEAT", "second event HEARTBEAT, got %r" % second.get("type"))
    check(first.get("subscribed", {}).get("heartbeat_interval_seconds") == 1, "heartbeat interval from the flag")

    bad = http.client.HTTPConnection(host, int(port), timeout=10)
    bad.request("POST", "/api/v1/scheduler", body="{}", headers={"Content-Type": "application/json; charset=utf-8"})
    check(bad.getresponse().status == 415, "Content-Type compared exactly (415)")
finally:
    proc.send_signal(signal.SIGTERM)
    started = time.monotonic()
    try:
        code = proc.wait(timeout=10)
        check(code == 0, "exit status 0 after SIGTERM, got %d" % code)
        check(time.monotonic() - started < 10, "stopped within 10 s")
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        check(False, "did not stop within 10 s of SIGTERM")
    shutil.rmtree(work, ignore_errors=True)

print("sim tool: %d failed" % len(failures))
sys.exit(1 if failures else 0)
