"""Golden transcripts of every sluice command against a real sluiced: tables, JSON and error paths.

Each test starts its own broker, runs a scenario and compares the masked transcript with
golden/<test name>.txt (UPDATE_GOLDEN=1 rewrites them).
"""

import json
import os
import pty
import subprocess
import sys
import types

import pytest

from fake_broker import FakeBroker
from conftest import (REPO, SLUICE, Transcript, cli_env, now_millis, sluice_json, start_background, stop_background,
                      wait_for)


def test_help_and_usage_errors():
    t = Transcript()
    t.run("--help", status=0)
    t.run("topic", status=0)
    t.run("consume -h", status=0)
    t.run("help group reset-offsets", status=0)
    t.note("usage errors: exit 2, the closest match, where to look")
    t.run("topc list", status=2)
    t.run("topic craete orders", status=2)
    t.run("topic create orders --partitons 3", status=2)
    t.run("topic create orders -p many", status=2)
    t.run("topic create", status=2)
    t.run("consume orders -o", status=2)
    t.check("help_and_usage_errors")


def test_every_command_has_help_with_examples():
    commands = ["cluster info", "cluster health", "topic create", "topic list", "topic describe", "topic delete",
                "topic alter-config", "topic add-partitions", "produce", "consume", "group list", "group describe",
                "group reset-offsets", "group delete", "dlq list", "dlq redrive",
                "partition reassign", "partition list-reassignments", "partition decommission-broker"]
    for command in commands:
        proc = subprocess.run([SLUICE] + command.split() + ["--help"], capture_output=True, timeout=30, env=cli_env())
        assert proc.returncode == 0, command
        text = proc.stdout.decode()
        assert text.startswith(f"sluice {command}: "), text
        assert "\nExamples:\n" in text and f"sluice {command}" in text.split("Examples:")[1], command
        assert "--brokers" in text, command


def test_unreachable_broker():
    t = Transcript()
    env = cli_env(SLUICE_BROKERS="127.0.0.1:1")
    t.run("--brokers 127.0.0.1:1 topic list", status=1)
    t.note("SLUICE_BROKERS=127.0.0.1:1")
    t.run("cluster info", env=env, status=1)
    t.run("consume orders -e", env=env, status=1)
    t.check("unreachable_broker")


def test_cluster(broker):
    t = Transcript(broker)
    t.run("topic create orders -p 3", status=0)
    t.run("cluster info", status=0)
    t.run("cluster info --json", status=0)
    t.run("cluster health", status=0)
    t.run("cluster health --json", status=0)
    t.run("cluster health --exit-code", status=0)
    t.check("cluster")


def test_unhealthy_cluster():
    """A scripted cluster: no controller, broker 2 down, one partition without a leader, two under-replicated."""
    fake = FakeBroker(brokers=[0, 1], controller_id=-1, topics={
        "orders": [(0, 0, [0, 1], [0, 1]), (1, -1, [2], []), (2, 1, [1, 2], [1])],
        "audit": [(0, 1, [0, 1], [1])],
    })
    try:
        t = Transcript(fake)
        t.note("SLUICE_BROKERS points at a scripted broker whose metadata shows an unhealthy cluster")
        t.run("cluster info", status=0)
        t.run("cluster info --json", status=0)
        t.run("cluster health", status=0)
        t.run("cluster health --exit-code", status=3)
        t.run("cluster health --exit-code --json", status=3)
        t.check("unhealthy_cluster")
    finally:
        fake.stop()


def test_topics(broker):
    t = Transcript(broker)
    t.run("topic create orders audit -p 3 -c retention.ms=3600000", status=0)
    t.run("topic create single", status=0)
    t.run("topic list", status=0)
    t.run("topic list --json", status=0)
    t.run("topic describe orders", status=0)
    t.run("topic describe single --json", status=0)
    t.run("topic alter-config orders -c retention.ms=7200000 -c max.message.bytes=2000000", status=0)
    t.run("topic alter-config orders --delete max.message.bytes", status=0)
    t.run("topic add-partitions orders -n 2", status=0)
    t.run("topic describe orders", status=0)
    t.run("topic delete audit", status=0)
    t.run("topic list", status=0)
    t.note("errors")
    t.run("topic create orders", status=1)
    t.run("topic create replicated -r 3", status=1)
    t.run("topic create bad -c colour=red", status=1)
    t.run("topic describe missing", status=1)
    t.run("topic delete missing", status=1)
    t.run("topic alter-config orders -c bogus.key=1", status=1)
    t.run("topic alter-config orders", status=2)
    t.run("topic add-partitions missing -n 1", status=1)
    t.check("topics")


