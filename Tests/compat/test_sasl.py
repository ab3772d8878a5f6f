"""SASL on the client listener, judged by real clients: kcat, confluent-kafka, kafka-python and
aiokafka authenticate with SCRAM-SHA-256 and SCRAM-SHA-512 on SASL_PLAINTEXT, and with PLAIN on
SASL_SSL; a wrong password gets SASL_AUTHENTICATION_FAILED at once and is logged; nothing but the
exchange is read before authentication; confluent-kafka's AdminClient creates, describes and
deletes SCRAM credentials, which survive a restart; the first administrator comes from
sasl.bootstrap.users.file."""

import os
import socket
import struct
import subprocess
import time

import pytest

from conftest import REPO
from round_trips import aiokafka_round_trip, confluent_round_trip, expected, kafka_python_round_trip

MAKE_CERTS = os.path.join(REPO, "tools", "tls", "make-certs.sh")
USERS = {"admin": "admin-secret", "alice": "alice secret with spaces"}


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sasl") / "users"
    path.write_text("# the first administrator\n" + "".join(f"{u}:{p}\n" for u, p in USERS.items()))
    return str(path)


def wait_for_log(b, text, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in open(b.log_path).read():
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in the broker log\n{b.tail()}")


def scram_broker(broker_factory, users_file, **extra):
    b = broker_factory(**{"listeners": "SASL_PLAINTEXT://127.0.0.1:{port}", "sasl.bootstrap.users.file": users_file, **extra})
    wait_for_log(b, "SCRAM credentials created")
    return b


def sasl_conf(b, mechanism="SCRAM-SHA-256", user="alice", password=None, protocol="sasl_plaintext"):
    return {"bootstrap.servers": b.bootstrap, "security.protocol": protocol, "sasl.mechanisms": mechanism,
            "sasl.username": user, "sasl.password": USERS.get(user, "") if password is None else password}


def round_trip(conf, topic, count=100):
    assert sorted(confluent_round_trip(conf, topic, count)) == expected(count)


def refused(conf):
    """The errors a client reports within 5 s; it must report an authentication failure."""
    from confluent_kafka import Producer
    errors = []
    producer = Producer({**conf, "error_cb": lambda e: errors.append(e)})
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        producer.poll(0.1)
    assert any("Authentication failed" in str(e) for e in errors), errors
    return errors


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_confluent_kafka_with_scram(broker_factory, users_file, topic_name, mechanism):
    b = scram_broker(broker_factory, users_file)
    round_trip(sasl_conf(b, mechanism), topic_name())


def test_a_wrong_password_is_refused_at_once_and_logged(broker_factory, users_file):
    b = scram_broker(broker_factory, users_file)
    started = time.monotonic()
    refused(sasl_conf(b, password="not the password"))
    assert time.monotonic() - started < 3
    refused(sasl_conf(b, user="mallory", password="x"))
    wait_for_log(b, "SASL authentication failed for user 'alice' from 127.0.0.1")
    wait_for_log(b, "SASL authentication failed for user 'mallory'")


def test_kcat_with_scram(broker_factory, users_file, topic_name):
    b = scram_broker(broker_factory, users_file)
    topic = topic_name()
    auth = ["-X", "security.protocol=sasl_plaintext", "-X", "sasl.mechanisms=SCRAM-SHA-512", "-X", "sasl.username=admin",
            "-X", f"sasl.password={USERS['admin']}"]
    subprocess.run(["kcat", "-P", "-b", b.bootstrap, "-t", topic, *auth], input="one\ntwo\nthree\n", text=True, check=True, timeout=30)
    out = subprocess.run(["kcat", "-C", "-b", b.bootstrap, "-t", topic, "-e", *auth], capture_output=True, text=True, check=True, timeout=30).stdout
    assert sorted(out.split()) == ["one", "three", "two"]


def test_kafka_python_with_scram(broker_factory, users_file, topic_name):
    b = scram_broker(broker_factory, users_file)
    values = kafka_python_round_trip(b.bootstrap, topic_name(), 50, security_protocol="SASL_PLAINTEXT", sasl_mechanism="SCRAM-SHA-256",
                                     sasl_plain_username="alice", sasl_plain_password=USERS["alice"])
    assert sorted(values) == expected(50)


def test_aiokafka_with_scram(broker_factory, users_file, topic_name):
    b = scram_broker(broker_factory, users_file)
    values = aiokafka_round_trip(b.bootstrap, topic_name(), 50, security_protocol="SASL_PLAINTEXT", sasl_mechanism="SCRAM-SHA-512",
                                 sasl_plain_username="admin", sasl_plain_password=USERS["admin"])
    assert sorted(values) == expected(50)


def test_plain_over_tls(broker_factory, users_file, topic_name, tmp_path):
    subprocess.run(["bash", MAKE_CERTS, str(tmp_path / "certs")], check=True, capture_output=True)
    b = broker_factory(**{"listeners": "SASL_SSL://127.0.0.1:{port}", "sasl.bootstrap.users.file": users_file,
                          "ssl.keystore.location": str(tmp_path / "certs" / "server.pem"),
                          "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256"})
    wait_for_log(b, "SCRAM credentials created")
    conf = {**sasl_conf(b, "PLAIN", protocol="sasl_ssl"), "ssl.ca.location": str(tmp_path / "certs" / "ca.pem")}
    round_trip(conf, topic_name(), count=20)
    refused({**conf, "sasl.password": "wrong"})


def _frame(api_key, version, correlation, body=b""):
    client = b"raw"
    header = struct.pack(">hhih", api_key, version, correlation, len(client)) + client
    return struct.pack(">i", len(header) + len(body)) + header + body


def test_nothing_but_the_exchange_is_read_before_authentication(broker_factory, users_file):
    b = scram_broker(broker_factory, users_file)
    # ApiVersions v0 is answered...
    with socket.create_connection(("127.0.0.1", b.port), timeout=5) as s:
        s.sendall(_frame(18, 0, 1))
        size = struct.unpack(">i", s.recv(4))[0]
        assert size > 0
        # ...Metadata v0 (all topics) before authenticating closes the connection unanswered.
        remaining = size
        while remaining:
            remaining -= len(s.recv(remaining))
        s.sendall(_frame(3, 0, 2, struct.pack(">i", 0)))
        assert s.recv(100) == b""
    # A SaslAuthenticate without a handshake: ILLEGAL_SASL_STATE, then closed.
    with socket.create_connection(("127.0.0.1", b.port), timeout=5) as s:
        s.sendall(_frame(36, 0, 3, struct.pack(">i", 3) + b"abc"))
        data = b""
        while True:
            chunk = s.recv(1000)
            if not chunk:
                break
            data += chunk
        assert struct.unpack(">h", data[8:10])[0] == 34, data


def test_admin_client_manages_scram_credentials_and_they_survive_a_restart(broker_factory, users_file, topic_name):
    from confluent_kafka.admin import (AdminClient, ScramCredentialInfo, ScramMechanism, UserScramCredentialDeletion,
                                       UserScramCredentialUpsertion)
    b = scram_broker(broker_factory, users_file)
    admin = AdminClient(sasl_conf(b, "SCRAM-SHA-512", user="admin"))
    upsert = UserScramCredentialUpsertion("bob", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), b"bob-password")
    for future in admin.alter_user_scram_credentials([upsert]).values():
        future.result(30)
    described = admin.describe_user_scram_credentials(["bob"])["bob"].result(30)
    assert [(i.mechanism, i.iterations) for i in described.scram_credential_infos] == [(ScramMechanism.SCRAM_SHA_256, 8192)]
    everyone = admin.describe_user_scram_credentials().result(30)
    assert {"admin", "alice", "bob"} <= set(everyone)
    round_trip(sasl_conf(b, "SCRAM-SHA-256", user="bob", password="bob-password"), topic_name(), count=10)
    # Bad requests are refused with Kafka's errors.
    bad = UserScramCredentialUpsertion("carol", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 100), b"pw")
    with pytest.raises(Exception) as low:
        admin.alter_user_scram_credentials([bad])["carol"].result(30)
    assert "UNACCEPTABLE_CREDENTIAL" in str(low.value) or "iterations" in str(low.value), low.value
    missing = UserScramCredentialDeletion("nobody", ScramMechanism.SCRAM_SHA_512)
    with pytest.raises(Exception) as gone:
        admin.alter_user_scram_credentials([missing])["nobody"].result(30)
    assert "RESOURCE_NOT_FOUND" in str(gone.value) or "no credential" in str(gone.value), gone.value

    b.stop()
    b.start()
    round_trip(sasl_conf(b, "SCRAM-SHA-256", user="bob", password="bob-password"), topic_name("after"), count=10)
    admin = AdminClient(sasl_conf(b, "SCRAM-SHA-512", user="admin"))
    for future in admin.alter_user_scram_credentials([UserScramCredentialDeletion("bob", ScramMechanism.SCRAM_SHA_256)]).values():
        future.result(30)
    refused(sasl_conf(b, "SCRAM-SHA-256", user="bob", password="bob-password"))
