"""Shared pieces of the consumer-group compatibility tests (test_groups_*.py).

Uses the harness in conftest.py (Broker, create_topic, wait_for). The module-scoped `gbroker` fixture is a
broker with a short group.initial.rebalance.delay.ms so rebalances are quick; import it into a test module
to use it. `Worker` runs consumer_worker.py as a separate process (so SIGKILL is a real crash) and reads
back its JSON event log.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
from confluent_kafka import ConsumerGroupTopicPartitions, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

import conftest
from conftest import Broker, create_topic, wait_for  # noqa: F401  (re-exported for the test modules)

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "consumer_worker.py")
GROUP_BROKER_CONF = {"group.initial.rebalance.delay.ms": 100}
OP_TIMEOUT = 15


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _start(extra, name):
    b = Broker(extra=extra, name=name)
    conftest._active.append(b)  # so a failing test gets this broker's log tail
    try:
        b.start()
    except Exception:
        conftest._active.remove(b)
        raise
    return b


def _stop(b):
    b.cleanup()
    if b in conftest._active:
        conftest._active.remove(b)


@pytest.fixture(scope="module")
def gbroker(request):
    """One broker per test module, tuned for fast group rebalances."""
    b = _start(GROUP_BROKER_CONF, f"group broker ({request.module.__name__})")
    yield b
    _stop(b)


@pytest.fixture
def gbroker_fresh(request):
    """A broker of the test's own (it may be restarted or killed)."""
    b = _start(GROUP_BROKER_CONF, f"fresh group broker ({request.node.name})")
    yield b
    _stop(b)


def admin_for(broker):
    return AdminClient({"bootstrap.servers": broker.bootstrap})


def produce_keys(broker, topic, start, n, partitions=None, key_fmt="k-%06d"):
    """Produce records with keys key_fmt % seq for seq in [start, start+n); returns the key list.
    With partitions=None the default (key-hash) partitioner picks the partition; otherwise round robin."""
    p = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 5, "acks": "all"})
    errors = []

    def dr(err, msg):
        if err is not None:
            errors.append(err)

    keys = []
    for i in range(start, start + n):
        k = key_fmt % i
        kw = {} if partitions is None else {"partition": i % partitions}
        while True:
            try:
                p.produce(topic, key=k.encode(), value=b"v%d" % i, on_delivery=dr, **kw)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
        keys.append(k)
    left = p.flush(OP_TIMEOUT)
    assert left == 0, f"{left} records undelivered after {OP_TIMEOUT}s"
    assert not errors, f"delivery errors: {errors[:5]}"
    return keys


def describe_group(broker, group, admin=None):
    admin = admin or admin_for(broker)
    return admin.describe_consumer_groups([group], request_timeout=OP_TIMEOUT)[group].result(timeout=OP_TIMEOUT)


def member_partitions(desc, topic):
    """{member_id: sorted partitions of topic} from a ConsumerGroupDescription."""
    return {m.member_id: sorted(tp.partition for tp in m.assignment.topic_partitions if tp.topic == topic)
            for m in desc.members}


def committed_offsets(broker, group, topic, partitions, admin=None):
    """{partition: committed offset} via AdminClient.list_consumer_group_offsets (librdkafka: -1001 = none)."""
    admin = admin or admin_for(broker)
    req = [ConsumerGroupTopicPartitions(group, [TopicPartition(topic, p) for p in partitions])]
    res = admin.list_consumer_group_offsets(req, request_timeout=OP_TIMEOUT)[group].result(timeout=OP_TIMEOUT)
    out = {}
    for tp in res.topic_partitions:
        assert tp.error is None, f"offset fetch error for {tp}: {tp.error}"
        out[tp.partition] = tp.offset
    return out


class Worker:
    """consumer_worker.py in its own process; events() parses its log."""

    def __init__(self, broker, topic, group, name, **opts):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="sluice-groups-")
        self.out = os.path.join(self.dir, f"{name}.jsonl")
        self.stderr_path = os.path.join(self.dir, f"{name}.stderr")
        args = [sys.executable, WORKER, "--bootstrap", broker.bootstrap, "--topic", topic, "--group", group,
                "--out", self.out, "--client-id", opts.pop("client_id", name)]
        for k, v in opts.items():
            if v is not None:
                args += ["--" + k.replace("_", "-"), str(v)]
        self.args = args
        self.proc = None

    def start(self):
        self._err = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=self._err, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(10)

    def stop(self, timeout=20):
        """SIGTERM: the worker commits what it processed, closes (leaving the group) and exits."""
        if self.alive():
            os.kill(self.proc.pid, signal.SIGTERM)
        if self.proc is not None:
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill9()
                raise AssertionError(f"worker {self.name} did not exit within {timeout}s of SIGTERM\n{self.stderr()}")

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            raise AssertionError(f"worker {self.name} still running after {timeout}s\n{self.stderr()}")

    def stderr(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode(errors="replace")[-3000:]
        except OSError:
            return ""

    def events(self, kind=None):
        out = []
        try:
            with open(self.out, "rb") as f:
                data = f.read().decode(errors="replace")
        except OSError:
            return out
        for line in data.splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue  # torn last line after SIGKILL
            if kind is None or e["ev"] == kind:
                out.append(e)
        return out

    def assignment(self):
        """The last assignment the worker reported (None before any)."""
        a = self.events("assignment")
        return a[-1]["parts"] if a else None

    def records(self):
        """[(partition, offset, key)] in processing order."""
        return [tuple(it) for e in self.events("recs") for it in e["items"]]

    def uncommitted_window(self):
        """Processed records not covered by any later successful commit of this worker."""
        later = {}  # partition -> highest offset committed after the point being scanned
        out = []
        for e in reversed(self.events()):
            if e["ev"] == "commit_ok":
                for p, o in e["offsets"].items():
                    later[int(p)] = max(later.get(int(p), -1), int(o))
            elif e["ev"] == "recs":
                for p, off, key in e["items"]:
                    if later.get(p, -1) <= off:
                        out.append((p, off, key))
        return out

    def cleanup(self):
        if self.alive():
            self.kill9()
        try:
            self._err.close()
        except Exception:  # noqa: BLE001
            pass


def wait_assignments(workers, predicate, timeout, what):
    """Wait until predicate([w.assignment() for w in workers]) holds; error message shows the state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cur = [w.assignment() for w in workers]
        if predicate(cur):
            return cur
        for w in workers:
            if w.proc is not None and w.proc.poll() is not None and w.proc.returncode not in (0, -9):
                raise AssertionError(f"worker {w.name} exited with {w.proc.returncode}\n{w.stderr()}")
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; assignments now "
                         f"{[(w.name, w.assignment()) for w in workers]}")
