"""A real Prometheus scraping a 3-node cluster, and the readiness probe, as an operator sees them.

Each node's /metrics passes `promtool check metrics`; Prometheus (Debian's package, run here with
its own config and storage) scrapes every node each second; what the cluster did (records
produced, partitions led) shows in PromQL, every panel of deploy/grafana's dashboard answers; a killed node's target goes down and comes back with
it, and the partitions it followed show as under-replicated until it is back. /ready turns false on a node that has lost its quorum and says which check fails.
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import kafka_raw as raw
from cluster import NONE, free_ports, wait_until

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def get(port, path, headers=None):
    """(status, body) of an HTTP GET to 127.0.0.1:port."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def commit_offsets(c, topic):
    """A consumer group commits offsets 1 of partition 0 (so it lags behind)."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": c.bootstrap, "group.id": "dashboard", "enable.auto.commit": False})
    consumer.commit(offsets=[TopicPartition(topic, 0, 1)], asynchronous=False)
    consumer.close()


class Prometheus:
    def __init__(self, targets):
        self.dir = tempfile.mkdtemp(prefix="sluice-prometheus-")
        self.port = free_ports(1)[0]
        config = os.path.join(self.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: sluice\n"
                    "    static_configs:\n      - targets: [" + ", ".join(f"'127.0.0.1:{t}'" for t in targets) + "]\n")
        self.log = open(os.path.join(self.dir, "prometheus.log"), "wb")
        self.proc = subprocess.Popen([PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={self.dir}/data",
                                      f"--web.listen-address=127.0.0.1:{self.port}"], stdout=self.log, stderr=subprocess.STDOUT)

    def query(self, expression):
        status, body = get(self.port, "/api/v1/query?query=" + urllib.parse.quote(expression))
        assert status == 200, body
        return json.loads(body)["data"]["result"]

    def value(self, expression):
        result = self.query(expression)
        return float(result[0]["value"][1]) if result else None

    def stop(self):
        self.proc.terminate()
        self.proc.wait(20)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def test_prometheus_scrapes_the_cluster(make_cluster, topic):
    c = make_cluster(admin=True, settings={"replica.lag.time.max.ms": "2000"})
    c.create_topic(topic, partitions=3)
    for n in c.nodes:
        status, text = get(n.admin_port, "/metrics")
        assert status == 200
        check = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True)
        assert check.returncode == 0, f"promtool on {n}: {check.stdout}{check.stderr}"
        status, text = get(n.admin_port, "/metrics", {"Accept": "application/openmetrics-text; version=1.0.0"})
        assert status == 200 and text.endswith("# EOF\n")
        assert get(n.admin_port, "/health")[0] == 200
        status, body = get(n.admin_port, "/ready")
        assert status == 200 and json.loads(body)["ready"] is True, body

    prometheus = Prometheus([n.admin_port for n in c.nodes])
    try:
        wait_until(lambda: prometheus.value("sum(up)") == 3, 60, "Prometheus to scrape all three nodes")
        for p in range(3):
            leader = c.wait_leader(topic, p)
            with leader.conn() as conn:
                r = conn.produce_one(topic, p, raw.encode_batch([(b"k", f"v{i}".encode()) for i in range(10)]), acks=-1)
            assert r["error"] == NONE, r
        expression = f'sum(sluice_produce_records_total{{topic="{topic}"}})'
        wait_until(lambda: prometheus.value(expression) == 30, 30, f"{expression} to reach 30")
        wait_until(lambda: prometheus.value('sum(sluice_partitions{role="leader"})') is not None, 30, "partition leaders in Prometheus")
        assert prometheus.value("sum(sluice_raft_controller_leader)") == 1
        p99 = 'histogram_quantile(0.99, sum by (le) (rate(sluice_request_handle_seconds_bucket{api="Produce"}[1m])))'
        wait_until(lambda: prometheus.value(p99) is not None, 30, "a produce latency quantile from the histograms")

        # Records are read back and a group commits, so the fetch and lag panels have data; then
        # every panel of the dashboard answers.
        for p in range(3):
            assert len(c.read_partition(topic, p)["records"]) == 10
        commit_offsets(c, topic)
        dashboard = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "grafana", "sluice-dashboard.json")))
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                wait_until(lambda: prometheus.query(target["expr"]), 60, f"data for the dashboard panel {panel['title']!r}: {target['expr']}")

        under = 'sum(sluice_partitions_led{state="under_replicated"})'
        wait_until(lambda: prometheus.value(under) == 0, 30, "no under-replicated partitions while all run")
        # A replica of every partition dies (not the controller): the partitions it led get new
        # leaders, and every leader sees it fall out of sync after replica.lag.time.max.ms.
        victim = next(n for n in c.nodes if n.id != c.controller())
        victim.kill9()
        wait_until(lambda: prometheus.value(f'up{{instance="127.0.0.1:{victim.admin_port}"}}') == 0, 30, f"{victim} down in Prometheus")
        wait_until(lambda: (prometheus.value(under) or 0) >= 3, 30, "under-replicated partitions to rise in Prometheus")
        victim.start()
        wait_until(lambda: prometheus.value("sum(up)") == 3, 30, f"{victim} back in Prometheus")
        wait_until(lambda: prometheus.value(under) == 0, 60, "under-replicated partitions to fall after the restart")
    finally:
        prometheus.stop()


def test_ready_says_which_check_fails(make_cluster):
    c = make_cluster(admin=True)
    alone = c.nodes[0]
    for n in c.nodes[1:]:
        n.pause()
    try:
        def not_ready():
            status, body = get(alone.admin_port, "/ready")
            return status == 503 and "controllerKnown" in json.loads(body)["failing"] and body
        wait_until(not_ready, 20, f"{alone} to report not ready without a quorum")
        assert get(alone.admin_port, "/health")[0] == 200, "alive even when not ready"
    finally:
        for n in c.nodes[1:]:
            n.resume()
    wait_until(lambda: get(alone.admin_port, "/ready")[0] == 200, 30, f"{alone} ready again")
