import SluiceIO
import SluiceWire

/// A replica move still under way, as `Admin.listPartitionReassignments` reports it.
public struct PartitionReassignment: Sendable, Equatable {
    /// The partition being moved.
    public var topicPartition: TopicPartition
    /// Every broker that holds (or is receiving) a replica now: the old replicas plus the ones being added.
    public var replicas: [Int32]
    /// Brokers being added (learners until they catch up).
    public var adding: [Int32]
    /// Brokers being removed once the new ones are in.
    public var removing: [Int32]

    /// The replica list the move ends with: `replicas` without `removing`, in order.
    public var target: [Int32] { replicas.filter { !removing.contains($0) } }
}

/// One partition of a `DecommissionPlan`: its replicas now and the replicas it is to have.
public struct PlannedMove: Sendable, Equatable {
    /// The partition.
    public var topicPartition: TopicPartition
    /// Its replicas now (the target of a move already under way, when there is one).
    public var from: [Int32]
    /// Its replicas after the move: `from` with the decommissioned broker replaced.
    public var to: [Int32]
}

/// What `Admin.decommissionPlan(broker:)` proposes: a move for every partition that has a replica on `broker`.
public struct DecommissionPlan: Sendable, Equatable {
    /// The broker to empty.
    public var broker: Int32
    /// One move per partition with a replica on `broker`, ordered by topic then partition.
    public var moves: [PlannedMove]

    /// The moves as the targets `Admin.alterPartitionReassignments` takes.
    public var targets: [TopicPartition: [Int32]?] {
        Dictionary(uniqueKeysWithValues: moves.map { ($0.topicPartition, Optional($0.to)) })
    }
}

/// How far a decommission has come (`Admin.decommissionProgress(broker:)`).
public struct DecommissionProgress: Sendable, Equatable {
    /// The broker being emptied.
    public var broker: Int32
    /// Partitions whose Metadata still lists `broker` among their replicas.
    public var partitionsOnBroker: [TopicPartition]
    /// Replica moves still listed by ListPartitionReassignments (anywhere in the cluster).
    public var reassignmentsInProgress: Int

    /// Whether the broker holds no replica and no move is under way.
    public var isDone: Bool { partitionsOnBroker.isEmpty && reassignmentsInProgress == 0 }
}

/// Why a reassignment could not be planned, sent or finished.
public enum ReassignmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `broker` is neither a live broker nor a replica of any partition.
    case unknownBroker(Int32, liveBrokers: [Int32])
    /// No live broker outside a partition's replicas can take over the decommissioned broker's replica.
    case noSpareBroker(TopicPartition, replicas: [Int32], liveBrokers: [Int32])
    /// The wait ended before the moves did; `progress` is where they stood.
    case notFinished(afterMillis: Int, progress: DecommissionProgress)

    /// What went wrong, with the numbers behind it.
    public var description: String {
        switch self {
        case let .unknownBroker(id, live):
            return "broker \(id) is not in the cluster (live brokers \(live.map(String.init).joined(separator: ",")))"
        case let .noSpareBroker(partition, replicas, live):
            return "no live broker can take over the replica of \(partition): its replicas are \(replicas.map(String.init).joined(separator: ",")), "
                + "the live brokers \(live.map(String.init).joined(separator: ","))"
        case let .notFinished(millis, progress):
            return "broker \(progress.broker) still holds \(progress.partitionsOnBroker.count) replicas and "
                + "\(progress.reassignmentsInProgress) moves are under way after \(millis) ms"
        }
    }
}

extension Admin {
    /// How many times a request to the controller is sent again after NOT_CONTROLLER or a lost connection.
    static let controllerAttemptsMax = 10
    /// Pause between two attempts, and between two polls of a wait.
    static let controllerRetryNanos: UInt64 = 200_000_000

    /// Sends `request` to the controller; on NOT_CONTROLLER (top-level `errorCode` of the answer)
    /// or a broken connection, refreshes metadata and tries again, at most `controllerAttemptsMax` times.
    func sendToController<Request: ApiMessage, Response: ApiMessage>(
        _ request: Request, expecting: Response.Type, timeoutMillis: Int? = nil, errorCode: (Response) -> Int16
    ) async throws -> Response {
        var lastError: any Error = SluiceClientError.kafka(code: .notController, message: "no controller answered")
        for attempt in 0..<Self.controllerAttemptsMax {
            if attempt > 0 {
                try await Task.sleep(nanoseconds: Self.controllerRetryNanos)
                _ = try? await cluster.refreshMetadata(topics: [])
            }
            do {
                let connection = try await cluster.controller()
                let response = try await connection.send(request, expecting: Response.self, timeoutMillis: timeoutMillis ?? timeout)
                guard errorCode(response) == KafkaErrorCode.notController.rawValue else { return response }
                lastError = SluiceClientError.kafka(code: .notController, message: "\(Request.apiKey.name) sent to broker \(connection.address)")
            } catch let error as SluiceClientError where error.isRetriable {
                lastError = error
            }
        }
        throw lastError
    }

