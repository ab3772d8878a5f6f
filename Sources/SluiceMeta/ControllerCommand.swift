/// A registered broker as the controller log records it.
public struct BrokerRecord: Equatable, Sendable {
    public var nodeID: Int32
    /// The client listener clients are told to use.
    public var host: String
    public var port: Int32
    /// The inter-node listener (Raft traffic).
    public var interNodeHost: String
    public var interNodePort: Int32
    public var rack: String?
    /// The registering process's start time: a new value means the node restarted.
    public var incarnation: Int64
    /// Fenced brokers lead nothing and are left out of Metadata.
    public var fenced: Bool
    /// Every client listener's advertised address, by listener name (recorded by its own
    /// command, ``ControllerCommand/brokerEndpoints(nodeID:endpoints:)``); empty for a node that
    /// did not report them, whose one address is `host`:`port`.
    public var endpoints: [ListenerEndpoint] = []

    public init(nodeID: Int32, host: String, port: Int32, interNodeHost: String, interNodePort: Int32, rack: String?, incarnation: Int64, fenced: Bool = false) {
        self.nodeID = nodeID
        self.host = host
        self.port = port
        self.interNodeHost = interNodeHost
        self.interNodePort = interNodePort
        self.rack = rack
        self.incarnation = incarnation
        self.fenced = fenced
    }
}

/// Where a broker's client listener of one name is reached.
public struct ListenerEndpoint: Equatable, Sendable {
    public var listener: String
    public var host: String
    public var port: Int32

    public init(listener: String, host: String, port: Int32) {
        self.listener = listener
        self.host = host
        self.port = port
    }
}

/// One partition's placement and its last reported leader.
public struct PartitionRecord: Equatable, Sendable {
    public var topic: String
    public var partition: Int32
    /// The Raft group's members, preferred leader first.
    public var replicas: [Int32]
    /// -1 while unknown.
    public var leader: Int32
    /// The Raft term of `leader` (its leader epoch).
    public var leaderEpoch: Int64
    /// While a reassignment is under way: the replicas wanted (the leader moves the group there).
    public var targetReplicas: [Int32]?
    /// The in-sync replicas the leader of epoch `isrEpoch` last reported (nil: none reported).
    public var isr: [Int32]?
    public var isrEpoch: Int64

    public init(topic: String, partition: Int32, replicas: [Int32], leader: Int32 = -1, leaderEpoch: Int64 = -1, targetReplicas: [Int32]? = nil,
                isr: [Int32]? = nil, isrEpoch: Int64 = -1) {
        self.topic = topic
        self.partition = partition
        self.replicas = replicas
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.targetReplicas = targetReplicas
        self.isr = isr
        self.isrEpoch = isrEpoch
    }

    /// The in-sync set when the current leader reported it, else nil.
    public var currentISR: [Int32]? { isrEpoch == leaderEpoch && leader >= 0 ? isr : nil }

    /// Every node that holds (or is about to hold) a replica.
    public var holders: [Int32] { replicas + (targetReplicas ?? []).filter { !replicas.contains($0) } }
}

/// A change a node applies, in log order, to its SQLite: the payload of a controller Raft entry,
/// which every node applies, except `offsets`, which travels in `__consumer_offsets` and is
/// applied by that partition's replicas.
public enum ControllerCommand: Equatable, Sendable {
    case metadata(MetadataCommand)
    /// A group's offset change. Each is the value of one record in a `__consumer_offsets` batch
    /// (encoded by `ControllerCommandCodec`), and that partition's snapshots are a list of them,
    /// one per group. No controller entry carries one any more; those in a controller log written
    /// before offsets moved there are still applied when it replays.
    case offsets(OffsetCommand)
    /// A broker joined, restarted or came back: unfenced with these endpoints.
    case registerBroker(BrokerRecord)
    /// A broker stopped heartbeating or is shutting down.
    case fenceBroker(nodeID: Int32)
    /// Placement of partitions `firstPartition...` of a topic (created or grown in the same entry).
    case assignReplicas(topic: String, firstPartition: Int32, replicas: [[Int32]])
    /// A partition's Raft group elected `leader` in term `epoch`; ignored if not newer than what is stored.
    case partitionLeader(topic: String, partition: Int32, leader: Int32, epoch: Int64)
    /// Starts moving a partition to `target` replicas (nil cancels a move not yet finished).
    case reassignPartition(topic: String, partition: Int32, target: [Int32]?)
    /// The partition's Raft group now has exactly `replicas` as voters: the move is done.
    case completeReassignment(topic: String, partition: Int32, replicas: [Int32])
    /// Creates or replaces a user's SCRAM credential for its mechanism.
    case upsertScramCredential(user: String, credential: ScramCredential)
    /// Removes a user's SCRAM credential for one mechanism.
    case deleteScramCredential(user: String, mechanism: Int8)
    /// Adds access control entries (one already there stays once).
    case createAcls([AclBinding])
    /// Removes access control entries.
    case deleteAcls([AclBinding])
    /// Sets (or with nil removes) one client quota of an entity.
    case setClientQuota(entity: ClientQuotaEntity, key: String, value: Double?)
    /// The leader of `epoch` measured these replicas in sync (Kafka's AlterPartition); an older
    /// epoch's report does not replace a newer one.
    case partitionISR(topic: String, partition: Int32, isr: [Int32], epoch: Int64)
    /// A broker's client listeners (Metadata answers each client with the addresses of the
    /// listener it came in on); replaces the ones recorded before.
    case brokerEndpoints(nodeID: Int32, endpoints: [ListenerEndpoint])
}

