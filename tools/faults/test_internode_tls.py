"""Mutual TLS on the inter-node listener (CONTROLLER:SSL): a 3-node cluster forms, elects and
replicates over it; a peer without a certificate from the cluster's authority, with one from
another authority, or speaking clear text is refused at the handshake, before any frame."""

import os
import subprocess

import kafka_raw as raw
from cluster import NONE

MAKE_CERTS = os.path.join(os.path.dirname(__file__), "..", "tls", "make-certs.sh")


def _certs(tmp_path, name):
    directory = tmp_path / name
    subprocess.run(["bash", MAKE_CERTS, str(directory), "node"], check=True, capture_output=True)
    return directory


def _session_survives(port, ca, cert, key):
    """Whether a TLS session with this client certificate (or none) is still open after a read."""
    import socket
    import ssl
    context = ssl.create_default_context(cafile=str(ca))
    context.check_hostname = False
    if cert:
        context.load_cert_chain(str(cert), str(key))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw_socket:
        try:
            with context.wrap_socket(raw_socket) as tls:
                tls.settimeout(0.5)
                try:
                    return tls.recv(1) != b""
                except (socket.timeout, TimeoutError):
                    return True  # nothing to read and not closed: the server kept the session
        except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
            return False


def test_a_cluster_over_mutual_tls_refuses_peers_of_another_authority(make_cluster, topic, tmp_path):
    ours, theirs = _certs(tmp_path, "cluster-ca"), _certs(tmp_path, "other-ca")
    c = make_cluster(settings={"listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL",
                               "ssl.keystore.location": str(ours / "server.pem"), "ssl.truststore.location": str(ours / "ca.pem")})
    c.create_topic(topic, partitions=1)
    leader = c.wait_leader(topic, 0)
    with leader.conn() as conn:
        r = conn.produce_one(topic, 0, raw.encode_batch([(b"k", b"over mutual TLS")]), acks=-1)
    assert r["error"] == NONE, r
    assert [v for _, _, v in c.read_partition(topic, 0)["records"]] == [b"over mutual TLS"]

    port = c.nodes[0].raft_port
    # Our authority's certificate gets a session that stays up; one from another authority, or
    # none, is refused by the server (TLS 1.3 tells the client after its side of the handshake,
    # so the refusal shows on the first read).
    assert _session_survives(port, ours / "ca.pem", ours / "node.crt", ours / "node.key")
    assert not _session_survives(port, ours / "ca.pem", theirs / "node.crt", theirs / "node.key")
    assert not _session_survives(port, ours / "ca.pem", None, None)
    # Clear text on the TLS port is closed without an answer.
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"\x00\x00\x00\x10" + b"\x00" * 16)
        assert s.recv(100) == b""
    assert all(n.alive() for n in c.nodes)
