#!/usr/bin/env bash
# Runs SEEDS simulator seeds (each in both host modes) from a first seed derived from the clock (or FIRST_SEED), split over
# one process per core. The range is printed first, so any run can be replayed: a failing seed
# prints its own `sluice-sim --seed N --trace` line.
set -euo pipefail
SIM=${SIM:-.build/release/sluice-sim}
SEEDS=${SEEDS:-20000}
JOBS=${JOBS:-$(nproc)}
# Nanoseconds since the epoch, folded below 2^53 so the range never wraps a UInt64.
FIRST_SEED=${FIRST_SEED:-$(( $(date +%s%N) % (1 << 53) ))}
echo "sim: $SEEDS fresh seeds from $FIRST_SEED to $((FIRST_SEED + SEEDS - 1)) on $JOBS processes (replay a range: FIRST_SEED=$FIRST_SEED SEEDS=$SEEDS make sim)"
per=$(( (SEEDS + JOBS - 1) / JOBS ))
pids=()
for ((j = 0; j < JOBS; j++)); do
    start=$(( FIRST_SEED + j * per ))
    count=$(( SEEDS - j * per < per ? SEEDS - j * per : per ))
    (( count > 0 )) || break
    # Each range twice: as the broker's host drives the cores (writes pipelined, fsynced after)
    # and in the plain Ready order.
    ("$SIM" --seeds "$count" --first-seed "$start" && "$SIM" --seeds "$count" --first-seed "$start" --pipelined) &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
