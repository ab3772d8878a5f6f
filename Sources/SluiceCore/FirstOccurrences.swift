extension Sequence where Element: Hashable {
    /// The elements in order, each only where it first occurs: a request that names one thing
    /// many times is answered for it once.
    public var firstOccurrences: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
