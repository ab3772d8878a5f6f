import SluiceCore
import SluiceWire

/// Leader epochs as clients see them (KIP-320): a partition's leader epoch is the Raft term of
/// its group, every batch carries the term it was written in (`partitionLeaderEpoch`), and the
/// storage's epoch cache says where each term's batches start. Clients send the epoch they
/// believe current with Fetch, ListOffsets and OffsetForLeaderEpoch; a stale one is fenced, a
/// newer one is unknown here yet, and both make the client refresh its metadata.
extension KafkaBroker {
    /// Nil when this node leads `tp` in `currentLeaderEpoch` (-1 skips the epoch check), else
    /// the error for the client. As in Kafka, the epoch is checked before leadership, against
    /// this replica's own term: a client behind it is fenced even where this node does not lead.
    func leaderEpochError(_ tp: TopicPartition, currentLeaderEpoch: Int32) -> KafkaError? {
        guard let view = cluster.leadership(tp) else {
            return cluster.placement(tp) != nil ? .notLeaderOrFollower : .unknownTopicOrPartition
        }
        if currentLeaderEpoch >= 0 {
            let local = Self.leaderEpoch(view.term)
            if currentLeaderEpoch < local { return .fencedLeaderEpoch }
            if currentLeaderEpoch > local { return .unknownLeaderEpoch }
        }
        return view.isLocalLeader ? nil : .notLeaderOrFollower
    }

    /// A Raft term as a Kafka leader epoch (int32 on the wire; terms are bounded far below).
    static func leaderEpoch(_ term: Term) -> Int32 { Int32(clamping: term.rawValue) }

    /// The epoch of the batch holding `offset` on this replica (the latest at the log end), -1
    /// when unknown.
    func leaderEpoch(of tp: TopicPartition, atOffset offset: Int64) -> Int32 {
        cluster.replicaStorage(tp)?.epoch(ofOffset: offset).map(Self.leaderEpoch) ?? -1
    }

    /// Where a leader epoch ended, so a consumer can tell whether the log it read was truncated
    /// after a leader change. Allowed with ClusterAction on the cluster (the API began as a
    /// broker-to-broker one) or Describe on the topic (KIP-320), and answered by the leader only,
    /// as Kafka does.
    func handleOffsetForLeaderEpoch(_ request: OffsetForLeaderEpochRequest, _ context: RequestContext) {
        let clusterAction = allowed(context, .clusterAction, .cluster, Principal.clusterResource)
        let topics = request.topics.map { topic in
            OffsetForLeaderEpochResponse.Topic(topic: topic.topic, partitions: topic.partitions.map { wanted in
                var answer = OffsetForLeaderEpochResponse.Topic.EpochEndOffset(errorCode: 0, partition: wanted.partition, leaderEpoch: -1, endOffset: -1)
                let tp = TopicPartition(topic: topic.topic, partition: PartitionID(wanted.partition))
                if !clusterAction && !allowed(context, .describe, .topic, topic.topic) {
                    answer.errorCode = KafkaError.topicAuthorizationFailed.code
                } else if let error = leaderEpochError(tp, currentLeaderEpoch: wanted.currentLeaderEpoch) {
                    answer.errorCode = error.code
                } else if wanted.leaderEpoch >= 0, let storage = cluster.replicaStorage(tp),
                          let found = storage.endOffset(ofEpoch: Term(UInt64(wanted.leaderEpoch))) {
                    answer.leaderEpoch = Self.leaderEpoch(found.epoch)
                    answer.endOffset = found.endOffset
                }
                return answer
            })
        }
        context.respond(.offsetForLeaderEpoch(OffsetForLeaderEpochResponse(throttleTimeMs: 0, topics: topics)))
    }
}
