"""Admin requests through any node, before and after the controller moves (KIP-590 forwarding).

Three admin clients (confluent-kafka, kafka-python, aiokafka) are opened once and kept open while
the controller is killed with SIGKILL, stopped with SIGSTOP, and handed over by a graceful stop
(sluiced transfers its controller leadership when it drains). After each change every client
creates a topic, alters a config, adds partitions and deletes the topic. The clients cache the
controller they last saw, so after a change they send to a node that no longer leads: that node
forwards. A client may see a retriable error while the cluster elects (it retries, as an
application would); it must never see NOT_CONTROLLER.
"""

import asyncio
import time
import uuid

from cluster import NONE, NOT_CONTROLLER, REQUEST_TIMED_OUT, wait_until
from checks import pick

RETRY_SECONDS = 30.0


class Attempts:
    """Runs an admin step until it succeeds, keeping every error seen on the way."""

    def __init__(self, client):
        self.client = client
        self.errors = []

    def run(self, what, step, done_if=lambda text: False):
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            try:
                step()
                return
            except Exception as e:  # noqa: BLE001 - every client raises its own types
                text = f"{type(e).__name__}: {e}"
                self.errors.append(f"{self.client} {what}: {text}")
                assert "NOT_CONTROLLER" not in text.upper() and "NOTCONTROLLER" not in text.upper(), \
                    f"{self.client} {what} saw NOT_CONTROLLER: {text}"
                if done_if(text):
                    return  # an earlier attempt did it after all (its answer was lost)
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.client} {what} still failing after {RETRY_SECONDS}s: {self.errors[-5:]}")
                time.sleep(0.5)


def already_exists(text):
    return "ALREADY_EXISTS" in text.upper() or "TopicAlreadyExists" in text


def unknown_topic(text):
    return "UNKNOWN_TOPIC" in text.upper() or "UnknownTopic" in text


class ConfluentAdmin:
    name = "confluent-kafka"

    def __init__(self, bootstrap):
        from confluent_kafka.admin import AdminClient
        self.admin = AdminClient({"bootstrap.servers": bootstrap})

    def create(self, topic):
        from confluent_kafka.admin import NewTopic
        self.admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=3)], request_timeout=15)[topic].result(20)

    def alter(self, topic):
        from confluent_kafka.admin import AlterConfigOpType, ConfigEntry, ConfigResource, ResourceType
        entry = ConfigEntry("retention.ms", "3600000", incremental_operation=AlterConfigOpType.SET)
        resource = ConfigResource(ResourceType.TOPIC, topic, incremental_configs=[entry])
        for fut in self.admin.incremental_alter_configs([resource], request_timeout=15).values():
            fut.result(20)

    def add_partitions(self, topic):
        from confluent_kafka.admin import NewPartitions
        self.admin.create_partitions([NewPartitions(topic, 2)], request_timeout=15)[topic].result(20)

    def delete(self, topic):
        self.admin.delete_topics([topic], request_timeout=15)[topic].result(20)

    def close(self):
        pass


class KafkaPythonAdmin:
    name = "kafka-python"

    def __init__(self, bootstrap):
        from kafka.admin import KafkaAdminClient
        self.admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15000)

    def create(self, topic):
        from kafka.admin import NewTopic
        self.admin.create_topics([NewTopic(topic, 1, 3)])

    def alter(self, topic):
        from kafka.admin import ConfigResource, ConfigResourceType
        self.admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "3600000"})])

    def add_partitions(self, topic):
        from kafka.admin import NewPartitions
        self.admin.create_partitions({topic: NewPartitions(2)})

    def delete(self, topic):
        self.admin.delete_topics([topic])

    def close(self):
        self.admin.close()


class AiokafkaAdmin:
    """aiokafka's admin client on an event loop of its own, driven step by step."""
    name = "aiokafka"

    def __init__(self, bootstrap):
        from aiokafka.admin import AIOKafkaAdminClient

        async def started():
            admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15000)
            await admin.start()
            return admin
        self.loop = asyncio.new_event_loop()
        self.admin = self.loop.run_until_complete(started())

    def _run(self, coro):
        return self.loop.run_until_complete(asyncio.wait_for(coro, 25))

    @staticmethod
    def _check(response, rows, code_at=1):
        for row in rows(response):
            if row[code_at] != NONE:
                raise RuntimeError(f"error code {row[code_at]} in {response}")

    def create(self, topic):
        from aiokafka.admin import NewTopic
        self._check(self._run(self.admin.create_topics([NewTopic(topic, 1, 3)])), lambda r: r.topic_errors)

    def alter(self, topic):
        from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
        for response in self._run(self.admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "3600000"})])):
            self._check(response, lambda r: r.resources, code_at=0)

    def add_partitions(self, topic):
        from aiokafka.admin import NewPartitions
        self._run(self.admin.create_partitions({topic: NewPartitions(2)}))

    def delete(self, topic):
        self._check(self._run(self.admin.delete_topics([topic])), lambda r: r.topic_error_codes)

    def close(self):
        self.loop.run_until_complete(self.admin.close())
        self.loop.close()


