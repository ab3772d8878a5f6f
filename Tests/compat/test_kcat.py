"""kcat 1.7.1 (librdkafka 2.0.2): produce with lz4, keys and headers; consume; metadata."""

import shutil

import pytest

import kafka_raw as kr
from conftest import create_topic, run

pytestmark = pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat not installed")

N = 240
HEADERS = [("trace", "abc123"), ("source", "kcat")]


def lines(n=N):
    filler = "the quick brown fox jumps over the lazy dog " * 4
    return [(f"key-{i:05d}", f"value-{i:05d} {filler}{i % 7}") for i in range(n)]


def kcat_produce(bootstrap, topic, records, compression="lz4"):
    data = "".join(f"{k}:{v}\n" for k, v in records)
    cmd = ["kcat", "-P", "-b", bootstrap, "-t", topic, "-p", "0", "-K:", "-z", compression]
    for hk, hv in HEADERS:
        cmd += ["-H", f"{hk}={hv}"]
    p = run(cmd, input=data, timeout=60)
    assert p.returncode == 0, f"kcat -P failed ({p.returncode}): {p.stderr}"
    assert "ERROR" not in p.stderr and "failed" not in p.stderr.lower(), p.stderr
    return p


def kcat_consume(bootstrap, topic, offset="beginning", fmt="%k|%s|%h|%o\\n"):
    cmd = ["kcat", "-C", "-b", bootstrap, "-t", topic, "-p", "0", "-e", "-o", offset, "-f", fmt.replace("\\n", "\n"),
           "-X", "fetch.wait.max.ms=200"]
    p = run(cmd, timeout=60)
    assert p.returncode == 0, f"kcat -C failed ({p.returncode}): {p.stderr}"
    return p


@pytest.fixture(scope="module")
def produced(broker):
    topic = create_topic(broker.bootstrap, kr_unique("kcat"), partitions=1)
    records = lines()
    p = kcat_produce(broker.bootstrap, topic, records)
    return topic, records, p


def kr_unique(prefix):
    import uuid
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def test_kcat_produce_consume_round_trip(broker, produced):
    topic, records, _ = produced
    p = kcat_consume(broker.bootstrap, topic)
    got = p.stdout.splitlines()
    want_headers = ",".join(f"{k}={v}" for k, v in HEADERS)
    want = [f"{k}|{v}|{want_headers}|{i}" for i, (k, v) in enumerate(records)]
    assert len(got) == len(want), f"got {len(got)} records, expected {len(want)}; stderr: {p.stderr[-2000:]}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"record {i}: got {g!r}, expected {w!r}"


def test_kcat_lz4_batches_are_stored_compressed(broker, produced):
    """Produce min version 0 makes librdkafka actually use lz4 (KAFKA-18659); the broker keeps it."""
    topic, records, _ = produced
    with kr.Conn.to(broker.bootstrap) as c:
        p = c.fetch(topic, 0, 0, max_wait_ms=100, max_bytes=16 << 20, partition_max_bytes=16 << 20)
    assert p["error"] == 0
    assert p["high_watermark"] == len(records)
    batches = p["batches"]
    assert batches, "no batches fetched"
    codecs = {b["codec"] for b in batches}
    assert codecs == {kr.CODEC_LZ4}, f"expected every batch lz4 (3), got codecs {codecs}"
    assert all(b["crc_ok"] for b in batches), "a fetched batch has a bad CRC-32C"
    assert all(b["magic"] == 2 for b in batches)
    assert sum(b["count"] for b in batches) == len(records)
    # Offsets are dense and batches are contiguous.
    nxt = 0
    for b in batches:
        assert b["base_offset"] == nxt, f"batch starts at {b['base_offset']}, expected {nxt}"
        nxt = b["base_offset"] + b["last_offset_delta"] + 1
    assert nxt == len(records)


def test_kcat_metadata_lists_topic_and_broker(broker, produced):
    topic, _, _ = produced
    p = run(["kcat", "-L", "-b", broker.bootstrap], timeout=30)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "1 brokers:" in out, out
    assert f"broker 0 at 127.0.0.1:{broker.port}" in out, out
    assert f'topic "{topic}" with 1 partitions:' in out, out
    assert "partition 0, leader 0, replicas: 0, isrs: 0" in out, out


def test_kcat_metadata_single_topic(broker, produced):
    topic, _, _ = produced
    p = run(["kcat", "-L", "-b", broker.bootstrap, "-t", topic], timeout=30)
    assert p.returncode == 0, p.stderr
    assert f'topic "{topic}" with 1 partitions:' in p.stdout, p.stdout


def test_kcat_consume_last_five(broker, produced):
    topic, records, _ = produced
    p = kcat_consume(broker.bootstrap, topic, offset="-5", fmt="%k|%o\\n")
    got = p.stdout.splitlines()
    want = [f"{k}|{i}" for i, (k, _) in enumerate(records)][-5:]
    assert got == want, f"got {got}, stderr {p.stderr[-1000:]}"


def test_kcat_consume_from_offset(broker, produced):
    topic, records, _ = produced
    p = kcat_consume(broker.bootstrap, topic, offset="100", fmt="%o\\n")
    assert p.stdout.split() == [str(i) for i in range(100, len(records))]


def test_kcat_uncompressed_keyed_round_trip_second_topic(broker):
    topic = create_topic(broker.bootstrap, kr_unique("kcat-plain"), partitions=1)
    records = [(f"k{i}", f"v{i}") for i in range(50)]
    kcat_produce(broker.bootstrap, topic, records, compression="none")
    p = kcat_consume(broker.bootstrap, topic, fmt="%k=%s@%o\\n")
    assert p.stdout.splitlines() == [f"{k}={v}@{i}" for i, (k, v) in enumerate(records)]


def test_kcat_ten_thousand_keyed_records_with_headers(broker):
    topic = create_topic(broker.bootstrap, kr_unique("kcat-10k"), partitions=1)
    records = [(f"k{i}", f"value {i} " + "abc" * (i % 10)) for i in range(10_000)]
    kcat_produce(broker.bootstrap, topic, records)
    p = kcat_consume(broker.bootstrap, topic, fmt="%k|%s|%h|%o\\n")
    got = p.stdout.splitlines()
    hdr = ",".join(f"{k}={v}" for k, v in HEADERS)
    assert len(got) == len(records), f"{len(got)} of {len(records)}"
    assert got == [f"{k}|{v}|{hdr}|{i}" for i, (k, v) in enumerate(records)]
