"""/metrics of a single sluiced as clients use it: request counts, per-topic produce and fetch
bytes, and consumer lag per group and partition, in a format promtool accepts."""

import re
import shutil
import subprocess
import time
import urllib.request

from conftest import create_topic, free_port


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        return answer.read().decode()


def sample(text, name, **labels):
    """The value of one series, or None."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)$"
    for line in text.splitlines():
        m = re.match(pattern, line)
        if m:
            return float(m.group(1))
    return None


def test_metrics_follow_what_clients_do(broker_factory):
    from confluent_kafka import Consumer, Producer, TopicPartition
    admin_port = free_port()
    b = broker_factory(**{"admin.listeners": f"http://127.0.0.1:{admin_port}"})
    topic = create_topic(b.bootstrap, "watched", partitions=2)
    per_partition_port = free_port()
    detailed = broker_factory(**{"admin.listeners": f"http://127.0.0.1:{per_partition_port}", "metrics.partition.series": "true"})
    create_topic(detailed.bootstrap, "detailed", partitions=3)
    assert sample(scrape(per_partition_port), "sluice_partition_log_offset", topic="detailed", partition="2", edge="end") == 0
    producer = Producer({"bootstrap.servers": b.bootstrap, "acks": "all"})
    for i in range(10):
        producer.produce(topic, key=b"k", value=f"record {i}".encode(), partition=i % 2)
    assert producer.flush(10) == 0

    consumer = Consumer({"bootstrap.servers": b.bootstrap, "group.id": "lagging", "enable.auto.commit": False,
                         "auto.offset.reset": "earliest"})
    consumer.assign([TopicPartition(topic, 0, 0), TopicPartition(topic, 1, 0)])
    read = []
    deadline = time.monotonic() + 20
    while len(read) < 10 and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is not None and not message.error():
            read.append(message)
    assert len(read) == 10
    # The group commits 2 of partition 0's 5 records and all of partition 1's.
    consumer.commit(offsets=[TopicPartition(topic, 0, 2), TopicPartition(topic, 1, 5)], asynchronous=False)
    consumer.close()

    text = scrape(admin_port)
    assert sample(text, "sluice_produce_records_total", topic=topic) == 10
    assert sample(text, "sluice_fetch_bytes_total", topic=topic) > 0
    assert sample(text, "sluice_consumer_lag_records", group="lagging", topic=topic, partition="0") == 3
    assert sample(text, "sluice_consumer_lag_records", group="lagging", topic=topic, partition="1") == 0
    assert sample(text, "sluice_requests_total", api="Produce", version="7") >= 1
    # The topic's 2 partitions and the 16 of __consumer_offsets, made by the group's first request.
    assert sample(text, "sluice_partitions", role="leader") == 2 + 16
    assert sample(text, "sluice_partitions", role="follower") == 0
    assert sample(text, "sluice_topic_log_bytes", topic=topic) > 0
    assert "sluice_partition_log_offset{" not in text, "per-partition series are off by default"
    promtool = shutil.which("promtool")
    assert promtool, "make installs prometheus (promtool) before the tests"
    check = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_json_log_lines(broker_factory):
    import json
    b = broker_factory(**{"diagnostics.format": "json", "node.id": "7"})
    create_topic(b.bootstrap, "logged", partitions=1)
    events = [json.loads(line) for line in open(b.log_path, errors="replace") if line.startswith("{")]
    assert events, "no JSON lines in the log"
    for event in events:
        assert set(event) >= {"time", "level", "message", "node"} and event["node"] == 7, event
    assert any("sluiced started" in e["message"] for e in events)
