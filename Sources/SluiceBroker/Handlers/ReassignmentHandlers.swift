import SluiceCore
import SluiceMeta
import SluiceWire

/// Moving partition replicas between brokers (`kafka-reassign-partitions.sh`, and what a broker
/// decommission is made of). The controller records the wanted replicas; the partition's leader
/// then changes its Raft group one member at a time: add the new replica as a learner, promote it
/// once caught up, remove the old one (handing leadership over first if it is itself).
extension KafkaBroker {
    func handleAlterPartitionReassignments(_ request: AlterPartitionReassignmentsRequest, _ context: RequestContext) {
        guard allowed(context, .alter, .cluster, Principal.clusterResource) else {
            return context.respond(.alterPartitionReassignments(AlterPartitionReassignmentsResponse(
                errorCode: KafkaError.clusterAuthorizationFailed.code, errorMessage: "reassignments need Alter on the cluster")))
        }
        guard cluster.isControllerLeader else {
            return context.respond(.alterPartitionReassignments(AlterPartitionReassignmentsResponse(
                errorCode: KafkaError.notController.code, errorMessage: "send reassignments to the controller named in Metadata")))
        }
        let registered = Set(cluster.brokers.map(\.nodeID))
        var commands: [ControllerCommand] = []
        var responses: [AlterPartitionReassignmentsResponse.Topic] = []
        for topic in request.topics {
            var partitions: [AlterPartitionReassignmentsResponse.Topic.Partition] = []
            for wanted in topic.partitions {
                var answer = AlterPartitionReassignmentsResponse.Topic.Partition(partitionIndex: wanted.partitionIndex)
                let tp = TopicPartition(topic: topic.name, partition: PartitionID(wanted.partitionIndex))
                if cluster.placement(tp) == nil {
                    answer.errorCode = KafkaError.unknownTopicOrPartition.code
                    answer.errorMessage = "\(tp) does not exist"
                } else if let target = wanted.replicas {
                    if target.isEmpty || Set(target).count != target.count {
                        answer.errorCode = KafkaError.invalidReplicaAssignment.code
                        answer.errorMessage = "replicas must be distinct broker ids, at least one: \(target)"
                    } else if let unknown = target.first(where: { !registered.contains($0) }) {
                        answer.errorCode = KafkaError.invalidReplicaAssignment.code
                        answer.errorMessage = "broker \(unknown) is not registered"
                    } else if let current = cluster.placement(tp), current.replicas == target, current.targetReplicas == nil {
                        // Already there: nothing to move (answered as done, as Kafka does).
                    } else {
                        commands.append(.reassignPartition(topic: topic.name, partition: wanted.partitionIndex, target: target))
                    }
                } else if cluster.placement(tp)?.targetReplicas == nil {
                    answer.errorCode = KafkaError.noReassignmentInProgress.code
                    answer.errorMessage = "no move of \(tp) to cancel"
                } else {
                    commands.append(.reassignPartition(topic: topic.name, partition: wanted.partitionIndex, target: nil))
                }
                partitions.append(answer)
            }
            responses.append(.init(name: topic.name, partitions: partitions))
        }
        let answered = responses
        let recorded = commands
        guard !recorded.isEmpty else { return context.respond(.alterPartitionReassignments(AlterPartitionReassignmentsResponse(responses: answered))) }
        cluster.propose(recorded) { committed in
            guard committed else {
                return context.respond(.alterPartitionReassignments(AlterPartitionReassignmentsResponse(
                    errorCode: KafkaError.requestTimedOut.code, errorMessage: "controller leadership moved before the reassignment committed; retry")))
            }
            for command in recorded { Diagnostics.info("reassignment recorded: \(command)") }
            context.respond(.alterPartitionReassignments(AlterPartitionReassignmentsResponse(responses: answered)))
        }
    }

    func handleListPartitionReassignments(_ request: ListPartitionReassignmentsRequest, _ context: RequestContext) {
        guard allowed(context, .describe, .cluster, Principal.clusterResource) else {
            return context.respond(.listPartitionReassignments(ListPartitionReassignmentsResponse(
                errorCode: KafkaError.clusterAuthorizationFailed.code, errorMessage: "listing reassignments needs Describe on the cluster")))
        }
        var wanted: Set<TopicPartition>?
        if let topics = request.topics {
            wanted = Set(topics.flatMap { t in t.partitionIndexes.map { TopicPartition(topic: t.name, partition: PartitionID($0)) } })
        }
        var byTopic: [String: [ListPartitionReassignmentsResponse.Topic.Partition]] = [:]
        for placement in cluster.placements where placement.targetReplicas != nil {
            let tp = TopicPartition(topic: placement.topic, partition: PartitionID(placement.partition))
            if let wanted, !wanted.contains(tp) { continue }
            let target = placement.targetReplicas ?? []
            byTopic[placement.topic, default: []].append(.init(
                partitionIndex: placement.partition, replicas: placement.holders,
                addingReplicas: target.filter { !placement.replicas.contains($0) },
                removingReplicas: placement.replicas.filter { !target.contains($0) }))
        }
        context.respond(.listPartitionReassignments(ListPartitionReassignmentsResponse(
            topics: byTopic.keys.sorted().map { .init(name: $0, partitions: byTopic[$0] ?? []) })))
    }
}
