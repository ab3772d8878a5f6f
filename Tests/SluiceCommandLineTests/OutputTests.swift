import SluiceCommandLine
import XCTest

final class OutputTests: XCTestCase {
    private let record = RecordView(topic: "demo", partition: 2, offset: 41, timestamp: 1_700_000_000_000, key: Array("k1".utf8),
                                    value: Array("hello\n\"there\"".utf8), headers: [(key: "a", value: Array("1".utf8)), (key: "b", value: nil)])

    func testTablesAlignColumnsWithoutTrailingSpaces() {
        var table = Table(["TOPIC", "PARTITION", "LAG"])
        table.append(["orders", "0", "12"])
        table.append(["a", "10", "-"])
        XCTAssertEqual(table.render(), """
        TOPIC   PARTITION  LAG
        orders  0          12
        a       10         -

        """)
        XCTAssertEqual(Table(["ONLY"]).render(), "ONLY\n")
    }

    func testJSONKeepsMemberOrderAndEscapes() {
        let json = JSON.object([("b", .int(-1)), ("a", .array([.null, .bool(true), .string("q\"\\\n\t\u{01}é")]))])
        XCTAssertEqual(json.rendered(), #"{"b":-1,"a":[null,true,"q\"\\\n\t\u0001é"]}"#)
        XCTAssertEqual(JSON.optional(nil as String?).rendered(), "null")
        XCTAssertEqual(JSON.optional(5 as Int64?).rendered(), "5")
    }

    func testRecordJSONFieldsAreTheDocumentedOnes() {
        XCTAssertEqual(record.json.rendered(),
                       #"{"topic":"demo","partition":2,"offset":41,"timestamp":1700000000000,"key":"k1","value":"hello\n\"there\"","headers":[{"key":"a","value":"1"},{"key":"b","value":null}]}"#)
        let tombstone = RecordView(topic: "t", partition: 0, offset: 0, timestamp: 0, key: nil, value: nil)
        XCTAssertEqual(tombstone.json.rendered(), #"{"topic":"t","partition":0,"offset":0,"timestamp":0,"key":null,"value":null,"headers":[]}"#)
        let binary = RecordView(topic: "t", partition: 0, offset: 0, timestamp: 0, key: nil, value: [0xFF, 0x41])
        XCTAssertEqual(binary.json.rendered().contains(#""value":"\#u{FFFD}A""#), true, "invalid UTF-8 becomes U+FFFD")
    }

    func testKcatFormatDirectives() throws {
        let format = try RecordFormat.parse(#"%t/%p@%o %T %k(%K)=%s(%S) [%h] 100%%\t\n"#)
        XCTAssertEqual(String(decoding: format.render(record), as: UTF8.self),
                       "demo/2@41 1700000000000 k1(2)=hello\n\"there\"(13) [a=1,b=] 100%\t\n")
        let tombstone = RecordView(topic: "t", partition: 0, offset: 0, timestamp: 0, key: nil, value: nil)
        XCTAssertEqual(String(decoding: try RecordFormat.parse("%K %S %k%s.").render(tombstone), as: UTF8.self), "-1 -1 .")
        XCTAssertEqual(RecordFormat.valueOnly.render(record), Array("hello\n\"there\"\n".utf8))
        XCTAssertEqual(try RecordFormat.parse("raw\\x").render(record), Array("raw\\x".utf8), "unknown escapes stay as typed")
        XCTAssertThrowsError(try RecordFormat.parse("%z")) { error in
            XCTAssertEqual((error as? UsageError)?.message, "unknown format directive '%z' in '%z'")
        }
        XCTAssertThrowsError(try RecordFormat.parse("100%"))
    }

    func testRecordFilters() throws {
        let dead = RecordView(topic: "orders.dlq", partition: 1, offset: 0, timestamp: 0, key: Array("o-7".utf8), value: Array("{}".utf8),
                              headers: [(key: "sluice.error", value: Array("timeout talking to db".utf8)),
                                        (key: "sluice.original.topic", value: Array("orders".utf8)), (key: "tenant", value: Array("acme".utf8))])
        let passes = { (text: String) throws -> Bool in try RecordFilter.parse(text).matches(dead) }
        XCTAssertTrue(try passes("error~timeout"))
        XCTAssertFalse(try passes("error~schema"))
        XCTAssertTrue(try passes("key=o-7"))
        XCTAssertTrue(try passes("key!=o-8"))
        XCTAssertTrue(try passes("original-topic=orders"))
        XCTAssertTrue(try passes("partition=1"))
        XCTAssertTrue(try passes("header.tenant=acme"))
        XCTAssertFalse(try passes("header.missing=acme"))
        XCTAssertTrue(try passes("value~{"))
        XCTAssertTrue(try passes("value=a=b") == false, "the first operator splits: value equals 'a=b'")
        for bad in ["error", "colour=red", "header.=x"] {
            XCTAssertThrowsError(try RecordFilter.parse(bad), bad)
        }
    }

    func testClusterHealth() {
        let healthy = ClusterHealthReport(brokerIds: [1, 0], controllerId: 0, partitions: [
            PartitionState(topic: "a", partition: 0, leader: 0, replicas: [0, 1], isr: [0, 1]),
        ])
        XCTAssertTrue(healthy.isHealthy)
        XCTAssertEqual(healthy.brokerIds, [0, 1])
        let unbalanced = ClusterHealthReport(brokerIds: [0, 1], controllerId: 0, partitions: [
            PartitionState(topic: "a", partition: 0, leader: 1, replicas: [0, 1], isr: [0, 1]),
            PartitionState(topic: "a", partition: 1, leader: 1, replicas: [1, 0], isr: [0, 1]),
        ])
        XCTAssertTrue(unbalanced.isHealthy, "a leader other than the preferred one is an imbalance, not a fault")
        XCTAssertEqual(unbalanced.notOnPreferredLeader.map(\.name), ["a/0"])
        let sick = ClusterHealthReport(brokerIds: [0, 1], controllerId: -1, partitions: [
            PartitionState(topic: "b", partition: 1, leader: 2, replicas: [2, 1], isr: [2]),
            PartitionState(topic: "b", partition: 0, leader: -1, replicas: [0], isr: [0]),
            PartitionState(topic: "a", partition: 0, leader: 0, replicas: [0, 1], isr: [0]),
        ])
        XCTAssertFalse(sick.isHealthy)
        XCTAssertEqual(sick.leaderless.map(\.name), ["b/0", "b/1"], "no leader, or a leader that is not a live broker")
        XCTAssertEqual(sick.underReplicated.map(\.name), ["a/0", "b/1"])
        XCTAssertEqual(sick.nodesDown, [2])
        XCTAssertEqual(sick.unhealthyReasons, ["no_elected_controller", "nodes_down", "leaderless_partitions", "under_replicated_partitions"])
        XCTAssertEqual(sick.render(), """
        CLUSTER HEALTH OVERVIEW
        =======================
        Healthy:                          false
        Unhealthy reasons:                [no_elected_controller nodes_down leaderless_partitions under_replicated_partitions]
        Controller ID:                    -1
        All nodes:                        [0 1]
        Nodes down:                       [2]
        Leaderless partitions (2):        [b/0 b/1]
        Under-replicated partitions (2):  [a/0 b/1]
        Not on preferred leader (0):      []

        """)
        XCTAssertTrue(sick.json.rendered().hasPrefix(#"{"healthy":false,"unhealthyReasons":["no_elected_controller","#))
    }
}