/// The entry encoding of a list of controller commands: a version byte, then tagged commands.
/// Hand-written and bounds-checked: entries come from other nodes' disks and networks.
public enum ControllerCommandCodec {
    public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let version: UInt8 = 1

    public static func encode(_ commands: [ControllerCommand]) -> [UInt8] {
        var w = CommandWriter()
        w.u8(version)
        w.count(commands.count)
        for command in commands { w.command(command) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> [ControllerCommand] {
        var r = CommandReader(bytes: bytes)
        guard try r.u8() == version else { throw DecodeError(description: "unknown controller entry version") }
        let count = try r.count(minimumBytesEach: 1)
        var out: [ControllerCommand] = []
        for _ in 0..<count { out.append(try r.command()) }
        guard r.isAtEnd else { throw DecodeError(description: "trailing bytes in controller entry") }
        return out
    }
}

private struct CommandWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }
    mutating func i32(_ v: Int32) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }
    mutating func count(_ v: Int) { i32(Int32(v)) }
    mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }
    mutating func blob(_ v: [UInt8]) { count(v.count); bytes.append(contentsOf: v) }
    mutating func string(_ v: String) { blob(Array(v.utf8)) }
    mutating func optionalString(_ v: String?) {
        if let v { bool(true); string(v) } else { bool(false) }
    }
    mutating func ints(_ v: [Int32]) { count(v.count); for x in v { i32(x) } }

    mutating func command(_ command: ControllerCommand) {
        switch command {
        case let .metadata(m):
            u8(1)
            switch m {
            case let .createTopic(name, topicID, partitions, rf, configs):
                u8(1); string(name); blob(topicID); i32(partitions); i32(Int32(rf)); stringMap(configs)
            case let .deleteTopic(name):
                u8(2); string(name)
            case let .createPartitions(name, total):
                u8(3); string(name); i32(total)
            case let .alterTopicConfigs(name, changes):
                u8(4); string(name); count(changes.count)
                for (k, v) in changes.sorted(by: { $0.key < $1.key }) { string(k); optionalString(v) }
            case let .allocateProducerIDs(n):
                u8(5); i64(n)
            }
        case let .offsets(o):
            u8(2)
            switch o {
            case let .commit(group, offsets):
                u8(1); string(group); count(offsets.count)
                for e in offsets {
                    string(e.topic); i32(e.partition); i64(e.offset); i32(e.leaderEpoch); optionalString(e.metadata); i64(e.commitMillis)
                }
            case let .delete(group, partitions):
                u8(2); string(group); count(partitions.count)
                for p in partitions { string(p.topic); i32(p.partition) }
            case let .deleteGroup(group):
                u8(3); string(group)
            }
        case let .registerBroker(b):
            u8(3); i32(b.nodeID); string(b.host); i32(b.port); string(b.interNodeHost); i32(b.interNodePort)
            optionalString(b.rack); i64(b.incarnation); bool(b.fenced)
        case let .fenceBroker(id):
            u8(4); i32(id)
        case let .assignReplicas(topic, first, replicas):
            u8(5); string(topic); i32(first); count(replicas.count)
            for r in replicas { ints(r) }
        case let .partitionLeader(topic, partition, leader, epoch):
            u8(6); string(topic); i32(partition); i32(leader); i64(epoch)
        case let .reassignPartition(topic, partition, target):
            u8(7); string(topic); i32(partition)
            if let target { bool(true); ints(target) } else { bool(false) }
        case let .completeReassignment(topic, partition, replicas):
            u8(8); string(topic); i32(partition); ints(replicas)
        case let .upsertScramCredential(user, c):
            u8(9); string(user); u8(UInt8(bitPattern: c.mechanism)); blob(c.salt); blob(c.storedKey); blob(c.serverKey); i32(c.iterations)
        case let .deleteScramCredential(user, mechanism):
            u8(10); string(user); u8(UInt8(bitPattern: mechanism))
        case let .createAcls(acls):
            u8(11); count(acls.count); for acl in acls { self.acl(acl) }
        case let .deleteAcls(acls):
            u8(12); count(acls.count); for acl in acls { self.acl(acl) }
        case let .setClientQuota(entity, key, value):
            u8(13); string(ClientQuotaEntity.encode(entity.user)); string(ClientQuotaEntity.encode(entity.clientID)); string(key)
            if let value { bool(true); i64(Int64(bitPattern: value.bitPattern)) } else { bool(false) }
        case let .partitionISR(topic, partition, isr, epoch):
            u8(14); string(topic); i32(partition); ints(isr); i64(epoch)
        case let .brokerEndpoints(id, endpoints):
            u8(15); i32(id); count(endpoints.count)
            for e in endpoints { string(e.listener); string(e.host); i32(e.port) }
        }
    }

    mutating func acl(_ a: AclBinding) {
        u8(UInt8(bitPattern: a.resourceType)); string(a.resourceName); u8(UInt8(bitPattern: a.patternType)); string(a.principal)
        string(a.host); u8(UInt8(bitPattern: a.operation)); u8(UInt8(bitPattern: a.permission))
    }

    mutating func stringMap(_ map: [String: String]) {
        count(map.count)
        for (k, v) in map.sorted(by: { $0.key < $1.key }) { string(k); string(v) }
    }
}

