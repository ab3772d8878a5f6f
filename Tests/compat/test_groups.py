"""Classic consumer groups: subscribe, rebalance, commit, resume - with each client."""

import asyncio
import time
import uuid

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

from conftest import create_topic


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def produce(bootstrap, topic, values, partitions):
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 2})
    for i, v in enumerate(values):
        p.produce(topic, value=v, partition=i % partitions)
    assert p.flush(20) == 0


def group_consumer(bootstrap, group, **extra):
    conf = {"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
            "auto.offset.reset": "earliest", "session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
            "fetch.wait.max.ms": 100}
    conf.update(extra)
    return Consumer(conf)


def consume_values(consumers, n, timeout=40):
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < n and time.monotonic() < deadline:
        for c in consumers:
            for m in c.consume(500, 0.2):
                if m.error():
                    assert m.error().code() == KafkaError._PARTITION_EOF, m.error()
                    continue
                got.append(m.value())
    return got


def test_confluent_group_commit_and_resume(broker):
    topic = create_topic(broker.bootstrap, unique("grp-cf"), partitions=2)
    group = unique("g")
    first = [b"a%d" % i for i in range(300)]
    produce(broker.bootstrap, topic, first, 2)
    c = group_consumer(broker.bootstrap, group)
    try:
        c.subscribe([topic])
        got = consume_values([c], len(first))
        assert sorted(got) == sorted(first), f"{len(got)} of {len(first)}"
        c.commit(asynchronous=False)
        committed = c.committed([TopicPartition(topic, 0), TopicPartition(topic, 1)], timeout=10)
        assert sorted(tp.offset for tp in committed) == [150, 150], committed
    finally:
        c.close()

    second = [b"b%d" % i for i in range(100)]
    produce(broker.bootstrap, topic, second, 2)
    c = group_consumer(broker.bootstrap, group)
    try:
        c.subscribe([topic])
        got = consume_values([c], len(second))
        time.sleep(0.5)
        got += consume_values([c], 1, timeout=1)
        assert sorted(got) == sorted(second), "resumed consumer did not start at the committed offsets"
    finally:
        c.close()


def test_confluent_two_members_split_partitions(broker):
    topic = create_topic(broker.bootstrap, unique("grp-two"), partitions=4)
    group = unique("g")
    a = group_consumer(broker.bootstrap, group)
    b = group_consumer(broker.bootstrap, group)
    try:
        a.subscribe([topic])
        b.subscribe([topic])
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            a.poll(0.1)
            b.poll(0.1)
            pa = {tp.partition for tp in a.assignment()}
            pb = {tp.partition for tp in b.assignment()}
            if pa and pb and not (pa & pb) and pa | pb == {0, 1, 2, 3}:
                break
        assert pa and pb and not (pa & pb) and pa | pb == {0, 1, 2, 3}, (pa, pb)
        values = [b"v%d" % i for i in range(200)]
        produce(broker.bootstrap, topic, values, 4)
        got = consume_values([a, b], len(values))
        assert sorted(got) == sorted(values)
        b.close()
        b = None
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            a.poll(0.1)
            if {tp.partition for tp in a.assignment()} == {0, 1, 2, 3}:
                break
        assert {tp.partition for tp in a.assignment()} == {0, 1, 2, 3}, "survivor did not take over all partitions"
    finally:
        a.close()
        if b is not None:
            b.close()


def test_kafka_python_group(broker):
    from kafka import KafkaConsumer
    topic = create_topic(broker.bootstrap, unique("grp-kp"), partitions=2)
    values = [b"k%d" % i for i in range(200)]
    produce(broker.bootstrap, topic, values, 2)
    group = unique("g")
    c = KafkaConsumer(topic, bootstrap_servers=broker.bootstrap, group_id=group, enable_auto_commit=False,
                      auto_offset_reset="earliest", fetch_max_wait_ms=100, session_timeout_ms=10000,
                      heartbeat_interval_ms=1000, request_timeout_ms=30000)
    try:
        got = []
        deadline = time.monotonic() + 40
        while len(got) < len(values) and time.monotonic() < deadline:
            for recs in c.poll(timeout_ms=300).values():
                got.extend(r.value for r in recs)
        assert sorted(got) == sorted(values)
        c.commit()
        tps = c.assignment()
        assert {c.committed(tp) for tp in tps} == {100}
    finally:
        c.close()


def test_aiokafka_group(broker):
    from aiokafka import AIOKafkaConsumer
    topic = create_topic(broker.bootstrap, unique("grp-aio"), partitions=2)
    values = [b"a%d" % i for i in range(200)]
    produce(broker.bootstrap, topic, values, 2)
    group = unique("g")

    async def run():
        c = AIOKafkaConsumer(topic, bootstrap_servers=broker.bootstrap, group_id=group, enable_auto_commit=False,
                             auto_offset_reset="earliest", fetch_max_wait_ms=100)
        await asyncio.wait_for(c.start(), 30)
        try:
            got = []
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 40
            while len(got) < len(values) and loop.time() < deadline:
                batch = await asyncio.wait_for(c.getmany(timeout_ms=300), 30)
                for recs in batch.values():
                    got.extend(r.value for r in recs)
            assert sorted(got) == sorted(values)
            await asyncio.wait_for(c.commit(), 20)
            for tp in c.assignment():
                assert await asyncio.wait_for(c.committed(tp), 20) == 100
        finally:
            await asyncio.wait_for(c.stop(), 20)

    asyncio.run(asyncio.wait_for(run(), 100))


def test_mixed_group_aiokafka_and_librdkafka(broker):
    """aiokafka offers only roundrobin, librdkafka range+roundrobin: the group must pick roundrobin."""
    from aiokafka import AIOKafkaConsumer
    topic = create_topic(broker.bootstrap, unique("grp-mix"), partitions=4)
    group = unique("g")

    async def run():
        aio = AIOKafkaConsumer(topic, bootstrap_servers=broker.bootstrap, group_id=group, enable_auto_commit=False,
                               auto_offset_reset="earliest", session_timeout_ms=10000, heartbeat_interval_ms=500)
        await asyncio.wait_for(aio.start(), 30)
        cf = group_consumer(broker.bootstrap, group, **{"partition.assignment.strategy": "range,roundrobin"})
        try:
            cf.subscribe([topic])
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 45
            pa = pc = set()
            while loop.time() < deadline:
                await asyncio.wait_for(aio.getmany(timeout_ms=100), 20)
                await loop.run_in_executor(None, cf.poll, 0.1)
                pa = {tp.partition for tp in aio.assignment()}
                pc = {tp.partition for tp in cf.assignment()}
                if pa and pc and not (pa & pc) and pa | pc == {0, 1, 2, 3}:
                    break
            assert pa and pc and not (pa & pc) and pa | pc == {0, 1, 2, 3}, (pa, pc)
        finally:
            cf.close()
            await asyncio.wait_for(aio.stop(), 20)

    asyncio.run(asyncio.wait_for(run(), 100))
