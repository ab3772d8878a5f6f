"""Two client listeners on every node of a 3-node cluster: each node reports its listeners to the
controller, so Metadata and FindCoordinator from any node give a client every broker's address on
the listener it came in on; a consumer group works through either; a node restarted without the
second listener drops out of that listener's Metadata and its partitions answer
LISTENER_NOT_FOUND there, as Kafka's do."""

import time
import uuid

import kafka_raw as raw
from cluster import NONE, free_ports, wait_until

LISTENER_NOT_FOUND = 72


def two_listener_cluster(make_cluster):
    c = make_cluster(start=False)
    external = dict(zip([n.id for n in c.nodes], free_ports(len(c.nodes))))
    for n in c.nodes:
        n.settings["listeners"] = f"PLAINTEXT://{n.host}:{n.client_port},EXTERNAL://{n.host}:{external[n.id]},CONTROLLER://{n.host}:{n.raft_port}"
        n.settings["advertised.listeners"] = f"PLAINTEXT://{n.host}:{n.client_port},EXTERNAL://127.0.0.1:{external[n.id]}"
        n.settings["listener.security.protocol.map"] = "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT"
    c.start()
    return c, external


def brokers_seen(node_host, port):
    with raw.Conn(node_host, port, timeout=5) as conn:
        md = conn.metadata(None, version=1)
    return {b["node_id"]: (b["host"], b["port"]) for b in md["brokers"]}


def test_metadata_and_groups_per_listener_across_the_cluster(make_cluster, topic):
    from confluent_kafka import Consumer, Producer
    c, external = two_listener_cluster(make_cluster)
    c.create_topic(topic, partitions=3)
    want_plain = {n.id: (n.host, n.client_port) for n in c.nodes}
    want_external = {n.id: ("127.0.0.1", external[n.id]) for n in c.nodes}
    for n in c.nodes:
        wait_until(lambda: brokers_seen(n.host, n.client_port) == want_plain, 15, f"{n}'s PLAINTEXT Metadata to list every PLAINTEXT address")
        wait_until(lambda: brokers_seen(n.host, external[n.id]) == want_external, 15, f"{n}'s EXTERNAL Metadata to list every EXTERNAL address")

    bootstrap = ",".join(f"127.0.0.1:{port}" for port in external.values())
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    for index in range(60):
        producer.produce(topic, value=f"v-{index}".encode(), partition=index % 3)
    assert producer.flush(30) == 0
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"g-{uuid.uuid4().hex[:6]}", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    values, deadline = [], time.monotonic() + 40
    while len(values) < 60 and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is not None and message.error() is None:
            values.append(message.value().decode())
    consumer.commit(asynchronous=False)
    consumer.close()
    assert sorted(values) == sorted(f"v-{i}" for i in range(60))


def test_a_node_without_the_listener_leaves_its_metadata(make_cluster, topic):
    c, external = two_listener_cluster(make_cluster)
    c.create_topic(topic, partitions=3)
    last = c.nodes[-1]
    last.stop()
    last.settings["listeners"] = f"PLAINTEXT://{last.host}:{last.client_port},CONTROLLER://{last.host}:{last.raft_port}"
    last.settings["advertised.listeners"] = f"PLAINTEXT://{last.host}:{last.client_port}"
    last.start()
    first = c.nodes[0]
    # Back (registered, unfenced) on PLAINTEXT, and absent from EXTERNAL.
    wait_until(lambda: brokers_seen(first.host, first.client_port).get(last.id) == (last.host, last.client_port), 15,
               f"{last} to be back in the PLAINTEXT Metadata")
    wait_until(lambda: last.id not in brokers_seen(first.host, external[first.id]), 15, f"{last} to leave the EXTERNAL Metadata")

    # Partitions only the node without the listener holds (RF 1: placement spreads them over
    # every node) have no leader a client of that listener could reach.
    single = topic + "-rf1"
    c.create_topic(single, partitions=6, replication_factor=1)

    def external_view():
        with raw.Conn(first.host, external[first.id], timeout=5) as conn:
            partitions = conn.metadata_v8([single])[0][single]["partitions"]
        held = [p for p in partitions if p["replicas"] == [last.id]]
        others = [p for p in partitions if p["replicas"] != [last.id]]
        return held and all(p["error"] == NONE for p in others) and (held, others)
    held, others = wait_until(external_view, 20, "every partition's leader known")
    assert all(p["error"] == LISTENER_NOT_FOUND and p["leader"] == -1 for p in held), held
    assert all(p["leader"] in external for p in others), others
