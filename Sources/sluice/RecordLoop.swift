import SluiceClient

/// Polls a consumer and hands each batch to a handler until the handler says stop, Ctrl-C, or —
/// with `stopsAtEnd` — every assigned partition has reached the log end it had when the loop first
/// saw it (kcat's `-e`). Partitions can also be finished early (`finish`), e.g. past a time range.
@MainActor
final class RecordLoop {
    let consumer: Consumer
    let admin: Admin
    let stopsAtEnd: Bool
    private(set) var ends: [TopicPartition: Int64] = [:]
    private(set) var finished: Set<TopicPartition> = []
    /// How long one poll waits for records before the loop checks for the end and Ctrl-C again.
    private let pollMillis = 200

    init(consumer: Consumer, admin: Admin, stopsAtEnd: Bool) {
        self.consumer = consumer
        self.admin = admin
        self.stopsAtEnd = stopsAtEnd
    }

    /// Stops reading `partition` (it counts as at its end).
    func finish(_ partition: TopicPartition) async {
        finished.insert(partition)
        await consumer.pause([partition])
    }

    /// Runs until done; `handle` returns false to stop.
    func run(_ handle: ([ConsumerRecord]) async throws -> Bool) async throws {
        while !Terminal.wasInterrupted {
            if stopsAtEnd, try await isComplete() { return }
            let records = try await consumer.poll(timeoutMillis: pollMillis)
            guard try await handle(records) else { return }
        }
    }

    /// Whether every assigned partition is finished or at its end. A group member that has not
    /// joined yet is not complete; one that joined and got nothing is.
    private func isComplete() async throws -> Bool {
        let assigned = await consumer.assignment
        if assigned.isEmpty { return await consumer.groupMembership.generation >= 0 }
        let unknown = assigned.filter { ends[$0] == nil }
        if !unknown.isEmpty { ends.merge(try await admin.listOffsets(unknown, spec: .latest)) { old, _ in old } }
        for partition in assigned where !finished.contains(partition) {
            guard let position = await consumer.position(partition), let end = ends[partition], position >= end else { return false }
        }
        return true
    }
}
