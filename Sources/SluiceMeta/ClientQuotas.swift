/// A client quota entity: a user part and a client-id part, each absent, the default, or a name.
public struct ClientQuotaEntity: Hashable, Sendable {
    public enum Part: Hashable, Sendable {
        case defaultEntity
        case named(String)
    }

    public var user: Part?
    public var clientID: Part?

    public init(user: Part?, clientID: Part?) {
        self.user = user
        self.clientID = clientID
    }

    /// One part as stored: "" absent, "d" the default, "n:" + name.
    static func encode(_ part: Part?) -> String {
        switch part {
        case nil: return ""
        case .defaultEntity?: return "d"
        case let .named(name)?: return "n:" + name
        }
    }

    static func decode(_ text: String) -> Part? {
        if text == "d" { return .defaultEntity }
        if text.hasPrefix("n:") { return .named(String(text.dropFirst(2))) }
        return nil
    }
}

/// The client quotas table, written only by applying committed controller entries.
extension MetadataStore {
    static func createQuotaTables(_ tx: Transaction) throws {
        try tx.execute("""
            CREATE TABLE IF NOT EXISTS client_quotas (user_part TEXT NOT NULL, client_part TEXT NOT NULL, key TEXT NOT NULL, value REAL NOT NULL,
                PRIMARY KEY (user_part, client_part, key))
            """)
    }

    static func setQuota(_ entity: ClientQuotaEntity, key: String, value: Double?, in tx: Transaction) throws {
        let user = ClientQuotaEntity.encode(entity.user), client = ClientQuotaEntity.encode(entity.clientID)
        if let value {
            try tx.execute("""
                INSERT INTO client_quotas (user_part, client_part, key, value) VALUES (?, ?, ?, ?)
                ON CONFLICT(user_part, client_part, key) DO UPDATE SET value = excluded.value
                """, [.text(user), .text(client), .text(key), .real(value)])
        } else {
            try tx.execute("DELETE FROM client_quotas WHERE user_part = ? AND client_part = ? AND key = ?", [.text(user), .text(client), .text(key)])
        }
    }

    /// Every configured quota, by entity then key.
    public func clientQuotas() throws -> [ClientQuotaEntity: [String: Double]] {
        var out: [ClientQuotaEntity: [String: Double]] = [:]
        for row in try database.execute("SELECT user_part, client_part, key, value FROM client_quotas") {
            guard let user = row[0].text, let client = row[1].text, let key = row[2].text, let value = row[3].real else { continue }
            out[ClientQuotaEntity(user: ClientQuotaEntity.decode(user), clientID: ClientQuotaEntity.decode(client)), default: [:]][key] = value
        }
        return out
    }
}
