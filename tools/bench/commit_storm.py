#!/usr/bin/env python3
"""Offset commits in a tight loop from many groups, for a bounded time: the load under which
`broker-compare.sh` measures acks=1 produce latency on other connections.

Each of --groups consumer groups commits (OffsetCommit v2, generation -1: the simple commit of a
group with no members, as an assign()-mode consumer does) offset n to one partition, as fast as
its connection is answered; --connections raw connections share the groups round robin, one
request in flight each. Stops after --seconds and prints the commits answered and their rate.
With --rate R the connections together send at most R commits per second instead (each paces
itself at R / connections), to see how latency elsewhere depends on the commit rate.

usage: commit_storm.py --bootstrap HOST:PORT --topic T [--groups 200] [--connections 8] [--seconds 20] [--rate R]
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "compat"))
import kafka_raw as kr  # noqa: E402

API_OFFSET_COMMIT, API_FIND_COORDINATOR = 8, 10


def commit_body(group, topic, offset):
    # v2: group, generation, member, retention, [topic [partition offset metadata]]
    partition = kr.i32(0) + kr.i64(offset) + kr.string("")
    return kr.string(group) + kr.i32(-1) + kr.string("") + kr.i64(-1) + kr.array([kr.string(topic) + kr.array([partition])])


def commit_error(payload):
    r = kr.Reader(payload)
    topics = r.array(lambda r: (r.string(), r.array(lambda r: (r.i32(), r.i16()))))
    return next((code for _, partitions in topics for _, code in partitions if code != 0), 0)


def wait_for_coordinator(conn, group, deadline):
    """FindCoordinator v0 until it answers (the first one creates __consumer_offsets)."""
    while time.monotonic() < deadline:
        _, payload = conn.request(API_FIND_COORDINATOR, 0, kr.string(group))
        if kr.Reader(payload).i16() == 0:
            return
        time.sleep(0.1)
    sys.exit(f"no coordinator for {group}")


def storm(host, port, groups, topic, stop, counts, errors, index, interval):
    conn = kr.Conn(host, port)
    offset = 0
    next_send = time.monotonic()
    while not stop.is_set():
        for group in groups:
            if stop.is_set():
                break
            if interval:
                next_send += interval
                pause = next_send - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
            offset += 1
            _, payload = conn.request(API_OFFSET_COMMIT, 2, commit_body(group, topic, offset), timeout=30)
            if commit_error(payload):
                errors[index] += 1
            else:
                counts[index] += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=0, help="commits per second over all connections (0: as fast as answered)")
    args = parser.parse_args()
    host, port = args.bootstrap.rsplit(":", 1)
    port = int(port)
    names = [f"storm-{i}" for i in range(args.groups)]
    setup = kr.Conn(host, port)
    setup.metadata([args.topic], version=4, allow_auto_create=True)
    deadline = time.monotonic() + 60
    for name in names:
        wait_for_coordinator(setup, name, deadline)
    stop = threading.Event()
    counts = [0] * args.connections
    errors = [0] * args.connections
    interval = args.connections / args.rate if args.rate > 0 else 0
    threads = [threading.Thread(target=storm, args=(host, port, names[i::args.connections], args.topic, stop, counts, errors, i, interval), daemon=True)
               for i in range(args.connections)]
    start = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join(35)
    elapsed = time.monotonic() - start
    print(f"{sum(counts)} commits in {elapsed:.1f} s ({sum(counts) / elapsed:.0f}/s), {sum(errors)} refused, {args.groups} groups")


if __name__ == "__main__":
    main()
