"""Work reaches a partition's Raft group in the turn it arrives, not at the group's next tick.

The Raft thread looks only at the groups something changed (a proposal, a message, a campaign)
plus, once a tick, at all of them. With a tick of 5 s, a request whose group were left for the
tick would take seconds; every one here must be answered in a fraction of that.
"""

import time
import uuid

import kafka_raw as kr
from conftest import create_topic

TICK_MS = 5000
# Far below a tick, far above a loaded machine's slowest answer on loopback.
BOUND_S = 1.5


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def commit_v2(conn, group, topic, partition, offset):
    """OffsetCommit v2 of a group with no members (generation -1); returns the error code."""
    body = (kr.string(group) + kr.i32(-1) + kr.string("") + kr.i64(-1)
            + kr.array([kr.string(topic) + kr.array([kr.i32(partition) + kr.i64(offset) + kr.string("")])]))
    _, payload = conn.request(8, 2, body)
    r = kr.Reader(payload)
    topics = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i16()))))
    return topics[0][1][0][1]


def find_coordinator(conn, group, deadline):
    while time.monotonic() < deadline:
        _, payload = conn.request(10, 0, kr.string(group))
        if kr.Reader(payload).i16() == 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"no coordinator for {group}")


def test_requests_are_answered_within_a_fraction_of_a_raft_tick(broker_factory):
    b = broker_factory(**{"raft.tick.ms": TICK_MS, "raft.election.timeout.ms": 4 * TICK_MS})
    topic = create_topic(b.bootstrap, f"turns-{uuid.uuid4().hex[:8]}", partitions=3)
    slowest = {}
    with kr.Conn.to(b.bootstrap) as conn:
        for i in range(12):
            for acks in (1, -1):
                batch = kr.encode_batch([(None, b"turn-%d-%d" % (i, acks))])
                answer, took = timed(lambda: conn.produce_one(topic, i % 3, batch, acks=acks))
                assert answer["error"] == 0, answer
                slowest[f"produce acks={acks}"] = max(slowest.get(f"produce acks={acks}", 0), took)
        for partition in range(3):
            fetched, took = timed(lambda: conn.fetch(topic, partition, 0, max_wait_ms=0))
            assert fetched["error"] == 0 and sum(len(b["records"]) for b in fetched["batches"]) == 8, fetched
            slowest["fetch"] = max(slowest.get("fetch", 0), took)
        group = f"turns-{uuid.uuid4().hex[:8]}"
        # The first lookup creates __consumer_offsets: its groups start in this turn too.
        find_coordinator(conn, group, time.monotonic() + 30)
        for offset in range(1, 9):
            error, took = timed(lambda: commit_v2(conn, group, topic, 0, offset))
            assert error == 0, error
            slowest["offset commit"] = max(slowest.get("offset commit", 0), took)
    late = {what: round(s, 3) for what, s in slowest.items() if s >= BOUND_S}
    assert not late, f"answered only after {late} s with raft.tick.ms={TICK_MS}: some group waited for its tick"
