// swift-tools-version:6.0
// Sluice: a Kafka-compatible, Raft-replicated log broker. No third-party Swift packages:
// C libraries come in as system-library targets, and CRC32C as a small C target of our own.
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SluiceClient", targets: ["SluiceClient"]),
        .executable(name: "sluiced", targets: ["sluiced"]),
        .executable(name: "sluice-bench", targets: ["sluice-bench"]),
        .executable(name: "sluice-sim", targets: ["sluice-sim"]),
        .executable(name: "sluice-gen", targets: ["sluice-gen"]),
        .executable(name: "sluice-client-bench", targets: ["sluice-client-bench"]),
        .executable(name: "sluice-example-producer", targets: ["sluice-example-producer"]),
        .executable(name: "sluice-example-consumer", targets: ["sluice-example-consumer"]),
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    targets: [
        // C edges.
        .systemLibrary(name: "CSluiceLZ4", path: "Sources/CSluiceLZ4", pkgConfig: "liblz4"),
        .systemLibrary(name: "CSluiceSQLite", path: "Sources/CSluiceSQLite", pkgConfig: "sqlite3"),
        .systemLibrary(name: "CSluiceLinux", path: "Sources/CSluiceLinux"),
        .systemLibrary(name: "CSluiceCrypto", path: "Sources/CSluiceCrypto", pkgConfig: "libcrypto"),
        .systemLibrary(name: "CSluiceTLS", path: "Sources/CSluiceTLS", pkgConfig: "libssl"),
        .target(name: "CSluiceCRC", path: "Sources/CSluiceCRC", cSettings: [.unsafeFlags(["-O3"])]),

        // Layers, bottom up. SwiftPM enforces that nothing imports upward.
        .target(name: "SluiceCore", dependencies: ["CSluiceCRC"], exclude: ["README.md"]),
        .target(name: "SluiceWire", dependencies: ["SluiceCore", "CSluiceLZ4"], exclude: ["README.md"]),
        .target(name: "SluiceIO", dependencies: ["SluiceCore", "CSluiceLinux", "CSluiceTLS"], exclude: ["README.md"]),
        .target(name: "SluiceLog", dependencies: ["SluiceWire", "SluiceIO"], exclude: ["README.md"]),
        .target(name: "SluiceCrypto", dependencies: ["CSluiceCrypto"], exclude: ["README.md"]),
        .target(name: "SluiceMeta", dependencies: ["SluiceCore", "CSluiceSQLite"], exclude: ["README.md"]),
        .target(name: "SluiceRaft", dependencies: ["SluiceCore"], exclude: ["README.md"]),
        .target(name: "SluiceBroker", dependencies: ["SluiceCore", "SluiceWire", "SluiceIO", "SluiceLog", "SluiceMeta", "SluiceRaft", "SluiceCrypto"],
                exclude: ["README.md"]),
        .target(name: "SluiceClient", dependencies: ["SluiceCore", "SluiceWire", "SluiceIO", "SluiceCrypto"], exclude: ["README.md"]),
        .target(name: "SluiceTesting", dependencies: ["SluiceCore", "SluiceRaft"], exclude: ["README.md"]),

        // Executables.
        .executableTarget(name: "sluiced", dependencies: ["SluiceBroker", "SluiceIO", "SluiceLog"]),
        .executableTarget(name: "sluice-bench", dependencies: ["SluiceLog", "CSluiceLZ4"], path: "tools/sluice-bench"),
        .executableTarget(name: "sluice-sim", dependencies: ["SluiceTesting"], path: "tools/sluice-sim",
                          exclude: ["fresh-seeds.sh", "regression-seeds.txt"]),
        .executableTarget(name: "sluice-gen", path: "tools/sluice-gen"),
        .executableTarget(name: "sluice-client-bench", dependencies: ["SluiceClient"], path: "tools/sluice-client-bench"),
        .executableTarget(name: "sluice-example-producer", dependencies: ["SluiceClient"], path: "tools/examples/producer"),
        .executableTarget(name: "sluice-example-consumer", dependencies: ["SluiceClient"], path: "tools/examples/consumer"),

        // Tests mirror the modules they test.
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .testTarget(name: "SluiceWireTests", dependencies: ["SluiceWire", "CSluiceLZ4"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SluiceIOTests", dependencies: ["SluiceIO"]),
        .testTarget(name: "SluiceLogTests", dependencies: ["SluiceLog"]),
        .testTarget(name: "SluiceMetaTests", dependencies: ["SluiceMeta"]),
        .testTarget(name: "SluiceBrokerTests", dependencies: ["SluiceBroker", "SluiceRaft"]),
        .testTarget(name: "SluiceClientTests", dependencies: ["SluiceClient"]),
        .testTarget(name: "SluiceRaftTests", dependencies: ["SluiceRaft", "SluiceTesting"], exclude: ["testdata"]),

        // The admin CLI: pure parsing and rendering, then the executable that talks to brokers.
        .target(name: "SluiceCommandLine", dependencies: ["SluiceCore"], exclude: ["README.md"]),
        .executableTarget(name: "sluice", dependencies: ["SluiceClient", "SluiceCommandLine", "SluiceIO"]),
        .testTarget(name: "SluiceCommandLineTests", dependencies: ["SluiceCommandLine", "SluiceCore"]),
    ]
)
