import Foundation
import SluiceIO
import SluiceLog
import Synchronization

/// Group commit across partitions: appends mark their partition dirty; one thread syncs every
/// dirty partition in turn, so a burst of appends costs one `fdatasync` per partition, not one
/// per request. After each sync the partition's watchers (acks=all produces, long-polling
/// fetches) are told that its high watermark moved.
public final class Flusher: Sendable {
    private struct State {
        var dirty: [ObjectIdentifier: Partition] = [:]
        var isStopped = false
    }
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let onFlushed: @Sendable (Partition) -> Void
    private let onFatal: @Sendable (String) -> Void
    /// Hears how long each fsync took, in seconds.
    private let onSynced: @Sendable (Double) -> Void

    /// `onFatal` runs if an fsync fails: the kernel may have dropped the data, so the broker
    /// must stop rather than keep acknowledging (never retry a failed fsync).
    public init(onFlushed: @escaping @Sendable (Partition) -> Void, onFatal: @escaping @Sendable (String) -> Void,
                onSynced: @escaping @Sendable (Double) -> Void = { _ in }) {
        self.onFlushed = onFlushed
        self.onFatal = onFatal
        self.onSynced = onSynced
        let thread = Thread { [self] in self.run() }
        thread.name = "sluice-flusher"
        thread.start()
    }

    public func markDirty(_ partition: Partition) {
        state.withLock { $0.dirty[ObjectIdentifier(partition)] = partition }
        wake.signal()
    }

    public func stop() {
        state.withLock { $0.isStopped = true }
        wake.signal()
    }

    private func run() {
        while true {
            wake.wait()
            let (batch, stopped) = state.withLock { state -> ([Partition], Bool) in
                let taken = Array(state.dirty.values)
                state.dirty.removeAll(keepingCapacity: true)
                return (taken, state.isStopped)
            }
            for partition in batch {
                do {
                    let started = monotonicNanos()
                    try partition.log.sync()
                    onSynced(Double(monotonicNanos() &- started) / 1e9)
                } catch StorageError.closed {
                    continue // deleted topic
                } catch {
                    onFatal("fsync of \(partition.topicPartition) failed: \(error)")
                    return
                }
                onFlushed(partition)
            }
            if stopped { return }
        }
    }
}
