"""A node serves clients only once it knows the cluster.

Three nodes start together; the moment every client port accepts, confluent-kafka's AdminClient
creates a topic with replication factor 3. A node opens its client port only after the controller
has registered it, so by then all three brokers are known and no start-up error (such as
INVALID_REPLICATION_FACTOR while brokers register) reaches the client. Ten fresh clusters.

Before the AdminClient, every node's first Metadata answer is checked: it names the controller,
and the controller is in its broker list. A node that opened its port before the controller's own
registration reached it named a controller clients could not find, and librdkafka's AdminClient
then waited out its request timeout (once in about 70 starts).
"""

import socket
import time
import uuid

import kafka_raw as raw
from cluster import Cluster, wait_until


def accepts(node):
    try:
        with socket.create_connection((node.host, node.client_port), timeout=0.2):
            return True
    except OSError:
        return False


def test_create_topic_the_moment_ports_accept(request):
    from confluent_kafka.admin import AdminClient, NewTopic
    for attempt in range(10):
        c = Cluster.on_loopback(3)
        try:
            for n in c.nodes:
                n.launch()
            wait_until(lambda: all(accepts(n) for n in c.nodes), 30, "every client port to accept", interval=0.01)
            started = time.monotonic()
            for n in c.nodes:
                with raw.Conn(n.host, n.client_port) as conn:
                    md = conn.metadata(None)
                listed = sorted(b["node_id"] for b in md["brokers"])
                assert md["controller"] in listed, f"attempt {attempt}: {n} names controller {md['controller']}, brokers {listed}"
            admin = AdminClient({"bootstrap.servers": c.bootstrap})
            name = f"startup-{attempt}-{uuid.uuid4().hex[:6]}"
            admin.create_topics([NewTopic(name, num_partitions=3, replication_factor=3)], request_timeout=10)[name].result(10)
            took = time.monotonic() - started
            assert took < 10, f"attempt {attempt}: CreateTopics took {took:.1f}s"
            print(f"attempt {attempt}: created {name} (rf 3) {took:.2f}s after every port accepted")
            del admin  # its threads stop before the nodes go, so nothing reconnects to them
        finally:
            c.cleanup()
