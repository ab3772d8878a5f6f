"""A cluster of one grows to three in place: node 1 runs alone and takes records and committed
offsets; it restarts with a controller listener and itself as the only voter; nodes 2 and 3 start
with that voters line and node 1's cluster id, follow the controller log, and `sluice quorum
add-voter` makes them voters; `sluice partition reassign` gives every partition three replicas.
An idempotent acks=all producer writes throughout: every acknowledged record is there once, in order.
Then node 1 is killed: the other two elect a controller, keep every record and every committed
offset, and take metadata changes. Node 1 comes back as a voter.

Also: a node with another cluster's cluster.id is refused with one line, AddRaftVoter for a node
that does not follow the quorum times out naming why, and a duplicate or unknown voter gets
DUPLICATE_VOTER / VOTER_NOT_FOUND; the quorum's leader voted out hands leadership over first and
stays an observer."""

import json
import os
import subprocess
import time
import uuid

from checks import ConfluentWorkload, History, check, commit, committed, pick
from cluster import SLUICED, wait_until
import kafka_raw as kr  # noqa: E402  (on the path cluster.py sets)

SLUICE = os.path.join(os.path.dirname(SLUICED), "sluice")
RECORDS = 300
COMMITTED = 120


def _sluice(bootstrap, *args, timeout=120):
    """Runs the admin CLI; returns (exit status, stdout, stderr)."""
    done = subprocess.run([SLUICE, "--brokers", bootstrap, *args], capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


def _sluice_ok(bootstrap, *args, timeout=120):
    status, out, err = _sluice(bootstrap, *args, timeout=timeout)
    assert status == 0, f"sluice {' '.join(args)} exited {status}:\n{out}\n{err}"
    return out


def _quorum(bootstrap):
    return json.loads(_sluice_ok(bootstrap, "quorum", "describe", "--json"))


def _produce(bootstrap, topic, count):
    from confluent_kafka import Producer
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True, "linger.ms": 5})
    failures = []
    for i in range(count):
        producer.produce(topic, key=str(i).encode(), value=f"v{i}".encode(), partition=i % 2,
                         on_delivery=lambda err, msg: err and failures.append(err))
    assert producer.flush(30) == 0 and not failures, failures


