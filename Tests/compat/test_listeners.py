"""Several client listeners on one node, judged by real clients: PLAINTEXT and SASL_SSL side by
side; Metadata and FindCoordinator answer each client with the addresses of the listener it came
in on (a client would otherwise be sent to a port that speaks another protocol), records written
through one are read through the other, SASL is required on its listener and nowhere else, and
mistaken listener settings stop sluiced with one line naming them."""

import os
import subprocess
import time

import pytest

import kafka_raw as kr
from conftest import REPO, SLUICED, free_port
from round_trips import confluent_round_trip, expected

MAKE_CERTS = os.path.join(REPO, "tools", "tls", "make-certs.sh")
ILLEGAL_SASL_STATE = 34


@pytest.fixture
def broker_with_two_listeners(broker_factory, tmp_path):
    subprocess.run(["bash", MAKE_CERTS, str(tmp_path / "certs")], check=True, capture_output=True)
    users = tmp_path / "users"
    users.write_text("alice:alice-secret\n")
    secure_port = free_port()
    b = broker_factory(**{"listeners": f"PLAINTEXT://127.0.0.1:{{port}},SASL_SSL://127.0.0.1:{secure_port}",
                          "ssl.keystore.location": str(tmp_path / "certs" / "server.pem"),
                          "sasl.bootstrap.users.file": str(users)})
    deadline = time.monotonic() + 20
    while "SCRAM credentials created" not in open(b.log_path).read():
        assert time.monotonic() < deadline, b.tail()
        time.sleep(0.1)
    secure = {"bootstrap.servers": f"127.0.0.1:{secure_port}", "security.protocol": "sasl_ssl", "sasl.mechanisms": "SCRAM-SHA-512",
              "sasl.username": "alice", "sasl.password": "alice-secret", "ssl.ca.location": str(tmp_path / "certs" / "ca.pem")}
    return b, secure_port, secure


def listed_ports(conf):
    from confluent_kafka.admin import AdminClient
    metadata = AdminClient(conf).list_topics(timeout=15)
    return sorted(broker.port for broker in metadata.brokers.values())


def test_each_listener_answers_with_its_own_addresses(broker_with_two_listeners, topic_name):
    b, secure_port, secure = broker_with_two_listeners
    plain = {"bootstrap.servers": b.bootstrap}
    assert listed_ports(plain) == [b.port]
    assert listed_ports(secure) == [secure_port]
    # A group's coordinator is found on each listener (FindCoordinator answers per listener too).
    assert sorted(confluent_round_trip(plain, topic_name(), 30)) == expected(30)
    assert sorted(confluent_round_trip(secure, topic_name(), 30)) == expected(30)


def test_records_written_through_one_listener_are_read_through_the_other(broker_with_two_listeners, topic_name):
    from confluent_kafka import Consumer, Producer
    b, _, secure = broker_with_two_listeners
    topic = topic_name()
    producer = Producer({"bootstrap.servers": b.bootstrap, "acks": "all"})
    for index in range(20):
        producer.produce(topic, value=f"v-{index}".encode())
    assert producer.flush(30) == 0
    consumer = Consumer({**secure, "group.id": "across", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    values, deadline = [], time.monotonic() + 30
    while len(values) < 20 and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is not None and message.error() is None:
            values.append(message.value().decode())
    consumer.close()
    assert sorted(values) == expected(20)


def test_sasl_is_required_on_its_listener_only(broker_with_two_listeners):
    from confluent_kafka import Producer
    b, secure_port, secure = broker_with_two_listeners
    # The clear-text listener needs no authentication, and offers none.
    with kr.Conn.to(b.bootstrap) as c:
        _, payload = c.request(17, 1, kr.string("SCRAM-SHA-512"))
        assert kr.Reader(payload).i16() == ILLEGAL_SASL_STATE
    with kr.Conn.to(b.bootstrap) as c:
        assert c.metadata(None, version=1)["brokers"][0]["port"] == b.port
    # The SASL_SSL one refuses a wrong password.
    errors = []
    producer = Producer({**secure, "sasl.password": "wrong", "error_cb": lambda e: errors.append(e)})
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        producer.poll(0.1)
    assert any("Authentication failed" in str(e) for e in errors), errors


@pytest.mark.parametrize("settings, complaint", [
    (["--listeners=PLAINTEXT://127.0.0.1:{a},PLAINTEXT://127.0.0.1:{b}"], "names a listener twice"),
    (["--listeners=PLAINTEXT://127.0.0.1:{a},SSL://127.0.0.1:{a}", "--ssl.keystore.location=/nonexistent"], "two listeners on one address"),
    (["--listeners=PLAINTEXT://127.0.0.1:{a},INTERNAL://127.0.0.1:{b}"], "listener INTERNAL has no security protocol"),
    (["--listeners=PLAINTEXT://127.0.0.1:{a},SSL://127.0.0.1:{b}"], "listener SSL is SSL but neither ssl.keystore.location"),
    (["--listeners=PLAINTEXT://127.0.0.1:{a},SASL_PLAINTEXT://127.0.0.1:{b}", "--advertised.listeners=EXTERNAL://example.com:1"],
     "advertised.listeners names EXTERNAL"),
    (["--listeners=" + ",".join(f"L{i}://127.0.0.1:{20001 + i}" for i in range(9))], "at most 8 client listeners"),
    (["--listeners=PLAINTEXT://127.0.0.1:{a},SASL_PLAINTEXT://127.0.0.1:{b}", "--queued.max.request.bytes=2000000",
      "--socket.request.max.bytes=1500000", "--message.max.bytes=1000000"], "is shared by 2 client listeners"),
])
def test_mistaken_listener_settings_stop_sluiced_with_one_line(settings, complaint, tmp_path):
    a, b = free_port(), free_port()
    argv = [SLUICED, f"--log.dirs={tmp_path / 'data'}"] + [s.format(a=a, b=b) for s in settings]
    proc = subprocess.run(argv, capture_output=True, timeout=30)
    out = (proc.stdout + proc.stderr).decode(errors="replace")
    assert proc.returncode != 0 and complaint in out, out
    assert "Fatal error" not in out and "backtrace" not in out.lower(), out
