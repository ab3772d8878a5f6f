#!/usr/bin/env python3
"""Offset commits in a tight loop from many groups, for a bounded time: the load under which
`broker-compare.sh` measures acks=1 produce latency on other connections.

Each of --groups consumer groups commits (OffsetCommit v2, generation -1: the simple commit of a
group with no members, as an assign()-mode consumer does) offset n to one partition, as fast as
its connection is answered; --connections raw connections share the groups round robin, one
request in flight each, all driven by one event loop (no threads). Stops after --seconds and
prints the commits answered and their rate. With --rate R the connections together send at
most R commits per second instead (each paces itself at R / connections), to see how latency
elsewhere depends on the commit rate.

usage: commit_storm.py --bootstrap HOST:PORT --topic T [--groups 200] [--connections 8] [--seconds 20] [--rate R]
"""
import argparse
import os
import selectors
import struct
import sys
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


class StormConnection:
    """One raw connection, one commit in flight, its groups taken in turn. Sends and reads without
    blocking from the one event loop in `storm`: threads would spend the generator's CPU (two
    cores here, shared with the brokers measured) handing Python's interpreter lock around."""

    def __init__(self, host, port, groups, topic):
        self.conn = kr.Conn(host, port)
        self.conn.sock.setblocking(False)
        self.groups, self.topic = groups, topic
        self.turn = self.offset = 0
        self.received = b""
        self.next_send = 0.0
        self.answered = self.refused = 0

    def send_next(self):
        group = self.groups[self.turn % len(self.groups)]
        self.turn += 1
        self.offset += 1
        _, header = self.conn.header(API_OFFSET_COMMIT, 2, False)
        payload = header + commit_body(group, self.topic, self.offset)
        self.conn.sock.sendall(kr.i32(len(payload)) + payload)  # a few dozen bytes: the socket buffer takes them

    def read_answer(self):
        """True once the answer to the commit in flight is here (counted)."""
        chunk = self.conn.sock.recv(65536)
        if not chunk:
            raise kr.ConnectionClosed("the broker closed a storm connection")
        self.received += chunk
        if len(self.received) < 4:
            return False
        size = struct.unpack(">i", self.received[:4])[0]
        if len(self.received) < 4 + size:
            return False
        frame, self.received = self.received[4:4 + size], self.received[4 + size:]
        if commit_error(frame[4:]):  # after the correlation id
            self.refused += 1
        else:
            self.answered += 1
        return True


def storm(connections, seconds, interval):
    """Every connection commits as soon as its last commit is answered (or, with `interval`, at
    most once per interval), until `seconds` have passed; then waits up to 30 s for the last."""
    selector = selectors.DefaultSelector()
    start = time.monotonic()
    for c in connections:
        c.next_send = start
        c.send_next()
        selector.register(c.conn.sock, selectors.EVENT_READ, c)
    waiting = []  # answered, paced, not yet due
    stop_at, give_up_at = start + seconds, start + seconds + 30
    in_flight = len(connections)
    while time.monotonic() < give_up_at:
        now = time.monotonic()
        if now >= stop_at:
            waiting.clear()
        if not in_flight and not waiting:
            break
        for c in [c for c in waiting if c.next_send <= now]:
            waiting.remove(c)
            c.send_next()
            in_flight += 1
        due = min((c.next_send for c in waiting), default=now + 0.5)
        for key, _ in selector.select(timeout=max(0.0, min(due, stop_at if waiting else give_up_at) - now)):
            c = key.data
            if not c.read_answer():
                continue
            in_flight -= 1
            if time.monotonic() >= stop_at:
                continue
            if interval:
                c.next_send += interval
                waiting.append(c)
            else:
                c.send_next()
                in_flight += 1
    return time.monotonic() - start


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
    interval = args.connections / args.rate if args.rate > 0 else 0
    connections = [StormConnection(host, port, names[i::args.connections], args.topic) for i in range(args.connections)]
    elapsed = storm(connections, args.seconds, interval)
    answered, refused = sum(c.answered for c in connections), sum(c.refused for c in connections)
    print(f"{answered} commits in {elapsed:.1f} s ({answered / elapsed:.0f}/s), {refused} refused, {args.groups} groups")


if __name__ == "__main__":
    main()
