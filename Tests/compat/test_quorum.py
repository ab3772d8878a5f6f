"""The controller quorum's Kafka APIs (KIP-853) at the byte level, on a cluster of one:
DescribeQuorum names this node as leader and only voter; AddRaftVoter and RemoveRaftVoter answer
each mistake with its own Kafka error code and a message, and change nothing. (Growing a real
cluster with them is tools/faults/test_grow.py.)"""

import time

import kafka_raw as kr
from kafka_raw import API_ADD_RAFT_VOTER as ADD, API_REMOVE_RAFT_VOTER as REMOVE

NONE, UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT, INVALID_REQUEST = 0, 3, 7, 42
INCONSISTENT_CLUSTER_ID, DUPLICATE_VOTER, VOTER_NOT_FOUND = 104, 126, 127


def test_describe_quorum_names_the_node_as_leader_and_only_voter(broker):
    with kr.Conn.to(broker.bootstrap) as c:
        error, topics = c.describe_quorum()
        assert error == NONE
        [quorum] = topics["__cluster_metadata"]
        assert quorum["error"] == NONE and quorum["leader"] >= 0 and quorum["epoch"] >= 1, quorum
        assert [v["id"] for v in quorum["voters"]] == [quorum["leader"]] and quorum["observers"] == [], quorum
        assert quorum["voters"][0]["log_end"] >= quorum["high_watermark"] > 0, quorum
        assert quorum["voters"][0]["last_fetch"] > 0, quorum
        # Version 0 has no timestamps; any other topic or partition is unknown.
        error, topics = c.describe_quorum(topics=(("__cluster_metadata", (0, 1)), ("orders", (0,))), version=0)
        assert error == NONE
        assert [p["error"] for p in topics["__cluster_metadata"]] == [NONE, UNKNOWN_TOPIC_OR_PARTITION]
        assert [p["error"] for p in topics["orders"]] == [UNKNOWN_TOPIC_OR_PARTITION]
        # Asking about one partition many times over buys no answer many times the request's size.
        error, topics = c.describe_quorum(topics=(("__cluster_metadata", (0,) * 17),))
        assert error == INVALID_REQUEST and topics == {}
        assert c.describe_quorum()[0] == NONE


def test_voter_changes_refuse_each_mistake_with_its_code(broker):
    with kr.Conn.to(broker.bootstrap) as c:
        me = c.describe_quorum()[1]["__cluster_metadata"][0]["leader"]
        assert c.voter_change(ADD, me)[0] == DUPLICATE_VOTER
        error, message = c.voter_change(REMOVE, me)
        assert error == INVALID_REQUEST and "only voter" in message, message
        error, message = c.voter_change(REMOVE, me + 7)
        assert error == VOTER_NOT_FOUND and f"node {me + 7} is not a voter" in message, message
        assert c.voter_change(ADD, -1)[0] == INVALID_REQUEST
        error, message = c.voter_change(ADD, me + 7, cluster_id="another-cluster")
        assert error == INCONSISTENT_CLUSTER_ID and "another-cluster" in message, message
        # A node that does not follow the quorum's log cannot catch up: the wait ends at the
        # request's timeout (at least 1 s), saying why.
        started = time.monotonic()
        error, message = c.voter_change(ADD, me + 7, timeout_ms=1000)
        assert error == REQUEST_TIMED_OUT and "does not follow the controller log" in message, message
        assert 0.9 <= time.monotonic() - started < 10
        # Nothing changed.
        [quorum] = c.describe_quorum()[1]["__cluster_metadata"]
        assert [v["id"] for v in quorum["voters"]] == [me] and quorum["observers"] == []
