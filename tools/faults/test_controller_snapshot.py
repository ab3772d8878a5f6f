"""The controller log is compacted into a snapshot of the metadata store (here every 20 entries):
a node that was down while the others committed offsets and created a topic gets the snapshot
from the leader and ends up with the same topics and committed offsets in its own SQLite."""

import os
import sqlite3
import uuid

from cluster import wait_until


def _offsets(node):
    path = os.path.join(node.data_dir, "sluice-meta.db")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
        return sorted(db.execute("SELECT group_id, topic, partition, committed_offset FROM group_offsets"))


def test_a_node_behind_the_compacted_log_catches_up_from_a_snapshot(make_cluster):
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.structs import OffsetAndMetadata
    c = make_cluster(settings={"controller.log.compaction.entries": "20"})
    topic = c.create_topic("snap-" + uuid.uuid4().hex[:8], partitions=1)
    controller = c.node(c.controller())
    absent = next(n for n in c.nodes if n.id != controller.id)
    absent.stop()

    producer = KafkaProducer(bootstrap_servers=",".join(n.bootstrap for n in c.up()), acks="all")
    for i in range(50):
        producer.send(topic, value=f"v{i}".encode())
    producer.flush(30)
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=",".join(n.bootstrap for n in c.up()), group_id="snap-group", enable_auto_commit=False)
    tp = TopicPartition(topic, 0)
    for offset in range(1, 61):  # 60 commits: 60 controller entries, three compactions
        consumer.commit({tp: OffsetAndMetadata(offset, None, -1)})
    consumer.close()
    later = c.create_topic(topic + "-later", partitions=1, replication_factor=2)

    expected = _offsets(controller)
    assert ("snap-group", topic, 0, 60) in expected, expected
    absent.start()
    wait_until(lambda: _offsets(absent) == expected, 30, f"{absent} to hold the committed offsets {expected}", interval=0.3)
    _, md = c.metadata([later], via=[absent])
    assert later in md["topics"] and md["topics"][later]["partitions"], f"{absent} does not know {later}: {md}"
    assert any("controller log compacted" in n.tail(400) for n in c.nodes), "no node compacted its controller log"
    assert "installed from a snapshot" in absent.tail(400), f"{absent} caught up without a snapshot:\n{absent.tail(20)}"
