import CSluiceTLS

/// A TLS setting or session that failed, with OpenSSL's reason.
public struct TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }

    /// `what`, followed by the oldest error OpenSSL queued on this thread (the queue is cleared).
    static func fromQueue(_ what: String) -> TLSError {
        TLSError(what + (queuedReason().map { ": \($0)" } ?? ""))
    }

    static func queuedReason() -> String? {
        var text = [CChar](repeating: 0, count: 256)
        sluice_tls_error_text(&text, text.count)
        let reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return reason.isEmpty ? nil : reason
    }
}

/// Whether a server asks its clients for certificates (Kafka's `ssl.client.auth`).
public enum TLSClientAuth: String, Sendable, CaseIterable {
    /// No client certificate is asked for.
    case none
    /// Asked for; verified against the trusted certificates when sent.
    case requested
    /// Required and verified: a client without a trusted certificate fails the handshake.
    case required
}

/// The certificates, keys and rules of one TLS endpoint: an OpenSSL `SSL_CTX`, set up once and
/// never changed (a reload makes a new one), which OpenSSL lets many threads start sessions from.
public final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer
    let isServer: Bool

    /// A server: `certificateChain` (PEM, the leaf first) and `privateKey` (PEM; encrypted keys
    /// need `keyPassword`), which may be the same file; `trusted` (PEM) verifies client
    /// certificates. TLS 1.2 and 1.3, or 1.3 only.
    public init(serverCertificateChain certificateChain: String, privateKey: String, keyPassword: String? = nil,
                trusted: String?, clientAuth: TLSClientAuth, tls13Only: Bool = false) throws(TLSError) {
        guard clientAuth == .none || trusted != nil else {
            throw TLSError("client certificates are \(clientAuth.rawValue) but no trusted certificates are given to verify them")
        }
        pointer = try Self.make(server: true, tls13Only: tls13Only, tls12Only: false)
        isServer = true
        try loadIdentity(certificateChain: certificateChain, privateKey: privateKey, keyPassword: keyPassword)
        let mode: Int32 = clientAuth == .none ? 0 : clientAuth == .requested ? 1 : 2
        guard sluice_tls_verify_peers(pointer, trusted, mode, 1) == 1 else {
            throw TLSError.fromQueue("cannot load trusted certificates from \(trusted ?? "")")
        }
    }

    /// A client that verifies servers against `trusted` (PEM) and may present its own
    /// certificate; `maximumVersion12` keeps it to TLS 1.2 (as an old client would).
    public init(clientTrusting trusted: String, certificateChain: String? = nil, privateKey: String? = nil, keyPassword: String? = nil,
                maximumVersion12: Bool = false) throws(TLSError) {
        pointer = try Self.make(server: false, tls13Only: false, tls12Only: maximumVersion12)
        isServer = false
        if let certificateChain {
            try loadIdentity(certificateChain: certificateChain, privateKey: privateKey ?? certificateChain, keyPassword: keyPassword)
        }
        guard sluice_tls_verify_peers(pointer, trusted, 2, 0) == 1 else {
            throw TLSError.fromQueue("cannot load trusted certificates from \(trusted)")
        }
    }

    deinit { SSL_CTX_free(pointer) }

    /// OpenSSL set up once, before its first use, without its exit-time cleanup.
    private static let libraryReady: Bool = {
        sluice_openssl_init()
        return true
    }()

    private static func make(server: Bool, tls13Only: Bool, tls12Only: Bool) throws(TLSError) -> OpaquePointer {
        precondition(libraryReady)
        guard let context = sluice_tls_context_new(server ? 1 : 0, tls13Only ? 1 : 0, tls12Only ? 1 : 0) else {
            throw TLSError.fromQueue("cannot create a TLS context")
        }
        return context
    }

    private func loadIdentity(certificateChain: String, privateKey: String, keyPassword: String?) throws(TLSError) {
        let loaded = keyPassword.map { password in
            password.withCString { sluice_tls_use_identity(pointer, certificateChain, privateKey, $0) }
        } ?? sluice_tls_use_identity(pointer, certificateChain, privateKey, nil)
        guard loaded == 1 else {
            throw TLSError.fromQueue("cannot use the certificate chain \(certificateChain) with the private key \(privateKey)")
        }
    }
}

