"""Each __consumer_offsets partition's log is cut behind a snapshot of the offsets it carries (here
every closed 1 KiB segment): a replica that was down while groups committed is behind the cut, gets
the snapshot from the leader, and ends with the same committed offsets in its own SQLite as the
groups committed, including those committed before the cut and never replayed to it."""

import os
import sqlite3
import uuid

from checks import commit, committed
from cluster import wait_until

GROUPS = 20
COMMITS = 300


def segment_bases(directory):
    return sorted(int(name[:-4]) for name in os.listdir(directory) if name.endswith(".log"))


def stored_offsets(node, topic):
    """{group: offset} of partition 0 of `topic` in a node's SQLite (read-only; WAL mode lets it
    be read while the node runs)."""
    db = sqlite3.connect(f"file:{os.path.join(node.data_dir, 'sluice-meta.db')}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT group_id, committed_offset FROM group_offsets WHERE topic = ? AND partition = 0", (topic,))
        return dict(rows.fetchall())
    finally:
        db.close()


def cluster_with_offsets(make_cluster):
    """Three nodes whose one offsets partition rolls a segment every 1 KiB and is checked for a
    cut every 200 ms, with the offsets topic created (three replicas): (cluster, topic, groups)."""
    c = make_cluster(settings={"offsets.topic.num.partitions": "1", "offsets.topic.segment.bytes": "1024",
                               "log.retention.check.interval.ms": "200"})
    topic = c.create_topic("snap-" + uuid.uuid4().hex[:8], partitions=1, replication_factor=3)
    groups = [f"g{i}-{uuid.uuid4().hex[:6]}" for i in range(GROUPS)]
    commit(c.bootstrap, groups[0], topic, {0: 0})
    c.wait_isr("__consumer_offsets", 0, size=3)
    return c, topic, groups


def commit_many(bootstrap, topic, groups):
    """COMMITS commits of partition 0 of `topic`, round robin over `groups`: {group: last offset}."""
    from confluent_kafka import Consumer, TopicPartition
    expected = {}
    consumers = {g: Consumer({"bootstrap.servers": bootstrap, "group.id": g, "enable.auto.commit": False}) for g in groups}
    try:
        for i in range(COMMITS):
            group = groups[i % len(groups)]
            consumers[group].commit(offsets=[TopicPartition(topic, 0, i)], asynchronous=False)
            expected[group] = i
    finally:
        for consumer in consumers.values():
            consumer.close()
    return expected


def follower_behind_the_cut(make_cluster):
    """A follower stopped while the groups committed, and the leader's log cut behind a snapshot
    past it: (cluster, topic, groups, the stopped follower, {group: last offset})."""
    c, topic, groups = cluster_with_offsets(make_cluster)
    leader = c.leader("__consumer_offsets", 0)
    absent = next(n for n in c.nodes if n.id != leader.id)
    absent.stop()
    expected = commit_many(",".join(n.bootstrap for n in c.up()), topic, groups)
    leader_dir = leader.partition_dir("__consumer_offsets", 0)
    wait_until(lambda: os.path.exists(os.path.join(leader_dir, "snapshot-data")) and segment_bases(leader_dir)[0] > 50,
               20, f"{leader} to cut its offsets log behind a snapshot", interval=0.1)
    return c, topic, groups, absent, expected


def damage_state(node, topic):
    """As a restore cut short leaves a stopped node (no applied index, the topic's groups gone
    from its SQLite), with its kept snapshot damaged too: nothing it can restore from."""
    db = sqlite3.connect(os.path.join(node.data_dir, "sluice-meta.db"))
    with db:
        assert db.execute("DELETE FROM offsets_applied WHERE partition = '__consumer_offsets-0'").rowcount == 1
        db.execute("DELETE FROM group_offsets WHERE topic = ?", (topic,))
    db.close()
    with open(os.path.join(node.partition_dir("__consumer_offsets", 0), "snapshot-data"), "r+b") as f:
        f.seek(-1, os.SEEK_END)
        last = f.read(1)
        f.seek(-1, os.SEEK_END)
        f.write(bytes([last[0] ^ 1]))


def test_a_replica_behind_the_cut_offsets_log_restores_the_offsets_from_a_snapshot(make_cluster):
    c, topic, groups, absent, expected = follower_behind_the_cut(make_cluster)
    absent.start()
    wait_until(lambda: f"restored {GROUPS} groups' offsets from a snapshot" in absent.tail(400), 30, f"{absent} to restore offsets from a snapshot", interval=0.2)
    c.wait_isr("__consumer_offsets", 0, size=3)
    for group in groups[:3]:
        assert committed(c.bootstrap, group, topic, [0]) == {0: expected[group]}
    # In the ISR it holds every entry, but it applies the last ones only once a heartbeat tells
    # it they are committed: wait for its store (read beside it) to have them, then stop it.
    wait_until(lambda: stored_offsets(absent, topic) == expected, 20, f"{absent}'s own store to hold every commit", interval=0.2)
    absent.stop()
    assert stored_offsets(absent, topic) == expected, f"{absent}'s own store differs after a stop"


