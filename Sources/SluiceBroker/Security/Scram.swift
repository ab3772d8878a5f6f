import Foundation
import SluiceCrypto
import SluiceMeta

extension ScramCredential {
    /// The stored form of a salted password (what AlterUserScramCredentials carries): the
    /// server keeps StoredKey = H(HMAC(SaltedPassword, "Client Key")) and
    /// ServerKey = HMAC(SaltedPassword, "Server Key"), never the password or the salted password.
    static func derive(_ mechanism: ScramMechanism, saltedPassword: [UInt8], salt: [UInt8], iterations: Int32) -> ScramCredential {
        let keys = mechanism.keys(saltedPassword: saltedPassword)
        return ScramCredential(mechanism: mechanism.rawValue, salt: salt, storedKey: keys.storedKey, serverKey: keys.serverKey, iterations: iterations)
    }

    /// A credential for `password` with a fresh 32-byte salt.
    static func make(_ mechanism: ScramMechanism, password: String, iterations: Int32 = 8192) -> ScramCredential {
        let salt = LibCrypto.random(32)
        return derive(mechanism, saltedPassword: mechanism.saltedPassword(password, salt: salt, iterations: iterations),
                      salt: salt, iterations: iterations)
    }

    /// Whether `password` is the one this credential was made from (SASL/PLAIN).
    func matches(password: String) -> Bool {
        guard let mechanism = ScramMechanism(rawValue: mechanism) else { return false }
        let salted = mechanism.saltedPassword(password, salt: salt, iterations: iterations)
        return LibCrypto.constantTimeEqual(Self.derive(mechanism, saltedPassword: salted, salt: salt, iterations: iterations).storedKey, storedKey)
    }
}

/// The server side of one SCRAM exchange (RFC 5802 §3): client-first → server-first,
/// client-final → server-final. Every failure is the same "authentication failed" to the
/// client, whatever the cause, so a client learns nothing about which users exist.
struct ScramServerExchange: Sendable {
    enum Outcome: Equatable {
        /// Send these bytes and wait for the client's next message.
        case challenge([UInt8])
        /// Authenticated as `user`; send these bytes (server-final).
        case authenticated(user: String, reply: [UInt8])
        /// Refused; `reason` is for the log, not for the client.
        case failed(reason: String, user: String?)
    }

    private enum State {
        case awaitingClientFirst
        /// `known`: false for a made-up credential (no such user), which no proof can match.
        case awaitingClientFinal(user: String, credential: ScramCredential, known: Bool, gs2Header: String, clientFirstBare: String,
                                 serverFirst: String, nonce: String)
        case done
    }

    /// Keys the made-up salts of unknown users: the same name always gets the same salt, so a
    /// client cannot tell an unknown user from a known one by asking twice.
    private static let unknownUserSaltKey = LibCrypto.random(32)

    /// What an unknown user is answered with: a stable salt, the usual iteration count, and keys
    /// no password derives.
    static func madeUpCredential(_ mechanism: ScramMechanism, user: String) -> ScramCredential {
        ScramCredential(mechanism: mechanism.rawValue, salt: Array(LibCrypto.hmac(.sha256, key: unknownUserSaltKey, Array(user.utf8)).prefix(16)),
                        storedKey: LibCrypto.random(mechanism.digestBytes), serverKey: LibCrypto.random(mechanism.digestBytes), iterations: 8192)
    }

    let mechanism: ScramMechanism
    private let lookup: @Sendable (String, ScramMechanism) -> ScramCredential?
    private var state = State.awaitingClientFirst
    private let serverNonce: String

    init(mechanism: ScramMechanism, serverNonce: String = Data(LibCrypto.random(24)).base64EncodedString(),
         lookup: @escaping @Sendable (String, ScramMechanism) -> ScramCredential?) {
        self.mechanism = mechanism
        self.lookup = lookup
        self.serverNonce = serverNonce
    }

    mutating func step(_ message: [UInt8]) -> Outcome {
        guard let text = String(validating: message, as: UTF8.self) else { return fail("message is not UTF-8", nil) }
        switch state {
        case .awaitingClientFirst: return clientFirst(text)
        case let .awaitingClientFinal(user, credential, known, gs2Header, clientFirstBare, serverFirst, nonce):
            return clientFinal(text, user: user, credential: credential, known: known, gs2Header: gs2Header, clientFirstBare: clientFirstBare,
                               serverFirst: serverFirst, nonce: nonce)
        case .done: return fail("message after the exchange ended", nil)
        }
    }

    private mutating func fail(_ reason: String, _ user: String?) -> Outcome {
        state = .done
        return .failed(reason: reason, user: user)
    }

