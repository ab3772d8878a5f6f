import SluiceCore
import SluiceRaft
import SluiceWire

/// The controller quorum's membership (KIP-853): DescribeQuorum, AddRaftVoter, RemoveRaftVoter.
/// All three are controller-bound: any node takes them and the forwarder runs them on the quorum's
/// leader, the only node that knows how far each member's log has come.
extension KafkaBroker {
    /// Kafka's name for the controller log, the one "topic" DescribeQuorum asks about.
    static let quorumTopic = "__cluster_metadata"
    /// Topic-partitions one DescribeQuorum may name (Kafka's tools name one).
    static let quorumPartitionsAskedMax = 16

    func handleDescribeQuorum(_ request: DescribeQuorumRequest, _ context: RequestContext) {
        guard allowed(context, .describe, .cluster, Principal.clusterResource) else {
            return context.respond(.describeQuorum(DescribeQuorumResponse(errorCode: KafkaError.clusterAuthorizationFailed.code)))
        }
        // One partition is all there is to ask about; a request that repeats it thousands of
        // times must not buy an answer ten times its size.
        guard request.topics.reduce(0, { $0 + $1.partitions.count }) <= Self.quorumPartitionsAskedMax else {
            return context.respond(.describeQuorum(DescribeQuorumResponse(errorCode: KafkaError.invalidRequest.code)))
        }
        guard cluster.isControllerLeader else {
            return context.respond(.describeQuorum(DescribeQuorumResponse(errorCode: KafkaError.notController.code)))
        }
        // The Raft thread only copies the quorum's state; the answer is built on a worker.
        cluster.host.perform({ [cluster, pool] in
            let described = cluster.host.describeQuorum()
            let leading = cluster.host.controller?.role == .leader
            pool.submit { context.respond(.describeQuorum(Self.quorumResponse(request, described, leading: leading))) }
        }, ifStopped: {
            context.respond(.describeQuorum(DescribeQuorumResponse(errorCode: KafkaError.notController.code)))
        })
    }

    /// The answer to `request`: the quorum for `__cluster_metadata` partition 0, UNKNOWN_TOPIC_OR_PARTITION
    /// for anything else.
    static func quorumResponse(_ request: DescribeQuorumRequest, _ described: QuorumDescription?, leading: Bool) -> DescribeQuorumResponse {
        guard leading, let described else { return DescribeQuorumResponse(errorCode: KafkaError.notController.code) }
        func voter(_ m: QuorumDescription.Member) -> DescribeQuorumResponse.Topic.Partition.Voter {
            .init(replicaId: m.id, logEndOffset: m.logEnd, lastFetchTimestamp: m.lastHeardMillis, lastCaughtUpTimestamp: m.caughtUpMillis)
        }
        func observer(_ m: QuorumDescription.Member) -> DescribeQuorumResponse.Topic.Partition.Observer {
            .init(replicaId: m.id, logEndOffset: m.logEnd, lastFetchTimestamp: m.lastHeardMillis, lastCaughtUpTimestamp: m.caughtUpMillis)
        }
        return DescribeQuorumResponse(topics: request.topics.map { topic in
            .init(topicName: topic.topicName, partitions: topic.partitions.map { asked in
                guard topic.topicName == quorumTopic, asked.partitionIndex == 0 else {
                    return .init(partitionIndex: asked.partitionIndex, errorCode: KafkaError.unknownTopicOrPartition.code, leaderId: -1, leaderEpoch: -1)
                }
                return .init(partitionIndex: 0, leaderId: described.leader, leaderEpoch: Int32(clamping: described.term),
                             highWatermark: described.committed, currentVoters: described.voters.map(voter),
                             observers: described.learners.map(observer))
            })
        })
    }

    func handleAddRaftVoter(_ request: AddRaftVoterRequest, _ context: RequestContext) {
        let respond: @Sendable (KafkaError, String?) -> Void = { error, message in
            context.respond(.addRaftVoter(AddRaftVoterResponse(errorCode: error.code, errorMessage: message)))
        }
        if let refusal = voterChangeRefusal(context, clusterId: request.clusterId, voterId: request.voterId) { return respond(refusal.0, refusal.1) }
        let timeout = Int64(min(max(request.timeoutMs, 1_000), 115_000))
        changeVoters(.add(NodeID(request.voterId)), timeoutMillis: timeout, respond)
    }

    func handleRemoveRaftVoter(_ request: RemoveRaftVoterRequest, _ context: RequestContext) {
        let respond: @Sendable (KafkaError, String?) -> Void = { error, message in
            context.respond(.removeRaftVoter(RemoveRaftVoterResponse(errorCode: error.code, errorMessage: message)))
        }
        if let refusal = voterChangeRefusal(context, clusterId: request.clusterId, voterId: request.voterId) { return respond(refusal.0, refusal.1) }
        changeVoters(.remove(NodeID(request.voterId)), timeoutMillis: 30_000, respond)
    }

    /// Why a voter change cannot even start here, or nil.
    private func voterChangeRefusal(_ context: RequestContext, clusterId: String?, voterId: Int32) -> (KafkaError, String)? {
        guard allowed(context, .alter, .cluster, Principal.clusterResource) else {
            return (.clusterAuthorizationFailed, "changing the controller quorum needs Alter on the cluster")
        }
        if let clusterId, clusterId != clusterID {
            return (.inconsistentClusterID, "the request names cluster \(clusterId); this is cluster \(clusterID)")
        }
        guard voterId >= 0 else { return (.invalidRequest, "voter id \(voterId) is negative") }
        guard cluster.isControllerLeader else { return (.notController, "send it to the controller named in Metadata") }
        return nil
    }

    private func changeVoters(_ change: VoterChange, timeoutMillis: Int64, _ respond: @escaping @Sendable (KafkaError, String?) -> Void) {
        let host = cluster.host
        host.perform({
            host.requestVoterChange(change, timeoutMillis: timeoutMillis) { outcome in
                switch outcome {
                case .done:
                    Diagnostics.info("controller quorum: \(change) committed")
                    respond(.none, nil)
                case .notController: respond(.notController, "controller leadership moved; send it to the controller named in Metadata")
                case .refused(let error, let message): respond(error, message)
                }
            }
        }, ifStopped: { respond(.notController, "this node is stopping") })
    }
}
