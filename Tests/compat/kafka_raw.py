"""A small raw Kafka protocol client for tests that real clients cannot express.

Everything is written from the public protocol guide (https://kafka.apache.org/protocol): int32
size framing, request header v1/v2, ApiVersions
v0-v4 (the response always has header v0), Produce v3 with a RecordBatch v2 encoder
(zigzag varints, CRC-32C in pure Python), ListOffsets v1 and Fetch v4 (non-flexible), and for
leader epochs (KIP-320) Metadata v8 and v12, OffsetForLeaderEpoch v3, Fetch v11 and ListOffsets v4.
Every socket operation has a deadline; nothing here can block forever.
"""

import socket
import struct
import time

# ---------------------------------------------------------------------------
# CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, table driven.

_CRC32C_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC32C_TABLE.append(_c)
del _n, _c


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    table = _CRC32C_TABLE
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the standard check value

# ---------------------------------------------------------------------------
# Varints. Unsigned varints: compact lengths and tag headers. Zigzag: record fields.


def uvarint(n):
    if n < 0:
        raise ValueError("uvarint of a negative number")
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    """Zigzag-encode a (64-bit range) signed integer as a varint."""
    return uvarint((n << 1) ^ (n >> 63))


def read_uvarint(buf, pos):
    shift = 0
    result = 0
    while True:
        if pos >= len(buf):
            raise ProtocolError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ProtocolError("varint too long")


def read_zigzag(buf, pos):
    v, pos = read_uvarint(buf, pos)
    return (v >> 1) ^ -(v & 1), pos


class ProtocolError(Exception):
    pass


# ---------------------------------------------------------------------------
# Primitive writers (non-flexible).


def i8(v):
    return struct.pack(">b", v)


def i16(v):
    return struct.pack(">h", v)


def i32(v):
    return struct.pack(">i", v)


def i64(v):
    return struct.pack(">q", v)


def string(s):
    if s is None:
        return i16(-1)
    b = s.encode() if isinstance(s, str) else s
    return i16(len(b)) + b


def bytes_field(b):
    if b is None:
        return i32(-1)
    return i32(len(b)) + b


def array(items):
    items = list(items)
    return i32(len(items)) + b"".join(items)


def compact_string(s):
    if s is None:
        return uvarint(0)
    b = s.encode() if isinstance(s, str) else s
    return uvarint(len(b) + 1) + b


def compact_array_of(items):
    """A compact array of already-encoded items."""
    return uvarint(len(items) + 1) + b"".join(items)


class Reader:
    """Bounds-checked big-endian reader over one response body."""

    def __init__(self, buf, pos=0):
        self.buf = buf
        self.pos = pos

    def _take(self, n):
        if n < 0 or self.pos + n > len(self.buf):
            raise ProtocolError(f"need {n} bytes at {self.pos}, have {len(self.buf) - self.pos}")
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b

    def i8(self):
        return struct.unpack(">b", self._take(1))[0]

    def i16(self):
        return struct.unpack(">h", self._take(2))[0]

    def i32(self):
        return struct.unpack(">i", self._take(4))[0]

    def i64(self):
        return struct.unpack(">q", self._take(8))[0]

    def string(self):
        n = self.i16()
        return None if n < 0 else self._take(n).decode()

    def bytes(self):
        n = self.i32()
        return None if n < 0 else self._take(n)

    def array(self, element):
        n = self.i32()
        if n < 0:
            return None
        return [element(self) for _ in range(n)]

    def uvarint(self):
        v, self.pos = read_uvarint(self.buf, self.pos)
        return v

    def compact_string(self):
        n = self.uvarint()
        return None if n == 0 else self._take(n - 1).decode()

    def compact_array(self, element):
        n = self.uvarint()
        if n == 0:
            return None
        return [element(self) for _ in range(n - 1)]

    def tagged_fields(self):
        fields = {}
        for _ in range(self.uvarint()):
            tag = self.uvarint()
            size = self.uvarint()
            fields[tag] = self._take(size)
        return fields

    def remaining(self):
        return len(self.buf) - self.pos

    def expect_end(self):
        if self.pos != len(self.buf):
            raise ProtocolError(f"{len(self.buf) - self.pos} unparsed trailing bytes: {self.buf[self.pos:self.pos + 16].hex()}")


