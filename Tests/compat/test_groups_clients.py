"""Consumer groups with kafka-python, aiokafka, the admin APIs of both, and the group error paths.

Issue 4: kafka-python's KafkaConsumer resumes from its commit; DescribeGroups / ListGroups show members, client ids,
hosts and assignments; an aiokafka (roundrobin) group; a stale generation's commit is refused and the client says so;
DeleteGroups refuses a group with members (NON_EMPTY_GROUP); OffsetFetch of an uncommitted partition gives -1.
"""

import asyncio
import threading
import time

import pytest
from confluent_kafka import OFFSET_INVALID, Consumer, KafkaError, KafkaException, TopicPartition
from kafka import KafkaAdminClient, KafkaConsumer
from kafka import TopicPartition as KTP
from kafka.structs import OffsetAndMetadata

import kafka_raw as kr
from groups_support import (OP_TIMEOUT, Worker, admin_for, committed_offsets, create_topic,  # noqa: F401
                            describe_group, gbroker, member_partitions, produce_keys, unique, wait_assignments,
                            wait_for)

API_OFFSET_COMMIT, API_OFFSET_FETCH, API_JOIN_GROUP, API_HEARTBEAT, API_SYNC_GROUP = 8, 9, 11, 12, 14
ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, MEMBER_ID_REQUIRED = 22, 25, 27, 79


def kp_poll_exactly(consumer, n, timeout):
    """Poll a kafka-python consumer until n records were taken; returns [(partition, offset, key)] (extra
    records fetched in the last batch are ignored, so they are neither processed nor committed)."""
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < n and time.monotonic() < deadline:
        for tp, msgs in consumer.poll(timeout_ms=300).items():
            for m in msgs:
                if len(out) < n:
                    out.append((tp.partition, m.offset, m.key.decode()))
    assert len(out) == n, f"got {len(out)} of {n} records in {timeout}s"
    return out


def next_offsets(records):
    nxt = {}
    for p, off, _ in records:
        nxt[p] = max(nxt.get(p, 0), off + 1)
    return nxt


def kp_consumer(broker, group, **kw):
    conf = dict(bootstrap_servers=broker.bootstrap, group_id=group, enable_auto_commit=False,
                auto_offset_reset="earliest", fetch_max_wait_ms=100, request_timeout_ms=20000,
                session_timeout_ms=10000, heartbeat_interval_ms=1000)
    conf.update(kw)
    return KafkaConsumer(**conf)


# ---------------------------------------------------------------------------------------------------------------


