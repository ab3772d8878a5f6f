"""Runs a real multi-node Sluice cluster for the fault tests: N `sluiced` processes, each with its
own data directory, address and ports, in the root network namespace (loopback) or each in a
network namespace of its own (see netns.py).

Standard library only (the Kafka wire work is Tests/compat/kafka_raw.py), so `deploy/local-cluster.sh
status` can use it with a bare python3:

    python3 tools/faults/cluster.py metadata 127.0.0.1:9092 [more bootstraps...]

Every wait here is bounded; nothing blocks forever.
"""

import os
import secrets
import signal
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "Tests", "compat"))
import kafka_raw as raw  # noqa: E402  (shared with the compatibility tests)
from ports import free_port, free_ports  # noqa: E402,F401  (picked below the ephemeral range; re-exported)

SLUICED = os.environ.get("SLUICED", os.path.join(REPO, ".build", "debug", "sluiced"))
READY_MARK = os.environ.get("FAULTS_READY_MARK", "listening on")

# Kafka error codes the tests look at.
NONE = 0
UNKNOWN_TOPIC_OR_PARTITION = 3
LEADER_NOT_AVAILABLE = 5
NOT_LEADER_OR_FOLLOWER = 6
REQUEST_TIMED_OUT = 7
NOT_ENOUGH_REPLICAS = 19
NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20
NOT_CONTROLLER = 41
TOPIC_ALREADY_EXISTS = 36

API_CREATE_TOPICS = 19

CONTROL_BATCH = 0x20  # RecordBatch attributes bit: Raft no-op / membership entries, skipped by clients


class ClusterError(Exception):
    pass


class NotLeader(Exception):
    """The node asked is not (or no longer) the partition's leader."""