    /// `gs2-header client-first-bare`: "n,," (or "y,,"; channel binding is refused), then
    /// "n=user,r=nonce" and optional extensions, of which none is supported.
    private mutating func clientFirst(_ text: String) -> Outcome {
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0] == "n" || parts[0] == "y" else { return fail("unsupported GS2 header (channel binding is not offered)", nil) }
        let gs2Header = parts[0] + "," + parts[1] + ","
        let clientFirstBare = parts[2]
        let attributes = clientFirstBare.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard attributes.count >= 2, attributes[0].hasPrefix("n="), attributes[1].hasPrefix("r="),
              let user = Self.unescape(String(attributes[0].dropFirst(2))), !user.isEmpty else {
            return fail("malformed client-first message", nil)
        }
        let clientNonce = String(attributes[1].dropFirst(2))
        guard !clientNonce.isEmpty, clientNonce.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E && $0 != 0x2C }) else {
            return fail("malformed client nonce", user)
        }
        // Kafka's only extension is delegation tokens (tokenauth=true), which are not served.
        guard attributes.count == 2 else { return fail("SCRAM extensions are not supported", user) }
        if !parts[1].isEmpty {
            guard parts[1] == "a=" + attributes[0].dropFirst(2) else { return fail("authorization id differs from the user", user) }
        }
        // An unknown user is challenged like a known one and fails at the proof.
        let stored = lookup(user, mechanism)
        let credential = stored ?? Self.madeUpCredential(mechanism, user: user)
        let nonce = clientNonce + serverNonce
        let serverFirst = "r=\(nonce),s=\(Data(credential.salt).base64EncodedString()),i=\(credential.iterations)"
        state = .awaitingClientFinal(user: user, credential: credential, known: stored != nil, gs2Header: gs2Header,
                                     clientFirstBare: clientFirstBare, serverFirst: serverFirst, nonce: nonce)
        return .challenge(Array(serverFirst.utf8))
    }

    /// "c=base64(gs2-header),r=nonce,p=base64(ClientProof)": the proof is checked against the
    /// stored key; the answer proves the server holds the server key.
    private mutating func clientFinal(_ text: String, user: String, credential: ScramCredential, known: Bool, gs2Header: String,
                                      clientFirstBare: String, serverFirst: String, nonce: String) -> Outcome {
        guard let proofRange = text.range(of: ",p=", options: .backwards) else { return fail("client-final message has no proof", user) }
        let withoutProof = String(text[..<proofRange.lowerBound])
        let attributes = withoutProof.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard attributes.count == 2, attributes[0] == "c=" + Data(gs2Header.utf8).base64EncodedString() else {
            return fail("channel binding does not match the GS2 header", user)
        }
        // Ends with, not equals: librdkafka before 2.1 sends its own nonce again in front of the
        // combined one; Kafka accepts that too. The whole server nonce is still required.
        guard attributes[1].hasPrefix("r="), attributes[1].hasSuffix(nonce) else { return fail("nonce does not match", user) }
        guard let proof = Data(base64Encoded: String(text[proofRange.upperBound...])).map(Array.init), proof.count == mechanism.digestBytes else {
            return fail("malformed proof", user)
        }
        let authMessage = Array((clientFirstBare + "," + serverFirst + "," + withoutProof).utf8)
        let clientSignature = mechanism.hmac(key: credential.storedKey, authMessage)
        let clientKey = zip(proof, clientSignature).map { $0 ^ $1 }
        guard LibCrypto.constantTimeEqual(mechanism.hash(clientKey), credential.storedKey), known else {
            return fail(known ? "wrong password" : "no \(mechanism.name) credential", user)
        }
        state = .done
        let serverSignature = mechanism.hmac(key: credential.serverKey, authMessage)
        return .authenticated(user: user, reply: Array("v=\(Data(serverSignature).base64EncodedString())".utf8))
    }

    /// RFC 5802's saslname: "=2C" is ",", "=3D" is "=", any other "=" is malformed.
    static func unescape(_ name: String) -> String? {
        var out = ""
        var rest = Substring(name)
        while let equals = rest.firstIndex(of: "=") {
            out += rest[..<equals]
            let code = rest[rest.index(after: equals)...].prefix(2)
            switch code {
            case "2C": out += ","
            case "3D": out += "="
            default: return nil
            }
            rest = rest[rest.index(equals, offsetBy: 3)...]
        }
        return out + rest
    }
}

/// SASL/PLAIN (RFC 4616): "authzid NUL user NUL password", checked against the user's SCRAM
/// credential, so one set of credentials serves both mechanisms.
enum PlainAuthentication {
    /// The user, if the message is well formed and the password matches.
    static func verify(_ message: [UInt8], lookup: (String, ScramMechanism) -> ScramCredential?) -> Result<String, ScramFailure> {
        let fields = message.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let authzid = String(validating: fields[0], as: UTF8.self),
              let user = String(validating: fields[1], as: UTF8.self), let password = String(validating: fields[2], as: UTF8.self),
              !user.isEmpty else { return .failure(ScramFailure(reason: "malformed PLAIN message", user: nil)) }
        guard authzid.isEmpty || authzid == user else { return .failure(ScramFailure(reason: "authorization id differs from the user", user: user)) }
        guard let credential = lookup(user, .sha512) ?? lookup(user, .sha256) else {
            // The same work as a real check, so the time taken does not tell whether the user exists.
            _ = ScramServerExchange.madeUpCredential(.sha512, user: user).matches(password: password)
            return .failure(ScramFailure(reason: "no credential", user: user))
        }
        return credential.matches(password: password) ? .success(user) : .failure(ScramFailure(reason: "wrong password", user: user))
    }
}

struct ScramFailure: Error, Equatable {
    var reason: String
    var user: String?
}
