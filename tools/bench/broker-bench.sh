#!/usr/bin/env bash
# Single-node broker benchmark with librdkafka's rdkafka_performance against a release sluiced
# on a free loopback port: produce throughput (100 B and 1 KiB, acks=1 and acks=all), ack
# latency at a fixed 2,000 records/s with acks=all, and consume throughput from the start of a
# topic. Every load is bounded by count and by `timeout`. Each produce and the consume load also
# runs through the Swift client (sluice-client-bench) on the same broker, right after
# librdkafka's, and is printed next to it with the ratio. Then the cost of being watched: acks=all
# produce with /metrics scraped every second against the same without, alternated. Prints one
# table. BENCH_ONLY=scrape runs only that last part.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
[ "${BENCH_ONLY:-}" = scrape ] || [ -x .build/release/sluice-client-bench ] || swift build -c release -Xswiftc -warnings-as-errors --product sluice-client-bench >/dev/null
WORK=${BENCH_DIR:-$ROOT/data/broker-bench}
N_SMALL=${N_SMALL:-2000000}
N_LARGE=${N_LARGE:-500000}
CONSUME_BYTES=${CONSUME_BYTES:-1073741824}

. tools/bench/lib.sh
PERF=$(ensure_rdkafka_performance)

rm -rf "$WORK"; mkdir -p "$WORK"
PORT=$(free_port)
APORT=$(free_port)
B=127.0.0.1:$PORT
.build/release/sluiced --listeners=$B --log.dirs="$WORK/data" --num.partitions=1 --admin.listeners=http://127.0.0.1:$APORT \
    > "$WORK/sluiced.out" 2> "$WORK/sluiced.log" &
BROKER=$!
trap 'kill $BROKER 2>/dev/null || true; wait $BROKER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening" "$WORK/sluiced.out" 2>/dev/null && break; sleep 0.1; done

