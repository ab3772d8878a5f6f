"""Settings and data directories, tried as a tired operator would: every bad value stops sluiced
with one line naming the key, the value and what is allowed (exit status 2, no backtrace); both
`--key value` and `--key=value` work, `--config` included; a data directory serves one process and
one node id."""

import os
import subprocess
import time
import uuid

import pytest

from conftest import SLUICED, Broker, free_port


def run_sluiced(*args, timeout=15):
    """Runs sluiced expecting it to refuse its settings: (exit status, stderr)."""
    proc = subprocess.run([SLUICED, *args], capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stderr


BAD_VALUES = [
    # (flag, value, words the one-line error must contain)
    ("node.id", "-1", ["node.id", "-1", "0"]),
    ("node.id", "99999999999", ["node.id", "99999999999"]),
    ("log.roll.hours", "9223372036854775807", ["log.roll.hours", "9223372036854775807"]),
    ("log.retention.hours", "9223372036854775807", ["log.retention.hours"]),
    ("log.retention.minutes", "9223372036854775807", ["log.retention.minutes"]),
    ("offsets.retention.minutes", "9223372036854775807", ["offsets.retention.minutes"]),
    ("broker.session.timeout.ms", "9223372036854775807", ["broker.session.timeout.ms"]),
    ("raft.tick.ms", "9223372036854775807", ["raft.tick.ms"]),
    ("default.replication.factor", "40000", ["default.replication.factor", "40000"]),
    ("min.insync.replicas", "0", ["min.insync.replicas"]),
    ("num.io.threads", "100000", ["num.io.threads", "256"]),
    ("num.network.threads", "0", ["num.network.threads"]),
    ("message.max.bytes", "abc", ["message.max.bytes", "abc"]),
    ("socket.request.max.bytes", "4294967296", ["socket.request.max.bytes"]),
    ("log.segment.bytes", "12", ["log.segment.bytes", "1024"]),
    ("auto.create.topics.enable", "yes", ["auto.create.topics.enable", "true or false"]),
    ("listeners", "FOO://127.0.0.1:9093", ["listener FOO", "listener.security.protocol.map"]),
    ("listeners", "SSL://127.0.0.1:9093", ["SSL", "ssl.keystore.location"]),
    ("listeners", "PLAINTEXT://127.0.0.1:1,PLAINTEXT://127.0.0.1:2", ["listeners", "twice"]),
    ("listeners", "127.0.0.1:99999", ["listeners", "host:port"]),
    ("log.dirs", "a,b", ["log.dirs", "one directory"]),
    ("no.such.key", "1", ["unknown config key", "no.such.key"]),
]


@pytest.mark.parametrize("key,value,words", BAD_VALUES, ids=[f"{k}={v}" for k, v, _ in BAD_VALUES])
def test_bad_value_stops_with_one_line(key, value, words, tmp_path):
    for form in ([f"--{key}={value}"], [f"--{key}", value]):
        status, err = run_sluiced(f"--log.dirs={tmp_path}/d", *form) if key != "log.dirs" else run_sluiced(*form)
        lines = [line for line in err.splitlines() if line.strip()]
        assert status == 2, f"{form}: exit {status}, stderr {err!r}"
        assert len(lines) == 1 and lines[0].startswith("error: "), f"{form}: not one error line: {err!r}"
        for word in words:
            assert word in lines[0], f"{form}: {word!r} missing from {lines[0]!r}"


COMBINATIONS = [
    ({"message.max.bytes": "2000000", "socket.request.max.bytes": "1048576"}, ["message.max.bytes", "socket.request.max.bytes"]),
    ({"group.min.session.timeout.ms": "9000", "group.max.session.timeout.ms": "8000"}, ["group.min.session.timeout.ms"]),
    ({"broker.heartbeat.interval.ms": "5000", "broker.session.timeout.ms": "3000"}, ["broker.heartbeat.interval.ms"]),
    ({"controller.quorum.voters": "1@127.0.0.1:9093", "listeners": "PLAINTEXT://127.0.0.1:9092"}, ["CONTROLLER://"]),
]


@pytest.mark.parametrize("settings,words", COMBINATIONS, ids=[",".join(s) for s, _ in COMBINATIONS])
def test_contradicting_settings_stop_with_one_line(settings, words, tmp_path):
    status, err = run_sluiced(f"--log.dirs={tmp_path}/d", *[f"--{k}={v}" for k, v in settings.items()])
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1 and all(w in err for w in words), err


def test_log_dirs_that_is_a_file(tmp_path):
    path = tmp_path / "file"
    path.write_text("not a directory")
    status, err = run_sluiced(f"--log.dirs={path}")
    assert status == 2 and "is a file" in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("form", ["equals", "space"])
def test_config_file_in_both_forms(form, tmp_path):
    port = free_port()
    config = tmp_path / "sluice.properties"
    config.write_text(f"listeners=PLAINTEXT://127.0.0.1:{port}\nlog.dirs={tmp_path}/data\n")
    args = [f"--config={config}"] if form == "equals" else ["--config", str(config)]
    proc = subprocess.Popen([SLUICED, *args, "--num.partitions", "2"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()  # stdout carries only sluiced's own status lines
        assert f"listening on 127.0.0.1:{port}" in line and f"data in {tmp_path}/data" in line, line
    finally:
        proc.terminate()
        proc.wait(20)


def test_second_process_on_one_directory_is_refused(broker_factory):
    b = broker_factory()
    status, err = run_sluiced(f"--listeners=127.0.0.1:{free_port()}", f"--log.dirs={b.data_dir}")
    assert status == 2, err
    assert f"in use by process {b.proc.pid}" in err and len(err.strip().splitlines()) == 1, err


def test_directory_of_another_node_is_refused(tmp_path):
    b = Broker(extra={"node.id": "3"})
    b.start()
    b.stop()
    status, err = run_sluiced(f"--listeners=127.0.0.1:{free_port()}", f"--log.dirs={b.data_dir}", "--node.id=4")
    assert status == 2, err
    assert "belongs to node 3" in err and "node.id 4" in err, err
    b.start()  # its own node id still starts
    b.stop()


def test_topic_beyond_the_partition_budget_is_refused_and_the_broker_restarts(broker_factory):
    """The hostile CreateTopics: 100,000 partitions. Refused with POLICY_VIOLATION before anything is
    written (each partition holds descriptors), nothing is left in the metadata, and the broker
    restarts and serves as before."""
    from confluent_kafka.admin import AdminClient, NewTopic
    b = broker_factory(**{"max.partitions": "200"})
    admin = AdminClient({"bootstrap.servers": b.bootstrap})
    fut = admin.create_topics([NewTopic("huge", num_partitions=100_000, replication_factor=1)], request_timeout=30)["huge"]
    with pytest.raises(Exception) as refused:
        fut.result(30)
    assert "POLICY_VIOLATION" in str(refused.value) and "max.partitions=200" in str(refused.value), refused.value
    fut = admin.create_topics([NewTopic("fits", num_partitions=150, replication_factor=1)], request_timeout=30)["fits"]
    fut.result(30)
    fut = admin.create_topics([NewTopic("too-many-now", num_partitions=51, replication_factor=1)], request_timeout=30)["too-many-now"]
    with pytest.raises(Exception):
        fut.result(30)
    b.stop()
    b.start()
    topics = AdminClient({"bootstrap.servers": b.bootstrap}).list_topics(timeout=10).topics
    assert "fits" in topics and "huge" not in topics and "too-many-now" not in topics
    assert len(topics["fits"].partitions) == 150


def _segment_files(data_dir):
    return sum(1 for _, _, names in os.walk(data_dir) for name in names if name.endswith(".log"))


def test_partitions_times_segments_beyond_the_descriptor_limit(broker_factory):
    """Under a 512-descriptor limit, 100 partitions of 1 KiB segments (one 700-byte record each)
    grow to more segment files than the limit allows descriptors; every record is written, read
    back, and read back again after a restart (segment files open on demand and close when idle),
    and the process stays below its limit."""
    from confluent_kafka import Consumer, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, NewTopic
    limit = 512
    b = broker_factory(_nofile=limit, **{"log.segment.bytes": "1024"})
    partitions, per_partition = 100, 8
    admin = AdminClient({"bootstrap.servers": b.bootstrap})
    admin.create_topics([NewTopic("wide", num_partitions=partitions, replication_factor=1)], request_timeout=60)["wide"].result(60)
    producer = Producer({"bootstrap.servers": b.bootstrap, "acks": "all", "linger.ms": 0, "batch.num.messages": 1,
                         "enable.idempotence": True})
    for index in range(per_partition):
        for partition in range(partitions):
            producer.produce("wide", value=f"{partition}:{index}:".encode() + b"v" * 700, partition=partition)
        producer.poll(0)
    assert producer.flush(120) == 0
    assert _segment_files(b.data_dir) > limit, _segment_files(b.data_dir)
    assert len(os.listdir(f"/proc/{b.proc.pid}/fd")) < limit

    def read_all():
        consumer = Consumer({"bootstrap.servers": b.bootstrap, "group.id": f"wide-{uuid.uuid4().hex[:6]}",
                             "enable.auto.commit": False})
        consumer.assign([TopicPartition("wide", p, 0) for p in range(partitions)])
        seen, deadline = set(), time.monotonic() + 120
        while len(seen) < partitions * per_partition and time.monotonic() < deadline:
            for message in consumer.consume(1000, 1.0):
                assert message.error() is None, message.error()
                seen.add(tuple(message.value().split(b":")[:2]))
        consumer.close()
        return seen

    assert len(read_all()) == partitions * per_partition
    assert len(os.listdir(f"/proc/{b.proc.pid}/fd")) < limit
    b.stop()
    b.start()
    assert len(read_all()) == partitions * per_partition
    assert len(os.listdir(f"/proc/{b.proc.pid}/fd")) < limit


def test_descriptor_budget_beyond_the_limit_stops_start_up(tmp_path):
    """Under a 1024-descriptor limit, 1000 open segment files beside the connections cannot fit."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))
    proc = subprocess.run([SLUICED, f"--log.dirs={tmp_path}/d", "--log.open.files.max=1000"], capture_output=True, text=True,
                          timeout=15, preexec_fn=limit)
    assert proc.returncode == 2 and "log.open.files.max" in proc.stderr and "file descriptor limit 1024" in proc.stderr, proc.stderr
