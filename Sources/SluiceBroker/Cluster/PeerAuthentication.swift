import SluiceCrypto
import SluiceCore
import SluiceIO
import SluiceWire

/// The shared secret of a cluster (`cluster.secret.file`): every inter-node connection proves
/// both ends hold it before any frame on it is acted on.
public struct ClusterSecret: Sendable {
    /// Fewer bytes than this are refused: 32 random bytes is what `openssl rand -hex 32` makes.
    public static let minimumBytes = 32

    let bytes: [UInt8]

    /// The secret in `path`: its contents without surrounding white space, at least 32 bytes.
    public init(file path: String) throws(BrokerConfig.ConfigError) {
        let raw: [UInt8]?
        do { raw = try FileSystem.readSmallFile(path, maxBytes: 64 << 10) } catch {
            throw BrokerConfig.ConfigError(description: "cluster.secret.file \(path) cannot be read: \(error)")
        }
        guard let raw else { throw BrokerConfig.ConfigError(description: "cluster.secret.file \(path) does not exist; make one with: openssl rand -hex 32 > \(path)") }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        let trimmed = Array(raw.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
        guard trimmed.count >= Self.minimumBytes else {
            throw BrokerConfig.ConfigError(description: "cluster.secret.file \(path) holds \(trimmed.count) bytes; it needs at least \(Self.minimumBytes) (openssl rand -hex 32 > \(path))")
        }
        bytes = trimmed
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// HMAC-SHA256 under the secret.
    func mac(_ parts: [UInt8]...) -> [UInt8] {
        PeerCrypto.hmac(key: bytes, parts.flatMap { $0 })
    }
}

/// The calls into libcrypto.
enum PeerCrypto {
    static let macBytes = 32
    static let nonceBytes = 32

    static func hmac(key: [UInt8], _ first: [UInt8], _ second: [UInt8] = []) -> [UInt8] {
        LibCrypto.hmac(.sha256, key: key, first, second)
    }

    static func nonce() -> [UInt8] { LibCrypto.random(nonceBytes) }

    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool { LibCrypto.constantTimeEqual(a, b) }
}

/// What both ends of one connection compute from the secret and the handshake.
///
/// hello (connecting node C → listening node L): C's id, the id it means to reach, the cluster
/// id and C's nonce. challenge (L → C): L's nonce and L's proof. proof (C → L): C's proof. Each
/// proof is HMAC(secret, role ‖ cluster id ‖ C ‖ L ‖ C's nonce ‖ L's nonce), with a different role
/// label for each side, so neither can be replayed as the other or on another connection. After
/// it, every frame C sends carries HMAC(session key, frame number ‖ frame): frames cannot be
/// forged, changed, replayed, dropped or reordered without the connection being closed.
struct PeerHandshake {
    let secret: ClusterSecret
    let clusterID: String
    let connecting: NodeID
    let listening: NodeID
    let connectingNonce: [UInt8]
    let listeningNonce: [UInt8]

    private func proof(_ role: String) -> [UInt8] {
        secret.mac(Array(role.utf8), Array(clusterID.utf8), be32(connecting.rawValue), be32(listening.rawValue),
                   connectingNonce, listeningNonce)
    }

    var listeningProof: [UInt8] { proof("sluice-peer-auth listening v0") }
    var connectingProof: [UInt8] { proof("sluice-peer-auth connecting v0") }
    var sessionKey: [UInt8] { proof("sluice-peer-auth session v0") }

    private func be32(_ v: Int32) -> [UInt8] {
        let u = UInt32(bitPattern: v)
        return [UInt8(u >> 24), UInt8(u >> 16 & 0xff), UInt8(u >> 8 & 0xff), UInt8(u & 0xff)]
    }
}

/// One direction of an authenticated connection: numbers frames and MACs them.
struct FrameAuthenticator {
    let key: [UInt8]
    private(set) var nextFrame: UInt64 = 0

    init(key: [UInt8]) {
        self.key = key
    }

    private func mac(_ number: UInt64, _ payload: [UInt8]) -> [UInt8] {
        var counter = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { counter[i] = UInt8(number >> (56 - 8 * UInt64(i)) & 0xff) }
        return PeerCrypto.hmac(key: key, counter, payload)
    }

    /// `payload` with its MAC in front, as the next frame.
    mutating func seal(_ payload: [UInt8]) -> [UInt8] {
        defer { nextFrame += 1 }
        return mac(nextFrame, payload) + payload
    }

    /// The payload of the next frame, or nil if its MAC does not match (forged, altered, replayed
    /// or out of order).
    mutating func open(_ frame: [UInt8]) -> [UInt8]? {
        guard frame.count >= PeerCrypto.macBytes else { return nil }
        let payload = Array(frame[PeerCrypto.macBytes...])
        guard PeerCrypto.equal(Array(frame[..<PeerCrypto.macBytes]), mac(nextFrame, payload)) else { return nil }
        nextFrame += 1
        return payload
    }
}

extension PeerAuthRequest {
    static let stepHello: Int8 = 0
    static let stepChallenge: Int8 = 1
    static let stepProof: Int8 = 2
}
