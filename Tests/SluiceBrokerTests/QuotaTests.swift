import SluiceMeta
import SluiceWire
import XCTest
@testable import SluiceBroker

/// Kafka's quota precedence and throttle arithmetic, without a broker.
final class QuotaTests: XCTestCase {
    private typealias E = ClientQuotaEntity

    func testTheMostSpecificQuotaApplies() {
        let quotas: [E: [String: Double]] = [
            E(user: .named("alice"), clientID: .named("app")): ["producer_byte_rate": 1],
            E(user: .named("alice"), clientID: nil): ["producer_byte_rate": 2],
            E(user: .defaultEntity, clientID: nil): ["producer_byte_rate": 3],
            E(user: nil, clientID: .named("app")): ["producer_byte_rate": 4],
            E(user: nil, clientID: .defaultEntity): ["producer_byte_rate": 5, "consumer_byte_rate": 6],
        ]
        func value(_ user: String?, _ client: String, _ key: QuotaKey = .producerByteRate) -> Double? {
            QuotaEnforcer.applicable(quotas, key: key, user: user, clientID: client)?.value
        }
        XCTAssertEqual(value("alice", "app"), 1)
        XCTAssertEqual(value("alice", "other"), 2)
        XCTAssertEqual(value("bob", "app"), 3, "a default-user quota outranks a client-id one")
        XCTAssertEqual(value("ANONYMOUS", "app"), 3, "an unauthenticated client is user ANONYMOUS, under the default-user quota")
        XCTAssertEqual(value("bob", "other", .consumerByteRate), 6)
        XCTAssertNil(value("bob", "other", .requestPercentage))
        let clientsOnly = quotas.filter { $0.key.user == nil }
        XCTAssertEqual(QuotaEnforcer.applicable(clientsOnly, key: .producerByteRate, user: "bob", clientID: "app")?.value, 4)
        XCTAssertEqual(QuotaEnforcer.applicable(clientsOnly, key: .producerByteRate, user: "bob", clientID: "other")?.value, 5)
    }

    func testAClientOverItsRateIsThrottledUntilTheRateFallsBack() {
        let entity = E(user: nil, clientID: .named("app"))
        let enforcer = QuotaEnforcer(configured: { [entity: ["producer_byte_rate": 1_000]] })
        let start: UInt64 = 1_000_000_000_000
        // 500 bytes in the first second: within 1,000 B/s.
        XCTAssertEqual(enforcer.charge(.producerByteRate, amount: 500, user: nil, clientID: "app", now: start), 0)
        // 3,000 more in the same second: 3,500 B/s over a one-second window, 2.5× over: wait 2.5 s.
        XCTAssertEqual(enforcer.charge(.producerByteRate, amount: 3_000, user: nil, clientID: "app", now: start + 1_000), 2_500)
        // Another client id has its own budget; a client with no quota is never charged.
        XCTAssertEqual(enforcer.charge(.producerByteRate, amount: 900, user: nil, clientID: "other", now: start), 0)
        // After the window has passed, the rate is back under the quota.
        XCTAssertEqual(enforcer.charge(.producerByteRate, amount: 100, user: nil, clientID: "app", now: start + 12_000_000_000), 0)
        // No throttle is ever longer than one window.
        XCTAssertLessThanOrEqual(enforcer.charge(.producerByteRate, amount: 1e12, user: nil, clientID: "app", now: start + 12_000_000_001),
                                 QuotaEnforcer.maxThrottleMillis)
    }

    func testAQuotaSoSmallItsThrottleIsInfiniteThrottlesForOneWindow() {
        let entity = E(user: nil, clientID: .named("tiny"))
        let enforcer = QuotaEnforcer(configured: { [entity: ["request_percentage": Double.leastNonzeroMagnitude]] })
        let start: UInt64 = 1_000_000_000_000
        for step in UInt64(0)..<3 {
            XCTAssertEqual(enforcer.charge(.requestPercentage, amount: 1, user: nil, clientID: "tiny", now: start + step * 1_000),
                           QuotaEnforcer.maxThrottleMillis)
        }
    }

    func testAlterRequestsAreChecked() {
        typealias Entry = AlterClientQuotasRequest.Entry
        func refused(_ entry: Entry) -> Bool {
            if case .failure = KafkaBroker.quotaChanges(entry) { return true }
            return false
        }
        let op = Entry.Op(key: "producer_byte_rate", value: 10, remove: false)
        XCTAssertFalse(refused(Entry(entity: [.init(entityType: "user", entityName: "a")], ops: [op])))
        XCTAssertTrue(refused(Entry(entity: [.init(entityType: "ip", entityName: "1.2.3.4")], ops: [op])))
        XCTAssertTrue(refused(Entry(entity: [.init(entityType: "user", entityName: "a"), .init(entityType: "user", entityName: "b")], ops: [op])))
        XCTAssertTrue(refused(Entry(entity: [], ops: [op])))
        XCTAssertTrue(refused(Entry(entity: [.init(entityType: "user", entityName: "")], ops: [op])))
        for bad in [Double.nan, .infinity, 0, -1] {
            XCTAssertTrue(refused(Entry(entity: [.init(entityType: "client-id", entityName: nil)], ops: [.init(key: "consumer_byte_rate", value: bad, remove: false)])))
        }
        XCTAssertTrue(refused(Entry(entity: [.init(entityType: "client-id", entityName: nil)], ops: [.init(key: "bogus", value: 1, remove: false)])))
    }
}