private struct CommandReader {
    typealias DecodeError = ControllerCommandCodec.DecodeError
    let bytes: [UInt8]
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func take(_ n: Int) throws(DecodeError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - position >= n else { throw DecodeError(description: "controller entry truncated") }
        defer { position += n }
        return bytes[position..<(position + n)]
    }
    mutating func u8() throws(DecodeError) -> UInt8 { try take(1).first ?? 0 }
    mutating func i64() throws(DecodeError) -> Int64 { try take(8).reduce(0) { $0 << 8 | Int64($1) } }
    mutating func i32() throws(DecodeError) -> Int32 { Int32(truncatingIfNeeded: try take(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
    mutating func bool() throws(DecodeError) -> Bool { try u8() != 0 }
    /// A count, refused if the bytes left cannot hold that many elements.
    mutating func count(minimumBytesEach: Int) throws(DecodeError) -> Int {
        let n = Int(try i32())
        guard n >= 0, n <= (bytes.count - position) / max(minimumBytesEach, 1) else { throw DecodeError(description: "controller entry count \(n) out of range") }
        return n
    }
    mutating func blob() throws(DecodeError) -> [UInt8] { Array(try take(try count(minimumBytesEach: 1))) }
    mutating func string() throws(DecodeError) -> String {
        guard let s = String(validating: try blob(), as: UTF8.self) else { throw DecodeError(description: "controller entry string is not UTF-8") }
        return s
    }
    mutating func optionalString() throws(DecodeError) -> String? { try bool() ? try string() : nil }
    mutating func ints() throws(DecodeError) -> [Int32] {
        var out: [Int32] = []
        for _ in 0..<(try count(minimumBytesEach: 4)) { out.append(try i32()) }
        return out
    }
    mutating func stringMap() throws(DecodeError) -> [String: String] {
        var out: [String: String] = [:]
        for _ in 0..<(try count(minimumBytesEach: 8)) { let k = try string(); out[k] = try string() }
        return out
    }

    mutating func acls() throws(DecodeError) -> [AclBinding] {
        var out: [AclBinding] = []
        for _ in 0..<(try count(minimumBytesEach: 16)) { out.append(try acl()) }
        return out
    }

    mutating func acl() throws(DecodeError) -> AclBinding {
        let type = Int8(bitPattern: try u8()), name = try string(), pattern = Int8(bitPattern: try u8()), principal = try string()
        return AclBinding(resourceType: type, resourceName: name, patternType: pattern, principal: principal, host: try string(),
                          operation: Int8(bitPattern: try u8()), permission: Int8(bitPattern: try u8()))
    }

    mutating func command() throws(DecodeError) -> ControllerCommand {
        switch try u8() {
        case 1:
            switch try u8() {
            case 1:
                let name = try string(), id = try blob(), partitions = try i32(), rf = try i32()
                guard let rf16 = Int16(exactly: rf) else { throw DecodeError(description: "replication factor out of range") }
                return .metadata(.createTopic(name: name, topicID: id, partitions: partitions, replicationFactor: rf16, configs: try stringMap()))
            case 2: return .metadata(.deleteTopic(name: try string()))
            case 3: return .metadata(.createPartitions(name: try string(), totalCount: try i32()))
            case 4:
                let name = try string()
                var changes: [String: String?] = [:]
                for _ in 0..<(try count(minimumBytesEach: 5)) { let k = try string(); changes[k] = .some(try optionalString()) }
                return .metadata(.alterTopicConfigs(name: name, changes: changes))
            case 5: return .metadata(.allocateProducerIDs(count: try i64()))
            default: throw DecodeError(description: "unknown metadata command")
            }
        case 2:
            switch try u8() {
            case 1:
                let group = try string()
                var offsets: [CommittedOffset] = []
                for _ in 0..<(try count(minimumBytesEach: 29)) {
                    let topic = try string(), partition = try i32(), offset = try i64(), epoch = try i32(), metadata = try optionalString()
                    offsets.append(CommittedOffset(topic: topic, partition: partition, offset: offset, leaderEpoch: epoch, metadata: metadata, commitMillis: try i64()))
                }
                return .offsets(.commit(group: group, offsets: offsets))
            case 2:
                let group = try string()
                var partitions: [(topic: String, partition: Int32)] = []
                for _ in 0..<(try count(minimumBytesEach: 8)) { let t = try string(); partitions.append((t, try i32())) }
                return .offsets(.delete(group: group, partitions: partitions))
            case 3: return .offsets(.deleteGroup(group: try string()))
            default: throw DecodeError(description: "unknown offsets command")
            }
        case 3:
            let id = try i32(), host = try string(), port = try i32(), iHost = try string(), iPort = try i32(), rack = try optionalString()
            return .registerBroker(BrokerRecord(nodeID: id, host: host, port: port, interNodeHost: iHost, interNodePort: iPort, rack: rack,
                                                incarnation: try i64(), fenced: try bool()))
        case 4: return .fenceBroker(nodeID: try i32())
        case 5:
            let topic = try string(), first = try i32()
            var replicas: [[Int32]] = []
            for _ in 0..<(try count(minimumBytesEach: 4)) { replicas.append(try ints()) }
            return .assignReplicas(topic: topic, firstPartition: first, replicas: replicas)
        case 6:
            return .partitionLeader(topic: try string(), partition: try i32(), leader: try i32(), epoch: try i64())
        case 7:
            let topic = try string(), partition = try i32()
            return .reassignPartition(topic: topic, partition: partition, target: try bool() ? try ints() : nil)
        case 8:
            return .completeReassignment(topic: try string(), partition: try i32(), replicas: try ints())
        case 9:
            let user = try string(), mechanism = Int8(bitPattern: try u8()), salt = try blob(), stored = try blob(), server = try blob()
            return .upsertScramCredential(user: user, credential: ScramCredential(mechanism: mechanism, salt: salt, storedKey: stored,
                                                                                  serverKey: server, iterations: try i32()))
        case 10:
            return .deleteScramCredential(user: try string(), mechanism: Int8(bitPattern: try u8()))
        case 11: return .createAcls(try acls())
        case 12: return .deleteAcls(try acls())
        case 14: return .partitionISR(topic: try string(), partition: try i32(), isr: try ints(), epoch: try i64())
        case 15:
            let id = try i32()
            var endpoints: [ListenerEndpoint] = []
            for _ in 0..<(try count(minimumBytesEach: 8)) { endpoints.append(ListenerEndpoint(listener: try string(), host: try string(), port: try i32())) }
            return .brokerEndpoints(nodeID: id, endpoints: endpoints)
        case 13:
            let user = ClientQuotaEntity.decode(try string()), client = ClientQuotaEntity.decode(try string()), key = try string()
            let value = try bool() ? Double(bitPattern: UInt64(bitPattern: try i64())) : nil
            return .setClientQuota(entity: ClientQuotaEntity(user: user, clientID: client), key: key, value: value)
        default: throw DecodeError(description: "unknown controller command")
        }
    }
}