    /// Asks the controller to move partitions: each to the given replica list (first = preferred
    /// leader), or, for nil, to cancel the move under way. Returns the partitions the controller
    /// refused, with why (empty when it accepted every one); the accepted ones start moving at once.
    public func alterPartitionReassignments(_ targets: [TopicPartition: [Int32]?]) async throws -> [TopicPartition: SluiceClientError] {
        guard !targets.isEmpty else { return [:] }
        let topics = Dictionary(grouping: targets, by: { $0.key.topic }).sorted { $0.key < $1.key }.map { topic, entries in
            AlterPartitionReassignmentsRequest.Topic(name: topic, partitions: entries.sorted { $0.key < $1.key }.map {
                .init(partitionIndex: $0.key.partition, replicas: $0.value)
            })
        }
        let request = AlterPartitionReassignmentsRequest(timeoutMs: Int32(clamping: timeout), topics: topics)
        let response = try await sendToController(request, expecting: AlterPartitionReassignmentsResponse.self) { $0.errorCode }
        try Self.checkTopLevel(response.errorCode, response.errorMessage, api: "alter partition reassignments")
        var refused: [TopicPartition: SluiceClientError] = [:]
        for topic in response.responses {
            for partition in topic.partitions where partition.errorCode != 0 {
                let key = TopicPartition(topic.name, partition.partitionIndex)
                let what = targets[key].map { $0 == nil ? "cancel the move of \(key)" : "move \(key)" } ?? "move \(key)"
                refused[key] = .kafka(code: KafkaErrorCode(partition.errorCode), message: what + (partition.errorMessage.map { ": \($0)" } ?? ""))
            }
        }
        for topic in Set(targets.keys.map(\.topic)) { await cluster.invalidate(topic: topic) }
        return refused
    }

    /// Replica moves under way, asked of the controller: of `partitions`, or of every partition when nil.
    /// Sorted by topic, then partition.
    public func listPartitionReassignments(_ partitions: [TopicPartition]? = nil) async throws -> [PartitionReassignment] {
        let topics = partitions.map { list in
            Dictionary(grouping: list, by: \.topic).sorted { $0.key < $1.key }.map {
                ListPartitionReassignmentsRequest.Topic(name: $0.key, partitionIndexes: $0.value.map(\.partition).sorted())
            }
        }
        let request = ListPartitionReassignmentsRequest(timeoutMs: Int32(clamping: timeout), topics: topics)
        let response = try await sendToController(request, expecting: ListPartitionReassignmentsResponse.self) { $0.errorCode }
        try Self.checkTopLevel(response.errorCode, response.errorMessage, api: "list partition reassignments")
        return response.topics.flatMap { topic in
            topic.partitions.map {
                PartitionReassignment(topicPartition: TopicPartition(topic.name, $0.partitionIndex), replicas: $0.replicas,
                                      adding: $0.addingReplicas, removing: $0.removingReplicas)
            }
        }.sorted { $0.topicPartition < $1.topicPartition }
    }

    /// A top-level error of a reassignment API (NOT_CONTROLLER, REQUEST_TIMED_OUT…).
    private static func checkTopLevel(_ code: Int16, _ message: String?, api: String) throws {
        guard code != 0 else { return }
        try SluiceClientError.check(code, api, detail: message)
    }

    /// A move for every partition with a replica on `broker`: the broker is replaced by the live
    /// broker that holds the fewest replicas (counting the moves planned so far; ties go to the
    /// lower id) among those not already replicas of the partition. The replica order is kept and the
    /// replacement takes the removed broker's place, except in first place (the preferred leader):
    /// there the next replica moves up to first, so leadership leaves the broker and does not go to a
    /// replica that is still catching up. Throws `ReassignmentError.noSpareBroker` when a partition
    /// has no such broker, `.unknownBroker` when `broker` is neither live nor a replica.
    public func decommissionPlan(broker: Int32) async throws -> DecommissionPlan {
        let metadata = try await cluster.refreshMetadata(topics: nil)
        let inFlight = Dictionary(uniqueKeysWithValues: try await listPartitionReassignments().map { ($0.topicPartition, $0.target) })
        var current: [(TopicPartition, [Int32])] = []
        for topic in metadata.topics where topic.errorCode == 0 {
            guard let name = topic.name else { continue }
            for partition in topic.partitions {
                let key = TopicPartition(name, partition.partitionIndex)
                current.append((key, inFlight[key] ?? partition.replicaNodes))
            }
        }
        let live = metadata.brokers.map(\.nodeId).sorted()
        return try Self.plan(decommissioning: broker, replicas: current.sorted { $0.0 < $1.0 }, liveBrokers: live)
    }

