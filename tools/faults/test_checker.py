"""The checker itself, on made-up histories: it must name every kind of violation, and accept
gaps in offsets (Raft control batches) and unacknowledged records that made it anyway."""

from checks import History, check, value_of


def history_of(acks):
    h = History("r")
    for seq, offset in acks:
        v = value_of("r", "p", 0, seq)
        h.send(v, 0)
        if offset is not None:
            h.ack(v, 0, offset)
    return h


def rec(seq, offset):
    v = value_of("r", "p", 0, seq)
    return (offset, v, v)


def test_a_good_history_with_gaps_passes():
    h = history_of([(0, 0), (1, 2), (2, None), (3, 7)])
    problems, stats = check(h, {0: [rec(0, 0), rec(1, 2), rec(2, 3), rec(3, 7)]})
    assert problems == []
    assert stats["unacked_present"] == 1 and stats["lost"] == 0


def test_every_kind_of_violation_is_named():
    h = history_of([(0, 0), (1, 2), (2, 2), (3, 9)])
    problems, _ = check(h, {0: [rec(0, 0), rec(1, 2), rec(2, 3), (3, b"x", b"y"), rec(0, 5)]})
    kinds = {p.split(":")[0] for p in problems}
    assert kinds == {"offset-reuse", "nonmonotonic", "duplicate", "inconsistent-offset", "lost-write"}, problems
