"""Metadata request semantics at the byte level."""

import uuid

import kafka_raw as kr
from conftest import create_topic


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def test_metadata_topic_list_semantics(broker):
    topic = create_topic(broker.bootstrap, unique("md"), partitions=2)
    with kr.Conn.to(broker.bootstrap) as c:
        # v0: an empty list means all topics.
        assert topic in c.metadata([], version=0)["topics"]
        # v1+: null means all, empty means none (librdkafka's brokers-only probe).
        md = c.metadata(None, version=1)
        assert topic in md["topics"]
        assert md["controller"] == 0
        assert md["brokers"] == [dict(node_id=0, host="127.0.0.1", port=broker.port, rack=None)]
        assert c.metadata([], version=1)["topics"] == {}
        t = c.metadata([topic], version=4)["topics"][topic]
        assert t["error"] == 0 and len(t["partitions"]) == 2
        for p in t["partitions"]:
            assert p["error"] == 0 and p["leader"] == 0 and p["replicas"] == [0] and p["isr"] == [0]


def test_metadata_unknown_topic_without_auto_create(broker):
    name = unique("md-ghost")
    with kr.Conn.to(broker.bootstrap) as c:
        t = c.metadata([name], version=4, allow_auto_create=False)["topics"][name]
        assert t["error"] == 3 and t["partitions"] == []
        assert name not in c.metadata(None, version=1)["topics"], "AllowAutoTopicCreation=false created the topic"


def test_metadata_auto_create_when_allowed(broker):
    name = unique("md-auto")
    with kr.Conn.to(broker.bootstrap) as c:
        t = c.metadata([name], version=4, allow_auto_create=True)["topics"][name]
        assert t["error"] in (0, 5), t  # LEADER_NOT_AVAILABLE is allowed while it is being created
        assert name in c.metadata(None, version=1)["topics"]


def test_metadata_invalid_topic_name(broker):
    with kr.Conn.to(broker.bootstrap) as c:
        t = c.metadata(["bad/name"], version=4, allow_auto_create=True)["topics"]["bad/name"]
        assert t["error"] == 17, t


def test_api_versions_invalid_software_name_is_invalid_request(broker):
    with kr.Conn.to(broker.bootstrap) as c:
        resp = c.api_versions(3, software=("bad name!", "1.0"))
        assert resp["error"] == 42, resp["error"]
        assert c.api_versions(0)["error"] == 0  # librdkafka then falls back to v0 on the same connection
