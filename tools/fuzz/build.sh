#!/usr/bin/env bash
# Builds the request-decoder fuzzer: SluiceWire and SluiceCore compiled with libFuzzer coverage
# and AddressSanitizer by SwiftPM, then the harness linked against their objects with libFuzzer's main.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=.build-fuzz
swift build --build-path "$BUILD" --target SluiceWire -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >/dev/null
DEBUG="$BUILD/debug"
objects=$(ls "$DEBUG"/SluiceWire.build/*.o "$DEBUG"/SluiceCore.build/*.o "$DEBUG"/CSluiceCRC.build/*.o)
swiftc -sanitize=fuzzer,address -parse-as-library -g -O \
    -I "$DEBUG/Modules" -I "$DEBUG" \
    -Xcc -fmodule-map-file=Sources/CSluiceLZ4/module.modulemap \
    -Xcc -fmodule-map-file="$DEBUG/CSluiceCRC.build/module.modulemap" -Xcc -I -Xcc Sources/CSluiceCRC/include \
    tools/fuzz/RequestDecoderFuzz.swift $objects -llz4 -o "$BUILD/request-decoder-fuzz" 2> "$BUILD/link.log" || { cat "$BUILD/link.log" >&2; exit 1; }
echo "$BUILD/request-decoder-fuzz"
