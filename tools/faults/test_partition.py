"""(c) Network partitions with namespaces + iptables DROP.

Each node runs in a network namespace of its own. Phase 1 isolates the partition leader: the
minority (the old leader, still reachable by the client) acknowledges nothing; the majority elects
a leader and keeps acknowledging; after the heal the old leader catches up (back in the ISR, its
log equal to the leader's, its unacknowledged tail gone) without forcing an election. Phase 2
isolates a follower: the leader never changes, before or after the heal. "No election" is checked
by the leader id and by the log itself: every election appends a control batch (the no-op)."""

import time
import uuid

import kafka_raw as raw
from checks import History, PinnedProducer, check, pick, value_of
from cluster import NONE, ClusterError, scan_log_files, wait_until


def produce_some(c, node, topic, history, name, count):
    ok = 0
    with node.conn() as conn:
        for i in range(count):
            value = value_of(history.run, name, 0, i)
            history.send(value, 0)
            r = conn.produce_one(topic, 0, raw.encode_batch([(value, value)]), acks=-1, timeout_ms=5000, timeout=15)
            if r["error"] == NONE:
                history.ack(value, 0, r["base_offset"], node=node.id)
                ok += 1
    return ok


def logs_agree(c, topic, leader, other):
    """The other replica's segment files hold the same batches as the leader's, up to the HW."""
    hw = c.read_partition(topic, 0, via=leader)["high_watermark"]
    mine, p1 = scan_log_files(leader.partition_dir(topic, 0))
    theirs, p2 = scan_log_files(other.partition_dir(topic, 0))
    if p1 or p2:
        return False
    upto = lambda batches: [(b, l, crc) for (b, l, crc, _) in batches if b < hw]  # noqa: E731
    return upto(mine) == upto(theirs)


def stable_leader(c, topic, leader, seconds):
    """Every node names `leader` for partition 0 during `seconds`; returns the views that did not.
    A node that fails to answer one Metadata is asked again at the next round (a reset connection
    is not a leadership change); one that answers no round at all is a wrong view."""
    wrong = []
    answered = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for n in c.nodes:
            try:
                p = c.partition(topic, 0, via=[n])
            except ClusterError as e:
                n.note(f"stable_leader: {e}")
                continue
            answered.add(n.id)
            if p is None or p["leader"] != leader.id:
                wrong.append((n.id, None if p is None else p["leader"]))
        time.sleep(0.2)
    wrong += [(n.id, "never answered") for n in c.nodes if n.id not in answered]
    return wrong


def rejoined_without_election(c, topic, leader, node, controls_before):
    """After a heal: `node` back in the ISR with the leader's log, `leader` still named by every
    node, and no new control batch (no election). Returns the control batch count."""
    c.wait_isr(topic, 0, timeout=30, via=[leader])
    wait_until(lambda: logs_agree(c, topic, leader, node), 30, f"{node}'s log to equal leader {leader}'s after the heal")
    wrong = stable_leader(c, topic, leader, pick(2.0, 5.0))
    assert not wrong, f"leadership moved after {node} rejoined (node, leader it named): {wrong[:10]}"
    controls = c.read_partition(topic, 0, via=leader)["control_batches"]
    assert controls == controls_before, f"an election happened after {node} rejoined: control batches {controls_before} -> {controls}"
    return controls


def test_network_partition_minority_majority_heal(namespaces, make_cluster, topic):
    isolate_for = pick(4.0, 20.0)
    c = make_cluster(addresses=namespaces.addresses())
    c.create_topic(topic, partitions=1)
    history = History(uuid.uuid4().hex[:8])
    assert produce_some(c, c.wait_leader(topic, 0), topic, history, "before", 20) == 20

    # Phase 1: isolate the leader.
    old = c.wait_leader(topic, 0)
    minority = PinnedProducer(old, topic, 0, history, name="minority", interval=0.1).start()
    isolated_at = time.monotonic()
    namespaces.isolate(old.id - 1)
    try:
        new = c.wait_leader(topic, 0, exclude=[old], timeout=15)
        elected_after = time.monotonic() - isolated_at
        majority_acks = produce_some(c, new, topic, history, "majority", 50)
        time.sleep(max(0.0, isolated_at + isolate_for - time.monotonic()))
        controls_before = c.read_partition(topic, 0, via=new)["control_batches"]
    finally:
        namespaces.heal()
    healed_at = time.monotonic()
    time.sleep(1.0)
    minority.stop()
    minority_acks = [(r[0].decode(), round(r[2] - isolated_at, 2)) for r in minority.responses
                     if r[3] == NONE and r[1] > isolated_at]
    assert not minority_acks, f"isolated old leader {old} acknowledged (value, s after isolation): {minority_acks[:10]}"
    assert majority_acks == 50, f"majority leader {new} acknowledged only {majority_acks} of 50"

    controls_after = rejoined_without_election(c, topic, new, old, controls_before)

    # Phase 2: isolate a follower for several election timeouts; nothing may move.
    leader = new
    follower = next(n for n in c.nodes if n.id != leader.id)
    namespaces.isolate(follower.id - 1)
    try:
        time.sleep(pick(3.0, 15.0))
        assert produce_some(c, leader, topic, history, "phase2", 20) == 20, "leader with a majority stopped acknowledging"
    finally:
        namespaces.heal()
    rejoined_without_election(c, topic, leader, follower, controls_after)

    problems, stats = check(history, c.read_all(topic, [0]))
    print(f"partition: new leader {new} seen {elected_after:.2f}s after isolating {old}; healed after "
          f"{healed_at - isolated_at:.1f}s; minority answered {len(minority.responses)}; {stats}")
    assert not problems, "\n".join(problems)
