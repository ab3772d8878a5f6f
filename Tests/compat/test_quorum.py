"""The controller quorum's Kafka APIs (KIP-853) at the byte level, on a cluster of one:
DescribeQuorum names this node as leader and only voter; AddRaftVoter and RemoveRaftVoter answer
each mistake with its own Kafka error code and a message, and change nothing. (Growing a real
cluster with them is tools/faults/test_grow.py.)"""

import time

import kafka_raw as kr

DESCRIBE_QUORUM, ADD_RAFT_VOTER, REMOVE_RAFT_VOTER = 55, 80, 81
NONE, UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT, INVALID_REQUEST = 0, 3, 7, 42
INCONSISTENT_CLUSTER_ID, DUPLICATE_VOTER, VOTER_NOT_FOUND = 104, 126, 127
NO_UUID = b"\x00" * 16


def describe(conn, topics=(("__cluster_metadata", (0,)),), version=1):
    body = kr.compact_array_of([kr.compact_string(name) + kr.compact_array_of([kr.i32(p) + b"\x00" for p in parts]) + b"\x00"
                                for name, parts in topics]) + b"\x00"
    _, payload = conn.request(DESCRIBE_QUORUM, version, body, flexible=True)
    r = kr.Reader(payload)
    r.tagged_fields()
    error = r.i16()

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

    topics = dict(r.compact_array(topic))
    r.tagged_fields()
    r.expect_end()
    return error, topics


def change(conn, api, voter, cluster_id=None, timeout_ms=30000):
    body = kr.compact_string(cluster_id)
    if api == ADD_RAFT_VOTER:
        body += kr.i32(timeout_ms)
    body += kr.i32(voter) + NO_UUID
    if api == ADD_RAFT_VOTER:
        body += kr.compact_array_of([kr.compact_string("CONTROLLER") + kr.compact_string("127.0.0.1") + kr.i16(9093) + b"\x00"])
    body += b"\x00"
    _, payload = conn.request(api, 0, body, flexible=True, timeout=timeout_ms / 1000 + 15)
    r = kr.Reader(payload)
    r.tagged_fields()
    r.i32()  # throttle
    error, message = r.i16(), r.compact_string()
    r.tagged_fields()
    r.expect_end()
    return error, message


def test_describe_quorum_names_the_node_as_leader_and_only_voter(broker):
    with kr.Conn.to(broker.bootstrap) as c:
        error, topics = describe(c)
        assert error == NONE
        [quorum] = topics["__cluster_metadata"]
        assert quorum["error"] == NONE and quorum["leader"] >= 0 and quorum["epoch"] >= 1, quorum
        assert [v["id"] for v in quorum["voters"]] == [quorum["leader"]] and quorum["observers"] == [], quorum
        assert quorum["voters"][0]["log_end"] >= quorum["high_watermark"] > 0, quorum
        assert quorum["voters"][0]["last_fetch"] > 0, quorum
        # Version 0 has no timestamps; any other topic or partition is unknown.
        error, topics = describe(c, topics=(("__cluster_metadata", (0, 1)), ("orders", (0,))), version=0)
        assert error == NONE
        assert [p["error"] for p in topics["__cluster_metadata"]] == [NONE, UNKNOWN_TOPIC_OR_PARTITION]
        assert [p["error"] for p in topics["orders"]] == [UNKNOWN_TOPIC_OR_PARTITION]


def test_voter_changes_refuse_each_mistake_with_its_code(broker):
    with kr.Conn.to(broker.bootstrap) as c:
        _, topics = describe(c)
        me = topics["__cluster_metadata"][0]["leader"]
        assert change(c, ADD_RAFT_VOTER, me)[0] == DUPLICATE_VOTER
        error, message = change(c, REMOVE_RAFT_VOTER, me)
        assert error == INVALID_REQUEST and "only voter" in message, message
        error, message = change(c, REMOVE_RAFT_VOTER, me + 7)
        assert error == VOTER_NOT_FOUND and f"node {me + 7} is not a voter" in message, message
        assert change(c, ADD_RAFT_VOTER, -1)[0] == INVALID_REQUEST
        error, message = change(c, ADD_RAFT_VOTER, me + 7, cluster_id="another-cluster")
        assert error == INCONSISTENT_CLUSTER_ID and "another-cluster" in message, message
        # A node that does not follow the quorum's log cannot catch up: the wait ends at the
        # request's timeout (at least 1 s), saying why.
        started = time.monotonic()
        error, message = change(c, ADD_RAFT_VOTER, me + 7, timeout_ms=1000)
        assert error == REQUEST_TIMED_OUT and "does not follow the controller log" in message, message
        assert 0.9 <= time.monotonic() - started < 10
        # Nothing changed.
        [quorum] = describe(c)[1]["__cluster_metadata"]
        assert [v["id"] for v in quorum["voters"]] == [me] and quorum["observers"] == []
