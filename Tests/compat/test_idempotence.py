"""Idempotent produce at the byte level.

Made-up producer ids (no InitProducerId): with no stored state any first sequence is accepted,
duplicates of the last 5 batches get the original offsets, gaps get 45, stale epochs 47, and the
state is rebuilt from the log after a restart.
"""

import uuid

import pytest

import kafka_raw as kr
from conftest import create_topic

OUT_OF_ORDER_SEQUENCE_NUMBER = 45
INVALID_PRODUCER_EPOCH = 47


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def batch(pid, epoch, seq, n, tag=b"r"):
    return kr.encode_batch([(b"k%d" % (seq + i), tag + b"-%d" % (seq + i)) for i in range(n)],
                           producer_id=pid, producer_epoch=epoch, base_sequence=seq)


def hw(c, topic):
    r = c.list_offsets(topic, 0, -1)
    assert r["error"] == 0, r
    return r["offset"]


def produce(c, topic, data):
    return c.produce_one(topic, 0, data, acks=-1)


def test_duplicate_batch_gets_original_offset(broker):
    topic = create_topic(broker.bootstrap, unique("idem-dup"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        b0 = batch(5000, 0, 0, 3)
        r = produce(c, topic, b0)
        assert (r["error"], r["base_offset"]) == (0, 0), r
        r = produce(c, topic, b0)
        assert (r["error"], r["base_offset"]) == (0, 0), f"resent batch: {r}"
        assert hw(c, topic) == 3, "a duplicate was appended"
        b1 = batch(5000, 0, 3, 2)
        assert produce(c, topic, b1)["base_offset"] == 3
        # Both of the last batches are in the dedupe window.
        r = produce(c, topic, b0)
        assert (r["error"], r["base_offset"]) == (0, 0), r
        r = produce(c, topic, b1)
        assert (r["error"], r["base_offset"]) == (0, 3), r
        assert hw(c, topic) == 5
        # The log holds each record once.
        p = c.fetch(topic, 0, 0, max_wait_ms=100)
        values = [rec["value"] for b in p["batches"] for rec in b["records"]]
        assert values == [b"r-%d" % i for i in range(5)]


def test_sequence_gap_is_out_of_order(broker):
    topic = create_topic(broker.bootstrap, unique("idem-gap"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        assert produce(c, topic, batch(5002, 0, 0, 2))["error"] == 0
        r = produce(c, topic, batch(5002, 0, 5, 2))  # expected 2
        assert r["error"] == OUT_OF_ORDER_SEQUENCE_NUMBER, r
        assert hw(c, topic) == 2, "the out-of-order batch was appended"
        # The right next sequence still works.
        r = produce(c, topic, batch(5002, 0, 2, 2))
        assert (r["error"], r["base_offset"]) == (0, 2), r


def test_lower_epoch_is_fenced(broker):
    topic = create_topic(broker.bootstrap, unique("idem-epoch"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        assert produce(c, topic, batch(5003, 0, 0, 1))["error"] == 0
        # librdkafka bumps epochs locally: epoch+1 starting at sequence 0 must be accepted.
        r = produce(c, topic, batch(5003, 1, 0, 1, tag=b"e1"))
        assert (r["error"], r["base_offset"]) == (0, 1), r
        r = produce(c, topic, batch(5003, 0, 1, 1, tag=b"e0"))
        assert r["error"] == INVALID_PRODUCER_EPOCH, r
        assert hw(c, topic) == 2


def test_new_epoch_must_start_at_sequence_zero(broker):
    topic = create_topic(broker.bootstrap, unique("idem-epoch0"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        assert produce(c, topic, batch(5004, 0, 0, 3))["error"] == 0
        r = produce(c, topic, batch(5004, 1, 3, 1))
        assert r["error"] == OUT_OF_ORDER_SEQUENCE_NUMBER, r
        assert hw(c, topic) == 3


def test_no_producer_id_means_no_dedupe(broker):
    """aiokafka sends baseSequence 0 with producerId -1; such batches are never deduplicated."""
    topic = create_topic(broker.bootstrap, unique("idem-none"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        b = kr.encode_batch([(None, b"same")], producer_id=-1, producer_epoch=-1, base_sequence=0)
        assert produce(c, topic, b)["base_offset"] == 0
        assert produce(c, topic, b)["base_offset"] == 1
        assert hw(c, topic) == 2


def test_independent_partitions_and_producers(broker):
    topic = create_topic(broker.bootstrap, unique("idem-parts"), partitions=2)
    with kr.Conn.to(broker.bootstrap) as c:
        for part in (0, 1):
            r = c.produce_one(topic, part, batch(5005, 0, 0, 2), acks=-1)
            assert (r["error"], r["base_offset"]) == (0, 0), (part, r)
        r = c.produce_one(topic, 0, batch(5006, 0, 0, 2), acks=-1)  # another producer, own sequences
        assert (r["error"], r["base_offset"]) == (0, 2), r


@pytest.mark.parametrize("how", ["sigterm", "kill9"])
def test_dedupe_survives_restart(fresh_broker, how):
    b = fresh_broker
    topic = create_topic(b.bootstrap, unique("idem-restart"), partitions=1)
    b0, b1 = batch(5001, 0, 0, 3), batch(5001, 0, 3, 4)
    with kr.Conn.to(b.bootstrap) as c:
        assert produce(c, topic, b0)["base_offset"] == 0
        assert produce(c, topic, b1)["base_offset"] == 3
    if how == "kill9":
        b.kill9()
        b.start()
    else:
        b.restart()
    with kr.Conn.to(b.bootstrap) as c:
        r = produce(c, topic, b1)
        assert (r["error"], r["base_offset"]) == (0, 3), f"after restart the last batch: {r}"
        r = produce(c, topic, b0)
        assert (r["error"], r["base_offset"]) == (0, 0), f"after restart the first batch: {r}"
        # A clean restart leaves the log as it was; after kill -9 the partition's Raft leader may
        # have had to append its no-op (a control batch clients skip) to commit the tail again.
        end = hw(c, topic)
        assert end == 7 if how == "sigterm" else end in (7, 8), f"log end {end} after {how}"
        r = produce(c, topic, batch(5001, 0, 9, 1))
        assert r["error"] == OUT_OF_ORDER_SEQUENCE_NUMBER, f"gap after restart: {r}"
        r = produce(c, topic, batch(5001, 0, 7, 1))
        assert (r["error"], r["base_offset"]) == (0, end), r
