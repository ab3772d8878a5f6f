"""Bad input never takes the broker down: corrupt batches, lying sizes, garbage, truncation."""

import random
import socket
import struct
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

import kafka_raw as kr
from conftest import create_topic

CORRUPT_MESSAGE = 2


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def assert_serving(b, topic=None):
    """The process is alive, answers ApiVersions, and (given a topic) produces and fetches."""
    assert b.alive(), f"sluiced is not running (exit {b.proc.returncode})"
    with kr.Conn.to(b.bootstrap) as c:
        assert c.api_versions(3)["error"] == 0
        if topic is not None:
            before = c.list_offsets(topic, 0, -1)["offset"]
            r = c.produce_one(topic, 0, kr.encode_batch([(b"k", b"still-serving")]), acks=-1)
            assert (r["error"], r["base_offset"]) == (0, before), r
            p = c.fetch(topic, 0, before, max_wait_ms=100)
            assert p["error"] == 0
            assert [x["value"] for bt in p["batches"] for x in bt["records"] if x["offset"] == before] == [b"still-serving"]


def outcome(c, timeout=5.0):
    """'response', 'closed' or 'silent' for what follows a request on connection c."""
    try:
        c.recv_frame(timeout)
        return "response"
    except (kr.ConnectionClosed, ConnectionResetError, BrokenPipeError):
        return "closed"
    except socket.timeout:
        return "silent"


