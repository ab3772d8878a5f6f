import SluiceCrypto
import Foundation
import SluiceCore
import SluiceIO
import SluiceMeta
import SluiceWire
import Synchronization

/// SASL on the client listener (SASL_PLAINTEXT or SASL_SSL), per connection: SaslHandshake names
/// a mechanism, SaslAuthenticate carries its messages (KIP-152), and until the exchange succeeds
/// a connection may send only ApiVersions, SaslHandshake and SaslAuthenticate; anything else
/// closes it. A failed exchange is answered SASL_AUTHENTICATION_FAILED at once and the
/// connection closed; failures are logged with the user and address, at most one line a second.
final class SaslAuthenticator: Sendable {
    private enum Phase: Sendable {
        case awaitingHandshake
        /// `raw`: a SaslHandshake v0 came, so the exchange's messages arrive as bare frames
        /// rather than inside SaslAuthenticate requests (Kafka before KIP-152).
        case handshaken(mechanism: String, raw: Bool)
        case scram(ScramServerExchange, raw: Bool)
        case authenticated(user: String)
        /// An exchange failed: nothing more is taken on this connection (it is being closed, and
        /// requests it pipelined behind the failure must not start another guess).
        case failed
    }

    /// The mechanisms this listener offers, in SaslHandshake's answer.
    let mechanisms: [String]
    private let credentials: @Sendable (String, ScramMechanism) -> ScramCredential?
    private let sessions = Mutex<[ConnectionID: Phase]>([:])
    private let failureLog = Mutex<(windowStartMillis: Int64, logged: Int, suppressed: Int)>((0, 0, 0))
    let failures = Atomic<Int>(0)

    init(mechanisms: [String], credentials: @escaping @Sendable (String, ScramMechanism) -> ScramCredential?) {
        self.mechanisms = mechanisms
        self.credentials = credentials
    }

    /// The authenticated user of a connection, nil until the exchange succeeded.
    func user(of connection: ConnectionID) -> String? {
        sessions.withLock { sessions in
            if case let .authenticated(user)? = sessions[connection] { return user }
            return nil
        }
    }

    /// Whether `apiKey` may be sent on `connection` now.
    func admits(_ apiKey: ApiKey, on connection: ConnectionID) -> Bool {
        switch apiKey {
        case .apiVersions, .saslHandshake, .saslAuthenticate: return true
        default: return user(of: connection) != nil
        }
    }

    func forget(_ connection: ConnectionID) {
        _ = sessions.withLock { $0.removeValue(forKey: connection) }
    }

    /// Whether the next frame of `connection` is a bare SASL message (after a SaslHandshake v0).
    func expectsRawMessage(on connection: ConnectionID) -> Bool {
        sessions.withLock { sessions in
            switch sessions[connection] {
            case .handshaken(_, true)?, .scram(_, true)?: return true
            default: return false
            }
        }
    }

    /// A bare SASL message: the reply to send as a bare frame, or nil to close the connection
    /// (the only failure signal before KIP-152).
    func authenticateRaw(_ message: [UInt8], on connection: ConnectionContext) -> [UInt8]? {
        let (response, close) = authenticate(SaslAuthenticateRequest(authBytes: message), on: connection)
        return close || response.errorCode != 0 ? nil : response.authBytes
    }

    /// SaslHandshake: the mechanism, if offered, is remembered for the messages that follow
    /// (in SaslAuthenticate requests after v1, bare after v0).
    func handshake(_ request: SaslHandshakeRequest, version: Int16, on connection: ConnectionID) -> (SaslHandshakeResponse, close: Bool) {
        let accepted = sessions.withLock { sessions -> Bool? in
            switch sessions[connection] ?? .awaitingHandshake {
            case .awaitingHandshake:
                guard mechanisms.contains(request.mechanism) else { return false }
                sessions[connection] = .handshaken(mechanism: request.mechanism, raw: version == 0)
                return true
            default:
                return nil  // a second handshake
            }
        }
        switch accepted {
        case true?: return (SaslHandshakeResponse(errorCode: 0, mechanisms: mechanisms), false)
        case false?: return (SaslHandshakeResponse(errorCode: KafkaError.unsupportedSASLMechanism.code, mechanisms: mechanisms), false)
        case nil: return (SaslHandshakeResponse(errorCode: KafkaError.illegalSASLState.code, mechanisms: mechanisms), true)
        }
    }