def test_produce_and_consume(broker, tmp_path):
    t = Transcript(broker)
    t.run("topic create events -p 3", status=0)
    t.run("produce events -K: -H source=cli", stdin="k1:hello\nk2:world\nk3:again\nk1:more\n", status=0)
    t.run("produce events -k fixed -p 2", stdin="one\ntwo\n", status=0)
    lines = tmp_path / "lines.txt"
    lines.write_text("".join(f"line {i}\n" for i in range(100)))
    result = t.run("produce events -p 0 --acks 1 -q --file lines.txt", status=0, cwd=tmp_path)
    assert result.stdout == b""
    t.run("consume events -o beginning -e -f '%p/%o %k=%s [%h] %T\\n' -p 1 -p 2", status=0)
    t.run("consume events -o beginning -e -n 3 --json -p 1", status=0)
    t.run("consume events -o -2 -e -f '%p/%o %s\\n'", status=0)
    t.run("consume events -o 98 -p 0 -e -f '%o %S %K\\n'", status=0)
    t.run("consume events -o end -e", status=0)
    t.note("errors")
    t.run("consume events -o bogus", status=2)
    t.run("consume events -o @2024-13-01", status=2)
    t.run("consume events -o 5 -g readers", status=2)
    t.run("consume events -p 7 -e", status=1)
    t.run("consume missing -e", status=1)
    t.run("consume events -f '%x'", status=2)
    t.run("produce missing", stdin="x\n", status=1)
    t.run("produce events -p 9", stdin="x\n", status=1)
    t.run("produce events -k a -K:", stdin="x\n", status=2)
    t.run("produce events --file none.txt", status=1, cwd=tmp_path)
    t.check("produce_and_consume")


def test_consume_time_range(broker):
    """Records at known times (set by a Kafka client): @T1:T2 prints those stamped T1 <= t < T2, then exits."""
    from confluent_kafka import Producer
    t = Transcript(broker)
    t.run("topic create stamped -p 1", status=0)
    base = now_millis() // 1000 * 1000 - 60_000
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    for i in range(5):
        producer.produce("stamped", value=f"at +{i}s", timestamp=base + i * 1000)
    assert producer.flush(20) == 0
    range_run = t.run(f"consume stamped -o @{base + 1000}:{base + 3000} -f '%o %s\\n'", status=0)
    assert range_run.stdout == b"1 at +1s\n2 at +2s\n"
    from_run = t.run(f"consume stamped -o @{base + 3500} -e -f '%o %s\\n'", status=0)
    assert from_run.stdout == b"4 at +4s\n"
    t.run("consume stamped -o @-1h:-30m -f '%o %s\\n'", status=0)
    t.check("consume_time_range")


def test_groups(broker):
    t = Transcript(broker)
    t.run("topic create events -p 2", status=0)
    t.run("produce events -K:", stdin="".join(f"k{i}:v{i}\n" for i in range(10)), status=0)
    t.run("consume events -g readers -o beginning -n 4 -f '%p/%o %s\\n'", status=0)
    t.run("group list", status=0)
    t.run("group list --json", status=0)
    t.run("group describe readers", status=0)
    t.run("group describe readers --json", status=0)
    t.note("reset: a plan by default, applied with --execute")
    t.run("group reset-offsets readers --all-topics --to-earliest", status=0)
    t.run("group reset-offsets readers --topic events:1 --to-offset 2 --json", status=0)
    t.run("group reset-offsets readers --all-topics --shift-by -1 --execute", status=0)
    t.run("group reset-offsets readers --topic events --to-datetime 2000-01-01T00:00:00Z --execute", status=0)
    t.run("group reset-offsets readers --topic events:0 --to-latest --execute", status=0)
    t.run("group describe readers", status=0)
    t.note("reset errors")
    t.run("group reset-offsets readers --all-topics", status=2)
    t.run("group reset-offsets readers --all-topics --topic events --to-earliest", status=2)
    t.run("group reset-offsets readers --topic events:5 --to-earliest", status=1)
    t.run("group reset-offsets fresh --topic events --shift-by 1", status=1)
    t.run("group reset-offsets readers --all-topics --to-datetime yesterday", status=2)
    t.run("group describe nobody", status=1)

    t.note("a live member: describe shows it; reset and delete are refused")
    member = start_background(broker, "consume events -g live -o beginning")
    try:
        def joined():
            groups = sluice_json(broker, "group describe live --json")
            return groups[0]["state"] == "Stable" and len(groups[0]["partitions"]) == 2 \
                and all(p["consumerId"] and p["currentOffset"] == p["logEndOffset"] for p in groups[0]["partitions"])
        wait_for(joined, 30, "the background consumer to join 'live' and commit everything")
        t.run("group describe live", status=0)
        t.run("group reset-offsets live --all-topics --to-earliest", status=1)
        t.run("group delete live", status=1)
    finally:
        assert stop_background(member) == 0
    t.run("group describe live", status=0)
    t.run("group delete live readers", status=0)
    t.run("group list", status=0)
    t.check("groups")


