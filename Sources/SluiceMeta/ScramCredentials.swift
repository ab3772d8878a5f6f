/// A user's SCRAM credential as the controller log replicates it: salt, iteration count and the
/// two keys derived from the salted password (RFC 5802 StoredKey and ServerKey). Neither the
/// password nor the salted password is ever stored.
public struct ScramCredential: Equatable, Sendable {
    /// 1: SCRAM-SHA-256, 2: SCRAM-SHA-512 (Kafka's numbering).
    public var mechanism: Int8
    public var salt: [UInt8]
    public var storedKey: [UInt8]
    public var serverKey: [UInt8]
    public var iterations: Int32

    public init(mechanism: Int8, salt: [UInt8], storedKey: [UInt8], serverKey: [UInt8], iterations: Int32) {
        self.mechanism = mechanism
        self.salt = salt
        self.storedKey = storedKey
        self.serverKey = serverKey
        self.iterations = iterations
    }
}

/// The SCRAM credentials table, written only by applying committed controller entries.
extension MetadataStore {
    static func createCredentialTables(_ tx: Transaction) throws {
        try tx.execute("""
            CREATE TABLE IF NOT EXISTS scram_credentials (user TEXT NOT NULL, mechanism INTEGER NOT NULL, salt BLOB NOT NULL,
                stored_key BLOB NOT NULL, server_key BLOB NOT NULL, iterations INTEGER NOT NULL, PRIMARY KEY (user, mechanism))
            """)
    }

    static func upsert(user: String, _ credential: ScramCredential, in tx: Transaction) throws {
        try tx.execute("""
            INSERT INTO scram_credentials (user, mechanism, salt, stored_key, server_key, iterations) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(user, mechanism) DO UPDATE SET salt = excluded.salt, stored_key = excluded.stored_key,
                server_key = excluded.server_key, iterations = excluded.iterations
            """, [.text(user), .integer(Int64(credential.mechanism)), .blob(credential.salt), .blob(credential.storedKey),
                  .blob(credential.serverKey), .integer(Int64(credential.iterations))])
    }

    static func deleteCredential(user: String, mechanism: Int8, in tx: Transaction) throws {
        try tx.execute("DELETE FROM scram_credentials WHERE user = ? AND mechanism = ?", [.text(user), .integer(Int64(mechanism))])
    }

    /// One user's credential for one mechanism.
    public func scramCredential(user: String, mechanism: Int8) throws -> ScramCredential? {
        try database.execute("SELECT salt, stored_key, server_key, iterations FROM scram_credentials WHERE user = ? AND mechanism = ?",
                             [.text(user), .integer(Int64(mechanism))]).first.flatMap { row in
            guard let salt = row[0].blob, let stored = row[1].blob, let server = row[2].blob, let iterations = row[3].integer else { return nil }
            return ScramCredential(mechanism: mechanism, salt: salt, storedKey: stored, serverKey: server, iterations: Int32(truncatingIfNeeded: iterations))
        }
    }

    /// Every credential, by user then mechanism.
    public func scramCredentials() throws -> [(user: String, credential: ScramCredential)] {
        try database.execute("SELECT user, mechanism, salt, stored_key, server_key, iterations FROM scram_credentials ORDER BY user, mechanism").compactMap { row in
            guard let user = row[0].text, let mechanism = row[1].integer, let salt = row[2].blob, let stored = row[3].blob,
                  let server = row[4].blob, let iterations = row[5].integer else { return nil }
            return (user, ScramCredential(mechanism: Int8(truncatingIfNeeded: mechanism), salt: salt, storedKey: stored, serverKey: server,
                                          iterations: Int32(truncatingIfNeeded: iterations)))
        }
    }
}
