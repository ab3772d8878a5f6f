#!/usr/bin/env python3
"""Capture real RecordBatch v2 bytes and request frames from real Kafka clients.

Usage (from the repository root):

    python3 tools/capture-fixtures.py            # or: .build/venv/bin/python tools/capture-fixtures.py
    python3 tools/capture-fixtures.py --out DIR  # write somewhere else (default Tests/SluiceWireTests/Fixtures)
    python3 tools/capture-fixtures.py --only kcat,aiokafka   # only some clients

Needs: kcat (Debian `apt-get install -y kcat`) and, for the Python interpreter running this script,
`pip install confluent-kafka kafka-python aiokafka cramjam lz4` (`make compat-deps` puts them in .build/venv).

What it does:
  * starts a tiny mock Kafka broker on 127.0.0.1 (random free port), written with the standard library
    only. It answers ApiVersions v0-4 (response header v0 always; flexible body from v3), Metadata v0-4
    (one broker = itself, node 1; topic "fixtures" with one partition led by node 1), InitProducerId v0-1
    (producer id 1000, epoch 0) and Produce v3-7 (success, baseOffset counting from 0). It advertises the
    pinned set the broker advertises (Produce 0-7 etc.; min 0 or librdkafka will not compress).
  * runs each real client in a child process (every wait has a timeout) producing a known set of records:
    keys "k0".."k4" plus one null key, values "value-<i>-" + "abcdefgh"*40, headers on record 2:
    [("h1", b"v1"), ("h2", None)] (kafka-python refuses a null header value, so ("h2", b"") there;
    kcat's -H options put the same two headers on every record).
  * saves the `records` bytes of every Produce partition exactly as received:
        <out>/<client>-<variant>.bin   raw RecordBatch bytes (concatenated if several batches)
        <out>/<client>-<variant>.json  what a decoder must find, from an independent decoder in this
                                       script (zigzag varints, CRC-32C, LZ4 frame via lz4.frame); the
                                       decoded keys/values/headers are asserted equal to what was produced
        <out>/requests/<client>-produce-v<N>.bin      first Produce request frame (size prefix included)
        <out>/requests/<client>-apiversions-v<N>.bin  first ApiVersions request frame of the client
  * exits by itself well under 60 s, non-zero if any client failed or any check did not hold.

The client drivers re-enter this file as `capture-fixtures.py --drive CLIENT VARIANT PORT`.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

TOPIC = "fixtures"
NODE_ID = 1
PRODUCER_ID = 1000
PRODUCER_EPOCH = 0
BASE_TS = 1700000000000  # timestamps passed explicitly where the client allows it

# Pinned advertisement, the same as the broker's.
API_RANGES = [
    (0, 0, 7),    # Produce
    (1, 0, 11),   # Fetch
    (2, 0, 2),    # ListOffsets
    (3, 0, 4),    # Metadata
    (8, 0, 3),    # OffsetCommit
    (9, 0, 3),    # OffsetFetch
    (10, 0, 2),   # FindCoordinator
    (11, 0, 5),   # JoinGroup
    (12, 0, 3),   # Heartbeat
    (13, 0, 1),   # LeaveGroup
    (14, 0, 3),   # SyncGroup
    (15, 0, 1),   # DescribeGroups
    (16, 0, 1),   # ListGroups
    (18, 0, 4),   # ApiVersions
    (19, 0, 4),   # CreateTopics
    (20, 0, 3),   # DeleteTopics
    (22, 0, 1),   # InitProducerId
    (32, 0, 1),   # DescribeConfigs
]


WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november "
         "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu").split()


def expected_records(client="", variant="", headers_null_ok=True):
    """The records the Python clients produce: (key, value, headers, timestamp).

    Default set: keys k0..k4 plus a null key, values "value-<i>-" + "abcdefgh"*40, headers on record 2.
    "multiblock" variants: 24 records of ~3.5 KB pseudo-random words (fixed seed), about 85 KB of
    records, so the LZ4 frame needs more than one 64 KB block and compresses only partly.
    """
    if variant.startswith("multiblock"):
        import random
        rng = random.Random(20240601)
        out = []
        for i in range(24):
            words = []
            size = 0
            while size < 3500:
                w = rng.choice(WORDS)
                words.append(w)
                size += len(w) + 1
            out.append((("m%02d" % i).encode(), " ".join(words).encode(), [], BASE_TS + i))
        return out
    out = []
    for i in range(6):
        key = None if i == 5 else ("k%d" % i).encode()
        value = ("value-%d-" % i).encode() + b"abcdefgh" * 40
        headers = []
        if i == 2:
            headers = [("h1", b"v1"), ("h2", None if headers_null_ok else b"")]
        out.append((key, value, headers, BASE_TS + 7 * i))
    return out


# --------------------------------------------------------------------------------------------
# Mock broker (standard library only)
# --------------------------------------------------------------------------------------------

class Reader:
    def __init__(self, data, pos=0):
        self.data = data
        self.pos = pos

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("short read")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def i8(self):
        return struct.unpack(">b", self.take(1))[0]

    def i16(self):
        return struct.unpack(">h", self.take(2))[0]

    def i32(self):
        return struct.unpack(">i", self.take(4))[0]

    def i64(self):
        return struct.unpack(">q", self.take(8))[0]

    def string(self):
        n = self.i16()
        return None if n < 0 else self.take(n).decode()

    def bytes_(self):
        n = self.i32()
        return None if n < 0 else self.take(n)

    def uvarint(self):
        shift = result = 0
        while True:
            b = self.take(1)[0]
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def varint(self):  # zigzag
        u = self.uvarint()
        return (u >> 1) ^ -(u & 1)

    def skip_tags(self):
        for _ in range(self.uvarint()):
            self.uvarint()
            self.take(self.uvarint())


def i16(v):
    return struct.pack(">h", v)


def i32(v):
    return struct.pack(">i", v)


def i64(v):
    return struct.pack(">q", v)


def string(s):
    if s is None:
        return i16(-1)
    b = s.encode()
    return i16(len(b)) + b


def uvarint(n):
    out = bytearray()
    while True:
        if n < 0x80:
            out.append(n)
            return bytes(out)
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def array(items):
    return i32(len(items)) + b"".join(items)


class Capture:
    """What the mock saw during one client run."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset("none")

    def reset(self, label):
        with self.lock:
            self.label = label
            self.frames = []        # (api_key, api_version, client_id, raw frame incl. size prefix)
            self.records = []       # records bytes of each Produce partition, in arrival order
            self.errors = []
            self.next_offset = 0

    def add_frame(self, key, version, client_id, frame):
        with self.lock:
            self.frames.append((key, version, client_id, frame))

    def add_records(self, data, count):
        with self.lock:
            base = self.next_offset
            self.records.append(data)
            self.next_offset += count
            return base


