import Foundation
@testable import SluiceBroker
import XCTest

/// The settings table: the README shows it as it is, and every integer setting takes exactly its
/// range, answering anything else with one line that names the key.
final class BrokerSettingsTests: XCTestCase {
    func testReadmeListsEverySettingAsTheTableDoes() throws {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        let readme = try String(contentsOfFile: parts.joined(separator: "/") + "/README.md", encoding: .utf8)
        guard let begin = readme.range(of: "<!-- settings:begin -->\n"), let end = readme.range(of: "\n<!-- settings:end -->") else {
            return XCTFail("README.md has no settings section")
        }
        XCTAssertEqual(String(readme[begin.upperBound..<end.lowerBound]), BrokerConfig.settingsTable,
                       "README.md's settings list differs from `sluiced --settings`; paste its output between the markers")
    }

    func testEveryIntegerSettingTakesItsBoundsAndRefusesBeyondThem() throws {
        for setting in BrokerSetting.all {
            guard case let .integer(min, max, _) = setting.kind else { continue }
            for good in [min, max] {
                var config = BrokerConfig()
                XCTAssertNoThrow(try config.set(setting.key, String(good)), "\(setting.key)=\(good)")
            }
            var beyond = ["not-a-number", "", "1.5", "9223372036854775808", "-9223372036854775809"]
            if min > Int64.min { beyond.append(String(min - 1)) }
            if max < Int64.max { beyond.append(String(max + 1)) }
            for bad in beyond {
                var config = BrokerConfig()
                XCTAssertThrowsError(try config.set(setting.key, bad), "\(setting.key)=\(bad)") { error in
                    let text = (error as? BrokerConfig.ConfigError)?.description ?? ""
                    XCTAssertTrue(text.hasPrefix(setting.key) && text.contains("'\(bad)'") && !text.contains("\n"), text)
                }
            }
        }
    }

    func testClusterIDTakesNamesAsTheBrokerMakesThemAndNothingElse() throws {
        var config = BrokerConfig()
        for good in ["sluice-6672fb85-d8c1-4bf2", "prod.eu_1", String(repeating: "a", count: 64)] {
            try config.set("cluster.id", good)
            XCTAssertEqual(config.clusterID, good)
        }
        try config.set("cluster.id", "")
        XCTAssertNil(config.clusterID)
        for bad in ["has space", "slash/name", "ü", String(repeating: "a", count: 65), "new\nline"] {
            XCTAssertThrowsError(try config.set("cluster.id", bad), bad) { error in
                let text = (error as? BrokerConfig.ConfigError)?.description ?? ""
                XCTAssertTrue(text.hasPrefix("cluster.id wants") && !text.contains("\n"), text)
            }
        }
    }

    func testFlagsTakeTrueAndFalseOnly() {
        for setting in BrokerSetting.all {
            guard case .flag = setting.kind else { continue }
            var config = BrokerConfig()
            XCTAssertNoThrow(try config.set(setting.key, "TRUE"))
            XCTAssertNoThrow(try config.set(setting.key, "false"))
            XCTAssertThrowsError(try config.set(setting.key, "yes"))
            XCTAssertThrowsError(try config.set(setting.key, "1"))
        }
    }

    /// A broker started in a shell set up for the `sluice` CLI starts: the CLI's variables are
    /// not settings; every other `SLUICE_<KEY>` is one, and an unknown one stops the broker.
    func testTheCLIsEnvironmentVariablesAreNotSettings() throws {
        let cli = ["SLUICE_BROKERS": "a:9092", "SLUICE_COMMAND_CONFIG": "/tmp/client.properties", "SLUICE_PASSWORD": "secret",
                   "SLUICE_METRICS": "127.0.0.1:9644", "SLUICE_NUM_PARTITIONS": "5"]
        let config = try BrokerConfig(commandLine: ["--log.dirs=/tmp/x"], environment: cli)
        XCTAssertEqual(config.numPartitions, 5)
        XCTAssertThrowsError(try BrokerConfig(commandLine: ["--log.dirs=/tmp/x"], environment: ["SLUICE_NO_SUCH_SETTING": "1"])) {
            XCTAssertTrue("\($0)".contains("SLUICE_NO_SUCH_SETTING"), "\($0)")
        }
    }

