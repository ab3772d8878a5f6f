"""aiokafka 0.14.0: ApiVersions v0 and only old, non-flexible versions; lz4 via cramjam."""

import asyncio
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition

from conftest import create_topic

STEP = 30  # seconds for any single awaited step


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def _round_trip(bootstrap, topic, n, **producer_conf):
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=20000, **producer_conf)
    await asyncio.wait_for(producer.start(), STEP)
    values = [b"%05d aiokafka compressible payload payload payload" % i for i in range(n)]
    try:
        futures = [await asyncio.wait_for(producer.send(topic, value=v, key=b"k%d" % i, partition=0), STEP)
                   for i, v in enumerate(values)]
        metas = await asyncio.wait_for(asyncio.gather(*futures), STEP)
    finally:
        await asyncio.wait_for(producer.stop(), STEP)
    assert [m.offset for m in metas] == list(range(n))

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                fetch_max_wait_ms=100, request_timeout_ms=20000)
    await asyncio.wait_for(consumer.start(), STEP)
    got = []
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await asyncio.wait_for(consumer.seek_to_beginning(tp), STEP)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while len(got) < n and loop.time() < deadline:
            batch = await asyncio.wait_for(consumer.getmany(tp, timeout_ms=500, max_records=1000), STEP)
            got.extend(batch.get(tp, []))
    finally:
        await asyncio.wait_for(consumer.stop(), STEP)
    assert len(got) == n, f"read {len(got)} of {n}"
    assert [r.offset for r in got] == list(range(n))
    assert [r.value for r in got] == values
    assert [r.key for r in got] == [b"k%d" % i for i in range(n)]


def test_aiokafka_lz4_round_trip(broker):
    topic = create_topic(broker.bootstrap, unique("aio-lz4"), partitions=1)
    asyncio.run(asyncio.wait_for(_round_trip(broker.bootstrap, topic, 500, compression_type="lz4", linger_ms=5), 100))


def test_aiokafka_plain_acks_all_round_trip(broker):
    topic = create_topic(broker.bootstrap, unique("aio-plain"), partitions=1)
    asyncio.run(asyncio.wait_for(_round_trip(broker.bootstrap, topic, 200, acks="all"), 100))


def test_aiokafka_idempotent_round_trip(broker):
    topic = create_topic(broker.bootstrap, unique("aio-idem"), partitions=1)
    asyncio.run(asyncio.wait_for(_round_trip(broker.bootstrap, topic, 300, enable_idempotence=True,
                                             compression_type="lz4"), 100))
