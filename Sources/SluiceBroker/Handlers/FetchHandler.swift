import SluiceCore
import SluiceLog
import SluiceWire

extension KafkaBroker {
    func handleFetch(_ request: FetchRequest, _ context: RequestContext) {
        // Fetch sessions (KIP-227) are declined: session id 0 keeps clients on full fetches.
        if context.version >= 7 && (request.sessionId != 0 || request.sessionEpoch > 0) {
            return context.respond(.fetch(FetchResponse(throttleTimeMs: 0, errorCode: KafkaError.fetchSessionIDNotFound.code, sessionId: 0, responses: [])))
        }
        let denied = Set(request.topics.map(\.topic).filter { !allowed(context, .read, .topic, $0) })
        let first = readFetch(request, version: context.version, denied: denied)
        if first.bytes >= Int(max(request.minBytes, 0)) || request.maxWaitMs <= 0 || first.hasError {
            return context.respond(.fetch(first.response))
        }
        // Long poll: park until enough bytes are committed (woken by the partition's Raft group) or maxWait passes.
        let keys = request.topics.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.topic, partition: PartitionID($0.partition)) } }
        let version = context.version
        let minBytes = Int(request.minBytes)
        delayed.park(DelayedOperation(
            keys: keys, timeoutMillis: Int64(request.maxWaitMs),
            isReady: { [self] _ in readFetch(request, version: version, denied: denied).bytes >= minBytes },
            finish: { [self] in context.respond(.fetch(readFetch(request, version: version, denied: denied).response)) }))
    }

    /// Reads what each requested partition has below its high watermark, within the request's
    /// and each partition's byte limits. The first batch found is always returned whole, even
    /// above the limits (KIP-74), so a consumer can never be stuck behind a large batch.
    /// Topics in `denied` are answered TOPIC_AUTHORIZATION_FAILED and never read.
    func readFetch(_ request: FetchRequest, version: Int16, denied: Set<String> = []) -> (response: FetchResponse, bytes: Int, hasError: Bool) {
        var remaining = version >= 3 ? Int(request.maxBytes) : Int.max
        var total = 0
        var hasError = false
        var topics: [FetchResponse.Topic] = []
        for topic in request.topics {
            var partitions: [FetchResponse.Topic.Partition] = []
            for wanted in topic.partitions {
                var answer = FetchResponse.Topic.Partition(partitionIndex: wanted.partition, errorCode: 0, highWatermark: -1, lastStableOffset: -1,
                                                     logStartOffset: -1, abortedTransactions: version >= 4 ? [] : nil, preferredReadReplica: -1, records: .empty)
                if denied.contains(topic.topic) {
                    answer.errorCode = KafkaError.topicAuthorizationFailed.code
                    hasError = true
                    partitions.append(answer)
                    continue
                }
                let tp = TopicPartition(topic: topic.topic, partition: PartitionID(wanted.partition))
                if let error = leaderEpochError(tp, currentLeaderEpoch: version >= 9 ? wanted.currentLeaderEpoch : -1) {
                    answer.errorCode = error.code
                    hasError = true
                    partitions.append(answer)
                    continue
                }
                guard let partition = replicas.partition(topic.topic, wanted.partition) else {
                    answer.errorCode = KafkaError.unknownTopicOrPartition.code
                    hasError = true
                    partitions.append(answer)
                    continue
                }
                let log = partition.log
                let highWatermark = partition.highWatermark
                let logStart = log.logStartOffset
                answer.highWatermark = highWatermark
                answer.lastStableOffset = highWatermark
                answer.logStartOffset = logStart
                if wanted.fetchOffset < logStart || wanted.fetchOffset > log.logEndOffset {
                    answer.errorCode = KafkaError.offsetOutOfRange.code
                    hasError = true
                } else if wanted.fetchOffset < highWatermark && (remaining > 0 || total == 0) {
                    let limit = min(Int(max(wanted.partitionMaxBytes, 0)), max(remaining, 0))
                    do {
                        if let slice = try log.read(from: wanted.fetchOffset, maxBytes: limit, limitOffset: highWatermark) {
                            answer.records = .external(SliceRecords(slice: slice))
                            remaining -= slice.length
                            total += slice.length
                        }
                    } catch StorageError.offsetOutOfRange {
                        answer.errorCode = KafkaError.offsetOutOfRange.code
                        hasError = true
                    } catch {
                        answer.errorCode = KafkaError.kafkaStorageError.code
                        hasError = true
                    }
                }
                partitions.append(answer)
            }
            topics.append(FetchResponse.Topic(topic: topic.topic, partitions: partitions))
        }
        return (FetchResponse(throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: topics), total, hasError)
    }
}
