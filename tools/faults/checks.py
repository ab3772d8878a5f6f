"""Workloads and the history checker of the fault tests.

Vocabulary follows Jepsen's Redpanda analysis:
- lost-write: an acknowledged record is not in the log;
- inconsistent-offset: an acknowledged record is in the log at another offset than its ack said;
- duplicate: one record (one value) is in the log more than once;
- offset-reuse: the log read back holds an offset twice or goes backwards;
- nonmonotonic: one producer's records are not in send order within a partition.
Offsets may have gaps (Raft control batches, e.g. a new leader's no-op): density is never checked.

Values are `<run>/<producer>/<partition>/<seq>`, so a record says who sent it and in what order.
"""

import os
import threading
import time

SHORT = os.environ.get("FAULTS_SHORT") == "1"


def pick(short, long):
    """A parameter by mode (FAULTS_SHORT=1 or not): pick(3, 20) iterations."""
    return short if SHORT else long


def value_of(run, producer, partition, seq):
    return f"{run}/{producer}/{partition}/{seq:09d}".encode()


def parse_value(value):
    try:
        run, producer, partition, seq = value.decode().split("/")
        return run, producer, int(partition), int(seq)
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None


def commit(bootstrap, group, topic, offsets):
    """Commits {partition: offset} for `group` with confluent-kafka, synchronously."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in offsets.items()], asynchronous=False)
    finally:
        consumer.close()


def committed(bootstrap, group, topic, partitions, timeout=10):
    """{partition: committed offset} of `group` as its coordinator answers OffsetFetch."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        got = consumer.committed([TopicPartition(topic, p) for p in partitions], timeout=timeout)
        return {tp.partition: tp.offset for tp in got}
    finally:
        consumer.close()


class History:
    """What was sent and what was acknowledged, by value. Thread-safe."""

    def __init__(self, run):
        self.run = run
        self.lock = threading.Lock()
        self.sent = {}      # value -> (partition, send time)
        self.acked = {}     # value -> (partition, offset, ack time, node or None)
        self.failed = {}    # value -> (partition, error text, time)

    def send(self, value, partition):
        with self.lock:
            self.sent[value] = (partition, time.monotonic())

    def ack(self, value, partition, offset, node=None):
        with self.lock:
            self.acked[value] = (partition, offset, time.monotonic(), node)

    def fail(self, value, partition, error):
        with self.lock:
            self.failed[value] = (partition, str(error), time.monotonic())

    def acks_after(self, t):
        with self.lock:
            return sum(1 for (_, _, at, _) in self.acked.values() if at > t)

    def summary(self):
        return f"{len(self.sent)} sent, {len(self.acked)} acked, {len(self.failed)} failed"


def check(history, reads, limit=20):
    """reads: {partition: [(offset, key, value)]} as Cluster.read_partition returns them.
    Returns (problems, stats): problems is a list of text lines (empty = the history is fine)."""
    problems = []
    where = {}  # value -> [(partition, offset)]
    for partition, records in sorted(reads.items()):
        last_offset = None
        last_seq = {}
        for offset, _key, value in records:
            if last_offset is not None and offset <= last_offset:
                problems.append(f"offset-reuse: partition {partition} offset {offset} read after {last_offset}")
            last_offset = offset
            parsed = parse_value(value)
            if parsed is None or parsed[0] != history.run:
                continue
            _, producer, _, seq = parsed
            where.setdefault(value, []).append((partition, offset))
            if seq <= last_seq.get(producer, -1):
                problems.append(f"nonmonotonic: partition {partition} offset {offset}: {value.decode()} after seq {last_seq[producer]}")
            last_seq[producer] = max(seq, last_seq.get(producer, -1))
    for value, places in where.items():
        if len(places) > 1:
            problems.append(f"duplicate: {value.decode()} at {places}")
    acked_at = {}
    for value, (partition, offset, _, _) in history.acked.items():
        other = acked_at.setdefault((partition, offset), value)
        if other != value:
            problems.append(f"offset-reuse: {other.decode()} and {value.decode()} were both acked at {partition}@{offset}")
    lost = 0
    for value, (partition, offset, _, node) in history.acked.items():
        places = where.get(value)
        if not places:
            lost += 1
            problems.append(f"lost-write: {value.decode()} acked at {partition}@{offset}" + (f" by node {node}" if node else "") + " is not in the log")
        elif places[0] != (partition, offset):
            problems.append(f"inconsistent-offset: {value.decode()} acked at {partition}@{offset}, found at {places[0]}")
    unacked_present = sum(1 for v in where if v not in history.acked)
    stats = dict(sent=len(history.sent), acked=len(history.acked), failed=len(history.failed), read=len(where),
                 lost=lost, unacked_present=unacked_present)
    if len(problems) > limit:
        problems = problems[:limit] + [f"... and {len(problems) - limit} more"]
    return problems, stats


