"""Authorization with Kafka's ACLs, judged by confluent-kafka's producer, consumer and AdminClient
against a SASL/SCRAM broker with the standard authorizer on: nothing is allowed without an ACL
(but to super users), ALLOW entries (literal and prefixed) open exactly what they name, DENY wins,
Metadata shows only what a principal may describe, the ACL APIs need cluster rights, and ACLs
survive a restart."""

import time
import uuid

import pytest

from round_trips import confluent_round_trip, expected

PASSWORDS = {"admin": "admin-pw", "alice": "alice-pw", "bob": "bob-pw"}


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("acl-users") / "users"
    path.write_text("".join(f"{u}:{p}\n" for u, p in PASSWORDS.items()))
    return str(path)


def conf(b, user):
    return {"bootstrap.servers": b.bootstrap, "security.protocol": "sasl_plaintext", "sasl.mechanisms": "SCRAM-SHA-256",
            "sasl.username": user, "sasl.password": PASSWORDS[user]}


def secured_broker(broker_factory, users_file):
    b = broker_factory(**{"listeners": "SASL_PLAINTEXT://127.0.0.1:{port}", "sasl.bootstrap.users.file": users_file,
                          "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users": "User:admin"})
    deadline = time.monotonic() + 20
    while "SCRAM credentials created" not in open(b.log_path).read() and time.monotonic() < deadline:
        time.sleep(0.1)
    return b


def acl(resource_type, name, pattern, principal, operation, permission="ALLOW"):
    from confluent_kafka.admin import AclBinding, AclOperation, AclPermissionType, ResourcePatternType, ResourceType
    return AclBinding(getattr(ResourceType, resource_type), name, getattr(ResourcePatternType, pattern), principal, "*",
                      getattr(AclOperation, operation), getattr(AclPermissionType, permission))


def create(admin, *bindings):
    for future in admin.create_acls(list(bindings)).values():
        future.result(30)


def produce_error(b, user, topic):
    """The error a producer gets for one record, or None when it is written."""
    from confluent_kafka import Producer
    outcome = []
    producer = Producer({**conf(b, user), "acks": "all", "message.timeout.ms": 5000})
    producer.produce(topic, value=b"x", on_delivery=lambda err, msg: outcome.append(err))
    producer.flush(15)
    return outcome[0] if outcome else "no delivery report"


