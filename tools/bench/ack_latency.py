#!/usr/bin/env python3
"""Ack latency of single-record produces at a fixed rate, one request in flight, over a raw
Kafka connection (Tests/compat/kafka_raw.py): what the broker itself adds, without a client
library's queues and threads in the measurement.

usage: ack_latency.py --bootstrap HOST:PORT --topic T [--rate 2000] [--count 10000] [--acks -1]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "compat"))
import kafka_raw  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--rate", type=int, default=2000)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--acks", type=int, default=-1)
    parser.add_argument("--size", type=int, default=100)
    args = parser.parse_args()
    host, port = args.bootstrap.rsplit(":", 1)
    conn = kafka_raw.Conn(host, int(port))
    value = b"v" * args.size
    # Warm up: the topic exists (a Metadata request creates it) and the connection is hot
    # before timing starts; an error answer is fatal, since an error is fast and proves nothing.
    conn.metadata([args.topic], version=4, allow_auto_create=True)
    for _ in range(50):
        answer = conn.produce_one(args.topic, 0, kafka_raw.encode_batch([(None, value)]), acks=args.acks)
        if answer["error"] != 0:
            sys.exit("produce to %s failed with Kafka error %d" % (args.topic, answer["error"]))
    latencies = []
    interval = 1.0 / args.rate
    next_send = time.perf_counter()
    deadline = next_send + args.count * interval + 30
    for _ in range(args.count):
        batch = kafka_raw.encode_batch([(None, value)])
        start = time.perf_counter()
        answer = conn.produce_one(args.topic, 0, batch, acks=args.acks)
        latencies.append((time.perf_counter() - start) * 1e6)
        if answer["error"] != 0:
            sys.exit("produce failed with Kafka error %d" % answer["error"])
        next_send += interval
        pause = next_send - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        if time.perf_counter() > deadline:
            break
    latencies.sort()
    n = len(latencies)
    print("p50 %d µs, p99 %d µs, p99.9 %d µs (%d acks)" % (latencies[n // 2], latencies[int(n * 0.99)], latencies[int(n * 0.999)], n))


if __name__ == "__main__":
    main()