    /// The planning of `decommissionPlan(broker:)`, without I/O: `replicas` are every partition's
    /// replicas now, in the order moves are planned.
    static func plan(decommissioning broker: Int32, replicas: [(TopicPartition, [Int32])],
                     liveBrokers: [Int32]) throws(ReassignmentError) -> DecommissionPlan {
        guard liveBrokers.contains(broker) || replicas.contains(where: { $0.1.contains(broker) }) else {
            throw .unknownBroker(broker, liveBrokers: liveBrokers)
        }
        let spares = liveBrokers.filter { $0 != broker }
        var load = Dictionary(uniqueKeysWithValues: spares.map { ($0, 0) })
        for (_, list) in replicas { for id in list where load[id] != nil { load[id, default: 0] += 1 } }
        var moves: [PlannedMove] = []
        for (partition, from) in replicas {
            guard let position = from.firstIndex(of: broker) else { continue }
            let candidates = spares.filter { !from.contains($0) }
            guard let replacement = candidates.min(by: { (load[$0] ?? 0, $0) < (load[$1] ?? 0, $1) }) else {
                throw .noSpareBroker(partition, replicas: from, liveBrokers: liveBrokers)
            }
            load[replacement, default: 0] += 1
            var to = from
            to[position] = replacement
            if position == 0 && to.count > 1 { to.swapAt(0, 1) }
            moves.append(PlannedMove(topicPartition: partition, from: from, to: to))
        }
        return DecommissionPlan(broker: broker, moves: moves)
    }

    /// Where the decommission of `broker` stands: the partitions Metadata still lists it for, and
    /// how many moves ListPartitionReassignments lists.
    public func decommissionProgress(broker: Int32) async throws -> DecommissionProgress {
        let metadata = try await cluster.refreshMetadata(topics: nil)
        var onBroker: [TopicPartition] = []
        for topic in metadata.topics where topic.errorCode == 0 {
            guard let name = topic.name else { continue }
            for partition in topic.partitions where partition.replicaNodes.contains(broker) {
                onBroker.append(TopicPartition(name, partition.partitionIndex))
            }
        }
        let moving = try await listPartitionReassignments().count
        return DecommissionProgress(broker: broker, partitionsOnBroker: onBroker.sorted(), reassignmentsInProgress: moving)
    }

    /// Polls `decommissionProgress(broker:)` until it is done, at most `timeoutMillis`; `onProgress`
    /// sees every poll. Throws `ReassignmentError.notFinished` at the deadline.
    public func waitUntilDecommissioned(broker: Int32, timeoutMillis: Int,
                                        onProgress: (@Sendable (DecommissionProgress) async -> Void)? = nil) async throws {
        let deadline = monotonicNanos() + UInt64(max(timeoutMillis, 0)) * 1_000_000
        while true {
            let progress = try await decommissionProgress(broker: broker)
            await onProgress?(progress)
            if progress.isDone { return }
            if monotonicNanos() >= deadline { throw ReassignmentError.notFinished(afterMillis: timeoutMillis, progress: progress) }
            try await Task.sleep(nanoseconds: Self.controllerRetryNanos)
        }
    }

    /// Moves every replica off `broker` (`decommissionPlan(broker:)`, then AlterPartitionReassignments),
    /// and, when `waitMillis` is given, waits that long at most for the moves to finish. Returns the
    /// plan; throws the first partition the controller refused (the others move anyway).
    @discardableResult
    public func decommissionBroker(_ id: Int32, waitMillis: Int? = nil) async throws -> DecommissionPlan {
        let plan = try await decommissionPlan(broker: id)
        let refused = try await alterPartitionReassignments(plan.targets)
        if let first = refused.sorted(by: { $0.key < $1.key }).first { throw first.value }
        if let waitMillis { try await waitUntilDecommissioned(broker: id, timeoutMillis: waitMillis) }
        return plan
    }
}
