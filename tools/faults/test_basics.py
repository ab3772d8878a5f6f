"""The cluster's contract without faults first, so a fault test's failure is not the first sign
that something basic is missing: Metadata from every node, routing errors, majority acks."""

import time

import kafka_raw as raw
from cluster import NONE, NOT_ENOUGH_REPLICAS, NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, TOPIC_ALREADY_EXISTS, wait_until


def test_metadata_from_every_node_and_routing_errors(make_cluster, topic):
    c = make_cluster()
    c.create_topic(topic, partitions=3)
    ids = sorted(n.id for n in c.nodes)
    # A node learns a new partition's leader a moment after the leader itself: wait (bounded)
    # until every node names a leader for every partition, then check what each one says.
    def every_node_names_leaders():
        views = {n.id: c.metadata([topic], via=[n])[1] for n in c.nodes}
        return all(p["leader"] >= 0 for md in views.values() for p in md["topics"][topic]["partitions"]) and views
    try:
        views = wait_until(every_node_names_leaders, 10, f"every node to name a leader for each partition of {topic}")
    except AssertionError:
        views = {n.id: c.metadata([topic], via=[n])[1] for n in c.nodes}
    controllers = set()
    for n in c.nodes:
        md = views[n.id]
        assert sorted(b["node_id"] for b in md["brokers"]) == ids, f"Metadata from {n}: brokers {md['brokers']}"
        assert {(b["host"], b["port"]) for b in md["brokers"]} == {(x.host, x.client_port) for x in c.nodes}, \
            f"Metadata from {n}: advertised addresses {md['brokers']}"
        controllers.add(md["controller"])
        parts = md["topics"][topic]["partitions"]
        assert sorted(p["partition"] for p in parts) == [0, 1, 2]
        for p in parts:
            assert sorted(p["replicas"]) == ids, f"Metadata from {n}: {topic}-{p['partition']} replicas {p['replicas']}"
            assert p["leader"] in p["replicas"] and sorted(p["isr"]) == ids, f"Metadata from {n}: {p}"
    assert len(controllers) == 1 and controllers <= set(ids), f"controller ids seen: {controllers}"

    # Produce to a follower: NOT_LEADER_OR_FOLLOWER; to the leader: stored.
    leader = c.wait_leader(topic, 0)
    follower = next(n for n in c.nodes if n.id != leader.id)
    with follower.conn() as conn:
        r = conn.produce_one(topic, 0, raw.encode_batch([(b"k", b"to a follower")]), acks=-1)
    assert r["error"] == NOT_LEADER_OR_FOLLOWER, f"produce to follower {follower}: {r}"
    with leader.conn() as conn:
        r = conn.produce_one(topic, 0, raw.encode_batch([(b"k", b"to the leader")]), acks=-1)
    assert r["error"] == NONE, f"produce to leader {leader}: {r}"
    assert [v for _, _, v in c.read_partition(topic, 0)["records"]] == [b"to the leader"]

    # CreateTopics through a node that is not the controller: forwarded, created; a second one
    # through the controller finds it there.
    controller = c.node(controllers.pop())
    other = next(n for n in c.nodes if n.id != controller.id)
    assert c.create_topic_raw(other, topic + "-x") == NONE
    assert c.create_topic_raw(controller, topic + "-x") == TOPIC_ALREADY_EXISTS
    c.wait_isr(topic + "-x", 0)


def test_acks_all_needs_a_majority(make_cluster, topic):
    c = make_cluster()
    c.create_topic(topic, partitions=1)
    leader = c.wait_leader(topic, 0)
    followers = [n for n in c.nodes if n.id != leader.id]

    # One follower down: a majority is left, acks=all still succeeds.
    followers[0].kill9()
    with leader.conn() as conn:
        r = conn.produce_one(topic, 0, raw.encode_batch([(b"k", b"two of three")]), acks=-1, timeout_ms=5000, timeout=15)
    assert r["error"] == NONE, f"acks=all with 2 of 3 up: {r}"
    hw = c.read_partition(topic, 0, via=leader)["high_watermark"]

    # Both followers down: the leader alone must not acknowledge, and the high watermark stays.
    followers[1].kill9()
    answers = []
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            with leader.conn() as conn:
                answers.append(conn.produce_one(topic, 0, raw.encode_batch([(b"k", b"one of three")]), acks=-1,
                                                timeout_ms=1000, timeout=10)["error"])
        except (OSError, raw.ConnectionClosed) as e:
            answers.append(repr(e))
    assert NONE not in answers, f"a lone leader acknowledged acks=all: answers {answers}"
    # The lone node may have stepped down (CheckQuorum): then it reports no HW, which is fine too.
    try:
        with leader.conn() as conn:
            r = conn.fetch(topic, 0, 0, max_wait_ms=0)
        assert r["error"] != NONE or r["high_watermark"] == hw, f"HW moved without a majority: {hw} -> {r['high_watermark']}"
    except (OSError, raw.ConnectionClosed):
        pass

    for f in followers:
        f.start()
    for f in followers:
        c.wait_caught_up(topic, 0, f, timeout=30)
    values = [v for _, _, v in c.read_partition(topic, 0)["records"]]
    assert values[0] == b"two of three", values


def test_isr_follows_a_dead_and_a_returning_follower(make_cluster, topic):
    """Metadata's ISR is what operators and tools read for under-replication: a follower that is
    down must leave it (within the broker session timeout and then some), and come back once it
    has caught up."""
    c = make_cluster()
    c.create_topic(topic, partitions=1)
    leader = c.wait_leader(topic, 0)
    follower = next(n for n in c.nodes if n.id != leader.id)
    follower.kill9()
    shrunk = lambda: follower.id not in c.partition(topic, 0, via=[leader])["isr"]  # noqa: E731
    wait_until(shrunk, 10, f"the ISR of {topic}-0 (Metadata from leader {leader}) to drop dead follower {follower}")
    follower.start()
    c.wait_caught_up(topic, 0, follower)
    wait_until(lambda: not shrunk(), 15, f"follower {follower} back in the ISR of {topic}-0 after catching up")


def test_sigterm_answers_every_produce_waiting_for_a_majority(make_cluster, topic):
    """A leader stopped (SIGTERM) while acks=all produces wait for followers that cannot answer
    (paused) answers each of them with an error the client retries elsewhere before it closes the
    connection: none is left to a bare disconnect, none is acknowledged."""
    c = make_cluster()
    c.create_topic(topic, partitions=1)
    c.wait_isr(topic, 0, size=3)
    leader = c.wait_leader(topic, 0)
    followers = [n for n in c.nodes if n.id != leader.id]
    conn = leader.conn(timeout=30)
    try:
        for f in followers:
            f.pause()
        body = (raw.string(None) + raw.i16(-1) + raw.i32(30000)
                + raw.array([raw.string(topic) + raw.array([raw.i32(0) + raw.bytes_field(raw.encode_batch([(None, b"in flight")]))])]))
        sent = [conn.request(raw.API_PRODUCE, 3, body, expect_response=False)[0] for _ in range(5)]
        time.sleep(0.2)
        assert leader.stop(timeout=20) == 0
        answers = []
        for cid in sent:
            frame = conn.recv_frame(5)
            assert struct_cid(frame) == cid
            [(_, [p])] = raw.parse_produce(frame[4:])["topics"]
            answers.append(p["error"])
    finally:
        conn.close()
        for f in followers:
            f.resume()
    assert NONE not in answers and all(a in (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT) for a in answers), answers


def struct_cid(frame):
    return int.from_bytes(frame[:4], "big", signed=True)
