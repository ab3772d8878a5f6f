"""Rolling restart under load: every node is stopped with SIGTERM (sluiced hands its leaderships
over and tells the controller before it exits) and started again, one at a time, while an
idempotent confluent-kafka producer writes to every partition. A client that retries must see no
error at all: every record is acknowledged, and read back once, in order."""

import time
import uuid

from checks import ConfluentWorkload, History, check, pick


def test_rolling_restart_under_load_reaches_no_client(make_cluster):
    c = make_cluster()
    topic = c.create_topic("roll-" + uuid.uuid4().hex[:8], partitions=3)
    history = History(uuid.uuid4().hex[:8])
    producer = ConfluentWorkload(c.bootstrap, topic, [0, 1, 2], history, rate=300, producer="roll").start()
    try:
        for _ in range(pick(1, 3)):
            for node in c.nodes:
                time.sleep(1.0)
                assert node.stop() == 0, f"{node} did not drain cleanly:\n{node.tail(20)}"
                node.start()
                for p in range(3):
                    c.wait_isr(topic, p, timeout=30)
        time.sleep(1.0)
    finally:
        producer.finish()
    assert not history.failed, f"a client saw errors during the rolling restart: {list(history.failed.items())[:5]}"
    problems, stats = check(history, c.read_all(topic, [0, 1, 2]))
    assert not problems, "\n".join(problems)
    print(f"rolling restart: {stats}")