# ---------------------------------------------------------------------------
# RecordBatch v2.

CODEC_NONE, CODEC_GZIP, CODEC_SNAPPY, CODEC_LZ4, CODEC_ZSTD = 0, 1, 2, 3, 4


def encode_record(offset_delta, key, value, headers=(), timestamp_delta=0):
    body = bytearray()
    body += i8(0)  # attributes
    body += zigzag(timestamp_delta)
    body += zigzag(offset_delta)
    if key is None:
        body += zigzag(-1)
    else:
        body += zigzag(len(key)) + key
    if value is None:
        body += zigzag(-1)
    else:
        body += zigzag(len(value)) + value
    body += zigzag(len(headers))
    for hk, hv in headers:
        hkb = hk.encode() if isinstance(hk, str) else hk
        body += zigzag(len(hkb)) + hkb
        if hv is None:
            body += zigzag(-1)
        else:
            body += zigzag(len(hv)) + hv
    return zigzag(len(body)) + bytes(body)


def encode_batch(records, base_timestamp=None, producer_id=-1, producer_epoch=-1, base_sequence=-1,
                 attributes=0, partition_leader_epoch=-1, base_offset=0, compress=None):
    """records: list of (key, value) or (key, value, headers). Returns one RecordBatch v2.

    compress: optional function bytes -> bytes applied to the records section; the caller sets the
    codec bits in `attributes` to match.
    """
    if base_timestamp is None:
        base_timestamp = int(time.time() * 1000)
    raw = bytearray()
    for i, r in enumerate(records):
        key, value = r[0], r[1]
        headers = r[2] if len(r) > 2 else ()
        raw += encode_record(i, key, value, headers)
    payload = compress(bytes(raw)) if compress else bytes(raw)
    n = len(records)
    after_crc = (
        i16(attributes)
        + i32(n - 1)  # lastOffsetDelta
        + i64(base_timestamp)
        + i64(base_timestamp)  # maxTimestamp (all deltas are 0)
        + i64(producer_id)
        + i16(producer_epoch)
        + i32(base_sequence)
        + i32(n)
        + payload
    )
    crc = crc32c(after_crc)
    after_length = i32(partition_leader_epoch) + i8(2) + struct.pack(">I", crc) + after_crc
    return i64(base_offset) + i32(len(after_length)) + after_length


def decode_batches(data):
    """Parse concatenated RecordBatch v2 headers (records decoded only when uncompressed).

    Returns a list of dicts. A trailing partial batch (allowed in Fetch responses) is ignored.
    """
    out = []
    pos = 0
    while pos + 12 <= len(data):
        base_offset, length = struct.unpack(">qi", data[pos:pos + 12])
        end = pos + 12 + length
        if length < 49 or end > len(data):
            break
        b = data[pos:end]
        magic = b[16]
        crc = struct.unpack(">I", b[17:21])[0]
        attributes, last_delta, base_ts, max_ts, pid, epoch, base_seq, count = struct.unpack(">hiqqqhii", b[21:61])
        batch = dict(base_offset=base_offset, length=length, partition_leader_epoch=struct.unpack(">i", b[12:16])[0],
                     magic=magic, crc=crc, crc_ok=crc32c(b[21:]) == crc,
                     attributes=attributes, codec=attributes & 7, last_offset_delta=last_delta,
                     base_timestamp=base_ts, max_timestamp=max_ts, producer_id=pid, producer_epoch=epoch,
                     base_sequence=base_seq, count=count, records=None)
        if attributes & 7 == CODEC_NONE:
            batch["records"] = _decode_records(b[61:], count, base_offset, base_ts)
        out.append(batch)
        pos = end
    return out


