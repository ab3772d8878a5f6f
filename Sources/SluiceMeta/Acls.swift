/// One access control entry as the controller log replicates it, in Kafka's numbering:
/// resource type (2 topic, 3 group, 4 cluster, 5 transactional id), pattern (3 literal,
/// 4 prefixed), operation (2 all … 12 idempotent write) and permission (2 deny, 3 allow).
public struct AclBinding: Hashable, Sendable {
    public var resourceType: Int8
    public var resourceName: String
    public var patternType: Int8
    /// `User:alice`, or `User:*` for every user.
    public var principal: String
    /// An address, or `*` for any.
    public var host: String
    public var operation: Int8
    public var permission: Int8

    public init(resourceType: Int8, resourceName: String, patternType: Int8, principal: String, host: String, operation: Int8, permission: Int8) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }
}

/// The ACL table, written only by applying committed controller entries.
extension MetadataStore {
    static func createAclTables(_ tx: Transaction) throws {
        try tx.execute("""
            CREATE TABLE IF NOT EXISTS acls (resource_type INTEGER NOT NULL, resource_name TEXT NOT NULL, pattern_type INTEGER NOT NULL,
                principal TEXT NOT NULL, host TEXT NOT NULL, operation INTEGER NOT NULL, permission INTEGER NOT NULL,
                PRIMARY KEY (resource_type, resource_name, pattern_type, principal, host, operation, permission))
            """)
    }

    static func values(_ acl: AclBinding) -> [SQLValue] {
        [.integer(Int64(acl.resourceType)), .text(acl.resourceName), .integer(Int64(acl.patternType)), .text(acl.principal),
         .text(acl.host), .integer(Int64(acl.operation)), .integer(Int64(acl.permission))]
    }

    static func insert(_ acl: AclBinding, in tx: Transaction) throws {
        try tx.execute("""
            INSERT OR IGNORE INTO acls (resource_type, resource_name, pattern_type, principal, host, operation, permission)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, values(acl))
    }

    static func delete(_ acl: AclBinding, in tx: Transaction) throws {
        try tx.execute("""
            DELETE FROM acls WHERE resource_type = ? AND resource_name = ? AND pattern_type = ? AND principal = ? AND host = ?
                AND operation = ? AND permission = ?
            """, values(acl))
    }

    /// Every ACL.
    public func acls() throws -> [AclBinding] {
        try database.execute("SELECT resource_type, resource_name, pattern_type, principal, host, operation, permission FROM acls ORDER BY resource_type, resource_name, principal").compactMap { row in
            guard let type = row[0].integer, let name = row[1].text, let pattern = row[2].integer, let principal = row[3].text,
                  let host = row[4].text, let operation = row[5].integer, let permission = row[6].integer else { return nil }
            return AclBinding(resourceType: Int8(truncatingIfNeeded: type), resourceName: name, patternType: Int8(truncatingIfNeeded: pattern),
                              principal: principal, host: host, operation: Int8(truncatingIfNeeded: operation), permission: Int8(truncatingIfNeeded: permission))
        }
    }
}