def test_kafka_python_commit_restart_resumes(gbroker):
    n, first = 900, 400
    topic = create_topic(gbroker.bootstrap, unique("g-kp"), partitions=3)
    group = unique("grp-kp")
    keys = produce_keys(gbroker, topic, 0, n, partitions=3)

    c1 = kp_consumer(gbroker, group, client_id="kp-resume-1")
    try:
        c1.subscribe([topic])
        r1 = kp_poll_exactly(c1, first, 30)
        commit = next_offsets(r1)
        c1.commit({KTP(topic, p): OffsetAndMetadata(o, "", -1) for p, o in commit.items()})
        for p, o in commit.items():
            assert c1.committed(KTP(topic, p)) == o
    finally:
        c1.close(autocommit=False)

    c2 = kp_consumer(gbroker, group, client_id="kp-resume-2")
    try:
        c2.subscribe([topic])
        r2 = kp_poll_exactly(c2, n - first, 30)
        c2.commit()
    finally:
        c2.close(autocommit=False)
    firsts = {}
    for p, off, _ in r2:
        firsts.setdefault(p, off)
    for p, off in firsts.items():
        assert off == commit.get(p, 0), f"partition {p}: resumed at {off}, committed {commit.get(p)}"
    k1, k2 = [k for *_, k in r1], [k for *_, k in r2]
    assert not set(k1) & set(k2), "committed records delivered again"
    assert sorted(k1 + k2) == sorted(keys), "gap or extra records across the restart"
    assert committed_offsets(gbroker, group, topic, range(3)) == {p: n // 3 for p in range(3)}


def test_describe_and_list_groups(gbroker):
    topic = create_topic(gbroker.bootstrap, unique("g-desc"), partitions=4)
    group = unique("grp-desc")
    workers = [Worker(gbroker, topic, group, f"desc-w{i}", client_id=f"desc-client-{i}") for i in range(2)]
    try:
        for w in workers:
            w.start()
        wait_assignments(workers, lambda a: all(x and len(x) == 2 for x in a)
                         and sorted(sum(a, [])) == [0, 1, 2, 3], 40, "two members with two partitions each")

        # confluent-kafka AdminClient
        def stable():
            d = describe_group(gbroker, group)
            return str(d.state).endswith("STABLE") and len(d.members) == 2 and all(
                len(ps) == 2 for ps in member_partitions(d, topic).values())
        wait_for(stable, 20, "describe_consumer_groups: Stable with two assigned members")
        d = describe_group(gbroker, group)
        assert d.group_id == group and not d.is_simple_consumer_group
        assert d.partition_assignor == "range", d.partition_assignor
        by_client = {m.client_id: m for m in d.members}
        assert sorted(by_client) == ["desc-client-0", "desc-client-1"]
        for i, w in enumerate(workers):
            m = by_client[f"desc-client-{i}"]
            assert "127.0.0.1" in m.host, m.host
            assert sorted(tp.partition for tp in m.assignment.topic_partitions) == w.assignment()
            assert {tp.topic for tp in m.assignment.topic_partitions} == {topic}
        assert len({m.member_id for m in d.members}) == 2

        # kafka-python KafkaAdminClient (DescribeGroups decoded into subscription and assignment)
        ka = KafkaAdminClient(bootstrap_servers=gbroker.bootstrap, request_timeout_ms=20000)
        try:
            kd = ka.describe_groups([group])[group]
            print("kafka-python describe_groups:", kd)
            assert kd["error"] is None
            assert kd["group_state"] == "Stable" and kd["protocol_type"] == "consumer" and kd["protocol_data"] == "range"
            kmembers = {m["client_id"]: m for m in kd["members"]}
            assert sorted(kmembers) == ["desc-client-0", "desc-client-1"]
            for i, w in enumerate(workers):
                m = kmembers[f"desc-client-{i}"]
                assert m["member_id"] == by_client[f"desc-client-{i}"].member_id
                assert "127.0.0.1" in m["client_host"]
                assert m["member_metadata"]["topics"] == [topic], m["member_metadata"]
                owned = [p for a in m["member_assignment"]["assigned_partitions"] if a["topic"] == topic
                         for p in a["partitions"]]
                assert sorted(owned) == w.assignment(), (m["member_assignment"], w.assignment())

            # ListGroups: kafka-python and confluent-kafka both list the group.
            kl = ka.list_groups()
            print("kafka-python list_groups:", [g for g in kl if g.get("group_id") == group])
            assert any(g["group_id"] == group and g.get("protocol_type") == "consumer" for g in kl), kl
        finally:
            ka.close()
        admin = admin_for(gbroker)  # keep a reference: a collected AdminClient fails its futures with _DESTROY
        res = admin.list_consumer_groups(request_timeout=OP_TIMEOUT).result(timeout=OP_TIMEOUT)
        listing = {g.group_id: g for g in res.valid}
        assert group in listing, (list(listing), res.errors)
        state = str(listing[group].state)
        print("confluent list_consumer_groups state:", state)
        # ListGroups v4+ carries the state, and the broker serves v4.
        assert state.endswith("STABLE"), state
        assert not listing[group].is_simple_consumer_group
    finally:
        for w in workers:
            w.stop()
            w.cleanup()


def test_aiokafka_roundrobin_group(gbroker):
    from aiokafka import AIOKafkaConsumer
    from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor

    topic = create_topic(gbroker.bootstrap, unique("g-aio"), partitions=4)
    group = unique("grp-aio")
    keys = set(produce_keys(gbroker, topic, 0, 2000, partitions=4))

    async def run():
        cs = [AIOKafkaConsumer(topic, bootstrap_servers=gbroker.bootstrap, group_id=group, client_id=f"aio-{i}",
                               enable_auto_commit=False, auto_offset_reset="earliest", fetch_max_wait_ms=100,
                               session_timeout_ms=10000, heartbeat_interval_ms=1000, request_timeout_ms=20000,
                               partition_assignment_strategy=(RoundRobinPartitionAssignor,)) for i in range(2)]
        for c in cs:
            await asyncio.wait_for(c.start(), 30)
        got = [[], []]
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60
            while loop.time() < deadline:
                for i, c in enumerate(cs):
                    batch = await asyncio.wait_for(c.getmany(timeout_ms=200), 30)
                    for tp, msgs in batch.items():
                        got[i] += [(tp.partition, m.offset, m.key.decode()) for m in msgs]
                    if batch:
                        await asyncio.wait_for(c.commit(), 30)
                owned = [sorted(tp.partition for tp in c.assignment()) for c in cs]
                if {k for g in got for *_, k in g} >= keys and all(len(o) == 2 for o in owned):
                    break
            owned = [sorted(tp.partition for tp in c.assignment()) for c in cs]
        finally:
            for c in cs:
                await asyncio.wait_for(c.stop(), 30)
        return got, owned

    got, owned = asyncio.run(asyncio.wait_for(run(), 100))
    print("aiokafka roundrobin assignment:", owned)
    assert sorted(owned[0] + owned[1]) == [0, 1, 2, 3] and len(owned[0]) == 2, owned
    seen = {k for g in got for *_, k in g}
    assert seen >= keys, f"{len(keys - seen)} records not consumed"
    assert committed_offsets(gbroker, group, topic, range(4)) == {p: 500 for p in range(4)}


# ---------------------------------------------------------------------------------------------------------------
# Error paths.


def _subscription(topic):
    return kr.i16(0) + kr.array([kr.string(topic)]) + kr.i32(-1)


def _assignment(topic, parts):
    return kr.i16(0) + kr.array([kr.string(topic) + kr.array([kr.i32(p) for p in parts])]) + kr.i32(-1)


def raw_join(conn, group, member_id, topic, timeout=20):
    """JoinGroup v4 (session 10 s, rebalance 10 s). Returns (error, generation, leader, member_id, members)."""
    body = (kr.string(group) + kr.i32(10000) + kr.i32(10000) + kr.string(member_id) + kr.string("consumer")
            + kr.array([kr.string("range") + kr.bytes_field(_subscription(topic))]))
    _, payload = conn.request(API_JOIN_GROUP, 4, body, timeout=timeout)
    r = kr.Reader(payload)
    r.i32()  # throttle
    err, gen, _proto, leader, mid = r.i16(), r.i32(), r.string(), r.string(), r.string()
    members = r.array(lambda r: (r.string(), r.bytes()))
    return err, gen, leader, mid, members


def raw_join_full(conn, group, topic):
    err, _, _, mid, _ = raw_join(conn, group, "", topic)
    assert err == MEMBER_ID_REQUIRED, f"first JoinGroup v4 with no member id: error {err}, expected 79"
    return raw_join(conn, group, mid, topic)


def raw_sync(conn, group, gen, member_id, assignments):
    body = (kr.string(group) + kr.i32(gen) + kr.string(member_id)
            + kr.array([kr.string(m) + kr.bytes_field(a) for m, a in assignments]))
    _, payload = conn.request(API_SYNC_GROUP, 2, body, timeout=20)
    r = kr.Reader(payload)
    r.i32()
    return r.i16(), r.bytes()


def raw_heartbeat(conn, group, gen, member_id):
    _, payload = conn.request(API_HEARTBEAT, 1, kr.string(group) + kr.i32(gen) + kr.string(member_id), timeout=20)
    r = kr.Reader(payload)
    r.i32()
    return r.i16()


def raw_commit(conn, group, gen, member_id, topic, partition, offset):
    """OffsetCommit v2; returns the partition's error code."""
    body = (kr.string(group) + kr.i32(gen) + kr.string(member_id) + kr.i64(-1)
            + kr.array([kr.string(topic) + kr.array([kr.i32(partition) + kr.i64(offset) + kr.string("")])]))
    _, payload = conn.request(API_OFFSET_COMMIT, 2, body, timeout=20)
    r = kr.Reader(payload)
    [(_, [(_, err)])] = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i16()))))
    return err


