import SluiceMeta
import XCTest
@testable import SluiceBroker

/// The ACL index finds exactly the entries whose pattern covers a resource, as a walk over every
/// entry with Kafka's matching rule would.
final class AclIndexTests: XCTestCase {
    private func acl(_ type: AclResourceType, _ name: String, _ pattern: AclPatternType, _ principal: String = "User:alice") -> AclBinding {
        AclBinding(resourceType: type.rawValue, resourceName: name, patternType: pattern.rawValue, principal: principal, host: "*",
                   operation: AclOperation.read.rawValue, permission: AclPermission.allow.rawValue)
    }

    func testFindsWhatAWalkOverEveryEntryFinds() {
        let entries = [
            acl(.topic, "orders", .literal), acl(.topic, "*", .literal), acl(.topic, "ord", .prefixed),
            acl(.topic, "orders-eu", .prefixed), acl(.topic, "o", .prefixed, "User:bob"), acl(.topic, "payments", .literal),
            acl(.group, "orders", .literal), acl(.group, "ord", .prefixed), acl(.cluster, "kafka-cluster", .literal),
            acl(.topic, "zé", .prefixed),
        ]
        let index = AclIndex(entries)
        XCTAssertEqual(index.all, entries)
        for type in [AclResourceType.topic, .group, .cluster] {
            for name in ["orders", "orders-eu-1", "ord", "or", "o", "payments", "*", "", "kafka-cluster", "zébra", "zeta"] {
                let walked = entries.filter { $0.resourceType == type.rawValue && Authorizer.pattern($0, covers: name) }
                XCTAssertEqual(Set(index.applying(to: type.rawValue, name)), Set(walked), "\(type) \(name)")
                XCTAssertEqual(index.applying(to: type.rawValue, name).count, walked.count, "\(type) \(name): an entry found twice")
            }
        }
    }

    /// 100,000 entries on other topics do not slow a check of one topic: it reads only its own.
    func testACheckReadsOnlyTheEntriesThatApply() {
        var entries = (0..<100_000).map { acl(.topic, "tenant-\($0)", .literal) }
        entries.append(acl(.topic, "tenant-", .prefixed, "User:admin"))
        let index = AclIndex(entries)
        XCTAssertEqual(index.applying(to: AclResourceType.topic.rawValue, "tenant-42").map(\.resourceName).sorted(), ["tenant-", "tenant-42"])
    }
}
