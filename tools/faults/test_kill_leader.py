"""(a) kill -9 a partition leader every few seconds while an idempotent producer sends with
acks=all; restart the killed node. Every acknowledged record exactly once, in order, at the offset
its ack named; no offset reused; the producer keeps going after every kill."""

import statistics
import time
import uuid

from checks import ConfluentWorkload, History, check, pick

PARTITIONS = 3


def test_kill9_leader_under_idempotent_producer(make_cluster, topic):
    kills = pick(3, 20)
    interval = pick(2.0, 5.0)
    c = make_cluster()
    c.create_topic(topic, partitions=PARTITIONS)
    history = History(uuid.uuid4().hex[:8])
    producer = ConfluentWorkload(c.bootstrap, topic, range(PARTITIONS), history, rate=pick(150, 500)).start()
    elections = []
    kill_times = []
    try:
        time.sleep(1.0)
        for i in range(kills):
            p = i % PARTITIONS
            leader = c.wait_leader(topic, p, timeout=20)
            time.sleep(interval)
            leader.kill9()
            killed_at = time.monotonic()
            kill_times.append(killed_at)
            c.wait_leader(topic, p, exclude=[leader], timeout=15)
            elections.append(time.monotonic() - killed_at)
            time.sleep(0.5)
            leader.start()
            c.wait_caught_up(topic, p, leader, timeout=30)
            assert not producer.fatal, f"producer fatal error after kill {i + 1}: {producer.fatal}"
        time.sleep(2.0)
    finally:
        producer.stop()
    producer.finish()
    stalled = [i + 1 for i, t in enumerate(kill_times) if history.acks_after(t + 0.001) == 0]
    assert not stalled, f"no acknowledgement after kill(s) {stalled}: clients did not continue"

    reads, slow = {}, []
    for p in range(PARTITIONS):
        started = time.monotonic()
        read = c.read_partition(topic, p, timeout=pick(90, 600))
        reads[p] = read["records"]
        took = time.monotonic() - started
        if read["fetches"] > max(20, len(read["records"]) // 20):
            slow.append(f"partition {p} from node {read['node']}: {len(read['records'])} records took "
                        f"{read['fetches']} Fetches and {took:.1f}s")
    problems, stats = check(history, reads)
    print(f"kill9 leader: {kills} kills, new leader seen after median {statistics.median(elections):.2f}s "
          f"max {max(elections):.2f}s; {stats}; slow reads: {slow}")
    assert not problems, "\n".join(problems)
    assert stats["acked"] > 0
    # A consumer catching up after the failovers must get many batches per Fetch, not one or two.
    assert not slow, "reading back after leader kills was slow: " + "; ".join(slow)
