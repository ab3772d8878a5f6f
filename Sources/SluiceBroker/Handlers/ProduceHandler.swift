import SluiceCore
import SluiceWire
import Synchronization

extension KafkaBroker {
    func handleProduce(_ request: ProduceRequest, _ context: RequestContext) {
        countProduced(request)
        var counted = context
        counted.acksAll = request.acks == -1
        proposeProduce(request, counted)
    }

    /// One partition's batches, checked and ready to propose, and where its answer goes.
    private struct ProduceProposal {
        let tp: TopicPartition
        let records: [UInt8]
        let headers: [RecordBatchHeader]
        let topic: Int
        let index: Int
    }

    /// What the checks made of one partition's part of a request.
    private enum ProduceCheck {
        case propose(TopicPartition, [UInt8], [RecordBatchHeader])
        case refuse(KafkaError, String)
    }

    /// Each partition's batches become entries of its Raft group, answered after the leader's
    /// append (acks=1) or once a majority has them on disk (acks=all); in a cluster of one the
    /// majority is this node's own fsync.
    private func proposeProduce(_ request: ProduceRequest, _ context: RequestContext) {
        var responses: [ProduceResponse.Topic] = []
        var proposals: [ProduceProposal] = []
        var anyFailure = false
        for topicData in request.topicData {
            let writable = allowed(context, .write, .topic, topicData.name)
            var partitionResponses: [ProduceResponse.Topic.Partition] = []
            for partitionData in topicData.partitionData {
                var response = ProduceResponse.Topic.Partition(index: partitionData.index, errorCode: 0, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1)
                switch checkProduce(request, topicData.name, partitionData, writable: writable, context) {
                case let .propose(tp, records, headers):
                    proposals.append(ProduceProposal(tp: tp, records: records, headers: headers, topic: responses.count, index: partitionResponses.count))
                case let .refuse(error, message):
                    response.errorCode = error.code
                    response.errorMessage = message
                    anyFailure = true
                }
                partitionResponses.append(response)
            }
            responses.append(ProduceResponse.Topic(name: topicData.name, partitionResponses: partitionResponses))
        }
        if proposals.isEmpty {
            if request.acks == 0 { return context.complete(anyFailure ? .closeConnection : .noResponse) }
            return context.respond(.produce(ProduceResponse(responses: responses, throttleTimeMs: 0)))
        }
        propose(proposals, answering: responses, failed: anyFailure, request, context)
    }

    /// The request-level and partition-level checks, in Kafka's order of precedence.
    private func checkProduce(_ request: ProduceRequest, _ topic: String, _ partitionData: ProduceRequest.Topic.Partition,
                              writable: Bool, _ context: RequestContext) -> ProduceCheck {
        let tp = TopicPartition(topic: topic, partition: PartitionID(partitionData.index))
        if !(-1...1).contains(request.acks) { return .refuse(.invalidRequiredAcks, "acks must be -1, 0 or 1") }
        if context.version < 3 {
            return .refuse(.unsupportedForMessageFormat, "produce v\(context.version) carries an old message format; only RecordBatch v2 is stored")
        }
        if request.transactionalId != nil { return .refuse(.invalidRequest, "transactions are not supported") }
        // Only OffsetCommit writes there (its batches bypass this handler): a client's own batch
        // would forge any group's committed offsets. Kafka refuses it the same way.
        if topic == ClusterNode.offsetsTopic {
            return .refuse(.invalidTopicException, "\(topic) is internal: offsets are committed with OffsetCommit")
        }
        if !writable { return .refuse(.topicAuthorizationFailed, "\(context.principal) may not Write to topic \(topic)") }
        guard let partition = replicas.partition(topic, partitionData.index) else {
            if replicas.topic(topic) != nil, cluster.placement(tp) != nil {
                return .refuse(.notLeaderOrFollower, "node \(config.nodeID) holds no replica of \(tp); refresh metadata")
            }
            return .refuse(.unknownTopicOrPartition, "unknown topic or partition \(tp)")
        }
        if cluster.leadership(tp)?.isLocalLeader != true {
            return .refuse(.notLeaderOrFollower, "node \(config.nodeID) does not lead \(tp); refresh metadata")
        }
        guard case let .bytes(bytes)? = partitionData.records, !bytes.isEmpty else { return .refuse(.invalidRecord, "no records") }
        switch partition.validateFromProducer(bytes) {
        case let .success(headers): return .propose(tp, bytes, headers)
        case let .failure(failure): return .refuse(failure.errorCode, failure.message)
        }
    }

    /// Proposes each partition's batches and answers once every partition has its outcome.
    private func propose(_ proposals: [ProduceProposal], answering responses: [ProduceResponse.Topic], failed: Bool,
                         _ request: ProduceRequest, _ context: RequestContext) {
        let acks = request.acks
        let answer = Mutex((responses: responses, outstanding: proposals.count, failed: failed))
        for proposal in proposals {
            cluster.produce(proposal.tp, records: proposal.records, headers: proposal.headers, acks: acks,
                            timeoutMillis: Int64(max(request.timeoutMs, 0))) { outcome in
                let finished = answer.withLock { state -> (ProduceResponse, Bool)? in
                    switch outcome {
                    case let .appended(first, logStart):
                        state.responses[proposal.topic].partitionResponses[proposal.index].baseOffset = first
                        state.responses[proposal.topic].partitionResponses[proposal.index].logStartOffset = logStart
                    case let .failed(error, message):
                        state.responses[proposal.topic].partitionResponses[proposal.index].errorCode = error.code
                        state.responses[proposal.topic].partitionResponses[proposal.index].errorMessage = message
                        state.failed = true
                    }
                    state.outstanding -= 1
                    return state.outstanding == 0 ? (ProduceResponse(responses: state.responses, throttleTimeMs: 0), state.failed) : nil
                }
                guard let (response, failed) = finished else { return }
                if acks == 0 {
                    context.complete(failed ? .closeConnection : .noResponse)
                } else {
                    context.respond(.produce(response))
                }
            }
        }
    }
}

extension KafkaBroker {
    /// Records and batch bytes per topic, as received (before any partition refuses them), for
    /// topics that exist: a name is a metric label for the life of the process, and a client
    /// may send any number of names.
    func countProduced(_ request: ProduceRequest) {
        for topic in request.topicData where replicas.topic(topic.name) != nil {
            var bytes = 0
            var records = 0
            for partition in topic.partitionData {
                guard case let .bytes(batches)? = partition.records else { continue }
                bytes += batches.count
                records += Self.recordCount(batches)
            }
            metrics.produceBytes.add(Double(bytes), [topic.name])
            metrics.produceRecords.add(Double(records), [topic.name])
        }
    }

    /// The record counts of the v2 batch headers in `batches`, walking batch lengths; stops at the
    /// first header that does not fit (the append validates the batches properly).
    static func recordCount(_ batches: [UInt8]) -> Int {
        func int32(_ at: Int) -> Int { Int(Int32(bitPattern: UInt32(batches[at]) << 24 | UInt32(batches[at + 1]) << 16 | UInt32(batches[at + 2]) << 8 | UInt32(batches[at + 3]))) }
        var offset = 0
        var total = 0
        while offset + 61 <= batches.count {
            let length = int32(offset + 8)
            guard length >= 49 else { break }
            total += max(0, int32(offset + 57))
            offset += 12 + length
        }
        return total
    }
}