def _decode_records(buf, count, base_offset, base_ts):
    recs = []
    pos = 0
    for _ in range(count):
        length, pos = read_zigzag(buf, pos)
        end = pos + length
        pos += 1  # attributes
        ts_delta, pos = read_zigzag(buf, pos)
        off_delta, pos = read_zigzag(buf, pos)
        klen, pos = read_zigzag(buf, pos)
        key = None if klen < 0 else bytes(buf[pos:pos + klen])
        pos += max(klen, 0)
        vlen, pos = read_zigzag(buf, pos)
        value = None if vlen < 0 else bytes(buf[pos:pos + vlen])
        pos += max(vlen, 0)
        nh, pos = read_zigzag(buf, pos)
        headers = []
        for _ in range(nh):
            hkl, pos = read_zigzag(buf, pos)
            hk = bytes(buf[pos:pos + hkl]).decode()
            pos += hkl
            hvl, pos = read_zigzag(buf, pos)
            hv = None if hvl < 0 else bytes(buf[pos:pos + hvl])
            pos += max(hvl, 0)
            headers.append((hk, hv))
        if pos != end:
            raise ProtocolError("record length mismatch")
        recs.append(dict(offset=base_offset + off_delta, timestamp=base_ts + ts_delta, key=key, value=value, headers=headers))
    return recs


# ---------------------------------------------------------------------------
# Connection.

API_PRODUCE, API_FETCH, API_LIST_OFFSETS, API_METADATA, API_API_VERSIONS = 0, 1, 2, 3, 18
API_OFFSET_FOR_LEADER_EPOCH = 23
API_DESCRIBE_QUORUM, API_ADD_RAFT_VOTER, API_REMOVE_RAFT_VOTER = 55, 80, 81


class ConnectionClosed(Exception):
    pass


