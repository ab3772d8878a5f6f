"""(b) SIGSTOP a partition leader for longer than the election timeout, then SIGCONT. A raw
producer pinned to the old leader keeps pipelining acks=all requests into its socket the whole
time; once a new leader is elected, the deposed one must acknowledge none of the requests that
reached it after that, and every acknowledgement it gave must be in the final log."""

import os
import time
import uuid

import kafka_raw as raw
from checks import History, PinnedProducer, check, pick, value_of

ELECTION_BOUND = float(os.environ.get("FAULTS_ELECTION_BOUND", "5"))


def test_sigstop_leader_deposed_leader_acks_nothing(make_cluster, topic):
    pause_for = pick(4.0, 10.0)
    rounds = pick(1, 5)
    c = make_cluster()
    c.create_topic(topic, partitions=1)
    history = History(uuid.uuid4().hex[:8])
    report = []
    for round_ in range(rounds):
        old = c.wait_leader(topic, 0, timeout=20)
        pinned = PinnedProducer(old, topic, 0, history, name=f"pinned{round_}").start()
        time.sleep(1.0)
        stopped_at = time.monotonic()
        old.pause()
        try:
            new = c.wait_leader(topic, 0, exclude=[old], timeout=ELECTION_BOUND + 10)
            elected_at = time.monotonic()
            # The majority goes on: acks=all through the new leader, recorded as acks too.
            with new.conn() as conn:
                for i in range(5):
                    value = value_of(history.run, f"majority{round_}", 0, i)
                    history.send(value, 0)
                    r = conn.produce_one(topic, 0, raw.encode_batch([(value, value)]), acks=-1, timeout_ms=5000, timeout=15)
                    if r["error"] == 0:
                        history.ack(value, 0, r["base_offset"], node=new.id)
            time.sleep(max(0.0, stopped_at + pause_for - time.monotonic()))
        finally:
            old.resume()
        resumed_at = time.monotonic()
        time.sleep(3.0)
        pinned.stop()
        election = elected_at - stopped_at
        assert election < ELECTION_BOUND, f"new leader {new} only seen {election:.2f}s after SIGSTOP of {old}"

        # Acks from the old leader for requests sent after SIGSTOP: it never saw them before the
        # new leader's term existed, so it cannot have had them committed.
        late = [(v.decode(), round(sent - elected_at, 3), round(answered - elected_at, 3), off)
                for (v, sent, answered, err, off) in pinned.responses if err == 0 and sent > stopped_at]
        assert not late, f"deposed leader {old} acknowledged after the new leader {new} was elected " \
                         f"(value, sent and answered in s relative to election, offset): {late[:10]}"
        answered_after = [r for r in pinned.responses if r[2] > elected_at]
        report.append(f"round {round_ + 1}: {old} stopped {pause_for:.0f}s, {new} seen after {election:.2f}s; "
                      f"old leader answered {len(answered_after)} requests after that, "
                      f"{sum(1 for r in answered_after if r[3] == 0)} with success; "
                      f"errors {sorted({r[3] for r in answered_after})}; resumed at +{resumed_at - elected_at:.2f}s")
        c.wait_caught_up(topic, 0, old, timeout=30)

    problems, stats = check(history, c.read_all(topic, [0]))
    print("\n".join(report), stats)
    assert not problems, "\n".join(problems)