DEAD_LETTER_HEADERS = "-H sluice.retry.attempt={attempt} -H sluice.original.topic=orders -H sluice.original.partition=0 " \
                      "-H sluice.original.offset={offset} -H 'sluice.error={error}'"


def test_dead_letters(broker):
    t = Transcript(broker)
    t.run("topic create orders orders.dlq replays -p 1", status=0)
    t.note("dead letters as the client's RetryingConsumer writes them")
    for key, attempt, offset, error in [("o1", 3, 7, "timeout talking to db"), ("o2", 1, 9, "schema mismatch"),
                                        ("o3", 3, 12, "timeout again")]:
        headers = DEAD_LETTER_HEADERS.format(attempt=attempt, offset=offset, error=error)
        t.run(f"produce orders.dlq -q -K: -H tenant=acme {headers}", stdin=f"{key}:payload of {key}\n", status=0)
    t.run("dlq list", status=0)
    t.run("dlq list --json", status=0)
    t.run("dlq list orders.dlq", status=0)
    t.run("dlq list orders.dlq --json", status=0)
    t.run("dlq redrive orders.dlq --filter 'error~timeout' --dry-run", status=0)
    t.run("dlq redrive orders.dlq --filter 'error~timeout'", status=0)
    t.note("the bookkeeping headers are gone, the others kept")
    t.run("consume orders -o beginning -e -f '%o %k=%s [%h]\\n'", status=0)
    t.note("a second redrive starts where the first stopped")
    t.run("dlq redrive orders.dlq", status=0)
    t.run("dlq redrive orders.dlq --from-beginning --to replays --filter key=o2", status=0)
    t.run("consume replays -o beginning -e -f '%o %k=%s\\n'", status=0)
    t.note("errors")
    t.run("dlq redrive missing.dlq", status=1)
    t.run("dlq list missing.dlq", status=1)
    t.run("dlq redrive orders.dlq --filter colour=red", status=2)
    t.run("dlq redrive orders.dlq --from-beginning --to nowhere", status=1)
    t.check("dead_letters")


def test_progress_on_a_terminal_only(broker, tmp_path):
    """Long operations draw progress on stderr when it is a terminal, and print nothing extra when piped."""
    lines = tmp_path / "many.txt"
    lines.write_text("".join(f"record {i}\n" for i in range(2000)))
    subprocess.run([SLUICE, "topic", "create", "bulk", "-p", "1"], check=True, capture_output=True, env=cli_env(broker), timeout=30)
    piped = subprocess.run([SLUICE, "produce", "bulk", "--file", str(lines)], capture_output=True, env=cli_env(broker), timeout=60)
    assert piped.returncode == 0 and piped.stderr == b"", piped.stderr

    controller, terminal = pty.openpty()
    try:
        on_terminal = subprocess.run([SLUICE, "produce", "bulk", "--file", str(lines)], stdout=subprocess.PIPE, stderr=terminal,
                                     env=cli_env(broker), timeout=60)
        os.close(terminal)
        terminal = -1
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the terminal's other side is closed and drained
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if terminal >= 0:
            os.close(terminal)
        os.close(controller)
    assert on_terminal.returncode == 0
    assert b"produced " in shown and b" records" in shown, shown
    assert shown.endswith(b"\r\x1b[K"), "the progress line is cleared at the end"
    counts = json.loads(subprocess.run([SLUICE, "topic", "describe", "bulk", "--json"], capture_output=True,
                                       env=cli_env(broker), timeout=30).stdout)
    assert counts[0]["partitions"][0]["highWatermark"] == 4000


