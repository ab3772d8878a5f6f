#!/usr/bin/env bash
# Builds the fuzzers: the modules compiled with libFuzzer coverage and AddressSanitizer by SwiftPM,
# then each harness linked against their objects with libFuzzer's main.
#   request-decoder-fuzz   Kafka request frames and record batches (SluiceWire)
#   internal-frame-fuzz    inter-node frames, Raft message checks and a Raft group stepping them
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=.build-fuzz
swift build --build-path "$BUILD" --target SluiceBroker -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xswiftc -enable-testing >/dev/null
DEBUG="$BUILD/debug"
maps=(-Xcc -fmodule-map-file=Sources/CSluiceLZ4/module.modulemap -Xcc -fmodule-map-file=Sources/CSluiceSQLite/module.modulemap
      -Xcc -fmodule-map-file=Sources/CSluiceLinux/module.modulemap -Xcc -fmodule-map-file=Sources/CSluiceCrypto/module.modulemap
      -Xcc -fmodule-map-file="$DEBUG/CSluiceCRC.build/module.modulemap" -Xcc -I -Xcc Sources/CSluiceCRC/include)

link() {  # link NAME SOURCE MODULES...
    local name=$1 source=$2
    shift 2
    local objects=() file
    # The objects of the module's current sources only: a renamed file's old object may still lie
    # in the build folder, and linking it too would define its symbols twice.
    for module in "$@"; do
        while IFS= read -r file; do objects+=("$DEBUG/$module.build/$(basename "$file").o"); done \
            < <(find "Sources/$module" -name '*.swift' -o -name '*.c' | sort)
    done
    swiftc -sanitize=fuzzer,address -parse-as-library -g -O -I "$DEBUG/Modules" -I "$DEBUG" "${maps[@]}" \
        "$source" "${objects[@]}" -llz4 -lsqlite3 -lcrypto -o "$BUILD/$name" 2> "$BUILD/link-$name.log" ||
        { cat "$BUILD/link-$name.log" >&2; exit 1; }
    echo "$BUILD/$name"
}

link request-decoder-fuzz tools/fuzz/RequestDecoderFuzz.swift SluiceWire SluiceCore CSluiceCRC
link internal-frame-fuzz tools/fuzz/InternalFrameFuzz.swift SluiceBroker SluiceWire SluiceCore CSluiceCRC SluiceIO SluiceLog SluiceMeta SluiceRaft
