#!/usr/bin/env bash
# Takes the README's picture of a cluster at work: the three local nodes (deploy/local-cluster.sh,
# in a temporary CLUSTER_DIR), a real Prometheus scraping them with deploy/prometheus.yml, a
# bounded load (a producer at a steady rate, a consumer group that reads slower and falls behind,
# a follower killed and restarted halfway), then Prometheus' own graph page with four of the
# dashboard's expressions, screenshotted by headless Chromium.
#
#   tools/dashboard/picture.sh [OUT.png]      default deploy/grafana/dashboard.png
#
# Needs `prometheus` and `chromium` (Debian packages; installed here if missing) and the venv of
# make compat-deps. Not part of make test: the picture is documentation, the expressions are
# tested by tools/faults/test_prometheus.py. Takes about four minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/deploy/grafana/dashboard.png}"
PYTHON="$ROOT/.build/venv/bin/python"
SLUICED="${SLUICED:-$ROOT/.build/release/sluiced}"
LOAD_SECONDS="${LOAD_SECONDS:-180}"
PROM_ADDRESS="127.0.0.1:${PROM_PORT:-19090}"

for tool in prometheus chromium; do
  command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >/dev/null
done
[[ -x "$SLUICED" ]] || (cd "$ROOT" && swift build -c release --product sluiced >/dev/null)
[[ -x "$PYTHON" ]] || (cd "$ROOT" && make compat-deps >/dev/null)

WORK="$(mktemp -d /tmp/sluice-picture.XXXXXX)"
export CLUSTER_DIR="$WORK/cluster" SLUICED
PROM_PID=""
cleanup() {
  [[ -n "$PROM_PID" ]] && kill "$PROM_PID" 2>/dev/null || true
  "$ROOT/deploy/local-cluster.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/deploy/local-cluster.sh" start
prometheus --config.file="$ROOT/deploy/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="$PROM_ADDRESS" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!

echo "load for ${LOAD_SECONDS} s: a producer, a slower consumer group, node 3 killed and restarted halfway"
"$PYTHON" - "$LOAD_SECONDS" <<'PY' &
import sys, threading, time
import confluent_kafka
from confluent_kafka.admin import AdminClient, NewTopic

seconds = float(sys.argv[1])
bootstrap = "127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096"
admin = AdminClient({"bootstrap.servers": bootstrap})
for future in admin.create_topics([NewTopic("orders", 6, 3), NewTopic("clicks", 3, 3)]).values():
    try:
        future.result(30)
    except Exception as e:  # already there from an earlier run: fine
        print("create:", e)
end = time.monotonic() + seconds

def produce():
    p = confluent_kafka.Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True, "linger.ms": 5})
    n = 0
    while time.monotonic() < end:
        for _ in range(200):
            p.produce("orders", value=b"o" * 200, key=str(n % 97).encode())
            if n % 3 == 0:
                p.produce("clicks", value=b"c" * 100)
            n += 1
        p.poll(0)
        time.sleep(0.05)
    p.flush(30)

def consume(group, pause):
    c = confluent_kafka.Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest"})
    c.subscribe(["orders"])
    while time.monotonic() < end:
        c.poll(0.2)
        time.sleep(pause)
    c.close()

threads = [threading.Thread(target=produce), threading.Thread(target=consume, args=("billing", 0)),
           threading.Thread(target=consume, args=("slow-audit", 0.004))]
for t in threads:
    t.start()
for t in threads:
    t.join()
PY
LOAD_PID=$!
sleep $((LOAD_SECONDS / 2))
"$ROOT/deploy/local-cluster.sh" kill 3
sleep 20
"$ROOT/deploy/local-cluster.sh" start 3
wait "$LOAD_PID"

urlencode() { "$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# Four panels fit the window, so the page never scrolls to a focused input.
expressions=(
  'sum by (topic) (rate(sluice_produce_records_total[1m]))'
  'histogram_quantile(0.99, sum by (le) (rate(sluice_produce_acks_all_seconds_bucket[1m])))'
  'sum(sluice_partitions_led{state="under_replicated"})'
  'sum by (group) (sluice_consumer_lag_records)'
)
query=""
for i in "${!expressions[@]}"; do
  query+="g$i.expr=$(urlencode "${expressions[$i]}")&g$i.tab=0&g$i.range_input=5m&"
done
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,3000 \
  --virtual-time-budget=20000 --screenshot="$OUT" "http://$PROM_ADDRESS/graph?${query%&}" 2>/dev/null
echo "wrote $OUT"
