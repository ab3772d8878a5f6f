"""Consumer groups with confluent-kafka consumers in separate processes (consumer_worker.py).

Issue 4 item 3: three consumers split a 6-partition topic 2/2/2; a SIGKILLed consumer's partitions move to the
others within the session timeout with no record lost and duplicates only from its uncommitted window; a consumer
that commits and restarts resumes at its commit; cooperative-sticky incremental rebalancing; a static member
restarting within the session timeout causes no rebalance.
"""

import collections
import threading
import time

from groups_support import (Worker, committed_offsets, create_topic, describe_group, gbroker,  # noqa: F401
                            member_partitions, produce_keys, unique, wait_assignments, wait_for)

SESSION_MS = 6000


def stop_all(workers, timeout=20):
    """SIGTERM every live worker at once (so they leave together), then wait for each."""
    import os
    import signal
    for w in workers:
        if w.alive():
            os.kill(w.proc.pid, signal.SIGTERM)
    for w in workers:
        try:
            if w.proc is not None:
                w.wait(timeout)
        finally:
            w.cleanup()


def split_evenly(n_workers, n_parts):
    per = n_parts // n_workers

    def pred(assignments):
        if any(a is None or len(a) != per for a in assignments):
            return False
        return sorted(p for a in assignments for p in a) == list(range(n_parts))
    return pred


def test_three_processes_get_two_partitions_each(gbroker):
    topic = create_topic(gbroker.bootstrap, unique("g-split"), partitions=6)
    group = unique("grp-split")
    workers = [Worker(gbroker, topic, group, f"split-w{i}") for i in range(3)]
    try:
        for w in workers:
            w.start()
        got = wait_assignments(workers, split_evenly(3, 6), 40, "three workers with two partitions each")
        print("worker assignments:", got)

        def described():
            d = describe_group(gbroker, group)
            mp = member_partitions(d, topic)
            return (str(d.state).endswith("STABLE") and len(d.members) == 3
                    and all(len(ps) == 2 for ps in mp.values())
                    and sorted(p for ps in mp.values() for p in ps) == list(range(6)))
        wait_for(described, 20, "describe_consumer_groups: 3 members with 2 partitions each, Stable")
        d = describe_group(gbroker, group)
        assert sorted(m.client_id for m in d.members) == ["split-w0", "split-w1", "split-w2"]
        # What each worker says it owns equals what the broker says it assigned to that client.
        by_client = {m.client_id: sorted(tp.partition for tp in m.assignment.topic_partitions) for m in d.members}
        for w in workers:
            assert by_client[w.name] == w.assignment(), (w.name, by_client, w.assignment())
    finally:
        stop_all(workers)


def test_sigkill_member_partitions_move_no_loss(gbroker):
    total = 30000
    topic = create_topic(gbroker.bootstrap, unique("g-kill"), partitions=6)
    group = unique("grp-kill")
    workers = [Worker(gbroker, topic, group, f"kill-w{i}", commit_every=500, session_timeout=SESSION_MS)
               for i in range(3)]
    victim, survivors = workers[0], workers[1:]
    try:
        for w in workers:
            w.start()
        wait_assignments(workers, split_evenly(3, 6), 40, "three workers with two partitions each")
        victim_parts = victim.assignment()

        # Produce from a thread at a steady pace (about 3 s for all of it) while the three consume and commit.
        produced = []
        failures = []

        def produce():
            try:
                for i in range(0, total, 1000):
                    produced.extend(produce_keys(gbroker, topic, i, 1000))
                    time.sleep(0.05)
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(e)
        th = threading.Thread(target=produce, daemon=True)
        th.start()
        # Mid-way, while the victim is busy and holds records it has not committed yet: SIGKILL it.
        wait_for(lambda: len(produced) >= total // 2 and len(victim.records()) >= 2000
                 and victim.events("commit_ok") and victim.uncommitted_window(), 40,
                 "half produced and the victim mid-window (processed, committed, and holding uncommitted records)")
        victim.kill9()
        t_kill = time.monotonic()
        th.join(60)
        assert not th.is_alive() and not failures, f"producer: {failures}"
        assert len(produced) == total and len(set(produced)) == total

        # The victim's partitions move to the two survivors (3 each) within the session timeout (+ rejoin).
        wait_assignments(survivors, split_evenly(2, 6), SESSION_MS / 1000 + 15,
                         "survivors owning all six partitions after the kill")
        moved_after = time.monotonic() - t_kill
        # Generous, but bounded: session timeout + a heartbeat + the rejoin round trip.
        assert moved_after <= SESSION_MS / 1000 + 6, f"partitions moved {moved_after:.1f}s after the kill"

        d = describe_group(gbroker, group)
        assert sorted(m.client_id for m in d.members) == ["kill-w1", "kill-w2"], d.members

        want = set(produced)

        def all_seen():
            seen = set()
            for w in workers:
                seen.update(k for _, _, k in w.records())
            return want <= seen
        wait_for(all_seen, 60, "every produced record processed by some worker")
        stop_all(survivors)

        counts = collections.Counter(k for w in workers for _, _, k in w.records())
        missing = want - set(counts)
        assert not missing, f"{len(missing)} records never processed, e.g. {sorted(missing)[:5]}"
        assert set(counts) == want, f"unexpected keys {sorted(set(counts) - want)[:5]}"
        dups = {k: n for k, n in counts.items() if n > 1}
        n_dups = sum(n - 1 for n in dups.values())
        window = victim.uncommitted_window()
        window_keys = {k for _, _, k in window}
        pre = victim.events("precommit")
        last_logged = pre[-1]["uncommitted"] if pre else None
        print(f"SIGKILL test: victim owned {victim_parts}, processed {len(victim.records())} records, "
              f"{len(victim.events('commit_ok'))} commits; uncommitted window at kill = {len(window)} records "
              f"(last precommit logged uncommitted={last_logged}); duplicates = {n_dups}; "
              f"partitions moved {moved_after:.2f}s after SIGKILL")
        assert n_dups <= len(window), f"{n_dups} duplicates but the victim's uncommitted window was {len(window)}"
        stray = set(dups) - window_keys
        assert not stray, f"duplicates outside the killed worker's uncommitted window: {sorted(stray)[:10]}"
        assert all(n == 2 for n in dups.values()), f"a record processed 3+ times: {[k for k, n in dups.items() if n > 2][:5]}"
        # The survivors committed on SIGTERM: the group's offsets are at the end of every partition.
        ends = {}
        for w in workers:
            for p, off, _ in w.records():
                ends[p] = max(ends.get(p, 0), off + 1)
        assert sum(ends.values()) == total
        assert committed_offsets(gbroker, group, topic, range(6)) == ends
    finally:
        stop_all(workers)


