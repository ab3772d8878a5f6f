"""Golden-transcript tests of the `sluice` CLI against a real `sluiced`.

Environment: SLUICE = the CLI binary (default <repo>/.build/debug/sluice); SLUICED = the broker
(default <repo>/.build/debug/sluiced). UPDATE_GOLDEN=1 rewrites the golden files instead
of comparing (review the diff before committing it). Not SLUICE_*: sluiced reads every SLUICE_<KEY>
variable as a setting and refuses unknown ones.

The broker harness, per-test watchdog and log tails on failure are the compatibility suite's
(Tests/compat/conftest.py), loaded here under another module name so nothing is copied.
"""

import importlib.util
import os
import re
import shlex
import subprocess
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SLUICE = os.environ.get("SLUICE", os.path.join(REPO, ".build", "debug", "sluice"))
GOLDEN_DIR = os.path.join(HERE, "golden")
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

_spec = importlib.util.spec_from_file_location("sluice_compat_harness", os.path.join(REPO, "Tests", "compat", "conftest.py"))
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

# The compatibility suite's hooks: a watchdog per test, broker log tails in failure reports.
pytest_runtest_call = harness.pytest_runtest_call
pytest_runtest_makereport = harness.pytest_runtest_makereport


@pytest.fixture
def broker(request):
    """A fresh broker per test, so topic counts and group lists in transcripts never depend on test order."""
    if not os.path.exists(SLUICE):
        raise harness.BrokerError(f"CLI binary {SLUICE} does not exist (swift build --product sluice, or set SLUICE)")
    b = harness._start_broker(request, f"cli broker ({request.node.name})", {"group.initial.rebalance.delay.ms": "100"})
    yield b
    b.cleanup()
    if b in harness._active:
        harness._active.remove(b)


def cli_env(broker=None, **extra):
    """The test's environment without SLUICE_* settings, plus SLUICE_BROKERS for `broker`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    if broker is not None:
        env["SLUICE_BROKERS"] = broker.bootstrap
    env.update(extra)
    return env


# Volatile fields, masked to fixed words so golden files compare exactly. Each mask replaces a value
# of constant width (ports, UUIDs, 13-digit millisecond times), so table alignment stays deterministic.
_MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"), "<TIME>"),
    (re.compile(r"(?<!\d)1\d{12}(?!\d)"), "<TS>"),
    (re.compile(r"sluice-cli-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<MEMBER-ID>"),
    (re.compile(r"sluice-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}"), "<CLUSTER-ID>"),
    (re.compile(r"/127\.0\.0\.1\b"), "<HOST>"),
]


class Transcript:
    """Runs sluice commands and records each as `$ sluice ...`, its stdout, its stderr (lines
    prefixed `! `) and `[exit N]`, masked, for comparison with Tests/cli/golden/<name>.txt."""

    def __init__(self, broker=None):
        self.broker = broker
        self.blocks = []

    def mask(self, text):
        if self.broker is not None:
            text = re.sub(rf"(?<!\d){self.broker.port}(?!\d)", "<PORT>", text)
        for pattern, word in _MASKS:
            text = pattern.sub(word, text)
        return text

    def run(self, command, stdin=None, env=None, status=None, timeout=60, cwd=None):
        """Runs `sluice COMMAND` (shell words) in `cwd` (so file names in transcripts can be relative).
        Checks the exit status when `status` is given."""
        argv = [SLUICE] + shlex.split(command)
        proc = subprocess.run(argv, input=stdin.encode() if stdin is not None else None, capture_output=True,
                              timeout=timeout, env=env or cli_env(self.broker), cwd=cwd)
        shown = f"$ sluice {command}"
        if stdin is not None:
            shown += " <<EOF\n" + stdin + ("" if stdin.endswith("\n") or stdin == "" else "\n") + "EOF"
        out = proc.stdout.decode(errors="replace")
        err = "".join(f"! {line}\n" for line in proc.stderr.decode(errors="replace").splitlines())
        self.blocks.append(self.mask(f"{shown}\n{out}{'' if out.endswith(chr(10)) or not out else chr(10)}{err}[exit {proc.returncode}]\n"))
        if status is not None:
            assert proc.returncode == status, f"sluice {command}: exit {proc.returncode}\n{out}\n{proc.stderr.decode(errors='replace')}"
        return proc

    def note(self, text):
        """A comment line in the transcript (`# text`)."""
        self.blocks.append(f"# {text}\n")

    def text(self):
        return "\n".join(self.blocks)

    def check(self, name):
        path = os.path.join(GOLDEN_DIR, name + ".txt")
        actual = self.text()
        if UPDATE:
            os.makedirs(GOLDEN_DIR, exist_ok=True)
            with open(path, "w") as f:
                f.write(actual)
            return
        if not os.path.exists(path):
            raise AssertionError(f"no golden file {path}: run with UPDATE_GOLDEN=1 and review it\n\n{actual}")
        with open(path) as f:
            expected = f.read()
        assert actual == expected, f"transcript differs from {path} (UPDATE_GOLDEN=1 rewrites it)\n\n{actual}"


def sluice_json(broker, command):
    """Runs a --json command and returns the parsed document."""
    import json
    proc = subprocess.run([SLUICE] + shlex.split(command), capture_output=True, timeout=60, env=cli_env(broker))
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return json.loads(proc.stdout)


def wait_for(predicate, timeout, what):
    harness.wait_for(predicate, timeout, what)


def start_background(broker, command, stdout=subprocess.DEVNULL):
    """A long-running sluice (e.g. a group consumer), stopped with stop_background."""
    return subprocess.Popen([SLUICE] + shlex.split(command), stdout=stdout, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=cli_env(broker))


def stop_background(proc, timeout=20):
    """Ctrl-C (SIGINT), as a person would; returns the exit status."""
    proc.send_signal(2)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
        raise AssertionError("sluice did not exit within 20 s of SIGINT")


def now_millis():
    return int(time.time() * 1000)