/// One TLS session over memory buffers: the owner feeds it the bytes its socket read, takes the
/// bytes it must send, and reads and writes plaintext. It makes no system call, so the owner's
/// event loop keeps every socket operation (and its back-pressure) as for clear text.
///
/// Not thread-safe: one thread (the connection's loop) owns it.
public final class TLSStream {
    private let session: OpaquePointer
    /// True once the handshake finished; plaintext flows only then.
    public private(set) var isEstablished = false

    /// What a read produced.
    public enum ReadOutcome: Equatable {
        /// This many plaintext bytes.
        case bytes(Int)
        /// Nothing more until more input is fed.
        case needsInput
        /// The peer closed the session (close_notify).
        case closed
        /// A protocol or certificate failure; the session is unusable.
        case failed(String)
    }

    /// A session on `context`, as a server or (for `context` made as a client) a client naming
    /// `serverName` for SNI and host-name verification.
    public init(context: TLSContext, serverName: String? = nil) throws(TLSError) {
        let made = serverName.map { name in name.withCString { sluice_tls_session_new(context.pointer, context.isServer ? 1 : 0, $0) } }
            ?? sluice_tls_session_new(context.pointer, context.isServer ? 1 : 0, nil)
        guard let made else { throw TLSError.fromQueue("cannot create a TLS session") }
        session = made
    }

    deinit { SSL_free(session) }

    /// Hands bytes read from the network to the session (memory, never refused but on allocation failure).
    public func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
        var offset = 0
        while offset < bytes.count {
            let chunk = Int32(min(bytes.count - offset, Int(Int32.max)))
            let written = sluice_tls_feed(session, base + offset, chunk)
            guard written > 0 else { return false }
            offset += Int(written)
        }
        return true
    }

    /// Advances the handshake if it is under way, then decrypts into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadOutcome {
        ERR_clear_error()
        if !isEstablished {
            let result = SSL_do_handshake(session)
            if result != 1 { return outcome(of: result) }
            isEstablished = true
        }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .needsInput }
        let result = SSL_read(session, base, Int32(min(buffer.count, Int(Int32.max))))
        if result > 0 { return .bytes(Int(result)) }
        return outcome(of: result)
    }

    /// Encrypts up to all of `bytes`; returns how many were taken (their ciphertext is then
    /// waiting in `takeOutput`). Nil when the session has failed or is not established.
    public func write(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard isEstablished, let base = bytes.baseAddress, bytes.count > 0 else { return bytes.isEmpty ? 0 : nil }
        ERR_clear_error()
        let result = SSL_write(session, base, Int32(min(bytes.count, Int(Int32.max))))
        return result > 0 ? Int(result) : nil
    }

    /// Bytes waiting to be sent to the peer.
    public var hasOutput: Bool { sluice_tls_output_pending(session) > 0 }

    /// Appends every byte waiting to be sent to `output`.
    public func takeOutput(into output: inout [UInt8]) {
        let pending = sluice_tls_output_pending(session)
        guard pending > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: pending))
        let taken = output.withUnsafeMutableBytes { raw in
            sluice_tls_take_output(session, raw.baseAddress! + start, Int32(clamping: pending))
        }
        output.removeLast(pending - max(0, Int(taken)))
    }

    /// Starts a clean close: a close_notify is then waiting in `takeOutput`.
    public func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(session)
    }

    /// The protocol agreed ("TLSv1.3").
    public var protocolVersion: String { String(cString: SSL_get_version(session)) }

    /// The peer certificate's subject in RFC 2253 form ("CN=alice,O=example"), if it sent one
    /// (verified against the trusted certificates when the context asks for verification).
    public var peerSubject: String? {
        var text = [CChar](repeating: 0, count: 1024)
        guard sluice_tls_peer_subject(session, &text, Int32(text.count)) > 0 else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func outcome(of result: Int32) -> ReadOutcome {
        switch SSL_get_error(session, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .needsInput
        case SSL_ERROR_ZERO_RETURN: return .closed
        default: return .failed(TLSError.queuedReason() ?? "TLS session failed")
        }
    }
}