def wait_until(predicate, timeout, what, interval=0.05):
    """Calls predicate until it returns something truthy (returned) or timeout (AssertionError)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - reported below
            last = e
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what}" + (f" (last error: {last!r})" if last else ""))
        time.sleep(interval)


class Node:
    """One sluiced process. Its address, ports and data directory survive kill9()/stop()/start()."""

    def __init__(self, node_id, host, client_port, raft_port, base_dir, netns=None):
        self.id = node_id
        self.host = host
        self.client_port = client_port
        self.raft_port = raft_port
        self.netns = netns
        self.data_dir = os.path.join(base_dir, f"node{node_id}")
        self.log_path = os.path.join(base_dir, f"node{node_id}.log")
        self.settings = {}
        self.admin_port = None  # the operators' HTTP port (/metrics, /health, /ready), when on
        self.proc = None
        self.paused = False
        self.starts = 0
        self._offset = 0
        self._signalled = []  # signals the harness sent since the last start

    def __repr__(self):
        return f"node {self.id} ({self.bootstrap})"

    @property
    def bootstrap(self):
        return f"{self.host}:{self.client_port}"

    def command(self):
        args = [SLUICED] + [f"--{k}={v}" for k, v in self.settings.items() if v is not None]
        return (["ip", "netns", "exec", self.netns] if self.netns else []) + args

    def launch(self):
        """Starts the process without waiting for it (start several, then wait_ready each)."""
        if not os.path.exists(SLUICED):
            raise ClusterError(f"broker binary {SLUICED} does not exist (swift build --product sluiced, or set SLUICED)")
        if self.alive():
            raise ClusterError(f"{self} is already running (pid {self.proc.pid})")
        os.makedirs(self.data_dir, exist_ok=True)
        self.starts += 1
        self._signalled = []
        with open(self.log_path, "ab") as log:
            log.write(f"=== faults harness: start #{self.starts}: {' '.join(self.command())}\n".encode())
            log.flush()
            self._offset = log.tell()
            # `ip netns exec` execs the command, so proc.pid is sluiced itself in both cases.
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        self.paused = False

    def _since_launch(self):
        with open(self.log_path, "rb") as f:
            f.seek(self._offset)
            return f.read().decode(errors="replace")

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            text = self._since_launch()
            if READY_MARK in text:
                return self
            if self.proc.poll() is not None:
                # A restart right after kill -9 can race the kernel releasing the port: retry that.
                if "in use" in text.lower() and time.monotonic() < deadline - 1:
                    time.sleep(0.5)
                    self.launch()
                    continue
                raise ClusterError(f"{self} exited with {self.proc.returncode} before it was ready:\n{self.tail(30)}")
            if time.monotonic() >= deadline:
                self._signal(signal.SIGKILL)
                raise ClusterError(f"{self} did not print '{READY_MARK}' within {timeout:.0f}s:\n{self.tail(30)}")
            time.sleep(0.05)

    def start(self, timeout=30.0):
        self.launch()
        return self.wait_ready(timeout)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def up(self):
        """Running and not stopped with SIGSTOP."""
        return self.alive() and not self.paused

    def _signal(self, sig):
        if self.alive():
            self.note(f"{signal.Signals(sig).name} to pid {self.proc.pid}")
            self._signalled.append(sig)
            try:
                os.kill(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    def note(self, text):
        """A line in this node's log from the harness, so the log shows what was done to it when."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{int(time.time() * 1000) % 1000:03d}Z"
        with open(self.log_path, "ab") as log:
            log.write(f"=== faults harness {stamp}: {text}\n".encode())

    def kill9(self):
        if self.proc is None:
            return
        self._signal(signal.SIGKILL)
        self.proc.wait(10)
        self.paused = False

    def stop(self, timeout=30.0):
        """SIGTERM (sluiced drains) and wait. Returns the exit code; SIGKILLs and raises on a hang."""
        if not self.alive():
            return None if self.proc is None else self.proc.returncode
        if self.paused:
            self.resume()
        self._signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            raise ClusterError(f"{self} did not exit within {timeout:.0f}s of SIGTERM:\n{self.tail(30)}")

    def pause(self):
        self._signal(signal.SIGSTOP)
        self.paused = True

    def resume(self):
        self._signal(signal.SIGCONT)
        self.paused = False

    def partition_dir(self, topic, partition):
        return os.path.join(self.data_dir, f"{topic}-{partition}")

    def exit_story(self):
        """How the process ended, for assertion messages: a crash, a signal, or an exit, and
        whether the harness asked for it."""
        if self.proc is None or self.proc.poll() is None:
            return "running"
        code = self.proc.returncode
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with {code}"
        asked = [signal.Signals(s).name for s in self._signalled]
        if code == 0 and signal.SIGTERM not in self._signalled:
            how += " (a clean drain, but the harness sent no SIGTERM: another process on this machine signalled it)"
        elif asked:
            how += f" (the harness sent {', '.join(asked)})"
        return f"{how}; {self.errors()}"

    def errors(self, limit=5):
        """ERROR lines and Swift runtime traps (precondition, fatal error) since the last start."""
        marks = ("ERROR", "Precondition failed", "Fatal error", "Assertion failed", "Program crashed")
        found = [line for line in self._since_launch().splitlines() if any(m in line for m in marks)]
        return found[:limit]

    def tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(text[-lines:])

    def conn(self, timeout=5.0):
        return raw.Conn(self.host, self.client_port, timeout=timeout, client_id="sluice-faults")


