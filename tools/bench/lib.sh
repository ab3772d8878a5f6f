# Shared by the broker benches (sourced from the repository root).

# Prints the path of rdkafka_performance, built once from the example source Debian ships in
# librdkafka-dev (installed if missing).
ensure_rdkafka_performance() {
    local perf=$PWD/.build/rdkafka_performance sudo src work
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    if [ ! -x "$perf" ]; then
        [ -f /usr/share/doc/librdkafka-dev/examples/rdkafka_performance.c ] || \
            { $sudo apt-get install -y -qq librdkafka-dev >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq librdkafka-dev >/dev/null; }; }
        work=$(mktemp -d)
        # The example includes "../src/rd.h" and <rdtime.h>: give it both from our shim.
        mkdir -p "$work/inc" "$work/src" "$work/examples"
        cp tools/bench/rdkafka_shim.h "$work/inc/rd.h"
        cp tools/bench/rdkafka_shim.h "$work/src/rd.h"
        echo '#include "rd.h"' > "$work/inc/rdtime.h"
        src=/usr/share/doc/librdkafka-dev/examples/rdkafka_performance.c
        [ -f "$src" ] || src=$src.gz
        case $src in *.gz) gunzip -c "$src" > "$work/examples/rdkafka_performance.c" ;; *) cp "$src" "$work/examples/rdkafka_performance.c" ;; esac
        gcc -O2 -w -o "$perf" "$work/examples/rdkafka_performance.c" -I"$work/inc" -I/usr/include/librdkafka $(pkg-config --cflags --libs rdkafka) -lm >&2
        rm -rf "$work"
    fi
    echo "$perf"
}

# Writes what `url` (a broker's /metrics) answers to `file`; an empty file if it does not answer
# within 5 s.
scrape_metrics() { # url file
    "${PYTHON:-python3}" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \
        "$1" > "$2" 2>/dev/null || : > "$2"
}

# Prints a free TCP port on 127.0.0.1, below the ephemeral range (Tests/compat/ports.py says why).
free_port() {
    python3 "$(dirname "${BASH_SOURCE[0]}")/../../Tests/compat/ports.py"
}

# Brokers a bench starts append their pid to $WORK/pids: they are started in a command
# substitution (a subshell), where a shell array would be lost and the brokers left running.
# They are not the bench shell's children, so this polls until each is gone (at most 10 s): a
# run right after must not find them still writing in its data directory.
stop_brokers() {
    [ -f "$WORK/pids" ] || return 0
    while read -r p; do kill "$p" 2>/dev/null || true; done < "$WORK/pids"
    while read -r p; do
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    done < "$WORK/pids"
}

# Starts `binary` on a free loopback port with its data in $WORK/name and the settings given after
# it, records its pid for stop_brokers, and prints host:port once it listens (exits if it does
# not within 20 s). Call it in a command substitution: BROKER=$(start_bench_broker name binary).
# The listener is PLAINTEXT unless LISTENER_SCHEME names another (SSL, SASL_PLAINTEXT).
start_bench_broker() { # name binary [settings...]
    local name=$1 binary=$2 port; shift 2
    port=$(free_port)
    "$binary" --listeners="${LISTENER_SCHEME:-PLAINTEXT}://127.0.0.1:$port" --log.dirs="$WORK/$name" --num.partitions=1 "$@" > "$WORK/$name.out" 2> "$WORK/$name.log" &
    echo $! >> "$WORK/pids"
    for _ in $(seq 1 200); do grep -q "listening" "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
    grep -q "listening" "$WORK/$name.out" || { echo "$name did not start: $(tail -3 "$WORK/$name.log")" >&2; exit 1; }
    echo "127.0.0.1:$port"
}
