"""confluent-kafka 2.16.1 (librdkafka 2.16.0): produce with every acks mode, read back, offsets, admin."""

import time
import uuid

import pytest
from confluent_kafka import (OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer,
                             TopicPartition)
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource,
                                   NewPartitions, NewTopic)

from conftest import create_topic, wait_for

OP_TIMEOUT = 20


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def admin_for(broker):
    return AdminClient({"bootstrap.servers": broker.bootstrap})


def consumer_for(broker, **extra):
    conf = {"bootstrap.servers": broker.bootstrap, "group.id": unique("g"), "enable.auto.commit": False,
            "enable.auto.offset.store": False, "auto.offset.reset": "earliest", "fetch.wait.max.ms": 100}
    conf.update(extra)
    return Consumer(conf)


def read_all(consumer, expected_per_partition, timeout=60):
    """Poll until every partition reached its expected count; returns {partition: [(offset, key, value)]}."""
    got = {p: [] for p in expected_per_partition}
    deadline = time.monotonic() + timeout
    errors = []
    while time.monotonic() < deadline:
        if all(len(got[p]) >= n for p, n in expected_per_partition.items()):
            break
        msgs = consumer.consume(num_messages=1000, timeout=0.5)
        for m in msgs:
            if m.error():
                if m.error().code() != KafkaError._PARTITION_EOF:
                    errors.append(m.error())
                continue
            got.setdefault(m.partition(), []).append((m.offset(), m.key(), m.value()))
    assert not errors, f"consumer errors: {errors[:5]}"
    return got


def produce_n(broker, topic, n, partitions, **conf):
    pconf = {"bootstrap.servers": broker.bootstrap, "compression.type": "lz4", "linger.ms": 5}
    pconf.update(conf)
    producer = Producer(pconf)
    reports = []
    sent = {p: [] for p in range(partitions)}
    filler = b"x" * 60 + b"compressible " * 5

    def on_delivery(err, msg):
        reports.append((err, msg.partition(), msg.offset(), msg.value()))

    for i in range(n):
        p = i % partitions
        value = b"%06d|" % i + filler
        key = b"key-%d" % i
        while True:
            try:
                producer.produce(topic, value=value, key=key, partition=p, on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.1)
        sent[p].append((key, value))
        producer.poll(0)
    left = producer.flush(OP_TIMEOUT)
    assert left == 0, f"{left} records still undelivered after {OP_TIMEOUT}s flush"
    return sent, reports


ACKS = [
    pytest.param({"acks": "0"}, id="acks0"),
    pytest.param({"acks": "1"}, id="acks1"),
    pytest.param({"acks": "all"}, id="acksall"),
    pytest.param({"acks": "all", "enable.idempotence": True}, id="idempotent"),
]


@pytest.mark.parametrize("conf", ACKS)
def test_produce_and_read_back(broker, conf):
    topic = create_topic(broker.bootstrap, unique("cf-produce"), partitions=3)
    n = 2000
    sent, reports = produce_n(broker, topic, n, 3, **conf)
    assert len(reports) == n
    errors = [r for r in reports if r[0] is not None]
    assert not errors, f"{len(errors)} delivery errors, first: {errors[0]}"

    c = consumer_for(broker)
    try:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(3)])
        got = read_all(c, {p: len(sent[p]) for p in range(3)})
    finally:
        c.close()

    for p in range(3):
        offsets = [o for o, _, _ in got[p]]
        assert offsets == list(range(len(sent[p]))), f"partition {p}: offsets not dense from 0: {offsets[:10]}..."
        assert [(k, v) for _, k, v in got[p]] == sent[p], f"partition {p}: records differ from what was produced"

    if conf["acks"] != "0":  # acks=0 delivery reports carry no offset
        by_offset = {(p, o): v for p in got for o, _, v in got[p]}
        for err, p, off, value in reports:
            assert off >= 0, f"delivery report without offset: partition {p}"
            assert by_offset.get((p, off)) == value, f"delivery report says {value[:7]!r} at {p}/{off}, log has {by_offset.get((p, off), b'')[:7]!r}"

    c = consumer_for(broker)
    try:
        for p in range(3):
            lo, hi = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            assert (lo, hi) == (0, len(sent[p])), f"partition {p}: watermarks {(lo, hi)}"
    finally:
        c.close()


