"""Leader epochs as clients see them (KIP-320), at the byte level: Metadata v7+ gives the leader's
epoch (the partition's Raft term), every stored batch carries the epoch it was written in,
OffsetForLeaderEpoch says where an epoch ended, and Fetch, ListOffsets and OffsetForLeaderEpoch
fence a client whose current epoch is stale (FENCED_LEADER_EPOCH) or from the future
(UNKNOWN_LEADER_EPOCH). Also Metadata v8's authorized operations and v10+'s topic ids."""

import uuid

import kafka_raw as kr
from conftest import create_topic

FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID, INVALID_REQUEST = 74, 75, 3, 100, 42
NOT_REQUESTED = -2147483648


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def produce(c, topic, values):
    batch = kr.encode_batch([(None, v.encode()) for v in values])
    assert c.produce_one(topic, 0, batch)["error"] == 0


def test_metadata_epoch_is_the_epoch_batches_carry(broker):
    topic = create_topic(broker.bootstrap, unique("epochs"))
    with kr.Conn.to(broker.bootstrap) as c:
        produce(c, topic, ["a", "b"])
        topics, cluster_ops = c.metadata_v8([topic])
        [p] = topics[topic]["partitions"]
        assert p["error"] == 0 and p["leader"] == 0 and p["offline"] == []
        assert p["leader_epoch"] >= 1, p
        assert topics[topic]["topic_ops"] == NOT_REQUESTED and cluster_ops == NOT_REQUESTED
        batches = [b for b in c.fetch(topic, 0, 0, max_wait_ms=0)["batches"] if not b["attributes"] & 0x20]
        assert batches and all(b["partition_leader_epoch"] == p["leader_epoch"] for b in batches)


def test_metadata_v8_authorized_operations_without_an_authorizer_allow_everything(broker):
    topic = create_topic(broker.bootstrap, unique("ops"))
    with kr.Conn.to(broker.bootstrap) as c:
        topics, cluster_ops = c.metadata_v8([topic], include_topic_ops=True, include_cluster_ops=True)
    # Bits by ACL operation number: read 3, write 4, create 5, delete 6, alter 7, describe 8,
    # describe configs 10, alter configs 11; the cluster's: create, alter, describe, cluster action 9,
    # the configs pair, idempotent write 12.
    assert topics[topic]["topic_ops"] == sum(1 << n for n in (3, 4, 5, 6, 7, 8, 10, 11))
    assert cluster_ops == sum(1 << n for n in (5, 7, 8, 9, 10, 11, 12))


def test_metadata_v12_finds_topics_by_id(broker):
    topic = create_topic(broker.bootstrap, unique("by-id"), partitions=2)
    with kr.Conn.to(broker.bootstrap) as c:
        [by_name] = c.metadata_v12([(bytes(16), topic)])
        assert by_name["error"] == 0 and by_name["topic_id"] != bytes(16) and len(by_name["partitions"]) == 2
        ghost = uuid.uuid4().bytes
        found, missing = c.metadata_v12([(by_name["topic_id"], None), (ghost, None)])
        assert (found["error"], found["name"], found["topic_id"]) == (0, topic, by_name["topic_id"])
        assert [p["leader_epoch"] for p in found["partitions"]] == [p["leader_epoch"] for p in by_name["partitions"]]
        assert (missing["error"], missing["name"], missing["topic_id"]) == (UNKNOWN_TOPIC_ID, None, ghost)
        # Before v12 a topic must be named: an id alone is an invalid request.
        [old] = c.metadata_v12([(by_name["topic_id"], None)], version=11)
        assert (old["error"], old["name"]) == (INVALID_REQUEST, "")


def test_offset_for_leader_epoch_and_the_current_epoch_checks(broker):
    topic = create_topic(broker.bootstrap, unique("ofle"))
    with kr.Conn.to(broker.bootstrap) as c:
        produce(c, topic, ["a", "b", "c"])
        epoch = c.metadata_v8([topic])[0][topic]["partitions"][0]["leader_epoch"]
        end = c.list_offsets(topic, 0, -1)["offset"]
        assert end >= 3
        assert c.offset_for_leader_epoch(topic, epoch, epoch) == dict(error=0, partition=0, leader_epoch=epoch, end_offset=end)
        assert c.offset_for_leader_epoch(topic, epoch + 1) == dict(error=0, partition=0, leader_epoch=-1, end_offset=-1)
        assert c.offset_for_leader_epoch(topic, epoch, epoch - 1)["error"] == FENCED_LEADER_EPOCH
        assert c.offset_for_leader_epoch(topic, epoch, epoch + 1)["error"] == UNKNOWN_LEADER_EPOCH
        assert c.offset_for_leader_epoch(unique("ghost"), 0)["error"] == UNKNOWN_TOPIC_OR_PARTITION

        ok = c.fetch_v11(topic, 0, epoch)
        assert ok["error"] == 0 and [r["value"] for b in ok["batches"] for r in b["records"] or []][:3] == [b"a", b"b", b"c"]
        assert c.fetch_v11(topic, 0, epoch - 1)["error"] == FENCED_LEADER_EPOCH
        assert c.fetch_v11(topic, 0, epoch + 5)["error"] == UNKNOWN_LEADER_EPOCH
        assert c.fetch_v11(topic, 0, -1)["error"] == 0

        latest = c.list_offsets_v4(topic, -1, epoch)
        assert (latest["error"], latest["offset"], latest["leader_epoch"]) == (0, end, epoch)
        earliest = c.list_offsets_v4(topic, -2, -1)
        assert (earliest["error"], earliest["offset"]) == (0, 0) and earliest["leader_epoch"] >= 1
        assert c.list_offsets_v4(topic, -1, epoch - 1)["error"] == FENCED_LEADER_EPOCH


def test_epochs_survive_a_restart_and_old_epochs_end_where_new_ones_start(fresh_broker):
    topic = create_topic(fresh_broker.bootstrap, unique("restart"))
    with kr.Conn.to(fresh_broker.bootstrap) as c:
        produce(c, topic, ["a", "b"])
        before = c.metadata_v8([topic])[0][topic]["partitions"][0]["leader_epoch"]
        end_before = c.list_offsets(topic, 0, -1)["offset"]
    fresh_broker.restart()
    with kr.Conn.to(fresh_broker.bootstrap) as c:
        produce(c, topic, ["c"])
        after = c.metadata_v8([topic])[0][topic]["partitions"][0]["leader_epoch"]
        assert after > before, "a restarted single node elects itself in a new term"
        # The old epoch ends where the new one's first batch (the new leader's no-op) starts.
        old = c.offset_for_leader_epoch(topic, before, after)
        assert (old["error"], old["leader_epoch"], old["end_offset"]) == (0, before, end_before)
        end_after = c.list_offsets(topic, 0, -1)["offset"]
        assert c.offset_for_leader_epoch(topic, after, after)["end_offset"] == end_after
        assert c.fetch_v11(topic, 0, before)["error"] == FENCED_LEADER_EPOCH
