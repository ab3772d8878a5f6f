"""(e) Damaged segment files on one replica (reliability.md §6, rows 11 and 12): with the node
stopped, truncate the tail of its active segment and flip one byte inside a batch of a sealed
segment, then restart it. The damage must be found by CRC and repaired from the peers: its files
end up holding the leader's batches again, and no node serves a bad batch, the damaged one
included when it becomes leader (the test moves leadership by killing leaders, bounded)."""

import os
import time
import uuid

import kafka_raw as raw
from checks import ConfluentWorkload, History, check, pick
from cluster import scan_log_files, wait_until

SEGMENT_BYTES = 16384


def segments(directory):
    return sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".log"))


def damage(directory):
    """Truncates the active segment's tail and flips a byte in the middle of a sealed segment's
    middle batch. Returns a description and the damaged batch's base offset."""
    files = segments(directory)
    assert len(files) >= 3, f"want at least 3 segments in {directory}, have {files}"
    active = files[-1]
    size = os.path.getsize(active)
    cut = max(1, size // 3)
    os.truncate(active, size - cut)
    sealed = files[len(files) // 2]
    with open(sealed, "r+b") as f:
        data = f.read()
        batches = raw.decode_batches(data)
        position = 0
        for b in batches[:len(batches) // 2]:
            position += 12 + b["length"]
        victim = batches[len(batches) // 2]
        where = position + 12 + victim["length"] // 2 + 30  # inside the records, past the header
        f.seek(where)
        f.write(bytes([data[where] ^ 0x5A]))
    return (f"cut {cut} of {size} bytes from {os.path.basename(active)}; flipped byte {where} of "
            f"{os.path.basename(sealed)} (batch at offset {victim['base_offset']})"), victim["base_offset"]


def test_torn_tail_and_flipped_byte_repaired_from_peers(make_cluster, topic):
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
        assert producer.stop() == 0
    c.wait_isr(topic, 0)

    victim.stop()
    what, flipped = damage(victim.partition_dir(topic, 0))
    # More records while it is down, so that it has to catch up too.
    producer = ConfluentWorkload(c.bootstrap, topic, [0], history, rate=500, producer="during").start()
    time.sleep(2.0)
    assert producer.stop() == 0
    victim.start()
    c.wait_isr(topic, 0, timeout=30)

    def repaired():
        leader_now = c.wait_leader(topic, 0)
        hw = c.read_partition(topic, 0, via=leader_now)["high_watermark"]
        mine, problems = scan_log_files(victim.partition_dir(topic, 0))
        theirs, _ = scan_log_files(leader_now.partition_dir(topic, 0))
        upto = lambda batches: [(b, l, crc) for (b, l, crc, _) in batches if b < hw]  # noqa: E731
        return not problems and upto(mine) == upto(theirs)
    try:
        wait_until(repaired, 30, f"{victim}'s files to hold the leader's batches again", interval=0.5)
    except AssertionError as e:
        _, problems = scan_log_files(victim.partition_dir(topic, 0))
        raise AssertionError(f"{e}; damage was: {what}; problems left on {victim}: {problems[:5]}") from None

    # Every leader serves only good batches; move leadership until the damaged replica led once.
    served_by = []
    for _ in range(pick(4, 8)):
        leader = c.wait_leader(topic, 0, timeout=20)
        read = c.read_partition(topic, 0, via=leader)
        assert not read["bad_crc"], f"{leader} served batches with bad CRCs at {read['bad_crc']} (damage: {what})"
        problems, stats = check(history, {0: read["records"]})
        assert not problems, f"read from {leader} (damage: {what}):\n" + "\n".join(problems)
        assert any(b == flipped for b, _ in read["batches"]) or flipped < read["batches"][0][0], \
            f"{leader} did not serve the batch at {flipped}"
        served_by.append(leader.id)
        if leader.id == victim.id:
            break
        leader.kill9()
        c.wait_leader(topic, 0, exclude=[leader], timeout=15)
        leader.start()
        c.wait_isr(topic, 0, timeout=30)
    print(f"corruption: {what}; leaders read from {served_by}; damaged node {victim.id} "
          f"{'led' if victim.id in served_by else 'never became leader'}; {stats}")
