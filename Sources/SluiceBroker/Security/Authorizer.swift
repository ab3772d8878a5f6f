import SluiceMeta

/// Kafka's ACL vocabulary, numbered as the wire numbers it.
enum AclResourceType: Int8, Sendable {
    case any = 1, topic = 2, group = 3, cluster = 4, transactionalID = 5
}

enum AclPatternType: Int8, Sendable {
    case any = 1, match = 2, literal = 3, prefixed = 4
}

enum AclOperation: Int8, Sendable {
    case any = 1, all = 2, read = 3, write = 4, create = 5, delete = 6, alter = 7, describe = 8
    case clusterAction = 9, describeConfigs = 10, alterConfigs = 11, idempotentWrite = 12

    /// The operations an ACL may grant that imply this one: Describe comes with Read, Write,
    /// Delete and Alter; DescribeConfigs with AlterConfigs (Kafka's rules).
    var grantedBy: Set<AclOperation> {
        switch self {
        case .describe: return [.describe, .read, .write, .delete, .alter, .all]
        case .describeConfigs: return [.describeConfigs, .alterConfigs, .all]
        default: return [self, .all]
        }
    }
}

enum AclPermission: Int8, Sendable {
    case any = 1, deny = 2, allow = 3
}

/// Who a request comes from, as ACLs name it.
enum Principal {
    /// A client that did not authenticate (a PLAINTEXT listener, or TLS without a certificate).
    static let anonymous = "User:ANONYMOUS"
    /// The name of the cluster resource, the only one of its type.
    static let clusterResource = "kafka-cluster"

    /// `User:<name>` for a SASL user, or the subject of a verified TLS client certificate.
    static func of(saslUser: String?, tlsSubject: String?) -> String {
        if let saslUser { return "User:\(saslUser)" }
        if let tlsSubject { return "User:\(tlsSubject)" }
        return anonymous
    }

    /// This node acting on its own (sasl.bootstrap.users.file): never a client's principal, since
    /// every client principal starts with `User:`.
    static func node(_ id: Int32) -> String { "Node:\(id)" }
}

/// Kafka's authorization (the StandardAuthorizer's rules): with the authorizer on, a request is
/// allowed when the principal is a super user, or no DENY entry and some ALLOW entry matches
/// the principal (or `User:*`), the client's host (or `*`), the operation (or one implying it)
/// and the resource (its literal name, `*`, or a prefix); a resource no entry names at all is
/// allowed only with `allow.everyone.if.no.acl.found`. With it off, everything is allowed.
///
/// The entries live in the controller's replicated metadata, kept in memory by `ClusterNode` as
/// an ``AclIndex`` (rebuilt whenever the controller log changes them); a check reads only the
/// entries that can apply to its resource, so its cost does not grow with the entries that
/// name other resources.
final class Authorizer: Sendable {
    let enabled: Bool
    private let superUsers: Set<String>
    private let allowIfNoAcl: Bool
    private let entries: @Sendable () -> AclIndex

    init(enabled: Bool, superUsers: Set<String>, allowIfNoAcl: Bool, entries: @escaping @Sendable () -> AclIndex) {
        self.enabled = enabled
        self.superUsers = superUsers
        self.allowIfNoAcl = allowIfNoAcl
        self.entries = entries
    }

    func allows(_ principal: String, host rawHost: String, _ operation: AclOperation, _ type: AclResourceType, _ name: String) -> Bool {
        guard enabled, !superUsers.contains(principal), !principal.hasPrefix("Node:") else { return true }
        // An IPv4 client of a listener bound to :: arrives as ::ffff:a.b.c.d; ACLs name a.b.c.d.
        let host = rawHost.hasPrefix("::ffff:") && rawHost.contains(".") ? String(rawHost.dropFirst(7)) : rawHost
        var namesResource = false
        var allowed = false
        for acl in entries().applying(to: type.rawValue, name) {
            namesResource = true
            guard acl.principal == principal || acl.principal == "User:*", acl.host == host || acl.host == "*",
                  let granted = AclOperation(rawValue: acl.operation) else { continue }
            if acl.permission == AclPermission.deny.rawValue, granted == operation || granted == .all { return false }
            if acl.permission == AclPermission.allow.rawValue, operation.grantedBy.contains(granted) { allowed = true }
        }
        return allowed || (!namesResource && allowIfNoAcl)
    }

