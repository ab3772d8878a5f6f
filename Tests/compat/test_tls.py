"""TLS on the client listener, judged by real clients: kcat, confluent-kafka, kafka-python and
aiokafka produce and consume over SSL:// with certificates made by the openssl command
(tools/tls/make-certs.sh); mutual TLS admits a client with a trusted certificate and no other;
TLS 1.1, clear text and a stalled handshake are refused; SIGHUP swaps the certificates for new
connections without dropping established ones; bad settings stop start-up with one line."""

import os
import signal
import subprocess
import time

import pytest

from conftest import REPO, SLUICED
from round_trips import aiokafka_round_trip, confluent_round_trip, expected, kafka_python_round_trip

MAKE_CERTS = os.path.join(REPO, "tools", "tls", "make-certs.sh")


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("certs")
    subprocess.run(["bash", MAKE_CERTS, str(directory), "alice"], check=True, capture_output=True)
    other = tmp_path_factory.mktemp("other-certs")
    subprocess.run(["bash", MAKE_CERTS, str(other), "mallory"], check=True, capture_output=True)
    return {"dir": str(directory), "ca": f"{directory}/ca.pem", "server": f"{directory}/server.pem",
            "alice_crt": f"{directory}/alice.crt", "alice_key": f"{directory}/alice.key",
            "other": str(other), "other_ca": f"{other}/ca.pem", "mallory_crt": f"{other}/mallory.crt",
            "mallory_key": f"{other}/mallory.key"}


def tls_broker(broker_factory, certs, **extra):
    settings = {"listeners": "SSL://127.0.0.1:{port}", "ssl.keystore.location": certs["server"]}
    settings.update(extra)
    return broker_factory(**settings)


def ssl_conf(b, certs, **extra):
    conf = {"bootstrap.servers": b.bootstrap, "security.protocol": "ssl", "ssl.ca.location": certs["ca"]}
    conf.update(extra)
    return conf


def produce_and_consume_confluent(conf, topic, count=200):
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient(conf)
    admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])[topic].result(30)
    assert sorted(confluent_round_trip(conf, topic, count)) == expected(count)


def test_confluent_kafka_over_tls(broker_factory, certs, topic_name):
    b = tls_broker(broker_factory, certs)
    produce_and_consume_confluent(ssl_conf(b, certs), topic_name())


def test_kcat_over_tls(broker_factory, certs, topic_name):
    b = tls_broker(broker_factory, certs)
    topic = topic_name()
    tls = ["-X", "security.protocol=ssl", "-X", f"ssl.ca.location={certs['ca']}"]
    lines = "\n".join(f"k{i}:v{i}" for i in range(50)) + "\n"
    subprocess.run(["kcat", "-P", "-b", b.bootstrap, "-t", topic, "-K:", "-X", "topic.request.required.acks=-1", *tls],
                   input=lines, text=True, check=True, timeout=30)
    out = subprocess.run(["kcat", "-C", "-b", b.bootstrap, "-t", topic, "-e", "-f", "%k=%s\n", *tls],
                         capture_output=True, text=True, check=True, timeout=30).stdout
    assert sorted(out.split()) == sorted(f"k{i}=v{i}" for i in range(50))


def test_kafka_python_over_tls(broker_factory, certs, topic_name):
    b = tls_broker(broker_factory, certs)
    values = kafka_python_round_trip(b.bootstrap, topic_name(), 100, security_protocol="SSL", ssl_cafile=certs["ca"])
    assert sorted(values) == expected(100)


def test_aiokafka_over_tls(broker_factory, certs, topic_name):
    from aiokafka.helpers import create_ssl_context
    b = tls_broker(broker_factory, certs)
    values = aiokafka_round_trip(b.bootstrap, topic_name(), 100, security_protocol="SSL", ssl_context=create_ssl_context(cafile=certs["ca"]))
    assert sorted(values) == expected(100)


def test_mutual_tls_admits_only_trusted_client_certificates(broker_factory, certs, topic_name):
    from confluent_kafka.admin import AdminClient
    b = tls_broker(broker_factory, certs, **{"ssl.client.auth": "required", "ssl.truststore.location": certs["ca"]})
    alice = ssl_conf(b, certs, **{"ssl.certificate.location": certs["alice_crt"], "ssl.key.location": certs["alice_key"]})
    produce_and_consume_confluent(alice, topic_name())
    for refused in (ssl_conf(b, certs),
                    ssl_conf(b, certs, **{"ssl.certificate.location": certs["mallory_crt"], "ssl.key.location": certs["mallory_key"]})):
        with pytest.raises(Exception):
            AdminClient(refused).list_topics(timeout=5)


