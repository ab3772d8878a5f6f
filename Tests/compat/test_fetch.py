"""Fetch long-poll: held up to maxWaitMs when there is nothing to read, woken early by an append."""

import threading
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition

import kafka_raw as kr
from conftest import create_topic


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def produce_later(bootstrap, topic, delay, value, done):
    def run():
        time.sleep(delay)
        with kr.Conn.to(bootstrap) as c:
            done["sent_at"] = time.monotonic()
            done["resp"] = c.produce_one(topic, 0, kr.encode_batch([(None, value)]), acks=1)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_raw_fetch_waits_for_max_wait_when_empty(broker):
    topic = create_topic(broker.bootstrap, unique("fetch-wait"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        t0 = time.monotonic()
        p = c.fetch(topic, 0, 0, max_wait_ms=1500, min_bytes=1)
        elapsed = time.monotonic() - t0
    assert p["error"] == 0 and p["batches"] == [] and p["high_watermark"] == 0
    assert 1.2 <= elapsed < 4.0, f"empty fetch with maxWaitMs=1500 answered after {elapsed:.2f}s"


def test_raw_fetch_min_bytes_zero_returns_immediately(broker):
    topic = create_topic(broker.bootstrap, unique("fetch-min0"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        t0 = time.monotonic()
        p = c.fetch(topic, 0, 0, max_wait_ms=5000, min_bytes=0)
        elapsed = time.monotonic() - t0
    assert p["error"] == 0
    assert elapsed < 1.0, f"minBytes=0 fetch took {elapsed:.2f}s"


def test_raw_fetch_woken_by_append(broker):
    topic = create_topic(broker.bootstrap, unique("fetch-wake"), partitions=1)
    done = {}
    with kr.Conn.to(broker.bootstrap) as c:
        t = produce_later(broker.bootstrap, topic, 1.0, b"wake-up", done)
        t0 = time.monotonic()
        p = c.fetch(topic, 0, 0, max_wait_ms=5000, min_bytes=1, timeout=20)
        answered = time.monotonic()
        t.join(10)
    assert done.get("resp", {}).get("error") == 0, done
    assert p["error"] == 0
    recs = [r for b in p["batches"] for r in (b["records"] or [])]
    assert [r["value"] for r in recs] == [b"wake-up"], p
    assert answered - done["sent_at"] < 1.5, \
        f"fetch answered {answered - done['sent_at']:.2f}s after the append ({answered - t0:.2f}s after the request)"


def test_consumer_long_poll_woken_by_append(broker):
    topic = create_topic(broker.bootstrap, unique("fetch-cf"), partitions=1)
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": unique("g"), "enable.auto.commit": False,
                  "fetch.wait.max.ms": 5000, "fetch.min.bytes": 1})
    try:
        c.assign([TopicPartition(topic, 0, 0)])
        # Let the consumer connect and park in a long poll.
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            m = c.poll(0.2)
            assert m is None or m.error(), "unexpected record on an empty topic"
        producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0, "acks": "1"})
        producer.produce(topic, value=b"hello-long-poll", partition=0)
        assert producer.flush(20) == 0
        produced_at = time.monotonic()
        got = None
        deadline = produced_at + 15
        while got is None and time.monotonic() < deadline:
            m = c.poll(0.05)
            if m is not None and not m.error():
                got = m
        received_at = time.monotonic()
    finally:
        c.close()
    assert got is not None and got.value() == b"hello-long-poll"
    assert received_at - produced_at < 2.0, \
        f"record arrived {received_at - produced_at:.2f}s after produce: fetch not woken by the append"


def _fill(c, topic, batches, per_batch, size=100):
    for i in range(batches):
        recs = [(None, (b"%04d-%04d " % (i, j)) + b"p" * size) for j in range(per_batch)]
        assert c.produce_one(topic, 0, kr.encode_batch(recs))["error"] == 0


def test_fetch_from_middle_of_batch_and_offset_out_of_range(broker):
    topic = create_topic(broker.bootstrap, unique("fetch-mid"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        _fill(c, topic, 3, 10)
        p = c.fetch(topic, 0, 15, max_wait_ms=100)
        assert p["error"] == 0 and p["high_watermark"] == 30
        offsets = [r["offset"] for b in p["batches"] for r in b["records"]]
        assert 15 in offsets and offsets[-1] == 29, offsets
        assert p["batches"][0]["base_offset"] <= 15
        assert all(b["crc_ok"] for b in p["batches"])
        # At the high watermark: nothing, no error. Beyond it: OFFSET_OUT_OF_RANGE.
        p = c.fetch(topic, 0, 30, max_wait_ms=100)
        assert p["error"] == 0 and p["batches"] == []
        p = c.fetch(topic, 0, 31, max_wait_ms=100)
        assert p["error"] == 1, p["error"]
        p = c.fetch(topic, 0, -5, max_wait_ms=100)
        assert p["error"] == 1, p["error"]


def test_fetch_size_limits(broker):
    topic = create_topic(broker.bootstrap, unique("fetch-limits"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        _fill(c, topic, 20, 10, size=200)  # ~2.2 KB per batch
        p = c.fetch(topic, 0, 0, max_wait_ms=100, max_bytes=5000, partition_max_bytes=5000)
        complete = p["batches"]
        assert complete and len(p["records"]) <= 5000 + 2500, len(p["records"])
        assert len(complete) < 20
        # KIP-74: a first batch bigger than the limit is still returned whole, so consumers progress.
        p = c.fetch(topic, 0, 0, max_wait_ms=100, max_bytes=100, partition_max_bytes=100)
        assert p["error"] == 0 and len(p["batches"]) >= 1 and p["batches"][0]["count"] == 10
        # Read it all in small steps.
        nxt, seen = 0, []
        deadline = time.monotonic() + 20
        while nxt < 200 and time.monotonic() < deadline:
            p = c.fetch(topic, 0, nxt, max_wait_ms=100, max_bytes=3000, partition_max_bytes=3000)
            for b in p["batches"]:
                for r in b["records"]:
                    if r["offset"] >= nxt:
                        seen.append(r["offset"])
                nxt = b["base_offset"] + b["last_offset_delta"] + 1
        assert seen == list(range(200))


def test_read_committed_last_stable_offset_is_high_watermark(broker):
    """librdkafka reads read_committed by default; without transactions LSO must equal the HW."""
    topic = create_topic(broker.bootstrap, unique("fetch-lso"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        _fill(c, topic, 2, 5)
        p = c.fetch(topic, 0, 0, max_wait_ms=100, isolation_level=1)
        assert p["error"] == 0 and p["high_watermark"] == 10 and p["last_stable_offset"] == 10, p
        assert sum(b["count"] for b in p["batches"]) == 10
        assert not p["aborted"]
