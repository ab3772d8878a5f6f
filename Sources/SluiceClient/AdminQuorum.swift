import SluiceWire

/// One member of the controller quorum, as its leader reports it.
public struct QuorumMember: Sendable, Equatable {
    /// Node id.
    public var id: Int32
    /// The last controller log index the leader knows the member holds, -1 when unknown.
    public var logEnd: Int64
    /// Wall-clock ms the leader last heard from it, -1 when never.
    public var lastHeardMillis: Int64
}

/// The controller quorum (`Admin.describeQuorum`): who leads it, who votes, who only follows.
public struct QuorumDescription: Sendable, Equatable {
    /// The leader's node id, -1 when none is known.
    public var leader: Int32
    /// The leader's term (Kafka's leader epoch).
    public var term: Int32
    /// The highest committed index of the controller log.
    public var committed: Int64
    /// The voters: a majority of them must be up for the cluster to change its metadata.
    public var voters: [QuorumMember]
    /// The nodes that follow the controller log without a vote (every other registered broker).
    public var observers: [QuorumMember]
}

extension Admin {
    /// The controller quorum as its leader sees it (Kafka's DescribeQuorum).
    public func describeQuorum() async throws -> QuorumDescription {
        let request = DescribeQuorumRequest(topics: [.init(topicName: "__cluster_metadata", partitions: [.init(partitionIndex: 0)])])
        let response = try await sendToController(request, expecting: DescribeQuorumResponse.self) { $0.errorCode }
        try SluiceClientError.check(response.errorCode, "describe the controller quorum")
        guard let partition = response.topics.first?.partitions.first else {
            throw SluiceClientError.kafka(code: .unknownServerError, message: "describe the controller quorum: the answer names no quorum")
        }
        try SluiceClientError.check(partition.errorCode, "describe the controller quorum")
        return QuorumDescription(
            leader: partition.leaderId, term: partition.leaderEpoch, committed: partition.highWatermark,
            voters: partition.currentVoters.map { QuorumMember(id: $0.replicaId, logEnd: $0.logEndOffset, lastHeardMillis: $0.lastFetchTimestamp) },
            observers: partition.observers.map { QuorumMember(id: $0.replicaId, logEnd: $0.logEndOffset, lastHeardMillis: $0.lastFetchTimestamp) })
    }

    /// Makes `node`, which must already follow the controller log (started with the quorum's
    /// `controller.quorum.voters` and `cluster.id`, and registered), a voter; returns once the new
    /// voter set is committed. Waits up to `timeoutMillis` for the node to catch up.
    public func addRaftVoter(_ node: Int32, timeoutMillis: Int32 = 60_000) async throws {
        let request = AddRaftVoterRequest(timeoutMs: timeoutMillis, voterId: node)
        let response = try await sendToController(request, expecting: AddRaftVoterResponse.self, timeoutMillis: Int(timeoutMillis) + 10_000) { $0.errorCode }
        try SluiceClientError.check(response.errorCode, "add node \(node) to the controller quorum", detail: response.errorMessage)
    }

    /// Takes `node` out of the controller quorum's voters; it goes on following the log without
    /// a vote. Returns once the new voter set is committed.
    public func removeRaftVoter(_ node: Int32) async throws {
        let response = try await sendToController(RemoveRaftVoterRequest(voterId: node), expecting: RemoveRaftVoterResponse.self) { $0.errorCode }
        try SluiceClientError.check(response.errorCode, "remove node \(node) from the controller quorum", detail: response.errorMessage)
    }
}
