"""Forged and malformed frames on the inter-node (CONTROLLER) listener of a running 3-node cluster.

What a hostile but fair user found before: one heartbeat with a term near 2^63 left the cluster
without a controller for good, and heartbeats naming other node ids registered ghost brokers,
redirected clients, created topics and moved the controller. Here each of those frames is sent,
on an authenticated cluster (they are refused before any field is read: the connection has not
proved it holds the secret) and on one that runs `cluster.insecure=true` (they pass the transport
and must be refused by validation). Either way the cluster keeps its controller, its brokers, its
topics and its data, and still does after every node restarts.
"""

import socket
import struct
import time
import urllib.request
import uuid

import pytest

import kafka_raw as raw
from cluster import NONE, wait_until

API_RAFT_MESSAGES = 1000
API_BROKER_HEARTBEAT = 1001

KIND_HEARTBEAT = 6
KIND_TIMEOUT_NOW = 9
GROUP_CONTROLLER = 0


def frame(api_key, body):
    """Header v2 (int16-length client id, empty tags) then a flexible v0 body, size-prefixed."""
    header = struct.pack(">hhi", api_key, 0, 7) + raw.i16(len(b"forger")) + b"forger" + raw.uvarint(0)
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def compact_array(items):
    return raw.uvarint(len(items) + 1) + b"".join(items)


def raft_message(kind, sender, to, term, log_term=0, index=-1, commit=-1):
    return (struct.pack(">b", GROUP_CONTROLLER) + raw.compact_string("") + struct.pack(">i", 0)
            + struct.pack(">biiqqqq", kind, sender, to, term, log_term, index, commit)
            + struct.pack(">?q", False, -1)  # reject, rejectHint
            + struct.pack(">q??", 0, False, False)  # context, leadershipTransfer, logLost
            + compact_array([])  # entries
            + struct.pack(">b", -1)  # no snapshot
            + raw.uvarint(0))


GROUP_PARTITION = 1
KIND_APPEND = 0


def append_message(topic, partition, sender, to, term, index, log_term, entry_data):
    """An append for a partition's group carrying one normal entry (indexCount 1) after `index`."""
    entry = struct.pack(">qqqb", term, index + 1, 1, 0) + compact_array([]) + compact_array([]) + raw.uvarint(len(entry_data) + 1) + entry_data + raw.uvarint(0)
    return (struct.pack(">b", GROUP_PARTITION) + raw.compact_string(topic) + struct.pack(">i", partition)
            + struct.pack(">biiqqqq", KIND_APPEND, sender, to, term, log_term, index, -1)
            + struct.pack(">?q", False, -1) + struct.pack(">q??", 0, False, False)
            + compact_array([entry]) + struct.pack(">b", -1) + raw.uvarint(0))


def raft_frame(cluster_id, sender, messages):
    body = struct.pack(">i", sender) + raw.compact_string(cluster_id) + compact_array(messages) + raw.uvarint(0)
    return frame(API_RAFT_MESSAGES, body)


def heartbeat_frame(cluster_id, node_id, host, port, topics_to_create=()):
    body = (struct.pack(">iq", node_id, int(time.time() * 1000)) + raw.compact_string(cluster_id)
            + raw.compact_string(host) + struct.pack(">i", port)
            + raw.compact_string(host) + struct.pack(">i", port + 1)
            + raw.uvarint(0)  # rack: null
            + compact_array([])  # leaderships
            + struct.pack(">?", False)
            + compact_array([raw.compact_string(t) for t in topics_to_create])
            + raw.uvarint(0))
    return frame(API_BROKER_HEARTBEAT, body)


def send_raw(node, data, wait_for_close):
    """Sends bytes to `node`'s inter-node port; True if the node closed the connection after it
    (only looked for when `wait_for_close`: an accepted frame is never answered)."""
    with socket.create_connection((node.host, node.raft_port), timeout=5) as s:
        s.sendall(data)
        if not wait_for_close:
            time.sleep(0.05)
            return None
        s.settimeout(3)
        try:
            return s.recv(1) == b""
        except (ConnectionResetError, socket.timeout):
            return False