def test_offsets_for_times(broker):
    topic = create_topic(broker.bootstrap, unique("cf-times"), partitions=1)
    base = int(time.time() * 1000) - 3_600_000
    producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0, "acks": "all"})
    for i in range(100):
        producer.produce(topic, value=b"v%d" % i, partition=0, timestamp=base + i * 1000)
        if i % 10 == 9:
            assert producer.flush(OP_TIMEOUT) == 0  # several batches, so the index has several entries
    assert producer.flush(OP_TIMEOUT) == 0

    c = consumer_for(broker)
    try:
        def lookup(ts):
            [tp] = c.offsets_for_times([TopicPartition(topic, 0, ts)], timeout=10)
            assert tp.error is None, tp.error
            return tp.offset

        assert lookup(base - 10_000) == 0
        assert lookup(base) == 0
        assert lookup(base + 50_000) == 50
        assert lookup(base + 50_500) == 51, "first offset with timestamp >= T"
        assert lookup(base + 99_000) == 99
        assert lookup(base + 200_000) == -1, "no record at or after T -> offset -1 (end)"
        assert c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10) == (0, 100)
        # The timestamps come back on the records too.
        c.assign([TopicPartition(topic, 0, 50)])
        deadline = time.monotonic() + 20
        m = None
        while m is None and time.monotonic() < deadline:
            m = c.poll(0.5)
            if m is not None and m.error():
                m = None
        assert m is not None and m.offset() == 50
        assert m.timestamp()[1] == base + 50_000
    finally:
        c.close()


# ---------------------------------------------------------------------------
# AdminClient.


def test_admin_topic_lifecycle(broker):
    admin = admin_for(broker)
    topic = unique("cf-admin")
    fs = admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1,
                                       config={"retention.ms": "3600000"})], operation_timeout=OP_TIMEOUT)
    fs[topic].result(timeout=OP_TIMEOUT)
    wait_for(lambda: topic in admin.list_topics(timeout=5).topics, 10, "created topic in metadata")
    md = admin.list_topics(topic, timeout=10).topics[topic]
    assert md.error is None and len(md.partitions) == 2
    for p in md.partitions.values():
        assert p.leader == 0 and list(p.replicas) == [0] and list(p.isrs) == [0]

    # describe_configs shows the creation config
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    configs = admin.describe_configs([res])[res].result(timeout=OP_TIMEOUT)
    assert "retention.ms" in configs, sorted(configs)
    assert configs["retention.ms"].value == "3600000"

    # incremental_alter_configs changes it
    alter = ConfigResource(ConfigResource.Type.TOPIC, topic, incremental_configs=[
        ConfigEntry("retention.ms", "7200000", incremental_operation=AlterConfigOpType.SET)])
    admin.incremental_alter_configs([alter])[alter].result(timeout=OP_TIMEOUT)
    configs = admin.describe_configs([res])[res].result(timeout=OP_TIMEOUT)
    assert configs["retention.ms"].value == "7200000"

    # create_partitions raises the count
    admin.create_partitions([NewPartitions(topic, 4)], operation_timeout=OP_TIMEOUT)[topic].result(timeout=OP_TIMEOUT)
    wait_for(lambda: len(admin.list_topics(topic, timeout=5).topics[topic].partitions) == 4, 10, "4 partitions")

    # the new partitions work
    producer = Producer({"bootstrap.servers": broker.bootstrap, "topic.metadata.refresh.interval.ms": 500})
    producer.produce(topic, value=b"in-new-partition", partition=3)
    assert producer.flush(OP_TIMEOUT) == 0

    # delete_topics removes it
    admin.delete_topics([topic], operation_timeout=OP_TIMEOUT)[topic].result(timeout=OP_TIMEOUT)
    wait_for(lambda: topic not in admin.list_topics(timeout=5).topics, 10, "deleted topic gone from metadata")
    # Asked by name from a consumer (AllowAutoTopicCreation=false; an AdminClient asking by name
    # would legitimately re-create it under the default auto.create.topics.enable=true).
    c = consumer_for(broker)
    try:
        md = c.list_topics(topic, timeout=10).topics.get(topic)
    finally:
        c.close()
    assert md is not None and md.error is not None and md.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, md


def test_admin_delete_records_moves_low_watermark(broker):
    admin = admin_for(broker)
    topic = create_topic(broker.bootstrap, unique("cf-delrec"), partitions=1)
    producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0})
    for i in range(30):
        producer.produce(topic, value=b"r%d" % i, partition=0)
        if i % 5 == 4:
            producer.flush(OP_TIMEOUT)
    assert producer.flush(OP_TIMEOUT) == 0
    tp = TopicPartition(topic, 0, 12)
    result = admin.delete_records([tp], operation_timeout=OP_TIMEOUT)[tp].result(timeout=OP_TIMEOUT)
    assert result.low_watermark == 12, result
    c = consumer_for(broker)
    try:
        assert c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10) == (12, 30)
        c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        got = read_all(c, {0: 18}, timeout=30)
        assert [o for o, _, _ in got[0]] == list(range(12, 30))
        assert got[0][0][2] == b"r12"
    finally:
        c.close()


