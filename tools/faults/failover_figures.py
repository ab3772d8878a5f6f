#!/usr/bin/env python3
"""Failover and replication figures for a 3-node loopback cluster of real sluiced processes.

1. Over --kills leader kills (default 20): time from kill -9 of the partition leader to the first
   acks=all produce that succeeds on the new leader (raw Produce v3, one record, tried on whichever
   node the survivors name as leader, every 20 ms). Median and max.
2. acks=all throughput of the 3-node cluster (RF 3) against one single-node sluiced, both with
   confluent-kafka (100-byte records, linger.ms=5, idempotence off), and the ratio.

Run with the project venv: .build/venv/bin/python tools/faults/failover_figures.py [--kills 20]
[--records 200000]. SLUICED picks the binary (default .build/debug/sluiced: a debug build's figures
are for comparing runs, not for the README's performance table). Bounded: every wait has a timeout.
"""

import argparse
import os
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cluster import Cluster, Node, free_port, raw  # noqa: E402


def first_ack_after_kill(c, topic, timeout=30.0):
    leader = c.wait_leader(topic, 0)
    leader.kill9()
    killed = time.monotonic()
    deadline = killed + timeout
    attempts = 0
    try:
        while time.monotonic() < deadline:
            node = c.leader(topic, 0, exclude=[leader])
            if node is not None:
                attempts += 1
                try:
                    with node.conn(timeout=5.0) as conn:
                        r = conn.produce_one(topic, 0, raw.encode_batch([(b"k", b"failover probe")]), acks=-1,
                                             timeout_ms=2000, timeout=5)
                    if r["error"] == 0:
                        return time.monotonic() - killed, leader.id, node.id
                except (OSError, raw.ConnectionClosed, raw.ProtocolError):
                    pass
            time.sleep(0.02)
        raise TimeoutError(f"no successful acks=all produce within {timeout:.0f}s of killing {leader} ({attempts} attempts)")
    finally:
        leader.start()
        c.wait_caught_up(topic, 0, leader, timeout=60)


def throughput(bootstrap, topic, records, size=100):
    from confluent_kafka import Producer
    p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5, "compression.type": "none",
                  "enable.idempotence": False, "queue.buffering.max.messages": 1000000,
                  "message.timeout.ms": 60000})
    payload = b"x" * size
    failed = []
    start = time.monotonic()
    for i in range(records):
        while True:
            try:
                p.produce(topic, value=payload, partition=0, on_delivery=lambda e, m: e and failed.append(e))
                break
            except BufferError:
                p.poll(0.05)
        if i % 1000 == 0:
            p.poll(0)
    left = p.flush(120)
    elapsed = time.monotonic() - start
    if left or failed:
        raise RuntimeError(f"throughput run: {left} undelivered, {len(failed)} failed ({failed[:3]})")
    return records / elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--records", type=int, default=200000)
    args = ap.parse_args()

    c = Cluster.on_loopback(3)
    single = None
    try:
        c.start()
        topic = "failover-" + uuid.uuid4().hex[:6]
        c.create_topic(topic, partitions=1)
        times = []
        for i in range(args.kills):
            seconds, old, new = first_ack_after_kill(c, topic)
            times.append(seconds)
            print(f"kill {i + 1:2d}: leader {old} killed, first acks=all success on {new} after {seconds * 1000:.0f} ms", flush=True)
        print(f"kill -9 leader -> first acks=all ack on the new leader over {len(times)} kills: "
              f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")

        bench = c.create_topic("tput-" + uuid.uuid4().hex[:6], partitions=1)
        cluster_rate = throughput(c.wait_leader(bench, 0).bootstrap, bench, args.records)

        single = Node(1, "127.0.0.1", free_port(), None, c.base_dir + "/single")
        single.settings = {"listeners": f"127.0.0.1:{single.client_port}", "log.dirs": single.data_dir}
        single.start()
        single_rate = throughput(single.bootstrap, "tput-single", args.records)
        print(f"acks=all, 100 B records, {args.records} records, confluent-kafka linger.ms=5:")
        print(f"  3 nodes (RF 3, min.insync.replicas 2)  {cluster_rate:12,.0f} records/s")
        print(f"  1 node                                  {single_rate:12,.0f} records/s")
        print(f"  ratio 3-node / 1-node                   {cluster_rate / single_rate:12.2f}x")
    finally:
        if single is not None:
            single.kill9()
        c.cleanup()


if __name__ == "__main__":
    main()