def raw_offset_fetch(conn, group, topic, partitions):
    """OffsetFetch v1: {partition: (offset, metadata, error)}."""
    body = kr.string(group) + kr.array([kr.string(topic) + kr.array([kr.i32(p) for p in partitions])])
    _, payload = conn.request(API_OFFSET_FETCH, 1, body, timeout=20)
    r = kr.Reader(payload)
    topics = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i64(), r.string(), r.i16()))))
    return {p: (o, md, e) for _, ps in topics for p, o, md, e in ps}


def test_stale_generation_commit_rejected_raw(gbroker):
    """Member A at generation g1; B joins, both move to g2; A's commit with g1 gets ILLEGAL_GENERATION (22)."""
    topic = create_topic(gbroker.bootstrap, unique("g-stale"), partitions=2)
    group = unique("grp-stale")
    with kr.Conn.to(gbroker.bootstrap, timeout=20) as a, kr.Conn.to(gbroker.bootstrap, timeout=20) as b:
        err, g1, leader, ma, members = raw_join_full(a, group, topic)
        assert err == 0 and leader == ma and [m for m, _ in members] == [ma], (err, leader, ma, members)
        assert raw_sync(a, group, g1, ma, [(ma, _assignment(topic, [0, 1]))]) == (0, _assignment(topic, [0, 1]))
        assert raw_commit(a, group, g1, ma, topic, 0, 5) == 0

        err, _, _, mb, _ = raw_join(b, group, "", topic)
        assert err == MEMBER_ID_REQUIRED
        b_result = []
        th = threading.Thread(target=lambda: b_result.append(raw_join(b, group, mb, topic)), daemon=True)
        th.start()
        wait_for(lambda: raw_heartbeat(a, group, g1, ma) == REBALANCE_IN_PROGRESS, 10,
                 "heartbeat of the old member answered REBALANCE_IN_PROGRESS")
        err, g2, leader2, _, members2 = raw_join(a, group, ma, topic)
        th.join(20)
        assert err == 0 and g2 > g1 and b_result and b_result[0][0] == 0 and b_result[0][1] == g2, (err, g1, g2, b_result)
        assert sorted(m for m, _ in members2) == sorted([ma, mb]) and leader2 == ma
        sync_b = []
        th = threading.Thread(target=lambda: sync_b.append(raw_sync(b, group, g2, mb, [])), daemon=True)
        th.start()
        assert raw_sync(a, group, g2, ma, [(ma, _assignment(topic, [0])), (mb, _assignment(topic, [1]))])[0] == 0
        th.join(20)
        assert sync_b == [(0, _assignment(topic, [1]))], sync_b

        assert raw_commit(a, group, g1, ma, topic, 0, 7) == ILLEGAL_GENERATION
        assert raw_commit(a, group, g2, "no-such-member", topic, 0, 7) == UNKNOWN_MEMBER_ID
        assert raw_commit(a, group, g2, ma, topic, 0, 9) == 0
        assert raw_offset_fetch(a, group, topic, [0])[0][0] == 9