CAPTURE = Capture()


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def handle_api_versions(version):
    if version > 4:  # KIP-511: v0 body, UNSUPPORTED_VERSION, only our own ApiVersions range
        return i16(35) + array([i16(18) + i16(0) + i16(4)])
    if version >= 3:
        keys = b"".join(i16(k) + i16(lo) + i16(hi) + b"\x00" for k, lo, hi in API_RANGES)
        return i16(0) + uvarint(len(API_RANGES) + 1) + keys + i32(0) + b"\x00"
    body = i16(0) + array([i16(k) + i16(lo) + i16(hi) for k, lo, hi in API_RANGES])
    if version >= 1:
        body += i32(0)
    return body


def handle_metadata(version, r, port):
    n = r.i32()
    requested = None if n < 0 else [r.string() for _ in range(n)]
    if requested is None or (version == 0 and not requested):
        topics = [TOPIC]
    else:
        topics = requested
    body = b""
    if version >= 3:
        body += i32(0)  # throttle
    broker = i32(NODE_ID) + string("127.0.0.1") + i32(port)
    if version >= 1:
        broker += string(None)  # rack
    body += array([broker])
    if version >= 2:
        body += string("sluice-fixtures")
    if version >= 1:
        body += i32(NODE_ID)  # controller
    tlist = []
    for t in topics:
        part = i16(0) + i32(0) + i32(NODE_ID) + array([i32(NODE_ID)]) + array([i32(NODE_ID)])
        tb = i16(0) + string(t)
        if version >= 1:
            tb += b"\x00"  # is_internal
        tb += array([part])
        tlist.append(tb)
    body += array(tlist)
    return body


