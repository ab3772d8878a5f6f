"""kafka-python 3.0.12: idempotent acks=all producer (its defaults), lz4, assign() consumer, offsets, admin."""

import time
import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError, UnknownTopicOrPartitionError

from conftest import create_topic, wait_for

TIMEOUT_MS = 20000


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def consumer_for(broker):
    return KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                         request_timeout_ms=TIMEOUT_MS + 5000, fetch_max_wait_ms=100)


def read_back(consumer, tp, n, timeout=60):
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < n and time.monotonic() < deadline:
        for recs in consumer.poll(timeout_ms=500, max_records=2000).values():
            got.extend(recs)
    return got


@pytest.mark.parametrize("compression", [None, "lz4"], ids=["defaults", "lz4"])
def test_producer_defaults_round_trip(broker, compression):
    topic = create_topic(broker.bootstrap, unique("kp"), partitions=1)
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, compression_type=compression,
                             request_timeout_ms=TIMEOUT_MS, max_block_ms=TIMEOUT_MS, linger_ms=5)
    try:
        assert producer.config["acks"] in (-1, "all"), producer.config["acks"]
        assert producer.config["enable_idempotence"] is True
        filler = b"kafka-python compressible payload " * 3
        values = [b"%05d " % i + filler for i in range(1000)]
        futures = [producer.send(topic, key=b"k%d" % i, value=v, partition=0) for i, v in enumerate(values)]
        producer.flush(timeout=TIMEOUT_MS / 1000)
        metas = [f.get(timeout=TIMEOUT_MS / 1000) for f in futures]
    finally:
        producer.close(timeout=10)
    assert [m.offset for m in metas] == list(range(1000)), "acknowledged offsets not 0..999 in send order"

    consumer = consumer_for(broker)
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)
        got = read_back(consumer, tp, 1000)
    finally:
        consumer.close()
    assert len(got) == 1000, f"read {len(got)} of 1000"
    assert [r.offset for r in got] == list(range(1000))
    assert [r.value for r in got] == values
    assert [r.key for r in got] == [b"k%d" % i for i in range(1000)]


def test_offsets_apis(broker):
    topic = create_topic(broker.bootstrap, unique("kp-offsets"), partitions=2)
    base = int(time.time() * 1000) - 600_000
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, request_timeout_ms=TIMEOUT_MS, max_block_ms=TIMEOUT_MS)
    try:
        for i in range(40):
            producer.send(topic, value=b"v%d" % i, partition=0, timestamp_ms=base + i * 100)
            if i % 8 == 7:
                producer.flush(timeout=20)
        for i in range(7):
            producer.send(topic, value=b"w%d" % i, partition=1)
        producer.flush(timeout=20)
    finally:
        producer.close(timeout=10)

    consumer = consumer_for(broker)
    try:
        tp0, tp1 = TopicPartition(topic, 0), TopicPartition(topic, 1)
        assert consumer.end_offsets([tp0, tp1]) == {tp0: 40, tp1: 7}
        assert consumer.beginning_offsets([tp0, tp1]) == {tp0: 0, tp1: 0}
        res = consumer.offsets_for_times({tp0: base + 1_000})
        assert res[tp0] is not None and res[tp0].offset == 10 and res[tp0].timestamp == base + 1_000
        res = consumer.offsets_for_times({tp0: base + 1_050})
        assert res[tp0].offset == 11
        res = consumer.offsets_for_times({tp0: base + 100_000})
        assert res[tp0] is None, "no record at or after the timestamp"
    finally:
        consumer.close()


def test_admin_create_and_delete_topics(broker):
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=TIMEOUT_MS)
    try:
        name = unique("kp-admin")
        admin.create_topics([NewTopic(name, num_partitions=3, replication_factor=1,
                                      topic_configs={"retention.ms": "86400000"})], timeout_ms=TIMEOUT_MS)
        wait_for(lambda: name in admin.list_topics(), 10, "topic listed")
        desc = admin.describe_topics([name])
        assert len(desc) == 1, desc
        name_key = "name" if "name" in desc[0] else "topic"
        assert desc[0][name_key] == name and desc[0]["error_code"] == 0, desc
        assert len(desc[0]["partitions"]) == 3

        with pytest.raises(TopicAlreadyExistsError):
            admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1)], timeout_ms=TIMEOUT_MS,
                                raise_errors=True)

        admin.delete_topics([name], timeout_ms=TIMEOUT_MS)
        wait_for(lambda: name not in admin.list_topics(), 10, "topic gone")

        with pytest.raises(UnknownTopicOrPartitionError):
            admin.delete_topics([name], timeout_ms=TIMEOUT_MS, raise_errors=True)
    finally:
        admin.close()