def test_a_damaged_kept_snapshot_is_not_sent_and_a_replica_waits_for_a_new_one(make_cluster):
    """Both replicas that cut the log find their kept snapshot damaged at restart: each drops it
    (it fails its checksum). With no retention check to take a new one, the leader can only send
    its position: the replica behind the cut refuses it, stays as it was (its log not reset) and
    asks again every 10 s. Once the leader takes a new snapshot, the replica restores it and ends
    with every committed offset."""
    c, topic, groups = cluster_with_offsets(make_cluster)
    absent = c.nodes[2]
    absent.stop()
    live = [n for n in c.nodes if n is not absent]
    expected = commit_many(",".join(n.bootstrap for n in live), topic, groups)
    kept = [os.path.join(n.partition_dir("__consumer_offsets", 0), "snapshot-data") for n in live]
    wait_until(lambda: all(os.path.exists(k) for k in kept) and
               all(segment_bases(n.partition_dir("__consumer_offsets", 0))[0] > 50 for n in live),
               20, "both live replicas to cut their offsets logs behind snapshots", interval=0.1)
    for n in live:
        n.stop()
    for path in kept:
        with open(path, "r+b") as f:
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
            f.seek(-1, os.SEEK_END)
            f.write(bytes([last[0] ^ 1]))
    for n in live:
        n.settings["log.retention.check.interval.ms"] = "600000"
        n.start()
        assert "the kept snapshot fails its checksum" in n.tail(100), n.tail(20)
    absent.start()
    wait_until(lambda: "carries no offsets" in absent.tail(400), 30, f"{absent} to refuse a snapshot without offsets", interval=0.2)
    assert "replica __consumer_offsets-0 stopped for 10 s" in absent.tail(400), absent.tail(20)
    assert segment_bases(absent.partition_dir("__consumer_offsets", 0))[0] == 0, "the refused snapshot reset the log"

    for n in live:
        n.stop()
        n.settings["log.retention.check.interval.ms"] = "200"
    for n in live:
        n.start()
    wait_until(lambda: f"restored {GROUPS} groups' offsets from a snapshot" in absent.tail(400), 60,
               f"{absent} to restore offsets from a snapshot", interval=0.2)
    c.wait_isr("__consumer_offsets", 0, size=3)
    wait_until(lambda: stored_offsets(absent, topic) == expected, 20, f"{absent}'s own store to hold every commit", interval=0.2)
    absent.stop()
    assert stored_offsets(absent, topic) == expected, f"{absent}'s own store differs after a stop"


def test_a_replica_with_no_state_it_can_restore_rebuilds_it_from_the_leader(make_cluster):
    """A follower whose restore was cut short (no applied index, its groups deleted: made here by
    hand in its stopped SQLite) and whose kept snapshot is damaged has nothing to restore from.
    It joins its group marked incomplete, then, following the leader, gives its log up and starts
    empty, as a new replica would (voting as if it held its old log until it is back there), and
    the leader sends its snapshot: the follower's own store ends with every group's offset, and
    once the old leader stops the partition serves them all."""
    c, topic, groups = cluster_with_offsets(make_cluster)
    expected = commit_many(c.bootstrap, topic, groups)
    leader = c.leader("__consumer_offsets", 0)
    follower = next(n for n in c.nodes if n.id != leader.id)
    directory = follower.partition_dir("__consumer_offsets", 0)
    kept = os.path.join(directory, "snapshot-data")
    leader_dir = leader.partition_dir("__consumer_offsets", 0)
    wait_until(lambda: os.path.exists(kept) and segment_bases(directory)[0] > 50 and segment_bases(leader_dir)[0] > 50, 20,
               f"{follower} and {leader} to cut their offsets logs behind snapshots", interval=0.1)
    follower.stop()
    damage_state(follower, topic)
    follower.start()
    wait_until(lambda: f"restored {GROUPS} groups' offsets from a snapshot" in follower.tail(400), 30,
               f"{follower} to restore the leader's snapshot", interval=0.2)
    log = follower.tail(400)
    assert "the kept snapshot fails its checksum" in log, follower.tail(20)
    assert "it serves none of its offsets, hands any leadership to a caught-up replica" in log, follower.tail(20)
    assert "gave its log up and rebuilds it, and its state, from the leader" in log, follower.tail(20)
    c.wait_isr("__consumer_offsets", 0, size=3)
    wait_until(lambda: stored_offsets(follower, topic) == expected, 20, f"{follower}'s own store to hold every commit", interval=0.2)
    leader.stop()
    live = ",".join(n.bootstrap for n in c.up())
    for group in groups:
        assert committed(live, group, topic, [0]) == {0: expected[group]}, group
    commit(live, groups[0], topic, {0: 10_000})
    assert committed(live, groups[0], topic, [0]) == {0: 10_000}


