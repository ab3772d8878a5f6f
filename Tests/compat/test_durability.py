"""Acknowledged records survive kill -9; the log continues at the next offset after restart."""

import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition

from conftest import create_topic


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def read_partition(bootstrap, topic, partition, n, timeout=60):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("g"), "enable.auto.commit": False,
                  "fetch.wait.max.ms": 100, "enable.partition.eof": True})
    got = []
    try:
        c.assign([TopicPartition(topic, partition, OFFSET_BEGINNING)])
        deadline = time.monotonic() + timeout
        eof = False
        while time.monotonic() < deadline and not (eof and len(got) >= n):
            for m in c.consume(1000, 0.5):
                if m.error():
                    if m.error().code() == KafkaError._PARTITION_EOF:
                        eof = True
                        continue
                    raise AssertionError(f"consumer error {m.error()}")
                eof = False
                got.append((m.offset(), m.value()))
    finally:
        c.close()
    return got


def test_acked_records_survive_kill9(fresh_broker):
    b = fresh_broker
    topic = create_topic(b.bootstrap, unique("durable"), partitions=2)
    producer = Producer({"bootstrap.servers": b.bootstrap, "acks": "all", "linger.ms": 2,
                         "compression.type": "lz4", "enable.idempotence": True})
    acked = {0: [], 1: []}

    def on_delivery(err, msg):
        assert err is None, err
        acked[msg.partition()].append((msg.offset(), msg.value()))

    n = 5000
    for i in range(n):
        while True:
            try:
                producer.produce(topic, value=b"durable-%05d" % i, partition=i % 2, on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    assert producer.flush(30) == 0
    assert sum(len(v) for v in acked.values()) == n
    for p in acked:
        acked[p].sort()
        assert [o for o, _ in acked[p]] == list(range(len(acked[p])))

    b.kill9()
    assert not b.alive()
    b.restart()

    for p in (0, 1):
        got = read_partition(b.bootstrap, topic, p, len(acked[p]))
        assert got == acked[p], f"partition {p}: read {len(got)} records, acked {len(acked[p])}; " \
                                f"first difference at {next((i for i, (x, y) in enumerate(zip(got, acked[p])) if x != y), min(len(got), len(acked[p])))}"

    # Producing after the restart continues at the next offset.
    producer = Producer({"bootstrap.servers": b.bootstrap, "acks": "all"})
    reports = []
    producer.produce(topic, value=b"after-restart", partition=0, on_delivery=lambda e, m: reports.append((e, m.offset())))
    assert producer.flush(30) == 0
    assert reports == [(None, len(acked[0]))], reports
    got = read_partition(b.bootstrap, topic, 0, len(acked[0]) + 1)
    assert got[-1] == (len(acked[0]), b"after-restart")


def test_graceful_stop_exits_zero_and_keeps_data(fresh_broker):
    b = fresh_broker
    topic = create_topic(b.bootstrap, unique("graceful"), partitions=1)
    producer = Producer({"bootstrap.servers": b.bootstrap, "acks": "all", "linger.ms": 0})
    for i in range(100):
        producer.produce(topic, value=b"g%d" % i, partition=0)
    assert producer.flush(30) == 0
    assert b.stop() == 0, f"sluiced exited with {b.proc.returncode} after SIGTERM"
    b.start()
    got = read_partition(b.bootstrap, topic, 0, 100)
    assert [v for _, v in got] == [b"g%d" % i for i in range(100)]
