"""Client quotas, as Kafka defines them (KIP-13, KIP-55, KIP-546): AlterClientQuotas and
DescribeClientQuotas over the wire (no Python client wraps them), and enforcement measured on two
tenants sharing one broker: the throttled one stays within 10% of its byte rate while the other
keeps its throughput."""

import struct
import threading
import time

from kafka_raw import Conn, Reader, array, i8, i32, string

API_DESCRIBE_CLIENT_QUOTAS = 48
API_ALTER_CLIENT_QUOTAS = 49


def alter_quotas(conn, entries, validate_only=False):
    """entries: [([(entity_type, name_or_None)], [(key, value, remove)])] -> [(error, message)]"""
    body = array([array([string(t) + string(n) for t, n in entity]) +
                  array([string(k) + struct.pack(">d", v) + i8(1 if remove else 0) for k, v, remove in ops])
                  for entity, ops in entries]) + i8(1 if validate_only else 0)
    _, payload = conn.request(API_ALTER_CLIENT_QUOTAS, 0, body)
    r = Reader(payload)
    r.i32()  # throttle
    results = []
    for _ in range(r.i32()):
        error, message = r.i16(), r.string()
        for _ in range(r.i32()):
            r.string(), r.string()
        results.append((error, message))
    return results


def describe_quotas(conn, components=(), strict=False):
    body = array([string(t) + i8(match_type) + string(match) for t, match_type, match in components]) + i8(1 if strict else 0)
    _, payload = conn.request(API_DESCRIBE_CLIENT_QUOTAS, 0, body)
    r = Reader(payload)
    r.i32()
    error, message = r.i16(), r.string()
    entries = {}
    for _ in range(r.i32()):
        entity = tuple((r.string(), r.string()) for _ in range(r.i32()))
        entries[entity] = {r.string(): struct.unpack(">d", r._take(8))[0] for _ in range(r.i32())}
    return error, message, entries


def test_alter_and_describe_quotas(broker):
    with Conn.to(broker.bootstrap) as conn:
        results = alter_quotas(conn, [([("client-id", "quota-a")], [("producer_byte_rate", 1024.0, False), ("consumer_byte_rate", 2048.0, False)]),
                                      ([("user", None)], [("request_percentage", 50.0, False)]),
                                      ([("ip", "1.2.3.4")], [("producer_byte_rate", 1.0, False)]),
                                      ([("client-id", "quota-b")], [("bogus_rate", 1.0, False)]),
                                      ([("client-id", "quota-c")], [("producer_byte_rate", -5.0, False)])])
        assert [e for e, _ in results] == [0, 0, 42, 42, 42], results
        error, _, entries = describe_quotas(conn, [("client-id", 0, "quota-a")])
        assert error == 0 and entries == {(("client-id", "quota-a"),): {"producer_byte_rate": 1024.0, "consumer_byte_rate": 2048.0}}, entries
        _, _, defaults = describe_quotas(conn, [("user", 1, None)])
        assert defaults == {(("user", None),): {"request_percentage": 50.0}}, defaults
        # Remove them again; the broker is shared by other tests of this module.
        alter_quotas(conn, [([("client-id", "quota-a")], [("producer_byte_rate", 0, True), ("consumer_byte_rate", 0, True)]),
                            ([("user", None)], [("request_percentage", 0, True)])])
        assert describe_quotas(conn)[2] == {}


def produce_for(bootstrap, client_id, topic, seconds, measured, start_after):
    from confluent_kafka import Producer
    acked = []
    # Small requests, one at a time: the throttle then follows the rate closely instead of
    # answering a burst of megabyte requests with the longest wait.
    producer = Producer({"bootstrap.servers": bootstrap, "client.id": client_id, "acks": 1, "linger.ms": 5, "batch.size": 20000,
                         "max.in.flight.requests.per.connection": 1, "queue.buffering.max.kbytes": 400})
    value = b"q" * 1000
    begin = time.monotonic()
    deadline = begin + seconds
    while time.monotonic() < deadline:
        try:
            producer.produce(topic, value=value, on_delivery=lambda err, msg: acked.append((time.monotonic(), len(msg.value()))) if err is None else None)
        except BufferError:
            producer.poll(0.01)
        producer.poll(0)
    producer.flush(30)
    window_start, window_end = begin + start_after, deadline
    total = sum(size for at, size in acked if window_start <= at <= window_end)
    measured[client_id] = total / (window_end - window_start)


def test_a_throttled_tenant_stays_within_its_quota_and_the_other_keeps_its_throughput(broker_factory, topic_name):
    b = broker_factory()
    quota = 200_000.0
    with Conn.to(b.bootstrap) as conn:
        assert alter_quotas(conn, [([("client-id", "tenant-slow")], [("producer_byte_rate", quota, False)])]) == [(0, None)]
    measured = {}
    threads = [threading.Thread(target=produce_for, args=(b.bootstrap, name, topic_name(name), 10, measured, 3))
               for name in ("tenant-slow", "tenant-fast")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    slow, fast = measured["tenant-slow"], measured["tenant-fast"]
    print(f"quota {quota:.0f} B/s: throttled tenant {slow:.0f} B/s ({slow / quota:.3f}x), other tenant {fast:.0f} B/s")
    assert abs(slow - quota) / quota <= 0.10, f"throttled tenant at {slow:.0f} B/s against a quota of {quota:.0f}"
    assert fast > 5 * quota, f"the other tenant got only {fast:.0f} B/s"