def handle_init_producer_id(version, r):
    r.string()  # transactional id
    r.i32()     # transaction timeout
    return i32(0) + i16(0) + i64(PRODUCER_ID) + i16(PRODUCER_EPOCH)


def handle_produce(version, r):
    r.string()  # transactional id (v3+)
    acks = r.i16()
    r.i32()     # timeout
    topics = []
    for _ in range(r.i32()):
        name = r.string()
        parts = []
        for _ in range(r.i32()):
            index = r.i32()
            data = r.bytes_()
            count = 0
            pos = 0
            while data is not None and pos + 61 <= len(data):  # count records of every batch
                count += struct.unpack(">i", data[pos + 57:pos + 61])[0]
                pos += 12 + struct.unpack(">i", data[pos + 8:pos + 12])[0]
            base = CAPTURE.add_records(data or b"", count)
            p = i32(index) + i16(0) + i64(base) + i64(-1)
            if version >= 5:
                p += i64(0)  # log start offset
            parts.append(p)
        topics.append(string(name) + array(parts))
    if acks == 0:
        return None
    return array(topics) + i32(0)


def serve_connection(sock, port):
    sock.settimeout(30)
    try:
        while True:
            head = recv_exact(sock, 4)
            if head is None:
                return
            size = struct.unpack(">i", head)[0]
            payload = recv_exact(sock, size)
            if payload is None:
                return
            r = Reader(payload)
            key, version, corr = r.i16(), r.i16(), r.i32()
            client_id = r.string()
            flexible = (key == 18 and version >= 3)  # everything else we advertise is non-flexible
            if flexible:
                r.skip_tags()
            CAPTURE.add_frame(key, version, client_id, head + payload)
            if key == 18:
                body = handle_api_versions(version)
            elif key == 3 and version <= 4:
                body = handle_metadata(version, r, port)
            elif key == 22 and version <= 1:
                body = handle_init_producer_id(version, r)
            elif key == 0 and 3 <= version <= 7:
                body = handle_produce(version, r)
            else:
                CAPTURE.errors.append("unexpected request key %d v%d from %r" % (key, version, client_id))
                return
            if body is None:
                continue
            resp = i32(corr) + body  # response header v0 (ApiVersions always; no flexible API otherwise)
            sock.sendall(i32(len(resp)) + resp)
    except (OSError, ValueError) as e:
        CAPTURE.errors.append("connection error: %r" % (e,))
    finally:
        sock.close()


def start_broker():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    port = srv.getsockname()[1]

    def accept_loop():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=serve_connection, args=(conn, port), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    return srv, port


# --------------------------------------------------------------------------------------------
# Independent RecordBatch v2 decoder (CRC-32C table, zigzag varints, LZ4 frame via lz4.frame)
# --------------------------------------------------------------------------------------------

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = CRC32C_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


CODECS = {0: "none", 1: "gzip", 2: "snappy", 3: "lz4", 4: "zstd"}


def lz4_frame_info(blob):
    """Walk the frame by hand (header fields, block count) and decompress it with lz4.frame."""
    import lz4.frame
    if struct.unpack("<I", blob[0:4])[0] != 0x184D2204:
        raise AssertionError("bad LZ4 magic")
    flg, bd = blob[4], blob[5]
    pos = 6
    content_size = None
    if flg & 0x08:
        content_size = struct.unpack("<Q", blob[pos:pos + 8])[0]
        pos += 8
    pos += 1  # HC
    blocks = []
    while True:
        word = struct.unpack("<I", blob[pos:pos + 4])[0]
        pos += 4
        if word == 0:
            break
        size = word & 0x7FFFFFFF
        blocks.append({"size": size, "uncompressed": bool(word & 0x80000000)})
        pos += size + (4 if flg & 0x10 else 0)
    if flg & 0x04:
        pos += 4
    if pos != len(blob):
        raise AssertionError("LZ4 frame ends at %d, records section is %d bytes" % (pos, len(blob)))
    plain = lz4.frame.decompress(blob)
    if content_size is not None and content_size != len(plain):
        raise AssertionError("LZ4 content size %d != %d" % (content_size, len(plain)))
    info = {
        "flg": "0x%02x" % flg,
        "bd": "0x%02x" % bd,
        "version": flg >> 6,
        "blockIndependence": bool(flg & 0x20),
        "blockChecksum": bool(flg & 0x10),
        "contentSizePresent": bool(flg & 0x08),
        "contentChecksum": bool(flg & 0x04),
        "contentSize": content_size,
        "blockMaxSize": {4: 65536, 5: 262144, 6: 1048576, 7: 4194304}.get((bd >> 4) & 7),
        "blocks": blocks,
        "frameLength": len(blob),
    }
    return info, plain


