"""Harness: runs a real `sluiced` process on a free loopback port for the compatibility tests.

Environment: SLUICED = path of the broker binary (default <repo>/.build/debug/sluiced).
Every wait below is bounded; a per-test watchdog (COMPAT_TEST_TIMEOUT, default 120 s) turns a hang
into a failure, and a hard backstop dumps stacks and exits if even that does not help.
"""

import atexit
import faulthandler
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SLUICED = os.environ.get("SLUICED", os.path.join(REPO, ".build", "debug", "sluiced"))
READY_TIMEOUT = 30.0
TEST_TIMEOUT = float(os.environ.get("COMPAT_TEST_TIMEOUT", "120"))
READY_MARK = "listening on"

_all_brokers = []  # every Broker started in this session (for cleanup and log tails)


from ports import free_port, free_ports  # noqa: E402,F401  (re-exported to the tests)


class BrokerError(Exception):
    pass


class Broker:
    """One sluiced process. The port and data directory survive stop()/kill9()/restart()."""

    def __init__(self, extra=None, name="broker"):
        self.extra = dict(extra or {})
        # "_nofile": the descriptor limit (soft and hard) the process runs under.
        self.nofile = self.extra.pop("_nofile", None)
        self.name = name
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="sluice-compat-")
        self.data_dir = os.path.join(self.dir, "data")
        self.log_path = os.path.join(self.dir, "sluiced.log")
        self.proc = None
        self.starts = 0
        _all_brokers.append(self)

    @property
    def bootstrap(self):
        return f"127.0.0.1:{self.port}"

    def args(self):
        # A "listeners" setting may name its own scheme; "{port}" in it is this broker's port.
        listeners = self.extra.get("listeners", "127.0.0.1:{port}").format(port=self.port)
        a = [SLUICED, f"--listeners={listeners}", f"--log.dirs={self.data_dir}"]
        a += [f"--{k}={v}" for k, v in self.extra.items() if k != "listeners"]
        return a

    def start(self, timeout=READY_TIMEOUT):
        if not os.path.exists(SLUICED):
            raise BrokerError(f"broker binary {SLUICED} does not exist (swift build --product sluiced, or set SLUICED)")
        deadline = time.monotonic() + timeout
        while True:
            self.starts += 1
            with open(self.log_path, "ab") as log:
                log.write(f"=== compat harness: start #{self.starts}: {' '.join(self.args())}\n".encode())
                log.flush()
                offset = log.tell()
                self.proc = subprocess.Popen(self.args(), stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, start_new_session=True,
                                             preexec_fn=self._limit_descriptors if self.nofile else None)
            while time.monotonic() < deadline:
                with open(self.log_path, "rb") as f:
                    f.seek(offset)
                    text = f.read().decode(errors="replace")
                if READY_MARK in text:
                    return self
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
            if self.proc.poll() is None:
                self._signal(signal.SIGKILL)
                raise BrokerError(f"sluiced did not print its ready line within {timeout:.0f}s\n{self.tail()}")
            # Exited early. A restart on the same port right after kill -9 can race the kernel
            # releasing the port; retry that case briefly, anything else is an error.
            if "in use" in text.lower() and time.monotonic() < deadline - 1:
                time.sleep(0.5)
                continue
            raise BrokerError(f"sluiced exited with {self.proc.returncode} before it was ready\n{self.tail()}")

    def _limit_descriptors(self):
        import resource
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.nofile, self.nofile))

    def _signal(self, sig):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20.0):
        """SIGTERM and wait for exit. Returns the exit code (SIGKILLs and raises if it does not drain)."""
        if self.proc is None:
            return None
        self._signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.proc.wait(10)
            raise BrokerError(f"sluiced did not exit within {timeout}s of SIGTERM\n{self.tail()}")

    def kill9(self):
        if self.proc is None:
            return
        self._signal(signal.SIGKILL)
        self.proc.wait(10)

    def restart(self, timeout=READY_TIMEOUT):
        if self.alive():
            self.stop()
        return self.start(timeout)

    def cleanup(self):
        if self.alive():
            self._signal(signal.SIGKILL)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass

    def tail(self, lines=60):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
        except OSError:
            return "(no broker log)"
        text = data.decode(errors="replace").splitlines()
        return "\n".join(text[-lines:])