def attack(c, ghost_topic, impersonate):
    """The forged frames the hardening issue lists, to every node: terms near 2^63 and past the
    leader-epoch range, a TimeoutNow, malformed sizes and, with `impersonate`, heartbeats for a
    node that does not exist, for another node's id, and asking for a topic. Frames carry the
    cluster's real id (anyone can read it); the listener must not need more to refuse them."""
    with open(f"{c.nodes[0].data_dir}/cluster.id") as f:
        cluster_id = f.read().strip()
    _, md = c.metadata()
    controller = md["controller"]
    closed = []
    for n in c.nodes:
        other = next(m.id for m in c.nodes if m.id != n.id)
        frames = [
            raft_frame(cluster_id, other, [raft_message(KIND_HEARTBEAT, other, n.id, 2**63 - 2)]),
            raft_frame(cluster_id, other, [raft_message(KIND_HEARTBEAT, other, n.id, 2**31 + 5)]),
            raft_frame(cluster_id, other, [raft_message(KIND_TIMEOUT_NOW, other, n.id, 1)]),
            b"\x7f\xff\xff\xff",
            b"\x00\x00\x00\x10" + b"\x03\xe8" + b"\xff" * 14,
        ]
        if impersonate:
            frames += [
                heartbeat_frame(cluster_id, 99, "10.9.9.9", 4242),
                heartbeat_frame(cluster_id, controller, "10.9.9.9", 4242),
                heartbeat_frame(cluster_id, other, "127.0.0.1", 4242, topics_to_create=[ghost_topic]),
            ]
        for data in frames:
            closed.append(send_raw(n, data, wait_for_close=impersonate))
    return closed


def assert_intact(c, controller_before, brokers_before, topic, values, ghost_topic):
    _, md = c.metadata()
    assert md["controller"] in [n.id for n in c.nodes], f"no controller after the attack: {md['controller']}"
    brokers = {(b["node_id"], b["host"], b["port"]) for b in md["brokers"]}
    assert brokers == brokers_before, f"brokers changed: {brokers} != {brokers_before}"
    _, md = c.metadata([ghost_topic])
    ghost = md["topics"].get(ghost_topic)
    assert ghost is None or ghost["error"] != NONE, f"a forged heartbeat created {ghost_topic}"
    assert [v for _, _, v in c.read_partition(topic, 0)["records"]] == values


def refused_count(node, insecure):
    """What a node's /metrics counts as refused: Raft messages when insecure (they pass the
    transport), inter-node frames when authenticated."""
    with urllib.request.urlopen(f"http://127.0.0.1:{node.admin_port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    name = "sluice_raft_messages_refused_total" if insecure else "sluice_peer_frames_refused_total"
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


def malformed_entries(node):
    """Raft messages `node` refused because the entries they carry are malformed."""
    with urllib.request.urlopen(f"http://127.0.0.1:{node.admin_port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    prefix = 'sluice_raft_messages_refused_total{reason="entriesMalformed"}'
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix))


def produce(c, topic, values):
    leader = c.wait_leader(topic, 0)
    with leader.conn() as conn:
        r = conn.produce_one(topic, 0, raw.encode_batch([(b"k", v) for v in values]), acks=-1)
    assert r["error"] == NONE, r