def blob_json(b):
    if b is None:
        return None
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(b).decode()}


def decode_records(data, count):
    r = Reader(data)
    records = []
    for _ in range(count):
        length = r.varint()
        start = r.pos
        attrs = r.i8()
        ts_delta = r.varint()
        off_delta = r.varint()
        klen = r.varint()
        key = None if klen < 0 else r.take(klen)
        vlen = r.varint()
        value = None if vlen < 0 else r.take(vlen)
        headers = []
        for _ in range(r.varint()):
            hk = r.take(r.varint()).decode()
            hl = r.varint()
            headers.append((hk, None if hl < 0 else r.take(hl)))
        if r.pos - start != length:
            raise AssertionError("record length %d but used %d" % (length, r.pos - start))
        records.append({"length": length, "attributes": attrs, "timestampDelta": ts_delta,
                        "offsetDelta": off_delta, "key": key, "value": value, "headers": headers})
    if r.pos != len(data):
        raise AssertionError("%d bytes left after %d records" % (len(data) - r.pos, count))
    return records


def decode_batches(data):
    batches = []
    pos = 0
    while pos < len(data):
        r = Reader(data, pos)
        b = {"byteOffset": pos}
        b["baseOffset"] = r.i64()
        batch_length = r.i32()
        b["batchLength"] = batch_length
        b["byteLength"] = 12 + batch_length
        b["partitionLeaderEpoch"] = r.i32()
        b["magic"] = r.i8()
        if b["magic"] != 2:
            raise AssertionError("magic %d" % b["magic"])
        crc = struct.unpack(">I", r.take(4))[0]
        end = pos + 12 + batch_length
        if end > len(data):
            raise AssertionError("batch overruns the data")
        if crc32c(data[pos + 21:end]) != crc:
            raise AssertionError("CRC-32C mismatch in batch at %d" % pos)
        b["crc"] = crc
        b["attributes"] = r.i16()
        b["codec"] = b["attributes"] & 7
        b["codecName"] = CODECS.get(b["codec"], "?")
        b["timestampType"] = (b["attributes"] >> 3) & 1
        b["transactional"] = bool(b["attributes"] & 0x10)
        b["control"] = bool(b["attributes"] & 0x20)
        b["lastOffsetDelta"] = r.i32()
        b["firstTimestamp"] = r.i64()
        b["maxTimestamp"] = r.i64()
        b["producerId"] = r.i64()
        b["producerEpoch"] = r.i16()
        b["baseSequence"] = r.i32()
        b["recordsCount"] = r.i32()
        section = data[pos + 61:end]
        b["recordsSectionLength"] = len(section)
        b["lz4"] = None
        if b["codec"] == 0:
            plain = section
        elif b["codec"] == 3:
            b["lz4"], plain = lz4_frame_info(section)
        else:
            raise AssertionError("codec %d not handled here" % b["codec"])
        b["uncompressedRecordsLength"] = len(plain)
        b["records"] = decode_records(plain, b["recordsCount"])
        batches.append(b)
        pos = end
    return batches


