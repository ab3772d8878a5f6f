#!/usr/bin/env bash
# Two sluiced builds side by side in one run, for a change that must keep speed: each load runs
# against the base broker and the new one, alternating which goes first (ABBA), each on its own
# topic, and the table prints both rates and new/base. Loads: rdkafka_performance produce of
# 100 B records with acks=1, acks=all (fsync) and acks=all idempotent, then consume of 1 KiB
# records from the start; then acks=1 produce latency (raw, one in flight, 2,000 rec/s) alone
# and while 200 groups commit offsets in a tight loop on other connections (commit_storm.py);
# then two floors, the machine's own: while the same storm runs against a third broker (its
# client's and that broker's CPU, none of it in the broker measured), and while another process
# only spins on one core. On a 2-core machine either alone raises the p99 several times (the
# scheduler), whatever the measured broker does.
# LATENCY_ONLY=1 runs only the latency rows.
#
#   tools/bench/broker-compare.sh BASE_SLUICED NEW_SLUICED
#
# Build the base from the commit before the change in its own worktree, e.g.
#   git worktree add /tmp/base HEAD~1 && (cd /tmp/base && swift build -c release --product sluiced)
# Every load is bounded by count and by `timeout`. N_SMALL, N_CONSUME scale it.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE_BIN=${1:?usage: broker-compare.sh BASE_SLUICED NEW_SLUICED}
NEW_BIN=${2:?usage: broker-compare.sh BASE_SLUICED NEW_SLUICED}
N_SMALL=${N_SMALL:-2000000}
N_CONSUME=${N_CONSUME:-500000}
WORK=${BENCH_DIR:-$PWD/data/broker-compare}
PYTHON=${PYTHON:-python3}
. tools/bench/lib.sh
PERF=$(ensure_rdkafka_performance)

rm -rf "$WORK"; mkdir -p "$WORK"
trap stop_brokers EXIT  # (tools/bench/lib.sh)
BASE=$(start_bench_broker base "$BASE_BIN")
NEW=$(start_bench_broker new "$NEW_BIN")
FLOOR=$(start_bench_broker floor "$NEW_BIN")

perf_rate() { # bootstrap perf-args... -> records/s
    timeout 300 "$PERF" -b "$1" "${@:2}" -q 2>&1 | grep -E "msgs/s" | tail -1 | sed -nE 's/.* ([0-9]+) msgs\/s.*/\1/p'
}
rows=()
row() { # label base new
    rows+=("$(printf '%-44s %12s %12s %7s' "$1" "$2" "$3" "$(awk -v b="$2" -v n="$3" 'BEGIN { if (b > 0 && n > 0) printf "%.2f×", n / b; else print "?" }')")")
}
# One load on both brokers, base first on odd loads and new first on even ones.
load=0
both() { # label topic perf-args...
    local label=$1 topic=$2; shift 2
    local b n
    load=$((load + 1))
    if [ $((load % 2)) = 1 ]; then
        b=$(perf_rate "$BASE" -t "$topic" "$@"); n=$(perf_rate "$NEW" -t "$topic" "$@")
    else
        n=$(perf_rate "$NEW" -t "$topic" "$@"); b=$(perf_rate "$BASE" -t "$topic" "$@")
    fi
    row "$label" "${b:-0}" "${n:-0}"
}
if [ "${LATENCY_ONLY:-0}" != 1 ]; then
both "produce 100 B, acks=1 (rec/s)" p1 -P -p 0 -s 100 -c "$N_SMALL" -a 1 -X linger.ms=5
both "produce 100 B, acks=all, fsync (rec/s)" pall -P -p 0 -s 100 -c "$N_SMALL" -a -1 -X linger.ms=5
both "produce 100 B, acks=all, idempotent (rec/s)" pidm -P -p 0 -s 100 -c "$N_SMALL" -a -1 -X linger.ms=5 -X enable.idempotence=true
for b in "$BASE" "$NEW"; do perf_rate "$b" -P -t consume -p 0 -s 1024 -c "$N_CONSUME" -a 1 -X linger.ms=5 >/dev/null; done
both "consume 1 KiB from the start (rec/s)" consume -C -p 0 -o beginning -e
fi

latency() { # bootstrap topic -> p99 µs
    timeout 120 "$PYTHON" tools/bench/ack_latency.py --bootstrap "$1" --topic "$2" --rate 2000 --count 10000 --acks 1 | sed -nE 's/.*p99 ([0-9]+) µs.*/\1/p'
}
under_storm() { # bootstrap topic name [storm-bootstrap] -> p99 µs while 200 groups commit
    "$PYTHON" tools/bench/commit_storm.py --bootstrap "${4:-$1}" --topic storm --groups 200 --connections 8 --seconds 12 > "$WORK/storm-$3.txt" 2>&1 &
    local storm=$!
    sleep 4
    latency "$1" "$2"
    wait $storm || true
}
under_spin() { # bootstrap topic -> p99 µs while another process spins on one core
    timeout 60 "$PYTHON" -c 'while True: pass' &
    local spin=$!
    sleep 1
    latency "$1" "$2"
    kill "$spin" 2>/dev/null || true; wait "$spin" 2>/dev/null || true
}
idle_base=$(latency "$BASE" lat); idle_new=$(latency "$NEW" lat)
storm_base=$(under_storm "$BASE" slat base); storm_new=$(under_storm "$NEW" slat new)
away_base=$(under_storm "$BASE" alat floor-base "$FLOOR"); away_new=$(under_storm "$NEW" alat floor-new "$FLOOR")
spin_base=$(under_spin "$BASE" plat); spin_new=$(under_spin "$NEW" plat)
row "acks=1 produce p99 latency, idle (µs)" "$idle_base" "$idle_new"
row "... while 200 groups commit offsets (µs)" "$storm_base" "$storm_new"
row "... while they commit on a third broker (µs)" "$away_base" "$away_new"
row "... while one core spins, no broker work (µs)" "$spin_base" "$spin_new"

echo "base: $BASE_BIN   new: $NEW_BIN   (rdkafka_performance, linger.ms=5; data in $WORK)"
printf '%-44s %12s %12s %7s\n' "load" "base" "new" "new/base"
printf '%s\n' "${rows[@]}"
for side in base new; do echo "commit storm against $side: $(tail -1 "$WORK/storm-$side.txt" 2>/dev/null)"; done
for side in base new; do echo "commit storm against the third broker while $side was measured: $(tail -1 "$WORK/storm-floor-$side.txt" 2>/dev/null)"; done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f×", b / a; else print "?" }'; }
echo "p99 under the commit storm / idle: base $(ratio "$idle_base" "$storm_base"), new $(ratio "$idle_new" "$storm_new")"
echo "p99 while the storm runs on a third broker / idle (the machine's floor for this storm): base $(ratio "$idle_base" "$away_base"), new $(ratio "$idle_new" "$away_new")"
echo "p99 while one core spins / idle (the machine's floor for any load that takes a core): base $(ratio "$idle_base" "$spin_base"), new $(ratio "$idle_new" "$spin_new")"