def test_a_cluster_of_one_grows_to_three_and_survives_losing_its_first_node(make_cluster):
    c = make_cluster(size=3, start=False, settings={"offsets.topic.num.partitions": 2})
    n1, n2, n3 = c.nodes
    as_cluster = dict(n1.settings)
    n1.settings = {k: v for k, v in as_cluster.items() if k not in ("controller.quorum.voters", "cluster.secret.file")}
    n1.settings.update({"listeners": f"PLAINTEXT://{n1.host}:{n1.client_port}", "default.replication.factor": 1, "min.insync.replicas": 1})
    n1.start()
    topic, group = "grow-" + uuid.uuid4().hex[:6], "grow-group"
    live_topic = "live-" + uuid.uuid4().hex[:6]
    _sluice_ok(n1.bootstrap, "topic", "create", topic, "-p", "2", "-r", "1")
    _sluice_ok(n1.bootstrap, "topic", "create", live_topic, "-p", "2", "-r", "1")
    _produce(n1.bootstrap, topic, RECORDS)
    commit(n1.bootstrap, group, topic, {0: COMMITTED // 2, 1: COMMITTED // 2 + 1})

    # Node 1 becomes a quorum of one that others can reach; its data stays where it is.
    n1.stop()
    voters = f"1@{n1.host}:{n1.raft_port}"
    n1.settings = dict(as_cluster, **{"controller.quorum.voters": voters})
    n1.start()
    with open(os.path.join(n1.data_dir, "cluster.id")) as f:
        cluster_id = f.read().strip()
    assert cluster_id in _sluice_ok(n1.bootstrap, "cluster", "info")

    # A node that names another cluster is refused before it touches anything.
    n2.settings.update({"controller.quorum.voters": voters, "cluster.id": cluster_id})
    # Node 3 even names itself a voter: a node that joins with cluster.id follows the quorum
    # whatever its voters line says, and never elects a quorum of its own.
    n3.settings.update({"controller.quorum.voters": f"{voters},3@{n3.host}:{n3.raft_port}", "cluster.id": cluster_id})
    os.makedirs(n3.data_dir, exist_ok=True)
    with open(os.path.join(n3.data_dir, "cluster.id"), "w") as f:
        f.write("some-other-cluster\n")
    with open(os.path.join(n3.data_dir, "node.id"), "w") as f:
        f.write("3\n")
    n3.launch()
    n3.proc.wait(timeout=30)
    assert n3.proc.returncode != 0
    assert "belongs to another cluster" in n3.tail(5), n3.tail(5)
    os.remove(os.path.join(n3.data_dir, "cluster.id"))

    n2.start()
    n3.start()
    wait_until(lambda: sorted(b["node_id"] for b in c.metadata(via=[n1])[1]["brokers"]) == [1, 2, 3], 30, "nodes 2 and 3 to register")
    wait_until(lambda: sorted(o["id"] for o in _quorum(n1.bootstrap)["observers"]) == [2, 3], 30, "nodes 2 and 3 to follow the controller log")

    # From here until node 1 is killed, a producer writes through the whole growth.
    history = History(uuid.uuid4().hex[:8])
    live = ConfluentWorkload(c.bootstrap, live_topic, [0, 1], history, producer="grow", rate=200).start()
    status, _, err = _sluice(n2.bootstrap, "quorum", "remove-voter", "2")
    assert status != 0 and "VOTER_NOT_FOUND" in err, err
    status, _, err = _sluice(n2.bootstrap, "quorum", "add-voter", "9", "--wait-timeout-ms", "2000")
    assert status != 0 and "REQUEST_TIMED_OUT" in err and "does not follow the controller log" in err, err
    took = {}
    started = time.monotonic()
    _sluice_ok(n2.bootstrap, "quorum", "add-voter", "2")
    took["add-voter 2"] = time.monotonic() - started
    started = time.monotonic()
    _sluice_ok(n3.bootstrap, "quorum", "add-voter", "3")
    took["add-voter 3"] = time.monotonic() - started
    status, _, err = _sluice(n1.bootstrap, "quorum", "add-voter", "3")
    assert status != 0 and "DUPLICATE_VOTER" in err, err
    quorum = _quorum(n2.bootstrap)
    assert sorted(v["id"] for v in quorum["voters"]) == [1, 2, 3] and quorum["observers"] == [], quorum

    # Every partition, the offsets topic's too, gets three replicas.
    started = time.monotonic()
    out = _sluice_ok(n1.bootstrap, "partition", "reassign", topic, live_topic, "__consumer_offsets", "--replicas", "1,2,3",
                     "--wait", timeout=180)
    took["reassign 6 partitions to 1,2,3"] = time.monotonic() - started
    assert out.count("MOVING") == 6, out
    for p in (0, 1):
        for name in (topic, live_topic, "__consumer_offsets"):
            c.wait_isr(name, p, size=3, via=[n2])
    assert live.stop() == 0 and not live.fatal, live.fatal

    # Node 1 dies: the other two are a majority of the voters.
    n1.kill9()
    started = time.monotonic()
    wait_until(lambda: c.controller(exclude=[n1]) in (2, 3), pick(20, 40), "nodes 2 and 3 to elect a controller")
    took["kill -9 of node 1 to a controller on 2 or 3"] = time.monotonic() - started
    survivors = f"{n2.bootstrap},{n3.bootstrap}"
    records = {p: c.read_partition(topic, p)["records"] for p in (0, 1)}
    values = sorted(int(value.decode()[1:]) for p in (0, 1) for _, _, value in records[p])
    assert values == list(range(RECORDS)), f"{len(values)} records after node 1 died"
    problems, stats = check(history, {p: c.read_partition(live_topic, p)["records"] for p in (0, 1)})
    assert not problems, "\n".join(problems)
    assert committed(survivors, group, topic, (0, 1), timeout=20) == {0: COMMITTED // 2, 1: COMMITTED // 2 + 1}
    # With node 1 down, voting out node 2 would leave {1, 3} with one of them up: refused.
    status, _, err = _sluice(n2.bootstrap, "quorum", "remove-voter", "2")
    assert status != 0 and "INVALID_REQUEST" in err and "only 1 of the voters 1,3 are up" in err, err
    after = "grown-" + uuid.uuid4().hex[:6]
    _sluice_ok(n2.bootstrap, "topic", "create", after, "-p", "1", "-r", "2")

    # Node 1 comes back and follows again as a voter.
    n1.start()
    def node1_heard():
        [one] = [v for v in _quorum(n2.bootstrap)["voters"] if v["id"] == 1]
        return time.time() * 1000 - one["lastHeardMillis"] < 500
    wait_until(node1_heard, 30, "the quorum's leader to hear from node 1 again")
    assert sorted(v["id"] for v in _quorum(n1.bootstrap)["voters"]) == [1, 2, 3]

    # The leader itself is voted out: it hands leadership over first, then stays an observer.
    # Sent raw, on one connection: the hand-over reroutes the request to the new leader, and the
    # client gets that one's answer on the connection it asked on.
    leader = _quorum(n1.bootstrap)["leader"]
    with kr.Conn.to(n1.bootstrap, timeout=40) as conn:
        answer = conn.voter_change(kr.API_REMOVE_RAFT_VOTER, leader)
        assert answer == (0, None), (answer, _quorum(n2.bootstrap), time.time())
    quorum = wait_until(lambda: (lambda q: q if [o["id"] for o in q["observers"]] == [leader] else None)(_quorum(n1.bootstrap)),
                        30, f"node {leader} to follow as an observer")
    assert quorum["leader"] != leader and sorted(v["id"] for v in quorum["voters"]) == sorted({1, 2, 3} - {leader}), quorum
    _sluice_ok(n1.bootstrap, "quorum", "add-voter", str(leader))
    assert sorted(v["id"] for v in _quorum(n1.bootstrap)["voters"]) == [1, 2, 3]
    print(f"grew to three as cluster {cluster_id}: " + ", ".join(f"{what} {seconds:.2f} s" for what, seconds in took.items())
          + f"; the producer meanwhile: {stats}")
