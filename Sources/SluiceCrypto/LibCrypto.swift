import CSluiceCrypto

/// libcrypto's primitives, the only place the broker calls them: HMAC, digests, PBKDF2, random
/// bytes and constant-time comparison. Nothing here is cryptography of our own. They fail only
/// when libcrypto cannot allocate or lacks a standard digest; nothing can run then, so that stops
/// the process.
public enum LibCrypto {
    /// libcrypto set up once, before its first use, without its exit-time cleanup (threads still
    /// working when the process exits must not meet freed library state).
    private static let libraryReady: Bool = {
        sluice_crypto_init()
        return true
    }()

    public enum Digest: String, Sendable {
        case sha256 = "SHA256"
        case sha512 = "SHA512"

        public var byteCount: Int { self == .sha256 ? 32 : 64 }
    }

    /// HMAC of `first` followed by `second` under `key`.
    public static func hmac(_ digest: Digest, key: [UInt8], _ first: [UInt8], _ second: [UInt8] = []) -> [UInt8] {
        precondition(libraryReady)
        var out = [UInt8](repeating: 0, count: digest.byteCount)
        let ok = key.withUnsafeBufferPointer { k in
            first.withUnsafeBufferPointer { a in
                second.withUnsafeBufferPointer { b in
                    out.withUnsafeMutableBufferPointer { o in
                        sluice_hmac(digest.rawValue, k.baseAddress, k.count, a.baseAddress, a.count, b.baseAddress, b.count, o.baseAddress, o.count)
                    }
                }
            }
        }
        precondition(ok == 1, "libcrypto HMAC-\(digest.rawValue) failed")
        return out
    }

    public static func hash(_ digest: Digest, _ data: [UInt8]) -> [UInt8] {
        precondition(libraryReady)
        var out = [UInt8](repeating: 0, count: digest.byteCount)
        let ok = data.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in sluice_digest(digest.rawValue, d.baseAddress, d.count, o.baseAddress, o.count) }
        }
        precondition(ok == 1, "libcrypto \(digest.rawValue) failed")
        return out
    }

    /// PBKDF2 with HMAC of `digest` (RFC 8018), one digest's length of output.
    public static func pbkdf2(_ digest: Digest, password: String, salt: [UInt8], iterations: Int32) -> [UInt8] {
        precondition(libraryReady)
        var out = [UInt8](repeating: 0, count: digest.byteCount)
        let bytes = Array(password.utf8)
        let ok = bytes.withUnsafeBufferPointer { p in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    p.withMemoryRebound(to: CChar.self) { chars in
                        sluice_pbkdf2(digest.rawValue, chars.baseAddress, chars.count, s.baseAddress, s.count, iterations, o.baseAddress, o.count)
                    }
                }
            }
        }
        precondition(ok == 1, "libcrypto PBKDF2 failed")
        return out
    }

    public static func random(_ count: Int) -> [UInt8] {
        precondition(libraryReady)
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(ok == 1, "libcrypto has no random source")
        return out
    }

    /// Constant-time comparison, so the first wrong byte of a proof cannot be timed.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }
}
