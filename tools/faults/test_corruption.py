"""(e) Damaged segment files on one replica: with the node
stopped, truncate the tail of its active segment, or flip one byte inside a batch of a sealed
segment, or both (long mode), then restart it. The damage must be found by CRC and repaired from
the peers: the node stays up, its files end up holding the leader's batches again, and no node
serves a bad batch, the damaged one included when it becomes leader (the test moves leadership by
killing leaders, bounded)."""

import os
import time
import uuid

import pytest

import kafka_raw as raw
from checks import ConfluentWorkload, History, check, pick
from cluster import ClusterError, scan_log_files, wait_until

SEGMENT_BYTES = 16384


def segments(directory):
    return sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".log"))


def truncate_tail(directory):
    """Cuts the last third of the active (last) segment: batches the node had fsynced and that
    were committed are gone, as after a disk that lied about a flush."""
    active = segments(directory)[-1]
    size = os.path.getsize(active)
    cut = max(1, size // 3)
    os.truncate(active, size - cut)
    return f"cut {cut} of {size} bytes from {os.path.basename(active)}", None


def flip_byte(directory):
    """Flips one byte inside the records of the middle batch of a middle sealed segment."""
    files = segments(directory)
    sealed = files[len(files) // 2 - 1]
    with open(sealed, "r+b") as f:
        data = f.read()
        batches = raw.decode_batches(data)
        position = sum(12 + b["length"] for b in batches[:len(batches) // 2])
        victim = batches[len(batches) // 2]
        where = position + 12 + victim["length"] // 2 + 30  # inside the records, past the header
        f.seek(where)
        f.write(bytes([data[where] ^ 0x5A]))
    return f"flipped byte {where} of {os.path.basename(sealed)} (batch at offset {victim['base_offset']})", victim["base_offset"]


DAMAGE = {"torn-tail": [truncate_tail], "flipped-byte": [flip_byte], "both": [truncate_tail, flip_byte]}


@pytest.mark.parametrize("kind", pick(["torn-tail", "flipped-byte"], sorted(DAMAGE)))
def test_damaged_follower_segments_repaired_from_peers(make_cluster, topic, kind):
    c = make_cluster(settings={"log.segment.bytes": SEGMENT_BYTES})
    c.create_topic(topic, partitions=1)
    history = History(uuid.uuid4().hex[:8])
    producer = ConfluentWorkload(c.bootstrap, topic, [0], history, rate=800, producer="before").start()
    leader = c.wait_leader(topic, 0)
    victim = next(n for n in c.nodes if n.id != leader.id)
    try:
        wait_until(lambda: len(segments(victim.partition_dir(topic, 0))) >= 4, pick(30, 60),
                   f"4 segments on {victim}", interval=0.2)
    finally:
        producer.stop()
    producer.finish()
    c.wait_caught_up(topic, 0, victim)

    victim.stop()
    done = [f(victim.partition_dir(topic, 0)) for f in DAMAGE[kind]]
    what = "; ".join(text for text, _ in done)
    flipped = [offset for _, offset in done if offset is not None]
    victim.note(f"damaged: {what}")
    # More records while it is down, so that it has to catch up too.
    producer = ConfluentWorkload(c.bootstrap, topic, [0], history, rate=500, producer="during").start()
    time.sleep(2.0)
    producer.stop()
    producer.finish()
    victim.start()

    # Repaired: its files hold the leader's batches again (below the HW), every CRC good.
    deadline = time.monotonic() + 30
    while True:
        assert victim.alive(), f"{victim} is down after its restart on damaged files ({what}): {victim.exit_story()}"
        try:
            leader = c.wait_leader(topic, 0, exclude=[victim], timeout=10)
            hw = c.read_partition(topic, 0, via=leader)["high_watermark"]
            mine, problems = scan_log_files(victim.partition_dir(topic, 0))
            theirs, _ = scan_log_files(leader.partition_dir(topic, 0))
            upto = lambda batches: [(b, l, crc) for (b, l, crc, _) in batches if b < hw]  # noqa: E731
            if not problems and upto(mine) == upto(theirs):
                break
        except ClusterError:
            problems = ["(leader not readable)"]
        assert time.monotonic() < deadline, f"{victim}'s files do not hold the leader's batches 30 s after restart " \
                                            f"(damage: {what}); problems left: {problems[:5]}; its errors: {victim.errors()}"
        time.sleep(0.5)

    # Every leader serves only good batches; move leadership until the damaged replica led once.
    served_by = []
    for _ in range(pick(4, 8)):
        leader = c.wait_leader(topic, 0, timeout=20)
        read = c.read_partition(topic, 0, via=leader)
        assert not read["bad_crc"], f"{leader} served batches with bad CRCs at {read['bad_crc']} (damage: {what})"
        problems, stats = check(history, {0: read["records"]})
        assert not problems, f"read from {leader} (damage: {what}):\n" + "\n".join(problems)
        for offset in flipped:
            assert any(b == offset for b, _ in read["batches"]), f"{leader} did not serve the batch at {offset}"
        served_by.append(leader.id)
        if leader.id == victim.id:
            break
        leader.kill9()
        c.wait_leader(topic, 0, exclude=[leader], timeout=15)
        leader.start()
        c.wait_caught_up(topic, 0, leader, timeout=30)
    print(f"corruption: {what}; leaders read from {served_by}; damaged node {victim.id} "
          f"{'led' if victim.id in served_by else 'never became leader'}; {stats}")
