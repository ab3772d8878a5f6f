import SluiceCore
import SluiceRaft
import SluiceWire

/// Why Raft messages from a peer could not be used. The peer sent bytes the codecs read but whose
/// values Raft must never see (an unknown kind, a node both voter and learner, an entry covering
/// no index): such input would trip a `precondition` deeper down, so it is refused here.
public enum ClusterWireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes did not decode.
    case wire(WireError)
    /// The bytes decoded to values that make no sense; the text says which.
    case invalid(String)

    public var description: String {
        switch self {
        case .wire(let error): "malformed inter-node frame: \(error)"
        case .invalid(let why): "invalid inter-node message: \(why)"
        }
    }
}

/// Conversion between the Raft core's `Message` (with the group it belongs to) and the generated
/// `RaftMessagesRequest.RaftMessage`. Encoding cannot fail; decoding checks every value the Raft
/// types would otherwise check with a crash.
///
/// Raft terms and read-index contexts are `UInt64`; the wire has `int64`. Contexts travel bit for
/// bit; a term never reaches 2^63, so a negative one on the wire is refused.
public enum ClusterWire {
    /// Wire form of `message` in `group`.
    public static func encode(_ group: RaftGroupID, _ message: Message) -> RaftMessagesRequest.RaftMessage {
        var wire = RaftMessagesRequest.RaftMessage()
        switch group {
        case .controller:
            wire.groupKind = GroupKind.controller
        case .partition(let tp):
            wire.groupKind = GroupKind.partition
            wire.topic = tp.topic
            wire.partition = tp.partition.rawValue
        }
        wire.kind = message.kind.wireCode
        wire.from = message.from.rawValue
        wire.to = message.to.rawValue
        wire.term = Int64(bitPattern: message.term.rawValue)
        wire.logTerm = Int64(bitPattern: message.logTerm.rawValue)
        wire.index = message.index.rawValue
        wire.commit = message.commit.rawValue
        wire.reject = message.reject
        wire.rejectHint = message.rejectHint.rawValue
        wire.context = Int64(bitPattern: message.context)
        wire.leadershipTransfer = message.leadershipTransfer
        wire.logLost = message.logLost
        wire.entries = message.entries.map(encode)
        wire.snapshot = message.snapshot.map(encode)
        return wire
    }

    /// The group and message `wire` describes, or why it is unusable.
    public static func decode(_ wire: RaftMessagesRequest.RaftMessage) throws(ClusterWireError) -> (RaftGroupID, Message) {
        let group = try decodeGroup(kind: wire.groupKind, topic: wire.topic, partition: wire.partition)
        guard let kind = MessageKind(wireCode: wire.kind) else { throw .invalid("unknown message kind \(wire.kind)") }
        var entries: [Entry] = []
        entries.reserveCapacity(wire.entries.count)
        for entry in wire.entries { entries.append(try decode(entry)) }
        let message = Message(
            kind: kind, from: NodeID(wire.from), to: NodeID(wire.to),
            term: try term(wire.term, "term"), logTerm: try term(wire.logTerm, "logTerm"),
            index: try position(wire.index, "index"), entries: entries,
            commit: try position(wire.commit, "commit"), reject: wire.reject,
            rejectHint: try position(wire.rejectHint, "rejectHint"),
            snapshot: try wire.snapshot.map { (s) throws(ClusterWireError) in try decode(s) },
            context: UInt64(bitPattern: wire.context), leadershipTransfer: wire.leadershipTransfer, logLost: wire.logLost)
        return (group, message)
    }

    // MARK: Parts

    /// `groupKind` codes on the wire.
    enum GroupKind {
        static let controller: Int8 = 0
        static let partition: Int8 = 1
    }

    /// `RaftEntry.kind` codes on the wire.
    enum EntryCode {
        static let normal: Int8 = 0
        static let noop: Int8 = 1
        static let configuration: Int8 = 2
    }

    static func decodeGroup(kind: Int8, topic: String, partition: Int32) throws(ClusterWireError) -> RaftGroupID {
        switch kind {
        case GroupKind.controller:
            return .controller
        case GroupKind.partition:
            guard !topic.isEmpty, partition >= 0 else { throw .invalid("partition group \(topic)-\(partition)") }
            return .partition(TopicPartition(topic: topic, partition: PartitionID(partition)))
        default:
            throw .invalid("unknown group kind \(kind)")
        }
    }

    static func encode(_ entry: Entry) -> RaftMessagesRequest.RaftMessage.RaftEntry {
        var wire = RaftMessagesRequest.RaftMessage.RaftEntry(
            term: Int64(bitPattern: entry.term.rawValue), lastIndex: entry.lastIndex.rawValue,
            indexCount: entry.indexCount, data: entry.data)
        switch entry.kind {
        case .normal:
            wire.kind = EntryCode.normal
        case .noop:
            wire.kind = EntryCode.noop
        case .configuration(let configuration):
            wire.kind = EntryCode.configuration
            wire.voters = configuration.voters.map(\.rawValue)
            wire.learners = configuration.learners.map(\.rawValue)
        }
        return wire
    }

