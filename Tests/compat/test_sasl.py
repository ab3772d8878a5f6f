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


def _send_until_closed(port, data):
    """Sends `data` on a new connection and returns everything read until the broker closes it."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return received
            received += chunk


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
    data = _send_until_closed(b.port, _frame(36, 0, 3, struct.pack(">i", 3) + b"abc"))
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


@pytest.mark.parametrize("client", ["confluent", "kcat", "kafka-python", "aiokafka"])
def test_every_client_over_sasl_ssl_with_scram_sha_512(broker_factory, users_file, topic_name, tmp_path, client):
    """What a secured production listener looks like: TLS, then SCRAM-SHA-512."""
    from aiokafka.helpers import create_ssl_context
    subprocess.run(["bash", MAKE_CERTS, str(tmp_path / "certs")], check=True, capture_output=True)
    ca = str(tmp_path / "certs" / "ca.pem")
    b = broker_factory(**{"listeners": "SASL_SSL://127.0.0.1:{port}", "sasl.bootstrap.users.file": users_file,
                          "ssl.keystore.location": str(tmp_path / "certs" / "server.pem")})
    wait_for_log(b, "SCRAM credentials created")
    topic = topic_name()
    if client == "confluent":
        values = confluent_round_trip({**sasl_conf(b, "SCRAM-SHA-512", protocol="sasl_ssl"), "ssl.ca.location": ca}, topic, 30)
    elif client == "kcat":
        auth = ["-X", "security.protocol=sasl_ssl", "-X", f"ssl.ca.location={ca}", "-X", "sasl.mechanisms=SCRAM-SHA-512",
                "-X", "sasl.username=alice", "-X", f"sasl.password={USERS['alice']}"]
        subprocess.run(["kcat", "-P", "-b", b.bootstrap, "-t", topic, *auth], input="".join(f"v-{i}\n" for i in range(30)),
                       text=True, check=True, timeout=30)
        values = subprocess.run(["kcat", "-C", "-b", b.bootstrap, "-t", topic, "-e", *auth], capture_output=True, text=True,
                                check=True, timeout=30).stdout.split()
    elif client == "kafka-python":
        values = kafka_python_round_trip(b.bootstrap, topic, 30, security_protocol="SASL_SSL", ssl_cafile=ca, sasl_mechanism="SCRAM-SHA-512",
                                         sasl_plain_username="alice", sasl_plain_password=USERS["alice"])
    else:
        values = aiokafka_round_trip(b.bootstrap, topic, 30, security_protocol="SASL_SSL", ssl_context=create_ssl_context(cafile=ca),
                                     sasl_mechanism="SCRAM-SHA-512", sasl_plain_username="alice", sasl_plain_password=USERS["alice"])
    assert sorted(values) == expected(30)


@pytest.mark.parametrize("client", ["kafka-python", "aiokafka"])
def test_a_wrong_password_fails_fast_in_python_clients(broker_factory, users_file, client, caplog):
    """kafka-python retries until max_block_ms and then says it could not bootstrap; the reason,
    Kafka's error 58 with the broker's message, is in its log. aiokafka raises it."""
    b = scram_broker(broker_factory, users_file)
    started, wall_start = time.monotonic(), time.time()
    with pytest.raises(Exception) as failed:
        if client == "kafka-python":
            from kafka import KafkaProducer
            KafkaProducer(bootstrap_servers=b.bootstrap, security_protocol="SASL_PLAINTEXT", sasl_mechanism="SCRAM-SHA-256",
                          sasl_plain_username="alice", sasl_plain_password="wrong", bootstrap_timeout_ms=4000)
        else:
            import asyncio
            from aiokafka import AIOKafkaProducer

            async def start():
                producer = AIOKafkaProducer(bootstrap_servers=b.bootstrap, security_protocol="SASL_PLAINTEXT", sasl_mechanism="SCRAM-SHA-256",
                                            sasl_plain_username="alice", sasl_plain_password="wrong", request_timeout_ms=4000)
                try:
                    await producer.start()
                finally:
                    await producer.stop()
            asyncio.run(start())
    said = str(failed.value) + caplog.text
    assert "Authentication failed: invalid credentials" in said, said[-2000:]
    # The broker's answer comes at once: the client says so within a few seconds (kafka-python
    # then keeps retrying until its own deadline).
    told = [r.created for r in caplog.records if "Authentication failed" in r.getMessage()]
    first = min(told) - wall_start if told else time.monotonic() - started
    assert first < 5, first


def _raw_frames(*frames):
    return b"".join(_frame(api, version, correlation, body) for api, version, correlation, body in frames)


def test_a_failed_guess_ends_the_connection_even_with_requests_pipelined_behind_it(broker_factory, users_file):
    """Handshake, a wrong PLAIN password, another handshake, the right password and a Metadata
    request, all in one write: after the first failure nothing is taken on the connection."""
    b = broker_factory(**{"listeners": "SASL_PLAINTEXT://127.0.0.1:{port}", "sasl.bootstrap.users.file": users_file,
                          "sasl.enabled.mechanisms": "PLAIN", "sasl.plain.allow.cleartext": "true"})
    wait_for_log(b, "SCRAM credentials created")

    def plain(password):
        token = b"\0alice\0" + password.encode()
        return struct.pack(">i", len(token)) + token

    mechanism = struct.pack(">h", 5) + b"PLAIN"
    data = _send_until_closed(b.port, _raw_frames((17, 1, 1, mechanism), (36, 0, 2, plain("wrong")), (17, 1, 3, mechanism),
                                                  (36, 0, 4, plain(USERS["alice"])), (3, 0, 5, struct.pack(">i", 0))))
    answers = []
    while len(data) >= 10:
        size = struct.unpack(">i", data[:4])[0]
        answers.append(struct.unpack(">ih", data[4:10]))
        data = data[4 + size:]
    # The handshake, the failed authentication (58), the second handshake refused (34), then the
    # connection ends: the right password and the Metadata request are never looked at.
    assert answers == [(1, 0), (2, 58), (3, 34)], answers


def test_an_unauthenticated_client_cannot_send_a_large_frame(broker_factory, users_file, topic_name):
    from confluent_kafka import Producer
    b = scram_broker(broker_factory, users_file)
    with socket.create_connection(("127.0.0.1", b.port), timeout=5) as s:
        s.sendall(struct.pack(">i", 600_000) + b"\0" * 4096)
        assert s.recv(100) == b""
    # After authenticating, the same client may send frames up to socket.request.max.bytes.
    producer = Producer({**sasl_conf(b), "acks": "all", "message.max.bytes": 2_000_000})
    delivered = []
    producer.produce(topic_name(), value=b"v" * 800_000, on_delivery=lambda err, msg: delivered.append(err))
    producer.flush(30)
    assert delivered == [None], delivered