def batches_json(batches):
    out = []
    for b in batches:
        j = dict(b)
        j["records"] = [{
            "length": rec["length"],
            "attributes": rec["attributes"],
            "timestampDelta": rec["timestampDelta"],
            "offsetDelta": rec["offsetDelta"],
            "key": blob_json(rec["key"]),
            "value": blob_json(rec["value"]),
            "headers": [{"key": k, "value": blob_json(v)} for k, v in rec["headers"]],
        } for rec in b["records"]]
        out.append(j)
    return out


# --------------------------------------------------------------------------------------------
# Client drivers (run in a child process: `--drive CLIENT VARIANT PORT`)
# --------------------------------------------------------------------------------------------

def drive_confluent(variant, port):
    from confluent_kafka import Producer
    conf = {
        "bootstrap.servers": "127.0.0.1:%d" % port,
        "compression.type": "none" if variant == "none" else "lz4",
        "batch.size": 1000000,
        "enable.idempotence": variant.endswith("idempotent"),
        "linger.ms": 200,
        "message.timeout.ms": 15000,
        "socket.timeout.ms": 5000,
    }
    p = Producer(conf)
    # Warm up (metadata known, connection up) first: producing while librdkafka is still connecting
    # sometimes made it send the large records one per request instead of lingering for a batch.
    p.list_topics(TOPIC, timeout=10)
    errors = []

    def cb(err, msg):
        if err is not None:
            errors.append(str(err))

    for key, value, headers, ts in expected_records("confluent-kafka", variant):
        p.produce(TOPIC, value=value, key=key, partition=0, timestamp=ts, headers=headers, on_delivery=cb)
    left = p.flush(20)
    if left or errors:
        raise SystemExit("confluent-kafka: %d undelivered, errors %s" % (left, errors))


def drive_kafka_python(variant, port):
    from kafka import KafkaProducer
    p = KafkaProducer(bootstrap_servers="127.0.0.1:%d" % port, compression_type="lz4",
                      enable_idempotence=variant.endswith("idempotent"), linger_ms=200,
                      request_timeout_ms=10000, max_block_ms=15000, batch_size=1000000)
    futs = [p.send(TOPIC, value=v, key=k, partition=0, timestamp_ms=ts, headers=h)
            for k, v, h, ts in expected_records("kafka-python", variant, headers_null_ok=False)]
    p.flush(timeout=20)
    for f in futs:
        f.get(timeout=5)
    p.close(timeout=5)


def drive_aiokafka(variant, port):
    import asyncio
    from aiokafka import AIOKafkaProducer

    async def run():
        p = AIOKafkaProducer(bootstrap_servers="127.0.0.1:%d" % port, compression_type="lz4",
                             enable_idempotence=variant.endswith("idempotent"), linger_ms=200,
                             request_timeout_ms=10000, max_batch_size=1000000)
        await asyncio.wait_for(p.start(), 15)
        try:
            futs = [await p.send(TOPIC, value=v, key=k, partition=0, timestamp_ms=ts, headers=h)
                    for k, v, h, ts in expected_records("aiokafka", variant)]
            await asyncio.wait_for(asyncio.gather(*futs), 20)
        finally:
            await asyncio.wait_for(p.stop(), 10)

    asyncio.run(run())


DRIVERS = {"confluent-kafka": drive_confluent, "kafka-python": drive_kafka_python, "aiokafka": drive_aiokafka}

KCAT_HEADERS = [("h1", b"v1"), ("h2", None)]


def kcat_lines():
    """kcat reads one message per line; with -K: a line without ':' has a null key."""
    lines = []
    for key, value, _, _ in expected_records():
        lines.append((key + b":" if key is not None else b"") + value)
    return b"\n".join(lines) + b"\n"


def run_client(client, variant, port, timeout=30):
    if client == "kcat":
        cmd = ["kcat", "-b", "127.0.0.1:%d" % port, "-P", "-t", TOPIC, "-p", "0", "-K:",
               "-z", "none" if variant == "none" else "lz4", "-X", "linger.ms=200",
               "-H", "h1=v1", "-H", "h2"]
        if variant.endswith("idempotent"):
            cmd += ["-X", "enable.idempotence=true"]
        proc = subprocess.run(cmd, input=kcat_lines(), capture_output=True, timeout=timeout)
    else:
        cmd = [sys.executable, os.path.abspath(__file__), "--drive", client, variant, str(port)]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
    return proc