def test_commit_then_restart_resumes_at_commit(gbroker):
    n, first = 3000, 1234
    topic = create_topic(gbroker.bootstrap, unique("g-resume"), partitions=3)
    group = unique("grp-resume")
    keys = produce_keys(gbroker, topic, 0, n, partitions=3)
    w1 = Worker(gbroker, topic, group, "resume-1", stop_after=first).start()
    try:
        w1.wait(40)
    finally:
        w1.cleanup()
    r1 = w1.records()
    assert len(r1) == first, f"first run processed {len(r1)} records"
    assert w1.events("commit_ok"), f"first run never committed: {w1.events()[-5:]}"
    # The commit is what the broker returns for the group.
    next_off = {}
    for p, off, _ in r1:
        next_off[p] = max(next_off.get(p, 0), off + 1)
    got = committed_offsets(gbroker, group, topic, range(3))
    for p in range(3):
        assert got[p] == next_off.get(p, -1001), (p, got, next_off)

    w2 = Worker(gbroker, topic, group, "resume-2", stop_after=n - first).start()
    try:
        w2.wait(40)
    finally:
        w2.cleanup()
    r2 = w2.records()
    firsts = {}
    for p, off, _ in r2:
        firsts.setdefault(p, off)
    for p, off in firsts.items():
        assert off == next_off.get(p, 0), f"partition {p}: second run started at {off}, commit was {next_off.get(p)}"
    k1, k2 = [k for _, _, k in r1], [k for _, _, k in r2]
    assert not set(k1) & set(k2), f"re-delivered committed records: {sorted(set(k1) & set(k2))[:5]}"
    assert sorted(k1 + k2) == sorted(keys), "gaps or extra records across the restart"
    assert committed_offsets(gbroker, group, topic, range(3)) == {p: n // 3 for p in range(3)}


def test_cooperative_sticky_incremental_rebalance(gbroker):
    topic = create_topic(gbroker.bootstrap, unique("g-coop"), partitions=6)
    group = unique("grp-coop")
    mk = lambda i: Worker(gbroker, topic, group, f"coop-w{i}", strategy="cooperative-sticky",  # noqa: E731
                          session_timeout=SESSION_MS, commit_every=200)
    workers = [mk(0), mk(1)]
    try:
        for w in workers:
            w.start()
        before = wait_assignments(workers, split_evenly(2, 6), 40, "two cooperative members with 3 partitions each")
        keys = produce_keys(gbroker, topic, 0, 3000)
        revokes_before = [len(w.events("revoke")) for w in workers]
        third = mk(2).start()
        workers.append(third)
        after = wait_assignments(workers, split_evenly(3, 6), 40, "three cooperative members with 2 partitions each")
        print("cooperative: before", before, "after", after)
        # Incremental: the first two only gave up what moved; neither lost its whole assignment.
        for w, old, nrev in zip(workers[:2], before, revokes_before):
            revoked = [p for e in w.events("revoke")[nrev:] for p in e["parts"]]
            assert len(revoked) == 1 and revoked[0] in old, f"{w.name} revoked {revoked} (owned {old})"
            assert not w.events("lost"), w.events("lost")
            assert set(w.assignment()) <= set(old), (w.name, old, w.assignment())

        def owned_once():
            d = describe_group(gbroker, group)
            mp = member_partitions(d, topic)
            flat = [p for ps in mp.values() for p in ps]
            return str(d.state).endswith("STABLE") and len(mp) == 3 and sorted(flat) == list(range(6))
        wait_for(owned_once, 20, "describe: three members, every partition owned by exactly one")

        keys += produce_keys(gbroker, topic, 3000, 3000)
        want = set(keys)
        wait_for(lambda: want <= {k for w in workers for _, _, k in w.records()}, 40, "all records consumed")
    finally:
        stop_all(workers)


def test_static_member_restart_no_rebalance(gbroker):
    topic = create_topic(gbroker.bootstrap, unique("g-static"), partitions=4)
    group = unique("grp-static")
    session = 20000  # the restart (a new Python process) must fit inside it comfortably
    a = Worker(gbroker, topic, group, "static-a", instance_id="inst-a", session_timeout=session)
    b = Worker(gbroker, topic, group, "static-b", instance_id="inst-b", session_timeout=session)
    a2 = None
    try:
        a.start()
        b.start()
        before = wait_assignments([a, b], split_evenly(2, 4), 40, "two static members with 2 partitions each")
        # DescribeGroups v4+ shows each member's group.instance.id.
        d1 = describe_group(gbroker, group)
        assert sorted(m.client_id for m in d1.members) == ["static-a", "static-b"]
        assert sorted(m.group_instance_id for m in d1.members) == ["inst-a", "inst-b"], d1.members
        b_assigns = len(b.events("assign"))
        b_revokes = len(b.events("revoke"))
        a.kill9()  # a static member does not leave; a crash is the same thing to the group
        t0 = time.monotonic()
        a2 = Worker(gbroker, topic, group, "static-a2", instance_id="inst-a", session_timeout=session,
                    client_id="static-a").start()
        wait_assignments([a2], lambda x: x[0] is not None and len(x[0]) > 0, 30, "restarted static member assigned")
        took = time.monotonic() - t0
        assert took < session / 1000, f"restart took {took:.1f}s, longer than the session timeout"
        assert a2.assignment() == before[0], f"restarted member got {a2.assignment()}, had {before[0]}"
        time.sleep(2)  # give a (wrong) rebalance time to show up at b
        assert len(b.events("assign")) == b_assigns and len(b.events("revoke")) == b_revokes, \
            f"the other member saw a rebalance: {b.events('revoke')[b_revokes:]} {b.events('assign')[b_assigns:]}"
        assert b.assignment() == before[1]
        d2 = describe_group(gbroker, group)
        assert str(d2.state).endswith("STABLE")
        assert sorted(m.client_id for m in d2.members) == ["static-a", "static-b"], d2.members
        assert sorted(m.group_instance_id for m in d2.members) == ["inst-a", "inst-b"], d2.members
        mb1 = {m.client_id: m for m in d1.members}
        mb2 = {m.client_id: m for m in d2.members}
        assert mb2["static-b"].member_id == mb1["static-b"].member_id
        assert sorted(tp.partition for tp in mb2["static-a"].assignment.topic_partitions) == before[0]
        print(f"static restart: reassigned in {took:.2f}s; inst-a member id {mb1['static-a'].member_id} -> "
              f"{mb2['static-a'].member_id}")
    finally:
        stop_all([w for w in (a, b, a2) if w is not None])


def test_static_member_duplicate_instance_is_fenced(gbroker):
    """A second live consumer with the same group.instance.id takes the slot; the first one's next request gets
    FENCED_INSTANCE_ID, which librdkafka raises as a fatal error."""
    topic = create_topic(gbroker.bootstrap, unique("g-fence"), partitions=2)
    group = unique("grp-fence")
    a = Worker(gbroker, topic, group, "fence-a", instance_id="inst-f", session_timeout=10000)
    a2 = Worker(gbroker, topic, group, "fence-a2", instance_id="inst-f", session_timeout=10000)
    try:
        a.start()
        wait_assignments([a], lambda x: x[0] == [0, 1], 30, "first static member owns both partitions")
        a2.start()
        wait_assignments([a2], lambda x: x[0] == [0, 1], 30, "second member with the same instance id takes over")
        try:
            wait_for(lambda: any(e.get("fatal") for e in a.events("consume_err")), 15, "the first member fenced")
        except AssertionError as e:
            raise AssertionError(f"{e}; first member events: {[x for x in a.events() if x['ev'] != 'recs']}\n{a.stderr()}")
        errs = [e["err"] for e in a.events("consume_err") if e.get("fatal")]
        print("fenced member saw:", errs[0])
        assert "fenced" in errs[0].lower(), errs
        d = describe_group(gbroker, group)
        assert [m.client_id for m in d.members] == ["fence-a2"], d.members
    finally:
        stop_all([a, a2])
