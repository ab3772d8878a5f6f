import SluiceClient
import SluiceCommandLine

/// `sluice cluster info|health`.
@MainActor
enum ClusterCommands {
    static func run(_ name: String, _ context: CommandContext) async throws -> Int32 {
        guard name == "info" || name == "health" else { throw undeclaredCommand("cluster", name) }
        let admin = try context.admin()
        let cluster = try await admin.describeCluster()
        let topics = try await admin.listTopics(includeInternal: true)
        let described = topics.isEmpty ? [] : try await admin.describeTopics(topics)
        let partitions = described.flatMap { topic in
            topic.partitions.map {
                PartitionState(topic: topic.name, partition: $0.partition, leader: $0.leader, replicas: $0.replicas, isr: $0.isr)
            }
        }
        let report = ClusterHealthReport(brokerIds: cluster.brokers.map(\.id), controllerId: cluster.controllerId, partitions: partitions)
        if name == "health" {
            context.wantsJSON ? context.print(report.json) : context.print(report.render())
            return context.command.flag("exit-code") && !report.isHealthy ? ExitStatus.unhealthy : ExitStatus.success
        }
        if context.wantsJSON {
            context.print(JSON.object([
                ("clusterId", .optional(cluster.clusterId)), ("controller", .int(Int64(cluster.controllerId))),
                ("brokers", .array(cluster.brokers.map {
                    .object([("id", .int(Int64($0.id))), ("host", .string($0.host)), ("port", .int(Int64($0.port))),
                             ("controller", .bool($0.id == cluster.controllerId))])
                })),
                ("topics", .int(Int64(described.count))), ("partitions", .int(Int64(partitions.count))),
                ("leaderlessPartitions", .array(report.leaderless.map(\.json))),
                ("underReplicatedPartitions", .array(report.underReplicated.map(\.json))),
                ("notOnPreferredLeader", .array(report.notOnPreferredLeader.map(\.json))),
            ]))
            return ExitStatus.success
        }
        context.printSection("CLUSTER", "\(cluster.clusterId ?? "(no cluster id)")\n", first: true)
        var brokers = Table(["ID", "HOST", "PORT"])
        for broker in cluster.brokers {
            brokers.append([String(broker.id) + (broker.id == cluster.controllerId ? "*" : ""), broker.host, String(broker.port)])
        }
        context.printSection("BROKERS", brokers.render())
        context.printSection("TOPICS", "\(counted(described.count, "topic")), \(counted(partitions.count, "partition"))\n")
        context.printSection("PARTITIONS WITHOUT A LEADER", partitionTable(report.leaderless))
        context.printSection("UNDER-REPLICATED PARTITIONS", partitionTable(report.underReplicated))
        context.printSection("NOT ON THEIR PREFERRED LEADER", partitionTable(report.notOnPreferredLeader))
        return ExitStatus.success
    }

    private static func partitionTable(_ partitions: [PartitionState]) -> String {
        guard !partitions.isEmpty else { return "none\n" }
        var table = Table(["TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR"])
        for partition in partitions {
            table.append([partition.topic, String(partition.partition), String(partition.leader), nodeList(partition.replicas), nodeList(partition.isr)])
        }
        return table.render()
    }
}
