"""Unmodified clients against a 3-node cluster: kcat, confluent-kafka, kafka-python and aiokafka
find leaders through any node, auto-create topics through a node that is not the controller,
and read back exactly what they wrote, with group offsets surviving a coordinator failover."""

import asyncio
import json
import shutil
import subprocess
import time
import uuid

import pytest

KCAT = shutil.which("kcat")


def _offsets_partition(group, partitions=16):
    """Kafka's rule: abs(Java String.hashCode(group)) % partitions."""
    h = 0
    data = group.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (h * 31 + int.from_bytes(data[i:i + 2], "big")) & 0xFFFFFFFF
    if h >= 1 << 31:
        h -= 1 << 32
    return 0 if h == -(1 << 31) else abs(h) % partitions


def test_kcat_auto_create_through_a_follower_and_read_from_another_node(make_cluster):
    if not KCAT:
        pytest.skip("kcat not installed (make compat-deps installs it)")
    c = make_cluster(settings={"auto.create.topics.enable": "true", "num.partitions": "2"})
    controller = c.node(c.controller())
    others = [n for n in c.nodes if n.id != controller.id]
    topic = "kcat-" + uuid.uuid4().hex[:8]
    lines = [f"k{i}:v{i}" for i in range(200)]
    produce = subprocess.run([KCAT, "-P", "-b", others[0].bootstrap, "-t", topic, "-K", ":", "-X", "acks=all",
                              "-X", "enable.idempotence=true", "-X", "topic.metadata.refresh.interval.ms=200"],
                             input="\n".join(lines) + "\n", text=True, capture_output=True, timeout=60)
    assert produce.returncode == 0, produce.stderr
    consume = subprocess.run([KCAT, "-C", "-b", others[1].bootstrap, "-t", topic, "-e", "-q", "-J"],
                             text=True, capture_output=True, timeout=60)
    assert consume.returncode == 0, consume.stderr
    got = [json.loads(line) for line in consume.stdout.splitlines() if line.strip()]
    assert sorted(f"{m['key']}:{m['payload']}" for m in got) == sorted(lines)
    _, md = c.metadata([topic])
    parts = md["topics"][topic]["partitions"]
    assert len(parts) == 2 and all(len(p["replicas"]) == 3 for p in parts), f"auto-created with the cluster defaults: {parts}"


def test_kafka_python_group_offsets_survive_coordinator_failover(make_cluster):
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    c = make_cluster()
    topic = c.create_topic("kp-" + uuid.uuid4().hex[:8], partitions=3)
    producer = KafkaProducer(bootstrap_servers=c.bootstrap, acks="all", retries=10, linger_ms=5)
    for i in range(300):
        producer.send(topic, key=str(i % 7).encode(), value=f"m{i}".encode())
    producer.flush(30)
    producer.close()

    group = "kp-group-" + uuid.uuid4().hex[:6]
    consumer = KafkaConsumer(topic, bootstrap_servers=c.bootstrap, group_id=group, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=8000)
    seen = []
    for message in consumer:
        seen.append(message.value)
        if len(seen) == 300:
            break
    assert sorted(seen) == sorted(f"m{i}".encode() for i in range(300))
    consumer.commit()
    committed = {p: consumer.committed(TopicPartition(topic, p)) for p in range(3)}
    consumer.close()
    assert sum(v for v in committed.values()) >= 300 - 3, committed

    # The coordinator leads the group's __consumer_offsets partition: kill it; the new leader of
    # that partition has every commit.
    coordinator = c.wait_leader("__consumer_offsets", _offsets_partition(group))
    coordinator.kill9()
    deadline = time.monotonic() + 30
    after = {}
    while time.monotonic() < deadline:
        try:
            probe = KafkaConsumer(bootstrap_servers=",".join(n.bootstrap for n in c.up()), group_id=group,
                                  enable_auto_commit=False, request_timeout_ms=5000)
            after = {p: probe.committed(TopicPartition(topic, p)) for p in range(3)}
            probe.close()
            if after == committed:
                break
        except Exception:  # noqa: BLE001 - the coordinator may still be moving
            pass
        time.sleep(0.5)
    assert after == committed, f"committed offsets before the failover {committed}, after {after}"


def test_aiokafka_round_trip_on_the_cluster(make_cluster):
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
    c = make_cluster()
    topic = c.create_topic("aio-" + uuid.uuid4().hex[:8], partitions=2)

    async def run():
        producer = AIOKafkaProducer(bootstrap_servers=c.bootstrap, acks="all", enable_idempotence=True)
        await producer.start()
        try:
            for i in range(100):
                await producer.send_and_wait(topic, f"a{i}".encode(), partition=i % 2)
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=c.bootstrap, auto_offset_reset="earliest")
        await consumer.start()
        got = []
        try:
            deadline = time.monotonic() + 20
            while len(got) < 100 and time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    got.extend(r.value for r in records)
        finally:
            await consumer.stop()
        return got

    got = asyncio.run(run())
    assert sorted(got) == sorted(f"a{i}".encode() for i in range(100))


def test_create_topic_with_explicit_replica_assignment(make_cluster):
    from confluent_kafka.admin import AdminClient, NewTopic
    c = make_cluster()
    topic = "placed-" + uuid.uuid4().hex[:8]
    admin = AdminClient({"bootstrap.servers": c.bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=2, replica_assignment=[[3, 1], [1, 2]])])[topic].result(30)
    c.wait_isr(topic, 0, size=2)
    c.wait_isr(topic, 1, size=2)
    assert c.partition(topic, 0)["replicas"] == [3, 1]
    assert c.partition(topic, 1)["replicas"] == [1, 2]
    bad = admin.create_topics([NewTopic(topic + "-bad", num_partitions=1, replica_assignment=[[1, 9]])])[topic + "-bad"]
    with pytest.raises(Exception, match="INVALID_REPLICA_ASSIGNMENT|registered"):
        bad.result(30)
