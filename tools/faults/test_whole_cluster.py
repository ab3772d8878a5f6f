"""(d) kill -9 every node at once while an idempotent producer sends, restart them all: every
acknowledged record and every committed consumer-group offset is still there. The first cycle
also kills the controller alone first: committed offsets survive a controller failover."""

import time
import uuid

from checks import ConfluentWorkload, History, check, commit, committed, pick
from cluster import wait_until

PARTITIONS = 3


def wait_committed(c, group, topic, expected, what):
    """Reads the group's offsets (retrying while a coordinator is being elected) until they are
    there; asserts they equal `expected`."""
    seen = wait_until(lambda: committed(",".join(n.bootstrap for n in c.up()), group, topic, expected.keys()),
                      40, f"committed offsets of {group} ({what})", interval=0.5)
    assert seen == expected, f"committed offsets {what}: {seen}, committed were {expected}"


def test_kill9_all_nodes_keeps_acked_records_and_group_offsets(make_cluster, topic):
    cycles = pick(2, 10)
    c = make_cluster()
    c.create_topic(topic, partitions=PARTITIONS)
    history = History(uuid.uuid4().hex[:8])
    group = f"g-{history.run}"
    producer = ConfluentWorkload(c.bootstrap, topic, range(PARTITIONS), history, rate=pick(300, 500)).start()
    try:
        for cycle in range(cycles):
            time.sleep(pick(2.0, 4.0))
            # Commit, for each partition, the offset after its last acknowledged record so far.
            with history.lock:
                acked = list(history.acked.values())
            offsets = {p: max((o for (q, o, _, _) in acked if q == p), default=-1) + 1 for p in range(PARTITIONS)}
            offsets = {p: o for p, o in offsets.items() if o > 0}
            assert offsets, "nothing acknowledged before the crash"
            commit(c.bootstrap, group, topic, offsets)
            wait_committed(c, group, topic, offsets, "right after commit")

            if cycle == 0:
                controller = c.node(wait_until(c.controller, 10, "a controller"))
                controller.kill9()
                wait_until(lambda: c.controller(exclude=[controller]) not in (None, controller.id), 20,
                           f"a new controller after killing {controller}")
                wait_committed(c, group, topic, offsets, f"after controller {controller} was killed")
                controller.start()

            c.kill_all()
            c.start()
            for p in range(PARTITIONS):
                c.wait_leader(topic, p, timeout=30)
            wait_committed(c, group, topic, offsets, f"after kill -9 of all nodes (cycle {cycle + 1})")
            assert not producer.fatal, f"producer fatal error in cycle {cycle + 1}: {producer.fatal}"
        time.sleep(2.0)
    finally:
        producer.stop()
    producer.finish()
    problems, stats = check(history, c.read_all(topic, range(PARTITIONS)))
    print(f"whole-cluster kill: {cycles} cycles; {stats}")
    assert not problems, "\n".join(problems)