def s_client(b, *flags):
    return subprocess.run(["openssl", "s_client", "-connect", b.bootstrap, "-servername", "localhost", *flags],
                          input="", capture_output=True, text=True, timeout=20)


def test_old_protocols_and_clear_text_are_refused(broker_factory, certs):
    from confluent_kafka.admin import AdminClient
    b = tls_broker(broker_factory, certs)
    assert s_client(b, "-tls1_2", "-CAfile", certs["ca"]).returncode == 0
    assert s_client(b, "-tls1_3", "-CAfile", certs["ca"]).returncode == 0
    assert s_client(b, "-tls1_1").returncode != 0
    with pytest.raises(Exception):
        AdminClient({"bootstrap.servers": b.bootstrap}).list_topics(timeout=3)
    strict = tls_broker(broker_factory, certs, **{"ssl.enabled.protocols": "TLSv1.3"})
    assert s_client(strict, "-tls1_2").returncode != 0
    assert s_client(strict, "-tls1_3", "-CAfile", certs["ca"]).returncode == 0


def test_a_stalled_handshake_is_closed(broker_factory, certs):
    import socket
    b = tls_broker(broker_factory, certs, **{"ssl.handshake.timeout.ms": "500"})
    with socket.create_connection(("127.0.0.1", b.port), timeout=5) as silent:
        silent.sendall(b"\x16\x03\x01\x02\x00")  # the start of a ClientHello, then nothing
        started = time.monotonic()
        assert silent.recv(100) == b""
        assert time.monotonic() - started < 4


def test_sighup_reloads_certificates_without_dropping_connections(broker_factory, certs, topic_name, tmp_path):
    from confluent_kafka import Producer
    live = tmp_path / "live.pem"
    live.write_bytes(open(certs["server"], "rb").read())
    b = tls_broker(broker_factory, certs, **{"ssl.keystore.location": str(live)})
    topic = topic_name()
    producer = Producer({**ssl_conf(b, certs), "acks": "all"})
    producer.produce(topic, value=b"before")
    assert producer.flush(30) == 0
    assert "Sluice test CA" in s_client(b, "-CAfile", certs["ca"]).stdout

    # A file that does not load: the old certificates stay.
    live.write_text("not a certificate\n")
    os.kill(b.proc.pid, signal.SIGHUP)
    deadline = time.monotonic() + 10
    while "TLS certificates not reloaded" not in open(b.log_path).read() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "TLS certificates not reloaded" in open(b.log_path).read()
    assert s_client(b, "-CAfile", certs["ca"], "-verify_return_error").returncode == 0

    # New certificates from another authority: new connections get them, the producer goes on.
    live.write_bytes(open(os.path.join(certs["other"], "server.pem"), "rb").read())
    os.kill(b.proc.pid, signal.SIGHUP)
    deadline = time.monotonic() + 10
    while s_client(b, "-CAfile", certs["other_ca"], "-verify_return_error").returncode != 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert s_client(b, "-CAfile", certs["other_ca"], "-verify_return_error").returncode == 0
    assert s_client(b, "-CAfile", certs["ca"], "-verify_return_error").returncode != 0
    for index in range(20):
        producer.produce(topic, value=f"after-{index}".encode())
    assert producer.flush(30) == 0
    assert b.alive()


