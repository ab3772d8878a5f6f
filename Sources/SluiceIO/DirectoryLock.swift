#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An exclusive claim on a data directory for the life of the process: `flock` on `<dir>/.lock`,
/// which holds the owner's pid. The kernel drops the lock when the process ends in any way (even
/// kill -9), so a stale lock file never blocks a restart; a second process on the same directory
/// is refused instead of writing beside the first.
public final class DirectoryLock: Sendable {
    /// The locked directory.
    public let directory: String
    private let fd: Int32

    /// Why a directory could not be claimed.
    public enum Failure: Error, CustomStringConvertible {
        /// Another live process holds it; `holder` is the pid it wrote, if readable.
        case held(directory: String, holder: Int32?)
        /// The lock file could not be opened or locked.
        case system(SystemError)

        public var description: String {
            switch self {
            case let .held(directory, holder):
                let who = holder.map { "process \($0)" } ?? "another process"
                return "\(directory) is in use by \(who) (\(directory)/.lock); stop it or give this node its own log.dirs"
            case let .system(error):
                return "cannot lock the data directory: \(error)"
            }
        }
    }

    /// Claims `directory` (which must exist), or throws `.held` naming the holder's pid.
    public init(directory: String) throws(Failure) {
        let path = directory + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(SystemError(call: "open", errno: errno, path: path)) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            let holder = Self.readPid(fd)
            _ = close(fd)
            if code == EWOULDBLOCK { throw .held(directory: directory, holder: holder) }
            throw .system(SystemError(call: "flock", errno: code, path: path))
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.directory = directory
        self.fd = fd
    }

    deinit {
        _ = close(fd)
    }

    private static func readPid(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count].filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }, as: UTF8.self))
    }
}
