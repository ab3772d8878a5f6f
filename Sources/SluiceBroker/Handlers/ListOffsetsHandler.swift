import SluiceCore
import SluiceWire

extension KafkaBroker {
    func handleListOffsets(_ request: ListOffsetsRequest, _ context: RequestContext) {
        let topics = request.topics.map { topic in
            ListOffsetsResponse.Topic(name: topic.name, partitions: topic.partitions.map { wanted in
                var answer = ListOffsetsResponse.Topic.Partition(partitionIndex: wanted.partitionIndex, errorCode: 0, oldStyleOffsets: [], timestamp: -1, offset: -1, leaderEpoch: -1)
                guard allowed(context, .describe, .topic, topic.name) else {
                    answer.errorCode = KafkaError.topicAuthorizationFailed.code
                    return answer
                }
                let tp = TopicPartition(topic: topic.name, partition: PartitionID(wanted.partitionIndex))
                if let error = leaderEpochError(tp, currentLeaderEpoch: context.version >= 4 ? wanted.currentLeaderEpoch : -1) {
                    answer.errorCode = error.code
                    return answer
                }
                guard let partition = replicas.partition(topic.name, wanted.partitionIndex) else {
                    answer.errorCode = KafkaError.unknownTopicOrPartition.code
                    return answer
                }
                let highWatermark = partition.highWatermark
                switch wanted.timestamp {
                case -2:
                    answer.offset = partition.log.logStartOffset
                    answer.leaderEpoch = leaderEpoch(of: tp, atOffset: answer.offset)
                case -1:
                    answer.offset = highWatermark
                    answer.leaderEpoch = leaderEpoch(of: tp, atOffset: partition.log.logEndOffset)
                default:
                    guard wanted.timestamp >= 0 else {
                        answer.errorCode = KafkaError.invalidRequest.code
                        return answer
                    }
                    do {
                        // Only committed records count: a hit at or past the high watermark is "not found".
                        if let hit = try partition.log.record(atOrAfterTimestamp: wanted.timestamp), hit.offset < highWatermark {
                            answer.offset = hit.offset
                            answer.timestamp = hit.timestamp
                            answer.leaderEpoch = leaderEpoch(of: tp, atOffset: hit.offset)
                        }
                    } catch {
                        answer.errorCode = KafkaError.kafkaStorageError.code
                    }
                }
                if context.version == 0 {
                    answer.oldStyleOffsets = answer.offset >= 0 && wanted.maxNumOffsets > 0 ? [answer.offset] : []
                }
                return answer
            })
        }
        context.respond(.listOffsets(ListOffsetsResponse(throttleTimeMs: 0, topics: topics)))
    }
}
