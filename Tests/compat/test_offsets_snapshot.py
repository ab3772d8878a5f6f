"""The __consumer_offsets log does not grow forever: each partition's log is cut, in whole closed
segments, behind a snapshot of the offsets it carries, and the committed offsets are read back exactly,
before and after a restart (which replays only the log after the snapshot's position). Its partition
count cannot change under the groups hashed onto it."""

import os
import sqlite3
import time

import pytest
from confluent_kafka import ConsumerGroupTopicPartitions, KafkaError, KafkaException, TopicPartition
from confluent_kafka.admin import NewPartitions

from groups_support import admin_for, committed_offsets, create_topic, unique

GROUPS = 20
COMMITS = 400


def segment_bases(directory):
    return sorted(int(name[:-4]) for name in os.listdir(directory) if name.endswith(".log"))


def commit_offsets(admin, group, topic, offset):
    request = [ConsumerGroupTopicPartitions(group, [TopicPartition(topic, 0, offset)])]
    result = admin.alter_consumer_group_offsets(request, request_timeout=10)[group].result(timeout=15)
    assert all(tp.error is None for tp in result.topic_partitions), result.topic_partitions


def cut_offsets_log(broker_factory):
    """A broker whose one offsets partition rolls a segment every 1 KiB and is checked for a cut
    every 200 ms, after COMMITS commits round robin over GROUPS groups:
    (broker, topic, admin, groups, {group: last offset}, offsets partition directory)."""
    b = broker_factory(**{"offsets.topic.num.partitions": "1", "offsets.topic.segment.bytes": "1024",
                          "log.retention.check.interval.ms": "200"})
    topic = create_topic(b.bootstrap, unique("snap"), partitions=1)
    admin = admin_for(b)
    groups = [unique("g") for _ in range(GROUPS)]
    expected = {}
    for i in range(COMMITS):
        group = groups[i % GROUPS]
        commit_offsets(admin, group, topic, i)
        expected[group] = i
    return b, topic, admin, groups, expected, os.path.join(b.data_dir, "__consumer_offsets-0")


def test_offsets_log_is_cut_behind_a_snapshot_and_offsets_survive_it(broker_factory):
    b, topic, admin, groups, expected, directory = cut_offsets_log(broker_factory)
    snapshot = os.path.join(directory, "snapshot-data")
    # Once the commits stop, the next checks cut every closed segment: what is left is the
    # active one (and one closed since the last check, at most).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (os.path.exists(snapshot) and len(segment_bases(directory)) <= 2):
        time.sleep(0.1)
    bases = segment_bases(directory)
    assert os.path.exists(snapshot) and bases[0] > 0 and len(bases) <= 2, f"segments {bases}, snapshot kept: {os.path.exists(snapshot)}"

    def check(when):
        for group in groups:
            assert committed_offsets(b, group, topic, [0], admin=admin) == {0: expected[group]}, f"{group} {when}"

    check("after the cut")
    b.restart()
    admin = admin_for(b)
    check("after a restart")
    # Commits go on over the cut log, and a later cut keeps them too.
    for i in range(COMMITS, COMMITS + 100):
        group = groups[i % GROUPS]
        commit_offsets(admin, group, topic, i)
        expected[group] = i
    check("after more commits")


def test_a_restore_cut_short_is_done_again_from_the_kept_snapshot_at_open(broker_factory):
    """A restore of a snapshot first removes the partition's applied index, then rewrites its
    groups in several transactions: one cut short (a crash, a stop) leaves groups deleted and no
    applied index. That state is made here by hand in the stopped broker's SQLite, every group
    deleted: those whose last commit lies below the log start come back only from the kept
    snapshot, which the replica restores before it opens; the rest from the log after it."""
    b, topic, admin, groups, expected, directory = cut_offsets_log(broker_factory)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (os.path.exists(os.path.join(directory, "snapshot-data")) and len(segment_bases(directory)) <= 2):
        time.sleep(0.1)
    start = segment_bases(directory)[0]
    assert len(segment_bases(directory)) <= 2 and start > 0, f"the offsets log was not cut: {segment_bases(directory)}"
    b.stop()
    db = sqlite3.connect(os.path.join(b.data_dir, "sluice-meta.db"))
    with db:
        assert db.execute("DELETE FROM offsets_applied WHERE partition = '__consumer_offsets-0'").rowcount == 1
        assert db.execute("DELETE FROM group_offsets WHERE topic = ?", (topic,)).rowcount == GROUPS
    db.close()
    b.start()
    assert "restoring its kept snapshot before it opens" in b.tail(400), b.tail(20)
    admin = admin_for(b)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "restored its kept snapshot" not in b.tail(400):
        time.sleep(0.1)
    assert "restored its kept snapshot" in b.tail(400), b.tail(20)
    for group in groups:
        assert committed_offsets(b, group, topic, [0], admin=admin) == {0: expected[group]}, group


def test_the_offsets_partition_count_cannot_change(broker):
    """A group's offsets partition is its id's hash modulo the count: CreatePartitions on
    __consumer_offsets gets POLICY_VIOLATION and the count stays."""
    topic = create_topic(broker.bootstrap, unique("snap"), partitions=1)
    admin = admin_for(broker)
    commit_offsets(admin, unique("g"), topic, 1)
    before = len(admin.list_topics(timeout=10).topics["__consumer_offsets"].partitions)
    future = admin.create_partitions([NewPartitions("__consumer_offsets", before + 4)], request_timeout=10)["__consumer_offsets"]
    with pytest.raises(KafkaException) as refused:
        future.result(timeout=15)
    assert refused.value.args[0].code() == KafkaError.POLICY_VIOLATION, refused.value
    assert len(admin.list_topics(timeout=10).topics["__consumer_offsets"].partitions) == before