def exercise(c, admins, label):
    """Every client: create, alter a config, add a partition, delete; each must take effect."""
    for admin in admins:
        topic = f"fwd-{label}-{admin.name}-{uuid.uuid4().hex[:6]}"
        attempts = Attempts(admin.name)
        attempts.run("create", lambda: admin.create(topic), done_if=already_exists)
        wait_until(lambda: c.partition(topic, 0) is not None, 20, f"{topic} in Metadata")
        attempts.run("alter config", lambda: admin.alter(topic))
        attempts.run("add partitions", lambda: admin.add_partitions(topic), done_if=lambda t: "INVALID_PARTITIONS" in t.upper() or "already has 2" in t)
        wait_until(lambda: c.partition(topic, 1) is not None, 20, f"{topic}-1 in Metadata")
        attempts.run("delete", lambda: admin.delete(topic), done_if=unknown_topic)
        wait_until(lambda: c.partition(topic, 0) is None, 20, f"{topic} gone from Metadata")
        print(f"{label}: {admin.name} created, altered, grew and deleted {topic}"
              + (f" after retrying: {attempts.errors}" if attempts.errors else ""))


def new_controller(c, old):
    new = wait_until(lambda: (lambda ctl: ctl if ctl not in (None, old.id) else None)(c.controller(exclude=[old])),
                     30, f"a controller other than {old}")
    print(f"controller moved from node {old.id} to node {new}")
    return new


def test_admin_clients_survive_controller_changes(make_cluster):
    c = make_cluster()
    admins = [ConfluentAdmin(c.bootstrap), KafkaPythonAdmin(c.bootstrap), AiokafkaAdmin(c.bootstrap)]
    try:
        exercise(c, admins, "start")
        changes = [
            ("kill9", lambda n: n.kill9(), lambda n: n.start()),
            ("sigstop", lambda n: n.pause(), lambda n: n.resume()),
            # A graceful stop hands the controller leadership over first.
            ("transfer", lambda n: n.stop(), lambda n: n.start()),
        ]
        for label, disrupt, recover in changes:
            old = c.node(c.controller())
            disrupt(old)
            new_controller(c, old)
            recover(old)
            c.wait_formed()
            exercise(c, admins, label)
    finally:
        for admin in admins:
            admin.close()
        del admins


def test_every_node_takes_admin_requests(make_cluster):
    """Raw CreateTopics to each node in turn, the controller and the others alike."""
    c = make_cluster()
    for n in c.nodes:
        name = f"any-node-{n.id}-{uuid.uuid4().hex[:6]}"
        assert c.create_topic_raw(n, name) == NONE, f"CreateTopics through {n}"
        wait_until(lambda: c.partition(name, 0) is not None, 20, f"{name} in Metadata")
    for _ in range(pick(1, 3)):
        old = c.node(c.controller())
        old.kill9()
        new_controller(c, old)
        survivors = [n for n in c.nodes if n.id != old.id]
        for n in survivors:
            name = f"after-{n.id}-{uuid.uuid4().hex[:6]}"
            assert c.create_topic_raw(n, name) == NONE, f"CreateTopics through {n} after the controller {old} died"
        old.start()
        c.wait_formed()


def test_without_a_controller_the_answer_is_retriable(make_cluster):
    """No quorum, no controller: REQUEST_TIMED_OUT after the request's timeout, never NOT_CONTROLLER."""
    c = make_cluster()
    # The controller is among the paused: on waking it still leads (no one else could win), heard
    # no heartbeats while stopped, and must not fence the brokers for its own pause.
    controller = wait_until(c.controller, 20, "the nodes to agree on a controller")
    alone = next(n for n in c.nodes if n.id != controller)
    others = [n for n in c.nodes if n.id != alone.id]
    for n in others:
        n.pause()
    try:
        # Once the lone node has given up on the quorum it names no controller (a controller that
        # loses its quorum in the middle of a proposal answers REQUEST_TIMED_OUT at once instead).
        wait_until(lambda: c.metadata(via=[alone])[1]["controller"] == -1, 20, f"{alone} to name no controller")
        started = time.monotonic()
        code = c.create_topic_raw(alone, f"no-quorum-{uuid.uuid4().hex[:6]}", timeout_ms=5000)
        waited = time.monotonic() - started
        assert code == REQUEST_TIMED_OUT, f"CreateTopics without a quorum answered {code}"
        assert 4.0 <= waited <= 15.0, f"answered after {waited:.1f}s, not after the 5 s timeout"
    finally:
        for n in others:
            n.resume()
    c.wait_formed()
    assert c.create_topic_raw(alone, f"quorum-back-{uuid.uuid4().hex[:6]}") == NONE
    time.sleep(1.0)  # several heartbeat rounds after waking
    with open(c.node(controller).log_path, "rb") as f:
        log = f.read().decode(errors="replace")
    assert "fencing silent brokers" not in log, "the paused controller fenced brokers for its own pause"