def test_stale_generation_commit_surfaced_by_kafka_python(gbroker):
    """kafka-python raises CommitFailedError when the broker answers ILLEGAL_GENERATION. The consumer's generation
    is made stale by hand (the race in which it happens naturally cannot be staged reliably from outside)."""
    from kafka.coordinator.base import Generation
    from kafka.errors import CommitFailedError
    topic = create_topic(gbroker.bootstrap, unique("g-kpstale"), partitions=1)
    group = unique("grp-kpstale")
    produce_keys(gbroker, topic, 0, 10, partitions=1)
    c = kp_consumer(gbroker, group)
    try:
        c.subscribe([topic])
        kp_poll_exactly(c, 5, 30)
        c.commit({KTP(topic, 0): OffsetAndMetadata(5, "", -1)})
        coord = c._coordinator
        gen = coord._generation
        coord._generation = Generation(gen.generation_id - 1, gen.member_id, gen.protocol)
        with pytest.raises(CommitFailedError) as ei:
            c.commit({KTP(topic, 0): OffsetAndMetadata(8, "", -1)})
        print("kafka-python surfaced:", ei.value)
        assert "IllegalGeneration" in repr(ei.value) or "ILLEGAL_GENERATION" in str(ei.value).upper(), ei.value
    finally:
        c.close(autocommit=False)
    assert committed_offsets(gbroker, group, topic, [0]) == {0: 5}