def test_admin_create_existing_topic_fails(broker):
    admin = admin_for(broker)
    topic = create_topic(broker.bootstrap, unique("cf-dup"), partitions=1)
    fut = admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)], operation_timeout=OP_TIMEOUT)[topic]
    with pytest.raises(KafkaException) as e:
        fut.result(timeout=OP_TIMEOUT)
    assert e.value.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS, e.value


def test_admin_create_invalid_topic_name_fails(broker):
    admin = admin_for(broker)
    for bad in ["bad/name", "a" * 250, "."]:
        fut = admin.create_topics([NewTopic(bad, num_partitions=1, replication_factor=1)], operation_timeout=OP_TIMEOUT)[bad]
        with pytest.raises(KafkaException) as e:
            fut.result(timeout=OP_TIMEOUT)
        assert e.value.args[0].code() == KafkaError.TOPIC_EXCEPTION, (bad, e.value)


def test_admin_describe_configs_unknown_topic_errors(broker):
    admin = admin_for(broker)
    res = ConfigResource(ConfigResource.Type.TOPIC, unique("cf-missing"))
    with pytest.raises(KafkaException) as e:
        admin.describe_configs([res])[res].result(timeout=OP_TIMEOUT)
    assert e.value.args[0].code() == KafkaError.UNKNOWN_TOPIC_OR_PART, e.value


def test_consumer_metadata_unknown_topic_reports_error_and_does_not_create(broker):
    name = unique("cf-missing")
    c = consumer_for(broker)
    try:
        for _ in range(2):
            t = c.list_topics(name, timeout=10).topics.get(name)
            assert t is not None and t.error is not None and t.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, t
    finally:
        c.close()
    assert name not in admin_for(broker).list_topics(timeout=10).topics


def test_auto_create_disabled_unknown_topic_errors(broker_factory):
    b = broker_factory(**{"auto.create.topics.enable": "false"})
    name = unique("cf-noauto")
    admin = admin_for(b)
    t = admin.list_topics(name, timeout=10).topics.get(name)
    assert t is not None and t.error is not None and t.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, t
    assert name not in admin.list_topics(timeout=10).topics


def test_auto_create_enabled_producer_creates_topic_with_num_partitions(broker_factory):
    b = broker_factory(**{"num.partitions": "3"})
    name = unique("cf-auto")
    producer = Producer({"bootstrap.servers": b.bootstrap, "message.timeout.ms": 20000})
    reports = []
    producer.produce(name, value=b"first", on_delivery=lambda err, msg: reports.append((err, msg.offset())))
    assert producer.flush(OP_TIMEOUT) == 0
    assert reports and reports[0][0] is None, reports
    md = admin_for(b).list_topics(timeout=10).topics[name]
    assert len(md.partitions) == 3


def test_admin_delete_unknown_topic_errors(broker):
    admin = admin_for(broker)
    name = unique("cf-missing")
    with pytest.raises(KafkaException) as e:
        admin.delete_topics([name], operation_timeout=OP_TIMEOUT)[name].result(timeout=OP_TIMEOUT)
    assert e.value.args[0].code() == KafkaError.UNKNOWN_TOPIC_OR_PART, e.value


