"""What the tool tests share: children that die with the test, and checks that record
their failures instead of stopping at the first."""
import ctypes, os, signal, sys

PR_SET_PDEATHSIG = 1
_test_pid = os.getpid()
failures = []


def die_with_this_test():
    """In the child before exec: SIGKILL when this test process ends (even when killed),
    so no simulator outlives the test; the getppid check closes the race with a test
    that died before prctl."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != _test_pid:
        os._exit(127)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
