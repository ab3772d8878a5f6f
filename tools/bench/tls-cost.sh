#!/usr/bin/env bash
# What TLS costs: one sluiced build started twice, a PLAINTEXT listener and an SSL one (certificates
# from tools/tls/make-certs.sh), the same loads against both in one run, alternating which goes
# first, and the table prints both rates and ssl/plaintext. Loads (rdkafka_performance): produce
# 100 B records with acks=1 and acks=all, then consume 1 KiB records from the start (the load where
# TLS gives up sendfile: segment bytes are read and encrypted instead). Then SCRAM-SHA-512
# authentications per second on a SASL listener (tools/bench/scram_rate.py).
#
#   tools/bench/tls-cost.sh [SLUICED]        (default .build/release/sluiced)
#
# Every load is bounded by count and by `timeout`. N_SMALL, N_CONSUME scale it.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/release/sluiced}
N_SMALL=${N_SMALL:-2000000}
N_CONSUME=${N_CONSUME:-500000}
WORK=${BENCH_DIR:-$PWD/data/tls-cost}
. tools/bench/lib.sh
PERF=$(ensure_rdkafka_performance)

rm -rf "$WORK"; mkdir -p "$WORK"
tools/tls/make-certs.sh "$WORK/certs" >/dev/null
trap stop_brokers EXIT  # (tools/bench/lib.sh)
PLAIN=$(start_bench_broker plain "$BIN")
TLS=$(LISTENER_SCHEME=SSL start_bench_broker tls "$BIN" --ssl.keystore.location="$WORK/certs/server.pem")
TLS_ARGS=(-X security.protocol=ssl -X ssl.ca.location="$WORK/certs/ca.pem")

perf_rate() { # bootstrap perf-args... -> records/s
    timeout 300 "$PERF" -b "$1" "${@:2}" -q 2>&1 | grep -E "msgs/s" | tail -1 | sed -nE 's/.* ([0-9]+) msgs\/s.*/\1/p'
}
rows=()
load=0
both() { # label topic perf-args...
    local label=$1 topic=$2 p t; shift 2
    load=$((load + 1))
    if [ $((load % 2)) = 1 ]; then
        p=$(perf_rate "$PLAIN" -t "$topic" "$@"); t=$(perf_rate "$TLS" -t "$topic" "$@" "${TLS_ARGS[@]}")
    else
        t=$(perf_rate "$TLS" -t "$topic" "$@" "${TLS_ARGS[@]}"); p=$(perf_rate "$PLAIN" -t "$topic" "$@")
    fi
    rows+=("$(printf '%-40s %12s %12s %7s' "$label" "${p:-0}" "${t:-0}" "$(awk -v p="${p:-0}" -v t="${t:-0}" 'BEGIN { if (p > 0 && t > 0) printf "%.2f×", t / p; else print "?" }')")")
}
both "produce 100 B, acks=1 (rec/s)" p1 -P -p 0 -s 100 -c "$N_SMALL" -a 1 -X linger.ms=5
both "produce 100 B, acks=all, fsync (rec/s)" pall -P -p 0 -s 100 -c "$N_SMALL" -a -1 -X linger.ms=5
perf_rate "$PLAIN" -P -t consume -p 0 -s 1024 -c "$N_CONSUME" -a 1 -X linger.ms=5 >/dev/null
perf_rate "$TLS" -P -t consume -p 0 -s 1024 -c "$N_CONSUME" -a 1 -X linger.ms=5 "${TLS_ARGS[@]}" >/dev/null
both "consume 1 KiB from the start (rec/s)" consume -C -p 0 -o beginning -e

echo "TLS cost: $BIN, PLAINTEXT vs SSL (TLS 1.3, EC P-256) listeners (rdkafka_performance, linger.ms=5; data in $WORK)"
printf '%-40s %12s %12s %7s\n' "load" "plaintext" "ssl" "ssl/plain"
printf '%s\n' "${rows[@]}"

printf 'bench:bench-secret\n' > "$WORK/users"
SASL=$(LISTENER_SCHEME=SASL_PLAINTEXT start_bench_broker sasl "$BIN" --sasl.bootstrap.users.file="$WORK/users")
for _ in $(seq 1 100); do grep -q "SCRAM credentials created" "$WORK/sasl.log" && break; sleep 0.1; done
timeout 60 python3 tools/bench/scram_rate.py --bootstrap "$SASL" --user bench --password bench-secret --seconds 5
