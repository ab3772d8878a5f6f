"""Committed offsets survive a broker restart: a clean one (SIGTERM) and a crash (kill -9 right after a
synchronous commit returned). Checked with list_consumer_group_offsets and by a new consumer in the group
resuming exactly at the commit.
"""

import time

from confluent_kafka import Consumer, KafkaError, TopicPartition

from groups_support import committed_offsets, create_topic, gbroker_fresh, produce_keys, unique  # noqa: F401

PARTS = 2


def group_consumer(broker, group, client_id):
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": group, "client.id": client_id,
                  "enable.auto.commit": False, "auto.offset.reset": "earliest", "fetch.wait.max.ms": 100,
                  "session.timeout.ms": 6000, "heartbeat.interval.ms": 1000})
    return c


def take(c, n, timeout=30):
    """Consume exactly n records (more fetched are dropped, never committed): [(partition, offset, key)]."""
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < n and time.monotonic() < deadline:
        for m in c.consume(num_messages=100, timeout=0.3):
            if m.error():
                assert m.error().code() == KafkaError._PARTITION_EOF, m.error()
                continue
            if len(out) < n:
                out.append((m.partition(), m.offset(), m.key().decode()))
    assert len(out) == n, f"consumed {len(out)} of {n} within {timeout}s"
    return out


def nexts(records, base=None):
    out = dict(base or {})
    for p, off, _ in records:
        out[p] = max(out.get(p, 0), off + 1)
    return out


def commit(c, topic, offs):
    c.commit(offsets=[TopicPartition(topic, p, o) for p, o in offs.items()], asynchronous=False)


def test_committed_offsets_survive_sigterm_and_kill9(gbroker_fresh):
    b = gbroker_fresh
    topic = create_topic(b.bootstrap, unique("g-dur"), partitions=PARTS)
    group = unique("grp-dur")
    keys = produce_keys(b, topic, 0, 600, partitions=PARTS)

    # 1. commit, close, SIGTERM the broker, restart.
    c = group_consumer(b, group, "dur-1")
    try:
        c.subscribe([topic])
        r1 = take(c, 150)
        first = nexts(r1)
        commit(c, topic, first)
    finally:
        c.close()
    expect = {p: first.get(p, -1001) for p in range(PARTS)}
    assert committed_offsets(b, group, topic, range(PARTS)) == expect
    assert b.stop() == 0, "sluiced did not exit cleanly on SIGTERM"
    b.start()
    assert committed_offsets(b, group, topic, range(PARTS)) == expect, "commit lost across a clean restart"

    # 2. a new consumer in the group resumes at the commit; commit more; kill -9 the broker right after the
    #    synchronous commit returns; restart.
    c = group_consumer(b, group, "dur-2")
    try:
        c.subscribe([topic])
        r2 = take(c, 200)
        starts = {}
        for p, off, _ in r2:
            starts.setdefault(p, off)
        for p, off in starts.items():
            assert off == first.get(p, 0), f"after restart partition {p} resumed at {off}, commit was {first.get(p)}"
        assert not {k for *_, k in r1} & {k for *_, k in r2}, "committed records delivered again after restart"
        second = nexts(r2, first)
        commit(c, topic, second)
        b.kill9()  # immediately: nothing else happens between the commit's answer and the crash
        b.start()
        expect2 = {p: second.get(p, -1001) for p in range(PARTS)}
        assert committed_offsets(b, group, topic, range(PARTS)) == expect2, "commit lost across kill -9"
    finally:
        c.close()

    # 3. and a consumer started after the crash resumes there, with no gap to the end.
    c = group_consumer(b, group, "dur-3")
    try:
        c.subscribe([topic])
        r3 = take(c, 600 - 350)
    finally:
        c.close()
    starts = {}
    for p, off, _ in r3:
        starts.setdefault(p, off)
    for p, off in starts.items():
        assert off == second.get(p, 0), f"after kill -9 partition {p} resumed at {off}, commit was {second.get(p)}"
    allk = [k for *_, k in r1 + r2 + r3]
    assert sorted(allk) == sorted(keys), "gap or duplicate over the three runs"
