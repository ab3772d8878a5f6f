import SluiceCore
import SluiceRaft
import SluiceWire

/// Raft's own entries (a new leader's no-op, a membership change) as Kafka *control batches*, so
/// they can live in a partition's log among the data batches and every Kafka client skips them.
///
/// A control batch here is a RecordBatch v2 with the control attribute bit set, no compression,
/// producer id/epoch/sequence −1, timestamps −1 (Kafka's "no timestamp": the batch is written by
/// every replica independently, so nothing in it may depend on a clock), and exactly one record at
/// offset delta 0. It covers one offset. Its record:
/// - key: int16 version (0), int16 type — Kafka's control-record key (`ControlRecordType`);
/// - value, by type:
///   - ``leaderChangeType`` (2, KRaft's LEADER_CHANGE) = ``EntryKind/noop``:
///     int16 version (0). Nothing else: the leader is the one that wrote the batch's epoch.
///   - ``votersType`` (6, KRaft's VOTERS) = ``EntryKind/configuration(_:)``:
///     int16 version (0), int32 voter count, that many int32 node ids (ascending),
///     int32 learner count, that many int32 node ids (ascending). Big-endian throughout. This is
///     Sluice's own layout, not KRaft's `VotersRecord`; only Sluice reads it.
///
/// Encoding is deterministic: equal (kind, base offset, epoch) give equal bytes on every replica,
/// so the logs of a group are byte-identical. Other control types (transaction markers 0 and 1)
/// are data to Raft: ``kind(of:)`` answers nil for them.
public enum ControlEntryCodec {
    /// Version of the control-record key.
    public static let keyVersion: Int16 = 0
    /// Version of the values written here.
    public static let valueVersion: Int16 = 0
    /// KRaft's LEADER_CHANGE control type; marks a Raft no-op.
    public static let leaderChangeType: Int16 = 2
    /// KRaft's VOTERS control type; marks a Raft configuration entry.
    public static let votersType: Int16 = 6
    /// Members per list accepted when decoding (far above any real group).
    public static let membersMax = 1024

    /// The control batch for a Raft no-op or configuration entry, stamped at `baseOffset` in
    /// `leaderEpoch`. `kind` must not be `.normal` (data entries carry their own bytes).
    public static func encode(_ kind: EntryKind, baseOffset: Int64, leaderEpoch: Int32) -> [UInt8] {
        var value = ByteWriter(capacity: 16)
        value.writeInt16(valueVersion)
        let type: Int16
        switch kind {
        case .normal:
            preconditionFailure("a data entry is not encoded as a control batch")
        case .noop:
            type = leaderChangeType
        case .configuration(let configuration):
            type = votersType
            for list in [configuration.voters, configuration.learners] {
                value.writeInt32(Int32(clamping: list.count))
                for id in list { value.writeInt32(id.rawValue) }
            }
        }
        var key = ByteWriter(capacity: 4)
        key.writeInt16(keyVersion)
        key.writeInt16(type)
        let record = Record(offsetDelta: 0, key: key.bytes, value: value.bytes)
        // Uncompressed encoding of one small record cannot fail (only unsupported codecs throw).
        guard let bytes = try? RecordBatch.encode(records: [record], baseOffset: baseOffset, partitionLeaderEpoch: leaderEpoch,
                                                  codec: .none, baseTimestamp: -1, maxTimestamp: -1, control: true) else {
            preconditionFailure("encoding an uncompressed control batch failed")
        }
        return bytes
    }

    /// What a control batch means to Raft: `.noop` or `.configuration`, or nil for a control type
    /// Raft does not own (a transaction marker, which stays data). Validates framing and CRC.
    /// Throws on a malformed batch, or on a batch that is not a control batch at all.
    public static func kind(of batch: ArraySlice<UInt8>, maxBatchBytes: Int = Limits.messageBytesMaxDefault) throws(WireError) -> EntryKind? {
        let (decoded, size) = try RecordBatch.decode(batch, maxBatchBytes: maxBatchBytes)
        guard size == batch.count else { throw .inconsistent("\(batch.count - size) bytes after the control batch") }
        guard decoded.header.attributes.isControl else { throw .inconsistent("not a control batch") }
        guard let first = decoded.records.first, let keyBytes = first.key else { throw .inconsistent("control batch without a record key") }
        var key = ByteReader(keyBytes)
        _ = try key.readInt16("control record key version")
        let type = try key.readInt16("control record type")
        switch type {
        case leaderChangeType, votersType:
            guard decoded.records.count == 1, decoded.header.lastOffsetDelta == 0 else {
                throw .inconsistent("a Raft control batch holds one record, not \(decoded.records.count)")
            }
        default:
            return nil
        }
        var value = ByteReader(first.value ?? [])
        let version = try value.readInt16("control value version")
        guard version == valueVersion else { throw .inconsistent("control value version \(version)") }
        if type == leaderChangeType { return .noop }
        var lists: [[NodeID]] = []
        for what in ["voters", "learners"] {
            let count = Int(try value.readInt32("\(what) count"))
            guard count >= 0, count <= membersMax, count * 4 <= value.remaining else {
                throw .inconsistent("\(what) count \(count) with \(value.remaining) bytes left")
            }
            var ids: [NodeID] = []
            for _ in 0..<count { ids.append(NodeID(try value.readInt32("\(what) id"))) }
            lists.append(ids)
        }
        guard value.isAtEnd else { throw .inconsistent("\(value.remaining) bytes after the configuration") }
        guard Set(lists[0]).isDisjoint(with: lists[1]) else { throw .inconsistent("a node is both voter and learner") }
        return .configuration(Configuration(voters: lists[0], learners: lists[1]))
    }
}
