#!/usr/bin/env python3
"""What peer authentication costs: acks=all throughput of a 3-node cluster (RF 3) whose nodes MAC
every inter-node frame (cluster.secret.file) against the same cluster with cluster.insecure=true,
in alternating runs (ABBA), with confluent-kafka (100-byte records, linger.ms=5).

Run with the project venv and a release build:
SLUICED=.build/release/sluiced .build/venv/bin/python tools/faults/auth_cost.py [--records 300000] [--pairs 2]
Bounded: every wait has a timeout.
"""

import argparse
import os
import statistics
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cluster import Cluster  # noqa: E402
from failover_figures import throughput  # noqa: E402


def run(insecure, records):
    settings = {"cluster.insecure": "true", "cluster.secret.file": ""} if insecure else None
    c = Cluster.on_loopback(3, settings=settings)
    try:
        c.start()
        topic = c.create_topic("auth-cost-" + uuid.uuid4().hex[:6], partitions=1)
        return throughput(c.wait_leader(topic, 0).bootstrap, topic, records)
    finally:
        c.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=300000)
    ap.add_argument("--pairs", type=int, default=2)
    args = ap.parse_args()
    rates = {True: [], False: []}
    for i in range(args.pairs):
        order = [False, True] if i % 2 == 0 else [True, False]
        for insecure in order:
            rate = run(insecure, args.records)
            rates[insecure].append(rate)
            print(f"pair {i + 1}: {'insecure' if insecure else 'authenticated'} {rate:12,.0f} records/s", flush=True)
    secured, plain = statistics.mean(rates[False]), statistics.mean(rates[True])
    print(f"acks=all, 3 nodes, {args.records} records of 100 B: authenticated {secured:,.0f} records/s, "
          f"insecure {plain:,.0f} records/s, ratio {secured / plain:.3f}x")


if __name__ == "__main__":
    main()