class Conn:
    def __init__(self, host, port, timeout=10.0, client_id="sluice-compat-raw"):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self.client_id = client_id
        self.next_correlation = 1

    @classmethod
    def to(cls, bootstrap, **kw):
        host, port = bootstrap.rsplit(":", 1)
        return cls(host, int(port), **kw)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- framing --
    def send_raw(self, data):
        self.sock.settimeout(self.timeout)
        self.sock.sendall(data)

    def send_frame(self, payload):
        self.send_raw(i32(len(payload)) + payload)

    def _recv_exact(self, n, deadline):
        chunks = []
        got = 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout(f"timed out waiting for {n - got} more bytes")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(min(n - got, 1 << 20))
            except ConnectionResetError as e:
                raise ConnectionClosed(str(e))
            if not chunk:
                raise ConnectionClosed(f"connection closed after {got} of {n} bytes")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def recv_frame(self, timeout=None):
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        size = struct.unpack(">i", self._recv_exact(4, deadline))[0]
        if size < 4 or size > 256 << 20:
            raise ProtocolError(f"bad response size {size}")
        return self._recv_exact(size, deadline)

    def wait_closed(self, timeout=5.0):
        """True if the peer closes the connection (EOF or reset) within timeout; skips any data."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return False
            except (ConnectionResetError, BrokenPipeError):
                return True
            if not chunk:
                return True

    # -- requests --
    def header(self, api_key, version, flexible, correlation_id=None, client_id=None):
        cid = self.next_correlation if correlation_id is None else correlation_id
        self.next_correlation = max(self.next_correlation, cid) + 1
        h = i16(api_key) + i16(version) + i32(cid) + string(self.client_id if client_id is None else client_id)
        if flexible:
            h += b"\x00"  # header v2: empty tagged-field section
        return cid, h

    def request(self, api_key, version, body, flexible=False, timeout=None, expect_response=True):
        """Send one request; return (correlation_id, response payload after the correlation id).

        The response header is parsed as v0 (correlation id only); for flexible non-ApiVersions
        responses the caller skips the header tag section itself.
        """
        cid, h = self.header(api_key, version, flexible)
        self.send_frame(h + body)
        if not expect_response:
            return cid, None
        frame = self.recv_frame(timeout)
        got = struct.unpack(">i", frame[:4])[0]
        if got != cid:
            raise ProtocolError(f"correlation id {got}, expected {cid}")
        return cid, frame[4:]

    # -- ApiVersions --
    def api_versions(self, version=0, software=("sluice-compat", "1.0"), timeout=None):
        flexible = version >= 3
        body = b""
        if flexible:
            body = compact_string(software[0]) + compact_string(software[1]) + b"\x00"
        _, payload = self.request(API_API_VERSIONS, version, body, flexible=flexible, timeout=timeout)
        return parse_api_versions(payload, version)

    # -- Produce v3 --
    def produce(self, topic, partition, batch, acks=-1, timeout_ms=10000, version=3, timeout=None):
        body = (string(None) if version >= 3 else b"") + i16(acks) + i32(timeout_ms) + array([
            string(topic) + array([i32(partition) + bytes_field(batch)])
        ])
        _, payload = self.request(API_PRODUCE, version, body, timeout=timeout, expect_response=acks != 0)
        if acks == 0:
            return None
        return parse_produce(payload, version)

    def produce_one(self, topic, partition, batch, **kw):
        resp = self.produce(topic, partition, batch, **kw)
        [(t, parts)] = resp["topics"]
        [p] = parts
        return p

    # -- ListOffsets v1 --
    def list_offsets(self, topic, partition, timestamp=-1, timeout=None):
        body = i32(-1) + array([string(topic) + array([i32(partition) + i64(timestamp)])])
        _, payload = self.request(API_LIST_OFFSETS, 1, body, timeout=timeout)
        r = Reader(payload)
        topics = r.array(lambda r: (r.string(), r.array(lambda r: dict(
            partition=r.i32(), error=r.i16(), timestamp=r.i64(), offset=r.i64()))))
        r.expect_end()
        return topics[0][1][0]

    # -- Metadata v0-v4 (non-flexible) --
    def metadata(self, topics, version=1, allow_auto_create=False, timeout=None):
        """topics None = null list (v1+: all topics). Returns dict with brokers, controller, topics."""
        body = i32(-1) if topics is None else array([string(t) for t in topics])
        if version >= 4:
            body += i8(1 if allow_auto_create else 0)
        _, payload = self.request(API_METADATA, version, body, timeout=timeout)
        r = Reader(payload)
        if version >= 3:
            r.i32()
        brokers = r.array(lambda r: dict(node_id=r.i32(), host=r.string(), port=r.i32(),
                                         rack=r.string() if version >= 1 else None))
        cluster_id = r.string() if version >= 2 else None
        controller = r.i32() if version >= 1 else None
        topics_out = r.array(lambda r: dict(
            error=r.i16(), name=r.string(), internal=bool(r.i8()) if version >= 1 else False,
            partitions=r.array(lambda r: dict(error=r.i16(), partition=r.i32(), leader=r.i32(),
                                              replicas=r.array(lambda r: r.i32()), isr=r.array(lambda r: r.i32())))))
        r.expect_end()
        return dict(brokers=brokers, cluster_id=cluster_id, controller=controller,
                    topics={t["name"]: t for t in topics_out})

    # -- Fetch v4 --
    def fetch(self, topic, partition, offset, max_wait_ms=500, min_bytes=1, max_bytes=1 << 20,
              partition_max_bytes=1 << 20, isolation_level=0, timeout=None):
        body = (i32(-1) + i32(max_wait_ms) + i32(min_bytes) + i32(max_bytes) + i8(isolation_level)
                + array([string(topic) + array([i32(partition) + i64(offset) + i32(partition_max_bytes)])]))
        if timeout is None:
            timeout = max_wait_ms / 1000.0 + 10
        _, payload = self.request(API_FETCH, 4, body, timeout=timeout)
        r = Reader(payload)
        throttle = r.i32()
        topics = r.array(lambda r: (r.string(), r.array(lambda r: dict(
            partition=r.i32(), error=r.i16(), high_watermark=r.i64(), last_stable_offset=r.i64(),
            aborted=r.array(lambda r: (r.i64(), r.i64())), records=r.bytes()))))
        r.expect_end()
        p = topics[0][1][0]
        p["batches"] = decode_batches(p["records"] or b"")
        p["throttle_time_ms"] = throttle
        return p


    # -- Leader epochs (KIP-320) and Metadata v8 / v12 --
    def metadata_v8(self, topics, include_topic_ops=False, include_cluster_ops=False):
        body = array([string(t) for t in topics]) + i8(0) + i8(int(include_cluster_ops)) + i8(int(include_topic_ops))
        _, payload = self.request(API_METADATA, 8, body)
        r = Reader(payload)
        r.i32()
        r.array(lambda r: (r.i32(), r.string(), r.i32(), r.string()))
        r.string()
        r.i32()
        topics_out = r.array(lambda r: dict(
            error=r.i16(), name=r.string(), internal=r.i8(),
            partitions=r.array(lambda r: dict(error=r.i16(), partition=r.i32(), leader=r.i32(), leader_epoch=r.i32(),
                                              replicas=r.array(lambda r: r.i32()), isr=r.array(lambda r: r.i32()),
                                              offline=r.array(lambda r: r.i32()))),
            topic_ops=r.i32()))
        cluster_ops = r.i32()
        r.expect_end()
        return {t["name"]: t for t in topics_out}, cluster_ops

    def metadata_v12(self, wanted, version=12):
        """`wanted`: (topic id bytes, name or None) pairs. Returns the topics as answered.
        Version 11 has the same layout (a name may not be null there)."""
        body = compact_array_of([tid + compact_string(name) + b"\x00" for tid, name in wanted]) + i8(0) + i8(0) + b"\x00"
        _, payload = self.request(API_METADATA, version, body, flexible=True)
        r = Reader(payload)
        r.tagged_fields()  # response header v1
        r.i32()
        r.compact_array(lambda r: (r.i32(), r.compact_string(), r.i32(), r.compact_string(), r.tagged_fields()))
        r.compact_string()
        r.i32()
        topics = r.compact_array(lambda r: dict(
            error=r.i16(), name=r.compact_string(), topic_id=r._take(16), internal=r.i8(),
            partitions=r.compact_array(lambda r: dict(error=r.i16(), partition=r.i32(), leader=r.i32(), leader_epoch=r.i32(),
                                                      replicas=r.compact_array(lambda r: r.i32()),
                                                      isr=r.compact_array(lambda r: r.i32()),
                                                      offline=r.compact_array(lambda r: r.i32()), tags=r.tagged_fields())),
            topic_ops=r.i32(), tags=r.tagged_fields()))
        r.tagged_fields()
        r.expect_end()
        return topics

    # -- the controller quorum (KIP-853) --
    def describe_quorum(self, topics=(("__cluster_metadata", (0,)),), version=1):
        """DescribeQuorum: (top-level error, {topic: [partition dicts with voters and observers]})."""
        body = compact_array_of([compact_string(name) + compact_array_of([i32(p) + b"\x00" for p in parts]) + b"\x00"
                                 for name, parts in topics]) + b"\x00"
        _, payload = self.request(API_DESCRIBE_QUORUM, version, body, flexible=True)
        r = Reader(payload)
        r.tagged_fields()

        def member(r):
            m = {"id": r.i32(), "log_end": r.i64()}
            if version >= 1:
                m["last_fetch"], m["caught_up"] = r.i64(), r.i64()
            r.tagged_fields()
            return m

        def partition(r):
            p = {"partition": r.i32(), "error": r.i16(), "leader": r.i32(), "epoch": r.i32(), "high_watermark": r.i64()}
            p["voters"], p["observers"] = r.compact_array(member), r.compact_array(member)
            r.tagged_fields()
            return p

        def topic(r):
            t = (r.compact_string(), r.compact_array(partition))
            r.tagged_fields()
            return t

        error = r.i16()
        described = dict(r.compact_array(topic))
        r.tagged_fields()
        r.expect_end()
        return error, described

    def voter_change(self, api, voter, cluster_id=None, timeout_ms=30000):
        """AddRaftVoter (API_ADD_RAFT_VOTER) or RemoveRaftVoter v0: (error code, message)."""
        body = compact_string(cluster_id)
        if api == API_ADD_RAFT_VOTER:
            body += i32(timeout_ms)
        body += i32(voter) + b"\x00" * 16  # no directory id
        if api == API_ADD_RAFT_VOTER:
            body += compact_array_of([compact_string("CONTROLLER") + compact_string("127.0.0.1") + struct.pack(">H", 9093) + b"\x00"])
        body += b"\x00"
        _, payload = self.request(api, 0, body, flexible=True, timeout=timeout_ms / 1000 + 15)
        r = Reader(payload)
        r.tagged_fields()
        r.i32()  # throttle
        error, message = r.i16(), r.compact_string()
        r.tagged_fields()
        r.expect_end()
        return error, message

    def offset_for_leader_epoch(self, topic, leader_epoch, current_leader_epoch=-1, partition=0):
        body = i32(-1) + array([string(topic) + array([i32(partition) + i32(current_leader_epoch) + i32(leader_epoch)])])
        _, payload = self.request(API_OFFSET_FOR_LEADER_EPOCH, 3, body)
        r = Reader(payload)
        r.i32()
        topics = r.array(lambda r: (r.string(), r.array(lambda r: dict(error=r.i16(), partition=r.i32(), leader_epoch=r.i32(), end_offset=r.i64()))))
        r.expect_end()
        return topics[0][1][0]

    def fetch_v11(self, topic, offset, current_leader_epoch):
        body = (i32(-1) + i32(0) + i32(0) + i32(1 << 20) + i8(0) + i32(0) + i32(-1)
                + array([string(topic) + array([i32(0) + i32(current_leader_epoch) + i64(offset) + i64(-1) + i32(1 << 20)])])
                + array([]) + string(""))
        _, payload = self.request(API_FETCH, 11, body)
        r = Reader(payload)
        r.i32(), r.i16(), r.i32()
        topics = r.array(lambda r: (r.string(), r.array(lambda r: dict(
            partition=r.i32(), error=r.i16(), high_watermark=r.i64(), last_stable_offset=r.i64(), log_start_offset=r.i64(),
            aborted=r.array(lambda r: (r.i64(), r.i64())), preferred_read_replica=r.i32(), records=r.bytes()))))
        r.expect_end()
        p = topics[0][1][0]
        p["batches"] = decode_batches(p["records"] or b"")
        return p

    def list_offsets_v4(self, topic, timestamp, current_leader_epoch):
        body = i32(-1) + i8(0) + array([string(topic) + array([i32(0) + i32(current_leader_epoch) + i64(timestamp)])])
        _, payload = self.request(API_LIST_OFFSETS, 4, body)
        r = Reader(payload)
        r.i32()
        topics = r.array(lambda r: (r.string(), r.array(lambda r: dict(
            partition=r.i32(), error=r.i16(), timestamp=r.i64(), offset=r.i64(), leader_epoch=r.i32()))))
        r.expect_end()
        return topics[0][1][0]


def parse_api_versions(payload, version):
    """Parse an ApiVersions response body (the payload after a v0 header's correlation id)."""
    r = Reader(payload)
    out = {"error": r.i16()}
    if version >= 3:
        keys = r.compact_array(lambda r: (r.i16(), r.i16(), r.i16(), r.tagged_fields())[:3])
        out["throttle_time_ms"] = r.i32()
        out["tags"] = r.tagged_fields()
    else:
        keys = r.array(lambda r: (r.i16(), r.i16(), r.i16()))
        if version >= 1:
            out["throttle_time_ms"] = r.i32()
    r.expect_end()
    if keys is None:
        raise ProtocolError("null ApiKeys array")
    out["api_keys"] = {k: (lo, hi) for k, lo, hi in keys}
    out["api_keys_list"] = keys
    return out


def parse_produce(payload, version=3):
    r = Reader(payload)
    topics = r.array(lambda r: (r.string(), r.array(lambda r: dict(
        partition=r.i32(), error=r.i16(), base_offset=r.i64(),
        log_append_time=r.i64() if version >= 2 else -1,
        log_start_offset=r.i64() if version >= 5 else -1))))
    throttle = r.i32() if version >= 1 else 0
    r.expect_end()
    return {"topics": topics, "throttle_time_ms": throttle}