class Cluster:
    """N nodes that know each other through controller.quorum.voters.

    `addresses` is a list of (host, client_port, raft_port, netns_or_None), one per node, node ids
    1..N in that order; `on_loopback` picks free ports on 127.0.0.1. `settings` go to every node
    (as --key=value flags), e.g. {"log.segment.bytes": 16384}.
    """

    def __init__(self, addresses, base_dir=None, settings=None, replication_factor=None):
        self.base_dir = base_dir or tempfile.mkdtemp(prefix="sluice-faults-")
        self._own_dir = base_dir is None
        self.nodes = [Node(i + 1, host, cport, rport, self.base_dir, netns)
                      for i, (host, cport, rport, netns) in enumerate(addresses)]
        self.replication_factor = replication_factor or min(3, len(self.nodes))
        voters = ",".join(f"{n.id}@{n.host}:{n.raft_port}" for n in self.nodes)
        # Every node proves it holds this secret to every other (cluster.secret.file).
        self.secret_file = os.path.join(self.base_dir, "cluster.secret")
        with open(self.secret_file, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        os.chmod(self.secret_file, 0o600)
        for n in self.nodes:
            n.settings = {
                "node.id": n.id,
                "listeners": f"PLAINTEXT://{n.host}:{n.client_port},CONTROLLER://{n.host}:{n.raft_port}",
                "advertised.listeners": f"PLAINTEXT://{n.host}:{n.client_port}",
                "controller.quorum.voters": voters,
                "log.dirs": n.data_dir,
                "default.replication.factor": self.replication_factor,
                "min.insync.replicas": min(2, self.replication_factor),
                "group.initial.rebalance.delay.ms": 0,
                "auto.create.topics.enable": "false",
                "cluster.secret.file": self.secret_file,
            }
            n.settings.update(settings or {})

    @classmethod
    def on_loopback(cls, size=3, admin=False, **kw):
        """Nodes on 127.0.0.1 with free ports; `admin` also opens each node's HTTP listener."""
        ports = free_ports(3 * size)
        c = cls([("127.0.0.1", ports[3 * i], ports[3 * i + 1], None) for i in range(size)], **kw)
        if admin:
            for i, n in enumerate(c.nodes):
                n.admin_port = ports[3 * i + 2]
                n.settings["admin.listeners"] = f"http://127.0.0.1:{n.admin_port}"
        return c

    # -- processes --

    def start(self, timeout=60.0):
        for n in self.nodes:
            if not n.alive():
                n.launch()
        deadline = time.monotonic() + timeout
        for n in self.nodes:
            n.wait_ready(max(1.0, deadline - time.monotonic()))
        self.wait_formed(max(5.0, deadline - time.monotonic()))
        return self

    def node(self, node_id):
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise ClusterError(f"no node {node_id}; nodes are {[n.id for n in self.nodes]}")

    def up(self, exclude=()):
        skip = {getattr(x, "id", x) for x in exclude}
        return [n for n in self.nodes if n.up() and n.id not in skip]

    @property
    def bootstrap(self):
        return ",".join(n.bootstrap for n in self.nodes)

    def kill_all(self):
        """SIGKILL to every node first, then reap them: as close to together as processes get."""
        for n in self.nodes:
            n._signal(signal.SIGKILL)
        for n in self.nodes:
            if n.proc is not None:
                n.proc.wait(10)
                n.paused = False

    def cleanup(self):
        self.kill_all()
        if self._own_dir and not os.environ.get("FAULTS_KEEP_DATA"):
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def tails(self, lines=40):
        out = []
        for n in self.nodes:
            state = "paused" if n.paused else ("alive" if n.alive() else ("never started" if n.proc is None else f"down: {n.exit_story()}"))
            # A node that died gets a longer tail: a crash report's first frames come before its registers.
            out.append((f"{n} [{state}] log {n.log_path}", n.tail(lines if n.alive() or n.proc is None else 400)))
        return out

    # -- metadata --

    def metadata(self, topics=None, via=None, timeout=3.0):
        """Metadata v1 from the first node of `via` (default: every up node) that answers: (node, dict).

        Every answer must name a controller it lists as a broker, or none (-1): clients send
        controller requests to that node and wait while it is missing from the list. Checked on
        every Metadata a fault test asks for, through kills, pauses and restarts."""
        last = None
        for n in (via if via is not None else self.up()):
            try:
                with n.conn(timeout) as c:
                    md = c.metadata(topics, version=1, timeout=timeout)
            except (OSError, raw.ProtocolError, raw.ConnectionClosed) as e:
                last = e
                continue
            listed = sorted(b["node_id"] for b in md["brokers"])
            assert md["controller"] == -1 or md["controller"] in listed, \
                f"{n} named controller {md['controller']}, not among its brokers {listed}"
            return n, md
        asked = via if via is not None else self.up()
        states = ", ".join(f"{n}: {'paused' if n.paused else n.exit_story()}" for n in asked)
        raise ClusterError(f"no node answered Metadata (last error: {last!r}; {states})")

    def wait_formed(self, timeout=30.0):
        """Every up node's Metadata lists every node as a broker and names a controller."""
        want = {n.id for n in self.nodes}

        def formed():
            for n in self.up():
                _, md = self.metadata(via=[n])
                if {b["node_id"] for b in md["brokers"]} != want or md["controller"] is None or md["controller"] < 0:
                    return False
            return True
        wait_until(formed, timeout, f"every node's Metadata to list brokers {sorted(want)} and a controller")

    def partition(self, topic, partition, via=None):
        _, md = self.metadata([topic], via=via)
        t = md["topics"].get(topic)
        if t is None or t["error"] != NONE:
            return None
        for p in t["partitions"]:
            if p["partition"] == partition:
                return p
        return None

    def leader(self, topic, partition, exclude=()):
        """The node that really leads the partition, or None. Candidates are the leaders the up
        nodes (not in exclude) name in Metadata; one counts only if it also answers ListOffsets
        for the partition, which only the leader does: Metadata alone can be stale (a node that
        just restarted may still name itself)."""
        skip = {getattr(x, "id", x) for x in exclude}
        named = []
        for n in self.up(exclude):
            try:
                p = self.partition(topic, partition, via=[n])
            except ClusterError:
                continue
            if p is not None and p["leader"] >= 0 and p["leader"] not in skip and p["leader"] not in named:
                named.append(p["leader"])
        for node_id in named:
            candidate = self.node(node_id)
            if candidate.up() and self.answers_as_leader(candidate, topic, partition):
                return candidate
        return None

    def answers_as_leader(self, node, topic, partition):
        try:
            with node.conn(3.0) as c:
                return c.list_offsets(topic, partition, timestamp=-1, timeout=3.0)["error"] == NONE
        except (OSError, raw.ProtocolError, raw.ConnectionClosed):
            return False

    def wait_leader(self, topic, partition, exclude=(), timeout=20.0):
        return wait_until(lambda: self.leader(topic, partition, exclude), timeout,
                          f"a leader of {topic}-{partition} (excluding {[getattr(x, 'id', x) for x in exclude]})")

    def wait_isr(self, topic, partition, size=None, timeout=30.0, via=None):
        size = size or self.replication_factor

        def full():
            p = self.partition(topic, partition, via=via)
            return p is not None and p["leader"] >= 0 and len(p["isr"]) >= size and p
        return wait_until(full, timeout, f"{topic}-{partition} with {size} in-sync replicas")

    def wait_caught_up(self, topic, partition, node, timeout=30.0):
        """Waits until `node`'s own segment files hold every offset below the leader's high
        watermark (read when the wait starts). Metadata's ISR is not used: it can lag."""
        leader = self.wait_leader(topic, partition, timeout=timeout)
        with leader.conn() as c:
            answer = c.list_offsets(topic, partition, timestamp=-1)  # latest = the high watermark
        if answer["error"] != NONE:
            raise ClusterError(f"ListOffsets(latest) {topic}-{partition} on {leader}: error {answer['error']}")
        hw = answer["offset"]

        def caught_up():
            if hw == 0:
                return True  # nothing committed yet (a new partition holds no batch at all)
            batches, _ = scan_log_files(node.partition_dir(topic, partition))
            return batches and batches[-1][1] >= hw - 1
        wait_until(caught_up, timeout, f"{node} to hold {topic}-{partition} up to the high watermark {hw}", interval=0.1)

    def create_topic(self, name, partitions=1, replication_factor=None, config=None, timeout=30.0):
        """CreateTopics through confluent-kafka's admin client (it finds the controller), then waits
        until every partition has a leader and a full ISR."""
        from confluent_kafka.admin import AdminClient, NewTopic
        rf = replication_factor or self.replication_factor
        admin = AdminClient({"bootstrap.servers": ",".join(n.bootstrap for n in self.up())})
        fut = admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=rf, config=config or {})],
                                  operation_timeout=timeout, request_timeout=timeout)[name]
        fut.result(timeout=timeout)
        for p in range(partitions):
            self.wait_isr(name, p, rf, timeout)
        return name

    def create_topic_raw(self, node, name, partitions=1, replication_factor=None, timeout_ms=10000):
        """CreateTopics v0 sent to one node, no routing: returns the topic's error code."""
        rf = replication_factor or self.replication_factor
        body = raw.array([raw.string(name) + raw.i32(partitions) + raw.i16(rf) + raw.array([]) + raw.array([])]) + raw.i32(timeout_ms)
        with node.conn(timeout_ms / 1000 + 10) as c:
            _, payload = c.request(API_CREATE_TOPICS, 0, body)
        r = raw.Reader(payload)
        topics = r.array(lambda r: (r.string(), r.i16()))
        r.expect_end()
        return dict(topics)[name]

    def controller(self, exclude=()):
        """The controller id as the up nodes (not in exclude) agree on it, or None."""
        seen = set()
        for n in self.up(exclude):
            try:
                _, md = self.metadata(via=[n])
            except ClusterError:
                continue
            seen.add(md["controller"])
        return seen.pop() if len(seen) == 1 and -1 not in seen and None not in seen else None

    # -- data --

    def read_partition(self, topic, partition, via=None, timeout=60.0):
        """Reads the whole partition with raw Fetch v4 from its leader (or from node `via`), up to
        the high watermark it has when the read starts (records after it may or may not be read). Returns dict(records=[(offset, key, value)], control_batches, bad_crc,
        high_watermark, node, batches=[(base offset, crc)]). Records must be uncompressed (the
        tests produce them so). Without `via`, a leader that turns out not to be one (Metadata
        can lag an election) is looked up again and the read starts over, until `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            node = via or self.wait_leader(topic, partition, timeout=max(1.0, deadline - time.monotonic()))
            try:
                return self._read_from(node, topic, partition, deadline)
            except (NotLeader, OSError, raw.ConnectionClosed) as e:
                if via is not None or time.monotonic() > deadline:
                    raise ClusterError(f"reading {topic}-{partition} from {node}: {e!r}") from None
                time.sleep(0.2)

    def _read_from(self, node, topic, partition, deadline):
        out = dict(records=[], control_batches=0, bad_crc=[], high_watermark=None, node=node.id, batches=[], fetches=0)
        with node.conn(10.0) as c:
            start = c.list_offsets(topic, partition, timestamp=-2)
            if start["error"] in (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE):
                raise NotLeader(f"ListOffsets: error {start['error']}")
            if start["error"] != NONE:
                raise ClusterError(f"ListOffsets(earliest) {topic}-{partition} on {node}: error {start['error']}")
            offset = start["offset"]
            # Read up to the high watermark as it is now, not after: a reader that chases a log
            # still being written would never finish.
            end = c.list_offsets(topic, partition, timestamp=-1)
            if end["error"] in (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE):
                raise NotLeader(f"ListOffsets: error {end['error']}")
            target = end["offset"]
            fetches = []  # (offset, batches returned), for the message if this takes too long
            while True:
                if time.monotonic() > deadline:
                    small = [f for f in fetches if f[1] <= 2]
                    raise ClusterError(f"reading {topic}-{partition} from {node} did not finish in time: at offset {offset} "
                                       f"after {len(fetches)} Fetches, {len(small)} of them with at most 2 batches "
                                       f"(first such at offsets {[f[0] for f in small[:5]]}); last answer: error {r['error']}, "
                                       f"high watermark {r['high_watermark']}, {len(r['records'] or b'')} bytes")
                r = c.fetch(topic, partition, offset, max_wait_ms=100, min_bytes=1)
                if r["error"] in (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE):
                    raise NotLeader(f"Fetch at {offset}: error {r['error']}")
                if r["error"] != NONE:
                    raise ClusterError(f"Fetch {topic}-{partition}@{offset} on {node}: error {r['error']}")
                hw = r["high_watermark"]
                out["high_watermark"] = hw
                batches = [b for b in r["batches"] if b["base_offset"] + b["last_offset_delta"] >= offset]
                fetches.append((offset, len(batches)))
                out["fetches"] = len(fetches)
                if offset >= target or (not batches and offset >= hw):
                    return out
                if not batches:
                    time.sleep(0.05)
                    continue
                for b in batches:
                    out["batches"].append((b["base_offset"], b["crc"]))
                    if not b["crc_ok"]:
                        out["bad_crc"].append(b["base_offset"])
                    if b["attributes"] & CONTROL_BATCH:
                        out["control_batches"] += 1
                    elif b["records"] is None:
                        raise ClusterError(f"{topic}-{partition}@{b['base_offset']}: compressed batch (codec {b['codec']}); produce uncompressed")
                    else:
                        for rec in b["records"]:
                            if rec["offset"] >= offset:
                                out["records"].append((rec["offset"], rec["key"], rec["value"]))
                    offset = b["base_offset"] + b["last_offset_delta"] + 1

    def read_all(self, topic, partitions, timeout=60.0):
        """{partition: [(offset, key, value)]} read from each partition's leader."""
        return {p: self.read_partition(topic, p, timeout=timeout)["records"] for p in partitions}


