#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed system call: which call, on what, and the errno it returned.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32
    public var path: String?

    public init(call: String, errno: Int32, path: String? = nil) {
        self.call = call
        self.errno = errno
        self.path = path
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        if let path { return "\(call)(\(path)): \(reason) (errno \(errno))" }
        return "\(call): \(reason) (errno \(errno))"
    }
}

/// Runs a system call, retrying on EINTR. EBADF and EFAULT mean our own bookkeeping is wrong
/// (a closed or foreign descriptor, a bad pointer), so they stop the process rather than throw.
@inline(__always)
public func retryingInterrupts<T: FixedWidthInteger>(_ call: String, path: String? = nil, _ body: () -> T) throws(SystemError) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = errno
        if code == EINTR { continue }
        precondition(code != EBADF && code != EFAULT, "\(call) failed with \(code == EBADF ? "EBADF" : "EFAULT"): a descriptor or buffer bug")
        throw SystemError(call: call, errno: code, path: path)
    }
}