    func testCommandLineFormsAgree() throws {
        let spaced = try BrokerConfig(commandLine: ["--num.partitions", "7", "--log.dirs", "/tmp/x", "--override", "message.max.bytes=2048"],
                                      environment: [:])
        let joined = try BrokerConfig(commandLine: ["--num.partitions=7", "--log.dirs=/tmp/x", "--override=message.max.bytes=2048"],
                                      environment: [:])
        XCTAssertEqual(spaced, joined)
        XCTAssertEqual(spaced.numPartitions, 7)
        XCTAssertEqual(spaced.messageMaxBytes, 2048)
        XCTAssertThrowsError(try BrokerConfig(commandLine: ["--num.partitions"], environment: [:]))
        XCTAssertThrowsError(try BrokerConfig(commandLine: ["stray"], environment: [:]))
        // A cluster of one needs no voters or secret, but a port it can advertise, and no
        // inter-node listener nobody could be configured to reach.
        XCTAssertNoThrow(try BrokerConfig(commandLine: ["--listeners=127.0.0.1:9092", "--log.dirs=/tmp/x"], environment: [:]))
        XCTAssertThrowsError(try BrokerConfig(commandLine: ["--listeners=127.0.0.1:0", "--log.dirs=/tmp/x"], environment: [:])) {
            XCTAssertTrue("\($0)".contains("port 0 cannot be advertised"), "\($0)")
        }
        XCTAssertThrowsError(try BrokerConfig(commandLine: ["--listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093", "--log.dirs=/tmp/x"],
                                              environment: [:])) {
            XCTAssertTrue("\($0)".contains("controller.quorum.voters is empty"), "\($0)")
        }
        // Several client listeners: each advertised by name; a stray advertised name is refused.
        let two = try BrokerConfig(commandLine: ["--listeners=PLAINTEXT://0.0.0.0:9092,SASL_PLAINTEXT://127.0.0.1:9094", "--log.dirs=/tmp/x",
                                                 "--advertised.listeners=PLAINTEXT://a.example:19092,SASL_PLAINTEXT://b.example:19094"], environment: [:])
        XCTAssertEqual(two.clientListeners.map(\.name), ["PLAINTEXT", "SASL_PLAINTEXT"])
        XCTAssertEqual(two.clientListeners.map { two.usesSASL($0.name) }, [false, true])
        XCTAssertEqual(two.advertisedAddress(of: two.clientListeners[1], boundPort: 0), BrokerConfig.AdvertisedAddress(host: "b.example", port: 19094))
        XCTAssertEqual(two.advertised.host, "a.example")
        XCTAssertThrowsError(try BrokerConfig(commandLine: ["--listeners=PLAINTEXT://127.0.0.1:9092,SASL_PLAINTEXT://127.0.0.1:9094", "--log.dirs=/tmp/x",
                                                        "--advertised.listeners=OTHER://x:1"], environment: [:])) {
            XCTAssertTrue("\($0)".contains("advertised.listeners names OTHER"), "\($0)")
        }
        // One listener keeps taking a single advertised entry whatever its name.
        let renamed = try BrokerConfig(commandLine: ["--listeners=CLIENTS://127.0.0.1:9092", "--listener.security.protocol.map=CLIENTS:PLAINTEXT",
                                                     "--advertised.listeners=PLAINTEXT://c.example:9", "--log.dirs=/tmp/x"], environment: [:])
        XCTAssertEqual(renamed.advertised.host, "c.example")
        // Flags win over the environment, which wins over defaults.
        let layered = try BrokerConfig(commandLine: ["--num.partitions=9"], environment: ["SLUICE_NUM_PARTITIONS": "3", "SLUICE_NUM_IO_THREADS": "6"])
        XCTAssertEqual(layered.numPartitions, 9)
        XCTAssertEqual(layered.ioThreads, 6)
    }
}