def test_a_leader_with_no_state_it_can_restore_hands_over_and_rebuilds(make_cluster):
    """The damaged replica is the only one that can win the election: it restarts beside a
    replica whose log is behind its own (that one missed the last commits). It leads with its
    machine marked incomplete, serves none of the partition's offsets, hands its leadership to
    the other replica once that one holds its whole log, then, as a follower, gives its log up
    and is rebuilt from the new leader's snapshot. Every offset is served, and its own store
    ends with all of them."""
    c, topic, groups = cluster_with_offsets(make_cluster)
    expected = commit_many(c.bootstrap, topic, groups)
    dirs = [n.partition_dir("__consumer_offsets", 0) for n in c.nodes]
    wait_until(lambda: all(os.path.exists(os.path.join(d, "snapshot-data")) and segment_bases(d)[0] > 50 for d in dirs),
               20, "every replica to cut its offsets log behind a snapshot", interval=0.1)
    damaged, behind, third = c.nodes
    behind.stop()
    live = ",".join(n.bootstrap for n in c.up())
    for group in groups[:2]:  # few enough to stay in the leader's log: no snapshot is needed
        expected[group] += 1000
        commit(live, group, topic, {0: expected[group]})
    third.stop()
    damaged.stop()
    damage_state(damaged, topic)

    damaged.launch()
    behind.start()
    damaged.wait_ready()
    # (Leadership changes are logged in a sample when many come at once: its handing over is not.)
    wait_until(lambda: f"leads without its state: handing its leadership to node {behind.id}" in damaged._since_launch(), 30,
               f"{damaged}, the only replica the other can vote for, to lead and hand over", interval=0.2)
    wait_until(lambda: f"restored {GROUPS} groups' offsets from a snapshot" in damaged._since_launch(), 60,
               f"{damaged} to hand over, give its log up and restore the new leader's snapshot", interval=0.2)
    log = damaged._since_launch()
    assert "it serves none of its offsets, hands any leadership to a caught-up replica" in log, damaged.tail(20)
    assert "gave its log up and rebuilds it, and its state, from the leader" in log, damaged.tail(20)
    third.start()
    c.wait_isr("__consumer_offsets", 0, size=3)
    for group in groups:
        assert committed(c.bootstrap, group, topic, [0]) == {0: expected[group]}, group
    wait_until(lambda: stored_offsets(damaged, topic) == expected, 20, f"{damaged}'s own store to hold every commit", interval=0.2)


def test_a_snapshot_a_replica_cannot_write_is_tried_again(make_cluster):
    """A replica behind the cut whose SQLite refuses writes (a trigger standing in for a full
    disk) cannot take the leader's snapshot: it stops for 10 s instead of stopping the node, and
    once writes work again it restores the kept snapshot and ends with every committed offset."""
    c, topic, groups, absent, expected = follower_behind_the_cut(make_cluster)
    path = os.path.join(absent.data_dir, "sluice-meta.db")
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TRIGGER full_disk BEFORE INSERT ON group_offsets BEGIN SELECT RAISE(ABORT, 'disk full (a test trigger)'); END")
    db.close()

    absent.start()
    wait_until(lambda: "could not be written" in absent._since_launch(), 30, f"{absent} to fail to write the snapshot", interval=0.2)
    assert "stopped for 10 s" in absent._since_launch(), absent.tail(20)
    assert absent.alive(), absent.tail(20)
    db = sqlite3.connect(path, timeout=10)
    with db:
        db.execute("DROP TRIGGER full_disk")
    db.close()
    wait_until(lambda: f"restored {GROUPS} groups' offsets from a snapshot" in absent._since_launch(), 30,
               f"{absent} to restore the snapshot once writes work", interval=0.2)
    c.wait_isr("__consumer_offsets", 0, size=3)
    wait_until(lambda: stored_offsets(absent, topic) == expected, 20, f"{absent}'s own store to hold every commit", interval=0.2)