def test_acls_decide_who_may_do_what(broker_factory, users_file):
    from confluent_kafka.admin import AclBindingFilter, AdminClient, AclOperation, AclPermissionType, NewTopic, ResourcePatternType, ResourceType
    b = secured_broker(broker_factory, users_file)
    admin = AdminClient(conf(b, "admin"))
    topic = f"orders-{uuid.uuid4().hex[:6]}"
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(30)

    # Nothing is allowed without an ACL: alice cannot write, and Metadata does not show the topic.
    error = produce_error(b, "alice", topic)
    assert error is not None and "TOPIC_AUTHORIZATION_FAILED" in error.name(), error
    alice_admin = AdminClient(conf(b, "alice"))
    assert topic not in alice_admin.list_topics(timeout=10).topics
    # Nor may she manage ACLs or create topics.
    with pytest.raises(Exception) as refused:
        create(alice_admin, acl("TOPIC", topic, "LITERAL", "User:alice", "WRITE"))
    assert "CLUSTER_AUTHORIZATION_FAILED" in str(refused.value), refused.value
    with pytest.raises(Exception) as no_create:
        alice_admin.create_topics([NewTopic("alice-topic", num_partitions=1, replication_factor=1)])["alice-topic"].result(30)
    assert "TOPIC_AUTHORIZATION_FAILED" in str(no_create.value), no_create.value

    # A prefixed ALLOW for writes, and reads of the topic and of her groups: alice round-trips.
    create(admin, acl("TOPIC", "orders-", "PREFIXED", "User:alice", "WRITE"), acl("TOPIC", topic, "LITERAL", "User:alice", "READ"),
           acl("GROUP", "g-", "PREFIXED", "User:alice", "READ"))
    assert topic in alice_admin.list_topics(timeout=10).topics, "Write implies Describe"
    assert sorted(confluent_round_trip(conf(b, "alice"), topic, 20)) == expected(20)
    # bob is still refused.
    error = produce_error(b, "bob", topic)
    assert error is not None and "TOPIC_AUTHORIZATION_FAILED" in error.name(), error

    # Host-scoped entries hold on requests forwarded to the controller too: alice may create
    # topics from anywhere but 127.0.0.1.
    create(admin, acl("BROKER", "kafka-cluster", "LITERAL", "User:alice", "CREATE"))
    from confluent_kafka.admin import AclBinding
    local_deny = AclBinding(ResourceType.BROKER, "kafka-cluster", ResourcePatternType.LITERAL, "User:alice", "127.0.0.1",
                            AclOperation.CREATE, AclPermissionType.DENY)
    create(admin, local_deny)
    with pytest.raises(Exception) as denied_here:
        alice_admin.create_topics([NewTopic("alice-local", num_partitions=1, replication_factor=1)])["alice-local"].result(30)
    assert "TOPIC_AUTHORIZATION_FAILED" in str(denied_here.value), denied_here.value
    for future in admin.delete_acls([AclBindingFilter(ResourceType.BROKER, None, ResourcePatternType.ANY, "User:alice", None,
                                                      AclOperation.ANY, AclPermissionType.ANY)]).values():
        future.result(30)

    # DENY wins over ALLOW.
    create(admin, acl("TOPIC", topic, "LITERAL", "User:alice", "WRITE", "DENY"))
    error = produce_error(b, "alice", topic)
    assert error is not None and "TOPIC_AUTHORIZATION_FAILED" in error.name(), error

    # Group join needs Read on the group: a group alice has no ACL for refuses her consumer.
    from confluent_kafka import Consumer, KafkaException
    outsider = Consumer({**conf(b, "alice"), "group.id": "not-hers", "auto.offset.reset": "earliest"})
    outsider.subscribe([topic])
    refused_join = None
    deadline = time.monotonic() + 15
    while refused_join is None and time.monotonic() < deadline:
        message = outsider.poll(0.5)
        if message is not None and message.error() is not None:
            refused_join = message.error()
    outsider.close()
    assert refused_join is not None and "GROUP_AUTHORIZATION_FAILED" in refused_join.name(), refused_join

    # Deleting a topic needs Delete on it: refused, then allowed by an ACL.
    with pytest.raises(Exception) as no_delete:
        alice_admin.delete_topics([topic])[topic].result(30)
    assert "TOPIC_AUTHORIZATION_FAILED" in str(no_delete.value), no_delete.value
    scratch = f"scratch-{uuid.uuid4().hex[:6]}"
    admin.create_topics([NewTopic(scratch, num_partitions=1, replication_factor=1)])[scratch].result(30)
    create(admin, acl("TOPIC", scratch, "LITERAL", "User:alice", "DELETE"))
    alice_admin.delete_topics([scratch])[scratch].result(30)

    # DescribeAcls sees them; DeleteAcls removes the DENY; the ACLs survive a restart.
    everything = AclBindingFilter(ResourceType.ANY, None, ResourcePatternType.ANY, None, None, AclOperation.ANY, AclPermissionType.ANY)
    assert len(admin.describe_acls(everything).result(30)) == 5
    deny_only = AclBindingFilter(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, "User:alice", None, AclOperation.ANY, AclPermissionType.DENY)
    deleted = list(admin.delete_acls([deny_only]).values())[0].result(30)
    assert len(deleted) == 1
    b.stop()
    b.start()
    assert produce_error(b, "alice", topic) is None
    admin = AdminClient(conf(b, "admin"))
    assert len(admin.describe_acls(everything).result(30)) == 4