def test_flipped_byte_is_corrupt_message_and_not_appended(broker):
    topic = create_topic(broker.bootstrap, unique("bad-crc"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        good = kr.encode_batch([(b"key", b"value-%d" % i) for i in range(5)])
        assert c.produce_one(topic, 0, good)["error"] == 0
        for pos in (len(good) - 3, 30, 61):  # a value byte, a timestamp byte, the first record byte
            bad = bytearray(good)
            bad[pos] ^= 0x01
            r = c.produce_one(topic, 0, bytes(bad))
            assert r["error"] == CORRUPT_MESSAGE, f"flipped byte {pos}: {r}"
        assert c.list_offsets(topic, 0, -1)["offset"] == 5, "a corrupt batch was appended"
    assert_serving(broker, topic)


def test_record_count_lie_is_rejected(broker):
    """recordsCount says 5 but the batch holds 3 records (CRC recomputed so only the count lies)."""
    topic = create_topic(broker.bootstrap, unique("bad-count"), partitions=1)
    good = bytearray(kr.encode_batch([(None, b"a"), (None, b"b"), (None, b"c")]))
    struct.pack_into(">i", good, 57, 5)
    struct.pack_into(">I", good, 17, kr.crc32c(bytes(good[21:])))
    with kr.Conn.to(broker.bootstrap) as c:
        r = c.produce_one(topic, 0, bytes(good))
        assert r["error"] in (CORRUPT_MESSAGE, 87, 42), r  # CORRUPT_MESSAGE / INVALID_RECORD / INVALID_REQUEST
        assert c.list_offsets(topic, 0, -1)["offset"] == 0
    assert_serving(broker, topic)


def test_oversized_frame_closes_connection(broker_factory):
    b = broker_factory(**{"socket.request.max.bytes": "10000", "message.max.bytes": "10000"})
    topic = create_topic(b.bootstrap, unique("bad-size"), partitions=1)
    with kr.Conn.to(b.bootstrap) as c:
        c.send_raw(kr.i32(20000) + b"\x00" * 100)  # only the size prefix matters
        assert c.wait_closed(5), "frame larger than socket.request.max.bytes did not close the connection"
    # A request under the limit is still fine on a new connection.
    with kr.Conn.to(b.bootstrap) as c:
        r = c.produce_one(topic, 0, kr.encode_batch([(None, b"x" * 1000)]))
        assert r["error"] == 0, r
    assert_serving(b, topic)


@pytest.mark.parametrize("size", [-1, -2147483648, 2147483647, 0x16030100], ids=["neg1", "int-min", "int-max", "tls-hello"])
def test_lying_frame_sizes_close(broker, size):
    with kr.Conn.to(broker.bootstrap) as c:
        c.send_raw(struct.pack(">i", size) + b"\x00\x12\x00\x00")
        assert c.wait_closed(5), f"frame size {size} did not close the connection"
    assert_serving(broker)


def test_tls_client_hello_closes(broker):
    hello = bytes.fromhex("160301020001000200fc03") + bytes(300)
    with kr.Conn.to(broker.bootstrap) as c:
        c.send_raw(hello)
        assert c.wait_closed(5)
    assert_serving(broker)


def test_unknown_api_key_and_version(broker):
    with kr.Conn.to(broker.bootstrap) as c:
        _, h = c.header(9999, 0, False)
        c.send_frame(h + b"\x00" * 8)
        assert outcome(c) in ("response", "closed")
    with kr.Conn.to(broker.bootstrap) as c:
        _, h = c.header(kr.API_PRODUCE, 999, True)  # known key, unknown version
        c.send_frame(h + b"\x00" * 8)
        assert outcome(c) in ("response", "closed")
    assert_serving(broker)


def test_truncated_requests(broker):
    topic = create_topic(broker.bootstrap, unique("bad-trunc"), partitions=1)
    batch = kr.encode_batch([(b"k", b"v" * 100)])
    body = kr.string(None) + kr.i16(-1) + kr.i32(5000) + kr.array([
        kr.string(topic) + kr.array([kr.i32(0) + kr.bytes_field(batch)])])
    for cut in (1, 5, 10, len(body) // 2, len(body) - 1):
        with kr.Conn.to(broker.bootstrap) as c:
            _, h = c.header(kr.API_PRODUCE, 3, False)
            c.send_frame(h + body[:cut])  # a complete frame whose body is cut short
            got = outcome(c)
            assert got in ("response", "closed"), f"cut at {cut}: {got}"
    # A frame that never finishes: the client goes away mid-frame.
    with kr.Conn.to(broker.bootstrap) as c:
        c.send_raw(kr.i32(500) + b"\x00" * 50)
    # A header cut inside the client id.
    with kr.Conn.to(broker.bootstrap) as c:
        c.send_frame(kr.i16(18) + kr.i16(0) + kr.i32(7) + kr.i16(50) + b"abc")
        assert outcome(c) in ("response", "closed")
    with kr.Conn.to(broker.bootstrap) as c:
        assert c.list_offsets(topic, 0, -1)["offset"] == 0, "a truncated produce appended records"
    assert_serving(broker, topic)


def _garbage_frame(rng, i):
    kind = i % 5
    if kind == 0:  # pure random bytes, honest size prefix
        body = rng.randbytes(rng.randint(0, 300))
    elif kind == 1:  # a valid-looking header for a random (non-produce) api, random body
        key = rng.choice([1, 2, 3, 18, 19, 20, 22, 32, 37, 44, rng.randint(100, 32767)])
        body = kr.i16(key) + kr.i16(rng.randint(0, 20)) + kr.i32(i) + kr.string("fuzz") + rng.randbytes(rng.randint(0, 200))
    elif kind == 2:  # produce header with huge or negative array/string lengths
        body = kr.i16(0) + kr.i16(3) + kr.i32(i) + kr.string("fuzz") + kr.string(None) + kr.i16(-1) + kr.i32(1000) \
            + kr.i32(rng.choice([-5, 0x7FFFFFFF, 1 << 28])) + kr.i16(rng.choice([-7, 0x7FFF])) + rng.randbytes(20)
    elif kind == 3:  # flexible ApiVersions with a huge compact-string varint
        body = kr.i16(18) + kr.i16(3) + kr.i32(i) + kr.string("fuzz") + b"\x00" + b"\xff\xff\xff\xff\x0f" + rng.randbytes(10)
    else:  # empty / tiny frames
        body = rng.randbytes(rng.randint(0, 7))
    if len(body) >= 2 and body[0:2] == b"\x00\x00" and kind != 2:
        body = b"\x7f" + body[1:]  # avoid accidental acks=0 produce (which would get no answer)
    return kr.i32(len(body)) + body


def _send_garbage(port, frame):
    c = kr.Conn("127.0.0.1", port, timeout=5)
    try:
        c.send_raw(frame)
        return outcome(c, 5)
    except (ConnectionResetError, BrokenPipeError):
        return "closed"
    finally:
        c.close()


def test_two_hundred_garbage_frames(broker):
    topic = create_topic(broker.bootstrap, unique("bad-garbage"), partitions=1)
    rng = random.Random(20240607)
    frames = [_garbage_frame(rng, i) for i in range(200)]
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda f: _send_garbage(broker.port, f), frames))
    assert time.monotonic() - t0 < 60
    silent = [(i, frames[i][:24].hex()) for i, r in enumerate(results) if r == "silent"]
    assert broker.alive(), f"sluiced died (exit {broker.proc.returncode})"
    assert not silent, f"{len(silent)} garbage frames got neither a response nor a close within 5s, e.g. {silent[:5]}"
    # Many garbage frames on one connection, back to back.
    with kr.Conn.to(broker.bootstrap) as c:
        try:
            c.send_raw(b"".join(frames[:50]))
        except (ConnectionResetError, BrokenPipeError):
            pass
    assert_serving(broker, topic)


def _recrc(b):
    struct.pack_into(">I", b, 17, kr.crc32c(bytes(b[21:])))
    return bytes(b)


def _lz4(data, **kw):
    import lz4.frame
    return lz4.frame.compress(data, block_linked=False, **kw)


def test_batches_with_valid_crc_but_bad_records_are_rejected(broker):
    """CRC-valid batches whose contents lie: the broker must not store what consumers cannot read."""
    topic = create_topic(broker.bootstrap, unique("bad-records"), partitions=1)
    recs = [(b"k%d" % i, b"value-%d" % i) for i in range(4)]
    cases = {}
    # offset deltas not 0..n-1
    raw = b"".join(kr.encode_record(d, k, v) for d, (k, v) in zip([0, 1, 3, 2], recs))
    b = bytearray(kr.encode_batch(recs))
    cases["offset-deltas"] = _recrc(b[:61] + raw)
    # a record length that runs past the end
    b = bytearray(kr.encode_batch(recs))
    b[61] = 0x7E  # zigzag 63: longer than the record
    cases["record-length"] = _recrc(b)
    # lastOffsetDelta disagrees with the records
    b = bytearray(kr.encode_batch(recs))
    struct.pack_into(">i", b, 23, 9)
    cases["last-offset-delta"] = _recrc(b)
    # lz4: count lies about the compressed records
    b = bytearray(kr.encode_batch(recs, attributes=kr.CODEC_LZ4, compress=_lz4))
    struct.pack_into(">i", b, 57, 6)
    cases["lz4-count"] = _recrc(b)
    # lz4: the compressed payload is not an lz4 frame
    b = bytearray(kr.encode_batch(recs, attributes=kr.CODEC_LZ4, compress=lambda d: b"\x04\x22\x4d\x18" + bytes(20)))
    cases["lz4-garbage"] = _recrc(b)
    # unknown codec 7
    cases["codec-7"] = _recrc(bytearray(kr.encode_batch(recs, attributes=7)))
    # magic 1 inside a Produce v3 request
    b = bytearray(kr.encode_batch(recs))
    b[16] = 1
    cases["magic-1"] = bytes(b)
    with kr.Conn.to(broker.bootstrap) as c:
        for name, data in cases.items():
            r = c.produce_one(topic, 0, data)
            assert r["error"] != 0, f"{name}: accepted {r}"
        assert c.list_offsets(topic, 0, -1)["offset"] == 0, "a bad batch was appended"
    assert_serving(broker, topic)


@pytest.mark.parametrize("frame_kw", [{"store_size": False}, {"store_size": True}, {"block_checksum": True, "store_size": False}],
                         ids=["librdkafka-style", "kafka-python-content-size", "aiokafka-block-checksum"])
def test_lz4_frame_variants_accepted(broker, frame_kw):
    """The broker's LZ4 check must accept content-size and block-checksum frames."""
    topic = create_topic(broker.bootstrap, unique("lz4-var"), partitions=1)
    recs = [(None, b"lz4 variant %d " % i + b"z" * 100) for i in range(20)]
    data = kr.encode_batch(recs, attributes=kr.CODEC_LZ4, compress=lambda d: _lz4(d, **frame_kw))
    with kr.Conn.to(broker.bootstrap) as c:
        r = c.produce_one(topic, 0, data)
        assert (r["error"], r["base_offset"]) == (0, 0), r
        p = c.fetch(topic, 0, 0, max_wait_ms=100)
        assert [bt["codec"] for bt in p["batches"]] == [kr.CODEC_LZ4] and p["batches"][0]["count"] == 20


def test_lz4_dependent_blocks_rejected(broker):
    """Kafka's LZ4 codec rejects frames without the block-independence flag
    ("Dependent block stream is unsupported"); Java consumers cannot read them, so the broker must not store them."""
    import lz4.frame
    topic = create_topic(broker.bootstrap, unique("lz4-linked"), partitions=1)
    recs = [(None, b"linked %d " % i + b"q" * 100) for i in range(20)]

    def linked(d):
        # lz4.frame.compress() ignores block_linked; the streaming compressor honours it (FLG 0x40).
        c = lz4.frame.LZ4FrameCompressor(block_linked=True)
        return c.begin() + c.compress(d) + c.flush()

    data = kr.encode_batch(recs, attributes=kr.CODEC_LZ4, compress=linked)
    assert data[61 + 4] & 0x20 == 0  # FLG: block independence bit clear
    with kr.Conn.to(broker.bootstrap) as c:
        r = c.produce_one(topic, 0, data)
        assert r["error"] in (CORRUPT_MESSAGE, 87), f"lz4 frame with dependent blocks accepted: {r}"
        assert c.list_offsets(topic, 0, -1)["offset"] == 0


def test_produce_to_the_offsets_topic_is_refused(broker):
    """__consumer_offsets is written by OffsetCommit only: a client's own batch there would forge
    committed offsets for any group. Refused with INVALID_TOPIC_EXCEPTION, nothing appended, and
    commits still work."""
    api_offset_commit, api_find_coordinator, invalid_topic = 8, 10, 17
    topic = create_topic(broker.bootstrap, unique("committed"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        deadline = time.monotonic() + 30
        while kr.Reader(c.request(api_find_coordinator, 0, kr.string("forger"))[1]).i16() != 0:
            assert time.monotonic() < deadline, "no coordinator (the offsets topic was not created)"
            time.sleep(0.1)
        before = c.list_offsets("__consumer_offsets", 0, -1)["offset"]
        forged = kr.encode_batch([(b"forger", b"offset 0 for every partition")])
        for p in range(2):
            r = c.produce_one("__consumer_offsets", p, forged, acks=-1)
            assert r["error"] == invalid_topic, r
        assert c.list_offsets("__consumer_offsets", 0, -1)["offset"] == before, "a forged batch was appended"
        body = kr.string("forger") + kr.i32(-1) + kr.string("") + kr.i64(-1) + \
            kr.array([kr.string(topic) + kr.array([kr.i32(0) + kr.i64(7) + kr.string("")])])
        r = kr.Reader(c.request(api_offset_commit, 2, body)[1])
        [(_, [(_, code)])] = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i16()))))
        assert code == 0, f"OffsetCommit answered {code}"