def client_version(client):
    try:
        if client == "kcat":
            out = subprocess.run(["kcat", "-V"], capture_output=True, timeout=5).stdout.decode()
            lines = [l for l in out.splitlines() if "version" in l.lower()]
            return " / ".join(l.strip() for l in lines) or out.splitlines()[0]
        if client == "confluent-kafka":
            import confluent_kafka
            return "confluent-kafka %s (librdkafka %s)" % (confluent_kafka.version()[0], confluent_kafka.libversion()[0])
        if client == "kafka-python":
            import kafka
            return "kafka-python %s" % kafka.__version__
        if client == "aiokafka":
            import aiokafka
            return "aiokafka %s" % aiokafka.__version__
    except Exception as e:  # noqa: BLE001 - informational only
        return "unknown (%s)" % e
    return "unknown"


# Which variant's Produce request frame is saved under requests/ for each client.
PRODUCE_FRAME_FROM = {"kcat": "lz4", "confluent-kafka": "lz4", "kafka-python": "lz4-idempotent", "aiokafka": "lz4"}

RUNS = [
    ("confluent-kafka", "lz4"),
    ("confluent-kafka", "lz4-idempotent"),
    ("confluent-kafka", "none"),
    ("kcat", "lz4"),
    ("kafka-python", "lz4-idempotent"),  # the client's default (enable_idempotence=True)
    ("kafka-python", "lz4"),
    ("aiokafka", "lz4"),                 # the client's default (enable_idempotence=False)
    ("aiokafka", "lz4-idempotent"),
    ("confluent-kafka", "multiblock-lz4"),
    ("kafka-python", "multiblock-lz4"),
    ("aiokafka", "multiblock-lz4"),
]


def check_records(client, variant, batches):
    """Decoded records must be exactly what the client was asked to produce."""
    got = [(rec, b) for b in batches for rec in b["records"]]
    want = expected_records(client, variant, headers_null_ok=(client != "kafka-python"))
    if len(got) != len(want):
        raise AssertionError("%d records decoded, %d produced" % (len(got), len(want)))
    for (rec, b), (key, value, headers, ts) in zip(got, want):
        if rec["key"] != key or rec["value"] != value:
            raise AssertionError("record key/value differ: %r" % (rec["key"],))
        want_headers = KCAT_HEADERS if client == "kcat" else headers
        if rec["headers"] != want_headers:
            raise AssertionError("headers %r != %r" % (rec["headers"], want_headers))
        if client != "kcat" and b["firstTimestamp"] + rec["timestampDelta"] != ts:
            raise AssertionError("timestamp %d != %d" % (b["firstTimestamp"] + rec["timestampDelta"], ts))
    for b in batches:
        if b["lastOffsetDelta"] != b["recordsCount"] - 1:
            raise AssertionError("lastOffsetDelta %d with %d records" % (b["lastOffsetDelta"], b["recordsCount"]))
        if [r["offsetDelta"] for r in b["records"]] != list(range(b["recordsCount"])):
            raise AssertionError("offset deltas not 0..n-1")
        want_codec = 0 if variant == "none" else 3
        if b["codec"] != want_codec:
            raise AssertionError("codec %d, expected %d (client did not compress?)" % (b["codec"], want_codec))
        if variant.endswith("idempotent"):
            if (b["producerId"], b["producerEpoch"]) != (PRODUCER_ID, PRODUCER_EPOCH):
                raise AssertionError("producer id/epoch %d/%d" % (b["producerId"], b["producerEpoch"]))


