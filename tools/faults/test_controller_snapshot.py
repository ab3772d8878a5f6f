"""The controller log is compacted into a snapshot of the metadata store (here every 20 entries):
a node that was down while the others created topics gets the snapshot from the leader and ends
up with the same topics and placements in its own SQLite."""

import uuid

from cluster import wait_until


def test_a_node_behind_the_compacted_log_catches_up_from_a_snapshot(make_cluster):
    c = make_cluster(settings={"controller.log.compaction.entries": "20"})
    controller = c.node(c.controller())
    absent = next(n for n in c.nodes if n.id != controller.id)
    absent.stop()
    # Its drain fences it; wait for that so new topics are placed on the two live nodes only.
    wait_until(lambda: absent.id not in [b["node_id"] for b in c.metadata(via=[controller])[1]["brokers"]], 15,
               f"{absent} to be fenced", interval=0.1)
    names = [c.create_topic("snap-" + uuid.uuid4().hex[:8], partitions=1, replication_factor=2) for _ in range(12)]
    wait_until(lambda: any("controller log compacted" in n.tail(400) for n in c.up()), 30, "a controller log compaction", interval=0.3)

    absent.start()

    def knows_all():
        _, md = c.metadata(names, via=[absent])
        return all(name in md["topics"] and md["topics"][name]["partitions"] for name in names)
    wait_until(knows_all, 30, f"{absent} to know the {len(names)} topics created while it was down", interval=0.3)
    assert "installed from a snapshot" in absent.tail(400), f"{absent} caught up without a snapshot:\n{absent.tail(20)}"
