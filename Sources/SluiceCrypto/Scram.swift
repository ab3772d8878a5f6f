import Foundation

/// The SCRAM mechanisms (RFC 5802 with RFC 7677's SHA-256, and SHA-512), numbered as Kafka's
/// credential APIs number them.
public enum ScramMechanism: Int8, CaseIterable, Sendable {
    case sha256 = 1
    case sha512 = 2

    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    public var name: String { self == .sha256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512" }
    public var digest: LibCrypto.Digest { self == .sha256 ? .sha256 : .sha512 }
    public var digestBytes: Int { digest.byteCount }

    /// Kafka's bounds on PBKDF2 iterations for a stored credential.
    public static let iterationsRange: ClosedRange<Int32> = 4096...16384
}

extension ScramMechanism {
    /// RFC 5802's Hi(): PBKDF2 with the mechanism's HMAC.
    public func saltedPassword(_ password: String, salt: [UInt8], iterations: Int32) -> [UInt8] {
        LibCrypto.pbkdf2(digest, password: password, salt: salt, iterations: iterations)
    }

    public func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] { LibCrypto.hmac(digest, key: key, data) }

    public func hash(_ data: [UInt8]) -> [UInt8] { LibCrypto.hash(digest, data) }

    /// RFC 5802's keys from a salted password: ClientKey, StoredKey = H(ClientKey) (what a server
    /// keeps to check proofs) and ServerKey (what it proves itself with).
    public func keys(saltedPassword: [UInt8]) -> (clientKey: [UInt8], storedKey: [UInt8], serverKey: [UInt8]) {
        let clientKey = hmac(key: saltedPassword, Array("Client Key".utf8))
        return (clientKey, hash(clientKey), hmac(key: saltedPassword, Array("Server Key".utf8)))
    }
}

/// The client side of one SCRAM exchange (RFC 5802 §3): client-first, then client-final from
/// the server's first message, then a check of the server's signature, so a client also knows it
/// talks to a server that holds the credential.
public struct ScramClient: Sendable {
    public let mechanism: ScramMechanism
    private let user: String
    private let password: String
    private let clientNonce: String
    private var clientFirstBare = ""
    private var expectedServerSignature: [UInt8] = []

    public init(mechanism: ScramMechanism, user: String, password: String, nonce: String = Data(LibCrypto.random(24)).base64EncodedString()) {
        self.mechanism = mechanism
        self.user = user
        self.password = password
        self.clientNonce = nonce
    }

    /// "n,,n=user,r=nonce", the user name escaped as RFC 5802 says.
    public mutating func clientFirst() -> [UInt8] {
        let escaped = user.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
        clientFirstBare = "n=\(escaped),r=\(clientNonce)"
        return Array(("n,," + clientFirstBare).utf8)
    }

    /// The client-final message answering `serverFirst`, or why the server's message is refused.
    public mutating func clientFinal(_ serverFirst: [UInt8]) -> Result<[UInt8], ScramClientError> {
        guard let text = String(validating: serverFirst, as: UTF8.self) else { return .failure(.init("server-first is not UTF-8")) }
        var attributes: [Character: String] = [:]
        for part in text.split(separator: ",") where part.count >= 2 && part.dropFirst().first == "=" {
            attributes[part.first!] = String(part.dropFirst(2))
        }
        guard let nonce = attributes["r"], nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            return .failure(.init("the server's nonce does not extend ours"))
        }
        guard let saltText = attributes["s"], let salt = Data(base64Encoded: saltText).map(Array.init), !salt.isEmpty,
              let iterationsText = attributes["i"], let iterations = Int32(iterationsText), (1...10_000_000).contains(iterations) else {
            return .failure(.init("server-first lacks a salt or a sane iteration count"))
        }
        let keys = mechanism.keys(saltedPassword: mechanism.saltedPassword(password, salt: salt, iterations: iterations))
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array((clientFirstBare + "," + text + "," + withoutProof).utf8)
        let proof = zip(keys.clientKey, mechanism.hmac(key: keys.storedKey, authMessage)).map { $0 ^ $1 }
        expectedServerSignature = mechanism.hmac(key: keys.serverKey, authMessage)
        return .success(Array("\(withoutProof),p=\(Data(proof).base64EncodedString())".utf8))
    }

    /// Checks the server-final message: the server proved it holds the server key.
    public func verifyServerFinal(_ serverFinal: [UInt8]) -> Result<Void, ScramClientError> {
        guard let text = String(validating: serverFinal, as: UTF8.self) else { return .failure(.init("server-final is not UTF-8")) }
        if text.hasPrefix("e=") { return .failure(.init("the server refused: \(text.dropFirst(2))")) }
        guard text.hasPrefix("v="), let signature = Data(base64Encoded: String(text.dropFirst(2))).map(Array.init),
              LibCrypto.constantTimeEqual(signature, expectedServerSignature) else {
            return .failure(.init("the server's signature is wrong: it does not hold this user's credential"))
        }
        return .success(())
    }
}

public struct ScramClientError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
