"""What an anonymous client could once do to a broker with one request, each answered now with a
Kafka error while the broker keeps serving: batches whose declared record counts push offsets
past what a segment can address (the broker trapped, and again at every restart), a timestamp at
the end of time (ListOffsets trapped), a quota so small its throttle is infinite (every request
trapped), control batches (read back as Raft's own entries), an entry larger than a replicated
log takes (the node exited), and repeated names or unknown topics and versions (responses and
metric label sets that grow with the request)."""

import struct
import time
import urllib.request
import uuid

import kafka_raw as kr
from conftest import create_topic, free_port

INVALID_RECORD = 87
CODEC_GZIP = 1
CONTROL = 1 << 5
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
# A record takes 7 bytes at least and a batch may expand to 256 MiB while it is checked: the most
# records one batch may declare.
RECORDS_PER_BATCH_MAX = (256 << 20) // 7


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def recrc(b):
    struct.pack_into(">I", b, 17, kr.crc32c(bytes(b[21:])))
    return bytes(b)


def claimed_batch(count, last_offset_delta, codec=CODEC_GZIP):
    """A batch of `codec` whose payload this broker cannot read (stored as sent), declaring
    `count` records ending at `last_offset_delta`."""
    b = bytearray(kr.encode_batch([(None, b"x")], attributes=codec, compress=lambda _: bytes(24)))
    struct.pack_into(">i", b, 23, last_offset_delta)
    struct.pack_into(">i", b, 57, count)
    return recrc(b)


def assert_serving(broker, topic):
    assert broker.alive(), f"sluiced is not running (exit {broker.proc.returncode})"
    with kr.Conn.to(broker.bootstrap) as c:
        end = c.list_offsets(topic, 0, -1)["offset"]
        r = c.produce_one(topic, 0, kr.encode_batch([(b"k", b"still-serving")]), acks=-1)
        assert (r["error"], r["base_offset"]) == (0, end), r


