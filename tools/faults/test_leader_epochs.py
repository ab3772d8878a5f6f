"""Leader epochs across a leader kill (KIP-320): the new leader's term is the epoch every node
reports in Metadata, the old epoch ends (OffsetForLeaderEpoch) exactly where the old leader's
acknowledged records ended, a client still holding the old epoch is fenced, and a librdkafka
consumer, which validates its position against the new leader with these answers, reads every
record once and in order across the change."""

import time

import confluent_kafka
import kafka_raw as raw
from cluster import NONE, wait_until

FENCED_LEADER_EPOCH = 74


def produce(conn, topic, values):
    batch = raw.encode_batch([(None, v.encode()) for v in values])
    answer = conn.produce_one(topic, 0, batch, acks=-1)
    assert answer["error"] == NONE, answer


def epoch_named_by(node, topic):
    with node.conn() as conn:
        [p] = conn.metadata_v8([topic])[0][topic]["partitions"]
        return p["leader"], p["leader_epoch"]


def consume(consumer, count, deadline_s):
    got = []
    deadline = time.monotonic() + deadline_s
    while len(got) < count and time.monotonic() < deadline:
        m = consumer.poll(0.5)
        if m is None:
            continue
        assert not m.error(), f"consumer error: {m.error()}"
        got.append(m.value().decode())
    return got


def test_epochs_across_a_leader_kill(make_cluster, topic):
    c = make_cluster()
    c.create_topic(topic, partitions=1)
    c.wait_isr(topic, 0, size=3)
    old = c.wait_leader(topic, 0)
    before = [f"before-{i}" for i in range(50)]
    with old.conn() as conn:
        produce(conn, topic, before)
        end_before = conn.list_offsets(topic, 0, -1)["offset"]
    _, epoch_before = epoch_named_by(old, topic)
    assert epoch_before >= 1

    consumer = confluent_kafka.Consumer({"bootstrap.servers": c.bootstrap, "group.id": f"g-{topic}", "enable.auto.commit": False,
                                         "topic.metadata.refresh.interval.ms": 1000})
    try:
        consumer.assign([confluent_kafka.TopicPartition(topic, 0, 0)])
        assert consume(consumer, len(before), 30) == before

        old.kill9()
        new = c.wait_leader(topic, 0, exclude=[old], timeout=20)
        after = [f"after-{i}" for i in range(50)]
        with new.conn() as conn:
            produce(conn, topic, after)
        survivors = [n for n in c.nodes if n is not old]
        named = wait_until(lambda: all(epoch_named_by(n, topic)[0] == new.id for n in survivors) and epoch_named_by(new, topic), 10,
                           f"every surviving node to name {new} as leader")
        epoch_after = named[1]
        assert epoch_after > epoch_before
        for n in survivors:
            assert epoch_named_by(n, topic) == (new.id, epoch_after), f"{n} reports another epoch"
        with new.conn() as conn:
            ended = conn.offset_for_leader_epoch(topic, epoch_before, epoch_after)
            assert (ended["error"], ended["leader_epoch"], ended["end_offset"]) == (NONE, epoch_before, end_before)
            assert conn.fetch_v11(topic, 0, epoch_before)["error"] == FENCED_LEADER_EPOCH
            assert conn.fetch_v11(topic, 0, epoch_after)["error"] == NONE

        assert consume(consumer, len(after), 40) == after, "the consumer did not read on across the leader change"
    finally:
        consumer.close()

    old.start()
    wait_until(lambda: epoch_named_by(old, topic) == (new.id, epoch_after), 30, f"restarted {old} to report the new epoch")