class ConfluentWorkload:
    """An idempotent confluent-kafka producer (acks=all) sending to `partitions` of `topic` at up
    to `rate` records/s on a thread of its own, until stop(). Delivery reports go to `history`."""

    def __init__(self, bootstrap, topic, partitions, history, producer="p0", rate=500, extra=None):
        from confluent_kafka import Producer
        self.topic = topic
        self.partitions = list(partitions)
        self.history = history
        self.name = producer
        self.rate = rate
        self.fatal = []
        conf = {
            "bootstrap.servers": bootstrap,
            "enable.idempotence": True,
            "acks": "all",
            "linger.ms": 5,
            "compression.type": "none",
            "message.timeout.ms": 60000,
            "request.timeout.ms": 5000,
            "retry.backoff.ms": 100,
            "topic.metadata.refresh.interval.ms": 1000,
            "reconnect.backoff.max.ms": 500,
            "error_cb": self._error,
        }
        conf.update(extra or {})
        self.producer = Producer(conf)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"producer-{producer}", daemon=True)
        self.seq = 0
        self.left = None

    def _error(self, err):
        if err.fatal():
            self.fatal.append(str(err))

    def _report(self, err, msg):
        if err is not None:
            self.history.fail(msg.value(), msg.partition(), err)
        else:
            self.history.ack(msg.value(), msg.partition(), msg.offset())

    def _run(self):
        interval = 1.0 / self.rate
        next_at = time.monotonic()
        while not self._stop.is_set() and not self.fatal:
            partition = self.partitions[self.seq % len(self.partitions)]
            value = value_of(self.history.run, self.name, partition, self.seq)
            try:
                self.producer.produce(self.topic, value=value, key=value, partition=partition, on_delivery=self._report)
            except BufferError:
                self.producer.poll(0.1)
                continue
            self.history.send(value, partition)
            self.seq += 1
            self.producer.poll(0)
            next_at += interval
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)  # not poll(pause): poll returns at the first delivery report
            else:
                next_at = time.monotonic()

    def start(self):
        self._thread.start()
        return self

    def stop(self, flush_timeout=90.0):
        """Stops sending and waits for every outstanding delivery report; returns how many are left."""
        if self.left is None:
            self._stop.set()
            self._thread.join(10)
            self.left = self.producer.flush(flush_timeout)
            # The handle and its callbacks reference each other: drop it now, or librdkafka keeps
            # reconnecting to this test's stopped brokers and floods later tests' output.
            self.producer = None
        return self.left

    def finish(self, flush_timeout=90.0):
        """stop() (if not yet done), then asserts that the producer never hit a fatal error and
        that every record got its delivery report."""
        left = self.stop(flush_timeout)
        assert not self.fatal, f"idempotent producer hit a fatal error: {self.fatal}"
        assert left == 0, f"{left} records still without a delivery report after flush ({self.history.summary()})"


class PinnedProducer:
    """A raw producer pinned to one node: Produce v3 (acks=all) of one uncompressed record per
    request, every `interval` seconds, with up to `max_in_flight` requests pipelined on one
    connection, so requests keep queueing while the node is stopped. Never follows leadership.
    Each response is recorded with its arrival time in `responses`: (value, sent, answered, error,
    offset); an error 0 is also an ack in `history` (node = the pinned node's id)."""

    def __init__(self, node, topic, partition, history, name="pinned", interval=0.05, max_in_flight=200,
                 produce_timeout_ms=3000):
        import kafka_raw as raw
        self.raw = raw
        self.node = node
        self.topic = topic
        self.partition = partition
        self.history = history
        self.name = name
        self.interval = interval
        self.max_in_flight = max_in_flight
        self.produce_timeout_ms = produce_timeout_ms
        self.responses = []
        self.errors = []
        self._in_flight = {}  # correlation id -> (value, sent)
        self._cv = threading.Condition()
        self._stop = threading.Event()
        self._conn = None
        self._threads = []
        self.seq = 0

    def _connect(self):
        self._conn = self.node.conn(timeout=60.0)

    def _send_loop(self):
        raw = self.raw
        while not self._stop.is_set():
            with self._cv:
                while len(self._in_flight) >= self.max_in_flight and not self._stop.is_set():
                    self._cv.wait(0.1)
                if self._stop.is_set():
                    return
                value = value_of(self.history.run, self.name, self.partition, self.seq)
                self.seq += 1
                batch = raw.encode_batch([(value, value)])
                body = (raw.string(None) + raw.i16(-1) + raw.i32(self.produce_timeout_ms)
                        + raw.array([raw.string(self.topic) + raw.array([raw.i32(self.partition) + raw.bytes_field(batch)])]))
                cid, header = self._conn.header(raw.API_PRODUCE, 3, False)
                self.history.send(value, self.partition)
                self._in_flight[cid] = (value, time.monotonic())
                self._cv.notify_all()
            try:
                self._conn.send_frame(header + body)
            except OSError as e:
                self.errors.append(f"send: {e!r}")
                return
            self._stop.wait(self.interval)

    def _receive_loop(self):
        import struct
        raw = self.raw
        while True:
            with self._cv:
                while not self._in_flight and not self._stop.is_set():
                    self._cv.wait(0.1)
                if not self._in_flight and self._stop.is_set():
                    return
            try:
                frame = self._conn.recv_frame(timeout=60.0)
            except (OSError, raw.ConnectionClosed, raw.ProtocolError) as e:
                self.errors.append(f"receive: {e!r}")
                return
            answered = time.monotonic()
            cid = struct.unpack(">i", frame[:4])[0]
            with self._cv:
                value, sent = self._in_flight.pop(cid)
                self._cv.notify_all()
            [(_, [p])] = raw.parse_produce(frame[4:], 3)["topics"]
            self.responses.append((value, sent, answered, p["error"], p["base_offset"]))
            if p["error"] == 0:
                self.history.ack(value, self.partition, p["base_offset"], node=self.node.id)
            else:
                self.history.fail(value, self.partition, f"error {p['error']}")

    def start(self):
        self._connect()
        self._threads = [threading.Thread(target=self._send_loop, daemon=True, name=f"{self.name}-send"),
                         threading.Thread(target=self._receive_loop, daemon=True, name=f"{self.name}-receive")]
        for t in self._threads:
            t.start()
        return self

    def stop(self, timeout=30.0):
        """Stops sending, waits (bounded) for the answers still due, closes the connection."""
        self._stop.set()
        for t in self._threads:
            t.join(timeout)
        self._conn.close()
        return len(self._in_flight)
