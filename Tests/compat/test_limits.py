"""Produce/connection rules at the byte level: acks=0 silence, error codes, size and connection limits."""

import struct
import time
import uuid

import kafka_raw as kr
from conftest import create_topic

UNKNOWN_TOPIC_OR_PARTITION = 3
MESSAGE_TOO_LARGE = 10
INVALID_REQUIRED_ACKS = 21


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def test_acks0_gets_no_response(broker):
    """librdkafka pipelines; an acks=0 produce must not produce a response frame."""
    topic = create_topic(broker.bootstrap, unique("acks0"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        for i in range(3):
            c.produce(topic, 0, kr.encode_batch([(None, b"fire-and-forget-%d" % i)]), acks=0)
        cid, h = c.header(18, 0, False)
        c.send_frame(h)
        frame = c.recv_frame(10)
        got = struct.unpack(">i", frame[:4])[0]
        assert got == cid, f"first response after three acks=0 produces has correlation id {got}, expected ApiVersions' {cid}"
        assert kr.parse_api_versions(frame[4:], 0)["error"] == 0
        deadline = time.monotonic() + 5
        while c.list_offsets(topic, 0, -1)["offset"] < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert c.list_offsets(topic, 0, -1)["offset"] == 3


def test_produce_unknown_topic_and_partition(broker):
    topic = create_topic(broker.bootstrap, unique("known"), partitions=2)
    with kr.Conn.to(broker.bootstrap) as c:
        r = c.produce_one(unique("nope"), 0, kr.encode_batch([(None, b"x")]))
        assert r["error"] == UNKNOWN_TOPIC_OR_PARTITION, r
        r = c.produce_one(topic, 7, kr.encode_batch([(None, b"x")]))
        assert r["error"] == UNKNOWN_TOPIC_OR_PARTITION, r
        assert c.list_offsets(topic, 7, -1)["error"] == UNKNOWN_TOPIC_OR_PARTITION


def test_invalid_required_acks(broker):
    topic = create_topic(broker.bootstrap, unique("badacks"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        r = c.produce_one(topic, 0, kr.encode_batch([(None, b"x")]), acks=2)
        assert r["error"] == INVALID_REQUIRED_ACKS, r
        assert c.list_offsets(topic, 0, -1)["offset"] == 0


def test_list_offsets_earliest_latest(broker):
    topic = create_topic(broker.bootstrap, unique("lo"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        assert c.list_offsets(topic, 0, -2)["offset"] == 0
        assert c.list_offsets(topic, 0, -1)["offset"] == 0
        c.produce_one(topic, 0, kr.encode_batch([(None, b"a"), (None, b"b")]))
        assert c.list_offsets(topic, 0, -2)["offset"] == 0
        assert c.list_offsets(topic, 0, -1)["offset"] == 2


def test_message_max_bytes(broker_factory):
    b = broker_factory(**{"message.max.bytes": "2000"})
    topic = create_topic(b.bootstrap, unique("maxmsg"), partitions=1)
    with kr.Conn.to(b.bootstrap) as c:
        r = c.produce_one(topic, 0, kr.encode_batch([(None, b"y" * 1000)]))
        assert r["error"] == 0, r
        r = c.produce_one(topic, 0, kr.encode_batch([(None, b"z" * 5000)]))
        assert r["error"] == MESSAGE_TOO_LARGE, r
        assert c.list_offsets(topic, 0, -1)["offset"] == 1


def test_max_connections_per_ip(broker_factory):
    b = broker_factory(**{"max.connections.per.ip": "3"})
    conns = [kr.Conn.to(b.bootstrap) for _ in range(3)]
    try:
        for c in conns:
            assert c.api_versions(0)["error"] == 0
        extra = kr.Conn.to(b.bootstrap)
        try:
            try:
                extra.api_versions(0, timeout=5)
                served = True
            except (kr.ConnectionClosed, ConnectionResetError, BrokenPipeError, OSError):
                served = False
            assert not served, "a 4th connection from one IP was served with max.connections.per.ip=3"
        finally:
            extra.close()
        conns.pop().close()
        deadline = time.monotonic() + 10
        while True:  # the broker notices the close asynchronously
            c = kr.Conn.to(b.bootstrap)
            try:
                assert c.api_versions(0, timeout=5)["error"] == 0
                conns.append(c)
                break
            except (kr.ConnectionClosed, ConnectionResetError, BrokenPipeError, OSError):
                c.close()
                assert time.monotonic() < deadline, "no new connection accepted after one was closed"
                time.sleep(0.2)
    finally:
        for c in conns:
            c.close()


def test_idle_connections_are_closed(broker_factory):
    b = broker_factory(**{"connections.max.idle.ms": "1000"})
    with kr.Conn.to(b.bootstrap) as c:
        assert c.api_versions(0)["error"] == 0
        t0 = time.monotonic()
        assert c.wait_closed(15), "idle connection not closed within 15s with connections.max.idle.ms=1000"
        assert time.monotonic() - t0 >= 0.5
    with kr.Conn.to(b.bootstrap) as c:  # a busy connection is not idle
        for _ in range(8):
            assert c.api_versions(0)["error"] == 0
            time.sleep(0.3)


def test_pipelined_produces_answered_in_order(broker):
    """librdkafka keeps many requests in flight on one socket; answers come back in request order."""
    topic = create_topic(broker.bootstrap, unique("pipe"), partitions=2)
    with kr.Conn.to(broker.bootstrap) as c:
        data, cids = b"", []
        for i in range(40):
            body = kr.string(None) + kr.i16(-1) + kr.i32(5000) + kr.array([
                kr.string(topic) + kr.array([kr.i32(i % 2) + kr.bytes_field(kr.encode_batch([(None, b"p%d" % i)] * 3))])])
            cid, h = c.header(kr.API_PRODUCE, 3, False)
            data += kr.i32(len(h) + len(body)) + h + body
            cids.append(cid)
        c.send_raw(data)
        offsets = {0: [], 1: []}
        for i, cid in enumerate(cids):
            frame = c.recv_frame(15)
            assert struct.unpack(">i", frame[:4])[0] == cid, f"response {i} out of order"
            [(_, [p])] = kr.parse_produce(frame[4:])["topics"]
            assert p["error"] == 0
            offsets[i % 2].append(p["base_offset"])
        assert offsets[0] == list(range(0, 60, 3)) and offsets[1] == list(range(0, 60, 3))
