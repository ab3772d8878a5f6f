import SluiceCommandLine
import XCTest

/// `sluice top`'s pure parts: reading /metrics text and drawing the view from two scrapes.
final class TopViewTests: XCTestCase {
    func testPrometheusTextIsParsedAndBadLinesSkipped() {
        let samples = PrometheusText.parse("""
            # HELP sluice_uptime_seconds Seconds.
            # TYPE sluice_uptime_seconds gauge
            sluice_uptime_seconds 12.5
            sluice_produce_records_total{topic="a \\"quoted\\" \\\\ name"} 100
            sluice_partitions{role="leader",x="1"} 3
            garbage line without a value
            broken{label="x" 5
            """)
        XCTAssertEqual(samples, [
            MetricSample(name: "sluice_uptime_seconds", value: 12.5),
            MetricSample(name: "sluice_produce_records_total", labels: ["topic": "a \"quoted\" \\ name"], value: 100),
            MetricSample(name: "sluice_partitions", labels: ["role": "leader", "x": "1"], value: 3),
        ])
    }

    func testViewShowsRatesTopicsLagAndDownNodesWithinTheScreen() {
        let before = [TopView.Scrape(node: "n1:9644", samples: [
            MetricSample(name: "sluice_produce_records_total", labels: ["topic": "orders"], value: 1_000),
            MetricSample(name: "sluice_produce_records_total", labels: ["topic": "audit"], value: 0),
        ]), TopView.Scrape(node: "n2:9644", samples: nil)]
        let after = [TopView.Scrape(node: "n1:9644", samples: [
            MetricSample(name: "sluice_produce_records_total", labels: ["topic": "orders"], value: 3_000),
            MetricSample(name: "sluice_produce_records_total", labels: ["topic": "audit"], value: 10),
            MetricSample(name: "sluice_partitions", labels: ["role": "leader"], value: 4),
            MetricSample(name: "sluice_partitions_led", labels: ["state": "under_replicated"], value: 1),
            MetricSample(name: "sluice_consumer_lag_records", labels: ["group": "billing", "topic": "orders", "partition": "0"], value: 70),
        ]), TopView.Scrape(node: "n2:9644", samples: nil)]
        let lines = TopView(before: before, after: after, seconds: 2).render(width: 200, height: 100)
        XCTAssertTrue(lines[1].hasPrefix("n1:9644"))
        XCTAssertEqual(lines[1].split(separator: " ").map(String.init), ["n1:9644", "yes", "1005", "0.0", "0.0", "4", "1", "0", "0"])
        XCTAssertEqual(lines[2].trimmingCharacters(in: .whitespaces), "n2:9644                 down".trimmingCharacters(in: .whitespaces))
        let topics = lines.filter { $0.hasPrefix("  ") }
        XCTAssertEqual(topics.map { $0.split(separator: " ").map(String.init) }, [["orders", "1000"], ["audit", "5"], ["billing", "70"]])
        let small = TopView(before: before, after: after, seconds: 2).render(width: 20, height: 3)
        XCTAssertEqual(small.count, 3)
        XCTAssertTrue(small.allSatisfy { $0.count <= 20 })
    }
}