def capture_one(client, variant, port, out, done_frames, attempts=3):
    name = "%s-%s" % (client, variant)
    for attempt in range(attempts):
        CAPTURE.reset(name)
        t0 = time.time()
        proc = run_client(client, variant, port)
        time.sleep(0.05)
        with CAPTURE.lock:
            frames = list(CAPTURE.frames)
            records = list(CAPTURE.records)
            errors = list(CAPTURE.errors)
        if proc.returncode != 0 or not records:
            raise AssertionError("%s: exit %d, %d produce partitions, mock errors %s\nstderr: %s" % (
                name, proc.returncode, len(records), errors, proc.stderr.decode(errors="replace")[-2000:]))
        if len(records) == 1:
            break
        # The fixtures want all records in one batch; a client that split them raced with its own
        # connection set-up. Try again (bounded).
        print("    %s: records came in %d Produce requests, retrying" % (name, len(records)))
    data = b"".join(records)
    batches = decode_batches(data)
    check_records(client, variant, batches)
    produce_versions = sorted({v for k, v, _, _ in frames if k == 0})
    api_versions = [(v, c) for k, v, c, _ in frames if k == 18]
    doc = {
        "file": name + ".bin",
        "client": client,
        "clientVersion": client_version(client),
        "variant": variant,
        "clientId": next((c for _, _, c, _ in frames), None),
        "produceRequestVersions": produce_versions,
        "apiVersionsRequestVersions": sorted({v for v, _ in api_versions}),
        "produceRequests": sum(1 for k, _, _, _ in frames if k == 0),
        "totalBytes": len(data),
        "note": "Raw records bytes of each Produce partition as received, concatenated. "
                "key/value/header values are UTF-8 strings (or {base64}) and null when absent. "
                "Timestamps are client-chosen (explicit, from %d) except for kcat (wall clock)." % BASE_TS,
        "batches": batches_json(batches),
    }
    with open(os.path.join(out, name + ".bin"), "wb") as f:
        f.write(data)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    req_dir = os.path.join(out, "requests")
    if client not in done_frames:
        done_frames[client] = set()
    if "apiversions" not in done_frames[client]:
        k, v, _, frame = next(fr for fr in frames if fr[0] == 18)
        with open(os.path.join(req_dir, "%s-apiversions-v%d.bin" % (client, v)), "wb") as f:
            f.write(frame)
        done_frames[client].add("apiversions")
    if PRODUCE_FRAME_FROM.get(client) == variant:
        k, v, _, frame = next(fr for fr in frames if fr[0] == 0)
        with open(os.path.join(req_dir, "%s-produce-v%d.bin" % (client, v)), "wb") as f:
            f.write(frame)
    summary = []
    for b in batches:
        lz = b["lz4"]
        summary.append("codec=%s FLG/BD=%s records=%d pid=%d epoch=%d seq=%d" % (
            b["codecName"], "%s/%s" % (lz["flg"], lz["bd"]) if lz else "-", b["recordsCount"],
            b["producerId"], b["producerEpoch"], b["baseSequence"]))
    print("%-32s %5d bytes, %d batch(es) [%.1fs]: %s" % (name + ".bin", len(data), len(batches),
                                                          time.time() - t0, "; ".join(summary)))
    if errors:
        print("    mock notes: %s" % errors)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                  "Tests", "SluiceWireTests", "Fixtures"))
    ap.add_argument("--only", default="", help="comma-separated clients to run")
    ap.add_argument("--drive", nargs=3, metavar=("CLIENT", "VARIANT", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.drive:
        client, variant, port = args.drive
        DRIVERS[client](variant, int(port))
        return 0

    out = os.path.normpath(args.out)
    os.makedirs(os.path.join(out, "requests"), exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    srv, port = start_broker()
    print("mock broker on 127.0.0.1:%d, writing to %s" % (port, out))
    done_frames = {}
    failures = []
    deadline = time.time() + 55
    for client, variant in RUNS:
        if only and client not in only:
            continue
        if time.time() > deadline:
            failures.append("%s-%s: skipped, out of time" % (client, variant))
            continue
        if client == "kcat" and not shutil.which("kcat"):
            failures.append("kcat not installed (apt-get install -y kcat)")
            continue
        try:
            capture_one(client, variant, port, out, done_frames)
        except (AssertionError, subprocess.TimeoutExpired, ValueError, StopIteration) as e:
            failures.append("%s-%s: %s" % (client, variant, e))
    srv.close()
    keep = os.path.join(out, ".keep")
    if not failures and os.path.exists(keep):
        os.remove(keep)
    for f in failures:
        print("FAILED " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
