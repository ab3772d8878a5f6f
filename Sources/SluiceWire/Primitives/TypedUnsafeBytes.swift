// The standard library's `withUnsafeBytes` rethrows as `any Error`; these keep `WireError` typed.

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` that preserves a typed `WireError`.
    @inlinable
    public func withWireBytes<R>(_ body: (UnsafeRawBufferPointer) throws(WireError) -> R) throws(WireError) -> R {
        try withUnsafeBytes { buffer in Result { () throws(WireError) -> R in try body(buffer) } }.get()
    }
}

extension ArraySlice where Element == UInt8 {
    /// `withUnsafeBytes` that preserves a typed `WireError`.
    @inlinable
    public func withWireBytes<R>(_ body: (UnsafeRawBufferPointer) throws(WireError) -> R) throws(WireError) -> R {
        try withUnsafeBytes { buffer in Result { () throws(WireError) -> R in try body(buffer) } }.get()
    }
}
