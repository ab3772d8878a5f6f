"""Produce-then-consume round trips with each Python client, for tests that vary only how the
client connects (TLS, SASL): each returns the values read back, in any order."""

import asyncio
import time
import uuid


def kafka_python_round_trip(bootstrap, topic, count, **connection):
    from kafka import KafkaConsumer, KafkaProducer
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", **connection)
    for index in range(count):
        producer.send(topic, value=f"v-{index}".encode())
    producer.flush(30)
    producer.close()
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=5000, **connection)
    values = [m.value.decode() for m in consumer]
    consumer.close()
    return values


def aiokafka_round_trip(bootstrap, topic, count, **connection):
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    async def run():
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", **connection)
        await producer.start()
        for index in range(count):
            await producer.send(topic, f"v-{index}".encode())
        await producer.flush()
        await producer.stop()
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", **connection)
        await consumer.start()
        values, deadline = [], time.monotonic() + 30
        try:
            while len(values) < count and time.monotonic() < deadline:
                batch = await asyncio.wait_for(consumer.getmany(timeout_ms=1000), 30)
                for records in batch.values():
                    values += [r.value.decode() for r in records]
        finally:
            await consumer.stop()
        return values

    return asyncio.run(run())


def confluent_round_trip(conf, topic, count):
    from confluent_kafka import Consumer, Producer
    producer = Producer({**conf, "acks": "all", "enable.idempotence": True})
    for index in range(count):
        producer.produce(topic, value=f"v-{index}".encode())
    assert producer.flush(30) == 0
    consumer = Consumer({**conf, "group.id": f"g-{uuid.uuid4().hex[:8]}", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    values, deadline = [], time.monotonic() + 30
    while len(values) < count and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is not None and message.error() is None:
            values.append(message.value().decode())
    consumer.commit(asynchronous=False)
    consumer.close()
    return values


def expected(count):
    return sorted(f"v-{i}" for i in range(count))
