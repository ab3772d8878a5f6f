"""Connection and memory floods against a real sluiced, with its resident memory measured.

Stalled connections that announce huge requests and trickle bytes must neither grow the process
beyond its request-byte budget nor lock out other clients, and are closed once they overrun
request.read.timeout.ms; a connection flood beyond max.connections is refused at the door.
"""

import socket
import struct
import time
import uuid

from conftest import create_topic
import kafka_raw as kr


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def stalled(port, announced, sent):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(struct.pack(">i", announced) + b"\x00" * sent)
    return s


def test_stalled_huge_requests_stay_within_the_budget_and_are_closed(broker_factory):
    b = broker_factory(**{"queued.max.request.bytes": str(256 << 20), "request.read.timeout.ms": "1000"})
    topic = create_topic(b.bootstrap, "flood-target", partitions=1)
    before = rss_mib(b.proc.pid)
    # 16 connections each announce a 100 MiB request and send 2 MiB of it: 1.6 GiB announced.
    sockets = [stalled(b.port, 100 << 20, 2 << 20) for _ in range(16)]
    time.sleep(1.0)
    during = rss_mib(b.proc.pid)
    # Only frames that fit the 256 MiB budget are read at all, and only as their bytes arrive.
    print(f"RSS {before:.0f} MiB before, {during:.0f} MiB during the flood")
    assert during - before < 96, f"RSS grew from {before:.0f} MiB to {during:.0f} MiB under the flood"
    # Other clients are still served while the flood holds its room.
    with kr.Conn.to(b.bootstrap) as c:
        r = c.produce_one(topic, 0, kr.encode_batch([(b"k", b"still served")]), acks=-1)
        assert r["error"] == 0, r
    # The stalled connections overrun the 1 s read timeout (the waiting ones are not reading and
    # are let in, then time out in turn); all are closed.
    deadline = time.monotonic() + 30
    open_count = len(sockets)
    while open_count and time.monotonic() < deadline:
        open_count = 0
        for s in sockets:
            s.settimeout(0.05)
            try:
                if s.recv(1) != b"":
                    open_count += 1
            except socket.timeout:
                open_count += 1
            except OSError:
                pass
        time.sleep(0.2)
    assert open_count == 0, f"{open_count} stalled connections still open after 30 s"
    for s in sockets:
        s.close()
    assert "request-byte budget full" in open(b.log_path, errors="replace").read()


def test_connection_flood_beyond_max_connections_is_refused(broker_factory):
    b = broker_factory(**{"max.connections": "50"})
    before = rss_mib(b.proc.pid)
    held = []
    for _ in range(200):
        try:
            held.append(socket.create_connection(("127.0.0.1", b.port), timeout=5))
        except OSError:
            break
    time.sleep(0.5)
    refused = 0
    for s in held:
        s.settimeout(0.2)
        try:
            if s.recv(1) == b"":
                refused += 1
        except socket.timeout:
            pass
        except OSError:
            refused += 1
    assert refused >= 150, f"only {refused} of {len(held)} connections past max.connections=50 were refused"
    assert rss_mib(b.proc.pid) - before < 32
    for s in held:
        s.close()
    with kr.Conn.to(b.bootstrap) as c:
        assert c.metadata(None)["brokers"], "the broker serves again once the flood is gone"


def test_one_metadata_request_auto_creates_at_most_a_thousand_topics(fresh_broker):
    """1,100 unknown names with auto-creation allowed: the first 1,000 are created (one request
    must not set off unbounded work), the rest answered LEADER_NOT_AVAILABLE to be asked again."""
    names = [f"auto-{uuid.uuid4().hex[:10]}" for _ in range(1100)]
    with kr.Conn.to(fresh_broker.bootstrap, timeout=120) as c:
        md = c.metadata(names, version=4, allow_auto_create=True, timeout=120)
        errors = [md["topics"][n]["error"] for n in names]
        assert errors.count(0) == 1000 and errors.count(5) == 100, {e: errors.count(e) for e in set(errors)}
        again = c.metadata(names[1000:], version=4, allow_auto_create=True, timeout=60)
        assert all(again["topics"][n]["error"] == 0 for n in names[1000:])


def test_metadata_by_fifty_thousand_unknown_ids_is_answered_at_once(broker):
    ids = [uuid.uuid4().bytes for _ in range(50_000)]
    with kr.Conn.to(broker.bootstrap, timeout=60) as c:
        started = time.monotonic()
        topics = c.metadata_v12([(i, None) for i in ids])
        assert time.monotonic() - started < 10
    assert len(topics) == len(ids) and all(t["error"] == 100 and t["name"] is None for t in topics)