def test_declared_record_counts_that_overflow_a_segment_roll_it_and_survive_a_restart(broker):
    topic = create_topic(broker.bootstrap, unique("claimed"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        for count, delta in [(0, INT32_MAX), (0, 0), (3, INT32_MAX), (RECORDS_PER_BATCH_MAX + 1, RECORDS_PER_BATCH_MAX)]:
            r = c.produce_one(topic, 0, claimed_batch(count, delta))
            assert r["error"] == INVALID_RECORD, (count, delta, r)
        assert c.list_offsets(topic, 0, -1)["offset"] == 0
        # 120 batches at the most each may declare span 4.6 billion offsets in one request, one
        # Raft round: more than a segment's 32-bit relative offsets can address.
        many = b"".join(claimed_batch(RECORDS_PER_BATCH_MAX, RECORDS_PER_BATCH_MAX - 1) for _ in range(120))
        r = c.produce_one(topic, 0, many, acks=-1)
        assert (r["error"], r["base_offset"]) == (0, 0), r
        end = 120 * RECORDS_PER_BATCH_MAX
        assert end > 2**32
        assert c.list_offsets(topic, 0, -1)["offset"] == end
    assert_serving(broker, topic)
    broker.restart()
    with kr.Conn.to(broker.bootstrap) as c:
        assert c.list_offsets(topic, 0, -1)["offset"] == end + 1
    assert_serving(broker, topic)


def test_a_timestamp_at_the_end_of_time_is_found_not_overflowed(broker):
    topic = create_topic(broker.bootstrap, unique("end-of-time"), partitions=1)
    header = bytearray(kr.encode_batch([(None, b"late")], base_timestamp=INT64_MAX))[:61]
    with kr.Conn.to(broker.bootstrap) as c:
        r = c.produce_one(topic, 0, recrc(header + kr.encode_record(0, None, b"late", timestamp_delta=1)))
        assert r["error"] == 0, r
        found = c.list_offsets(topic, 0, INT64_MAX)
        assert (found["error"], found["offset"]) == (0, 0), found
    assert_serving(broker, topic)


def test_a_vanishingly_small_request_quota_throttles_and_traps_nothing(broker):
    from test_quotas import alter_quotas
    topic = create_topic(broker.bootstrap, unique("tiny-quota"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as admin:
        assert alter_quotas(admin, [([("client-id", "tiny")], [("request_percentage", 5e-324, False)])]) == [(0, None)]
        try:
            tiny = kr.Conn.to(broker.bootstrap, client_id="tiny")
            for _ in range(3):
                tiny.send_frame(tiny.header(3, 1, False)[1] + kr.array([]))  # Metadata v1, no topics
            time.sleep(1)
            assert_serving(broker, topic)
            tiny.close()
        finally:
            assert alter_quotas(admin, [([("client-id", "tiny")], [("request_percentage", 0, True)])]) == [(0, None)]
    assert_serving(broker, topic)


def test_clients_may_not_write_control_batches(broker):
    topic = create_topic(broker.bootstrap, unique("control"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        r = c.produce_one(topic, 0, kr.encode_batch([(None, b"\x00\x00\x00\x06")], attributes=CONTROL))
        assert r["error"] == INVALID_RECORD, r
        assert c.list_offsets(topic, 0, -1)["offset"] == 0
    assert_serving(broker, topic)


def test_batches_breaking_kafkas_rules_get_invalid_record_which_producers_do_not_retry(broker):
    topic = create_topic(broker.bootstrap, unique("rules"), partitions=1)
    magic_1 = bytearray(kr.encode_batch([(None, b"old")]))
    magic_1[16] = 1
    with kr.Conn.to(broker.bootstrap) as c:
        cases = [("no records", b""), ("magic 1", bytes(magic_1)), ("no declared records", claimed_batch(0, 0, codec=0)),
                 ("a negative record count", claimed_batch(-1, 0, codec=0)), ("a negative last offset delta", claimed_batch(1, -1, codec=0))]
        for name, data in cases:
            r = c.produce_one(topic, 0, data)
            assert r["error"] == INVALID_RECORD, (name, r)
        flipped = bytearray(kr.encode_batch([(None, b"crc")]))
        flipped[-1] ^= 1
        assert c.produce_one(topic, 0, bytes(flipped))["error"] == 2, "a bad CRC stays CORRUPT_MESSAGE"
        assert c.list_offsets(topic, 0, -1)["offset"] == 0
    assert_serving(broker, topic)


def test_an_offset_commit_larger_than_a_replicated_entry_is_refused(broker):
    api_offset_commit, api_find_coordinator = 8, 10
    topic = create_topic(broker.bootstrap, unique("huge-commit"), partitions=1)
    group = unique("huge")
    # 6,000 copies of one partition, each with 4,096 three-byte characters of metadata (Kafka's
    # limit counts characters): about 74 MB of offsets for one entry.
    entry = kr.i32(0) + kr.i64(1) + kr.string("€" * 4096)
    body = kr.string(group) + kr.i32(-1) + kr.string("") + kr.i64(-1) + kr.array([kr.string(topic) + kr.array([entry] * 6000)])
    with kr.Conn.to(broker.bootstrap, timeout=60) as c:
        deadline = time.monotonic() + 30
        while kr.Reader(c.request(api_find_coordinator, 0, kr.string(group))[1]).i16() != 0:
            assert time.monotonic() < deadline, "no coordinator"
            time.sleep(0.1)
        r = kr.Reader(c.request(api_offset_commit, 2, body, timeout=60)[1])
        [(_, codes)] = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i16()))))
        assert codes and all(code != 0 for _, code in codes), codes[:3]
        ok = kr.Reader(c.request(api_offset_commit, 2, kr.string(group) + kr.i32(-1) + kr.string("") + kr.i64(-1)
                                 + kr.array([kr.string(topic) + kr.array([kr.i32(0) + kr.i64(2) + kr.string("")])]))[1])
        [(_, [(_, code)])] = ok.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i16()))))
        assert code == 0
    assert_serving(broker, topic)


def test_repeated_names_are_answered_once(broker):
    topic = create_topic(broker.bootstrap, unique("repeated"), partitions=4)
    with kr.Conn.to(broker.bootstrap) as c:
        _, payload = c.request(3, 1, kr.array([kr.string(topic)] * 2000))  # Metadata v1
        r = kr.Reader(payload)
        r.array(lambda r: (r.i32(), r.string(), r.i32(), r.string()))  # brokers
        r.i32()  # controller
        assert r.i32() == 1, "a repeated topic was answered more than once"
        _, payload = c.request(15, 0, kr.array([kr.string("g-repeated")] * 2000))  # DescribeGroups v0
        r = kr.Reader(payload)
        assert r.i32() == 1


def test_unknown_topics_and_versions_add_no_metric_labels(broker_factory):
    admin_port = free_port()
    b = broker_factory(**{"admin.listeners": f"http://127.0.0.1:{admin_port}", "auto.create.topics.enable": "false"})
    ghost = unique("ghost")
    with kr.Conn.to(b.bootstrap) as c:
        for index in range(20):
            c.produce_one(f"{ghost}-{index}", 0, kr.encode_batch([(None, b"x")]), acks=1)
        try:
            c.request(3, 1000, kr.array([]))  # Metadata at a version not served: the broker closes
        except kr.ConnectionClosed:
            pass
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=5).read().decode()
    assert ghost not in metrics
    assert 'version="1000"' not in metrics and 'version="unsupported"' in metrics
