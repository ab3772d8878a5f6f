"""The idempotent-producer ids a partition keeps are bounded: any client may write batches under
any producer id (Kafka does not check that an id was handed out), and each id kept costs memory
for the life of the process. Past `max.producer.ids.per.partition` the least recently written
tenth is forgotten; an id idle for `producer.id.expiration.ms` is forgotten at the next retention
check. A forgotten id is unknown again: its next batch is appended whatever its sequence."""

import time

import kafka_raw as kr
from conftest import create_topic, unique

OUT_OF_ORDER_SEQUENCE_NUMBER = 45


def idempotent(pid, sequence, value=b"v"):
    return kr.encode_batch([(None, value)], producer_id=pid, producer_epoch=0, base_sequence=sequence)


def test_a_flood_of_producer_ids_keeps_the_most_recent_and_the_broker_serving(broker_factory):
    broker = broker_factory(**{"max.producer.ids.per.partition": "1000"})
    topic = create_topic(broker.bootstrap, unique("pid-flood"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        first = c.produce_one(topic, 0, idempotent(1, 0), acks=-1)
        assert (first["error"], first["base_offset"]) == (0, 0), first
        # 3,000 ids one batch each, a thousand per request: three times the limit.
        flood_ids = range(10_000, 13_000)
        for start in range(0, len(flood_ids), 1000):
            batches = b"".join(idempotent(pid, 0) for pid in flood_ids[start:start + 1000])
            r = c.produce_one(topic, 0, batches, acks=-1)
            assert r["error"] == 0, r
        end = c.list_offsets(topic, 0, -1)["offset"]
        assert end == 3001
        # The newest id is still known: a retry of its batch gets the offset it got first.
        newest = flood_ids[-1]
        retry = c.produce_one(topic, 0, idempotent(newest, 0), acks=-1)
        assert (retry["error"], retry["base_offset"]) == (0, end - 1), retry
        gap = c.produce_one(topic, 0, idempotent(newest, 5), acks=-1)
        assert gap["error"] == OUT_OF_ORDER_SEQUENCE_NUMBER, gap
        # The first id was the least recently written: forgotten, its next batch is taken as new.
        again = c.produce_one(topic, 0, idempotent(1, 7), acks=-1)
        assert (again["error"], again["base_offset"]) == (0, end), again
    with open(broker.log_path, errors="replace") as log:
        text = log.read()
    assert "producer ids forgotten so far at max.producer.ids.per.partition (1000)" in text, broker.tail()
    # What a restart reads back (the snapshot, then the log after it) is bounded the same way and
    # still knows the newest ids.
    broker.restart()
    with kr.Conn.to(broker.bootstrap) as c:
        retry = c.produce_one(topic, 0, idempotent(newest, 0), acks=-1)
        assert (retry["error"], retry["base_offset"]) == (0, end - 1), retry


def test_a_producer_id_idle_past_its_expiration_is_forgotten(broker_factory):
    broker = broker_factory(**{"producer.id.expiration.ms": "500", "log.retention.check.interval.ms": "200"})
    topic = create_topic(broker.bootstrap, unique("pid-expiry"), partitions=1)
    with kr.Conn.to(broker.bootstrap) as c:
        assert c.produce_one(topic, 0, idempotent(7, 0), acks=-1)["error"] == 0
        assert c.produce_one(topic, 0, idempotent(7, 5), acks=-1)["error"] == OUT_OF_ORDER_SEQUENCE_NUMBER
        deadline = time.monotonic() + 10
        while True:
            r = c.produce_one(topic, 0, idempotent(7, 5), acks=-1)
            if r["error"] == 0 or time.monotonic() > deadline:
                break
            assert r["error"] == OUT_OF_ORDER_SEQUENCE_NUMBER, r
            time.sleep(0.2)
        assert r["error"] == 0, f"producer id 7 was still known 10 s after writing, with a 500 ms expiration: {r}"
        # Known again from that batch on.
        assert c.produce_one(topic, 0, idempotent(7, 9), acks=-1)["error"] == OUT_OF_ORDER_SEQUENCE_NUMBER
