"""The ISR every node reports is the leader's measure (match index at its log end within
replica.lag.time.max.ms, reported to the controller), not "the broker is alive": a follower
paused for less than the broker session timeout leaves the ISR in Metadata from a third node while
it is still a registered, unfenced broker, and comes back after it resumes."""

import time

from cluster import wait_until


def test_a_lagging_follower_leaves_the_isr_every_node_reports(make_cluster, topic):
    c = make_cluster(settings={"replica.lag.time.max.ms": "500", "broker.session.timeout.ms": "8000"})
    c.create_topic(topic, partitions=1)
    c.wait_isr(topic, 0, size=3)
    leader = c.wait_leader(topic, 0)
    follower, observer = [n for n in c.nodes if n.id != leader.id]

    def view():
        md = c.metadata([topic], via=[observer])[1]
        partition = md["topics"][topic]["partitions"][0]
        return sorted(partition["isr"]), sorted(b["node_id"] for b in md["brokers"])

    follower.pause()
    try:
        def follower_out_of_isr_but_registered():
            isr, brokers = view()
            return follower.id not in isr and follower.id in brokers and (isr, brokers)
        isr, brokers = wait_until(follower_out_of_isr_but_registered, 6, f"{observer} to report {follower} out of the ISR while registered")
        assert leader.id in isr and observer.id in isr, isr
    finally:
        follower.resume()
    wait_until(lambda: view()[0] == sorted(n.id for n in c.nodes), 20, f"{observer} to report {follower} back in the ISR")
