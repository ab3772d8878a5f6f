"""A data directory from a single-node sluiced of before clusters of one (fixtures/
single-node-v0.tar.gz, made by fixtures/make_single_node_fixture.py with such a binary) is
upgraded in place at start: topics with their ids' partitions and configs, records at their
offsets, idempotent-producer state and committed group offsets are all kept; the old store is
gone once imported, and later restarts start as any cluster of one."""

import os
import tarfile
import time

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource

import kafka_raw as kr
from conftest import Broker, _active
from test_durability import read_partition

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "single-node-v0.tar.gz")


def committed(bootstrap, group):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        return {tp.partition: tp.offset for tp in c.committed([TopicPartition("kept", 0), TopicPartition("kept", 1)], timeout=20)}
    finally:
        c.close()


def check_upgraded(b):
    assert read_partition(b.bootstrap, "kept", 0, 10) == [(i, b"idem-%d" % i if i < 3 else b"p0-%d" % i) for i in range(10)]
    assert read_partition(b.bootstrap, "kept", 1, 10) == [(i, b"p1-%d" % i) for i in range(10)]
    with kr.Conn.to(b.bootstrap) as c:
        md = c.metadata(["kept", "empty"])
        partitions = {name: len(t["partitions"]) for name, t in md["topics"].items()}
        assert partitions == {"kept": 2, "empty": 1}, md
        assert c.list_offsets("empty", 0, -1)["offset"] == 0
    admin = AdminClient({"bootstrap.servers": b.bootstrap})
    config = admin.describe_configs([ConfigResource("topic", "kept")])
    entries = list(config.values())[0].result(20)
    assert entries["retention.ms"].value == "604800000"
    assert committed(b.bootstrap, "readers") == {0: 4, 1: 10}


def test_single_node_directory_is_upgraded_in_place(request):
    b = Broker(name=f"upgraded broker ({request.node.name})")
    _active.append(b)
    try:
        with tarfile.open(FIXTURE) as tar:
            tar.extractall(b.dir, filter="data")
        b.start()
        text = open(b.log_path, errors="replace").read()
        assert "single-node data directory upgraded: 2 topics and the offsets of 1 groups" in text, text[-3000:]
        assert not os.path.exists(os.path.join(b.data_dir, "sluice-meta.single-node.db"))
        check_upgraded(b)
        # The idempotent producer's state came along: its last batch again is a duplicate.
        with kr.Conn.to(b.bootstrap) as c:
            again = kr.encode_batch([(None, b"idem-%d" % i) for i in range(3)], producer_id=5001, producer_epoch=0, base_sequence=0)
            r = c.produce_one("kept", 0, again, acks=-1)
            assert (r["error"], r["base_offset"]) == (0, 0), r
            assert c.list_offsets("kept", 0, -1)["offset"] == 10
        # A later start is an ordinary cluster of one: nothing imported twice, nothing lost.
        b.restart()
        time.sleep(0.2)
        assert open(b.log_path, errors="replace").read().count("single-node data directory upgraded") == 1
        check_upgraded(b)
    finally:
        b.cleanup()
        if b in _active:
            _active.remove(b)


def test_upgrade_interrupted_after_the_copy_finishes_on_the_next_start(request):
    """A start that stopped after moving the old store aside (the copy exists, the old store may
    still be there, nothing imported) finishes the import on the next start."""
    b = Broker(name=f"interrupted upgrade ({request.node.name})")
    _active.append(b)
    try:
        with tarfile.open(FIXTURE) as tar:
            tar.extractall(b.dir, filter="data")
        # What setAside leaves when it stops before removing the old store: both files.
        import sqlite3
        old = sqlite3.connect(os.path.join(b.data_dir, "sluice-meta.db"))
        old.execute(f"VACUUM INTO '{os.path.join(b.data_dir, 'sluice-meta.single-node.db')}'")
        old.close()
        b.start()
        check_upgraded(b)
    finally:
        b.cleanup()
        if b in _active:
            _active.remove(b)
