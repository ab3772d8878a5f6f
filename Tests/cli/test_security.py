"""`sluice` against a secured broker: SASL_SSL with SCRAM-SHA-512 configured by --command-config
(Kafka's client property names), users and ACLs managed with `sluice user` and `sluice acl`, and a
wrong password or a missing key answered with one line and a fix."""

import os
import subprocess
import time

import pytest

from conftest import REPO, Transcript, cli_env, harness

MAKE_CERTS = os.path.join(REPO, "tools", "tls", "make-certs.sh")


@pytest.fixture
def secured(request, tmp_path):
    subprocess.run(["bash", MAKE_CERTS, str(tmp_path / "certs")], check=True, capture_output=True)
    (tmp_path / "users").write_text("admin:admin-pw\n")
    b = harness._start_broker(request, f"secured cli broker ({request.node.name})", {
        "listeners": "SASL_SSL://127.0.0.1:{port}", "ssl.keystore.location": str(tmp_path / "certs" / "server.pem"),
        "sasl.bootstrap.users.file": str(tmp_path / "users"),
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users": "User:admin"})
    deadline = time.monotonic() + 20
    while "SCRAM credentials created" not in open(b.log_path).read() and time.monotonic() < deadline:
        time.sleep(0.1)
    ca = tmp_path / "certs" / "ca.pem"
    (tmp_path / "admin.properties").write_text(
        f"security.protocol=SASL_SSL\nssl.truststore.location={ca}\nsasl.mechanism=SCRAM-SHA-512\n"
        'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="admin-pw";\n')
    (tmp_path / "alice.properties").write_text(
        f"security.protocol=SASL_SSL\nssl.ca.location={ca}\nsasl.mechanism=SCRAM-SHA-512\nsasl.username=alice\nsasl.password=alice-pw\n")
    (tmp_path / "wrong.properties").write_text(f"security.protocol=SASL_SSL\nssl.ca.location={ca}\nsasl.username=admin\nsasl.password=nope\n")
    (tmp_path / "typo.properties").write_text("security.protocol=SASL_SSL\nsasl.usrname=admin\n")
    yield b
    b.cleanup()
    if b in harness._active:
        harness._active.remove(b)


def test_users_and_acls_over_sasl_ssl(secured, tmp_path):
    t = Transcript(secured)
    env = cli_env(secured)
    admin, alice = "--command-config admin.properties", "--command-config alice.properties"
    t.run(f"{admin} topic create orders -p 1", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} user create alice --password alice-pw", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} user list", env=env, cwd=tmp_path, status=0)
    t.note("alice may not write until an ACL says so")
    t.run(f"{alice} produce orders", stdin="refused\n", env=env, cwd=tmp_path)
    t.run(f"{admin} acl create --principal User:alice --operation write --topic orders", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} acl create --principal User:alice --operation read --topic orders", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} acl list", env=env, cwd=tmp_path, status=0)
    t.run(f"{alice} produce orders", stdin="hello\n", env=env, cwd=tmp_path, status=0)
    t.run(f"{alice} consume orders -o beginning -e", env=env, cwd=tmp_path, status=0)
    t.run(f"{alice} acl list", env=env, cwd=tmp_path, status=1)
    t.run(f"{admin} acl delete --principal User:alice --operation read --topic orders", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} acl delete --principal User:alice --operation read --topic orders", env=env, cwd=tmp_path, status=1)
    t.run(f"{admin} user delete alice", env=env, cwd=tmp_path, status=0)
    t.note("client quotas")
    t.run(f"{admin} quota set --client-id reports --consumer-byte-rate 1048576", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} quota set --user '' --producer-byte-rate 2048 --request-percentage 50", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} quota list", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} quota set --client-id reports --consumer-byte-rate none", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} quota list --json", env=env, cwd=tmp_path, status=0)
    t.run(f"{admin} quota set --user alice --producer-byte-rate -5", env=env, cwd=tmp_path, status=2)
    t.note("mistakes: a wrong password, a misspelt key, no password")
    t.run("--command-config wrong.properties topic list", env=env, cwd=tmp_path, status=1)
    t.run("--command-config typo.properties topic list", env=env, cwd=tmp_path, status=2)
    t.run(f"{admin} user create bob", env=env, cwd=tmp_path, status=2)
    t.check("security")