    static func decode(_ wire: RaftMessagesRequest.RaftMessage.RaftEntry) throws(ClusterWireError) -> Entry {
        // Entry's init requires indexCount >= 1, and firstIndex (lastIndex - indexCount + 1) must
        // neither overflow nor fall below index 0.
        guard wire.indexCount >= 1, wire.lastIndex >= 0, wire.lastIndex < Int64.max, wire.indexCount <= wire.lastIndex + 1 else {
            throw .invalid("entry ending at \(wire.lastIndex) covering \(wire.indexCount) indexes")
        }
        let kind: EntryKind
        switch wire.kind {
        case EntryCode.normal, EntryCode.noop:
            guard wire.voters.isEmpty, wire.learners.isEmpty else {
                throw .invalid("members on a non-configuration entry at \(wire.lastIndex)")
            }
            kind = wire.kind == EntryCode.normal ? .normal : .noop
        case EntryCode.configuration:
            kind = .configuration(try configuration(voters: wire.voters, learners: wire.learners))
        default:
            throw .invalid("unknown entry kind \(wire.kind)")
        }
        return Entry(term: try term(wire.term, "entry term"), lastIndex: LogIndex(wire.lastIndex),
                     indexCount: wire.indexCount, kind: kind, data: wire.data)
    }

    static func encode(_ snapshot: Snapshot) -> RaftMessagesRequest.RaftMessage.RaftSnapshot {
        let metadata = snapshot.metadata
        return RaftMessagesRequest.RaftMessage.RaftSnapshot(
            index: metadata.index.rawValue, term: Int64(bitPattern: metadata.term.rawValue),
            voters: metadata.configuration.voters.map(\.rawValue),
            learners: metadata.configuration.learners.map(\.rawValue), data: snapshot.data)
    }

    static func decode(_ wire: RaftMessagesRequest.RaftMessage.RaftSnapshot) throws(ClusterWireError) -> Snapshot {
        let metadata = SnapshotMetadata(index: try position(wire.index, "snapshot index"), term: try term(wire.term, "snapshot term"),
                                        configuration: try configuration(voters: wire.voters, learners: wire.learners))
        return Snapshot(metadata: metadata, data: wire.data)
    }

    /// Checked before constructing: `Configuration.init` traps when a node is both. The size is
    /// bounded because a snapshot's membership is written whole to the partition's `raft-state`
    /// file, which is read back with a small-file limit: an oversized list would be accepted now
    /// and stop the broker from starting later. No honest encoder repeats an id (a
    /// `Configuration` is sorted and unique), so a repeat marks a broken or hostile sender.
    static func configuration(voters: [Int32], learners: [Int32]) throws(ClusterWireError) -> Configuration {
        guard voters.count + learners.count <= ControlEntryCodec.membersMax else {
            throw .invalid("\(voters.count) voters and \(learners.count) learners, above \(ControlEntryCodec.membersMax) members")
        }
        let voterSet = Set(voters), learnerSet = Set(learners)
        guard voterSet.count == voters.count, learnerSet.count == learners.count else {
            throw .invalid("a member listed twice (\(voters.count) voters, \(learners.count) learners)")
        }
        if let both = voterSet.intersection(learnerSet).min() {
            throw .invalid("node \(both) is both voter and learner")
        }
        return Configuration(voters: voters.map(NodeID.init(rawValue:)), learners: learners.map(NodeID.init(rawValue:)))
    }

    static func term(_ raw: Int64, _ what: String) throws(ClusterWireError) -> Term {
        guard raw >= 0 else { throw .invalid("negative \(what) \(raw)") }
        return Term(UInt64(raw))
    }

    /// A log position: -1 (before the first record) or more, and below Int64.max so the core can
    /// always step one past it.
    static func position(_ raw: Int64, _ what: String) throws(ClusterWireError) -> LogIndex {
        guard raw >= LogIndex.origin.rawValue, raw < Int64.max else { throw .invalid("\(what) \(raw) out of range") }
        return LogIndex(raw)
    }
}

extension MessageKind {
    /// The `RaftMessage.kind` code; the order is the schema's and never changes.
    var wireCode: Int8 {
        switch self {
        case .append: 0
        case .appendResponse: 1
        case .vote: 2
        case .voteResponse: 3
        case .preVote: 4
        case .preVoteResponse: 5
        case .heartbeat: 6
        case .heartbeatResponse: 7
        case .snapshot: 8
        case .timeoutNow: 9
        case .readIndex: 10
        case .readIndexResponse: 11
        }
    }

    /// The kind with `code`, or nil for a code this version does not know.
    init?(wireCode code: Int8) {
        switch code {
        case 0: self = .append
        case 1: self = .appendResponse
        case 2: self = .vote
        case 3: self = .voteResponse
        case 4: self = .preVote
        case 5: self = .preVoteResponse
        case 6: self = .heartbeat
        case 7: self = .heartbeatResponse
        case 8: self = .snapshot
        case 9: self = .timeoutNow
        case 10: self = .readIndex
        case 11: self = .readIndexResponse
        default: return nil
        }
    }
}