def test_simple_commit_to_live_group_rejected(gbroker):
    """An assign()-mode consumer commits with generation -1 and no member id: fine for an empty group, refused
    (UNKNOWN_MEMBER_ID, as Kafka does) while the group has members; librdkafka reports it."""
    topic = create_topic(gbroker.bootstrap, unique("g-simple"), partitions=2)
    group = unique("grp-simple")
    produce_keys(gbroker, topic, 0, 20, partitions=2)
    simple = Consumer({"bootstrap.servers": gbroker.bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        simple.commit(offsets=[TopicPartition(topic, 0, 3)], asynchronous=False)  # empty group: accepted
        assert committed_offsets(gbroker, group, topic, [0]) == {0: 3}
        w = Worker(gbroker, topic, group, "simple-live").start()
        try:
            wait_assignments([w], lambda a: a[0] == [0, 1], 30, "the live member owns both partitions")
            with pytest.raises(KafkaException) as ei:
                simple.commit(offsets=[TopicPartition(topic, 0, 4)], asynchronous=False)
            print("librdkafka surfaced:", ei.value.args[0])
            assert ei.value.args[0].code() in (KafkaError.UNKNOWN_MEMBER_ID, KafkaError.ILLEGAL_GENERATION), ei.value
        finally:
            w.stop()
            w.cleanup()
    finally:
        simple.close()


def test_delete_group_non_empty_then_empty(gbroker):
    topic = create_topic(gbroker.bootstrap, unique("g-del"), partitions=2)
    group = unique("grp-del")
    produce_keys(gbroker, topic, 0, 50, partitions=2)
    admin = admin_for(gbroker)
    w = Worker(gbroker, topic, group, "del-w", commit_every=10).start()
    try:
        wait_assignments([w], lambda a: a[0] == [0, 1], 30, "member owns both partitions")
        wait_for(lambda: len(w.records()) == 50 and w.events("commit_ok"), 20, "records consumed and committed")
        with pytest.raises(KafkaException) as ei:
            admin.delete_consumer_groups([group], request_timeout=OP_TIMEOUT)[group].result(timeout=OP_TIMEOUT)
        err = ei.value.args[0]
        print("DeleteGroups on a live group:", err)
        assert err.code() == KafkaError.NON_EMPTY_GROUP, err
        # kafka-python reports the same per-group error
        ka = KafkaAdminClient(bootstrap_servers=gbroker.bootstrap, request_timeout_ms=20000)
        try:
            res = ka.delete_groups([group])
            print("kafka-python delete_groups on a live group:", res)
            assert "NonEmptyGroup" in repr(res) or "NON_EMPTY_GROUP" in repr(res).upper(), res
        finally:
            ka.close()
    finally:
        w.stop()
        w.cleanup()
    assert committed_offsets(gbroker, group, topic, [0, 1]) == {0: 25, 1: 25}

    def deleted():
        admin.delete_consumer_groups([group], request_timeout=OP_TIMEOUT)[group].result(timeout=OP_TIMEOUT)
        return True
    wait_for(deleted, 20, "DeleteGroups succeeding once the group is empty")
    # The group and its offsets are gone.
    assert committed_offsets(gbroker, group, topic, [0, 1]) == {0: OFFSET_INVALID, 1: OFFSET_INVALID}
    res = admin.list_consumer_groups(request_timeout=OP_TIMEOUT).result(timeout=OP_TIMEOUT)
    assert group not in {g.group_id for g in res.valid}


def test_offset_fetch_uncommitted_partition(gbroker):
    topic = create_topic(gbroker.bootstrap, unique("g-nocommit"), partitions=3)
    group = unique("grp-nocommit")
    c = Consumer({"bootstrap.servers": gbroker.bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        c.commit(offsets=[TopicPartition(topic, 1, 42)], asynchronous=False)
        got = c.committed([TopicPartition(topic, p) for p in range(3)], timeout=OP_TIMEOUT)
        assert [tp.offset for tp in got] == [OFFSET_INVALID, 42, OFFSET_INVALID], got
    finally:
        c.close()
    assert committed_offsets(gbroker, group, topic, range(3)) == {0: OFFSET_INVALID, 1: 42, 2: OFFSET_INVALID}
    assert OFFSET_INVALID == -1001
    with kr.Conn.to(gbroker.bootstrap) as conn:
        got = raw_offset_fetch(conn, group, topic, [0, 1, 2])
        assert got == {0: (-1, "", 0), 1: (42, "", 0), 2: (-1, "", 0)}, got
        # A group that never existed: every partition -1, no error.
        got = raw_offset_fetch(conn, unique("grp-never"), topic, [0])
        assert got == {0: (-1, "", 0)}, got
    ka = KafkaAdminClient(bootstrap_servers=gbroker.bootstrap, request_timeout_ms=20000)
    try:
        print("kafka-python list_group_offsets:", ka.list_group_offsets([group]) if hasattr(ka, "list_group_offsets")
              else None)
    except Exception as e:  # noqa: BLE001 - informational only
        print("kafka-python list_group_offsets failed:", e)
    finally:
        ka.close()
