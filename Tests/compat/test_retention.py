"""Topic configs that change what the broker keeps: retention by time and size, segment size, max.message.bytes."""

import time
import uuid

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, NewTopic

import kafka_raw as kr
from conftest import create_topic

MESSAGE_TOO_LARGE = 10


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def rbroker(request):
    from conftest import _start_broker, _active
    b = _start_broker(request, "retention broker", {"log.retention.check.interval.ms": "200"})
    yield b
    b.cleanup()
    if b in _active:
        _active.remove(b)


def wait_low_watermark(c, topic, predicate, timeout=20):
    deadline = time.monotonic() + timeout
    lo = None
    while time.monotonic() < deadline:
        lo = c.list_offsets(topic, 0, -2)["offset"]
        if predicate(lo):
            return lo
        time.sleep(0.2)
    raise AssertionError(f"low watermark still {lo} after {timeout}s")


def test_retention_ms_deletes_old_segments(rbroker):
    topic = create_topic(rbroker.bootstrap, unique("ret-ms"), partitions=1,
                         config={"retention.ms": "1000", "segment.bytes": "1024"})
    old = int(time.time() * 1000) - 3_600_000
    with kr.Conn.to(rbroker.bootstrap) as c:
        for i in range(30):
            r = c.produce_one(topic, 0, kr.encode_batch([(None, b"%03d" % i + b"o" * 300)], base_timestamp=old))
            assert r["error"] == 0, r
        assert c.list_offsets(topic, 0, -1)["offset"] == 30
        lo = wait_low_watermark(c, topic, lambda lo: lo > 0)
        assert lo <= 30
        # The remaining data reads from the new log start; below it is out of range.
        p = c.fetch(topic, 0, lo, max_wait_ms=100)
        assert p["error"] == 0
        if lo > 0:
            assert c.fetch(topic, 0, 0, max_wait_ms=100)["error"] == 1
        # The log keeps accepting at the same end offset.
        assert c.produce_one(topic, 0, kr.encode_batch([(None, b"new")]))["base_offset"] == 30


def test_recent_records_are_kept(rbroker):
    topic = create_topic(rbroker.bootstrap, unique("ret-keep"), partitions=1,
                         config={"retention.ms": "3600000", "segment.bytes": "1024"})
    with kr.Conn.to(rbroker.bootstrap) as c:
        for i in range(20):
            c.produce_one(topic, 0, kr.encode_batch([(None, b"k" * 300)]))
        time.sleep(1.5)  # several retention checks
        assert c.list_offsets(topic, 0, -2)["offset"] == 0


def test_retention_bytes(rbroker):
    topic = create_topic(rbroker.bootstrap, unique("ret-bytes"), partitions=1,
                         config={"retention.bytes": "3000", "segment.bytes": "1024"})
    with kr.Conn.to(rbroker.bootstrap) as c:
        for i in range(40):
            c.produce_one(topic, 0, kr.encode_batch([(None, b"b" * 300)]))
        lo = wait_low_watermark(c, topic, lambda lo: lo >= 20)
        assert lo < 40


def test_alter_max_message_bytes(rbroker):
    topic = create_topic(rbroker.bootstrap, unique("ret-maxmsg"), partitions=1)
    admin = AdminClient({"bootstrap.servers": rbroker.bootstrap})
    res = ConfigResource(ConfigResource.Type.TOPIC, topic, incremental_configs=[
        ConfigEntry("max.message.bytes", "2000", incremental_operation=AlterConfigOpType.SET)])
    admin.incremental_alter_configs([res])[res].result(timeout=20)
    with kr.Conn.to(rbroker.bootstrap) as c:
        assert c.produce_one(topic, 0, kr.encode_batch([(None, b"s" * 500)]))["error"] == 0
        assert c.produce_one(topic, 0, kr.encode_batch([(None, b"L" * 5000)]))["error"] == MESSAGE_TOO_LARGE


def test_invalid_topic_config_rejected(rbroker):
    admin = AdminClient({"bootstrap.servers": rbroker.bootstrap})
    name = unique("ret-bad")
    fut = admin.create_topics([NewTopic(name, 1, 1, config={"retention.ms": "not-a-number"})],
                              operation_timeout=20)[name]
    with pytest.raises(KafkaException) as e:
        fut.result(timeout=20)
    assert e.value.args[0].code() == KafkaError.INVALID_CONFIG, e.value
    assert name not in admin.list_topics(timeout=10).topics


def test_retention_and_delete_records_leave_the_offsets_log_alone(broker_factory):
    """__consumer_offsets is cut only behind a snapshot of the offsets it carries (see
    test_offsets_snapshot.py): broker-wide size retention does not cut it (it does cut an ordinary
    topic on the same broker) and DeleteRecords there gets POLICY_VIOLATION; the committed offset
    is still served."""
    from confluent_kafka import Consumer, TopicPartition
    api_delete_records, policy_violation = 21, 44
    b = broker_factory(**{"log.retention.bytes": "2000", "log.segment.bytes": "1024", "log.retention.check.interval.ms": "200",
                          "offsets.topic.num.partitions": "1"})
    topic = create_topic(b.bootstrap, unique("plain"), partitions=1)
    consumer = Consumer({"bootstrap.servers": b.bootstrap, "group.id": unique("keeper"), "enable.auto.commit": False})
    try:
        for i in range(60):
            consumer.commit(offsets=[TopicPartition(topic, 0, i + 1)], asynchronous=False)
        with kr.Conn.to(b.bootstrap) as c:
            for i in range(40):
                c.produce_one(topic, 0, kr.encode_batch([(None, b"p" * 300)]))
            assert c.list_offsets("__consumer_offsets", 0, -1)["offset"] >= 60
            wait_low_watermark(c, topic, lambda lo: lo >= 20)  # retention runs, and cuts the ordinary topic
            time.sleep(1.0)  # several more checks
            assert c.list_offsets("__consumer_offsets", 0, -2)["offset"] == 0
            body = kr.array([kr.string("__consumer_offsets") + kr.array([kr.i32(0) + kr.i64(-1)])]) + kr.i32(10000)
            r = kr.Reader(c.request(api_delete_records, 0, body)[1])
            r.i32()
            [(_, [(_, low, error)])] = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i64(), r.i16()))))
            assert (low, error) == (-1, policy_violation)
            assert c.list_offsets("__consumer_offsets", 0, -2)["offset"] == 0
        assert consumer.committed([TopicPartition(topic, 0)], timeout=10)[0].offset == 60
    finally:
        consumer.close()