SWIFT_BENCH=$ROOT/.build/release/sluice-client-bench
rows=()
swift_rows=()
last_rate=
produce() { # name topic size count acks extra...
    local name=$1 topic=$2 size=$3 count=$4 acks=$5; shift 5
    local out
    out=$(timeout 300 "$PERF" -P -t "$topic" -p 0 -b "$B" -s "$size" -c "$count" -a "$acks" -X linger.ms=5 "$@" -q 2>&1 | grep -E "msgs/s" | tail -1 || true)
    local rate mb
    rate=$(echo "$out" | sed -nE 's/.* ([0-9]+) msgs\/s.*/\1/p')
    mb=$(echo "$out" | sed -nE 's/.*[ (]([0-9.]+) MB\/s.*/\1/p')
    last_rate=${rate:-}
    rows+=("$(printf '%-46s %14s records/s %9s MB/s' "$name" "${rate:-?}" "${mb:-?}")")
}
# The same load through the Swift client, on its own topic, set against librdkafka's last rate.
swift_vs() { # label mode topic size count flags...
    local label=$1 mode=$2 topic=$3 size=$4 count=$5; shift 5
    local out rate ratio
    out=$(timeout 300 "$SWIFT_BENCH" "$mode" --bootstrap "$B" --topic "$topic" --size "$size" --count "$count" "$@" 2>&1 | tail -1 || true)
    rate=$(echo "$out" | sed -nE 's/.* rate=([0-9]+).*/\1/p')
    ratio=$(awk -v s="${rate:-0}" -v l="${last_rate:-0}" 'BEGIN { if (l > 0 && s > 0) printf "%.2f", s / l; else print "?" }')
    swift_rows+=("$(printf '%-34s %9s rec/s   librdkafka: %9s rec/s   %s×' "$label" "${rate:-?}" "${last_rate:-?}" "$ratio")")
}
# What scraping /metrics every second costs acks=all produce: runs alternate without and with a
# scraper (bounded: it stops with its run), and the ratio compares their mean rates.
scrape_cost() {
    local plain=() watched=() i
    scraped_run() { # i
        touch "$WORK/scraping"
        ( end=$((SECONDS + 300)); while [ -f "$WORK/scraping" ] && [ $SECONDS -lt $end ]; do
              curl -s -o /dev/null "http://127.0.0.1:$APORT/metrics"; sleep 1; done ) &
        local scraper=$!
        produce "scrape-cost run $1, scraped every 1 s" "sw$1" 100 "$N_SCRAPE" -1; watched+=("${last_rate:-0}")
        rm -f "$WORK/scraping"; wait $scraper 2>/dev/null || true
    }
    plain_run() { # i
        produce "scrape-cost run $1, not scraped" "sc$1" 100 "$N_SCRAPE" -1; plain+=("${last_rate:-0}")
    }
    # The order alternates (ABBA...), so a drift between consecutive runs favours neither side.
    for i in 1 2 3 4; do
        if [ $((i % 2)) = 1 ]; then plain_run $i; scraped_run $i; else scraped_run $i; plain_run $i; fi
    done
    local a b
    a=$(printf '%s\n' "${plain[@]}" | awk '{s+=$1} END {printf "%d", s/NR}')
    b=$(printf '%s\n' "${watched[@]}" | awk '{s+=$1} END {printf "%d", s/NR}')
    rows+=("$(printf '%-46s %s' "acks=all 100 B with /metrics scraped every 1 s" "$b rec/s vs $a rec/s unscraped: $(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.3f×", b / a; else print "?" }')")")
    # The throughput ratio moves with this machine's drift between runs; what a scrape costs the
    # broker is also read directly: its CPU time (utime + stime, /proc) over 1,000 scrapes in a
    # row, with every topic of the runs above in the output.
    local ticks before after
    ticks=$(getconf CLK_TCK)
    before=$(awk '{print $14 + $15}' "/proc/$BROKER/stat")
    for _ in $(seq 1 1000); do curl -s -o /dev/null "http://127.0.0.1:$APORT/metrics"; done
    after=$(awk '{print $14 + $15}' "/proc/$BROKER/stat")
    rows+=("$(printf '%-46s %s' "broker CPU per /metrics scrape" "$(awk -v d=$((after - before)) -v t="$ticks" 'BEGIN { printf "%.3f ms: %.2f%% of one core at one scrape a second", d * 1000 / t / 1000, d * 1000 / t / 1000 / 10 }')")")
}
N_SCRAPE=${N_SCRAPE:-$((N_SMALL / 2))}
if [ "${BENCH_ONLY:-}" = scrape ]; then
    scrape_cost
    printf '%s\n' "${rows[@]}"
    exit 0
fi

produce "produce 100 B, acks=1"                 p100a1  100  "$N_SMALL" 1
swift_vs "swift producer 100B acks=1" produce s100a1 100 "$N_SMALL" --acks 1 --no-idempotence --compression none
produce "produce 100 B, acks=all (fsync)"       p100all 100  "$N_SMALL" -1
swift_vs "swift producer 100B acks=all" produce s100all 100 "$N_SMALL" --acks all --no-idempotence --compression none
produce "produce 100 B, acks=all, idempotent"   p100idm 100  "$N_SMALL" -1 -X enable.idempotence=true
swift_vs "swift producer 100B acks=all idem" produce s100idm 100 "$N_SMALL" --acks all --compression none
produce "produce 1 KiB, acks=1"                 p1ka1   1024 "$N_LARGE" 1
produce "produce 1 KiB, acks=all (fsync)"       p1kall  1024 "$N_LARGE" -1
swift_vs "swift producer 1KiB acks=all" produce s1kall 1024 "$N_LARGE" --acks all --no-idempotence --compression none
produce "produce 1 KiB, acks=all, idempotent"   p1kidm  1024 "$N_LARGE" -1 -X enable.idempotence=true
swift_vs "swift producer 1KiB acks=all idem" produce s1kidm 1024 "$N_LARGE" --acks all --compression none

# The topic exists before timing starts: the first acks would otherwise include its creation.
timeout 30 "$PERF" -P -t lat -p 0 -b "$B" -s 100 -c 1 -a -1 -q >/dev/null 2>&1 || true
timeout 60 "$PERF" -P -t lat -p 0 -b "$B" -s 100 -c 10000 -r 2000 -a -1 -l -A "$WORK/lat.txt" -X linger.ms=0 -q >/dev/null 2>&1 || true
lat=$(sort -n "$WORK/lat.txt" 2>/dev/null | awk '{a[NR]=$1} END {if (NR) printf "p50 %d µs, p99 %d µs, p99.9 %d µs (%d acks)", a[int(NR*.5)], a[int(NR*.99)], a[int(NR*.999)], NR}')
rows+=("$(printf '%-46s %s' "ack latency at 2,000 rec/s, acks=all (librdkafka)" "${lat:-?}")")
# The same load with one request in flight over a raw connection: the broker's own share.
for acks in -1 1; do
    raw=$(timeout 120 python3 tools/bench/ack_latency.py --bootstrap "$B" --topic rawlat --rate 2000 --count 10000 --acks $acks 2>&1 | tail -1)
    rows+=("$(printf '%-46s %s' "ack latency at 2,000 rec/s, acks=$([ $acks = -1 ] && echo all || echo 1) (raw, 1 in flight)" "${raw:-?}")")
done

# Consume: fill a topic with CONSUME_BYTES of 1 KiB records, then read it from the start.
fill=$((CONSUME_BYTES / 1024))
timeout 300 "$PERF" -P -t consume -p 0 -b "$B" -s 1024 -c "$fill" -a 1 -X linger.ms=5 -q >/dev/null 2>&1 || true
out=$(timeout 300 "$PERF" -C -t consume -p 0 -b "$B" -o beginning -e -q 2>&1 | grep -E "msgs/s" | tail -1 || true)
rate=$(echo "$out" | sed -nE 's/.* ([0-9]+) msgs\/s.*/\1/p'); mb=$(echo "$out" | sed -nE 's/.*[ (]([0-9.]+) MB\/s.*/\1/p')
rows+=("$(printf '%-46s %14s records/s %9s MB/s' "consume $((CONSUME_BYTES >> 20)) MiB of 1 KiB records from the start" "${rate:-?}" "${mb:-?}")")
last_rate=${rate:-}
swift_vs "swift consumer 1KiB from start" consume consume 1024 "$fill"

scrape_cost

echo "sluiced, a cluster of one, rdkafka_performance (librdkafka $(pkg-config --modversion rdkafka)), linger.ms=5, data in $WORK"
printf '%s\n' "${rows[@]}"
echo
echo "Swift client (sluice-client-bench: linger 5 ms, no compression, like rdkafka_performance) against librdkafka, same broker, same run"
printf '%s\n' "${swift_rows[@]}"