@pytest.mark.parametrize("insecure", [False, True], ids=["authenticated", "insecure"])
def test_forged_inter_node_frames_change_nothing(make_cluster, topic, insecure):
    settings = {"cluster.insecure": "true", "cluster.secret.file": ""} if insecure else None
    c = make_cluster(settings=settings, admin=True)
    c.create_topic(topic, partitions=1)
    values = [f"before-{i}".encode() for i in range(5)]
    produce(c, topic, values)
    controller = c.controller()
    _, md = c.metadata()
    brokers = {(b["node_id"], b["host"], b["port"]) for b in md["brokers"]}
    ghost = f"ghost-{uuid.uuid4().hex[:6]}"

    # Without authentication anyone may speak for any node (that is what insecure means), so only
    # the frames that validation alone must stop are sent to the insecure cluster.
    closed = attack(c, ghost, impersonate=not insecure)
    if not insecure:
        assert all(closed), f"an unauthenticated frame was not answered by closing the connection: {closed}"
    time.sleep(1.0)  # past a heartbeat interval and an election timeout
    wait_until(lambda: c.controller() is not None, 20, "a controller")
    assert_intact(c, controller, brokers, topic, values, ghost)
    # Every refusal is counted where an operator sees it.
    refused = sum(refused_count(n, insecure) for n in c.nodes)
    assert refused >= len(c.nodes), f"refusals counted in /metrics: {refused}"

    more = [f"after-{i}".encode() for i in range(5)]
    produce(c, topic, more)
    c.kill_all()
    c.start()
    wait_until(lambda: c.controller() is not None, 30, "a controller after every node restarted")
    assert_intact(c, controller, brokers, topic, values + more, ghost)
    for n in c.nodes:
        assert "negative term" not in open(n.log_path, errors="replace").read()


def test_a_leaders_entry_the_follower_cannot_store_is_dropped_not_fatal(make_cluster, topic):
    """Speaking for a partition's leader (anyone may, without authentication), an append at each
    follower's log end whose entry is no record batch: the core would take it and the storage
    refuse it, which stopped the node. It is dropped and counted; the followers keep replicating."""
    c = make_cluster(settings={"cluster.insecure": "true", "cluster.secret.file": ""}, admin=True)
    c.create_topic(topic, partitions=1)
    values = [f"before-{i}".encode() for i in range(5)]
    produce(c, topic, values)
    leader = c.wait_leader(topic, 0)
    with leader.conn() as conn:
        end = conn.list_offsets(topic, 0, timestamp=-1)["offset"]
        epoch = conn.metadata_v8([topic])[0][topic]["partitions"][0]["leader_epoch"]
    with open(f"{c.nodes[0].data_dir}/cluster.id") as f:
        cluster_id = f.read().strip()
    followers = [n for n in c.nodes if n.id != leader.id]
    for n in followers:
        c.wait_caught_up(topic, 0, n)
    before = {n.id: malformed_entries(n) for n in followers}
    for n in followers:
        message = append_message(topic, 0, leader.id, n.id, epoch, end, epoch, b"not a record batch")
        send_raw(n, raft_frame(cluster_id, leader.id, [message]), wait_for_close=False)
    wait_until(lambda: all(malformed_entries(n) == before[n.id] + 1 for n in followers), 10,
               "each follower to count its append as refused for malformed entries")
    assert all(n.alive() for n in c.nodes), "a node stopped"
    more = [f"after-{i}".encode() for i in range(5)]
    produce(c, topic, more)
    for n in followers:
        c.wait_caught_up(topic, 0, n)
    assert [v for _, _, v in c.read_partition(topic, 0)["records"]] == values + more


def test_hostile_create_topics_then_restart(make_cluster):
    """CreateTopics with 100,000 partitions: refused (POLICY_VIOLATION, max.partitions) before the
    controller commits anything; a normal topic still works; every node restarts and the huge
    topic is nowhere."""
    from confluent_kafka.admin import AdminClient, NewTopic
    c = make_cluster(settings={"max.partitions": "500"})
    admin = AdminClient({"bootstrap.servers": c.bootstrap})
    future = admin.create_topics([NewTopic("hostile", num_partitions=100_000, replication_factor=3)], request_timeout=30)["hostile"]
    with pytest.raises(Exception) as refused:
        future.result(30)
    assert "POLICY_VIOLATION" in str(refused.value), refused.value
    admin.create_topics([NewTopic("ordinary", num_partitions=3, replication_factor=3)], request_timeout=30)["ordinary"].result(30)
    del admin
    c.kill_all()
    c.start()
    _, md = c.metadata()
    assert md["controller"] in [n.id for n in c.nodes]
    _, md = c.metadata(["hostile", "ordinary"])
    assert md["topics"]["hostile"]["error"] != NONE and md["topics"]["ordinary"]["error"] == NONE, md["topics"]