@atexit.register
def _kill_all():
    for b in _all_brokers:
        b.cleanup()
    if not os.environ.get("COMPAT_KEEP_DATA"):
        for b in _all_brokers:
            shutil.rmtree(b.dir, ignore_errors=True)


# ---------------------------------------------------------------------------
# Fixtures.

_active = []  # brokers visible to the currently running test


def _start_broker(request, name, extra=None):
    b = Broker(extra=extra, name=name)
    _active.append(b)
    try:
        b.start()
    except BrokerError:
        _active.remove(b)
        raise
    return b


@pytest.fixture(scope="module")
def broker(request):
    b = _start_broker(request, f"module broker ({request.module.__name__})")
    yield b
    b.cleanup()
    if b in _active:
        _active.remove(b)


@pytest.fixture
def fresh_broker(request):
    b = _start_broker(request, f"fresh broker ({request.node.name})")
    yield b
    b.cleanup()
    if b in _active:
        _active.remove(b)


@pytest.fixture
def broker_factory(request):
    """Start brokers with extra settings: broker_factory(**{'socket.request.max.bytes': 10000})."""
    made = []

    def make(**extra):
        b = _start_broker(request, f"custom broker ({request.node.name})", extra)
        made.append(b)
        return b

    yield make
    for b in made:
        b.cleanup()
        if b in _active:
            _active.remove(b)


@pytest.fixture
def topic_name(request):
    """A unique topic name; call it with a suffix for more than one."""
    base = "t-" + request.node.name.replace("[", "-").replace("]", "").replace("_", "-")[:60] + "-" + uuid.uuid4().hex[:8]
    return lambda suffix="": base + (("-" + suffix) if suffix else "")


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# ---------------------------------------------------------------------------
# Helpers shared by the test files.


def create_topic(bootstrap, name, partitions=1, config=None, timeout=20.0):
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient({"bootstrap.servers": bootstrap})
    fut = admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1, config=config or {})],
                              operation_timeout=timeout, request_timeout=timeout)[name]
    fut.result(timeout=timeout)
    wait_for(lambda: _partition_count(admin, name) == partitions, timeout, f"topic {name} visible with {partitions} partitions")
    return name


def _partition_count(admin, name):
    md = admin.list_topics(name, timeout=5)
    t = md.topics.get(name)
    if t is None or t.error is not None:
        return None
    return len(t.partitions)


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception as e:  # noqa: BLE001 - we report the last error
            last = e
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}" + (f" (last error: {last!r})" if last else ""))


def run(cmd, input=None, timeout=60):
    """Run a command with a hard timeout; returns CompletedProcess with text output."""
    return subprocess.run(cmd, input=input, capture_output=True, timeout=timeout,
                          text=isinstance(input, str) or input is None)


# ---------------------------------------------------------------------------
# Watchdog and log tails on failure.


class TestTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise TestTimeout(f"test exceeded {TEST_TIMEOUT:.0f}s (COMPAT_TEST_TIMEOUT)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TEST_TIMEOUT)
    # If Python cannot even get the GIL back to raise, dump stacks and exit the whole run.
    faulthandler.dump_traceback_later(TEST_TIMEOUT + 60, exit=True)
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        faulthandler.cancel_dump_traceback_later()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        for b in list(_active):
            state = "alive" if b.alive() else f"NOT RUNNING (exit {b.proc.returncode if b.proc else None})"
            report.sections.append((f"sluiced log tail: {b.name} [{b.bootstrap}, {state}, log {b.log_path}]", b.tail()))
    return report