    /// Whether an entry's resource pattern applies to the resource `name`.
    static func pattern(_ acl: AclBinding, covers name: String) -> Bool {
        switch AclPatternType(rawValue: acl.patternType) {
        case .literal?: return acl.resourceName == name || acl.resourceName == "*"
        case .prefixed?: return name.hasPrefix(acl.resourceName)
        default: return false
        }
    }

    /// Every entry, for DescribeAcls and DeleteAcls.
    var all: [AclBinding] { entries().all }
}

/// ACL entries arranged for checks: per resource type, literal entries by name (`*` under its
/// own key) and prefixed ones by prefix, so the entries that apply to one resource are found
/// with a lookup for its name, one for `*` and one per distinct prefix length, never by reading
/// every entry.
struct AclIndex: Sendable {
    let all: [AclBinding]
    private var literal: [Int8: [String: [AclBinding]]] = [:]
    private var prefixed: [Int8: [String: [AclBinding]]] = [:]
    /// Per resource type, the distinct prefix lengths (in characters), ascending.
    private var prefixLengths: [Int8: [Int]] = [:]

    init(_ entries: [AclBinding] = []) {
        all = entries
        for acl in entries {
            switch AclPatternType(rawValue: acl.patternType) {
            case .literal?: literal[acl.resourceType, default: [:]][acl.resourceName, default: []].append(acl)
            case .prefixed?: prefixed[acl.resourceType, default: [:]][acl.resourceName, default: []].append(acl)
            default: continue
            }
        }
        for (type, byPrefix) in prefixed { prefixLengths[type] = Set(byPrefix.keys.map(\.count)).sorted() }
    }

    /// The entries whose pattern covers the resource `name` of type `type`.
    func applying(to type: Int8, _ name: String) -> [AclBinding] {
        var found = literal[type]?[name] ?? []
        if name != "*" { found += literal[type]?["*"] ?? [] }
        if let byPrefix = prefixed[type], let lengths = prefixLengths[type] {
            let length = name.count
            for prefixLength in lengths where prefixLength <= length {
                found += byPrefix[String(name.prefix(prefixLength))] ?? []
            }
        }
        return found
    }
}

/// A DescribeAcls / DeleteAcls filter: each field matches anything when it says "any" (or is null).
struct AclFilter {
    var resourceType: Int8
    var resourceName: String?
    var patternType: Int8
    var principal: String?
    var host: String?
    var operation: Int8
    var permission: Int8

    func matches(_ acl: AclBinding) -> Bool {
        guard resourceType == AclResourceType.any.rawValue || resourceType == acl.resourceType,
              principal.map({ $0 == acl.principal }) ?? true, host.map({ $0 == acl.host }) ?? true,
              operation == AclOperation.any.rawValue || operation == acl.operation,
              permission == AclPermission.any.rawValue || permission == acl.permission else { return false }
        switch AclPatternType(rawValue: patternType) {
        case .any?: return resourceName.map { $0 == acl.resourceName } ?? true
        case .match?:
            // The entries that would apply to this name: literal equal or *, or a prefix of it.
            guard let name = resourceName else { return true }
            return Authorizer.pattern(acl, covers: name)
        default:
            return patternType == acl.patternType && (resourceName.map { $0 == acl.resourceName } ?? true)
        }
    }

    /// Why the filter cannot be used, or nil. Kafka refuses filters with UNKNOWN values.
    var problem: String? {
        guard AclResourceType(rawValue: resourceType) != nil else { return "unknown resource type \(resourceType)" }
        guard AclPatternType(rawValue: patternType) != nil else { return "unknown pattern type \(patternType)" }
        guard AclOperation(rawValue: operation) != nil else { return "unknown operation \(operation)" }
        guard AclPermission(rawValue: permission) != nil else { return "unknown permission type \(permission)" }
        return nil
    }
}