@pytest.mark.parametrize("codec", ["gzip", "snappy", "zstd", "lz4", "none"])
def test_other_codecs_round_trip_or_unsupported(broker, codec):
    """Issue #3: a client producing gzip/snappy/zstd either round-trips or gets UNSUPPORTED_COMPRESSION_TYPE."""
    topic = create_topic(broker.bootstrap, unique(f"cf-{codec}"), partitions=1)
    producer = Producer({"bootstrap.servers": broker.bootstrap, "compression.type": codec, "linger.ms": 5,
                         "message.timeout.ms": 15000, "retries": 0})
    values = [b"%04d codec payload payload payload payload" % i for i in range(300)]
    errs = []
    for v in values:
        producer.produce(topic, value=v, partition=0, on_delivery=lambda e, m: errs.append(e))
    assert producer.flush(OP_TIMEOUT) == 0
    failures = [e for e in errs if e is not None]
    if failures:
        assert codec in ("gzip", "snappy", "zstd"), failures[:3]
        assert all(e.code() == KafkaError.UNSUPPORTED_COMPRESSION_TYPE for e in failures), failures[:3]
        c = consumer_for(broker)
        try:
            assert c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)[1] == len(values) - len(failures)
        finally:
            c.close()
        return
    c = consumer_for(broker)
    try:
        c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        got = read_all(c, {0: len(values)})
    finally:
        c.close()
    assert [v for _, _, v in got[0]] == values
    if codec != "none":
        import kafka_raw as kr
        with kr.Conn.to(broker.bootstrap) as rc:
            p = rc.fetch(topic, 0, 0, max_wait_ms=100)
        codes = {b["codec"] for b in p["batches"]}
        want = {"gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}[codec]
        assert codes == {want}, f"stored codecs {codes}, the client sent {want}"


def test_large_idempotent_lz4_six_partitions(broker):
    """Issue #3 scale: 100,000 records, acks=all, idempotent, lz4, linger 5 ms, 6 partitions."""
    topic = create_topic(broker.bootstrap, unique("cf-big"), partitions=6)
    n = 100_000
    sent, reports = produce_n(broker, topic, n, 6, **{"acks": "all", "enable.idempotence": True,
                                                      "queue.buffering.max.messages": 200000})
    assert all(r[0] is None for r in reports)
    c = consumer_for(broker, **{"fetch.wait.max.ms": 100})
    try:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(6)])
        got = read_all(c, {p: len(sent[p]) for p in range(6)}, timeout=90)
    finally:
        c.close()
    for p in range(6):
        assert [o for o, _, _ in got[p]] == list(range(len(sent[p])))
        assert [(k, v) for _, k, v in got[p]] == sent[p]


def _create_error(admin, topic):
    name = topic.topic
    with pytest.raises(KafkaException) as e:
        admin.create_topics([topic], operation_timeout=OP_TIMEOUT)[name].result(timeout=OP_TIMEOUT)
    return e.value.args[0].code()


def test_admin_create_errors(broker):
    admin = admin_for(broker)
    name = unique("cf-rf3")
    assert _create_error(admin, NewTopic(name, num_partitions=1, replication_factor=3)) == KafkaError.INVALID_REPLICATION_FACTOR
    assert name not in admin.list_topics(timeout=10).topics
    name = unique("cf-p0")
    assert _create_error(admin, NewTopic(name, num_partitions=0, replication_factor=1)) == KafkaError.INVALID_PARTITIONS


def test_admin_create_partitions_cannot_shrink(broker):
    admin = admin_for(broker)
    topic = create_topic(broker.bootstrap, unique("cf-shrink"), partitions=3)
    with pytest.raises(KafkaException) as e:
        admin.create_partitions([NewPartitions(topic, 2)], operation_timeout=OP_TIMEOUT)[topic].result(timeout=OP_TIMEOUT)
    assert e.value.args[0].code() == KafkaError.INVALID_PARTITIONS, e.value
    assert len(admin.list_topics(topic, timeout=10).topics[topic].partitions) == 3


def test_admin_create_partitions_with_replica_assignment(broker):
    """Explicit replica lists for the new partitions: registered brokers are taken, others refused."""
    admin = admin_for(broker)
    topic = create_topic(broker.bootstrap, unique("cf-assign"), partitions=1)
    with pytest.raises(KafkaException) as e:
        admin.create_partitions([NewPartitions(topic, 2, replica_assignment=[[5]])], operation_timeout=OP_TIMEOUT)[topic].result(timeout=OP_TIMEOUT)
    assert e.value.args[0].code() == KafkaError.INVALID_REPLICA_ASSIGNMENT, e.value
    admin.create_partitions([NewPartitions(topic, 3, replica_assignment=[[0], [0]])], operation_timeout=OP_TIMEOUT)[topic].result(timeout=OP_TIMEOUT)
    assert len(admin.list_topics(topic, timeout=10).topics[topic].partitions) == 3


def test_admin_delete_records_beyond_high_watermark(broker):
    admin = admin_for(broker)
    topic = create_topic(broker.bootstrap, unique("cf-delrec-oor"), partitions=1)
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    for i in range(5):
        producer.produce(topic, value=b"x", partition=0)
    assert producer.flush(OP_TIMEOUT) == 0
    tp = TopicPartition(topic, 0, 50)
    with pytest.raises(KafkaException) as e:
        admin.delete_records([tp], operation_timeout=OP_TIMEOUT)[tp].result(timeout=OP_TIMEOUT)
    assert e.value.args[0].code() == KafkaError.OFFSET_OUT_OF_RANGE, e.value
    c = consumer_for(broker)
    try:
        assert c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10) == (0, 5)
    finally:
        c.close()