    /// SaslAuthenticate: one message of the exchange. `close` ends the connection after the answer.
    func authenticate(_ request: SaslAuthenticateRequest, on connection: ConnectionContext) -> (SaslAuthenticateResponse, close: Bool) {
        // A connection's requests run one at a time, so its phase can be worked on outside the
        // lock (PBKDF2 and the credential lookup take milliseconds) and stored back after.
        let phase = sessions.withLock { $0[connection.id] ?? .awaitingHandshake }
        var outcome: ScramServerExchange.Outcome?
        var next: Phase?
        switch phase {
        case .awaitingHandshake, .authenticated, .failed:
            outcome = nil
        case .handshaken(let mechanism, _) where mechanism == "PLAIN":
            switch PlainAuthentication.verify(request.authBytes, lookup: credentials) {
            case let .success(user):
                outcome = .authenticated(user: user, reply: [])
            case let .failure(failure):
                outcome = .failed(reason: failure.reason, user: failure.user)
            }
        case let .handshaken(mechanism, raw):
            if let scram = ScramMechanism(name: mechanism) {
                var exchange = ScramServerExchange(mechanism: scram, lookup: credentials)
                outcome = exchange.step(request.authBytes)
                next = Self.next(after: outcome, exchange, raw: raw)
            }
        case .scram(var exchange, let raw):
            outcome = exchange.step(request.authBytes)
            next = Self.next(after: outcome, exchange, raw: raw)
        }
        if case let .authenticated(user, _)? = outcome { next = .authenticated(user: user) }
        if case .failed? = outcome { next = .failed }
        if outcome != nil {
            sessions.withLock { sessions in
                // A connection closed meanwhile (`forget`) stays forgotten.
                guard sessions[connection.id] != nil else { return }
                sessions[connection.id] = next
            }
        }
        switch outcome {
        case let .challenge(bytes)?:
            return (SaslAuthenticateResponse(errorCode: 0, errorMessage: nil, authBytes: bytes, sessionLifetimeMs: 0), false)
        case let .authenticated(_, reply)?:
            return (SaslAuthenticateResponse(errorCode: 0, errorMessage: nil, authBytes: reply, sessionLifetimeMs: 0), false)
        case let .failed(reason, user)?:
            noteFailure(reason: reason, user: user, peer: connection.peer.description)
            return (SaslAuthenticateResponse(errorCode: KafkaError.saslAuthenticationFailed.code,
                                             errorMessage: "Authentication failed: invalid credentials", authBytes: []), true)
        case nil:
            sessions.withLock { sessions in if sessions[connection.id] != nil { sessions[connection.id] = .failed } }
            return (SaslAuthenticateResponse(errorCode: KafkaError.illegalSASLState.code,
                                             errorMessage: "SaslAuthenticate must follow a SaslHandshake, once", authBytes: []), true)
        }
    }

    private static func next(after outcome: ScramServerExchange.Outcome?, _ exchange: ScramServerExchange, raw: Bool) -> Phase? {
        switch outcome {
        case .challenge?: return .scram(exchange, raw: raw)
        case let .authenticated(user, _)?: return .authenticated(user: user)
        case .failed?, nil: return nil
        }
    }

    /// Logs a failure with who and where; past five a second, the rest of that second is counted
    /// and summed up in the next line.
    private func noteFailure(reason: String, user: String?, peer: String) {
        failures.add(1, ordering: .relaxed)
        let now = currentTimeMillis()
        let (log, suppressed) = failureLog.withLock { state -> (Bool, Int) in
            if now - state.windowStartMillis >= 1_000 {
                let suppressed = state.suppressed
                state = (now, 1, 0)
                return (true, suppressed)
            }
            guard state.logged < 5 else {
                state.suppressed += 1
                return (false, 0)
            }
            state.logged += 1
            return (true, 0)
        }
        guard log else { return }
        let earlier = suppressed > 0 ? " (\(suppressed) more failures in the second before were not logged)" : ""
        // The name is the client's, unauthenticated: escaped so it cannot forge log lines.
        let named = user.map { Diagnostics.quoted($0, quote: "'", limit: 128) } ?? "(unknown)"
        Diagnostics.warn("SASL authentication failed for user \(named) from \(peer): \(reason)\(earlier)")
    }
}