def test_partitions_need_a_cluster(broker):
    """Against a cluster of one, a replica has nowhere to go: a move to where it is is done at once,
    a decommission is refused with the reason and the way to a larger cluster."""
    t = Transcript(broker)
    t.run("topic create orders -p 2", status=0)
    t.run("partition reassign orders:0 --replicas 0", status=0)
    t.run("partition reassign orders --replicas 0", status=0)
    t.run("partition reassign --cancel orders:0", status=1)
    t.run("partition reassign orders:1 --replicas 5", status=1)
    t.run("partition list-reassignments", status=0)
    t.run("partition list-reassignments --json", status=0)
    t.run("partition decommission-broker 0 --dry-run", status=1)
    t.run("partition decommission-broker 0 --wait", status=1)
    t.note("errors found before any broker is asked, and unknown partitions")
    t.run("partition reassign orders:0", status=2)
    t.run("partition reassign orders:0 --replicas 0 --cancel", status=2)
    t.run("partition reassign orders:one --replicas 0", status=2)
    t.run("partition reassign orders:0 --replicas 1,1", status=2)
    t.run("partition reassign orders:0 --replicas 0 --wait-timeout-ms 5", status=2)
    t.run("partition reassign orders:7 --replicas 0", status=1)
    t.run("partition reassign missing:0 --replicas 0", status=1)
    t.run("partition reassign missing --replicas 0", status=1)
    t.run("partition decommission-broker one", status=2)
    t.run("partition decommission-broker 7 --dry-run", status=1)
    t.check("partitions_need_a_cluster")


@pytest.fixture
def four_nodes():
    """Four nodes (three controller voters, one learner) with topic 'orders' placed deterministically:
    partition 0 on [1,2,3], partition 1 on [2,3,1] (topic creation starts its round robin at random)."""
    sys.path.insert(0, os.path.join(REPO, "tools", "faults"))
    from cluster import Cluster, wait_until
    c = Cluster.on_loopback(size=4)
    try:
        c.start(timeout=90)
        env = cli_env(SLUICE_BROKERS=c.bootstrap)
        run = lambda *args: subprocess.run([SLUICE] + list(args), capture_output=True, env=env, timeout=60)
        wait_until(lambda: run("topic", "create", "orders", "-p", "2", "-r", "3").returncode == 0, 30, "topic orders")
        for partition, replicas in [(0, "1,2,3"), (1, "2,3,1")]:
            done = run("partition", "reassign", f"orders:{partition}", "--replicas", replicas, "--wait", "--wait-timeout-ms", "60000")
            assert done.returncode == 0, done.stderr.decode(errors="replace")
        yield types.SimpleNamespace(port=c.nodes[0].client_port, bootstrap=c.bootstrap, cluster=c)
    finally:
        c.cleanup()


def test_partitions_on_a_cluster(four_nodes):
    t = Transcript(four_nodes)
    t.note("four nodes; orders-0 on [1,2,3], orders-1 on [2,3,1]")
    t.run("partition decommission-broker 1 --dry-run", status=0)
    t.run("partition decommission-broker 1 --dry-run --json", status=0)
    t.run("partition decommission-broker 4 --dry-run", status=0)
    t.run("partition reassign orders:1 --replicas 4,2,3 --wait", status=0)
    t.run("partition list-reassignments", status=0)
    described = sluice_json(four_nodes, "topic describe orders --json")[0]["partitions"]
    assert sorted(described[1]["replicas"]) == [2, 3, 4], described
    t.note("now orders-1 is on [4,2,3]: broker 1 has one replica left to move, and it goes to broker 4")
    t.run("partition decommission-broker 1 --dry-run", status=0)
    t.note("errors")
    t.run("partition reassign orders:0 --replicas 1,2,9", status=1)
    t.run("partition reassign --cancel orders:0", status=1)
    t.run("partition decommission-broker 9 --dry-run", status=1)
    t.note("decommission for real: the plan, then the wait (progress only on a terminal)")
    t.run("partition decommission-broker 1 --wait", status=0)
    t.run("partition decommission-broker 1 --dry-run", status=0)
    described = sluice_json(four_nodes, "topic describe orders --json")[0]["partitions"]
    assert [sorted(p["replicas"]) for p in described] == [[2, 3, 4], [2, 3, 4]], described
    t.check("partitions_on_a_cluster")