def scan_log_files(directory):
    """Parses every `*.log` segment of one partition directory. Returns (batches, problems):
    batches = [(base_offset, last_offset, crc, crc_ok)] in file order; problems = text lines for
    bad CRCs, overlapping offsets and unparsable bytes (a partial batch at the very end of the last
    segment is not a problem: it may be in the middle of being written)."""
    batches, problems = [], []
    segments = sorted(f for f in os.listdir(directory) if f.endswith(".log"))
    for i, name in enumerate(segments):
        with open(os.path.join(directory, name), "rb") as f:
            data = f.read()
        parsed = raw.decode_batches(data)
        used = sum(12 + b["length"] for b in parsed)
        if used != len(data) and i != len(segments) - 1:
            problems.append(f"{name}: {len(data) - used} unparsable bytes after byte {used}")
        for b in parsed:
            last = b["base_offset"] + b["last_offset_delta"]
            if not b["crc_ok"]:
                problems.append(f"{name}: batch at offset {b['base_offset']} has a bad CRC")
            if batches and b["base_offset"] <= batches[-1][1]:
                problems.append(f"{name}: batch at offset {b['base_offset']} overlaps the previous one (ends {batches[-1][1]})")
            batches.append((b["base_offset"], last, b["crc"], b["crc_ok"]))
    return batches, problems


def _print_metadata(bootstraps):
    for b in bootstraps:
        host, port = b.rsplit(":", 1)
        try:
            with raw.Conn(host, int(port), timeout=3.0, client_id="sluice-status") as c:
                md = c.metadata(None, version=1, timeout=3.0)
        except Exception as e:  # noqa: BLE001 - a status line, not a crash
            print(f"{b}: no answer ({e})")
            continue
        brokers = ", ".join(f"{x['node_id']}@{x['host']}:{x['port']}" for x in sorted(md["brokers"], key=lambda x: x["node_id"]))
        print(f"{b}: controller {md['controller']}; brokers {brokers}")
        for name, t in sorted(md["topics"].items()):
            for p in sorted(t["partitions"], key=lambda p: p["partition"]):
                print(f"  {name}-{p['partition']}: leader {p['leader']} replicas {p['replicas']} isr {p['isr']}"
                      + (f" error {p['error']}" if p["error"] else ""))
        return 0
    return 1


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "metadata":
        print("usage: cluster.py metadata HOST:PORT [HOST:PORT ...]   (Metadata from the first node that answers)")
        sys.exit(2)
    sys.exit(_print_metadata(sys.argv[2:]))