def test_offset_commit_refuses_oversized_metadata_and_missing_partitions(broker):
    """One OffsetCommit with good partitions, metadata longer than Kafka's offset.metadata.max.bytes
    (4,096, counted in UTF-16 units as Kafka does: 3,000 'é' are 6,000 UTF-8 bytes and pass), and
    partitions the topic does not have (beyond its count, and negative): the good ones are
    committed, the others get OFFSET_METADATA_TOO_LARGE and UNKNOWN_TOPIC_OR_PARTITION and leave
    nothing in the store. With a wrong generation the group's verdict wins over the metadata,
    and a missing partition over the group's verdict, as in Kafka; nothing is stored."""
    api_offset_commit, api_offset_fetch, api_find_coordinator = 8, 9, 10
    too_large, unknown_partition = 12, 3
    topic = create_topic(broker.bootstrap, unique("metadata"), partitions=3)
    group = unique("meta-group")
    with kr.Conn.to(broker.bootstrap) as c:
        deadline = time.monotonic() + 30
        while kr.Reader(c.request(api_find_coordinator, 0, kr.string(group))[1]).i16() != 0:
            assert time.monotonic() < deadline, "no coordinator (the offsets topic was not created)"
            time.sleep(0.1)

        def partition(index, offset, metadata):
            return kr.i32(index) + kr.i64(offset) + kr.string(metadata)

        def commit(generation, partitions):
            body = kr.string(group) + kr.i32(generation) + kr.string("") + kr.i64(-1) + \
                kr.array([kr.string(topic) + kr.array(partitions)])
            r = kr.Reader(c.request(api_offset_commit, 2, body)[1])
            [(_, codes)] = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i16()))))
            return dict(codes)

        def fetched():  # OffsetFetch v1 of the partitions named here: {partition: offset}
            fetch = kr.string(group) + kr.array([kr.string(topic) + kr.array([kr.i32(p) for p in (0, 1, 2, 3, -1)])])
            r = kr.Reader(c.request(api_offset_fetch, 1, fetch)[1])
            [(_, answered)] = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i64(), r.string(), r.i16()))))
            return {p: offset for p, offset, _, _ in answered}

        illegal_generation = 22
        assert commit(7, [partition(0, 5, ""), partition(1, 6, "x" * 4097), partition(3, 7, "")]) == \
            {0: illegal_generation, 1: illegal_generation, 3: unknown_partition}
        assert fetched() == {0: -1, 1: -1, 2: -1, 3: -1, -1: -1}, "a refused commit stored something"
        assert commit(-1, [partition(0, 11, "fits" * 1024), partition(1, 12, "x" * 4097), partition(2, 13, "é" * 3000),
                           partition(3, 14, ""), partition(-1, 15, "")]) == \
            {0: 0, 1: too_large, 2: 0, 3: unknown_partition, -1: unknown_partition}
        assert fetched() == {0: 11, 1: -1, 2: 13, 3: -1, -1: -1}