@pytest.mark.parametrize("settings, words", [
    ({"listeners": "SSL://127.0.0.1:{port}"}, ["ssl.keystore.location"]),
    ({"listeners": "SSL://127.0.0.1:{port}", "ssl.keystore.location": "/nonexistent.pem"}, ["ssl.keystore.location", "/nonexistent.pem"]),
    ({"listeners": "SSL://127.0.0.1:{port}", "ssl.keystore.location": "{ca}"}, ["TLS of listener SSL", "private key"]),
    ({"listeners": "SSL://127.0.0.1:{port}", "ssl.keystore.location": "{server}", "ssl.client.auth": "required"}, ["ssl.truststore.location"]),
    ({"listeners": "CLIENT://127.0.0.1:{port}"}, ["listener.security.protocol.map"]),
    ({"listeners": "CLIENT://127.0.0.1:{port}", "listener.security.protocol.map": "CLIENT:SASL_SSL"}, ["ssl.keystore.location"]),
    ({"listeners": "SASL_PLAINTEXT://127.0.0.1:{port}", "sasl.enabled.mechanisms": "PLAIN"}, ["sasl.plain.allow.cleartext"]),
    ({"sasl.enabled.mechanisms": "GSSAPI"}, ["sasl.enabled.mechanisms"]),
    ({"sasl.bootstrap.users.file": "/nonexistent"}, ["sasl.bootstrap.users.file"]),
    ({"ssl.client.auth": "sometimes"}, ["ssl.client.auth"]),
    ({"ssl.enabled.protocols": "TLSv1.1"}, ["ssl.enabled.protocols"]),
    ({"ssl.keystore.type": "JKS"}, ["ssl.keystore.type", "PEM"]),
])
def test_bad_tls_settings_stop_start_up_with_one_line(tmp_path, certs, settings, words):
    from conftest import free_port
    port = free_port()
    args = [SLUICED, f"--log.dirs={tmp_path}/d"]
    args += [f"--{k}={v.format(port=port, ca=certs['ca'], server=certs['server'])}" for k, v in settings.items()]
    if "listeners" not in settings:
        args.append(f"--listeners=127.0.0.1:{port}")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=15)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


def test_a_mapped_listener_name_serves_tls(broker_factory, certs, topic_name):
    b = broker_factory(**{"listeners": "CLIENTS://127.0.0.1:{port}", "listener.security.protocol.map": "CLIENTS:SSL",
                          "ssl.keystore.location": certs["server"]})
    produce_and_consume_confluent(ssl_conf(b, certs), topic_name(), count=20)


@pytest.mark.parametrize("client", ["confluent", "kcat", "kafka-python", "aiokafka"])
def test_every_client_with_a_client_certificate(broker_factory, certs, topic_name, client):
    """Mutual TLS: each client presents alice's certificate and round-trips."""
    from aiokafka.helpers import create_ssl_context
    b = tls_broker(broker_factory, certs, **{"ssl.client.auth": "required", "ssl.truststore.location": certs["ca"]})
    topic = topic_name()
    if client == "confluent":
        conf = ssl_conf(b, certs, **{"ssl.certificate.location": certs["alice_crt"], "ssl.key.location": certs["alice_key"]})
        values = confluent_round_trip(conf, topic, 30)
    elif client == "kcat":
        tls = ["-X", "security.protocol=ssl", "-X", f"ssl.ca.location={certs['ca']}", "-X", f"ssl.certificate.location={certs['alice_crt']}",
               "-X", f"ssl.key.location={certs['alice_key']}"]
        subprocess.run(["kcat", "-P", "-b", b.bootstrap, "-t", topic, *tls], input="".join(f"v-{i}\n" for i in range(30)),
                       text=True, check=True, timeout=30)
        values = subprocess.run(["kcat", "-C", "-b", b.bootstrap, "-t", topic, "-e", *tls], capture_output=True, text=True,
                                check=True, timeout=30).stdout.split()
    elif client == "kafka-python":
        values = kafka_python_round_trip(b.bootstrap, topic, 30, security_protocol="SSL", ssl_cafile=certs["ca"],
                                         ssl_certfile=certs["alice_crt"], ssl_keyfile=certs["alice_key"])
    else:
        context = create_ssl_context(cafile=certs["ca"], certfile=certs["alice_crt"], keyfile=certs["alice_key"])
        values = aiokafka_round_trip(b.bootstrap, topic, 30, security_protocol="SSL", ssl_context=context)
    assert sorted(values) == expected(30)


def test_random_bytes_mid_handshake_do_not_take_the_broker_down(broker_factory, certs, topic_name):
    import random
    import socket
    b = tls_broker(broker_factory, certs)
    rng = random.Random(7)
    for attempt in range(20):
        with socket.create_connection(("127.0.0.1", b.port), timeout=5) as s:
            hello_start = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"
            s.sendall(hello_start[: rng.randrange(len(hello_start))] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))))
            try:
                while s.recv(4096):
                    pass
            except (ConnectionResetError, socket.timeout):
                pass
    assert b.alive()
    produce_and_consume_confluent(ssl_conf(b, certs), topic_name(), count=10)
