#if canImport(Glibc)
import Glibc
#endif
import CSluiceLinux

/// An open regular file, closed when the last reference goes away.
///
/// Every operation is positional (`pread`/`pwrite`), so one `File` can be shared by a writer
/// and many readers on different threads without a shared cursor. The descriptor never changes
/// after `init`, which is what makes the type `Sendable`.
public final class File: Sendable {
    /// The descriptor, valid until deinit.
    public let descriptor: Int32
    public let path: String

    /// Opens `path`; `create` makes it if missing (mode 0644).
    public init(path: String, create: Bool = false, readOnly: Bool = false) throws(SystemError) {
        var flags = (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC
        if create { flags |= O_CREAT }
        self.descriptor = try retryingInterrupts("open", path: path) { open(path, flags, 0o644) }
        self.path = path
    }

    deinit { _ = close(descriptor) }

    /// The file's size in bytes.
    public func size() throws(SystemError) -> Int64 {
        var info = stat()
        _ = try retryingInterrupts("fstat", path: path) { fstat(descriptor, &info) }
        return Int64(info.st_size)
    }

    /// Writes all of `buffer` at `offset`, looping over short writes.
    public func write(_ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(SystemError) {
        var done = 0
        while done < buffer.count {
            let n = try retryingInterrupts("pwrite", path: path) {
                pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + Int64(done)))
            }
            done += n
        }
    }

    public func write(_ bytes: [UInt8], at offset: Int64) throws(SystemError) {
        let result: Result<Void, SystemError> = bytes.withUnsafeBytes { buffer in
            guard buffer.count > 0 else { return .success(()) }
            return Result { () throws(SystemError) in try write(buffer, at: offset) }
        }
        try result.get()
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at end of file. Returns the count.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SystemError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = try retryingInterrupts("pread", path: path) {
                pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + Int64(done)))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads `count` bytes at `offset` into a new array (shorter only at end of file).
    public func read(count: Int, at offset: Int64) throws(SystemError) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let result: Result<Int, SystemError> = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(SystemError) -> Int in try read(into: buffer, at: offset) }
        }
        let n = try result.get()
        if n < count { bytes.removeSubrange(n...) }
        return bytes
    }

    /// Cuts the file to `length` bytes.
    public func truncate(to length: Int64) throws(SystemError) {
        _ = try retryingInterrupts("ftruncate", path: path) { ftruncate(descriptor, off_t(length)) }
    }

    /// Makes written data durable. A failure here means the kernel may have dropped dirty
    /// pages, so callers must stop rather than retry (the fsyncgate lesson).
    public func syncData() throws(SystemError) {
        _ = try retryingInterrupts("fdatasync", path: path) { fdatasync(descriptor) }
    }
}

/// Directory and path operations the log needs.
public enum FileSystem {
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Creates `path` and its missing parents.
    public static func createDirectories(_ path: String) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw SystemError(call: "mkdir", errno: errno, path: prefix)
            }
        }
    }

    /// Names in a directory, without "." and "..".
    public static func list(_ path: String) throws(SystemError) -> [String] {
        guard let dir = opendir(path) else { throw SystemError(call: "opendir", errno: errno, path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func remove(_ path: String) throws(SystemError) {
        if unlink(path) != 0 && errno != ENOENT { throw SystemError(call: "unlink", errno: errno, path: path) }
    }

    /// Removes a directory and everything in it.
    public static func removeTree(_ path: String) throws(SystemError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try list(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw SystemError(call: "rmdir", errno: errno, path: path) }
        } else {
            try remove(path)
        }
    }

    public static func rename(_ from: String, to: String) throws(SystemError) {
        _ = try retryingInterrupts("rename", path: from) { Glibc.rename(from, to) }
    }

    /// Makes a directory's entries (creations, renames, removals) durable.
    public static func syncDirectory(_ path: String) throws(SystemError) {
        let fd = try retryingInterrupts("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { _ = close(fd) }
        _ = try retryingInterrupts("fsync", path: path) { fsync(fd) }
    }

    /// Writes `bytes` to `path` atomically: a temporary file, fsync, rename, fsync of the directory.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(SystemError) {
        let temporary = path + ".tmp"
        try writeDurably(bytes, to: temporary)
        try renameDurably(temporary, to: path)
    }

    /// Replaces `path` with `bytes` and fsyncs the file, but not its directory: the first half of
    /// an atomic write whose rename (``renameDurably(_:to:)``) may come later, on another thread.
    public static func writeDurably(_ bytes: [UInt8], to path: String) throws(SystemError) {
        try remove(path)
        let file = try File(path: path, create: true)
        try file.write(bytes, at: 0)
        try file.syncData()
    }

    /// Renames `from` to `to` (replacing it) and fsyncs the directory, so the rename is durable
    /// before anything that depends on it happens.
    public static func renameDurably(_ from: String, to path: String) throws(SystemError) {
        try rename(from, to: path)
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try syncDirectory(directory.isEmpty ? "." : directory)
    }

    /// The whole content of a small file, or nil if it does not exist.
    public static func readSmallFile(_ path: String, maxBytes: Int = 1 << 20) throws(SystemError) -> [UInt8]? {
        guard exists(path) else { return nil }
        let file = try File(path: path, readOnly: true)
        let size = try file.size()
        return try file.read(count: Int(min(size, Int64(maxBytes))), at: 0)
    }
}

/// Wall-clock milliseconds since the epoch.
public func currentTimeMillis() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

/// Monotonic nanoseconds, for measuring intervals.
public func monotonicNanos() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// Nanoseconds from `start` to `now`, 0 when `start` is the later one. A time another thread
/// recorded just after this one read `now` (a heartbeat arriving during a liveness check) is later
/// than `now`, and a plain subtraction of unsigned times traps.
public func nanosElapsed(since start: UInt64, now: UInt64 = monotonicNanos()) -> UInt64 {
    now >= start ? now - start : 0
}
