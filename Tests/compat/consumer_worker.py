"""A confluent-kafka group consumer run as its own process by the consumer-group tests.

Every event goes to --out as one JSON object per line, written with a single write() and no
buffering, so a SIGKILL loses nothing that was logged (at most a torn last line, which readers skip):

  {"ev": "start", "pid": ...}
  {"ev": "assign", "parts": [...]}        rebalance callback (incremental under cooperative-sticky)
  {"ev": "revoke", "parts": [...]} / {"ev": "lost", "parts": [...]}
  {"ev": "assignment", "parts": [...]}    current assignment, logged whenever it changes
  {"ev": "recs", "items": [[partition, offset, key], ...]}   records processed (before any commit of them)
  {"ev": "precommit", "uncommitted": n, "offsets": {partition: next_offset}}   logged before every commit
  {"ev": "commit_ok", ...} / {"ev": "commit_err", "err": ..., "code": ...}
  {"ev": "done", "processed": n}          after a clean close (--stop-after or SIGTERM)

Processing = logging the record. Commits are synchronous and carry explicit offsets (last processed + 1),
so records fetched but not processed are never committed.
"""

import argparse
import json
import os
import signal
import sys
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--client-id", default="compat-worker")
    ap.add_argument("--strategy", default="range")
    ap.add_argument("--instance-id", default=None)
    ap.add_argument("--session-timeout", type=int, default=6000)
    ap.add_argument("--heartbeat", type=int, default=1000)
    ap.add_argument("--commit-every", type=int, default=500)
    ap.add_argument("--stop-after", type=int, default=0, help="process exactly this many records, commit, close")
    ap.add_argument("--max-seconds", type=float, default=120.0, help="hard limit on the worker's life")
    a = ap.parse_args()

    fd = os.open(a.out, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def log(ev, **kw):
        kw["ev"] = ev
        kw["t"] = time.time()
        os.write(fd, (json.dumps(kw) + "\n").encode())

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    log("start", pid=os.getpid())

    conf = {
        "bootstrap.servers": a.bootstrap,
        "group.id": a.group,
        "client.id": a.client_id,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": a.session_timeout,
        "heartbeat.interval.ms": a.heartbeat,
        "partition.assignment.strategy": a.strategy,
        "fetch.wait.max.ms": 100,
        "topic.metadata.refresh.interval.ms": 2000,
    }
    if a.instance_id:
        conf["group.instance.id"] = a.instance_id
    c = Consumer(conf)

    # next offset to commit per partition, for records processed since the last successful commit
    pending = {}
    uncommitted = [0]
    processed = [0]

    def commit(parts=None, why="periodic"):
        offs = {p: o for p, o in pending.items() if parts is None or p in parts}
        if not offs:
            return True
        log("precommit", uncommitted=uncommitted[0], offsets=offs, why=why)
        try:
            c.commit(offsets=[TopicPartition(a.topic, p, o) for p, o in offs.items()], asynchronous=False)
        except KafkaException as e:
            err = e.args[0]
            log("commit_err", err=str(err), code=err.code(), name=err.name(), why=why)
            return False
        for p, o in offs.items():
            if pending.get(p) == o:
                del pending[p]
        if parts is None or not pending:
            uncommitted[0] = 0
        log("commit_ok", offsets=offs, why=why)
        return True

    def on_assign(consumer, parts):
        log("assign", parts=sorted(tp.partition for tp in parts))

    def on_revoke(consumer, parts):
        ps = sorted(tp.partition for tp in parts)
        log("revoke", parts=ps)
        commit(set(ps), why="revoke")
        for p in ps:
            pending.pop(p, None)

    def on_lost(consumer, parts):
        ps = sorted(tp.partition for tp in parts)
        log("lost", parts=ps)
        for p in ps:
            pending.pop(p, None)

    c.subscribe([a.topic], on_assign=on_assign, on_revoke=on_revoke, on_lost=on_lost)
    deadline = time.monotonic() + a.max_seconds
    last_assignment = None
    stop_after = a.stop_after
    try:
        while not stopping and time.monotonic() < deadline:
            msgs = c.consume(num_messages=200, timeout=0.2)
            try:
                cur = sorted(tp.partition for tp in c.assignment())
            except KafkaException:
                cur = None
            if cur is not None and cur != last_assignment:
                last_assignment = cur
                log("assignment", parts=cur)
            items = []
            fatal = False
            for m in msgs:
                if m.error():
                    if m.error().code() != KafkaError._PARTITION_EOF:
                        is_fatal = m.error().fatal() or m.error().code() == KafkaError._FATAL
                        log("consume_err", err=str(m.error()), code=m.error().code(), fatal=is_fatal)
                        fatal = fatal or is_fatal
                    continue
                if stop_after and processed[0] >= stop_after:
                    break
                key = m.key().decode() if m.key() is not None else None
                items.append([m.partition(), m.offset(), key])
                pending[m.partition()] = m.offset() + 1
                processed[0] += 1
                uncommitted[0] += 1
            if items:
                log("recs", items=items)
            if fatal:
                break  # e.g. fenced static member: the consumer instance is unusable
            if stop_after and processed[0] >= stop_after:
                commit(why="stop-after")
                break
            if uncommitted[0] >= a.commit_every:
                commit()
        if stopping:
            commit(why="sigterm")
    finally:
        c.close()
        log("done", processed=processed[0])
        os.close(fd)


if __name__ == "__main__":
    sys.exit(main())
