#!/usr/bin/env python3
"""End-to-end test of `mesos-actor state`: a standalone simulator (two agents) on an
ephemeral port, then `mesos-actor state --master URL` must print one JSON object, the
GET_STATE Response, listing both agents; `state --agent URL` prints that agent's
GET_STATE; a master that answers nothing fails with exit status 1, and a missing
--master/--agent (or both given) is a usage error (2).
usage: state_tool_test.py <path to mesos-actor>"""
import json, shutil, signal, socket, subprocess, sys, tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from tool_test_support import check, die_with_this_test, failures

tool = sys.argv[1]
work = tempfile.mkdtemp(prefix="mesos-actor-state-tool-")
sim = subprocess.Popen([tool, "sim", "--port", "0", "--agents", "2", "--work-dir", work],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                       preexec_fn=die_with_this_test)
try:
    line = sim.stdout.readline().split()  # "master http://127.0.0.1:PORT"
    check(len(line) == 2 and line[0] == "master", "the simulator names its master: %r" % line)
    url = line[1]
    agent_line = sim.stdout.readline().split()  # "agent ID http://127.0.0.1:PORT"
    check(len(agent_line) == 3 and agent_line[0] == "agent", "then its agents: %r" % agent_line)
    out = subprocess.run([tool, "state", "--master", url, "--timeout", "10"],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode == 0, "state exits 0, got %d (%s)" % (out.returncode, out.stderr.strip()))
    state = json.loads(out.stdout) if out.returncode == 0 else {}
    check(state.get("type") == "GET_STATE", "a GET_STATE Response, got %r" % state.get("type"))
    agents = state.get("get_state", {}).get("get_agents", {}).get("agents", [])
    check(len(agents) == 2, "both agents listed, got %d" % len(agents))
    check(all(a.get("version") == "1.12.0" and a.get("active") for a in agents),
          "agents active, with the master's version")

    # One agent's state: its (empty) tasks, executors and frameworks.
    out = subprocess.run([tool, "state", "--agent", agent_line[2], "--timeout", "10"],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode == 0, "state --agent exits 0, got %d (%s)" % (out.returncode, out.stderr.strip()))
    agent_state = json.loads(out.stdout) if out.returncode == 0 else {}
    check(agent_state.get("type") == "GET_STATE", "the agent's GET_STATE, got %r" % agent_state.get("type"))
    check("get_agents" not in agent_state.get("get_state", {"get_agents": 1}),
          "an agent's state, not a master's: %r" % agent_state)
    out = subprocess.run([tool, "state", "--agent", agent_line[2], "--master", url],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode == 2 and "not both" in out.stderr, "--agent with --master is a usage error")

    # Nothing listens on a port we bound and closed: exit 1 with a reason.
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed = s.getsockname()[1]
    s.close()
    out = subprocess.run([tool, "state", "--master", "127.0.0.1:%d" % closed, "--timeout", "5"],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode == 1, "unreachable master exits 1, got %d" % out.returncode)
    check("transport_error" in out.stderr, "the reason on stderr: %r" % out.stderr)

    out = subprocess.run([tool, "state"], capture_output=True, text=True, timeout=30)
    check(out.returncode == 2 and "--master or --agent is required" in out.stderr,
          "usage error without --master")
finally:
    sim.send_signal(signal.SIGTERM)
    try:
        sim.wait(timeout=10)
    except subprocess.TimeoutExpired:
        sim.kill()
        sim.wait()
    shutil.rmtree(work, ignore_errors=True)

if failures:
    sys.exit(1)
print("state tool: ok")
