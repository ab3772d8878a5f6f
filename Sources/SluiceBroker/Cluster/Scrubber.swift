import Foundation
import SluiceIO
import SluiceCore
import SluiceLog
import SluiceWire
import Synchronization

/// Re-reads local replicas' logs, CRC-checking every batch, to find damage a crash or a bad disk
/// left where no read has looked yet (sealed segments are otherwise checked only when read).
/// Runs on its own thread at low priority; reports the first bad offset of a replica.
final class Scrubber: Sendable {
    private let queue = Mutex<[Partition]>([])
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let onDamage: @Sendable (Partition, Int64) -> Void

    init(onDamage: @escaping @Sendable (Partition, Int64) -> Void) {
        self.onDamage = onDamage
        let thread = Thread { [self] in
            nameCurrentThread("sluice-scrub")
            run()
        }
        thread.name = "sluice-scrub"
        thread.qualityOfService = .background
        thread.start()
    }

    func enqueue(_ partitions: [Partition]) {
        guard !partitions.isEmpty else { return }
        queue.withLock { $0.append(contentsOf: partitions) }
        wake.signal()
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
        wake.signal()
    }

    private func run() {
        while !stopped.load(ordering: .acquiring) {
            wake.wait()
            while let next = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                if stopped.load(ordering: .acquiring) { return }
                if let bad = Self.firstCorruptOffset(next.log) { onDamage(next, bad) }
            }
        }
    }

    /// The base offset of the first batch that fails validation, or nil if the whole log reads clean.
    static func firstCorruptOffset(_ log: PartitionLog) -> Int64? {
        var offset = log.logStartOffset
        let end = log.logEndOffset
        while offset < end {
            do {
                let bytes = try log.readBytes(from: offset, maxBytes: 1 << 20, limitOffset: end)
                if bytes.isEmpty { return nil }
                let headers = try bytes.withWireBytes { (buffer) throws(WireError) in
                    try RecordBatchValidator.validateAll(buffer, maxBatchBytes: Int(Int32.max))
                }
                guard let last = headers.last else { return nil }
                offset = last.lastOffset + 1
            } catch StorageError.closed {
                return nil
            } catch {
                // Something in this chunk is bad: find which batch, one at a time.
                do {
                    let single = try log.readBytes(from: offset, maxBytes: 1, limitOffset: end)
                    let header = try single.withWireBytes { (buffer) throws(WireError) in
                        try RecordBatchValidator.validate(buffer, maxBatchBytes: Int(Int32.max))
                    }
                    offset = header.lastOffset + 1
                } catch {
                    return offset
                }
            }
        }
        return nil
    }
}
