"""ApiVersions at the byte level: every version a real client sends, and the unknown-version rule.

As Kafka does and real clients rely on: the response always has header v0 (no tag byte after the
correlation id, even for v3/v4); an unknown version gets a v0-layout UNSUPPORTED_VERSION body
listing key 18 and the connection stays open.
"""

import struct

import pytest

import kafka_raw as kr

REQUIRED_KEYS = [0, 1, 2, 3, 18, 19, 20, 22]

# kcat 1.7.1 (librdkafka 2.0.2) first request, byte for byte.
KCAT_API_VERSIONS_V3 = bytes.fromhex("00000024" "0012" "0003" "00000001" "0007") + b"rdkafka" + b"\x00" \
    + b"\x0b" + b"librdkafka" + b"\x06" + b"2.0.2" + b"\x00"


def check_advertisement(resp):
    assert resp["error"] == 0, resp
    keys = resp["api_keys"]
    missing = [k for k in REQUIRED_KEYS if k not in keys]
    assert not missing, f"ApiVersions does not list keys {missing}; got {sorted(keys)}"
    assert keys[0][0] == 0, f"Produce min version must be 0 (librdkafka drops lz4 otherwise), got {keys[0]}"
    for k, (lo, hi) in keys.items():
        assert 0 <= lo <= hi, f"key {k}: bad range {lo}..{hi}"
    assert keys[18][0] == 0 and keys[18][1] >= 3, f"ApiVersions range should cover 0..3+, got {keys[18]}"
    # kafka-python minimums: each advertised max must reach them.
    for k, need in {0: 3, 1: 4, 2: 1, 19: 2, 20: 1}.items():
        assert keys[k][1] >= need, f"key {k} max {keys[k][1]} < {need}, kafka-python cannot use it"
    # aiokafka needs small versions inside the ranges.
    for k, need in {3: 5, 2: 3, 22: 0}.items():
        assert keys[k][0] <= need, f"key {k} min {keys[k][0]} > {need}, aiokafka cannot use it"
    assert len(resp["api_keys_list"]) == len(keys), "duplicate api keys in the advertisement"


@pytest.mark.parametrize("version", [0, 1, 2, 3, 4])
def test_api_versions_each_version(broker, version):
    with kr.Conn.to(broker.bootstrap) as c:
        resp = c.api_versions(version)
        check_advertisement(resp)
        if version >= 1:
            assert resp["throttle_time_ms"] >= 0


def test_api_versions_kcat_exact_bytes_v3(broker):
    with kr.Conn.to(broker.bootstrap) as c:
        c.send_raw(KCAT_API_VERSIONS_V3)
        frame = c.recv_frame(10)
        assert struct.unpack(">i", frame[:4])[0] == 1, "correlation id not echoed"
        # Header v0: the body starts right after the correlation id. Parsing strictly (to the last
        # byte) fails if the broker inserted a header-v1 tag byte.
        resp = kr.parse_api_versions(frame[4:], 3)
        check_advertisement(resp)


def test_api_versions_v4_kafka_python_style(broker):
    with kr.Conn.to(broker.bootstrap, client_id="kafka-python-3.0.12") as c:
        resp = c.api_versions(4, software=("kafka-python", "3.0.12"))
        check_advertisement(resp)


def test_api_versions_v0_aiokafka_style(broker):
    with kr.Conn.to(broker.bootstrap, client_id="aiokafka-producer-1") as c:
        check_advertisement(c.api_versions(0))


def test_api_versions_many_on_one_connection_pipelined(broker):
    """librdkafka pipelines; responses come back in request order with their correlation ids."""
    with kr.Conn.to(broker.bootstrap) as c:
        sent = []
        data = b""
        for i, v in enumerate([0, 3, 1, 4, 2, 0, 3]):
            flexible = v >= 3
            cid, h = c.header(18, v, flexible, correlation_id=100 + i)
            body = (kr.compact_string("x") + kr.compact_string("1") + b"\x00") if flexible else b""
            data += kr.i32(len(h) + len(body)) + h + body
            sent.append((cid, v))
        c.send_raw(data)
        for cid, v in sent:
            frame = c.recv_frame(10)
            assert struct.unpack(">i", frame[:4])[0] == cid
            check_advertisement(kr.parse_api_versions(frame[4:], v))


@pytest.mark.parametrize("version", [99, 1000])
def test_api_versions_unknown_version_gets_v0_error_and_connection_stays_open(broker, version):
    with kr.Conn.to(broker.bootstrap) as c:
        # A newer client sends a flexible request: header v2 and a v3-style body.
        cid, h = c.header(18, version, True)
        body = kr.compact_string("future-client") + kr.compact_string("9.9") + b"\x00"
        c.send_frame(h + body)
        frame = c.recv_frame(10)
        assert struct.unpack(">i", frame[:4])[0] == cid
        r = kr.Reader(frame[4:])
        error = r.i16()
        keys = r.array(lambda r: (r.i16(), r.i16(), r.i16()))
        r.expect_end()  # v0 layout: no throttle time, no tags
        assert error == 35, f"expected UNSUPPORTED_VERSION (35), got {error}"
        assert keys is not None and 18 in [k for k, _, _ in keys], f"key 18 missing from {keys}"
        lo, hi = [(lo, hi) for k, lo, hi in keys if k == 18][0]
        assert lo == 0 and 3 <= hi < version
        # The connection is still usable: a supported version now succeeds.
        check_advertisement(c.api_versions(3))
        check_advertisement(c.api_versions(0))
