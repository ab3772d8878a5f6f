#!/usr/bin/env bash
# How much 200 groups committing offsets in a tight loop raise the acks=1 produce p99 on another
# connection, measured over several rounds, since one p99 of 10,000 acks on a 2-core machine
# moves by half between runs. Each round, against one release broker: the p99 alone, the p99
# while the storm (commit_storm.py, 8 connections) runs against this broker, and the p99 while
# the same storm runs against a second broker, none of its work in the broker measured (the
# machine's floor: the storm's client and that broker's CPU). Prints every round's p99s and
# ratios, then the median ratios over the rounds where every measurement came back (a round
# with a failed one is shown and left out, not counted as 0). Before the first round one storm
# runs against each broker, so every round finds the offsets topic and the 200 groups in place.
#
# It also shows where the rise is spent: around each measurement it scrapes the measured
# broker's /metrics, and tools/bench/broker_p99.py reads the p99 of the produces' time queued
# for a handler and in it ("broker q/h", each as the bounds of its histogram bucket: what the
# broker's request path adds; the rest of the client's p99 is the socket, the event loop and
# waiting for a core).
#
#   tools/bench/storm-ratio.sh SLUICED [ROUNDS]
#
# Every load is bounded by count and by `timeout`; the brokers are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:?usage: storm-ratio.sh SLUICED [ROUNDS]}
ROUNDS=${2:-5}
WORK=${BENCH_DIR:-$PWD/data/storm-ratio}
PYTHON=${PYTHON:-python3}
. tools/bench/lib.sh

rm -rf "$WORK"; mkdir -p "$WORK"
trap stop_brokers EXIT  # (tools/bench/lib.sh)
METRICS=http://127.0.0.1:$(free_port)
MEASURED=$(start_bench_broker measured "$BIN" --admin.listeners="$METRICS")
OTHER=$(start_bench_broker other "$BIN")

p99() { # bootstrap topic -> p99 µs of 10,000 acks=1 produces at 2,000/s, one in flight (empty on
        # failure); the measured broker's own p99s for them go to $WORK/broker-<topic>
    scrape_metrics "$METRICS/metrics" "$WORK/metrics-before"
    { timeout 120 "$PYTHON" tools/bench/ack_latency.py --bootstrap "$1" --topic "$2" --rate 2000 --count 10000 --acks 1 || true; } \
        | sed -nE 's/.*p99 ([0-9]+) µs.*/\1/p'
    scrape_metrics "$METRICS/metrics" "$WORK/metrics-after"
    "$PYTHON" tools/bench/broker_p99.py "$WORK/metrics-before" "$WORK/metrics-after" > "$WORK/broker-$2" 2>&1 || true
}
broker_share() { # topic -> "queue/handle" p99 of the measured broker for that measurement, each
                 # as the µs bounds of its histogram bucket
    sed -nE 's/^queue p99 ([-0-9?inf]+) µs, handle p99 ([-0-9?inf]+) µs.*/\1 \/ \2/p' "$WORK/broker-$1" | grep . || echo "?"
}
storm() { # bootstrap seconds: 200 groups committing offsets in a tight loop (setup bounded at 60 s)
    timeout $(( $2 + 90 )) "$PYTHON" tools/bench/commit_storm.py --bootstrap "$1" --topic storm --groups 200 --connections 8 --seconds "$2"
}
during_storm() { # storm-bootstrap topic -> p99 µs on the measured broker while the storm runs
    storm "$1" 12 >> "$WORK/storms.txt" 2>&1 &
    local running=$!
    sleep 4
    p99 "$MEASURED" "$2"
    wait $running || echo "commit storm against $1 failed: $(tail -1 "$WORK/storms.txt")" >&2
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", b / a; else print "0" }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for bootstrap in "$MEASURED" "$OTHER"; do storm "$bootstrap" 2 > "$WORK/warm-up.txt" 2>&1 || { echo "warm-up storm failed: $(tail -1 "$WORK/warm-up.txt")" >&2; exit 1; }; done
printf '%-6s %10s %12s %14s %10s %12s %20s %20s %20s\n' round "idle µs" "storm µs" "elsewhere µs" "storm/idle" "floor/idle" "broker q/h idle" "broker q/h storm" "q/h storm elsewhere"
: > "$WORK/storm-ratios"; : > "$WORK/floor-ratios"; : > "$WORK/own-ratios"; : > "$WORK/handle-idle"; : > "$WORK/handle-storm"
: > "$WORK/p99-idle"; : > "$WORK/p99-here"; : > "$WORK/p99-away"
for round in $(seq 1 "$ROUNDS"); do
    idle=$(p99 "$MEASURED" "idle-$round")
    here=$(during_storm "$MEASURED" "here-$round")
    away=$(during_storm "$OTHER" "away-$round")
    if [ -z "$idle" ] || [ -z "$here" ] || [ -z "$away" ]; then
        printf '%-6s %10s %12s %14s   (a measurement failed: round left out)\n' "$round" "${idle:-?}" "${here:-?}" "${away:-?}"
        continue
    fi
    here_ratio=$(ratio "$idle" "$here"); away_ratio=$(ratio "$idle" "$away")
    echo "$here_ratio" >> "$WORK/storm-ratios"; echo "$away_ratio" >> "$WORK/floor-ratios"
    echo "$(ratio "$away" "$here")" >> "$WORK/own-ratios"
    echo "$idle" >> "$WORK/p99-idle"; echo "$here" >> "$WORK/p99-here"; echo "$away" >> "$WORK/p99-away"
    broker_share "idle-$round" | cut -d/ -f2 | tr -d ' ' >> "$WORK/handle-idle"
    broker_share "here-$round" | cut -d/ -f2 | tr -d ' ' >> "$WORK/handle-storm"
    printf '%-6s %10s %12s %14s %9s× %11s× %20s %20s %20s\n' "$round" "$idle" "$here" "$away" "$here_ratio" "$away_ratio" \
        "$(broker_share "idle-$round")" "$(broker_share "here-$round")" "$(broker_share "away-$round")"
done
echo "median p99 under the commit storm / idle over $(wc -l < "$WORK/storm-ratios") of $ROUNDS rounds: $(median < "$WORK/storm-ratios")×"
# The idle p99 moves most between runs (the machine's other load), the storm's least: the
# medians of each, side by side, show which moved a ratio.
echo "median p99s: idle $(median < "$WORK/p99-idle") µs, under the commit storm $(median < "$WORK/p99-here") µs, while it runs on another broker $(median < "$WORK/p99-away") µs"
echo "median p99 while the storm runs on another broker / idle (the machine's floor): $(median < "$WORK/floor-ratios")×"
echo "median p99 under the commit storm / while it runs on another broker (the measured broker's own share): $(median < "$WORK/own-ratios")×"
echo "p99 of the produces' time in the measured broker's handler, by round (µs, histogram bucket): idle $(paste -sd' ' "$WORK/handle-idle"), under the storm $(paste -sd' ' "$WORK/handle-storm")"
echo "commit storms: $(grep -c commits "$WORK/storms.txt") runs, $(awk '/commits in/ { s += $1; n++ } END { if (n) printf "%d commits each on average", s / n }' "$WORK/storms.txt")"
